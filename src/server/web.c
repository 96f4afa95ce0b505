/* The web application of handoffd: everything a browser asks that is not the JSON API —
 * pages, their forms, the static assets — and what every page shares.
 *
 * A request goes: static asset (content-hashed URL, gzip when accepted, cached for a
 * year) or page. For a page: choose the language (?lang=, the hf_lang cookie,
 * Accept-Language), find the signed-in user from the session cookie (tokens never sign a
 * browser in), find the route (404/405 pages otherwise), send anonymous visitors of
 * private pages to the log-in, and on POST read the urlencoded form and check its CSRF
 * token — the session's, or before log-in a double-submit token in the hf_csrf cookie —
 * before the handler runs. Handlers render a template inside the layout (hf_page_render)
 * or redirect (303) after a successful POST. Every page carries a strict
 * Content-Security-Policy (no inline script or style at all) and is never cached.
 *
 * The page API is web.h; the template language tmpl.h; docs/internals/web.md tells how to
 * add a page. Until the service layer exists, the few pages here that change data call
 * auth.c and the store directly, each in one marked function. */
#include "server/web.h"

#include "server/pages.h"
#include "server/parse.h"
#include "server/tmpl.h"
#include "server/web_assets.h"
#include "server/webinput.h"

#include "handoff/credentials.h"
#include "handoff/datefmt.h"
#include "handoff/evaluate.h"
#include "handoff/lifecycle.h"
#include "handoff/os.h"
#include "handoff/service.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* No inline script or style, nothing from elsewhere, no framing, forms post only here. */
#define PAGE_CSP                                                                                   \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "                    \
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

#define LANG_COOKIE_SECONDS (365 * 24 * 3600)

static hf_tmpl_set *g_templates;

/* ---- start-up ---- */

int hf_web_init(hf_error *err)
{
    hf_tmpl_set *set = hf_tmpl_set_new();
    if (!set)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < hf__web_template_count; i++) {
        const hf_web_template *t = &hf__web_templates[i];
        int rc = hf_tmpl_add(set, t->name, (const char *)t->text, t->len, err);
        if (rc) {
            hf_tmpl_set_free(set);
            return rc;
        }
    }
    int rc = hf_tmpl_link(set, err);
    if (rc) {
        hf_tmpl_set_free(set);
        return rc;
    }
    g_templates = set;
    return 0;
}

void hf_web_shutdown(void)
{
    hf_tmpl_set_free(g_templates);
    g_templates = NULL;
}

bool hf_web_owns(const char *path)
{
    /* the API, the webhook receivers and the operational endpoints are not pages */
    return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0 &&
           strncmp(path, "/hooks/", 7) != 0 && strcmp(path, "/healthz") != 0 &&
           strcmp(path, "/readyz") != 0 && strcmp(path, "/metrics") != 0;
}

/* ---- static assets ---- */

static const hf_web_asset *asset_named(const char *name)
{
    for (size_t i = 0; i < hf__web_asset_count; i++) {
        if (strcmp(hf__web_assets[i].name, name) == 0)
            return &hf__web_assets[i];
    }
    return NULL;
}

static const char *asset_url(const char *name)
{
    const hf_web_asset *a = asset_named(name);
    return a ? a->url : "";
}

static void serve_body(hf_resp *resp, int status, const char *type, const void *data, size_t len)
{
    resp->status = status;
    resp->content_type = type;
    resp->body = malloc(len ? len : 1);
    resp->len = resp->body ? len : 0;
    if (resp->body && len)
        memcpy(resp->body, data, len);
}

/* GET /static/NAME.HASH.EXT. Only the current hash exists: an old URL is a 404, which is
 * right for a file cached as immutable. */
static void serve_asset(hf_req *req, hf_resp *resp)
{
    const hf_web_asset *a = NULL;
    for (size_t i = 0; i < hf__web_asset_count && !a; i++) {
        if (strcmp(hf__web_assets[i].url, req->path) == 0)
            a = &hf__web_assets[i];
    }
    req->route = "/static/{}";
    if (!a) {
        hf_resp_text(resp, 404, "text/plain; charset=utf-8", "no such file\n");
        return;
    }
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        resp->allow = "GET, HEAD";
        hf_resp_text(resp, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
    }
    resp->cache_control = "public, max-age=31536000, immutable";
    resp->vary = "Accept-Encoding";
    if (a->gz_len && a->gz_len < a->len &&
        hf_http_accepts_gzip(hf_req_header(req, "Accept-Encoding"))) {
        resp->content_encoding = "gzip";
        serve_body(resp, 200, a->content_type, a->gz, a->gz_len);
    } else {
        serve_body(resp, 200, a->content_type, a->data, a->len);
    }
}

