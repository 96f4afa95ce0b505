/* The handoff editor: GET/POST /handoffs/new (a rep starts the handoff of their deal),
 * GET/POST /handoffs/{id}/edit (save with conflict detection, "add a row" without
 * JavaScript, submit) and POST /handoffs/{id}/preview (the live evaluation editor.js asks
 * for). The form becomes a document in one place, hf_ef_document (editor_form.c). */
#include "server/pages.h"

#include "server/editor_form.h"
#include "server/tmpl.h"

#include "handoff/id.h"
#include "handoff/lifecycle.h"
#include "handoff/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

json_t *hf_pages_evaluation(hf_page *pg, int64_t id, const hf_evaluation *ev);

/* The editor's field id of an error path: "stakeholders[2].role" -> "stakeholders.2.role". */
static const char *err_field(const hf_error *err, char *buf, size_t cap)
{
    size_t n = 0;
    for (const char *p = err->path; *p && n + 1 < cap; p++) {
        if (*p == '[')
            buf[n++] = '.';
        else if (*p != ']')
            buf[n++] = *p;
    }
    buf[n] = '\0';
    return n ? buf : "customer";
}

/* ---- the form's context from a document ---- */

static bool is_na(const json_t *v)
{
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    while (*s == ' ')
        s++;
    return strncasecmp(s, "N/A", 3) == 0 && (s[3] == '\0' || s[3] == ' ');
}

static json_t *field_ctx(hf_page *pg, const hf_ef_field *f, const char *name, const json_t *v,
                         const json_t *errors)
{
    json_t *c = json_object();
    const json_t *error = json_object_get(errors, name);
    if (json_is_string(error)) /* the message beside the field, as in the summary */
        json_object_set_new(c, "error", json_string(json_string_value(error)));
    static const char *const kinds[] = {"is_text",   "is_textarea", "is_list", "is_date",
                                        "is_number", "is_enum",     "is_bool"};
    json_object_set_new(c, kinds[f->kind], json_true());
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "label", json_string(hf_tr(pg->lang, f->label)));
    char na[256];
    snprintf(na, sizeof(na), "na:%s", name);
    if (f->na) {
        json_object_set_new(c, "na", json_true());
        json_object_set_new(c, "na_name", json_string(na));
    }
    if (is_na(v) && f->na) {
        json_object_set_new(c, "na_checked", json_true());
        v = NULL;
    }
    if (f->kind == HF_EF_BOOL) {
        json_object_set_new(c, "checked", json_boolean(json_is_true(v)));
    } else if (f->kind == HF_EF_LIST && json_is_array(v)) {
        hf_strbuf b = {0};
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e)
        {
            if (!json_is_string(e))
                continue;
            if (b.len)
                hf_strbuf_puts(&b, "\n");
            hf_strbuf_puts(&b, json_string_value(e));
        }
        json_object_set_new(c, "value", json_string(b.data ? b.data : ""));
        free(b.data);
    } else if (v && !json_is_null(v)) {
        char *t = json_is_string(v) ? strdup(json_string_value(v))
                                    : json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
        json_object_set_new(c, "value", json_string(t ? t : ""));
        free(t);
    }
    if (f->kind == HF_EF_ENUM) {
        const char *cur = json_string_value(v);
        json_t *opts = json_array();
        bool known = !cur;
        for (size_t i = 0; f->options[i]; i++) {
            bool sel = cur && strcmp(cur, f->options[i]) == 0;
            known = known || sel;
            json_array_append_new(opts,
                                  json_pack("{s:s,s:s,s:b}", "value", f->options[i], "label",
                                            hf_tr(pg->lang, f->option_labels[i]), "selected", sel));
        }
        if (!known) /* a value from elsewhere stays visible and selected */
            json_array_append_new(
                opts, json_pack("{s:s,s:s,s:b}", "value", cur, "label", cur, "selected", 1));
        json_object_set_new(c, "options", opts);
    }
    return c;
}

