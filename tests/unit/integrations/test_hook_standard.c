/* Unit tests of src/integrations/hook_standard.c: Standard Webhooks 1.0 signing and
 * verification (the specification's published example, key rotation, the timestamp
 * window, malformed headers and secrets) and the generic trigger body of
 * tests/data/hooks/generic/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hook_test.h"

/* The example of the Standard Webhooks specification and its reference libraries. */
#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define MSG_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define TS "1614265330"
#define BODY "{\"test\": 2432232314}"
#define SIG "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

static void test_published_example(void **state)
{
    (void)state;
    hf_error err;
    char sig[HF_HOOK_STANDARD_SIG_MAX];
    assert_int_equal(
        hf_hook_standard_sign(SECRET, MSG_ID, 1614265330, BODY, strlen(BODY), sig, &err), 0);
    assert_string_equal(sig, SIG);
    /* the prefix is optional */
    assert_int_equal(hf_hook_standard_sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", MSG_ID, 1614265330,
                                           BODY, strlen(BODY), sig, &err),
                     0);
    assert_string_equal(sig, SIG);
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, SIG, BODY, strlen(BODY), 1614265330, &err), 0);
}

static void test_rotation_and_versions(void **state)
{
    (void)state;
    hf_error err;
    hf_time now = 1614265330;
    /* several entries: any v1 match is enough; other versions are skipped */
    const char *many = "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= "
                       "v1,bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ==  " SIG;
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, many, BODY, strlen(BODY), now, &err), 0);
    const char *wrong_version = "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    assert_error(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, wrong_version, BODY, strlen(BODY), now, &err),
        err, HF_EPERM, "webhook-signature");
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, "v1,", BODY, strlen(BODY), now, &err),
        HF_EPERM);
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, "   ", BODY, strlen(BODY), now, &err),
        HF_EPERM);
}

static void test_tampering(void **state)
{
    (void)state;
    hf_error err;
    hf_time now = 1614265330;
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, SIG, BODY, strlen(BODY) - 1, now, &err),
        HF_EPERM);
    assert_int_equal(
        hf_hook_standard_verify(SECRET, "msg_other", TS, SIG, BODY, strlen(BODY), now, &err),
        HF_EPERM);
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, "1614265331", SIG, BODY, strlen(BODY), now, &err),
        HF_EPERM);
    assert_int_equal(hf_hook_standard_verify("whsec_AAAAAAAAAAAAAAAAAAAAAAAA", MSG_ID, TS, SIG,
                                             BODY, strlen(BODY), now, &err),
                     HF_EPERM);
}

static void test_window(void **state)
{
    (void)state;
    hf_error err;
    hf_time ts = 1614265330;
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, SIG, BODY, strlen(BODY), ts + 300, &err), 0);
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, SIG, BODY, strlen(BODY), ts - 300, &err), 0);
    assert_error(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, SIG, BODY, strlen(BODY), ts + 301, &err), err,
        HF_EPERM, "webhook-timestamp");
    assert_string_equal(err.msg, "timestamp outside the 5-minute window");
    assert_int_equal(
        hf_hook_standard_verify(SECRET, MSG_ID, TS, SIG, BODY, strlen(BODY), ts - 301, &err),
        HF_EPERM);
    /* extreme values neither overflow nor pass */
    assert_int_equal(hf_hook_standard_verify(SECRET, MSG_ID, "9223372036854775807", SIG, BODY,
                                             strlen(BODY), INT64_MIN, &err),
                     HF_EPERM);
    assert_int_equal(hf_hook_standard_verify(SECRET, MSG_ID, "-922337203685477580", SIG, BODY,
                                             strlen(BODY), INT64_MAX, &err),
                     HF_EPERM);
}

