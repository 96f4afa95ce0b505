/* The protocol (SPEC §5): the built-in default 2026.1, the overlay of a protocol file on
 * it, its validation, and the SLA due-time arithmetic (hours, days, business days in the
 * protocol's time zone).
 *
 * A top-level key of a file replaces the default's whole value. SPEC §5 lists what is
 * refused; other keys are not validated further, so a key whose value has an unusable
 * type (a string where a number belongs) keeps the default's value instead. */
#include "handoff/protocol.h"

#include "core/text.h"
#include "handoff/evaluate.h"
#include "handoff/i18n.h"
#include "handoff/lifecycle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const activity_names[HF_ACT_COUNT] = {
    "handoff_started",   "meeting_held",       "intro_sent",   "first_cs_contact", "cs_prep_done",
    "kickoff_scheduled", "joint_meeting_held", "kickoff_held", "revision"};

const char *hf_activity_name(hf_activity a)
{
    return (unsigned)a < HF_ACT_COUNT ? activity_names[a] : "unknown";
}

bool hf_activity_parse(const char *name, hf_activity *out)
{
    for (int i = 0; i < HF_ACT_REVISION; i++) {
        if (strcmp(name, activity_names[i]) == 0) {
            *out = (hf_activity)i;
            return true;
        }
    }
    return false;
}

bool hf_activity_is_sales_owned(hf_activity a)
{
    return a == HF_ACT_HANDOFF_STARTED || a == HF_ACT_MEETING_HELD || a == HF_ACT_INTRO_SENT ||
           a == HF_ACT_REVISION;
}

static const char *const segment_names[HF_SEG_COUNT] = {"strategic", "enterprise", "mid_market",
                                                        "smb"};

const char *hf_segment_name(hf_segment s)
{
    return (unsigned)s < HF_SEG_COUNT ? segment_names[s] : "";
}

bool hf_segment_parse(const char *name, hf_segment *out)
{
    for (int i = 0; i < HF_SEG_COUNT; i++) {
        if (strcmp(name, segment_names[i]) == 0) {
            *out = (hf_segment)i;
            return true;
        }
    }
    return false;
}

const char *const hf_attendee_roles[HF_ATTENDEE_ROLE_COUNT] = {
    "account_executive",         "sales_engineer", "sales_manager", "csm",
    "implementation_specialist", "cs_manager",     "revops",        "product",
    "professional_services",     "finance",        "customer"};

int hf_attendee_role_index(const char *name)
{
    for (int i = 0; i < HF_ATTENDEE_ROLE_COUNT; i++) {
        if (strcmp(name, hf_attendee_roles[i]) == 0)
            return i;
    }
    return -1;
}

#define ROLE_BIT(i) (1u << (i))
#define ROLE_AE ROLE_BIT(0)
#define ROLE_CSM ROLE_BIT(3)
#define ROLE_CS_MANAGER ROLE_BIT(5)

static const hf_sla_rule default_sla[] = {
    {HF_ACT_HANDOFF_STARTED, HF_OFFSET_HOURS, 24},
    {HF_ACT_MEETING_HELD, HF_OFFSET_HOURS, 48},
    {HF_ACT_INTRO_SENT, HF_OFFSET_HOURS, 48},
    {HF_ACT_FIRST_CS_CONTACT, HF_OFFSET_HOURS, 48},
    {HF_ACT_CS_PREP_DONE, HF_OFFSET_DAYS, 3},
    {HF_ACT_KICKOFF_SCHEDULED, HF_OFFSET_DAYS, 5},
    {HF_ACT_JOINT_MEETING_HELD, HF_OFFSET_BUSINESS_DAYS, 5},
    {HF_ACT_KICKOFF_HELD, HF_OFFSET_DAYS, 10},
};
#define DEFAULT_SLA_COUNT (sizeof(default_sla) / sizeof(default_sla[0]))

