/* The people resources of the JSON API: users, teams, CSM load and API tokens. Each
 * handler parses, calls one service function and renders (see api.h). */
#include "server/api.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int collect_user(void *ctx, const hf_user_rec *u)
{
    json_array_append_new(ctx, hf_svc_user_json(u));
    return 0;
}

int api_users_list(hf_req *req, hf_resp *resp)
{
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *items = json_array();
    if (hf_svc_user_list(hf_server_service(), &a, collect_user, items, &err)) {
        json_decref(items);
        return api_fail(resp, req, &err);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* The members of a user body, checked for type here (values are the service's to check);
 * false after answering 422. */
static bool user_input(const hf_req *req, hf_resp *resp, const json_t *body, hf_user_input *in)
{
    memset(in, 0, sizeof(*in));
    static const char *const strings[] = {"email", "name", "segments", "lang", "password", "role"};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        const json_t *v = json_object_get(body, strings[i]);
        if (v && !json_is_string(v) && !(json_is_null(v) && (i == 2 || i == 3))) {
            hf_resp_problem(resp, 422, N_("Unprocessable Content"), N_("expected a string"),
                            strings[i]);
            return false;
        }
    }
    in->email = api_string(body, "email");
    in->name = api_string(body, "name");
    in->password = api_string(body, "password");
    in->segments =
        json_is_null(json_object_get(body, "segments")) ? "" : api_string(body, "segments");
    in->lang = json_is_null(json_object_get(body, "lang")) ? "" : api_string(body, "lang");
    const char *role = api_string(body, "role");
    if (role) {
        if (!hf_role_parse(role, &in->role)) {
            hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                            N_("expected account_executive, sales_manager, csm, cs_manager, "
                               "revops or viewer"),
                            "role");
            return false;
        }
        in->has_role = true;
    }
    const json_t *j;
    if ((j = json_object_get(body, "team_id"))) {
        if (!json_is_null(j) && !json_is_integer(j)) {
            hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                            N_("expected a team id or null"), "team_id");
            return false;
        }
        in->has_team = true;
        in->team_id = json_is_integer(j) ? json_integer_value(j) : 0;
    }
    if ((j = json_object_get(body, "capacity"))) {
        if (!json_is_integer(j)) {
            hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                            N_("expected a number of accounts from 0 to 10000"), "capacity");
            return false;
        }
        in->has_capacity = true;
        in->capacity = json_integer_value(j);
    }
    if ((j = json_object_get(body, "active"))) {
        if (!json_is_boolean(j)) {
            hf_resp_problem(resp, 422, N_("Unprocessable Content"), N_("expected true or false"),
                            "active");
            return false;
        }
        in->has_active = true;
        in->active = json_is_true(j);
    }
    (void)req;
    return true;
}

int api_users_create(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    hf_user_input in;
    if (!user_input(req, resp, body, &in)) {
        json_decref(body);
        return 0;
    }
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_user_rec u;
    memset(&u, 0, sizeof(u));
    int rc = hf_svc_user_create(hf_server_service(), &a, &in, api_clock(), &u, &err);
    json_decref(body);
    if (rc)
        return api_fail(resp, req, &err);
    snprintf(resp->location, sizeof(resp->location), "/api/v1/users/%lld", (long long)u.id);
    hf_resp_json(resp, 201, hf_svc_user_json(&u));
    hf_user_rec_free(&u);
    return 0;
}

int api_user_get(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such user")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_user_rec u;
    if (hf_svc_user_get(hf_server_service(), &a, id, NULL, &u, &err))
        return api_fail(resp, req, &err);
    hf_resp_json(resp, 200, hf_svc_user_json(&u));
    hf_user_rec_free(&u);
    return 0;
}

int api_users_patch(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such user")))
        return 0;
    json_t *body = api_body(req, resp, true);
    if (!body)
        return 0;
    hf_user_input in;
    if (!user_input(req, resp, body, &in)) {
        json_decref(body);
        return 0;
    }
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    hf_user_rec u;
    memset(&u, 0, sizeof(u));
    int rc = hf_svc_user_update(hf_server_service(), &a, id, &in, &u, &err);
    json_decref(body);
    if (rc)
        return api_fail(resp, req, &err);
    hf_resp_json(resp, 200, hf_svc_user_json(&u));
    hf_user_rec_free(&u);
    return 0;
}

static int collect_team(void *ctx, const hf_team_rec *t)
{
    json_array_append_new(ctx, hf_svc_team_json(t));
    return 0;
}

int api_teams_list(hf_req *req, hf_resp *resp)
{
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *items = json_array();
    if (hf_svc_team_list(hf_server_service(), &a, collect_team, items, &err)) {
        json_decref(items);
        return api_fail(resp, req, &err);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

int api_teams_create(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    const json_t *mgr = json_object_get(body, "manager_id");
    if (mgr && !json_is_null(mgr) && !json_is_integer(mgr)) {
        json_decref(body);
        return hf_resp_problem(resp, 422, N_("Unprocessable Content"),
                               N_("expected a user id or null"), "manager_id");
    }
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    int64_t id = 0;
    int rc = hf_svc_team_create(hf_server_service(), &a, api_string(body, "name"),
                                api_string(body, "kind"),
                                json_is_integer(mgr) ? json_integer_value(mgr) : 0, &id, &err);
    json_decref(body);
    if (rc)
        return api_fail(resp, req, &err);
    snprintf(resp->location, sizeof(resp->location), "/api/v1/teams/%lld", (long long)id);
    return hf_resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

int api_csms(hf_req *req, hf_resp *resp)
{
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *out;
    if (hf_svc_csm_load(hf_server_service(), &a, &out, &err))
        return api_fail(resp, req, &err);
    return hf_resp_json(resp, 200, out);
}

static int collect_token(void *ctx, const hf_token_rec *t)
{
    json_array_append_new(ctx, hf_svc_token_json(t));
    return 0;
}

int api_tokens_list(hf_req *req, hf_resp *resp)
{
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    json_t *items = json_array();
    if (hf_svc_token_list(hf_server_service(), &a, collect_token, items, &err)) {
        json_decref(items);
        return api_fail(resp, req, &err);
    }
    return hf_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

int api_tokens_create(hf_req *req, hf_resp *resp)
{
    json_t *body = api_body(req, resp, false);
    if (!body)
        return 0;
    const json_t *uid = json_object_get(body, "user_id");
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    char token[HF_TOKEN_MAX];
    hf_token_rec t;
    memset(&t, 0, sizeof(t));
    int rc = hf_svc_token_create(
        hf_server_service(), &a, json_is_integer(uid) ? json_integer_value(uid) : 0,
        api_string(body, "name"), api_string(body, "scopes"), api_clock(), token, &t, &err);
    json_decref(body);
    if (rc)
        return api_fail(resp, req, &err);
    json_t *o = hf_svc_token_json(&t);
    json_object_set_new(o, "token", json_string(token));
    sodium_memzero(token, sizeof(token));
    hf_token_rec_free(&t);
    return hf_resp_json(resp, 201, o);
}

int api_tokens_revoke(hf_req *req, hf_resp *resp)
{
    int64_t id;
    if (!api_id(req, resp, 0, &id, N_("no such token")))
        return 0;
    hf_actor a;
    api_actor(req, &a);
    hf_error err;
    hf_error_clear(&err);
    if (hf_svc_token_revoke(hf_server_service(), &a, id, api_clock(), &err))
        return api_fail(resp, req, &err);
    resp->status = 204;
    return 0;
}
