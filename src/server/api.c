/* The JSON API of handoffd under /api/v1: routing, authorization by role and ownership,
 * and the handlers. Handlers are thin: every rule lives in libhandoff (handoffs.h,
 * evaluate.h, lifecycle.h); this file maps HTTP onto it and answers errors as RFC 9457
 * problem documents. The authorization matrix is written down in docs/api.md and walked
 * cell by cell by tests/integration/test_api.sh. */
#include "server/server.h"

#include "server/parse.h"

#include "handoff/document.h"
#include "handoff/handoffs.h"
#include "handoff/jsondiff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

extern const char hf_openapi_json[];

#define WORKSPACE_OF(req) ((req)->who.workspace_id ? (req)->who.workspace_id : 1)

/* ---- helpers ---- */

/* ?now=RFC3339 (evaluate as of that instant), else the clock. *ok is false for an
 * unparsable value, which the caller answers with 400. */
static hf_time now_param_ok(const hf_req *req, bool *ok)
{
    const char *q = hf_req_query(req, "now");
    hf_time t;
    *ok = true;
    if (!q)
        return (hf_time)time(NULL);
    if (hf_time_parse_rfc3339(q, strlen(q), &t))
        return t;
    *ok = false;
    return 0;
}

#define NOW_OR_400(req, resp, var)                                                                 \
    bool var##_ok;                                                                                 \
    hf_time var = now_param_ok(req, &var##_ok);                                                    \
    if (!var##_ok)                                                                                 \
        return hf_resp_problem(resp, 400, "Bad Request",                                           \
                               "now: expected an RFC 3339 timestamp with an offset", "now");

static bool parse_int64(const char *s, int64_t *out)
{
    char *end;
    if (!s || !*s)
        return false;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

static int store_problem(hf_resp *resp, const hf_error *err)
{
    switch (err->rc) {
    case HF_ENOTFOUND:
        return hf_resp_problem(resp, 404, "Not Found", err->msg, NULL);
    case HF_ECONFLICT:
        return hf_resp_problem(resp, 409, "Conflict", err->msg, err->path);
    case HF_ESTATE:
        return hf_resp_problem(resp, 409, "Conflict", err->msg, err->path);
    case HF_EINVAL:
        return hf_resp_problem(resp, 422, "Unprocessable Content", err->msg, err->path);
    case HF_EUSAGE:
        return hf_resp_problem(resp, 400, "Bad Request", err->msg, err->path);
    case HF_EPERM:
        return hf_resp_problem(resp, 403, "Forbidden", err->msg, NULL);
    default:
        return hf_resp_problem(resp, 503, "Service Unavailable", err->msg, NULL);
    }
}

/* Parse the JSON body; answers 415 or 400 itself and returns NULL. */
static json_t *json_body(const hf_req *req, hf_resp *resp, bool merge_patch_ok)
{
    const char *ct = hf_req_header(req, "Content-Type");
    bool json_ct =
        ct && (strncasecmp(ct, "application/json", 16) == 0 ||
               (merge_patch_ok && strncasecmp(ct, "application/merge-patch+json", 28) == 0));
    if (!json_ct) {
        hf_resp_problem(resp, 415, "Unsupported Media Type",
                        merge_patch_ok ? "send application/merge-patch+json or application/json"
                                       : "send application/json",
                        NULL);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        char detail[256];
        snprintf(detail, sizeof(detail), "invalid JSON at line %d, column %d: %s", je.line,
                 je.column, je.text);
        hf_resp_problem(resp, 400, "Bad Request", detail, "body");
    }
    return j;
}

static const char *string_field(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- authorization ---- */

static bool same_email(const char *a, const char *b)
{
    return a && b && *a && strcasecmp(a, b) == 0;
}

/* The team of the user with this e-mail (0 when unknown). */
static int64_t team_of(hf_store *s, int64_t ws, const char *email)
{
    if (!email)
        return 0;
    hf_user_rec u;
    hf_error err;
    if (s->ops->user_get(s, ws, 0, email, &u, &err))
        return 0;
    int64_t t = u.team_id;
    hf_user_rec_free(&u);
    return t;
}

typedef enum action {
    ACT_EDIT,     /* change the document */
    ACT_SALES,    /* submit, schedule, hold, cancel, resubmit */
    ACT_REVIEW,   /* accept, ask for revision, reject, approve pre-close */
    ACT_COMPLETE, /* mark completed */
} action;

/* May `who` do `act` on handoff `h`? Ownership: a rep owns the handoffs of their deals
 * (deal.owner.email), a CSM those assigned to them (team.csm.email); managers act for the
 * members of their team; RevOps for everyone; a viewer never writes. */
static bool allowed(hf_store *s, const hf_principal *who, action act, const hf_handoff_rec *h)
{
    bool own_deal = same_email(who->email, h->index.owner_email);
    bool own_csm = same_email(who->email, h->index.csm_email);
    switch (who->role) {
    case HF_ROLE_REVOPS:
        return true;
    case HF_ROLE_VIEWER:
        return false;
    case HF_ROLE_ACCOUNT_EXECUTIVE:
        return own_deal && (act == ACT_EDIT || act == ACT_SALES);
    case HF_ROLE_SALES_MANAGER:
        return (act == ACT_EDIT || act == ACT_SALES) && who->team_id &&
               team_of(s, who->workspace_id, h->index.owner_email) == who->team_id;
    case HF_ROLE_CSM:
        return own_csm && (act == ACT_EDIT || act == ACT_COMPLETE);
    case HF_ROLE_CS_MANAGER:
        /* a handoff without a CSM yet is any CS manager's to staff and review */
        if (!h->index.csm_email || !*h->index.csm_email)
            return act == ACT_EDIT || act == ACT_REVIEW || act == ACT_COMPLETE;
        return (act == ACT_EDIT || act == ACT_REVIEW || act == ACT_COMPLETE) && who->team_id &&
               team_of(s, who->workspace_id, h->index.csm_email) == who->team_id;
    default:
        return false;
    }
}

static int forbidden(hf_resp *resp, const char *detail)
{
    return hf_resp_problem(resp, 403, "Forbidden", detail, NULL);
}

static bool has_scope(const hf_req *req, const char *scope)
{
    if (!req->who.via_token)
        return true;
    const char *s = req->who.scopes;
    size_t n = strlen(scope);
    while (s && *s) {
        if (strncmp(s, scope, n) == 0 && (s[n] == ' ' || s[n] == '\0'))
            return true;
        s = strchr(s, ' ');
        if (s)
            s++;
    }
    return false;
}

/* ---- representations ---- */

static json_t *time_json(hf_time t)
{
    char buf[HF_TIME_BUFSZ];
    return t == HF_TIME_NONE ? json_null() : json_string(hf_time_format_utc(t, buf));
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *handoff_json(const hf_handoff_rec *h, bool with_document)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "deal_id", h->deal_id ? json_integer(h->deal_id) : json_null());
    json_object_set_new(o, "status", json_string(hf_status_name(h->status)));
    json_object_set_new(o, "version", json_integer(h->version));
    json_object_set_new(o, "segment",
                        h->index.segment[0] ? json_string(h->index.segment) : json_null());
    json_object_set_new(o, "company", str_or_null(h->index.company));
    json_object_set_new(o, "owner", str_or_null(h->index.owner));
    json_object_set_new(o, "owner_email", str_or_null(h->index.owner_email));
    json_object_set_new(o, "csm", str_or_null(h->index.csm));
    json_object_set_new(o, "csm_email", str_or_null(h->index.csm_email));
    json_object_set_new(o, "quality_total", json_integer(h->index.quality_total));
    json_object_set_new(o, "band",
                        json_string(hf_band_names[h->index.band >= 0 ? h->index.band : 3]));
    json_object_set_new(o, "completeness", json_real((double)h->index.completeness_d / 10.0));
    json_object_set_new(o, "ready", json_boolean(h->index.ready));
    json_object_set_new(o, "t0", time_json(h->index.t0));
    json_object_set_new(o, "next_due", time_json(h->index.next_due));
    json_object_set_new(o, "protocol", json_string(h->index.protocol_version));
    json_object_set_new(o, "created_at", time_json(h->created_at));
    json_object_set_new(o, "updated_at", time_json(h->updated_at));
    if (with_document && h->document) {
        json_t *doc = json_loads(h->document, 0, NULL);
        json_object_set_new(o, "document", doc ? doc : json_null());
    }
    return o;
}

/* A handoff record as the response body, with its document spliced in as stored: the
 * stored text is compact JSON written by jansson, so it is embedded without parsing and
 * re-serializing (which was half the cost of a read). */
static int respond_handoff(hf_resp *resp, int status, const hf_handoff_rec *h, bool with_document)
{
    json_t *rec = handoff_json(h, false);
    if (!with_document || !h->document)
        return hf_resp_json(resp, status, rec);
    char *head = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(rec);
    size_t hl = head ? strlen(head) : 0, dl = strlen(h->document);
    char *body = head ? malloc(hl + dl + 16) : NULL;
    if (!body) {
        free(head);
        return hf_resp_problem(resp, 500, "Internal Server Error", "out of memory", NULL);
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

static void set_etag(hf_resp *resp, int version)
{
    snprintf(resp->etag, sizeof(resp->etag), "\"%d\"", version);
}

#define IF_MATCH_ANY HF_IF_MATCH_ANY
static int if_match(const hf_req *req)
{
    return hf_http_if_match(hf_req_header(req, "If-Match"));
}

/* ---- handlers ---- */

static int h_health(hf_req *req, hf_resp *resp)
{
    (void)req;
    return hf_resp_json(resp, 200, json_pack("{s:s}", "status", "ok"));
}

static int h_ready(hf_req *req, hf_resp *resp)
{
    (void)req;
    hf_store *s = hf_server_store();
    char result[64];
    hf_error err;
    if (!s || s->ops->check(s, result, sizeof(result), &err))
        return hf_resp_problem(resp, 503, "Service Unavailable", "the database is not reachable",
                               NULL);
    return hf_resp_json(resp, 200,
                        json_pack("{s:s,s:s}", "status", "ready", "database", s->ops->name));
}

static bool is_loopback(const char *ip)
{
    return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0;
}

static int h_metrics(hf_req *req, hf_resp *resp)
{
    if (!is_loopback(req->client_ip) &&
        !(req->who.authenticated && req->who.role == HF_ROLE_REVOPS))
        return forbidden(resp, "metrics are for RevOps or local scrapers");
    char *m = hf_metrics_render();
    resp->status = 200;
    resp->content_type = "text/plain; version=0.0.4";
    resp->body = m;
    resp->len = m ? strlen(m) : 0;
    return 0;
}

static int h_openapi(hf_req *req, hf_resp *resp)
{
    (void)req;
    return hf_resp_text(resp, 200, "application/json", hf_openapi_json);
}

static int h_me(hf_req *req, hf_resp *resp)
{
    const hf_principal *w = &req->who;
    return hf_resp_json(resp, 200,
                        json_pack("{s:I,s:s,s:s,s:s,s:I,s:b}", "id", (json_int_t)w->user_id,
                                  "email", w->email, "name", w->name, "role", hf_role_name(w->role),
                                  "team_id", (json_int_t)w->team_id, "via_token", w->via_token));
}

static int h_protocol(hf_req *req, hf_resp *resp)
{
    (void)req;
    return hf_resp_json(resp, 200, hf_protocol_to_json(hf_server_protocol()));
}

static int h_evaluate(hf_req *req, hf_resp *resp)
{
    json_t *body = json_body(req, resp, false);
    if (!body)
        return 0;
    /* either a bare document or {"document": ..., "protocol": ...} */
    json_t *doc = json_object_get(body, "document");
    json_t *proto_json = json_object_get(body, "protocol");
    if (!doc || !json_is_object(doc))
        doc = body;
    hf_error err;
    hf_error_clear(&err);
    hf_protocol custom;
    const hf_protocol *p = hf_server_protocol();
    bool has_custom = false;
    if (proto_json && doc != body) {
        if (hf_protocol_from_json(proto_json, &custom, &err)) {
            hf_resp_problem(resp, 422, "Unprocessable Content", err.msg, err.path);
            json_decref(body);
            return 0;
        }
        has_custom = true;
        p = &custom;
    }
    bool now_ok;
    hf_time now = now_param_ok(req, &now_ok);
    if (!now_ok) {
        hf_resp_problem(resp, 400, "Bad Request",
                        "now: expected an RFC 3339 timestamp with an offset", "now");
    } else if (hf_document_validate(doc, &err)) {
        hf_resp_problem(resp, 422, "Unprocessable Content", err.msg, err.path);
    } else {
        hf_evaluation ev;
        if (hf_evaluate(doc, p, now, &ev, &err) == 0)
            hf_resp_json(resp, 200, hf_evaluation_to_json(&ev));
        else
            store_problem(resp, &err);
        hf_evaluation_free(&ev);
    }
    if (has_custom)
        hf_protocol_free(&custom);
    json_decref(body);
    return 0;
}

static int load(hf_req *req, hf_resp *resp, int64_t *id, hf_handoff_rec *h)
{
    memset(h, 0, sizeof(*h));
    if (!parse_int64(req->params[0], id)) {
        hf_resp_problem(resp, 404, "Not Found", "no such handoff", NULL);
        return -1;
    }
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->handoff_get(s, WORKSPACE_OF(req), *id, h, &err)) {
        store_problem(resp, &err);
        return -1;
    }
    return 0;
}

typedef struct list_ctx {
    json_t *items;
    int64_t last;
} list_ctx;

static int collect(void *vctx, const hf_handoff_rec *h)
{
    list_ctx *c = vctx;
    json_array_append_new(c->items, handoff_json(h, false));
    c->last = h->id;
    return 0;
}

static int h_handoffs_list(hf_req *req, hf_resp *resp)
{
    hf_handoff_filter f = {.status = -1, .band = -1};
    const char *v;
    hf_status st;
    if ((v = hf_req_query(req, "status"))) {
        if (!hf_status_parse(v, &st))
            return hf_resp_problem(resp, 400, "Bad Request", "unknown status", "status");
        f.status = (int)st;
    }
    f.segment = hf_req_query(req, "segment");
    f.owner = hf_req_query(req, "owner");
    f.csm = hf_req_query(req, "csm");
    if ((v = hf_req_query(req, "band"))) {
        for (int i = 0; i < HF_BAND_COUNT; i++)
            if (strcmp(v, hf_band_names[i]) == 0)
                f.band = i;
        if (f.band < 0)
            return hf_resp_problem(resp, 400, "Bad Request", "unknown band", "band");
    }
    if ((v = hf_req_query(req, "overdue")) && strcmp(v, "true") == 0) {
        NOW_OR_400(req, resp, now);
        f.overdue_only = true;
        f.now = now;
    }
    int64_t n = 50;
    if ((v = hf_req_query(req, "limit")) && (!parse_int64(v, &n) || n > 500))
        return hf_resp_problem(resp, 400, "Bad Request", "limit: expected 1 to 500", "limit");
    f.limit = (int)n + 1; /* one more tells whether there is a next page */
    if ((v = hf_req_query(req, "cursor")) && !parse_int64(v, &f.after_id))
        return hf_resp_problem(resp, 400, "Bad Request", "cursor: expected a cursor", "cursor");
    list_ctx c = {json_array(), 0};
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->handoff_list(s, WORKSPACE_OF(req), &f, collect, &c, &err)) {
        json_decref(c.items);
        return store_problem(resp, &err);
    }
    json_t *out = json_object();
    json_t *next = json_null();
    if (json_array_size(c.items) > (size_t)n) {
        json_array_remove(c.items, (size_t)n);
        json_t *last = json_array_get(c.items, (size_t)n - 1);
        char cur[32];
        snprintf(cur, sizeof(cur), "%lld",
                 (long long)json_integer_value(json_object_get(last, "id")));
        next = json_string(cur);
    }
    json_object_set_new(out, "items", c.items);
    json_object_set_new(out, "next_cursor", next);
    return hf_resp_json(resp, 200, out);
}

static int h_handoff_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    hf_handoff_rec h;
    if (load(req, resp, &id, &h))
        return 0;
    set_etag(resp, h.version);
    respond_handoff(resp, 200, &h, true);
    hf_handoff_rec_free(&h);
    return 0;
}

static int h_handoff_create(hf_req *req, hf_resp *resp)
{
    const hf_principal *w = &req->who;
    if (w->role != HF_ROLE_ACCOUNT_EXECUTIVE && w->role != HF_ROLE_SALES_MANAGER &&
        w->role != HF_ROLE_REVOPS)
        return forbidden(resp, "only sales and RevOps create handoffs");
    json_t *body = json_body(req, resp, false);
    if (!body)
        return 0;
    json_t *doc = json_object_get(body, "document");
    if (!doc)
        doc = body;
    json_incref(doc);
    json_decref(body);
    const char *owner = json_string_value(hf_doc_get(doc, "deal.owner.email"));
    hf_store *s = hf_server_store();
    if (w->role == HF_ROLE_ACCOUNT_EXECUTIVE && !same_email(owner, w->email)) {
        json_decref(doc);
        return forbidden(resp, "a rep creates handoffs for their own deals (deal.owner.email)");
    }
    if (w->role == HF_ROLE_SALES_MANAGER && !same_email(owner, w->email) &&
        !(w->team_id && team_of(s, w->workspace_id, owner) == w->team_id)) {
        json_decref(doc);
        return forbidden(resp, "a sales manager creates handoffs for the deals of their team");
    }
    hf_error err;
    hf_error_clear(&err);
    int64_t deal_id = 0;
    const char *crm = json_string_value(hf_doc_get(doc, "deal.crm_id"));
    if (crm && *crm) {
        hf_deal_rec d;
        memset(&d, 0, sizeof(d));
        d.workspace_id = WORKSPACE_OF(req);
        d.crm_source = "api";
        d.crm_id = (char *)crm;
        d.name = (char *)json_string_value(hf_doc_get(doc, "deal.name"));
        d.account = (char *)json_string_value(hf_doc_get(doc, "customer.company_name"));
        d.owner = (char *)json_string_value(hf_doc_get(doc, "deal.owner.name"));
        d.is_won = true;
        if (hf_document_validate(doc, &err)) {
            json_decref(doc);
            return store_problem(resp, &err);
        }
        hf_deal_rec known;
        if (s->ops->deal_get(s, WORKSPACE_OF(req), 0, crm, &known, &err) == 0) {
            /* one handoff per deal: a second POST points at the first */
            hf_handoff_rec existing;
            int found =
                s->ops->handoff_get_by_deal(s, WORKSPACE_OF(req), known.id, &existing, &err);
            deal_id = known.id;
            hf_deal_rec_free(&known);
            if (found == 0) {
                snprintf(resp->location, sizeof(resp->location), "/api/v1/handoffs/%lld",
                         (long long)existing.id);
                hf_handoff_rec_free(&existing);
                json_decref(doc);
                return hf_resp_problem(resp, 409, "Conflict",
                                       "this deal already has a handoff (see Location)",
                                       "deal.crm_id");
            }
        } else if (s->ops->deal_upsert(s, &d, NULL, &err)) {
            json_decref(doc);
            return store_problem(resp, &err);
        } else {
            deal_id = d.id;
        }
    }
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    if (hf_handoff_create(s, WORKSPACE_OF(req), deal_id, HF_STATUS_DRAFT, doc, hf_server_protocol(),
                          w->email, (hf_time)time(NULL), &h, &err)) {
        json_decref(doc);
        return store_problem(resp, &err);
    }
    json_decref(doc);
    snprintf(resp->location, sizeof(resp->location), "/api/v1/handoffs/%lld", (long long)h.id);
    set_etag(resp, h.version);
    respond_handoff(resp, 201, &h, true);
    hf_handoff_rec_free(&h);
    return 0;
}

/* Fields only the review and approval endpoints (or RevOps) may change: a rep must not
 * approve their own pre-close handoff or erase a rejection from the review history. */
static const char *protected_change(const json_t *before, const json_t *after)
{
    static const char *const paths[] = {"deal.pre_close_approved_by", "review"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        json_t *a = hf_doc_get(before, paths[i]), *b = hf_doc_get(after, paths[i]);
        if (!(a ? b && json_equal(a, b) : !b))
            return paths[i];
    }
    return NULL;
}

/* PUT (replace), PATCH (merge patch) of the document, or PUT of one section (`meeting`).
 * Checks run in this order: the handoff exists (404), the caller may edit it (403), it is
 * not closed (409), If-Match is there (428) and current (412), the body (400/415/422). */
static int write_document(hf_req *req, hf_resp *resp, const char *section, bool patch)
{
    int64_t id;
    hf_handoff_rec h;
    json_t *doc = NULL, *body = NULL, *before = NULL;
    if (load(req, resp, &id, &h))
        return 0;
    hf_store *s = hf_server_store();
    int base = if_match(req);
    if (!allowed(s, &req->who, ACT_EDIT, &h)) {
        forbidden(resp, "you may not edit this handoff");
        goto out;
    }
    if (hf_status_is_final(h.status)) {
        hf_resp_problem(resp, 409, "Conflict", "a completed or cancelled handoff is closed",
                        "status");
        goto out;
    }
    if (base == 0) {
        hf_resp_problem(resp, 428, "Precondition Required",
                        "send If-Match with the ETag of the version you edited", NULL);
        goto out;
    }
    if (base < 0) {
        hf_resp_problem(resp, 400, "Bad Request", "If-Match: expected an ETag like \"3\"", NULL);
        goto out;
    }
    if (base == IF_MATCH_ANY)
        base = h.version;
    if (base != h.version) {
        char detail[128];
        snprintf(detail, sizeof(detail),
                 "the handoff is at version %d, your edit is based on version %d", h.version, base);
        hf_resp_problem(resp, 412, "Precondition Failed", detail, NULL);
        set_etag(resp, h.version);
        goto out;
    }
    body = json_body(req, resp, patch);
    if (!body)
        goto out;
    before = json_loads(h.document, 0, NULL);
    if (!before) {
        hf_resp_problem(resp, 500, "Internal Server Error", "stored document unreadable", NULL);
        goto out;
    }
    if (section || patch) {
        doc = json_deep_copy(before);
        if (!json_is_object(body)) {
            hf_resp_problem(resp, 422, "Unprocessable Content",
                            section ? "expected an object" : "a merge patch is an object",
                            section ? section : "body");
            goto out;
        }
        if (section)
            json_object_set(doc, section, body);
        else
            hf_json_merge_patch(doc, body);
    } else {
        doc = json_incref(body);
    }
    const char *field = req->who.role == HF_ROLE_REVOPS ? NULL : protected_change(before, doc);
    if (field) {
        hf_resp_problem(resp, 403, "Forbidden",
                        "changed through the review and pre-close approval endpoints only", field);
        goto out;
    }
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec saved;
    memset(&saved, 0, sizeof(saved));
    if (hf_handoff_put(s, WORKSPACE_OF(req), id, base, doc, hf_server_protocol(), req->who.email,
                       (hf_time)time(NULL), &saved, &err)) {
        if (err.rc == HF_ECONFLICT)
            hf_resp_problem(resp, 412, "Precondition Failed", err.msg, NULL);
        else
            store_problem(resp, &err);
        goto out;
    }
    set_etag(resp, saved.version);
    respond_handoff(resp, 200, &saved, true);
    hf_handoff_rec_free(&saved);
out:
    json_decref(before);
    json_decref(doc);
    json_decref(body);
    hf_handoff_rec_free(&h);
    return 0;
}

static int h_document_put(hf_req *req, hf_resp *resp)
{
    return write_document(req, resp, NULL, false);
}

static int h_document_patch(hf_req *req, hf_resp *resp)
{
    return write_document(req, resp, NULL, true);
}

static int h_meeting_put(hf_req *req, hf_resp *resp)
{
    return write_document(req, resp, "meeting", false);
}

static int h_evaluation(hf_req *req, hf_resp *resp)
{
    int64_t id;
    hf_handoff_rec h;
    NOW_OR_400(req, resp, now);
    if (load(req, resp, &id, &h))
        return 0;
    hf_evaluation ev;
    hf_error err;
    if (hf_handoff_evaluate(&h, hf_server_protocol(), now, &ev, &err) == 0) {
        set_etag(resp, h.version);
        hf_resp_json(resp, 200, hf_evaluation_to_json(&ev));
    } else {
        store_problem(resp, &err);
    }
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    return 0;
}

static action action_for(hf_status from, hf_status to)
{
    if (hf_status_is_decision(to))
        return ACT_REVIEW;
    if (to == HF_STATUS_COMPLETED)
        return ACT_COMPLETE;
    (void)from;
    return ACT_SALES;
}

static int do_transition(hf_req *req, hf_resp *resp, hf_status to, const char *reason,
                         const json_t *reasons_json)
{
    int64_t id;
    hf_handoff_rec h;
    if (load(req, resp, &id, &h))
        return 0;
    hf_store *s = hf_server_store();
    if (!allowed(s, &req->who, action_for(h.status, to), &h)) {
        hf_handoff_rec_free(&h);
        return forbidden(resp, "your role may not make this change on this handoff");
    }
    static const char *const known[] = {"info_gaps", "undocumented_commitments",
                                        "stakeholders_incomplete", "technical_unclear", "other"};
    const char *reasons[8];
    size_t n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(reasons_json, i, r)
    {
        const char *code = json_string_value(r);
        bool ok = false;
        for (size_t k = 0; code && k < 5; k++)
            ok = ok || strcmp(code, known[k]) == 0;
        if (!ok || n == 8) {
            hf_handoff_rec_free(&h);
            char field[32];
            snprintf(field, sizeof(field), "reasons[%zu]", i);
            return hf_resp_problem(resp, 422, "Unprocessable Content",
                                   "expected info_gaps, undocumented_commitments, "
                                   "stakeholders_incomplete, technical_unclear or other",
                                   field);
        }
        reasons[n++] = code;
    }
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_handoff_transition(s, WORKSPACE_OF(req), id, to, reason, reasons, n,
                                   hf_server_protocol(), req->who.email, (hf_time)time(NULL), &err);
    hf_handoff_rec_free(&h);
    if (rc && err.rc == HF_ESTATE && err.msgid && strstr(err.msgid, "needs a reason"))
        return hf_resp_problem(resp, 422, "Unprocessable Content", err.msg, "reason");
    if (rc)
        return store_problem(resp, &err);
    memset(&h, 0, sizeof(h));
    if (s->ops->handoff_get(s, WORKSPACE_OF(req), id, &h, &err))
        return store_problem(resp, &err);
    set_etag(resp, h.version);
    hf_resp_json(resp, 200, handoff_json(&h, false));
    hf_handoff_rec_free(&h);
    return 0;
}

static int h_transition(hf_req *req, hf_resp *resp)
{
    json_t *body = json_body(req, resp, false);
    if (!body)
        return 0;
    hf_status to;
    const char *target = string_field(body, "to");
    if (!target || !hf_status_parse(target, &to)) {
        json_decref(body);
        return hf_resp_problem(resp, 422, "Unprocessable Content",
                               "expected a status: submitted, scheduled, held, accepted, "
                               "needs_revision, rejected, completed or cancelled",
                               "to");
    }
    do_transition(req, resp, to, string_field(body, "reason"), json_object_get(body, "reasons"));
    json_decref(body);
    return 0;
}

static int h_review(hf_req *req, hf_resp *resp)
{
    json_t *body = json_body(req, resp, false);
    if (!body)
        return 0;
    hf_status to;
    const char *d = string_field(body, "decision");
    if (!d || !hf_status_parse_decision(d, &to)) {
        json_decref(body);
        return hf_resp_problem(resp, 422, "Unprocessable Content",
                               "expected accepted, needs_revision or rejected", "decision");
    }
    do_transition(req, resp, to, string_field(body, "comment"), json_object_get(body, "reasons"));
    json_decref(body);
    return 0;
}

static int h_pre_close_approval(hf_req *req, hf_resp *resp)
{
    int64_t id;
    hf_handoff_rec h;
    json_t *doc = NULL;
    if (load(req, resp, &id, &h))
        return 0;
    hf_store *s = hf_server_store();
    if (!allowed(s, &req->who, ACT_REVIEW, &h)) {
        hf_handoff_rec_free(&h);
        return forbidden(resp, "the CS manager of the handoff's CSM approves pre-close handoffs");
    }
    if (hf_status_is_final(h.status) || strcmp(h.index.trigger, "verbal_commit") != 0) {
        hf_handoff_rec_free(&h);
        return hf_resp_problem(resp, 409, "Conflict",
                               "only an open handoff with deal.trigger verbal_commit is approved "
                               "before signature",
                               "deal.trigger");
    }
    doc = json_loads(h.document, 0, NULL);
    json_t *deal = json_object_get(doc, "deal");
    if (!json_is_object(deal)) {
        deal = json_object();
        json_object_set_new(doc, "deal", deal);
    }
    json_object_set_new(deal, "pre_close_approved_by",
                        json_string(req->who.name[0] ? req->who.name : req->who.email));
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec saved;
    memset(&saved, 0, sizeof(saved));
    if (hf_handoff_put(s, WORKSPACE_OF(req), id, h.version, doc, hf_server_protocol(),
                       req->who.email, (hf_time)time(NULL), &saved, &err)) {
        store_problem(resp, &err);
    } else {
        set_etag(resp, saved.version);
        hf_resp_json(resp, 200, handoff_json(&saved, false));
    }
    json_decref(doc);
    hf_handoff_rec_free(&saved);
    hf_handoff_rec_free(&h);
    return 0;
}

typedef struct hist_ctx {
    json_t *versions, *transitions;
} hist_ctx;

static int hist_version(void *vctx, const hf_version_rec *v)
{
    hist_ctx *c = vctx;
    json_t *paths = json_loads(v->changed_paths, 0, NULL);
    json_array_append_new(c->versions, json_pack("{s:i,s:s,s:o,s:o}", "version", v->version,
                                                 "author", v->author, "at", time_json(v->at),
                                                 "changed", paths ? paths : json_array()));
    return 0;
}

static int hist_transition(void *vctx, const hf_transition_rec *t)
{
    hist_ctx *c = vctx;
    json_array_append_new(
        c->transitions,
        json_pack("{s:o,s:s,s:s,s:o,s:o}", "from",
                  t->from == HF_STATUS_COUNT ? json_null() : json_string(hf_status_name(t->from)),
                  "to", hf_status_name(t->to), "actor", t->actor, "at", time_json(t->at), "reason",
                  str_or_null(t->reason)));
    return 0;
}

static int h_history(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!parse_int64(req->params[0], &id))
        return hf_resp_problem(resp, 404, "Not Found", "no such handoff", NULL);
    hf_store *s = hf_server_store();
    hist_ctx c = {json_array(), json_array()};
    hf_error err;
    if (s->ops->version_list(s, WORKSPACE_OF(req), id, false, hist_version, &c, &err) ||
        s->ops->transition_list(s, WORKSPACE_OF(req), id, hist_transition, &c, &err)) {
        json_decref(c.versions);
        json_decref(c.transitions);
        return store_problem(resp, &err);
    }
    return hf_resp_json(
        resp, 200, json_pack("{s:o,s:o}", "versions", c.versions, "transitions", c.transitions));
}

static int h_version(hf_req *req, hf_resp *resp)
{
    int64_t id, v;
    if (!parse_int64(req->params[0], &id) || !parse_int64(req->params[1], &v) || v > 1000000000)
        return hf_resp_problem(resp, 404, "Not Found", "no such version", NULL);
    hf_store *s = hf_server_store();
    hf_version_rec rec;
    hf_error err;
    if (s->ops->version_get(s, WORKSPACE_OF(req), id, (int)v, &rec, &err))
        return store_problem(resp, &err);
    json_t *doc = json_loads(rec.document, 0, NULL);
    set_etag(resp, rec.version);
    hf_resp_json(resp, 200,
                 json_pack("{s:i,s:s,s:o,s:o}", "version", rec.version, "author", rec.author, "at",
                           time_json(rec.at), "document", doc ? doc : json_null()));
    hf_version_rec_free(&rec);
    return 0;
}

static int h_diff(hf_req *req, hf_resp *resp)
{
    int64_t id, a, b;
    if (!parse_int64(req->params[0], &id))
        return hf_resp_problem(resp, 404, "Not Found", "no such handoff", NULL);
    if (!parse_int64(hf_req_query(req, "from"), &a) || a > 1000000000)
        return hf_resp_problem(resp, 400, "Bad Request", "expected ?from=V1&to=V2", "from");
    if (!parse_int64(hf_req_query(req, "to"), &b) || b > 1000000000)
        return hf_resp_problem(resp, 400, "Bad Request", "expected ?from=V1&to=V2", "to");
    hf_store *s = hf_server_store();
    hf_version_rec va, vb;
    memset(&va, 0, sizeof(va));
    memset(&vb, 0, sizeof(vb));
    hf_error err;
    if (s->ops->version_get(s, WORKSPACE_OF(req), id, (int)a, &va, &err) ||
        s->ops->version_get(s, WORKSPACE_OF(req), id, (int)b, &vb, &err)) {
        hf_version_rec_free(&va);
        return store_problem(resp, &err);
    }
    json_t *ja = json_loads(va.document, 0, NULL), *jb = json_loads(vb.document, 0, NULL);
    hf_diff d;
    memset(&d, 0, sizeof(d));
    if (ja && jb && hf_json_diff(ja, jb, &d, &err) == 0)
        hf_resp_json(resp, 200,
                     json_pack("{s:i,s:i,s:o}", "from", va.version, "to", vb.version, "changes",
                               hf_diff_to_json(&d)));
    else
        hf_resp_problem(resp, 500, "Internal Server Error", "cannot compare the versions", NULL);
    hf_diff_free(&d);
    json_decref(ja);
    json_decref(jb);
    hf_version_rec_free(&va);
    hf_version_rec_free(&vb);
    return 0;
}

static json_t *check_item(const char *id, bool done, bool automatic)
{
    return json_pack("{s:s,s:b,s:b}", "id", id, "done", done, "automatic", automatic);
}

static int h_checklists(hf_req *req, hf_resp *resp)
{
    int64_t id;
    hf_handoff_rec h;
    NOW_OR_400(req, resp, now);
    if (load(req, resp, &id, &h))
        return 0;
    hf_evaluation ev;
    hf_error err;
    if (hf_handoff_evaluate(&h, hf_server_protocol(), now, &ev, &err)) {
        hf_handoff_rec_free(&h);
        return store_problem(resp, &err);
    }
    json_t *doc = json_loads(h.document, 0, NULL);
    hf_time t;
    bool intro = false, kickoff7 = false;
    for (size_t i = 0; i < ev.sla_count; i++) {
        if (ev.sla[i].activity == HF_ACT_INTRO_SENT)
            intro = ev.sla[i].status == HF_SLA_MET;
    }
    if (ev.t0 != HF_TIME_NONE && hf_value_time(hf_doc_get(doc, "timeline.kickoff_held_at"), &t))
        kickoff7 = t - ev.t0 <= 7 * 86400;
    json_t *pre = json_array(), *meeting = json_array(), *post = json_array();
    json_array_append_new(pre, check_item("document_complete",
                                          !(ev.blockers & (1u << HF_BLOCK_DOCS_INCOMPLETE)), true));
    json_array_append_new(
        pre, check_item("csm_assigned", !(ev.blockers & (1u << HF_BLOCK_CS_NOT_ASSIGNED)), true));
    json_array_append_new(pre, check_item("meeting_scheduled",
                                          !(ev.blockers & (1u << HF_BLOCK_MEETING_NOT_SCHEDULED)),
                                          true));
    json_array_append_new(pre, check_item("contract_executed",
                                          !(ev.blockers & (1u << HF_BLOCK_CONTRACT_NOT_EXECUTED)),
                                          true));
    json_array_append_new(
        pre,
        check_item("systems_updated", !(ev.blockers & (1u << HF_BLOCK_SYSTEMS_NOT_UPDATED)), true));
    json_array_append_new(meeting, check_item("required_attendees",
                                              ev.component_c[HF_COMP_ATTENDANCE] == 1000, true));
    json_array_append_new(
        meeting, check_item("agenda_covered", ev.component_c[HF_COMP_AGENDA] == 1000, true));
    json_array_append_new(meeting, check_item("cs_questions_answered",
                                              ev.component_c[HF_COMP_CS_QUESTIONS] == 1000, true));
    json_array_append_new(post, check_item("intro_sent_within_48h", intro, true));
    json_array_append_new(post, check_item("kickoff_within_7_days", kickoff7, true));
    json_decref(doc);
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    return hf_resp_json(
        resp, 200,
        json_pack("{s:o,s:o,s:o}", "pre_handoff", pre, "meeting", meeting, "post_handoff", post));
}

static int h_gate(hf_req *req, hf_resp *resp)
{
    if (!has_scope(req, "gate") && !has_scope(req, "read"))
        return forbidden(resp, "the token needs the gate or read scope");
    hf_store *s = hf_server_store();
    hf_deal_rec d;
    hf_error err;
    if (s->ops->deal_get(s, WORKSPACE_OF(req), 0, req->params[0], &d, &err))
        return store_problem(resp, &err);
    hf_handoff_rec h;
    int rc = s->ops->handoff_get_by_deal(s, WORKSPACE_OF(req), d.id, &h, &err);
    hf_deal_rec_free(&d);
    if (rc)
        return store_problem(resp, &err);
    hf_evaluation ev;
    bool now_ok;
    hf_time now = now_param_ok(req, &now_ok);
    if (!now_ok || hf_handoff_evaluate(&h, hf_server_protocol(), now, &ev, &err)) {
        hf_handoff_rec_free(&h);
        if (!now_ok)
            return hf_resp_problem(resp, 400, "Bad Request",
                                   "now: expected an RFC 3339 timestamp with an offset", "now");
        return store_problem(resp, &err);
    }
    json_t *full = hf_evaluation_to_json(&ev);
    json_t *gate = json_incref(json_object_get(full, "gate"));
    json_object_set_new(gate, "handoff_id", json_integer(h.id));
    json_object_set_new(gate, "crm_id", json_string(req->params[0]));
    json_object_set_new(
        gate, "completeness",
        json_incref(json_object_get(json_object_get(full, "completeness"), "percent")));
    json_decref(full);
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    return hf_resp_json(resp, 200, gate);
}

static json_t *deal_json(const hf_deal_rec *d)
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

static int h_deal_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!parse_int64(req->params[0], &id))
        return hf_resp_problem(resp, 404, "Not Found", "no such deal", NULL);
    hf_store *s = hf_server_store();
    hf_deal_rec d;
    hf_error err;
    if (s->ops->deal_get(s, WORKSPACE_OF(req), id, NULL, &d, &err))
        return store_problem(resp, &err);
    json_t *o = deal_json(&d);
    hf_deal_rec_free(&d);
    return hf_resp_json(resp, 200, o);
}

