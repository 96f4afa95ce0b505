/* evaluate(): the rules of SPEC §4 — completeness, quality, gate, flags, SLAs.
 *
 * Design: every score is an exact rational (numerator/denominator in 128-bit integers),
 * summed exactly and rounded once at the end, half-up, to the precision the spec names.
 * This is what makes 15 x 23/24 = 14.375 print as 14.38 and not 14.37, and what keeps a
 * subtotal equal to the rounding of its exact sum rather than the sum of rounded parts.
 * Each rule reads the document through the conventions of document.h (absent, filled,
 * N/A); nothing here reads the clock, a file or the environment. */
#include "handoff/evaluate.h"

#include "handoff/document.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const hf_item_ids[HF_ITEM_COUNT] = {
    "customer.company_name",
    "customer.industry",
    "customer.company_size",
    "customer.business_challenges",
    "customer.purchase_context",
    "customer.why_now",
    "customer.competitors_evaluated",
    "stakeholders.executive_sponsor",
    "stakeholders.champion",
    "stakeholders.economic_buyer",
    "stakeholders.technical_lead",
    "stakeholders.end_users",
    "objectives.primary_objective",
    "objectives.success_criteria",
    "objectives.roi_expectation",
    "objectives.personal_wins",
    "scope.features",
    "scope.integrations",
    "scope.customizations",
    "scope.professional_services",
    "scope.support_tier",
    "scope.timeline_promised",
    "commitments",
    "technical.environment",
    "technical.integration_specs",
    "technical.data_migration",
    "technical.security_compliance",
    "technical.validation_status",
    "implementation.start_date",
    "implementation.go_live_target",
    "implementation.milestones",
    "implementation.customer_resources",
    "implementation.dependencies",
    "commercial.acv",
    "commercial.payment_terms",
    "commercial.discount",
    "commercial.special_terms",
    "risks",
    "churn_risk",
};

typedef enum item_kind { K_TEXT, K_LIST, K_DATE, K_MILESTONES, K_ROLE, K_OBJECTS } item_kind;

/* Kind of each required item, and whether it is one of the 24 deal-summary items. */
static const struct {
    item_kind kind;
    bool summary;
} item_info[HF_ITEM_COUNT] = {
    {K_TEXT, true},       {K_TEXT, true},  {K_TEXT, true},     {K_TEXT, true},  {K_TEXT, true},
    {K_TEXT, false},      {K_LIST, false}, {K_ROLE, false},    {K_ROLE, false}, {K_ROLE, false},
    {K_ROLE, false},      {K_ROLE, false}, {K_TEXT, true},     {K_LIST, true},  {K_TEXT, true},
    {K_TEXT, true},       {K_LIST, true},  {K_LIST, true},     {K_TEXT, true},  {K_TEXT, true},
    {K_TEXT, true},       {K_TEXT, true},  {K_OBJECTS, false}, {K_TEXT, false}, {K_TEXT, false},
    {K_TEXT, false},      {K_TEXT, false}, {K_TEXT, false},    {K_DATE, true},  {K_DATE, true},
    {K_MILESTONES, true}, {K_TEXT, true},  {K_LIST, true},     {K_TEXT, true},  {K_TEXT, true},
    {K_TEXT, true},       {K_TEXT, true},  {K_OBJECTS, false}, {K_TEXT, false},
};

const char *const hf_component_names[HF_COMP_COUNT] = {
    "deal_summary", "stakeholder_map", "commitments", "risk_factors", "attendance",
    "agenda",       "cs_questions",    "handoff_sla", "intro_48h"};

const char *const hf_band_names[HF_BAND_COUNT] = {"excellent", "good", "acceptable", "substandard"};

const char *const hf_blocker_ids[HF_BLOCK_COUNT] = {
    "contract.not_executed", "payment.unconfirmed", "systems.not_updated",  "docs.incomplete",
    "cs.not_assigned",       "cs.over_capacity",    "meeting.not_scheduled"};

const char *const hf_flag_ids[HF_FLAG_COUNT] = {"payment.extended_terms",
                                                "payment.delay_requested",
                                                "payment.missing_po",
                                                "finance.concerns",
                                                "commitments.unvalidated",
                                                "expectations.timeline_gap",
                                                "info.stale",
                                                "churn.high",
                                                "risks.unmitigated_high",
                                                "agenda.late",
                                                "review.repeated_rejections",
                                                "stakeholders.blocker_unaddressed"};

const char *const hf_sla_status_names[HF_SLA_STATUS_COUNT] = {"met", "late", "pending", "overdue",
                                                              "not_started"};

