/* The handoff editor's fields and the form -> document mapping (editor_form.h). */
#include "server/editor_form.h"

#include "handoff/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const segments[] = {"strategic", "enterprise", "mid_market", "smb", NULL};
static const char *const segments_labels[] = {N_("Strategic"), N_("Enterprise"), N_("Mid-market"),
                                              N_("SMB")};
static const char *const triggers[] = {"contract_signature", "verbal_commit", "poc_conversion",
                                       NULL};
static const char *const triggers_labels[] = {N_("Contract signature"), N_("Verbal commit"),
                                              N_("POC conversion")};
static const char *const contract_statuses[] = {"draft", "in_review", "fully_executed", NULL};
static const char *const contract_statuses_labels[] = {N_("Draft contract"), N_("In review"),
                                                       N_("Fully executed")};
static const char *const schedules[] = {"upfront", "installments", NULL};
static const char *const schedules_labels[] = {N_("Upfront"), N_("Installments")};
static const char *const roles[] = {"executive_sponsor", "champion",  "economic_buyer",
                                    "technical_lead",    "end_users", "blocker",
                                    "influencer",        NULL};
static const char *const roles_labels[] = {
    N_("Executive sponsor"), N_("Champion"), N_("Economic buyer"), N_("Technical lead"),
    N_("End users"),         N_("Blocker"),  N_("Influencer")};
static const char *const levels[] = {"high", "medium", "low", NULL};
static const char *const levels_labels[] = {N_("High"), N_("Medium"), N_("Low")};
static const char *const enthusiasms[] = {"champion", "supporter", "neutral", "skeptic", NULL};
static const char *const enthusiasms_labels[] = {N_("Champion"), N_("Supporter"), N_("Neutral"),
                                                 N_("Skeptic")};
static const char *const relationships[] = {"strong", "moderate", "new", NULL};
static const char *const relationships_labels[] = {N_("Strong"), N_("Moderate"), N_("New")};
static const char *const kinds[] = {"scope", "service", "timeline", "commercial", "verbal", NULL};
static const char *const kinds_labels[] = {N_("Scope"), N_("Service"), N_("Timeline"),
                                           N_("Commercial"), N_("Verbal")};
static const char *const categories[] = {"objection",       "competitive", "budget",   "political",
                                         "churn_indicator", "technical",   "timeline", NULL};
static const char *const categories_labels[] = {
    N_("Objection"),       N_("Competitive"), N_("Budget"),  N_("Political"),
    N_("Churn indicator"), N_("Technical"),   N_("Timeline")};
static const char *const severities[] = {"low", "medium", "high", NULL};
static const char *const severities_labels[] = {N_("Low"), N_("Medium"), N_("High")};

#define F(path, kind, label)                                                                       \
    {                                                                                              \
        path, kind, label, NULL, NULL, false                                                       \
    }
#define FN(path, kind, label)                                                                      \
    {                                                                                              \
        path, kind, label, NULL, NULL, true                                                        \
    }
#define E(path, label, opts)                                                                       \
    {                                                                                              \
        path, HF_EF_ENUM, label, opts, opts##_labels, false                                        \
    }

static const hf_ef_field deal_fields[] = {
    F("deal.name", HF_EF_TEXT, N_("Deal name")),
    E("deal.segment", N_("Segment"), segments),
    E("deal.trigger", N_("Trigger"), triggers),
    E("deal.contract_status", N_("Contract status"), contract_statuses),
    F("deal.payment.terms", HF_EF_TEXT, N_("Payment terms (as agreed)")),
    F("deal.payment.terms_days", HF_EF_NUMBER, N_("Payment terms in days")),
    E("deal.payment.schedule", N_("Payment schedule"), schedules),
    F("deal.payment.first_payment_received", HF_EF_BOOL, N_("First payment received")),
    F("deal.payment.schedule_established", HF_EF_BOOL, N_("Installment schedule established")),
};

