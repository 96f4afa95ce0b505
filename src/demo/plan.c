/* The plan of each demo deal: what happens to it and when. From the deal's own stream it
 * draws the customer, the segment, the price and the CRM id, a final status (from the run's
 * quota), a target quality band and a review path; it chooses the defects that put the
 * final document's score in that band by evaluating it (hf_evaluate); it lays out every
 * event from T0 in the customer's working hours and the actions that write them, moving T0
 * back by whole weeks until every step the status needs lies before `now`; and once all
 * plans are sorted by T0 it assigns their CSMs. Pure: nothing here touches the store. */
#include "demo/demo_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- times and actions ---- */

/* lo + u * (hi - lo), for a draw u of the plan. */
static hf_time between(const plan *p, int draw, hf_time lo, hf_time hi)
{
    return lo + (hf_time)(p->u[draw] * (double)(hi - lo));
}

static hf_time max_time(hf_time a, hf_time b)
{
    return a > b ? a : b;
}

/* Working hours of the customer's zone, 08:00-19:00 on weekdays. */
static hf_time office(const plan *p, hf_time t, int jitter)
{
    return hf__demo_working_time(t, hf__demo_countries[p->country].zone, 8, 19,
                                 (int)(p->u[U_JITTER + jitter % 8] * 50) + 3);
}

/* Every event's time for the full life (as if the handoff were completed), from T0, the
 * draws and the defects. */
static void compute_times(plan *p)
{
    zone z = hf__demo_countries[p->country].zone;
    hf_time t0 = p->t0;
    hf_time *ev = p->ev;
    ev[EV_CREATE] = t0 + between(p, U_CREATE, 2 * MINUTE, 25 * MINUTE);
    ev[EV_CSM] = office(p, ev[EV_CREATE] + between(p, U_CSM, 30 * MINUTE, 6 * HOUR), 0);
    ev[EV_DOCS_PARTIAL] = p->docs_partial
                              ? office(p, ev[EV_CREATE] + between(p, U_PARTIAL, HOUR, 5 * HOUR), 1)
                              : FOREVER;
    hf_time base = p->docs_partial ? ev[EV_DOCS_PARTIAL] : ev[EV_CREATE];
    ev[EV_DOCS] = office(p,
                         base + (p->docs_late ? between(p, U_DOCS, 20 * HOUR, 70 * HOUR)
                                              : between(p, U_DOCS, 90 * MINUTE, 8 * HOUR)),
                         2);
    ev[EV_APPROVE] = p->trigger == TRIGGER_VERBAL
                         ? office(p, ev[EV_DOCS] + between(p, U_APPROVE, 30 * MINUTE, 5 * HOUR), 3)
                         : FOREVER;
    hf_time ready =
        p->trigger == TRIGGER_VERBAL ? max_time(ev[EV_DOCS], ev[EV_APPROVE]) : ev[EV_DOCS];
    ev[EV_SUBMIT] = ready + between(p, U_SUBMIT, 5 * MINUTE, 60 * MINUTE);
    ev[EV_SCHEDULE] = office(p, ev[EV_SUBMIT] + between(p, U_SCHEDULE, 10 * MINUTE, 3 * HOUR), 4);
    hf_time slot;
    if (p->d.meeting_late) {
        slot = hf__demo_meeting_slot(
            max_time(t0 + between(p, U_MEETING, 56 * HOUR, 8 * DAY), ev[EV_SCHEDULE] + 2 * HOUR),
            z);
    } else {
        /* a meeting within the 48 hours; the rep's steps before it make room for it */
        slot = hf__demo_meeting_slot(
            max_time(t0 + between(p, U_MEETING, 18 * HOUR, 44 * HOUR), ev[EV_SCHEDULE] + 2 * HOUR),
            z);
        if (slot > t0 + 47 * HOUR)
            slot = hf__demo_meeting_slot(ev[EV_SCHEDULE] + 2 * HOUR, z);
        if (slot > t0 + 47 * HOUR)
            slot = hf__demo_meeting_slot(t0 + 3 * HOUR, z);
        if (ev[EV_SCHEDULE] > slot - 90 * MINUTE) {
            hf_time w = slot - 90 * MINUTE - ev[EV_CREATE];
            if (w < HOUR)
                w = HOUR;
            if (p->docs_partial)
                ev[EV_DOCS_PARTIAL] = ev[EV_CREATE] + w * 15 / 100;
            ev[EV_DOCS] = ev[EV_CREATE] + w * 40 / 100;
            if (p->trigger == TRIGGER_VERBAL)
                ev[EV_APPROVE] = ev[EV_CREATE] + w * 60 / 100;
            ev[EV_SUBMIT] = ev[EV_CREATE] + w * 75 / 100;
            ev[EV_SCHEDULE] = ev[EV_CREATE] + w * 90 / 100;
        }
    }
    ev[EV_MEETING] = slot + (hf_time)(p->u[U_MEETING_START] * 8) * MINUTE;
    if (p->agenda_mode == 0) /* sent with the invitation */
        ev[EV_AGENDA] = ev[EV_SCHEDULE];
    else if (p->agenda_mode == 1)
        ev[EV_AGENDA] = max_time(ev[EV_SCHEDULE] + 10 * MINUTE,
                                 slot - between(p, U_AGENDA, 2 * HOUR, 20 * HOUR));
    else
        ev[EV_AGENDA] = FOREVER;
    ev[EV_RECORD] =
        ev[EV_MEETING] + p->duration * MINUTE + between(p, U_RECORD, 10 * MINUTE, 90 * MINUTE);
    if (p->d.intro_late) {
        ev[EV_INTRO] = max_time(t0 + between(p, U_INTRO, 54 * HOUR, 9 * DAY), ev[EV_RECORD] + HOUR);
    } else {
        hf_time intro = ev[EV_RECORD] + between(p, U_INTRO, 30 * MINUTE, 4 * HOUR);
        if (intro > t0 + 47 * HOUR) /* the AE wrote to the customer before the meeting */
            intro = max_time(ev[EV_CREATE] + 20 * MINUTE,
                             t0 + between(p, U_INTRO, 3 * HOUR, 20 * HOUR));
        ev[EV_INTRO] = intro;
    }
    ev[EV_READINESS] = office(p, ev[EV_CREATE] + between(p, U_READINESS, 6 * HOUR, 72 * HOUR), 5);
    hf_time last_review = FOREVER;
    for (int k = 0; k < MAX_DECISIONS; k++) {
        if (k >= p->ndecisions) {
            ev[EV_REVIEW(k)] = FOREVER;
            if (k < MAX_DECISIONS - 1)
                ev[EV_FIX(k)] = ev[EV_RESUBMIT(k)] = FOREVER;
            continue;
        }
        if (k == 0) {
            ev[EV_REVIEW(0)] =
                office(p, ev[EV_RECORD] + between(p, U_REVIEW0, 2 * HOUR, 26 * HOUR), 6);
        } else {
            ev[EV_FIX(k - 1)] = office(
                p, ev[EV_REVIEW(k - 1)] + between(p, U_FIX0 + k - 1, 3 * HOUR, 30 * HOUR), 7 + k);
            ev[EV_RESUBMIT(k - 1)] =
                ev[EV_FIX(k - 1)] + between(p, U_RESUBMIT0 + k - 1, 2 * MINUTE, 25 * MINUTE);
            ev[EV_REVIEW(k)] = office(
                p, ev[EV_RESUBMIT(k - 1)] + between(p, U_REVIEW0 + k, 2 * HOUR, 24 * HOUR), 9 + k);
        }
        if (k < MAX_DECISIONS - 1)
            ev[EV_FIX(k)] = ev[EV_RESUBMIT(k)] = FOREVER;
        last_review = ev[EV_REVIEW(k)];
    }
    if (last_review == FOREVER)
        last_review = ev[EV_RECORD];
    ev[EV_FIRST_CONTACT] =
        office(p,
               ev[EV_RECORD] + (p->contact_late ? between(p, U_CONTACT, 3 * DAY, 8 * DAY)
                                                : between(p, U_CONTACT, HOUR, 20 * HOUR)),
               12);
    ev[EV_PREP] = office(p, ev[EV_FIRST_CONTACT] + between(p, U_PREP, 2 * HOUR, 20 * HOUR), 13);
    ev[EV_KICKOFF_SCHEDULED] = office(
        p, max_time(last_review, ev[EV_PREP]) + between(p, U_KICKOFF_SCHEDULED, HOUR, 12 * HOUR),
        14);
    ev[EV_SIGNED] = p->trigger == TRIGGER_VERBAL
                        ? office(p, ev[EV_RECORD] + between(p, U_SIGNED, 2 * DAY, 14 * DAY), 15)
                        : FOREVER;
    /* the joint call introduces the CSM to the customer, after the intro email */
    ev[EV_JOINT] =
        hf__demo_meeting_slot(max_time(max_time(ev[EV_RECORD], ev[EV_INTRO]), last_review) +
                                  between(p, U_JOINT, 20 * HOUR, 3 * DAY),
                              z);
    hf_time kick = max_time(ev[EV_JOINT], ev[EV_KICKOFF_SCHEDULED]) + DAY;
    if (p->trigger == TRIGGER_VERBAL)
        kick = max_time(kick, ev[EV_SIGNED] + DAY);
    kick = p->kickoff_late ? kick + between(p, U_KICKOFF, 12 * DAY, 28 * DAY)
                           : max_time(kick, t0 + 6 * DAY) + between(p, U_KICKOFF, 0, 5 * DAY);
    ev[EV_KICKOFF] = hf__demo_meeting_slot(kick, z);
    ev[EV_COMPLETE] =
        office(p, ev[EV_KICKOFF] + 75 * MINUTE + between(p, U_COMPLETE, 30 * MINUTE, 8 * HOUR), 16);
    hf_time signed_at = p->trigger == TRIGGER_VERBAL ? ev[EV_SIGNED] : t0;
    ev[EV_PAYMENT] = office(p, signed_at + between(p, U_PAYMENT, 7 * DAY, 35 * DAY), 17);
    ev[EV_CANCEL] = FOREVER;
}

