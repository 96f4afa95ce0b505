/* The handoff's lifecycle in the service layer: guarded status changes with overrides
 * (SPEC §2), the CS review, the pre-close approval, the meeting record, the checklists
 * (SPEC §6), and CSM assignment with capacity. */
#include "service/svc_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const reason_codes[] = {"info_gaps", "undocumented_commitments",
                                           "stakeholders_incomplete", "technical_unclear", "other"};

/* Put a library error (with a msgid) into the actor's language. */
static int translated(hf_error *err, const hf_actor *a, int rc)
{
    if (err && err->msgid && a->lang != HF_LANG_EN) {
        char text[HF_ERROR_MSG_MAX];
        hf_svc_error_text(a->lang, err, text, sizeof(text));
        snprintf(err->msg, sizeof(err->msg), "%s", text);
    }
    return rc;
}

static int find_held(void *ctx, const hf_transition_rec *t)
{
    if (t->to == HF_STATUS_HELD)
        *(bool *)ctx = true;
    return 0;
}

/* The lifecycle's refusal of a move that is not in the table, in the actor's language:
 * the current state and the moves allowed from it. */
static int illegal_move(const hf_actor *a, hf_status from, hf_status to,
                        const hf_transition_ctx *ctx, hf_error *err)
{
    if (a->lang == HF_LANG_EN)
        return HF_ESTATE; /* the lifecycle's English message stands */
    char arg[HF_ERROR_ARG_MAX];
    size_t n =
        (size_t)snprintf(arg, sizeof(arg), "%s → %s", hf_tr(a->lang, hf_status_label_msgid(from)),
                         hf_tr(a->lang, hf_status_label_msgid(to)));
    unsigned allowed = hf_lifecycle_allowed(from, ctx);
    const char *sep = ": ";
    for (int st = 0; st < HF_STATUS_COUNT && n < sizeof(arg); st++)
        if (allowed & HF_STATUS_BIT(st)) {
            n += (size_t)snprintf(arg + n, sizeof(arg) - n, "%s%s", sep,
                                  hf_tr(a->lang, hf_status_label_msgid((hf_status)st)));
            sep = ", ";
        }
    return svc__fail(err, HF_ESTATE, "status", a,
                     allowed ? N_("this status change is not allowed (%s are allowed)")
                             : N_("this status change is not allowed: %s"),
                     arg);
}

int hf_svc_transition_blockers(hf_svc *svc, const hf_handoff_rec *h, hf_status to, hf_time now,
                               unsigned *blockers, hf_error *err)
{
    const hf_protocol *p;
    *blockers = 0;
    int rc = svc__protocol(svc, h->workspace_id, h->index.protocol_version, &p, err);
    if (rc)
        return rc;
    hf_evaluation ev;
    rc = svc__evaluate(svc, h, now, &ev, err);
    if (rc)
        return rc;
    *blockers = ev.blockers & p->transition_requires[to];
    hf_evaluation_free(&ev);
    return 0;
}

static bool may_override(const hf_actor *a)
{
    return a->is_system || a->role == HF_ROLE_CS_MANAGER || a->role == HF_ROLE_REVOPS;
}

/* HF_EBLOCKED naming the blockers in the actor's language; err->arg keeps their ids,
 * comma-separated, for transports that list them. */
static int blocked(const hf_actor *a, hf_status to, unsigned bits, hf_error *err)
{
    char text[HF_ERROR_MSG_MAX];
    size_t n = (size_t)snprintf(text, sizeof(text), hf_tr(a->lang, "cannot move to %s: "),
                                hf_tr(a->lang, hf_status_label_msgid(to)));
    char ids[HF_ERROR_ARG_MAX];
    size_t m = 0;
    ids[0] = '\0';
    for (int b = 0; b < HF_BLOCK_COUNT; b++)
        if (bits & (1u << b)) {
            if (n < sizeof(text))
                n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", m ? "; " : "",
                                      hf_tr(a->lang, hf_blocker_labels[b]));
            if (m < sizeof(ids))
                m += (size_t)snprintf(ids + m, sizeof(ids) - m, "%s%s", m ? "," : "",
                                      hf_blocker_ids[b]);
        }
    hf_error_set(err, HF_EBLOCKED, "status", "%s", text);
    if (err)
        snprintf(err->arg, sizeof(err->arg), "%s", ids);
    return HF_EBLOCKED;
}