/* ---- the reader: language, session ---- */

static const char *cookie(const hf_req *req, const char *name, char *buf, size_t cap)
{
    return hf_http_cookie(hf_req_header(req, "Cookie"), name, buf, cap);
}

static hf_lang choose_lang(const hf_req *req)
{
    hf_lang lang;
    char buf[32];
    const char *q = hf_req_query(req, "lang");
    if (q && hf_lang_parse(q, &lang))
        return lang;
    /* the signed-in user's saved language (their profile) comes before the cookie */
    if (req->who.authenticated && req->who.lang[0] && hf_lang_parse(req->who.lang, &lang))
        return lang;
    const char *c = cookie(req, "hf_lang", buf, sizeof(buf));
    if (c && hf_lang_parse(c, &lang))
        return lang;
    if (hf_http_accept_language(hf_req_header(req, "Accept-Language"), &lang))
        return lang;
    return HF_LANG_EN;
}

/* Who is signed in, from the session cookie alone. auth.c checks X-CSRF-Token on unsafe
 * methods, which forms cannot send; pages check the form's token instead (check_csrf), so
 * the session is looked up as for a GET. Returns 0 (signed in or not) or 503 when the
 * database cannot be reached. */
static int identify(hf_req *req)
{
    char sid[128];
    memset(&req->who, 0, sizeof(req->who));
    if (!cookie(req, "hf_session", sid, sizeof(sid)) || hf_req_header(req, "Authorization"))
        return 0;
    hf_req probe_req = *req;
    probe_req.method = "GET";
    hf_resp probe;
    memset(&probe, 0, sizeof(probe));
    int rc = hf_auth_identify(&probe_req, &probe);
    int status = probe.status;
    free(probe.body);
    if (rc != 0) {
        memset(&req->who, 0, sizeof(req->who));
        return status == 503 ? 503 : 0;
    }
    req->who = probe_req.who;
    if (req->who.via_token)
        memset(&req->who, 0, sizeof(req->who));
    return 0;
}

static bool same_secret(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n > 0 && strlen(b) == n && sodium_memcmp(a, b, n) == 0;
}

/* The double-submit token of a visitor without a session: the hf_csrf cookie, made when a
 * public page with a form is shown. SameSite=Strict keeps it off cross-site posts. */
static const char *anonymous_csrf(hf_page *pg, char buf[64], bool make)
{
    const char *c = cookie(pg->req, "hf_csrf", buf, 64);
    if (c && strlen(c) >= 32)
        return c;
    if (!make)
        return NULL;
    hf_random_string(buf, 64, 24);
    snprintf(pg->resp->set_cookie, sizeof(pg->resp->set_cookie),
             "hf_csrf=%s; Path=/; HttpOnly; SameSite=Strict%s", buf,
             hf_server_cfg()->secure_cookies ? "; Secure" : "");
    return buf;
}

/* ---- building answers ---- */

static const char *const role_labels[HF_ROLE_COUNT] = {
    N_("Account executive"), N_("Sales manager"), N_("Customer success manager"),
    N_("CS manager"),        N_("RevOps"),        N_("Viewer")};

static const char *const lang_names[HF_LANG_COUNT] = {"English", "Português (Brasil)", "Español",
                                                      "Bahasa Indonesia"};

