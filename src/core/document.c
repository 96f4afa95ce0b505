/* Parsing and validation of the handoff document (SPEC §3), and the value conventions the
 * evaluation reads it with (absent, filled, N/A).
 *
 * Validation checks exactly the rules of SPEC §3 and nothing more: other fields are not
 * type-checked, a value of an unexpected type simply does not count as filled. The first
 * wrong field is reported with its path, in document order of the spec's field list. */
#include "handoff/document.h"

#include "core/path.h"
#include "core/text.h"
#include "handoff/i18n.h"
#include "handoff/jsondiff.h"
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
    json_t *doc = hf_json_loadb(buf, len, 0, &jerr);
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

/* ---- limits ---- */

/* The defaults keep the computations that follow a write within their own bounds (see
 * document.h); these fail the build when one of those bounds moves below them. */
_Static_assert(HF_DOC_MAX_DEPTH <= HF_JSON_PATH_MAX_DEPTH, "--set must reach every value");
_Static_assert(HF_DOC_MAX_DEPTH *(HF_DOC_MAX_KEY_BYTES + 4) <= HF_JSON_PATH_MAX,
               "every value must have a path a diff can write");
_Static_assert(2 * HF_DOC_MAX_MEMBERS <= HF_DIFF_MAX_ENTRIES,
               "the diff of two documents must list every change");
_Static_assert(2 * HF_DOC_MAX_TOTAL_BYTES <= HF_DOCUMENT_MAX_BYTES,
               "a document written must parse again, even pretty-printed");
_Static_assert(HF_DOC_MAX_INDEXED_BYTES <= 2048, "a PostgreSQL b-tree entry holds 2704 bytes");

void hf_doc_limits_default(hf_doc_limits *l)
{
    l->max_depth = HF_DOC_MAX_DEPTH;
    l->max_key_bytes = HF_DOC_MAX_KEY_BYTES;
    l->max_string_bytes = HF_DOC_MAX_STRING_BYTES;
    l->max_array_items = HF_DOC_MAX_ARRAY_ITEMS;
    l->max_members = HF_DOC_MAX_MEMBERS;
    l->max_total_bytes = HF_DOC_MAX_TOTAL_BYTES;
    l->max_indexed_bytes = HF_DOC_MAX_INDEXED_BYTES;
}

/* The string fields hf_handoff_index_compute (handoffs.h) copies into index columns. */
static const char *const indexed_paths[] = {"deal.owner.name", "deal.owner.email", "team.csm.name",
                                            "team.csm.email", "customer.company_name"};

/* How many bytes of an over-long key an error path shows. */
#define KEY_SHOWN_BYTES 40
#define ELLIPSIS "\xe2\x80\xa6"

/* One step from the root to the value being checked; steps link to their parent, so the
 * walk keeps its path on the stack and writes it out only for an error. */
typedef struct step_frame {
    const struct step_frame *up;
    const char *key; /* NULL for an array element */
    size_t key_len;
    size_t index;
} step_frame;

typedef struct limits_walk {
    const hf_doc_limits *l;
    hf_error *err;
    size_t members;
    size_t bound; /* at least the compact JSON size of what was walked (every byte escaped
                   * as \u00XX, every number at its longest) */
    char over_path[HF_ERROR_PATH_MAX]; /* the first value past max_members */
} limits_walk;

/* The length of the longest prefix of (s, n) that is at most `max` bytes and does not end
 * inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return max;
}

static void push_frames(hf__path *p, const step_frame *f, const step_frame *cut)
{
    if (!f)
        return;
    push_frames(p, f->up, cut);
    if (!f->key) {
        hf__path_push_index(p, f->index);
    } else if (f == cut) {
        char shown[KEY_SHOWN_BYTES + sizeof(ELLIPSIS)];
        size_t n = utf8_cut(f->key, f->key_len, KEY_SHOWN_BYTES);
        memcpy(shown, f->key, n);
        memcpy(shown + n, ELLIPSIS, sizeof(ELLIPSIS) - 1);
        hf__path_push_key(p, shown, n + sizeof(ELLIPSIS) - 1);
    } else {
        hf__path_push_key(p, f->key, f->key_len);
    }
}

/* The path of `f` in the syntax of jsondiff.h into out (HF_ERROR_PATH_MAX bytes): the
 * key of `cut` (when it is f or above it) shortened; `document` for the root; a path too
 * long for `out` keeps its start and its end around an ellipsis. */
