/* IANA time zones from compiled TZif files (RFC 8536), with a process-wide cache.
 *
 * libc's localtime()/mktime() answer for the one zone named by the process-wide TZ variable
 * and are not safe to switch per request in a threaded server, so this file parses the zone
 * files itself. Getting their bytes is not its job: the core does no I/O, so hf_tz_load asks
 * the loader the program installed (hf_tz_set_loader; src/os/tzfile.c reads the system's
 * zoneinfo) and, without one, knows only UTC. A zone is reduced to what the product needs:
 * a sorted table of instants at which the UTC offset changes. The TZif footer (a POSIX TZ
 * string such as `EST5EDT,M3.2.0,M11.1.0`) governs instants after the file's last
 * transition; at load time its rule is expanded into explicit transitions through the year
 * 2200, so every realistic lookup is one binary search. From 2200 on, instants are answered
 * from the rule directly, folded into one 400-year Gregorian cycle (the rule repeats exactly
 * every 146097 days, a whole number of weeks), which keeps every computation small whatever
 * the instant.
 *
 * TZif data is outside input: every count is capped and every index and offset is checked
 * against the buffer before it is used. docs/internals/tz.md has the longer story. */
#include "handoff/tz.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Limits on outside input. Real files are under 4 KiB and have at most ~310 transitions
 * (Asia/Hebron, tzdata 2025b), so these leave a wide margin while bounding memory. */
#define TZ_NAME_MAX 255
#define TZ_MAX_TIMES 2000
#define TZ_MAX_TYPES 256 /* a transition's type index is one byte */
#define TZ_MAX_CHARS 1024
#define TZ_MAX_LEAPS 1000
#define TZ_FOOTER_MAX 255
/* RFC 8536 §3.2: a UT offset SHOULD lie in (-25 h, +26 h). */
#define TZ_OFFSET_MIN (-89999)
#define TZ_OFFSET_MAX 93599
/* Widest distance between an instant and its local wall-clock reading. */
#define TZ_OFFSET_SPAN 93600
/* Transition times beyond ±2^60 s (36 billion years) are rejected, so adding an offset or
 * a few days to any stored instant cannot overflow. zic's "big bang" is -2^59. */
#define TZ_TIME_LIMIT ((int64_t)1 << 60)

/* The footer rule is expanded into the table for years after the last transition up to
 * TZ_EXPAND_LAST_YEAR; lookups past the start of that year use the rule directly. Years
 * are generated one past the kept range so that every kept transition has seen the
 * following year's transitions (a rule can put one year's end and the next year's start on
 * the same instant, as permanent DST does). */
#define TZ_EXPAND_FIRST_YEAR 1500
#define TZ_EXPAND_LAST_YEAR 2200

#define DAY_SECONDS 86400
#define CYCLE_SECONDS ((int64_t)146097 * DAY_SECONDS)
/* Transitions in a rule window: two per year for five years. */
#define WINDOW_MAX 10

enum rule_kind {
    RULE_JULIAN, /* Jn: day 1..365, February 29 never counted */
    RULE_ZERO,   /* n: day 0..365, February 29 counted */
    RULE_MONTH,  /* Mm.w.d: day d (0 = Sunday) of week w (5 = last) of month m */
};

struct rule_date {
    enum rule_kind kind;
    unsigned day;
    unsigned month, week, wday;
    int32_t time; /* seconds after local midnight, -167 h .. +167 h (RFC 8536 §3.3.1) */
};

/* A POSIX TZ rule with daylight saving time. Offsets are seconds east of UTC. */
struct tz_rule {
    int32_t std_off;
    int32_t dst_off;
    struct rule_date start; /* in local standard time */
    struct rule_date end;   /* in local daylight saving time */
};

struct hf_tz {
    char name[TZ_NAME_MAX + 1];
    /* off[i] is in force from at[i] (inclusive) to at[i + 1]; `first` before at[0]. The
     * times strictly ascend and consecutive offsets differ. */
    int64_t *at;
    int32_t *off;
    size_t count;
    int32_t first;
    /* When has_rule, instants after rule_from (every instant when rule_everywhere) take
     * their offset from `rule` instead of the table. */
    bool has_rule;
    bool rule_everywhere;
    int64_t rule_from;
    struct tz_rule rule;
    struct hf_tz *next; /* cache bucket chain */
};

