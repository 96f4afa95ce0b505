/* The other resources of the JSON API: health and readiness, metrics, the OpenAPI
 * document, who am I, protocol versions, evaluating a document that is not stored, the
 * close gate a CRM asks, and deals. Each handler parses, calls one service function and
 * renders (see api.h). */
#include "server/api.h"

#include <stdlib.h>
#include <string.h>

extern const char hf_openapi_json[];

int api_health(hf_req *req, hf_resp *resp)
{
    (void)req;
    return hf_resp_json(resp, 200, json_pack("{s:s}", "status", "ok"));
}

int api_ready(hf_req *req, hf_resp *resp)
{
    (void)req;
    hf_store *s = hf_server_store();
    char result[64];
    hf_error err;
    if (!s || hf_store_check(s, result, sizeof(result), &err))
        return hf_resp_problem(resp, 503, N_("Service Unavailable"),
                               N_("the database is not reachable"), NULL);
    return hf_resp_json(resp, 200,
                        json_pack("{s:s,s:s}", "status", "ready", "database", hf_store_backend(s)));
}

static bool is_loopback(const char *ip)
{
    return strncmp(ip, "127.", 4) == 0 || strcmp(ip, "::1") == 0;
}

int api_metrics(hf_req *req, hf_resp *resp)
{
    /* who may scrape is the operator's setting (loopback) or RevOps: not a business rule */
    if (!is_loopback(req->client_ip) &&
        !(req->who.authenticated && req->who.role == HF_ROLE_REVOPS))
        return hf_resp_problem(resp, 403, N_("Forbidden"),
                               N_("metrics are for RevOps or local scrapers"), NULL);
    char *m = hf_metrics_render();
    resp->status = 200;
    resp->content_type = "text/plain; version=0.0.4";
    resp->body = m;
    resp->len = m ? strlen(m) : 0;
    return 0;
}

int api_openapi(hf_req *req, hf_resp *resp)
{
    (void)req;
    return hf_resp_text(resp, 200, "application/json", hf_openapi_json);
}

int api_me(hf_req *req, hf_resp *resp)
{
    hf_actor a;
    api_actor(req, &a);
    return hf_resp_json(resp, 200, hf_svc_actor_json(&a));
}

int api_protocol(hf_req *req, hf_resp *resp)
{
    hf_time now;
    if (!api_now(req, resp, &now))
        return 0;
    const char *version = hf_req_query(req, "version");
    const hf_protocol *p;
    hf_error err;
    hf_error_clear(&err);
    if (hf_svc_protocol_get(hf_server_service(), version, now, &p, &err))
        return api_fail(resp, req, &err);
    return hf_resp_json(resp, 200, hf_protocol_to_json(p));
}

int api_protocols_list(hf_req *req, hf_resp *resp)
{
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_protocol_list(hf_server_service(), &a, &out, &err))
        return api_fail(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

int api_protocols_install(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    json_decref(body);
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_protocol_rec rec;
    memset(&rec, 0, sizeof(rec));
    if (hf_svc_protocol_install(hf_server_service(), &a, req->body, req->body_len, false,
                                api_clock(), &rec, &err))
        return api_fail(resp, req, &err);
    char day[HF_TIME_BUFSZ];
    hf_resp_json(resp, 201,
                 json_pack("{s:s,s:s,s:s}", "version", rec.version, "effective",
                           hf_date_format(rec.effective_day, day), "installed_by",
                           rec.installed_by));
    hf_protocol_rec_free(&rec);
    return 0;
}

int api_evaluate(hf_req *req, hf_resp *resp)
{
    hf_time now;
    if (!api_now(req, resp, &now))
        return 0;
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    /* either a bare document or {"document": ..., "protocol": ...} */
    json_t *doc = json_object_get(body, "document");
    json_t *protocol = NULL;
    if (doc && json_is_object(doc))
        protocol = json_object_get(body, "protocol");
    else
        doc = body;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_evaluation ev;
    if (hf_svc_evaluate_document(hf_server_service(), &a, doc, protocol, now, &ev, &err) == 0)
        hf_resp_json(resp, 200, hf_evaluation_to_json(&ev));
    else
        api_fail(resp, req, &err);
    hf_evaluation_free(&ev);
    json_decref(body);
    return 0;
}

int api_gate(hf_req *req, hf_resp *resp)
{
    hf_time now;
    if (!api_now(req, resp, &now))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_gate(hf_server_service(), &a, req->params[0], now, &out, &err))
        return api_fail(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

int api_deal_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such deal")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_deal_rec d;
    if (hf_svc_deal_get(hf_server_service(), &a, id, &d, &err))
        return api_fail(resp, req, &err);
    json_t *o = hf_svc_deal_json(&d);
    hf_deal_rec_free(&d);
    return hf_resp_json(resp, 200, o);
}

static int collect_deal(void *ctx, const hf_deal_rec *d)
{
    json_array_append_new(ctx, hf_svc_deal_json(d));
    return 0;
}

int api_deals_list(hf_req *req, hf_resp *resp)
{
    int64_t n = 50, after = 0;
    if (!api_query_number(req, resp, "limit", 500, &n) ||
        !api_query_number(req, resp, "cursor", INT64_C(999999999999999), &after))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *items = json_array();
    if (hf_svc_deal_list(hf_server_service(), &a, after, (int)n + 1, collect_deal, items, &err)) {
        json_decref(items);
        return api_fail(resp, req, &err);
    }
    return api_page(resp, items, n);
}
