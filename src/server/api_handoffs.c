/* The handoff resources of the JSON API: list, create, read, the document (PUT, merge
 * PATCH, the meeting section), the evaluation, transitions and the CS review, the pre-close
 * approval, CSM assignment, protocol re-pinning, history, versions, diffs and checklists.
 * Each handler parses, calls one service function and renders (see api.h). */
#include "server/api.h"

#include "server/parse.h"

#include <stdlib.h>
#include <string.h>

static int svc_error(hf_resp *resp, const hf_req *req, const hf_error *err)
{
    return api_fail(resp, req, err);
}

/* ---- list, create, read ---- */

typedef struct list_ctx {
    json_t *items;
} list_ctx;

static int collect(void *vctx, const hf_handoff_rec *h)
{
    list_ctx *c = vctx;
    json_array_append_new(c->items, hf_svc_handoff_json(h, false));
    return 0;
}

int api_handoffs_list(hf_req *req, hf_resp *resp)
{
    hf_handoff_filter f;
    memset(&f, 0, sizeof(f));
    const char *v;
    hf_status st;
    if ((v = hf_req_query(req, "status"))) {
        if (!hf_status_parse(v, &st))
            return hf_resp_problem(resp, 400, N_("Bad Request"), N_("unknown status"), "status");
        f.status_mask = HF_STATUS_BIT(st);
    }
    f.segment = hf_req_query(req, "segment");
    f.owner = hf_req_query(req, "owner");
    f.csm = hf_req_query(req, "csm");
    f.search = hf_req_query(req, "search");
    if ((v = hf_req_query(req, "band"))) {
        int b = -1;
        for (int i = 0; i < HF_BAND_COUNT; i++)
            if (strcmp(v, hf_band_names[i]) == 0)
                b = i;
        if (b < 0)
            return hf_resp_problem(resp, 400, N_("Bad Request"), N_("unknown band"), "band");
        f.band_mask = 1u << b;
    }
    if ((v = hf_req_query(req, "unassigned")) && strcmp(v, "true") == 0)
        f.unassigned = true;
    if ((v = hf_req_query(req, "overdue")) && strcmp(v, "true") == 0) {
        if (!api_now(req, resp, &f.now))
            return 0;
        f.overdue_only = true;
    }
    int64_t n = 50;
    if (!api_query_number(req, resp, "limit", 500, &n) ||
        !api_query_number(req, resp, "cursor", INT64_C(999999999999999), &f.after_id))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    if ((v = hf_req_query(req, "count")) && strcmp(v, "true") == 0) {
        int64_t count = 0;
        if (hf_svc_handoff_count(hf_server_service(), &a, &f, &count, &err))
            return svc_error(resp, req, &err);
        return hf_resp_json(resp, 200, json_pack("{s:I}", "count", (json_int_t)count));
    }
    f.limit = (int)n + 1; /* one more tells whether there is a next page */
    list_ctx c = {json_array()};
    if (hf_svc_handoff_list(hf_server_service(), &a, &f, collect, &c, &err)) {
        json_decref(c.items);
        return svc_error(resp, req, &err);
    }
    return api_page(resp, c.items, n);
}

int api_handoff_create(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    /* the service takes the document as it is (no copy): the body is not read again */
    json_t *doc = json_incref(json_object_get(body, "document"));
    if (!doc)
        doc = json_incref(body);
    json_decref(body);
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    int64_t existing = 0;
    int rc = hf_svc_handoff_create_take(hf_server_service(), &a, doc, "api", api_clock(), &h,
                                        &existing, &err);
    if (rc) {
        if (existing)
            snprintf(resp->location, sizeof(resp->location), "/api/v1/handoffs/%lld",
                     (long long)existing);
        return svc_error(resp, req, &err);
    }
    snprintf(resp->location, sizeof(resp->location), "/api/v1/handoffs/%lld", (long long)h.id);
    api_handoff(resp, 201, &h, true);
    hf_handoff_rec_free(&h);
    return 0;
}