static const hf_ef_field customer_fields[] = {
    FN("customer.company_name", HF_EF_TEXT, N_("Company name")),
    FN("customer.industry", HF_EF_TEXT, N_("Industry")),
    FN("customer.company_size", HF_EF_TEXT, N_("Company size")),
    FN("customer.business_challenges", HF_EF_TEXTAREA, N_("Business challenges")),
    FN("customer.purchase_context", HF_EF_TEXTAREA, N_("Purchase context")),
    FN("customer.why_now", HF_EF_TEXTAREA, N_("Why now")),
    FN("customer.competitors_evaluated", HF_EF_LIST, N_("Competitors evaluated (one per line)")),
};

static const hf_ef_field stakeholder_fields[] = {
    E("role", N_("Role"), roles),
    F("name", HF_EF_TEXT, N_("Name")),
    F("title", HF_EF_TEXT, N_("Title")),
    F("department", HF_EF_TEXT, N_("Department")),
    F("user_count", HF_EF_NUMBER, N_("Number of users")),
    F("objectives", HF_EF_TEXT, N_("Objectives")),
    E("influence", N_("Influence"), levels),
    E("enthusiasm", N_("Enthusiasm"), enthusiasms),
    E("relationship", N_("Relationship"), relationships),
    F("communication", HF_EF_TEXT, N_("Communication preferences")),
    F("concerns", HF_EF_TEXT, N_("Concerns")),
    F("mitigation", HF_EF_TEXT, N_("Mitigation")),
};
static const hf_ef_group stakeholder_groups[] = {
    {"stakeholders", N_("Stakeholders"), stakeholder_fields, COUNT(stakeholder_fields), false},
};

static const hf_ef_field objectives_fields[] = {
    FN("objectives.primary_objective", HF_EF_TEXTAREA, N_("Primary objective")),
    FN("objectives.success_criteria", HF_EF_LIST, N_("Success criteria (one per line)")),
    FN("objectives.roi_expectation", HF_EF_TEXTAREA, N_("ROI expectation")),
    FN("objectives.personal_wins", HF_EF_TEXTAREA, N_("Personal wins")),
};

static const hf_ef_field scope_fields[] = {
    FN("scope.features", HF_EF_LIST, N_("Features included (one per line)")),
    FN("scope.integrations", HF_EF_LIST, N_("Integrations required (one per line)")),
    FN("scope.customizations", HF_EF_TEXTAREA, N_("Customizations")),
    FN("scope.professional_services", HF_EF_TEXTAREA, N_("Professional services")),
    FN("scope.support_tier", HF_EF_TEXT, N_("Support tier")),
    FN("scope.timeline_promised", HF_EF_TEXT, N_("Timeline promised")),
    F("scope.timeline_weeks", HF_EF_NUMBER, N_("Timeline in weeks")),
};
static const hf_ef_field commitment_fields[] = {
    E("kind", N_("Kind"), kinds),
    F("text", HF_EF_TEXT, N_("Commitment")),
    F("owner", HF_EF_TEXT, N_("Owner")),
    F("due", HF_EF_DATE, N_("Due")),
    F("in_contract", HF_EF_BOOL, N_("In the contract")),
    F("validated_by_cs", HF_EF_BOOL, N_("Validated by CS")),
};
static const hf_ef_group scope_groups[] = {
    {"commitments", N_("Commitments"), commitment_fields, COUNT(commitment_fields), true},
};

static const hf_ef_field technical_fields[] = {
    FN("technical.environment", HF_EF_TEXTAREA, N_("Technology environment")),
    FN("technical.integration_specs", HF_EF_TEXTAREA, N_("Integration specifications")),
    FN("technical.data_migration", HF_EF_TEXTAREA, N_("Data migration")),
    FN("technical.security_compliance", HF_EF_TEXTAREA, N_("Security and compliance")),
    FN("technical.validation_status", HF_EF_TEXT, N_("Technical validation status")),
};

static const hf_ef_field implementation_fields[] = {
    FN("implementation.start_date", HF_EF_DATE, N_("Start date")),
    FN("implementation.go_live_target", HF_EF_DATE, N_("Go-live target")),
    FN("implementation.customer_resources", HF_EF_TEXTAREA, N_("Customer resources")),
    FN("implementation.dependencies", HF_EF_LIST, N_("Dependencies (one per line)")),
};
static const hf_ef_field milestone_fields[] = {
    F("name", HF_EF_TEXT, N_("Milestone")),
    F("date", HF_EF_DATE, N_("Date")),
};
static const hf_ef_group implementation_groups[] = {
    {"implementation.milestones", N_("Milestones"), milestone_fields, COUNT(milestone_fields),
     false},
};

