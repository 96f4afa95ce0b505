/* The words of a demo deal: everything its document says that depends neither on time nor
 * on its defects (company size, why now, stakeholders and their titles, objectives,
 * commitments, technical details, payment terms, risks, what the meeting notes open with),
 * drawn once per deal from its own stream, plus the small formatting helpers the generator
 * writes text with. */
#include "demo/demo_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void hf__demo_fmt(char *buf, size_t cap, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnprintf(buf, cap, format, ap);
    va_end(ap);
}

/* 1234567 -> "1,234,567" */
static void thousands(long long v, char *buf, size_t cap)
{
    char digits[32];
    hf__demo_fmt(digits, sizeof(digits), "%lld", v < 0 ? -v : v);
    size_t len = strlen(digits), n = 0;
    if (v < 0 && n + 1 < cap)
        buf[n++] = '-';
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0 && n + 1 < cap)
            buf[n++] = ',';
        buf[n++] = digits[i];
    }
    buf[n] = '\0';
}

/* 400000 -> "400k", 1200000 -> "1.2M" */
static void short_amount(long long v, char *buf, size_t cap)
{
    if (v >= 1000000)
        hf__demo_fmt(buf, cap, "%lld.%lldM", v / 1000000, (v % 1000000) / 100000);
    else
        hf__demo_fmt(buf, cap, "%lldk", v / 1000);
}

static const char *const product_features[] = {
    "Case inbox", "SLA dashboards",      "Workflow automation", "Customer portal",
    "Mobile app", "Analytics workspace", "Audit log",           "Public API"};
static const char *const identity_providers[] = {"Okta", "Microsoft Entra ID", "Google Workspace"};
static const char *const clouds[] = {"Azure", "AWS", "Google Cloud", "an on-premise data centre"};
static const char *const competitors[] = {"OpsHub",
                                          "FlowDesk",
                                          "Casewise",
                                          "Trackly",
                                          "ServiceGrid",
                                          "In-house build",
                                          "Status quo (spreadsheets and email)"};
static const char *const partners[] = {"Lumen Consulting", "Andes Partners", "Nusa Digital",
                                       "Iberia Integradores", "BrightPath Consulting"};
static const char *const exec_titles[] = {"COO", "VP Operations", "Chief Digital Officer",
                                          "Chief Customer Officer", "Managing Director"};
static const char *const smb_exec_titles[] = {"CEO", "Founder and CEO", "Managing Director", "COO"};
static const char *const econ_titles[] = {"CFO", "VP Finance", "Finance Director",
                                          "Head of Procurement"};
static const char *const tech_titles[] = {"IT Manager", "Head of IT", "Solutions Architect",
                                          "IT Director", "Integration Lead"};
static const char *const influencer_titles[] = {"Training Coordinator",
                                                "Customer Service Supervisor", "Quality Manager",
                                                "Regional Operations Lead"};
static const char *const blocker_titles[] = {"Head of IT Security", "Legacy system owner",
                                             "Regional Operations Director", "Procurement Manager",
                                             "Data Protection Officer"};
static const char *const blocker_concerns[][2] = {
    {"Fears another tool to maintain",
     "Included in the integration design; admin effort shown to be under 2 hours a week"},
    {"Wanted this budget for the ERP upgrade",
     "Sponsor aligns the budgets at the steering committee"},
    {"Worried about data leaving the country", "Data residency option and DPA reviewed with legal"},
    {"Sees the project as a threat to the team's headcount",
     "Positioned as capacity for growth; involved in the rollout plan"},
    {"Backed the competitor in the evaluation", "Given a role in the pilot; sees results first"},
};
static const char *const communications[] = {
    "email",           "WhatsApp",           "Slack",
    "Microsoft Teams", "phone, short calls", "email; weekly status note"};
static const char *const influences[] = {"high", "medium", "low"};

typedef struct generic_risk {
    const char *category;
    const char *text; /* may have one %s: a competitor, a system or a month */
    const char *severity;
    const char *mitigation;
    char arg; /* 'c' competitor, 's' system, 'm' month, 0 none */
} generic_risk;

