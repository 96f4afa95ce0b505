/* The inbox (GET /) and the handoff list (GET /handoffs): transports over hf_svc_inbox and
 * hf_svc_handoff_list. They read the query, build the actor, ask the service once and
 * render; what belongs in a list is the service's decision. */
#include "server/pages.h"

#include "handoff/datefmt.h"
#include "handoff/evaluate.h"
#include "handoff/id.h"
#include "handoff/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PAGE 50

static const char *const band_labels[HF_BAND_COUNT] = {N_("excellent"), N_("good"),
                                                       N_("acceptable"), N_("substandard")};

static const struct {
    const char *name, *label;
} segments[] = {{"strategic", N_("Strategic")},
                {"enterprise", N_("Enterprise")},
                {"mid_market", N_("Mid-market")},
                {"smb", N_("Small business")}};

const char *pages_band_label(int band)
{
    return band_labels[band >= 0 && band < HF_BAND_COUNT ? band : HF_BAND_COUNT - 1];
}

int64_t pages_handoff_id(const hf_page *pg)
{
    int64_t id = 0;
    if (pg->req->nparams < 1 || !hf_id_parse(pg->req->params[0], &id))
        return 0;
    return id;
}

static hf_time json_time(const json_t *v)
{
    hf_time t;
    if (json_is_string(v) && hf_time_parse_rfc3339(json_string_value(v), json_string_length(v), &t))
        return t;
    return HF_TIME_NONE;
}

void pages_handoff_row(const hf_page *pg, json_t *item, hf_time now)
{
    hf_status st;
    const char *status = json_string_value(json_object_get(item, "status"));
    if (status && hf_status_parse(status, &st))
        json_object_set_new(item, "status_label",
                            json_string(hf_tr(pg->lang, hf_status_label_msgid(st))));
    const char *band = json_string_value(json_object_get(item, "band"));
    for (int b = 0; band && b < HF_BAND_COUNT; b++)
        if (strcmp(band, hf_band_names[b]) == 0)
            json_object_set_new(item, "band_label", json_string(hf_tr(pg->lang, band_labels[b])));
    const char *seg = json_string_value(json_object_get(item, "segment"));
    for (size_t i = 0; seg && i < sizeof(segments) / sizeof(segments[0]); i++)
        if (strcmp(seg, segments[i].name) == 0)
            json_object_set_new(item, "segment_label",
                                json_string(hf_tr(pg->lang, segments[i].label)));
    if (!json_string_value(json_object_get(item, "company")))
        json_object_set_new(item, "company", json_string(hf_tr(pg->lang, "(no company name)")));
    json_t *c = json_object_get(item, "completeness");
    json_object_set_new(item, "percent", json_integer((json_int_t)json_number_value(c)));
    hf_time due = json_time(json_object_get(item, "next_due"));
    if (due != HF_TIME_NONE) {
        json_object_set_new(item, "due_text", hf_page_datetime(pg, due));
        json_object_set_new(item, "due_relative", hf_page_relative(pg, due, now));
        json_object_set_new(item, "due_late", json_boolean(due < now));
    }
    hf_time at = json_time(json_object_get(item, "scheduled_for"));
    if (at != HF_TIME_NONE) {
        json_object_set_new(item, "meeting_text", hf_page_datetime(pg, at));
        json_object_set_new(item, "meeting_relative", hf_page_relative(pg, at, now));
    }
    const char *act = json_string_value(json_object_get(item, "activity"));
    hf_activity activity;
    if (act && hf_activity_parse(act, &activity))
        json_object_set_new(item, "activity_label",
                            json_string(hf_tr(pg->lang, hf_activity_labels[activity])));
    hf_time sla_due = json_time(json_object_get(item, "due"));
    if (sla_due != HF_TIME_NONE)
        json_object_set_new(item, "sla_relative", hf_page_relative(pg, sla_due, now));
}