static void frame_path(const step_frame *f, const step_frame *cut, char *out)
{
    char buf[HF_JSON_PATH_MAX + 1];
    hf__path p;
    hf__path_init(&p, buf, sizeof(buf));
    push_frames(&p, f, cut);
    if (p.len == 0) {
        snprintf(out, HF_ERROR_PATH_MAX, "document");
        return;
    }
    if (p.len < HF_ERROR_PATH_MAX && !p.is_over) {
        memcpy(out, buf, p.len + 1);
        return;
    }
    /* start … end, on character boundaries; without the end when even buf was too short */
    size_t room = HF_ERROR_PATH_MAX - 1 - (sizeof(ELLIPSIS) - 1);
    size_t head = utf8_cut(buf, p.len, p.is_over ? room : room / 3);
    size_t tail_from = p.len - (room - head);
    while (tail_from < p.len && ((unsigned char)buf[tail_from] & 0xc0) == 0x80)
        tail_from++;
    size_t tail = p.is_over ? 0 : p.len - tail_from;
    memcpy(out, buf, head);
    memcpy(out + head, ELLIPSIS, sizeof(ELLIPSIS) - 1);
    memcpy(out + head + sizeof(ELLIPSIS) - 1, buf + tail_from, tail);
    out[head + sizeof(ELLIPSIS) - 1 + tail] = '\0';
}

/* The error for a value over a limit: `msgid` takes "VALUE > LIMIT". */
static int over_limit(limits_walk *w, const step_frame *at, const step_frame *cut,
                      const char *msgid, size_t value, size_t limit)
{
    char path[HF_ERROR_PATH_MAX], arg[64];
    frame_path(at, cut, path);
    snprintf(arg, sizeof(arg), "%zu > %zu", value, limit);
    return hf_error_setf_id(w->err, HF_EINVAL, path, msgid, arg);
}

/* Steps from `v` down to its deepest value (0 for a scalar or an empty container). */
static size_t depth_below(const json_t *v)
{
    size_t deepest = 0;
    if (json_is_object(v)) {
        const char *key;
        json_t *m;
        json_object_foreach((json_t *)v, key, m)
        {
            size_t d = 1 + depth_below(m);
            if (d > deepest)
                deepest = d;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            size_t d = 1 + depth_below(e);
            if (d > deepest)
                deepest = d;
        }
    }
    return deepest;
}

static int check_value(limits_walk *w, const json_t *v, const step_frame *at, size_t depth);

/* A member or element `v` at `at`, `depth` steps below the root. The depth is checked
 * before going down, so the walk never goes deeper than max_depth + 1. */
static int check_member(limits_walk *w, const json_t *v, const step_frame *at, size_t depth)
{
    size_t max_depth = w->l->max_depth > 0 ? (size_t)w->l->max_depth : 0;
    if (++w->members == w->l->max_members + 1)
        frame_path(at, NULL, w->over_path);
    if (depth > max_depth)
        /* TRANSLATORS: %s is the depth found and the limit: "2001 > 16". */
        return over_limit(w, at, NULL, N_("nested too deep: %s levels"), depth + depth_below(v),
                          max_depth);
    return check_value(w, v, at, depth);
}

