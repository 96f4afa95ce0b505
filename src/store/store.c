/* hf_store_open(): choose the backend from the database URL; record destructors shared
 * by both backends. */
#include "store/store_int.h"

#include "handoff/evaluate.h"

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
    for (int i = 0; name && i < HF_BAND_COUNT; i++) {
        if (strcmp(name, hf_band_names[i]) == 0)
            return i;
    }
    return -1;
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
    t->actor = t->reason = NULL;
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
    u->email = u->name = u->password_hash = NULL;
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

void hf__store_filter_sql(const hf_handoff_filter *f, bool is_list, char mark, char *sql,
                          size_t cap, const char *select)
{
    size_t n = (size_t)snprintf(sql, cap, "%s WHERE h.workspace_id = %c1", select, mark);
    int p = 2;
    char one[128];
/* each condition takes one parameter, written as %c%d: mark and number */
#define ADD(cond)                                                                                  \
    do {                                                                                           \
        snprintf(one, sizeof(one), cond, mark, p);                                                 \
        if (n < cap)                                                                               \
            n += (size_t)snprintf(sql + n, cap - n, "%s", one);                                    \
        p++;                                                                                       \
    } while (0)
    if (f && f->status >= 0)
        ADD(" AND h.status = %c%d");
    if (f && f->segment)
        ADD(" AND h.segment = %c%d");
    /* a value with an @ is an e-mail address: each column has its own index */
    if (f && f->owner)
        ADD(strchr(f->owner, '@') ? " AND h.owner_email = %c%d" : " AND h.owner = %c%d");
    if (f && f->csm)
        ADD(strchr(f->csm, '@') ? " AND h.csm_email = %c%d" : " AND h.csm = %c%d");
    if (f && f->band >= 0)
        ADD(" AND h.band = %c%d");
    if (f && f->overdue_only)
        ADD(" AND h.next_due < %c%d AND h.status NOT IN ('completed', 'cancelled')");
    if (f && f->after_id > 0)
        ADD(" AND h.id > %c%d");
    /* a count has no order (PostgreSQL refuses ORDER BY next to an aggregate) */
    if (is_list && n < cap)
        n += (size_t)snprintf(sql + n, cap - n, " ORDER BY h.id");
    if (is_list && f && f->limit > 0)
        ADD(" LIMIT %c%d");
#undef ADD
}