static const hf_ef_field commercial_fields[] = {
    FN("commercial.acv", HF_EF_NUMBER, N_("Annual contract value (ACV)")),
    F("commercial.tcv", HF_EF_NUMBER, N_("Total contract value (TCV)")),
    F("commercial.currency", HF_EF_TEXT, N_("Currency")),
    FN("commercial.payment_terms", HF_EF_TEXT, N_("Payment terms")),
    FN("commercial.discount", HF_EF_TEXT, N_("Discount")),
    FN("commercial.special_terms", HF_EF_TEXTAREA, N_("Special terms")),
};

static const hf_ef_field risk_fields[] = {
    E("churn_risk", N_("Churn risk (your judgement)"), severities),
};
static const hf_ef_field risk_row_fields[] = {
    E("category", N_("Category"), categories),
    F("text", HF_EF_TEXT, N_("Risk")),
    E("severity", N_("Severity"), severities),
    F("mitigation", HF_EF_TEXT, N_("Mitigation")),
};
static const hf_ef_group risk_groups[] = {
    {"risks", N_("Risks"), risk_row_fields, COUNT(risk_row_fields), true},
};

static const hf_ef_field readiness_fields[] = {
    F("readiness.crm_updated", HF_EF_BOOL, N_("CRM updated")),
    F("readiness.finance_record", HF_EF_BOOL, N_("Finance record created")),
    F("readiness.cs_platform_account", HF_EF_BOOL, N_("CS platform account created")),
    F("readiness.support_entitled", HF_EF_BOOL, N_("Support entitlement set")),
};

static const hf_ef_field action_fields[] = {
    F("owner", HF_EF_TEXT, N_("Owner")),
    F("text", HF_EF_TEXT, N_("Action")),
    F("due", HF_EF_DATE, N_("Due")),
    F("done", HF_EF_BOOL, N_("Done")),
};
static const hf_ef_group action_groups[] = {
    {"meeting.action_items", N_("Action items"), action_fields, COUNT(action_fields), false},
};

#define S(id, title, hint, fields, groups)                                                         \
    {                                                                                              \
        id, title, hint, fields, COUNT(fields), groups, COUNT(groups)                              \
    }
#define SF(id, title, hint, fields)                                                                \
    {                                                                                              \
        id, title, hint, fields, COUNT(fields), NULL, 0                                            \
    }
#define SG(id, title, hint, groups)                                                                \
    {                                                                                              \
        id, title, hint, NULL, 0, groups, COUNT(groups)                                            \
    }

const hf_ef_section hf_ef_sections[] = {
    SF("deal", N_("Deal"),
       N_("The contract and the payment: CS starts only on an executed contract with payment "
          "confirmed."),
       deal_fields),
    SF("customer", N_("Customer overview"),
       N_("Who the customer is, the problems they are buying to solve, and why they are buying "
          "now, so CS never re-asks what the customer already answered."),
       customer_fields),
    SG("stakeholders", N_("Stakeholder map"),
       N_("Executive sponsor, champion, economic buyer, technical lead and end users with name "
          "and title; blockers and skeptics with their concerns and how to handle them."),
       stakeholder_groups),
    SF("objectives", N_("Business objectives"),
       N_("The problem being solved, measurable success criteria, the ROI the customer expects "
          "and what each key stakeholder wins personally."),
       objectives_fields),
    S("scope", N_("Scope and commitments"),
      N_("What was sold and every promise made, verbal ones included: CS validates each "
         "commitment so nothing is forgotten."),
      scope_fields, scope_groups),
    SF("technical", N_("Technical requirements"),
       N_("The customer's systems, integrations, data migration, security needs and how far "
          "the technical validation went."),
       technical_fields),
    S("implementation", N_("Implementation plan"),
      N_("Start date, go-live target, key milestones with dates, the customer's people and "
         "time, and what the plan depends on."),
      implementation_fields, implementation_groups),
    SF("commercial", N_("Commercial terms"),
       N_("Contract value, discount, payment terms and any non-standard provision CS must "
          "honour."),
       commercial_fields),
    S("risks", N_("Risk factors"),
      N_("Objections raised in the sales cycle, competitive and budget concerns, politics and "
         "churn indicators, each with its mitigation."),
      risk_fields, risk_groups),
    SF("readiness", N_("Systems readiness"),
       N_("Before the handoff: the CRM, the finance record, the CS platform account and the "
          "support entitlement are in place."),
       readiness_fields),
    SG("actions", N_("Action items"),
       N_("Next steps agreed with CS, each with an owner and a due date."), action_groups),
};
const size_t hf_ef_section_count = COUNT(hf_ef_sections);

