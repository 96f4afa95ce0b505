/* The service object, actors, authorization, errors in the actor's language, and protocol
 * versions with pinning: the pieces every operation of the service layer shares (see
 * service.h for the design). */
#include "service/svc_int.h"

#include "handoff/document.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- scopes ---- */

static const char *const scope_names[] = {"read", "write", "gate"};

bool hf_scopes_parse(const char *text, unsigned *out)
{
    unsigned bits = 0;
    if (!text || strlen(text) > 64)
        return false;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " ");
        int k = -1;
        for (int i = 0; i < 3; i++)
            if (strlen(scope_names[i]) == n && strncmp(p, scope_names[i], n) == 0)
                k = i;
        if (k < 0 || (bits & (1u << k)))
            return false;
        bits |= 1u << k;
        p += n;
    }
    if (!bits)
        return false;
    *out = bits;
    return true;
}

const char *hf_scopes_format(unsigned scopes, char buf[32])
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < 3; i++)
        if (scopes & (1u << i))
            n += (size_t)snprintf(buf + n, 32 - n, "%s%s", n ? " " : "", scope_names[i]);
    return buf;
}

/* ---- the service object ---- */

int hf_svc_open(hf_store *store, const hf_svc_hooks *hooks, hf_svc **out, hf_error *err)
{
    hf_svc *svc = calloc(1, sizeof(*svc));
    if (!svc)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    svc->s = store;
    if (hooks)
        svc->hooks = *hooks;
    hf_protocol_default(&svc->cache[0].p);
    snprintf(svc->cache[0].version, sizeof(svc->cache[0].version), "%s", svc->cache[0].p.version);
    svc->cached = 1;
    *out = svc;
    return 0;
}

void hf_svc_close(hf_svc *svc)
{
    if (!svc)
        return;
    for (int i = 0; i < svc->cached; i++)
        hf_protocol_free(&svc->cache[i].p);
    free(svc);
}

hf_store *hf_svc_store(hf_svc *svc)
{
    return svc->s;
}

int svc__begin(hf_svc *svc, hf_error *err)
{
    return hf_store_begin(svc->s, err);
}

int svc__end(hf_svc *svc, int rc, hf_error *err)
{
    if (rc) {
        hf_store_rollback(svc->s);
        return rc;
    }
    return hf_store_commit(svc->s, err);
}

int svc__apply(hf_svc *svc, svc_apply_fn fn, void *ctx, hf_error *err)
{
    if (svc->hooks.commit_apply && !hf_store_in_transaction(svc->s))
        return svc->hooks.commit_apply(fn, ctx, err);
    int rc = svc__begin(svc, err);
    if (rc)
        return rc;
    return svc__end(svc, fn(svc, ctx, err), err);
}

/* ---- actors ---- */

const char *svc__lower(const char *s, char *buf, size_t cap)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < cap; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[i] = '\0';
    return buf;
}

void hf_actor_system(hf_actor *a, int64_t ws, const char *label, hf_lang lang)
{
    memset(a, 0, sizeof(*a));
    a->workspace_id = ws ? ws : 1;
    a->role = HF_ROLE_REVOPS;
    a->is_system = true;
    a->scopes = HF_SCOPE_ALL;
    a->lang = lang;
    snprintf(a->email, sizeof(a->email), "%s", label && *label ? label : "system");
    snprintf(a->name, sizeof(a->name), "%s", a->email);
}

int hf_svc_actor_for_user(hf_svc *svc, int64_t ws, int64_t user_id, const char *email,
                          hf_lang fallback_lang, hf_actor *a, hf_error *err)
{
    hf_user_rec u;
    memset(a, 0, sizeof(*a));
    int rc = hf_store_user_get(svc->s, ws ? ws : 1, user_id, user_id ? NULL : email, &u, err);
    if (rc == HF_ENOTFOUND)
        return hf_error_setf_id(err, HF_ENOTFOUND, "user", N_("no user %s"), email ? email : "");
    if (rc)
        return rc;
    if (!u.active) {
        hf_user_rec_free(&u);
        return hf_error_setf_id(err, HF_EPERM, "user", N_("the account %s is disabled"),
                                email ? email : "");
    }
    a->workspace_id = u.workspace_id;
    a->user_id = u.id;
    a->role = u.role;
    a->team_id = u.team_id;
    a->scopes = HF_SCOPE_ALL;
    a->lang = fallback_lang;
    if (u.lang)
        hf_lang_parse(u.lang, &a->lang);
    svc__lower(u.email, a->email, sizeof(a->email));
    snprintf(a->name, sizeof(a->name), "%s", u.name ? u.name : u.email);
    hf_user_rec_free(&u);
    return 0;
}