static const generic_risk generic_risks[] = {
    {"objection", "Champion worried the field teams will not adopt another app", "medium",
     "Pilot with two super-users per site; mobile training in week 2", 0},
    {"competitive", "%s is still talking to the IT director with a discount", "medium",
     "Exec sponsor briefed; quick win planned for the first 30 days", 'c'},
    {"budget", "Year-2 budget depends on the pilot results", "medium",
     "Success criteria agreed; review with the CFO at month 6", 0},
    {"political", "Regional directors were not consulted before signing", "high",
     "Roadshow in month 1; regional leads join the design sessions", 0},
    {"churn_indicator", "The previous tool was abandoned after eight months", "high",
     "Adoption plan with a monthly usage review", 0},
    {"technical", "%s API rate limits are unknown", "medium",
     "Technical session with customer IT in week 1", 's'},
    {"timeline", "Customer expects go-live before %s", "high",
     "Phase 1 limited to the core inbox; the rest in phase 2", 'm'},
    {"political", "The champion has been in the role for only three months", "medium",
     "Build a second relationship with the executive sponsor", 0},
};

/* Why a meeting or a kickoff slipped. */
static const char *const slip_reasons[] = {
    "the AE was at the sales kickoff", "the CSM was assigned late",
    "nobody booked it until CS chased", "the customer's champion was travelling",
    "the AE was closing two other deals at quarter end"};

static const char *const cancel_reasons[] = {
    "Budget frozen after the customer's parent company announced a restructuring",
    "Customer chose %s after procurement reopened the evaluation",
    "The champion left the company and the customer used the cancellation window",
    "Contract voided: the customer was acquired and moves to the group's contract",
    "Customer's legal team would not countersign the liability cap"};

static const int standard_weeks[HF_SEG_COUNT] = {12, 10, 8, 4};

void hf__demo_first_name(const char *full, char *out, size_t cap)
{
    const char *sp = strchr(full, ' ');
    size_t n = sp ? (size_t)(sp - full) : strlen(full);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, full, n);
    out[n] = '\0';
}

static void amount_text(long long v, const char *currency, char *buf, size_t cap)
{
    char n[32];
    if (v >= 1000000000LL)
        hf__demo_fmt(n, sizeof(n), "%lld.%lldB", v / 1000000000LL,
                     (v % 1000000000LL) / 100000000LL);
    else
        short_amount(v, n, sizeof(n));
    hf__demo_fmt(buf, cap, "%s %s", currency, n);
}

/* Draw a deal's texts. Pure: the same plan (seed, T0, country, industry, segment...) gives
 * the same texts, so they need not be stored. */
