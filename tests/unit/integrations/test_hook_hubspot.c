/* Unit tests of src/integrations/hook_hubspot.c against the fixtures in
 * tests/data/hooks/hubspot/: the normalized events of a batch (kinds, dedupe keys, times),
 * won stages per pipeline, duplicates, malformed bodies with their paths, and the three
 * signature versions, with HubSpot's published v1 vector and known answers computed
 * outside this code for v2 and v3. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hook_test.h"

#define SECRET "hubspot-client-secret-1234"

static void parse_fixture(const char *name, const hf_hook_hubspot_config *cfg, hf_hook_batch *b)
{
    size_t len;
    char *body = fixture("hubspot", name, &len);
    hf_error err;
    int rc = hf_hook_hubspot_parse(body, len, cfg, b, &err);
    free(body);
    if (rc)
        fail_msg("%s: %s at %s", name, err.msg, err.path);
}

static int parse_fail(const char *name, hf_error *err)
{
    size_t len;
    char *body = fixture("hubspot", name, &len);
    hf_hook_batch b;
    int rc = hf_hook_hubspot_parse(body, len, NULL, &b, err);
    free(body);
    assert_int_equal(b.count, 0);
    assert_null(b.events);
    hf_hook_batch_free(&b);
    return rc;
}

static void test_batch(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("batch.json", NULL, &b);
    assert_int_equal(b.source, HF_HOOK_HUBSPOT);
    assert_int_equal(b.count, 6);

    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->source, HF_HOOK_HUBSPOT);
    assert_int_equal(e->kind, HF_HOOK_DEAL_WON);
    assert_string_equal(e->event_id, "1228532628:1556105815815:697680835");
    assert_string_equal(e->crm_id, "697680835");
    assert_string_equal(e->stage, "closedwon");
    assert_string_equal(e->org_id, "5799819");
    assert_time(e->occurred_at, "2019-04-24T11:36:55Z");
    assert_int_equal(e->attempt, 0);
    assert_false(e->is_duplicate);
    assert_null(e->ignored_why);
    assert_string_equal(json_string_value(json_object_get(e->properties, "changeSource")),
                        "CRM_UI");
    assert_false(e->has_amount);
    assert_string_equal(e->name, "");

    e = &b.events[1];
    assert_int_equal(e->kind, HF_HOOK_DEAL_CHANGED);
    assert_string_equal(e->stage, "contractsent");
    assert_int_equal(e->attempt, 3);

    e = &b.events[2]; /* amount changed: a change, with the new amount */
    assert_int_equal(e->kind, HF_HOOK_DEAL_CHANGED);
    assert_string_equal(e->stage, "");
    assert_true(e->has_amount);
    assert_true(e->amount > 24000.49 && e->amount < 24000.51);

    e = &b.events[3];
    assert_int_equal(e->kind, HF_HOOK_IGNORED);
    assert_string_equal(e->ignored_why, "not a deal event");
    assert_string_equal(e->crm_id, "123");

    assert_int_equal(b.events[4].kind, HF_HOOK_DEAL_CHANGED); /* deal.creation */
    assert_int_equal(b.events[5].kind, HF_HOOK_IGNORED);      /* deal.deletion */
    assert_string_equal(b.events[5].ignored_why, "deal deleted");

    hf_hook_batch_free(&b);
    assert_int_equal(b.count, 0);
    hf_hook_batch_free(&b); /* twice is fine */
    hf_hook_batch_free(NULL);
}

static void test_custom_pipelines(void **state)
{
    (void)state;
    static const hf_hook_won_stage won[] = {{"default", "closedwon"}, {NULL, "12345678"}};
    hf_hook_hubspot_config cfg = {won, 2};
    hf_hook_batch b;
    parse_fixture("custom-pipeline.json", &cfg, &b);
    assert_int_equal(b.count, 3);
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_WON);
    assert_string_equal(b.events[0].stage, "12345678");
    assert_int_equal(b.events[1].kind, HF_HOOK_DEAL_WON); /* object.propertyChange, 0-3 */
    assert_string_equal(b.events[1].event_id, "56:1556105901000:697680841");
    assert_int_equal(b.events[1].attempt, 1);
    assert_int_equal(b.events[2].kind, HF_HOOK_DEAL_CHANGED);
    hf_hook_batch_free(&b);

    /* without configuration only closedwon is won */
    parse_fixture("custom-pipeline.json", NULL, &b);
    for (size_t i = 0; i < b.count; i++)
        assert_int_equal(b.events[i].kind, HF_HOOK_DEAL_CHANGED);
    hf_hook_batch_free(&b);
}