static int collect_deal(void *ctx, const hf_deal_rec *d)
{
    json_array_append_new(ctx, deal_json(d));
    return 0;
}

static int h_deals_list(hf_req *req, hf_resp *resp)
{
    int64_t n = 50, after = 0;
    const char *v;
    if ((v = hf_req_query(req, "limit")) && (!parse_int64(v, &n) || n > 500))
        return hf_resp_problem(resp, 400, "Bad Request", "limit: expected 1 to 500", "limit");
    if ((v = hf_req_query(req, "cursor")) && !parse_int64(v, &after))
        return hf_resp_problem(resp, 400, "Bad Request", "cursor: expected a cursor", "cursor");
    json_t *items = json_array();
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->deal_list(s, WORKSPACE_OF(req), after, (int)n + 1, collect_deal, items, &err)) {
        json_decref(items);
        return store_problem(resp, &err);
    }
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)n) {
        json_array_remove(items, (size_t)n);
        char cur[32];
        snprintf(cur, sizeof(cur), "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(items, (size_t)n - 1), "id")));
        next = json_string(cur);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
}

/* ---- users, teams, tokens ---- */

static json_t *user_json(const hf_user_rec *u)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:i,s:b}", "id", (json_int_t)u->id, "email", u->email,
                     "name", u->name, "role", hf_role_name(u->role), "team_id",
                     u->team_id ? json_integer(u->team_id) : json_null(), "capacity", u->capacity,
                     "active", u->active);
}

