/* hf_store_open(): choose the backend from the database URL; record destructors shared
 * by both backends. */
#include "store/store_int.h"

#include "handoff/evaluate.h"
#include "handoff/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *hf__strdup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

const char *hf__band_name(int band)
{
    return band >= 0 && band < HF_BAND_COUNT ? hf_band_names[band] : "substandard";
}

int hf__band_parse(const char *name)
{
    return hf_band_parse(name);
}

int hf_store_latest_schema(void)
{
    return HF_SCHEMA_LATEST;
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

int hf_store_open(const char *url, bool migrate, hf_store **out, hf_error *err)
{
    int rc;
    *out = NULL;
    if (!url || !*url)
        return hf_error_set(err, HF_EUSAGE, NULL, "no database given (--db or HANDOFF_DB)");
    if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://") ||
        has_prefix(url, "postgresql:") || has_prefix(url, "postgres:"))
        rc = hf__store_pg_open(url, out, err);
    else
        rc = hf__store_sqlite_open(has_prefix(url, "sqlite:") ? url + 7 : url, out, err);
    if (rc)
        return rc;
    if (migrate) {
        int applied = 0;
        rc = (*out)->ops->migrate(*out, &applied, err);
        if (rc) {
            hf_store_close(*out);
            *out = NULL;
        }
    }
    return rc;
}

void hf_store_close(hf_store *s)
{
    if (s)
        s->ops->close(s);
}

int hf_store_restore(const char *url, const char *backup_path, hf_error *err)
{
    if (has_prefix(url, "postgres"))
        return hf_error_set(err, HF_EUSAGE, NULL,
                            "restore is for SQLite databases; use pg_restore for PostgreSQL");
    return hf__store_sqlite_restore(has_prefix(url, "sqlite:") ? url + 7 : url, backup_path, err);
}

void hf_deal_rec_free(hf_deal_rec *d)
{
    if (!d)
        return;
    free(d->crm_source);
    free(d->crm_id);
    free(d->name);
    free(d->account);
    free(d->owner);
    free(d->stage);
    free(d->currency);
    d->crm_source = d->crm_id = d->name = d->account = d->owner = d->stage = d->currency = NULL;
}

void hf_handoff_index_free(hf_handoff_index *ix)
{
    if (!ix)
        return;
    free(ix->owner);
    free(ix->owner_email);
    free(ix->csm);
    free(ix->csm_email);
    free(ix->company);
    ix->owner = ix->owner_email = ix->csm = ix->csm_email = ix->company = NULL;
}

void hf_handoff_rec_free(hf_handoff_rec *h)
{
    if (!h)
        return;
    free(h->document);
    h->document = NULL;
    hf_handoff_index_free(&h->index);
}

void hf_version_rec_free(hf_version_rec *v)
{
    if (!v)
        return;
    free(v->author);
    free(v->changed_paths);
    free(v->document);
    v->author = v->changed_paths = v->document = NULL;
}

void hf_transition_rec_free(hf_transition_rec *t)
{
    if (!t)
        return;
    free(t->actor);
    free(t->reason);
    free(t->override_reason);
    t->actor = t->reason = t->override_reason = NULL;
}

static const char *const role_names[HF_ROLE_COUNT] = {
    "account_executive", "sales_manager", "csm", "cs_manager", "revops", "viewer"};

const char *hf_role_name(hf_role r)
{
    return (unsigned)r < HF_ROLE_COUNT ? role_names[r] : "viewer";
}

bool hf_role_parse(const char *name, hf_role *out)
{
    for (int i = 0; name && i < HF_ROLE_COUNT; i++) {
        if (strcmp(name, role_names[i]) == 0) {
            *out = (hf_role)i;
            return true;
        }
    }
    return false;
}

void hf_user_rec_free(hf_user_rec *u)
{
    if (!u)
        return;
    free(u->email);
    free(u->name);
    free(u->password_hash);
    free(u->segments);
    free(u->lang);
    u->email = u->name = u->password_hash = u->segments = u->lang = NULL;
}

void hf_team_rec_free(hf_team_rec *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->kind);
    t->name = t->kind = NULL;
}

void hf_token_rec_free(hf_token_rec *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->prefix);
    free(t->secret_hash);
    free(t->scopes);
    t->name = t->prefix = t->secret_hash = t->scopes = NULL;
}