/* The default keeps its SLA table in static storage; `sla_owned` tells free() apart. */
void hf_protocol_default(hf_protocol *p)
{
    memset(p, 0, sizeof(*p));
    memcpy(p->version, "2026.1", sizeof("2026.1"));
    p->tz = hf_tz_utc();
    p->sla = (hf_sla_rule *)default_sla;
    p->sla_count = DEFAULT_SLA_COUNT;
    p->revision_hours = 24;
    p->escalation_hours[0] = 0;
    p->escalation_hours[1] = 24;
    p->escalation_hours[2] = 72;
    p->standard_payment_days = 30;
    p->stale_after_days = 7;
    p->docs_min_percent = 100;
    p->agenda_lead_hours = 24;
    static const double weeks[HF_SEG_COUNT] = {12, 10, 8, 4};
    for (int i = 0; i < HF_SEG_COUNT; i++) {
        p->has_implementation_weeks[i] = true;
        p->implementation_weeks[i] = weeks[i];
    }
    p->has_required[HF_SEG_STRATEGIC] = true;
    p->required[HF_SEG_STRATEGIC] = ROLE_AE | ROLE_CSM | ROLE_CS_MANAGER;
    p->has_required_default = true;
    p->required_default = ROLE_AE | ROLE_CSM;
    p->has_band[0] = p->has_band[1] = p->has_band[2] = true;
    p->band[0] = 90;
    p->band[1] = 80;
    p->band[2] = 70;
    /* SPEC §2, guarded transitions */
    p->transition_requires[HF_STATUS_SUBMITTED] = 1u << HF_BLOCK_DOCS_INCOMPLETE;
    p->transition_requires[HF_STATUS_SCHEDULED] =
        (1u << HF_BLOCK_MEETING_NOT_SCHEDULED) | (1u << HF_BLOCK_CS_NOT_ASSIGNED);
    p->transition_requires[HF_STATUS_HELD] =
        ((1u << HF_BLOCK_COUNT) - 1) & ~(1u << HF_BLOCK_MEETING_NOT_SCHEDULED);
    p->transition_requires[HF_STATUS_ACCEPTED] = (1u << HF_BLOCK_COUNT) - 1;
    p->meeting_tolerance_minutes = 60;
}

_Static_assert(HF_PROTOCOL_STATUS_SLOTS == HF_STATUS_COUNT, "one slot per status");
static int refuse(hf_error *err, const char *path, const char *msgid);

/* `transition_requires`: {status: [blocker ids or "ready"]}; a status missing from the
 * object requires nothing. */
static int load_requires(const json_t *v, hf_protocol *p, hf_error *err)
{
    if (!json_is_object(v))
        return refuse(err, "transition_requires", N_("expected an object of statuses"));
    memset(p->transition_requires, 0, sizeof(p->transition_requires));
    const char *key;
    const json_t *list;
    json_object_foreach((json_t *)v, key, list)
    {
        hf_status st;
        char path[HF_ERROR_PATH_MAX];
        snprintf(path, sizeof(path), "transition_requires.%.200s", key);
        if (!hf_status_parse(key, &st) || st == HF_STATUS_DRAFT)
            return refuse(err, path, N_("expected a status to move to"));
        if (!json_is_array(list))
            return refuse(err, path, N_("expected a list of blocker ids"));
        size_t i;
        const json_t *b;
        unsigned bits = 0;
        json_array_foreach(list, i, b)
        {
            const char *id = json_string_value(b);
            int k = -1;
            for (int j = 0; id && j < HF_BLOCK_COUNT; j++)
                if (strcmp(id, hf_blocker_ids[j]) == 0)
                    k = j;
            if (id && strcmp(id, "ready") == 0) {
                bits |= (1u << HF_BLOCK_COUNT) - 1;
                continue;
            }
            if (k < 0) {
                snprintf(path, sizeof(path), "transition_requires.%.200s[%zu]", key, i);
                return refuse(err, path, N_("expected a blocker id or \"ready\""));
            }
            bits |= 1u << k;
        }
        p->transition_requires[st] = bits;
    }
    return 0;
}