static hf_tz utc_zone = {.name = "UTC"};
static hf_tz etc_utc_zone = {.name = "Etc/UTC"};

/* ---- small arithmetic helpers ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

/* `t` moved into [0, CYCLE_SECONDS), i.e. 1970-01-01 .. 2370-01-01, by whole 400-year
 * cycles. A footer rule gives the same offset at `t` and at the folded instant. */
static int64_t cycle_fold(int64_t t)
{
    int64_t r = t % CYCLE_SECONDS;
    return r < 0 ? r + CYCLE_SECONDS : r;
}

static int64_t year_of(int64_t t)
{
    int64_t y;
    unsigned m, d;
    hf_civil_from_days(floor_div(t, DAY_SECONDS), &y, &m, &d);
    return y;
}

static int64_t year_start(int64_t y)
{
    return hf_days_from_civil(y, 1, 1) * DAY_SECONDS;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64(const unsigned char *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    /* Two's complement reinterpretation without implementation-defined conversion. */
    return v <= (uint64_t)INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
}

static int32_t be32_signed(const unsigned char *p)
{
    uint32_t v = be32(p);
    return v <= (uint32_t)INT32_MAX ? (int32_t)v : -(int32_t)(~v) - 1;
}

/* ---- transition lookups over one (at, off, n, first) table ---- */

/* Offset in force at instant t. */
static int32_t view_offset_at(const int64_t *at, const int32_t *off, size_t n, int32_t first,
                              int64_t t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? off[lo - 1] : first;
}

/* Offset to subtract from wall-clock time `local`. Period j covers local times
 * [at[j] + off[j], at[j + 1] + off[j]); the period before at[0] starts at -infinity and the
 * last one never ends. The earliest period whose local end is past `local` is the answer
 * when `local` is at or after its start (in an overlap that picks the earlier period, i.e.
 * the offset before the transition); otherwise `local` fell in a gap, and the offset before
 * that period's transition applies. Either way: the offset in force before the change. */
static int32_t view_local_offset(const int64_t *at, const int32_t *off, size_t n, int32_t first,
                                 int64_t local)
{
    /* A period ending at at[i] ends at local at[i] + off, which is at most at[i] + SPAN; skip
     * the transitions that cannot end a period after `local`. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at[mid] + TZ_OFFSET_SPAN > local)
            hi = mid;
        else
            lo = mid + 1;
    }
    /* The scan stops within the transitions less than 2 * SPAN past `local`: beyond that
     * every period end is past `local`. */
    for (size_t i = lo; i < n; i++) {
        int32_t before = i ? off[i - 1] : first;
        if (at[i] + before <= local)
            continue;
        if (i == 0)
            return first;
        if (local >= at[i - 1] + off[i - 1])
            return off[i - 1];
        return i >= 2 ? off[i - 2] : first;
    }
    if (n == 0)
        return first;
    if (local >= at[n - 1] + off[n - 1])
        return off[n - 1];
    return n >= 2 ? off[n - 2] : first;
}

/* ---- the footer rule ---- */

static int64_t rule_day(const struct rule_date *d, int64_t year)
{
    int64_t jan1 = hf_days_from_civil(year, 1, 1);
    if (d->kind == RULE_JULIAN)
        return jan1 + d->day - 1 + (d->day >= 60 && hf_date_valid(year, 2, 29));
    if (d->kind == RULE_ZERO)
        return jan1 + d->day;
    int64_t month_first = hf_days_from_civil(year, d->month, 1);
    int64_t next_first = d->month == 12 ? hf_days_from_civil(year + 1, 1, 1)
                                        : hf_days_from_civil(year, d->month + 1, 1);
    int lead = ((int)d->wday - hf_weekday(month_first) + 7) % 7;
    int64_t day = month_first + lead + 7 * (int64_t)(d->week - 1);
    while (day >= next_first) /* week 5 means the last such weekday of the month */
        day -= 7;
    return day;
}

/* Fill at/off (capacity 2 * (y_to - y_from + 1)) with the rule's transitions for those
 * years, sorted; at an instant shared by two transitions the later-generated one wins, and
 * transitions that do not change the offset are dropped. Returns the count kept. */
static size_t rule_build(const struct tz_rule *r, int64_t y_from, int64_t y_to, int64_t *at,
                         int32_t *off)
{
    size_t n = 0;
    for (int64_t y = y_from; y <= y_to; y++) {
        at[n] = rule_day(&r->start, y) * DAY_SECONDS + r->start.time - r->std_off;
        off[n++] = r->dst_off;
        at[n] = rule_day(&r->end, y) * DAY_SECONDS + r->end.time - r->dst_off;
        off[n++] = r->std_off;
    }
    /* Insertion sort: stable, and the input is already sorted for every sane rule. */
    for (size_t i = 1; i < n; i++) {
        int64_t t = at[i];
        int32_t o = off[i];
        size_t j = i;
        while (j > 0 && at[j - 1] > t) {
            at[j] = at[j - 1];
            off[j] = off[j - 1];
            j--;
        }
        at[j] = t;
        off[j] = o;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && at[k - 1] == at[i])
            k--;
        if (k > 0 && off[k - 1] == off[i])
            continue;
        at[k] = at[i];
        off[k] = off[i];
        k++;
    }
    return k;
}

