/* Unit tests of src/integrations/hook_esign.c against tests/data/hooks/docusign/ and
 * tests/data/hooks/pandadoc/: completion events with the deal id from a custom field,
 * metadata, field or token; other events and envelopes without a deal id ignored; dedupe
 * keys; malformed bodies; and the HMAC signatures with known answers computed with
 * Python's hmac. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hook_test.h"

static void docusign_fixture(const char *name, const hf_hook_esign_config *cfg, hf_hook_batch *b)
{
    size_t len;
    char *body = fixture("docusign", name, &len);
    hf_error err;
    int rc = hf_hook_docusign_parse(body, len, cfg, b, &err);
    free(body);
    if (rc)
        fail_msg("%s: %s at %s", name, err.msg, err.path);
    assert_int_equal(b->count, 1);
}

static void test_docusign_completed(void **state)
{
    (void)state;
    hf_hook_batch b;
    docusign_fixture("envelope-completed.json", NULL, &b);
    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->source, HF_HOOK_DOCUSIGN);
    assert_int_equal(e->kind, HF_HOOK_CONTRACT_COMPLETED);
    assert_string_equal(e->event_id, "93be49ab-afa0-4adf-933c-f752070d71ec:envelope-completed:"
                                     "2024-03-08T16:05:12.4350000Z");
    assert_string_equal(e->crm_id, "0065e00000AbCdEAAV");
    assert_string_equal(e->document_id, "93be49ab-afa0-4adf-933c-f752070d71ec");
    assert_string_equal(e->org_id, "1a2b3c4d-0000-1111-2222-333344445555");
    assert_string_equal(e->name, "Please sign: Acme Corp master services agreement");
    assert_time(e->signed_at, "2024-03-08T16:05:10Z");
    assert_time(e->occurred_at, "2024-03-08T16:05:12Z");
    /* the summary is kept for mapping, without the documents */
    assert_string_equal(json_string_value(json_object_get(e->properties, "status")), "completed");
    assert_null(json_object_get(e->properties, "envelopeDocuments"));
    hf_hook_batch_free(&b);
}

static void test_docusign_ignored(void **state)
{
    (void)state;
    hf_hook_batch b;
    docusign_fixture("envelope-sent.json", NULL, &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[0].ignored_why, "not a completion event");
    assert_string_equal(b.events[0].crm_id, "0065e00000AbCdEAAV");
    hf_hook_batch_free(&b);

    docusign_fixture("completed-without-deal-id.json", NULL, &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[0].ignored_why, "no deal id custom field");
    hf_hook_batch_free(&b);

    /* a list custom field under a configured name (names compared without case) */
    hf_hook_esign_config cfg = {"opportunity"};
    docusign_fixture("list-custom-field.json", &cfg, &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_CONTRACT_COMPLETED);
    assert_string_equal(b.events[0].crm_id, "12345");
    hf_hook_batch_free(&b);
    docusign_fixture("list-custom-field.json", NULL, &b);
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    hf_hook_batch_free(&b);
}

static void test_docusign_malformed(void **state)
{
    (void)state;
    hf_hook_batch b;
    hf_error err;
    size_t len;
    char *body = fixture("docusign", "bad-envelope-id.json", &len);
    assert_error(hf_hook_docusign_parse(body, len, NULL, &b, &err), err, HF_EINVAL,
                 "data.envelopeId");
    free(body);
    body = fixture("docusign", "malformed.json", &len);
    assert_error(hf_hook_docusign_parse(body, len, NULL, &b, &err), err, HF_EINVAL, "");
    assert_int_equal(err.line, 2);
    free(body);
    const char *s = "{\"event\":\"envelope-completed\",\"data\":{\"envelopeId\":\"e\"}}";
    assert_error(hf_hook_docusign_parse(s, strlen(s), NULL, &b, &err), err, HF_EINVAL,
                 "generatedDateTime");
    s = "{\"event\":\"envelope-completed\",\"generatedDateTime\":\"x\",\"data\":{\"envelopeId\":"
        "\"e\"}}";
    assert_error(hf_hook_docusign_parse(s, strlen(s), NULL, &b, &err), err, HF_EINVAL,
                 "generatedDateTime");
    s = "{\"event\":\"envelope-completed\",\"generatedDateTime\":\"2024-03-08T16:05:12Z\","
        "\"data\":{\"envelopeId\":\"e\",\"envelopeSummary\":{\"status\":\"completed\","
        "\"customFields\":{\"textCustomFields\":[{\"name\":\"crm_deal_id\",\"value\":[1]}]}}}}";
    assert_error(hf_hook_docusign_parse(s, strlen(s), NULL, &b, &err), err, HF_EINVAL,
                 "data.envelopeSummary.customFields.textCustomFields");
    assert_error(hf_hook_docusign_parse("[]", 2, NULL, &b, &err), err, HF_EINVAL, "");
    assert_int_equal(b.count, 0);
}