static void add_action(plan *p, int event, hf_time at, enum action_kind kind, enum actor actor,
                       hf_status to, int review, bool required)
{
    if (p->nactions >= MAX_ACTIONS)
        return;
    action *a = &p->actions[p->nactions];
    a->at = at;
    a->kind = (uint8_t)kind;
    a->actor = (uint8_t)actor;
    a->to = (uint8_t)to;
    a->review = (uint8_t)review;
    a->event = (uint8_t)event;
    a->seq = (uint8_t)p->nactions;
    a->is_required = required;
    p->nactions++;
}

static int compare_actions(const void *va, const void *vb)
{
    const action *a = va, *b = vb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return (int)a->seq - (int)b->seq;
}

/* Lay out the plan's times and its actions for its status, then keep the trailing updates
 * that happened by `now`. Events the path does not reach are set to FOREVER so no document
 * shows them. */
static void schedule(plan *p, hf_time now)
{
    compute_times(p);
    p->nactions = 0;
    bool used[EV_COUNT] = {false};
    hf_status stage = p->path_status;
#define ADD(ev, at, kind, actor, to, review, req)                                                  \
    do {                                                                                           \
        used[ev] = true;                                                                           \
        add_action(p, ev, at, kind, actor, to, review, req);                                       \
    } while (0)
    hf_time *ev = p->ev;
    ADD(EV_CREATE, ev[EV_CREATE], A_CREATE, ACT_CRM, HF_STATUS_DRAFT, 0, true);
    if (stage == HF_STATUS_DRAFT) {
        ADD(EV_CSM, ev[EV_CSM], A_EDIT_TEAM, ACT_CS_MANAGER, 0, 0, false);
        if (p->docs_partial)
            ADD(EV_DOCS_PARTIAL, ev[EV_DOCS_PARTIAL], A_PUT, ACT_REP, 0, 0, false);
        goto laid_out;
    }
    ADD(EV_CSM, ev[EV_CSM], A_EDIT_TEAM, ACT_CS_MANAGER, 0, 0, true);
    if (p->docs_partial)
        ADD(EV_DOCS_PARTIAL, ev[EV_DOCS_PARTIAL], A_PUT, ACT_REP, 0, 0, true);
    ADD(EV_DOCS, ev[EV_DOCS], A_PUT, ACT_REP, 0, 0, true);
    if (p->trigger == TRIGGER_VERBAL)
        ADD(EV_APPROVE, ev[EV_APPROVE], A_EDIT_APPROVAL, ACT_CS_MANAGER, 0, 0, true);
    ADD(EV_SUBMIT, ev[EV_SUBMIT], A_TRANSITION, ACT_REP, HF_STATUS_SUBMITTED, 0, true);
    ADD(EV_READINESS, ev[EV_READINESS], A_PUT, ACT_REVOPS, 0, 0, false);
    if (stage == HF_STATUS_SUBMITTED)
        goto laid_out;
    used[EV_MEETING] = true;
    ADD(EV_SCHEDULE, ev[EV_SCHEDULE], A_PUT, ACT_REP, 0, 0, true);
    ADD(EV_SCHEDULE, ev[EV_SCHEDULE], A_TRANSITION, ACT_REP, HF_STATUS_SCHEDULED, 0, true);
    if (p->agenda_mode == 1)
        ADD(EV_AGENDA, ev[EV_AGENDA], A_PUT, ACT_REP, 0, 0, stage != HF_STATUS_SCHEDULED);
    else if (p->agenda_mode == 0)
        used[EV_AGENDA] = true;
    if (stage == HF_STATUS_SCHEDULED)
        goto laid_out;
    ADD(EV_RECORD, ev[EV_RECORD], A_PUT, ACT_REP, 0, 0, true);
    ADD(EV_RECORD, ev[EV_RECORD], A_TRANSITION, ACT_REP, HF_STATUS_HELD, 0, true);
    bool accepted = p->ndecisions > 0 && p->decisions[p->ndecisions - 1] == HF_STATUS_ACCEPTED;
    ADD(EV_INTRO, ev[EV_INTRO], A_PUT, ACT_REP, 0, 0, accepted && stage == HF_STATUS_COMPLETED);
    if (stage == HF_STATUS_HELD)
        goto laid_out;
    for (int k = 0; k < p->ndecisions; k++) {
        ADD(EV_REVIEW(k), ev[EV_REVIEW(k)], A_TRANSITION, ACT_CS_MANAGER, p->decisions[k], k, true);
        if (k + 1 < p->ndecisions) {
            ADD(EV_FIX(k), ev[EV_FIX(k)], A_PUT, ACT_REP, 0, k, true);
            ADD(EV_RESUBMIT(k), ev[EV_RESUBMIT(k)], A_TRANSITION, ACT_REP, HF_STATUS_SUBMITTED, k,
                true);
        }
    }
    if (!accepted)
        goto laid_out;
    bool done = stage == HF_STATUS_COMPLETED;
    ADD(EV_FIRST_CONTACT, ev[EV_FIRST_CONTACT], A_PUT, ACT_CSM, 0, 0, done);
    used[EV_PREP] = true; /* logged with the kickoff booking */
    ADD(EV_KICKOFF_SCHEDULED, ev[EV_KICKOFF_SCHEDULED], A_PUT, ACT_CSM, 0, 0, done);
    if (p->trigger == TRIGGER_VERBAL) {
        ADD(EV_SIGNED, ev[EV_SIGNED], A_PUT, ACT_REP, 0, 0, done);
        ADD(EV_SIGNED, ev[EV_SIGNED], A_DEAL, ACT_CRM, HF_STATUS_COMPLETED, 0, done);
    }
    /* a closed handoff takes no more writes (the service answers HF_ESTATE): a payment
     * confirmed after the handoff was completed stays in the finance system */
    if (!done || ev[EV_PAYMENT] < ev[EV_COMPLETE])
        ADD(EV_PAYMENT, ev[EV_PAYMENT], A_EDIT_PAYMENT, ACT_REVOPS, 0, 0, false);
    if (!done)
        goto laid_out;
    ADD(EV_JOINT, ev[EV_JOINT] + HOUR, A_PUT, ACT_CSM, 0, 0, true);
    ADD(EV_KICKOFF, ev[EV_KICKOFF] + 75 * MINUTE, A_PUT, ACT_CSM, 0, 0, true);
    ADD(EV_COMPLETE, ev[EV_COMPLETE], A_TRANSITION, ACT_CSM, HF_STATUS_COMPLETED, 0, true);
laid_out:
    for (int e = 0; e < EV_COUNT; e++)
        if (!used[e])
            ev[e] = FOREVER;
    qsort(p->actions, (size_t)p->nactions, sizeof(action), compare_actions);

    if (p->status == HF_STATUS_CANCELLED) {
        hf_time last = 0;
        for (int i = 0; i < p->nactions; i++)
            if (p->actions[i].is_required && p->actions[i].at > last)
                last = p->actions[i].at;
        ev[EV_CANCEL] = office(p, last + between(p, U_CANCEL, 2 * HOUR, 10 * DAY), 18);
        int kept = 0;
        for (int i = 0; i < p->nactions; i++)
            if (p->actions[i].at <= ev[EV_CANCEL])
                p->actions[kept++] = p->actions[i];
        p->nactions = kept;
        for (int e = 0; e < EV_COUNT; e++)
            if (e != EV_CANCEL && e != EV_MEETING && ev[e] != FOREVER && ev[e] > ev[EV_CANCEL])
                ev[e] = FOREVER;
        bool after_review = stage > HF_STATUS_HELD;
        add_action(p, EV_CANCEL, ev[EV_CANCEL], A_TRANSITION,
                   after_review ? ACT_CS_MANAGER : ACT_REP, HF_STATUS_CANCELLED, 0, true);
        add_action(p, EV_CANCEL, ev[EV_CANCEL], A_DEAL, ACT_CRM, HF_STATUS_CANCELLED, 0, true);
    }
#undef ADD

    /* trailing updates happen only if their time has come */
    int kept = 0;
    p->last_required = p->final_at = 0;
    for (int i = 0; i < p->nactions; i++) {
        action *a = &p->actions[i];
        if (!a->is_required && a->at > now) {
            ev[a->event] = FOREVER;
            continue;
        }
        if (a->is_required && a->at > p->last_required)
            p->last_required = a->at;
        if (a->at > p->final_at)
            p->final_at = a->at;
        p->actions[kept++] = *a;
    }
    p->nactions = kept;
}