struct rule_window {
    int64_t at[WINDOW_MAX];
    int32_t off[WINDOW_MAX];
    size_t n;
};

/* The rule's transitions for the two years either side of the folded instant's year y.
 * The first comes from year y - 2 and lies no later than the first week of y - 1 (dates
 * plus times reach at most 167 h + one offset past December 31), well before the instant,
 * so it serves as the offset "before" the window. */
static void rule_window(const struct tz_rule *r, int64_t folded, struct rule_window *w)
{
    int64_t y = year_of(folded);
    w->n = rule_build(r, y - 2, y + 2, w->at, w->off);
}

static int32_t rule_offset_at(const struct tz_rule *r, int64_t t)
{
    struct rule_window w;
    int64_t folded = cycle_fold(t);
    rule_window(r, folded, &w);
    if (w.n == 0)
        return r->std_off;
    return view_offset_at(w.at + 1, w.off + 1, w.n - 1, w.off[0], folded);
}

static int32_t rule_local_offset(const struct tz_rule *r, int64_t local)
{
    struct rule_window w;
    int64_t folded = cycle_fold(local);
    rule_window(r, folded, &w);
    if (w.n == 0)
        return r->std_off;
    return view_local_offset(w.at + 1, w.off + 1, w.n - 1, w.off[0], folded);
}

/* ---- POSIX TZ string (the TZif footer) ---- */

struct cursor {
    const char *s;
    size_t len;
    size_t pos;
};

static bool cur_is(const struct cursor *c, char ch)
{
    return c->pos < c->len && c->s[c->pos] == ch;
}

static bool cur_is_digit(const struct cursor *c)
{
    return c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9';
}