int api_handoff_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_handoff_rec h;
    hf_error err;
    hf_error_clear(&err);
    if (hf_svc_handoff_get(hf_server_service(), &a, id, &h, &err))
        return svc_error(resp, req, &err);
    api_handoff(resp, 200, &h, true);
    hf_handoff_rec_free(&h);
    return 0;
}

/* ---- the document ---- */

/* PUT (replace), PATCH (merge patch), or PUT of the meeting section. If-Match is required
 * (428 without it); `*` means "whatever is current". */
static int write_document(hf_req *req, hf_resp *resp, hf_write_kind kind)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    int base = hf_http_if_match(hf_req_header(req, "If-Match"));
    if (base == 0)
        return hf_resp_problem(resp, 428, N_("Precondition Required"),
                               N_("send If-Match with the ETag of the version you edited"), NULL);
    if (base < 0)
        return hf_resp_problem(resp, 400, N_("Bad Request"),
                               N_("If-Match: expected an ETag like \"3\""), NULL);
    if (base == HF_IF_MATCH_ANY)
        base = 0;
    json_t *body = api_body(req, resp, kind == HF_WRITE_PATCH);
    if (!body)
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    int rc = hf_svc_handoff_write(hf_server_service(), &a, id, base, kind,
                                  kind == HF_WRITE_SECTION ? "meeting" : NULL, body, api_clock(),
                                  &h, &err);
    json_decref(body);
    if (rc)
        return svc_error(resp, req, &err);
    api_handoff(resp, 200, &h, true);
    hf_handoff_rec_free(&h);
    return 0;
}

int api_document_put(hf_req *req, hf_resp *resp)
{
    return write_document(req, resp, HF_WRITE_PUT);
}

int api_document_patch(hf_req *req, hf_resp *resp)
{
    return write_document(req, resp, HF_WRITE_PATCH);
}

int api_meeting_put(hf_req *req, hf_resp *resp)
{
    return write_document(req, resp, HF_WRITE_SECTION);
}

int api_evaluation(hf_req *req, hf_resp *resp)
{
    int64_t id;
    hf_time now;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")) || !api_now(req, resp, &now))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_handoff_rec h;
    hf_evaluation ev;
    hf_error err;
    hf_error_clear(&err);
    if (hf_svc_handoff_evaluate(hf_server_service(), &a, id, now, &h, &ev, &err))
        return svc_error(resp, req, &err);
    snprintf(resp->etag, sizeof(resp->etag), "\"%d\"", h.version);
    hf_resp_json(resp, 200, hf_evaluation_to_json(&ev));
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    return 0;
}

/* ---- status changes ---- */

static int do_transition(hf_req *req, hf_resp *resp, const json_t *body, hf_status to,
                         const char *comment)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    const char *reasons[9];
    size_t n = 0;
    const json_t *list = json_object_get(body, "reasons");
    if (list && !json_is_array(list))
        return hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                               N_("expected a list of reason codes"), "reasons");
    size_t i;
    const json_t *r;
    json_array_foreach(list, i, r)
    {
        if (n == 9)
            break;
        /* a code that is not a string is checked (and refused) by the service as "" */
        reasons[n++] = json_is_string(r) ? json_string_value(r) : "";
    }
    hf_transition_req t = {to, comment, reasons, n, api_string(body, "override_reason"), 0};
    const char *held = api_string(body, "held_at");
    if (held && !hf_time_parse_rfc3339(held, strlen(held), &t.held_at))
        return hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                               N_("expected an RFC 3339 timestamp with an offset"), "held_at");
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    if (hf_svc_handoff_transition(hf_server_service(), &a, id, &t, api_clock(), &h, &err))
        return svc_error(resp, req, &err);
    api_handoff(resp, 200, &h, false);
    hf_handoff_rec_free(&h);
    return 0;
}