static int collect_user(void *ctx, const hf_user_rec *u)
{
    json_array_append_new(ctx, user_json(u));
    return 0;
}

static bool is_revops(const hf_req *req)
{
    return req->who.role == HF_ROLE_REVOPS;
}

static int h_users_list(hf_req *req, hf_resp *resp)
{
    json_t *a = json_array();
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->user_list(s, WORKSPACE_OF(req), collect_user, a, &err)) {
        json_decref(a);
        return store_problem(resp, &err);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o}", "items", a));
}

static int h_users_create(hf_req *req, hf_resp *resp)
{
    if (!is_revops(req))
        return forbidden(resp, "RevOps manages users");
    json_t *body = json_body(req, resp, false);
    if (!body)
        return 0;
    hf_user_rec u;
    memset(&u, 0, sizeof(u));
    const char *email = string_field(body, "email"), *role = string_field(body, "role");
    const char *password = string_field(body, "password");
    char hash[128];
    if (!email || !strchr(email, '@') || strlen(email) > 200) {
        hf_resp_problem(resp, 422, "Unprocessable Content", "expected an e-mail address", "email");
        goto out;
    }
    if (!role || !hf_role_parse(role, &u.role)) {
        hf_resp_problem(resp, 422, "Unprocessable Content",
                        "expected account_executive, sales_manager, csm, cs_manager, revops or "
                        "viewer",
                        "role");
        goto out;
    }
    if (password && (strlen(password) < 10 || strlen(password) > 1024)) {
        hf_resp_problem(resp, 422, "Unprocessable Content", "a password has 10 to 1024 characters",
                        "password");
        goto out;
    }
    if (password && hf_auth_hash_password(password, hash)) {
        hf_resp_problem(resp, 503, "Service Unavailable", "busy; retry", NULL);
        resp->retry_after = 1;
        goto out;
    }
    u.workspace_id = WORKSPACE_OF(req);
    u.email = (char *)email;
    u.name = (char *)(string_field(body, "name") ? string_field(body, "name") : email);
    json_t *team = json_object_get(body, "team_id");
    u.team_id = json_is_integer(team) ? json_integer_value(team) : 0;
    json_t *cap = json_object_get(body, "capacity");
    u.capacity = json_is_integer(cap) ? (int)json_integer_value(cap) : 0;
    u.password_hash = password ? hash : NULL;
    u.active = true;
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->user_create(s, &u, &err)) {
        store_problem(resp, &err);
        goto out;
    }
    snprintf(resp->location, sizeof(resp->location), "/api/v1/users/%lld", (long long)u.id);
    u.password_hash = NULL;
    hf_resp_json(resp, 201, user_json(&u));