static void test_malformed(void **state)
{
    (void)state;
    hf_error err;
    hf_time now = 1614265330;
    size_t n = strlen(BODY);
    assert_error(hf_hook_standard_verify(SECRET, NULL, TS, SIG, BODY, n, now, &err), err, HF_EINVAL,
                 "webhook-id");
    assert_error(hf_hook_standard_verify(SECRET, "", TS, SIG, BODY, n, now, &err), err, HF_EINVAL,
                 "webhook-id");
    assert_error(hf_hook_standard_verify(SECRET, MSG_ID, NULL, SIG, BODY, n, now, &err), err,
                 HF_EINVAL, "webhook-timestamp");
    assert_error(hf_hook_standard_verify(SECRET, MSG_ID, "16142653.30", SIG, BODY, n, now, &err),
                 err, HF_EINVAL, "webhook-timestamp");
    assert_error(
        hf_hook_standard_verify(SECRET, MSG_ID, "99999999999999999999", SIG, BODY, n, now, &err),
        err, HF_EINVAL, "webhook-timestamp");
    assert_error(hf_hook_standard_verify(SECRET, MSG_ID, TS, NULL, BODY, n, now, &err), err,
                 HF_EINVAL, "webhook-signature");
    assert_int_equal(hf_hook_standard_verify("whsec_***", MSG_ID, TS, SIG, BODY, n, now, &err),
                     HF_EUSAGE);
    assert_int_equal(hf_hook_standard_verify("whsec_", MSG_ID, TS, SIG, BODY, n, now, &err),
                     HF_EUSAGE);
    assert_int_equal(hf_hook_standard_verify(NULL, MSG_ID, TS, SIG, BODY, n, now, &err), HF_EUSAGE);
    char long_id[400];
    memset(long_id, 'i', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    char sig[HF_HOOK_STANDARD_SIG_MAX];
    assert_error(hf_hook_standard_sign(SECRET, long_id, now, BODY, n, sig, &err), err, HF_EINVAL,
                 "webhook-id");
}

static void test_sign_verify_roundtrip(void **state)
{
    (void)state;
    hf_error err;
    char sig[HF_HOOK_STANDARD_SIG_MAX];
    /* a binary body with NUL bytes and a 64-byte key */
    const char body[] = "{\"a\":\"\x00\xff\"}";
    const char *secret = "whsec_"
                         "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1"
                         "Njc4OTo7PD0+Pw==";
    assert_int_equal(
        hf_hook_standard_sign(secret, "msg_1", 1700000000, body, sizeof(body) - 1, sig, &err), 0);
    assert_int_equal(strncmp(sig, "v1,", 3), 0);
    assert_int_equal(strlen(sig), 47);
    assert_int_equal(hf_hook_standard_verify(secret, "msg_1", "1700000000", sig, body,
                                             sizeof(body) - 1, 1700000100, &err),
                     0);
}

static void generic_fixture(const char *name, const char *id, hf_hook_batch *b)
{
    size_t len;
    char *body = fixture("generic", name, &len);
    hf_error err;
    int rc = hf_hook_generic_parse(body, len, id, b, &err);
    free(body);
    if (rc)
        fail_msg("%s: %s at %s", name, err.msg, err.path);
    assert_int_equal(b->count, 1);
    assert_int_equal(b->source, HF_HOOK_GENERIC);
}

static void test_generic_body(void **state)
{
    (void)state;
    hf_hook_batch b;
    generic_fixture("deal-won.json", "msg_2x9", &b);
    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->kind, HF_HOOK_DEAL_WON);
    assert_string_equal(e->event_id, "msg_2x9");
    assert_string_equal(e->crm_id, "D-1001");
    assert_string_equal(e->stage, "won");
    assert_string_equal(e->pipeline, "default");
    assert_string_equal(e->name, "Acme Corp platform");
    assert_true(e->amount == 24000.0);
    assert_string_equal(e->currency, "USD");
    assert_string_equal(e->owner_email, "rita@acme-sales.example");
    assert_string_equal(e->owner_id, "u-7");
    assert_string_equal(e->account, "Acme Corp");
    assert_string_equal(e->org_id, "tenant-1");
    assert_time(e->occurred_at, "2024-03-08T16:00:00Z");
    assert_time(e->won_time, "2024-03-08T16:00:00Z");
    assert_true(e->has_close_date);
    json_t *custom = json_object_get(e->properties, "custom");
    assert_string_equal(json_string_value(json_object_get(custom, "segment")), "enterprise");
    hf_hook_batch_free(&b);

    generic_fixture("contract-completed.json", "msg_3", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_CONTRACT_COMPLETED);
    assert_string_equal(b.events[0].document_id, "env-9");
    assert_time(b.events[0].signed_at, "2024-03-09T09:59:00Z");
    assert_time(b.events[0].occurred_at, "2024-03-09T09:00:00Z");
    hf_hook_batch_free(&b);

    generic_fixture("unknown-type.json", "msg_4", &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[0].ignored_why, "unknown event type");
    hf_hook_batch_free(&b);
}

static void test_generic_malformed(void **state)
{
    (void)state;
    hf_hook_batch b;
    hf_error err;
    size_t len;
    char *body = fixture("generic", "missing-crm-id.json", &len);
    assert_error(hf_hook_generic_parse(body, len, "m", &b, &err), err, HF_EINVAL, "data.crm_id");
    assert_error(hf_hook_generic_parse(body, len, NULL, &b, &err), err, HF_EINVAL, "webhook-id");
    free(body);
    body = fixture("generic", "bad-amount.json", &len);
    assert_error(hf_hook_generic_parse(body, len, "m", &b, &err), err, HF_EINVAL, "data.amount");
    free(body);
    const char *s = "{\"type\":\"deal.won\"}";
    assert_error(hf_hook_generic_parse(s, strlen(s), "m", &b, &err), err, HF_EINVAL, "data");
    s = "{\"data\":{}}";
    assert_error(hf_hook_generic_parse(s, strlen(s), "m", &b, &err), err, HF_EINVAL, "type");
    s = "{\"type\":\"deal.won\",\"timestamp\":\"noon\",\"data\":{\"crm_id\":\"1\"}}";
    assert_error(hf_hook_generic_parse(s, strlen(s), "m", &b, &err), err, HF_EINVAL, "timestamp");
    assert_int_equal(b.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_example), cmocka_unit_test(test_rotation_and_versions),
        cmocka_unit_test(test_tampering),         cmocka_unit_test(test_window),
        cmocka_unit_test(test_malformed),         cmocka_unit_test(test_sign_verify_roundtrip),
        cmocka_unit_test(test_generic_body),      cmocka_unit_test(test_generic_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