/* The layout's part of the context: user, navigation, languages, assets. */
static void add_layout(hf_page *pg, json_t *data, const char *title_msgid)
{
    json_object_set_new(data, "lang", json_string(hf_lang_code(pg->lang)));
    json_object_set_new(data, "title", json_string(hf_tr(pg->lang, title_msgid)));
    json_object_set_new(data, "csrf", json_string(pg->csrf ? pg->csrf : ""));
    json_object_set_new(data, "here", json_string(pg->req->path));
    json_object_set_new(data, "assets",
                        json_pack("{s:s,s:s,s:s,s:s,s:s}", "css", asset_url("app.css"), "js",
                                  asset_url("app.js"), "rows", asset_url("rows.js"), "icon",
                                  asset_url("icon.svg"), "editor_js", asset_url("editor.js")));
    json_t *langs = json_array();
    for (int i = 0; i < HF_LANG_COUNT; i++)
        json_array_append_new(langs,
                              json_pack("{s:s,s:s,s:b}", "code", hf_lang_code((hf_lang)i), "name",
                                        lang_names[i], "selected", (hf_lang)i == pg->lang));
    json_object_set_new(data, "languages", langs);
    if (!pg->who)
        return;
    const hf_principal *w = pg->who;
    json_object_set_new(data, "user",
                        json_pack("{s:s,s:s,s:s,s:s}", "name", w->name[0] ? w->name : w->email,
                                  "email", w->email, "role", hf_role_name(w->role), "role_label",
                                  hf_tr(pg->lang, role_labels[w->role % HF_ROLE_COUNT])));
    hf_actor actor;
    hf_page_actor(pg, &actor);
    /* the inbox's counter: how many things wait for the reader (the service's count). It is
     * the whole inbox's work, so each pool thread keeps the last reader's for 30 seconds:
     * computed on every page it cost most of a page's time (make bench-web) */
    static __thread struct {
        int64_t user_id;
        hf_time at;
        json_int_t waiting;
    } counter;
    hf_time now = hf_page_now();
    if (counter.user_id != w->user_id || now - counter.at >= 30 ||
        strcmp(pg->req->path, "/") == 0) {
        json_t *box = NULL;
        hf_error err;
        counter.waiting = 0;
        if (hf_svc_inbox(hf_server_service(), &actor, now, &box, &err) == 0)
            counter.waiting =
                json_integer_value(json_object_get(json_object_get(box, "counts"), "total"));
        json_decref(box);
        counter.user_id = w->user_id;
        counter.at = now;
    }
    json_int_t waiting = counter.waiting;
    struct {
        const char *href, *label;
        bool shown;
        json_int_t count;
    } nav[] = {
        {"/", N_("Inbox"), true, waiting},
        {"/handoffs", N_("Handoffs"), true, 0},
        {"/admin", N_("Admin"), hf_svc_may_administer(&actor), 0},
        {"/account", N_("Account"), true, 0},
    };
    json_t *items = json_array();
    for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
        if (!nav[i].shown)
            continue;
        bool current = strcmp(pg->req->path, nav[i].href) == 0 ||
                       (i > 0 && strncmp(pg->req->path, nav[i].href, strlen(nav[i].href)) == 0 &&
                        pg->req->path[strlen(nav[i].href)] == '/');
        json_t *it = json_pack("{s:s,s:s,s:b}", "href", nav[i].href, "label",
                               hf_tr(pg->lang, nav[i].label), "current", current);
        if (nav[i].count)
            json_object_set_new(it, "count", json_integer(nav[i].count));
        json_array_append_new(items, it);
    }
    json_object_set_new(data, "nav", items);
}

static void set_page_headers(hf_page *pg, int status)
{
    pg->resp->status = status;
    pg->resp->content_type = "text/html; charset=utf-8";
    pg->resp->csp = PAGE_CSP;
    pg->resp->cache_control = "no-store";
}

/* The last resort when a template fails: a plain page that needs no template. */
static void plain_error(hf_page *pg, int status, const char *text)
{
    hf_strbuf b = {0};
    hf_strbuf_puts(&b, "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\">"
                       "<title>Handoff</title><h1>");
    hf_escape_html(&b, text, strlen(text));
    hf_strbuf_puts(&b, "</h1></html>\n");
    free(pg->resp->body);
    set_page_headers(pg, status);
    pg->resp->body = b.data;
    pg->resp->len = b.data ? b.len : 0;
}

static int render_in_layout(hf_page *pg, int status, const char *name, const char *title_msgid,
                            json_t *data)
{
    hf_error err;
    hf_strbuf body = {0}, page = {0};
    add_layout(pg, data, title_msgid);
    int rc = hf_tmpl_render(g_templates, name, data, pg->lang, &body, &err);
    if (!rc) {
        json_t *content = hf_tmpl_htmln(body.data ? body.data : "", body.len);
        json_object_set_new(data, "content_html", content);
        rc = hf_tmpl_render(g_templates, "layout", data, pg->lang, &page, &err);
    }
    free(body.data);
    json_decref(data);
    if (rc) {
        fprintf(stderr, "handoffd: page %s: %s\n", name, err.msg);
        free(page.data);
        return -1;
    }
    free(pg->resp->body);
    set_page_headers(pg, status);
    pg->resp->body = page.data;
    pg->resp->len = page.data ? page.len : 0;
    return 0;
}

int hf_page_error(hf_page *pg, int status, const char *heading_msgid, const char *message_msgid)
{
    json_t *data = json_object();
    json_object_set_new(data, "status", json_integer(status));
    json_object_set_new(data, "heading", json_string(hf_tr(pg->lang, heading_msgid)));
    json_object_set_new(data, "message", json_string(hf_tr(pg->lang, message_msgid)));
    if (render_in_layout(pg, status, "error", heading_msgid, data))
        plain_error(pg, status, heading_msgid);
    return 0;
}

