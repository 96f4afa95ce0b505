/* Unit tests of src/core/lifecycle.c: every (from, to) pair of the 9 × 9 status matrix with
 * the exact refusal message, the moves that depend on the context (a meeting already held,
 * pre-close approval, kickoff, reason), names, labels and review decisions. The expected
 * tables are written out here by hand from SPEC §2, not derived from the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/lifecycle.h"

#include <stdio.h>
#include <string.h>

#define N HF_STATUS_COUNT

static const char *const names[N] = {"draft",    "submitted", "scheduled",
                                     "held",     "accepted",  "needs_revision",
                                     "rejected", "completed", "cancelled"};

/* The table of SPEC §2 with every condition met and no meeting held before:
 * rows are `from`, columns `to`, in enum order (D S Sc H A NR R C X). */
static const char table[N][N + 1] = {
    /*                 DSSHANRCX */
    [HF_STATUS_DRAFT] = "010000001",     [HF_STATUS_SUBMITTED] = "001100001",
    [HF_STATUS_SCHEDULED] = "000100001", [HF_STATUS_HELD] = "000011101",
    [HF_STATUS_ACCEPTED] = "000000011",  [HF_STATUS_NEEDS_REVISION] = "010000001",
    [HF_STATUS_REJECTED] = "010000001",  [HF_STATUS_COMPLETED] = "000000000",
    [HF_STATUS_CANCELLED] = "000000000",
};

/* What a refusal lists after `allowed from "X": `, or NULL for a final status. */
static const char *const allowed_words[N] = {
    [HF_STATUS_DRAFT] = "submitted, cancelled",
    [HF_STATUS_SUBMITTED] = "scheduled, held, cancelled",
    [HF_STATUS_SCHEDULED] = "held, cancelled",
    [HF_STATUS_HELD] = "accepted, needs_revision, rejected, cancelled",
    [HF_STATUS_ACCEPTED] = "completed, cancelled",
    [HF_STATUS_NEEDS_REVISION] = "submitted, cancelled",
    [HF_STATUS_REJECTED] = "submitted, cancelled",
    [HF_STATUS_COMPLETED] = NULL,
    [HF_STATUS_CANCELLED] = NULL,
};

static const hf_transition_ctx all_met = {
    .is_pre_close = false,
    .pre_close_approved = true,
    .meeting_held_before = false,
    .kickoff_held = true,
    .has_reason = true,
};

static void expect_refusal(hf_status from, hf_status to, const hf_transition_ctx *ctx,
                           const char *words)
{
    hf_error err;
    hf_error_clear(&err);
    char want[HF_ERROR_MSG_MAX];
    if (words)
        snprintf(want, sizeof(want), "cannot move from \"%s\" to \"%s\": allowed from \"%s\": %s",
                 names[from], names[to], names[from], words);
    else
        snprintf(want, sizeof(want), "cannot move from \"%s\" to \"%s\": \"%s\" is final",
                 names[from], names[to], names[from]);
    assert_int_equal(hf_lifecycle_check(from, to, ctx, &err), HF_ESTATE);
    assert_int_equal(err.rc, HF_ESTATE);
    assert_string_equal(err.path, "status");
    assert_string_equal(err.msg, want);
    assert_null(err.msgid);
}

/* All 81 pairs with every condition met and no earlier meeting. */
static void test_matrix(void **state)
{
    (void)state;
    int allowed = 0;
    for (int from = 0; from < N; from++) {
        for (int to = 0; to < N; to++) {
            hf_error err;
            hf_error_clear(&err);
            if (table[from][to] == '1') {
                assert_int_equal(hf_lifecycle_check((hf_status)from, (hf_status)to, &all_met, &err),
                                 0);
                assert_int_equal(err.rc, 0);
                allowed++;
            } else {
                expect_refusal((hf_status)from, (hf_status)to, &all_met, allowed_words[from]);
            }
        }
    }
    assert_int_equal(allowed, 17);
}

/* After a meeting was held, a corrected resubmission goes straight to a decision; every
 * other row is unchanged. */
static void test_matrix_meeting_held_before(void **state)
{
    (void)state;
    hf_transition_ctx ctx = all_met;
    ctx.meeting_held_before = true;
    static const char *const submitted_words =
        "scheduled, held, accepted, needs_revision, rejected, cancelled";
    for (int from = 0; from < N; from++) {
        for (int to = 0; to < N; to++) {
            bool is_allowed = table[from][to] == '1';
            if (from == HF_STATUS_SUBMITTED &&
                (to == HF_STATUS_ACCEPTED || to == HF_STATUS_NEEDS_REVISION ||
                 to == HF_STATUS_REJECTED))
                is_allowed = true;
            if (is_allowed)
                assert_int_equal(hf_lifecycle_check((hf_status)from, (hf_status)to, &ctx, NULL), 0);
            else
                expect_refusal((hf_status)from, (hf_status)to, &ctx,
                               from == HF_STATUS_SUBMITTED ? submitted_words : allowed_words[from]);
        }
    }
}

