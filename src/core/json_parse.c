/* A JSON reader that builds, for every text jansson accepts, the same jansson value
 * json_loadb would (the same types, the same members in the same order), in a fraction of
 * its time: jansson reads a character at a time through a stream callback, checks UTF-8
 * byte by byte and copies every token into a growing buffer before making the value.
 * Parsing the request body was 29% of the CPU of a creation (docs/internals/server.md).
 *
 * Only the path of a well-formed text is written here. Whatever this reader does not
 * accept — a syntax error, a string that is not UTF-8, a lone surrogate, \u0000, an
 * integer or a real out of range, a nesting deeper than jansson's 2048, a flag other than
 * JSON_REJECT_DUPLICATES and JSON_DECODE_ANY, a duplicate key under JSON_REJECT_DUPLICATES
 * — is handed to json_loadb itself, which then gives its own answer and its own error
 * (line, column, text). So the errors are jansson's, word for word, and a text this reader
 * refuses by mistake still gets jansson's value; what must hold is the other way round,
 * that it never accepts what jansson refuses nor builds another value:
 * tests/unit/core/test_json_parse.c compares the two on chosen texts and on every JSON file
 * of tests/data, and tests/fuzz/fuzz_json.c on anything.
 *
 * jansson's rules (load.c, 2.14) followed here:
 * - blanks are space, tab, line feed and carriage return;
 * - a number is -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; without a fraction or an
 *   exponent it is an integer (strtoll; out of range is an error), otherwise a real
 *   (strtod; ±HUGE_VAL with ERANGE is an error, an underflow is not);
 * - strings are UTF-8 without the overlong forms, the surrogates and anything above
 *   U+10FFFF; control characters below U+0020 must be escaped; \uD800-\uDBFF must be
 *   followed by \uDC00-\uDFFF;
 * - a key seen twice replaces the earlier value in its place;
 * - the root is an object or an array unless JSON_DECODE_ANY, and only blanks follow it. */
#include "handoff/document.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 2048 /* jansson's JSON_PARSER_MAX_DEPTH */

typedef struct reader {
    const unsigned char *p, *end;
    int flags;
    int depth;
    char *scratch; /* decoded strings with escapes */
    size_t scratch_cap;
} reader;

static json_t *value(reader *r);

static void skip_blanks(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* the length of the well-formed UTF-8 sequence at s (at most n bytes), 0 if there is none */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        if (c == 0xe0 && s[1] < 0xa0) /* overlong */
            return 0;
        if (c == 0xed && s[1] >= 0xa0) /* a surrogate */
            return 0;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
            return 0;
        if (c == 0xf0 && s[1] < 0x90) /* overlong */
            return 0;
        if (c == 0xf4 && s[1] >= 0x90) /* above U+10FFFF */
            return 0;
        return 4;
    }
    return 0;
}

static int hex4(const unsigned char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = s[i];
        int d = c >= '0' && c <= '9'   ? (int)(c - '0')
                : c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10)
                : c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10)
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static bool scratch_reserve(reader *r, size_t n)
{
    if (n <= r->scratch_cap)
        return true;
    size_t cap = r->scratch_cap ? r->scratch_cap : 256;
    while (cap < n)
        cap *= 2;
    char *s = realloc(r->scratch, cap);
    if (!s)
        return false;
    r->scratch = s;
    r->scratch_cap = cap;
    return true;
}

/* A string whose opening quote r->p is on. On success *s and *len give its text: the
 * input itself when it has no escape, else r->scratch (valid until the next string). */
