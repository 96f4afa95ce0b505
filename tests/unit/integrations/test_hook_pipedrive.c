/* Unit tests of src/integrations/hook_pipedrive.c against tests/data/hooks/pipedrive/:
 * v1 and v2 webhooks (won only on a transition from another status to won; ids as
 * numbers and strings; meta.timestamp as epoch seconds and ISO text; v2 data, attempt,
 * custom_fields), deletions and other objects ignored, malformed bodies with their paths,
 * and HTTP Basic credentials. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hook_test.h"

static void parse_fixture(const char *name, hf_hook_batch *b)
{
    size_t len;
    char *body = fixture("pipedrive", name, &len);
    hf_error err;
    int rc = hf_hook_pipedrive_parse(body, len, b, &err);
    free(body);
    if (rc)
        fail_msg("%s: %s at %s", name, err.msg, err.path);
    assert_int_equal(b->count, 1);
    assert_int_equal(b->source, HF_HOOK_PIPEDRIVE);
}

static int parse_fail(const char *name, hf_error *err)
{
    size_t len;
    char *body = fixture("pipedrive", name, &len);
    hf_hook_batch b;
    int rc = hf_hook_pipedrive_parse(body, len, &b, err);
    free(body);
    assert_int_equal(b.count, 0);
    hf_hook_batch_free(&b);
    return rc;
}

static void test_v1_won(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("v1-won.json", &b);
    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->kind, HF_HOOK_DEAL_WON);
    assert_string_equal(e->event_id, "123:1709913600:1709913600123456");
    assert_string_equal(e->crm_id, "123");
    assert_string_equal(e->name, "Acme Corp platform deal");
    assert_true(e->has_amount);
    assert_true(e->amount == 24000.0);
    assert_string_equal(e->currency, "USD");
    assert_string_equal(e->stage, "5");
    assert_string_equal(e->pipeline, "1");
    assert_string_equal(e->owner_id, "9876543");
    assert_string_equal(e->owner_email, "rita@acme-sales.example");
    assert_string_equal(e->account, "Acme Corp");
    assert_string_equal(e->org_id, "4242");
    assert_time(e->occurred_at, "2024-03-08T16:00:00Z");
    assert_time(e->won_time, "2024-03-08T16:00:00Z");
    char day[HF_TIME_BUFSZ];
    assert_true(e->has_close_date);
    assert_string_equal(hf_date_format(e->close_day, day), "2024-03-15");
    assert_int_equal(e->attempt, 0);
    assert_string_equal(json_string_value(json_object_get(e->properties, "status")), "won");
    hf_hook_batch_free(&b);
}

static void test_v1_changes(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("v1-stage-moved.json", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_CHANGED);
    assert_string_equal(b.events[0].event_id, "123:1709900000"); /* no timestamp_micro */
    assert_string_equal(b.events[0].stage, "4");
    assert_int_equal(b.events[0].attempt, 2);
    assert_time(b.events[0].won_time, "none");
    hf_hook_batch_free(&b);

    /* won before and won now: a change, not a second win */
    parse_fixture("v1-already-won.json", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_CHANGED);
    assert_true(b.events[0].amount == 25000.0);
    hf_hook_batch_free(&b);

    parse_fixture("v1-deleted.json", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[0].ignored_why, "deal deleted");
    hf_hook_batch_free(&b);
}

static void test_v1_string_ids_iso(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("v1-string-ids-iso.json", &b);
    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->kind, HF_HOOK_DEAL_WON);
    /* the ISO timestamp gives the same key as the epoch seconds would */
    assert_string_equal(e->event_id, "123:1709913600");
    assert_string_equal(e->crm_id, "123");
    assert_string_equal(e->owner_id, "9876543");
    assert_string_equal(e->owner_email, "");
    assert_string_equal(e->account, "777");
    assert_string_equal(e->stage, "5");
    assert_true(e->amount == 24000.0);
    hf_hook_batch_free(&b);
}

static void test_v2(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("v2-won.json", &b);
    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->kind, HF_HOOK_DEAL_WON);
    assert_string_equal(e->event_id, "8d3f1c2e-5b6a-4c7d-9e8f-0a1b2c3d4e5f");
    assert_string_equal(e->crm_id, "456");
    assert_string_equal(e->name, "Globex expansion");
    assert_true(e->amount == 48000.5);
    assert_string_equal(e->currency, "EUR");
    assert_string_equal(e->owner_id, "111");
    assert_string_equal(e->account, "888");
    assert_string_equal(e->stage, "7");
    assert_string_equal(e->pipeline, "2");
    assert_string_equal(e->org_id, "4242");
    assert_int_equal(e->attempt, 1);
    assert_time(e->occurred_at, "2024-03-09T10:30:01Z");
    assert_time(e->won_time, "2024-03-09T10:30:00Z");
    json_t *custom = json_object_get(e->properties, "custom_fields");
    assert_true(json_is_object(custom));
    assert_string_equal(json_string_value(json_object_get(custom, "f6e5d4c3b2a1")), "2026-01-01");
    hf_hook_batch_free(&b);

    /* previous without status: status is won but did not change */
    parse_fixture("v2-changed.json", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_CHANGED);
    assert_int_equal(b.events[0].attempt, 3);
    assert_time(b.events[0].occurred_at, "2024-03-09T16:00:00Z"); /* epoch seconds */
    hf_hook_batch_free(&b);

    parse_fixture("v2-person.json", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[0].ignored_why, "not a deal event");
    hf_hook_batch_free(&b);

    parse_fixture("v2-deleted.json", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[0].ignored_why, "deal deleted");
    hf_hook_batch_free(&b);
}