/* ---- paths ---- */

static bool is_index(const char *seg, size_t n)
{
    if (n == 0 || n > 6)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)seg[i]))
            return false;
    return true;
}

json_t *hf_ef_get(const json_t *doc, const char *path)
{
    const json_t *cur = doc;
    const char *p = path;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (json_is_array(cur) && is_index(p, n)) {
            cur = json_array_get(cur, strtoul(p, NULL, 10));
        } else if (json_is_object(cur)) {
            char key[128];
            if (n >= sizeof(key))
                return NULL;
            memcpy(key, p, n);
            key[n] = '\0';
            cur = json_object_get(cur, key);
        } else {
            return NULL;
        }
        p += n;
        if (*p == '.')
            p++;
    }
    return (json_t *)cur;
}

/* Set (value != NULL, stolen) or remove (NULL) the key at `path` in objects, creating the
 * objects on the way. A parent that is not an object is replaced by one. */
static void set_path(json_t *doc, const char *path, json_t *value)
{
    json_t *cur = doc;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        char key[128];
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof(key)) {
            json_decref(value);
            return;
        }
        memcpy(key, p, n);
        key[n] = '\0';
        if (!dot) {
            if (value)
                json_object_set_new(cur, key, value);
            else
                json_object_del(cur, key);
            return;
        }
        json_t *next = json_object_get(cur, key);
        if (!json_is_object(next)) {
            if (!value)
                return;
            next = json_object();
            json_object_set_new(cur, key, next);
        }
        cur = next;
        p = dot + 1;
    }
}

static const char *form_str(const json_t *form, const char *name)
{
    const json_t *v = json_object_get(form, name);
    if (json_is_array(v))
        v = json_array_get(v, 0);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* A trimmed copy of s as a JSON string. */
static json_t *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return json_stringn(s, n);
}

/* The JSON value of one field from its form text; NULL when empty. */
static json_t *field_value(const hf_ef_field *f, const char *text, bool checked)
{
    if (f->kind == HF_EF_BOOL)
        return json_boolean(checked);
    if (blank(text))
        return NULL;
    switch (f->kind) {
    case HF_EF_LIST: {
        json_t *a = json_array();
        const char *p = text;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            json_t *s = trimmed(p, n);
            if (s && json_string_length(s))
                json_array_append_new(a, s);
            else
                json_decref(s);
            p += n;
            if (*p == '\n')
                p++;
        }
        return a;
    }
    case HF_EF_NUMBER: {
        char *end;
        json_t *s = trimmed(text, strlen(text));
        const char *t = json_string_value(s);
        long long i = strtoll(t, &end, 10);
        if (*t && *end == '\0') {
            json_decref(s);
            return json_integer(i);
        }
        double d = strtod(t, &end);
        if (*t && *end == '\0' && d == d && d - d == 0) {
            json_decref(s);
            return json_real(d);
        }
        return s; /* kept as typed: it does not count, and the person sees it */
    }
    case HF_EF_TEXTAREA:
        return json_string(text);
    default:
        return trimmed(text, strlen(text));
    }
}