/* ---- errors ---- */

const char *hf_svc_error_text(hf_lang lang, const hf_error *err, char *buf, size_t cap)
{
    if (err->msgid) {
        /* the msgid is a format with at most one %s (error.h) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(buf, cap, hf_tr(lang, err->msgid), err->arg);
#pragma GCC diagnostic pop
    } else {
        snprintf(buf, cap, "%s", err->msg);
    }
    return buf;
}

int svc__fail(hf_error *err, int rc, const char *path, const hf_actor *a, const char *msgid,
              const char *arg)
{
    hf_error_setf_id(err, rc, path, msgid, arg);
    if (err && a && a->lang != HF_LANG_EN) {
        char text[HF_ERROR_MSG_MAX];
        hf_svc_error_text(a->lang, err, text, sizeof(text));
        snprintf(err->msg, sizeof(err->msg), "%s", text);
    }
    return rc;
}

int svc__denied(hf_error *err, const hf_actor *a, const char *msgid)
{
    return svc__fail(err, HF_EPERM, NULL, a, msgid, NULL);
}

int svc__need_scope(const hf_actor *a, unsigned scope, hf_error *err)
{
    if (!a->via_token || (a->scopes & scope))
        return 0;
    char buf[32];
    return svc__fail(err, HF_EPERM, NULL, a, N_("the token needs the %s scope"),
                     hf_scopes_format(scope, buf));
}

/* ---- authorization ---- */

bool svc__same_email(const char *x, const char *y)
{
    return x && y && *x && strcasecmp(x, y) == 0;
}

int64_t svc__team_of(hf_svc *svc, int64_t ws, const char *email)
{
    if (!email || !*email)
        return 0;
    hf_user_rec u;
    hf_error err;
    if (hf_store_user_get(svc->s, ws, 0, email, &u, &err))
        return 0;
    int64_t t = u.team_id;
    hf_user_rec_free(&u);
    return t;
}

bool hf_svc_may(hf_svc *svc, const hf_actor *a, hf_action what, const hf_handoff_rec *h)
{
    if (what == HF_ACTION_READ)
        return !a->via_token || (a->scopes & HF_SCOPE_READ);
    if (a->via_token && !(a->scopes & HF_SCOPE_WRITE))
        return false;
    if (a->is_system || a->role == HF_ROLE_REVOPS)
        return true;
    int64_t ws = SVC_WS(a);
    bool own_deal = svc__same_email(a->email, h->index.owner_email);
    bool own_csm = svc__same_email(a->email, h->index.csm_email);
    bool unassigned = !h->index.csm_email || !*h->index.csm_email;
    switch (a->role) {
    case HF_ROLE_ACCOUNT_EXECUTIVE:
        return own_deal && (what == HF_ACTION_EDIT || what == HF_ACTION_SALES);
    case HF_ROLE_SALES_MANAGER:
        return (what == HF_ACTION_EDIT || what == HF_ACTION_SALES) &&
               (own_deal ||
                (a->team_id && svc__team_of(svc, ws, h->index.owner_email) == a->team_id));
    case HF_ROLE_CSM:
        return own_csm && (what == HF_ACTION_EDIT || what == HF_ACTION_COMPLETE);
    case HF_ROLE_CS_MANAGER:
        if (what == HF_ACTION_SALES || what == HF_ACTION_REPIN)
            return false;
        /* a handoff without a CSM yet is any CS manager's to staff and review */
        return unassigned || own_csm ||
               (a->team_id && svc__team_of(svc, ws, h->index.csm_email) == a->team_id);
    default:
        return false;
    }
}

unsigned hf_svc_transitions_allowed(hf_svc *svc, const hf_actor *a, const hf_handoff_rec *h)
{
    hf_transition_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.has_reason = true;
    ctx.is_pre_close = strcmp(h->index.trigger, "verbal_commit") == 0;
    ctx.pre_close_approved = true;
    ctx.meeting_held_before = true;
    ctx.kickoff_held = true;
    unsigned bits = hf_lifecycle_allowed(h->status, &ctx), out = 0;
    for (int st = 0; st < HF_STATUS_COUNT; st++) {
        if (!(bits & HF_STATUS_BIT(st)))
            continue;
        hf_action need = hf_status_is_decision((hf_status)st) ? HF_ACTION_REVIEW
                         : st == HF_STATUS_COMPLETED          ? HF_ACTION_COMPLETE
                                                              : HF_ACTION_SALES;
        if (hf_svc_may(svc, a, need, h))
            out |= HF_STATUS_BIT(st);
    }
    return out;
}

/* ---- protocol versions ---- */

int svc__protocol(hf_svc *svc, int64_t ws, const char *version, const hf_protocol **out,
                  hf_error *err)
{
    if (!version || !*version) {
        *out = &svc->cache[0].p;
        return 0;
    }
    for (int i = 0; i < svc->cached; i++)
        if (strcmp(svc->cache[i].version, version) == 0) {
            *out = &svc->cache[i].p;
            return 0;
        }
    hf_protocol_rec rec;
    int rc = hf_store_protocol_get(svc->s, ws, version, &rec, err);
    if (rc)
        return rc;
    svc_protocol slot;
    memset(&slot, 0, sizeof(slot));
    rc = hf_protocol_parse(rec.body, strlen(rec.body), &slot.p, err);
    hf_protocol_rec_free(&rec);
    if (rc)
        return rc;
    snprintf(slot.version, sizeof(slot.version), "%s", version);
    if (svc->cached == SVC_PROTOCOL_CACHE) {
        /* keep the built-in default; the others are read again when needed */
        for (int i = 1; i < svc->cached; i++)
            hf_protocol_free(&svc->cache[i].p);
        svc->cached = 1;
    }
    svc->cache[svc->cached] = slot;
    *out = &svc->cache[svc->cached++].p;
    return 0;
}

int svc__pinned(hf_svc *svc, int64_t ws, int64_t id, const json_t *doc, hf_time created_at,
                const hf_protocol **out, hf_error *err)
{
    char version[HF_PROTOCOL_VERSION_MAX] = "";
    int rc;
    if (id) {
        rc = hf_store_protocol_pin_get(svc->s, ws, id, version, sizeof(version), err);
        if (rc)
            return rc;
        if (version[0])
            return svc__protocol(svc, ws, version, out, err);
    }
    hf_time t0;
    if (!hf_value_time(hf_doc_get(doc, "deal.contract_signed_at"), &t0) &&
        !hf_value_time(hf_doc_get(doc, "deal.verbal_commit_at"), &t0))
        t0 = created_at;
    int64_t day = hf_time_day(t0);
    hf_error e2;
    rc = hf_store_protocol_in_force(svc->s, ws, day, version, sizeof(version), &e2);
    if (rc == HF_ENOTFOUND)
        version[0] = '\0';
    else if (rc)
        return hf_error_set(err, rc, NULL, "%s", e2.msg);
    return svc__protocol(svc, ws, version, out, err);
}

int hf_svc_protocol_get(hf_svc *svc, const char *version, hf_time now, const hf_protocol **out,
                        hf_error *err)
{
    if (version && *version)
        return svc__protocol(svc, 1, version, out, err);
    json_t *none = json_object();
    int rc = svc__pinned(svc, 1, 0, none, now, out, err);
    json_decref(none);
    return rc;
}

int hf_svc_protocol_install(hf_svc *svc, const hf_actor *a, const char *text, size_t len,
                            bool same_ok, hf_time now, hf_protocol_rec *out, hf_error *err)
{
    if (!a->is_system && a->role != HF_ROLE_REVOPS)
        return svc__denied(err, a, N_("RevOps installs protocol versions"));
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    hf_protocol p;
    rc = hf_protocol_parse(text, len, &p, err);
    if (rc)
        return rc;
    hf_protocol_rec rec;
    memset(&rec, 0, sizeof(rec));
    json_t *json = hf_json_loadb(text, len, 0, NULL);
    bool has_version = json && json_is_string(json_object_get(json, "version"));
    json_decref(json);
    if (!has_version) {
        hf_protocol_free(&p);
        return svc__fail(err, HF_EINVAL, "version", a,
                         N_("an installed protocol names its version"), NULL);
    }
    if (strcmp(p.version, svc->cache[0].version) == 0) {
        hf_protocol_free(&p);
        return svc__fail(err, HF_ECONFLICT, "version", a,
                         N_("%s is the built-in protocol version: choose another version"),
                         svc->cache[0].version);
    }
    int64_t ws = SVC_WS(a);
    rec.version = strdup(p.version);
    rec.effective_day = p.has_effective ? p.effective : hf_time_day(now);
    rec.body = strndup(text, len);
    rec.installed_by = strdup(a->email);
    rec.installed_at = now;
    hf_protocol_free(&p);
    rc = svc__begin(svc, err);
    if (rc)
        goto out;
    hf_protocol_rec old;
    hf_error e2;
    if (hf_store_protocol_get(svc->s, ws, rec.version, &old, &e2) == 0) {
        bool same = strcmp(old.body, rec.body) == 0;
        hf_protocol_rec_free(&old);
        if (same && same_ok) {
            rc = svc__end(svc, 0, err);
            goto out;
        }
        rc = svc__fail(err, HF_ECONFLICT, "version", a,
                       N_("protocol version %s is installed already: a stored version never "
                          "changes, install a new version instead"),
                       rec.version);
    } else {
        rc = hf_store_protocol_install(svc->s, ws, &rec, err);
    }
    rc = svc__end(svc, rc, err);
out:
    if (!rc && out) {
        *out = rec;
        memset(&rec, 0, sizeof(rec));
    }
    hf_protocol_rec_free(&rec);
    return rc;
}

typedef struct plist_ctx {
    json_t *items;
    int64_t builtin_count;
} plist_ctx;

static int plist_row(void *vctx, const hf_protocol_rec *r)
{
    plist_ctx *c = vctx;
    char buf[HF_TIME_BUFSZ];
    json_array_append_new(c->items, json_pack("{s:s,s:s,s:o,s:s,s:I,s:b}", "version", r->version,
                                              "effective", hf_date_format(r->effective_day, buf),
                                              "installed_at", hf_svc_time_json(r->installed_at),
                                              "installed_by", r->installed_by, "handoffs",
                                              (json_int_t)r->handoffs, "builtin", 0));
    return 0;
}

/* Every handoff of the workspace: the built-in version governs those that no installed
 * version does. */
static int count_all(hf_svc *svc, int64_t ws, int64_t *n, hf_error *err)
{
    return hf_store_handoff_count(svc->s, ws, NULL, n, err);
}

int hf_svc_protocol_list(hf_svc *svc, const hf_actor *a, json_t **out, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    int64_t ws = SVC_WS(a);
    plist_ctx c = {json_array(), 0};
    rc = hf_store_protocol_list(svc->s, ws, plist_row, &c, err);
    int64_t all = 0;
    if (!rc)
        rc = count_all(svc, ws, &all, err);
    if (rc) {
        json_decref(c.items);
        return rc;
    }
    int64_t governed = 0;
    size_t i;
    json_t *it;
    json_array_foreach(c.items, i, it) governed +=
        json_integer_value(json_object_get(it, "handoffs"));
    json_array_insert_new(c.items, 0,
                          json_pack("{s:s,s:n,s:n,s:s,s:I,s:b}", "version", svc->cache[0].version,
                                    "effective", "installed_at", "installed_by", "built-in",
                                    "handoffs", (json_int_t)(all - governed), "builtin", 1));
    *out = json_pack("{s:o}", "items", c.items);
    return 0;
}