void hf_session_rec_free(hf_session_rec *r)
{
    if (!r)
        return;
    free(r->id_hash);
    free(r->csrf);
    free(r->credential_tag);
    r->id_hash = r->csrf = r->credential_tag = NULL;
}

int hf_store_session_delete_user(hf_store *s, int64_t ws, int64_t user_id, hf_error *err)
{
    return s->ops->session_delete_user(s, ws, user_id, err);
}

int hf_store_login_attempt_add(hf_store *s, const char *key, hf_time now, int window, int max_keys,
                               int *count, hf_error *err)
{
    return s->ops->login_attempt_add(s, key, now, window, max_keys, count, err);
}

int hf_store_login_attempt_release(hf_store *s, const char *key, bool all, hf_error *err)
{
    return s->ops->login_attempt_release(s, key, all, err);
}

char *hf__store_like_pattern(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(2 * n + 3);
    if (!out)
        return NULL;
    size_t k = 0;
    out[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
            out[k++] = '\\';
        out[k++] = text[i];
    }
    out[k++] = '%';
    out[k] = '\0';
    return out;
}

void hf__store_filter_sql(const hf_handoff_filter *f, bool is_list, char mark, char *sql,
                          size_t cap, const char *select)
{
    size_t n = (size_t)snprintf(sql, cap, "%s WHERE h.workspace_id = %c1", select, mark);
    int p = 2;
    char one[256];
/* each condition takes one parameter, written as %c%d: mark and number */
#define ADD(cond)                                                                                  \
    do {                                                                                           \
        snprintf(one, sizeof(one), cond, mark, p);                                                 \
        if (n < cap)                                                                               \
            n += (size_t)snprintf(sql + n, cap - n, "%s", one);                                    \
        p++;                                                                                       \
    } while (0)
#define RAW(text)                                                                                  \
    do {                                                                                           \
        if (n < cap)                                                                               \
            n += (size_t)snprintf(sql + n, cap - n, "%s", text);                                   \
    } while (0)
    /* a set of statuses or bands: one placeholder per member, bound in enum order */
    if (f && f->status_mask) {
        RAW(" AND h.status IN (");
        for (int st = 0, k = 0; st < HF_STATUS_COUNT; st++)
            if (f->status_mask & HF_STATUS_BIT(st)) {
                RAW(k++ ? ", " : "");
                ADD("%c%d");
            }
        RAW(")");
    }
    if (f && f->segment)
        ADD(" AND h.segment = %c%d");
    /* a value with an @ is an e-mail address: each column has its own index */
    if (f && f->owner)
        ADD(strchr(f->owner, '@') ? " AND h.owner_email = lower(%c%d)" : " AND h.owner = %c%d");
    if (f && f->csm)
        ADD(strchr(f->csm, '@') ? " AND h.csm_email = lower(%c%d)" : " AND h.csm = %c%d");
    if (f && f->band_mask) {
        RAW(" AND h.band IN (");
        for (int b = 0, k = 0; b < 4; b++)
            if (f->band_mask & (1u << b)) {
                RAW(k++ ? ", " : "");
                ADD("%c%d");
            }
        RAW(")");
    }
    if (f && f->open_only)
        RAW(" AND h.status NOT IN ('completed', 'cancelled')");
    if (f && f->unassigned)
        RAW(" AND h.csm_email IS NULL");
    if (f && f->overdue_only)
        ADD(" AND h.next_due < %c%d AND h.status NOT IN ('completed', 'cancelled')");
    if (f && f->search && *f->search) {
        /* two parameters: the same escaped pattern against each column */
        ADD(" AND (lower(h.company) LIKE lower(%c%d) ESCAPE '\\'");
        ADD(" OR h.deal_id IN (SELECT d.id FROM deals d WHERE d.workspace_id = h.workspace_id"
            " AND lower(d.crm_id) LIKE lower(%c%d) ESCAPE '\\'))");
    }
    if (f && f->created_after)
        ADD(" AND h.created_at > %c%d");
    if (f && f->after_id > 0)
        ADD(" AND h.id > %c%d");
    /* a count has no order (PostgreSQL refuses ORDER BY next to an aggregate) */
    if (is_list && n < cap)
        n += (size_t)snprintf(sql + n, cap - n, " ORDER BY h.id");
    if (is_list && f && f->limit > 0)
        ADD(" LIMIT %c%d");
#undef ADD
#undef RAW
}