out:
    json_decref(body);
    return 0;
}

static int h_user_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!parse_int64(req->params[0], &id))
        return hf_resp_problem(resp, 404, "Not Found", "no such user", NULL);
    hf_store *s = hf_server_store();
    hf_user_rec u;
    hf_error err;
    if (s->ops->user_get(s, WORKSPACE_OF(req), id, NULL, &u, &err))
        return store_problem(resp, &err);
    hf_resp_json(resp, 200, user_json(&u));
    hf_user_rec_free(&u);
    return 0;
}

static int h_users_patch(hf_req *req, hf_resp *resp)
{
    if (!is_revops(req))
        return forbidden(resp, "RevOps manages users");
    int64_t id;
    if (!parse_int64(req->params[0], &id))
        return hf_resp_problem(resp, 404, "Not Found", "no such user", NULL);
    json_t *body = json_body(req, resp, true);
    if (!body)
        return 0;
    hf_store *s = hf_server_store();
    hf_user_rec u;
    hf_error err;
    char hash[128];
    if (s->ops->user_get(s, WORKSPACE_OF(req), id, NULL, &u, &err)) {
        json_decref(body);
        return store_problem(resp, &err);
    }
    const char *v;
    json_t *j;
    if ((v = string_field(body, "role")) && !hf_role_parse(v, &u.role)) {
        hf_resp_problem(resp, 422, "Unprocessable Content", "unknown role", "role");
        goto out;
    }
    if ((v = string_field(body, "name"))) {
        free(u.name);
        u.name = strdup(v);
    }
    if ((j = json_object_get(body, "team_id"))) {
        if (!json_is_null(j) && !(json_is_integer(j) && json_integer_value(j) > 0)) {
            hf_resp_problem(resp, 422, "Unprocessable Content", "expected a team id or null",
                            "team_id");
            goto out;
        }
        u.team_id = json_is_integer(j) ? json_integer_value(j) : 0;
    }
    if ((j = json_object_get(body, "capacity"))) {
        if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > 100000) {
            hf_resp_problem(resp, 422, "Unprocessable Content", "expected a number of accounts",
                            "capacity");
            goto out;
        }
        u.capacity = (int)json_integer_value(j);
    }
    if ((j = json_object_get(body, "active"))) {
        if (!json_is_boolean(j)) {
            hf_resp_problem(resp, 422, "Unprocessable Content", "expected true or false", "active");
            goto out;
        }
        u.active = json_is_true(j);
    }
    if ((v = string_field(body, "password"))) {
        if (strlen(v) < 10 || strlen(v) > 1024) {
            hf_resp_problem(resp, 422, "Unprocessable Content",
                            "a password has 10 to 1024 characters", "password");
            goto out;
        }
        if (hf_auth_hash_password(v, hash)) {
            hf_resp_problem(resp, 503, "Service Unavailable", "busy; retry", NULL);
            resp->retry_after = 1;
            goto out;
        }
        free(u.password_hash);
        u.password_hash = strdup(hash);
    }
    if (s->ops->user_update(s, &u, &err)) {
        store_problem(resp, &err);
        goto out;
    }
    hf_auth_forget();
    hf_resp_json(resp, 200, user_json(&u));
