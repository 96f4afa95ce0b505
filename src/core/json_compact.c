/* A compact JSON writer that gives, byte for byte, the text of jansson's
 * json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(p)) for an object or an array, in a
 * fraction of its time: jansson writes through a callback per token into a growing buffer
 * and guards against cycles by printing the address of every object and array into a hash
 * table. Serializing each draft of a CSV import was a third of the import's reading thread
 * (docs/internals/csv-import.md).
 *
 * What makes the text the same as jansson's (dump.c, 2.14; tests/unit/core/test_json_compact.c
 * compares the two on every JSON file of tests/data and on chosen values):
 * - members in the object's order (jansson keeps insertion order), `,` and `:` without
 *   blanks;
 * - strings: `"` and `\` escaped with a backslash, the control characters below U+0020 as
 *   \b \f \n \r \t or \u00XX with capital hexadecimal digits, everything else (`/`,
 *   U+007F, any other UTF-8) as it is; a string that is not valid UTF-8 makes jansson
 *   refuse the whole value, and so NULL here (a key that is not UTF-8, which only
 *   json_object_set_nocheck can make, gives NULL here where jansson writes a broken
 *   text);
 * - integers with %lld; reals with %.{p}g, the locale's decimal point made `.`, `.0`
 *   added when there is neither `.` nor `e`, and the exponent without `+` or leading
 *   zeros;
 * - a root that is not an object or an array: NULL, as without JSON_ENCODE_ANY. */
#include "handoff/document.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    char *s;
    size_t len, cap;
    bool failed;
} out;

static void reserve(out *o, size_t more)
{
    if (o->failed || o->len + more <= o->cap)
        return;
    size_t cap = o->cap ? o->cap : 1024;
    while (cap < o->len + more)
        cap *= 2;
    char *s = realloc(o->s, cap);
    if (!s) {
        o->failed = true;
        return;
    }
    o->s = s;
    o->cap = cap;
}

static void put(out *o, const char *s, size_t n)
{
    reserve(o, n);
    if (o->failed)
        return;
    memcpy(o->s + o->len, s, n);
    o->len += n;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when it is not one;
 * jansson's utf8_check_* rules: no overlong forms, no surrogates, nothing above
 * U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* What a byte of a string needs: 0 nothing, 1 an escape, 2 a UTF-8 check (a lead or a
 * continuation byte). */
static const unsigned char byte_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static void put_string(out *o, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    reserve(o, 6 * n + 2); /* every byte escaped as \u00XX at worst, and the quotes */
    if (o->failed)
        return;
    char *w = o->s + o->len;
    *w++ = '"';
    size_t run = 0; /* start of the bytes not written yet */
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (byte_class[c] == 0) {
            i++;
            continue;
        }
        if (byte_class[c] == 2) {
            size_t k = utf8_len(s + i, n - i);
            if (!k) {
                o->failed = true;
                return;
            }
            i += k;
            continue;
        }
        memcpy(w, str + run, i - run);
        w += i - run;
        *w++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *w++ = (char)c;
            break;
        case '\b':
            *w++ = 'b';
            break;
        case '\f':
            *w++ = 'f';
            break;
        case '\n':
            *w++ = 'n';
            break;
        case '\r':
            *w++ = 'r';
            break;
        case '\t':
            *w++ = 't';
            break;
        default: {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(w, "u00", 3);
            w[3] = hex[c >> 4];
            w[4] = hex[c & 15];
            w += 5;
        }
        }
        run = ++i;
    }
    memcpy(w, str + run, n - run);
    w += n - run;
    *w++ = '"';
    o->len = (size_t)(w - o->s);
}

/* The decimal digits of v, as %lld writes them, into buf (at least 21 bytes); returns
 * their length. */
static size_t int_text(char *buf, long long v)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        buf[len++] = '-';
    while (n)
        buf[len++] = tmp[--n];
    return len;
}

static void put_real(out *o, double v, int precision)
{
    char buf[64];
    /* An integral value below 10^precision (amounts in whole units, mostly) is what %.*g
     * writes for it, its digits, plus ".0": written without printf, which costs more than
     * the rest of a document. -0.0 keeps its sign through the general path. */
    if (precision >= 17 && v > -1e17 && v < 1e17 && v == (double)(long long)v &&
        !(v == 0 && signbit(v))) {
        size_t n = int_text(buf, (long long)v);
        memcpy(buf + n, ".0", 2);
        put(o, buf, n + 2);
        return;
    }
    int r = snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (r < 0 || (size_t)r >= sizeof(buf) - 3) {
        o->failed = true;
        return;
    }
    size_t len = (size_t)r;
    const char *point = localeconv()->decimal_point;
    if (point[0] != '.') {
        char *p = strchr(buf, point[0]);
        if (p)
            *p = '.';
    }
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    }
    char *start = strchr(buf, 'e');
    if (start) {
        start++;
        char *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, len - (size_t)(end - buf) + 1);
            len -= (size_t)(end - start);
        }
    }
    put(o, buf, len);
}

static void put_value(out *o, const json_t *v, int precision, int depth)
{
    if (o->failed)
        return;
    if (depth > 2048) { /* deeper than jansson's parser makes; refused as a loop would be */
        o->failed = true;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        put(o, "{", 1);
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it && !o->failed;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first)
                put(o, ",", 1);
            first = false;
            put_string(o, json_object_iter_key(it), json_object_iter_key_len(it));
            put(o, ":", 1);
            put_value(o, json_object_iter_value(it), precision, depth + 1);
        }
        put(o, "}", 1);
        break;
    }
    case JSON_ARRAY: {
        put(o, "[", 1);
        for (size_t i = 0, n = json_array_size(v); i < n && !o->failed; i++) {
            if (i)
                put(o, ",", 1);
            put_value(o, json_array_get(v, i), precision, depth + 1);
        }
        put(o, "]", 1);
        break;
    }
    case JSON_STRING:
        put_string(o, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: {
        char buf[32];
        put(o, buf, int_text(buf, (long long)json_integer_value(v)));
        break;
    }
    case JSON_REAL:
        put_real(o, json_real_value(v), precision);
        break;
    case JSON_TRUE:
        put(o, "true", 4);
        break;
    case JSON_FALSE:
        put(o, "false", 5);
        break;
    case JSON_NULL:
        put(o, "null", 4);
        break;
    }
}

char *hf_json_dumps_compact(const json_t *v, int precision)
{
    if (!v || (!json_is_object(v) && !json_is_array(v)))
        return NULL;
    out o = {0};
    put_value(&o, v, precision >= 1 && precision <= 31 ? precision : 17, 0);
    put(&o, "", 1);
    if (o.failed) {
        free(o.s);
        return NULL;
    }
    return o.s;
}