/* The editor's sections from `doc`; `add` names a group that gets one more empty row. */
static json_t *sections_ctx(hf_page *pg, const json_t *doc, const char *add, const json_t *ev,
                            const json_t *errors)
{
    json_t *out = json_array();
    const json_t *pct = json_object_get(ev, "sections");
    for (size_t s = 0; s < hf_ef_section_count; s++) {
        const hf_ef_section *sec = &hf_ef_sections[s];
        json_t *sc = json_object();
        json_object_set_new(sc, "id", json_string(sec->id));
        json_object_set_new(sc, "title", json_string(hf_tr(pg->lang, sec->title)));
        json_object_set_new(sc, "hint", json_string(hf_tr(pg->lang, sec->hint)));
        json_object_set_new(sc, "number", json_integer((json_int_t)s + 1));
        const json_t *p = json_object_get(pct, sec->id);
        if (p) {
            json_object_set_new(sc, "percent", json_integer(json_integer_value(p)));
            json_object_set_new(sc, "has_percent", json_true());
        }
        json_t *fields = json_array();
        for (size_t i = 0; i < sec->nfields; i++)
            json_array_append_new(fields, field_ctx(pg, &sec->fields[i], sec->fields[i].path,
                                                    hf_ef_get(doc, sec->fields[i].path), errors));
        json_object_set_new(sc, "fields", fields);
        json_t *groups = json_array();
        for (size_t g = 0; g < sec->ngroups; g++) {
            const hf_ef_group *gr = &sec->groups[g];
            const json_t *arr = hf_ef_get(doc, gr->path);
            json_t *gc = json_object();
            json_object_set_new(gc, "path", json_string(gr->path));
            json_object_set_new(gc, "label", json_string(hf_tr(pg->lang, gr->label)));
            if (gr->na) {
                char na[200];
                snprintf(na, sizeof(na), "na:%s", gr->path);
                json_object_set_new(gc, "na_name", json_string(na));
                json_object_set_new(gc, "na_checked", json_boolean(is_na(arr)));
            }
            size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
            if (n > HF_EF_MAX_ROWS)
                n = HF_EF_MAX_ROWS;
            size_t shown = n;
            if ((add && strcmp(add, gr->path) == 0 && shown < HF_EF_MAX_ROWS) || shown == 0)
                shown++;
            json_t *rows = json_array();
            for (size_t r = 0; r < shown; r++) {
                const json_t *row = r < n ? json_array_get(arr, r) : NULL;
                json_t *rf = json_array();
                for (size_t k = 0; k < gr->nfields; k++) {
                    char name[256];
                    snprintf(name, sizeof(name), "%s.%zu.%s", gr->path, r, gr->fields[k].path);
                    json_array_append_new(rf, field_ctx(pg, &gr->fields[k], name,
                                                        json_object_get(row, gr->fields[k].path),
                                                        errors));
                }
                json_array_append_new(rows,
                                      json_pack("{s:i,s:o}", "number", (int)r + 1, "fields", rf));
            }
            json_object_set_new(gc, "rows", rows);
            json_object_set_new(gc, "count", json_integer((json_int_t)shown));
            json_array_append_new(groups, gc);
        }
        json_object_set_new(sc, "groups", groups);
        json_array_append_new(out, sc);
    }
    return out;
}

/* Evaluate `doc` as the service would and add the editor's aside to `data`. */
static int add_evaluation(hf_page *pg, int64_t id, const json_t *doc, json_t *data, json_t **ev_out,
                          hf_error *err)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_evaluation ev;
    int rc = hf_svc_evaluate_document(hf_server_service(), &a, doc, NULL, hf_clock_now(), &ev, err);
    if (rc)
        return rc;
    *ev_out = hf_pages_evaluation(pg, id, &ev);
    hf_evaluation_free(&ev);
    if (data)
        json_object_set(data, "ev", *ev_out);
    return 0;
}

