/* People and machines in the service layer: users (roles, teams, CSM capacity and
 * segments, saved language, disabling, passwords), teams and API tokens, with the rules
 * of who manages whom, and the JSON form of each record. */
#include "service/svc_int.h"

#include <stdlib.h>
#include <string.h>

static bool is_admin(const hf_actor *a)
{
    return a->is_system || a->role == HF_ROLE_REVOPS;
}

bool hf_svc_may_administer(const hf_actor *a)
{
    return is_admin(a) && (!a->via_token || (a->scopes & HF_SCOPE_WRITE));
}

static int check_segments(const char *segments, const hf_actor *a, hf_error *err)
{
    if (!segments || !*segments)
        return 0;
    for (const char *p = segments; *p;) {
        size_t n = strcspn(p, ",");
        char one[32];
        hf_segment seg;
        if (n == 0 || n >= sizeof(one))
            return svc__fail(err, HF_EINVAL, "segments", a,
                             N_("expected segments among strategic, enterprise, mid_market, "
                                "smb, separated by commas%s"),
                             "");
        memcpy(one, p, n);
        one[n] = '\0';
        if (!hf_segment_parse(one, &seg))
            return svc__fail(err, HF_EINVAL, "segments", a,
                             N_("expected segments among strategic, enterprise, mid_market, "
                                "smb, separated by commas%s"),
                             "");
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int count_row(void *ctx, int ncols, const char *const *values)
{
    (void)ncols;
    (void)values;
    ++*(int64_t *)ctx;
    return 0;
}

/* Apply `in` to `u` (a new or loaded record), checking every value. */
static int apply_input(hf_svc *svc, const hf_actor *a, const hf_user_input *in, hf_user_rec *u,
                       bool *password_changed, hf_error *err)
{
    int64_t ws = SVC_WS(a);
    char low[256];
    if (in->email) {
        size_t n = strlen(in->email);
        const char *at = strchr(in->email, '@');
        if (n < 3 || n > 254 || !at || at == in->email || !at[1] || strchr(in->email, ' '))
            return svc__fail(err, HF_EINVAL, "email", a, N_("expected an e-mail address%s"), "");
        free(u->email);
        u->email = strdup(svc__lower(in->email, low, sizeof(low)));
    }
    if (in->name) {
        if (strlen(in->name) > 200)
            return svc__fail(err, HF_EINVAL, "name", a, N_("a name has at most 200 characters%s"),
                             "");
        free(u->name);
        u->name = strdup(in->name);
    }
    if (in->has_role)
        u->role = in->role;
    if (in->has_team) {
        if (in->team_id < 0)
            return svc__fail(err, HF_EINVAL, "team_id", a, N_("expected a team id or null%s"), "");
        if (in->team_id > 0) {
            char w[24], t[24];
            snprintf(w, sizeof(w), "%lld", (long long)ws);
            snprintf(t, sizeof(t), "%lld", (long long)in->team_id);
            const char *params[] = {w, t};
            int64_t found = 0;
            int rc =
                hf_store_query(svc->s, "SELECT 1 FROM teams WHERE workspace_id = ?1 AND id = ?2", 2,
                               params, count_row, &found, NULL, err);
            if (rc)
                return rc;
            if (!found)
                return svc__fail(err, HF_EINVAL, "team_id", a, N_("no team %s"), t);
        }
        u->team_id = in->team_id;
    }
    if (in->has_capacity) {
        if (in->capacity < 0 || in->capacity > 10000)
            return svc__fail(err, HF_EINVAL, "capacity", a,
                             N_("expected a number of accounts from 0 to 10000%s"), "");
        u->capacity = (int)in->capacity;
    }
    if (in->segments) {
        int rc = check_segments(in->segments, a, err);
        if (rc)
            return rc;
        free(u->segments);
        u->segments = *in->segments ? strdup(in->segments) : NULL;
    }
    if (in->lang) {
        hf_lang l;
        if (*in->lang && !hf_lang_parse(in->lang, &l))
            return svc__fail(err, HF_EINVAL, "lang", a, N_("expected en, pt-BR, es or id%s"), "");
        free(u->lang);
        u->lang = *in->lang ? strdup(hf_lang_code(l)) : NULL;
    }
    if (in->has_active)
        u->active = in->active;
    if (in->password) {
        size_t n = strlen(in->password);
        if (n < 10 || n > 1024)
            return svc__fail(err, HF_EINVAL, "password", a,
                             N_("a password has 10 to 1024 characters%s"), "");
        char hash[HF_HASH_MAX];
        int rc = svc->hooks.hash_password ? svc->hooks.hash_password(in->password, hash)
                                          : hf_password_hash(in->password, hash);
        if (rc)
            return svc__fail(err, HF_EBUSY, NULL, a, N_("busy: try again in a moment%s"), "");
        free(u->password_hash);
        u->password_hash = strdup(hash);
        *password_changed = true;
    }
    return 0;
}

int hf_svc_user_create(hf_svc *svc, const hf_actor *a, const hf_user_input *in, hf_time now,
                       hf_user_rec *out, hf_error *err)
{
    if (!is_admin(a))
        return svc__denied(err, a, N_("RevOps manages users"));
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    if (!in->email || !in->has_role)
        return svc__fail(err, HF_EINVAL, in->email ? "role" : "email", a,
                         N_("a user needs an e-mail address and a role%s"), "");
    hf_user_rec u;
    memset(&u, 0, sizeof(u));
    u.workspace_id = SVC_WS(a);
    u.active = true;
    u.created_at = now;
    bool pw = false;
    rc = apply_input(svc, a, in, &u, &pw, err);
    if (!rc && !u.name)
        u.name = strdup(u.email);
    if (!rc) {
        rc = hf_store_user_create(svc->s, &u, err);
        if (rc == HF_ECONFLICT)
            rc = svc__fail(err, HF_ECONFLICT, "email", a, N_("%s is a user already"), u.email);
    }
    if (!rc && out) {
        *out = u;
        return 0;
    }
    hf_user_rec_free(&u);
    return rc;
}

int hf_svc_user_update(hf_svc *svc, const hf_actor *a, int64_t id, const hf_user_input *in,
                       hf_user_rec *out, hf_error *err)
{
    bool self = !a->is_system && a->user_id == id;
    /* people change their own password and language; RevOps changes anything */
    bool self_only = in->password || in->lang || in->name;
    bool other = in->email || in->has_role || in->has_team || in->has_capacity || in->segments ||
                 in->has_active;
    if (!is_admin(a) && !(self && self_only && !other))
        return svc__denied(err, a, N_("RevOps manages users"));
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    hf_user_rec u;
    rc = hf_store_user_get(svc->s, SVC_WS(a), id, NULL, &u, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such user%s"), "");
    if (rc)
        return rc;
    bool was_active = u.active;
    hf_role was_role = u.role;
    bool pw = false;
    rc = apply_input(svc, a, in, &u, &pw, err);
    if (!rc) {
        rc = hf_store_user_update(svc->s, &u, err);
        if (rc == HF_ECONFLICT)
            rc = svc__fail(err, HF_ECONFLICT, "email", a, N_("%s is a user already"), u.email);
    }
    if (!rc && (pw || (was_active && !u.active) || was_role != u.role) &&
        svc->hooks.credentials_changed)
        svc->hooks.credentials_changed(SVC_WS(a), u.id);
    if (!rc && out) {
        *out = u;
        return 0;
    }
    hf_user_rec_free(&u);
    return rc;
}

int hf_svc_user_get(hf_svc *svc, const hf_actor *a, int64_t id, const char *email, hf_user_rec *out,
                    hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    rc = hf_store_user_get(svc->s, SVC_WS(a), id, id ? NULL : email, out, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such user%s"), "");
    return rc;
}

int hf_svc_user_list(hf_svc *svc, const hf_actor *a, hf_user_cb cb, void *ctx, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    return hf_store_user_list(svc->s, SVC_WS(a), cb, ctx, err);
}

int hf_svc_team_create(hf_svc *svc, const hf_actor *a, const char *name, const char *kind,
                       int64_t manager_id, int64_t *id, hf_error *err)
{
    if (!is_admin(a))
        return svc__denied(err, a, N_("RevOps manages teams"));
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    if (!name || !*name || strlen(name) > 200)
        return svc__fail(err, HF_EINVAL, "name", a,
                         N_("a team needs a name (200 characters at "
                            "most)%s"),
                         "");
    if (!kind || (strcmp(kind, "sales") != 0 && strcmp(kind, "cs") != 0))
        return svc__fail(err, HF_EINVAL, "kind", a, N_("expected sales or cs%s"), "");
    if (manager_id < 0)
        return svc__fail(err, HF_EINVAL, "manager_id", a, N_("expected a user id or null%s"), "");
    if (manager_id > 0) {
        hf_user_rec m;
        if (hf_store_user_get(svc->s, SVC_WS(a), manager_id, NULL, &m, err) != 0) {
            char t[24];
            snprintf(t, sizeof(t), "%lld", (long long)manager_id);
            return svc__fail(err, HF_EINVAL, "manager_id", a, N_("no user %s"), t);
        }
        hf_user_rec_free(&m);
    }
    hf_team_rec t = {0, SVC_WS(a), (char *)name, (char *)kind, manager_id};
    rc = hf_store_team_create(svc->s, &t, err);
    if (!rc && id)
        *id = t.id;
    return rc;
}

int hf_svc_team_list(hf_svc *svc, const hf_actor *a, hf_team_cb cb, void *ctx, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    return hf_store_team_list(svc->s, SVC_WS(a), cb, ctx, err);
}

int hf_svc_token_create(hf_svc *svc, const hf_actor *a, int64_t user_id, const char *name,
                        const char *scopes, hf_time now, char token[HF_TOKEN_MAX],
                        hf_token_rec *out, hf_error *err)
{
    if (a->via_token)
        return svc__denied(err, a,
                           N_("tokens are made from a signed-in session (or 'handoff token "
                              "create'), not by other tokens"));
    if (!user_id)
        user_id = a->user_id;
    if (user_id != a->user_id && !is_admin(a))
        return svc__denied(err, a, N_("you may make tokens for yourself only"));
    if (!user_id)
        return svc__fail(err, HF_EINVAL, "user", a, N_("a token belongs to a user%s"), "");
    unsigned bits;
    if (!name || !*name || strlen(name) > 100)
        return svc__fail(err, HF_EINVAL, "name", a,
                         N_("a token needs a name (100 characters at most)%s"), "");
    if (!hf_scopes_parse(scopes ? scopes : "read", &bits))
        return svc__fail(err, HF_EINVAL, "scopes", a,
                         N_("expected scopes among read, write and gate, separated by spaces%s"),
                         "");
    hf_user_rec u;
    int rc = hf_store_user_get(svc->s, SVC_WS(a), user_id, NULL, &u, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_EINVAL, "user", a, N_("no such user%s"), "");
    if (rc)
        return rc;
    bool active = u.active;
    hf_user_rec_free(&u);
    if (!active)
        return svc__fail(err, HF_EINVAL, "user", a, N_("the account %s is disabled"), "");
    hf_token_rec t;
    memset(&t, 0, sizeof(t));
    char prefix[HF_TOKEN_PREFIX_LEN + 1], hash[HF_HASH_MAX], sbuf[32];
    if (hf_token_generate(token, prefix, hash))
        return svc__fail(err, HF_EBUSY, NULL, a, N_("busy: try again in a moment%s"), "");
    t.workspace_id = SVC_WS(a);
    t.user_id = user_id;
    t.name = strdup(name);
    t.prefix = strdup(prefix);
    t.secret_hash = strdup(hash);
    t.scopes = strdup(hf_scopes_format(bits, sbuf));
    t.created_at = now;
    t.expires_at = HF_TIME_NONE;
    t.revoked_at = HF_TIME_NONE;
    rc = hf_store_token_create(svc->s, &t, err);
    if (!rc && out) {
        *out = t;
        return 0;
    }
    hf_token_rec_free(&t);
    return rc;
}

int hf_svc_token_list(hf_svc *svc, const hf_actor *a, hf_token_cb cb, void *ctx, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    return hf_store_token_list(svc->s, SVC_WS(a), is_admin(a) ? 0 : a->user_id, cb, ctx, err);
}

typedef struct own_ctx {
    int64_t id;
    bool found;
} own_ctx;

static int find_token(void *vctx, const hf_token_rec *t)
{
    own_ctx *c = vctx;
    if (t->id == c->id)
        c->found = true;
    return 0;
}

int hf_svc_token_revoke(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    own_ctx c = {id, false};
    rc = hf_store_token_list(svc->s, SVC_WS(a), is_admin(a) ? 0 : a->user_id, find_token, &c, err);
    if (rc)
        return rc;
    if (!c.found) {
        if (is_admin(a))
            return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such token%s"), "");
        return svc__denied(err, a, N_("you may revoke your own tokens only"));
    }
    rc = hf_store_token_revoke(svc->s, SVC_WS(a), id, now, err);
    if (!rc && svc->hooks.credentials_changed)
        svc->hooks.credentials_changed(SVC_WS(a), 0);
    return rc;
}

/* ---- the JSON forms ---- */

json_t *hf_svc_time_json(hf_time t)
{
    char buf[HF_TIME_BUFSZ];
    return t == HF_TIME_NONE || t == 0 ? json_null() : json_string(hf_time_format_utc(t, buf));
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A rounded decimal with one digit: 87.2, not 87.200000000000003 */
static json_t *tenths(int d)
{
    return json_real((double)d / 10.0);
}

json_t *hf_svc_handoff_json(const hf_handoff_rec *h, bool with_document)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "deal_id", h->deal_id ? json_integer(h->deal_id) : json_null());
    json_object_set_new(o, "status", json_string(hf_status_name(h->status)));
    json_object_set_new(o, "version", json_integer(h->version));
    json_object_set_new(o, "segment",
                        h->index.segment[0] ? json_string(h->index.segment) : json_null());
    json_object_set_new(o, "trigger",
                        h->index.trigger[0] ? json_string(h->index.trigger) : json_null());
    json_object_set_new(o, "company", str_or_null(h->index.company));
    json_object_set_new(o, "owner", str_or_null(h->index.owner));
    json_object_set_new(o, "owner_email", str_or_null(h->index.owner_email));
    json_object_set_new(o, "csm", str_or_null(h->index.csm));
    json_object_set_new(o, "csm_email", str_or_null(h->index.csm_email));
    json_object_set_new(o, "quality_total", json_integer(h->index.quality_total));
    json_object_set_new(
        o, "band",
        json_string(hf_band_names[h->index.band >= 0 && h->index.band < HF_BAND_COUNT
                                      ? h->index.band
                                      : HF_BAND_COUNT - 1]));
    json_object_set_new(o, "completeness", tenths(h->index.completeness_d));
    json_object_set_new(o, "ready", json_boolean(h->index.ready));
    json_object_set_new(o, "t0", hf_svc_time_json(h->index.t0));
    json_object_set_new(o, "next_due",
                        hf_status_is_final(h->status) ? json_null()
                                                      : hf_svc_time_json(h->index.next_due));
    json_object_set_new(o, "protocol", json_string(h->index.protocol_version));
    json_object_set_new(o, "created_at", hf_svc_time_json(h->created_at));
    json_object_set_new(o, "updated_at", hf_svc_time_json(h->updated_at));
    if (with_document && h->document) {
        json_t *doc = hf_json_loadb(h->document, strlen(h->document), 0, NULL);
        json_object_set_new(o, "document", doc ? doc : json_null());
    }
    return o;
}

json_t *hf_svc_deal_json(const hf_deal_rec *d)
{
    char buf[HF_TIME_BUFSZ];
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:b}", "id", (json_int_t)d->id, "crm_source", d->crm_source,
        "crm_id", d->crm_id, "name", str_or_null(d->name), "account", str_or_null(d->account),
        "owner", str_or_null(d->owner), "stage", str_or_null(d->stage), "is_won", d->is_won);
    json_object_set_new(o, "amount", d->has_amount ? json_real(d->amount) : json_null());
    json_object_set_new(o, "currency", str_or_null(d->currency));
    json_object_set_new(o, "close_date",
                        d->has_close_date ? json_string(hf_date_format(d->close_day, buf))
                                          : json_null());
    return o;
}

json_t *hf_svc_user_json(const hf_user_rec *u)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:i,s:o,s:o,s:b}", "id", (json_int_t)u->id, "email",
                     u->email, "name", u->name ? u->name : u->email, "role", hf_role_name(u->role),
                     "team_id", u->team_id ? json_integer(u->team_id) : json_null(), "capacity",
                     u->capacity, "segments", str_or_null(u->segments), "lang",
                     str_or_null(u->lang), "active", u->active);
}

json_t *hf_svc_team_json(const hf_team_rec *t)
{
    return json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)t->id, "name", t->name, "kind", t->kind,
                     "manager_id", t->manager_id ? json_integer(t->manager_id) : json_null());
}

json_t *hf_svc_token_json(const hf_token_rec *t)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)t->id, "user_id",
                     (json_int_t)t->user_id, "name", t->name, "prefix", t->prefix, "scopes",
                     t->scopes, "created_at", hf_svc_time_json(t->created_at), "expires_at",
                     hf_svc_time_json(t->expires_at), "revoked_at",
                     hf_svc_time_json(t->revoked_at));
}

json_t *hf_svc_actor_json(const hf_actor *a)
{
    char buf[32];
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:b,s:s,s:s}", "id", (json_int_t)a->user_id, "email",
                     a->email, "name", a->name, "role", hf_role_name(a->role), "team_id",
                     a->team_id ? json_integer(a->team_id) : json_null(), "via_token", a->via_token,
                     "scopes", hf_scopes_format(a->scopes, buf), "lang", hf_lang_code(a->lang));
}
