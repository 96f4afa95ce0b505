/* Unit tests of src/integrations/hook_salesforce.c against tests/data/hooks/salesforce/:
 * Outbound Messages with one or more Opportunity notifications, won by IsWon or by
 * StageName, duplicates and other sObject types, malformed XML with its line and column,
 * DTDs and entities refused (XXE, billion laughs), the 100-notification limit, the
 * organization id check, and the acknowledgement byte for byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hook_test.h"

static void parse_fixture(const char *name, const hf_hook_salesforce_config *cfg, hf_hook_batch *b)
{
    size_t len;
    char *body = fixture("salesforce", name, &len);
    hf_error err;
    int rc = hf_hook_salesforce_parse(body, len, cfg, b, &err);
    free(body);
    if (rc)
        fail_msg("%s: %s at %s (%ld:%ld)", name, err.msg, err.path, err.line, err.column);
}

static int parse_fail(const char *name, hf_error *err)
{
    size_t len;
    char *body = fixture("salesforce", name, &len);
    hf_hook_batch b;
    int rc = hf_hook_salesforce_parse(body, len, NULL, &b, err);
    free(body);
    assert_int_equal(b.count, 0);
    assert_string_equal(b.org_id, "");
    hf_hook_batch_free(&b);
    return rc;
}

static void test_opportunity_won(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("opportunity-won.xml", NULL, &b);
    assert_int_equal(b.source, HF_HOOK_SALESFORCE);
    assert_string_equal(b.org_id, "00D5e000000K9bQEAS");
    assert_string_equal(b.action_id, "04k5e000000GmaTAAS");
    assert_int_equal(b.count, 2);

    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->kind, HF_HOOK_DEAL_WON);
    assert_string_equal(e->event_id, "04l5e000001DtmRAAS");
    assert_string_equal(e->crm_id, "0065e00000AbCdEAAV");
    assert_string_equal(e->account, "0015e00000XyZ12AAB");
    assert_true(e->has_amount);
    assert_true(e->amount == 24000.0);
    assert_string_equal(e->currency, "USD");
    assert_true(e->has_close_date);
    char day[HF_TIME_BUFSZ];
    assert_string_equal(hf_date_format(e->close_day, day), "2024-03-08");
    assert_string_equal(e->name, "Acme Corp - Platform & Support");
    assert_string_equal(e->owner_id, "0055e000003QrStAAK");
    assert_string_equal(e->stage, "Closed Won");
    assert_string_equal(e->org_id, "00D5e000000K9bQEAS");
    assert_time(e->occurred_at, "2024-03-08T16:00:00Z");
    assert_string_equal(json_string_value(json_object_get(e->properties, "IsWon")), "true");
    assert_string_equal(json_string_value(json_object_get(e->properties, "Name")),
                        "Acme Corp - Platform & Support");

    e = &b.events[1];
    assert_int_equal(e->kind, HF_HOOK_DEAL_CHANGED);
    assert_string_equal(e->event_id, "04l5e000001DtmSAAS");
    assert_true(e->amount == 125000.0); /* 1.25E5 */
    assert_string_equal(e->stage, "Negotiation/Review");
    assert_time(e->occurred_at, "none");
    /* xsi:nil fields are null in properties */
    json_t *next = json_object_get(e->properties, "NextStep");
    assert_non_null(next);
    assert_true(json_is_null(next));
    hf_hook_batch_free(&b);
}

static void test_stage_only(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("stage-only.xml", NULL, &b);
    assert_int_equal(b.count, 2);
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_WON); /* "Closed Won", no IsWon */
    assert_int_equal(b.events[1].kind, HF_HOOK_DEAL_CHANGED);
    hf_hook_batch_free(&b);

    static const char *const won[] = {"Fechado e ganho", NULL};
    hf_hook_salesforce_config cfg = {won};
    parse_fixture("stage-only.xml", &cfg, &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_DEAL_CHANGED); /* the list replaces the default */
    assert_int_equal(b.events[1].kind, HF_HOOK_DEAL_WON);
    hf_hook_batch_free(&b);
}

static void test_duplicate_and_account(void **state)
{
    (void)state;
    hf_hook_batch b;
    parse_fixture("duplicate-and-account.xml", NULL, &b);
    assert_int_equal(b.count, 3);
    assert_false(b.events[0].is_duplicate);
    assert_true(b.events[1].is_duplicate);
    assert_string_equal(b.events[1].event_id, b.events[0].event_id);
    assert_int_equal(b.events[2].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[2].ignored_why, "not an Opportunity");
    hf_hook_batch_free(&b);
}