/* ---- choosing the story: band, path, defects ---- */

static int score(plan *p, const texts *x, const org *o, const hf_protocol *proto, hf_time now,
                 int *total, hf_error *err)
{
    schedule(p, now);
    json_t *doc = hf__demo_build_document(p, x, o, p->final_at);
    hf_evaluation ev;
    int rc = hf_evaluate(doc, proto, p->final_at, &ev, err);
    json_decref(doc);
    if (rc)
        return rc;
    *total = (int)ev.total;
    hf_evaluation_free(&ev);
    return 0;
}

/* The integer totals of a band: [lo, hi]. */
static void band_bounds(const hf_protocol *proto, hf_band band, int *lo, int *hi)
{
    static const double fallback[3] = {90, 80, 70};
    int limit[3];
    for (int i = 0; i < 3; i++) {
        double v = proto->has_band[i] ? proto->band[i] : fallback[i];
        limit[i] = (int)v + ((double)(int)v < v ? 1 : 0); /* ceil for the integer total */
    }
    switch (band) {
    case HF_BAND_EXCELLENT:
        *lo = limit[0], *hi = 100;
        break;
    case HF_BAND_GOOD:
        *lo = limit[1], *hi = limit[0] - 1;
        break;
    case HF_BAND_ACCEPTABLE:
        *lo = limit[2], *hi = limit[1] - 1;
        break;
    default:
        *lo = 35, *hi = limit[2] - 1;
        break;
    }
}

