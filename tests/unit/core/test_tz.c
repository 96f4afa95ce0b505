/* Unit tests for src/core/tz.c: the TZif parser on hand-built images (so the parser is
 * tested without the system's files), the POSIX TZ footer forms, the DST gap and overlap
 * rule of hf_tz_local_to_utc, rejection of corrupt data and unsafe names, loading with no
 * loader and through one in memory, the cache, and real zones from /usr/share/zoneinfo
 * (through hf_tz_system_loader, installed in main) at known instants. The expected offsets
 * for real zones were cross-checked against Python's zoneinfo (fold=0) on tzdata 2025b.
 * Reading zone files (TZDIR, directories, odd files) is tested in tests/unit/os/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/os.h"
#include "handoff/tz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HOUR 3600
/* 400 Gregorian years: the period of every POSIX TZ rule. */
#define CYCLE ((int64_t)146097 * 86400)

/* An instant (or a local wall-clock reading, which hf_tz counts the same way). */
static int64_t at(int64_t y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return hf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

static const hf_tz *load_ok(const char *name)
{
    const hf_tz *tz = NULL;
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_tz_load(name, &tz, &err);
    if (rc)
        print_error("hf_tz_load(%s): %s\n", name, err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(tz);
    return tz;
}

/* ---- a small TZif writer for hand-built images ---- */

struct buf {
    unsigned char *p;
    size_t len, cap;
};

static void put_bytes(struct buf *b, const void *src, size_t n)
{
    if (n == 0)
        return;
    assert_true(b->len + n <= b->cap);
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put32(struct buf *b, uint32_t v)
{
    unsigned char q[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    put_bytes(b, q, 4);
}

static void put64(struct buf *b, int64_t v)
{
    put32(b, (uint32_t)((uint64_t)v >> 32));
    put32(b, (uint32_t)v);
}

struct tzif_spec {
    char version; /* 0 for v1, or '2', '3', '4' */
    size_t timecnt;
    const int64_t *times;
    const unsigned char *idx;
    size_t typecnt;
    const int32_t *utoff;
    const unsigned char *isdst;
    const unsigned char *desig;
    const char *chars; /* NUL-separated abbreviations */
    size_t charcnt;
    const char *footer; /* v2+: the TZ string, without the surrounding newlines */
};

static void put_header(struct buf *b, char version, size_t timecnt, size_t typecnt, size_t charcnt)
{
    put_bytes(b, "TZif", 4);
    unsigned char v = (unsigned char)version;
    put_bytes(b, &v, 1);
    static const unsigned char zero[15];
    put_bytes(b, zero, 15);
    put32(b, 0); /* isutcnt */
    put32(b, 0); /* isstdcnt */
    put32(b, 0); /* leapcnt */
    put32(b, (uint32_t)timecnt);
    put32(b, (uint32_t)typecnt);
    put32(b, (uint32_t)charcnt);
}

static void put_block(struct buf *b, const struct tzif_spec *s, size_t time_size)
{
    for (size_t i = 0; i < s->timecnt; i++) {
        if (time_size == 8)
            put64(b, s->times[i]);
        else
            put32(b, (uint32_t)s->times[i]);
    }
    put_bytes(b, s->idx, s->timecnt);
    for (size_t i = 0; i < s->typecnt; i++) {
        put32(b, (uint32_t)s->utoff[i]);
        put_bytes(b, &s->isdst[i], 1);
        put_bytes(b, &s->desig[i], 1);
    }
    put_bytes(b, s->chars, s->charcnt);
}

/* Write the image into buf (capacity cap); returns its length. A v2+ image gets a minimal
 * v1 block (one type, no transitions, as `zic -b slim` writes), so a parser that wrongly
 * read the v1 block would see offset 0 everywhere. */
static size_t tzif_build(const struct tzif_spec *s, unsigned char *out, size_t cap)
{
    struct buf b = {out, 0, cap};
    if (s->version == 0) {
        put_header(&b, 0, s->timecnt, s->typecnt, s->charcnt);
        put_block(&b, s, 4);
        return b.len;
    }
    put_header(&b, s->version, 0, 1, 1);
    static const unsigned char v1_type[7] = {0, 0, 0, 0, 0, 0, 0}; /* utoff, isdst, idx, "" */
    put_bytes(&b, v1_type, sizeof(v1_type));
    put_header(&b, s->version, s->timecnt, s->typecnt, s->charcnt);
    put_block(&b, s, 8);
    put_bytes(&b, "\n", 1);
    put_bytes(&b, s->footer, strlen(s->footer));
    put_bytes(&b, "\n", 1);
    return b.len;
}

/* v1: +1 h until 1970-01-12T13:46:40Z (10^6 s), +2 h until 10^6 s later, then +1 h. */
static const int64_t v1_times[] = {1000000, 2000000};
static const unsigned char v1_idx[] = {1, 0};
static const int32_t v1_utoff[] = {3600, 7200};
static const unsigned char v1_isdst[] = {0, 1};
static const unsigned char v1_desig[] = {0, 4};
static const struct tzif_spec v1_spec = {
    .version = 0,
    .timecnt = 2,
    .times = v1_times,
    .idx = v1_idx,
    .typecnt = 2,
    .utoff = v1_utoff,
    .isdst = v1_isdst,
    .desig = v1_desig,
    .chars = "AAA\0BBB",
    .charcnt = 8,
};

/* v2: +00:16:40 local mean time before 1811-07-23T15:06:40Z (-5 * 10^9 s, outside 32
 * bits), then central-European rules from the footer for ever after. */
static const int64_t v2_times[] = {-5000000000};
static const unsigned char v2_idx[] = {1};
static const int32_t v2_utoff[] = {1000, 3600, 7200};
static const unsigned char v2_isdst[] = {0, 0, 1};
static const unsigned char v2_desig[] = {0, 4, 8};
static const struct tzif_spec v2_spec = {
    .version = '2',
    .timecnt = 1,
    .times = v2_times,
    .idx = v2_idx,
    .typecnt = 3,
    .utoff = v2_utoff,
    .isdst = v2_isdst,
    .desig = v2_desig,
    .chars = "LMT\0AAA\0BBB",
    .charcnt = 12,
    .footer = "AAA-1BBB,M3.5.0,M10.5.0/3",
};

static hf_tz *parse_ok(const struct tzif_spec *s)
{
    unsigned char image[4096];
    size_t len = tzif_build(s, image, sizeof(image));
    hf_tz *tz = NULL;
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_tz_parse("t", image, len, &tz, &err);
    if (rc)
        print_error("hf_tz_parse: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(tz);
    return tz;
}

/* A v2 image with no transitions and one type of offset +5 h: the footer alone decides. */
static hf_tz *footer_zone(const char *footer)
{
    static const int32_t utoff[] = {5 * HOUR};
    static const unsigned char zero[] = {0};
    struct tzif_spec s = {.version = '3',
                          .typecnt = 1,
                          .utoff = utoff,
                          .isdst = zero,
                          .desig = zero,
                          .chars = "X",
                          .charcnt = 2,
                          .footer = footer};
    return parse_ok(&s);
}

static int footer_rc(const char *footer)
{
    static const int32_t utoff[] = {0};
    static const unsigned char zero[] = {0};
    struct tzif_spec s = {.version = '3',
                          .typecnt = 1,
                          .utoff = utoff,
                          .isdst = zero,
                          .desig = zero,
                          .chars = "X",
                          .charcnt = 2,
                          .footer = footer};
    unsigned char image[1024];
    size_t len = tzif_build(&s, image, sizeof(image));
    hf_tz *tz = NULL;
    int rc = hf_tz_parse("t", image, len, &tz, NULL);
    hf_tz_free(tz);
    return rc;
}

/* ---- hand-built images ---- */

static void test_parse_v1(void **state)
{
    (void)state;
    hf_tz *tz = parse_ok(&v1_spec);
    assert_string_equal(hf_tz_name(tz), "t");
    assert_int_equal(hf_tz_offset_at(tz, INT64_MIN), 3600);
    assert_int_equal(hf_tz_offset_at(tz, 999999), 3600);
    assert_int_equal(hf_tz_offset_at(tz, 1000000), 7200);
    assert_int_equal(hf_tz_offset_at(tz, 1999999), 7200);
    assert_int_equal(hf_tz_offset_at(tz, 2000000), 3600);
    assert_int_equal(hf_tz_offset_at(tz, INT64_MAX), 3600);

    /* Gap: local [1003600, 1007200) does not exist; the offset before the change applies. */
    assert_int_equal(hf_tz_local_to_utc(tz, 1003599), 1003599 - 3600);
    assert_int_equal(hf_tz_local_to_utc(tz, 1005000), 1005000 - 3600);
    assert_int_equal(hf_tz_local_to_utc(tz, 1007200), 1007200 - 7200);
    /* Overlap: local [2003600, 2007200) happens twice; the first (+2 h) is taken. */
    assert_int_equal(hf_tz_local_to_utc(tz, 2003599), 2003599 - 7200);
    assert_int_equal(hf_tz_local_to_utc(tz, 2005000), 2005000 - 7200);
    assert_int_equal(hf_tz_local_to_utc(tz, 2007200), 2007200 - 3600);
    hf_tz_free(tz);
}

static void test_parse_v2_uses_64bit_block_and_footer(void **state)
{
    (void)state;
    hf_tz *tz = parse_ok(&v2_spec);
    assert_int_equal(hf_tz_offset_at(tz, -5000000001), 1000);
    assert_int_equal(hf_tz_offset_at(tz, -5000000000), 3600);
    /* From the footer: 2024-03-31T01:00Z and 2024-10-27T01:00Z, as in Europe/Berlin. */
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 31, 0, 59, 59)), 3600);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 31, 1, 0, 0)), 7200);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 27, 0, 59, 59)), 7200);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 27, 1, 0, 0)), 3600);
    /* 1900 is also after the last transition, so the rule applies there too. */
    assert_int_equal(hf_tz_offset_at(tz, at(1900, 7, 1, 0, 0, 0)), 7200);
    assert_int_equal(hf_tz_offset_at(tz, at(2150, 7, 1, 0, 0, 0)), 7200);
    assert_int_equal(hf_tz_offset_at(tz, at(2150, 12, 1, 0, 0, 0)), 3600);
    assert_int_equal(hf_tz_offset_at(tz, at(3000, 7, 1, 0, 0, 0)), 7200);
    assert_int_equal(hf_tz_offset_at(tz, INT64_MAX), 3600); /* 292277026596-12-04 */
    hf_tz_free(tz);
}

