/* Handoff operations over a store: the rules that tie a document, its evaluation, its
 * version history and its status together, shared by the CLI and the server.
 *
 * Every write goes through here so that the indexed columns always match the document
 * (they are recomputed from hf_evaluate on each write), every change is a new version with
 * its changed field paths, and every status change passes the lifecycle check. The store
 * below knows nothing of these rules; the core above knows nothing of storage. */
#ifndef HANDOFF_HANDOFFS_H
#define HANDOFF_HANDOFFS_H

#include "handoff/evaluate.h"
#include "handoff/lifecycle.h"
#include "handoff/protocol.h"
#include "handoff/store.h"

#include <jansson.h>

/* Fill `ix` (owned strings; free with hf_handoff_index_free) from a document and its
 * evaluation. */
int hf_handoff_index_compute(const json_t *doc, const hf_evaluation *ev, hf_handoff_index *ix,
                             hf_error *err);

/* A draft document for a deal: schema, deal.crm_id/name/owner, customer.company_name,
 * commercial.acv/currency, deal.contract_status draft. New reference. */
json_t *hf_document_from_deal(const hf_deal_rec *deal);

/* Create a handoff holding `doc` (validated here) for `deal_id` (0: none), in `status`.
 * On success *out (may be NULL) receives the stored record. */
int hf_handoff_create(hf_store *s, int64_t ws, int64_t deal_id, hf_status status, json_t *doc,
                      const hf_protocol *p, const char *author, hf_time now, hf_handoff_rec *out,
                      hf_error *err);

/* Replace the document of handoff `id`. `base_version` is the version the caller read
 * (0: the current one, for tools that do not track versions). Sets `updated_at` to `now`
 * when the content changed; an identical document makes no new version (*out is the
 * current record). HF_ECONFLICT when another version landed since `base_version`;
 * HF_EINVAL with the field path when the document is invalid. */
int hf_handoff_put(hf_store *s, int64_t ws, int64_t id, int base_version, json_t *doc,
                   const hf_protocol *p, const char *author, hf_time now, hf_handoff_rec *out,
                   hf_error *err);

/* Apply `path=value` assignments (hf_json_value_from_arg values) to the current document
 * and store the result as hf_handoff_put does. */
int hf_handoff_edit(hf_store *s, int64_t ws, int64_t id, int base_version,
                    const char *const *assignments, size_t count, const hf_protocol *p,
                    const char *author, hf_time now, hf_handoff_rec *out, hf_error *err);

/* Move handoff `id` to `to`, checked by the lifecycle (SPEC §2). Review decisions
 * (accepted, needs_revision, rejected) are also appended to the document's
 * review.history with `reasons` (rejection reason codes, may be NULL); a resubmission sets
 * timeline.resubmitted_at; `held` sets meeting.held_at when it is not set. Those document
 * changes and the status change land in one transaction. */
int hf_handoff_transition(hf_store *s, int64_t ws, int64_t id, hf_status to, const char *reason,
                          const char *const *reasons, size_t reason_count, const hf_protocol *p,
                          const char *actor, hf_time now, hf_error *err);

/* Evaluate the current document of a stored handoff at `now`. */
int hf_handoff_evaluate(const hf_handoff_rec *h, const hf_protocol *p, hf_time now,
                        hf_evaluation *ev, hf_error *err);

#endif