static int render_editor(hf_page *pg, int status, const hf_handoff_rec *h, int version,
                         const json_t *doc, const char *add, json_t *data)
{
    json_t *ev = NULL;
    hf_error err;
    hf_error_clear(&err);
    if (add_evaluation(pg, h->id, doc, data, &ev, &err)) {
        /* a document the service refuses (a bad date, a wrong enum): say where */
        char msg[512];
        char fb[160];
        const char *path = err_field(&err, fb, sizeof(fb));
        hf_page_field_error(data, path, hf_svc_error_text(pg->lang, &err, msg, sizeof(msg)));
        ev = json_object();
    }
    json_object_set_new(data, "id", json_integer(h->id));
    json_object_set_new(data, "version", json_integer(version));
    json_object_set_new(data, "status_label",
                        json_string(hf_tr(pg->lang, hf_status_label_msgid(h->status))));
    json_object_set_new(data, "status", json_string(hf_status_name(h->status)));
    const char *company = json_string_value(hf_ef_get(doc, "customer.company_name"));
    const char *deal = json_string_value(hf_ef_get(doc, "deal.name"));
    json_object_set_new(data, "customer", json_string(company ? company : deal ? deal : ""));
    json_object_set_new(data, "sections",
                        sections_ctx(pg, doc, add, ev, json_object_get(data, "field_errors")));
    json_object_set_new(
        data, "can_submit",
        json_boolean(h->status == HF_STATUS_DRAFT || h->status == HF_STATUS_NEEDS_REVISION));
    json_object_set_new(data, "editor_page", json_true());
    json_decref(ev);
    return hf_page_render(pg, status, "editor", N_("Edit handoff"), data);
}

/* ---- routes ---- */

int page_handoff_edit(hf_page *pg)
{
    int64_t id;
    if (!hf_pages_id(pg, &id))
        return 0;
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_handoff_rec h;
    hf_error err;
    hf_error_clear(&err);
    hf_svc *svc = hf_server_service();
    if (hf_svc_handoff_get(svc, &a, id, &h, &err))
        return hf_pages_fail(pg, &err);
    if (!hf_svc_may(svc, &a, HF_ACTION_EDIT, &h)) {
        hf_handoff_rec_free(&h);
        return hf_page_error(pg, 403, N_("You cannot edit this handoff"),
                             N_("Only its sales owner, their manager and RevOps edit the "
                                "document."));
    }
    json_t *doc = hf_json_loads_fast(h.document);
    json_t *data = json_object();
    const char *saved = hf_req_query(pg->req, "saved");
    if (saved && *saved)
        json_object_set_new(data, "saved", json_true());
    int rc = render_editor(pg, 200, &h, h.version, doc ? doc : json_object(), NULL, data);
    json_decref(doc);
    hf_handoff_rec_free(&h);
    return rc;
}

/* The changes someone else saved between `base` and the current version, readable. */
static json_t *their_changes(const hf_actor *a, int64_t id, int base, int current)
{
    json_t *diff = NULL, *out = json_array();
    hf_error err;
    if (hf_svc_handoff_diff(hf_server_service(), a, id, base, current, &diff, &err))
        return out;
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(diff, "changes"), i, v)
    {
        char *old = hf_pages_value_text(json_object_get(v, "old"));
        char *new = hf_pages_value_text(json_object_get(v, "new"));
        const char *path = json_string_value(json_object_get(v, "path"));
        json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "path", path ? path : "", "from",
                                             old ? old : "", "to", new ? new : ""));
        free(old);
        free(new);
    }
    json_decref(diff);
    return out;
}

