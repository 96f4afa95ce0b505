/* Unit tests of hf_json_loadb (src/core/json_parse.c): for every text, the value of
 * jansson's json_loadb with the same flags, or jansson's own error.
 *
 * - Every .json file under tests/data, with each of the flags the product reads with: the
 *   fast path takes every well-formed file and builds the same value (the same text when
 *   dumped, so the same types and member order).
 * - Chosen well-formed texts the fast path must take: numbers at the edges (-0, 64-bit
 *   limits, exponents, an underflow jansson accepts), every escape, surrogate pairs,
 *   multi-byte UTF-8, a key seen twice (replaced in its place), blanks, scalars under
 *   JSON_DECODE_ANY.
 * - Chosen texts jansson refuses: the fast path gives NULL for each, and hf_json_loadb
 *   returns NULL with jansson's line, column and text.
 * - Under a locale whose decimal point is a comma the fast path steps aside. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/document.h"
#include "json_files.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int flag_sets[] = {0, JSON_REJECT_DUPLICATES, JSON_DECODE_ANY,
                                JSON_REJECT_DUPLICATES | JSON_DECODE_ANY};

static char *dump(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
}

/* Compares hf_json_loadb_fast and hf_json_loadb with json_loadb on (s, n, flags); returns
 * whether the fast path took the text. */
static bool same(const char *s, size_t n, int flags)
{
    json_error_t je, he;
    json_t *want = json_loadb(s, n, (size_t)flags, &je);
    json_t *fast = hf_json_loadb_fast(s, n, flags);
    json_t *got = hf_json_loadb(s, n, flags, &he);
    if (!want) {
        assert_null(fast);
        assert_null(got);
        assert_int_equal(he.line, je.line);
        assert_int_equal(he.column, je.column);
        assert_int_equal(he.position, je.position);
        assert_string_equal(he.text, je.text);
        return false;
    }
    assert_non_null(got);
    char *w = dump(want), *g = dump(got);
    assert_string_equal(g, w);
    assert_true(json_equal(want, got));
    free(g);
    if (fast) {
        char *f = dump(fast);
        assert_string_equal(f, w);
        free(f);
    }
    free(w);
    bool took = fast != NULL;
    json_decref(want);
    json_decref(fast);
    json_decref(got);
    return took;
}

static bool same_text(const char *s, int flags)
{
    return same(s, strlen(s), flags);
}

/* One file of tests/data, with each set of flags; counts when jansson reads it. */
static bool check_file(const char *path, const char *buf, size_t got)
{
    (void)path;
    json_t *ok = json_loadb(buf, got, JSON_DECODE_ANY, NULL);
    for (size_t i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
        bool took = same(buf, got, flag_sets[i]);
        /* a well-formed file without a repeated key is taken by the fast path */
        json_t *strict = json_loadb(buf, got, (size_t)flag_sets[i], NULL);
        if (strict)
            assert_true(took);
        json_decref(strict);
    }
    bool counted = ok != NULL;
    json_decref(ok);
    return counted;
}

static void test_every_data_file(void **state)
{
    (void)state;
    assert_true(json_files_walk("tests/data", check_file) > 100);
}

static const char *const taken[] = {
    "{}",
    "[]",
    " \t\r\n{ \"a\" : 1 , \"b\" : [ true , false , null ] } \n",
    "[0,-0,1,-1,9223372036854775807,-9223372036854775808]",
    "[0.0,-0.0,1.5,1e3,1E3,1e+3,1e-3,-2.5E-300,1.7976931348623157e308,5e-324,1e-400]",
    "[123456789012345678901234567890.5]",
    "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]",
    "[\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"]",
    "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf\"]",
    "[\"\x7f\"]",
    "{\"k\\u00e9y\":{\"nested\":[[[{}]]]},\"x\":\"\"}",
    "{\"a\":1,\"b\":2,\"a\":3}",
    "{\"a\":{\"x\":1},\"b\":2,\"a\":{\"y\":2}}",
};

