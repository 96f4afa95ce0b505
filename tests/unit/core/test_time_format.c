/* Unit tests of hf_time_format_utc (src/core/time.c), which writes the years 0 to 9999 by
 * hand and the rest with snprintf: compared with gmtime_r and strftime over a spread of
 * instants (before 1970, leap days, the last second of a day and of year 9999), and
 * parsed back by hf_time_parse_rfc3339. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void same_as_libc(hf_time t)
{
    char got[HF_TIME_BUFSZ], want[64];
    time_t tt = (time_t)t;
    struct tm tm;
    assert_non_null(gmtime_r(&tt, &tm));
    snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    assert_string_equal(hf_time_format_utc(t, got), want);
    hf_time back;
    assert_true(hf_time_parse_rfc3339(got, strlen(got), &back));
    assert_true(back == t);
}

static void test_against_gmtime(void **state)
{
    (void)state;
    const hf_time fixed[] = {0,
                             -1,
                             86399,
                             86400,
                             951782400,    /* 2000-02-29 */
                             1798761599,   /* 2026-12-31T23:59:59Z */
                             -62167219200, /* 0000-01-01 */
                             253402300799, /* 9999-12-31T23:59:59Z */
                             -2208988800}; /* 1900-01-01 */
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        same_as_libc(fixed[i]);
    /* every 7919 s + a day's worth of seconds from 1900 to 2100 */
    for (hf_time t = -2208988800; t < 4102444800; t += 86400 * 37 + 7919)
        same_as_libc(t);
}

static void test_outside_four_digits(void **state)
{
    (void)state;
    char buf[HF_TIME_BUFSZ];
    assert_string_equal(hf_time_format_utc(253402300800, buf), "10000-01-01T00:00:00Z");
    assert_string_equal(hf_time_format_utc(-62167219201, buf), "-001-12-31T23:59:59Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_gmtime),
        cmocka_unit_test(test_outside_four_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