static const char *const agenda_segments[7] = {
    "customer_overview", "stakeholders", "objectives",          "scope_commitments",
    "implementation",    "risks",        "questions_next_steps"};

/* ---- exact rationals ---- */

typedef __int128 i128;
typedef struct rat {
    i128 num;
    i128 den; /* > 0 */
} rat;

static i128 gcd128(i128 a, i128 b)
{
    if (a < 0)
        a = -a;
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

static rat rat_make(i128 num, i128 den)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    i128 g = gcd128(num, den);
    return (rat){num / g, den / g};
}

static rat rat_int(int64_t v)
{
    return (rat){v, 1};
}

/* Denominators here are products of small counts; reduce after each step so that they
 * stay far below the 128-bit range. */
static rat rat_add(rat a, rat b)
{
    i128 g = gcd128(a.den, b.den);
    return rat_make(a.num * (b.den / g) + b.num * (a.den / g), a.den / g * b.den);
}

/* k * num / den for integer counts (den > 0). */
static rat rat_frac(int64_t k, int64_t num, int64_t den)
{
    return rat_make((i128)k * num, den);
}

/* A ratio of two JSON numbers. Integers within 2^53 are exact; anything else is taken
 * to 1e-12 (documents carry counts of questions, so this is a safety net, not a path). */
static rat rat_ratio_of_doubles(double k, double a, double b)
{
    const double lim = 9007199254740992.0;
    if (a == floor(a) && b == floor(b) && fabs(a) < lim && fabs(b) < lim && b != 0)
        return rat_make((i128)k * (i128)a, (i128)b);
    double r = k * a / b;
    if (!isfinite(r))
        r = 0;
    if (r > 1e6)
        r = 1e6;
    if (r < -1e6)
        r = -1e6;
    return rat_make((i128)llround(r * 1e12), (i128)1000000000000LL);
}

/* Round half-up to `decimals` places; returns the value scaled by 10^decimals. */
static int64_t rat_round(rat x, int decimals)
{
    i128 scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    i128 n = x.num * scale * 2 + x.den;
    i128 d = x.den * 2;
    i128 q = n / d;
    if ((n % d != 0) && (n < 0))
        q--; /* floor division */
    return (int64_t)q;
}

/* ---- document access ---- */

static bool is_filled_not_na(const json_t *v)
{
    return hf_value_is_filled(v) && !hf_value_is_na(v);
}

static bool is_true(const json_t *v)
{
    return v && json_is_true(v);
}

static bool string_equals(const json_t *v, const char *s)
{
    return v && json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

static bool get_time(const json_t *doc, const char *path, hf_time *out)
{
    return hf_value_time(hf_doc_get(doc, path), out);
}

/* Instants with their fraction of a second, in nanoseconds: comparisons (met or late,
 * pending or overdue, stale) use the fraction; output drops it (SPEC §3). */
typedef __int128 ptime;
#define NS 1000000000
#define MAX_OFFSET_SECONDS 315569260000.0

static bool value_ptime(const json_t *v, ptime *out)
{
    hf_time secs;
    int64_t nanos;
    if (!v || !json_is_string(v) ||
        !hf_time_parse_rfc3339_ns(json_string_value(v), json_string_length(v), &secs, &nanos))
        return false;
    *out = (ptime)secs * NS + nanos;
    return true;
}

static bool get_ptime(const json_t *doc, const char *path, ptime *out)
{
    return value_ptime(hf_doc_get(doc, path), out);
}

/* Whole seconds, rounded toward the past. */
static hf_time ptime_secs(ptime t)
{
    ptime q = t / NS;
    if (t % NS < 0)
        q--;
    return (hf_time)q;
}

/* `amount` units of `unit_seconds`, clamped to about 10,000 years either way. */
static ptime offset_ns(double amount, double unit_seconds)
{
    double secs = amount * unit_seconds;
    if (isnan(secs))
        return 0;
    if (secs > MAX_OFFSET_SECONDS)
        secs = MAX_OFFSET_SECONDS;
    else if (secs < -MAX_OFFSET_SECONDS)
        secs = -MAX_OFFSET_SECONDS;
    else if (amount == floor(amount))
        return (ptime)(int64_t)amount * (ptime)(int64_t)unit_seconds * NS; /* exact */
    return (ptime)floor(secs * 1e9);
}

static ptime sla_due_ns(const hf_protocol *p, const hf_sla_rule *rule, ptime t0)
{
    if (rule->unit == HF_OFFSET_HOURS)
        return t0 + offset_ns(rule->amount, 3600.0);
    if (rule->unit == HF_OFFSET_DAYS)
        return t0 + offset_ns(rule->amount, 86400.0);
    /* business days land at T0's wall-clock time, fraction included */
    hf_time secs = ptime_secs(t0);
    return (ptime)hf_sla_due(p, rule, secs) * NS + (t0 - (ptime)secs * NS);
}

/* A string parsing as YYYY-MM-DD or an RFC 3339 timestamp. */
static bool parses_as_date(const json_t *v)
{
    if (!v || !json_is_string(v))
        return false;
    int64_t day;
    hf_time t;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    return hf_date_parse(s, n, &day) || hf_time_parse_rfc3339(s, n, &t);
}

typedef enum item_state { ST_MISSING, ST_FILLED, ST_NA, ST_INVALID } item_state;

static item_state state_text(const json_t *v)
{
    if (!v || json_is_array(v) || json_is_object(v) || !hf_value_is_filled(v))
        return ST_MISSING;
    return hf_value_is_na(v) ? ST_NA : ST_FILLED;
}

static item_state state_list(const json_t *v)
{
    if (!v)
        return ST_MISSING;
    if (json_is_string(v)) {
        if (!hf_value_is_filled(v))
            return ST_MISSING;
        return hf_value_is_na(v) ? ST_NA : ST_FILLED;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (json_is_string(e) && hf_value_is_filled(e))
                return ST_FILLED;
        }
    }
    return ST_MISSING;
}

