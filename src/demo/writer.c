/* The demo writer and hf_demo_generate: it plans every deal (plan.c), registers the
 * vendor's people as users and teams, then writes the deals in batches through the service
 * layer, exactly as the product's own writers would (hf_svc_handoff_create, _write, _edit,
 * _transition as the system actor named after the person acting), and reads the stats back
 * from the store. Each batch round runs every deal's writes up to its next status change in
 * one transaction, then the status changes, each in its own. */
#include "demo/demo_int.h"

#include "handoff/document.h"
#include "handoff/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct writer {
    hf_store *s;
    hf_svc *svc; /* every write goes through the service, as the product's own would */
    int64_t ws;
    const hf_protocol *proto;
    const org *o;
    hf_demo_stats *st;
    hf_error *err;
} writer;

typedef struct live {
    plan *p;
    texts x;
    int next;
    int64_t id;
    int64_t deal_id;
    json_t *review;      /* what transitions wrote into the stored document: review */
    json_t *resubmitted; /* and timeline.resubmitted_at */
} live;

static const char *actor_name(const plan *p, const org *o, int actor)
{
    switch (actor) {
    case ACT_CRM:
        return p->hubspot ? "hubspot-sync" : "salesforce-sync";
    case ACT_REP:
        return o->reps[p->rep].who.name;
    case ACT_CSM:
        return o->csms[p->csm].who.name;
    case ACT_CS_MANAGER:
        return o->cs_managers[p->cs_manager].name;
    default:
        return o->revops.name;
    }
}

/* Upsert the deal; `state` 0 at creation, then HF_STATUS_COMPLETED when signed,
 * HF_STATUS_CANCELLED when lost. */
static int write_deal(writer *w, live *L, hf_time at, int state)
{
    const plan *p = L->p;
    bool pending = p->trigger == TRIGGER_VERBAL && state == 0;
    bool lost = state == HF_STATUS_CANCELLED;
    hf_deal_rec d;
    memset(&d, 0, sizeof(d));
    d.workspace_id = w->ws;
    d.crm_source = p->hubspot ? "hubspot" : "salesforce";
    d.crm_id = (char *)p->crm_id;
    d.name = (char *)p->deal_name;
    d.account = (char *)p->company;
    d.owner = (char *)w->o->reps[p->rep].who.name;
    if (p->hubspot)
        d.stage = lost ? "closedlost" : pending ? "contractsent" : "closedwon";
    else
        d.stage = lost ? "Closed Lost" : pending ? "Negotiation/Review" : "Closed Won";
    d.currency = (char *)p->currency;
    d.has_amount = true;
    d.amount = (double)p->acv;
    d.has_close_date = true;
    hf_time close =
        p->trigger == TRIGGER_VERBAL && p->ev[EV_SIGNED] != FOREVER ? p->ev[EV_SIGNED] : p->t0;
    d.close_day = hf__demo_local_day(close, hf__demo_countries[p->country].zone);
    d.is_won = !lost && !pending;
    d.updated_at = at;
    int rc = hf_store_deal_upsert(w->s, &d, NULL, w->err);
    if (!rc)
        L->deal_id = d.id;
    return rc;
}

static int write_create(writer *w, live *L, const action *a)
{
    int rc = write_deal(w, L, a->at, 0);
    if (rc)
        return rc;
    w->st->deals++;
    json_t *doc = hf__demo_build_document(L->p, &L->x, w->o, a->at);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(L->p, w->o, a->actor), HF_LANG_EN);
    rc = hf_svc_handoff_create(w->svc, &who, doc, L->p->hubspot ? "hubspot" : "salesforce", a->at,
                               &h, NULL, w->err);
    json_decref(doc);
    if (!rc) {
        L->id = h.id;
        w->st->handoffs++;
    }
    hf_handoff_rec_free(&h);
    return rc;
}

/* Store the document as of the action, with what the transitions wrote into the stored
 * one (the review history, the resubmission time) carried over. */