static void test_messages_exact(void **state)
{
    (void)state;
    hf_error err;
    assert_int_equal(hf_lifecycle_check(HF_STATUS_HELD, HF_STATUS_COMPLETED, &all_met, &err),
                     HF_ESTATE);
    assert_string_equal(err.msg, "cannot move from \"held\" to \"completed\": allowed from "
                                 "\"held\": accepted, needs_revision, rejected, cancelled");
    assert_string_equal(err.path, "status");

    assert_int_equal(hf_lifecycle_check(HF_STATUS_DRAFT, HF_STATUS_HELD, NULL, &err), HF_ESTATE);
    assert_string_equal(err.msg, "cannot move from \"draft\" to \"held\": allowed from "
                                 "\"draft\": submitted, cancelled");

    assert_int_equal(hf_lifecycle_check(HF_STATUS_COMPLETED, HF_STATUS_CANCELLED, &all_met, &err),
                     HF_ESTATE);
    assert_string_equal(err.msg,
                        "cannot move from \"completed\" to \"cancelled\": \"completed\" is final");

    assert_int_equal(hf_lifecycle_check(HF_STATUS_SUBMITTED, HF_STATUS_ACCEPTED, NULL, &err),
                     HF_ESTATE);
    assert_string_equal(err.msg, "cannot move from \"submitted\" to \"accepted\": allowed from "
                                 "\"submitted\": scheduled, held, cancelled");

    /* The same status is not a move. */
    assert_int_equal(hf_lifecycle_check(HF_STATUS_HELD, HF_STATUS_HELD, &all_met, &err), HF_ESTATE);
    assert_string_equal(err.msg, "cannot move from \"held\" to \"held\": allowed from "
                                 "\"held\": accepted, needs_revision, rejected, cancelled");
    assert_int_equal(hf_lifecycle_check(HF_STATUS_DRAFT, HF_STATUS_DRAFT, &all_met, &err),
                     HF_ESTATE);
    assert_int_equal(hf_lifecycle_check(HF_STATUS_CANCELLED, HF_STATUS_CANCELLED, &all_met, &err),
                     HF_ESTATE);
    assert_string_equal(err.msg,
                        "cannot move from \"cancelled\" to \"cancelled\": \"cancelled\" is final");
}

static void test_pre_close_approval(void **state)
{
    (void)state;
    hf_error err;
    hf_transition_ctx ctx = {.is_pre_close = true};
    assert_int_equal(hf_lifecycle_check(HF_STATUS_DRAFT, HF_STATUS_SUBMITTED, &ctx, &err),
                     HF_ESTATE);
    assert_string_equal(
        err.msg, "a pre-close handoff needs the CS manager's approval before it is submitted");
    assert_string_equal(err.msgid, err.msg);
    assert_string_equal(err.path, "status");
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_DRAFT, &ctx), 0);

    ctx.pre_close_approved = true;
    assert_int_equal(hf_lifecycle_check(HF_STATUS_DRAFT, HF_STATUS_SUBMITTED, &ctx, &err), 0);
    /* A handoff after signature needs no approval. */
    hf_transition_ctx signed_ctx = {.is_pre_close = false};
    assert_int_equal(hf_lifecycle_check(HF_STATUS_DRAFT, HF_STATUS_SUBMITTED, &signed_ctx, &err),
                     0);
    /* Resubmission after a revision is not gated again. */
    hf_transition_ctx resubmit = {.is_pre_close = true};
    assert_int_equal(
        hf_lifecycle_check(HF_STATUS_NEEDS_REVISION, HF_STATUS_SUBMITTED, &resubmit, &err), 0);
    assert_int_equal(hf_lifecycle_check(HF_STATUS_REJECTED, HF_STATUS_SUBMITTED, &resubmit, &err),
                     0);
}