static json_t *group_rows(const hf_ef_group *g, const json_t *form)
{
    char name[256];
    snprintf(name, sizeof(name), "rows:%s", g->path);
    const char *cnt = form_str(form, name);
    long rows = cnt ? strtol(cnt, NULL, 10) : 0;
    if (rows < 0)
        rows = 0;
    if (rows > HF_EF_MAX_ROWS)
        rows = HF_EF_MAX_ROWS;
    json_t *a = json_array();
    for (long i = 0; i < rows; i++) {
        json_t *row = json_object();
        bool any = false;
        for (size_t k = 0; k < g->nfields; k++) {
            const hf_ef_field *f = &g->fields[k];
            snprintf(name, sizeof(name), "%s.%ld.%s", g->path, i, f->path);
            const char *text = form_str(form, name);
            json_t *v = field_value(f, text, text != NULL);
            if (!v)
                continue;
            if (f->kind != HF_EF_BOOL)
                any = true;
            json_object_set_new(row, f->path, v);
        }
        if (any)
            json_array_append_new(a, row);
        else
            json_decref(row);
    }
    return a;
}

json_t *hf_ef_document(const json_t *base, const json_t *form)
{
    json_t *doc = json_is_object(base) ? json_deep_copy(base) : json_object();
    if (!doc)
        return NULL;
    char name[256];
    for (size_t s = 0; s < hf_ef_section_count; s++) {
        const hf_ef_section *sec = &hf_ef_sections[s];
        for (size_t i = 0; i < sec->nfields; i++) {
            const hf_ef_field *f = &sec->fields[i];
            const char *text = form_str(form, f->path);
            snprintf(name, sizeof(name), "na:%s", f->path);
            json_t *v = f->na && form_str(form, name) ? json_string("N/A")
                                                      : field_value(f, text, text != NULL);
            /* an unticked box the document never had stays absent (no noise in history) */
            if (f->kind == HF_EF_BOOL && !text && !json_is_boolean(hf_ef_get(base, f->path))) {
                json_decref(v);
                v = NULL;
            }
            set_path(doc, f->path, v);
        }
        for (size_t i = 0; i < sec->ngroups; i++) {
            const hf_ef_group *g = &sec->groups[i];
            snprintf(name, sizeof(name), "na:%s", g->path);
            json_t *rows = group_rows(g, form);
            if (g->na && form_str(form, name)) {
                json_decref(rows);
                set_path(doc, g->path, json_string("N/A"));
            } else if (json_array_size(rows)) {
                set_path(doc, g->path, rows);
            } else {
                json_decref(rows);
                set_path(doc, g->path, NULL);
            }
        }
    }
    return doc;
}

bool hf_ef_anchor(const char *id, char *buf, size_t cap, const char **label)
{
    for (size_t s = 0; s < hf_ef_section_count; s++) {
        const hf_ef_section *sec = &hf_ef_sections[s];
        for (size_t i = 0; i < sec->nfields; i++) {
            if (strcmp(sec->fields[i].path, id) == 0) {
                snprintf(buf, cap, "%s", id);
                *label = sec->fields[i].label;
                return true;
            }
        }
        for (size_t i = 0; i < sec->ngroups; i++) {
            const hf_ef_group *g = &sec->groups[i];
            size_t n = strlen(g->path);
            if (strncmp(id, g->path, n) == 0 && (id[n] == '\0' || id[n] == '.')) {
                snprintf(buf, cap, "group-%s", g->path);
                *label = g->label;
                if (id[n] == '.') { /* stakeholders.champion: the role's label */
                    for (size_t r = 0; roles[r]; r++)
                        if (strcmp(id + n + 1, roles[r]) == 0)
                            *label = roles_labels[r];
                }
                return true;
            }
        }
    }
    return false;
}

const char *hf_ef_section_of(const char *id)
{
    char buf[160];
    const char *label;
    if (!hf_ef_anchor(id, buf, sizeof(buf), &label))
        return NULL;
    for (size_t s = 0; s < hf_ef_section_count; s++) {
        const hf_ef_section *sec = &hf_ef_sections[s];
        for (size_t i = 0; i < sec->nfields; i++)
            if (strcmp(sec->fields[i].path, id) == 0)
                return sec->id;
        for (size_t i = 0; i < sec->ngroups; i++)
            if (strncmp(id, sec->groups[i].path, strlen(sec->groups[i].path)) == 0)
                return sec->id;
    }
    return NULL;
}
