/* The integration resources of the JSON API (RevOps): the CRM and e-signature accounts
 * that start handoffs, and the webhook deliveries they made, with their replay. Each
 * handler parses, calls one service function and renders (see api.h); secrets go in and
 * never come out. */
#include "server/api.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The endpoint URL of an integration record as this server is reached. */
static void add_endpoint(const hf_req *req, json_t *rec)
{
    const char *path = api_string(rec, "endpoint_path");
    if (!path)
        return;
    char base[512], url[1024];
    hf_req_public_base(req, base, sizeof(base));
    snprintf(url, sizeof(url), "%s%s", base, path);
    json_object_set_new(rec, "endpoint", json_string(url));
}

/* The members of an integration body, checked for type here (values are the service's to
 * check); false after answering 422. Secret strings stay in `body`, which the caller
 * wipes. */
static bool integration_input(hf_resp *resp, const json_t *body, hf_integration_input *in)
{
    memset(in, 0, sizeof(*in));
    static const char *const strings[] = {"source", "name", "secret", "api_token"};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        const json_t *v = json_object_get(body, strings[i]);
        if (v && !json_is_string(v)) {
            hf_resp_problem(resp, 422, N_("Unprocessable Content"), N_("expected a string"),
                            strings[i]);
            return false;
        }
    }
    in->source = api_string(body, "source");
    in->name = api_string(body, "name");
    in->secret = api_string(body, "secret");
    in->api_token = api_string(body, "api_token");
    const json_t *v = json_object_get(body, "config");
    if (v && !json_is_object(v)) {
        hf_resp_problem(resp, 422, N_("Unprocessable Content"), N_("expected an object"), "config");
        return false;
    }
    in->config = v;
    if ((v = json_object_get(body, "retention_days"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000) {
            hf_resp_problem(resp, 422, N_("Unprocessable Content"), N_("expected a number"),
                            "retention_days");
            return false;
        }
        in->has_retention = true;
        in->retention_days = (int)json_integer_value(v);
    }
    return true;
}

/* Overwrite the secret strings of a request body before it is released. */
static void wipe(json_t *body)
{
    static const char *const keys[] = {"secret", "api_token"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(body, keys[i]);
        if (json_is_string(v)) {
            size_t n = json_string_length(v);
            char *zeros = calloc(n + 1, 1);
            if (zeros) {
                json_string_setn_nocheck(v, zeros, n);
                free(zeros);
            }
        }
    }
    json_decref(body);
}

int api_integrations_list(hf_req *req, hf_resp *resp)
{
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_integration_list(hf_server_service(), &a, &out, &err))
        return api_fail(resp, req, &err);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(out, "items"), i, it)
    {
        add_endpoint(req, it);
    }
    return hf_resp_json(resp, 200, out);
}

int api_integrations_create(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    hf_integration_input in;
    if (!integration_input(resp, body, &in)) {
        wipe(body);
        return 0;
    }
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out = NULL;
    int rc = hf_svc_integration_create(hf_server_service(), &a, &in, api_clock(), &out, &err);
    wipe(body);
    if (rc)
        return api_fail(resp, req, &err);
    add_endpoint(req, out);
    snprintf(resp->location, sizeof(resp->location), "/api/v1/integrations/%lld",
             (long long)json_integer_value(json_object_get(out, "id")));
    return hf_resp_json(resp, 201, out);
}

int api_integration_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such integration")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_integration_get(hf_server_service(), &a, id, &out, &err))
        return api_fail(resp, req, &err);
    add_endpoint(req, out);
    return hf_resp_json(resp, 200, out);
}

int api_integration_patch(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such integration")))
        return 0;
    json_t *body = api_body(req, resp, true);
    if (!body)
        return 0;
    hf_integration_input in;
    if (!integration_input(resp, body, &in)) {
        wipe(body);
        return 0;
    }
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out = NULL;
    int rc = hf_svc_integration_update(hf_server_service(), &a, id, &in, api_clock(), &out, &err);
    wipe(body);
    if (rc)
        return api_fail(resp, req, &err);
    add_endpoint(req, out);
    return hf_resp_json(resp, 200, out);
}

int api_integration_delete(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such integration")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    if (hf_svc_integration_delete(hf_server_service(), &a, id, &err))
        return api_fail(resp, req, &err);
    resp->status = 204;
    return 0;
}

int api_hook_events_list(hf_req *req, hf_resp *resp)
{
    int64_t integration = 0, cursor = 0, limit = 100;
    if (!api_query_number(req, resp, "integration", INT64_MAX, &integration) ||
        !api_query_number(req, resp, "cursor", INT64_MAX, &cursor) ||
        !api_query_number(req, resp, "limit", 500, &limit))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_hook_events(hf_server_service(), &a, integration, cursor, (int)limit, &out, &err))
        return api_fail(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

int api_hook_event_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such delivery")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_hook_event_get(hf_server_service(), &a, id, &out, &err))
        return api_fail(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

int api_hook_event_replay(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such delivery")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out = NULL;
    if (hf_svc_hook_replay(hf_server_service(), &a, id, api_clock(), &out, &err))
        return api_fail(resp, req, &err);
    return hf_resp_json(resp, 200, out ? out : json_object());
}