static bool string(reader *r, const char **s, size_t *len)
{
    const unsigned char *p = r->p + 1, *start = p;
    /* the plain stretch: ASCII without `"`, `\` or control characters, and UTF-8 */
    for (;;) {
        while (p < r->end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p >= r->end || *p < 0x20)
            return false;
        if (*p == '"') {
            *s = (const char *)start;
            *len = (size_t)(p - start);
            r->p = p + 1;
            return true;
        }
        if (*p == '\\')
            break;
        size_t n = utf8_seq(p, (size_t)(r->end - p));
        if (!n)
            return false;
        p += n;
    }
    /* escapes: decode into the scratch buffer, which never grows beyond the input's length */
    if (!scratch_reserve(r, (size_t)(r->end - start) + 1))
        return false;
    size_t o = (size_t)(p - start);
    memcpy(r->scratch, start, o);
    while (p < r->end) {
        unsigned c = *p;
        if (c == '"') {
            *s = r->scratch;
            *len = o;
            r->p = p + 1;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c != '\\') {
            size_t n = utf8_seq(p, (size_t)(r->end - p));
            if (!n)
                return false;
            memcpy(r->scratch + o, p, n);
            o += n;
            p += n;
            continue;
        }
        if (p + 1 >= r->end)
            return false;
        c = p[1];
        p += 2;
        char e = c == '"'    ? '"'
                 : c == '\\' ? '\\'
                 : c == '/'  ? '/'
                 : c == 'b'  ? '\b'
                 : c == 'f'  ? '\f'
                 : c == 'n'  ? '\n'
                 : c == 'r'  ? '\r'
                 : c == 't'  ? '\t'
                             : 0;
        if (e) {
            r->scratch[o++] = e;
            continue;
        }
        if (c != 'u' || r->end - p < 4)
            return false;
        int u = hex4(p);
        p += 4;
        if (u <= 0) /* not hexadecimal, or \u0000 (jansson's JSON_ALLOW_NUL is not taken) */
            return false;
        if (u >= 0xdc00 && u <= 0xdfff)
            return false;
        if (u >= 0xd800 && u <= 0xdbff) {
            if (r->end - p < 6 || p[0] != '\\' || p[1] != 'u')
                return false;
            int lo = hex4(p + 2);
            if (lo < 0xdc00 || lo > 0xdfff)
                return false;
            p += 6;
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        }
        /* an escape of n characters decodes to at most n bytes: \uXXXX (6) to 3, a pair
         * (12) to 4 */
        if (u < 0x80) {
            r->scratch[o++] = (char)u;
        } else if (u < 0x800) {
            r->scratch[o++] = (char)(0xc0 | (u >> 6));
            r->scratch[o++] = (char)(0x80 | (u & 0x3f));
        } else if (u < 0x10000) {
            r->scratch[o++] = (char)(0xe0 | (u >> 12));
            r->scratch[o++] = (char)(0x80 | ((u >> 6) & 0x3f));
            r->scratch[o++] = (char)(0x80 | (u & 0x3f));
        } else {
            r->scratch[o++] = (char)(0xf0 | (u >> 18));
            r->scratch[o++] = (char)(0x80 | ((u >> 12) & 0x3f));
            r->scratch[o++] = (char)(0x80 | ((u >> 6) & 0x3f));
            r->scratch[o++] = (char)(0x80 | (u & 0x3f));
        }
    }
    return false;
}

static bool is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

static json_t *number(reader *r)
{
    const unsigned char *p = r->p, *start = p;
    bool real = false;
    if (p < r->end && *p == '-')
        p++;
    if (p >= r->end || !is_digit(*p))
        return NULL;
    if (*p == '0') {
        p++;
        if (p < r->end && is_digit(*p))
            return NULL;
    } else {
        while (p < r->end && is_digit(*p))
            p++;
    }
    if (p < r->end && *p == '.') {
        p++;
        if (p >= r->end || !is_digit(*p))
            return NULL;
        while (p < r->end && is_digit(*p))
            p++;
        real = true;
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < r->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= r->end || !is_digit(*p))
            return NULL;
        while (p < r->end && is_digit(*p))
            p++;
        real = true;
    }
    size_t n = (size_t)(p - start);
    char buf[64], *text = buf, *heap = NULL;
    if (n >= sizeof(buf)) {
        text = heap = malloc(n + 1);
        if (!heap)
            return NULL;
    }
    memcpy(text, start, n);
    text[n] = '\0';
    char *stop;
    json_t *v = NULL;
    errno = 0;
    if (!real) {
        long long i = strtoll(text, &stop, 10);
        if (errno != ERANGE && stop == text + n)
            v = json_integer(i);
    } else {
        double d = strtod(text, &stop);
        if (!((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE) && stop == text + n)
            v = json_real(d);
    }
    free(heap);
    if (v)
        r->p = p;
    return v;
}

static bool word(reader *r, const char *w, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
        return false;
    r->p += n;
    return true;
}

/* After a member or an element: a comma and blanks (0: another follows), the closing
 * character (1: the container ends), or anything else (-1). */