void hf_page_actor(const hf_page *pg, hf_actor *a)
{
    const hf_principal *w = pg->who;
    memset(a, 0, sizeof(*a));
    a->workspace_id = w && w->workspace_id ? w->workspace_id : 1;
    a->scopes = HF_SCOPE_ALL;
    a->lang = pg->lang;
    if (!w) {
        a->role = HF_ROLE_VIEWER;
        return;
    }
    a->user_id = w->user_id;
    a->role = w->role;
    a->team_id = w->team_id;
    snprintf(a->email, sizeof(a->email), "%s", w->email);
    snprintf(a->name, sizeof(a->name), "%s", w->name);
}

hf_time hf_page_now(void)
{
    return hf_clock_now();
}

int hf_page_svc_status(int code)
{
    switch (code) {
    case HF_EINVAL:
        return 422;
    case HF_EUSAGE:
        return 400;
    case HF_EPERM:
        return 403;
    case HF_ENOTFOUND:
        return 404;
    case HF_ECONFLICT:
    case HF_ESTATE:
    case HF_EBLOCKED:
        return 409;
    case HF_ESTALE:
        return 412;
    case HF_EBUSY:
    case HF_EDB:
        return 503;
    default:
        return 500;
    }
}

json_t *hf_page_svc_message(const hf_page *pg, const hf_error *err)
{
    char text[HF_ERROR_MSG_MAX];
    return json_string(hf_svc_error_text(pg->lang, err, text, sizeof(text)));
}

int hf_page_svc_error(hf_page *pg, const hf_error *err)
{
    int status = hf_page_svc_status(err->rc);
    const char *heading = status == 403   ? N_("You cannot do that")
                          : status == 404 ? N_("Page not found")
                          : status == 503 ? N_("Handoff is busy")
                          : status >= 500 ? N_("Something went wrong")
                                          : N_("This could not be done");
    json_t *data = json_object();
    json_object_set_new(data, "status", json_integer(status));
    json_object_set_new(data, "heading", json_string(hf_tr(pg->lang, heading)));
    json_object_set_new(data, "message", hf_page_svc_message(pg, err));
    if (render_in_layout(pg, status, "error", heading, data))
        plain_error(pg, status, heading);
    return 0;
}

int hf_page_render(hf_page *pg, int status, const char *name, const char *title_msgid, json_t *data)
{
    if (!data)
        data = json_object();
    if (render_in_layout(pg, status, name, title_msgid, data))
        return hf_page_error(pg, 500, N_("Something went wrong"),
                             N_("The page could not be shown. Try again; if it keeps happening, "
                                "tell your administrator."));
    return 0;
}

/* A local path: starts with one '/', no backslash or control characters, fits Location. */
static bool is_local_path(const char *p, size_t cap)
{
    if (!p || p[0] != '/' || p[1] == '/' || strlen(p) >= cap)
        return false;
    for (const char *c = p; *c; c++) {
        if ((unsigned char)*c < 0x21 || *c == '\\' || (unsigned char)*c >= 0x7f)
            return false;
    }
    return true;
}

int hf_page_redirect(hf_page *pg, const char *location)
{
    hf_resp *r = pg->resp;
    if (!is_local_path(location, sizeof(r->location)))
        location = "/";
    free(r->body);
    r->body = NULL;
    r->len = 0;
    snprintf(r->location, sizeof(r->location), "%s", location);
    set_page_headers(pg, 303);
    r->content_type = NULL;
    return 0;
}

void hf_page_field_error(json_t *data, const char *field, const char *message)
{
    json_t *errors = json_object_get(data, "errors");
    if (!errors) {
        errors = json_array();
        json_object_set_new(data, "errors", errors);
    }
    json_array_append_new(errors, json_pack("{s:s,s:s}", "field", field, "message", message));
    json_t *by_field = json_object_get(data, "field_errors");
    if (!by_field) {
        by_field = json_object();
        json_object_set_new(data, "field_errors", by_field);
    }
    json_object_set_new(by_field, field, json_string(message));
}

const char *hf_page_field(const hf_page *pg, const char *name)
{
    return pg->form ? hf_form_get(pg->form, name) : NULL;
}

