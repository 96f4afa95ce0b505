/* The administration (GET /admin?tab=users|teams|tokens|protocols, GET /admin/users/{id},
 * POST /admin) and the account page (GET/POST /account).
 *
 * Who may administer is the service's answer (hf_svc_may_administer); every POST calls one
 * service function (user create/update, team create, token create/revoke, protocol
 * install), which checks again. A new token's secret is shown once, on the page that
 * answers its creation, and never again. */
#include "server/pages.h"

#include "handoff/i18n.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_labels[HF_ROLE_COUNT] = {
    N_("Account executive"), N_("Sales manager"), N_("Customer success manager"),
    N_("CS manager"),        N_("RevOps"),        N_("Viewer")};

static const struct {
    const char *name, *label;
} segment_opts[] = {{"strategic", N_("Strategic")},
                    {"enterprise", N_("Enterprise")},
                    {"mid_market", N_("Mid-market")},
                    {"smb", N_("Small business")}};

static const char *const lang_names[HF_LANG_COUNT] = {"English", "Português (Brasil)", "Español",
                                                      "Bahasa Indonesia"};

static const struct {
    const char *key, *label;
} tabs[] = {{"users", N_("Users")},
            {"teams", N_("Teams")},
            {"tokens", N_("API tokens")},
            {"protocols", N_("Protocol versions")}};

static int forbidden(hf_page *pg)
{
    return hf_page_error(pg, 403, N_("You cannot open this page"),
                         N_("Administration is for RevOps. Ask a RevOps colleague if you need a "
                            "change."));
}

static const char *field(const hf_page *pg, const char *name)
{
    const char *v = hf_page_field(pg, name);
    while (v && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
        v++;
    return v && *v ? v : NULL;
}

/* ---- collecting lists ---- */

static int add_user(void *ctx, const hf_user_rec *u)
{
    json_array_append_new(ctx, hf_svc_user_json(u));
    return 0;
}
static int add_team(void *ctx, const hf_team_rec *t)
{
    json_array_append_new(ctx, hf_svc_team_json(t));
    return 0;
}
static int add_token(void *ctx, const hf_token_rec *t)
{
    json_array_append_new(ctx, hf_svc_token_json(t));
    return 0;
}

static const char *name_of(const json_t *list, json_int_t id)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        if (json_integer_value(json_object_get(x, "id")) == id)
            return json_string_value(json_object_get(x, "name"));
    }
    return NULL;
}

