/* The JSON API of handoffd under /api/v1: the route table, authentication before the
 * handler, and the helpers every handler shares to read a request and answer it. The
 * handlers live by resource in api_handoffs.c, api_people.c and api_misc.c; every rule
 * they apply is the service layer's (include/handoff/service.h). Errors are RFC 9457
 * problem documents in the request's language (?lang=, else the user's saved language,
 * else Accept-Language), with Content-Language on every answer. */
#include "server/api.h"

#include "server/parse.h"

#include "handoff/document.h"
#include "handoff/id.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- the request's actor ---- */

void api_actor(const hf_req *req, hf_actor *a)
{
    const hf_principal *w = &req->who;
    memset(a, 0, sizeof(*a));
    a->workspace_id = w->workspace_id ? w->workspace_id : 1;
    a->user_id = w->user_id;
    a->role = w->role;
    a->team_id = w->team_id;
    a->via_token = w->via_token;
    a->scopes = HF_SCOPE_ALL;
    if (w->via_token && !hf_scopes_parse(w->scopes, &a->scopes))
        a->scopes = 0;
    a->lang = req->lang;
    snprintf(a->email, sizeof(a->email), "%s", w->email);
    snprintf(a->name, sizeof(a->name), "%s", w->name);
}

hf_time api_clock(void)
{
    return hf_clock_now();
}

/* ---- errors ---- */

int api_fail(hf_resp *resp, const hf_req *req, const hf_error *err)
{
    int status;
    const char *title;
    switch (err->rc) {
    case HF_EINVAL:
        status = 422, title = N_("Unprocessable Content");
        break;
    case HF_EUSAGE:
        status = 400, title = N_("Bad Request");
        break;
    case HF_EPERM:
        status = 403, title = N_("Forbidden");
        break;
    case HF_ENOTFOUND:
        status = 404, title = N_("Not Found");
        break;
    case HF_ECONFLICT:
    case HF_ESTATE:
    case HF_EBLOCKED:
        status = 409, title = N_("Conflict");
        break;
    case HF_ESTALE:
        status = 412, title = N_("Precondition Failed");
        break;
    default:
        status = 503, title = N_("Service Unavailable");
    }
    char detail[HF_ERROR_MSG_MAX];
    hf_svc_error_text(req->lang, err, detail, sizeof(detail));
    if (status == 503 && err->rc != HF_EBUSY)
        snprintf(detail, sizeof(detail), "%s",
                 hf_tr(req->lang, N_("the database is not "
                                     "reachable; try again")));
    hf_resp_problem(resp, status, title, detail, err->path);
    if (status == 503)
        resp->retry_after = 1;
    if (err->rc == HF_EBLOCKED && resp->body) {
        /* the blockers by id, for clients that link each to what fixes it */
        json_t *p = json_loadb(resp->body, resp->len, 0, NULL);
        json_t *ids = json_array();
        for (const char *s = err->arg; p && *s;) {
            size_t n = strcspn(s, ",");
            json_array_append_new(ids, json_stringn(s, n));
            s += n;
            if (*s == ',')
                s++;
        }
        if (p) {
            json_object_set_new(p, "blockers", ids);
            free(resp->body);
            resp->body = NULL;
            hf_resp_json(resp, status, p);
            resp->content_type = "application/problem+json";
        } else {
            json_decref(ids);
        }
    }
    return 0;
}

/* ---- reading the request ---- */

json_t *api_body(const hf_req *req, hf_resp *resp, bool merge_patch_ok)
{
    const char *ct = hf_req_header(req, "Content-Type");
    bool json_ct = hf_media_type_is(ct, "application/json") ||
                   (merge_patch_ok && hf_media_type_is(ct, "application/merge-patch+json"));
    if (!json_ct) {
        hf_resp_problem(resp, 415, N_("Unsupported Media Type"),
                        merge_patch_ok ? N_("send application/merge-patch+json or application/json")
                                       : N_("send application/json"),
                        NULL);
        return NULL;
    }
    json_error_t je;
    json_t *j = hf_json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        char detail[300];
        snprintf(detail, sizeof(detail), hf_tr(req->lang, "invalid JSON at line %d, column %d: %s"),
                 je.line, je.column, je.text);
        hf_resp_problem(resp, 400, N_("Bad Request"), detail, "body");
    }
    return j;
}

bool api_now(const hf_req *req, hf_resp *resp, hf_time *now)
{
    const char *q = hf_req_query(req, "now");
    if (!q) {
        *now = api_clock();
        return true;
    }
    if (hf_time_parse_rfc3339(q, strlen(q), now))
        return true;
    hf_resp_problem(resp, 400, N_("Bad Request"),
                    N_("now: expected an RFC 3339 timestamp with an offset"), "now");
    return false;
}

bool api_id(const hf_req *req, hf_resp *resp, int i, int64_t *id, const char *what)
{
    if (i < req->nparams && hf_id_parse(req->params[i], id))
        return true;
    hf_resp_problem(resp, 404, N_("Not Found"), what, NULL);
    return false;
}