static int write_put(writer *w, live *L, const action *a)
{
    json_t *doc = hf__demo_build_document(L->p, &L->x, w->o, a->at);
    if (L->review)
        json_object_set(doc, "review", L->review);
    if (L->resubmitted) {
        json_t *tl = json_object_get(doc, "timeline");
        if (!tl) {
            tl = json_object();
            json_object_set_new(doc, "timeline", tl);
        }
        json_object_set(tl, "resubmitted_at", L->resubmitted);
    }
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(L->p, w->o, a->actor), HF_LANG_EN);
    int rc =
        hf_svc_handoff_write(w->svc, &who, L->id, 0, HF_WRITE_PUT, NULL, doc, a->at, NULL, w->err);
    json_decref(doc);
    return rc;
}

/* Read back what a review decision or a resubmission wrote into the document. */
static int reread_review(writer *w, live *L)
{
    hf_handoff_rec cur;
    memset(&cur, 0, sizeof(cur));
    int rc = hf_store_handoff_get(w->s, w->ws, L->id, &cur, w->err);
    if (rc)
        return rc;
    json_t *doc = json_loads(cur.document, 0, NULL);
    hf_handoff_rec_free(&cur);
    if (!doc)
        return hf_error_set(w->err, HF_EDB, NULL, "stored document of handoff %lld is unreadable",
                            (long long)L->id);
    json_decref(L->review);
    json_decref(L->resubmitted);
    L->review = json_incref(json_object_get(doc, "review"));
    L->resubmitted = json_incref(hf_doc_get(doc, "timeline.resubmitted_at"));
    json_decref(doc);
    return 0;
}

static int write_edit(writer *w, live *L, const action *a)
{
    const plan *p = L->p;
    char *owned[2] = {NULL, NULL};
    char approval[160];
    const char *set[2];
    size_t n = 0;
    if (a->kind == A_EDIT_TEAM) {
        /* the same values the document builder writes from then on */
        json_t *doc = hf__demo_build_document(p, &L->x, w->o, a->at);
        char *csm = json_dumps(hf_doc_get(doc, "team.csm"), JSON_COMPACT);
        char *mgr = json_dumps(hf_doc_get(doc, "team.cs_manager"), JSON_COMPACT);
        json_decref(doc);
        if (csm && mgr) {
            size_t l1 = strlen(csm) + 16, l2 = strlen(mgr) + 24;
            owned[0] = malloc(l1);
            owned[1] = malloc(l2);
            if (owned[0] && owned[1]) {
                hf__demo_fmt(owned[0], l1, "team.csm=%s", csm);
                hf__demo_fmt(owned[1], l2, "team.cs_manager=%s", mgr);
                set[n++] = owned[0];
                set[n++] = owned[1];
            }
        }
        free(csm);
        free(mgr);
        if (n == 0) {
            free(owned[0]);
            free(owned[1]);
            return hf_error_set(w->err, HF_ENOMEM, NULL, "out of memory");
        }
    } else if (a->kind == A_EDIT_APPROVAL) {
        hf__demo_fmt(approval, sizeof(approval), "deal.pre_close_approved_by=%s",
                     w->o->cs_managers[p->cs_manager].name);
        set[n++] = approval;
    } else {
        set[n++] = L->x.installments ? "deal.payment.schedule_established=true"
                                     : "deal.payment.first_payment_received=true";
    }
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(p, w->o, a->actor), HF_LANG_EN);
    int rc = hf_svc_handoff_edit(w->svc, &who, L->id, 0, set, n, a->at, NULL, w->err);
    free(owned[0]);
    free(owned[1]);
    return rc;
}

static const char *const reason_codes[4] = {"stakeholders_incomplete", "undocumented_commitments",
                                            "technical_unclear", "info_gaps"};

/* How a review comment names a missing stakeholder role, and what it asks about them. */
static const char *const role_words[R_USERS] = {"executive sponsor", "champion", "economic buyer",
                                                "technical lead"};
static const char *const role_questions[R_USERS] = {
    "backs the rollout when it gets hard", "drives adoption day to day", "signs the renewal",
    "owns the integration on their side"};

/* What CS wrote when it sent the handoff back. */
static void review_comment(const plan *p, unsigned mask, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if ((mask & RD_STAKEHOLDERS) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "No %s in the stakeholder map: who %s? ",
                              role_words[p->review_role], role_questions[p->review_role]);
    if ((mask & RD_COMMITMENT) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              "A verbal promise came up in the meeting and is not in the "
                              "handoff. ");
    if ((mask & RD_TECHNICAL) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              "Technical section incomplete: integration specs, data migration "
                              "and validation status are missing. ");
    if ((mask & RD_INFO) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              "Why now, success criteria and personal wins are missing; we "
                              "cannot plan the kickoff. ");
    if (n > 0 && n <= cap && buf[n - 1] == ' ')
        buf[n - 1] = '\0';
}