void hf_protocol_free(hf_protocol *p)
{
    if (!p)
        return;
    if (p->sla != default_sla)
        free(p->sla);
    free(p->holidays);
    p->sla = NULL;
    p->sla_count = 0;
    p->holidays = NULL;
    p->holiday_count = 0;
}

static int refuse(hf_error *err, const char *path, const char *msgid)
{
    return hf_error_setf_id(err, HF_EINVAL, path, msgid, NULL);
}

/* A key of the protocol file; JSON null means "use the default", like an absent key. */
static const json_t *key_of(const json_t *json, const char *key)
{
    const json_t *v = json_object_get(json, key);
    return v && !json_is_null(v) ? v : NULL;
}

static void number_key(const json_t *json, const char *key, double *dst)
{
    const json_t *v = key_of(json, key);
    if (v && json_is_number(v))
        *dst = json_number_value(v);
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int load_holidays(const json_t *v, hf_protocol *p, hf_error *err)
{
    char path[64];
    if (!json_is_array(v))
        return refuse(err, "holidays", N_("expected an array of YYYY-MM-DD dates"));
    size_t n = json_array_size(v);
    int64_t *days = n ? malloc(n * sizeof(*days)) : NULL;
    if (n && !days)
        return hf_error_set(err, HF_ENOMEM, "holidays", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_string(e) ||
            !hf_date_parse(json_string_value(e), json_string_length(e), &days[i])) {
            free(days);
            snprintf(path, sizeof(path), "holidays[%zu]", i);
            return refuse(err, path, N_("expected a YYYY-MM-DD date"));
        }
    }
    if (n)
        qsort(days, n, sizeof(*days), cmp_day);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k == 0 || days[k - 1] != days[i])
            days[k++] = days[i];
    }
    p->holidays = days;
    p->holiday_count = k;
    return 0;
}

static int load_sla(const json_t *v, hf_protocol *p, hf_error *err)
{
    static const char *const units[] = {"hours", "days", "business_days"};
    char path[64];
    if (!json_is_array(v))
        return refuse(err, "sla", N_("expected an array of SLA entries"));
    size_t n = json_array_size(v);
    hf_sla_rule *rules = calloc(n ? n : 1, sizeof(*rules));
    if (!rules)
        return hf_error_set(err, HF_ENOMEM, "sla", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        snprintf(path, sizeof(path), "sla[%zu]", i);
        const json_t *act = json_is_object(e) ? json_object_get(e, "activity") : NULL;
        if (!act || !json_is_string(act) ||
            !hf_activity_parse(json_string_value(act), &rules[i].activity)) {
            free(rules);
            return refuse(err, path,
                          N_("expected an object with an activity of the SLA table "
                             "(handoff_started, meeting_held, intro_sent, first_cs_contact, "
                             "cs_prep_done, kickoff_scheduled, joint_meeting_held, "
                             "kickoff_held)"));
        }
        int found = 0;
        bool ok = true;
        for (int u = 0; u < 3; u++) {
            const json_t *amount = json_object_get(e, units[u]);
            if (!amount || json_is_null(amount))
                continue;
            found++;
            if (!json_is_number(amount) || !(json_number_value(amount) >= 0) ||
                !isfinite(json_number_value(amount))) {
                ok = false;
                continue;
            }
            rules[i].unit = (hf_offset_unit)u;
            rules[i].amount = json_number_value(amount);
        }
        if (found != 1 || !ok) {
            free(rules);
            return refuse(err, path,
                          N_("expected exactly one of hours, days, business_days as a number "
                             ">= 0"));
        }
    }
    p->sla = rules;
    p->sla_count = n;
    return 0;
}