enum defect_kind {
    DK_SUMMARY,
    DK_ROLE,
    DK_VERBAL,
    DK_UNVALIDATED,
    DK_UNDOCUMENTED,
    DK_NO_COMMITMENTS,
    DK_UNMITIGATED,
    DK_NO_RISKS,
    DK_NO_CHURN,
    DK_CSM_ABSENT,
    DK_CS_MANAGER_ABSENT,
    DK_SKIPPED,
    DK_UNANSWERED,
    DK_MEETING_LATE,
    DK_INTRO_LATE,
    DK_COUNT
};

/* How likely each kind of defect is, by the band aimed at: excellent handoffs miss a soft
 * field or a CS validation; substandard ones were held late, with promises undocumented. */
static const double defect_weights[HF_BAND_COUNT][DK_COUNT] = {
    {2, 1, 2.5, 2.5, 0.5, 0, 1.5, 0, 0.3, 0.2, 0.5, 1.5, 3, 0, 0.3},
    {4, 2.5, 2, 1.5, 1, 0.1, 2, 0.3, 0.5, 0.8, 1, 2, 2, 0.6, 1.2},
    {3, 3, 1.5, 1, 1.5, 0.4, 2, 0.8, 0.6, 1.2, 1, 2, 1.5, 1.5, 1.5},
    {1.5, 3, 1, 1, 2, 1.5, 1.5, 1.2, 0.8, 1.5, 1, 2, 1.5, 3.5, 2},
};

/* How often each deal-summary item is the one left empty: the soft items first. */
static const double summary_weights[S_COUNT] = {0.5, 0.3, 2, 0.2, 1,   4, 4,   0.1, 0.8, 2.5, 2,
                                                1,   1,   1, 1,   2.5, 3, 2.5, 0.5, 2,   2};

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Add one defect of `kind`; false when none can be added. */
static bool add_defect(plan *p, const texts *x, int kind, rng *r)
{
    defects *d = &p->d;
    int nonverbal = x->ncommitments - (x->verbal >= 0 ? 1 : 0);
    switch (kind) {
    case DK_SUMMARY: {
        double w[S_COUNT];
        bool any = false;
        for (int i = 0; i < S_COUNT; i++) {
            w[i] = (d->summary & (1u << i)) ? 0 : summary_weights[i];
            any = any || w[i] > 0;
        }
        if (!any || popcount(d->summary) >= 12)
            return false;
        d->summary |= 1u << hf__demo_rng_weighted(r, w, S_COUNT);
        return true;
    }
    case DK_ROLE: {
        static const double role_weights[R_USERS + 1] = {2, 0.7, 3, 2, 1.5};
        double w[R_USERS + 1];
        for (int i = 0; i <= R_USERS; i++)
            w[i] = (d->roles & (1u << i)) || i == p->review_role ? 0 : role_weights[i];
        if (popcount(d->roles) >= 3)
            return false;
        int role = hf__demo_rng_weighted(r, w, R_USERS + 1);
        if (w[role] <= 0)
            return false;
        d->roles |= 1u << role;
        return true;
    }
    case DK_VERBAL:
        if (x->verbal < 0 || d->verbal_unvalidated || d->no_commitments)
            return false;
        d->verbal_unvalidated = true;
        return true;
    case DK_UNVALIDATED:
        if (d->no_commitments || d->commit_unvalidated >= nonverbal)
            return false;
        d->commit_unvalidated++;
        return true;
    case DK_UNDOCUMENTED:
        if (d->no_commitments || d->commit_undocumented >= nonverbal)
            return false;
        d->commit_undocumented++;
        return true;
    case DK_NO_COMMITMENTS:
        if (d->no_commitments)
            return false;
        d->no_commitments = true;
        return true;
    case DK_UNMITIGATED:
        if (d->no_risks || d->risks_unmitigated >= x->nrisks)
            return false;
        d->risks_unmitigated++;
        return true;
    case DK_NO_RISKS:
        if (d->no_risks)
            return false;
        d->no_risks = true;
        return true;
    case DK_NO_CHURN:
        if (d->no_churn)
            return false;
        d->no_churn = true;
        return true;
    case DK_CSM_ABSENT:
        if (d->csm_absent)
            return false;
        d->csm_absent = true;
        return true;
    case DK_CS_MANAGER_ABSENT:
        if (d->cs_manager_absent || p->segment != HF_SEG_STRATEGIC)
            return false;
        d->cs_manager_absent = true;
        return true;
    case DK_SKIPPED: {
        static const double segment_weights[7] = {0.3, 0.6, 0.5, 0.8, 1.5, 2.5, 2};
        double w[7];
        for (int i = 0; i < 7; i++)
            w[i] = (d->skipped & (1u << i)) ? 0 : segment_weights[i];
        if (popcount(d->skipped) >= 4)
            return false;
        d->skipped |= 1u << hf__demo_rng_weighted(r, w, 7);
        return true;
    }
    case DK_UNANSWERED:
        if (d->unanswered >= x->questions_asked - 1)
            return false;
        d->unanswered++;
        return true;
    case DK_MEETING_LATE:
        if (d->meeting_late)
            return false;
        d->meeting_late = true;
        return true;
    case DK_INTRO_LATE:
        if (d->intro_late)
            return false;
        d->intro_late = true;
        return true;
    }
    return false;
}

/* Add defects until the final document's total is at or below a target drawn inside the
 * band (or at or below the band's top, when `top_only`); a defect that would take it below
 * the band is undone and its kind set aside. */