/* Whether the comma-separated list `segs` names the segment `name`. */
static bool has_segment(const char *segs, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = segs ? strstr(segs, name) : NULL; p; p = strstr(p + 1, name)) {
        if ((p == segs || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
            return true;
    }
    return false;
}

/* Options of the user form for `u` (NULL: a new user): roles, teams, segments, languages. */
static void user_form_options(const hf_page *pg, json_t *data, const json_t *u, const json_t *teams)
{
    const char *role = json_string_value(json_object_get(u, "role"));
    json_t *o = json_array();
    for (int r = 0; r < HF_ROLE_COUNT; r++)
        json_array_append_new(o, json_pack("{s:s,s:s,s:b}", "value", hf_role_name((hf_role)r),
                                           "label", hf_tr(pg->lang, role_labels[r]), "selected",
                                           role && strcmp(role, hf_role_name((hf_role)r)) == 0));
    json_object_set_new(data, "role_options", o);
    json_int_t team = json_integer_value(json_object_get(u, "team_id"));
    o = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(teams, i, t)
    {
        json_int_t id = json_integer_value(json_object_get(t, "id"));
        json_array_append_new(o, json_pack("{s:I,s:O,s:b}", "value", id, "label",
                                           json_object_get(t, "name"), "selected", id == team));
    }
    json_object_set_new(data, "team_options", o);
    const char *segs = json_string_value(json_object_get(u, "segments"));
    o = json_array();
    for (size_t s = 0; s < sizeof(segment_opts) / sizeof(segment_opts[0]); s++) {
        bool on = has_segment(segs, segment_opts[s].name);
        json_array_append_new(o, json_pack("{s:s,s:s,s:b}", "value", segment_opts[s].name, "label",
                                           hf_tr(pg->lang, segment_opts[s].label), "checked", on));
    }
    json_object_set_new(data, "segment_options", o);
    const char *lang = json_string_value(json_object_get(u, "lang"));
    o = json_array();
    for (int l = 0; l < HF_LANG_COUNT; l++)
        json_array_append_new(o, json_pack("{s:s,s:s,s:b}", "value", hf_lang_code((hf_lang)l),
                                           "label", lang_names[l], "selected",
                                           lang && strcmp(lang, hf_lang_code((hf_lang)l)) == 0));
    json_object_set_new(data, "lang_options", o);
}

/* ---- GET /admin ---- */

static int admin_render(hf_page *pg, const char *tab, int status, json_t *data)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_svc *svc = hf_server_service();
    hf_error err;
    json_t *users = json_array(), *teams = json_array();
    if (hf_svc_user_list(svc, &a, add_user, users, &err) ||
        hf_svc_team_list(svc, &a, add_team, teams, &err)) {
        json_decref(users);
        json_decref(teams);
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    bool known = false;
    for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
        known = known || strcmp(tab, tabs[i].key) == 0;
    if (!known)
        tab = "users";
    json_t *t = json_array();
    for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
        json_array_append_new(t, json_pack("{s:s,s:s,s:b}", "key", tabs[i].key, "label",
                                           hf_tr(pg->lang, tabs[i].label), "current",
                                           strcmp(tab, tabs[i].key) == 0));
    json_object_set_new(data, "tabs", t);
    json_object_set_new(data, "tab_users", json_boolean(strcmp(tab, "users") == 0));
    json_object_set_new(data, "tab_teams", json_boolean(strcmp(tab, "teams") == 0));
    json_object_set_new(data, "tab_tokens", json_boolean(strcmp(tab, "tokens") == 0));
    json_object_set_new(data, "tab_protocols", json_boolean(strcmp(tab, "protocols") == 0));
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
    {
        hf_role r;
        if (hf_role_parse(json_string_value(json_object_get(u, "role")), &r))
            json_object_set_new(u, "role_label", json_string(hf_tr(pg->lang, role_labels[r])));
        const char *tn = name_of(teams, json_integer_value(json_object_get(u, "team_id")));
        if (tn)
            json_object_set_new(u, "team_name", json_string(tn));
        /* the table shows the segments' names in the reader's language, not their codes (the
         * language and the rest are on the user's own page) */
        const char *segs = json_string_value(json_object_get(u, "segments"));
        char label[256] = "";
        size_t used = 0;
        for (size_t s = 0; s < sizeof(segment_opts) / sizeof(segment_opts[0]); s++) {
            if (has_segment(segs, segment_opts[s].name) && used < sizeof(label))
                used += (size_t)snprintf(label + used, sizeof(label) - used, "%s%s",
                                         used ? ", " : "", hf_tr(pg->lang, segment_opts[s].label));
        }
        json_object_set_new(u, "segments_label", json_string(label));
        /* a capacity is a CSM's number of accounts: blank for the other roles */
        json_object_set_new(u, "capacity_shown",
                            json_boolean(json_integer_value(json_object_get(u, "capacity")) > 0));
    }
    json_array_foreach(teams, i, u)
    {
        const char *mn = name_of(users, json_integer_value(json_object_get(u, "manager_id")));
        if (mn)
            json_object_set_new(u, "manager_name", json_string(mn));
        const char *kind = json_string_value(json_object_get(u, "kind"));
        json_object_set_new(
            u, "kind_label",
            json_string(hf_tr(pg->lang, kind && strcmp(kind, "cs") == 0 ? N_("Customer success")
                                                                        : N_("Sales"))));
    }
    if (strcmp(tab, "tokens") == 0) {
        json_t *tokens = json_array();
        if (hf_svc_token_list(svc, &a, add_token, tokens, &err) == 0) {
            json_array_foreach(tokens, i, u)
            {
                const char *un = name_of(users, json_integer_value(json_object_get(u, "user_id")));
                json_object_set_new(u, "user_name", json_string(un ? un : "?"));
                json_object_set_new(u, "revoked",
                                    json_boolean(!json_is_null(json_object_get(u, "revoked_at"))));
                const json_t *at = json_object_get(u, "created_at");
                hf_time made;
                if (json_is_string(at) &&
                    hf_time_parse_rfc3339(json_string_value(at), json_string_length(at), &made))
                    json_object_set_new(u, "created_text", hf_page_datetime(pg, made));
            }
        }
        json_object_set_new(data, "tokens", tokens);
    }
    if (strcmp(tab, "protocols") == 0) {
        json_t *pl = NULL;
        if (hf_svc_protocol_list(svc, &a, &pl, &err) == 0) {
            json_object_set(data, "protocols", json_object_get(pl, "items"));
            json_decref(pl);
        }
    }
    if (!json_object_get(data, "role_options"))
        user_form_options(pg, data, json_object_get(data, "sent"), teams);
    json_array_foreach(users, i, u)
    {
        json_object_set_new(
            u, "me", json_boolean(json_integer_value(json_object_get(u, "id")) == a.user_id));
    }
    json_object_set_new(data, "users", users);
    json_object_set_new(data, "teams", teams);
    const char *done = hf_req_query(pg->req, "done");
    if (done && !json_object_get(data, "errors") && !json_object_get(data, "done")) {
        const char *msg = strcmp(done, "user") == 0       ? N_("The user has been saved.")
                          : strcmp(done, "team") == 0     ? N_("The team has been created.")
                          : strcmp(done, "revoked") == 0  ? N_("The token has been revoked.")
                          : strcmp(done, "protocol") == 0 ? N_("The protocol version is installed.")
                                                          : NULL;
        if (msg)
            json_object_set_new(data, "done", json_string(hf_tr(pg->lang, msg)));
    }
    return hf_page_render(pg, status, "admin", N_("Admin"), data);
}

int page_admin(hf_page *pg)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    if (!hf_svc_may_administer(&a))
        return forbidden(pg);
    const char *tab = hf_req_query(pg->req, "tab");
    return admin_render(pg, tab ? tab : "users", 200, json_object());
}

