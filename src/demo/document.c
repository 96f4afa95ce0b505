/* A demo handoff's document as of an instant: a pure function of the deal's plan, its
 * texts and the time, so every stored version is the document "as of" the event that wrote
 * it. Each piece of information appears once its event has happened (docs filled, CSM
 * assigned, meeting recorded...), defects leave their fields out, and what a review found
 * stays missing until the rep's correction. The review history and
 * timeline.resubmitted_at are not built here: the service writes them on transitions and
 * writer.c carries them over. */
#include "demo/demo_int.h"

#include <stdio.h>

static const char *utc_time(hf_time t, char buf[HF_TIME_BUFSZ])
{
    return hf_time_format_utc(t, buf);
}

static const char *const role_ids[R_COUNT] = {"executive_sponsor", "champion",  "economic_buyer",
                                              "technical_lead",    "end_users", "blocker",
                                              "influencer"};

static const char *const trigger_names[3] = {"contract_signature", "verbal_commit",
                                             "poc_conversion"};

/* Agenda segments, in order, and what people call them in notes. */
static const char *const agenda_segments[7] = {
    "customer_overview", "stakeholders", "objectives",          "scope_commitments",
    "implementation",    "risks",        "questions_next_steps"};
static const char *const agenda_words[7] = {"the customer overview",   "the stakeholders",
                                            "the objectives",          "scope and commitments",
                                            "implementation",          "risks",
                                            "questions and next steps"};