static item_state state_date(const json_t *v)
{
    if (!hf_value_is_filled(v))
        return ST_MISSING;
    if (hf_value_is_na(v))
        return ST_NA;
    return parses_as_date(v) ? ST_FILLED : ST_INVALID;
}

static item_state state_milestones(const json_t *v)
{
    if (hf_value_is_na(v))
        return ST_NA;
    if (!v || !json_is_array(v))
        return ST_MISSING;
    bool some_filled = false;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_object(e))
            continue;
        const json_t *name = json_object_get(e, "name");
        const json_t *date = json_object_get(e, "date");
        if (!hf_value_is_filled(name))
            continue;
        if (parses_as_date(date))
            return ST_FILLED;
        if (hf_value_is_filled(date))
            some_filled = true;
    }
    return some_filled ? ST_INVALID : ST_MISSING;
}

static item_state state_role(const json_t *stakeholders, const char *role)
{
    bool is_users = strcmp(role, "end_users") == 0;
    const char *k1 = is_users ? "department" : "name";
    const char *k2 = is_users ? "user_count" : "title";
    bool any = false;
    size_t i;
    json_t *e;
    if (!json_is_array(stakeholders))
        return ST_MISSING;
    json_array_foreach(stakeholders, i, e)
    {
        if (!json_is_object(e) || !string_equals(json_object_get(e, "role"), role))
            continue;
        const json_t *a = json_object_get(e, k1);
        const json_t *b = json_object_get(e, k2);
        if (!hf_value_is_filled(a) || !hf_value_is_filled(b))
            continue;
        if (!hf_value_is_na(a) && !hf_value_is_na(b))
            return ST_FILLED;
        any = true;
    }
    return any ? ST_NA : ST_MISSING;
}

static item_state state_objects(const json_t *v)
{
    if (hf_value_is_na(v))
        return ST_NA;
    if (!v || !json_is_array(v))
        return ST_MISSING;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (json_is_object(e) && hf_value_is_filled(json_object_get(e, "text")))
            return ST_FILLED;
    }
    return ST_MISSING;
}

static item_state item_state_of(const json_t *doc, int i)
{
    const char *id = hf_item_ids[i];
    switch (item_info[i].kind) {
    case K_TEXT:
        return state_text(hf_doc_get(doc, id));
    case K_LIST:
        return state_list(hf_doc_get(doc, id));
    case K_DATE:
        return state_date(hf_doc_get(doc, id));
    case K_MILESTONES:
        return state_milestones(hf_doc_get(doc, id));
    case K_ROLE:
        return state_role(json_object_get(doc, "stakeholders"), id + strlen("stakeholders."));
    case K_OBJECTS:
        return state_objects(json_object_get(doc, id));
    }
    return ST_MISSING;
}

/* ---- the rules ---- */

static void completeness(const json_t *doc, hf_evaluation *ev, int *summary_filled,
                         int *roles_counted)
{
    *summary_filled = 0;
    *roles_counted = 0;
    for (int i = 0; i < HF_ITEM_COUNT; i++) {
        item_state st = item_state_of(doc, i);
        uint64_t bit = (uint64_t)1 << i;
        bool filled = st == ST_FILLED || st == ST_NA;
        if (filled) {
            ev->filled++;
            if (item_info[i].summary)
                (*summary_filled)++;
            if (item_info[i].kind == K_ROLE)
                (*roles_counted)++;
        } else {
            ev->missing |= bit;
        }
        if (st == ST_NA)
            ev->not_applicable |= bit;
        if (st == ST_INVALID)
            ev->invalid |= bit;
    }
    ev->percent_d = rat_round(rat_frac(100, ev->filled, HF_ITEM_COUNT), 1);
}