/* GET /admin/users/{id}: one user's form. */
int page_admin_user(hf_page *pg)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    if (!hf_svc_may_administer(&a))
        return forbidden(pg);
    int64_t id = pages_handoff_id(pg);
    hf_user_rec u;
    hf_error err;
    if (!id || hf_svc_user_get(hf_server_service(), &a, id, NULL, &u, &err))
        return hf_page_error(pg, 404, N_("Page not found"),
                             N_("Check the address, or go back to your inbox."));
    json_t *data = json_object();
    json_t *user = hf_svc_user_json(&u);
    hf_user_rec_free(&u);
    json_t *teams = json_array();
    hf_svc_team_list(hf_server_service(), &a, add_team, teams, &err);
    user_form_options(pg, data, user, teams);
    json_decref(teams);
    json_object_set_new(data, "user_rec", user);
    return hf_page_render(pg, 200, "admin_user", N_("Edit a user"), data);
}

/* The user fields of the form into `in` (strings borrowed from the form or `segs`). */
static void read_user(const hf_page *pg, hf_user_input *in, char *segs, size_t cap, json_t *sent)
{
    memset(in, 0, sizeof(*in));
    in->email = field(pg, "email");
    in->name = field(pg, "name");
    const char *v = field(pg, "role");
    if (v && hf_role_parse(v, &in->role))
        in->has_role = true;
    v = hf_page_field(pg, "team_id");
    if (v) {
        in->has_team = true;
        in->team_id = *v ? strtoll(v, NULL, 10) : 0;
    }
    v = field(pg, "capacity");
    if (v) {
        in->has_capacity = true;
        in->capacity = strtoll(v, NULL, 10);
    }
    segs[0] = '\0';
    json_t *s = json_object_get(pg->form, "segments");
    size_t i;
    json_t *x;
    if (json_is_string(s))
        snprintf(segs, cap, "%s", json_string_value(s));
    json_array_foreach(s, i, x)
    {
        size_t n = strlen(segs);
        snprintf(segs + n, cap - n, "%s%s", n ? "," : "", json_string_value(x));
    }
    in->segments = segs;
    v = hf_page_field(pg, "lang");
    in->lang = v ? v : "";
    in->password = field(pg, "password");
    json_object_set_new(sent, "email", json_string(in->email ? in->email : ""));
    json_object_set_new(sent, "name", json_string(in->name ? in->name : ""));
    json_object_set_new(sent, "role", json_string(in->has_role ? hf_role_name(in->role) : ""));
    json_object_set_new(sent, "team_id", json_integer(in->team_id));
    json_object_set_new(sent, "capacity", json_integer(in->capacity));
    json_object_set_new(sent, "segments", json_string(segs));
    json_object_set_new(sent, "lang", json_string(in->lang));
}