/* `held`: the time and the duration of the meeting. */
static int record_held(hf_svc *svc, const hf_actor *a, json_t *doc, const hf_protocol *p,
                       hf_time held_at, hf_time now, hf_error *err)
{
    (void)svc;
    hf_time scheduled, recorded;
    bool has_recorded = hf_value_time(hf_doc_get(doc, "meeting.held_at"), &recorded);
    if (!held_at)
        held_at = has_recorded ? recorded : now;
    if (held_at > now)
        return svc__fail(err, HF_EINVAL, "meeting.held_at", a,
                         N_("a meeting cannot be held in the future%s"), "");
    if (hf_value_time(hf_doc_get(doc, "meeting.scheduled_for"), &scheduled) &&
        held_at < scheduled - (hf_time)(p->meeting_tolerance_minutes * 60))
        return svc__fail(err, HF_EINVAL, "meeting.held_at", a,
                         N_("the meeting is recorded as held before the time it was scheduled "
                            "for%s"),
                         "");
    const json_t *d = hf_doc_get(doc, "meeting.duration_minutes");
    if (json_is_number(d)) {
        const json_t *seg = hf_doc_get(doc, "deal.segment");
        bool strategic = json_is_string(seg) && strcmp(json_string_value(seg), "strategic") == 0;
        double min = strategic ? 60 : 30;
        if (json_number_value(d) < min)
            return svc__fail(err, HF_EINVAL, "meeting.duration_minutes", a,
                             strategic ? N_("a strategic handoff meeting lasts at least 60 "
                                            "minutes%s")
                                       : N_("a handoff meeting lasts at least 30 minutes%s"),
                             "");
    }
    if (!has_recorded || recorded != held_at) {
        char buf[HF_TIME_BUFSZ];
        json_object_set_new(svc__object_at(doc, "meeting"), "held_at",
                            json_string(hf_time_format_utc(held_at, buf)));
    }
    return 0;
}