static void test_malformed(void **state)
{
    (void)state;
    hf_error err;
    int rc = parse_fail("malformed.xml", &err);
    assert_error(rc, err, HF_EINVAL, "");
    assert_int_equal(err.line, 11);
    assert_int_equal(err.column, 29); /* the name of the `</Idx>` that does not close <Id> */
    assert_string_equal(err.msg, "invalid XML: mismatched tag");

    rc = parse_fail("missing-sobject-id.xml", &err);
    assert_error(rc, err, HF_EINVAL, "Notification[2]/sObject/Id");
    assert_true(err.line > 0);

    assert_error(parse_fail("bad-amount.xml", &err), err, HF_EINVAL,
                 "Notification[1]/sObject/Amount");
    assert_error(parse_fail("not-soap.xml", &err), err, HF_EINVAL, "");
    assert_int_equal(err.line, 2);
    assert_error(parse_fail("no-org.xml", &err), err, HF_EINVAL, "OrganizationId");
    assert_error(parse_fail("too-many.xml", &err), err, HF_EINVAL, "Notification[101]");

    hf_hook_batch b;
    const char *s = "<a>";
    assert_int_equal(hf_hook_salesforce_parse(s, strlen(s), NULL, &b, &err), HF_EINVAL);
    assert_int_equal(hf_hook_salesforce_parse("", 0, NULL, &b, &err), HF_EINVAL);
    s = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        "<soapenv:Body/></soapenv:Envelope>";
    assert_error(hf_hook_salesforce_parse(s, strlen(s), NULL, &b, &err), err, HF_EINVAL,
                 "notifications");
}

static void test_dtd_refused(void **state)
{
    (void)state;
    hf_error err;
    int rc = parse_fail("xxe.xml", &err);
    assert_error(rc, err, HF_EINVAL, "");
    assert_string_equal(err.msg, "document type declarations are not allowed");
    assert_int_equal(err.line, 2);
    rc = parse_fail("billion-laughs.xml", &err);
    assert_error(rc, err, HF_EINVAL, "");
    assert_string_equal(err.msg, "document type declarations are not allowed");
}

static void test_deep_and_long(void **state)
{
    (void)state;
    hf_hook_batch b;
    hf_error err;
    /* 40 nested elements inside the Body */
    char deep[2048];
    int at = snprintf(deep, sizeof(deep), "%s",
                      "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>");
    for (int i = 0; i < 40; i++)
        at += snprintf(deep + at, sizeof(deep) - (size_t)at, "<x>");
    assert_int_equal(hf_hook_salesforce_parse(deep, strlen(deep), NULL, &b, &err), HF_EINVAL);
    assert_string_equal(err.msg, "elements nested deeper than 32");

    /* a 70,000-byte OrganizationId */
    const char *head = "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\"><e:Body>"
                       "<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">"
                       "<OrganizationId>";
    size_t n = strlen(head) + 70000 + 64;
    char *big = malloc(n);
    assert_non_null(big);
    memcpy(big, head, strlen(head));
    memset(big + strlen(head), 'A', 70000);
    snprintf(big + strlen(head) + 70000, 64, "</OrganizationId>");
    assert_error(hf_hook_salesforce_parse(big, strlen(big), NULL, &b, &err), err, HF_EINVAL,
                 "OrganizationId");
    free(big);
}

static void test_org_matches(void **state)
{
    (void)state;
    assert_true(hf_hook_salesforce_org_matches("00D5e000000K9bQEAS", "00D5e000000K9bQEAS"));
    assert_true(hf_hook_salesforce_org_matches("00D5e000000K9bQ", "00D5e000000K9bQEAS"));
    assert_true(hf_hook_salesforce_org_matches("00D5e000000K9bQEAS", "00D5e000000K9bQ"));
    assert_false(hf_hook_salesforce_org_matches("00D5e000000K9bq", "00D5e000000K9bQEAS"));
    assert_false(hf_hook_salesforce_org_matches("00D5e000000K9bQEAS", "00D5e000000K9bREAS"));
    assert_false(hf_hook_salesforce_org_matches("00D5e000000K9bQE", "00D5e000000K9bQEAS"));
    assert_false(hf_hook_salesforce_org_matches("", ""));
    assert_false(hf_hook_salesforce_org_matches(NULL, "00D5e000000K9bQ"));
}

static void test_ack_bytes(void **state)
{
    (void)state;
    size_t want_len, len = 0;
    char *want = fixture("salesforce", "ack.xml", &want_len);
    const char *ack = hf_hook_salesforce_ack(&len);
    assert_int_equal(len, want_len);
    assert_memory_equal(ack, want, len);
    free(want);

    /* and it is a well-formed SOAP document */
    hf_hook_batch b;
    hf_error err;
    assert_error(hf_hook_salesforce_parse(ack, len, NULL, &b, &err), err, HF_EINVAL,
                 "notifications");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opportunity_won),       cmocka_unit_test(test_stage_only),
        cmocka_unit_test(test_duplicate_and_account), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_dtd_refused),           cmocka_unit_test(test_deep_and_long),
        cmocka_unit_test(test_org_matches),           cmocka_unit_test(test_ack_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
