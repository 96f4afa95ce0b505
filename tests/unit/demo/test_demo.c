/* The demo-data generator (demo.h) on a temporary SQLite file: every status and band
 * appears, the counts add up, the stored index columns are what a fresh evaluation of each
 * stored document says, every document is within a third of the document limits, nothing
 * happens after `now`, and the same seed gives the same data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/demo.h"
#include "handoff/document.h"
#include "handoff/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEALS 300
#define SEED 42
#define WS 1
#define NOW_TEXT "2026-11-20T12:00:00Z"

typedef struct fixture {
    char path[2][256];
    hf_store *s[2];
    hf_demo_stats stats[2];
    hf_protocol p;
    hf_time now;
} fixture;

static void remove_db(const char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

static int open_db(fixture *f, int i)
{
    snprintf(f->path[i], sizeof(f->path[i]), "/tmp/handoff-test-demo-%d-%d.db", (int)getpid(), i);
    remove_db(f->path[i]);
    hf_error err;
    hf_error_clear(&err);
    if (hf_store_open(f->path[i], true, &f->s[i], &err) != 0) {
        fprintf(stderr, "open %s: %s\n", f->path[i], err.msg);
        return -1;
    }
    return 0;
}

/* Two databases generated from the same seed; the tests read them. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    *state = f;
    hf_protocol_default(&f->p);
    if (!hf_time_parse_rfc3339(NOW_TEXT, strlen(NOW_TEXT), &f->now))
        return -1;
    for (int i = 0; i < 2; i++) {
        if (open_db(f, i))
            return -1;
        hf_error err;
        hf_error_clear(&err);
        if (hf_demo_generate(f->s[i], WS, DEALS, SEED, f->now, &f->p, &f->stats[i], &err) != 0) {
            fprintf(stderr, "generate: %s (%s)\n", err.msg, err.path);
            return -1;
        }
    }
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    for (int i = 0; i < 2; i++) {
        hf_store_close(f->s[i]);
        if (f->path[i][0])
            remove_db(f->path[i]);
    }
    hf_protocol_free(&f->p);
    free(f);
    return 0;
}

static void test_every_status_and_band(void **state)
{
    const hf_demo_stats *st = &((fixture *)*state)->stats[0];
    for (int i = 0; i < HF_STATUS_COUNT; i++) {
        if (st->by_status[i] == 0)
            fail_msg("no handoff in status %s", hf_status_name((hf_status)i));
    }
    for (int i = 0; i < HF_BAND_COUNT; i++) {
        if (st->by_band[i] == 0)
            fail_msg("no handoff in band %s", hf_band_names[i]);
    }
    for (int i = 0; i < HF_SEG_COUNT; i++) {
        if (st->by_segment[i] == 0)
            fail_msg("no handoff in segment %s", hf_segment_name((hf_segment)i));
    }
    /* most handoffs of a year are completed; excellent is the largest band, not all of them */
    assert_true(st->by_status[HF_STATUS_COMPLETED] > DEALS / 2);
    assert_true(st->by_band[HF_BAND_EXCELLENT] < DEALS * 6 / 10);
    assert_true(st->by_band[HF_BAND_SUBSTANDARD] < DEALS * 4 / 10);
}

static void test_counts_add_up(void **state)
{
    fixture *f = *state;
    const hf_demo_stats *st = &f->stats[0];
    assert_int_equal(st->deals, DEALS);
    assert_int_equal(st->handoffs, DEALS);
    long by_status = 0, by_band = 0, by_segment = 0;
    for (int i = 0; i < HF_STATUS_COUNT; i++)
        by_status += st->by_status[i];
    for (int i = 0; i < HF_BAND_COUNT; i++)
        by_band += st->by_band[i];
    for (int i = 0; i < HF_SEG_COUNT; i++)
        by_segment += st->by_segment[i];
    assert_int_equal(by_status, DEALS);
    assert_int_equal(by_band, DEALS);
    assert_int_equal(by_segment, DEALS);
    assert_true(st->versions > 3 * DEALS); /* non-trivial histories */
    assert_true(st->transitions > 2 * DEALS);
    assert_in_range(st->sales_reps, 8, 12);
    assert_in_range(st->csms, 5, 7);
    assert_int_equal(st->sales_teams, 3);

    /* what the stats say is what the store holds */
    hf_error err;
    hf_error_clear(&err);
    for (int i = 0; i < HF_STATUS_COUNT; i++) {
        hf_handoff_filter flt = {.status_mask = HF_STATUS_BIT(i)};
        int64_t n = -1;
        assert_int_equal(hf_store_handoff_count(f->s[0], WS, &flt, &n, &err), 0);
        assert_int_equal(n, st->by_status[i]);
    }
    for (int i = 0; i < HF_BAND_COUNT; i++) {
        hf_handoff_filter flt = {.band_mask = 1u << (unsigned)i};
        int64_t n = -1;
        assert_int_equal(hf_store_handoff_count(f->s[0], WS, &flt, &n, &err), 0);
        assert_int_equal(n, st->by_band[i]);
    }
}