int page_handoff_edit_post(hf_page *pg)
{
    int64_t id, version = 0;
    if (!hf_pages_id(pg, &id))
        return 0;
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_handoff_rec h;
    hf_error err;
    hf_error_clear(&err);
    hf_svc *svc = hf_server_service();
    if (hf_svc_handoff_get(svc, &a, id, &h, &err))
        return hf_pages_fail(pg, &err);
    const char *vs = hf_page_field(pg, "version");
    if (vs && !hf_id_parse(vs, &version))
        version = 0;
    json_t *stored = hf_json_loads_fast(h.document);
    json_t *doc = hf_ef_document(stored, pg->form);
    json_decref(stored);
    json_t *data = json_object();
    int rc = 0;
    const char *add = hf_page_field(pg, "add");
    const char *action = hf_page_field(pg, "action");
    bool submit = action && strcmp(action, "submit") == 0;
    if (add && *add) { /* no JavaScript: one more empty row, nothing saved */
        rc = render_editor(pg, 200, &h, (int)version, doc, add, data);
        goto out;
    }
    hf_handoff_rec saved;
    memset(&saved, 0, sizeof(saved));
    rc = hf_svc_handoff_write(svc, &a, id, (int)version, HF_WRITE_PUT, NULL, doc, hf_clock_now(),
                              &saved, &err);
    if (rc == HF_ESTALE) {
        hf_handoff_rec cur;
        hf_error e2;
        int current = h.version;
        if (hf_svc_handoff_get(svc, &a, id, &cur, &e2) == 0) {
            current = cur.version;
            hf_handoff_rec_free(&cur);
        }
        json_object_set_new(data, "conflict",
                            json_pack("{s:o,s:i,s:i}", "changes",
                                      their_changes(&a, id, (int)version, current), "base",
                                      (int)version, "current", current));
        /* the person's values stay in the form; saving again applies them over the
         * current version */
        rc = render_editor(pg, 409, &h, current, doc, NULL, data);
        goto out;
    }
    if (rc == HF_EINVAL || rc == HF_ESTATE || rc == HF_EPERM) {
        char msg[512];
        char fb[160];
        hf_page_field_error(data, err_field(&err, fb, sizeof(fb)),
                            hf_svc_error_text(pg->lang, &err, msg, sizeof(msg)));
        rc = render_editor(pg, rc == HF_EPERM ? 403 : 422, &h, (int)version, doc, NULL, data);
        goto out;
    }
    if (rc) {
        json_decref(data);
        rc = hf_pages_fail(pg, &err);
        goto out;
    }
    hf_handoff_rec_free(&saved);
    char loc[80];
    if (submit) {
        hf_transition_req t = {HF_STATUS_SUBMITTED, NULL, NULL, 0, NULL, 0};
        if (h.status == HF_STATUS_NEEDS_REVISION)
            t.to = HF_STATUS_SUBMITTED;
        hf_error_clear(&err);
        int trc = hf_svc_handoff_transition(svc, &a, id, &t, hf_clock_now(), &saved, &err);
        if (trc == 0) {
            hf_handoff_rec_free(&saved);
            json_decref(data);
            snprintf(loc, sizeof(loc), "/handoffs/%lld?moved=1", (long long)id);
            rc = hf_page_redirect(pg, loc);
            goto out;
        }
        hf_handoff_rec cur;
        hf_error e2;
        int current = h.version;
        if (hf_svc_handoff_get(svc, &a, id, &cur, &e2) == 0) {
            current = cur.version;
            hf_handoff_rec_free(&cur);
        }
        char msg[512];
        json_object_set_new(data, "submit_refused",
                            json_string(hf_svc_error_text(pg->lang, &err, msg, sizeof(msg))));
        json_object_set_new(data, "saved", json_true());
        rc = render_editor(pg, 409, &h, current, doc, NULL, data);
        goto out;
    }
    json_decref(data);
    snprintf(loc, sizeof(loc), "/handoffs/%lld/edit?saved=1", (long long)id);
    rc = hf_page_redirect(pg, loc);
out:
    json_decref(doc);
    hf_handoff_rec_free(&h);
    return rc;
}