out:
    hf_user_rec_free(&u);
    json_decref(body);
    return 0;
}

static int collect_team(void *ctx, const hf_team_rec *t)
{
    json_array_append_new(ctx,
                          json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)t->id, "name", t->name,
                                    "kind", t->kind, "manager_id",
                                    t->manager_id ? json_integer(t->manager_id) : json_null()));
    return 0;
}

static int h_teams_list(hf_req *req, hf_resp *resp)
{
    json_t *a = json_array();
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->team_list(s, WORKSPACE_OF(req), collect_team, a, &err)) {
        json_decref(a);
        return store_problem(resp, &err);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o}", "items", a));
}

static int h_teams_create(hf_req *req, hf_resp *resp)
{
    if (!is_revops(req))
        return forbidden(resp, "RevOps manages teams");
    json_t *body = json_body(req, resp, false);
    if (!body)
        return 0;
    const char *name = string_field(body, "name"), *kind = string_field(body, "kind");
    if (!name || !kind || (strcmp(kind, "sales") != 0 && strcmp(kind, "cs") != 0)) {
        json_decref(body);
        return hf_resp_problem(resp, 422, "Unprocessable Content",
                               "expected {\"name\": ..., \"kind\": \"sales\" | \"cs\"}",
                               name ? "kind" : "name");
    }
    json_t *mgr = json_object_get(body, "manager_id");
    hf_team_rec t = {0, WORKSPACE_OF(req), (char *)name, (char *)kind,
                     json_is_integer(mgr) ? json_integer_value(mgr) : 0};
    hf_store *s = hf_server_store();
    hf_error err;
    int rc = s->ops->team_create(s, &t, &err);
    json_decref(body);
    if (rc)
        return store_problem(resp, &err);
    snprintf(resp->location, sizeof(resp->location), "/api/v1/teams/%lld", (long long)t.id);
    return hf_resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)t.id));
}