static void load_roles_map(const json_t *v, hf_protocol *p)
{
    if (!v)
        return;
    for (int s = 0; s < HF_SEG_COUNT; s++)
        p->has_required[s] = false;
    p->has_required_default = false;
    if (!json_is_object(v))
        return;
    const char *key;
    json_t *roles;
    json_object_foreach((json_t *)v, key, roles)
    {
        unsigned bits = 0;
        size_t i;
        json_t *r;
        if (json_is_array(roles)) {
            json_array_foreach(roles, i, r)
            {
                int idx = json_is_string(r) ? hf_attendee_role_index(json_string_value(r)) : -1;
                if (idx >= 0)
                    bits |= ROLE_BIT(idx);
            }
        }
        hf_segment seg;
        if (strcmp(key, "default") == 0) {
            p->has_required_default = true;
            p->required_default = bits;
        } else if (hf_segment_parse(key, &seg)) {
            p->has_required[seg] = true;
            p->required[seg] = bits;
        }
    }
}

int hf_protocol_from_json(const json_t *json, hf_protocol *p, hf_error *err)
{
    int rc = 0;
    hf_protocol_default(p);
    if (!json_is_object(json))
        return refuse(err, "protocol", N_("expected a JSON object"));

    const json_t *v = key_of(json, "version");
    if (v && json_is_string(v)) {
        size_t n = json_string_length(v);
        if (n >= sizeof(p->version))
            n = sizeof(p->version) - 1;
        memcpy(p->version, json_string_value(v), n);
        p->version[n] = '\0';
    }
    v = key_of(json, "effective");
    if (v && json_is_string(v))
        p->has_effective =
            hf_date_parse(json_string_value(v), json_string_length(v), &p->effective);

    v = key_of(json, "timezone");
    if (v) {
        if (!json_is_string(v)) {
            rc = refuse(err, "timezone", N_("expected an IANA time zone name"));
            goto out;
        }
        hf_error tzerr;
        hf_error_clear(&tzerr);
        if (hf_tz_load(json_string_value(v), &p->tz, &tzerr) != 0) {
            rc = hf_error_set(err, HF_EINVAL, "timezone",
                              "expected an IANA time zone name, not \"%s\"", json_string_value(v));
            if (err) {
                err->msgid = N_("expected an IANA time zone name, not \"%s\"");
                snprintf(err->arg, sizeof(err->arg), "%s", json_string_value(v));
            }
            goto out;
        }
    }
    v = key_of(json, "holidays");
    if (v) {
        rc = load_holidays(v, p, err);
        if (rc)
            goto out;
    }
    v = key_of(json, "sla");
    if (v) {
        rc = load_sla(v, p, err);
        if (rc)
            goto out;
    }
    v = key_of(json, "escalation_hours");
    if (v) {
        if (!json_is_array(v) || json_array_size(v) != 3) {
            rc = refuse(err, "escalation_hours", N_("expected 3 numbers"));
            goto out;
        }
        for (size_t i = 0; i < 3; i++) {
            if (!json_is_number(json_array_get(v, i))) {
                rc = refuse(err, "escalation_hours", N_("expected 3 numbers"));
                goto out;
            }
            p->escalation_hours[i] = json_number_value(json_array_get(v, i));
        }
    }
    number_key(json, "revision_hours", &p->revision_hours);
    number_key(json, "standard_payment_days", &p->standard_payment_days);
    number_key(json, "stale_after_days", &p->stale_after_days);
    number_key(json, "docs_min_percent", &p->docs_min_percent);
    number_key(json, "agenda_lead_hours", &p->agenda_lead_hours);
    number_key(json, "meeting_tolerance_minutes", &p->meeting_tolerance_minutes);
    v = key_of(json, "transition_requires");
    if (v) {
        rc = load_requires(v, p, err);
        if (rc)
            goto out;
    }

    /* an object-valued key replaces the default whole; a value of another type is an
     * empty replacement */
    v = key_of(json, "implementation_weeks");
    if (v) {
        for (int s = 0; s < HF_SEG_COUNT; s++) {
            const json_t *w = json_object_get(v, segment_names[s]);
            p->has_implementation_weeks[s] = w && json_is_number(w);
            p->implementation_weeks[s] = p->has_implementation_weeks[s] ? json_number_value(w) : 0;
        }
    }
    load_roles_map(key_of(json, "required_attendees"), p);
    v = key_of(json, "bands");
    if (v) {
        static const char *const band_keys[3] = {"excellent", "good", "acceptable"};
        for (int b = 0; b < 3; b++) {
            const json_t *t = json_object_get(v, band_keys[b]);
            p->has_band[b] = t && json_is_number(t);
            p->band[b] = p->has_band[b] ? json_number_value(t) : 0;
        }
    }
out:
    if (rc)
        hf_protocol_free(p);
    return rc;
}

