/* Parsing and validation of the handoff document (SPEC §3), and the value conventions the
 * evaluation reads it with (absent, filled, N/A).
 *
 * Validation checks exactly the rules of SPEC §3 and nothing more: other fields are not
 * type-checked, a value of an unexpected type simply does not count as filled. The first
 * wrong field is reported with its path, in document order of the spec's field list. */
#include "handoff/document.h"

#include "core/text.h"
#include "handoff/i18n.h"
#include "handoff/protocol.h"

#include <stdio.h>
#include <string.h>

bool hf_value_is_absent(const json_t *v)
{
    if (!v || json_is_null(v))
        return true;
    return json_is_string(v) && json_string_length(v) == 0;
}

bool hf_value_is_filled(const json_t *v)
{
    if (!v)
        return false;
    if (json_is_number(v) || json_is_boolean(v))
        return true;
    if (json_is_string(v))
        return !hf__text_is_blank(json_string_value(v), json_string_length(v));
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            if (hf_value_is_filled(e))
                return true;
        }
    }
    return false;
}

bool hf_value_is_na(const json_t *v)
{
    if (!v || !json_is_string(v))
        return false;
    return hf__text_is_na(json_string_value(v), json_string_length(v));
}

bool hf_value_number(const json_t *v, double *out)
{
    if (!v || !json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

bool hf_value_time(const json_t *v, hf_time *out)
{
    if (!v || !json_is_string(v))
        return false;
    return hf_time_parse_rfc3339(json_string_value(v), json_string_length(v), out);
}

json_t *hf_doc_get(const json_t *doc, const char *path)
{
    const json_t *cur = doc;
    const char *p = path;
    char key[64];
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof(key) || !json_is_object(cur))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        cur = json_object_get(cur, key);
        p += n + (dot ? 1 : 0);
    }
    return (json_t *)cur;
}

/* ---- validation ---- */

static const char *const segments[] = {"strategic", "enterprise", "mid_market", "smb"};
static const char *const triggers[] = {"contract_signature", "verbal_commit", "poc_conversion"};
static const char *const churn_levels[] = {"low", "medium", "high"};
static const char *const commitment_kinds[] = {"scope", "service", "timeline", "commercial",
                                               "verbal"};
static const char *const severities[] = {"low", "medium", "high"};
static const char *const stakeholder_roles[] = {"executive_sponsor", "champion",  "economic_buyer",
                                                "technical_lead",    "end_users", "blocker",
                                                "influencer"};
static const char *const decisions[] = {"accepted", "needs_revision", "rejected"};

static int invalid(hf_error *err, const char *path, const char *msgid)
{
    return hf_error_setf_id(err, HF_EINVAL, path, msgid, NULL);
}

static int check_object(const json_t *v, const char *path, hf_error *err)
{
    if (hf_value_is_absent(v) || json_is_object(v))
        return 0;
    return invalid(err, path, N_("expected an object"));
}

static int check_array(const json_t *v, const char *path, bool na_allowed, hf_error *err)
{
    if (hf_value_is_absent(v) || json_is_array(v))
        return 0;
    if (na_allowed) {
        if (hf_value_is_na(v))
            return 0;
        return invalid(err, path, N_("expected an array or \"N/A\""));
    }
    return invalid(err, path, N_("expected an array"));
}

#define ENUM(a) (a), (sizeof(a) / sizeof((a)[0]))

static int check_enum(const json_t *v, const char *path, const char *const *values, size_t count,
                      bool required, hf_error *err)
{
    const char *msgid = N_("expected one of %s");
    if (hf_value_is_absent(v)) {
        if (!required)
            return 0;
        msgid = N_("required: expected one of %s");
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v);
        for (size_t i = 0; i < count; i++) {
            if (strcmp(s, values[i]) == 0)
                return 0;
        }
    }
    char list[HF_ERROR_ARG_MAX];
    hf__join_words(list, sizeof(list), values, count);
    return hf_error_setf_id(err, HF_EINVAL, path, msgid, list);
}