typedef struct load_ctx {
    json_t *items;
    hf_store *s;
    int64_t ws;
} load_ctx;

static int collect_csm(void *vctx, const hf_user_rec *u)
{
    load_ctx *c = vctx;
    if (u->role != HF_ROLE_CSM)
        return 0;
    int64_t n = 0;
    hf_error err;
    int64_t open = 0;
    for (int st = 0; st < HF_STATUS_COUNT; st++) {
        if (hf_status_is_final((hf_status)st))
            continue;
        hf_handoff_filter f = {.status = st, .band = -1, .csm = u->email};
        if (c->s->ops->handoff_count(c->s, c->ws, &f, &n, &err) == 0)
            open += n;
    }
    json_t *o = user_json(u);
    json_object_set_new(o, "open_handoffs", json_integer(open));
    json_object_set_new(o, "at_capacity", json_boolean(u->capacity > 0 && open >= u->capacity));
    json_array_append_new(c->items, o);
    return 0;
}

static int h_csms(hf_req *req, hf_resp *resp)
{
    load_ctx c = {json_array(), hf_server_store(), WORKSPACE_OF(req)};
    hf_error err;
    if (c.s->ops->user_list(c.s, c.ws, collect_csm, &c, &err)) {
        json_decref(c.items);
        return store_problem(resp, &err);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o}", "items", c.items));
}

