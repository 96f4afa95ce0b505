/* The protocol: the versioned, date-stamped rule set a handoff is evaluated under (SPEC §5).
 *
 * A protocol is a plain value. hf_protocol_default() describes the built-in `2026.1`;
 * hf_protocol_load() overlays a protocol file on it (a top-level key replaces the
 * default's whole value) and validates what SPEC §5 requires. */
#ifndef HANDOFF_PROTOCOL_H
#define HANDOFF_PROTOCOL_H

#include "handoff/error.h"
#include "handoff/time.h"
#include "handoff/tz.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The SLA activities of SPEC §4.6, in the default protocol's order, then `revision`, the
 * extra line that follows a rejection or revision request. */
typedef enum hf_activity {
    HF_ACT_HANDOFF_STARTED = 0,
    HF_ACT_MEETING_HELD,
    HF_ACT_INTRO_SENT,
    HF_ACT_FIRST_CS_CONTACT,
    HF_ACT_CS_PREP_DONE,
    HF_ACT_KICKOFF_SCHEDULED,
    HF_ACT_JOINT_MEETING_HELD,
    HF_ACT_KICKOFF_HELD,
    HF_ACT_REVISION,
    HF_ACT_COUNT
} hf_activity;

/* "handoff_started" ... "revision". */
const char *hf_activity_name(hf_activity a);
/* Parse an activity name of the §4.6 table (not `revision`). */
bool hf_activity_parse(const char *name, hf_activity *out);
/* Who owns an activity, for escalations: true for sales-owned (handoff_started,
 * meeting_held, intro_sent, revision), false for CS-owned. */
bool hf_activity_is_sales_owned(hf_activity a);

typedef enum hf_offset_unit {
    HF_OFFSET_HOURS,
    HF_OFFSET_DAYS,
    HF_OFFSET_BUSINESS_DAYS
} hf_offset_unit;

typedef struct hf_sla_rule {
    hf_activity activity;
    hf_offset_unit unit;
    double amount; /* >= 0 */
} hf_sla_rule;

typedef enum hf_segment {
    HF_SEG_STRATEGIC = 0,
    HF_SEG_ENTERPRISE,
    HF_SEG_MID_MARKET,
    HF_SEG_SMB,
    HF_SEG_COUNT,
    HF_SEG_NONE = -1
} hf_segment;

const char *hf_segment_name(hf_segment s);
bool hf_segment_parse(const char *name, hf_segment *out);

/* Attendee roles of SPEC §3, as bits. */
#define HF_ATTENDEE_ROLE_COUNT 11
extern const char *const hf_attendee_roles[HF_ATTENDEE_ROLE_COUNT];
/* Index of an attendee role, or -1. */
int hf_attendee_role_index(const char *name);

#define HF_PROTOCOL_VERSION_MAX 128
/* One slot per hf_status (lifecycle.h), kept here as a number so that this header does not
 * depend on the lifecycle's. */
#define HF_PROTOCOL_STATUS_SLOTS 9

typedef struct hf_protocol {
    char version[HF_PROTOCOL_VERSION_MAX];
    bool has_effective;
    int64_t effective; /* day number */
    const hf_tz *tz;   /* borrowed from the zone cache */
    int64_t *holidays; /* sorted, distinct day numbers; owned */
    size_t holiday_count;
    hf_sla_rule *sla; /* owned */
    size_t sla_count;
    double revision_hours;
    double escalation_hours[3];
    double standard_payment_days;
    double stale_after_days;
    double docs_min_percent;
    double agenda_lead_hours;
    bool has_implementation_weeks[HF_SEG_COUNT];
    double implementation_weeks[HF_SEG_COUNT];
    /* required attendee roles per segment and for `default`, as bit sets over
     * hf_attendee_roles; has_* false when the protocol's map has no such key. */
    bool has_required[HF_SEG_COUNT];
    unsigned required[HF_SEG_COUNT];
    bool has_required_default;
    unsigned required_default;
    bool has_band[3]; /* excellent, good, acceptable */
    double band[3];
    /* transition_requires (SPEC §2): for each target status (hf_status order), the gate
     * blockers (bits over hf_blocker, evaluate.h) that must be absent to move there. */
    unsigned transition_requires[HF_PROTOCOL_STATUS_SLOTS];
    /* meeting_tolerance_minutes: how long before meeting.scheduled_for a meeting may be
     * recorded as held (a clock skew, an early start). */
    double meeting_tolerance_minutes;
} hf_protocol;

/* Fill `p` with the built-in protocol 2026.1. Cannot fail. Free with hf_protocol_free. */
void hf_protocol_default(hf_protocol *p);

/* Overlay the protocol file `json` on the default. On error returns HF_EINVAL with
 * err->path naming the key (`timezone`, `sla[1]`, `holidays[0]`, `escalation_hours`,
 * `protocol` for a root that is not an object), and leaves `p` empty (freeable). */
int hf_protocol_from_json(const json_t *json, hf_protocol *p, hf_error *err);

/* Read and parse a protocol file from (buf, len). */
int hf_protocol_parse(const char *buf, size_t len, hf_protocol *p, hf_error *err);

/* Release what `p` owns. Accepts an already freed or zeroed protocol. */
void hf_protocol_free(hf_protocol *p);

/* The effective protocol as a JSON object in the file format of SPEC §5 (every key).
 * The caller owns the returned reference (json_decref). */
json_t *hf_protocol_to_json(const hf_protocol *p);

/* True when `day` (a day number) is a holiday of the protocol. */
bool hf_protocol_is_holiday(const hf_protocol *p, int64_t day);

/* The due time of `rule` for a clock started at `t0`. Business days are counted in the
 * protocol's zone as SPEC §4.6 says. */
hf_time hf_sla_due(const hf_protocol *p, const hf_sla_rule *rule, hf_time t0);

#endif