static void test_kickoff_before_completion(void **state)
{
    (void)state;
    hf_error err;
    hf_transition_ctx ctx = {.kickoff_held = false, .has_reason = true};
    assert_int_equal(hf_lifecycle_check(HF_STATUS_ACCEPTED, HF_STATUS_COMPLETED, &ctx, &err),
                     HF_ESTATE);
    assert_string_equal(err.msg, "a handoff is completed only after the customer kickoff is held");
    assert_string_equal(err.msgid, err.msg);
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_ACCEPTED, &ctx),
                     HF_STATUS_BIT(HF_STATUS_CANCELLED));
    ctx.kickoff_held = true;
    assert_int_equal(hf_lifecycle_check(HF_STATUS_ACCEPTED, HF_STATUS_COMPLETED, &ctx, &err), 0);
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_ACCEPTED, &ctx),
                     HF_STATUS_BIT(HF_STATUS_COMPLETED) | HF_STATUS_BIT(HF_STATUS_CANCELLED));
}

static void test_reason_required(void **state)
{
    (void)state;
    static const struct {
        hf_status from, to;
        const char *msg;
    } cases[] = {
        {HF_STATUS_HELD, HF_STATUS_NEEDS_REVISION,
         "moving a handoff to \"needs_revision\" needs a reason"},
        {HF_STATUS_HELD, HF_STATUS_REJECTED, "moving a handoff to \"rejected\" needs a reason"},
        {HF_STATUS_DRAFT, HF_STATUS_CANCELLED, "moving a handoff to \"cancelled\" needs a reason"},
        {HF_STATUS_ACCEPTED, HF_STATUS_CANCELLED,
         "moving a handoff to \"cancelled\" needs a reason"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hf_error err;
        hf_transition_ctx ctx = {.kickoff_held = true};
        assert_int_equal(hf_lifecycle_check(cases[i].from, cases[i].to, &ctx, &err), HF_ESTATE);
        assert_string_equal(err.msg, cases[i].msg);
        assert_string_equal(err.msgid, "moving a handoff to \"%s\" needs a reason");
        assert_string_equal(err.arg, names[cases[i].to]);
        assert_string_equal(err.path, "status");
        ctx.has_reason = true;
        assert_int_equal(hf_lifecycle_check(cases[i].from, cases[i].to, &ctx, &err), 0);
    }
    /* Accepting needs no reason. */
    assert_int_equal(hf_lifecycle_check(HF_STATUS_HELD, HF_STATUS_ACCEPTED, NULL, NULL), 0);
    /* A move outside the table is refused as such even without a reason. */
    hf_error err;
    assert_int_equal(hf_lifecycle_check(HF_STATUS_SCHEDULED, HF_STATUS_REJECTED, NULL, &err),
                     HF_ESTATE);
    assert_string_equal(err.msg, "cannot move from \"scheduled\" to \"rejected\": allowed from "
                                 "\"scheduled\": held, cancelled");
}

/* hf_lifecycle_allowed() is exactly the set of targets that hf_lifecycle_check() accepts,
 * for every from and every one of the 32 contexts. */
static void test_allowed_matches_check(void **state)
{
    (void)state;
    for (unsigned bits = 0; bits < 32; bits++) {
        hf_transition_ctx ctx = {
            .is_pre_close = bits & 1,
            .pre_close_approved = (bits >> 1) & 1,
            .meeting_held_before = (bits >> 2) & 1,
            .kickoff_held = (bits >> 3) & 1,
            .has_reason = (bits >> 4) & 1,
        };
        for (int from = 0; from < N; from++) {
            unsigned want = 0;
            for (int to = 0; to < N; to++)
                if (hf_lifecycle_check((hf_status)from, (hf_status)to, &ctx, NULL) == 0)
                    want |= HF_STATUS_BIT(to);
            assert_int_equal(hf_lifecycle_allowed((hf_status)from, &ctx), want);
        }
    }
}

static void test_allowed_values(void **state)
{
    (void)state;
    /* With nothing known: only the moves without a condition. */
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_DRAFT, NULL),
                     HF_STATUS_BIT(HF_STATUS_SUBMITTED));
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_SUBMITTED, NULL),
                     HF_STATUS_BIT(HF_STATUS_SCHEDULED) | HF_STATUS_BIT(HF_STATUS_HELD));
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_HELD, NULL), HF_STATUS_BIT(HF_STATUS_ACCEPTED));
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_ACCEPTED, NULL), 0);
    /* The buttons of a review: the form asks for the reason. */
    hf_transition_ctx review = {.has_reason = true, .meeting_held_before = true};
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_SUBMITTED, &review),
                     HF_STATUS_BIT(HF_STATUS_SCHEDULED) | HF_STATUS_BIT(HF_STATUS_HELD) |
                         HF_STATUS_BIT(HF_STATUS_ACCEPTED) |
                         HF_STATUS_BIT(HF_STATUS_NEEDS_REVISION) |
                         HF_STATUS_BIT(HF_STATUS_REJECTED) | HF_STATUS_BIT(HF_STATUS_CANCELLED));
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_COMPLETED, &all_met), 0);
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_CANCELLED, &all_met), 0);
    assert_int_equal(hf_lifecycle_allowed(HF_STATUS_COUNT, &all_met), 0);
    assert_int_equal(hf_lifecycle_allowed((hf_status)-1, &all_met), 0);
}

