/* evaluate(document, protocol, now): the pure function at the heart of Handoff (SPEC §4).
 *
 * It reads a validated handoff document and a protocol and computes the quality score,
 * the completeness of the 39 required items, the gate verdict, the red flags and the SLA
 * table. It never reads the clock, the disk or the network; the server, the CLI and the
 * scheduler all call this one implementation.
 *
 * Numbers are computed exactly (rationals) and rounded once, half-up, as SPEC §4 says;
 * the result stores them as scaled integers (hundredths, tenths) so nothing downstream
 * can round them a second time. */
#ifndef HANDOFF_EVALUATE_H
#define HANDOFF_EVALUATE_H

#include "handoff/error.h"
#include "handoff/protocol.h"
#include "handoff/time.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The 39 required items of SPEC §4.2, in order. */
#define HF_ITEM_COUNT 39
extern const char *const hf_item_ids[HF_ITEM_COUNT];

/* Quality components, in the output order of SPEC §4. */
typedef enum hf_component {
    HF_COMP_DEAL_SUMMARY = 0,
    HF_COMP_STAKEHOLDER_MAP,
    HF_COMP_COMMITMENTS,
    HF_COMP_RISK_FACTORS,
    HF_COMP_ATTENDANCE,
    HF_COMP_AGENDA,
    HF_COMP_CS_QUESTIONS,
    HF_COMP_HANDOFF_SLA,
    HF_COMP_INTRO_48H,
    HF_COMP_COUNT
} hf_component;
extern const char *const hf_component_names[HF_COMP_COUNT];

typedef enum hf_band {
    HF_BAND_EXCELLENT = 0,
    HF_BAND_GOOD,
    HF_BAND_ACCEPTABLE,
    HF_BAND_SUBSTANDARD,
    HF_BAND_COUNT
} hf_band;
extern const char *const hf_band_names[HF_BAND_COUNT];

/* Gate blockers of SPEC §4.4, in order. */
typedef enum hf_blocker {
    HF_BLOCK_CONTRACT_NOT_EXECUTED = 0,
    HF_BLOCK_PAYMENT_UNCONFIRMED,
    HF_BLOCK_SYSTEMS_NOT_UPDATED,
    HF_BLOCK_DOCS_INCOMPLETE,
    HF_BLOCK_CS_NOT_ASSIGNED,
    HF_BLOCK_CS_OVER_CAPACITY,
    HF_BLOCK_MEETING_NOT_SCHEDULED,
    HF_BLOCK_COUNT
} hf_blocker;
extern const char *const hf_blocker_ids[HF_BLOCK_COUNT];

/* Red flags of SPEC §4.5, in order. */
typedef enum hf_flag {
    HF_FLAG_PAYMENT_EXTENDED_TERMS = 0,
    HF_FLAG_PAYMENT_DELAY_REQUESTED,
    HF_FLAG_PAYMENT_MISSING_PO,
    HF_FLAG_FINANCE_CONCERNS,
    HF_FLAG_COMMITMENTS_UNVALIDATED,
    HF_FLAG_EXPECTATIONS_TIMELINE_GAP,
    HF_FLAG_INFO_STALE,
    HF_FLAG_CHURN_HIGH,
    HF_FLAG_RISKS_UNMITIGATED_HIGH,
    HF_FLAG_AGENDA_LATE,
    HF_FLAG_REVIEW_REPEATED_REJECTIONS,
    HF_FLAG_STAKEHOLDERS_BLOCKER_UNADDRESSED,
    HF_FLAG_COUNT
} hf_flag;
extern const char *const hf_flag_ids[HF_FLAG_COUNT];

typedef enum hf_sla_status {
    HF_SLA_MET = 0,
    HF_SLA_LATE,
    HF_SLA_PENDING,
    HF_SLA_OVERDUE,
    HF_SLA_NOT_STARTED,
    HF_SLA_STATUS_COUNT
} hf_sla_status;
extern const char *const hf_sla_status_names[HF_SLA_STATUS_COUNT];

typedef struct hf_sla_line {
    hf_activity activity;
    hf_time due;     /* HF_TIME_NONE when not started */
    hf_time done_at; /* HF_TIME_NONE when not done */
    hf_sla_status status;
    int escalation; /* 0-3 */
} hf_sla_line;

typedef struct hf_evaluation {
    char protocol_version[HF_PROTOCOL_VERSION_MAX];
    hf_time now;
    hf_time t0; /* HF_TIME_NONE without a T0 */

    /* quality, in hundredths of a point (1438 = 14.38), each rounded once */
    int64_t total; /* integer points */
    hf_band band;
    int64_t documentation_c;
    int64_t meeting_c;
    int64_t timeliness_c;
    int64_t component_c[HF_COMP_COUNT];

    /* completeness */
    int64_t percent_d; /* tenths of a percent (949 = 94.9) */
    int filled;
    uint64_t missing;        /* bit i = hf_item_ids[i] */
    uint64_t not_applicable; /* bit i */
    uint64_t invalid;        /* bit i */

    /* gate */
    bool ready;
    bool pending_contract;
    unsigned blockers; /* bit i = hf_blocker_ids[i] */

    unsigned flags; /* bit i = hf_flag_ids[i] */

    hf_sla_line *sla; /* owned; protocol order, then the revision line */
    size_t sla_count;
} hf_evaluation;

/* Evaluate a document that passed hf_document_validate. `now` is the evaluation instant.
 * Returns 0, or HF_ENOMEM. Free the result with hf_evaluation_free. */
int hf_evaluate(const json_t *doc, const hf_protocol *protocol, hf_time now, hf_evaluation *out,
                hf_error *err);

/* Release what an evaluation owns. Accepts a zeroed or already freed evaluation. */
void hf_evaluation_free(hf_evaluation *ev);

/* The JSON form of SPEC §4. The caller owns the returned reference. Dump it with
 * HF_EVALUATION_JSON_FLAGS so the rounded numbers print exactly (14.38, 50.0). */
json_t *hf_evaluation_to_json(const hf_evaluation *ev);
#define HF_EVALUATION_JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(15))

/* What a person reads for each id (English msgids; translate with hf_tr). */
extern const char *const hf_blocker_labels[HF_BLOCK_COUNT];
extern const char *const hf_flag_labels[HF_FLAG_COUNT];
extern const char *const hf_activity_labels[HF_ACT_COUNT];
extern const char *const hf_sla_status_labels[HF_SLA_STATUS_COUNT];

/* The band named `name` ("excellent" ... "substandard"), or -1. */
int hf_band_parse(const char *name);

#endif