int hf_svc_handoff_transition(hf_svc *svc, const hf_actor *a, int64_t id,
                              const hf_transition_req *req, hf_time now, hf_handoff_rec *out,
                              hf_error *err)
{
    hf_handoff_rec cur;
    json_t *doc = NULL;
    hf_status to = req->to;
    if ((unsigned)to >= HF_STATUS_COUNT)
        return svc__fail(err, HF_EINVAL, "to", a,
                         N_("expected a status: submitted, scheduled, held, accepted, "
                            "needs_revision, rejected, completed or cancelled%s"),
                         "");
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < req->reason_count; i++) {
        bool ok = false;
        for (size_t k = 0; k < sizeof(reason_codes) / sizeof(reason_codes[0]); k++)
            ok = ok || (req->reasons[i] && strcmp(req->reasons[i], reason_codes[k]) == 0);
        if (!ok || i >= 8) {
            char path[32];
            snprintf(path, sizeof(path), "reasons[%zu]", i);
            return svc__fail(err, HF_EINVAL, path, a,
                             N_("expected info_gaps, undocumented_commitments, "
                                "stakeholders_incomplete, technical_unclear or other%s"),
                             "");
        }
    }
    rc = svc__begin(svc, err);
    if (rc)
        return rc;
    int64_t ws = SVC_WS(a);
    rc = hf_store_handoff_get(svc->s, ws, id, &cur, err);
    if (rc == HF_ENOTFOUND)
        rc = svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such handoff%s"), "");
    if (rc)
        return svc__end(svc, rc, err);
    hf_action need = hf_status_is_decision(to)   ? HF_ACTION_REVIEW
                     : to == HF_STATUS_COMPLETED ? HF_ACTION_COMPLETE
                                                 : HF_ACTION_SALES;
    if (!hf_svc_may(svc, a, need, &cur)) {
        rc = svc__denied(err, a, N_("your role may not make this change on this handoff"));
        goto out;
    }
    rc = svc__document(&cur, &doc, err);
    if (rc)
        goto out;
    hf_transition_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    hf_time t;
    const json_t *trigger = hf_doc_get(doc, "deal.trigger");
    ctx.is_pre_close =
        json_is_string(trigger) && strcmp(json_string_value(trigger), "verbal_commit") == 0;
    ctx.pre_close_approved = hf_value_is_filled(hf_doc_get(doc, "deal.pre_close_approved_by"));
    ctx.meeting_held_before = hf_value_time(hf_doc_get(doc, "meeting.held_at"), &t);
    if (!ctx.meeting_held_before) {
        rc = hf_store_transition_list(svc->s, ws, id, find_held, &ctx.meeting_held_before, err);
        if (rc)
            goto out;
    }
    ctx.kickoff_held = hf_value_time(hf_doc_get(doc, "timeline.kickoff_held_at"), &t);
    ctx.has_reason = (req->comment && *req->comment) || req->reason_count > 0;
    rc = hf_lifecycle_check(cur.status, to, &ctx, err);
    if (rc == HF_ESTATE && err && !err->msgid)
        rc = illegal_move(a, cur.status, to, &ctx, err);
    else if (rc && err && err->msgid && strstr(err->msgid, "needs a reason")) {
        /* a missing reason is the request's fault, not the state's */
        snprintf(err->path, sizeof(err->path), "reason");
        err->rc = HF_EINVAL;
        rc = translated(err, a, HF_EINVAL);
    } else if (rc)
        rc = translated(err, a, rc);
    if (rc)
        goto out;

    /* the gate (SPEC §2, guarded transitions) */
    const hf_protocol *p;
    rc = svc__protocol(svc, ws, cur.index.protocol_version, &p, err);
    if (rc)
        goto out;
    unsigned stand = 0;
    rc = hf_svc_transition_blockers(svc, &cur, to, now, &stand, err);
    if (rc)
        goto out;
    const char *override = NULL;
    if (stand) {
        if (!req->override_reason || !*req->override_reason) {
            rc = blocked(a, to, stand, err);
            goto out;
        }
        if (!may_override(a)) {
            rc = svc__denied(err, a, N_("only a CS manager or RevOps may override the gate"));
            goto out;
        }
        override = req->override_reason;
    }

    /* the document records what the evaluation needs to know about this step */
    char buf[HF_TIME_BUFSZ];
    bool doc_changed = false;
    if (hf_status_is_decision(to)) {
        json_t *review = svc__object_at(doc, "review");
        json_t *history = json_object_get(review, "history");
        if (!json_is_array(history)) {
            history = json_array();
            json_object_set_new(review, "history", history);
        }
        json_t *entry = json_object();
        json_object_set_new(entry, "decision", json_string(hf_status_name(to)));
        json_object_set_new(entry, "at", json_string(hf_time_format_utc(now, buf)));
        json_object_set_new(entry, "by", json_string(a->email));
        json_t *codes = json_array();
        for (size_t i = 0; i < req->reason_count; i++)
            json_array_append_new(codes, json_string(req->reasons[i]));
        json_object_set_new(entry, "reasons", codes);
        if (req->comment && *req->comment)
            json_object_set_new(entry, "comment", json_string(req->comment));
        json_array_append_new(history, entry);
        doc_changed = true;
    } else if (to == HF_STATUS_SUBMITTED &&
               (cur.status == HF_STATUS_NEEDS_REVISION || cur.status == HF_STATUS_REJECTED)) {
        json_object_set_new(svc__object_at(doc, "timeline"), "resubmitted_at",
                            json_string(hf_time_format_utc(now, buf)));
        doc_changed = true;
    } else if (to == HF_STATUS_HELD) {
        rc = record_held(svc, a, doc, p, req->held_at, now, err);
        if (rc)
            goto out;
        doc_changed = true;
    }
    if (doc_changed) {
        rc = svc__record_put(svc, &cur, doc, a->email, now, NULL, err);
        if (rc)
            goto out;
    }
    rc = hf_store_handoff_transition(svc->s, ws, id, cur.status, to, a->email, req->comment,
                                     override, now, err);
    if (rc == HF_ECONFLICT)
        rc =
            svc__fail(err, HF_ESTALE, "status", a,
                      N_("someone else changed the status of this handoff first: reload it%s"), "");
    if (!rc && out)
        rc = hf_store_handoff_get(svc->s, ws, id, out, err);