static void test_stage_is_won(void **state)
{
    (void)state;
    static const hf_hook_won_stage won[] = {{"p1", "s1"}, {"", "s2"}};
    hf_hook_hubspot_config cfg = {won, 2};
    assert_true(hf_hook_hubspot_stage_is_won(&cfg, "p1", "s1"));
    assert_false(hf_hook_hubspot_stage_is_won(&cfg, "p2", "s1"));
    assert_true(hf_hook_hubspot_stage_is_won(&cfg, NULL, "s1")); /* pipeline unknown */
    assert_true(hf_hook_hubspot_stage_is_won(&cfg, "", "s1"));
    assert_true(hf_hook_hubspot_stage_is_won(&cfg, "p9", "s2"));
    assert_false(
        hf_hook_hubspot_stage_is_won(&cfg, "p1", "closedwon")); /* configured: no default */
    assert_false(hf_hook_hubspot_stage_is_won(&cfg, "p1", ""));
    assert_false(hf_hook_hubspot_stage_is_won(&cfg, "p1", NULL));
    assert_true(hf_hook_hubspot_stage_is_won(NULL, "default", "closedwon"));
    assert_false(hf_hook_hubspot_stage_is_won(NULL, "default", "closedlost"));
}

static void test_duplicates_out_of_order(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("duplicates-out-of-order.json", NULL, &b);
    assert_int_equal(b.count, 4);
    assert_false(b.events[0].is_duplicate);
    assert_false(b.events[1].is_duplicate);
    /* a retry of [0] inside the same batch: same key, whatever the attempt */
    assert_true(b.events[2].is_duplicate);
    assert_string_equal(b.events[2].event_id, b.events[0].event_id);
    assert_int_equal(b.events[2].attempt, 1);
    /* the same eventId for another object is another event */
    assert_false(b.events[3].is_duplicate);
    assert_string_equal(b.events[3].event_id, "1228532628:1556105815815:697680999");
    /* order is the body's; occurred_at lets the service drop stale changes */
    assert_true(b.events[1].occurred_at < b.events[0].occurred_at);
    hf_hook_batch_free(&b);
}

static void test_string_ids(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("string-ids.json", NULL, &b);
    assert_int_equal(b.count, 1);
    assert_string_equal(b.events[0].event_id, "1228532628:1556105815815:697680835");
    assert_string_equal(b.events[0].org_id, "5799819");
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_WON);
    hf_hook_batch_free(&b);
}

static void test_empty(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("empty.json", NULL, &b);
    assert_int_equal(b.count, 0);
    hf_hook_batch_free(&b);
}

static void test_malformed(void **state)
{
    (void)state;
    hf_error err;
    int rc = parse_fail("malformed.json", &err);
    assert_error(rc, err, HF_EINVAL, "");
    assert_int_equal(err.line, 2);
    assert_true(err.column > 1);
    assert_non_null(strstr(err.msg, "invalid JSON"));

    assert_error(parse_fail("bad-object-id.json", &err), err, HF_EINVAL, "[3].objectId");
    assert_error(parse_fail("missing-occurred-at.json", &err), err, HF_EINVAL, "[1].occurredAt");
    assert_error(parse_fail("not-an-array.json", &err), err, HF_EINVAL, "");
    assert_error(parse_fail("oversized-batch.json", &err), err, HF_EINVAL, "[100]");
    assert_string_equal(err.msg, "more than 100 events");
}