void hf__demo_draw_texts(const plan *p, texts *x)
{
    rng r;
    hf__demo_rng_seed(&r, p->seed ^ 0x7E575EEDull);
    const country *k = &hf__demo_countries[p->country];
    const industry *in = &hf__demo_industries[p->industry];
    zone z = k->zone;
    bool small = p->segment == HF_SEG_SMB;
    bool big = p->segment == HF_SEG_STRATEGIC || p->segment == HF_SEG_ENTERPRISE;
    memset(x, 0, sizeof(*x));

    /* customer */
    char emp[32];
    thousands(p->employees, emp, sizeof(emp));
    const char *city = k->cities[hf__demo_rng_index(&r, k->ncities)];
    int nations = hf__demo_rng_int(&r, 3, 14);
    if (small)
        hf__demo_fmt(x->company_size, sizeof(x->company_size), "%s employees; HQ in %s", emp, city);
    else if (p->segment == HF_SEG_STRATEGIC)
        hf__demo_fmt(x->company_size, sizeof(x->company_size),
                     "%s employees, %d %s in %d countries; listed on %s; HQ in %s", emp, p->sites,
                     in->site, nations, k->exchange, city);
    else
        hf__demo_fmt(x->company_size, sizeof(x->company_size), "%s employees, %d %s; HQ in %s", emp,
                     p->sites, in->site, city);
    x->challenge = PICK(&r, in->challenge);
    x->competitors[0] = PICK(&r, competitors);
    x->competitors[1] = PICK(&r, competitors);
    x->ncompetitors =
        x->competitors[1] == x->competitors[0] || hf__demo_rng_chance(&r, 0.4) ? 1 : 2;
    int cycle = small ? hf__demo_rng_int(&r, 1, 3) : hf__demo_rng_int(&r, 3, 9);
    int context_kind = hf__demo_rng_int(&r, 0, 4);
    const char *partner = PICK(&r, partners);
    int pilot_seats = hf__demo_rng_int(&r, 10, 40);
    if (p->trigger == TRIGGER_POC)
        hf__demo_fmt(
            x->purchase_context, sizeof(x->purchase_context),
            "Converted from a %d-week POC run by the solutions team; POC success criteria met "
            "in %s.",
            hf__demo_rng_int(&r, 4, 8), hf__demo_month_after(p->t0, 0));
    else if (context_kind == 0)
        hf__demo_fmt(x->purchase_context, sizeof(x->purchase_context),
                     "Inbound after a webinar; %d-month cycle; security review in %s.", cycle,
                     hf__demo_month_after(p->t0, 11));
    else if (context_kind == 1)
        hf__demo_fmt(x->purchase_context, sizeof(x->purchase_context),
                     "Outbound by an SDR; bake-off against %s; %d-month cycle.", x->competitors[0],
                     cycle);
    else if (context_kind == 2)
        hf__demo_fmt(x->purchase_context, sizeof(x->purchase_context),
                     "Referral from %s; paid POC in %s.", partner, hf__demo_month_after(p->t0, 11));
    else if (context_kind == 3)
        hf__demo_fmt(x->purchase_context, sizeof(x->purchase_context),
                     "Expansion from a %d-seat pilot in %s.", pilot_seats, in->users);
    else
        hf__demo_fmt(x->purchase_context, sizeof(x->purchase_context),
                     "RFP run by procurement; shortlisted with %s; %d-month cycle.",
                     x->competitors[0], cycle);
    int why_kind = hf__demo_rng_int(&r, 0, 3);
    int why_ahead = hf__demo_rng_int(&r, 1, 4);
    int acquired = hf__demo_rng_int(&r, 2, 12);
    if (why_kind == 0)
        hf__demo_fmt(x->why_now, sizeof(x->why_now),
                     "The current tool's contract ends in %s and will not be renewed.",
                     hf__demo_month_after(p->t0, why_ahead));
    else if (why_kind == 1)
        hf__demo_fmt(x->why_now, sizeof(x->why_now), in->why_now,
                     hf__demo_month_after(p->t0, why_ahead));
    else if (why_kind == 2)
        hf__demo_fmt(x->why_now, sizeof(x->why_now),
                     "The new COO wants results to show at the %s board meeting.",
                     hf__demo_month_after(p->t0, why_ahead + 1));
    else
        hf__demo_fmt(x->why_now, sizeof(x->why_now),
                     "The acquisition of %d %s doubled the volume the team handles.", acquired,
                     in->site);

    /* systems */
    x->erp = k->systems[hf__demo_rng_index(&r, 2)];
    x->idp = PICK(&r, identity_providers);
    const char *other = k->systems[2 + hf__demo_rng_index(&r, k->nsystems - 2)];
    x->integrations[0] = x->erp;
    x->integrations[1] = x->idp;
    x->integrations[2] = other;
    x->nintegrations = small ? 1 : strcmp(other, x->idp) == 0 ? 2 : hf__demo_rng_int(&r, 2, 3);

    /* stakeholders */
    for (int i = 0; i < R_COUNT; i++) {
        person_text *pt = &x->people[i];
        hf__demo_fmt(pt->name, sizeof(pt->name), "%s %s",
                     k->first[hf__demo_rng_index(&r, k->nfirst)],
                     k->last[hf__demo_rng_index(&r, k->nlast)]);
        pt->influence = PICK(&r, influences);
        pt->communication = PICK(&r, communications);
        static const char *const relationships[] = {"strong", "moderate", "new"};
        pt->relationship = PICK(&r, relationships);
    }
    x->people[R_EXEC].title = small ? PICK(&r, smb_exec_titles) : PICK(&r, exec_titles);
    x->people[R_EXEC].influence = "high";
    x->people[R_EXEC].enthusiasm = "supporter";
    int pct = hf__demo_rng_int(&r, 2, 6) * 5;
    static const char *const exec_goals[] = {"One operations view for the board",
                                             "Grow without adding headcount"};
    if (hf__demo_rng_chance(&r, 0.5))
        hf__demo_fmt(x->people[R_EXEC].objectives, sizeof(x->people[R_EXEC].objectives),
                     "Cut %s by %d%%", in->saving, pct);
    else
        hf__demo_fmt(x->people[R_EXEC].objectives, sizeof(x->people[R_EXEC].objectives), "%s",
                     PICK(&r, exec_goals));
    x->people[R_CHAMPION].title = in->champion;
    x->people[R_CHAMPION].enthusiasm = "champion";
    x->people[R_CHAMPION].relationship = "strong";
    static const char *const champion_goals[] = {"Stop firefighting email threads",
                                                 "Promotion case: one operations dashboard",
                                                 "Show results within the first quarter"};
    hf__demo_fmt(x->people[R_CHAMPION].objectives, sizeof(x->people[R_CHAMPION].objectives), "%s",
                 PICK(&r, champion_goals));
    x->people[R_ECON].title = PICK(&r, econ_titles);
    static const char *const econ_enthusiasm[] = {"supporter", "neutral", "neutral"};
    x->people[R_ECON].enthusiasm = PICK(&r, econ_enthusiasm);
    int payback = hf__demo_rng_int(&r, 6, 18);
    static const char *const econ_goals[] = {"Predictable cost per site",
                                             "No surprise services invoices"};
    if (hf__demo_rng_chance(&r, 0.5))
        hf__demo_fmt(x->people[R_ECON].objectives, sizeof(x->people[R_ECON].objectives),
                     "Payback within %d months", payback);
    else
        hf__demo_fmt(x->people[R_ECON].objectives, sizeof(x->people[R_ECON].objectives), "%s",
                     PICK(&r, econ_goals));
    x->people[R_TECH].title = small ? "CTO" : PICK(&r, tech_titles);
    static const char *const tech_enthusiasm[] = {"supporter", "neutral", "skeptic"};
    x->people[R_TECH].enthusiasm = PICK(&r, tech_enthusiasm);
    hf__demo_fmt(x->people[R_TECH].objectives, sizeof(x->people[R_TECH].objectives),
                 "SSO and %s integration without new servers to run", x->erp);
    x->user_count = small ? hf__demo_rng_int(&r, 5, 60) : hf__demo_rng_int(&r, 40, 900);
    hf__demo_fmt(x->people[R_USERS].objectives, sizeof(x->people[R_USERS].objectives),
                 "Fewer tools; mobile access on the floor");
    x->has_blocker = hf__demo_rng_chance(&r, big ? 0.45 : 0.2);
    x->people[R_BLOCKER].title = PICK(&r, blocker_titles);
    x->people[R_BLOCKER].enthusiasm = "skeptic";
    size_t concern = hf__demo_rng_index(&r, COUNT_OF(blocker_concerns));
    x->people[R_BLOCKER].concerns = blocker_concerns[concern][0];
    x->people[R_BLOCKER].mitigation = blocker_concerns[concern][1];
    x->has_influencer = hf__demo_rng_chance(&r, 0.25);
    x->people[R_INFLUENCER].title = PICK(&r, influencer_titles);
    x->people[R_INFLUENCER].enthusiasm = "supporter";
    hf__demo_fmt(x->people[R_INFLUENCER].objectives, sizeof(x->people[R_INFLUENCER].objectives),
                 "Training that fits around shifts");

    /* objectives */
    x->objective = PICK(&r, in->objective);
    int c0 = hf__demo_rng_int(&r, 0, 3);
    x->ncriteria = small ? 2 : hf__demo_rng_int(&r, 2, 3);
    for (int i = 0; i < x->ncriteria; i++)
        x->criteria[i] = in->criteria[(c0 + i) % 4];
    long long saved = p->acv * hf__demo_rng_int(&r, 25, 60) / 10;
    char money[48];
    amount_text(saved, p->currency, money, sizeof(money));
    hf__demo_fmt(x->roi, sizeof(x->roi), "%s/year saved in %s; payback in %d months", money,
                 in->saving, payback);
    char champ[32], sponsor[32];
    hf__demo_first_name(x->people[R_CHAMPION].name, champ, sizeof(champ));
    hf__demo_first_name(x->people[R_EXEC].name, sponsor, sizeof(sponsor));
    int wins_kind = hf__demo_rng_int(&r, 0, 2);
    if (wins_kind == 0)
        hf__demo_fmt(x->personal_wins, sizeof(x->personal_wins),
                     "%s presents the results at the %s board meeting; %s meets the cost target.",
                     champ, hf__demo_month_after(p->t0, hf__demo_rng_int(&r, 3, 6)), sponsor);
    else if (wins_kind == 1)
        hf__demo_fmt(x->personal_wins, sizeof(x->personal_wins),
                     "%s wants this as the flagship project for a promotion to director.", champ);
    else
        hf__demo_fmt(
            x->personal_wins, sizeof(x->personal_wins),
            "%s gets the team out of weekend firefighting; %s can show the board a single view.",
            champ, sponsor);

    /* scope */
    x->features[0] = "Case inbox";
    x->features[1] = in->module;
    x->nfeatures = 2;
    int extra = small ? 1 : hf__demo_rng_int(&r, 2, 3);
    for (int i = 0; i < extra; i++) {
        const char *f =
            product_features[1 + hf__demo_rng_index(&r, COUNT_OF(product_features) - 1)];
        bool dup = false;
        for (int j = 0; j < x->nfeatures; j++)
            dup = dup || strcmp(x->features[j], f) == 0;
        if (!dup && x->nfeatures < 5)
            x->features[x->nfeatures++] = f;
    }
    x->customization = small && hf__demo_rng_chance(&r, 0.6) ? "N/A" : PICK(&r, in->customization);
    static const char *const services_small[] = {"N/A", "One remote admin training session"};
    static const char *const services_big[] = {
        "Two remote admin training sessions", "Data migration package (40 hours)",
        "On-site go-live support for one week", "Solution design workshop and admin training"};
    x->services = small ? PICK(&r, services_small) : PICK(&r, services_big);
    x->support_tier = p->segment == HF_SEG_STRATEGIC
                          ? "Premium with a named TAM, 1-hour P1 response"
                      : p->segment == HF_SEG_ENTERPRISE ? "Premium, 4-hour response SLA"
                      : p->segment == HF_SEG_MID_MARKET ? "Standard plus, 8-hour response"
                                                        : "Standard, business hours";
    x->standard_weeks = standard_weeks[p->segment];
    x->timeline_weeks = x->standard_weeks + hf__demo_rng_int(&r, 0, 4);
    x->start_day = hf__demo_local_day(p->t0, z) + hf__demo_rng_int(&r, 7, 12);
    x->go_live_day = x->start_day + 7 * x->timeline_weeks;
    char go_live[HF_TIME_BUFSZ], start[HF_TIME_BUFSZ];
    hf_date_format(x->go_live_day, go_live);
    hf_date_format(x->start_day, start);
    hf__demo_fmt(x->timeline_promised, sizeof(x->timeline_promised), "Live for %s by %s", in->users,
                 go_live);

    /* commitments: a scope one first, then others, the verbal one last */
    int ncommit = small ? hf__demo_rng_int(&r, 1, 2)
                  : big ? hf__demo_rng_int(&r, 2, 4)
                        : hf__demo_rng_int(&r, 2, 3);
    bool wants_verbal = hf__demo_rng_chance(&r, 0.45);
    for (int i = 0; i < MAX_DECISIONS; i++)
        wants_verbal = wants_verbal || (p->review_mask[i] & RD_COMMITMENT);
    x->verbal = -1;
    for (int i = 0; i < ncommit + (wants_verbal ? 1 : 0) && i < 5; i++) {
        commitment_text *c = &x->commitments[i];
        int kind = i == 0 ? 0 : hf__demo_rng_int(&r, 1, 3);
        if (wants_verbal && i == ncommit)
            kind = 4;
        int variant = hf__demo_rng_int(&r, 0, 3);
        int n = hf__demo_rng_int(&r, 6, 24);
        c->due_day = x->start_day + hf__demo_rng_int(&r, 10, 60);
        switch (kind) {
        case 0:
            c->kind = "scope";
            c->owner = "Implementation";
            if (variant == 0)
                hf__demo_fmt(c->text, sizeof(c->text), "Single sign-on with %s", x->idp);
            else if (variant == 1)
                hf__demo_fmt(c->text, sizeof(c->text), "%s enabled for all %s", in->module,
                             in->site);
            else
                hf__demo_fmt(c->text, sizeof(c->text), "%s integration for %s", x->erp, in->object);
            break;
        case 1:
            c->kind = "service";
            c->owner = variant < 2 ? "CSM" : "Professional services";
            if (variant == 0)
                hf__demo_fmt(c->text, sizeof(c->text), "Admin training in %s, two remote sessions",
                             k->language);
            else if (variant == 1)
                hf__demo_fmt(c->text, sizeof(c->text), "Weekly check-ins during the first 90 days");
            else
                hf__demo_fmt(c->text, sizeof(c->text), "Migration of %d months of history", n);
            break;
        case 2:
            c->kind = "timeline";
            c->owner = "Implementation";
            c->due_day = x->go_live_day;
            if (variant < 2)
                hf__demo_fmt(c->text, sizeof(c->text), "Go-live before %s", go_live);
            else
                hf__demo_fmt(c->text, sizeof(c->text), "Pilot live within %d weeks of kickoff",
                             x->timeline_weeks / 2);
            break;
        case 3:
            c->kind = "commercial";
            c->owner = "Finance";
            if (variant == 0)
                hf__demo_fmt(c->text, sizeof(c->text),
                             "Price locked for 24 months on additional seats");
            else if (variant == 1)
                hf__demo_fmt(c->text, sizeof(c->text), "Sandbox environment free for 6 months");
            else
                hf__demo_fmt(c->text, sizeof(c->text),
                             "Onboarding fee waived if go-live slips past %s", go_live);
            break;
        default:
            c->kind = "verbal";
            c->owner = variant < 2 ? "Product" : "CSM";
            x->verbal = i;
            if (variant == 0)
                hf__demo_fmt(c->text, sizeof(c->text),
                             "'We can probably do that': a custom board report by Q%d",
                             hf__demo_rng_int(&r, 1, 4));
            else if (variant == 1)
                hf__demo_fmt(c->text, sizeof(c->text),
                             "Told the champion the mobile app's offline mode is 'coming soon'");
            else if (variant == 2)
                hf__demo_fmt(c->text, sizeof(c->text),
                             "Promised a %s-speaking support agent on every shift", k->language);
            else
                hf__demo_fmt(c->text, sizeof(c->text),
                             "Said the %s connector is on next quarter's roadmap", other);
            break;
        }
        x->ncommitments = i + 1;
    }

    /* technical */
    hf__demo_fmt(x->environment, sizeof(x->environment), "%s, %s, %s", x->erp, x->idp,
                 PICK(&r, clouds));
    int spec_kind = hf__demo_rng_int(&r, 0, 2);
    if (spec_kind == 0)
        hf__demo_fmt(x->specs, sizeof(x->specs), "%s REST API, read-only %s sync every %d minutes",
                     x->erp, in->object, hf__demo_rng_int(&r, 1, 4) * 5);
    else if (spec_kind == 1)
        hf__demo_fmt(x->specs, sizeof(x->specs),
                     "Webhook from %s on status change; nightly batch for history", x->erp);
    else
        hf__demo_fmt(x->specs, sizeof(x->specs), "Daily CSV export from %s over SFTP", x->erp);
    int migration_kind = hf__demo_rng_int(&r, 0, 3);
    if (migration_kind == 0)
        hf__demo_fmt(x->migration, sizeof(x->migration), "%d months of %s from CSV exports",
                     hf__demo_rng_int(&r, 6, 24), in->object);
    else if (migration_kind == 1)
        hf__demo_fmt(x->migration, sizeof(x->migration), "None: starting fresh");
    else if (migration_kind == 2)
        hf__demo_fmt(x->migration, sizeof(x->migration), "N/A");
    else
        hf__demo_fmt(x->migration, sizeof(x->migration), "Open %s only, about %d records",
                     in->object, hf__demo_rng_int(&r, 2, 40) * 100);
    int validation_kind = hf__demo_rng_int(&r, 0, 3);
    if (validation_kind == 0)
        hf__demo_fmt(x->validation, sizeof(x->validation),
                     "Technical validation completed in the %s POC",
                     hf__demo_month_after(p->t0, 11));
    else if (validation_kind == 1)
        hf__demo_fmt(x->validation, sizeof(x->validation),
                     "Sandbox tested by customer IT; SSO still to test");
    else if (validation_kind == 2)
        hf__demo_fmt(x->validation, sizeof(x->validation), "API access confirmed by %s",
                     x->people[R_TECH].name);
    else
        hf__demo_fmt(x->validation, sizeof(x->validation),
                     "Architecture review passed with the customer's security team");

    /* implementation */
    x->milestone_days[0] = x->start_day;
    hf__demo_fmt(x->milestone_names[0], sizeof(x->milestone_names[0]), "Kickoff");
    x->milestone_days[1] = x->start_day + 7 * (x->timeline_weeks / 2);
    hf__demo_fmt(x->milestone_names[1], sizeof(x->milestone_names[1]), "%s integration live",
                 x->erp);
    x->milestone_days[2] = x->go_live_day - 14;
    hf__demo_fmt(x->milestone_names[2], sizeof(x->milestone_names[2]), "Pilot with %s",
                 strchr(in->users, ' ') ? "two super-user teams" : in->users);
    x->milestone_days[3] = x->go_live_day;
    hf__demo_fmt(x->milestone_names[3], sizeof(x->milestone_names[3]), "Go-live");
    hf__demo_fmt(x->resources, sizeof(x->resources), "%s %d%%, two super-users %d%%",
                 x->people[R_TECH].name, hf__demo_rng_int(&r, 2, 5) * 5,
                 hf__demo_rng_int(&r, 1, 3) * 5);
    hf__demo_fmt(x->dependencies[0], sizeof(x->dependencies[0]), "%s tenant access", x->idp);
    hf__demo_fmt(x->dependencies[1], sizeof(x->dependencies[1]), "%s API credentials from %s IT",
                 x->erp, p->company);
    hf__demo_fmt(x->dependencies[2], sizeof(x->dependencies[2]), "Security questionnaire sign-off");
    x->ndependencies = small ? 1 : hf__demo_rng_int(&r, 2, 3);

    /* commercial and payment */
    static const char *const upfront_terms[] = {"Net 30, annual upfront", "Net 45, annual upfront",
                                                "Net 30, annual upfront", "Net 90, annual upfront"};
    static const int upfront_days[] = {30, 45, 30, 90};
    static const char *const installment_terms[] = {"Net 30, quarterly installments",
                                                    "Net 60, quarterly installments",
                                                    "Net 30, monthly installments"};
    static const int installment_days[] = {30, 60, 30};
    x->installments = hf__demo_rng_chance(&r, big ? 0.45 : 0.25);
    size_t term = x->installments ? hf__demo_rng_index(&r, COUNT_OF(installment_terms))
                                  : hf__demo_rng_index(&r, COUNT_OF(upfront_terms));
    x->payment_terms = x->installments ? installment_terms[term] : upfront_terms[term];
    x->terms_days = x->installments ? installment_days[term] : upfront_days[term];
    if (p->country == C_BR && !big && hf__demo_rng_chance(&r, 0.5)) {
        x->payment_terms = "Bank slip (boleto), 28 days, annual upfront";
        x->terms_days = 28;
        x->installments = false;
    }
    x->po_required = big && hf__demo_rng_chance(&r, 0.7);
    x->po_missing = x->po_required && hf__demo_rng_chance(&r, 0.15);
    x->delay_requested = hf__demo_rng_chance(&r, 0.06);
    static const char *const concerns[] = {
        "Customer asked to split the first invoice across two cost centres",
        "Vendor registration in the customer's procurement portal still pending",
        "Withholding tax on the invoice not agreed yet"};
    x->finance_concerns = hf__demo_rng_chance(&r, 0.08) ? PICK(&r, concerns) : NULL;
    static const char *const discounts[] = {"10% multi-year", "15% end-of-quarter",
                                            "5% for annual upfront payment", "None",
                                            "20% strategic logo discount"};
    x->discount = p->years > 1 ? "10% multi-year" : PICK(&r, discounts);
    static const char *const specials[] = {"N/A",
                                           "N/A",
                                           "Termination for convenience after 12 months",
                                           "Price cap of 5% at renewal",
                                           "Data residency in the customer's country",
                                           "Most-favoured-customer clause on list price"};
    x->special_terms = PICK(&r, specials);

    /* risks: the industry's own first, then generic ones */
    x->nrisks = small ? hf__demo_rng_int(&r, 1, 2) : hf__demo_rng_int(&r, 2, 3);
    x->risks[0].category = in->risk.category;
    hf__demo_fmt(x->risks[0].text, sizeof(x->risks[0].text), "%s", in->risk.text);
    x->risks[0].severity = in->risk.severity;
    x->risks[0].mitigation = in->risk.mitigation;
    size_t g = hf__demo_rng_index(&r, COUNT_OF(generic_risks));
    for (int i = 1; i < 3; i++, g = (g + 3) % COUNT_OF(generic_risks)) {
        const generic_risk *gr = &generic_risks[g];
        x->risks[i].category = gr->category;
        const char *arg = gr->arg == 'c'   ? x->competitors[0]
                          : gr->arg == 's' ? x->erp
                          : gr->arg == 'm' ? hf__demo_month_after(p->t0, 3)
                                           : "";
        if (gr->arg)
            hf__demo_fmt(x->risks[i].text, sizeof(x->risks[i].text), gr->text, arg);
        else
            hf__demo_fmt(x->risks[i].text, sizeof(x->risks[i].text), "%s", gr->text);
        x->risks[i].severity = gr->severity;
        x->risks[i].mitigation = gr->mitigation;
    }

    /* the meeting */
    x->extra_attendees = 0;
    if (big && hf__demo_rng_chance(&r, 0.6))
        x->extra_attendees |= 1;
    if (hf__demo_rng_chance(&r, 0.35))
        x->extra_attendees |= 2;
    if (p->segment == HF_SEG_STRATEGIC && hf__demo_rng_chance(&r, 0.4))
        x->extra_attendees |= 4;
    if (p->segment == HF_SEG_STRATEGIC || hf__demo_rng_chance(&r, 0.2))
        x->extra_attendees |= 8;
    x->sales_engineer = hf__demo_rng_int(&r, 0, 2);
    x->implementer = hf__demo_rng_int(&r, 0, 1);
    x->questions_asked = hf__demo_rng_int(&r, 3, 9);
    x->recording = (unsigned)(hf__demo_rng_next(&r) >> 32);
    static const char *const openings[] = {
        "AE walked through the account, the stakeholder map and every commitment.",
        "Good session: CS heard the whole story from the AE and the SE.",
        "Covered the account history, why they bought and what was promised.",
        "AE shared the mutual action plan and the notes from the final negotiation."};
    x->note_opening = PICK(&r, openings);
    x->slip_reason = PICK(&r, slip_reasons);
    static const char *const topics[] = {"the data migration", "who signs off the go-live",
                                         "the verbal commitments", "the integration owner",
                                         "the customer's internal resources"};
    x->open_topic = PICK(&r, topics);
    size_t why_cancel = hf__demo_rng_index(&r, COUNT_OF(cancel_reasons));
    if (strstr(cancel_reasons[why_cancel], "%s"))
        hf__demo_fmt(x->cancel_reason, sizeof(x->cancel_reason), cancel_reasons[why_cancel],
                     x->competitors[0][0] == 'S' || x->competitors[0][0] == 'I'
                         ? "OpsHub"
                         : x->competitors[0]);
    else
        hf__demo_fmt(x->cancel_reason, sizeof(x->cancel_reason), "%s", cancel_reasons[why_cancel]);
    static const char *const accept_comments[] = {
        NULL, NULL, "Thorough handoff, thanks.", "Clear commitments and a realistic plan.",
        "Accepted; we will confirm the integration details at the kickoff."};
    x->accept_comment = PICK(&r, accept_comments);
}
