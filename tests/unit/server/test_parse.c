/* Unit tests of handoffd's input parsers (src/server/parse.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "server/parse.h"

#include "handoff/jsondiff.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_if_match),       cmocka_unit_test(test_cookie),
        cmocka_unit_test(test_first_language), cmocka_unit_test(test_merge_patch),
        cmocka_unit_test(test_route_match),
    };
    return cmocka_run_group_tests_name("server_parse", tests, NULL, NULL);
}
