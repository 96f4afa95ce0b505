/* Unit tests of handoffd's input parsers (src/server/parse.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "server/parse.h"

#include "handoff/jsondiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_if_match(void **state)
{
    (void)state;
    assert_int_equal(hf_http_if_match(NULL), 0);
    assert_int_equal(hf_http_if_match("\"3\""), 3);
    assert_int_equal(hf_http_if_match("W/\"12\""), 12);
    assert_int_equal(hf_http_if_match("7"), 7);
    assert_int_equal(hf_http_if_match("*"), HF_IF_MATCH_ANY);
    assert_int_equal(hf_http_if_match("\"0\""), -1);
    assert_int_equal(hf_http_if_match("\"-2\""), -1);
    assert_int_equal(hf_http_if_match("\"3x\""), -1);
    assert_int_equal(hf_http_if_match("\"abc\""), -1);
    assert_int_equal(hf_http_if_match("\"99999999999\""), -1);
    assert_int_equal(hf_http_if_match(""), -1);
}

static void test_cookie(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(hf_http_cookie("a=1; hf_session=xyz; b=2", "hf_session", buf, sizeof(buf)),
                        "xyz");
    assert_string_equal(hf_http_cookie("hf_session=first", "hf_session", buf, sizeof(buf)),
                        "first");
    assert_null(hf_http_cookie("hf_sessionx=1", "hf_session", buf, sizeof(buf)));
    assert_null(hf_http_cookie(NULL, "hf_session", buf, sizeof(buf)));
    assert_null(hf_http_cookie("hf_session=0123456789abcdefXYZ", "hf_session", buf, sizeof(buf)));
}

static void test_first_language(void **state)
{
    (void)state;
    char out[16];
    hf_http_first_language("pt-BR,pt;q=0.9,en;q=0.8", out, sizeof(out));
    assert_string_equal(out, "pt-BR");
    hf_http_first_language("es;q=1", out, sizeof(out));
    assert_string_equal(out, "es");
    hf_http_first_language(NULL, out, sizeof(out));
    assert_string_equal(out, "");
    hf_http_first_language("averyveryverylonglanguagetag", out, sizeof(out));
    assert_string_equal(out, "");
}

static void test_merge_patch(void **state)
{
    (void)state;
    json_t *doc = json_loads("{\"a\":{\"b\":1,\"c\":2},\"d\":[1,2],\"e\":\"x\"}", 0, NULL);
    json_t *patch =
        json_loads("{\"a\":{\"b\":null,\"f\":3},\"d\":[3],\"e\":null,\"g\":{\"h\":1}}", 0, NULL);
    hf_json_merge_patch(doc, patch);
    char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(s, "{\"a\":{\"c\":2,\"f\":3},\"d\":[3],\"g\":{\"h\":1}}");
    free(s);
    json_decref(doc);
    json_decref(patch);
}

static void test_route_match(void **state)
{
    (void)state;
    char params[HF_ROUTE_PARAMS][HF_ROUTE_PARAM_MAX];
    int n = -1;
    assert_true(hf_route_match("/api/v1/handoffs/{}/versions/{}", "/api/v1/handoffs/12/versions/3",
                               params, &n));
    assert_int_equal(n, 2);
    assert_string_equal(params[0], "12");
    assert_string_equal(params[1], "3");
    assert_false(hf_route_match("/api/v1/handoffs/{}", "/api/v1/handoffs/", params, &n));
    assert_false(hf_route_match("/api/v1/handoffs/{}", "/api/v1/handoffs/1/x", params, &n));
    assert_false(hf_route_match("/api/v1/handoffs", "/api/v1/handoffsX", NULL, NULL));
    assert_true(hf_route_match("/healthz", "/healthz", NULL, NULL));
    char longseg[300];
    memset(longseg, 'a', sizeof(longseg) - 1);
    longseg[0] = '/';
    longseg[sizeof(longseg) - 1] = '\0';
    assert_false(hf_route_match("/{}", longseg, params, &n));
}

static void test_route_ids_are_canonical(void **state)
{
    (void)state;
    char params[HF_ROUTE_PARAMS][HF_ROUTE_PARAM_MAX];
    int n = -1;
    const char *pat = "/api/v1/handoffs/{}/history";
    assert_true(hf_route_match(pat, "/api/v1/handoffs/1/history", params, &n));
    assert_string_equal(params[0], "1");
    assert_true(hf_route_match(pat, "/api/v1/handoffs/9007199254740992/history", params, &n));
    static const char *const bad[] = {"+1",
                                      "-1",
                                      "01",
                                      "0",
                                      "00",
                                      " 1",
                                      "1 ",
                                      "\t1",
                                      "+0",
                                      "9007199254740993",
                                      "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/api/v1/handoffs/%s/history", bad[i]);
        if (hf_route_match(pat, path, params, &n))
            fail_msg("matched \"%s\"", path);
    }
    /* segments that are not numbers keep matching: CRM deal ids, and what the handler
     * refuses itself */
    assert_true(hf_route_match("/api/v1/gate/{}", "/api/v1/gate/0067F000003pmdWQAQ", params, &n));
    assert_string_equal(params[0], "0067F000003pmdWQAQ");
    assert_true(hf_route_match("/api/v1/gate/{}", "/api/v1/gate/CRM-OWN", params, &n));
    assert_true(hf_route_match("/api/v1/handoffs/{}", "/api/v1/handoffs/1e3", params, &n));
    assert_true(hf_route_match("/api/v1/handoffs/{}", "/api/v1/handoffs/abc", params, &n));
    assert_false(hf_route_match("/api/v1/gate/{}", "/api/v1/gate/ ACME", params, &n));
    assert_false(hf_route_match("/api/v1/gate/{}", "/api/v1/gate/ACME ", params, &n));
    assert_true(hf_route_match("/api/v1/gate/{}", "/api/v1/gate/AC ME", params, &n));
}

