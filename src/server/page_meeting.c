/* The handoff meeting (GET/POST /handoffs/{id}/meeting): the seven agenda segments with
 * their minutes and the CS questions of each, attendance against the roles the pinned
 * protocol requires, covered segments, questions asked and answered, notes (Markdown,
 * rendered by cmark with CMARK_OPT_SAFE), action items, scheduling, "the meeting was held"
 * and the three checklists.
 *
 * Saving writes the `meeting` section in one call (hf_svc_handoff_write, HF_WRITE_SECTION)
 * with the version the form was opened at, so a concurrent change is shown, not lost.
 * Rows are numbered fields (att_name_0, ai_owner_0, ...) so that "add a row" works without
 * JavaScript: it sends the form back and gets it again with one more empty row, nothing
 * saved. */
#include "server/pages.h"
#include "server/tmpl.h"

#include "handoff/lifecycle.h"
#include "handoff/protocol.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 40

/* SPEC §3: the agenda, in order, 45 minutes; the CS questions from the protocol's
 * playbook (the seeds), per segment. */
static const struct {
    const char *key, *title;
    int minutes;
    const char *questions[4];
} agenda[] = {
    {"customer_overview",
     N_("Customer overview"),
     5,
     {N_("What makes this customer unique or special?"),
      N_("What surprised you during the sales process?"),
      N_("If you could tell me one thing to make sure they succeed, what would it be?"), NULL}},
    {"stakeholders",
     N_("Stakeholder deep-dive"),
     10,
     {N_("Who will be my primary day-to-day contact?"),
      N_("Who has the final decision authority if issues come up?"),
      N_("Who might resist change or slow adoption down?"),
      N_("What personal wins does the champion need?")}},
    {"objectives",
     N_("Business objectives and success"),
     10,
     {N_("How will they measure whether we are successful in 90 days?"),
      N_("What would make them consider this a failure?"),
      N_("When do they need to report success to leadership?"),
      N_("What does a \"quick win\" mean for this customer?")}},
    {"scope_commitments",
     N_("Scope, commitments and expectations"),
     10,
     {N_("What did you commit to that worries you?"),
      N_("What are they expecting that could be hard to deliver?"),
      N_("Did legal or finance push back on anything?"),
      N_("What is the biggest risk of an expectation gap?")}},
    {"implementation",
     N_("Implementation context"),
     5,
     {N_("What could derail the timeline?"),
      N_("How realistic is the timeline given the resources they assigned?"),
      N_("Are there technical landmines we should know about?"),
      N_("What is their track record with implementation projects?")}},
    {"risks",
     N_("Risk factors and concerns"),
     5,
     {N_("How confident are you that this customer will succeed?"),
      N_("If they churn, what would the reason be?"),
      N_("What should I watch in the first 30 days?"),
      N_("How can I build on the trust you established?")}},
    {"questions_next_steps",
     N_("Questions and next steps"),
     5,
     {N_("Clarifying questions on any topic"),
      N_("Requests for introductions to specific stakeholders"),
      N_("Validation of the implementation approach"),
      N_("Concerns about delivering the commitments")}},
};
#define AGENDA_COUNT (sizeof(agenda) / sizeof(agenda[0]))

static const char *const attendee_labels[HF_ATTENDEE_ROLE_COUNT] = {N_("Account executive"),
                                                                    N_("Sales engineer"),
                                                                    N_("Sales manager"),
                                                                    N_("Customer success manager"),
                                                                    N_("Implementation specialist"),
                                                                    N_("CS manager"),
                                                                    N_("RevOps"),
                                                                    N_("Product"),
                                                                    N_("Professional services"),
                                                                    N_("Finance"),
                                                                    N_("Customer")};

static const struct {
    const char *id, *label;
} check_labels[] = {
    {"document_complete", N_("The handoff document is complete")},
    {"csm_assigned", N_("A CSM is assigned")},
    {"meeting_scheduled", N_("The handoff meeting is scheduled")},
    {"contract_executed", N_("The contract is fully executed")},
    {"systems_updated", N_("CRM, finance and CS systems are updated")},
    {"crm_notes_reviewed", N_("CRM notes reviewed by the CSM")},
    {"customer_told_about_cs", N_("The customer knows CS is coming")},
    {"required_attendees", N_("The required people attended")},
    {"agenda_covered", N_("The whole agenda was covered")},
    {"cs_questions_answered", N_("CS questions were answered")},
    {"recording_shared", N_("Recording or detailed notes shared")},
    {"action_items_assigned", N_("Action items assigned with owners")},
    {"intro_sent_within_48h", N_("Customer introduction sent within 48 hours")},
    {"kickoff_within_7_days", N_("Kickoff held within 7 days")},
    {"success_plan_shared", N_("Success plan shared with the customer")},
    {"transition_note_sent", N_("Transition note sent")},
};

