/* The page API of handoffd's web application: what a page handler gets and the calls it
 * answers with. web.c does everything around a page — sessions, the language, CSRF on
 * every POST, the layout, security headers, error pages — so a handler only reads its
 * input, asks libhandoff (later the service layer) and renders a template.
 *
 * A page handler:
 *
 *     static int page_inbox(hf_page *pg)
 *     {
 *         json_t *data = json_object();            // the template's context
 *         json_object_set_new(data, "count", json_integer(3));
 *         return hf_page_render(pg, 200, "inbox", N_("Inbox"), data);
 *     }
 *
 * and one line in the route table of web.c. docs/internals/web.md tells the whole story. */
#ifndef HANDOFF_SERVER_WEB_H
#define HANDOFF_SERVER_WEB_H

#include "server/server.h"

#include "handoff/service.h"

#include <jansson.h>

typedef struct hf_page {
    hf_req *req;
    hf_resp *resp;
    /* The reader's language: ?lang=, else the hf_lang cookie, else Accept-Language, else
     * English. Every text and date of the page uses it. */
    hf_lang lang;
    /* The signed-in user (a browser session, never an API token), or NULL on a public page
     * when nobody is signed in. who->csrf is the session's CSRF token. */
    const hf_principal *who;
    /* POST: the form fields (hf_form_get), parsed, valid UTF-8, CSRF already checked.
     * NULL on GET. */
    const json_t *form;
    /* The CSRF token the page's forms carry: the session's, or before a log-in the
     * double-submit token of the hf_csrf cookie. Layout and templates read it as {{csrf}}. */
    const char *csrf;
} hf_page;

typedef int (*hf_page_fn)(hf_page *pg);

/* Render template `name` inside the layout as the page's answer with HTTP `status`.
 * `data` (stolen; NULL for none) is the template's context; the layout adds `lang`, `csrf`,
 * `user` {name, email, role, role_label}, `nav`, `languages`, `assets`, `title` and `here`
 * (the path). `title_msgid` is the English page title, translated here. Returns 0; a
 * template error answers 500 with the error page instead. */
int hf_page_render(hf_page *pg, int status, const char *name, const char *title_msgid,
                   json_t *data);

/* Answer 303 See Other to `location` (a path on this site; anything else goes to "/").
 * Every successful POST ends here (redirect after post). Returns 0. */
int hf_page_redirect(hf_page *pg, const char *location);

/* Answer an error page in the layout: `status`, a heading and a message (English msgids,
 * translated here). Returns 0. */
int hf_page_error(hf_page *pg, int status, const char *heading_msgid, const char *message_msgid);

/* Form errors, GOV.UK style: add to `data` one error for field `field` (the id of its
 * input) with `message` (already translated): `errors` [{field, message}] feeds the
 * summary at the top (links to #field), `field_errors.FIELD` the message beside it. */
void hf_page_field_error(json_t *data, const char *field, const char *message);

/* The value of form field `name`, or NULL (also on GET). */
const char *hf_page_field(const hf_page *pg, const char *name);

/* A date and time for the page's reader (hf_datefmt_datetime in the reader's zone; UTC
 * until the service layer gives each user a zone) and a relative deadline, as new JSON
 * strings to put in a template context. */
json_t *hf_page_datetime(const hf_page *pg, hf_time t);
json_t *hf_page_relative(const hf_page *pg, hf_time due, hf_time now);

/* The service's actor for the page's reader (pg->who must be set): their user, role, team,
 * e-mail and the page's language; every scope (a browser session). */
void hf_page_actor(const hf_page *pg, hf_actor *a);
/* The clock pages use (hf_clock_now: HANDOFF_NOW in tests). */
hf_time hf_page_now(void);

/* An error page for a failed service call: the HTTP status of err->code (403, 404, 409,
 * 412, 422, 503, else 500) with the service's message in the reader's language. */
int hf_page_svc_error(hf_page *pg, const hf_error *err);
/* The HTTP status of a service error code. */
int hf_page_svc_status(int code);
/* The service's message of `err` in the reader's language, as a new JSON string. */
json_t *hf_page_svc_message(const hf_page *pg, const hf_error *err);

/* Start-up: compile the built-in templates (an error is a bug: handoffd refuses to
 * start, naming the template and line). hf_web_shutdown frees them. */
int hf_web_init(hf_error *err);
void hf_web_shutdown(void);

#endif