static void test_media_type(void **state)
{
    (void)state;
    static const char *const good[] = {
        "application/json",
        "APPLICATION/JSON",
        "Application/Json",
        " application/json ",
        "application/json;charset=utf-8",
        "application/json; charset=UTF-8",
        "application/json ; charset=\"utf-8\"",
        "application/json;",
        "application/json; ;",
        "application/json; profile=\"https://x.example/a;b\"; charset=utf-8",
        "application/json; q=\"a\\\"b\"",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        if (!hf_media_type_is(good[i], "application/json"))
            fail_msg("refused \"%s\"", good[i]);
    }
    static const char *const bad[] = {
        NULL,
        "",
        "application/jsonx",
        "application/json-seq",
        "application/json+x",
        "application/json/x",
        "application/jso",
        "application/x+json",
        "application/merge-patch+json",
        "text/json",
        "text/plain",
        "application/json charset=utf-8",
        "application/json; charset=latin1",
        "application/json; charset=utf8",
        "application/json; charset=\"utf-8",
        "application/json; charset=utf-8-and-something-longer",
        "application/json; charset=",
        "application/json; =utf-8",
        "application/json; charset",
        "application/json; a=b c",
        "application/json\r\nX-Injected: 1",
        "application/json; a=\"\x01\"",
        "multipart/form-data; boundary=x",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (hf_media_type_is(bad[i], "application/json"))
            fail_msg("accepted \"%s\"", bad[i] ? bad[i] : "(null)");
    }
    assert_true(hf_media_type_is("application/merge-patch+json; charset=utf-8",
                                 "application/merge-patch+json"));
    assert_false(hf_media_type_is("application/merge-patch+jsonx", "application/merge-patch+json"));
    assert_false(hf_media_type_is("application/json", ""));
}

static void expect_target(const char *t, int want)
{
    const char *why = NULL;
    int got = hf_http_target_check(t, strlen(t), 100, &why);
    if (got != want)
        fail_msg("\"%s\": %d, expected %d (%s)", t, got, want, why ? why : "-");
    if (want)
        assert_non_null(why);
    else
        assert_null(why);
}

static void test_target_check(void **state)
{
    (void)state;
    expect_target("/api/v1/handoffs/1/history", 0);
    expect_target("/api/v1/handoffs?owner=Jos%C3%A9%20Silva&limit=5", 0);
    expect_target("/api/v1/gate/0067F000003pmdWQAQ", 0);
    expect_target("/a?x=%2F", 0); /* an encoded slash is data in a query */
    expect_target("/a?now=2026-11-09T12:00:00%2B02:00", 0);
    expect_target("/a/%41%62", 0);
    expect_target("*", 0);
    expect_target("", 0);
    /* encoded NUL, control characters and slashes */
    expect_target("/api/v1/handoffs/1%00/history", 400);
    expect_target("/a?x=%00", 400);
    expect_target("/a%0a", 400);
    expect_target("/a%0D%0AX-Injected:%201", 400);
    expect_target("/a%7f", 400);
    expect_target("/api/v1/handoffs/1%2Fhistory", 400);
    expect_target("/api/v1/handoffs/1%2fhistory", 400);
    /* bad percent-encoding */
    expect_target("/a%", 400);
    expect_target("/a%4", 400);
    expect_target("/a%zz", 400);
    expect_target("/a%g0", 400);
    expect_target("/a?b=%", 400);
    /* characters that must be encoded */
    expect_target("/a b", 400);
    expect_target("/a\tb", 400);
    expect_target("/a#frag", 400);
    expect_target("/a\"", 400);
    expect_target("/a<script>", 400);
    expect_target("/a\\b", 400);
    expect_target("/a{b}", 400);
    expect_target("/caf\xc3\xa9", 400);
    /* encoded bytes that are not UTF-8 */
    expect_target("/a%ff", 400);
    expect_target("/a%C0%AF", 400);    /* overlong '/' */
    expect_target("/a%E0%80%AF", 400); /* overlong '/' */
    expect_target("/a%ED%A0%80", 400); /* a surrogate */
    expect_target("/a%F4%90%80%80", 400);
    expect_target("/a%C3", 400); /* cut short */
    expect_target("/a%C3b", 400);
    expect_target("/a%F0%9F%98%80", 0); /* U+1F600 */
    /* length */
    char longt[200];
    memset(longt, 'a', sizeof(longt) - 1);
    longt[0] = '/';
    longt[sizeof(longt) - 1] = '\0';
    expect_target(longt, 414);
    longt[100] = '\0';
    expect_target(longt, 0);
    /* a NUL inside the given length */
    const char nul[] = "/a\0b";
    const char *why;
    assert_int_equal(hf_http_target_check(nul, sizeof(nul) - 1, 100, &why), 400);
    assert_int_equal(hf_http_target_check(nul, sizeof(nul) - 1, 100, NULL), 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_if_match),       cmocka_unit_test(test_cookie),
        cmocka_unit_test(test_first_language), cmocka_unit_test(test_merge_patch),
        cmocka_unit_test(test_route_match),    cmocka_unit_test(test_route_ids_are_canonical),
        cmocka_unit_test(test_media_type),     cmocka_unit_test(test_target_check),
    };
    return cmocka_run_group_tests_name("server_parse", tests, NULL, NULL);
}
