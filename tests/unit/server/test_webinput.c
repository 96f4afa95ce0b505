/* Unit tests of the web pages' input parsers (src/server/webinput.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "server/webinput.h"

#include <stdlib.h>
#include <string.h>

static json_t *parse_ok(const char *body)
{
    json_t *f = NULL;
    hf_error err;
    assert_int_equal(hf_form_parse(body, strlen(body), &f, &err), 0);
    return f;
}

static int parse_rc(const char *body, size_t len)
{
    json_t *f = (json_t *)1;
    hf_error err;
    int rc = hf_form_parse(body, len, &f, &err);
    if (rc)
        assert_null(f);
    json_decref(f);
    return rc;
}

static void test_form(void **state)
{
    (void)state;
    json_t *f = parse_ok("email=ana%40acme.example&password=a+b%2Bc&empty=&bare&x=%C3%A9&x=2");
    assert_string_equal(hf_form_get(f, "email"), "ana@acme.example");
    assert_string_equal(hf_form_get(f, "password"), "a b+c");
    assert_string_equal(hf_form_get(f, "empty"), "");
    assert_string_equal(hf_form_get(f, "bare"), "");
    assert_string_equal(hf_form_get(f, "x"), "é");
    assert_int_equal(json_array_size(json_object_get(f, "x")), 2);
    assert_null(hf_form_get(f, "missing"));
    json_decref(f);
    f = parse_ok("");
    assert_int_equal(json_object_size(f), 0);
    json_decref(f);
    f = parse_ok("&&a=1&");
    assert_string_equal(hf_form_get(f, "a"), "1");
    json_decref(f);
}

static void test_form_refused(void **state)
{
    (void)state;
    assert_int_equal(parse_rc("a=%", 3), HF_EINVAL);
    assert_int_equal(parse_rc("a=%4", 4), HF_EINVAL);
    assert_int_equal(parse_rc("a=%zz", 5), HF_EINVAL);
    assert_int_equal(parse_rc("a=%00", 5), HF_EINVAL);
    assert_int_equal(parse_rc("a%00b=1", 7), HF_EINVAL);
    assert_int_equal(parse_rc("a=%C0%BC", 8), HF_EINVAL);     /* overlong '<' */
    assert_int_equal(parse_rc("a=%ED%A0%80", 11), HF_EINVAL); /* a surrogate */
    assert_int_equal(parse_rc("a=\xff", 3), HF_EINVAL);
    assert_int_equal(parse_rc("a=1\0b", 5), HF_EINVAL);
    char *many = malloc(300 * 4 + 1);
    size_t k = 0;
    for (int i = 0; i < 300; i++) {
        memcpy(many + k, "a=1&", 4);
        k += 4;
    }
    assert_int_equal(parse_rc(many, k), HF_EINVAL);
    free(many);
}

static void test_accept_language(void **state)
{
    (void)state;
    hf_lang l = HF_LANG_COUNT;
    assert_true(hf_http_accept_language("pt-BR,pt;q=0.9,en;q=0.8", &l));
    assert_int_equal(l, HF_LANG_PT_BR);
    assert_true(hf_http_accept_language("fr-FR, fr;q=0.9, es;q=0.5, en;q=0.4", &l));
    assert_int_equal(l, HF_LANG_ES);
    assert_true(hf_http_accept_language("en;q=0.3, id;q=0.7", &l));
    assert_int_equal(l, HF_LANG_ID);
    assert_true(hf_http_accept_language("es-419", &l));
    assert_int_equal(l, HF_LANG_ES);
    l = HF_LANG_COUNT;
    assert_false(hf_http_accept_language("fr, de;q=0.5", &l));
    assert_false(hf_http_accept_language("es;q=0", &l));
    assert_false(hf_http_accept_language("", &l));
    assert_false(hf_http_accept_language(NULL, &l));
    assert_false(hf_http_accept_language("C", &l));
    assert_int_equal(l, HF_LANG_COUNT);
}

static void test_accepts_gzip(void **state)
{
    (void)state;
    assert_true(hf_http_accepts_gzip("gzip, deflate, br"));
    assert_true(hf_http_accepts_gzip("br;q=1.0, gzip;q=0.8"));
    assert_true(hf_http_accepts_gzip("*"));
    assert_false(hf_http_accepts_gzip("gzip;q=0"));
    assert_false(hf_http_accepts_gzip("*, gzip;q=0"));
    assert_false(hf_http_accepts_gzip("identity"));
    assert_false(hf_http_accepts_gzip(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form),
        cmocka_unit_test(test_form_refused),
        cmocka_unit_test(test_accept_language),
        cmocka_unit_test(test_accepts_gzip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