static void test_footer_forms(void **state)
{
    (void)state;
    hf_tz *tz;

    /* No transitions: the footer governs all time, not type 0 (+5 h). */
    tz = footer_zone("<-03>3");
    assert_int_equal(hf_tz_offset_at(tz, INT64_MIN), -3 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 1, 1, 0, 0, 0)), -3 * HOUR);
    assert_int_equal(hf_tz_local_to_utc(tz, at(2024, 1, 1, 0, 0, 0)), at(2024, 1, 1, 3, 0, 0));
    hf_tz_free(tz);

    tz = footer_zone("EST5EDT,M3.2.0,M11.1.0");
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 10, 6, 59, 59)), -5 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 10, 7, 0, 0)), -4 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 11, 3, 5, 59, 59)), -4 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 11, 3, 6, 0, 0)), -5 * HOUR);
    /* 1850 too: with no table the rule is simply extended backwards. */
    assert_int_equal(hf_tz_offset_at(tz, at(1850, 7, 1, 0, 0, 0)), -4 * HOUR);
    assert_int_equal(hf_tz_local_to_utc(tz, at(2024, 3, 10, 2, 30, 0)), at(2024, 3, 10, 7, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(tz, at(2024, 11, 3, 1, 30, 0)), at(2024, 11, 3, 5, 30, 0));
    hf_tz_free(tz);

    /* Jn never counts February 29: J60 is March 1 and J300 October 27 every year. */
    tz = footer_zone("XXX3YYY,J60/2,J300/2");
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 1, 4, 59, 59)), -3 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 1, 5, 0, 0)), -2 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 27, 3, 59, 59)), -2 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 27, 4, 0, 0)), -3 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2023, 3, 1, 5, 0, 0)), -2 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2023, 10, 27, 4, 0, 0)), -3 * HOUR);
    hf_tz_free(tz);

    /* n is zero-based and counts February 29: day 59 is Feb 29 in 2024, Mar 1 in 2023. */
    tz = footer_zone("XXX3YYY,59/2,299/2");
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 2, 29, 4, 59, 59)), -3 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 2, 29, 5, 0, 0)), -2 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 26, 4, 0, 0)), -3 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2023, 2, 28, 12, 0, 0)), -3 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2023, 3, 1, 5, 0, 0)), -2 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2023, 10, 27, 4, 0, 0)), -3 * HOUR);
    hf_tz_free(tz);

    /* America/Nuuk: a negative transition time (-1:00 is 23:00 the day before). */
    tz = footer_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 31, 0, 59, 59)), -2 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 31, 1, 0, 0)), -1 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 27, 0, 59, 59)), -1 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 27, 1, 0, 0)), -2 * HOUR);
    hf_tz_free(tz);

    /* Asia/Jerusalem: 26:00 on the Thursday is 02:00 on Friday 2024-03-29. */
    tz = footer_zone("IST-2IDT,M3.4.4/26,M10.5.0");
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 28, 23, 59, 59)), 2 * HOUR);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 3, 29, 0, 0, 0)), 3 * HOUR);
    hf_tz_free(tz);

    /* Explicit DST offset with minutes, as Australia/Lord_Howe writes it. */
    tz = footer_zone("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 4, 6, 14, 59, 59)), 39600);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 4, 6, 15, 0, 0)), 37800);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 5, 15, 29, 59)), 37800);
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 10, 5, 15, 30, 0)), 39600);
    hf_tz_free(tz);

    /* RFC 8536 §3.3.1: DST all year (start Jan 1 00:00, end Dec 31 24:00 + 1 h). */
    tz = footer_zone("EST5EDT4,0/0,J365/25");
    for (int64_t y = 2023; y <= 2025; y++) {
        assert_int_equal(hf_tz_offset_at(tz, at(y, 1, 1, 4, 59, 59)), -4 * HOUR);
        assert_int_equal(hf_tz_offset_at(tz, at(y, 1, 1, 5, 0, 0)), -4 * HOUR);
        assert_int_equal(hf_tz_offset_at(tz, at(y, 7, 1, 0, 0, 0)), -4 * HOUR);
        assert_int_equal(hf_tz_local_to_utc(tz, at(y, 1, 1, 0, 30, 0)), at(y, 1, 1, 4, 30, 0));
    }
    hf_tz_free(tz);

    /* An empty footer leaves the table (here: type 0) in charge. */
    tz = footer_zone("");
    assert_int_equal(hf_tz_offset_at(tz, at(2024, 1, 1, 0, 0, 0)), 5 * HOUR);
    hf_tz_free(tz);
}