static void test_invalid_status(void **state)
{
    (void)state;
    hf_error err;
    assert_int_equal(hf_lifecycle_check(HF_STATUS_COUNT, HF_STATUS_DRAFT, &all_met, &err),
                     HF_EUSAGE);
    assert_string_equal(err.msg, "unknown status (9 to 0)");
    assert_int_equal(hf_lifecycle_check(HF_STATUS_DRAFT, (hf_status)42, &all_met, &err), HF_EUSAGE);
    assert_int_equal(hf_lifecycle_check((hf_status)-1, HF_STATUS_DRAFT, &all_met, NULL), HF_EUSAGE);
}

static void test_names_and_parse(void **state)
{
    (void)state;
    for (int s = 0; s < N; s++) {
        assert_string_equal(hf_status_name((hf_status)s), names[s]);
        hf_status got = HF_STATUS_COUNT;
        assert_true(hf_status_parse(names[s], &got));
        assert_int_equal(got, s);
    }
    assert_null(hf_status_name(HF_STATUS_COUNT));
    assert_null(hf_status_name((hf_status)-3));

    hf_status keep = HF_STATUS_HELD;
    static const char *const bad[] = {"",       "Draft",          "DRAFT",          " draft",
                                      "draft ", "needs-revision", "needs revision", "canceled",
                                      "draf",   "drafts"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(hf_status_parse(bad[i], &keep));
        assert_int_equal(keep, HF_STATUS_HELD);
    }
    assert_false(hf_status_parse(NULL, &keep));
    assert_int_equal(keep, HF_STATUS_HELD);

    assert_true(hf_status_is_final(HF_STATUS_COMPLETED));
    assert_true(hf_status_is_final(HF_STATUS_CANCELLED));
    assert_false(hf_status_is_final(HF_STATUS_ACCEPTED));
    assert_false(hf_status_is_final(HF_STATUS_REJECTED));
}

static void test_decisions(void **state)
{
    (void)state;
    hf_status s = HF_STATUS_DRAFT;
    assert_true(hf_status_parse_decision("accepted", &s));
    assert_int_equal(s, HF_STATUS_ACCEPTED);
    assert_true(hf_status_parse_decision("needs_revision", &s));
    assert_int_equal(s, HF_STATUS_NEEDS_REVISION);
    assert_true(hf_status_parse_decision("rejected", &s));
    assert_int_equal(s, HF_STATUS_REJECTED);

    s = HF_STATUS_DRAFT;
    static const char *const not_decisions[] = {"draft",     "submitted", "scheduled", "held",
                                                "completed", "cancelled", "Accepted",  ""};
    for (size_t i = 0; i < sizeof(not_decisions) / sizeof(not_decisions[0]); i++) {
        assert_false(hf_status_parse_decision(not_decisions[i], &s));
        assert_int_equal(s, HF_STATUS_DRAFT);
    }
    assert_false(hf_status_parse_decision(NULL, &s));

    int count = 0;
    for (int i = 0; i < N; i++)
        count += hf_status_is_decision((hf_status)i);
    assert_int_equal(count, 3);
    assert_false(hf_status_is_decision(HF_STATUS_COUNT));
}

static void test_labels(void **state)
{
    (void)state;
    static const char *const labels[N] = {"Draft",        "Submitted", "Scheduled",
                                          "Meeting held", "Accepted",  "Needs revision",
                                          "Rejected",     "Completed", "Cancelled"};
    for (int s = 0; s < N; s++)
        assert_string_equal(hf_status_label_msgid((hf_status)s), labels[s]);
    assert_null(hf_status_label_msgid(HF_STATUS_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_matrix_meeting_held_before),
        cmocka_unit_test(test_messages_exact),
        cmocka_unit_test(test_pre_close_approval),
        cmocka_unit_test(test_kickoff_before_completion),
        cmocka_unit_test(test_reason_required),
        cmocka_unit_test(test_allowed_matches_check),
        cmocka_unit_test(test_allowed_values),
        cmocka_unit_test(test_invalid_status),
        cmocka_unit_test(test_names_and_parse),
        cmocka_unit_test(test_decisions),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