bool api_query_number(const hf_req *req, hf_resp *resp, const char *name, int64_t max, int64_t *out)
{
    const char *v = hf_req_query(req, name);
    int64_t n;
    if (!v)
        return true;
    if (hf_id_parse(v, &n) && n <= max) {
        *out = n;
        return true;
    }
    char detail[128];
    snprintf(detail, sizeof(detail), hf_tr(req->lang, "%s: expected a number from 1 to %lld"), name,
             (long long)max);
    hf_resp_problem(resp, 400, N_("Bad Request"), detail, name);
    return false;
}

const char *api_string(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- answering ---- */

int api_handoff(hf_resp *resp, int status, const hf_handoff_rec *h, bool with_document)
{
    snprintf(resp->etag, sizeof(resp->etag), "\"%d\"", h->version);
    json_t *rec = hf_svc_handoff_json(h, false);
    if (!with_document || !h->document)
        return hf_resp_json(resp, status, rec);
    /* the stored text is compact JSON (jansson's text): splice it in without parsing and
     * re-serializing it (which was half the cost of a read) */
    char *head = hf_json_dumps_compact(rec, 15);
    json_decref(rec);
    size_t hl = head ? strlen(head) : 0, dl = strlen(h->document);
    char *body = head ? malloc(hl + dl + 16) : NULL;
    if (!body) {
        free(head);
        return hf_resp_problem(resp, 503, N_("Service Unavailable"), N_("out of memory"), NULL);
    }
    memcpy(body, head, hl - 1); /* without the closing brace */
    size_t n = hl - 1;
    memcpy(body + n, ",\"document\":", 12);
    n += 12;
    memcpy(body + n, h->document, dl);
    n += dl;
    body[n++] = '}';
    body[n] = '\0';
    free(head);
    resp->status = status;
    resp->content_type = "application/json";
    resp->body = body;
    resp->len = n;
    return 0;
}

int api_page(hf_resp *resp, json_t *items, int64_t limit)
{
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        char cur[32];
        snprintf(cur, sizeof(cur), "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(items, (size_t)limit - 1), "id")));
        next = json_string(cur);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
}

/* ---- routing ---- */

typedef struct route {
    const char *method;
    const char *pattern; /* `{}` matches one path segment */
    hf_handler fn;
    bool anonymous;
    bool grouped; /* a write whose whole handler joins the group commit (no password hashing
                   * in it); creations and document writes send only their apply step there,
                   * through the service (hf_group_apply) */
} route;

static int h_login(hf_req *req, hf_resp *resp)
{
    return hf_auth_login(req, resp);
}

static int h_logout(hf_req *req, hf_resp *resp)
{
    return hf_auth_logout(req, resp);
}

static const route routes[] = {
    {"GET", "/healthz", api_health, true, false},
    {"GET", "/readyz", api_ready, true, false},
    {"GET", "/metrics", api_metrics, true, false},
    {"GET", "/api/v1/openapi.json", api_openapi, true, false},
    {"POST", "/api/v1/session", h_login, true, false},
    {"DELETE", "/api/v1/session", h_logout, true, false},
    {"GET", "/api/v1/me", api_me, false, false},
    {"GET", "/api/v1/protocol", api_protocol, false, false},
    {"GET", "/api/v1/protocols", api_protocols_list, false, false},
    {"POST", "/api/v1/protocols", api_protocols_install, false, true},
    {"POST", "/api/v1/evaluate", api_evaluate, false, false},
    {"GET", "/api/v1/gate/{}", api_gate, false, false},
    {"GET", "/api/v1/deals", api_deals_list, false, false},
    {"GET", "/api/v1/deals/{}", api_deal_get, false, false},
    {"GET", "/api/v1/handoffs", api_handoffs_list, false, false},
    {"POST", "/api/v1/handoffs", api_handoff_create, false, false},
    {"GET", "/api/v1/handoffs/{}", api_handoff_get, false, false},
    {"PUT", "/api/v1/handoffs/{}/document", api_document_put, false, false},
    {"PATCH", "/api/v1/handoffs/{}/document", api_document_patch, false, false},
    {"PUT", "/api/v1/handoffs/{}/meeting", api_meeting_put, false, false},
    {"GET", "/api/v1/handoffs/{}/evaluation", api_evaluation, false, false},
    {"POST", "/api/v1/handoffs/{}/transitions", api_transition, false, true},
    {"POST", "/api/v1/handoffs/{}/review", api_review, false, true},
    {"POST", "/api/v1/handoffs/{}/pre-close-approval", api_pre_close_approval, false, true},
    {"POST", "/api/v1/handoffs/{}/assignment", api_assignment, false, true},
    {"PUT", "/api/v1/handoffs/{}/protocol", api_repin, false, true},
    {"GET", "/api/v1/handoffs/{}/history", api_history, false, false},
    {"GET", "/api/v1/handoffs/{}/versions/{}", api_version, false, false},
    {"GET", "/api/v1/handoffs/{}/diff", api_diff, false, false},
    {"GET", "/api/v1/handoffs/{}/checklists", api_checklists, false, false},
    {"PUT", "/api/v1/handoffs/{}/checklists/{}", api_checklist_tick, false, true},
    {"GET", "/api/v1/users", api_users_list, false, false},
    {"POST", "/api/v1/users", api_users_create, false, false},
    {"GET", "/api/v1/users/{}", api_user_get, false, false},
    {"PATCH", "/api/v1/users/{}", api_users_patch, false, false},
    {"GET", "/api/v1/teams", api_teams_list, false, false},
    {"POST", "/api/v1/teams", api_teams_create, false, true},
    {"GET", "/api/v1/csms", api_csms, false, false},
    {"GET", "/api/v1/tokens", api_tokens_list, false, false},
    {"POST", "/api/v1/tokens", api_tokens_create, false, false},
    {"DELETE", "/api/v1/tokens/{}", api_tokens_revoke, false, true},
    /* the deliveries before /integrations/{}: the first route that matches wins */
    {"GET", "/api/v1/integrations/events", api_hook_events_list, false, false},
    {"GET", "/api/v1/integrations/events/{}", api_hook_event_get, false, false},
    {"POST", "/api/v1/integrations/events/{}/replay", api_hook_event_replay, false, false},
    {"GET", "/api/v1/integrations", api_integrations_list, false, false},
    {"POST", "/api/v1/integrations", api_integrations_create, false, false},
    {"GET", "/api/v1/integrations/{}", api_integration_get, false, false},
    {"PATCH", "/api/v1/integrations/{}", api_integration_patch, false, false},
    {"DELETE", "/api/v1/integrations/{}", api_integration_delete, false, false},
    /* webhooks: authenticated by their signature, in the service */
    {"POST", "/hooks/{}/{}", hf_hooks_handle, true, false},
};

/* What a route needs, as the OpenAPI document states it: anonymous; read (signed in, and a
 * token needs the read scope); write (a token needs the write scope). The service checks
 * the scopes; this says which operations change data, for the document's test. */
static const char *access_of(const route *r)
{
    if (r->anonymous)
        return "anon";
    if (strcmp(r->method, "GET") == 0 || strcmp(r->pattern, "/api/v1/evaluate") == 0)
        return "read";
    return "write";
}

void hf_api_routes(FILE *out)
{
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        fprintf(out, "%s %s %s\n", routes[i].method, routes[i].pattern, access_of(&routes[i]));
}

static bool match(const char *pattern, const char *path, hf_req *req)
{
    if (!req)
        return hf_route_match(pattern, path, NULL, NULL);
    if (!hf_route_match(pattern, path, req->param_buf, &req->nparams))
        return false;
    for (int k = 0; k < req->nparams; k++)
        req->params[k] = req->param_buf[k];
    return true;
}

void hf_api_handle(hf_req *req, hf_resp *resp)
{
    const route *found = NULL;
    char allow[128] = "";
    size_t allow_len = 0;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        if (!match(routes[i].pattern, req->path, NULL))
            continue;
        if (allow_len < sizeof(allow))
            allow_len += (size_t)snprintf(allow + allow_len, sizeof(allow) - allow_len, "%s%s",
                                          allow_len ? ", " : "", routes[i].method);
        if (strcmp(routes[i].method, req->method) == 0 ||
            (strcmp(req->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
            match(routes[i].pattern, req->path, req);
            found = &routes[i];
            break;
        }
    }
    if (!found) {
        if (allow_len) {
            static __thread char allow_tls[128];
            memcpy(allow_tls, allow, sizeof(allow_tls));
            resp->allow = allow_tls;
            hf_resp_problem(resp, 405, N_("Method Not Allowed"), N_("see the Allow header"), NULL);
        } else {
            hf_resp_problem(resp, 404, N_("Not Found"), N_("no such resource"), NULL);
        }
        return;
    }
    req->route = found->pattern;
    if (!found->anonymous || strcmp(found->pattern, "/metrics") == 0) {
        bool metrics = strcmp(found->pattern, "/metrics") == 0;
        hf_resp probe;
        memset(&probe, 0, sizeof(probe));
        probe.lang = resp->lang;
        if (hf_auth_identify(req, metrics ? &probe : resp) != 0) {
            free(probe.body);
            if (!metrics)
                return;
        }
        /* the user's saved language, unless ?lang= chose one */
        hf_lang saved;
        if (req->who.authenticated && !req->lang_from_query && req->who.lang[0] &&
            hf_lang_parse(req->who.lang, &saved)) {
            req->lang = saved;
            resp->lang = saved;
        }
    }
    if (!found->anonymous && !hf_server_service()) {
        hf_resp_problem(resp, 503, N_("Service Unavailable"), N_("the database is not reachable"),
                        NULL);
        return;
    }
    if (found->grouped && hf_group_enabled())
        hf_group_run(found->fn, req, resp);
    else
        found->fn(req, resp);
}
