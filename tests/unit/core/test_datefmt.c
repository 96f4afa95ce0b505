/* Unit tests of src/core/datefmt.c: dates and times in a zone and a language, and relative
 * deadlines in the four languages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/datefmt.h"
#include "handoff/os.h"
#include "handoff/tz.h"

#include <string.h>

#define MIN 60
#define HOUR 3600
#define DAY 86400

static hf_time utc(int64_t y, unsigned mo, unsigned d, int h, int mi)
{
    return hf_days_from_civil(y, mo, d) * DAY + h * HOUR + mi * MIN;
}

static const hf_tz *zone(const char *name)
{
    const hf_tz *tz = NULL;
    hf_error err;
    assert_int_equal(hf_tz_load(name, &tz, &err), 0);
    return tz;
}

static void test_datetime(void **state)
{
    (void)state;
    char buf[HF_DATEFMT_BUFSZ];
    hf_time t = utc(2026, 11, 28, 14, 0);
    assert_string_equal(hf_datefmt_datetime(t, NULL, HF_LANG_EN, buf), "Nov 28, 2026, 2:00 PM");
    assert_string_equal(hf_datefmt_datetime(t, NULL, HF_LANG_PT_BR, buf), "28/11/2026 14:00");
    assert_string_equal(hf_datefmt_datetime(t, NULL, HF_LANG_ES, buf), "28/11/2026 14:00");
    assert_string_equal(hf_datefmt_datetime(t, NULL, HF_LANG_ID, buf), "28/11/2026 14:00");
    /* the zone decides the wall clock and the date: São Paulo is UTC-3, Jakarta UTC+7 */
    assert_string_equal(hf_datefmt_datetime(t, zone("America/Sao_Paulo"), HF_LANG_PT_BR, buf),
                        "28/11/2026 11:00");
    assert_string_equal(
        hf_datefmt_datetime(utc(2026, 11, 28, 20, 5), zone("Asia/Jakarta"), HF_LANG_ID, buf),
        "29/11/2026 03:05");
    assert_string_equal(
        hf_datefmt_datetime(utc(2026, 1, 1, 2, 30), zone("America/New_York"), HF_LANG_EN, buf),
        "Dec 31, 2025, 9:30 PM");
    /* New York in summer time: UTC-4 */
    assert_string_equal(
        hf_datefmt_datetime(utc(2026, 7, 4, 4, 0), zone("America/New_York"), HF_LANG_EN, buf),
        "Jul 4, 2026, 12:00 AM");
    assert_string_equal(hf_datefmt_datetime(utc(2026, 7, 4, 12, 7), NULL, HF_LANG_EN, buf),
                        "Jul 4, 2026, 12:07 PM");
    assert_string_equal(hf_datefmt_datetime(HF_TIME_NONE, NULL, HF_LANG_EN, buf), "");
    /* before 1970 */
    assert_string_equal(hf_datefmt_datetime(utc(1969, 12, 31, 23, 59), NULL, HF_LANG_ES, buf),
                        "31/12/1969 23:59");
}

static void test_date(void **state)
{
    (void)state;
    char buf[HF_DATEFMT_BUFSZ];
    hf_time t = utc(2026, 3, 5, 1, 0);
    assert_string_equal(hf_datefmt_date(t, NULL, HF_LANG_EN, buf), "Mar 5, 2026");
    assert_string_equal(hf_datefmt_date(t, NULL, HF_LANG_PT_BR, buf), "05/03/2026");
    assert_string_equal(hf_datefmt_date(t, zone("America/Sao_Paulo"), HF_LANG_ES, buf),
                        "04/03/2026");
}

static void test_relative(void **state)
{
    (void)state;
    char buf[HF_DATEFMT_BUFSZ];
    hf_time now = utc(2026, 11, 28, 9, 0);
    struct {
        hf_time due;
        const char *en, *pt, *es, *id;
    } cases[] = {
        {now + 5 * HOUR + 59 * MIN, "due in 5 h", "vence em 5 h", "vence en 5 h",
         "jatuh tempo dalam 5 jam"},
        {now - 2 * DAY - 3 * HOUR, "overdue by 2 d", "atrasado há 2 d", "vencido hace 2 d",
         "terlambat 2 hari"},
        {now + 45 * MIN, "due in 45 min", "vence em 45 min", "vence en 45 min",
         "jatuh tempo dalam 45 menit"},
        {now - 20 * MIN, "overdue by 20 min", "atrasado há 20 min", "vencido hace 20 min",
         "terlambat 20 menit"},
        {now + 47 * HOUR, "due in 47 h", "vence em 47 h", "vence en 47 h",
         "jatuh tempo dalam 47 jam"},
        {now + 48 * HOUR, "due in 2 d", "vence em 2 d", "vence en 2 d", "jatuh tempo dalam 2 hari"},
        {now - 7 * HOUR, "overdue by 7 h", "atrasado há 7 h", "vencido hace 7 h",
         "terlambat 7 jam"},
        {now + 30, "due now", "vence agora", "vence ahora", "jatuh tempo sekarang"},
        {now - 59, "due now", "vence agora", "vence ahora", "jatuh tempo sekarang"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_string_equal(hf_datefmt_relative(cases[i].due, now, HF_LANG_EN, buf), cases[i].en);
        assert_string_equal(hf_datefmt_relative(cases[i].due, now, HF_LANG_PT_BR, buf),
                            cases[i].pt);
        assert_string_equal(hf_datefmt_relative(cases[i].due, now, HF_LANG_ES, buf), cases[i].es);
        assert_string_equal(hf_datefmt_relative(cases[i].due, now, HF_LANG_ID, buf), cases[i].id);
    }
    assert_string_equal(hf_datefmt_relative(HF_TIME_NONE, now, HF_LANG_EN, buf), "");
}

int main(void)
{
    hf_tz_set_loader(hf_tz_system_loader, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_relative),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