static void test_footer_rejects_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "EST",                             /* no offset */
        "EST5EDT",                         /* DST without a rule */
        "<-03",                            /* unterminated quoted name */
        "<>3",                             /* empty quoted name */
        "5",                               /* no name */
        "EST25",                           /* offset hour over 24 */
        "EST5:60",                         /* minutes over 59 */
        "EST5EDT,M13.1.0,M11.1.0",         /* month 13 */
        "EST5EDT,M3.6.0,M11.1.0",          /* week 6 */
        "EST5EDT,M3.2.7,M11.1.0",          /* weekday 7 */
        "EST5EDT,M3.2.0/168,M11.1.0",      /* time over 167 h */
        "EST5EDT,J0,M11.1.0",              /* Jn starts at 1 */
        "EST5EDT,J366,M11.1.0",            /* Jn ends at 365 */
        "EST5EDT,366,M11.1.0",             /* n ends at 365 */
        "EST5EDT,M3.2.0",                  /* no end date */
        "EST5EDT,M3.2.0,M11.1.0x",         /* trailing garbage */
        "EST5EDT,M3.2.0,M11.1.0,M12.1.0",  /* a third date */
        "EST5EDT,M3.2.0/,M11.1.0",         /* empty time */
        "EST5EDT,M3.2.0,M11.1.0/1:2:3:4",  /* too many fields */
        "EST5EDT,M3.2.0,M11.1.0/00000001", /* too many digits */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (footer_rc(bad[i]) != HF_EINVAL)
            fail_msg("footer \"%s\" was accepted", bad[i]);
    }
    assert_int_equal(footer_rc("EST5EDT,M3.2.0/-167,M11.1.0/167"), 0);
    assert_int_equal(footer_rc("<+0530>-5:30"), 0);
}

/* ---- corrupt and hostile input ---- */

static int parse_rc(const unsigned char *data, size_t len, char *msg, size_t msg_size)
{
    hf_tz *tz = (hf_tz *)(uintptr_t)1; /* must be reset to NULL on failure */
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_tz_parse("t", data, len, &tz, &err);
    if (rc) {
        assert_null(tz);
        assert_int_equal(err.rc, rc);
    }
    if (msg)
        snprintf(msg, msg_size, "%s", err.msg);
    hf_tz_free(rc ? NULL : tz);
    return rc;
}

static void assert_every_prefix_rejected(const unsigned char *image, size_t len)
{
    assert_int_equal(parse_rc(image, len, NULL, 0), 0);
    for (size_t n = 0; n < len; n++) {
        if (parse_rc(image, n, NULL, 0) != HF_EINVAL)
            fail_msg("prefix of %zu of %zu bytes was accepted", n, len);
    }
}