static int check_value(limits_walk *w, const json_t *v, const step_frame *at, size_t depth)
{
    const hf_doc_limits *l = w->l;
    int rc;
    w->bound += json_is_string(v) ? 6 * json_string_length(v) + 3 : 40; /* quotes, a comma */
    if (json_is_string(v)) {
        if (json_string_length(v) > l->max_string_bytes)
            /* TRANSLATORS: %s is the size found and the limit: "140000 > 131072". */
            return over_limit(w, at, NULL, N_("text too long: %s bytes"), json_string_length(v),
                              l->max_string_bytes);
    } else if (json_is_array(v)) {
        if (json_array_size(v) > l->max_array_items)
            /* TRANSLATORS: %s is the count found and the limit: "50000 > 1000". */
            return over_limit(w, at, NULL, N_("list too long: %s items"), json_array_size(v),
                              l->max_array_items);
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            step_frame f = {.up = at, .index = i};
            rc = check_member(w, e, &f, depth + 1);
            if (rc)
                return rc;
        }
    } else if (json_is_object(v)) {
        const char *key;
        size_t key_len;
        json_t *m;
        json_object_keylen_foreach((json_t *)v, key, key_len, m)
        {
            step_frame f = {.up = at, .key = key, .key_len = key_len};
            w->bound += 6 * key_len + 3;
            if (key_len > l->max_key_bytes)
                /* TRANSLATORS: %s is the size found and the limit: "1100 > 128". A key is
                   the name of a field in a JSON object. */
                return over_limit(w, &f, &f, N_("key too long: %s bytes"), key_len,
                                  l->max_key_bytes);
            rc = check_member(w, m, &f, depth + 1);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int count_bytes(const char *buf, size_t size, void *data)
{
    (void)buf;
    *(size_t *)data += size;
    return 0;
}

int hf_document_check_limits(const json_t *doc, const hf_doc_limits *l, hf_error *err)
{
    hf_doc_limits defaults;
    if (!doc)
        return hf_error_set(err, HF_EUSAGE, NULL, "no document");
    if (!l) {
        hf_doc_limits_default(&defaults);
        l = &defaults;
    }
    limits_walk w = {.l = l, .err = err};
    int rc = check_value(&w, doc, NULL, 0);
    if (rc)
        return rc;

    for (size_t i = 0; i < sizeof(indexed_paths) / sizeof(indexed_paths[0]); i++) {
        const json_t *v = hf_doc_get(doc, indexed_paths[i]);
        if (json_is_string(v) && json_string_length(v) > l->max_indexed_bytes) {
            char arg[64];
            snprintf(arg, sizeof(arg), "%zu > %zu", json_string_length(v), l->max_indexed_bytes);
            return hf_error_setf_id(err, HF_EINVAL, indexed_paths[i],
                                    /* TRANSLATORS: %s is the size found and the limit:
                                       "3000 > 1024". The field is a name or an e-mail. */
                                    N_("text too long for this field: %s bytes"), arg);
        }
    }

    if (w.members > l->max_members) {
        char arg[64];
        snprintf(arg, sizeof(arg), "%zu > %zu", w.members, l->max_members);
        /* TRANSLATORS: %s is the count of values in the document and the limit:
           "6000 > 5000". A value is a field or a list element, at any depth. */
        return hf_error_setf_id(err, HF_EINVAL, w.over_path, N_("too many values: %s"), arg);
    }

    /* The size as stored: the store writes compact JSON with 17 significant digits. Only
     * measured when the walk's upper bound does not already say it fits (a dump costs as
     * much as the rest of the checks). */
    if (w.bound <= l->max_total_bytes)
        return 0;
    size_t total = 0;
    if (json_dump_callback(doc, count_bytes, &total,
                           JSON_COMPACT | JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY))
        return hf_error_set(err, HF_ENOMEM, "document", "out of memory");
    if (total > l->max_total_bytes) {
        char arg[64];
        snprintf(arg, sizeof(arg), "%zu > %zu", total, l->max_total_bytes);
        /* TRANSLATORS: %s is the size found and the limit: "600000 > 524288". */
        return hf_error_setf_id(err, HF_EINVAL, "document", N_("document too large: %s bytes"),
                                arg);
    }
    return 0;
}