static int aim_at_band(plan *p, const texts *x, const org *o, const hf_protocol *proto, hf_time now,
                       bool top_only, rng *r, hf_error *err)
{
    int lo, hi, total;
    band_bounds(proto, p->band, &lo, &hi);
    double target = (double)lo + hf__demo_rng_unit(r) * (double)(hi - lo);
    if (top_only)
        target = hi;
    int rc = score(p, x, o, proto, now, &total, err);
    if (rc)
        return rc;
    unsigned excluded = 0;
    for (int iter = 0; iter < 150 && total > target && total >= lo; iter++) {
        double w[DK_COUNT];
        bool any = false;
        for (int k = 0; k < DK_COUNT; k++) {
            w[k] = (excluded & (1u << k)) ? 0 : defect_weights[p->band][k];
            any = any || w[k] > 0;
        }
        if (!any)
            break;
        int kind = hf__demo_rng_weighted(r, w, DK_COUNT);
        defects before = p->d;
        if (!add_defect(p, x, kind, r)) {
            excluded |= 1u << kind;
            continue;
        }
        int next;
        rc = score(p, x, o, proto, now, &next, err);
        if (rc)
            return rc;
        if (next < lo) {
            p->d = before;
            excluded |= 1u << kind;
            continue;
        }
        total = next;
    }
    schedule(p, now);
    return 0;
}

/* Shares of the final statuses, in the order of hf_status. */
static const double status_shares[HF_STATUS_COUNT] = {
    0.025, /* draft */
    0.025, /* submitted */
    0.025, /* scheduled */
    0.04,  /* held */
    0.05,  /* accepted */
    0.05,  /* needs_revision */
    0.04,  /* rejected */
    0.68,  /* completed */
    0.065, /* cancelled */
};

void hf__demo_draw_statuses(rng *r, int deals, hf_status *statuses)
{
    int quota[HF_STATUS_COUNT], given = 0;
    double rest[HF_STATUS_COUNT];
    for (int i = 0; i < HF_STATUS_COUNT; i++) {
        double q = status_shares[i] * deals;
        quota[i] = (int)q;
        rest[i] = q - quota[i];
        if (deals >= HF_STATUS_COUNT && quota[i] == 0)
            quota[i] = 1, rest[i] = 0;
        given += quota[i];
    }
    while (given < deals) {
        int best = HF_STATUS_COMPLETED;
        for (int i = 0; i < HF_STATUS_COUNT; i++)
            if (rest[i] > rest[best])
                best = i;
        quota[best]++, rest[best] = -1, given++;
    }
    while (given > deals) {
        quota[HF_STATUS_COMPLETED]--, given--;
    }
    for (int i = 0, n = 0; i < HF_STATUS_COUNT; i++)
        for (int j = 0; j < quota[i]; j++)
            statuses[n++] = (hf_status)i;
    for (int i = deals - 1; i > 0; i--) {
        int j = hf__demo_rng_int(r, 0, i);
        hf_status t = statuses[i];
        statuses[i] = statuses[j];
        statuses[j] = t;
    }
}

/* Band weights by final status (excellent, good, acceptable, substandard); handoffs that
 * never reached their meeting are aimed as if they had been completed. */
static const double band_weights_by_status[HF_STATUS_COUNT][HF_BAND_COUNT] = {
    {35, 33, 20, 12}, {35, 33, 20, 12}, {35, 33, 20, 12}, {38, 34, 20, 8},  {45, 32, 18, 5},
    {5, 35, 45, 15},  {0, 20, 45, 35},  {55, 30, 13, 2},  {30, 30, 25, 15},
};
static const double diligence_factors[3][HF_BAND_COUNT] = {
    {0.5, 0.9, 1.4, 2.0}, {1, 1, 1, 1}, {1.5, 1.1, 0.7, 0.4}};

static void choose_review_path(plan *p, hf_status stage, rng *r)
{
    p->ndecisions = 0;
    memset(p->review_mask, 0, sizeof(p->review_mask));
    if (stage < HF_STATUS_ACCEPTED || stage == HF_STATUS_CANCELLED)
        return;
    static const double direct[HF_BAND_COUNT] = {0.9, 0.78, 0.6, 0.5};
    hf_status *dec = p->decisions;
    double u = hf__demo_rng_unit(r);
    if (stage == HF_STATUS_NEEDS_REVISION) {
        p->ndecisions = u < 0.75 ? 1 : 2;
        dec[0] = dec[1] = HF_STATUS_NEEDS_REVISION;
    } else if (stage == HF_STATUS_REJECTED) {
        if (u < 0.6) {
            p->ndecisions = 1;
            dec[0] = HF_STATUS_REJECTED;
        } else {
            p->ndecisions = 2;
            dec[0] = u < 0.85 ? HF_STATUS_NEEDS_REVISION : HF_STATUS_REJECTED;
            dec[1] = HF_STATUS_REJECTED;
        }
    } else if (hf__demo_rng_chance(r, direct[p->band])) {
        p->ndecisions = 1;
        dec[0] = HF_STATUS_ACCEPTED;
    } else if (u < 0.6) {
        p->ndecisions = 2;
        dec[0] = HF_STATUS_NEEDS_REVISION;
        dec[1] = HF_STATUS_ACCEPTED;
    } else if (u < 0.9) {
        p->ndecisions = 2;
        dec[0] = HF_STATUS_REJECTED;
        dec[1] = HF_STATUS_ACCEPTED;
    } else {
        p->ndecisions = 3;
        dec[0] = dec[1] = HF_STATUS_REJECTED;
        dec[2] = HF_STATUS_ACCEPTED;
    }
    /* what each review found: the first one draws, later ones keep part of it */
    for (int k = 0; k < p->ndecisions; k++) {
        if (dec[k] == HF_STATUS_ACCEPTED)
            continue;
        unsigned m = 0;
        if (k == 0) {
            static const double chance[4] = {0.5, 0.35, 0.3, 0.35};
            for (int b = 0; b < 4; b++)
                if (hf__demo_rng_chance(r, chance[b]))
                    m |= 1u << b;
            if (!m)
                m = RD_STAKEHOLDERS;
            if (dec[k] == HF_STATUS_REJECTED && popcount(m) < 2)
                m |= m == RD_COMMITMENT ? RD_STAKEHOLDERS : RD_COMMITMENT;
        } else {
            m = p->review_mask[k - 1];
            if (popcount(m) > 1) {
                unsigned drop;
                do
                    drop = 1u << hf__demo_rng_int(r, 0, 3);
                while (!(m & drop));
                m &= ~drop;
            }
        }
        p->review_mask[k] = m;
    }
}

/* ramp(u): an age fraction with more deals recently (the business grew over the year). */
static double ramp(double u)
{
    return (1.3 - sqrt(1.69 - 1.2 * u)) / 0.6;
}