/* ---- the operations as functions ---- */

const char *hf_store_backend(const hf_store *s)
{
    return s->ops->name;
}
int hf_store_schema_version(hf_store *s, int *current, hf_error *err)
{
    return s->ops->schema_version(s, current, err);
}
int hf_store_migrate(hf_store *s, int *applied, hf_error *err)
{
    return s->ops->migrate(s, applied, err);
}
int hf_store_begin(hf_store *s, hf_error *err)
{
    return s->ops->begin(s, err);
}
int hf_store_commit(hf_store *s, hf_error *err)
{
    return s->ops->commit(s, err);
}
int hf_store_rollback(hf_store *s)
{
    return s->ops->rollback(s);
}
int hf_store_workspace_ensure(hf_store *s, int64_t id, const char *name, hf_error *err)
{
    return s->ops->workspace_ensure(s, id, name, err);
}
int hf_store_deal_upsert(hf_store *s, hf_deal_rec *deal, bool *created, hf_error *err)
{
    return s->ops->deal_upsert(s, deal, created, err);
}
int hf_store_deal_get(hf_store *s, int64_t ws, int64_t id, const char *crm_id, hf_deal_rec *out,
                      hf_error *err)
{
    return s->ops->deal_get(s, ws, id, crm_id, out, err);
}
int hf_store_deal_list(hf_store *s, int64_t ws, int64_t after_id, int limit, hf_deal_cb cb,
                       void *ctx, hf_error *err)
{
    return s->ops->deal_list(s, ws, after_id, limit, cb, ctx, err);
}
int hf_store_handoff_create(hf_store *s, hf_handoff_rec *h, const char *author,
                            const char *changed_paths, hf_error *err)
{
    return s->ops->handoff_create(s, h, author, changed_paths, err);
}
int hf_store_handoff_get(hf_store *s, int64_t ws, int64_t id, hf_handoff_rec *out, hf_error *err)
{
    return s->ops->handoff_get(s, ws, id, out, err);
}
int hf_store_handoff_get_by_deal(hf_store *s, int64_t ws, int64_t deal_id, hf_handoff_rec *out,
                                 hf_error *err)
{
    return s->ops->handoff_get_by_deal(s, ws, deal_id, out, err);
}
int hf_store_handoff_update(hf_store *s, hf_handoff_rec *h, int base_version, const char *author,
                            const char *changed_paths, hf_error *err)
{
    return s->ops->handoff_update(s, h, base_version, author, changed_paths, err);
}
int hf_store_handoff_transition(hf_store *s, int64_t ws, int64_t id, hf_status from, hf_status to,
                                const char *actor, const char *reason, const char *override_reason,
                                hf_time at, hf_error *err)
{
    return s->ops->handoff_transition(s, ws, id, from, to, actor, reason, override_reason, at, err);
}
int hf_store_handoff_list(hf_store *s, int64_t ws, const hf_handoff_filter *f, hf_handoff_cb cb,
                          void *ctx, hf_error *err)
{
    hf_handoff_filter all;
    memset(&all, 0, sizeof(all));
    return s->ops->handoff_list(s, ws, f ? f : &all, cb, ctx, err);
}
int hf_store_handoff_count(hf_store *s, int64_t ws, const hf_handoff_filter *f, int64_t *count,
                           hf_error *err)
{
    hf_handoff_filter all;
    memset(&all, 0, sizeof(all));
    return s->ops->handoff_count(s, ws, f ? f : &all, count, err);
}
int hf_store_version_list(hf_store *s, int64_t ws, int64_t id, bool with_documents,
                          hf_version_cb cb, void *ctx, hf_error *err)
{
    return s->ops->version_list(s, ws, id, with_documents, cb, ctx, err);
}
int hf_store_version_get(hf_store *s, int64_t ws, int64_t id, int version, hf_version_rec *out,
                         hf_error *err)
{
    return s->ops->version_get(s, ws, id, version, out, err);
}
int hf_store_transition_list(hf_store *s, int64_t ws, int64_t id, hf_transition_cb cb, void *ctx,
                             hf_error *err)
{
    return s->ops->transition_list(s, ws, id, cb, ctx, err);
}
int hf_store_backup(hf_store *s, const char *path, hf_error *err)
{
    return s->ops->backup(s, path, err);
}
int hf_store_check(hf_store *s, char *result, size_t cap, hf_error *err)
{
    return s->ops->check(s, result, cap, err);
}
int hf_store_user_create(hf_store *s, hf_user_rec *u, hf_error *err)
{
    return s->ops->user_create(s, u, err);
}
int hf_store_user_update(hf_store *s, const hf_user_rec *u, hf_error *err)
{
    return s->ops->user_update(s, u, err);
}
int hf_store_user_get(hf_store *s, int64_t ws, int64_t id, const char *email, hf_user_rec *out,
                      hf_error *err)
{
    if (email) {
        /* e-mail addresses are stored in lower case; compare the same way */
        char low[256];
        size_t i = 0;
        for (; email[i] && i + 1 < sizeof(low); i++)
            low[i] = (char)((email[i] >= 'A' && email[i] <= 'Z') ? email[i] + 32 : email[i]);
        low[i] = '\0';
        return s->ops->user_get(s, ws, id, low, out, err);
    }
    return s->ops->user_get(s, ws, id, NULL, out, err);
}
int hf_store_user_list(hf_store *s, int64_t ws, hf_user_cb cb, void *ctx, hf_error *err)
{
    return s->ops->user_list(s, ws, cb, ctx, err);
}
int hf_store_team_create(hf_store *s, hf_team_rec *t, hf_error *err)
{
    return s->ops->team_create(s, t, err);
}
int hf_store_team_list(hf_store *s, int64_t ws, hf_team_cb cb, void *ctx, hf_error *err)
{
    return s->ops->team_list(s, ws, cb, ctx, err);
}
int hf_store_token_create(hf_store *s, hf_token_rec *t, hf_error *err)
{
    return s->ops->token_create(s, t, err);
}
int hf_store_token_get(hf_store *s, const char *prefix, hf_token_rec *out, hf_error *err)
{
    return s->ops->token_get(s, prefix, out, err);
}
int hf_store_token_list(hf_store *s, int64_t ws, int64_t user_id, hf_token_cb cb, void *ctx,
                        hf_error *err)
{
    return s->ops->token_list(s, ws, user_id, cb, ctx, err);
}
int hf_store_token_revoke(hf_store *s, int64_t ws, int64_t id, hf_time at, hf_error *err)
{
    return s->ops->token_revoke(s, ws, id, at, err);
}
int hf_store_session_create(hf_store *s, const hf_session_rec *r, hf_error *err)
{
    return s->ops->session_create(s, r, err);
}
int hf_store_session_get(hf_store *s, const char *id_hash, hf_session_rec *out, hf_error *err)
{
    return s->ops->session_get(s, id_hash, out, err);
}
int hf_store_session_delete(hf_store *s, const char *id_hash, hf_error *err)
{
    return s->ops->session_delete(s, id_hash, err);
}
int hf_store_query(hf_store *s, const char *sql, int nparams, const char *const *params,
                   hf_row_cb cb, void *ctx, int64_t *changes, hf_error *err)
{
    return s->ops->query(s, sql, nparams, params, cb, ctx, changes, err);
}

