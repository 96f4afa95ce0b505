/* The handoff status machine of SPEC §2: which status may follow which, and the extra
 * conditions some moves carry. Pure: the facts the rules depend on come in an
 * hf_transition_ctx, so the server, the CLI and the tests all ask the same table.
 *
 * The table below lists the moves a status allows structurally; the one move that depends
 * on the handoff's past (submitted → a review decision, allowed only after a meeting was
 * held) is added by table_targets(). The conditions checked after the table (approval,
 * kickoff, reason) refuse with their own message, because "you cannot do that from here"
 * and "you can, once X is done" call for different actions from the person reading it. */
#include "handoff/lifecycle.h"

#include "handoff/i18n.h"

#include "core/text.h"

#include <string.h>

#define BIT(s) HF_STATUS_BIT(HF_STATUS_##s)

static const char *const status_names[HF_STATUS_COUNT] = {
    "draft",          "submitted", "scheduled", "held",      "accepted",
    "needs_revision", "rejected",  "completed", "cancelled",
};

static const char *const status_labels[HF_STATUS_COUNT] = {
    N_("Draft"),          N_("Submitted"), N_("Scheduled"), N_("Meeting held"), N_("Accepted"),
    N_("Needs revision"), N_("Rejected"),  N_("Completed"), N_("Cancelled"),
};

/* Moves allowed whatever the context. */
static const unsigned base_targets[HF_STATUS_COUNT] = {
    [HF_STATUS_DRAFT] = BIT(SUBMITTED) | BIT(CANCELLED),
    [HF_STATUS_SUBMITTED] = BIT(SCHEDULED) | BIT(HELD) | BIT(CANCELLED),
    [HF_STATUS_SCHEDULED] = BIT(HELD) | BIT(CANCELLED),
    [HF_STATUS_HELD] = BIT(ACCEPTED) | BIT(NEEDS_REVISION) | BIT(REJECTED) | BIT(CANCELLED),
    [HF_STATUS_ACCEPTED] = BIT(COMPLETED) | BIT(CANCELLED),
    [HF_STATUS_NEEDS_REVISION] = BIT(SUBMITTED) | BIT(CANCELLED),
    [HF_STATUS_REJECTED] = BIT(SUBMITTED) | BIT(CANCELLED),
    [HF_STATUS_COMPLETED] = 0,
    [HF_STATUS_CANCELLED] = 0,
};

#define DECISIONS (BIT(ACCEPTED) | BIT(NEEDS_REVISION) | BIT(REJECTED))

static bool status_is_valid(hf_status status)
{
    return (unsigned)status < HF_STATUS_COUNT;
}

const char *hf_status_name(hf_status status)
{
    return status_is_valid(status) ? status_names[status] : NULL;
}

const char *hf_status_label_msgid(hf_status status)
{
    return status_is_valid(status) ? status_labels[status] : NULL;
}

bool hf_status_parse(const char *text, hf_status *out)
{
    if (!text)
        return false;
    for (unsigned i = 0; i < HF_STATUS_COUNT; i++) {
        if (strcmp(text, status_names[i]) == 0) {
            *out = (hf_status)i;
            return true;
        }
    }
    return false;
}

bool hf_status_is_decision(hf_status status)
{
    return status_is_valid(status) && (HF_STATUS_BIT(status) & DECISIONS) != 0;
}

bool hf_status_parse_decision(const char *text, hf_status *out)
{
    hf_status s;
    if (!hf_status_parse(text, &s) || !hf_status_is_decision(s))
        return false;
    *out = s;
    return true;
}

bool hf_status_is_final(hf_status status)
{
    return status == HF_STATUS_COMPLETED || status == HF_STATUS_CANCELLED;
}

/* The moves of the table from `from`, before the conditions. A corrected resubmission
 * goes back to the reviewer without a second meeting, so once a meeting was held a
 * submitted handoff may receive a decision directly. */
static unsigned table_targets(hf_status from, const hf_transition_ctx *ctx)
{
    unsigned targets = base_targets[from];
    if (from == HF_STATUS_SUBMITTED && ctx->meeting_held_before)
        targets |= DECISIONS;
    return targets;
}

/* The condition of the move from → to, which is in the table: 0, or the error. */
static int check_condition(hf_status from, hf_status to, const hf_transition_ctx *ctx,
                           hf_error *err)
{
    if (from == HF_STATUS_DRAFT && to == HF_STATUS_SUBMITTED && ctx->is_pre_close &&
        !ctx->pre_close_approved)
        return hf_error_setf_id(
            err, HF_ESTATE, "status",
            N_("a pre-close handoff needs the CS manager's approval before it is submitted"), NULL);
    if (to == HF_STATUS_COMPLETED && !ctx->kickoff_held)
        return hf_error_setf_id(
            err, HF_ESTATE, "status",
            N_("a handoff is completed only after the customer kickoff is held"), NULL);
    if ((to == HF_STATUS_NEEDS_REVISION || to == HF_STATUS_REJECTED || to == HF_STATUS_CANCELLED) &&
        !ctx->has_reason)
        return hf_error_setf_id(err, HF_ESTATE, "status",
                                N_("moving a handoff to \"%s\" needs a reason"), status_names[to]);
    return 0;
}

int hf_lifecycle_check(hf_status from, hf_status to, const hf_transition_ctx *ctx, hf_error *err)
{
    static const hf_transition_ctx none;
    if (!ctx)
        ctx = &none;
    if (!status_is_valid(from) || !status_is_valid(to))
        return hf_error_set(err, HF_EUSAGE, "status", "unknown status (%d to %d)", (int)from,
                            (int)to);

    unsigned targets = table_targets(from, ctx);
    if (targets & HF_STATUS_BIT(to))
        return check_condition(from, to, ctx, err);

    if (targets == 0)
        return hf_error_set(err, HF_ESTATE, "status",
                            "cannot move from \"%s\" to \"%s\": \"%s\" is final",
                            status_names[from], status_names[to], status_names[from]);

    const char *words[HF_STATUS_COUNT];
    size_t count = 0;
    for (unsigned i = 0; i < HF_STATUS_COUNT; i++)
        if (targets & HF_STATUS_BIT(i))
            words[count++] = status_names[i];
    /* At most 8 names of at most 14 bytes and their separators: never truncated. */
    char list[192];
    hf__join_words(list, sizeof(list), words, count);
    return hf_error_set(err, HF_ESTATE, "status",
                        "cannot move from \"%s\" to \"%s\": allowed from \"%s\": %s",
                        status_names[from], status_names[to], status_names[from], list);
}

unsigned hf_lifecycle_allowed(hf_status from, const hf_transition_ctx *ctx)
{
    static const hf_transition_ctx none;
    if (!ctx)
        ctx = &none;
    if (!status_is_valid(from))
        return 0;
    unsigned targets = table_targets(from, ctx);
    unsigned allowed = 0;
    for (unsigned i = 0; i < HF_STATUS_COUNT; i++)
        if ((targets & HF_STATUS_BIT(i)) && check_condition(from, (hf_status)i, ctx, NULL) == 0)
            allowed |= HF_STATUS_BIT(i);
    return allowed;
}