json_t *hf_page_datetime(const hf_page *pg, hf_time t)
{
    char buf[HF_DATEFMT_BUFSZ];
    /* users have no time zone of their own yet: UTC (labelled in the pages) */
    return json_string(hf_datefmt_datetime(t, NULL, pg->lang, buf));
}

json_t *hf_page_relative(const hf_page *pg, hf_time due, hf_time now)
{
    char buf[HF_DATEFMT_BUFSZ];
    return json_string(hf_datefmt_relative(due, now, pg->lang, buf));
}

/* ---- pages ---- */

/* GET /components: the component gallery, with sample data (no store access). */
static int page_components(hf_page *pg)
{
    static const char *const band_labels[HF_BAND_COUNT] = {N_("excellent"), N_("good"),
                                                           N_("acceptable"), N_("substandard")};
    static const struct {
        const char *name, *label;
    } slas[] = {{"met", N_("met")},
                {"pending", N_("pending")},
                {"late", N_("late")},
                {"overdue", N_("overdue")},
                {"not_started", N_("not started")}};
    static const struct {
        const char *customer;
        hf_status status;
        hf_band band;
        int score, percent;
        int due_hours;
    } rows[] = {{"Acme Logistics", HF_STATUS_SUBMITTED, HF_BAND_GOOD, 84, 92, 5},
                {"Borealis Health", HF_STATUS_DRAFT, HF_BAND_SUBSTANDARD, 52, 41, -50},
                {"Cordillera Seguros", HF_STATUS_ACCEPTED, HF_BAND_EXCELLENT, 95, 100, 75},
                {"Nusantara Retail", HF_STATUS_NEEDS_REVISION, HF_BAND_ACCEPTABLE, 73, 88, -3}};
    static const char *const sections[] = {N_("Customer"),
                                           N_("Stakeholders"),
                                           N_("Objectives"),
                                           N_("Scope and commitments"),
                                           N_("Technical"),
                                           N_("Implementation"),
                                           N_("Commercial and risks")};
    hf_time now = (hf_time)time(NULL);
    json_t *data = json_object();
    json_t *a = json_array();
    for (int i = 0; i < HF_STATUS_COUNT; i++)
        json_array_append_new(a,
                              json_pack("{s:s,s:s}", "name", hf_status_name((hf_status)i), "label",
                                        hf_tr(pg->lang, hf_status_label_msgid((hf_status)i))));
    json_object_set_new(data, "statuses", a);
    a = json_array();
    for (int i = 0; i < HF_BAND_COUNT; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "name", hf_band_names[i], "label",
                                           hf_tr(pg->lang, band_labels[i])));
    json_object_set_new(data, "bands", a);
    json_object_set_new(data, "band_good", json_string(hf_tr(pg->lang, "good")));
    a = json_array();
    for (size_t i = 0; i < sizeof(slas) / sizeof(slas[0]); i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "name", slas[i].name, "label",
                                           hf_tr(pg->lang, slas[i].label)));
    json_object_set_new(data, "slas", a);
    a = json_array();
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        hf_time due = now + rows[i].due_hours * 3600;
        char iso[HF_TIME_BUFSZ];
        json_t *row = json_pack(
            "{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:b,s:s}", "customer", rows[i].customer, "status",
            hf_status_name(rows[i].status), "status_label",
            hf_tr(pg->lang, hf_status_label_msgid(rows[i].status)), "band",
            hf_band_names[rows[i].band], "band_label", hf_tr(pg->lang, band_labels[rows[i].band]),
            "score", rows[i].score, "percent", rows[i].percent, "complete", rows[i].percent == 100,
            "due_iso", hf_time_format_utc(due, iso));
        json_object_set_new(row, "due_text", hf_page_datetime(pg, due));
        json_object_set_new(row, "due_relative", hf_page_relative(pg, due, now));
        json_array_append_new(a, row);
    }
    json_object_set_new(data, "rows", a);
    a = json_array();
    static const int done[] = {100, 80, 100, 67, 40, 60, 75};
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        json_array_append_new(
            a, json_pack("{s:s,s:i}", "label", hf_tr(pg->lang, sections[i]), "percent", done[i]));
    json_object_set_new(data, "sections", a);
    a = json_array();
    static const struct {
        const char *label;
        int count;
    } tabs[] = {{N_("Overview"), 0}, {N_("Document"), 3}, {N_("Meeting"), 0}, {N_("History"), 12}};
    for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
        json_array_append_new(a, json_pack("{s:s,s:i,s:b}", "label", hf_tr(pg->lang, tabs[i].label),
                                           "count", tabs[i].count, "current", i == 0));
    json_object_set_new(data, "tabs", a);
    json_object_set_new(data, "company", json_string("Acme Logistics"));
    hf_page_field_error(data, "sample-why", hf_tr(pg->lang, "Say why the customer is buying now"));
    return hf_page_render(pg, 200, "components", N_("Components"), data);
}