static rat commitments_score(const json_t *doc)
{
    const json_t *arr = json_object_get(doc, "commitments");
    int64_t count = 0, documented = 0, validated = 0;
    size_t i;
    json_t *e;
    if (!json_is_array(arr))
        return rat_int(0);
    json_array_foreach(arr, i, e)
    {
        if (!json_is_object(e))
            continue;
        count++;
        const json_t *kind = json_object_get(e, "kind");
        const json_t *in_contract = json_object_get(e, "in_contract");
        /* the document is validated: a present kind is one of the enum's values */
        if (kind && json_is_string(kind) && json_string_length(kind) > 0 &&
            hf_value_is_filled(json_object_get(e, "text")) && in_contract &&
            json_is_boolean(in_contract))
            documented++;
        if (is_true(json_object_get(e, "validated_by_cs")))
            validated++;
    }
    if (count == 0)
        return rat_int(0);
    return rat_add(rat_frac(10, documented, count), rat_frac(5, validated, count));
}

static rat risk_score(const json_t *doc)
{
    rat score = rat_int(hf_value_is_absent(json_object_get(doc, "churn_risk")) ? 0 : 2);
    const json_t *arr = json_object_get(doc, "risks");
    int64_t count = 0, mitigated = 0;
    size_t i;
    json_t *e;
    if (!json_is_array(arr))
        return score;
    json_array_foreach(arr, i, e)
    {
        if (!json_is_object(e))
            continue;
        count++;
        if (is_filled_not_na(json_object_get(e, "mitigation")))
            mitigated++;
    }
    if (count == 0)
        return score;
    return rat_add(score, rat_add(rat_int(3), rat_frac(5, mitigated, count)));
}

static hf_segment segment_of(const json_t *doc)
{
    const json_t *v = hf_doc_get(doc, "deal.segment");
    hf_segment s;
    if (v && json_is_string(v) && hf_segment_parse(json_string_value(v), &s))
        return s;
    return HF_SEG_NONE;
}

static unsigned required_roles(const hf_protocol *p, hf_segment seg, bool *has)
{
    if (seg != HF_SEG_NONE && p->has_required[seg]) {
        *has = true;
        return p->required[seg];
    }
    *has = p->has_required_default;
    return p->has_required_default ? p->required_default : 0;
}

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

static void meeting_scores(const json_t *doc, const hf_protocol *p, rat comp[HF_COMP_COUNT])
{
    hf_time held;
    if (!get_time(doc, "meeting.held_at", &held))
        return;

    bool has_req;
    unsigned req = required_roles(p, segment_of(doc), &has_req);
    unsigned present = 0;
    const json_t *att = hf_doc_get(doc, "meeting.attendees");
    size_t i;
    json_t *e;
    if (json_is_array(att)) {
        json_array_foreach(att, i, e)
        {
            const json_t *role = json_is_object(e) ? json_object_get(e, "role") : NULL;
            int idx =
                role && json_is_string(role) ? hf_attendee_role_index(json_string_value(role)) : -1;
            if (idx >= 0)
                present |= 1u << idx;
        }
    }
    int req_count = popcount(req);
    /* No required role at all: nobody can be missing, so attendance is complete. */
    comp[HF_COMP_ATTENDANCE] =
        req_count ? rat_frac(10, popcount(req & present), req_count) : rat_int(10);

    unsigned covered = 0;
    const json_t *segs = hf_doc_get(doc, "meeting.segments_covered");
    if (json_is_array(segs)) {
        json_array_foreach(segs, i, e)
        {
            for (unsigned s = 0; s < 7; s++) {
                if (string_equals(e, agenda_segments[s]))
                    covered |= 1u << s;
            }
        }
    }
    comp[HF_COMP_AGENDA] = rat_frac(10, popcount(covered), 7);

    double asked = 0, answered = 0;
    bool has_asked = hf_value_number(hf_doc_get(doc, "meeting.cs_questions.asked"), &asked);
    hf_value_number(hf_doc_get(doc, "meeting.cs_questions.answered"), &answered);
    if (!has_asked || !(asked > 0))
        comp[HF_COMP_CS_QUESTIONS] = rat_int(10);
    else
        comp[HF_COMP_CS_QUESTIONS] = rat_ratio_of_doubles(10, fmin(answered, asked), asked);
}

