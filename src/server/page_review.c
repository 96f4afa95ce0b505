/* The CS review (GET/POST /handoffs/{id}/review): accept, ask for a revision or reject with
 * reason codes and a comment, the pre-close approval, the override of a blocking gate, and
 * the CSM assignment. Each POST calls one service function (hf_svc_handoff_transition,
 * hf_svc_pre_close_approve, hf_svc_csm_assign); which controls show is asked of the service
 * (hf_svc_transitions_allowed, hf_svc_may). */
#include "server/pages.h"

#include "handoff/evaluate.h"
#include "handoff/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *code, *label;
} reasons[] = {
    {"info_gaps", N_("Information gaps")},
    {"undocumented_commitments", N_("Undocumented commitments")},
    {"stakeholders_incomplete", N_("Stakeholders incomplete")},
    {"technical_unclear", N_("Technical details unclear")},
    {"other", N_("Other")},
};

static const struct {
    hf_status to;
    const char *label, *hint;
} decisions[] = {
    {HF_STATUS_ACCEPTED, N_("Accept"), N_("CS takes the customer from here.")},
    {HF_STATUS_NEEDS_REVISION, N_("Ask for a revision"),
     N_("The rep corrects the document and submits it again.")},
    {HF_STATUS_REJECTED, N_("Reject"), N_("The handoff is not good enough to take on.")},
};

static const char *reason_label(const char *code)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(code, reasons[i].code) == 0)
            return reasons[i].label;
    return NULL;
}