static int check_time(const json_t *v, const char *path, bool required, hf_error *err)
{
    hf_time t;
    if (hf_value_is_absent(v)) {
        if (!required)
            return 0;
        return invalid(err, path, N_("required: expected an RFC 3339 timestamp with an offset"));
    }
    if (hf_value_time(v, &t))
        return 0;
    return invalid(err, path, N_("expected an RFC 3339 timestamp with an offset"));
}

static int check_number(const json_t *v, const char *path, hf_error *err)
{
    if (hf_value_is_absent(v) || json_is_number(v))
        return 0;
    return invalid(err, path, N_("expected a number"));
}

/* Path buffer helpers: `base.key` and `base[i].key`. */
static const char *path_key(char *buf, size_t cap, const char *base, const char *key)
{
    snprintf(buf, cap, "%s.%s", base, key);
    return buf;
}

static const char *path_index(char *buf, size_t cap, const char *base, size_t i, const char *key)
{
    if (key)
        snprintf(buf, cap, "%s[%zu].%s", base, i, key);
    else
        snprintf(buf, cap, "%s[%zu]", base, i);
    return buf;
}

/* Validate every element of an array of objects at `base`, calling `each` on objects. */
typedef int (*element_check)(const json_t *elem, const char *base, size_t i, hf_error *err);