static const hf_sla_rule *find_rule(const hf_protocol *p, hf_activity a)
{
    for (size_t i = 0; i < p->sla_count; i++) {
        if (p->sla[i].activity == a)
            return &p->sla[i];
    }
    return NULL;
}

/* Where each activity's done-at time lives. */
static const char *const done_paths[HF_ACT_COUNT] = {
    "timeline.handoff_started_at",    "meeting.held_at",          "timeline.intro_sent_at",
    "timeline.first_cs_contact_at",   "timeline.cs_prep_done_at", "timeline.kickoff_scheduled_at",
    "timeline.joint_meeting_held_at", "timeline.kickoff_held_at", "timeline.resubmitted_at"};

static void timeliness_scores(const json_t *doc, const hf_protocol *p, bool has_t0, ptime t0,
                              rat comp[HF_COMP_COUNT])
{
    if (!has_t0)
        return;
    ptime done;
    const hf_sla_rule *r = find_rule(p, HF_ACT_MEETING_HELD);
    if (r && get_ptime(doc, "meeting.held_at", &done) && done <= sla_due_ns(p, r, t0))
        comp[HF_COMP_HANDOFF_SLA] = rat_int(15);
    r = find_rule(p, HF_ACT_INTRO_SENT);
    if (r && get_ptime(doc, "timeline.intro_sent_at", &done) && done <= sla_due_ns(p, r, t0))
        comp[HF_COMP_INTRO_48H] = rat_int(5);
}

static hf_band band_of(const hf_protocol *p, int64_t total)
{
    for (int b = 0; b < 3; b++) {
        if (p->has_band[b] && (double)total >= p->band[b])
            return (hf_band)b;
    }
    return HF_BAND_SUBSTANDARD;
}

static bool is_pending_contract(const json_t *doc)
{
    return !string_equals(hf_doc_get(doc, "deal.contract_status"), "fully_executed") &&
           string_equals(hf_doc_get(doc, "deal.trigger"), "verbal_commit") &&
           string_equals(hf_doc_get(doc, "deal.segment"), "strategic") &&
           hf_value_is_filled(hf_doc_get(doc, "deal.pre_close_approved_by"));
}

static bool payment_unconfirmed(const json_t *doc)
{
    const json_t *pay = hf_doc_get(doc, "deal.payment");
    if (!hf_value_is_filled(json_object_get(pay, "terms")))
        return true;
    const json_t *schedule = json_object_get(pay, "schedule");
    if (string_equals(schedule, "upfront"))
        return !is_true(json_object_get(pay, "first_payment_received"));
    if (string_equals(schedule, "installments"))
        return !is_true(json_object_get(pay, "schedule_established"));
    return true;
}

static void gate(const json_t *doc, const hf_protocol *p, hf_evaluation *ev)
{
    bool pending = is_pending_contract(doc);
    ev->pending_contract = pending;
    unsigned b = 0;
    if (!pending && !string_equals(hf_doc_get(doc, "deal.contract_status"), "fully_executed"))
        b |= 1u << HF_BLOCK_CONTRACT_NOT_EXECUTED;
    if (!pending && payment_unconfirmed(doc))
        b |= 1u << HF_BLOCK_PAYMENT_UNCONFIRMED;
    static const char *const readiness[4] = {"readiness.crm_updated", "readiness.finance_record",
                                             "readiness.cs_platform_account",
                                             "readiness.support_entitled"};
    for (int i = 0; i < (pending ? 1 : 4); i++) {
        if (!is_true(hf_doc_get(doc, readiness[i])))
            b |= 1u << HF_BLOCK_SYSTEMS_NOT_UPDATED;
    }
    if ((double)ev->percent_d / 10.0 < p->docs_min_percent)
        b |= 1u << HF_BLOCK_DOCS_INCOMPLETE;
    if (!is_filled_not_na(hf_doc_get(doc, "team.csm.name")))
        b |= 1u << HF_BLOCK_CS_NOT_ASSIGNED;
    double accounts, capacity;
    if (hf_value_number(hf_doc_get(doc, "team.csm.accounts"), &accounts) &&
        hf_value_number(hf_doc_get(doc, "team.csm.capacity"), &capacity) && accounts >= capacity)
        b |= 1u << HF_BLOCK_CS_OVER_CAPACITY;
    hf_time t;
    if (!get_time(doc, "meeting.scheduled_for", &t) && !get_time(doc, "meeting.held_at", &t))
        b |= 1u << HF_BLOCK_MEETING_NOT_SCHEDULED;
    ev->blockers = b;
    ev->ready = b == 0;
}