int hf_protocol_parse(const char *buf, size_t len, hf_protocol *p, hf_error *err)
{
    json_error_t jerr;
    json_t *json = json_loadb(buf, len, 0, &jerr);
    if (!json) {
        hf_protocol_default(p);
        hf_protocol_free(p);
        char where[HF_ERROR_ARG_MAX];
        snprintf(where, sizeof(where), "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        hf_error_setf_id(err, HF_EINVAL, "protocol", N_("invalid JSON at %s"), where);
        if (err) {
            err->line = jerr.line;
            err->column = jerr.column;
        }
        return HF_EINVAL;
    }
    int rc = hf_protocol_from_json(json, p, err);
    json_decref(json);
    return rc;
}

static json_t *number_json(double d)
{
    if (d == floor(d) && fabs(d) < 9e15)
        return json_integer((json_int_t)d);
    return json_real(d);
}

json_t *hf_protocol_to_json(const hf_protocol *p)
{
    static const char *const unit_keys[] = {"hours", "days", "business_days"};
    char buf[HF_TIME_BUFSZ];
    json_t *o = json_object();
    json_object_set_new(o, "version", json_string(p->version));
    if (p->has_effective)
        json_object_set_new(o, "effective", json_string(hf_date_format(p->effective, buf)));
    json_object_set_new(o, "timezone", json_string(hf_tz_name(p->tz)));
    json_t *h = json_array();
    for (size_t i = 0; i < p->holiday_count; i++)
        json_array_append_new(h, json_string(hf_date_format(p->holidays[i], buf)));
    json_object_set_new(o, "holidays", h);
    json_t *sla = json_array();
    for (size_t i = 0; i < p->sla_count; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "activity", json_string(hf_activity_name(p->sla[i].activity)));
        json_object_set_new(e, unit_keys[p->sla[i].unit], number_json(p->sla[i].amount));
        json_array_append_new(sla, e);
    }
    json_object_set_new(o, "sla", sla);
    json_object_set_new(o, "revision_hours", number_json(p->revision_hours));
    json_t *esc = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(esc, number_json(p->escalation_hours[i]));
    json_object_set_new(o, "escalation_hours", esc);
    json_object_set_new(o, "standard_payment_days", number_json(p->standard_payment_days));
    json_object_set_new(o, "stale_after_days", number_json(p->stale_after_days));
    json_object_set_new(o, "docs_min_percent", number_json(p->docs_min_percent));
    json_object_set_new(o, "agenda_lead_hours", number_json(p->agenda_lead_hours));
    json_object_set_new(o, "meeting_tolerance_minutes", number_json(p->meeting_tolerance_minutes));
    json_t *requires = json_object();
    for (int st = 0; st < HF_STATUS_COUNT; st++) {
        unsigned bits = p->transition_requires[st];
        if (!bits)
            continue;
        json_t *list = json_array();
        if (bits == (1u << HF_BLOCK_COUNT) - 1)
            json_array_append_new(list, json_string("ready"));
        else
            for (int b = 0; b < HF_BLOCK_COUNT; b++)
                if (bits & (1u << b))
                    json_array_append_new(list, json_string(hf_blocker_ids[b]));
        json_object_set_new(requires, hf_status_name((hf_status)st), list);
    }
    json_object_set_new(o, "transition_requires", requires);
    json_t *weeks = json_object();
    for (int s = 0; s < HF_SEG_COUNT; s++) {
        if (p->has_implementation_weeks[s])
            json_object_set_new(weeks, segment_names[s], number_json(p->implementation_weeks[s]));
    }
    json_object_set_new(o, "implementation_weeks", weeks);
    json_t *req = json_object();
    for (int s = 0; s <= HF_SEG_COUNT; s++) {
        bool has = s < HF_SEG_COUNT ? p->has_required[s] : p->has_required_default;
        unsigned bits = s < HF_SEG_COUNT ? p->required[s] : p->required_default;
        if (!has)
            continue;
        json_t *roles = json_array();
        for (int r = 0; r < HF_ATTENDEE_ROLE_COUNT; r++) {
            if (bits & ROLE_BIT(r))
                json_array_append_new(roles, json_string(hf_attendee_roles[r]));
        }
        json_object_set_new(req, s < HF_SEG_COUNT ? segment_names[s] : "default", roles);
    }
    json_object_set_new(o, "required_attendees", req);
    json_t *bands = json_object();
    static const char *const band_keys[3] = {"excellent", "good", "acceptable"};
    for (int b = 0; b < 3; b++) {
        if (p->has_band[b])
            json_object_set_new(bands, band_keys[b], number_json(p->band[b]));
    }
    json_object_set_new(o, "bands", bands);
    return o;
}