out:
    json_decref(doc);
    hf_handoff_rec_free(&cur);
    return svc__end(svc, rc, err);
}

int hf_svc_pre_close_approve(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now,
                             hf_handoff_rec *out, hf_error *err)
{
    hf_handoff_rec cur;
    json_t *doc = NULL;
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    rc = svc__begin(svc, err);
    if (rc)
        return rc;
    rc = hf_store_handoff_get(svc->s, SVC_WS(a), id, &cur, err);
    if (rc == HF_ENOTFOUND)
        rc = svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such handoff%s"), "");
    if (rc)
        return svc__end(svc, rc, err);
    if (!hf_svc_may(svc, a, HF_ACTION_REVIEW, &cur)) {
        rc = svc__denied(err, a,
                         N_("the CS manager of the handoff's CSM approves pre-close handoffs"));
    } else if (hf_status_is_final(cur.status) || strcmp(cur.index.trigger, "verbal_commit") != 0) {
        rc = svc__fail(err, HF_ESTATE, "deal.trigger", a,
                       N_("only an open handoff with deal.trigger verbal_commit is approved "
                          "before signature%s"),
                       "");
    } else {
        rc = svc__document(&cur, &doc, err);
        if (!rc) {
            json_object_set_new(svc__object_at(doc, "deal"), "pre_close_approved_by",
                                json_string(a->name[0] ? a->name : a->email));
            rc = svc__record_put(svc, &cur, doc, a->email, now, out, err);
        }
    }
    json_decref(doc);
    hf_handoff_rec_free(&cur);
    return svc__end(svc, rc, err);
}

/* ---- checklists ---- */

/* The manual items, by checklist, and who ticks them: sales (the deal's side) or CS. */
static const struct {
    const char *id;
    bool sales;
} manual_items[] = {
    {"pre_handoff.crm_notes_reviewed", true},    {"pre_handoff.customer_told_about_cs", true},
    {"meeting.recording_shared", true},          {"meeting.action_items_assigned", false},
    {"post_handoff.success_plan_shared", false}, {"post_handoff.transition_note_sent", false},
};
#define MANUAL_COUNT (sizeof(manual_items) / sizeof(manual_items[0]))

static json_t *check_item(const char *id, bool done, bool automatic)
{
    return json_pack("{s:s,s:b,s:b,s:n,s:n}", "id", id, "done", done, "automatic", automatic, "by",
                     "at");
}

typedef struct ticks {
    json_t *by_item; /* item -> {done, by, at} */
} ticks;

static int tick_row(void *vctx, const hf_tick_rec *t)
{
    ticks *c = vctx;
    json_object_set_new(
        c->by_item, t->item,
        json_pack("{s:b,s:s,s:o}", "done", t->done, "by", t->by, "at", hf_svc_time_json(t->at)));
    return 0;
}