static bool any_commitment_unvalidated(const json_t *doc)
{
    const json_t *arr = json_object_get(doc, "commitments");
    size_t i;
    json_t *e;
    if (!json_is_array(arr))
        return false;
    json_array_foreach(arr, i, e)
    {
        if (!json_is_object(e))
            continue;
        const json_t *in_contract = json_object_get(e, "in_contract");
        bool at_risk = string_equals(json_object_get(e, "kind"), "verbal") ||
                       (in_contract && json_is_false(in_contract));
        if (at_risk && !is_true(json_object_get(e, "validated_by_cs")))
            return true;
    }
    return false;
}

static bool any_high_risk_unmitigated(const json_t *doc)
{
    const json_t *arr = json_object_get(doc, "risks");
    size_t i;
    json_t *e;
    if (!json_is_array(arr))
        return false;
    json_array_foreach(arr, i, e)
    {
        if (json_is_object(e) && string_equals(json_object_get(e, "severity"), "high") &&
            !is_filled_not_na(json_object_get(e, "mitigation")))
            return true;
    }
    return false;
}

static bool any_blocker_unaddressed(const json_t *doc)
{
    const json_t *arr = json_object_get(doc, "stakeholders");
    size_t i;
    json_t *e;
    if (!json_is_array(arr))
        return false;
    json_array_foreach(arr, i, e)
    {
        if (json_is_object(e) && string_equals(json_object_get(e, "role"), "blocker") &&
            !is_filled_not_na(json_object_get(e, "mitigation")))
            return true;
    }
    return false;
}

static bool agenda_late(const json_t *doc, const hf_protocol *p, ptime now)
{
    ptime scheduled, sent, held;
    if (!get_ptime(doc, "meeting.scheduled_for", &scheduled))
        return false;
    ptime deadline = scheduled - offset_ns(p->agenda_lead_hours, 3600.0);
    if (get_ptime(doc, "meeting.agenda_sent_at", &sent))
        return sent > deadline;
    return now > deadline && !get_ptime(doc, "meeting.held_at", &held);
}

static int rejections(const json_t *doc)
{
    const json_t *arr = hf_doc_get(doc, "review.history");
    int n = 0;
    size_t i;
    json_t *e;
    if (!json_is_array(arr))
        return 0;
    json_array_foreach(arr, i, e)
    {
        if (json_is_object(e) && string_equals(json_object_get(e, "decision"), "rejected"))
            n++;
    }
    return n;
}

static void flags(const json_t *doc, const hf_protocol *p, ptime now, hf_evaluation *ev)
{
    unsigned f = 0;
    const json_t *pay = hf_doc_get(doc, "deal.payment");
    double d;
    if (hf_value_number(json_object_get(pay, "terms_days"), &d) && d > p->standard_payment_days)
        f |= 1u << HF_FLAG_PAYMENT_EXTENDED_TERMS;
    if (is_true(json_object_get(pay, "delay_requested")))
        f |= 1u << HF_FLAG_PAYMENT_DELAY_REQUESTED;
    if (is_true(json_object_get(pay, "po_required")) &&
        !is_true(json_object_get(pay, "po_received")))
        f |= 1u << HF_FLAG_PAYMENT_MISSING_PO;
    if (is_filled_not_na(json_object_get(pay, "finance_concerns")))
        f |= 1u << HF_FLAG_FINANCE_CONCERNS;
    if (any_commitment_unvalidated(doc))
        f |= 1u << HF_FLAG_COMMITMENTS_UNVALIDATED;
    hf_segment seg = segment_of(doc);
    if (seg != HF_SEG_NONE && p->has_implementation_weeks[seg] &&
        hf_value_number(hf_doc_get(doc, "scope.timeline_weeks"), &d) &&
        d < p->implementation_weeks[seg])
        f |= 1u << HF_FLAG_EXPECTATIONS_TIMELINE_GAP;
    ptime updated;
    if (get_ptime(doc, "updated_at", &updated) &&
        now - updated > offset_ns(p->stale_after_days, 86400.0))
        f |= 1u << HF_FLAG_INFO_STALE;
    if (string_equals(json_object_get(doc, "churn_risk"), "high"))
        f |= 1u << HF_FLAG_CHURN_HIGH;
    if (any_high_risk_unmitigated(doc))
        f |= 1u << HF_FLAG_RISKS_UNMITIGATED_HIGH;
    if (agenda_late(doc, p, now))
        f |= 1u << HF_FLAG_AGENDA_LATE;
    if (rejections(doc) >= 2)
        f |= 1u << HF_FLAG_REVIEW_REPEATED_REJECTIONS;
    if (any_blocker_unaddressed(doc))
        f |= 1u << HF_FLAG_STAKEHOLDERS_BLOCKER_UNADDRESSED;
    ev->flags = f;
}