static void test_parse_rejects_truncated(void **state)
{
    (void)state;
    unsigned char image[4096];
    size_t len = tzif_build(&v1_spec, image, sizeof(image));
    assert_every_prefix_rejected(image, len);
    len = tzif_build(&v2_spec, image, sizeof(image));
    assert_every_prefix_rejected(image, len);

    /* A real zone file, when the system has it. */
    FILE *f = fopen("/usr/share/zoneinfo/Europe/Berlin", "rb");
    if (f) {
        static unsigned char berlin[16384];
        size_t n = fread(berlin, 1, sizeof(berlin), f);
        fclose(f);
        assert_true(n > 1000 && n < sizeof(berlin));
        assert_every_prefix_rejected(berlin, n);
    }
}

/* Apply `mutate` to a fresh v2 image and expect `why` in the error message. */
static void expect_corrupt(void (*mutate)(unsigned char *, size_t *), const char *why)
{
    unsigned char image[4096];
    char msg[HF_ERROR_MSG_MAX];
    char want[HF_ERROR_MSG_MAX];
    size_t len = tzif_build(&v2_spec, image, sizeof(image));
    mutate(image, &len);
    assert_int_equal(parse_rc(image, len, msg, sizeof(msg)), HF_EINVAL);
    snprintf(want, sizeof(want), "%s in TZif data for \"t\"", why);
    assert_string_equal(msg, want);
}

/* Offsets into the v2 image: v1 header (44) + v1 block (7), then the v2 header. */
#define V2_HDR 51
#define V2_DATA (V2_HDR + 44)

static void set32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void bad_magic(unsigned char *p, size_t *len)
{
    (void)len;
    p[0] = 'X';
}
static void bad_version(unsigned char *p, size_t *len)
{
    (void)len;
    p[4] = '5';
}
static void v2_header_v1(unsigned char *p, size_t *len)
{
    (void)len;
    p[V2_HDR + 4] = 0;
}
static void huge_timecnt(unsigned char *p, size_t *len)
{
    (void)len;
    set32(p + V2_HDR + 32, 0xffffffffu);
}
static void huge_v1_typecnt(unsigned char *p, size_t *len)
{
    (void)len;
    set32(p + 36, 0x7fffffffu);
}
static void zero_typecnt(unsigned char *p, size_t *len)
{
    (void)len;
    set32(p + V2_HDR + 36, 0);
}
static void bad_isutcnt(unsigned char *p, size_t *len)
{
    (void)len;
    set32(p + V2_HDR + 20, 1);
}
static void leap_seconds(unsigned char *p, size_t *len)
{
    /* One leap record (12 bytes) inserted before the (empty) indicator arrays. */
    size_t block_end = V2_DATA + 8 + 1 + 18 + 12;
    memmove(p + block_end + 12, p + block_end, *len - block_end);
    memset(p + block_end, 0, 12);
    *len += 12;
    set32(p + V2_HDR + 28, 1);
}
static void bad_type_index(unsigned char *p, size_t *len)
{
    (void)len;
    p[V2_DATA + 8] = 3;
}
static void bad_utoff(unsigned char *p, size_t *len)
{
    (void)len;
    set32(p + V2_DATA + 9, 0x80000000u); /* INT32_MIN */
}
static void bad_isdst(unsigned char *p, size_t *len)
{
    (void)len;
    p[V2_DATA + 9 + 4] = 2;
}
static void bad_desig(unsigned char *p, size_t *len)
{
    (void)len;
    p[V2_DATA + 9 + 5] = 12;
}
static void time_out_of_range(unsigned char *p, size_t *len)
{
    (void)len;
    set32(p + V2_DATA, 0x7fffffffu);
}
static void no_footer_newline(unsigned char *p, size_t *len)
{
    p[*len - 1] = 'x';
}
static void bad_footer(unsigned char *p, size_t *len)
{
    p[*len - 2] = 'x'; /* "...M10.5.0/x" */
}

static void test_parse_rejects_corrupt(void **state)
{
    (void)state;
    expect_corrupt(bad_magic, "bad magic");
    expect_corrupt(bad_version, "unsupported version");
    expect_corrupt(v2_header_v1, "bad version in second header");
    expect_corrupt(huge_timecnt, "too many transitions");
    expect_corrupt(huge_v1_typecnt, "too many local time types");
    expect_corrupt(zero_typecnt, "no local time types");
    expect_corrupt(bad_isutcnt, "bad indicator count");
    expect_corrupt(leap_seconds, "leap-second records are not supported");
    expect_corrupt(bad_type_index, "local time type index out of range");
    expect_corrupt(bad_utoff, "UT offset out of range");
    expect_corrupt(bad_isdst, "bad DST flag");
    expect_corrupt(bad_desig, "designation index out of range");
    expect_corrupt(time_out_of_range, "transition time out of range");
    expect_corrupt(no_footer_newline, "unterminated footer");
    expect_corrupt(bad_footer, "invalid TZ string in footer");

    /* Transitions must strictly ascend. */
    static const int64_t times[] = {1000, 1000};
    struct tzif_spec s = v1_spec;
    s.times = times;
    unsigned char image[4096];
    char msg[HF_ERROR_MSG_MAX];
    size_t len = tzif_build(&s, image, sizeof(image));
    assert_int_equal(parse_rc(image, len, msg, sizeof(msg)), HF_EINVAL);
    assert_string_equal(msg, "transition times not ascending in TZif data for \"t\"");

    /* Over 1 MiB is refused before any byte is looked at. */
    size_t big_len = 1024 * 1024 + 1;
    unsigned char *big = calloc(1, big_len);
    assert_non_null(big);
    len = tzif_build(&v2_spec, big, big_len);
    assert_int_equal(parse_rc(big, len, NULL, 0), 0);
    assert_int_equal(parse_rc(big, big_len, msg, sizeof(msg)), HF_EINVAL);
    assert_string_equal(msg, "TZif data for \"t\" over 1 MiB");
    free(big);

    assert_int_equal(parse_rc(NULL, 0, NULL, 0), HF_EINVAL);
    hf_tz *tz = NULL;
    assert_int_equal(hf_tz_parse("t", NULL, 10, &tz, NULL), HF_EUSAGE);
    assert_int_equal(hf_tz_parse("t", image, len, NULL, NULL), HF_EUSAGE);
}

/* ---- names and loading ---- */