static void test_chosen_taken(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
        bool dup = strstr(taken[i], "\"a\":1,\"b\":2,\"a\"") || strstr(taken[i], "\"b\":2,\"a\":{");
        assert_true(same_text(taken[i], 0));
        assert_true(same_text(taken[i], JSON_DECODE_ANY));
        /* a repeated key is jansson's error under JSON_REJECT_DUPLICATES */
        assert_int_equal(same_text(taken[i], JSON_REJECT_DUPLICATES), !dup);
    }
    /* the later value of a repeated key, in the place of the first */
    json_t *v = hf_json_loadb("{\"a\":1,\"b\":2,\"a\":3}", 19, 0, NULL);
    char *s = dump(v);
    assert_string_equal(s, "{\"a\":3,\"b\":2}");
    free(s);
    json_decref(v);
    /* scalars only under JSON_DECODE_ANY */
    const char *scalars[] = {"1", " -2.5 ", "\"s\"", "true", "false", "null"};
    for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
        assert_true(same_text(scalars[i], JSON_DECODE_ANY));
        assert_false(same_text(scalars[i], 0));
    }
    /* a long key with escapes, kept while its value is read into the same scratch */
    char big[sizeof("{\"") - 1 + 100 * 6 + sizeof("\":\"\\n value\"}")];
    strcpy(big, "{\"");
    for (int i = 0; i < 100; i++)
        strcat(big, "\\u00e9");
    strcat(big, "\":\"\\n value\"}");
    assert_true(same_text(big, 0));
}

static const char *const refused[] = {
    "",
    "   ",
    "{",
    "[1,]",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{a:1}",
    "[01]",
    "[-]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[+1]",
    "[9223372036854775808]",
    "[-9223372036854775809]",
    "[1e400]",
    "[-1e400]",
    "[\"\\u0000\"]",
    "[\"\\ud800\"]",
    "[\"\\udc00\"]",
    "[\"\\ud800\\u0041\"]",
    "[\"\\x\"]",
    "[\"\\u12\"]",
    "[\"tab\there\"]",
    "[\"\xc0\xaf\"]",
    "[\"\xe0\x80\xaf\"]",
    "[\"\xed\xa0\x80\"]",
    "[\"\xf4\x90\x80\x80\"]",
    "[\"\xff\"]",
    "[\"unterminated]",
    "[tru]",
    "[truex]",
    "[nul]",
    "{} {}",
    "[] x",
    "[1] 2",
};

static void test_chosen_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        for (size_t f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
            assert_false(same_text(refused[i], flag_sets[f]));
    }
    /* an embedded NUL outside a string, and inside one */
    assert_false(same("[1]\0", 4, 0));
    assert_false(same("[\"a\0b\"]", 7, 0));
    /* nesting: 2048 levels are jansson's limit */
    size_t n = 2049;
    char *deep = malloc(2 * n + 1);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    assert_false(same(deep, 2 * n, 0));
    assert_true(same(deep + 1, 2 * (n - 1), 0));
    free(deep);
    /* NULL and other flags go to jansson */
    assert_null(hf_json_loadb_fast(NULL, 0, 0));
    assert_null(hf_json_loadb_fast("[1]", 3, JSON_DECODE_INT_AS_REAL));
    json_t *v = hf_json_loadb("[1]", 3, JSON_DECODE_INT_AS_REAL, NULL);
    assert_true(json_is_real(json_array_get(v, 0)));
    json_decref(v);
}

/* a stored document's text: the same value as json_loads, NULL as {} */
static void test_loads_stored_text(void **state)
{
    (void)state;
    const char *text = "{\"deal\":{\"name\":\"Acme\",\"amount\":1.5},\"risks\":[1,null]}";
    json_t *want = json_loads(text, 0, NULL), *got = hf_json_loads_fast(text);
    assert_non_null(got);
    assert_true(json_equal(want, got));
    json_decref(want);
    json_decref(got);
    got = hf_json_loads_fast(NULL);
    assert_true(json_is_object(got) && json_object_size(got) == 0);
    json_decref(got);
    assert_null(hf_json_loads_fast("{\"a\":"));
}

static void test_decimal_comma_locale(void **state)
{
    (void)state;
    const char *names[] = {"de_DE.UTF-8", "pt_BR.UTF-8", "fr_FR.UTF-8", "de_DE.utf8"};
    const char *set = NULL;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set) {
        printf("# no locale with a decimal comma installed: checked in C only\n");
        assert_non_null(setlocale(LC_NUMERIC, "C"));
        return;
    }
    assert_null(hf_json_loadb_fast("[1.5]", 5, 0));
    json_t *v = hf_json_loadb("[1.5]", 5, 0, NULL);
    assert_true(json_real_value(json_array_get(v, 0)) == 1.5);
    json_decref(v);
    setlocale(LC_NUMERIC, "C");
    assert_true(same_text("[1.5]", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_data_file),   cmocka_unit_test(test_chosen_taken),
        cmocka_unit_test(test_chosen_refused),    cmocka_unit_test(test_decimal_comma_locale),
        cmocka_unit_test(test_loads_stored_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