static void test_limits(void **state)
{
    (void)state;
    hf_hook_batch b;
    hf_error err;
    /* the body limit comes before any parsing */
    char *big = malloc(HF_HOOK_BODY_MAX + 1);
    assert_non_null(big);
    memset(big, ' ', HF_HOOK_BODY_MAX + 1);
    big[0] = '[';
    big[HF_HOOK_BODY_MAX] = ']';
    assert_int_equal(hf_hook_hubspot_parse(big, HF_HOOK_BODY_MAX + 1, NULL, &b, &err), HF_ENOMEM);
    assert_int_equal(hf_hook_hubspot_parse(big, HF_HOOK_BODY_MAX - 1, NULL, &b, &err), HF_EINVAL);
    free(big);

    /* an id longer than its field is refused with its path, not cut */
    char body[600];
    char id[300];
    memset(id, '7', sizeof(id) - 1);
    id[sizeof(id) - 1] = '\0';
    snprintf(body, sizeof(body),
             "[{\"eventId\":1,\"occurredAt\":1,\"objectId\":\"%s\",\"subscriptionType\":\"deal."
             "creation\"}]",
             id);
    assert_error(hf_hook_hubspot_parse(body, strlen(body), NULL, &b, &err), err, HF_EINVAL,
                 "[0].objectId");
    /* occurredAt must be epoch milliseconds */
    const char *s = "[{\"eventId\":1,\"occurredAt\":\"soon\",\"objectId\":2,"
                    "\"subscriptionType\":\"deal.creation\"}]";
    assert_error(hf_hook_hubspot_parse(s, strlen(s), NULL, &b, &err), err, HF_EINVAL,
                 "[0].occurredAt");
    s = "[{\"eventId\":1,\"occurredAt\":1,\"objectId\":2,\"subscriptionType\":\"deal."
        "propertyChange\"}]";
    assert_error(hf_hook_hubspot_parse(s, strlen(s), NULL, &b, &err), err, HF_EINVAL,
                 "[0].propertyName");
    s = "[{\"eventId\":1,\"eventId\":2,\"occurredAt\":1,\"objectId\":2,\"subscriptionType\":"
        "\"deal.creation\"}]";
    assert_int_equal(hf_hook_hubspot_parse(s, strlen(s), NULL, &b, &err), HF_EINVAL);
    assert_int_equal(hf_hook_hubspot_parse(NULL, 0, NULL, &b, &err), HF_EINVAL);
}

static void test_v1_published_vector(void **state)
{
    (void)state;
    const char *secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    const char *want = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de";
    size_t len;
    char *body = fixture("hubspot", "v1-vector.json", &len);
    hf_error err;
    char sig[HF_HOOK_SIG_HEX_MAX];
    assert_int_equal(hf_hook_hubspot_sign_v1(secret, body, len, sig, &err), 0);
    assert_string_equal(sig, want);
    assert_int_equal(hf_hook_hubspot_verify_v1(secret, body, len, want, &err), 0);
    assert_int_equal(hf_hook_hubspot_verify_v1(
                         secret, body, len,
                         "232DB2615F3D666FE21A8EC971AC7B5402D33B9A925784DF3CA654D05F4817DE", &err),
                     0);
    assert_int_equal(hf_hook_hubspot_verify_v1(secret, body, len - 1, want, &err), HF_EPERM);
    assert_int_equal(hf_hook_hubspot_verify_v1("other", body, len, want, &err), HF_EPERM);
    assert_int_equal(hf_hook_hubspot_verify_v1(secret, body, len, "232db2", &err), HF_EPERM);
    assert_int_equal(hf_hook_hubspot_verify_v1(secret, body, len, "", &err), HF_EINVAL);
    assert_int_equal(hf_hook_hubspot_verify_v1(secret, body, len, NULL, &err), HF_EINVAL);
    assert_int_equal(hf_hook_hubspot_verify_v1("", body, len, want, &err), HF_EUSAGE);
    free(body);
}

static void test_v2(void **state)
{
    (void)state;
    const char *body = "[{\"eventId\":1,\"objectId\":2}]";
    const char *uri = "https://hooks.example.com/hooks/hubspot/ep-1?a=1";
    const char *want = "e243ad225120f5c9fae74dfa1a8bc3155478503ad768e8dc22ec6a19edbf6b10";
    hf_error err;
    char sig[HF_HOOK_SIG_HEX_MAX];
    assert_int_equal(hf_hook_hubspot_sign_v2(SECRET, "POST", uri, body, strlen(body), sig, &err),
                     0);
    assert_string_equal(sig, want);
    assert_int_equal(hf_hook_hubspot_verify_v2(SECRET, "POST", uri, body, strlen(body), want, &err),
                     0);
    assert_int_equal(hf_hook_hubspot_verify_v2(SECRET, "GET", uri, body, strlen(body), want, &err),
                     HF_EPERM);
    assert_string_equal(err.msg, "signature does not match");
}

/* The v3 known answer: HMAC-SHA256 over "POST" + the decoded URI + body + timestamp. */
#define V3_URI_CALLED                                                                              \
    "https://hooks.example.com/hooks/hubspot/ep-1?a=1&redirect=https%3A%2F%2Fx.example%2Fy%28z%29"