/* The page with `data` (stolen) holding what the form sent back and its errors. */
static int review_render(hf_page *pg, int64_t id, int status, json_t *data)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    hf_svc *svc = hf_server_service();
    hf_time now = hf_page_now();
    hf_handoff_rec h;
    hf_evaluation ev;
    hf_error err;
    if (hf_svc_handoff_evaluate(svc, &a, id, now, &h, &ev, &err)) {
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    json_t *item = hf_svc_handoff_json(&h, true);
    pages_handoff_row(pg, item, now);
    json_t *doc = json_object_get(item, "document");
    json_object_set_new(data, "id", json_integer(id));
    json_object_set(data, "handoff", item);

    /* the decision: the moves this reader may make now */
    unsigned allowed = hf_svc_transitions_allowed(svc, &a, &h);
    json_t *choices = json_array();
    const char *sent = json_string_value(json_object_get(data, "sent_decision"));
    for (size_t i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++) {
        if (!(allowed & HF_STATUS_BIT(decisions[i].to)))
            continue;
        const char *name = hf_status_name(decisions[i].to);
        json_array_append_new(choices, json_pack("{s:s,s:s,s:s,s:b}", "value", name, "label",
                                                 hf_tr(pg->lang, decisions[i].label), "hint",
                                                 hf_tr(pg->lang, decisions[i].hint), "checked",
                                                 sent && strcmp(sent, name) == 0));
    }
    json_object_set_new(data, "decisions", choices);
    json_t *rs = json_array();
    json_t *sent_reasons = json_object_get(data, "sent_reasons");
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
        bool on = false;
        size_t k;
        json_t *v;
        json_array_foreach(sent_reasons, k, v)
        {
            on = on || strcmp(json_string_value(v), reasons[i].code) == 0;
        }
        json_array_append_new(rs, json_pack("{s:s,s:s,s:b}", "code", reasons[i].code, "label",
                                            hf_tr(pg->lang, reasons[i].label), "checked", on));
    }
    json_object_set_new(data, "reasons", rs);
    json_object_set_new(data, "may_override",
                        json_boolean(hf_svc_may(svc, &a, HF_ACTION_OVERRIDE, &h)));
    /* what stands between the handoff and acceptance now */
    unsigned blockers = 0;
    json_t *bl = json_array();
    if ((allowed & HF_STATUS_BIT(HF_STATUS_ACCEPTED)) &&
        hf_svc_transition_blockers(svc, &h, HF_STATUS_ACCEPTED, now, &blockers, &err) == 0)
        for (int b = 0; b < HF_BLOCK_COUNT; b++)
            if (blockers & (1u << b))
                json_array_append_new(bl, json_string(hf_tr(pg->lang, hf_blocker_labels[b])));
    json_object_set_new(data, "blockers", bl);

    /* the pre-close approval */
    bool pre_close = strcmp(h.index.trigger, "verbal_commit") == 0;
    const json_t *approved = json_object_get(json_object_get(doc, "deal"), "pre_close_approved_by");
    json_object_set_new(data, "pre_close", json_boolean(pre_close));
    if (json_is_string(approved))
        json_object_set(data, "approved_by", (json_t *)approved);
    else if (pre_close && !hf_status_is_final(h.status) &&
             hf_svc_may(svc, &a, HF_ACTION_REVIEW, &h))
        json_object_set_new(data, "may_approve", json_true());

    /* the CSM assignment */
    if (!hf_status_is_final(h.status) && hf_svc_may(svc, &a, HF_ACTION_ASSIGN, &h)) {
        json_t *load = NULL;
        if (hf_svc_csm_load(svc, &a, &load, &err) == 0) {
            json_t *csms = json_object_get(load, "items");
            size_t k;
            json_t *u;
            json_array_foreach(csms, k, u)
            {
                const char *email = json_string_value(json_object_get(u, "email"));
                json_object_set_new(u, "current",
                                    json_boolean(email && h.index.csm_email &&
                                                 strcmp(email, h.index.csm_email) == 0));
            }
            json_object_set(data, "csms", csms);
            json_decref(load);
            json_object_set_new(data, "may_assign", json_true());
        }
    }

    /* the decisions so far */
    json_t *history = json_array();
    size_t k;
    json_t *e;
    json_array_foreach(json_object_get(json_object_get(doc, "review"), "history"), k, e)
    {
        if (!json_is_object(e))
            continue;
        json_t *row = json_object();
        hf_status st;
        const char *d = json_string_value(json_object_get(e, "decision"));
        if (d && hf_status_parse(d, &st)) {
            json_object_set_new(row, "decision", json_string(d));
            json_object_set_new(row, "decision_label",
                                json_string(hf_tr(pg->lang, hf_status_label_msgid(st))));
        }
        const json_t *at = json_object_get(e, "at");
        hf_time t;
        if (json_is_string(at) &&
            hf_time_parse_rfc3339(json_string_value(at), json_string_length(at), &t))
            json_object_set_new(row, "at", hf_page_datetime(pg, t));
        json_object_set(row, "by", json_object_get(e, "by"));
        json_object_set(row, "comment", json_object_get(e, "comment"));
        json_t *labels = json_array();
        size_t j;
        json_t *c;
        json_array_foreach(json_object_get(e, "reasons"), j, c)
        {
            const char *l = json_is_string(c) ? reason_label(json_string_value(c)) : NULL;
            if (l)
                json_array_append_new(labels, json_string(hf_tr(pg->lang, l)));
        }
        json_object_set_new(row, "reasons", labels);
        json_array_insert_new(history, 0, row); /* the latest first */
    }
    json_object_set_new(data, "history", history);
    const char *done = hf_req_query(pg->req, "done");
    if (done && !json_object_get(data, "errors")) {
        const char *msg = strcmp(done, "decided") == 0    ? N_("Your decision has been recorded.")
                          : strcmp(done, "approved") == 0 ? N_("The pre-close handoff is approved.")
                          : strcmp(done, "assigned") == 0 ? N_("The CSM has been assigned.")
                                                          : NULL;
        if (msg)
            json_object_set_new(data, "done", json_string(hf_tr(pg->lang, msg)));
    }
    json_decref(item);
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    return hf_page_render(pg, status, "review", N_("CS review"), data);
}

int page_review(hf_page *pg)
{
    int64_t id = pages_handoff_id(pg);
    if (!id)
        return hf_page_error(pg, 404, N_("Page not found"),
                             N_("Check the address, or go back to your inbox."));
    return review_render(pg, id, 200, json_object());
}