static void test_docusign_signature(void **state)
{
    (void)state;
    const char *key = "docusign-connect-key";
    const char *good = "q2HKVh810Uv3RfGLuVePONYxFFO8zNkRlJ06Y7PL9Xk=";
    size_t len;
    char *body = fixture("docusign", "envelope-completed.json", &len);
    hf_error err;
    const char *one[] = {good};
    assert_int_equal(hf_hook_docusign_verify(key, body, len, one, 1, &err), 0);
    /* during a key rotation the match may be any of the headers */
    const char *rotated[] = {"c29tZXRoaW5nIGVsc2UgZW50aXJlbHkgMzIgYnl0ZXMhIQ==", NULL, good};
    assert_int_equal(hf_hook_docusign_verify(key, body, len, rotated, 3, &err), 0);
    const char *none[] = {"c29tZXRoaW5nIGVsc2UgZW50aXJlbHkgMzIgYnl0ZXMhIQ==", "junk"};
    assert_error(hf_hook_docusign_verify(key, body, len, none, 2, &err), err, HF_EPERM,
                 "X-DocuSign-Signature-1");
    assert_int_equal(hf_hook_docusign_verify(key, body, len - 1, one, 1, &err), HF_EPERM);
    assert_int_equal(hf_hook_docusign_verify("other", body, len, one, 1, &err), HF_EPERM);
    const char *empty[] = {NULL, ""};
    assert_error(hf_hook_docusign_verify(key, body, len, empty, 2, &err), err, HF_EINVAL,
                 "X-DocuSign-Signature-1");
    assert_int_equal(hf_hook_docusign_verify(key, body, len, NULL, 0, &err), HF_EINVAL);
    assert_int_equal(hf_hook_docusign_verify("", body, len, one, 1, &err), HF_EUSAGE);
    free(body);
}

static void test_pandadoc_batch(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture("pandadoc", "batch.json", &len);
    hf_hook_batch b;
    hf_error err;
    assert_int_equal(hf_hook_pandadoc_parse(body, len, NULL, NULL, &b, &err), 0);
    assert_int_equal(b.source, HF_HOOK_PANDADOC);
    assert_int_equal(b.count, 4);
    const hf_hook_event *e = &b.events[0];
    assert_int_equal(e->kind, HF_HOOK_CONTRACT_COMPLETED);
    assert_string_equal(e->event_id,
                        "msFYActMfJHqNTKH8YSvF1:document_state_changed:document.completed");
    assert_string_equal(e->crm_id, "697680835"); /* from metadata */
    assert_string_equal(e->document_id, "msFYActMfJHqNTKH8YSvF1");
    assert_string_equal(e->name, "Acme Corp - Order form");
    assert_time(e->signed_at, "2024-03-08T16:06:59Z");
    assert_time(e->occurred_at, "2024-03-08T16:07:00Z");
    /* the same document sent: another key, ignored */
    assert_int_equal(b.events[1].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[1].event_id,
                        "msFYActMfJHqNTKH8YSvF1:document_state_changed:document.sent");
    /* the deal id from a field */
    assert_int_equal(b.events[2].kind, HF_HOOK_CONTRACT_COMPLETED);
    assert_string_equal(b.events[2].crm_id, "697680836");
    assert_time(b.events[2].signed_at, "2024-03-08T16:06:59Z");
    /* another event about a completed document is not the completion */
    assert_int_equal(b.events[3].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[3].ignored_why, "not a completion event");
    hf_hook_batch_free(&b);

    /* with the delivery's event id header */
    assert_int_equal(hf_hook_pandadoc_parse(body, len, NULL, "5c1e6a3e-77", &b, &err), 0);
    assert_string_equal(b.events[0].event_id, "5c1e6a3e-77:0");
    assert_string_equal(b.events[3].event_id, "5c1e6a3e-77:3");
    hf_hook_batch_free(&b);
    free(body);

    body = fixture("pandadoc", "completed-without-deal-id.json", &len);
    assert_int_equal(hf_hook_pandadoc_parse(body, len, NULL, "evt-1", &b, &err), 0);
    assert_int_equal(b.count, 1);
    assert_string_equal(b.events[0].event_id, "evt-1");
    assert_int_equal(b.events[0].kind, HF_HOOK_IGNORED);
    assert_string_equal(b.events[0].ignored_why, "no deal id in the document");
    hf_hook_batch_free(&b);
    free(body);
}