static void expect_load_rc(const char *name, int want)
{
    const hf_tz *tz = (const hf_tz *)(uintptr_t)1;
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_tz_load(name, &tz, &err);
    if (rc != want)
        fail_msg("hf_tz_load(\"%s\") = %d, want %d (%s)", name ? name : "(null)", rc, want,
                 err.msg);
    assert_null(tz);
    assert_int_equal(err.rc, want);
}

static void test_load_rejects_bad_names(void **state)
{
    (void)state;
    char long_name[300];
    memset(long_name, 'A', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    static const char *const bad[] = {
        "../etc/passwd",
        "/etc/localtime",
        "",
        "America/../../etc/passwd",
        "America//New_York",
        "America/",
        "America/New York",
        "Europe/Berlin\n",
        "zone.tab",
        "Mars/Base\\x",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_load_rc(bad[i], HF_EINVAL);
    expect_load_rc(long_name, HF_EINVAL);
    expect_load_rc(NULL, HF_EINVAL);

    hf_error err;
    const hf_tz *tz = NULL;
    assert_int_equal(hf_tz_load("../etc/passwd", &tz, &err), HF_EINVAL);
    assert_string_equal(err.msg, "invalid time zone name \"../etc/passwd\"");
    assert_int_equal(hf_tz_load("Europe/Berlin", NULL, &err), HF_EUSAGE);
}

static void test_load_rejects_unknown_and_non_tzif(void **state)
{
    (void)state;
    hf_error err;
    const hf_tz *tz = NULL;
    assert_int_equal(hf_tz_load("Mars/Base", &tz, &err), HF_ENOTFOUND);
    assert_null(tz);
    assert_string_equal(err.msg, "unknown time zone \"Mars/Base\"");
    expect_load_rc("America", HF_ENOTFOUND); /* a directory */
    /* Files some tzdata packages lack (Debian 13 moved right/ to tzdata-legacy). */
    if (access("/usr/share/zoneinfo/leapseconds", R_OK) == 0)
        expect_load_rc("leapseconds", HF_ENOTFOUND); /* a text file in the zone directory */
    /* right/ zones count leap seconds in their transition times: refused, not misread. */
    if (access("/usr/share/zoneinfo/right/Europe/Berlin", R_OK) == 0) {
        assert_int_equal(hf_tz_load("right/Europe/Berlin", &tz, &err), HF_EINVAL);
        assert_string_equal(err.msg, "leap-second records are not supported in TZif data for "
                                     "\"right/Europe/Berlin\"");
    }
}

static void test_utc(void **state)
{
    (void)state;
    const hf_tz *utc = hf_tz_utc();
    assert_string_equal(hf_tz_name(utc), "UTC");
    assert_int_equal(hf_tz_offset_at(utc, INT64_MIN), 0);
    assert_int_equal(hf_tz_offset_at(utc, 1700000000), 0);
    assert_int_equal(hf_tz_local_to_utc(utc, 1700000000), 1700000000);
    assert_ptr_equal(load_ok("UTC"), utc);
    const hf_tz *etc = load_ok("Etc/UTC");
    assert_string_equal(hf_tz_name(etc), "Etc/UTC");
    assert_int_equal(hf_tz_offset_at(etc, 1700000000), 0);
    hf_tz_free((hf_tz *)(uintptr_t)utc); /* harmless on the built-in zone */
    hf_tz_free(NULL);
    assert_int_equal(hf_tz_offset_at(hf_tz_utc(), 0), 0);
}

static void test_cache_returns_same_pointer(void **state)
{
    (void)state;
    const hf_tz *a = load_ok("America/New_York");
    const hf_tz *b = load_ok("America/New_York");
    assert_ptr_equal(a, b);
    assert_string_equal(hf_tz_name(a), "America/New_York");
    assert_ptr_not_equal(a, load_ok("Europe/Berlin"));
    hf_tz_cache_clear();
    const hf_tz *c = load_ok("America/New_York");
    assert_int_equal(hf_tz_offset_at(c, at(2024, 7, 1, 0, 0, 0)), -4 * HOUR);
}

/* ---- loading through a loader ---- */

/* A loader over images in memory, counting its calls. */
struct memory_loader {
    int calls;
    char last[64];
};

static int memory_load(void *ctx, const char *name, unsigned char **data, size_t *len,
                       hf_error *err)
{
    struct memory_loader *m = ctx;
    unsigned char image[4096];
    size_t n;
    m->calls++;
    snprintf(m->last, sizeof(m->last), "%s", name);
    if (strcmp(name, "Mem/Good") == 0)
        n = tzif_build(&v2_spec, image, sizeof(image));
    else if (strcmp(name, "Mem/Text") == 0)
        n = (size_t)snprintf((char *)image, sizeof(image), "not a zone\n");
    else if (strcmp(name, "Mem/Corrupt") == 0)
        n = (size_t)snprintf((char *)image, sizeof(image), "TZif2");
    else if (strcmp(name, "Mem/Empty") == 0)
        n = 0;
    else if (strcmp(name, "Mem/Broken") == 0)
        return hf_error_set(err, HF_EIO, NULL, "the disk of %s is on fire", name);
    else if (strcmp(name, "Mem/Mute") == 0)
        return HF_EIO; /* an error without a message */
    else
        return HF_ENOTFOUND;
    *data = malloc(n + 1);
    if (!*data)
        return HF_ENOMEM;
    memcpy(*data, image, n);
    *len = n;
    return 0;
}

static void expect_load_error(const char *name, int want, const char *msg)
{
    const hf_tz *tz = (const hf_tz *)(uintptr_t)1;
    hf_error err;
    hf_error_clear(&err);
    assert_int_equal(hf_tz_load(name, &tz, &err), want);
    assert_null(tz);
    assert_int_equal(err.rc, want);
    assert_string_equal(err.msg, msg);
}

/* The core does no I/O: with no loader, UTC is the only zone there is. */
static void test_load_without_loader(void **state)
{
    (void)state;
    hf_tz_set_loader(NULL, NULL);
    hf_tz_cache_clear();
    assert_ptr_equal(load_ok("UTC"), hf_tz_utc());
    assert_string_equal(hf_tz_name(load_ok("Etc/UTC")), "Etc/UTC");
    expect_load_error("America/New_York", HF_ENOTFOUND, "unknown time zone \"America/New_York\"");
    expect_load_error("../etc/passwd", HF_EINVAL, "invalid time zone name \"../etc/passwd\"");
    hf_tz_set_loader(hf_tz_system_loader, NULL);
    assert_int_equal(hf_tz_offset_at(load_ok("America/New_York"), at(2024, 7, 1, 0, 0, 0)),
                     -4 * HOUR);
    hf_tz_cache_clear();
}

static void test_load_through_loader(void **state)
{
    (void)state;
    struct memory_loader m = {0};
    hf_tz_set_loader(memory_load, &m);
    hf_tz_cache_clear();

    const hf_tz *good = load_ok("Mem/Good");
    assert_int_equal(m.calls, 1);
    assert_string_equal(m.last, "Mem/Good");
    assert_string_equal(hf_tz_name(good), "Mem/Good");
    assert_int_equal(hf_tz_offset_at(good, at(2024, 7, 1, 0, 0, 0)), 2 * HOUR);
    assert_int_equal(hf_tz_offset_at(good, at(2024, 1, 1, 0, 0, 0)), HOUR);
    assert_ptr_equal(load_ok("Mem/Good"), good); /* from the cache: not asked again */
    assert_int_equal(m.calls, 1);

    /* built-in zones and invalid names never reach the loader */
    load_ok("UTC");
    load_ok("Etc/UTC");
    expect_load_rc("Mem/../Good", HF_EINVAL);
    assert_int_equal(m.calls, 1);

    expect_load_error("Mem/Missing", HF_ENOTFOUND, "unknown time zone \"Mem/Missing\"");
    expect_load_error("Mem/Text", HF_ENOTFOUND, "unknown time zone \"Mem/Text\"");
    expect_load_error("Mem/Empty", HF_ENOTFOUND, "unknown time zone \"Mem/Empty\"");
    expect_load_error("Mem/Corrupt", HF_EINVAL,
                      "truncated header in TZif data for \"Mem/Corrupt\"");
    expect_load_error("Mem/Broken", HF_EIO, "the disk of Mem/Broken is on fire");
    expect_load_error("Mem/Mute", HF_EIO,
                      "cannot load time zone \"Mem/Mute\" (input/output error)");
    assert_int_equal(m.calls, 7);
    assert_string_equal(m.last, "Mem/Mute");
    /* failures are not cached */
    expect_load_rc("Mem/Missing", HF_ENOTFOUND);
    assert_int_equal(m.calls, 8);

    /* a zone stays cached when the loader changes; clearing the cache drops it */
    hf_tz_set_loader(hf_tz_system_loader, NULL);
    assert_ptr_equal(load_ok("Mem/Good"), good);
    hf_tz_cache_clear();
    expect_load_rc("Mem/Good", HF_ENOTFOUND);
    assert_int_equal(m.calls, 8);
}

/* ---- real zones ---- */

struct probe {
    int64_t t;
    int32_t off;
};

static void check_offsets(const char *name, const struct probe *p, size_t n)
{
    const hf_tz *tz = load_ok(name);
    for (size_t i = 0; i < n; i++) {
        int32_t got = hf_tz_offset_at(tz, p[i].t);
        if (got != p[i].off)
            fail_msg("%s at %lld: offset %d, want %d", name, (long long)p[i].t, got, p[i].off);
    }
}

#define CHECK_OFFSETS(name, probes) check_offsets(name, probes, sizeof(probes) / sizeof(probes[0]))

static void test_offsets_new_york(void **state)
{
    (void)state;
    const struct probe p[] = {
        {at(1850, 1, 1, 0, 0, 0), -17762}, /* LMT -4:56:02 */
        {at(1960, 6, 1, 0, 0, 0), -4 * HOUR},
        {at(2024, 1, 15, 12, 0, 0), -5 * HOUR},
        {at(2024, 3, 10, 6, 59, 59), -5 * HOUR},
        {at(2024, 3, 10, 7, 0, 0), -4 * HOUR},
        {at(2024, 7, 1, 12, 0, 0), -4 * HOUR},
        {at(2024, 11, 3, 5, 59, 59), -4 * HOUR},
        {at(2024, 11, 3, 6, 0, 0), -5 * HOUR},
        {at(2150, 1, 15, 0, 0, 0), -5 * HOUR}, /* past the table: from the footer */
        {at(2150, 3, 8, 6, 59, 59), -5 * HOUR},
        {at(2150, 3, 8, 7, 0, 0), -4 * HOUR},
        {at(2150, 7, 1, 0, 0, 0), -4 * HOUR},
        {at(2550, 1, 1, 0, 0, 0), -5 * HOUR}, /* past 2200: the rule, folded */
        {at(2550, 7, 1, 0, 0, 0), -4 * HOUR},
        {at(9999, 7, 1, 0, 0, 0), -4 * HOUR},
    };
    CHECK_OFFSETS("America/New_York", p);
    assert_int_equal(at(2024, 3, 10, 7, 0, 0), 1710054000);
    assert_int_equal(at(2150, 3, 8, 7, 0, 0), 5686009200);
}

static void test_offsets_berlin(void **state)
{
    (void)state;
    const struct probe p[] = {
        {at(1945, 6, 1, 0, 0, 0), 3 * HOUR}, /* double summer time */
        {at(2024, 1, 15, 12, 0, 0), 1 * HOUR}, {at(2024, 3, 31, 0, 59, 59), 1 * HOUR},
        {at(2024, 3, 31, 1, 0, 0), 2 * HOUR},  {at(2024, 10, 27, 0, 59, 59), 2 * HOUR},
        {at(2024, 10, 27, 1, 0, 0), 1 * HOUR}, {at(2150, 7, 1, 0, 0, 0), 2 * HOUR},
        {at(2150, 12, 1, 0, 0, 0), 1 * HOUR},
    };
    CHECK_OFFSETS("Europe/Berlin", p);
}

static void test_offsets_sao_paulo(void **state)
{
    (void)state;
    /* Brazil abolished DST in 2019: the footer is plain `<-03>3`. */
    const struct probe p[] = {
        {at(1900, 1, 1, 0, 0, 0), -11188},     {at(2018, 12, 1, 0, 0, 0), -2 * HOUR},
        {at(2019, 1, 15, 0, 0, 0), -2 * HOUR}, {at(2019, 12, 1, 0, 0, 0), -3 * HOUR},
        {at(2024, 1, 15, 0, 0, 0), -3 * HOUR}, {at(2150, 1, 15, 0, 0, 0), -3 * HOUR},
    };
    CHECK_OFFSETS("America/Sao_Paulo", p);
}

static void test_offsets_jakarta(void **state)
{
    (void)state;
    const struct probe p[] = {
        {at(1900, 1, 1, 0, 0, 0), 25632},    {at(1943, 1, 1, 0, 0, 0), 9 * HOUR},
        {at(1960, 1, 1, 0, 0, 0), 27000},    {at(2024, 1, 1, 0, 0, 0), 7 * HOUR},
        {at(2150, 1, 1, 0, 0, 0), 7 * HOUR},
    };
    CHECK_OFFSETS("Asia/Jakarta", p);
}

static void test_offsets_lord_howe(void **state)
{
    (void)state;
    /* 30-minute DST: +10:30 standard, +11 summer (southern hemisphere). */
    const struct probe p[] = {
        {at(2024, 1, 15, 0, 0, 0), 39600},    {at(2024, 4, 6, 14, 59, 59), 39600},
        {at(2024, 4, 6, 15, 0, 0), 37800},    {at(2024, 7, 1, 0, 0, 0), 37800},
        {at(2024, 10, 5, 15, 29, 59), 37800}, {at(2024, 10, 5, 15, 30, 0), 39600},
        {at(2038, 3, 1, 0, 0, 0), 39600},     {at(2150, 1, 15, 0, 0, 0), 39600},
        {at(2150, 7, 1, 0, 0, 0), 37800},     {at(2550, 1, 15, 0, 0, 0), 39600},
        {at(2550, 7, 1, 0, 0, 0), 37800},
    };
    CHECK_OFFSETS("Australia/Lord_Howe", p);
}

static void test_offsets_footer_forms_in_real_zones(void **state)
{
    (void)state;
    const struct probe jerusalem[] = {{at(2024, 3, 28, 23, 59, 59), 2 * HOUR},
                                      {at(2024, 3, 29, 0, 0, 0), 3 * HOUR},
                                      {at(2150, 7, 1, 0, 0, 0), 3 * HOUR}};
    CHECK_OFFSETS("Asia/Jerusalem", jerusalem);
    const struct probe nuuk[] = {{at(2024, 3, 31, 0, 59, 59), -2 * HOUR},
                                 {at(2024, 3, 31, 1, 0, 0), -1 * HOUR},
                                 {at(2150, 7, 1, 0, 0, 0), -1 * HOUR}};
    CHECK_OFFSETS("America/Nuuk", nuuk);
    /* Negative DST: Irish standard time is summer time; winter is the "DST" of the rule. */
    const struct probe dublin[] = {{at(2024, 1, 15, 0, 0, 0), 0},
                                   {at(2024, 7, 1, 0, 0, 0), 1 * HOUR},
                                   {at(2150, 1, 15, 0, 0, 0), 0},
                                   {at(2150, 7, 1, 0, 0, 0), 1 * HOUR}};
    CHECK_OFFSETS("Europe/Dublin", dublin);
}

static void test_local_to_utc(void **state)
{
    (void)state;
    const hf_tz *ny = load_ok("America/New_York");
    /* An ordinary time. */
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 7, 1, 12, 0, 0)), at(2024, 7, 1, 16, 0, 0));
    /* Spring forward: 02:00-03:00 does not exist; EST (before the change) applies. */
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 3, 10, 1, 59, 59)),
                     at(2024, 3, 10, 6, 59, 59));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 3, 10, 2, 0, 0)), at(2024, 3, 10, 7, 0, 0));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 3, 10, 2, 30, 0)), at(2024, 3, 10, 7, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 3, 10, 3, 0, 0)), at(2024, 3, 10, 7, 0, 0));
    /* Fall back: 01:00-02:00 happens twice; EDT (before the change) applies. */
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 11, 3, 0, 59, 59)),
                     at(2024, 11, 3, 4, 59, 59));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 11, 3, 1, 30, 0)), at(2024, 11, 3, 5, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 11, 3, 2, 0, 0)), at(2024, 11, 3, 7, 0, 0));
    /* The same in 2150 (expanded footer) and 2550 (rule folded by 400 years). */
    assert_int_equal(hf_tz_local_to_utc(ny, at(2150, 3, 8, 2, 30, 0)), at(2150, 3, 8, 7, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2150, 11, 1, 1, 30, 0)), at(2150, 11, 1, 5, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2550, 3, 8, 2, 30, 0)), at(2550, 3, 8, 7, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2550, 11, 1, 1, 30, 0)), at(2550, 11, 1, 5, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(ny, at(2024, 3, 10, 2, 30, 0)), 1710055800);

    const hf_tz *berlin = load_ok("Europe/Berlin");
    assert_int_equal(hf_tz_local_to_utc(berlin, at(2024, 3, 31, 2, 30, 0)),
                     at(2024, 3, 31, 1, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(berlin, at(2024, 10, 27, 2, 30, 0)),
                     at(2024, 10, 27, 0, 30, 0));
    assert_int_equal(hf_tz_local_to_utc(berlin, at(2024, 10, 27, 3, 0, 0)),
                     at(2024, 10, 27, 2, 0, 0));

    /* Half-hour changes: 02:00-02:30 skipped in October, 01:30-02:00 twice in April. */
    const hf_tz *lh = load_ok("Australia/Lord_Howe");
    assert_int_equal(hf_tz_local_to_utc(lh, at(2024, 10, 6, 2, 15, 0)), 1728143100);
    assert_int_equal(hf_tz_local_to_utc(lh, at(2024, 4, 7, 1, 29, 59)), 1712413799);
    assert_int_equal(hf_tz_local_to_utc(lh, at(2024, 4, 7, 1, 45, 0)), 1712414700);
    assert_int_equal(hf_tz_local_to_utc(lh, at(2024, 4, 7, 2, 0, 0)), 1712417400);

    /* Saturation instead of overflow at the ends of the range. */
    assert_int_equal(hf_tz_local_to_utc(ny, INT64_MAX), INT64_MAX);
    assert_int_equal(hf_tz_local_to_utc(berlin, INT64_MIN), INT64_MIN + 1);
}