static bool is_alpha(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* 1 to max_digits decimal digits with a value at most `max`. */
static bool parse_uint(struct cursor *c, unsigned max_digits, unsigned max, unsigned *out)
{
    unsigned v = 0, n = 0;
    while (n < max_digits && cur_is_digit(c)) {
        v = v * 10 + (unsigned)(c->s[c->pos++] - '0');
        n++;
    }
    if (n == 0 || cur_is_digit(c) || v > max)
        return false;
    *out = v;
    return true;
}

/* A zone abbreviation: `<+0330>`-style quoted (letters, digits, + and -) or letters. Only
 * its syntax matters; the product never shows TZ abbreviations. */
static bool parse_abbr(struct cursor *c)
{
    size_t start;
    if (cur_is(c, '<')) {
        c->pos++;
        start = c->pos;
        while (c->pos < c->len && c->s[c->pos] != '>') {
            char ch = c->s[c->pos];
            if (!is_alpha(ch) && !(ch >= '0' && ch <= '9') && ch != '+' && ch != '-')
                return false;
            c->pos++;
        }
        if (c->pos == start || !cur_is(c, '>'))
            return false;
        c->pos++;
        return true;
    }
    start = c->pos;
    while (c->pos < c->len && is_alpha(c->s[c->pos]))
        c->pos++;
    return c->pos > start;
}

/* [+-]hh[:mm[:ss]] with hh at most max_hours, as signed seconds. */
static bool parse_hms(struct cursor *c, unsigned max_hours, int32_t *out)
{
    int32_t sign = 1;
    unsigned h, m = 0, s = 0;
    if (cur_is(c, '+') || cur_is(c, '-')) {
        sign = c->s[c->pos] == '-' ? -1 : 1;
        c->pos++;
    }
    if (!parse_uint(c, 3, max_hours, &h))
        return false;
    if (cur_is(c, ':')) {
        c->pos++;
        if (!parse_uint(c, 2, 59, &m))
            return false;
        if (cur_is(c, ':')) {
            c->pos++;
            if (!parse_uint(c, 2, 59, &s))
                return false;
        }
    }
    *out = sign * (int32_t)(h * 3600 + m * 60 + s);
    return true;
}

static bool parse_rule_date(struct cursor *c, struct rule_date *d)
{
    if (cur_is(c, 'J')) {
        c->pos++;
        d->kind = RULE_JULIAN;
        if (!parse_uint(c, 3, 365, &d->day) || d->day < 1)
            return false;
    } else if (cur_is(c, 'M')) {
        c->pos++;
        d->kind = RULE_MONTH;
        if (!parse_uint(c, 2, 12, &d->month) || d->month < 1 || !cur_is(c, '.'))
            return false;
        c->pos++;
        if (!parse_uint(c, 1, 5, &d->week) || d->week < 1 || !cur_is(c, '.'))
            return false;
        c->pos++;
        if (!parse_uint(c, 1, 6, &d->wday))
            return false;
    } else {
        d->kind = RULE_ZERO;
        if (!parse_uint(c, 3, 365, &d->day))
            return false;
    }
    d->time = 2 * 3600; /* POSIX default: 02:00 */
    if (cur_is(c, '/')) {
        c->pos++;
        /* RFC 8536 §3.3.1 extends the hour to -167..167 */
        if (!parse_hms(c, 167, &d->time))
            return false;
    }
    return true;
}

struct footer {
    bool has_std; /* false for an empty footer */
    int32_t std_off;
    bool has_rule;
    struct tz_rule rule;
};

/* Parse `std offset [dst [offset] ,start[/time],end[/time]]`. A daylight saving zone without
 * a rule is rejected: POSIX leaves its dates to the implementation, and zic never writes
 * one. */
static bool footer_parse(const char *s, size_t len, struct footer *f)
{
    struct cursor c = {s, len, 0};
    int32_t posix_off;
    memset(f, 0, sizeof(*f));
    if (len == 0)
        return true;
    /* POSIX offsets count hours west of Greenwich; everything here counts east. */
    if (!parse_abbr(&c) || !parse_hms(&c, 24, &posix_off))
        return false;
    f->has_std = true;
    f->std_off = -posix_off;
    if (c.pos == len)
        return true;
    if (!parse_abbr(&c))
        return false;
    f->rule.std_off = f->std_off;
    f->rule.dst_off = f->std_off + 3600;
    if (cur_is(&c, '+') || cur_is(&c, '-') || cur_is_digit(&c)) {
        if (!parse_hms(&c, 24, &posix_off))
            return false;
        f->rule.dst_off = -posix_off;
    }
    if (!cur_is(&c, ','))
        return false;
    c.pos++;
    if (!parse_rule_date(&c, &f->rule.start) || !cur_is(&c, ','))
        return false;
    c.pos++;
    if (!parse_rule_date(&c, &f->rule.end) || c.pos != len)
        return false;
    f->has_rule = true;
    return true;
}

/* ---- TZif ---- */

#define TZIF_HEADER_SIZE 44

struct tzif_header {
    unsigned char version; /* 1, 2, 3 or 4 */
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    size_t block_size; /* bytes of the data block after the header */
};

/* Read and check the header at `pos`; time_size is 4 for the v1 block, 8 for v2+. Returns
 * NULL or what is wrong. */
static const char *header_decode(const unsigned char *data, size_t len, size_t pos,
                                 size_t time_size, struct tzif_header *h)
{
    if (len - pos < TZIF_HEADER_SIZE)
        return "truncated header";
    const unsigned char *p = data + pos;
    if (memcmp(p, "TZif", 4) != 0)
        return "bad magic";
    if (p[4] == 0)
        h->version = 1;
    else if (p[4] >= '2' && p[4] <= '4')
        h->version = (unsigned char)(p[4] - '0');
    else
        return "unsupported version";
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    if (h->timecnt > TZ_MAX_TIMES)
        return "too many transitions";
    if (h->typecnt > TZ_MAX_TYPES)
        return "too many local time types";
    if (h->charcnt > TZ_MAX_CHARS)
        return "designations too long";
    if (h->leapcnt > TZ_MAX_LEAPS)
        return "too many leap-second records";
    if ((h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
        (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
        return "bad indicator count";
    /* Every count is capped above, so this sum is far below SIZE_MAX. */
    h->block_size = (size_t)h->timecnt * (time_size + 1) + (size_t)h->typecnt * 6 + h->charcnt +
                    (size_t)h->leapcnt * (time_size + 4) + h->isstdcnt + h->isutcnt;
    if (len - pos - TZIF_HEADER_SIZE < h->block_size)
        return "truncated data block";
    return NULL;
}

/* Read the data block after the header at `pos` into tz's table, dropping transitions that
 * do not change the offset. *last_raw is the last transition as written (INT64_MIN when
 * there is none). Returns NULL or what is wrong; *rc is set on allocation failure. */
static const char *block_decode(const unsigned char *data, size_t pos, const struct tzif_header *h,
                                size_t time_size, hf_tz *tz, int64_t *last_raw, int *rc)
{
    const unsigned char *times = data + pos + TZIF_HEADER_SIZE;
    const unsigned char *idx = times + (size_t)h->timecnt * time_size;
    const unsigned char *types = idx + h->timecnt;
    int32_t type_off[TZ_MAX_TYPES];

    if (h->typecnt == 0)
        return "no local time types";
    if (h->leapcnt != 0)
        return "leap-second records are not supported";
    for (uint32_t i = 0; i < h->typecnt; i++) {
        const unsigned char *tt = types + (size_t)i * 6;
        int32_t utoff = be32_signed(tt);
        if (utoff < TZ_OFFSET_MIN || utoff > TZ_OFFSET_MAX)
            return "UT offset out of range";
        if (tt[4] > 1)
            return "bad DST flag";
        if (tt[5] >= h->charcnt)
            return "designation index out of range";
        type_off[i] = utoff;
    }
    tz->first = type_off[0];
    if (h->timecnt == 0) {
        *last_raw = INT64_MIN;
        return NULL;
    }
    tz->at = malloc((size_t)h->timecnt * sizeof(*tz->at));
    tz->off = malloc((size_t)h->timecnt * sizeof(*tz->off));
    if (!tz->at || !tz->off) {
        *rc = HF_ENOMEM;
        return "out of memory";
    }
    int64_t prev_time = 0;
    int32_t prev_off = tz->first;
    for (uint32_t i = 0; i < h->timecnt; i++) {
        int64_t t =
            time_size == 8 ? be64(times + (size_t)i * 8) : be32_signed(times + (size_t)i * 4);
        if (t < -TZ_TIME_LIMIT || t > TZ_TIME_LIMIT)
            return "transition time out of range";
        if (i > 0 && t <= prev_time)
            return "transition times not ascending";
        if (idx[i] >= h->typecnt)
            return "local time type index out of range";
        prev_time = t;
        if (type_off[idx[i]] == prev_off)
            continue;
        prev_off = type_off[idx[i]];
        tz->at[tz->count] = t;
        tz->off[tz->count] = prev_off;
        tz->count++;
    }
    *last_raw = prev_time;
    return NULL;
}

/* Append the footer rule's transitions after the table's last one (as written) through
 * TZ_EXPAND_LAST_YEAR, and decide from when lookups use the rule directly. A table ending
 * outside [TZ_EXPAND_FIRST_YEAR, TZ_EXPAND_LAST_YEAR) is not extended: the rule then governs
 * straight after it, as RFC 8536 §3.3 says. */
static int rule_expand(hf_tz *tz, int64_t last_raw)
{
    int64_t *gen_at = NULL, *new_at = NULL;
    int32_t *gen_off = NULL, *new_off = NULL;
    int rc = 0;

    int64_t y0 = year_of(last_raw);
    tz->rule_from = last_raw;
    if (y0 < TZ_EXPAND_FIRST_YEAR || y0 >= TZ_EXPAND_LAST_YEAR)
        goto out;
    /* The year before y0 too: its last transition may fall after last_raw in odd rules. */
    int64_t y_from = y0 - 1, y_to = TZ_EXPAND_LAST_YEAR + 2;
    size_t cap = 2 * (size_t)(y_to - y_from + 1);
    gen_at = malloc(cap * sizeof(*gen_at));
    gen_off = malloc(cap * sizeof(*gen_off));
    new_at = malloc((tz->count + cap) * sizeof(*new_at));
    new_off = malloc((tz->count + cap) * sizeof(*new_off));
    if (!gen_at || !gen_off || !new_at || !new_off) {
        rc = HF_ENOMEM;
        goto out;
    }
    size_t ngen = rule_build(&tz->rule, y_from, y_to, gen_at, gen_off);
    size_t n = tz->count;
    if (n) {
        memcpy(new_at, tz->at, n * sizeof(*new_at));
        memcpy(new_off, tz->off, n * sizeof(*new_off));
    }
    int32_t prev_off = n ? tz->off[n - 1] : tz->first;
    int64_t keep_before = year_start(TZ_EXPAND_LAST_YEAR + 1);
    for (size_t i = 0; i < ngen; i++) {
        if (gen_at[i] <= last_raw || gen_at[i] >= keep_before || gen_off[i] == prev_off)
            continue;
        prev_off = gen_off[i];
        new_at[n] = gen_at[i];
        new_off[n] = prev_off;
        n++;
    }
    free(tz->at);
    free(tz->off);
    tz->at = new_at;
    tz->off = new_off;
    tz->count = n;
    new_at = NULL;
    new_off = NULL;
    /* The table is complete up to keep_before, more than a day past rule_from, so local
     * lookups near rule_from see every transition either way. */
    tz->rule_from = year_start(TZ_EXPAND_LAST_YEAR);
out:
    free(gen_at);
    free(gen_off);
    free(new_at);
    free(new_off);
    return rc;
}

int hf_tz_parse(const char *name, const unsigned char *data, size_t len, hf_tz **out, hf_error *err)
{
    struct tzif_header h1, h2;
    struct footer foot;
    const char *why = NULL;
    hf_tz *tz = NULL;
    int64_t last_raw = INT64_MIN;
    int rc = 0;

    if (out)
        *out = NULL;
    if (!out || (!data && len))
        return hf_error_set(err, HF_EUSAGE, NULL, "null argument to hf_tz_parse");
    if (!name)
        name = "";
    size_t name_len = strnlen(name, TZ_NAME_MAX + 1);
    if (name_len > TZ_NAME_MAX)
        return hf_error_set(err, HF_EINVAL, NULL, "time zone name over %d bytes", TZ_NAME_MAX);
    if (len > HF_TZ_IMAGE_MAX)
        return hf_error_set(err, HF_EINVAL, NULL, "TZif data for \"%s\" over 1 MiB", name);
    if (!data)
        data = (const unsigned char *)"";

    why = header_decode(data, len, 0, 4, &h1);
    if (why)
        goto out;
    size_t pos = 0, time_size = 4;
    if (h1.version >= 2) {
        /* Skip the 32-bit block: the 64-bit one after it says the same and more. */
        pos = TZIF_HEADER_SIZE + h1.block_size;
        time_size = 8;
        why = header_decode(data, len, pos, 8, &h2);
        if (why)
            goto out;
        if (h2.version < 2) {
            why = "bad version in second header";
            goto out;
        }
    } else {
        h2 = h1;
    }

    tz = calloc(1, sizeof(*tz));
    if (!tz) {
        rc = HF_ENOMEM;
        why = "out of memory";
        goto out;
    }
    memcpy(tz->name, name, name_len);
    why = block_decode(data, pos, &h2, time_size, tz, &last_raw, &rc);
    if (why)
        goto out;

    memset(&foot, 0, sizeof(foot));
    if (h1.version >= 2) {
        /* The footer: newline, a POSIX TZ string (possibly empty), newline. */
        size_t fpos = pos + TZIF_HEADER_SIZE + h2.block_size;
        if (fpos >= len || data[fpos] != '\n') {
            why = "missing footer";
            goto out;
        }
        fpos++;
        const unsigned char *nl = memchr(data + fpos, '\n', len - fpos);
        if (!nl) {
            why = "unterminated footer";
            goto out;
        }
        size_t flen = (size_t)(nl - (data + fpos));
        if (flen > TZ_FOOTER_MAX) {
            why = "footer too long";
            goto out;
        }
        if (!footer_parse((const char *)data + fpos, flen, &foot)) {
            why = "invalid TZ string in footer";
            goto out;
        }
    }

    /* RFC 8536 §3.2: with no transitions the footer, when present, governs all time. */
    if (foot.has_rule) {
        tz->has_rule = true;
        tz->rule = foot.rule;
        if (last_raw == INT64_MIN) {
            tz->rule_everywhere = true;
        } else {
            rc = rule_expand(tz, last_raw);
            if (rc) {
                why = "out of memory";
                goto out;
            }
        }
    } else if (foot.has_std && last_raw == INT64_MIN) {
        tz->first = foot.std_off;
    }
    *out = tz;
    tz = NULL;
out:
    hf_tz_free(tz);
    if (rc == HF_ENOMEM)
        return hf_error_set(err, rc, NULL, "out of memory parsing time zone \"%s\"", name);
    if (why)
        return hf_error_set(err, HF_EINVAL, NULL, "%s in TZif data for \"%s\"", why, name);
    return 0;
}

void hf_tz_free(hf_tz *tz)
{
    /* The built-in UTC zones are static: freeing one would be a caller bug, made harmless. */
    if (!tz || tz == &utc_zone || tz == &etc_utc_zone)
        return;
    free(tz->at);
    free(tz->off);
    free(tz);
}

const hf_tz *hf_tz_utc(void)
{
    return &utc_zone;
}

const char *hf_tz_name(const hf_tz *tz)
{
    return tz ? tz->name : "";
}

int32_t hf_tz_offset_at(const hf_tz *tz, hf_time t)
{
    if (!tz)
        return 0;
    if (tz->has_rule && (tz->rule_everywhere || t > tz->rule_from))
        return rule_offset_at(&tz->rule, t);
    return view_offset_at(tz->at, tz->off, tz->count, tz->first, t);
}

hf_time hf_tz_local_to_utc(const hf_tz *tz, int64_t local)
{
    int32_t off = 0;
    if (!tz)
        off = 0;
    /* Two days past rule_from the table has no transition left that could bound the
     * period holding `local` (offsets are under 26 hours). */
    else if (tz->has_rule && (tz->rule_everywhere || local > tz->rule_from + 2 * DAY_SECONDS))
        off = rule_local_offset(&tz->rule, local);
    else
        off = view_local_offset(tz->at, tz->off, tz->count, tz->first, local);
    /* Saturate rather than overflow for wall-clock times at the ends of the int64 range. */
    if (off > 0 && local < INT64_MIN + off)
        return INT64_MIN + 1;
    if (off < 0 && local > INT64_MAX + off)
        return INT64_MAX;
    return local - off;
}

/* ---- loading and the cache ---- */

#define CACHE_BUCKETS 64

/* The cache and the loader, both guarded by cache_lock. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static hf_tz *cache[CACHE_BUCKETS];
static hf_tz_loader loader;
static void *loader_ctx;

void hf_tz_set_loader(hf_tz_loader fn, void *ctx)
{
    pthread_mutex_lock(&cache_lock);
    loader = fn;
    loader_ctx = fn ? ctx : NULL;
    pthread_mutex_unlock(&cache_lock);
}

/* A plain IANA name: components of [A-Za-z0-9_+-] separated by single slashes. The
 * character set already excludes `.`, so no component can be `..`; the explicit check
 * keeps that true if the set ever grows. */
static bool name_is_valid(const char *name)
{
    size_t len = strnlen(name, TZ_NAME_MAX + 1);
    size_t comp = 0;
    if (len == 0 || len > TZ_NAME_MAX || name[0] == '/')
        return false;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? name[i] : '/';
        if (c == '/') {
            if (i == comp || (i - comp == 2 && name[comp] == '.' && name[comp + 1] == '.'))
                return false;
            comp = i + 1;
        } else if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '+' && c != '-') {
            return false;
        }
    }
    return true;
}

static size_t name_hash(const char *name)
{
    size_t h = 5381;
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return h % CACHE_BUCKETS;
}

/* Caller holds cache_lock. */
static hf_tz *cache_find(const char *name)
{
    for (hf_tz *tz = cache[name_hash(name)]; tz; tz = tz->next)
        if (strcmp(tz->name, name) == 0)
            return tz;
    return NULL;
}

int hf_tz_load(const char *name, const hf_tz **out, hf_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    hf_tz *fresh = NULL;
    hf_error why;
    int rc = 0;

    if (!out)
        return hf_error_set(err, HF_EUSAGE, NULL, "null argument to hf_tz_load");
    *out = NULL;
    if (!name || !name_is_valid(name))
        return hf_error_set(err, HF_EINVAL, NULL, "invalid time zone name \"%.64s\"",
                            name ? name : "");
    if (strcmp(name, "UTC") == 0) {
        *out = &utc_zone;
        return 0;
    }
    if (strcmp(name, "Etc/UTC") == 0) {
        *out = &etc_utc_zone;
        return 0;
    }

    pthread_mutex_lock(&cache_lock);
    *out = cache_find(name);
    hf_tz_loader fn = loader;
    void *ctx = loader_ctx;
    pthread_mutex_unlock(&cache_lock);
    if (*out)
        return 0;

    /* Load and parse without the lock so one slow disk does not stall every thread; two
     * threads racing on the same name both parse, and the loser's copy is freed below.
     * Without a loader, no zone but UTC exists. */
    hf_error_clear(&why);
    rc = fn ? fn(ctx, name, &data, &len, &why) : HF_ENOTFOUND;
    if (rc > 0 || (rc == 0 && !data))
        rc = rc > 0 ? HF_EIO : HF_ENOTFOUND; /* a loader that broke its contract */
    if (rc) {
        /* HF_ENOTFOUND and HF_ENOMEM get their messages below; others keep the loader's
         * (which file, which errno) when it gave one */
        if (rc != HF_ENOTFOUND && rc != HF_ENOMEM) {
            if (why.rc != rc || !why.msg[0])
                hf_error_set(err, rc, NULL, "cannot load time zone \"%s\" (%s)", name,
                             hf_strerror(rc));
            else if (err)
                *err = why;
        }
        goto out;
    }
    if (len < 4 || memcmp(data, "TZif", 4) != 0) {
        rc = HF_ENOTFOUND; /* zone.tab, leapseconds and the like */
        goto out;
    }
    rc = hf_tz_parse(name, data, len, &fresh, err);
    if (rc)
        goto out;

    pthread_mutex_lock(&cache_lock);
    hf_tz *known = cache_find(name);
    if (!known) {
        size_t b = name_hash(name);
        fresh->next = cache[b];
        cache[b] = fresh;
        known = fresh;
        fresh = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
    *out = known;
out:
    free(data);
    hf_tz_free(fresh);
    if (rc == HF_ENOTFOUND)
        hf_error_set(err, rc, NULL, "unknown time zone \"%s\"", name);
    else if (rc == HF_ENOMEM)
        hf_error_set(err, rc, NULL, "out of memory loading time zone \"%s\"", name);
    return rc;
}

void hf_tz_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t b = 0; b < CACHE_BUCKETS; b++) {
        hf_tz *tz = cache[b];
        while (tz) {
            hf_tz *next = tz->next;
            hf_tz_free(tz);
            tz = next;
        }
        cache[b] = NULL;
    }
    pthread_mutex_unlock(&cache_lock);
}