int hf_svc_checklists(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now, json_t **out,
                      hf_error *err)
{
    hf_handoff_rec h;
    hf_evaluation ev;
    int rc = hf_svc_handoff_evaluate(svc, a, id, now, &h, &ev, err);
    if (rc)
        return rc;
    json_t *doc = NULL;
    rc = svc__document(&h, &doc, err);
    ticks tk = {json_object()};
    if (!rc)
        rc = hf_store_tick_list(svc->s, SVC_WS(a), id, tick_row, &tk, err);
    if (rc) {
        json_decref(tk.by_item);
        json_decref(doc);
        hf_evaluation_free(&ev);
        hf_handoff_rec_free(&h);
        return rc;
    }
    hf_time t;
    bool intro = false, kickoff7 = false;
    for (size_t i = 0; i < ev.sla_count; i++)
        if (ev.sla[i].activity == HF_ACT_INTRO_SENT)
            intro = ev.sla[i].status == HF_SLA_MET;
    if (ev.t0 != HF_TIME_NONE && hf_value_time(hf_doc_get(doc, "timeline.kickoff_held_at"), &t))
        kickoff7 = t - ev.t0 <= 7 * 86400;
    json_t *lists[3] = {json_array(), json_array(), json_array()};
    json_t *pre = lists[0], *meeting = lists[1], *post = lists[2];
#define NOT_BLOCKED(b) (!(ev.blockers & (1u << (b))))
    json_array_append_new(
        pre, check_item("document_complete", NOT_BLOCKED(HF_BLOCK_DOCS_INCOMPLETE), true));
    json_array_append_new(pre,
                          check_item("csm_assigned", NOT_BLOCKED(HF_BLOCK_CS_NOT_ASSIGNED), true));
    json_array_append_new(
        pre, check_item("meeting_scheduled", NOT_BLOCKED(HF_BLOCK_MEETING_NOT_SCHEDULED), true));
    json_array_append_new(
        pre, check_item("contract_executed", NOT_BLOCKED(HF_BLOCK_CONTRACT_NOT_EXECUTED), true));
    json_array_append_new(
        pre, check_item("systems_updated", NOT_BLOCKED(HF_BLOCK_SYSTEMS_NOT_UPDATED), true));
#undef NOT_BLOCKED
    json_array_append_new(meeting, check_item("required_attendees",
                                              ev.component_c[HF_COMP_ATTENDANCE] == 1000, true));
    json_array_append_new(
        meeting, check_item("agenda_covered", ev.component_c[HF_COMP_AGENDA] == 1000, true));
    json_array_append_new(meeting, check_item("cs_questions_answered",
                                              ev.component_c[HF_COMP_CS_QUESTIONS] == 1000, true));
    json_array_append_new(post, check_item("intro_sent_within_48h", intro, true));
    json_array_append_new(post, check_item("kickoff_within_7_days", kickoff7, true));
    for (size_t i = 0; i < MANUAL_COUNT; i++) {
        const char *dot = strchr(manual_items[i].id, '.');
        json_t *list = strncmp(manual_items[i].id, "pre_handoff", 11) == 0 ? pre
                       : strncmp(manual_items[i].id, "meeting", 7) == 0    ? meeting
                                                                           : post;
        json_t *item = check_item(dot + 1, false, false);
        json_t *tick = json_object_get(tk.by_item, manual_items[i].id);
        if (tick) {
            json_object_set(item, "done", json_object_get(tick, "done"));
            json_object_set(item, "by", json_object_get(tick, "by"));
            json_object_set(item, "at", json_object_get(tick, "at"));
        }
        json_object_set_new(item, "owner", json_string(manual_items[i].sales ? "sales" : "cs"));
        json_array_append_new(list, item);
    }
    *out = json_pack("{s:o,s:o,s:o}", "pre_handoff", pre, "meeting", meeting, "post_handoff", post);
    json_decref(tk.by_item);
    json_decref(doc);
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    return 0;
}