typedef struct check_ctx {
    fixture *f;
    int checked;
    unsigned segments, triggers;
    int64_t versions;
    hf_time latest;
} check_ctx;

static int latest_version(void *vctx, const hf_version_rec *v)
{
    check_ctx *c = vctx;
    c->versions++;
    if (v->at > c->latest)
        c->latest = v->at;
    return 0;
}

static int latest_transition(void *vctx, const hf_transition_rec *t)
{
    check_ctx *c = vctx;
    if (t->at > c->latest)
        c->latest = t->at;
    return 0;
}

/* The index columns equal a fresh evaluation of the stored document at `now`. */
static int check_record(void *vctx, const hf_handoff_rec *h)
{
    check_ctx *c = vctx;
    fixture *f = c->f;
    hf_error err;
    hf_error_clear(&err);
    json_t *doc = NULL;
    assert_int_equal(hf_document_parse(h->document, strlen(h->document), &doc, &err), 0);
    /* a realistic document: within a third of every limit */
    hf_doc_limits third;
    hf_doc_limits_default(&third);
    third.max_depth /= 3;
    third.max_key_bytes /= 3;
    third.max_string_bytes /= 3;
    third.max_array_items /= 3;
    third.max_members /= 3;
    third.max_total_bytes /= 3;
    third.max_indexed_bytes /= 3;
    if (hf_document_check_limits(doc, &third, &err) != 0)
        fail_msg("handoff %lld: `%s`: %s", (long long)h->id, err.path, err.msg);
    hf_evaluation ev;
    assert_int_equal(hf_evaluate(doc, &f->p, f->now, &ev, &err), 0);
    if (ev.total != h->index.quality_total || ev.percent_d != h->index.completeness_d ||
        (int)ev.band != h->index.band)
        fail_msg("handoff %lld: stored %d/%d/%d, evaluated %lld/%lld/%d", (long long)h->id,
                 h->index.quality_total, h->index.completeness_d, h->index.band,
                 (long long)ev.total, (long long)ev.percent_d, (int)ev.band);
    hf_evaluation_free(&ev);

    static const char *const triggers[] = {"contract_signature", "verbal_commit", "poc_conversion"};
    for (unsigned i = 0; i < 3; i++)
        if (strcmp(h->index.trigger, triggers[i]) == 0)
            c->triggers |= 1u << i;
    hf_segment seg;
    if (hf_segment_parse(h->index.segment, &seg))
        c->segments |= 1u << (unsigned)seg;
    assert_true(h->index.t0 != HF_TIME_NONE);
    assert_true(h->index.t0 <= f->now && h->index.t0 >= f->now - 366 * 86400);
    /* a completed handoff had its kickoff; a rejected one has a review saying so */
    if (h->status == HF_STATUS_COMPLETED)
        assert_non_null(hf_doc_get(doc, "timeline.kickoff_held_at"));
    if (h->status == HF_STATUS_REJECTED || h->status == HF_STATUS_NEEDS_REVISION) {
        const json_t *history = hf_doc_get(doc, "review.history");
        assert_true(json_array_size(history) > 0);
        const json_t *last = json_array_get(history, json_array_size(history) - 1);
        assert_string_equal(json_string_value(json_object_get(last, "decision")),
                            hf_status_name(h->status));
        assert_true(json_array_size(json_object_get(last, "reasons")) > 0);
    }
    json_decref(doc);

    /* nothing was written after `now` */
    c->latest = 0;
    int64_t before = c->versions;
    assert_int_equal(hf_store_version_list(f->s[0], WS, h->id, false, latest_version, c, &err), 0);
    assert_int_equal(c->versions - before, h->version);
    assert_int_equal(hf_store_transition_list(f->s[0], WS, h->id, latest_transition, c, &err), 0);
    assert_true(c->latest <= f->now);
    c->checked++;
    return 0;
}