static int collect_token(void *ctx, const hf_token_rec *t)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)t->id, "user_id",
                       (json_int_t)t->user_id, "name", t->name, "prefix", t->prefix, "scopes",
                       t->scopes, "created_at", time_json(t->created_at), "expires_at",
                       time_json(t->expires_at), "revoked_at", time_json(t->revoked_at)));
    return 0;
}

static int h_tokens_list(hf_req *req, hf_resp *resp)
{
    json_t *a = json_array();
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->token_list(s, WORKSPACE_OF(req), is_revops(req) ? 0 : req->who.user_id,
                           collect_token, a, &err)) {
        json_decref(a);
        return store_problem(resp, &err);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o}", "items", a));
}

static int h_tokens_create(hf_req *req, hf_resp *resp)
{
    if (req->who.via_token)
        return forbidden(resp, "tokens are made from a signed-in session (or 'handoff token "
                               "create'), not by other tokens");
    json_t *body = json_body(req, resp, false);
    if (!body)
        return 0;
    const char *name = string_field(body, "name");
    const char *scopes = string_field(body, "scopes");
    if (!scopes)
        scopes = "read";
    bool ok_scopes = strlen(scopes) < 64 && *scopes;
    for (const char *p = scopes; ok_scopes && *p;) {
        size_t n = strcspn(p, " ");
        ok_scopes = (n == 4 && strncmp(p, "read", 4) == 0) ||
                    (n == 5 && strncmp(p, "write", 5) == 0) ||
                    (n == 4 && strncmp(p, "gate", 4) == 0);
        p += n;
        while (*p == ' ')
            p++;
    }
    if (!name || strlen(name) > 100 || !ok_scopes) {
        json_decref(body);
        return hf_resp_problem(resp, 422, "Unprocessable Content",
                               "expected {\"name\": ..., \"scopes\": \"read write gate\"}",
                               name ? "scopes" : "name");
    }
    hf_token_rec t;
    memset(&t, 0, sizeof(t));
    char token[96];
    if (hf_auth_make_token(token, &t)) {
        json_decref(body);
        hf_token_rec_free(&t);
        hf_resp_problem(resp, 503, "Service Unavailable", "busy; retry", NULL);
        resp->retry_after = 1;
        return 0;
    }
    t.workspace_id = WORKSPACE_OF(req);
    t.user_id = req->who.user_id;
    t.name = strdup(name);
    t.scopes = strdup(scopes);
    t.expires_at = HF_TIME_NONE;
    t.created_at = (hf_time)time(NULL);
    json_decref(body);
    hf_store *s = hf_server_store();
    hf_error err;
    if (s->ops->token_create(s, &t, &err)) {
        hf_token_rec_free(&t);
        return store_problem(resp, &err);
    }
    json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)t.id, "token", token, "prefix",
                          t.prefix, "scopes", t.scopes);
    hf_token_rec_free(&t);
    return hf_resp_json(resp, 201, o);
}