int hf_svc_checklist_tick(hf_svc *svc, const hf_actor *a, int64_t id, const char *item, bool done,
                          hf_time now, hf_error *err)
{
    int k = -1;
    for (size_t i = 0; item && i < MANUAL_COUNT; i++)
        if (strcmp(manual_items[i].id, item) == 0)
            k = (int)i;
    if (k < 0)
        return svc__fail(err, HF_EINVAL, "item", a,
                         N_("%s is not a checklist item that people tick (the others tick "
                            "themselves)"),
                         item ? item : "");
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    hf_handoff_rec h;
    rc = hf_store_handoff_get(svc->s, SVC_WS(a), id, &h, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such handoff%s"), "");
    if (rc)
        return rc;
    bool cs_side = a->role == HF_ROLE_CSM || a->role == HF_ROLE_CS_MANAGER;
    bool sales_side = a->role == HF_ROLE_ACCOUNT_EXECUTIVE || a->role == HF_ROLE_SALES_MANAGER;
    bool mine =
        a->is_system || a->role == HF_ROLE_REVOPS || (manual_items[k].sales ? sales_side : cs_side);
    if (!mine || !hf_svc_may(svc, a, HF_ACTION_EDIT, &h))
        rc = svc__denied(err, a,
                         manual_items[k].sales ? N_("the deal's sales side ticks this item")
                                               : N_("the CS team of the handoff ticks this item"));
    else if (hf_status_is_final(h.status))
        rc = svc__fail(err, HF_ESTATE, "status", a,
                       N_("a completed or cancelled handoff is closed%s"), "");
    else {
        hf_tick_rec t = {(char *)item, done, (char *)a->email, now};
        rc = hf_store_tick_set(svc->s, SVC_WS(a), id, &t, err);
    }
    hf_handoff_rec_free(&h);
    return rc;
}

/* ---- CSM assignment ---- */

typedef struct pick_ctx {
    hf_svc *svc;
    int64_t ws;
    const char *segment;
    hf_time since;
    hf_user_rec best;
    int64_t best_load, best_recent;
    int eligible;
    int rc;
    hf_error *err;
} pick_ctx;

static bool takes_segment(const char *segments, const char *segment)
{
    if (!segments || !*segments || !segment || !*segment)
        return true;
    size_t n = strlen(segment);
    for (const char *p = segments; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, segment, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

static int pick_csm(void *vctx, const hf_user_rec *u)
{
    pick_ctx *c = vctx;
    if (u->role != HF_ROLE_CSM || !u->active || !takes_segment(u->segments, c->segment))
        return 0;
    c->eligible++;
    int64_t load = 0, recent = 0;
    hf_handoff_filter f;
    memset(&f, 0, sizeof(f));
    f.csm = u->email;
    f.open_only = true;
    c->rc = hf_store_handoff_count(c->svc->s, c->ws, &f, &load, c->err);
    if (c->rc)
        return c->rc;
    if (u->capacity > 0 && load >= u->capacity)
        return 0;
    memset(&f, 0, sizeof(f));
    f.csm = u->email;
    f.created_after = c->since;
    c->rc = hf_store_handoff_count(c->svc->s, c->ws, &f, &recent, c->err);
    if (c->rc)
        return c->rc;
    bool better =
        !c->best.email || load < c->best_load || (load == c->best_load && recent < c->best_recent);
    /* ties after that: the lowest id, which the list order gives */
    if (better) {
        hf_user_rec_free(&c->best);
        c->best = *u;
        c->best.email = strdup(u->email);
        c->best.name = u->name ? strdup(u->name) : NULL;
        c->best.password_hash = NULL;
        c->best.segments = NULL;
        c->best.lang = NULL;
        c->best_load = load;
        c->best_recent = recent;
    }
    return 0;
}

int hf_svc_csm_assign(hf_svc *svc, const hf_actor *a, int64_t id, const char *csm_email,
                      const char *override_reason, hf_time now, hf_handoff_rec *out, hf_error *err)
{
    hf_handoff_rec cur;
    json_t *doc = NULL;
    hf_user_rec chosen;
    memset(&chosen, 0, sizeof(chosen));
    int64_t ws = SVC_WS(a);
    bool exhausted = false;
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    rc = svc__begin(svc, err);
    if (rc)
        return rc;
    rc = hf_store_handoff_get(svc->s, ws, id, &cur, err);
    if (rc == HF_ENOTFOUND)
        rc = svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such handoff%s"), "");
    if (rc)
        return svc__end(svc, rc, err);
    if (!hf_svc_may(svc, a, HF_ACTION_ASSIGN, &cur)) {
        rc = svc__denied(err, a, N_("a CS manager or RevOps assigns the CSM"));
        goto out;
    }
    if (hf_status_is_final(cur.status)) {
        rc = svc__fail(err, HF_ESTATE, "status", a,
                       N_("a completed or cancelled handoff is closed%s"), "");
        goto out;
    }
    if (csm_email && *csm_email) {
        rc = hf_store_user_get(svc->s, ws, 0, csm_email, &chosen, err);
        if (rc || chosen.role != HF_ROLE_CSM || !chosen.active) {
            rc = svc__fail(err, HF_EINVAL, "csm", a, N_("%s is not an active CSM"), csm_email);
            goto out;
        }
        int64_t load = 0;
        rc = svc__csm_open(svc, ws, chosen.email, &load, err);
        if (rc)
            goto out;
        if (svc__same_email(cur.index.csm_email, chosen.email) && !hf_status_is_final(cur.status))
            load--;
        if (chosen.capacity > 0 && load >= chosen.capacity) {
            if (!override_reason || !*override_reason) {
                rc = svc__fail(err, HF_ESTATE, "csm", a,
                               N_("%s is at capacity: choose another CSM, or give a reason to "
                                  "override"),
                               chosen.email);
                goto out;
            }
            if (!(a->is_system || a->role == HF_ROLE_CS_MANAGER || a->role == HF_ROLE_REVOPS)) {
                rc = svc__denied(err, a, N_("only a CS manager or RevOps may override the gate"));
                goto out;
            }
            json_t *detail = json_pack("{s:s,s:s,s:s}", "csm", chosen.email, "by", a->email,
                                       "reason", override_reason);
            char *text = json_dumps(detail, JSON_COMPACT);
            json_decref(detail);
            hf_alert_rec al = {0, "csm.assigned_over_capacity", id, text, now, HF_TIME_NONE};
            rc = hf_store_alert_add(svc->s, ws, &al, err);
            free(text);
            if (rc)
                goto out;
        }
    } else {
        pick_ctx c;
        memset(&c, 0, sizeof(c));
        c.svc = svc;
        c.ws = ws;
        c.segment = cur.index.segment;
        c.since = now - 30 * 86400;
        c.err = err;
        rc = hf_store_user_list(svc->s, ws, pick_csm, &c, err);
        if (!rc)
            rc = c.rc;
        if (rc) {
            hf_user_rec_free(&c.best);
            goto out;
        }
        if (!c.best.email) {
            /* the CS managers' queue: the handoff stays unassigned and they are alerted */
            json_t *detail =
                json_pack("{s:s,s:i}", "segment", cur.index.segment, "eligible_csms", c.eligible);
            char *text = json_dumps(detail, JSON_COMPACT);
            json_decref(detail);
            hf_alert_rec al = {0, "csm.capacity_exhausted", id, text, now, HF_TIME_NONE};
            rc = hf_store_alert_add(svc->s, ws, &al, err);
            free(text);
            exhausted = rc == 0;
            goto out;
        }
        chosen = c.best;
    }
    rc = svc__document(&cur, &doc, err);
    if (!rc) {
        json_t *csm = svc__object_at(svc__object_at(doc, "team"), "csm");
        json_object_set_new(csm, "email", json_string(chosen.email));
        rc = svc__fill_team(svc, ws, doc, id, err);
    }
    if (!rc)
        rc = svc__record_put(svc, &cur, doc, a->email, now, out, err);
out:
    json_decref(doc);
    hf_user_rec_free(&chosen);
    hf_handoff_rec_free(&cur);
    rc = svc__end(svc, rc, err);
    if (!rc && exhausted)
        rc = svc__fail(err, HF_ESTATE, "csm", a,
                       N_("every eligible CSM is at capacity: the handoff waits in the CS "
                          "managers' queue and they have been alerted%s"),
                       "");
    return rc;
}

typedef struct load_ctx {
    hf_svc *svc;
    int64_t ws;
    json_t *items;
    int rc;
    hf_error *err;
} load_ctx;

static int collect_csm(void *vctx, const hf_user_rec *u)
{
    load_ctx *c = vctx;
    if (u->role != HF_ROLE_CSM)
        return 0;
    int64_t open = 0;
    c->rc = svc__csm_open(c->svc, c->ws, u->email, &open, c->err);
    if (c->rc)
        return c->rc;
    json_t *o = hf_svc_user_json(u);
    json_object_set_new(o, "open_handoffs", json_integer(open));
    json_object_set_new(o, "at_capacity", json_boolean(u->capacity > 0 && open >= u->capacity));
    json_array_append_new(c->items, o);
    return 0;
}

int hf_svc_csm_load(hf_svc *svc, const hf_actor *a, json_t **out, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    load_ctx c = {svc, SVC_WS(a), json_array(), 0, err};
    rc = hf_store_user_list(svc->s, SVC_WS(a), collect_csm, &c, err);
    if (rc) {
        json_decref(c.items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", c.items);
    return 0;
}
