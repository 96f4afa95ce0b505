/* Unit tests of src/core/credentials.c: a generated token splits back into the prefix and
 * secret it was made of, and every other shape of bearer token is refused before it can
 * reach the database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/credentials.h"

#include <string.h>

static void test_token_split(void **state)
{
    (void)state;
    char prefix[HF_TOKEN_PREFIX_LEN + 1];
    const char *secret = NULL;
    assert_true(hf_token_split("hf_0123456789ab_Zz-_09", prefix, &secret));
    assert_string_equal(prefix, "0123456789ab");
    assert_string_equal(secret, "Zz-_09");
    static const char *const bad[] = {
        "",
        "hf_",
        "hf_0123456789ab_",
        "hf_0123456789ab",
        "HF_0123456789ab_abc",
        "hf_0123456789AB_abc", /* upper-case hex is not what is generated */
        "hf_0123456789ag_abc", /* not hex */
        "hf_012345678\xff\xfe_abc",
        "hf_0123456789ab_a b",
        "hf_0123456789ab_abc ",
        "hf_0123456789ab_abc=",
        "hf_0123456789ab_abc\n",
        "hf_0123456789ab_a/b+c",
        "hf_0123456789ab_a\xc3\xa9",
        "hf_0123456789ab_0123456789012345678901234567890123456789012345678901234567890123456789",
        "hf_0123456789abc_abc",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (hf_token_split(bad[i], prefix, &secret))
            fail_msg("accepted \"%s\"", bad[i]);
    }
}

static void test_generated_token_splits(void **state)
{
    (void)state;
    char token[HF_TOKEN_MAX], prefix[HF_TOKEN_PREFIX_LEN + 1], hash[HF_HASH_MAX];
    char back[HF_TOKEN_PREFIX_LEN + 1];
    const char *secret;
    assert_int_equal(hf_token_generate(token, prefix, hash), 0);
    assert_true(hf_token_split(token, back, &secret));
    assert_string_equal(back, prefix);
    assert_true(hf_password_verify(hash, secret));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_split),
        cmocka_unit_test(test_generated_token_splits),
    };
    return cmocka_run_group_tests_name("credentials", tests, NULL, NULL);
}
