/* Demo data: a year of realistic deals and handoffs, generated into a store.
 *
 * `handoff demo` and the tests fill a database with the kind of data a revenue operations
 * team would see after a year of running the protocol: companies in several countries and
 * industries, sales reps in regional teams, CSMs with capacities, and for every deal a
 * handoff walked through its lifecycle with the real write path (the service layer:
 * hf_svc_handoff_create, _write, _edit, _transition), so every version, transition and
 * index column is exactly what the product would have stored. Quality varies the way
 * it does in practice: missing stakeholders, verbal promises nobody validated, meetings
 * held late, risks without a mitigation. docs/internals/demo.md tells the design. */
#ifndef HANDOFF_DEMO_H
#define HANDOFF_DEMO_H

#include "handoff/error.h"
#include "handoff/evaluate.h"
#include "handoff/lifecycle.h"
#include "handoff/protocol.h"
#include "handoff/store.h"
#include "handoff/time.h"

#include <stdint.h>

/* Most deals one call generates. */
#define HF_DEMO_MAX_DEALS 100000

/* What one run wrote, read back from the store at the end of each handoff. */
typedef struct hf_demo_stats {
    long deals;       /* deals upserted */
    long handoffs;    /* handoffs created */
    long versions;    /* document versions stored, the creations included */
    long transitions; /* status changes after the creations */
    long by_status[HF_STATUS_COUNT];
    long by_band[HF_BAND_COUNT];
    long by_segment[HF_SEG_COUNT];
    int sales_teams;
    int sales_reps;
    int csms;
    int cs_managers;
} hf_demo_stats;

/* Generate `deals` deals (1 to HF_DEMO_MAX_DEALS), each with one handoff, in workspace `ws`
 * (created when missing), with T0s spread over the 365 days before `now` and every event
 * at or before `now` (a scheduled meeting may lie after it). The same `seed`, `deals` and
 * `now` give the same documents, versions and transitions on any machine: the generator
 * has its own PRNG and reads neither the clock nor the environment. Handoff ids follow
 * T0 order. `p` is the protocol the documents are evaluated under (the bands of the stats
 * are read from the stored index columns).
 *
 * Existing data is left alone: the CRM ids of the new deals continue after the handoffs
 * already in the workspace, so running again adds new deals (the caller decides whether
 * to run on a non-empty workspace; `handoff demo` asks for --force).
 * `stats` (may be NULL) is zeroed, then filled. Returns 0, HF_EUSAGE for a bad count, or
 * the store's error; on error the handoffs generated so far stay in the store. */
int hf_demo_generate(hf_store *s, int64_t ws, int deals, uint64_t seed, hf_time now,
                     const hf_protocol *p, hf_demo_stats *stats, hf_error *err);

#endif