/* T0 inside the customer's office hours, on a weekday, at or before `t`. */
static hf_time contract_time(const plan *p, hf_time t, double u)
{
    zone z = hf__demo_countries[p->country].zone;
    int64_t day = hf__demo_local_day(t, z);
    hf_time tod = 9 * HOUR + (hf_time)(u * 8.5 * 3600.0);
    for (int guard = 0; guard < 14; guard++, day--) {
        int wd = hf_weekday(day);
        if (wd == 0 || wd == 6)
            continue;
        hf_time local = day * DAY + (wd == 5 ? 9 * HOUR + (tod - 9 * HOUR) * 4 / 9 : tod);
        hf_time utc = local - hf__demo_zone_offset(z, local) * MINUTE;
        if (utc <= t)
            return utc;
    }
    return t;
}

static hf_time initial_t0(const plan *p, hf_time now, rng *r)
{
    double age, u = hf__demo_rng_unit(r), v = hf__demo_rng_unit(r);
    bool stuck = hf__demo_rng_chance(r, 0.18);
    switch (p->status) {
    case HF_STATUS_COMPLETED:
        age = 40 + 320 * ramp(u);
        break;
    case HF_STATUS_CANCELLED:
        age = 5 + 355 * ramp(u);
        break;
    case HF_STATUS_DRAFT:
        age = stuck ? 3 + 22 * u : 0.05 + 2 * u;
        break;
    case HF_STATUS_SUBMITTED:
        age = stuck ? 4 + 16 * u : 0.5 + 2.5 * u;
        break;
    case HF_STATUS_SCHEDULED:
        age = 0.3 + 1.2 * u;
        break;
    case HF_STATUS_HELD:
        age = stuck ? 5 + 10 * u : 1.5 + 2.5 * u;
        break;
    case HF_STATUS_ACCEPTED:
        age = stuck ? 12 + 28 * u : 3 + 9 * u;
        break;
    case HF_STATUS_NEEDS_REVISION:
        age = stuck ? 9 + 36 * u : 2 + 6 * u;
        break;
    default:
        age = stuck ? 10 + 50 * u : 2 + 8 * u;
        break;
    }
    hf_time t = now - (hf_time)(age * 86400.0);
    /* a third of the closed deals were signed in the last days of a quarter */
    if ((p->status == HF_STATUS_COMPLETED || p->status == HF_STATUS_CANCELLED) &&
        hf__demo_rng_chance(r, 0.3)) {
        int64_t y;
        unsigned m, d;
        hf_civil_from_days(t / DAY, &y, &m, &d);
        unsigned qm = (m + 2) / 3 * 3;
        int64_t end =
            qm == 12 ? hf_days_from_civil(y + 1, 1, 1) - 1 : hf_days_from_civil(y, qm + 1, 1) - 1;
        hf_time moved = (end - hf__demo_rng_int(r, 0, 8)) * DAY + 15 * HOUR;
        if (moved < now - 40 * DAY && moved > now - 360 * DAY)
            t = moved;
    }
    return contract_time(p, t, v);
}

static void company_name(plan *p, rng *r)
{
    const country *k = &hf__demo_countries[p->country];
    const industry *in = &hf__demo_industries[p->industry];
    const char *stem = k->stems[hf__demo_rng_index(r, k->nstems)];
    const char *suffix = in->suffix[k->lang][hf__demo_rng_index(r, 3)];
    int pattern = hf__demo_rng_int(r, 0, 2);
    switch (k->lang) {
    case L_EN:
        hf__demo_fmt(p->company, sizeof(p->company), "%s %s", stem, suffix);
        break;
    case L_PT:
        if (pattern == 0)
            hf__demo_fmt(p->company, sizeof(p->company), "%s %s", suffix, stem);
        else if (pattern == 1)
            hf__demo_fmt(p->company, sizeof(p->company), "Grupo %s", stem);
        else
            hf__demo_fmt(p->company, sizeof(p->company), "%s %s", stem, suffix);
        break;
    case L_ES:
        if (pattern == 1 && stem[0] >= 'A' && stem[0] <= 'Z')
            hf__demo_fmt(p->company, sizeof(p->company), "Grupo %s", stem);
        else
            hf__demo_fmt(p->company, sizeof(p->company), "%s %s", suffix, stem);
        break;
    case L_ID:
        hf__demo_fmt(p->company, sizeof(p->company), "PT %s %s", stem, suffix);
        break;
    }
}

/* A Salesforce opportunity id (18 characters, with the case-checksum suffix) or a HubSpot
 * deal id, unique per deal number. */