/* ---- GET / ---- */

static const struct {
    const char *key, *title, *hint, *action, *action_label;
} inbox_lists[] = {
    {"overdue", N_("Overdue"), N_("Deadlines already past, the most escalated first."), NULL, NULL},
    {"to_fill", N_("To fill and to correct"),
     N_("Handoffs sent back to you first, then your drafts."), "edit", N_("Edit")},
    {"to_review", N_("To review"), N_("Meetings held: accept, ask for a revision or reject."),
     "review", N_("Review")},
    {"to_approve", N_("To approve before closing"),
     N_("Pre-close handoffs that wait for your approval."), "review", N_("Approve")},
    {"queue", N_("Without a CSM"), N_("Handoffs to staff: assign a customer success manager."),
     "review", N_("Assign")},
    {"meetings", N_("Meetings this week"), N_("Handoff meetings of the next seven days."), NULL,
     NULL},
};

int page_inbox(hf_page *pg)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_time now = hf_page_now();
    json_t *box = NULL;
    hf_error err;
    if (hf_svc_inbox(hf_server_service(), &a, now, &box, &err))
        return hf_page_svc_error(pg, &err);
    json_t *data = json_object();
    json_t *sections = json_array();
    json_t *counts = json_object_get(box, "counts");
    for (size_t i = 0; i < sizeof(inbox_lists) / sizeof(inbox_lists[0]); i++) {
        json_t *list = json_object_get(box, inbox_lists[i].key);
        if (!json_array_size(list))
            continue;
        size_t k;
        json_t *item;
        json_array_foreach(list, k, item)
        {
            pages_handoff_row(pg, item, now);
        }
        json_int_t n = json_integer_value(json_object_get(counts, inbox_lists[i].key));
        json_t *sec = json_pack("{s:s,s:s,s:s,s:O,s:I,s:b,s:b,s:b}", "key", inbox_lists[i].key,
                                "title", hf_tr(pg->lang, inbox_lists[i].title), "hint",
                                hf_tr(pg->lang, inbox_lists[i].hint), "items", list, "count", n,
                                "is_overdue", strcmp(inbox_lists[i].key, "overdue") == 0,
                                "is_meetings", strcmp(inbox_lists[i].key, "meetings") == 0, "more",
                                n > (json_int_t)json_array_size(list));
        if (inbox_lists[i].action) {
            json_object_set_new(sec, "action", json_string(inbox_lists[i].action));
            json_object_set_new(sec, "action_label",
                                json_string(hf_tr(pg->lang, inbox_lists[i].action_label)));
        }
        json_array_append_new(sections, sec);
    }
    json_object_set_new(data, "sections", sections);
    json_object_set(data, "counts", counts);
    json_decref(box);
    return hf_page_render(pg, 200, "inbox", N_("Inbox"), data);
}

/* ---- GET /handoffs ---- */

typedef struct list_ctx {
    json_t *items;
} list_ctx;

static int collect(void *vctx, const hf_handoff_rec *h)
{
    list_ctx *c = vctx;
    json_array_append_new(c->items, hf_svc_handoff_json(h, false));
    return 0;
}

static const char *query(const hf_page *pg, const char *name)
{
    const char *v = hf_req_query(pg->req, name);
    return v && *v && strlen(v) <= 200 ? v : NULL;
}

