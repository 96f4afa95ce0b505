/* Unit tests of src/core/id.c: the canonical spelling of a record id is accepted with its
 * value; every other spelling of a number, and every non-number, is refused and leaves
 * the output untouched. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/id.h"

static void test_canonical_ids(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_true(hf_id_parse("1", &v));
    assert_int_equal(v, 1);
    assert_true(hf_id_parse("10", &v));
    assert_int_equal(v, 10);
    assert_true(hf_id_parse("123456789", &v));
    assert_int_equal(v, 123456789);
    assert_true(hf_id_parse("9007199254740991", &v));
    assert_int_equal(v, 9007199254740991LL);
    /* 2^53 itself is the largest id */
    assert_true(hf_id_parse("9007199254740992", &v));
    assert_int_equal(v, HF_ID_MAX);
    assert_true(hf_id_parse("7", NULL));
}

static void test_refused_spellings(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "0",
        "00",
        "01",
        "007",
        "+1",
        "-1",
        "-0",
        " 1",
        "1 ",
        "\t1",
        "1\n",
        "1.0",
        "1e3",
        "0x1",
        "1_000",
        "1,000",
        "١",  /* ARABIC-INDIC DIGIT ONE: not an ASCII digit */
        "１", /* FULLWIDTH DIGIT ONE */
        "abc",
        "12a",
        "a12",
        "9007199254740993",     /* 2^53 + 1 */
        "9999999999999999",     /* 16 digits, above 2^53 */
        "99999999999999999999", /* above INT64_MAX: no overflow, refused */
        "18446744073709551617", /* above UINT64_MAX */
        "100000000000000000000000000000000000000",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t v = 42;
        if (hf_id_parse(bad[i], &v))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(v, 42);
    }
    int64_t v = 42;
    assert_false(hf_id_parse(NULL, &v));
    assert_int_equal(v, 42);
}

/* A NUL ends the string: what follows it is not looked at, and a path segment cut at a
 * NUL is therefore refused by the HTTP layer before it reaches this function. */
static void test_embedded_nul(void **state)
{
    (void)state;
    const char s[] = {'1', '2', '\0', '3', '\0'};
    int64_t v = 0;
    assert_true(hf_id_parse(s, &v));
    assert_int_equal(v, 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_ids),
        cmocka_unit_test(test_refused_spellings),
        cmocka_unit_test(test_embedded_nul),
    };
    return cmocka_run_group_tests_name("id", tests, NULL, NULL);
}