static int check_elements(const json_t *arr, const char *base, element_check each, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    size_t i;
    json_t *e;
    int rc = 0;
    if (!json_is_array(arr))
        return 0;
    json_array_foreach(arr, i, e)
    {
        if (hf_value_is_absent(e))
            continue; /* null and "" are absent everywhere, inside lists too */
        if (!json_is_object(e))
            return invalid(err, path_index(path, sizeof(path), base, i, NULL),
                           N_("expected an object"));
        if (each) {
            rc = each(e, base, i, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int check_stakeholder(const json_t *e, const char *base, size_t i, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    return check_enum(json_object_get(e, "role"), path_index(path, sizeof(path), base, i, "role"),
                      ENUM(stakeholder_roles), true, err);
}

static int check_commitment(const json_t *e, const char *base, size_t i, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    return check_enum(json_object_get(e, "kind"), path_index(path, sizeof(path), base, i, "kind"),
                      ENUM(commitment_kinds), false, err);
}

static int check_risk(const json_t *e, const char *base, size_t i, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    return check_enum(json_object_get(e, "severity"),
                      path_index(path, sizeof(path), base, i, "severity"), ENUM(severities), false,
                      err);
}

static int check_attendee(const json_t *e, const char *base, size_t i, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    return check_enum(json_object_get(e, "role"), path_index(path, sizeof(path), base, i, "role"),
                      hf_attendee_roles, HF_ATTENDEE_ROLE_COUNT, true, err);
}

static int check_decision(const json_t *e, const char *base, size_t i, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    int rc =
        check_enum(json_object_get(e, "decision"),
                   path_index(path, sizeof(path), base, i, "decision"), ENUM(decisions), true, err);
    if (rc)
        return rc;
    return check_time(json_object_get(e, "at"), path_index(path, sizeof(path), base, i, "at"), true,
                      err);
}

/* The object-typed fields of SPEC §3, parents before children. */
static const char *const object_paths[] = {
    "deal",     "deal.owner",      "deal.payment",   "customer",   "objectives",
    "scope",    "technical",       "implementation", "commercial", "team",
    "team.csm", "team.cs_manager", "readiness",      "meeting",    "meeting.cs_questions",
    "timeline", "review"};

static const char *const deal_time_paths[] = {"deal.contract_signed_at", "deal.verbal_commit_at"};
static const char *const meeting_time_paths[] = {"meeting.scheduled_for", "meeting.agenda_sent_at",
                                                 "meeting.held_at"};

int hf_document_validate(const json_t *doc, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    int rc = 0;
    if (!json_is_object(doc))
        return invalid(err, "document", N_("expected a JSON object"));

    for (size_t i = 0; i < sizeof(object_paths) / sizeof(object_paths[0]); i++) {
        rc = check_object(hf_doc_get(doc, object_paths[i]), object_paths[i], err);
        if (rc)
            return rc;
    }

    /* deal */
    rc = check_enum(hf_doc_get(doc, "deal.segment"), "deal.segment", ENUM(segments), false, err);
    if (rc)
        return rc;
    rc = check_enum(hf_doc_get(doc, "deal.trigger"), "deal.trigger", ENUM(triggers), false, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < 2; i++) {
        rc = check_time(hf_doc_get(doc, deal_time_paths[i]), deal_time_paths[i], false, err);
        if (rc)
            return rc;
    }

    /* stakeholders, commitments, risks */
    const json_t *stakeholders = json_object_get(doc, "stakeholders");
    rc = check_array(stakeholders, "stakeholders", false, err);
    if (rc)
        return rc;
    rc = check_elements(stakeholders, "stakeholders", check_stakeholder, err);
    if (rc)
        return rc;
    const json_t *commitments = json_object_get(doc, "commitments");
    rc = check_array(commitments, "commitments", true, err);
    if (rc)
        return rc;
    rc = check_elements(commitments, "commitments", check_commitment, err);
    if (rc)
        return rc;
    const json_t *risks = json_object_get(doc, "risks");
    rc = check_array(risks, "risks", true, err);
    if (rc)
        return rc;
    rc = check_elements(risks, "risks", check_risk, err);
    if (rc)
        return rc;
    rc = check_enum(json_object_get(doc, "churn_risk"), "churn_risk", ENUM(churn_levels), false,
                    err);
    if (rc)
        return rc;

    /* meeting */
    for (size_t i = 0; i < 3; i++) {
        rc = check_time(hf_doc_get(doc, meeting_time_paths[i]), meeting_time_paths[i], false, err);
        if (rc)
            return rc;
    }
    const json_t *attendees = hf_doc_get(doc, "meeting.attendees");
    rc = check_array(attendees, "meeting.attendees", false, err);
    if (rc)
        return rc;
    rc = check_elements(attendees, "meeting.attendees", check_attendee, err);
    if (rc)
        return rc;
    rc = check_array(hf_doc_get(doc, "meeting.segments_covered"), "meeting.segments_covered", false,
                     err);
    if (rc)
        return rc;
    rc = check_number(hf_doc_get(doc, "meeting.cs_questions.asked"), "meeting.cs_questions.asked",
                      err);
    if (rc)
        return rc;
    rc = check_number(hf_doc_get(doc, "meeting.cs_questions.answered"),
                      "meeting.cs_questions.answered", err);
    if (rc)
        return rc;

    /* timeline: every key ending in _at is a timestamp */
    const json_t *timeline = json_object_get(doc, "timeline");
    if (json_is_object(timeline)) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)timeline, key, v)
        {
            size_t n = strlen(key);
            if (n >= 3 && strcmp(key + n - 3, "_at") == 0) {
                rc = check_time(v, path_key(path, sizeof(path), "timeline", key), false, err);
                if (rc)
                    return rc;
            }
        }
    }

    /* review */
    const json_t *history = hf_doc_get(doc, "review.history");
    rc = check_array(history, "review.history", false, err);
    if (rc)
        return rc;
    rc = check_elements(history, "review.history", check_decision, err);
    if (rc)
        return rc;

    return check_time(json_object_get(doc, "updated_at"), "updated_at", false, err);
}

int hf_document_parse(const char *buf, size_t len, json_t **out, hf_error *err)
{
    *out = NULL;
    if (len > HF_DOCUMENT_MAX_BYTES)
        return hf_error_set(err, HF_EINVAL, "document", "document is larger than %u bytes",
                            HF_DOCUMENT_MAX_BYTES);
    json_error_t jerr;
    json_t *doc = json_loadb(buf, len, 0, &jerr);
    if (!doc) {
        char where[HF_ERROR_ARG_MAX];
        snprintf(where, sizeof(where), "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        hf_error_setf_id(err, HF_EINVAL, "document", N_("invalid JSON at %s"), where);
        if (err) {
            err->line = jerr.line;
            err->column = jerr.column;
        }
        return HF_EINVAL;
    }
    int rc = hf_document_validate(doc, err);
    if (rc) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}