int page_handoffs(hf_page *pg)
{
    hf_handoff_filter f;
    memset(&f, 0, sizeof(f));
    json_t *data = json_object();
    json_t *form = json_object(); /* what the filter form shows again */
    hf_time now = hf_page_now();
    const char *v;
    hf_status st;
    if ((v = query(pg, "status")) && hf_status_parse(v, &st)) {
        f.status_mask = HF_STATUS_BIT(st);
        json_object_set_new(form, "status", json_string(v));
    }
    if ((v = query(pg, "segment"))) {
        for (size_t i = 0; i < sizeof(segments) / sizeof(segments[0]); i++)
            if (strcmp(v, segments[i].name) == 0) {
                f.segment = segments[i].name;
                json_object_set_new(form, "segment", json_string(v));
            }
    }
    if ((v = query(pg, "band"))) {
        for (int b = 0; b < HF_BAND_COUNT; b++)
            if (strcmp(v, hf_band_names[b]) == 0) {
                f.band_mask = 1u << b;
                json_object_set_new(form, "band", json_string(v));
            }
    }
    if ((f.owner = query(pg, "owner")))
        json_object_set_new(form, "owner", json_string(f.owner));
    if ((f.csm = query(pg, "csm")))
        json_object_set_new(form, "csm", json_string(f.csm));
    if ((f.search = query(pg, "q")))
        json_object_set_new(data, "query", json_string(f.search));
    if ((v = query(pg, "overdue")) && strcmp(v, "1") == 0) {
        f.overdue_only = true;
        f.now = now;
        json_object_set_new(form, "overdue", json_true());
    }
    if ((v = query(pg, "unassigned")) && strcmp(v, "1") == 0) {
        f.unassigned = true;
        json_object_set_new(form, "unassigned", json_true());
    }
    if ((v = query(pg, "cursor")) && !hf_id_parse(v, &f.after_id))
        f.after_id = 0;
    f.limit = LIST_PAGE + 1;

    hf_actor a;
    hf_page_actor(pg, &a);
    hf_error err;
    list_ctx c = {json_array()};
    int64_t total = 0;
    if (hf_svc_handoff_list(hf_server_service(), &a, &f, collect, &c, &err) ||
        hf_svc_handoff_count(hf_server_service(), &a, &f, &total, &err)) {
        json_decref(c.items);
        json_decref(form);
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    if (json_array_size(c.items) > LIST_PAGE) {
        json_array_remove(c.items, LIST_PAGE);
        json_t *last = json_array_get(c.items, LIST_PAGE - 1);
        json_object_set_new(data, "next_cursor",
                            json_integer(json_integer_value(json_object_get(last, "id"))));
    }
    size_t i;
    json_t *item;
    json_array_foreach(c.items, i, item)
    {
        pages_handoff_row(pg, item, now);
    }
    json_object_set_new(data, "items", c.items);
    json_object_set_new(data, "total", json_integer(total));
    json_object_set_new(data, "counted", json_true());
    json_object_set_new(data, "paged", json_boolean(f.after_id > 0));

    json_t *opts = json_array();
    for (int s = 0; s < HF_STATUS_COUNT; s++) {
        const char *chosen = json_string_value(json_object_get(form, "status"));
        json_array_append_new(
            opts, json_pack("{s:s,s:s,s:b}", "value", hf_status_name((hf_status)s), "label",
                            hf_tr(pg->lang, hf_status_label_msgid((hf_status)s)), "selected",
                            chosen && strcmp(chosen, hf_status_name((hf_status)s)) == 0));
    }
    json_object_set_new(form, "statuses", opts);
    opts = json_array();
    for (size_t s = 0; s < sizeof(segments) / sizeof(segments[0]); s++)
        json_array_append_new(opts,
                              json_pack("{s:s,s:s,s:b}", "value", segments[s].name, "label",
                                        hf_tr(pg->lang, segments[s].label), "selected",
                                        f.segment && strcmp(f.segment, segments[s].name) == 0));
    json_object_set_new(form, "segments", opts);
    opts = json_array();
    for (int b = 0; b < HF_BAND_COUNT; b++)
        json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", hf_band_names[b], "label",
                                              hf_tr(pg->lang, band_labels[b]), "selected",
                                              f.band_mask == (1u << b)));
    json_object_set_new(form, "bands", opts);
    json_object_set_new(data, "form", form);
    return hf_page_render(pg, 200, "handoffs", N_("Handoffs"), data);
}