/* The expanded table (to 2200) and the folded rule (after it) must agree: compare every
 * half hour of 2149-2151 and 2199-2201 with the same instants 400 years later. */
static void test_table_and_rule_agree(void **state)
{
    (void)state;
    static const char *const zones[] = {"America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
                                        "Europe/Dublin",    "America/Nuuk",  "Asia/Jerusalem"};
    static const int64_t from_years[] = {2149, 2199};
    for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
        const hf_tz *tz = load_ok(zones[z]);
        for (size_t y = 0; y < 2; y++) {
            int changes = 0;
            int32_t last = hf_tz_offset_at(tz, at(from_years[y], 1, 1, 0, 0, 0));
            for (int64_t t = at(from_years[y], 1, 1, 0, 0, 0);
                 t < at(from_years[y] + 2, 12, 31, 0, 0, 0); t += 1800) {
                int32_t off = hf_tz_offset_at(tz, t);
                if (off != hf_tz_offset_at(tz, t + CYCLE))
                    fail_msg("%s: offset at %lld differs 400 years later", zones[z], (long long)t);
                if (hf_tz_local_to_utc(tz, t) + CYCLE != hf_tz_local_to_utc(tz, t + CYCLE))
                    fail_msg("%s: local %lld differs 400 years later", zones[z], (long long)t);
                changes += off != last;
                last = off;
            }
            /* Three years of DST: six changes, so the sweep really crossed transitions. */
            assert_int_equal(changes, 6);
        }
    }
}

