/* Unit tests of hf_json_dumps_compact (src/core/json_compact.c): its text must be exactly
 * jansson's json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(p)).
 *
 * - Every JSON file under tests/data (case documents, protocols, hook bodies), at the
 *   precisions the product writes with (17 for stored documents, 15 and 10 elsewhere).
 * - Chosen values: reals at the edges of %g (exponents, -0.0, the smallest and largest
 *   doubles, integral reals), 64-bit integers, every control character, quotes,
 *   backslashes, `/`, U+007F, multi-byte UTF-8, an embedded NUL, keys that need escaping,
 *   empty and nested containers, member order as inserted.
 * - What jansson refuses gives NULL here too: a string that is not UTF-8 (made with the
 *   unchecked constructors), a root that is not an object or an array.
 * - Reals under a locale whose decimal point is a comma, when one is installed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/document.h"
#include "json_files.h"

#include <float.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void same_as_jansson(const json_t *v, int precision)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION((unsigned)precision));
    char *got = hf_json_dumps_compact(v, precision);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

/* One file of tests/data at three precisions; the files of invalid JSON are for the
 * parser's tests and do not count. */
static bool check_file(const char *path, const char *text, size_t len)
{
    (void)path;
    json_t *v = json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!v)
        return false;
    same_as_jansson(v, 17);
    same_as_jansson(v, 15);
    same_as_jansson(v, 10);
    json_decref(v);
    return true;
}

static void test_every_data_file(void **state)
{
    (void)state;
    int n = json_files_walk("tests/data", check_file);
    assert_true(n > 100);
}

static const double reals[] = {0.0,
                               -0.0,
                               1.0,
                               -1.0,
                               0.1,
                               12919.0,
                               1200.5,
                               1e21,
                               1e22,
                               1.5e300,
                               -2.5e-300,
                               1e-7,
                               123456789012345678.0,
                               0.30000000000000004,
                               DBL_MAX,
                               DBL_MIN,
                               5e-324,
                               100.0,
                               1e15,
                               1e16,
                               1e17,
                               3.14159265358979};

static void test_chosen_values(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++)
        json_array_append_new(a, json_real(reals[i]));
    json_array_append_new(a, json_integer(INT64_MIN));
    json_array_append_new(a, json_integer(INT64_MAX));
    json_array_append_new(a, json_integer(0));
    json_array_append_new(a, json_true());
    json_array_append_new(a, json_false());
    json_array_append_new(a, json_null());
    json_array_append_new(a, json_object());
    json_array_append_new(a, json_array());
    json_object_set_new(o, "values", a);
    char ctl[64];
    size_t n = 0;
    for (int c = 1; c < 0x20; c++)
        ctl[n++] = (char)c;
    memcpy(ctl + n, "\"\\/\x7f", 4);
    n += 4;
    json_object_set_new(o, "controls", json_stringn(ctl, n));
    json_object_set_new(o, "nul", json_stringn("a\0b", 3));
    json_object_set_new(o, "utf8", json_string("São Paulo — 東京 😀 \xe2\x80\xa8"));
    json_object_set_new(o, "key \"quoted\"\n\\", json_string(""));
    json_object_set_new(o, "z first", json_integer(1)); /* insertion order, not sorted */
    json_object_set_new(o, "a then", json_integer(2));
    json_t *deep = json_object();
    json_t *cur = deep;
    for (int i = 0; i < 40; i++) {
        json_t *next = json_object();
        json_object_set_new(cur, "x", next);
        cur = next;
    }
    json_object_set_new(o, "deep", deep);
    for (int p = 1; p <= 17; p++)
        same_as_jansson(o, p);
    same_as_jansson(a, 17);
    json_decref(o);
}

static void test_refused_like_jansson(void **state)
{
    (void)state;
    json_t *o = json_object();
    json_object_set_new(o, "bad", json_stringn_nocheck("\xc3\x28", 2));
    assert_null(json_dumps(o, JSON_COMPACT));
    assert_null(hf_json_dumps_compact(o, 17));
    json_decref(o);
    const char *bad[] = {"\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xff"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *a = json_array();
        json_array_append_new(a, json_string_nocheck(bad[i]));
        same_as_jansson(a, 17);
        json_decref(a);
    }
    /* (a key that is not UTF-8 cannot be made but with json_object_set_nocheck; jansson
     * then writes a broken text, `{":null}`, where this gives NULL) */
    json_t *s = json_string("alone");
    assert_null(hf_json_dumps_compact(s, 17));
    assert_null(hf_json_dumps_compact(NULL, 17));
    json_decref(s);
}

/* Reals under the C locale, and under one whose decimal point is a comma when one is
 * installed (the CLI runs with the user's locale): jansson and this writer both turn the
 * locale's decimal point back into `.`. */
static void test_reals_in_locales(void **state)
{
    (void)state;
    json_t *a = json_array();
    json_array_append_new(a, json_real(1200.5));
    json_array_append_new(a, json_real(1e-7));
    json_array_append_new(a, json_real(3.0));
    const char *want = "[1200.5,9.9999999999999995e-8,3.0]";
    char *got = hf_json_dumps_compact(a, 17);
    assert_string_equal(got, want);
    free(got);
    const char *names[] = {"de_DE.UTF-8", "pt_BR.UTF-8", "fr_FR.UTF-8", "de_DE.utf8"};
    const char *set = NULL;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (set) {
        same_as_jansson(a, 17);
        got = hf_json_dumps_compact(a, 17);
        assert_string_equal(got, want);
        free(got);
        setlocale(LC_NUMERIC, "C");
    } else {
        printf("# no locale with a decimal comma installed: reals checked in C only\n");
    }
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_data_file),
        cmocka_unit_test(test_chosen_values),
        cmocka_unit_test(test_refused_like_jansson),
        cmocka_unit_test(test_reals_in_locales),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
