/* Unit tests for src/os/clock.c: hf_clock_now is the wall clock in whole seconds (the same
 * reading as time()), and hf_clock_mono_ms is a millisecond clock that never goes back and
 * advances with a sleep. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/os.h"

#include <string.h>
#include <time.h>

static void test_now_is_the_wall_clock(void **state)
{
    (void)state;
    time_t before = time(NULL);
    hf_time now = hf_clock_now();
    time_t after = time(NULL);
    assert_true(now >= (hf_time)before && now <= (hf_time)after);
    assert_true(now > 1577836800); /* after 2020-01-01: a real clock, not 0 or -1 */
    char buf[HF_TIME_BUFSZ];
    assert_int_equal(strlen(hf_time_format_utc(now, buf)), 20); /* 2026-...T...Z */
}

static void test_mono_ms_advances(void **state)
{
    (void)state;
    int64_t a = hf_clock_mono_ms();
    int64_t b = hf_clock_mono_ms();
    assert_true(b >= a);
    struct timespec nap = {0, 30 * 1000000L};
    while (nanosleep(&nap, &nap) != 0)
        ;
    int64_t c = hf_clock_mono_ms();
    assert_true(c - b >= 30);
    assert_true(c - b < 60000); /* milliseconds, not microseconds */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_now_is_the_wall_clock),
        cmocka_unit_test(test_mono_ms_advances),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