static void crm_id(plan *p, uint64_t run, int64_t base)
{
    uint64_t n = (uint64_t)p->number + (uint64_t)base;
    if (p->hubspot) {
        hf__demo_fmt(p->crm_id, sizeof(p->crm_id), "%llu",
                     (unsigned long long)(14000000000ull + (run % 997) * 1000000ull + n * 7919ull));
        return;
    }
    static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static const char *const pods[] = {"5g", "7F", "Dn", "8c"};
    const uint64_t space = 916132832ull; /* 62^5 */
    uint64_t v = (n % space * 387420489ull + run % space) % space;
    char id[19];
    memcpy(id, "006", 3);
    memcpy(id + 3, pods[run % 4], 2);
    memcpy(id + 5, "00000", 5);
    for (int i = 14; i >= 10; i--) {
        id[i] = base62[v % 62];
        v /= 62;
    }
    static const char check[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    for (int chunk = 0; chunk < 3; chunk++) {
        unsigned bits = 0;
        for (int i = 0; i < 5; i++) {
            char c = id[chunk * 5 + i];
            if (c >= 'A' && c <= 'Z')
                bits |= 1u << i;
        }
        id[15 + chunk] = check[bits];
    }
    id[18] = '\0';
    memcpy(p->crm_id, id, sizeof(id));
}

static long long round_to(double v, long long step)
{
    return ((long long)(v / (double)step + 0.5)) * step;
}

static void price(plan *p, rng *r)
{
    static const double lo[HF_SEG_COUNT] = {300000, 90000, 24000, 6000};
    static const double span[HF_SEG_COUNT] = {900000, 190000, 66000, 18000};
    double u = hf__demo_rng_unit(r);
    double usd = lo[p->segment] + span[p->segment] * u * u;
    p->acv_usd = round_to(usd, p->segment == HF_SEG_SMB ? 500 : 1000);
    double rate = 1;
    long long step = p->segment == HF_SEG_SMB ? 500 : 1000;
    p->currency = "USD";
    if (p->country == C_BR && hf__demo_rng_chance(r, 0.7)) {
        p->currency = "BRL", rate = 5.0, step = 1000;
    } else if (p->country == C_MX && hf__demo_rng_chance(r, 0.3)) {
        p->currency = "MXN", rate = 17.5, step = 5000;
    } else if (p->country == C_ES) {
        p->currency = "EUR", rate = 0.92, step = 500;
    } else if (p->country == C_ID &&
               (p->segment == HF_SEG_SMB || p->segment == HF_SEG_MID_MARKET)) {
        p->currency = "IDR", rate = 16000, step = 1000000;
    } else {
        rate = 1.0;
    }
    p->acv = round_to((double)p->acv_usd * rate, step);
}

/* Plan deal `number`: everything about it but its CSM, which depends on the order of all. */
int hf__demo_plan_deal(plan *p, int number, hf_status status, uint64_t seed, int64_t crm_base,
                       const org *o, const hf_protocol *proto, hf_time now, texts *x, hf_error *err)
{
    rng r;
    hf__demo_rng_seed(&r, hf__demo_stream_seed(seed, (uint64_t)number + 1, 0x0DEA1ull));
    memset(p, 0, sizeof(*p));
    p->number = number;
    p->seed = hf__demo_rng_next(&r);
    p->status = status;
    p->country = hf__demo_rng_weighted(&r, hf__demo_country_weights, C_COUNT);
    p->industry = hf__demo_rng_int(&r, 0, hf__demo_industry_count - 1);
    static const double segment_weights[HF_SEG_COUNT] = {10, 26, 36, 28};
    p->segment = (hf_segment)hf__demo_rng_weighted(&r, segment_weights, HF_SEG_COUNT);
    bool big = p->segment == HF_SEG_STRATEGIC || p->segment == HF_SEG_ENTERPRISE;
    p->trigger = TRIGGER_CONTRACT;
    if (p->segment == HF_SEG_STRATEGIC && hf__demo_rng_chance(&r, 0.6))
        p->trigger = TRIGGER_VERBAL;
    else if ((p->segment == HF_SEG_ENTERPRISE || p->segment == HF_SEG_MID_MARKET) &&
             hf__demo_rng_chance(&r, 0.12))
        p->trigger = TRIGGER_POC;
    const country *k = &hf__demo_countries[p->country];
    p->hubspot = k->region == 1; /* the LATAM team still runs HubSpot */
    double rep_w[12];
    for (int i = 0; i < o->nreps; i++)
        rep_w[i] = o->reps[i].team != k->region ? 0 : o->reps[i].enterprise == big ? 3 : 1;
    p->rep = hf__demo_rng_weighted(&r, rep_w, o->nreps);
    p->cs_manager = big ? 0 : 1;
    static const int emp_lo[HF_SEG_COUNT] = {12000, 1500, 200, 12};
    static const int emp_hi[HF_SEG_COUNT] = {90000, 12000, 1500, 180};
    static const int site_lo[HF_SEG_COUNT] = {40, 10, 3, 1};
    static const int site_hi[HF_SEG_COUNT] = {600, 120, 25, 3};
    int e = hf__demo_rng_int(&r, emp_lo[p->segment], emp_hi[p->segment]);
    p->employees = e >= 10000  ? e / 500 * 500
                   : e >= 1000 ? e / 50 * 50
                   : e >= 100  ? e / 10 * 10
                               : e;
    p->sites = hf__demo_rng_int(&r, site_lo[p->segment], site_hi[p->segment]);
    p->years = p->segment == HF_SEG_STRATEGIC    ? 3
               : p->segment == HF_SEG_ENTERPRISE ? (hf__demo_rng_chance(&r, 0.5) ? 3 : 1)
               : p->segment == HF_SEG_MID_MARKET ? (hf__demo_rng_chance(&r, 0.3) ? 2 : 1)
                                                 : 1;
    price(p, &r);
    company_name(p, &r);
    static const char *const packages[HF_SEG_COUNT][2] = {
        {"Global Enterprise Agreement", "Strategic Partnership"},
        {"Enterprise", "Enterprise Platform"},
        {"Professional", "Growth"},
        {"Starter", "Growth"}};
    const char *package = packages[p->segment][hf__demo_rng_index(&r, 2)];
    if (p->trigger == TRIGGER_POC)
        hf__demo_fmt(p->deal_name, sizeof(p->deal_name), "%s - POC conversion, %s %s", p->company,
                     package, p->years > 1 ? "multi-year" : "annual");
    else if (p->years > 1)
        hf__demo_fmt(p->deal_name, sizeof(p->deal_name), "%s - %s %d-year", p->company, package,
                     p->years);
    else
        hf__demo_fmt(p->deal_name, sizeof(p->deal_name), "%s - %s annual", p->company, package);
    crm_id(p, seed, crm_base);

    /* the band, then the path to the status */
    double bw[HF_BAND_COUNT];
    int diligence = o->reps[p->rep].diligence;
    for (int b = 0; b < HF_BAND_COUNT; b++)
        bw[b] = band_weights_by_status[status][b] * diligence_factors[diligence][b];
    p->band = (hf_band)hf__demo_rng_weighted(&r, bw, HF_BAND_COUNT);
    hf_status stage = status;
    if (status == HF_STATUS_CANCELLED) {
        static const double stage_weights[HF_STATUS_COUNT] = {25, 15, 10, 12, 8, 15, 15, 0, 0};
        stage = (hf_status)hf__demo_rng_weighted(&r, stage_weights, HF_STATUS_COUNT);
    }
    p->path_status = stage;
    choose_review_path(p, stage, &r);
    static const double review_roles[R_USERS] = {25, 0, 50, 25};
    p->review_role = hf__demo_rng_weighted(&r, review_roles, R_USERS);

    /* what does not move the score: completeness, flags, the gate, the timeline */
    int b = (int)p->band;
    static const double why[4] = {0.02, 0.1, 0.25, 0.45}, comp[4] = {0.05, 0.15, 0.3, 0.5},
                        gap[4] = {0.05, 0.15, 0.3, 0.45}, blocker[4] = {0.1, 0.3, 0.5, 0.7},
                        late[4] = {0.05, 0.1, 0.2, 0.35};
    static const int tech_lo[4] = {0, 0, 1, 1}, tech_hi[4] = {0, 1, 2, 3};
    int ntech = hf__demo_rng_int(&r, tech_lo[b], tech_hi[b]) +
                (b == 0 && hf__demo_rng_chance(&r, 0.15) ? 1 : 0);
    static const double tech_weights[T_COUNT] = {0.5, 2, 2, 1, 2};
    for (int i = 0; i < ntech; i++) {
        double w[T_COUNT];
        for (int t = 0; t < T_COUNT; t++)
            w[t] = (p->d.tech & (1u << t)) ? 0 : tech_weights[t];
        p->d.tech |= 1u << hf__demo_rng_weighted(&r, w, T_COUNT);
    }
    p->d.why_now_missing = hf__demo_rng_chance(&r, why[b]);
    p->d.competitors_missing = hf__demo_rng_chance(&r, comp[b]);
    p->d.timeline_gap = hf__demo_rng_chance(&r, gap[b]);
    p->d.blocker_unaddressed = hf__demo_rng_chance(&r, blocker[b]);
    static const double agenda[4][3] = {{85, 13, 2}, {75, 20, 5}, {60, 28, 12}, {40, 35, 25}};
    p->agenda_mode = hf__demo_rng_weighted(&r, agenda[b], 3);
    static const double churn[4][3] = {{60, 35, 5}, {45, 45, 10}, {25, 50, 25}, {10, 45, 45}};
    p->churn = hf__demo_rng_weighted(&r, churn[b], 3);
    static const double docs_late[3] = {0.45, 0.15, 0.05};
    p->docs_late = hf__demo_rng_chance(&r, docs_late[diligence] + (b == 3 ? 0.2 : 0));
    p->docs_partial = hf__demo_rng_chance(&r, 0.35) || status == HF_STATUS_DRAFT;
    p->contact_late = hf__demo_rng_chance(&r, late[b]);
    p->kickoff_late = hf__demo_rng_chance(&r, late[b]);
    if (status != HF_STATUS_COMPLETED)
        for (unsigned bit = 2; bit <= 8; bit <<= 1)
            if (hf__demo_rng_chance(&r, 0.06))
                p->readiness_missing |= bit;
    static const int durations[5] = {45, 45, 45, 30, 60};
    p->duration = p->segment == HF_SEG_STRATEGIC ? 60 : durations[hf__demo_rng_index(&r, 5)];
    for (int i = 0; i < U_COUNT; i++)
        p->u[i] = hf__demo_rng_unit(&r);
    p->t0 = initial_t0(p, now, &r);

    /* aim at the band; a handoff that never reached its meeting is aimed as if completed */
    hf__demo_draw_texts(p, x);
    bool before_meeting = stage < HF_STATUS_HELD;
    hf_status saved_status = p->status;
    hf_status saved_decisions[MAX_DECISIONS];
    memcpy(saved_decisions, p->decisions, sizeof(saved_decisions));
    int saved_n = p->ndecisions;
    if (before_meeting) {
        p->status = p->path_status = HF_STATUS_COMPLETED;
        p->decisions[0] = HF_STATUS_ACCEPTED;
        p->ndecisions = 1;
    }
    int rc = aim_at_band(p, x, o, proto, now, false, &r, err);
    if (before_meeting) {
        p->status = saved_status;
        p->path_status = stage;
        memcpy(p->decisions, saved_decisions, sizeof(saved_decisions));
        p->ndecisions = saved_n;
    }
    if (rc)
        return rc;

    /* every step the status needs must have happened by now: move T0 back by weeks */
    hf_time t0 = p->t0;
    schedule(p, now);
    for (int i = 0; i < 60 && p->last_required > now && p->t0 - 7 * DAY > now - 365 * DAY; i++) {
        p->t0 -= 7 * DAY;
        schedule(p, now);
    }
    if (p->t0 != t0) {
        hf__demo_draw_texts(p, x);
        if (!before_meeting) {
            rc = aim_at_band(p, x, o, proto, now, true, &r, err);
            if (rc)
                return rc;
            for (int i = 0; i < 60 && p->last_required > now && p->t0 - 7 * DAY > now - 365 * DAY;
                 i++) {
                p->t0 -= 7 * DAY;
                schedule(p, now);
            }
            hf__demo_draw_texts(p, x);
        }
    }
    return 0;
}

/* ---- CSM assignment, in T0 order ---- */

int hf__demo_compare_plans(const void *va, const void *vb)
{
    const plan *a = *(plan *const *)va, *b = *(plan *const *)vb;
    if (a->t0 != b->t0)
        return a->t0 < b->t0 ? -1 : 1;
    return a->number - b->number;
}

/* The least loaded CSM covering the segment and the country (SPEC §6), most of the time:
 * a CSM's load grows over the year, and the only Portuguese-speaking one ends up over
 * capacity. */
void hf__demo_assign_csms(plan **v, int n, const org *o, hf_time now, uint64_t seed)
{
    rng r;
    hf__demo_rng_seed(&r, hf__demo_stream_seed(seed, 0, 0xC5Bull));
    hf_time start = now - 365 * DAY;
    for (int i = 0; i < n; i++) {
        plan *p = v[i];
        double frac = (double)(p->t0 - start) / (double)(365 * DAY);
        frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
        int eligible[7], count = 0;
        for (int pass = 0; pass < 3 && count == 0; pass++) {
            for (int c = 0; c < o->ncsms; c++) {
                const csm_profile *cp = o->csms[c].profile;
                bool seg = (cp->segments & SEG_BIT(p->segment)) != 0;
                bool ctry = (cp->countries & COUNTRY_BIT(p->country)) != 0;
                if ((pass == 0 && seg && ctry) || (pass == 1 && seg) || pass == 2)
                    eligible[count++] = c;
            }
        }
        int best = eligible[0];
        double best_ratio = 1e9;
        for (int j = 0; j < count; j++) {
            const csm_profile *cp = o->csms[eligible[j]].profile;
            double load = cp->base + cp->growth * frac;
            double ratio = load / cp->capacity + hf__demo_rng_unit(&r) * 0.15;
            if (ratio < best_ratio)
                best_ratio = ratio, best = eligible[j];
        }
        if (hf__demo_rng_chance(&r, 0.2))
            best = eligible[hf__demo_rng_index(&r, (size_t)count)];
        const csm_profile *cp = o->csms[best].profile;
        p->csm = best;
        p->csm_capacity = cp->capacity;
        p->csm_accounts =
            (int)((double)cp->base + (double)cp->growth * frac) + hf__demo_rng_int(&r, 0, 1);
    }
}
