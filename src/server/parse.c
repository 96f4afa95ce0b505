/* Header, path and merge-patch parsing for handoffd (see parse.h). */
#include "server/parse.h"

#include "handoff/id.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int hf_http_if_match(const char *h)
{
    if (!h)
        return 0;
    if (strcmp(h, "*") == 0)
        return HF_IF_MATCH_ANY;
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    if (*h == '"')
        h++;
    if (*h < '0' || *h > '9')
        return -1;
    char *end;
    long v = strtol(h, &end, 10);
    if (end == h || v <= 0 || v > 1000000000 || (*end != '"' && *end != '\0'))
        return -1;
    return (int)v;
}

const char *hf_http_cookie(const char *h, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        if (strncmp(h, name, n) == 0 && h[n] == '=') {
            const char *v = h + n + 1;
            size_t len = strcspn(v, ";");
            if (len >= cap)
                return NULL;
            memcpy(buf, v, len);
            buf[len] = '\0';
            return buf;
        }
        h = strchr(h, ';');
    }
    return NULL;
}

void hf_http_first_language(const char *h, char *out, size_t cap)
{
    out[0] = '\0';
    if (!h || cap == 0)
        return;
    while (*h == ' ')
        h++;
    size_t n = strcspn(h, ",; ");
    if (n < cap) {
        memcpy(out, h, n);
        out[n] = '\0';
    }
}

/* RFC 9110 token characters (tchar). */
static bool is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

bool hf_media_type_is(const char *ct, const char *type)
{
    if (!ct || !type || !*type)
        return false;
    const char *p = skip_ows(ct);
    size_t n = strlen(type);
    if (strncasecmp(p, type, n) != 0)
        return false;
    p = skip_ows(p + n);
    /* parameters: *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] ) */
    while (*p) {
        if (*p != ';')
            return false;
        p = skip_ows(p + 1);
        if (*p == ';' || *p == '\0')
            continue;
        const char *name = p;
        while (is_tchar((unsigned char)*p))
            p++;
        size_t name_len = (size_t)(p - name);
        if (name_len == 0 || *p != '=')
            return false;
        p++;
        char value[16];
        size_t vlen = 0;
        bool too_long = false;
        if (*p == '"') {
            for (p++; *p != '"'; p++) {
                if (*p == '\\')
                    p++;
                unsigned char c = (unsigned char)*p;
                if (c == '\0' || (c < 0x20 && c != '\t') || c == 0x7f)
                    return false;
                if (vlen < sizeof(value) - 1)
                    value[vlen++] = (char)c;
                else
                    too_long = true;
            }
            p++;
        } else {
            const char *v = p;
            while (is_tchar((unsigned char)*p)) {
                if (vlen < sizeof(value) - 1)
                    value[vlen++] = *p;
                else
                    too_long = true;
                p++;
            }
            if (p == v)
                return false;
        }
        value[vlen] = '\0';
        if (name_len == 7 && strncasecmp(name, "charset", 7) == 0 &&
            (too_long || strcasecmp(value, "utf-8") != 0))
            return false;
        p = skip_ows(p);
    }
    return true;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* An incremental UTF-8 validator (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF): `need` continuation bytes are still expected, the next one within
 * [lo, hi]. */
typedef struct utf8_state {
    unsigned need;
    unsigned char lo, hi;
} utf8_state;

static bool utf8_step(utf8_state *u, unsigned char b)
{
    if (u->need) {
        if (b < u->lo || b > u->hi)
            return false;
        u->need--;
        u->lo = 0x80;
        u->hi = 0xbf;
        return true;
    }
    if (b < 0x80)
        return true;
    u->lo = 0x80;
    u->hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
        u->need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
        u->need = 2;
        if (b == 0xe0)
            u->lo = 0xa0; /* no overlong 3-byte forms */
        else if (b == 0xed)
            u->hi = 0x9f; /* no surrogates */
    } else if (b >= 0xf0 && b <= 0xf4) {
        u->need = 3;
        if (b == 0xf0)
            u->lo = 0x90; /* no overlong 4-byte forms */
        else if (b == 0xf4)
            u->hi = 0x8f; /* nothing above U+10FFFF */
    } else {
        return false;
    }
    return true;
}

int hf_http_target_check(const char *t, size_t len, size_t max_len, const char **why)
{
    const char *unused;
    if (!why)
        why = &unused;
    *why = NULL;
    if (len > max_len) {
        *why = "the request target is too long";
        return 414;
    }
    bool in_query = false;
    utf8_state u = {0, 0x80, 0xbf};
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '%') {
            int hi = i + 2 < len ? hex_value((unsigned char)t[i + 1]) : -1;
            int lo = i + 2 < len ? hex_value((unsigned char)t[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *why = "a '%' in the request target is not followed by two hex digits";
                return 400;
            }
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
            if (c < 0x20 || c == 0x7f) {
                *why = "the request target encodes a control character (such as %00)";
                return 400;
            }
            if (c == '/' && !in_query) {
                *why = "the path encodes a slash (%2F)";
                return 400;
            }
        } else if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}#", c)) {
            *why = "the request target has a character that must be percent-encoded";
            return 400;
        } else if (c == '?') {
            in_query = true;
        }
        if (!utf8_step(&u, c)) {
            *why = "the request target encodes bytes that are not UTF-8";
            return 400;
        }
    }
    if (u.need) {
        *why = "the request target encodes bytes that are not UTF-8";
        return 400;
    }
    return 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Would a lenient integer reader (strtoll) take the whole segment for a number? Blanks,
 * an optional sign, then one digit or more, and nothing else. */
static bool reads_as_integer(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && is_blank(s[i]))
        i++;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t first_digit = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i > first_digit && i == len;
}

/* May this segment stand for `{}`? See parse.h: no blank at either end, and a number
 * only in the canonical spelling of an id. */
static bool segment_ok(const char *s, size_t len)
{
    if (is_blank(s[0]) || is_blank(s[len - 1]))
        return false;
    if (!reads_as_integer(s, len))
        return true;
    char id[HF_ROUTE_PARAM_MAX];
    memcpy(id, s, len);
    id[len] = '\0';
    return hf_id_parse(id, NULL);
}

bool hf_route_match(const char *pattern, const char *path, char (*params)[HF_ROUTE_PARAM_MAX],
                    int *n)
{
    int count = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t len = strcspn(path, "/");
            if (len == 0 || len >= HF_ROUTE_PARAM_MAX || count >= HF_ROUTE_PARAMS ||
                !segment_ok(path, len))
                return false;
            if (params) {
                memcpy(params[count], path, len);
                params[count][len] = '\0';
            }
            count++;
            path += len;
            pattern += 2;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return false;
    if (n)
        *n = count;
    return true;
}