int page_handoff_preview(hf_page *pg)
{
    int64_t id;
    if (!hf_pages_id(pg, &id))
        return 0;
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_handoff_rec h;
    hf_error err;
    hf_error_clear(&err);
    if (hf_svc_handoff_get(hf_server_service(), &a, id, &h, &err)) {
        hf_resp_json(pg->resp, 404, json_pack("{s:s}", "error", "not found"));
        return 0;
    }
    json_t *stored = hf_json_loads_fast(h.document);
    json_t *doc = hf_ef_document(stored, pg->form);
    json_decref(stored);
    hf_handoff_rec_free(&h);
    json_t *ev = NULL;
    if (add_evaluation(pg, id, doc, NULL, &ev, &err)) {
        char msg[512];
        hf_resp_json(pg->resp, 422,
                     json_pack("{s:s,s:s}", "error",
                               hf_svc_error_text(pg->lang, &err, msg, sizeof(msg)), "field",
                               err.path));
    } else {
        hf_resp_json(pg->resp, 200, ev);
    }
    pg->resp->cache_control = "no-store";
    json_decref(doc);
    return 0;
}

/* ---- a new handoff ---- */

static int new_form(hf_page *pg, int status, json_t *data)
{
    static const char *const segs[] = {"strategic", "enterprise", "mid_market", "smb"};
    static const char *const seg_labels[] = {N_("Strategic"), N_("Enterprise"), N_("Mid-market"),
                                             N_("SMB")};
    const char *cur = json_string_value(json_object_get(data, "segment"));
    json_t *opts = json_array();
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", segs[i], "label",
                                              hf_tr(pg->lang, seg_labels[i]), "selected",
                                              cur && strcmp(cur, segs[i]) == 0));
    json_object_set_new(data, "segments", opts);
    return hf_page_render(pg, status, "handoff_new", N_("New handoff"), data);
}

int page_handoff_new(hf_page *pg)
{
    return new_form(pg, 200, json_object());
}

int page_handoff_new_post(hf_page *pg)
{
    static const char *const names[] = {"crm_id", "deal_name", "company", "segment"};
    static const char *const errors[] = {
        N_("Enter the deal's id in the CRM"), N_("Enter the deal's name"),
        N_("Enter the customer's company name"), N_("Choose the segment")};
    json_t *data = json_object();
    for (size_t i = 0; i < 4; i++) {
        const char *v = hf_page_field(pg, names[i]);
        json_object_set_new(data, names[i], json_string(v ? v : ""));
        if (!v || !*v)
            hf_page_field_error(data, names[i], hf_tr(pg->lang, errors[i]));
    }
    if (json_object_get(data, "errors"))
        return new_form(pg, 422, data);
    hf_actor a;
    hf_page_actor(pg, &a);
    json_t *doc =
        json_pack("{s:{s:s,s:s,s:s,s:{s:s,s:s}},s:{s:s}}", "deal", "crm_id",
                  hf_page_field(pg, "crm_id"), "name", hf_page_field(pg, "deal_name"), "segment",
                  hf_page_field(pg, "segment"), "owner", "name", a.name[0] ? a.name : a.email,
                  "email", a.email, "customer", "company_name", hf_page_field(pg, "company"));
    hf_handoff_rec h;
    int64_t existing = 0;
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_svc_handoff_create(hf_server_service(), &a, doc, "web", hf_clock_now(), &h,
                                   &existing, &err);
    json_decref(doc);
    if (rc == 0) {
        char loc[80];
        snprintf(loc, sizeof(loc), "/handoffs/%lld/edit", (long long)h.id);
        hf_handoff_rec_free(&h);
        json_decref(data);
        return hf_page_redirect(pg, loc);
    }
    char msg[512];
    if (rc == HF_ECONFLICT && existing)
        json_object_set_new(data, "existing", json_integer(existing));
    const char *field = rc == HF_EINVAL && strstr(err.path, "segment") ? "segment" : "crm_id";
    hf_page_field_error(data, field, hf_svc_error_text(pg->lang, &err, msg, sizeof(msg)));
    return new_form(pg, rc == HF_EPERM ? 403 : 422, data);
}
