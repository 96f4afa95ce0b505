/* Unit tests of src/integrations/integration_config.c: what a configuration may say for
 * each source (a table of inputs, each either accepted or refused at a named path), the
 * normalized form, the owner lookup, segment rules (first match wins; min inclusive, max
 * exclusive; texts without regard to case), the command-line rule syntax and the document
 * paths a field mapping may write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/integration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    hf_hook_source source;
    const char *json;
    int rc;
    const char *path;
} cases[] = {
    {HF_HOOK_HUBSPOT, "{}", 0, ""},
    {HF_HOOK_HUBSPOT, "{\"won_stages\":[\"closedwon\",{\"pipeline\":\"7\",\"stage\":\"8\"}]}", 0,
     ""},
    {HF_HOOK_HUBSPOT, "{\"won_stages\":\"closedwon\"}", HF_EINVAL, "won_stages"},
    {HF_HOOK_HUBSPOT, "{\"won_stages\":[\"\"]}", HF_EINVAL, "won_stages[0]"},
    {HF_HOOK_HUBSPOT, "{\"won_stages\":[{\"stage\":\"x\",\"pipe\":\"y\"}]}", HF_EINVAL,
     "won_stages[0].pipe"},
    {HF_HOOK_PIPEDRIVE, "{\"won_stages\":[\"won\"]}", HF_EINVAL, "won_stages"},
    {HF_HOOK_GENERIC, "{\"owners\":{\"u-1\":\"not an address\"}}", HF_EINVAL, "owners.u-1"},
    {HF_HOOK_GENERIC, "{\"owners\":{\"u-1\":\"Rita@Vendor.example\"}}", 0, ""},
    {HF_HOOK_GENERIC, "{\"segment_rules\":[{\"segment\":\"huge\"}]}", HF_EINVAL,
     "segment_rules[0].segment"},
    {HF_HOOK_GENERIC, "{\"segment_rules\":[{\"segment\":\"smb\",\"min\":1}]}", HF_EINVAL,
     "segment_rules[0].field"},
    {HF_HOOK_GENERIC, "{\"segment_rules\":[{\"segment\":\"smb\",\"field\":\"amount\"}]}", HF_EINVAL,
     "segment_rules[0].field"},
    {HF_HOOK_GENERIC,
     "{\"segment_rules\":[{\"segment\":\"smb\",\"field\":\"a\",\"min\":1,\"equals\":\"x\"}]}",
     HF_EINVAL, "segment_rules[0].equals"},
    {HF_HOOK_GENERIC, "{\"segment_rules\":[{\"segment\":\"smb\",\"field\":\"a\",\"max\":\"1\"}]}",
     HF_EINVAL, "segment_rules[0].max"},
    {HF_HOOK_GENERIC, "{\"field_map\":{\"x\":\"team.csm.email\"}}", HF_EINVAL, "field_map.x"},
    {HF_HOOK_GENERIC, "{\"field_map\":{\"x\":\"deal.owner.email\"}}", HF_EINVAL, "field_map.x"},
    {HF_HOOK_GENERIC, "{\"field_map\":{\"x\":\"customer.industry\"}}", 0, ""},
    {HF_HOOK_GENERIC, "{\"won_trigger\":\"handshake\"}", HF_EINVAL, "won_trigger"},
    {HF_HOOK_GENERIC, "{\"timezone\":\"../etc/passwd\"}", HF_EINVAL, "timezone"},
    {HF_HOOK_GENERIC, "{\"csv\":{\"dates\":\"ymd\"}}", HF_EINVAL, "csv.dates"},
    {HF_HOOK_GENERIC, "{\"org_id\":\"00D5e000000K9bQEAS\"}", HF_EINVAL, "org_id"},
    {HF_HOOK_SALESFORCE, "{\"org_id\":\"00D5e000000K9bQ\"}", 0, ""},
    {HF_HOOK_SALESFORCE, "{\"org_id\":\"not-an-org\"}", HF_EINVAL, "org_id"},
    {HF_HOOK_DOCUSIGN, "{\"esign_field\":\"hubspot_deal\"}", 0, ""},
    {HF_HOOK_HUBSPOT, "{\"esign_field\":\"x\"}", HF_EINVAL, "esign_field"},
    {HF_HOOK_HUBSPOT, "{\"api_base\":\"ftp://x\"}", HF_EINVAL, "api_base"},
    {HF_HOOK_HUBSPOT, "{\"api_base\":\"http://127.0.0.1:8089\"}", 0, ""},
    {HF_HOOK_HUBSPOT, "{\"legacy_signatures\":1}", HF_EINVAL, "legacy_signatures"},
    {HF_HOOK_GENERIC, "{\"mystery\":1}", HF_EINVAL, "mystery"},
    {HF_HOOK_GENERIC, "[]", HF_EINVAL, "config"},
    {HF_HOOK_GENERIC, "{\"a\":1,\"a\":2}", HF_EINVAL, "config"},
    {HF_HOOK_GENERIC, "{\"timezone\":null,\"owners\":null}", 0, ""},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hf_integration_config c;
        hf_error err;
        hf_error_clear(&err);
        int rc = hf_integration_config_parse(cases[i].source, cases[i].json, strlen(cases[i].json),
                                             &c, &err);
        if (rc != cases[i].rc || strcmp(err.path, cases[i].path) != 0)
            fail_msg("%s: rc %d at \"%s\" (%s), expected %d at \"%s\"", cases[i].json, rc, err.path,
                     err.msg, cases[i].rc, cases[i].path);
        hf_integration_config_free(&c);
    }
}

static void test_normalized(void **state)
{
    (void)state;
    const char *in = "{\"owners\":{\"9876543\":\"Rita@Vendor.EXAMPLE\"},\"won_stages\":[\"x\"],"
                     "\"won_trigger\":\"verbal_commit\"}";
    hf_integration_config c;
    hf_error err;
    assert_int_equal(hf_integration_config_parse(HF_HOOK_HUBSPOT, in, strlen(in), &c, &err), 0);
    json_t *j = hf_integration_config_to_json(&c);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(
        s, "{\"api_base\":\"https://api.hubapi.com\",\"csv\":{\"dates\":\"auto\",\"decimal\":"
           "\"auto\"},\"field_map\":{},\"legacy_signatures\":false,\"owners\":{\"9876543\":\"rita@"
           "vendor.example\"},\"segment_rules\":[],\"timezone\":null,\"won_stages\":[{"
           "\"pipeline\":null,\"stage\":\"x\"}],\"won_trigger\":\"verbal_commit\"}");
    assert_string_equal(hf_integration_owner(&c, "9876543"), "rita@vendor.example");
    assert_null(hf_integration_owner(&c, "1"));
    assert_null(hf_integration_owner(&c, NULL));
    free(s);
    json_decref(j);
    hf_integration_config_free(&c);
    hf_integration_config_free(&c); /* twice is fine */
}