/* The log-in form, with what was typed (never the password) and the errors. */
static int login_form(hf_page *pg, int status, json_t *data)
{
    const char *next = hf_req_query(pg->req, "next");
    if (!next)
        next = hf_page_field(pg, "next");
    if (is_local_path(next, 128))
        json_object_set_new(data, "next", json_string(next));
    return hf_page_render(pg, status, "login", N_("Log in"), data);
}

static int page_login(hf_page *pg)
{
    if (pg->who)
        return hf_page_redirect(pg, "/");
    return login_form(pg, 200, json_object());
}

static int page_login_post(hf_page *pg)
{
    const char *email = hf_page_field(pg, "email");
    const char *password = hf_page_field(pg, "password");
    json_t *data = json_object();
    json_object_set_new(data, "email", json_string(email ? email : ""));
    if (!email || !*email)
        hf_page_field_error(data, "email", hf_tr(pg->lang, "Enter your e-mail address"));
    else if (strlen(email) > 200 || !strchr(email, '@'))
        hf_page_field_error(data, "email",
                            hf_tr(pg->lang, "Enter an e-mail address like name@example.com"));
    if (!password || !*password)
        hf_page_field_error(data, "password", hf_tr(pg->lang, "Enter your password"));
    else if (strlen(password) > 1024)
        hf_page_field_error(data, "password", hf_tr(pg->lang, "The password is too long"));
    if (json_object_get(data, "errors"))
        return login_form(pg, 422, data);
    hf_principal who;
    switch (hf_auth_start_session(pg->req, email, password, pg->resp, &who)) {
    case 0: {
        json_decref(data);
        const char *next = hf_page_field(pg, "next");
        return hf_page_redirect(pg, is_local_path(next, 128) ? next : "/");
    }
    case 401:
        hf_page_field_error(data, "email",
                            hf_tr(pg->lang, "The e-mail address or the password is wrong"));
        return login_form(pg, 401, data);
    case 429:
        hf_page_field_error(data, "email",
                            hf_tr(pg->lang, "Too many failed attempts. Wait 15 minutes and try "
                                            "again"));
        return login_form(pg, 429, data);
    case 503:
        json_decref(data);
        return hf_page_error(pg, 503, N_("Handoff is busy"),
                             N_("Too many people are logging in at once, or the database cannot "
                                "be reached. Try again in a moment."));
    default:
        json_decref(data);
        return hf_page_error(pg, 500, N_("Something went wrong"),
                             N_("You could not be logged in. Try again; if it keeps happening, "
                                "tell your administrator."));
    }
}

static int page_logout(hf_page *pg)
{
    hf_auth_logout(pg->req, pg->resp); /* deletes the session, expires the cookie */
    return hf_page_redirect(pg, "/login");
}

/* POST /language: remember the choice in a cookie for a year and go back. */
static int page_language(hf_page *pg)
{
    hf_lang lang;
    const char *code = hf_page_field(pg, "lang");
    if (!code || !hf_lang_parse(code, &lang))
        return hf_page_error(pg, 400, N_("Unknown language"),
                             N_("Choose English, Português (Brasil), Español or Bahasa "
                                "Indonesia."));
    if (pg->who) { /* and in the signed-in user's profile, which comes before the cookie */
        hf_actor actor;
        hf_page_actor(pg, &actor);
        hf_user_input in;
        memset(&in, 0, sizeof(in));
        in.lang = hf_lang_code(lang);
        hf_error err;
        if (hf_svc_user_update(hf_server_service(), &actor, pg->who->user_id, &in, NULL, &err))
            fprintf(stderr, "handoffd: saving the language of %s: %s\n", pg->who->email, err.msg);
    }
    snprintf(pg->resp->set_cookie, sizeof(pg->resp->set_cookie),
             "hf_lang=%s; Path=/; SameSite=Lax; Max-Age=%d%s", hf_lang_code(lang),
             LANG_COOKIE_SECONDS, hf_server_cfg()->secure_cookies ? "; Secure" : "");
    const char *back = hf_page_field(pg, "back");
    return hf_page_redirect(pg, is_local_path(back, 128) ? back : "/");
}

static int password_form(hf_page *pg, int status, json_t *data)
{
    return hf_page_render(pg, status, "password", N_("Change your password"), data);
}