/* Status and escalation of one line from its exact due and done times. */
static void sla_status(const hf_protocol *p, ptime now, ptime due, bool done, ptime done_at,
                       hf_sla_line *line)
{
    line->escalation = 0;
    if (done) {
        line->status = done_at <= due ? HF_SLA_MET : HF_SLA_LATE;
        return;
    }
    if (now <= due) {
        line->status = HF_SLA_PENDING;
        return;
    }
    line->status = HF_SLA_OVERDUE;
    for (int i = 0; i < 3; i++) {
        if (now - due >= offset_ns(p->escalation_hours[i], 3600.0))
            line->escalation++;
    }
}

static int sla_table(const json_t *doc, const hf_protocol *p, ptime now, bool has_t0, ptime t0,
                     hf_evaluation *ev, hf_error *err)
{
    ev->sla = calloc(p->sla_count + 1, sizeof(*ev->sla));
    if (!ev->sla)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < p->sla_count; i++) {
        hf_sla_line *line = &ev->sla[ev->sla_count++];
        line->activity = p->sla[i].activity;
        ptime done_at = 0;
        bool done = get_ptime(doc, done_paths[line->activity], &done_at);
        line->done_at = done ? ptime_secs(done_at) : HF_TIME_NONE;
        if (!has_t0) {
            line->due = HF_TIME_NONE;
            line->status = HF_SLA_NOT_STARTED;
            line->escalation = 0;
            continue;
        }
        ptime due = sla_due_ns(p, &p->sla[i], t0);
        line->due = ptime_secs(due);
        sla_status(p, now, due, done, done_at, line);
    }

    /* the revision line follows a rejection or a revision request */
    const json_t *hist = hf_doc_get(doc, "review.history");
    size_t n = json_is_array(hist) ? json_array_size(hist) : 0;
    const json_t *last = n ? json_array_get(hist, n - 1) : NULL;
    const json_t *decision = json_is_object(last) ? json_object_get(last, "decision") : NULL;
    ptime decided;
    if ((string_equals(decision, "rejected") || string_equals(decision, "needs_revision")) &&
        value_ptime(json_object_get(last, "at"), &decided)) {
        hf_sla_line *line = &ev->sla[ev->sla_count++];
        line->activity = HF_ACT_REVISION;
        ptime due = decided + offset_ns(p->revision_hours, 3600.0);
        ptime resubmitted = 0;
        bool done =
            get_ptime(doc, "timeline.resubmitted_at", &resubmitted) && resubmitted >= decided;
        line->due = ptime_secs(due);
        line->done_at = done ? ptime_secs(resubmitted) : HF_TIME_NONE;
        sla_status(p, now, due, done, resubmitted, line);
    }
    return 0;
}

int hf_evaluate(const json_t *doc, const hf_protocol *protocol, hf_time now, hf_evaluation *ev,
                hf_error *err)
{
    memset(ev, 0, sizeof(*ev));
    memcpy(ev->protocol_version, protocol->version, sizeof(ev->protocol_version));
    ev->now = now;
    ptime now_ns = (ptime)now * NS, t0 = 0;
    bool has_t0 = get_ptime(doc, "deal.contract_signed_at", &t0) ||
                  get_ptime(doc, "deal.verbal_commit_at", &t0);
    ev->t0 = has_t0 ? ptime_secs(t0) : HF_TIME_NONE;

    int summary_filled, roles_counted;
    completeness(doc, ev, &summary_filled, &roles_counted);

    rat comp[HF_COMP_COUNT];
    for (int i = 0; i < HF_COMP_COUNT; i++)
        comp[i] = rat_int(0);
    comp[HF_COMP_DEAL_SUMMARY] = rat_frac(15, summary_filled, 24);
    comp[HF_COMP_STAKEHOLDER_MAP] = rat_int(2 * roles_counted);
    comp[HF_COMP_COMMITMENTS] = commitments_score(doc);
    comp[HF_COMP_RISK_FACTORS] = risk_score(doc);
    meeting_scores(doc, protocol, comp);
    timeliness_scores(doc, protocol, has_t0, t0, comp);

    rat doc_sum = rat_int(0), meet_sum = rat_int(0), time_sum = rat_int(0);
    for (int i = 0; i < HF_COMP_COUNT; i++) {
        ev->component_c[i] = rat_round(comp[i], 2);
        if (i <= HF_COMP_RISK_FACTORS)
            doc_sum = rat_add(doc_sum, comp[i]);
        else if (i <= HF_COMP_CS_QUESTIONS)
            meet_sum = rat_add(meet_sum, comp[i]);
        else
            time_sum = rat_add(time_sum, comp[i]);
    }
    ev->documentation_c = rat_round(doc_sum, 2);
    ev->meeting_c = rat_round(meet_sum, 2);
    ev->timeliness_c = rat_round(time_sum, 2);
    ev->total = rat_round(rat_add(rat_add(doc_sum, meet_sum), time_sum), 0);
    ev->band = band_of(protocol, ev->total);

    gate(doc, protocol, ev);
    flags(doc, protocol, now_ns, ev);
    return sla_table(doc, protocol, now_ns, has_t0, t0, ev, err);
}