static const struct {
    const char *key, *title;
} checklists[] = {{"pre_handoff", N_("Before the handoff")},
                  {"meeting", N_("During the meeting")},
                  {"post_handoff", N_("After the handoff")}};

/* ---- small conversions ---- */

static hf_time parse_time(const json_t *v)
{
    hf_time t;
    if (json_is_string(v) && hf_time_parse_rfc3339(json_string_value(v), json_string_length(v), &t))
        return t;
    return HF_TIME_NONE;
}

/* "2026-11-03T14:00:00Z" -> "2026-11-03T14:00" for <input type="datetime-local"> (UTC). */
static json_t *local_input(hf_time t)
{
    if (t == HF_TIME_NONE)
        return json_string("");
    char buf[HF_TIME_BUFSZ];
    hf_time_format_utc(t, buf);
    buf[16] = '\0';
    return json_string(buf);
}

/* "2026-11-03T14:00" (or with :ss) from a datetime-local input, read as UTC. */
static bool parse_local(const char *s, hf_time *out)
{
    char buf[40];
    size_t n = strlen(s);
    if (n == 16)
        snprintf(buf, sizeof(buf), "%s:00Z", s);
    else if (n == 19)
        snprintf(buf, sizeof(buf), "%sZ", s);
    else
        return false;
    return hf_time_parse_rfc3339(buf, strlen(buf), out);
}

static bool parse_count(const char *s, json_int_t *out)
{
    if (!s || !*s || strlen(s) > 6)
        return false;
    json_int_t v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return false;
        v = v * 10 + (*c - '0');
    }
    *out = v;
    return true;
}