/* What the rep wrote when resubmitting. */
static void fix_comment(const plan *p, unsigned fixed, char *buf, size_t cap)
{
    const char *parts[4];
    char role[80];
    size_t count = 0;
    if (fixed & RD_STAKEHOLDERS) {
        hf__demo_fmt(role, sizeof(role), "added the %s", role_words[p->review_role]);
        parts[count++] = role;
    }
    if (fixed & RD_COMMITMENT)
        parts[count++] = "documented the verbal commitment";
    if (fixed & RD_TECHNICAL)
        parts[count++] = "completed the technical section";
    if (fixed & RD_INFO)
        parts[count++] = "added why now, success criteria and personal wins";
    if (count == 0) {
        hf__demo_fmt(buf, cap, "Resubmitted with more detail");
        return;
    }
    size_t n = (size_t)snprintf(buf, cap, "Corrected: ");
    for (size_t i = 0; i < count && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "; " : "", parts[i]);
}

static int write_transition(writer *w, live *L, const action *a)
{
    const plan *p = L->p;
    char reason[600];
    const char *text = NULL;
    const char *codes[4];
    size_t ncodes = 0;
    hf_status to = (hf_status)a->to;
    int k = a->review;
    if (to == HF_STATUS_SUBMITTED && a->event != EV_SUBMIT) {
        unsigned next = k + 1 < p->ndecisions ? p->review_mask[k + 1] : 0;
        fix_comment(p, p->review_mask[k] & ~next, reason, sizeof(reason));
        text = reason;
    } else if (to == HF_STATUS_NEEDS_REVISION || to == HF_STATUS_REJECTED) {
        for (int b = 0; b < 4; b++)
            if (p->review_mask[k] & (1u << b))
                codes[ncodes++] = reason_codes[b];
        review_comment(p, p->review_mask[k], reason, sizeof(reason));
        text = reason;
    } else if (to == HF_STATUS_ACCEPTED) {
        text = k > 0 ? "Corrections look good." : L->x.accept_comment;
    } else if (to == HF_STATUS_CANCELLED) {
        text = L->x.cancel_reason;
    }
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(p, w->o, a->actor), HF_LANG_EN);
    hf_transition_req req = {to, text, ncodes ? codes : NULL, ncodes, NULL, 0};
    int rc = hf_svc_handoff_transition(w->svc, &who, L->id, &req, a->at, NULL, w->err);
    if (rc == HF_EBLOCKED) {
        /* a year of real handoffs has some that CS took on with items still open: the
         * CS manager overrides the gate, and the history says so */
        req.override_reason = "accepted with open items; follow-up agreed with sales";
        rc = hf_svc_handoff_transition(w->svc, &who, L->id, &req, a->at, NULL, w->err);
    }
    if (rc)
        return rc;
    w->st->transitions++;
    if (hf_status_is_decision(to) || (to == HF_STATUS_SUBMITTED && a->event != EV_SUBMIT))
        rc = reread_review(w, L);
    return rc;
}

static int write_action(writer *w, live *L, const action *a)
{
    switch (a->kind) {
    case A_CREATE:
        return write_create(w, L, a);
    case A_PUT:
        return write_put(w, L, a);
    case A_EDIT_TEAM:
    case A_EDIT_APPROVAL:
    case A_EDIT_PAYMENT:
        return write_edit(w, L, a);
    case A_DEAL:
        return write_deal(w, L, a->at, a->to);
    default:
        return write_transition(w, L, a);
    }
}

/* Write a batch of deals. Each round runs every deal's writes up to its next status change
 * in one transaction, then the status changes (each in its own, as hf_handoff_transition
 * opens one). */