static void test_malformed(void **state)
{
    (void)state;
    hf_error err;
    int rc = parse_fail("malformed.json", &err);
    assert_error(rc, err, HF_EINVAL, "");
    assert_int_equal(err.line, 2);
    assert_error(parse_fail("bad-value.json", &err), err, HF_EINVAL, "current.value");
    assert_error(parse_fail("no-meta.json", &err), err, HF_EINVAL, "meta");

    hf_hook_batch b;
    const char *s = "[]";
    assert_error(hf_hook_pipedrive_parse(s, strlen(s), &b, &err), err, HF_EINVAL, "");
    s = "{\"meta\":{\"action\":\"change\",\"entity\":\"deal\"},\"data\":{\"id\":1}}";
    assert_error(hf_hook_pipedrive_parse(s, strlen(s), &b, &err), err, HF_EINVAL, "meta.id");
    s = "{\"meta\":{\"action\":\"updated\",\"object\":\"deal\",\"id\":1},\"current\":{}}";
    assert_error(hf_hook_pipedrive_parse(s, strlen(s), &b, &err), err, HF_EINVAL, "meta.timestamp");
    s = "{\"meta\":{\"action\":\"updated\",\"object\":\"deal\",\"id\":1,\"timestamp\":"
        "\"yesterday\"},\"current\":{}}";
    assert_error(hf_hook_pipedrive_parse(s, strlen(s), &b, &err), err, HF_EINVAL, "meta.timestamp");
    s = "{\"meta\":{\"id\":\"e1\",\"entity\":\"deal\",\"action\":\"change\"},\"data\":{\"id\":1."
        "5}}";
    assert_error(hf_hook_pipedrive_parse(s, strlen(s), &b, &err), err, HF_EINVAL, "data.id");
    s = "{\"meta\":{\"id\":\"e1\",\"entity\":\"deal\",\"action\":\"change\"},\"data\":{},"
        "\"previous\":[]}";
    assert_error(hf_hook_pipedrive_parse(s, strlen(s), &b, &err), err, HF_EINVAL, "previous");
    /* the deal id may come from meta.entity_id alone */
    s = "{\"meta\":{\"id\":\"e1\",\"entity\":\"deal\",\"action\":\"change\",\"entity_id\":9},"
        "\"data\":{\"status\":\"won\"},\"previous\":{\"status\":\"lost\"}}";
    assert_int_equal(hf_hook_pipedrive_parse(s, strlen(s), &b, &err), 0);
    assert_string_equal(b.events[0].crm_id, "9");
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_WON);
    hf_hook_batch_free(&b);
}

static void test_basic_auth(void **state)
{
    (void)state;
    hf_error err;
    /* "pipedrive:s3cret pass" */
    const char *good = "Basic cGlwZWRyaXZlOnMzY3JldCBwYXNz";
    assert_int_equal(hf_hook_pipedrive_verify_basic(good, "pipedrive", "s3cret pass", &err), 0);
    assert_int_equal(hf_hook_pipedrive_verify_basic("basic  cGlwZWRyaXZlOnMzY3JldCBwYXNz",
                                                    "pipedrive", "s3cret pass", &err),
                     0);
    assert_error(hf_hook_pipedrive_verify_basic(good, "pipedrive", "s3cret pas", &err), err,
                 HF_EPERM, "Authorization");
    assert_int_equal(hf_hook_pipedrive_verify_basic(good, "pipedriv", "s3cret pass", &err),
                     HF_EPERM);
    /* "pipedrive:s3cret passX" */
    assert_int_equal(hf_hook_pipedrive_verify_basic("Basic cGlwZWRyaXZlOnMzY3JldCBwYXNzWA==",
                                                    "pipedrive", "s3cret pass", &err),
                     HF_EPERM);
    assert_error(hf_hook_pipedrive_verify_basic("Bearer abc", "pipedrive", "s3cret pass", &err),
                 err, HF_EINVAL, "Authorization");
    assert_error(hf_hook_pipedrive_verify_basic("Basic ***", "pipedrive", "s3cret pass", &err), err,
                 HF_EINVAL, "Authorization");
    assert_error(hf_hook_pipedrive_verify_basic(NULL, "pipedrive", "s3cret pass", &err), err,
                 HF_EINVAL, "Authorization");
    assert_int_equal(hf_hook_pipedrive_verify_basic(good, "", "s3cret pass", &err), HF_EUSAGE);
    assert_int_equal(hf_hook_pipedrive_verify_basic(good, "pipedrive", NULL, &err), HF_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_won),
        cmocka_unit_test(test_v1_changes),
        cmocka_unit_test(test_v1_string_ids_iso),
        cmocka_unit_test(test_v2),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_basic_auth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