/* ---- tables written once for both backends ---- */

static void i64_text(char buf[24], int64_t v)
{
    snprintf(buf, 24, "%lld", (long long)v);
}

static int64_t text_i64(const char *v)
{
    return v ? strtoll(v, NULL, 10) : 0;
}

void hf_protocol_rec_free(hf_protocol_rec *p)
{
    if (!p)
        return;
    free(p->version);
    free(p->body);
    free(p->installed_by);
    p->version = p->body = p->installed_by = NULL;
}

int hf_store_protocol_install(hf_store *s, int64_t ws, const hf_protocol_rec *p, hf_error *err)
{
    char w[24], day[24], at[24];
    i64_text(w, ws);
    i64_text(day, p->effective_day);
    i64_text(at, p->installed_at);
    const char *params[] = {w, p->version, day, p->body, p->installed_by, at};
    int64_t changed = 0;
    int rc = hf_store_query(s,
                            "INSERT INTO protocol_versions (workspace_id, version, effective_day, "
                            "body, installed_by, installed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                            "ON CONFLICT DO NOTHING",
                            6, params, NULL, NULL, &changed, err);
    if (!rc && changed == 0)
        return hf_error_setf_id(err, HF_ECONFLICT, "version",
                                N_("protocol version %s is installed already: a stored version "
                                   "never changes, install a new version instead"),
                                p->version);
    return rc;
}