/* A form field with leading blanks skipped; NULL when empty. */
static const char *field(const hf_page *pg, const char *name)
{
    const char *v = hf_page_field(pg, name);
    while (v && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
        v++;
    return v && *v ? v : NULL;
}

/* Field `prefix` + row number `i` ("att_name_" 3: att_name_3). */
static const char *row_field(const hf_page *pg, const char *prefix, int i)
{
    char name[40];
    snprintf(name, sizeof(name), "%s%d", prefix, i);
    return field(pg, name);
}

static int row_count(const hf_page *pg, const char *name)
{
    json_int_t n = 0;
    if (!parse_count(hf_page_field(pg, name), &n) || n > MAX_ROWS)
        return 0;
    return (int)n;
}

/* ---- the meeting section from the form ---- */

/* Build the `meeting` section from the form over `cur` (the stored one, borrowed): the
 * fields this page does not edit (held_at, agenda_sent_at, unknown keys) stay. Errors of
 * input that is not even a value (a date that is not one, a count that is not a number)
 * go to `data`. Returns a new reference. */
static json_t *meeting_from_form(hf_page *pg, const json_t *cur, json_t *data)
{
    json_t *m = json_is_object(cur) ? json_deep_copy(cur) : json_object();
    const char *v;
    hf_time t;
    char iso[HF_TIME_BUFSZ];
    if ((v = field(pg, "scheduled_for"))) {
        if (parse_local(v, &t))
            json_object_set_new(m, "scheduled_for", json_string(hf_time_format_utc(t, iso)));
        else
            hf_page_field_error(data, "scheduled_for",
                                hf_tr(pg->lang, "Enter the date and time of the meeting"));
    } else {
        json_object_del(m, "scheduled_for");
    }
    json_int_t n;
    if ((v = field(pg, "duration_minutes"))) {
        if (parse_count(v, &n))
            json_object_set_new(m, "duration_minutes", json_integer(n));
        else
            hf_page_field_error(data, "duration_minutes",
                                hf_tr(pg->lang, "Enter the duration in whole minutes"));
    } else {
        json_object_del(m, "duration_minutes");
    }
    if ((v = field(pg, "recording_url")))
        json_object_set_new(m, "recording_url", json_string(v));
    else
        json_object_del(m, "recording_url");
    if ((v = hf_page_field(pg, "notes")) && *v)
        json_object_set_new(m, "notes", json_string(v));
    else
        json_object_del(m, "notes");
    json_int_t asked = 0, answered = 0;
    const char *sa = field(pg, "questions_asked"), *sn = field(pg, "questions_answered");
    if (sa && !parse_count(sa, &asked))
        hf_page_field_error(data, "questions_asked",
                            hf_tr(pg->lang, "Enter how many questions CS asked, as a number"));
    if (sn && !parse_count(sn, &answered))
        hf_page_field_error(data, "questions_answered",
                            hf_tr(pg->lang, "Enter how many were answered, as a number"));
    if (sa || sn)
        json_object_set_new(m, "cs_questions",
                            json_pack("{s:I,s:I}", "asked", asked, "answered", answered));
    else
        json_object_del(m, "cs_questions");
    json_t *covered = json_array();
    json_t *sent = json_object_get(pg->form, "covered");
    for (size_t i = 0; i < AGENDA_COUNT; i++) {
        bool on = false;
        if (json_is_string(sent))
            on = strcmp(json_string_value(sent), agenda[i].key) == 0;
        size_t k;
        json_t *x;
        if (json_is_array(sent))
            json_array_foreach(sent, k, x)
            {
                on = on || strcmp(json_string_value(x), agenda[i].key) == 0;
            }
        if (on)
            json_array_append_new(covered, json_string(agenda[i].key));
    }
    json_object_set_new(m, "segments_covered", covered);
    json_t *att = json_array();
    for (int i = 0, rows = row_count(pg, "att_rows"); i < rows; i++) {
        const char *name = row_field(pg, "att_name_", i), *role = row_field(pg, "att_role_", i);
        if (!name && !role)
            continue;
        json_t *o = json_object();
        if (name)
            json_object_set_new(o, "name", json_string(name));
        if (role)
            json_object_set_new(o, "role", json_string(role));
        json_array_append_new(att, o);
    }
    json_object_set_new(m, "attendees", att);
    json_t *items = json_array();
    for (int i = 0, rows = row_count(pg, "ai_rows"); i < rows; i++) {
        const char *owner = row_field(pg, "ai_owner_", i), *text = row_field(pg, "ai_text_", i);
        const char *due = row_field(pg, "ai_due_", i);
        if (!owner && !text && !due)
            continue;
        json_t *o = json_object();
        if (owner)
            json_object_set_new(o, "owner", json_string(owner));
        if (text)
            json_object_set_new(o, "text", json_string(text));
        if (due)
            json_object_set_new(o, "due", json_string(due));
        json_object_set_new(o, "done", json_boolean(row_field(pg, "ai_done_", i) != NULL));
        json_array_append_new(items, o);
    }
    json_object_set_new(m, "action_items", items);
    return m;
}

/* ---- the page ---- */

/* Render the page for `meeting` (the stored section, or what the form sent back), with
 * `extra_att`/`extra_ai` empty rows. `data` is stolen. */
static int meeting_render(hf_page *pg, int64_t id, int status, json_t *data, const json_t *sent,
                          int extra_att, int extra_ai)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_svc *svc = hf_server_service();
    hf_time now = hf_page_now();
    hf_handoff_rec h;
    hf_error err;
    if (hf_svc_handoff_get(svc, &a, id, &h, &err)) {
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    json_t *item = hf_svc_handoff_json(&h, true);
    pages_handoff_row(pg, item, now);
    json_t *doc = json_object_get(item, "document");
    const json_t *m = sent ? sent : json_object_get(doc, "meeting");
    if (!json_is_object(m))
        m = NULL;
    json_object_set_new(data, "id", json_integer(id));
    if (!json_object_get(data, "base_version"))
        json_object_set_new(data, "base_version", json_integer(h.version));
    bool may_edit = hf_svc_may(svc, &a, HF_ACTION_EDIT, &h) && !hf_status_is_final(h.status);
    json_object_set_new(data, "may_edit", json_boolean(may_edit));

    /* schedule */
    json_object_set_new(data, "scheduled_for",
                        local_input(parse_time(json_object_get(m, "scheduled_for"))));
    json_object_set(data, "duration_minutes", json_object_get(m, "duration_minutes"));
    json_object_set(data, "recording_url", json_object_get(m, "recording_url"));
    hf_time held = parse_time(json_object_get(m, "held_at"));
    if (held != HF_TIME_NONE)
        json_object_set_new(data, "held_text", hf_page_datetime(pg, held));
    hf_time sched = parse_time(json_object_get(m, "scheduled_for"));
    if (sched != HF_TIME_NONE)
        json_object_set_new(data, "scheduled_text", hf_page_datetime(pg, sched));
    unsigned allowed = hf_svc_transitions_allowed(svc, &a, &h);
    json_object_set_new(data, "may_schedule",
                        json_boolean(allowed & HF_STATUS_BIT(HF_STATUS_SCHEDULED)));
    json_object_set_new(data, "may_hold", json_boolean(allowed & HF_STATUS_BIT(HF_STATUS_HELD)));
    json_object_set_new(data, "held_default", local_input(now));

    /* agenda with the covered segments */
    json_t *covered = json_object_get(m, "segments_covered");
    json_t *segs = json_array();
    int total = 0;
    for (size_t i = 0; i < AGENDA_COUNT; i++) {
        bool on = false;
        size_t k;
        json_t *x;
        json_array_foreach(covered, k, x)
        {
            on = on || (json_is_string(x) && strcmp(json_string_value(x), agenda[i].key) == 0);
        }
        json_t *qs = json_array();
        for (int q = 0; q < 4 && agenda[i].questions[q]; q++)
            json_array_append_new(qs, json_string(hf_tr(pg->lang, agenda[i].questions[q])));
        total += agenda[i].minutes;
        json_array_append_new(segs, json_pack("{s:s,s:s,s:i,s:o,s:b}", "key", agenda[i].key,
                                              "title", hf_tr(pg->lang, agenda[i].title), "minutes",
                                              agenda[i].minutes, "questions", qs, "covered", on));
    }
    json_object_set_new(data, "agenda", segs);
    json_object_set_new(data, "agenda_minutes", json_integer(total));
    json_t *cq = json_object_get(m, "cs_questions");
    json_object_set(data, "questions_asked", json_object_get(cq, "asked"));
    json_object_set(data, "questions_answered", json_object_get(cq, "answered"));

    /* attendance against the required roles */
    unsigned required = 0, present = 0;
    hf_svc_meeting_required(svc, &a, id, &required, &err);
    json_t *rows = json_array();
    size_t k;
    json_t *x;
    json_array_foreach(json_object_get(m, "attendees"), k, x)
    {
        const char *role = json_string_value(json_object_get(x, "role"));
        int r = role ? hf_attendee_role_index(role) : -1;
        if (r >= 0)
            present |= 1u << r;
        const char *name = json_string_value(json_object_get(x, "name"));
        json_array_append_new(
            rows, json_pack("{s:s,s:s}", "name", name ? name : "", "role", role ? role : ""));
    }
    for (int i = 0; i < extra_att || json_array_size(rows) == 0; i++)
        json_array_append_new(rows, json_pack("{s:s,s:s}", "name", "", "role", ""));
    json_t *roles = json_array();
    for (int r = 0; r < HF_ATTENDEE_ROLE_COUNT; r++)
        json_array_append_new(roles, json_pack("{s:s,s:s}", "value", hf_attendee_roles[r], "label",
                                               hf_tr(pg->lang, attendee_labels[r])));
    json_array_foreach(rows, k, x)
    {
        json_t *opts = json_array();
        const char *chosen = json_string_value(json_object_get(x, "role"));
        for (int r = 0; r < HF_ATTENDEE_ROLE_COUNT; r++)
            json_array_append_new(opts,
                                  json_pack("{s:s,s:s,s:b}", "value", hf_attendee_roles[r], "label",
                                            hf_tr(pg->lang, attendee_labels[r]), "selected",
                                            chosen && strcmp(chosen, hf_attendee_roles[r]) == 0));
        json_object_set_new(x, "roles", opts);
        json_object_set_new(x, "i", json_integer((json_int_t)k));
    }
    json_decref(roles);
    json_object_set_new(data, "attendees", rows);
    json_object_set_new(data, "att_rows", json_integer((json_int_t)json_array_size(rows)));
    json_t *req = json_array();
    for (int r = 0; r < HF_ATTENDEE_ROLE_COUNT; r++)
        if (required & (1u << r))
            json_array_append_new(req, json_pack("{s:s,s:b}", "label",
                                                 hf_tr(pg->lang, attendee_labels[r]), "present",
                                                 (present >> r) & 1u));
    json_object_set_new(data, "required", req);

    /* action items */
    json_t *ai = json_array();
    json_array_foreach(json_object_get(m, "action_items"), k, x)
    {
        if (!json_is_object(x))
            continue;
        json_t *o = json_deep_copy(x);
        json_array_append_new(ai, o);
    }
    for (int i = 0; i < extra_ai || json_array_size(ai) == 0; i++)
        json_array_append_new(ai, json_object());
    json_array_foreach(ai, k, x)
    {
        json_object_set_new(x, "i", json_integer((json_int_t)k));
    }
    json_object_set_new(data, "action_items", ai);
    json_object_set_new(data, "ai_rows", json_integer((json_int_t)json_array_size(ai)));

    /* notes: the text to edit and, when stored, the Markdown made safe */
    const char *notes = json_string_value(json_object_get(m, "notes"));
    json_object_set_new(data, "notes", json_string(notes ? notes : ""));
    const char *saved =
        json_string_value(json_object_get(json_object_get(doc, "meeting"), "notes"));
    if (saved && *saved) {
        char *html = cmark_markdown_to_html(saved, strlen(saved), CMARK_OPT_SAFE);
        if (html) {
            json_object_set_new(data, "notes_html", hf_tmpl_html(html));
            free(html);
        }
    }

    /* the checklists */
    json_t *cl = NULL;
    if (hf_svc_checklists(svc, &a, id, now, &cl, &err) == 0) {
        json_t *lists = json_array();
        for (size_t c = 0; c < sizeof(checklists) / sizeof(checklists[0]); c++) {
            json_t *its = json_object_get(cl, checklists[c].key);
            json_array_foreach(its, k, x)
            {
                const char *iid = json_string_value(json_object_get(x, "id"));
                for (size_t l = 0; iid && l < sizeof(check_labels) / sizeof(check_labels[0]); l++)
                    if (strcmp(iid, check_labels[l].id) == 0)
                        json_object_set_new(x, "label",
                                            json_string(hf_tr(pg->lang, check_labels[l].label)));
                char full[96];
                snprintf(full, sizeof(full), "%s.%s", checklists[c].key, iid ? iid : "");
                json_object_set_new(x, "item", json_string(full));
            }
            json_array_append_new(lists,
                                  json_pack("{s:s,s:s,s:O}", "key", checklists[c].key, "title",
                                            hf_tr(pg->lang, checklists[c].title), "items", its));
        }
        json_object_set_new(data, "checklists", lists);
        json_decref(cl);
    }
    const char *done = hf_req_query(pg->req, "done");
    if (done && !json_object_get(data, "errors")) {
        const char *msg = strcmp(done, "saved") == 0       ? N_("The meeting has been saved.")
                          : strcmp(done, "held") == 0      ? N_("The meeting is recorded as held.")
                          : strcmp(done, "scheduled") == 0 ? N_("The handoff is now scheduled.")
                          : strcmp(done, "ticked") == 0    ? N_("The checklist has been updated.")
                                                           : NULL;
        if (msg)
            json_object_set_new(data, "done", json_string(hf_tr(pg->lang, msg)));
    }
    json_object_set(data, "handoff", item);
    json_object_set_new(data, "rows_js", json_true()); /* the layout adds rows.js */
    json_decref(item);
    hf_handoff_rec_free(&h);
    return hf_page_render(pg, status, "meeting", N_("Handoff meeting"), data);
}

int page_meeting(hf_page *pg)
{
    int64_t id = pages_handoff_id(pg);
    if (!id)
        return hf_page_error(pg, 404, N_("Page not found"),
                             N_("Check the address, or go back to your inbox."));
    return meeting_render(pg, id, 200, json_object(), NULL, 0, 0);
}

/* Where a service error about `path` is shown. */
static const char *field_for(const char *path)
{
    if (!path)
        return "notes";
    if (strstr(path, "scheduled_for"))
        return "scheduled_for";
    if (strstr(path, "duration"))
        return "duration_minutes";
    if (strstr(path, "attendees"))
        return "att_name_0";
    if (strstr(path, "action_items"))
        return "ai_owner_0";
    if (strstr(path, "cs_questions"))
        return "questions_asked";
    if (strstr(path, "recording"))
        return "recording_url";
    if (strstr(path, "segments"))
        return "covered-customer_overview";
    return "notes";
}

static int redirect_done(hf_page *pg, int64_t id, const char *what)
{
    char loc[96];
    snprintf(loc, sizeof(loc), "/handoffs/%lld/meeting?done=%s", (long long)id, what);
    return hf_page_redirect(pg, loc);
}

int page_meeting_post(hf_page *pg)
{
    int64_t id = pages_handoff_id(pg);
    if (!id)
        return hf_page_error(pg, 404, N_("Page not found"),
                             N_("Check the address, or go back to your inbox."));
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_svc *svc = hf_server_service();
    hf_time now = hf_page_now();
    const char *action = hf_page_field(pg, "action");
    if (!action)
        action = "save";
    hf_error err;
    int rc;
    json_t *data = json_object();

    if (strcmp(action, "tick") == 0) {
        const char *item = hf_page_field(pg, "item");
        const char *done = hf_page_field(pg, "done");
        rc = hf_svc_checklist_tick(svc, &a, id, item ? item : "", done && strcmp(done, "1") == 0,
                                   now, &err);
        if (rc == 0) {
            json_decref(data);
            return redirect_done(pg, id, "ticked");
        }
    } else if (strcmp(action, "held") == 0 || strcmp(action, "schedule") == 0) {
        hf_transition_req req;
        memset(&req, 0, sizeof(req));
        bool held = strcmp(action, "held") == 0;
        req.to = held ? HF_STATUS_HELD : HF_STATUS_SCHEDULED;
        const char *at = field(pg, "held_at");
        if (held && at && !parse_local(at, &req.held_at)) {
            hf_page_field_error(data, "held_at",
                                hf_tr(pg->lang, "Enter when the meeting was held"));
            return meeting_render(pg, id, 422, data, NULL, 0, 0);
        }
        rc = hf_svc_handoff_transition(svc, &a, id, &req, now, NULL, &err);
        if (rc == 0) {
            json_decref(data);
            return redirect_done(pg, id, held ? "held" : "scheduled");
        }
        if (rc != HF_ENOTFOUND && rc != HF_EPERM) {
            json_t *msg = hf_page_svc_message(pg, &err);
            hf_page_field_error(data, held ? "held_at" : "schedule", json_string_value(msg));
            json_decref(msg);
            return meeting_render(pg, id, hf_page_svc_status(rc), data, NULL, 0, 0);
        }
    } else {
        /* save, or add a row (the form comes back with one more, nothing saved) */
        hf_handoff_rec h;
        if ((rc = hf_svc_handoff_get(svc, &a, id, &h, &err)) == 0) {
            json_t *doc = hf_json_loads_fast(h.document);
            json_t *m = meeting_from_form(pg, json_object_get(doc, "meeting"), data);
            json_decref(doc);
            hf_handoff_rec_free(&h);
            json_int_t base = 0;
            parse_count(hf_page_field(pg, "base_version"), &base);
            json_object_set_new(data, "base_version", json_integer(base));
            bool add_att = strcmp(action, "add_attendee") == 0;
            bool add_ai = strcmp(action, "add_action_item") == 0;
            if (add_att || add_ai || json_object_get(data, "errors")) {
                int status = json_object_get(data, "errors") ? 422 : 200;
                rc = meeting_render(pg, id, status, data, m, add_att, add_ai);
                json_decref(m);
                return rc;
            }
            rc = hf_svc_handoff_write(svc, &a, id, (int)base, HF_WRITE_SECTION, "meeting", m, now,
                                      NULL, &err);
            if (rc == 0) {
                json_decref(m);
                json_decref(data);
                return redirect_done(pg, id, "saved");
            }
            if (rc != HF_ENOTFOUND && rc != HF_EPERM) {
                if (rc == HF_ESTALE) {
                    hf_page_field_error(data, "notes",
                                        hf_tr(pg->lang,
                                              "Someone else changed this handoff since you opened "
                                              "the page. Your entries are kept below and were not "
                                              "saved: check them and save again."));
                    /* the next save goes over the current version, knowingly */
                    hf_handoff_rec cur;
                    if (hf_svc_handoff_get(svc, &a, id, &cur, &err) == 0) {
                        json_object_set_new(data, "base_version", json_integer(cur.version));
                        hf_handoff_rec_free(&cur);
                    }
                    json_object_set_new(data, "conflict", json_true());
                } else {
                    json_t *msg = hf_page_svc_message(pg, &err);
                    hf_page_field_error(data, field_for(err.path), json_string_value(msg));
                    json_decref(msg);
                }
                rc = meeting_render(pg, id, rc == HF_ESTALE ? 409 : hf_page_svc_status(rc), data, m,
                                    0, 0);
                json_decref(m);
                return rc;
            }
            json_decref(m);
        }
    }
    if (rc == HF_ENOTFOUND || rc == HF_EPERM) {
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    json_t *msg = hf_page_svc_message(pg, &err);
    hf_page_field_error(data, "checklists", json_string_value(msg));
    json_decref(msg);
    return meeting_render(pg, id, hf_page_svc_status(rc), data, NULL, 0, 0);
}