static void test_pandadoc_malformed(void **state)
{
    (void)state;
    size_t len;
    hf_hook_batch b;
    hf_error err;
    char *body = fixture("pandadoc", "missing-id.json", &len);
    assert_error(hf_hook_pandadoc_parse(body, len, NULL, NULL, &b, &err), err, HF_EINVAL,
                 "[1].data.id");
    assert_int_equal(b.count, 0);
    free(body);
    body = fixture("pandadoc", "malformed.json", &len);
    assert_error(hf_hook_pandadoc_parse(body, len, NULL, NULL, &b, &err), err, HF_EINVAL, "");
    assert_int_equal(err.line, 1);
    free(body);
    const char *s = "[{\"event\":\"document_state_changed\"}]";
    assert_error(hf_hook_pandadoc_parse(s, strlen(s), NULL, NULL, &b, &err), err, HF_EINVAL,
                 "[0].data");
    s = "[{\"data\":{\"id\":\"d\"}}]";
    assert_error(hf_hook_pandadoc_parse(s, strlen(s), NULL, NULL, &b, &err), err, HF_EINVAL,
                 "[0].event");
    s = "{\"event\":\"document_state_changed\",\"data\":{\"id\":\"d\"}}";
    assert_error(hf_hook_pandadoc_parse(s, strlen(s), NULL, NULL, &b, &err), err, HF_EINVAL, "");
}

static void test_pandadoc_signature(void **state)
{
    (void)state;
    const char *key = "pandadoc-shared-key";
    const char *good = "a818d4a2b69460fed468d5540cded372f87427e3fdbdfc04c7a53b3159ec4ea1";
    size_t len;
    char *body = fixture("pandadoc", "batch.json", &len);
    hf_error err;
    assert_int_equal(hf_hook_pandadoc_verify(key, body, len, good, &err), 0);
    assert_error(hf_hook_pandadoc_verify(key, body, len - 1, good, &err), err, HF_EPERM,
                 "signature");
    assert_int_equal(hf_hook_pandadoc_verify("k", body, len, good, &err), HF_EPERM);
    assert_int_equal(hf_hook_pandadoc_verify(key, body, len, "a818", &err), HF_EPERM);
    assert_error(hf_hook_pandadoc_verify(key, body, len, NULL, &err), err, HF_EINVAL, "signature");
    assert_int_equal(hf_hook_pandadoc_verify(NULL, body, len, good, &err), HF_EUSAGE);

    /* the signature as the receiver finds it in the query string */
    char sig[HF_HOOK_SIG_HEX_MAX];
    char query[256];
    snprintf(query, sizeof(query), "endpoint=7&signature=%s&x=%%41", good);
    assert_int_equal(hf_hook_query_param(query, "signature", sig, sizeof(sig)), 64);
    assert_string_equal(sig, good);
    assert_int_equal(hf_hook_pandadoc_verify(key, body, len, sig, &err), 0);
    free(body);
}

static void test_query_param(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(hf_hook_query_param("a=1&b=x%2By+z&c", "b", out, sizeof(out)), 5);
    assert_string_equal(out, "x+y z");
    assert_int_equal(hf_hook_query_param("a=1&b=2", "a", out, sizeof(out)), 1);
    assert_string_equal(out, "1");
    assert_int_equal(hf_hook_query_param("ab=1", "a", out, sizeof(out)), -1);
    assert_int_equal(hf_hook_query_param("a=", "a", out, sizeof(out)), 0);
    assert_int_equal(hf_hook_query_param("a=%4", "a", out, sizeof(out)), -1);
    assert_int_equal(hf_hook_query_param("a=%zz", "a", out, sizeof(out)), -1);
    assert_int_equal(hf_hook_query_param("a=%00", "a", out, sizeof(out)), -1);
    assert_int_equal(hf_hook_query_param("a=0123456789abcdef", "a", out, sizeof(out)), -1);
    assert_int_equal(hf_hook_query_param("", "a", out, sizeof(out)), -1);
    assert_int_equal(hf_hook_query_param(NULL, "a", out, sizeof(out)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docusign_completed), cmocka_unit_test(test_docusign_ignored),
        cmocka_unit_test(test_docusign_malformed), cmocka_unit_test(test_docusign_signature),
        cmocka_unit_test(test_pandadoc_batch),     cmocka_unit_test(test_pandadoc_malformed),
        cmocka_unit_test(test_pandadoc_signature), cmocka_unit_test(test_query_param),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