typedef struct proto_ctx {
    hf_protocol_cb cb;
    void *ctx;
    hf_protocol_rec *one;
} proto_ctx;

static int proto_row(void *vctx, int ncols, const char *const *v)
{
    proto_ctx *c = vctx;
    hf_protocol_rec r = {(char *)v[0], text_i64(v[1]),          (char *)v[2],
                         (char *)v[3], (hf_time)text_i64(v[4]), ncols > 5 ? text_i64(v[5]) : 0};
    if (c->one) {
        c->one->version = hf__strdup_or_null(v[0]);
        c->one->effective_day = r.effective_day;
        c->one->body = hf__strdup_or_null(v[2]);
        c->one->installed_by = hf__strdup_or_null(v[3]);
        c->one->installed_at = r.installed_at;
        return 1;
    }
    return c->cb(c->ctx, &r);
}

int hf_store_protocol_get(hf_store *s, int64_t ws, const char *version, hf_protocol_rec *out,
                          hf_error *err)
{
    char w[24];
    i64_text(w, ws);
    const char *params[] = {w, version};
    memset(out, 0, sizeof(*out));
    proto_ctx c = {NULL, NULL, out};
    int rc = hf_store_query(s,
                            "SELECT version, effective_day, body, installed_by, installed_at FROM "
                            "protocol_versions WHERE workspace_id = ?1 AND version = ?2",
                            2, params, proto_row, &c, NULL, err);
    if (rc < 0)
        return rc;
    if (!out->version)
        return hf_error_setf_id(err, HF_ENOTFOUND, "version",
                                N_("no protocol version %s is installed"), version);
    return 0;
}

typedef struct text_ctx {
    char *buf;
    size_t cap;
    bool found;
} text_ctx;

static int first_text(void *vctx, int ncols, const char *const *v)
{
    text_ctx *c = vctx;
    (void)ncols;
    snprintf(c->buf, c->cap, "%s", v[0] ? v[0] : "");
    c->found = true;
    return 1;
}

int hf_store_protocol_in_force(hf_store *s, int64_t ws, int64_t day, char *version, size_t cap,
                               hf_error *err)
{
    char w[24], d[24];
    i64_text(w, ws);
    i64_text(d, day);
    const char *params[] = {w, d};
    text_ctx c = {version, cap, false};
    int rc = hf_store_query(s,
                            "SELECT version FROM protocol_versions WHERE workspace_id = ?1 AND "
                            "effective_day <= ?2 ORDER BY effective_day DESC, installed_at DESC, "
                            "version DESC LIMIT 1",
                            2, params, first_text, &c, NULL, err);
    if (rc < 0)
        return rc;
    if (!c.found)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no protocol version in force");
    return 0;
}

int hf_store_protocol_list(hf_store *s, int64_t ws, hf_protocol_cb cb, void *ctx, hf_error *err)
{
    char w[24];
    i64_text(w, ws);
    const char *params[] = {w};
    proto_ctx c = {cb, ctx, NULL};
    int rc = hf_store_query(
        s,
        "SELECT p.version, p.effective_day, p.body, p.installed_by, p.installed_at, "
        "(SELECT count(*) FROM handoffs h WHERE h.workspace_id = p.workspace_id AND "
        "h.protocol_version = p.version) FROM protocol_versions p WHERE p.workspace_id = ?1 "
        "ORDER BY p.effective_day, p.installed_at",
        1, params, proto_row, &c, NULL, err);
    return rc < 0 ? rc : 0;
}

int hf_store_protocol_pin_get(hf_store *s, int64_t ws, int64_t handoff_id, char *version,
                              size_t cap, hf_error *err)
{
    char w[24], h[24];
    i64_text(w, ws);
    i64_text(h, handoff_id);
    const char *params[] = {w, h};
    text_ctx c = {version, cap, false};
    version[0] = '\0';
    int rc = hf_store_query(s,
                            "SELECT version FROM protocol_pins WHERE workspace_id = ?1 AND "
                            "handoff_id = ?2 ORDER BY id DESC LIMIT 1",
                            2, params, first_text, &c, NULL, err);
    return rc < 0 ? rc : 0;
}