static void test_index_matches_evaluation(void **state)
{
    fixture *f = *state;
    check_ctx c = {.f = f};
    hf_handoff_filter all = {.with_documents = true};
    hf_error err;
    hf_error_clear(&err);
    assert_int_equal(hf_store_handoff_list(f->s[0], WS, &all, check_record, &c, &err), 0);
    assert_int_equal(c.checked, DEALS);
    assert_int_equal(c.segments, (1u << HF_SEG_COUNT) - 1);
    assert_int_equal(c.triggers, 7u);
    assert_int_equal(c.versions, f->stats[0].versions);
}

static void test_same_seed_same_data(void **state)
{
    fixture *f = *state;
    assert_memory_equal(&f->stats[0], &f->stats[1], sizeof(hf_demo_stats));
    hf_error err;
    hf_error_clear(&err);
    static const int64_t ids[] = {1, DEALS / 2, DEALS};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        hf_handoff_rec a, b;
        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        assert_int_equal(hf_store_handoff_get(f->s[0], WS, ids[i], &a, &err), 0);
        assert_int_equal(hf_store_handoff_get(f->s[1], WS, ids[i], &b, &err), 0);
        assert_string_equal(a.document, b.document);
        assert_int_equal(a.version, b.version);
        assert_int_equal(a.status, b.status);
        hf_handoff_rec_free(&a);
        hf_handoff_rec_free(&b);
    }
}

static void test_other_seed_other_data(void **state)
{
    fixture *f = *state;
    char path[256];
    snprintf(path, sizeof(path), "/tmp/handoff-test-demo-%d-other.db", (int)getpid());
    remove_db(path);
    hf_store *s = NULL;
    hf_error err;
    hf_error_clear(&err);
    assert_int_equal(hf_store_open(path, true, &s, &err), 0);
    hf_demo_stats st;
    assert_int_equal(hf_demo_generate(s, WS, 12, SEED + 1, f->now, &f->p, &st, &err), 0);
    assert_int_equal(st.handoffs, 12);
    hf_handoff_rec a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    assert_int_equal(hf_store_handoff_get(f->s[0], WS, 1, &a, &err), 0);
    assert_int_equal(hf_store_handoff_get(s, WS, 1, &b, &err), 0);
    assert_true(strcmp(a.document, b.document) != 0);
    hf_handoff_rec_free(&a);
    hf_handoff_rec_free(&b);
    hf_store_close(s);
    remove_db(path);
}

static void test_bad_arguments(void **state)
{
    fixture *f = *state;
    hf_error err;
    hf_error_clear(&err);
    hf_demo_stats st;
    assert_int_equal(hf_demo_generate(f->s[0], WS, 0, SEED, f->now, &f->p, &st, &err), HF_EUSAGE);
    assert_int_equal(st.handoffs, 0);
    assert_int_equal(
        hf_demo_generate(f->s[0], WS, HF_DEMO_MAX_DEALS + 1, SEED, f->now, &f->p, NULL, &err),
        HF_EUSAGE);
    assert_int_equal(hf_demo_generate(NULL, WS, 10, SEED, f->now, &f->p, NULL, &err), HF_EUSAGE);
    /* nothing was added */
    hf_handoff_filter all = {0};
    int64_t n = 0;
    assert_int_equal(hf_store_handoff_count(f->s[0], WS, &all, &n, &err), 0);
    assert_int_equal(n, DEALS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_and_band),    cmocka_unit_test(test_counts_add_up),
        cmocka_unit_test(test_index_matches_evaluation), cmocka_unit_test(test_same_seed_same_data),
        cmocka_unit_test(test_other_seed_other_data),    cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
