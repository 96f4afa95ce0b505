/* Civil-calendar arithmetic and the RFC 3339 / ISO date formats of the handoff document.
 * The day-number conversions are Howard Hinnant's days_from_civil algorithms: exact for
 * every year, no tables, no libc time functions (which depend on TZ and are not all
 * thread-safe). */
#include "handoff/time.h"

#include <stdio.h>

int64_t hf_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t mp = (int64_t)m + (m > 2 ? -3 : 9);
    const int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void hf_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    const int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (mm <= 2);
    *m = (unsigned)mm;
    *d = (unsigned)dd;
}

int hf_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (4). */
    int64_t w = (days + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool hf_date_valid(int64_t y, unsigned m, unsigned d)
{
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    unsigned max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

static bool digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_blank(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_blank((*s)[*len - 1]))
        (*len)--;
}

/* Parse exactly `YYYY-MM-DD` at p (10 bytes available). */
static bool parse_ymd(const char *p, int64_t *days)
{
    unsigned y, m, d;
    if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &m) || p[7] != '-' ||
        !digits(p + 8, 2, &d))
        return false;
    if (!hf_date_valid(y, m, d))
        return false;
    *days = hf_days_from_civil(y, m, d);
    return true;
}

bool hf_date_parse(const char *s, size_t len, int64_t *days_out)
{
    if (!s)
        return false;
    trim(&s, &len);
    if (len != 10)
        return false;
    return parse_ymd(s, days_out);
}

bool hf_time_parse_rfc3339(const char *s, size_t len, hf_time *out)
{
    int64_t nanos;
    return hf_time_parse_rfc3339_ns(s, len, out, &nanos);
}

bool hf_time_parse_rfc3339_ns(const char *s, size_t len, hf_time *out, int64_t *nanos)
{
    if (!s)
        return false;
    trim(&s, &len);
    /* shortest form: YYYY-MM-DDTHH:MM:SSZ = 20 bytes */
    if (len < 20)
        return false;
    int64_t days;
    if (!parse_ymd(s, &days))
        return false;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
        return false;
    unsigned hh, mi, ss;
    if (!digits(s + 11, 2, &hh) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &ss))
        return false;
    if (hh > 23 || mi > 59 || ss > 59)
        return false;
    size_t i = 19;
    int64_t frac = 0;
    if (i < len && s[i] == '.') {
        i++;
        size_t start = i;
        int64_t scale = 100000000;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            /* digits past nanoseconds cannot change any comparison the product makes */
            frac += (s[i] - '0') * scale;
            scale /= 10;
            i++;
        }
        if (i == start)
            return false;
    }
    if (i >= len)
        return false;
    int64_t offset = 0;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
        offset = 0;
    } else if ((s[i] == '+' || s[i] == '-') && i + 6 == len) {
        unsigned oh, om;
        if (!digits(s + i + 1, 2, &oh) || s[i + 3] != ':' || !digits(s + i + 4, 2, &om))
            return false;
        if (oh > 23 || om > 59)
            return false;
        offset = (int64_t)(oh * 3600 + om * 60);
        if (s[i] == '-')
            offset = -offset;
    } else {
        return false;
    }
    *out = days * 86400 + (int64_t)(hh * 3600 + mi * 60 + ss) - offset;
    *nanos = frac;
    return true;
}

/* n decimal digits of v, zero-padded, without a terminator */
static void put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

char *hf_time_format_utc(hf_time t, char buf[HF_TIME_BUFSZ])
{
    int64_t days = t / 86400;
    int64_t secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int64_t y;
    unsigned m, d;
    hf_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(buf, HF_TIME_BUFSZ, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)y, m, d,
                 (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
        return buf;
    }
    /* the common case by hand: snprintf was a tenth of the CPU of a GET */
    put_digits(buf, (unsigned)y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = 'T';
    put_digits(buf + 11, (unsigned)(secs / 3600), 2);
    buf[13] = ':';
    put_digits(buf + 14, (unsigned)(secs / 60 % 60), 2);
    buf[16] = ':';
    put_digits(buf + 17, (unsigned)(secs % 60), 2);
    buf[19] = 'Z';
    buf[20] = '\0';
    return buf;
}

char *hf_date_format(int64_t days, char buf[HF_TIME_BUFSZ])
{
    int64_t y;
    unsigned m, d;
    hf_civil_from_days(days, &y, &m, &d);
    snprintf(buf, HF_TIME_BUFSZ, "%04lld-%02u-%02u", (long long)y, m, d);
    return buf;
}

int64_t hf_time_day(hf_time t)
{
    int64_t d = t / 86400;
    return (t % 86400 < 0) ? d - 1 : d;
}