/* ---- threads ---- */

#define THREADS 8
#define ROUNDS 200

struct expect {
    const char *name;
    int32_t jan, jul; /* offsets at 2024-01-15 and 2024-07-01, 00:00Z */
};

static const struct expect thread_zones[] = {
    {"America/New_York", -5 * HOUR, -4 * HOUR},  {"Europe/Berlin", 1 * HOUR, 2 * HOUR},
    {"America/Sao_Paulo", -3 * HOUR, -3 * HOUR}, {"Asia/Jakarta", 7 * HOUR, 7 * HOUR},
    {"Australia/Lord_Howe", 39600, 37800},       {"UTC", 0, 0},
    {"Asia/Tokyo", 9 * HOUR, 9 * HOUR},          {"Europe/London", 0, 1 * HOUR},
};
#define NZONES (sizeof(thread_zones) / sizeof(thread_zones[0]))

struct worker {
    pthread_barrier_t *start;
    const hf_tz *seen[NZONES];
    int failures;
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    pthread_barrier_wait(w->start);
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t i = 0; i < NZONES; i++) {
            const hf_tz *tz = NULL;
            hf_error err;
            const struct expect *e = &thread_zones[(i + (size_t)r) % NZONES];
            if (hf_tz_load(e->name, &tz, &err) != 0) {
                w->failures++;
                continue;
            }
            size_t slot = (size_t)(e - thread_zones);
            if (w->seen[slot] && w->seen[slot] != tz)
                w->failures++;
            w->seen[slot] = tz;
            if (hf_tz_offset_at(tz, at(2024, 1, 15, 0, 0, 0)) != e->jan ||
                hf_tz_offset_at(tz, at(2024, 7, 1, 0, 0, 0)) != e->jul)
                w->failures++;
            int64_t noon = at(2024, 7, 1, 12, 0, 0);
            if (hf_tz_local_to_utc(tz, noon) != noon - e->jul)
                w->failures++;
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_barrier_t start;
    pthread_t tid[THREADS];
    static struct worker workers[THREADS];
    hf_tz_cache_clear(); /* so that the threads race on the first load of each zone */
    assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
    for (int i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof(workers[i]));
        workers[i].start = &start;
        assert_int_equal(pthread_create(&tid[i], NULL, worker_run, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(tid[i], NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(workers[i].failures, 0);
        for (size_t z = 0; z < NZONES; z++)
            assert_ptr_equal(workers[i].seen[z], workers[0].seen[z]);
    }
}

static int teardown_cache(void **state)
{
    (void)state;
    hf_tz_cache_clear();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_v1),
        cmocka_unit_test(test_parse_v2_uses_64bit_block_and_footer),
        cmocka_unit_test(test_footer_forms),
        cmocka_unit_test(test_footer_rejects_invalid),
        cmocka_unit_test(test_parse_rejects_truncated),
        cmocka_unit_test(test_parse_rejects_corrupt),
        cmocka_unit_test(test_load_rejects_bad_names),
        cmocka_unit_test(test_load_rejects_unknown_and_non_tzif),
        cmocka_unit_test(test_utc),
        cmocka_unit_test(test_load_without_loader),
        cmocka_unit_test(test_load_through_loader),
        cmocka_unit_test(test_cache_returns_same_pointer),
        cmocka_unit_test(test_offsets_new_york),
        cmocka_unit_test(test_offsets_berlin),
        cmocka_unit_test(test_offsets_sao_paulo),
        cmocka_unit_test(test_offsets_jakarta),
        cmocka_unit_test(test_offsets_lord_howe),
        cmocka_unit_test(test_offsets_footer_forms_in_real_zones),
        cmocka_unit_test(test_local_to_utc),
        cmocka_unit_test(test_table_and_rule_agree),
        cmocka_unit_test(test_threads),
    };
    hf_tz_set_loader(hf_tz_system_loader, NULL);
    return cmocka_run_group_tests(tests, NULL, teardown_cache);
}