#define V3_BODY "[{\"eventId\":1,\"objectId\":2}]"
#define V3_TS "1710000000000"
#define V3_SIG "N+zz4t8cHPCGsL1CnQN8+Y+T9CYT0jrbyuJgqWMl2bs="

static void test_v3(void **state)
{
    (void)state;
    hf_error err;
    hf_time now = 1710000000;
    size_t len = strlen(V3_BODY);
    char sig[HF_HOOK_SIG_B64_MAX];
    assert_int_equal(hf_hook_hubspot_sign_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len,
                                             1710000000000LL, sig, &err),
                     0);
    assert_string_equal(sig, V3_SIG);
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               V3_SIG, now, &err),
                     0);
    /* without padding too */
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               "N+zz4t8cHPCGsL1CnQN8+Y+T9CYT0jrbyuJgqWMl2bs", now,
                                               &err),
                     0);

    /* the 5-minute window, both ways, to the millisecond of `now` in seconds */
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               V3_SIG, now + 300, &err),
                     0);
    assert_error(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                           V3_SIG, now + 301, &err),
                 err, HF_EPERM, "X-HubSpot-Request-Timestamp");
    assert_string_equal(err.msg, "timestamp outside the 5-minute window");
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               V3_SIG, now - 301, &err),
                     HF_EPERM);

    /* anything changed breaks it */
    assert_error(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED "&b=2", V3_BODY, len,
                                           V3_TS, V3_SIG, now, &err),
                 err, HF_EPERM, "X-HubSpot-Signature-v3");
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len - 1,
                                               V3_TS, V3_SIG, now, &err),
                     HF_EPERM);
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len,
                                               "1710000000001", V3_SIG, now, &err),
                     HF_EPERM);
    assert_int_equal(hf_hook_hubspot_verify_v3("wrong", "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               V3_SIG, now, &err),
                     HF_EPERM);
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               "bm90IGEgc2lnbmF0dXJl", now, &err),
                     HF_EPERM);
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               "!!!", now, &err),
                     HF_EPERM);

    /* malformed headers */
    assert_error(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, NULL,
                                           V3_SIG, now, &err),
                 err, HF_EINVAL, "X-HubSpot-Request-Timestamp");
    assert_error(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len,
                                           "1710000000000.5", V3_SIG, now, &err),
                 err, HF_EINVAL, "X-HubSpot-Request-Timestamp");
    assert_error(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, "-5",
                                           V3_SIG, now, &err),
                 err, HF_EINVAL, "X-HubSpot-Request-Timestamp");
    assert_error(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS, NULL,
                                           now, &err),
                 err, HF_EINVAL, "X-HubSpot-Signature-v3");
    assert_int_equal(hf_hook_hubspot_verify_v3(NULL, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               V3_SIG, now, &err),
                     HF_EUSAGE);
    assert_int_equal(hf_hook_hubspot_verify_v3(SECRET, "POST", V3_URI_CALLED, V3_BODY, len, V3_TS,
                                               V3_SIG, INT64_MAX, &err),
                     HF_EUSAGE);
}

static void test_uri_decode(void **state)
{
    (void)state;
    char out[256];
    long n = hf_hook_hubspot_uri_decode(
        "https://h.example/p%3Aq?x=%2F%3f%40%21%24%27%28%29%2A%2C%3B&y=%20%25%2B%3D%26%3", out,
        sizeof(out));
    assert_string_equal(out, "https://h.example/p:q?x=/?@!$'()*,;&y=%20%25%2B%3D%26%3");
    assert_int_equal(n, (long)strlen(out));
    /* %25 is not in the list, so %253A is left alone (no second pass makes it a colon) */
    hf_hook_hubspot_uri_decode("/a%253A", out, sizeof(out));
    assert_string_equal(out, "/a%253A");
    assert_int_equal(hf_hook_hubspot_uri_decode("/abcdef", out, 4), -1);
    assert_int_equal(hf_hook_hubspot_uri_decode("/abc", out, 5), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_custom_pipelines),
        cmocka_unit_test(test_stage_is_won),
        cmocka_unit_test(test_duplicates_out_of_order),
        cmocka_unit_test(test_string_ids),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_v1_published_vector),
        cmocka_unit_test(test_v2),
        cmocka_unit_test(test_v3),
        cmocka_unit_test(test_uri_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