static int write_batch(writer *w, live *batch, size_t n)
{
    int rc = 0;
    for (;;) {
        bool any_write = false, any_transition = false;
        for (size_t i = 0; i < n && !any_write; i++) {
            live *L = &batch[i];
            any_write = L->next < L->p->nactions && L->p->actions[L->next].kind != A_TRANSITION;
        }
        if (any_write) {
            rc = hf_store_begin(w->s, w->err);
            if (rc)
                return rc;
            for (size_t i = 0; i < n && !rc; i++) {
                live *L = &batch[i];
                while (!rc && L->next < L->p->nactions &&
                       L->p->actions[L->next].kind != A_TRANSITION)
                    rc = write_action(w, L, &L->p->actions[L->next++]);
            }
            if (rc) {
                hf_store_rollback(w->s);
                return rc;
            }
            rc = hf_store_commit(w->s, w->err);
            if (rc)
                return rc;
        }
        for (size_t i = 0; i < n; i++) {
            live *L = &batch[i];
            if (L->next < L->p->nactions && L->p->actions[L->next].kind == A_TRANSITION) {
                rc = write_action(w, L, &L->p->actions[L->next++]);
                if (rc)
                    return rc;
                any_transition = true;
            }
        }
        if (!any_write && !any_transition)
            break;
    }
    /* the stats come from what was stored */
    for (size_t i = 0; i < n; i++) {
        hf_handoff_rec h;
        memset(&h, 0, sizeof(h));
        rc = hf_store_handoff_get(w->s, w->ws, batch[i].id, &h, w->err);
        if (rc)
            return rc;
        w->st->versions += h.version;
        if ((unsigned)h.status < HF_STATUS_COUNT)
            w->st->by_status[h.status]++;
        if (h.index.band >= 0 && h.index.band < HF_BAND_COUNT)
            w->st->by_band[h.index.band]++;
        w->st->by_segment[batch[i].p->segment]++;
        hf_handoff_rec_free(&h);
    }
    return 0;
}

static void batch_free(live *batch, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_decref(batch[i].review);
        json_decref(batch[i].resubmitted);
        batch[i].review = batch[i].resubmitted = NULL;
    }
}

/* ---- the entry point ---- */

#define BATCH 64

/* The organisation as users and teams of the workspace, so that the API's CSM capacity,
 * team-based authorization and the people lists show the demo people. Users get no
 * password (no login): an administrator sets one, or creates tokens for them. A person who
 * already exists (a --force run) is kept as they are. */
static int register_people(hf_store *s, int64_t ws, const org *o, hf_time now, hf_error *err)
{
    static const char *const sales_team_names[3] = {"Sales North America", "Sales LATAM",
                                                    "Sales EMEA & APAC"};
    static const char *const cs_team_names[2] = {"CS Enterprise & Strategic",
                                                 "CS Mid-market & SMB"};
    int64_t sales_team[3] = {0}, cs_team[2] = {0};
    hf_error e;
    int rc;
    hf_user_rec known;
    if (hf_store_user_get(s, ws, 0, o->revops.email, &known, &e) == 0) {
        hf_user_rec_free(&known); /* this organisation is registered already */
        return 0;
    }
#define ADD_USER(p, r, team, cap)                                                                  \
    do {                                                                                           \
        hf_user_rec u;                                                                             \
        memset(&u, 0, sizeof(u));                                                                  \
        u.workspace_id = ws;                                                                       \
        u.email = (char *)(p)->email;                                                              \
        u.name = (char *)(p)->name;                                                                \
        u.role = (r);                                                                              \
        u.team_id = (team);                                                                        \
        u.capacity = (cap);                                                                        \
        u.active = true;                                                                           \
        u.created_at = now;                                                                        \
        rc = hf_store_user_create(s, &u, &e);                                                      \
        if (rc && rc != HF_ECONFLICT) {                                                            \
            if (err)                                                                               \
                *err = e;                                                                          \
            return rc;                                                                             \
        }                                                                                          \
    } while (0)
    for (int t = 0; t < 3; t++) {
        hf_team_rec team = {0, ws, (char *)sales_team_names[t], "sales", 0};
        rc = hf_store_team_create(s, &team, err);
        if (rc)
            return rc;
        sales_team[t] = team.id;
        ADD_USER(&o->sales_managers[t], HF_ROLE_SALES_MANAGER, team.id, 0);
    }
    for (int t = 0; t < 2; t++) {
        hf_team_rec team = {0, ws, (char *)cs_team_names[t], "cs", 0};
        rc = hf_store_team_create(s, &team, err);
        if (rc)
            return rc;
        cs_team[t] = team.id;
        ADD_USER(&o->cs_managers[t], HF_ROLE_CS_MANAGER, team.id, 0);
    }
    for (int i = 0; i < o->nreps; i++)
        ADD_USER(&o->reps[i].who, HF_ROLE_ACCOUNT_EXECUTIVE, sales_team[o->reps[i].team], 0);
    for (int i = 0; i < o->ncsms; i++) {
        const csm_profile *pr = o->csms[i].profile;
        int t = (pr->segments & (SEG_BIT(HF_SEG_STRATEGIC) | SEG_BIT(HF_SEG_ENTERPRISE))) &&
                        !(pr->segments & SEG_BIT(HF_SEG_SMB))
                    ? 0
                    : 1;
        ADD_USER(&o->csms[i].who, HF_ROLE_CSM, cs_team[t], pr->capacity);
    }
    ADD_USER(&o->revops, HF_ROLE_REVOPS, 0, 0);
#undef ADD_USER
    return 0;
}