static int h_tokens_revoke(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!parse_int64(req->params[0], &id))
        return hf_resp_problem(resp, 404, "Not Found", "no such token", NULL);
    hf_store *s = hf_server_store();
    hf_error err;
    if (!is_revops(req)) {
        /* one's own tokens only */
        json_t *mine = json_array();
        s->ops->token_list(s, WORKSPACE_OF(req), req->who.user_id, collect_token, mine, &err);
        bool own = false;
        size_t i;
        json_t *t;
        json_array_foreach(mine, i, t) own =
            own || json_integer_value(json_object_get(t, "id")) == id;
        json_decref(mine);
        if (!own)
            return forbidden(resp, "you may revoke your own tokens only");
    }
    if (s->ops->token_revoke(s, WORKSPACE_OF(req), id, (hf_time)time(NULL), &err))
        return store_problem(resp, &err);
    hf_auth_forget();
    resp->status = 204;
    return 0;
}

/* ---- routing ---- */

typedef struct route {
    const char *method;
    const char *pattern; /* `{}` matches one path segment */
    hf_handler fn;
    bool anonymous;
    bool writes;  /* needs the write scope for tokens */
    bool grouped; /* a write that joins the group commit (no password hashing in it) */
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
    {"GET", "/healthz", h_health, true, false, false},
    {"GET", "/readyz", h_ready, true, false, false},
    {"GET", "/metrics", h_metrics, true, false, false},
    {"GET", "/api/v1/openapi.json", h_openapi, true, false, false},
    {"POST", "/api/v1/session", h_login, true, false, false},
    {"DELETE", "/api/v1/session", h_logout, true, false, false},
    {"GET", "/api/v1/me", h_me, false, false, false},
    {"GET", "/api/v1/protocol", h_protocol, false, false, false},
    {"POST", "/api/v1/evaluate", h_evaluate, false, false, false},
    {"GET", "/api/v1/gate/{}", h_gate, false, false, false},
    {"GET", "/api/v1/deals", h_deals_list, false, false, false},
    {"GET", "/api/v1/deals/{}", h_deal_get, false, false, false},
    {"GET", "/api/v1/handoffs", h_handoffs_list, false, false, false},
    {"POST", "/api/v1/handoffs", h_handoff_create, false, true, true},
    {"GET", "/api/v1/handoffs/{}", h_handoff_get, false, false, false},
    {"PUT", "/api/v1/handoffs/{}/document", h_document_put, false, true, true},
    {"PATCH", "/api/v1/handoffs/{}/document", h_document_patch, false, true, true},
    {"PUT", "/api/v1/handoffs/{}/meeting", h_meeting_put, false, true, true},
    {"GET", "/api/v1/handoffs/{}/evaluation", h_evaluation, false, false, false},
    {"POST", "/api/v1/handoffs/{}/transitions", h_transition, false, true, true},
    {"POST", "/api/v1/handoffs/{}/review", h_review, false, true, true},
    {"POST", "/api/v1/handoffs/{}/pre-close-approval", h_pre_close_approval, false, true, true},
    {"GET", "/api/v1/handoffs/{}/history", h_history, false, false, false},
    {"GET", "/api/v1/handoffs/{}/versions/{}", h_version, false, false, false},
    {"GET", "/api/v1/handoffs/{}/diff", h_diff, false, false, false},
    {"GET", "/api/v1/handoffs/{}/checklists", h_checklists, false, false, false},
    {"GET", "/api/v1/users", h_users_list, false, false, false},
    {"POST", "/api/v1/users", h_users_create, false, true, false},
    {"GET", "/api/v1/users/{}", h_user_get, false, false, false},
    {"PATCH", "/api/v1/users/{}", h_users_patch, false, true, false},
    {"GET", "/api/v1/teams", h_teams_list, false, false, false},
    {"POST", "/api/v1/teams", h_teams_create, false, true, true},
    {"GET", "/api/v1/csms", h_csms, false, false, false},
    {"GET", "/api/v1/tokens", h_tokens_list, false, false, false},
    {"POST", "/api/v1/tokens", h_tokens_create, false, true, false},
    {"DELETE", "/api/v1/tokens/{}", h_tokens_revoke, false, true, true},
};

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
            hf_resp_problem(resp, 405, "Method Not Allowed", "see the Allow header", NULL);
        } else {
            hf_resp_problem(resp, 404, "Not Found", "no such resource", NULL);
        }
        return;
    }
    req->route = found->pattern;
    if (!found->anonymous || strcmp(found->pattern, "/metrics") == 0) {
        bool metrics = strcmp(found->pattern, "/metrics") == 0;
        hf_resp probe;
        memset(&probe, 0, sizeof(probe));
        if (hf_auth_identify(req, metrics ? &probe : resp) != 0) {
            free(probe.body);
            if (!metrics)
                return;
        }
        if (req->who.authenticated && req->who.via_token) {
            bool gate_only = !has_scope(req, "read") && !has_scope(req, "write");
            if (gate_only && strcmp(found->pattern, "/api/v1/gate/{}") != 0) {
                hf_resp_problem(resp, 403, "Forbidden", "this token may only ask the close gate",
                                NULL);
                return;
            }
            if (found->writes && !has_scope(req, "write")) {
                hf_resp_problem(resp, 403, "Forbidden", "the token needs the write scope", NULL);
                return;
            }
            if (!found->writes && !has_scope(req, "read") &&
                strcmp(found->pattern, "/api/v1/gate/{}") != 0) {
                hf_resp_problem(resp, 403, "Forbidden", "the token needs the read scope", NULL);
                return;
            }
        }
    }
    if (!hf_server_store() && !found->anonymous) {
        hf_resp_problem(resp, 503, "Service Unavailable", "the database is not reachable", NULL);
        return;
    }
    if (found->grouped && hf_group_enabled())
        hf_group_run(found->fn, req, resp);
    else
        found->fn(req, resp);
}