static const char *trimmed(const hf_page *pg, const char *name)
{
    const char *v = hf_page_field(pg, name);
    while (v && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t'))
        v++;
    return v && *v ? v : NULL;
}

/* The form's checkboxes named `name`: one string or an array of them. */
static json_t *field_list(const hf_page *pg, const char *name)
{
    json_t *v = pg->form ? json_object_get(pg->form, name) : NULL;
    if (json_is_array(v))
        return json_incref(v);
    json_t *a = json_array();
    if (json_is_string(v))
        json_array_append(a, v);
    return a;
}

static int decide(hf_page *pg, int64_t id, hf_actor *a, json_t *data)
{
    const char *decision = hf_page_field(pg, "decision");
    hf_status to;
    if (!decision || !hf_status_parse(decision, &to) || !hf_status_is_decision(to)) {
        hf_page_field_error(data, "decision-accepted",
                            hf_tr(pg->lang, "Choose accept, ask for a revision or reject"));
        return review_render(pg, id, 422, data);
    }
    json_object_set_new(data, "sent_decision", json_string(decision));
    json_t *codes = field_list(pg, "reasons");
    json_object_set(data, "sent_reasons", codes);
    const char *comment = trimmed(pg, "comment");
    const char *override = trimmed(pg, "override_reason");
    json_object_set_new(data, "sent_comment", json_string(comment ? comment : ""));
    json_object_set_new(data, "sent_override", json_string(override ? override : ""));
    if (to != HF_STATUS_ACCEPTED && json_array_size(codes) == 0) {
        json_decref(codes);
        hf_page_field_error(data, "reason-info_gaps",
                            hf_tr(pg->lang, "Choose at least one reason"));
        return review_render(pg, id, 422, data);
    }
    const char *list[8];
    size_t n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(codes, i, v)
    {
        if (n < 8)
            list[n++] = json_string_value(v);
    }
    hf_transition_req req;
    memset(&req, 0, sizeof(req));
    req.to = to;
    req.comment = comment;
    req.reasons = list;
    req.reason_count = n;
    req.override_reason = override;
    hf_error err;
    int rc = hf_svc_handoff_transition(hf_server_service(), a, id, &req, hf_page_now(), NULL, &err);
    json_decref(codes);
    if (rc == 0) {
        json_decref(data);
        char loc[96];
        snprintf(loc, sizeof(loc), "/handoffs/%lld/review?done=decided", (long long)id);
        return hf_page_redirect(pg, loc);
    }
    if (rc == HF_ENOTFOUND || rc == HF_EPERM) {
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    json_t *msg = hf_page_svc_message(pg, &err);
    hf_page_field_error(data, rc == HF_EBLOCKED ? "override_reason" : "decision-accepted",
                        json_string_value(msg));
    json_decref(msg);
    if (rc == HF_EBLOCKED)
        json_object_set_new(data, "blocked", json_true());
    return review_render(pg, id, hf_page_svc_status(rc), data);
}

int page_review_post(hf_page *pg)
{
    int64_t id = pages_handoff_id(pg);
    if (!id)
        return hf_page_error(pg, 404, N_("Page not found"),
                             N_("Check the address, or go back to your inbox."));
    hf_actor a;
    hf_page_actor(pg, &a);
    json_t *data = json_object();
    const char *action = hf_page_field(pg, "action");
    hf_error err;
    int rc;
    const char *done;
    const char *field;
    if (action && strcmp(action, "decide") == 0)
        return decide(pg, id, &a, data);
    if (action && strcmp(action, "approve") == 0) {
        rc = hf_svc_pre_close_approve(hf_server_service(), &a, id, hf_page_now(), NULL, &err);
        done = "approved";
        field = "approve";
    } else if (action && strcmp(action, "assign") == 0) {
        const char *csm = hf_page_field(pg, "csm");
        const char *override = trimmed(pg, "assign_override");
        if (csm && strcmp(csm, "auto") == 0)
            csm = NULL;
        rc = hf_svc_csm_assign(hf_server_service(), &a, id, csm, override, hf_page_now(), NULL,
                               &err);
        done = "assigned";
        field = "csm-auto";
        json_object_set_new(data, "sent_assign_override", json_string(override ? override : ""));
    } else {
        json_decref(data);
        return hf_page_error(pg, 400, N_("This form cannot be read"),
                             N_("Send the form from its page."));
    }
    if (rc == 0) {
        json_decref(data);
        char loc[96];
        snprintf(loc, sizeof(loc), "/handoffs/%lld/review?done=%s", (long long)id, done);
        return hf_page_redirect(pg, loc);
    }
    if (rc == HF_ENOTFOUND || rc == HF_EPERM) {
        json_decref(data);
        return hf_page_svc_error(pg, &err);
    }
    json_t *msg = hf_page_svc_message(pg, &err);
    hf_page_field_error(data, field, json_string_value(msg));
    json_decref(msg);
    return review_render(pg, id, hf_page_svc_status(rc), data);
}