static const char *user_field(const char *path)
{
    static const char *const known[] = {"email",    "name",     "role", "team_id",
                                        "capacity", "segments", "lang", "password"};
    for (size_t i = 0; path && i < sizeof(known) / sizeof(known[0]); i++)
        if (strstr(path, known[i]))
            return strcmp(known[i], "team_id") == 0 ? "team_id" : known[i];
    return "email";
}

/* Render the token's secret, once. */
static int token_created(hf_page *pg, const char *secret, const hf_token_rec *t)
{
    json_t *data = json_object();
    json_object_set_new(data, "secret", json_string(secret));
    json_object_set_new(data, "name", json_string(t->name));
    json_object_set_new(data, "scopes", json_string(t->scopes));
    return hf_page_render(pg, 201, "admin_token", N_("API token created"), data);
}

int page_admin_post(hf_page *pg)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    if (!hf_svc_may_administer(&a))
        return forbidden(pg);
    hf_svc *svc = hf_server_service();
    hf_time now = hf_page_now();
    const char *action = hf_page_field(pg, "action");
    hf_error err;
    json_t *data = json_object();
    int rc;
    const char *tab = "users", *done = "user", *err_field = "email";
    if (!action)
        action = "";
    if (strcmp(action, "user_create") == 0 || strcmp(action, "user_update") == 0) {
        hf_user_input in;
        char segs[128];
        json_t *sent = json_object();
        read_user(pg, &in, segs, sizeof(segs), sent);
        json_object_set_new(data, "sent", sent);
        if (strcmp(action, "user_create") == 0) {
            if (!in.has_role) {
                in.has_role = true;
                in.role = HF_ROLE_VIEWER;
            }
            rc = hf_svc_user_create(svc, &a, &in, now, NULL, &err);
        } else {
            int64_t id = strtoll(hf_page_field(pg, "id") ? hf_page_field(pg, "id") : "0", NULL, 10);
            in.email = NULL; /* the address is the log-in: it stays */
            rc = hf_svc_user_update(svc, &a, id, &in, NULL, &err);
        }
        err_field = rc ? user_field(err.path) : "email";
    } else if (strcmp(action, "user_active") == 0) {
        hf_user_input in;
        memset(&in, 0, sizeof(in));
        in.has_active = true;
        in.active = hf_page_field(pg, "active") && strcmp(hf_page_field(pg, "active"), "1") == 0;
        int64_t id = strtoll(hf_page_field(pg, "id") ? hf_page_field(pg, "id") : "0", NULL, 10);
        rc = hf_svc_user_update(svc, &a, id, &in, NULL, &err);
    } else if (strcmp(action, "team_create") == 0) {
        tab = "teams", done = "team", err_field = "team_name";
        const char *m = hf_page_field(pg, "manager_id");
        int64_t id = 0;
        rc = hf_svc_team_create(svc, &a, field(pg, "team_name") ? field(pg, "team_name") : "",
                                hf_page_field(pg, "kind") ? hf_page_field(pg, "kind") : "",
                                m && *m ? strtoll(m, NULL, 10) : 0, &id, &err);
    } else if (strcmp(action, "token_create") == 0) {
        tab = "tokens", err_field = "token_name";
        char scopes[32] = "";
        json_t *s = json_object_get(pg->form, "scopes");
        size_t i;
        json_t *x;
        if (json_is_string(s))
            snprintf(scopes, sizeof(scopes), "%s", json_string_value(s));
        json_array_foreach(s, i, x)
        {
            size_t n = strlen(scopes);
            snprintf(scopes + n, sizeof(scopes) - n, "%s%s", n ? " " : "", json_string_value(x));
        }
        const char *uid = hf_page_field(pg, "user_id");
        char secret[HF_TOKEN_MAX];
        hf_token_rec t;
        rc = hf_svc_token_create(svc, &a, uid && *uid ? strtoll(uid, NULL, 10) : 0,
                                 field(pg, "token_name") ? field(pg, "token_name") : "", scopes,
                                 now, secret, &t, &err);
        if (rc == 0) {
            json_decref(data);
            rc = token_created(pg, secret, &t);
            sodium_memzero(secret, sizeof(secret));
            hf_token_rec_free(&t);
            return rc;
        }
    } else if (strcmp(action, "token_revoke") == 0) {
        tab = "tokens", done = "revoked", err_field = "tokens";
        const char *id = hf_page_field(pg, "id");
        rc = hf_svc_token_revoke(svc, &a, id ? strtoll(id, NULL, 10) : 0, now, &err);
    } else if (strcmp(action, "protocol_install") == 0) {
        tab = "protocols", done = "protocol", err_field = "protocol_text";
        const char *text = hf_page_field(pg, "protocol_text");
        json_object_set_new(data, "protocol_text", json_string(text ? text : ""));
        rc = hf_svc_protocol_install(svc, &a, text ? text : "", text ? strlen(text) : 0, false, now,
                                     NULL, &err);
    } else {
        json_decref(data);
        return hf_page_error(pg, 400, N_("This form cannot be read"),
                             N_("Send the form from its page."));
    }
    if (rc == 0) {
        json_decref(data);
        char loc[64];
        snprintf(loc, sizeof(loc), "/admin?tab=%s&done=%s", tab, done);
        return hf_page_redirect(pg, loc);
    }
    if (rc == HF_EPERM) {
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    json_t *msg = hf_page_svc_message(pg, &err);
    hf_page_field_error(data, err_field, json_string_value(msg));
    json_decref(msg);
    return admin_render(pg, tab, hf_page_svc_status(rc), data);
}

/* ---- the account: anyone saves their language ---- */

int page_account(hf_page *pg)
{
    json_t *data = json_object();
    json_t *o = json_array();
    const char *saved = pg->who->lang[0] ? pg->who->lang : NULL;
    for (int l = 0; l < HF_LANG_COUNT; l++)
        json_array_append_new(o, json_pack("{s:s,s:s,s:b}", "value", hf_lang_code((hf_lang)l),
                                           "label", lang_names[l], "selected",
                                           saved ? strcmp(saved, hf_lang_code((hf_lang)l)) == 0
                                                 : (hf_lang)l == pg->lang));
    json_object_set_new(data, "lang_options", o);
    json_object_set_new(data, "role_label",
                        json_string(hf_tr(pg->lang, role_labels[pg->who->role % HF_ROLE_COUNT])));
    const char *done = hf_req_query(pg->req, "done");
    if (done && strcmp(done, "1") == 0)
        json_object_set_new(data, "done", json_true());
    return hf_page_render(pg, 200, "account", N_("Your account"), data);
}
