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

int hf__store_migrate_limit = 0;

int hf__store_migration_target(int latest)
{
    return hf__store_migrate_limit > 0 && hf__store_migrate_limit < latest ? hf__store_migrate_limit
                                                                           : latest;
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
    if (f && f->trigger)
        ADD(" AND h.trigger_kind = %c%d");
    if (f && f->open_only)
        RAW(" AND h.status NOT IN ('completed', 'cancelled')");
    if (f && f->unassigned)
        RAW(" AND h.csm_email IS NULL");
    if (f && f->overdue_only)
        ADD(" AND h.next_due < %c%d AND h.status NOT IN ('completed', 'cancelled')");
    if (f && f->search && *f->search) {
        /* two parameters: the same escaped pattern against each column */
        ADD(" AND (lower(h.company) LIKE lower(%c%d) ESCAPE '\\'");
        /* the workspace by its placeholder, not h.workspace_id: a subquery that does not
         * refer to the outer row runs once, where a correlated one would scan the deals
         * again for every handoff */
        RAW(mark == '?' ? " OR h.deal_id IN (SELECT d.id FROM deals d WHERE d.workspace_id = ?1"
                        : " OR h.deal_id IN (SELECT d.id FROM deals d WHERE d.workspace_id = $1");
        ADD(" AND lower(d.crm_id) LIKE lower(%c%d) ESCAPE '\\'))");
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
    int rc = s->ops->begin(s, err);
    if (!rc)
        s->tx_depth++;
    return rc;
}
int hf_store_commit(hf_store *s, hf_error *err)
{
    if (s->tx_depth > 0)
        s->tx_depth--;
    return s->ops->commit(s, err);
}
int hf_store_rollback(hf_store *s)
{
    if (s->tx_depth > 0)
        s->tx_depth--;
    return s->ops->rollback(s);
}
bool hf_store_in_transaction(const hf_store *s)
{
    return s->tx_depth > 0;
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

/* the latest of the rows (version, effective_day, installed_at) seen so far */
typedef struct in_force_ctx {
    text_ctx out;
    long long day, at;
} in_force_ctx;

static int later_version(void *vctx, int ncols, const char *const *v)
{
    in_force_ctx *c = vctx;
    if (ncols < 3 || !v[0] || !v[1] || !v[2])
        return 0;
    long long day = strtoll(v[1], NULL, 10), at = strtoll(v[2], NULL, 10);
    if (c->out.found &&
        (day < c->day ||
         (day == c->day && (at < c->at || (at == c->at && strcmp(v[0], c->out.buf) <= 0)))))
        return 0;
    snprintf(c->out.buf, c->out.cap, "%s", v[0]);
    c->out.found = true;
    c->day = day;
    c->at = at;
    return 0;
}

int hf_store_protocol_in_force(hf_store *s, int64_t ws, int64_t day, char *version, size_t cap,
                               hf_error *err)
{
    char w[24], d[24];
    i64_text(w, ws);
    i64_text(d, day);
    const char *params[] = {w, d};
    /* the latest effective day, then the latest installation, then the greatest version
     * (byte order), chosen here: an ORDER BY made SQLite open a sorter for a handful of
     * rows, which cost every document write 70,000 instructions */
    in_force_ctx c = {{version, cap, false}, 0, 0};
    int rc = hf_store_query(s,
                            "SELECT version, effective_day, installed_at FROM protocol_versions "
                            "WHERE workspace_id = ?1 AND effective_day <= ?2",
                            2, params, later_version, &c, NULL, err);
    if (rc < 0)
        return rc;
    if (!c.out.found)
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

/* ---- triggers (migration 5) ---- */

static const char *time_text(char buf[24], hf_time t)
{
    if (t == HF_TIME_NONE)
        return NULL;
    i64_text(buf, t);
    return buf;
}

static hf_time text_time(const char *v)
{
    return v ? (hf_time)text_i64(v) : HF_TIME_NONE;
}

void hf_integration_rec_free(hf_integration_rec *r)
{
    if (!r)
        return;
    free(r->source);
    free(r->name);
    free(r->endpoint_id);
    free(r->config);
    free(r->secrets);
    free(r->created_by);
    r->source = r->name = r->endpoint_id = r->config = r->secrets = r->created_by = NULL;
}

int hf_store_integration_create(hf_store *s, hf_integration_rec *r, hf_error *err)
{
    char w[24], ret[24], c[24], u[24];
    i64_text(w, r->workspace_id);
    i64_text(ret, r->retention_days);
    i64_text(c, r->created_at);
    i64_text(u, r->updated_at);
    const char *params[] = {
        w, r->source, r->name, r->endpoint_id, r->config, r->secrets, ret, r->created_by, c, u};
    return hf_store_query(s,
                          "INSERT INTO integrations (workspace_id, source, name, endpoint_id, "
                          "config, secrets, retention_days, created_by, created_at, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                          10, params, id_row, &r->id, NULL, err);
}

int hf_store_integration_update(hf_store *s, const hf_integration_rec *r, hf_error *err)
{
    char w[24], id[24], ret[24], u[24];
    i64_text(w, r->workspace_id);
    i64_text(id, r->id);
    i64_text(ret, r->retention_days);
    i64_text(u, r->updated_at);
    const char *params[] = {w, id, r->name, r->config, r->secrets, ret, u};
    int64_t changed = 0;
    int rc = hf_store_query(s,
                            "UPDATE integrations SET name = ?3, config = ?4, secrets = ?5, "
                            "retention_days = ?6, updated_at = ?7 WHERE workspace_id = ?1 AND "
                            "id = ?2",
                            7, params, NULL, NULL, &changed, err);
    if (!rc && changed == 0)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no such integration");
    return rc;
}

typedef struct integ_ctx {
    hf_integration_cb cb;
    void *ctx;
    hf_integration_rec *one;
} integ_ctx;

#define INTEGRATION_COLUMNS                                                                        \
    "id, workspace_id, source, name, endpoint_id, config, secrets, retention_days, created_by, "   \
    "created_at, updated_at"

static int integ_row(void *vctx, int ncols, const char *const *v)
{
    integ_ctx *c = vctx;
    (void)ncols;
    hf_integration_rec r = {text_i64(v[0]),
                            text_i64(v[1]),
                            (char *)v[2],
                            (char *)v[3],
                            (char *)v[4],
                            (char *)v[5],
                            (char *)v[6],
                            (int)text_i64(v[7]),
                            (char *)v[8],
                            (hf_time)text_i64(v[9]),
                            (hf_time)text_i64(v[10])};
    if (c->one) {
        *c->one = r;
        c->one->source = hf__strdup_or_null(v[2]);
        c->one->name = hf__strdup_or_null(v[3]);
        c->one->endpoint_id = hf__strdup_or_null(v[4]);
        c->one->config = hf__strdup_or_null(v[5]);
        c->one->secrets = hf__strdup_or_null(v[6]);
        c->one->created_by = hf__strdup_or_null(v[8]);
        return 1;
    }
    return c->cb(c->ctx, &r);
}

int hf_store_integration_get(hf_store *s, int64_t ws, int64_t id, const char *endpoint_id,
                             hf_integration_rec *out, hf_error *err)
{
    char w[24], i[24];
    i64_text(w, ws);
    i64_text(i, id);
    memset(out, 0, sizeof(*out));
    integ_ctx c = {NULL, NULL, out};
    int rc;
    if (endpoint_id) {
        const char *params[] = {endpoint_id};
        rc = hf_store_query(
            s, "SELECT " INTEGRATION_COLUMNS " FROM integrations WHERE endpoint_id = ?1", 1, params,
            integ_row, &c, NULL, err);
    } else {
        const char *params[] = {w, i};
        rc = hf_store_query(s,
                            "SELECT " INTEGRATION_COLUMNS " FROM integrations WHERE "
                            "workspace_id = ?1 AND id = ?2",
                            2, params, integ_row, &c, NULL, err);
    }
    if (rc < 0)
        return rc;
    if (!out->source)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no such integration");
    return 0;
}

int hf_store_integration_list(hf_store *s, int64_t ws, hf_integration_cb cb, void *ctx,
                              hf_error *err)
{
    char w[24];
    i64_text(w, ws);
    const char *params[] = {w};
    integ_ctx c = {cb, ctx, NULL};
    int rc = hf_store_query(s,
                            "SELECT " INTEGRATION_COLUMNS " FROM integrations WHERE "
                            "workspace_id = ?1 ORDER BY id",
                            1, params, integ_row, &c, NULL, err);
    return rc < 0 ? rc : 0;
}

int hf_store_integration_delete(hf_store *s, int64_t ws, int64_t id, hf_error *err)
{
    char w[24], i[24];
    i64_text(w, ws);
    i64_text(i, id);
    const char *params[] = {w, i};
    int64_t changed = 0;
    int rc = hf_store_query(s, "DELETE FROM integrations WHERE workspace_id = ?1 AND id = ?2", 2,
                            params, NULL, NULL, &changed, err);
    if (!rc && changed == 0)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no such integration");
    if (!rc)
        rc = hf_store_query(s,
                            "DELETE FROM hook_events WHERE workspace_id = ?1 AND "
                            "integration_id = ?2",
                            2, params, NULL, NULL, NULL, err);
    if (!rc)
        rc = hf_store_query(s,
                            "DELETE FROM hook_dedupe WHERE workspace_id = ?1 AND "
                            "integration_id = ?2",
                            2, params, NULL, NULL, NULL, err);
    return rc;
}

void hf_hook_event_rec_free(hf_hook_event_rec *r)
{
    if (!r)
        return;
    free(r->source);
    free(r->verdict);
    free(r->detail);
    free(r->results);
    free(r->uri);
    free(r->headers);
    free(r->body);
    free(r->body_encoding);
    r->source = r->verdict = r->detail = r->results = r->uri = r->headers = r->body =
        r->body_encoding = NULL;
}

int hf_store_hook_event_add(hf_store *s, hf_hook_event_rec *r, hf_error *err)
{
    char w[24], integ[24], at[24], st[24], rep[24];
    i64_text(w, r->workspace_id);
    i64_text(integ, r->integration_id);
    i64_text(at, r->received_at);
    i64_text(st, r->status);
    i64_text(rep, r->replay_of);
    const char *params[] = {w,
                            integ,
                            r->source,
                            at,
                            r->verdict,
                            st,
                            r->detail,
                            r->results,
                            r->uri,
                            r->headers,
                            r->body,
                            r->body_encoding ? r->body_encoding : "text",
                            r->replay_of ? rep : NULL};
    return hf_store_query(s,
                          "INSERT INTO hook_events (workspace_id, integration_id, source, "
                          "received_at, verdict, status, detail, results, uri, headers, body, "
                          "body_encoding, replay_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                          "?10, ?11, ?12, ?13) RETURNING id",
                          13, params, id_row, &r->id, NULL, err);
}

int hf_store_hook_event_finish(hf_store *s, const hf_hook_event_rec *r, hf_error *err)
{
    char id[24], st[24];
    i64_text(id, r->id);
    i64_text(st, r->status);
    const char *params[] = {id, r->verdict, st, r->detail, r->results};
    return hf_store_query(s,
                          "UPDATE hook_events SET verdict = ?2, status = ?3, detail = ?4, "
                          "results = ?5 WHERE id = ?1",
                          5, params, NULL, NULL, NULL, err);
}

typedef struct hook_event_ctx {
    hf_hook_event_cb cb;
    void *ctx;
    hf_hook_event_rec *one;
} hook_event_ctx;

#define HOOK_EVENT_COLUMNS                                                                         \
    "id, workspace_id, integration_id, source, received_at, verdict, status, detail, results, "    \
    "uri, headers, body_encoding, replay_of"

static int hook_event_row(void *vctx, int ncols, const char *const *v)
{
    hook_event_ctx *c = vctx;
    hf_hook_event_rec r = {text_i64(v[0]),
                           text_i64(v[1]),
                           text_i64(v[2]),
                           (char *)v[3],
                           (hf_time)text_i64(v[4]),
                           (char *)v[5],
                           (int)text_i64(v[6]),
                           (char *)v[7],
                           (char *)v[8],
                           (char *)v[9],
                           (char *)v[10],
                           ncols > 13 ? (char *)v[13] : NULL,
                           (char *)v[11],
                           text_i64(v[12])};
    if (c->one) {
        *c->one = r;
        c->one->source = hf__strdup_or_null(r.source);
        c->one->verdict = hf__strdup_or_null(r.verdict);
        c->one->detail = hf__strdup_or_null(r.detail);
        c->one->results = hf__strdup_or_null(r.results);
        c->one->uri = hf__strdup_or_null(r.uri);
        c->one->headers = hf__strdup_or_null(r.headers);
        c->one->body = hf__strdup_or_null(r.body);
        c->one->body_encoding = hf__strdup_or_null(r.body_encoding);
        return 1;
    }
    return c->cb(c->ctx, &r);
}

int hf_store_hook_event_get(hf_store *s, int64_t ws, int64_t id, hf_hook_event_rec *out,
                            hf_error *err)
{
    char w[24], i[24];
    i64_text(w, ws);
    i64_text(i, id);
    const char *params[] = {w, i};
    memset(out, 0, sizeof(*out));
    hook_event_ctx c = {NULL, NULL, out};
    int rc = hf_store_query(s,
                            "SELECT " HOOK_EVENT_COLUMNS ", body FROM hook_events WHERE "
                            "workspace_id = ?1 AND id = ?2",
                            2, params, hook_event_row, &c, NULL, err);
    if (rc < 0)
        return rc;
    if (!out->source)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no such webhook delivery");
    return 0;
}

int hf_store_hook_event_list(hf_store *s, int64_t ws, int64_t integration_id, int64_t before_id,
                             int limit, hf_hook_event_cb cb, void *ctx, hf_error *err)
{
    char w[24], integ[24], before[24], lim[24];
    i64_text(w, ws);
    i64_text(integ, integration_id);
    i64_text(before, before_id);
    i64_text(lim, limit > 0 ? limit : 100);
    const char *params[] = {w, integ, before, lim};
    hook_event_ctx c = {cb, ctx, NULL};
    int rc = hf_store_query(s,
                            "SELECT " HOOK_EVENT_COLUMNS " FROM hook_events WHERE "
                            "workspace_id = ?1 AND (CAST(?2 AS BIGINT) = 0 OR integration_id = ?2) "
                            "AND (CAST(?3 AS BIGINT) = 0 OR id < ?3) ORDER BY id DESC "
                            "LIMIT CAST(?4 AS BIGINT)",
                            4, params, hook_event_row, &c, NULL, err);
    return rc < 0 ? rc : 0;
}

int hf_store_hook_prune(hf_store *s, int64_t integration_id, hf_time before, int64_t *deleted,
                        hf_error *err)
{
    char integ[24], b[24];
    i64_text(integ, integration_id);
    i64_text(b, before);
    const char *params[] = {integ, b};
    int64_t n = 0;
    int rc = hf_store_query(s,
                            "DELETE FROM hook_events WHERE integration_id = ?1 AND "
                            "received_at < ?2",
                            2, params, NULL, NULL, &n, err);
    if (!rc)
        rc = hf_store_query(s,
                            "DELETE FROM hook_dedupe WHERE integration_id = ?1 AND "
                            "first_seen < ?2",
                            2, params, NULL, NULL, NULL, err);
    if (!rc && deleted)
        *deleted = n;
    return rc;
}

int hf_store_hook_claim(hf_store *s, int64_t ws, int64_t integration_id, const char *key,
                        int64_t hook_event_id, hf_time at, bool *first, hf_error *err)
{
    char w[24], integ[24], ev[24], t[24];
    i64_text(w, ws);
    i64_text(integ, integration_id);
    i64_text(ev, hook_event_id);
    i64_text(t, at);
    const char *params[] = {integ, key, w, hook_event_id ? ev : NULL, t};
    int64_t changed = 0;
    *first = false;
    int rc = hf_store_query(s,
                            "INSERT INTO hook_dedupe (integration_id, event_key, workspace_id, "
                            "hook_event_id, first_seen) VALUES (?1, ?2, ?3, ?4, ?5) "
                            "ON CONFLICT DO NOTHING",
                            5, params, NULL, NULL, &changed, err);
    if (!rc)
        *first = changed > 0;
    return rc;
}

typedef struct claimed_ctx {
    bool found;
    int64_t by;
} claimed_ctx;

static int claimed_row(void *vctx, int ncols, const char *const *v)
{
    claimed_ctx *c = vctx;
    (void)ncols;
    c->found = true;
    c->by = text_i64(v[0]);
    return 1;
}

int hf_store_hook_claimed(hf_store *s, int64_t integration_id, const char *key, bool *claimed,
                          int64_t *by, hf_error *err)
{
    char integ[24];
    i64_text(integ, integration_id);
    const char *params[] = {integ, key};
    claimed_ctx c = {false, 0};
    int rc = hf_store_query(s,
                            "SELECT hook_event_id FROM hook_dedupe WHERE integration_id = ?1 AND "
                            "event_key = ?2",
                            2, params, claimed_row, &c, NULL, err);
    if (rc < 0)
        return rc;
    *claimed = c.found;
    if (by)
        *by = c.by;
    return 0;
}

void hf_deal_trigger_rec_free(hf_deal_trigger_rec *r)
{
    if (!r)
        return;
    free(r->crm_id);
    free(r->won_source);
    free(r->signed_source);
    free(r->document_id);
    r->crm_id = r->won_source = r->signed_source = r->document_id = NULL;
}

static int deal_trigger_row(void *vctx, int ncols, const char *const *v)
{
    hf_deal_trigger_rec *out = vctx;
    (void)ncols;
    out->crm_id = hf__strdup_or_null(v[0]);
    out->last_change_at = text_time(v[1]);
    out->won_at = text_time(v[2]);
    out->won_source = hf__strdup_or_null(v[3]);
    out->signed_at = text_time(v[4]);
    out->signed_source = hf__strdup_or_null(v[5]);
    out->document_id = hf__strdup_or_null(v[6]);
    out->updated_at = (hf_time)text_i64(v[7]);
    return 1;
}

int hf_store_deal_trigger_get(hf_store *s, int64_t ws, const char *crm_id, hf_deal_trigger_rec *out,
                              hf_error *err)
{
    char w[24];
    i64_text(w, ws);
    const char *params[] = {w, crm_id};
    memset(out, 0, sizeof(*out));
    int rc = hf_store_query(s,
                            "SELECT crm_id, last_change_at, won_at, won_source, signed_at, "
                            "signed_source, document_id, updated_at FROM deal_triggers WHERE "
                            "workspace_id = ?1 AND crm_id = ?2",
                            2, params, deal_trigger_row, out, NULL, err);
    if (rc < 0)
        return rc;
    if (!out->crm_id) {
        out->last_change_at = out->won_at = out->signed_at = HF_TIME_NONE;
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no trigger facts for this deal");
    }
    return 0;
}

int hf_store_deal_trigger_put(hf_store *s, int64_t ws, const hf_deal_trigger_rec *r, hf_error *err)
{
    char w[24], last[24], won[24], sig[24], up[24];
    i64_text(w, ws);
    i64_text(up, r->updated_at);
    const char *params[] = {w,
                            r->crm_id,
                            time_text(last, r->last_change_at),
                            time_text(won, r->won_at),
                            r->won_source,
                            time_text(sig, r->signed_at),
                            r->signed_source,
                            r->document_id,
                            up};
    return hf_store_query(s,
                          "INSERT INTO deal_triggers (workspace_id, crm_id, last_change_at, "
                          "won_at, won_source, signed_at, signed_source, document_id, "
                          "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                          "ON CONFLICT (workspace_id, crm_id) DO UPDATE SET last_change_at = "
                          "excluded.last_change_at, won_at = excluded.won_at, won_source = "
                          "excluded.won_source, signed_at = excluded.signed_at, signed_source = "
                          "excluded.signed_source, document_id = excluded.document_id, "
                          "updated_at = excluded.updated_at",
                          9, params, NULL, NULL, NULL, err);
}