bool hf_protocol_is_holiday(const hf_protocol *p, int64_t day)
{
    return p->holiday_count &&
           bsearch(&day, p->holidays, p->holiday_count, sizeof(int64_t), cmp_day) != NULL;
}

/* Offsets are clamped to this many seconds (about 10,000 years) so that no protocol can
 * overflow the arithmetic below. */
#define MAX_OFFSET_SECONDS 315569260000.0
#define MAX_BUSINESS_DAYS 2600000

static bool is_weekend(int64_t day)
{
    int w = hf_weekday(day);
    return w == 0 || w == 6;
}

/* The n-th weekday (Mon-Fri) after `day`, n >= 0 (n = 0 is `day`). Closed form. */
static int64_t add_weekdays(int64_t day, int64_t n)
{
    if (n == 0)
        return day;
    /* move back to the last weekday on or before `day`, counting from there is the same */
    while (is_weekend(day))
        day--;
    int64_t weeks = n / 5, rest = n % 5;
    day += weeks * 7;
    while (rest > 0) {
        day++;
        if (!is_weekend(day))
            rest--;
    }
    return day;
}

/* Count the holidays that fall on weekdays in (from, to]. */
static int64_t weekday_holidays_between(const hf_protocol *p, int64_t from, int64_t to)
{
    int64_t k = 0;
    for (size_t i = 0; i < p->holiday_count; i++) {
        int64_t h = p->holidays[i];
        if (h > from && h <= to && !is_weekend(h))
            k++;
    }
    return k;
}

hf_time hf_sla_due(const hf_protocol *p, const hf_sla_rule *rule, hf_time t0)
{
    double amount = rule->amount;
    if (rule->unit != HF_OFFSET_BUSINESS_DAYS) {
        double secs = amount * (rule->unit == HF_OFFSET_HOURS ? 3600.0 : 86400.0);
        if (secs > MAX_OFFSET_SECONDS)
            secs = MAX_OFFSET_SECONDS;
        return t0 + (int64_t)floor(secs);
    }
    double whole = floor(amount);
    int64_t n = whole > MAX_BUSINESS_DAYS ? MAX_BUSINESS_DAYS : (int64_t)whole;
    if (n == 0)
        return t0;
    /* T0's local date and wall-clock time in the protocol zone */
    int64_t local = t0 + hf_tz_offset_at(p->tz, t0);
    int64_t day = local / 86400, secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        day--;
    }
    /* Count n weekdays after `day`; each weekday holiday passed costs one more day. */
    int64_t cur = day, remaining = n;
    while (remaining > 0) {
        int64_t next = add_weekdays(cur, remaining);
        remaining = weekday_holidays_between(p, cur, next);
        cur = next;
    }
    return hf_tz_local_to_utc(p->tz, cur * 86400 + secs);
}