int hf_store_protocol_pin_add(hf_store *s, int64_t ws, int64_t handoff_id, const char *version,
                              const char *by, hf_time at, hf_error *err)
{
    char w[24], h[24], t[24];
    i64_text(w, ws);
    i64_text(h, handoff_id);
    i64_text(t, at);
    const char *params[] = {w, h, version, by, t};
    return hf_store_query(
        s,
        "INSERT INTO protocol_pins (workspace_id, handoff_id, version, pinned_by, "
        "pinned_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        5, params, NULL, NULL, NULL, err);
}

int hf_store_tick_set(hf_store *s, int64_t ws, int64_t handoff_id, const hf_tick_rec *t,
                      hf_error *err)
{
    char w[24], h[24], at[24];
    i64_text(w, ws);
    i64_text(h, handoff_id);
    i64_text(at, t->at);
    const char *params[] = {w, h, t->item, t->done ? "1" : "0", t->by, at};
    return hf_store_query(s,
                          "INSERT INTO checklist_ticks (workspace_id, handoff_id, item, done, "
                          "ticked_by, ticked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                          "ON CONFLICT (handoff_id, item) DO UPDATE SET done = excluded.done, "
                          "ticked_by = excluded.ticked_by, ticked_at = excluded.ticked_at",
                          6, params, NULL, NULL, NULL, err);
}

typedef struct tick_ctx {
    hf_tick_cb cb;
    void *ctx;
} tick_ctx;

static int tick_row(void *vctx, int ncols, const char *const *v)
{
    tick_ctx *c = vctx;
    (void)ncols;
    hf_tick_rec t = {(char *)v[0], text_i64(v[1]) != 0, (char *)v[2], (hf_time)text_i64(v[3])};
    return c->cb(c->ctx, &t);
}

int hf_store_tick_list(hf_store *s, int64_t ws, int64_t handoff_id, hf_tick_cb cb, void *ctx,
                       hf_error *err)
{
    char w[24], h[24];
    i64_text(w, ws);
    i64_text(h, handoff_id);
    const char *params[] = {w, h};
    tick_ctx c = {cb, ctx};
    int rc = hf_store_query(s,
                            "SELECT item, done, ticked_by, ticked_at FROM checklist_ticks WHERE "
                            "workspace_id = ?1 AND handoff_id = ?2 ORDER BY item",
                            2, params, tick_row, &c, NULL, err);
    return rc < 0 ? rc : 0;
}

static int id_row(void *vctx, int ncols, const char *const *v)
{
    (void)ncols;
    *(int64_t *)vctx = text_i64(v[0]);
    return 0;
}

int hf_store_alert_add(hf_store *s, int64_t ws, hf_alert_rec *a, hf_error *err)
{
    char w[24], h[24], at[24];
    i64_text(w, ws);
    i64_text(h, a->handoff_id);
    i64_text(at, a->created_at);
    const char *params[] = {w, a->kind, a->handoff_id ? h : NULL, a->detail, at};
    return hf_store_query(s,
                          "INSERT INTO alerts (workspace_id, kind, handoff_id, detail, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                          5, params, id_row, &a->id, NULL, err);
}

typedef struct alert_ctx {
    hf_alert_cb cb;
    void *ctx;
} alert_ctx;

static int alert_row(void *vctx, int ncols, const char *const *v)
{
    alert_ctx *c = vctx;
    (void)ncols;
    hf_alert_rec a = {text_i64(v[0]),          (char *)v[1],
                      text_i64(v[2]),          (char *)v[3],
                      (hf_time)text_i64(v[4]), v[5] ? (hf_time)text_i64(v[5]) : HF_TIME_NONE};
    return c->cb(c->ctx, &a);
}

int hf_store_alert_list(hf_store *s, int64_t ws, bool pending_only, hf_alert_cb cb, void *ctx,
                        hf_error *err)
{
    char w[24];
    i64_text(w, ws);
    const char *params[] = {w, pending_only ? "1" : "0"};
    alert_ctx c = {cb, ctx};
    int rc = hf_store_query(s,
                            "SELECT id, kind, handoff_id, detail, created_at, delivered_at FROM "
                            "alerts WHERE workspace_id = ?1 AND (?2 = '0' OR delivered_at IS NULL) "
                            "ORDER BY id",
                            2, params, alert_row, &c, NULL, err);
    return rc < 0 ? rc : 0;
}