void hf_evaluation_free(hf_evaluation *ev)
{
    if (!ev)
        return;
    free(ev->sla);
    ev->sla = NULL;
    ev->sla_count = 0;
}

/* ---- JSON ---- */

static json_t *scaled(int64_t v, int decimals)
{
    return json_real((double)v / (decimals == 2 ? 100.0 : 10.0));
}

static json_t *time_or_null(hf_time t)
{
    char buf[HF_TIME_BUFSZ];
    return t == HF_TIME_NONE ? json_null() : json_string(hf_time_format_utc(t, buf));
}

static json_t *id_list(const char *const *ids, int count, uint64_t bits)
{
    json_t *a = json_array();
    for (int i = 0; i < count; i++) {
        if (bits & ((uint64_t)1 << i))
            json_array_append_new(a, json_string(ids[i]));
    }
    return a;
}

json_t *hf_evaluation_to_json(const hf_evaluation *ev)
{
    char buf[HF_TIME_BUFSZ];
    json_t *o = json_object();
    json_object_set_new(o, "protocol", json_string(ev->protocol_version));
    json_object_set_new(o, "now", json_string(hf_time_format_utc(ev->now, buf)));

    json_t *q = json_object();
    json_object_set_new(q, "total", json_integer(ev->total));
    json_object_set_new(q, "band", json_string(hf_band_names[ev->band]));
    json_object_set_new(q, "documentation", scaled(ev->documentation_c, 2));
    json_object_set_new(q, "meeting", scaled(ev->meeting_c, 2));
    json_object_set_new(q, "timeliness", scaled(ev->timeliness_c, 2));
    json_t *c = json_object();
    for (int i = 0; i < HF_COMP_COUNT; i++)
        json_object_set_new(c, hf_component_names[i], scaled(ev->component_c[i], 2));
    json_object_set_new(q, "components", c);
    json_object_set_new(o, "quality", q);

    json_t *cm = json_object();
    json_object_set_new(cm, "percent", scaled(ev->percent_d, 1));
    json_object_set_new(cm, "filled", json_integer(ev->filled));
    json_object_set_new(cm, "required", json_integer(HF_ITEM_COUNT));
    json_object_set_new(cm, "missing", id_list(hf_item_ids, HF_ITEM_COUNT, ev->missing));
    json_object_set_new(cm, "not_applicable",
                        id_list(hf_item_ids, HF_ITEM_COUNT, ev->not_applicable));
    json_object_set_new(cm, "invalid", id_list(hf_item_ids, HF_ITEM_COUNT, ev->invalid));
    json_object_set_new(o, "completeness", cm);

    json_t *g = json_object();
    json_object_set_new(g, "ready", json_boolean(ev->ready));
    json_object_set_new(g, "pending_contract", json_boolean(ev->pending_contract));
    json_object_set_new(g, "blockers", id_list(hf_blocker_ids, HF_BLOCK_COUNT, ev->blockers));
    json_object_set_new(o, "gate", g);

    json_object_set_new(o, "flags", id_list(hf_flag_ids, HF_FLAG_COUNT, ev->flags));

    json_t *sla = json_array();
    for (size_t i = 0; i < ev->sla_count; i++) {
        const hf_sla_line *l = &ev->sla[i];
        json_t *e = json_object();
        json_object_set_new(e, "activity", json_string(hf_activity_name(l->activity)));
        json_object_set_new(e, "due", time_or_null(l->due));
        json_object_set_new(e, "done_at", time_or_null(l->done_at));
        json_object_set_new(e, "status", json_string(hf_sla_status_names[l->status]));
        json_object_set_new(e, "escalation", json_integer(l->escalation));
        json_array_append_new(sla, e);
    }
    json_object_set_new(o, "sla", sla);
    return o;
}
