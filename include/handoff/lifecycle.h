/* The handoff status machine (SPEC §2) as pure code.
 *
 * A handoff moves draft → submitted → scheduled → held → accepted | needs_revision |
 * rejected → (submitted again after a correction) → … → completed, and can be cancelled
 * from any state before completed. This header is the one place that says which moves are
 * legal; the store records them, the server and the CLI ask here before they move, and the
 * pages use hf_lifecycle_allowed() to decide which buttons to show. Nothing here reads the
 * database or the clock: what the rules need to know about the handoff (was it a pre-close
 * handoff, was a meeting held, is there a reason) comes in an hf_transition_ctx.
 * docs/internals/lifecycle.md has the table and the reasons behind each rule. */
#ifndef HANDOFF_LIFECYCLE_H
#define HANDOFF_LIFECYCLE_H

#include "handoff/error.h"

#include <stdbool.h>

/* The statuses, in lifecycle order. The values are stored in the database: append only. */
typedef enum hf_status {
    HF_STATUS_DRAFT = 0,
    HF_STATUS_SUBMITTED,
    HF_STATUS_SCHEDULED,
    HF_STATUS_HELD,
    HF_STATUS_ACCEPTED,
    HF_STATUS_NEEDS_REVISION,
    HF_STATUS_REJECTED,
    HF_STATUS_COMPLETED,
    HF_STATUS_CANCELLED,
    HF_STATUS_COUNT
} hf_status;

/* The bit of `status` in the set returned by hf_lifecycle_allowed(). */
#define HF_STATUS_BIT(status) (1u << (unsigned)(status))

/* What the rules need to know about the handoff besides its status. A zeroed struct
 * (or a NULL pointer where one is accepted) means "all false". */
typedef struct hf_transition_ctx {
    bool is_pre_close;        /* deal.trigger is verbal_commit: handed off before signature */
    bool pre_close_approved;  /* deal.pre_close_approved_by is filled */
    bool meeting_held_before; /* a handoff meeting has already been held for this handoff */
    bool kickoff_held;        /* timeline.kickoff_held_at is set */
    bool has_reason;          /* the person moving the handoff gave a reason */
} hf_transition_ctx;

/* The machine name of a status as stored and shown in JSON: "draft", "submitted",
 * "scheduled", "held", "accepted", "needs_revision", "rejected", "completed",
 * "cancelled". Static string; NULL for a value outside the enum. */
const char *hf_status_name(hf_status status);

/* Parse a machine name (exactly as hf_status_name writes it; case-sensitive, no blanks).
 * Returns true and sets *out on success; otherwise returns false and leaves *out alone.
 * `text` may be NULL. */
bool hf_status_parse(const char *text, hf_status *out);

/* True for the three CS review decisions: accepted, needs_revision, rejected. */
bool hf_status_is_decision(hf_status status);

/* Parse a review decision (`review.history[i].decision`, the CS review form): the three
 * names above only. Returns true and sets *out; otherwise false, *out untouched. */
bool hf_status_parse_decision(const char *text, hf_status *out);

/* True for completed and cancelled, which nothing leaves. */
bool hf_status_is_final(hf_status status);

/* The English label a person reads ("Draft", "Meeting held", "Needs revision"), marked
 * with N_() for the catalogs: translate it with hf_tr(). Static string; NULL for a value
 * outside the enum. */
const char *hf_status_label_msgid(hf_status status);

/* May a handoff move from `from` to `to`? `ctx` may be NULL (all false). Returns 0 when
 * the move is allowed. Otherwise fills `err` (may be NULL) with err->path = "status" and
 * returns:
 *
 * - HF_ESTATE when the move is not in the table, with a message that names the current
 *   state and the allowed ones:
 *   `cannot move from "held" to "completed": allowed from "held": accepted,
 *   needs_revision, rejected, cancelled` (or `…: "completed" is final`). This message is
 *   assembled from several names, so err->msgid is NULL; a caller that wants it in
 *   another language builds it from hf_lifecycle_allowed() and the labels;
 * - HF_ESTATE when the move is in the table but a condition is not met, with a fixed
 *   translatable message (err->msgid set): a pre-close handoff submitted without the CS
 *   manager's approval, completed before the kickoff is held, or moved to needs_revision,
 *   rejected or cancelled without a reason (err->arg is then the target's name);
 * - HF_EUSAGE when `from` or `to` is not a status. */
int hf_lifecycle_check(hf_status from, hf_status to, const hf_transition_ctx *ctx, hf_error *err);

/* The set of statuses `to` for which hf_lifecycle_check(from, to, ctx) returns 0, as
 * HF_STATUS_BIT()s; 0 for a final or invalid `from`. To decide which buttons to show
 * before the person has typed a reason, pass has_reason = true and ask for the reason
 * in the form. */
unsigned hf_lifecycle_allowed(hf_status from, const hf_transition_ctx *ctx);

#endif