static void put_str(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

static void put_int(json_t *o, const char *key, long long value)
{
    json_object_set_new(o, key, json_integer(value));
}

static void put_bool(json_t *o, const char *key, bool value)
{
    json_object_set_new(o, key, json_boolean(value));
}

static void put_date(json_t *o, const char *key, int64_t day)
{
    char b[HF_TIME_BUFSZ];
    json_object_set_new(o, key, json_string(hf_date_format(day, b)));
}

static void put_local(json_t *o, const char *key, hf_time t, zone z)
{
    char b[HF_TIME_BUFSZ];
    json_object_set_new(o, key, json_string(hf__demo_local_time(t, z, b)));
}

static void put_utc(json_t *o, const char *key, hf_time t)
{
    char b[HF_TIME_BUFSZ];
    json_object_set_new(o, key, json_string(utc_time(t, b)));
}

static bool happened(const plan *p, int event, hf_time t)
{
    return p->ev[event] != FOREVER && p->ev[event] <= t;
}

/* What the reviews found that is still wrong at `t`: the mask of the first review whose
 * correction has not happened yet. */
static unsigned review_mask_at(const plan *p, hf_time t)
{
    int k = 0;
    while (k < p->ndecisions - 1 && happened(p, EV_FIX(k), t))
        k++;
    return p->ndecisions > 0 ? p->review_mask[k] : 0;
}

/* A draft holds some of the first things a rep types; which ones varies by deal. */
static bool partial_has(const plan *p, int n)
{
    return ((p->seed >> (40 + 2 * n)) & 3u) != 0;
}

static bool summary_has(const plan *p, unsigned review, int item)
{
    if (p->d.summary & (1u << item))
        return false;
    if ((review & RD_INFO) && (item == S_CRITERIA || item == S_WINS))
        return false;
    return true;
}

static bool role_missing(const plan *p, unsigned review, int role)
{
    return (p->d.roles & (1u << role)) || ((review & RD_STAKEHOLDERS) && p->review_role == role);
}

static const person *rep_of(const plan *p, const org *o)
{
    return &o->reps[p->rep].who;
}

static json_t *stakeholder(const texts *x, int role, bool incomplete, const char *department)
{
    const person_text *pt = &x->people[role];
    json_t *s = json_object();
    put_str(s, "role", role_ids[role]);
    if (role == R_USERS) {
        put_str(s, "department", department);
        if (!incomplete)
            put_int(s, "user_count", x->user_count);
    } else {
        put_str(s, "name", pt->name);
        if (!incomplete)
            put_str(s, "title", pt->title);
    }
    put_str(s, "objectives", pt->objectives[0] ? pt->objectives : NULL);
    if (role != R_USERS) {
        put_str(s, "influence", pt->influence);
        put_str(s, "enthusiasm", pt->enthusiasm);
        put_str(s, "relationship", pt->relationship);
        put_str(s, "communication", pt->communication);
    }
    return s;
}

static json_t *string_array(const char *const *items, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

/* The meeting notes a person would have written, from what went well and what did not. */
static void meeting_notes(const plan *p, const texts *x, const org *o, char *buf, size_t cap)
{
    size_t n = 0;
    n += (size_t)snprintf(buf + n, cap - n, "%s", x->note_opening);
    if (p->d.meeting_late && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " Meeting slipped past the 48-hour SLA: %s.",
                              x->slip_reason);
    if (p->d.csm_absent && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " %s (CSM) was double-booked with a renewal call; %s took notes "
                              "and will brief.",
                              o->csms[p->csm].who.name, o->cs_managers[p->cs_manager].name);
    if (p->d.cs_manager_absent && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " The CS manager could not join; the plan is not approved yet.");
    if (p->d.skipped && n < cap) {
        const char *words[7] = {NULL};
        size_t count = 0;
        for (int i = 0; i < 7; i++)
            if (p->d.skipped & (1u << i))
                words[count++] = agenda_words[i];
        n += (size_t)snprintf(buf + n, cap - n, " Ran out of time before");
        for (size_t i = 0; i < count && n < cap; i++)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s",
                                  i == 0           ? " "
                                  : i + 1 == count ? " and "
                                                   : ", ",
                                  words[i]);
        if (n < cap)
            n += (size_t)snprintf(buf + n, cap - n, "; the AE will send notes.");
    }
    if (p->d.unanswered > 0 && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " %d CS question%s left open, mainly on %s.",
                              p->d.unanswered, p->d.unanswered == 1 ? "" : "s", x->open_topic);
    if (x->verbal >= 0 && !p->d.no_commitments && p->d.verbal_unvalidated && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " The AE mentioned a verbal promise CS has not validated.");
    if (p->d.timeline_gap && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " Sales promised %d weeks; our standard for this segment is %d.",
                              x->timeline_weeks, x->standard_weeks);
}

static json_t *action_item(const char *owner, const char *text, int64_t due, bool done)
{
    json_t *a = json_object();
    put_str(a, "owner", owner);
    put_str(a, "text", text);
    put_date(a, "due", due);
    put_bool(a, "done", done);
    return a;
}

/* The document of plan `p` as it stood at `t`: pure, so every version is reproducible. The
 * review history and timeline.resubmitted_at are not here: hf_handoff_transition writes
 * them, and the writer carries them over from the stored document. */
json_t *hf__demo_build_document(const plan *p, const texts *x, const org *o, hf_time t)
{
    const country *k = &hf__demo_countries[p->country];
    const industry *in = &hf__demo_industries[p->industry];
    zone z = k->zone;
    const person *rep = rep_of(p, o);
    const person *csm = &o->csms[p->csm].who;
    const person *csmgr = &o->cs_managers[p->cs_manager];
    unsigned review = review_mask_at(p, t);
    bool partial = happened(p, EV_DOCS_PARTIAL, t);
    bool full = happened(p, EV_DOCS, t);
    bool signed_now = p->trigger != TRIGGER_VERBAL || happened(p, EV_SIGNED, t);
    char buf[1024];

    json_t *doc = json_object();
    put_str(doc, "schema", "handoff/1");

    /* deal: the CRM fields from the start, payment from the rep */
    json_t *deal = json_object();
    put_str(deal, "crm_id", p->crm_id);
    put_str(deal, "name", p->deal_name);
    json_t *owner = json_object();
    put_str(owner, "name", rep->name);
    put_str(owner, "email", rep->email);
    json_object_set_new(deal, "owner", owner);
    put_str(deal, "segment", hf_segment_name(p->segment));
    put_str(deal, "trigger", trigger_names[p->trigger]);
    put_str(deal, "contract_status", signed_now ? "fully_executed" : "in_review");
    if (p->trigger == TRIGGER_VERBAL)
        put_local(deal, "verbal_commit_at", p->t0, z);
    if (signed_now)
        put_local(deal, "contract_signed_at",
                  p->trigger == TRIGGER_VERBAL ? p->ev[EV_SIGNED] : p->t0, z);
    if (happened(p, EV_APPROVE, t))
        put_str(deal, "pre_close_approved_by", csmgr->name);
    if (full) {
        json_t *pay = json_object();
        put_str(pay, "terms", x->payment_terms);
        put_int(pay, "terms_days", x->terms_days);
        put_str(pay, "schedule", x->installments ? "installments" : "upfront");
        if (x->installments)
            put_bool(pay, "schedule_established", happened(p, EV_PAYMENT, t));
        else
            put_bool(pay, "first_payment_received", happened(p, EV_PAYMENT, t));
        put_bool(pay, "po_required", x->po_required);
        if (x->po_required)
            put_bool(pay, "po_received", !x->po_missing);
        put_bool(pay, "delay_requested", x->delay_requested);
        put_str(pay, "finance_concerns", x->finance_concerns);
        json_object_set_new(deal, "payment", pay);
    }
    json_object_set_new(doc, "deal", deal);

    /* customer */
    json_t *customer = json_object();
    put_str(customer, "company_name", p->company);
    put_str(customer, "industry", in->name);
    if (partial || full) {
        if (summary_has(p, review, S_SIZE) && (full || partial_has(p, 0)))
            put_str(customer, "company_size", x->company_size);
        if (summary_has(p, review, S_CHALLENGES) && (full || partial_has(p, 1)))
            put_str(customer, "business_challenges", x->challenge);
    }
    if (full) {
        if (summary_has(p, review, S_CONTEXT))
            put_str(customer, "purchase_context", x->purchase_context);
        if (!p->d.why_now_missing && !(review & RD_INFO))
            put_str(customer, "why_now", x->why_now);
        if (!p->d.competitors_missing)
            json_object_set_new(customer, "competitors_evaluated",
                                string_array(x->competitors, x->ncompetitors));
    }
    json_object_set_new(doc, "customer", customer);

    /* stakeholders */
    if (partial || full) {
        json_t *people = json_array();
        /* a stakeholder added after a review goes at the end, where the rep typed it */
        int late_role = -1;
        for (int j = 0; j < p->ndecisions; j++)
            if (p->review_mask[j] & RD_STAKEHOLDERS)
                late_role = p->review_role;
        int order[R_COUNT + 1], count = 0;
        for (int r = 0; r < R_COUNT; r++)
            if (r != late_role)
                order[count++] = r;
        if (late_role >= 0)
            order[count++] = late_role;
        for (int i = 0; i < count; i++) {
            int r = order[i];
            if (!full && ((r != R_CHAMPION && r != R_EXEC) || !partial_has(p, 2 + r)))
                continue;
            if (r == R_BLOCKER && !x->has_blocker)
                continue;
            if (r == R_INFLUENCER && !x->has_influencer)
                continue;
            bool incomplete = false;
            if (r < R_BLOCKER && role_missing(p, review, r)) {
                /* a rep leaves a role out, or names someone without the details */
                unsigned variant = (unsigned)(p->seed >> (8 + 2 * r)) & 3u;
                bool from_review = (review & RD_STAKEHOLDERS) && p->review_role == r;
                if (from_review || variant != 2)
                    continue;
                incomplete = true;
            }
            json_t *s = stakeholder(x, r, incomplete, in->users);
            if (r == R_BLOCKER) {
                put_str(s, "concerns", x->people[r].concerns);
                if (!p->d.blocker_unaddressed)
                    put_str(s, "mitigation", x->people[r].mitigation);
            }
            json_array_append_new(people, s);
        }
        json_object_set_new(doc, "stakeholders", people);
    }

    /* objectives and scope */
    if (partial || full) {
        json_t *obj = json_object();
        if (summary_has(p, review, S_PRIMARY) && (full || partial_has(p, 4)))
            put_str(obj, "primary_objective", x->objective);
        if (full) {
            if (summary_has(p, review, S_CRITERIA))
                json_object_set_new(obj, "success_criteria",
                                    string_array(x->criteria, x->ncriteria));
            if (summary_has(p, review, S_ROI))
                put_str(obj, "roi_expectation", x->roi);
            if (summary_has(p, review, S_WINS))
                put_str(obj, "personal_wins", x->personal_wins);
        }
        json_object_set_new(doc, "objectives", obj);
        json_t *scope = json_object();
        if (summary_has(p, review, S_FEATURES) && (full || partial_has(p, 5)))
            json_object_set_new(scope, "features", string_array(x->features, x->nfeatures));
        if (full) {
            if (summary_has(p, review, S_INTEGRATIONS))
                json_object_set_new(scope, "integrations",
                                    string_array(x->integrations, x->nintegrations));
            if (summary_has(p, review, S_CUSTOM))
                put_str(scope, "customizations", x->customization);
            if (summary_has(p, review, S_SERVICES))
                put_str(scope, "professional_services", x->services);
            if (summary_has(p, review, S_SUPPORT))
                put_str(scope, "support_tier", x->support_tier);
            if (summary_has(p, review, S_TIMELINE))
                put_str(scope, "timeline_promised", x->timeline_promised);
            int weeks = x->timeline_weeks;
            if (p->d.timeline_gap)
                weeks = x->standard_weeks > 6 ? x->standard_weeks - 4 : 2;
            put_int(scope, "timeline_weeks", weeks);
        }
        json_object_set_new(doc, "scope", scope);
    }

    if (full) {
        /* commitments */
        if (!p->d.no_commitments) {
            json_t *list = json_array();
            int nonverbal_seen = 0, nonverbal = x->ncommitments - (x->verbal >= 0 ? 1 : 0);
            for (int i = 0; i < x->ncommitments; i++) {
                const commitment_text *c = &x->commitments[i];
                bool is_verbal = i == x->verbal;
                if (is_verbal && (review & RD_COMMITMENT))
                    continue;
                json_t *cj = json_object();
                put_str(cj, "kind", c->kind);
                put_str(cj, "text", c->text);
                int from_end = is_verbal ? -1 : nonverbal - 1 - nonverbal_seen;
                if (!is_verbal)
                    nonverbal_seen++;
                bool documented = is_verbal || from_end >= p->d.commit_undocumented;
                bool validated =
                    is_verbal ? !p->d.verbal_unvalidated : from_end >= p->d.commit_unvalidated;
                if (documented)
                    put_bool(cj, "in_contract", !is_verbal);
                put_bool(cj, "validated_by_cs", validated);
                put_str(cj, "owner", c->owner);
                put_date(cj, "due", c->due_day);
                json_array_append_new(list, cj);
            }
            json_object_set_new(doc, "commitments", list);
        }

        /* technical */
        json_t *tech = json_object();
        bool tech_review = (review & RD_TECHNICAL) != 0;
        if (!(p->d.tech & (1u << T_ENVIRONMENT)))
            put_str(tech, "environment", x->environment);
        if (!(p->d.tech & (1u << T_SPECS)) && !tech_review)
            put_str(tech, "integration_specs", x->specs);
        if (!(p->d.tech & (1u << T_MIGRATION)) && !tech_review)
            put_str(tech, "data_migration", x->migration);
        if (!(p->d.tech & (1u << T_SECURITY)))
            put_str(tech, "security_compliance",
                    p->industry == 2 && p->country == C_US
                        ? "HIPAA BAA signed; SOC 2 report reviewed"
                        : k->security);
        if (!(p->d.tech & (1u << T_VALIDATION)) && !tech_review)
            put_str(tech, "validation_status", x->validation);
        json_object_set_new(doc, "technical", tech);

        /* implementation */
        json_t *impl = json_object();
        if (summary_has(p, review, S_START))
            put_date(impl, "start_date", x->start_day);
        if (summary_has(p, review, S_GO_LIVE))
            put_date(impl, "go_live_target", x->go_live_day);
        if (summary_has(p, review, S_MILESTONES)) {
            json_t *ms = json_array();
            for (int i = 0; i < 4; i++) {
                json_t *m = json_object();
                put_str(m, "name", x->milestone_names[i]);
                put_date(m, "date", x->milestone_days[i]);
                json_array_append_new(ms, m);
            }
            json_object_set_new(impl, "milestones", ms);
        }
        if (summary_has(p, review, S_RESOURCES))
            put_str(impl, "customer_resources", x->resources);
        if (summary_has(p, review, S_DEPENDENCIES)) {
            const char *deps[3] = {x->dependencies[0], x->dependencies[1], x->dependencies[2]};
            json_object_set_new(impl, "dependencies", string_array(deps, x->ndependencies));
        }
        json_object_set_new(doc, "implementation", impl);
    }

    /* commercial: amount and currency from the CRM, the rest from the rep */
    json_t *com = json_object();
    put_int(com, "acv", p->acv);
    put_str(com, "currency", p->currency);
    if (full) {
        put_int(com, "tcv", p->acv * p->years);
        if (summary_has(p, review, S_PAYMENT_TERMS))
            put_str(com, "payment_terms", x->payment_terms);
        if (summary_has(p, review, S_DISCOUNT))
            put_str(com, "discount", x->discount);
        if (summary_has(p, review, S_SPECIAL))
            put_str(com, "special_terms", x->special_terms);
    }
    json_object_set_new(doc, "commercial", com);

    if (full) {
        /* risks */
        if (p->d.no_risks) {
            if ((p->seed >> 20) & 1)
                put_str(doc, "risks", "N/A");
        } else {
            json_t *list = json_array();
            for (int i = 0; i < x->nrisks; i++) {
                json_t *rj = json_object();
                put_str(rj, "category", x->risks[i].category);
                put_str(rj, "text", x->risks[i].text);
                put_str(rj, "severity", x->risks[i].severity);
                if (i >= p->d.risks_unmitigated)
                    put_str(rj, "mitigation", x->risks[i].mitigation);
                else if ((p->seed >> (24 + i)) & 1)
                    put_str(rj, "mitigation", "N/A");
                json_array_append_new(list, rj);
            }
            json_object_set_new(doc, "risks", list);
        }
        if (!p->d.no_churn) {
            static const char *const churn[3] = {"low", "medium", "high"};
            put_str(doc, "churn_risk", churn[p->churn]);
        }
    }

    /* team: the CS manager assigns the CSM */
    if (happened(p, EV_CSM, t)) {
        json_t *team = json_object();
        json_t *c = json_object();
        put_str(c, "name", csm->name);
        put_str(c, "email", csm->email);
        put_int(c, "accounts", p->csm_accounts);
        put_int(c, "capacity", p->csm_capacity);
        json_object_set_new(team, "csm", c);
        json_t *m = json_object();
        put_str(m, "name", csmgr->name);
        put_str(m, "email", csmgr->email);
        json_object_set_new(team, "cs_manager", m);
        json_object_set_new(doc, "team", team);
    }

    /* readiness: the rep updates the CRM; RevOps the rest */
    if (full || happened(p, EV_READINESS, t)) {
        json_t *ready = json_object();
        bool ops = happened(p, EV_READINESS, t);
        put_bool(ready, "crm_updated", full);
        put_bool(ready, "finance_record", ops && !(p->readiness_missing & 2u));
        put_bool(ready, "cs_platform_account", ops && !(p->readiness_missing & 4u));
        put_bool(ready, "support_entitled", ops && !(p->readiness_missing & 8u));
        json_object_set_new(doc, "readiness", ready);
    }

    /* meeting */
    if (happened(p, EV_SCHEDULE, t)) {
        json_t *m = json_object();
        put_local(m, "scheduled_for", p->ev[EV_MEETING] - p->ev[EV_MEETING] % (30 * MINUTE), z);
        if (happened(p, EV_AGENDA, t))
            put_local(m, "agenda_sent_at", p->ev[EV_AGENDA], z);
        if (happened(p, EV_RECORD, t)) {
            put_local(m, "held_at", p->ev[EV_MEETING], z);
            put_int(m, "duration_minutes", p->duration);
            json_t *att = json_array();
            json_t *a = json_object();
            put_str(a, "name", rep->name);
            put_str(a, "role", "account_executive");
            json_array_append_new(att, a);
            if (!p->d.csm_absent) {
                a = json_object();
                put_str(a, "name", csm->name);
                put_str(a, "role", "csm");
                json_array_append_new(att, a);
            }
            bool manager_expected = (x->extra_attendees & 8u) || p->segment == HF_SEG_STRATEGIC;
            if (manager_expected && !p->d.cs_manager_absent) {
                a = json_object();
                put_str(a, "name", csmgr->name);
                put_str(a, "role", "cs_manager");
                json_array_append_new(att, a);
            }
            if (x->extra_attendees & 1u) {
                a = json_object();
                put_str(a, "name", o->sales_engineers[x->sales_engineer].name);
                put_str(a, "role", "sales_engineer");
                json_array_append_new(att, a);
            }
            if (x->extra_attendees & 2u) {
                a = json_object();
                put_str(a, "name", o->implementation[x->implementer].name);
                put_str(a, "role", "implementation_specialist");
                json_array_append_new(att, a);
            }
            if (x->extra_attendees & 4u) {
                a = json_object();
                put_str(a, "name", o->sales_managers[o->reps[p->rep].team].name);
                put_str(a, "role", "sales_manager");
                json_array_append_new(att, a);
            }
            json_object_set_new(m, "attendees", att);
            json_t *covered = json_array();
            for (int i = 0; i < 7; i++)
                if (!(p->d.skipped & (1u << i)))
                    json_array_append_new(covered, json_string(agenda_segments[i]));
            json_object_set_new(m, "segments_covered", covered);
            json_t *q = json_object();
            put_int(q, "asked", x->questions_asked);
            put_int(q, "answered", x->questions_asked - p->d.unanswered);
            json_object_set_new(m, "cs_questions", q);
            hf__demo_fmt(buf, sizeof(buf), "https://meet." VENDOR_DOMAIN "/rec/%08x", x->recording);
            put_str(m, "recording_url", buf);
            meeting_notes(p, x, o, buf, sizeof(buf));
            put_str(m, "notes", buf);
            int64_t day = hf__demo_local_day(p->ev[EV_MEETING], z);
            json_t *items = json_array();
            json_array_append_new(items,
                                  action_item(rep->name, "Send the customer introduction email",
                                              day + 1, happened(p, EV_INTRO, t)));
            char champ[32], text[200];
            hf__demo_first_name(x->people[R_CHAMPION].name, champ, sizeof(champ));
            hf__demo_fmt(text, sizeof(text), "Book the kickoff with %s", champ);
            json_array_append_new(
                items, action_item(csm->name, text, day + 3, happened(p, EV_KICKOFF_SCHEDULED, t)));
            if (p->d.skipped) {
                json_array_append_new(
                    items, action_item(rep->name, "Send notes on the agenda items we skipped",
                                       day + 1, t >= p->ev[EV_RECORD] + 2 * DAY));
            }
            hf__demo_fmt(text, sizeof(text), "Confirm %s API access with customer IT", x->erp);
            json_array_append_new(items,
                                  action_item(csm->name, text, day + 5, happened(p, EV_PREP, t)));
            json_object_set_new(m, "action_items", items);
        }
        json_object_set_new(doc, "meeting", m);
    }

    /* timeline */
    json_t *tl = json_object();
    hf_time started =
        p->ev[EV_DOCS_PARTIAL] < p->ev[EV_DOCS] ? p->ev[EV_DOCS_PARTIAL] : p->ev[EV_DOCS];
    if (started != FOREVER && started <= t)
        put_utc(tl, "handoff_started_at", started);
    if (happened(p, EV_INTRO, t))
        put_utc(tl, "intro_sent_at", p->ev[EV_INTRO]);
    if (happened(p, EV_FIRST_CONTACT, t))
        put_utc(tl, "first_cs_contact_at", p->ev[EV_FIRST_CONTACT]);
    if (happened(p, EV_PREP, t))
        put_utc(tl, "cs_prep_done_at", p->ev[EV_PREP]);
    if (happened(p, EV_KICKOFF_SCHEDULED, t))
        put_utc(tl, "kickoff_scheduled_at", p->ev[EV_KICKOFF_SCHEDULED]);
    if (p->ev[EV_JOINT] != FOREVER && p->ev[EV_JOINT] + HOUR <= t)
        put_local(tl, "joint_meeting_held_at", p->ev[EV_JOINT], z);
    if (p->ev[EV_KICKOFF] != FOREVER && p->ev[EV_KICKOFF] + 75 * MINUTE <= t)
        put_local(tl, "kickoff_held_at", p->ev[EV_KICKOFF], z);
    if (json_object_size(tl) > 0)
        json_object_set_new(doc, "timeline", tl);
    else
        json_decref(tl);
    return doc;
}