int api_transition(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    hf_status to;
    const char *target = api_string(body, "to");
    if (!target || !hf_status_parse(target, &to) || to == HF_STATUS_DRAFT) {
        json_decref(body);
        return hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                               N_("expected a status: submitted, scheduled, held, accepted, "
                                  "needs_revision, rejected, completed or cancelled"),
                               "to");
    }
    do_transition(req, resp, body, to, api_string(body, "reason"));
    json_decref(body);
    return 0;
}

int api_review(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    hf_status to;
    const char *d = api_string(body, "decision");
    if (!d || !hf_status_parse_decision(d, &to)) {
        json_decref(body);
        return hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                               N_("expected accepted, needs_revision or rejected"), "decision");
    }
    do_transition(req, resp, body, to, api_string(body, "comment"));
    json_decref(body);
    return 0;
}

int api_pre_close_approval(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    if (hf_svc_pre_close_approve(hf_server_service(), &a, id, api_clock(), &h, &err))
        return svc_error(resp, req, &err);
    api_handoff(resp, 200, &h, false);
    hf_handoff_rec_free(&h);
    return 0;
}

int api_assignment(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    int rc = hf_svc_csm_assign(hf_server_service(), &a, id, api_string(body, "csm_email"),
                               api_string(body, "override_reason"), api_clock(), &h, &err);
    json_decref(body);
    if (rc)
        return svc_error(resp, req, &err);
    api_handoff(resp, 200, &h, false);
    hf_handoff_rec_free(&h);
    return 0;
}

int api_repin(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    const char *version = api_string(body, "version");
    if (!version) {
        json_decref(body);
        return hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                               N_("expected {\"version\": ...}"), "version");
    }
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    int rc = hf_svc_handoff_repin(hf_server_service(), &a, id, version, api_clock(), &h, &err);
    json_decref(body);
    if (rc)
        return svc_error(resp, req, &err);
    api_handoff(resp, 200, &h, false);
    hf_handoff_rec_free(&h);
    return 0;
}

/* ---- history and checklists ---- */

int api_history(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_handoff_history(hf_server_service(), &a, id, &out, &err))
        return svc_error(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

int api_version(hf_req *req, hf_resp *resp)
{
    int64_t id, v;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")) ||
        !api_id(req, resp, 1, &v, N_("no such version")))
        return 0;
    if (v > 1000000000)
        return hf_resp_problem(resp, 404, N_("Not Found"), N_("no such version"), NULL);
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_handoff_version(hf_server_service(), &a, id, (int)v, &out, &err))
        return svc_error(resp, req, &err);
    snprintf(resp->etag, sizeof(resp->etag), "\"%d\"", (int)v);
    return hf_resp_json(resp, 200, out);
}

int api_diff(hf_req *req, hf_resp *resp)
{
    int64_t id, from = 0, to = 0;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    if (!api_query_number(req, resp, "from", 1000000000, &from) ||
        !api_query_number(req, resp, "to", 1000000000, &to))
        return 0;
    if (!from || !to)
        return hf_resp_problem(resp, 400, N_("Bad Request"), N_("expected ?from=V1&to=V2"),
                               from ? "to" : "from");
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_handoff_diff(hf_server_service(), &a, id, (int)from, (int)to, &out, &err))
        return svc_error(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

int api_checklists(hf_req *req, hf_resp *resp)
{
    int64_t id;
    hf_time now;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")) || !api_now(req, resp, &now))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_checklists(hf_server_service(), &a, id, now, &out, &err))
        return svc_error(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

int api_checklist_tick(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such handoff")))
        return 0;
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    const json_t *done = json_object_get(body, "done");
    if (!json_is_boolean(done)) {
        json_decref(body);
        return hf_resp_problem(resp, 422, N_("Unprocessable Content"), N_("expected true or false"),
                               "done");
    }
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_svc_checklist_tick(hf_server_service(), &a, id, req->params[1], json_is_true(done),
                                   api_clock(), &err);
    json_decref(body);
    if (rc)
        return svc_error(resp, req, &err);
    json_t *out;
    if (hf_svc_checklists(hf_server_service(), &a, id, api_clock(), &out, &err))
        return svc_error(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}
