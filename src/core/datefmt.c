/* Human dates and relative deadlines in the four languages (datefmt.h).
 *
 * Only two written forms are needed: the English one (`Nov 28, 2026, 2:00 PM`, month
 * abbreviations and a 12-hour clock) and the day-first, 24-hour one that Brazil, the
 * Spanish-speaking countries and Indonesia use (`28/11/2026 14:00`). The local time comes
 * from the zone's offset at the instant (tz.h), never from localtime(). The relative
 * phrases are catalog messages with one %d, so translators choose the word order. */
#include "handoff/datefmt.h"

#include <stdio.h>

static const char *const months_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

typedef struct local_time {
    int64_t year;
    unsigned month, day, hour, minute;
} local_time;

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void to_local(hf_time t, const hf_tz *tz, local_time *out)
{
    int64_t local = t + hf_tz_offset_at(tz, t);
    int64_t days = floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    hf_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (unsigned)(secs / 3600);
    out->minute = (unsigned)(secs % 3600 / 60);
}

char *hf_datefmt_date(hf_time t, const hf_tz *tz, hf_lang lang, char buf[HF_DATEFMT_BUFSZ])
{
    buf[0] = '\0';
    if (t == HF_TIME_NONE)
        return buf;
    local_time lt;
    to_local(t, tz, &lt);
    if (lang == HF_LANG_EN)
        snprintf(buf, HF_DATEFMT_BUFSZ, "%s %u, %lld", months_en[lt.month - 1], lt.day,
                 (long long)lt.year);
    else
        snprintf(buf, HF_DATEFMT_BUFSZ, "%02u/%02u/%04lld", lt.day, lt.month, (long long)lt.year);
    return buf;
}

char *hf_datefmt_datetime(hf_time t, const hf_tz *tz, hf_lang lang, char buf[HF_DATEFMT_BUFSZ])
{
    buf[0] = '\0';
    if (t == HF_TIME_NONE)
        return buf;
    local_time lt;
    to_local(t, tz, &lt);
    if (lang == HF_LANG_EN) {
        unsigned h12 = lt.hour % 12 ? lt.hour % 12 : 12;
        snprintf(buf, HF_DATEFMT_BUFSZ, "%s %u, %lld, %u:%02u %s", months_en[lt.month - 1], lt.day,
                 (long long)lt.year, h12, lt.minute, lt.hour < 12 ? "AM" : "PM");
    } else {
        snprintf(buf, HF_DATEFMT_BUFSZ, "%02u/%02u/%04lld %02u:%02u", lt.day, lt.month,
                 (long long)lt.year, lt.hour, lt.minute);
    }
    return buf;
}

char *hf_datefmt_relative(hf_time due, hf_time now, hf_lang lang, char buf[HF_DATEFMT_BUFSZ])
{
    buf[0] = '\0';
    if (due == HF_TIME_NONE || now == HF_TIME_NONE)
        return buf;
    bool overdue = now > due;
    /* both are within the int64 range of real dates; the difference cannot overflow for
     * instants the product handles (years 0-9999) */
    int64_t d = overdue ? now - due : due - now;
    const char *msg;
    int64_t n;
    if (d < 60) {
        snprintf(buf, HF_DATEFMT_BUFSZ, "%s", hf_tr(lang, "due now"));
        return buf;
    }
    if (d < 3600) {
        n = d / 60;
        msg = overdue ? hf_tr(lang, "overdue by %d min") : hf_tr(lang, "due in %d min");
    } else if (d < 48 * 3600) {
        n = d / 3600;
        msg = overdue ? hf_tr(lang, "overdue by %d h") : hf_tr(lang, "due in %d h");
    } else {
        n = d / 86400;
        msg = overdue ? hf_tr(lang, "overdue by %d d") : hf_tr(lang, "due in %d d");
    }
    snprintf(buf, HF_DATEFMT_BUFSZ, msg, (int)(n > 2000000000 ? 2000000000 : n));
    return buf;
}