static int page_password(hf_page *pg)
{
    json_t *data = json_object();
    const char *done = hf_req_query(pg->req, "done");
    if (done && strcmp(done, "1") == 0)
        json_object_set_new(data, "changed", json_true());
    return password_form(pg, 200, data);
}

/* Change the signed-in user's password through the service (hf_svc_user_update, which ends
 * every session of the user), then start a fresh session for this browser.
 *
 * The current password is checked first by starting a session with it, so a wrong guess
 * counts against the same failure windows as a log-in. Returns 0, or the status of
 * hf_auth_start_session (401 wrong current password, 429, 503, 500), or 500 when the
 * service refuses. */
static int web_change_password(hf_page *pg, const char *current, const char *fresh)
{
    hf_principal who;
    int rc = hf_auth_start_session(pg->req, pg->who->email, current, pg->resp, &who);
    if (rc)
        return rc;
    hf_actor actor;
    hf_page_actor(pg, &actor);
    hf_user_input in;
    memset(&in, 0, sizeof(in));
    in.password = fresh;
    hf_error err;
    rc = hf_svc_user_update(hf_server_service(), &actor, pg->who->user_id, &in, NULL, &err);
    if (rc)
        return rc == HF_EBUSY ? 503 : 500;
    /* every session ended with the change, the one just made too: a new one for here */
    pg->resp->set_cookie[0] = '\0';
    return hf_auth_start_session(pg->req, pg->who->email, fresh, pg->resp, &who);
}

static int page_password_post(hf_page *pg)
{
    const char *current = hf_page_field(pg, "current_password");
    const char *fresh = hf_page_field(pg, "new_password");
    const char *again = hf_page_field(pg, "confirm_password");
    json_t *data = json_object();
    if (!current || !*current)
        hf_page_field_error(data, "current_password",
                            hf_tr(pg->lang, "Enter your current password"));
    if (!fresh || strlen(fresh) < 10)
        hf_page_field_error(data, "new_password",
                            hf_tr(pg->lang, "The new password must have at least 10 characters"));
    else if (strlen(fresh) > 1024)
        hf_page_field_error(data, "new_password",
                            hf_tr(pg->lang, "The new password must have at most 1024 characters"));
    else if (!again || strcmp(fresh, again) != 0)
        hf_page_field_error(data, "confirm_password",
                            hf_tr(pg->lang, "The two new passwords are not the same"));
    if (json_object_get(data, "errors"))
        return password_form(pg, 422, data);
    switch (web_change_password(pg, current, fresh)) {
    case 0:
        json_decref(data);
        return hf_page_redirect(pg, "/account/password?done=1");
    case 401:
        hf_page_field_error(data, "current_password",
                            hf_tr(pg->lang, "The current password is wrong"));
        return password_form(pg, 401, data);
    case 429:
        hf_page_field_error(data, "current_password",
                            hf_tr(pg->lang, "Too many failed attempts. Wait 15 minutes and try "
                                            "again"));
        return password_form(pg, 429, data);
    default:
        json_decref(data);
        return hf_page_error(pg, 503, N_("Handoff is busy"),
                             N_("Your password was not changed. Try again in a moment."));
    }
}

/* ---- routing ---- */

enum { PUBLIC = 1 };

typedef struct page_route {
    const char *method;  /* GET (also answers HEAD) or POST */
    const char *pattern; /* `{}` is one path segment (req->params) */
    hf_page_fn fn;
    unsigned flags;
} page_route;

static const page_route pages[] = {
    {"GET", "/", page_inbox, 0},
    {"GET", "/handoffs", page_handoffs, 0},
    /* the handoff pages: page_handoff.c, page_editor.c */
    {"GET", "/handoffs/new", page_handoff_new, 0},
    {"POST", "/handoffs/new", page_handoff_new_post, 0},
    {"GET", "/handoffs/{}", page_handoff_overview, 0},
    {"POST", "/handoffs/{}/transition", page_handoff_transition, 0},
    {"GET", "/handoffs/{}/history", page_handoff_history, 0},
    {"GET", "/handoffs/{}/edit", page_handoff_edit, 0},
    {"POST", "/handoffs/{}/edit", page_handoff_edit_post, 0},
    {"POST", "/handoffs/{}/preview", page_handoff_preview, 0},
    {"GET", "/handoffs/{}/meeting", page_meeting, 0},
    {"POST", "/handoffs/{}/meeting", page_meeting_post, 0},
    {"GET", "/handoffs/{}/review", page_review, 0},
    {"POST", "/handoffs/{}/review", page_review_post, 0},
    {"GET", "/admin", page_admin, 0},
    {"POST", "/admin", page_admin_post, 0},
    {"GET", "/admin/users/{}", page_admin_user, 0},
    {"GET", "/account", page_account, 0},
    {"GET", "/components", page_components, 0},
    {"GET", "/login", page_login, PUBLIC},
    {"POST", "/login", page_login_post, PUBLIC},
    {"POST", "/logout", page_logout, 0},
    {"POST", "/language", page_language, PUBLIC},
    {"GET", "/account/password", page_password, 0},
    {"POST", "/account/password", page_password_post, 0},
};