static const json_t *field_of(void *ctx, const char *name)
{
    return json_object_get(ctx, name);
}

static void test_segments(void **state)
{
    (void)state;
    const char *in =
        "{\"segment_rules\":[{\"segment\":\"strategic\",\"field\":\"type\",\"equals\":"
        "[\"Key account\"]},{\"segment\":\"enterprise\",\"field\":\"amount\",\"min\":"
        "100000},{\"segment\":\"mid_market\",\"field\":\"amount\",\"min\":20000,\"max\":"
        "100000}]}";
    hf_integration_config c;
    hf_error err;
    assert_int_equal(hf_integration_config_parse(HF_HOOK_GENERIC, in, strlen(in), &c, &err), 0);
    static const struct {
        const char *deal, *segment;
    } deals[] = {
        {"{\"amount\":100000}", "enterprise"},
        {"{\"amount\":99999.99}", "mid_market"},
        {"{\"amount\":20000}", "mid_market"},
        {"{\"amount\":19999}", NULL},
        {"{\"type\":\"KEY ACCOUNT\",\"amount\":5}", "strategic"},
        {"{\"amount\":\"150000\"}", NULL}, /* a text is no number to this function */
        {"{}", NULL},
    };
    for (size_t i = 0; i < sizeof(deals) / sizeof(deals[0]); i++) {
        json_t *d = json_loads(deals[i].deal, 0, NULL);
        const char *got = hf_integration_segment(&c, field_of, d);
        if (deals[i].segment ? !got || strcmp(got, deals[i].segment) != 0 : got != NULL)
            fail_msg("%s: segment %s, expected %s", deals[i].deal, got ? got : "none",
                     deals[i].segment ? deals[i].segment : "none");
        json_decref(d);
    }
    hf_integration_config_free(&c);
}

static void test_rule_syntax(void **state)
{
    (void)state;
    static const struct {
        const char *text, *json;
    } rules[] = {
        {"smb", "{\"segment\":\"smb\"}"},
        {"enterprise:amount>=100000",
         "{\"field\":\"amount\",\"min\":100000.0,\"segment\":\"enterprise\"}"},
        {"mid_market:amount<100000",
         "{\"field\":\"amount\",\"max\":100000.0,\"segment\":\"mid_market\"}"},
        {"strategic:type=Key|Tier 1",
         "{\"equals\":[\"Key\",\"Tier 1\"],\"field\":\"type\",\"segment\":\"strategic\"}"},
        {"huge", NULL},
        {"smb:", NULL},
        {"smb:amount>=lots", NULL},
        {"smb:=x", NULL},
    };
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        json_t *r = NULL;
        hf_error err;
        int rc = hf_integration_segment_rule_parse(rules[i].text, &r, &err);
        if (!rules[i].json) {
            if (rc != HF_EINVAL)
                fail_msg("%s: accepted", rules[i].text);
            continue;
        }
        assert_int_equal(rc, 0);
        char *s = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
        assert_string_equal(s, rules[i].json);
        free(s);
        json_decref(r);
    }
}

static void test_paths(void **state)
{
    (void)state;
    assert_true(hf_integration_path_allowed("customer.purchase_context"));
    assert_true(hf_integration_path_allowed("deal.name"));
    assert_true(hf_integration_path_allowed("deal.payment.terms"));
    assert_false(hf_integration_path_allowed("deal.owner.email"));
    assert_false(hf_integration_path_allowed("deal.contract_signed_at"));
    assert_false(hf_integration_path_allowed("team.csm.email"));
    assert_false(hf_integration_path_allowed("review.history"));
    assert_false(hf_integration_path_allowed("customer"));
    assert_false(hf_integration_path_allowed("customer..x"));
    assert_false(hf_integration_path_allowed("customer.x[0]"));
    assert_false(hf_integration_path_allowed(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),    cmocka_unit_test(test_normalized),
        cmocka_unit_test(test_segments), cmocka_unit_test(test_rule_syntax),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