int hf_demo_generate(hf_store *s, int64_t ws, int deals, uint64_t seed, hf_time now,
                     const hf_protocol *p, hf_demo_stats *stats, hf_error *err)
{
    hf_demo_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    if (!s || !p)
        return hf_error_set(err, HF_EUSAGE, NULL, "no store or no protocol");
    if (deals < 1 || deals > HF_DEMO_MAX_DEALS)
        return hf_error_set(err, HF_EUSAGE, NULL, "deals: expected 1 to %d, not %d",
                            HF_DEMO_MAX_DEALS, deals);
    if (now < 400 * DAY)
        return hf_error_set(err, HF_EUSAGE, NULL, "now: a year before it must be after 1970");
    int rc = hf_store_workspace_ensure(s, ws, "Demo", err);
    if (rc)
        return rc;
    /* CRM ids continue after the handoffs already there, so a second run adds new deals */
    int64_t existing = 0;
    hf_handoff_filter all;
    memset(&all, 0, sizeof(all));
    rc = hf_store_handoff_count(s, ws, &all, &existing, err);
    if (rc)
        return rc;

    hf_svc *svc = NULL; /* before the first goto: `out` closes it */
    org *o = calloc(1, sizeof(*o));
    plan *plans = calloc((size_t)deals, sizeof(plan));
    plan **order = calloc((size_t)deals, sizeof(plan *));
    hf_status *statuses = calloc((size_t)deals, sizeof(hf_status));
    texts *x = malloc(sizeof(texts));
    live *batch = calloc(BATCH, sizeof(live));
    if (!o || !plans || !order || !statuses || !x || !batch) {
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory for %d deals", deals);
        goto out;
    }
    rng r;
    hf__demo_rng_seed(&r, hf__demo_stream_seed(seed, 0, 0x0A6ull));
    hf__demo_make_org(&r, o);
    rc = register_people(s, ws, o, now, err);
    if (rc)
        goto out;

    /* 1. plan every deal, its final status drawn from the run's quota */
    hf__demo_draw_statuses(&r, deals, statuses);
    for (int i = 0; i < deals; i++) {
        rc = hf__demo_plan_deal(&plans[i], i, statuses[i], seed, existing, o, p, now, x, err);
        if (rc)
            goto out;
        order[i] = &plans[i];
    }
    /* 2. order by T0, so handoff ids follow time, and staff them in that order */
    qsort(order, (size_t)deals, sizeof(plan *), hf__demo_compare_plans);
    hf__demo_assign_csms(order, deals, o, now, seed);

    /* 3. write, a batch at a time */
    rc = hf_svc_open(s, NULL, &svc, err);
    if (rc)
        goto out;
    writer w = {s, svc, ws, p, o, stats, err};
    for (int i = 0; i < deals; i += BATCH) {
        size_t n = (size_t)(deals - i < BATCH ? deals - i : BATCH);
        for (size_t j = 0; j < n; j++) {
            memset(&batch[j], 0, sizeof(live));
            batch[j].p = order[i + (int)j];
            hf__demo_draw_texts(batch[j].p, &batch[j].x);
        }
        rc = write_batch(&w, batch, n);
        batch_free(batch, n);
        if (rc)
            goto out;
    }
    stats->sales_teams = 3;
    stats->sales_reps = o->nreps;
    stats->csms = o->ncsms;
    stats->cs_managers = 2;
out:
    hf_svc_close(svc);
    free(batch);
    free(x);
    free(statuses);
    free(order);
    free(plans);
    free(o);
    return rc;
}