/* POST: an urlencoded form with the right CSRF token. Returns 0 or answers the error. */
static int read_form(hf_page *pg, json_t **form)
{
    const char *ct = hf_req_header(pg->req, "Content-Type");
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
        hf_page_error(pg, 415, N_("This form cannot be sent that way"),
                      N_("Send the form from its page."));
        return -1;
    }
    hf_error err;
    if (hf_form_parse(pg->req->body, pg->req->body_len, form, &err)) {
        hf_page_error(pg, 400, N_("This form cannot be read"),
                      N_("It held characters that are not text. Go back and check what you "
                         "typed."));
        return -1;
    }
    const char *sent = hf_form_get(*form, "csrf_token");
    if (!sent || !pg->csrf || !same_secret(pg->csrf, sent)) {
        json_decref(*form);
        *form = NULL;
        hf_page_error(pg, 403, N_("This form has expired"),
                      N_("Go back, reload the page and send the form again."));
        return -1;
    }
    return 0;
}

static bool method_is(const hf_req *req, const char *m)
{
    return strcmp(req->method, m) == 0 ||
           (strcmp(m, "GET") == 0 && strcmp(req->method, "HEAD") == 0);
}

void hf_web_handle(hf_req *req, hf_resp *resp)
{
    if (strncmp(req->path, "/static/", 8) == 0) {
        serve_asset(req, resp);
        return;
    }
    hf_page pg;
    memset(&pg, 0, sizeof(pg));
    pg.req = req;
    pg.resp = resp;
    pg.lang = choose_lang(req);
    req->lang = pg.lang;
    if (!g_templates) {
        plain_error(&pg, 500, "Handoff's pages are not loaded");
        return;
    }
    const page_route *found = NULL;
    static __thread char allow[64];
    allow[0] = '\0';
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]) && !found; i++) {
        if (!hf_route_match(pages[i].pattern, req->path, req->param_buf, &req->nparams))
            continue;
        size_t used = strlen(allow);
        snprintf(allow + used, sizeof(allow) - used, "%s%s", used ? ", " : "",
                 strcmp(pages[i].method, "GET") == 0 ? "GET, HEAD" : pages[i].method);
        if (method_is(req, pages[i].method))
            found = &pages[i];
    }
    for (int k = 0; k < req->nparams; k++)
        req->params[k] = req->param_buf[k];
    if (identify(req) == 503) {
        hf_page_error(&pg, 503, N_("Handoff is busy"),
                      N_("The database cannot be reached. Try again in a moment."));
        return;
    }
    pg.who = req->who.authenticated ? &req->who : NULL;
    pg.lang = choose_lang(req); /* again: the user's saved language counts now */
    req->lang = pg.lang;
    /* a visitor without a session gets the double-submit token with any page (its
     * layout has the language form); a POST only compares with the cookie it brings */
    char anon[64];
    pg.csrf = pg.who ? pg.who->csrf : anonymous_csrf(&pg, anon, method_is(req, "GET"));
    if (!found) {
        if (allow[0]) {
            resp->allow = allow;
            hf_page_error(&pg, 405, N_("This page cannot do that"),
                          N_("Use the page's links and buttons."));
        } else {
            hf_page_error(&pg, 404, N_("Page not found"),
                          N_("Check the address, or go back to your inbox."));
        }
        return;
    }
    req->route = found->pattern;
    if (!(found->flags & PUBLIC) && !pg.who) {
        char next[160];
        if (method_is(req, "GET") && strlen(req->path) < 100)
            snprintf(next, sizeof(next), "/login?next=%s", req->path);
        else
            snprintf(next, sizeof(next), "/login");
        hf_page_redirect(&pg, next);
        return;
    }
    json_t *form = NULL;
    if (strcmp(found->method, "POST") == 0) {
        if (read_form(&pg, &form))
            return;
        pg.form = form;
    }
    found->fn(&pg);
    json_decref(form);
}