static int after_item(reader *r, unsigned char close)
{
    skip_blanks(r);
    if (r->p < r->end && *r->p == ',') {
        r->p++;
        skip_blanks(r);
        return 0;
    }
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return 1;
    }
    return -1;
}

static json_t *object(reader *r)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    r->p++;
    skip_blanks(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        return o;
    }
    for (;;) {
        const char *k;
        size_t kn;
        if (r->p >= r->end || *r->p != '"' || !string(r, &k, &kn))
            goto fail;
        /* the key is copied by jansson; it may live in the scratch buffer, which the value
         * reuses: keep a copy when it does */
        char kbuf[128], *kheap = NULL;
        if (k == r->scratch) {
            if (kn < sizeof(kbuf)) {
                memcpy(kbuf, k, kn);
                k = kbuf;
            } else {
                kheap = malloc(kn);
                if (!kheap)
                    goto fail;
                memcpy(kheap, k, kn);
                k = kheap;
            }
        }
        skip_blanks(r);
        json_t *v = NULL;
        if (r->p < r->end && *r->p == ':') {
            r->p++;
            skip_blanks(r);
            v = value(r);
        }
        bool ok = false;
        if (v && (r->flags & JSON_REJECT_DUPLICATES) && json_object_getn(o, k, kn))
            json_decref(v); /* jansson refuses it: its error is wanted */
        else if (v)
            ok = json_object_setn_new_nocheck(o, k, kn, v) == 0; /* releases v if it fails */
        free(kheap);
        if (!ok)
            goto fail;
        int next = after_item(r, '}');
        if (next > 0)
            return o;
        if (next < 0)
            goto fail;
    }
fail:
    json_decref(o);
    return NULL;
}

static json_t *array(reader *r)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    r->p++;
    skip_blanks(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return a;
    }
    for (;;) {
        json_t *v = value(r);
        if (!v || json_array_append_new(a, v) != 0)
            goto fail;
        int next = after_item(r, ']');
        if (next > 0)
            return a;
        if (next < 0)
            goto fail;
    }
fail:
    json_decref(a);
    return NULL;
}

static json_t *value(reader *r)
{
    if (r->p >= r->end)
        return NULL;
    switch (*r->p) {
    case '{':
    case '[': {
        if (++r->depth > MAX_DEPTH)
            return NULL;
        json_t *v = *r->p == '{' ? object(r) : array(r);
        r->depth--;
        return v;
    }
    case '"': {
        const char *s;
        size_t n;
        return string(r, &s, &n) ? json_stringn_nocheck(s, n) : NULL;
    }
    case 't':
        return word(r, "true", 4) ? json_true() : NULL;
    case 'f':
        return word(r, "false", 5) ? json_false() : NULL;
    case 'n':
        return word(r, "null", 4) ? json_null() : NULL;
    default:
        return number(r);
    }
}

json_t *hf_json_loadb_fast(const char *buf, size_t len, int flags)
{
    /* strtod reads the locale's decimal point, jansson always `.` */
    const struct lconv *lc = localeconv();
    bool dot = lc && lc->decimal_point && strcmp(lc->decimal_point, ".") == 0;
    if (!buf || !dot || (flags & ~(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)) != 0)
        return NULL;
    reader r = {(const unsigned char *)buf, (const unsigned char *)buf + len, flags, 0, NULL, 0};
    skip_blanks(&r);
    json_t *v = NULL;
    if (r.p < r.end && ((flags & JSON_DECODE_ANY) || *r.p == '{' || *r.p == '['))
        v = value(&r);
    free(r.scratch);
    if (v) {
        skip_blanks(&r);
        if (r.p != r.end) {
            json_decref(v);
            v = NULL;
        }
    }
    return v;
}

json_t *hf_json_loadb(const char *buf, size_t len, int flags, json_error_t *err)
{
    json_t *v = hf_json_loadb_fast(buf, len, flags);
    if (!v)
        return json_loadb(buf, len, (size_t)flags, err);
    if (err) { /* as jansson leaves it after a success */
        memset(err, 0, sizeof(*err));
        err->line = -1;
        err->column = -1;
        memcpy(err->source, "<buffer>", sizeof("<buffer>"));
    }
    return v;
}

json_t *hf_json_loads_fast(const char *text)
{
    if (!text)
        text = "{}";
    return hf_json_loadb(text, strlen(text), 0, NULL);
}
