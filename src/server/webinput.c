/* Form bodies and the Accept-* headers of the web pages (webinput.h). */
#include "server/webinput.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Is (s, n) valid UTF-8 without NUL bytes? */
static bool valid_text(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        unsigned cp;
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

/* Decode (s, n) into dst (room for n bytes); returns the decoded length or -1. */
static long decode(const char *s, size_t n, char *dst)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            dst[k++] = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            dst[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            dst[k++] = s[i];
        }
    }
    return (long)k;
}

int hf_form_parse(const char *body, size_t len, json_t **out, hf_error *err)
{
    hf_error_clear(err);
    *out = NULL;
    json_t *form = json_object();
    char *buf = malloc(len + 1);
    if (!form || !buf) {
        json_decref(form);
        free(buf);
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    int rc = 0, fields = 0;
    size_t i = 0;
    while (i < len && !rc) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        if (end > i) {
            if (++fields > HF_FORM_MAX_FIELDS) {
                rc = hf_error_set(err, HF_EINVAL, NULL, "more than %d form fields",
                                  HF_FORM_MAX_FIELDS);
                break;
            }
            size_t eq = i;
            while (eq < end && body[eq] != '=')
                eq++;
            long nlen = decode(body + i, eq - i, buf);
            char *name = nlen >= 0 ? strndup(buf, (size_t)nlen) : NULL;
            long vlen = eq < end ? decode(body + eq + 1, end - eq - 1, buf) : 0;
            if (nlen < 0 || vlen < 0) {
                rc = hf_error_set(err, HF_EINVAL, NULL, "a bad %%-escape in the form");
            } else if (!name) {
                rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
            } else if (strlen(name) != (size_t)nlen ||
                       !valid_text((const unsigned char *)name, (size_t)nlen) ||
                       !valid_text((const unsigned char *)buf, (size_t)vlen)) {
                rc = hf_error_set(err, HF_EINVAL, NULL,
                                  "a form field that is not UTF-8 text (or holds a NUL byte)");
            } else {
                json_t *v = json_stringn(buf, (size_t)vlen);
                json_t *prev = json_object_get(form, name);
                if (!v) {
                    rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
                } else if (!prev) {
                    json_object_set_new(form, name, v);
                } else if (json_is_array(prev)) {
                    json_array_append_new(prev, v);
                } else {
                    json_object_set_new(form, name, json_pack("[Oo]", prev, v));
                }
            }
            free(name);
        }
        i = end + 1;
    }
    free(buf);
    if (rc) {
        json_decref(form);
        return rc;
    }
    *out = form;
    return 0;
}

const char *hf_form_get(const json_t *form, const char *name)
{
    const json_t *v = json_object_get(form, name);
    if (json_is_array(v))
        v = json_array_get(v, 0);
    return json_string_value(v);
}

/* One entry of an Accept-* list: the token [s, s+n) and its q in thousandths (1000 when
 * absent, 0 for a malformed q). Returns the position after the entry. */
static const char *next_entry(const char *p, const char **tok, size_t *n, int *q)
{
    while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
    *tok = p;
    while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
        p++;
    *n = (size_t)(p - *tok);
    *q = 1000;
    while (*p && *p != ',') {
        if (*p == ';') {
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
            if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
                p += 2;
                int v = 0, digits = 0;
                bool frac = false;
                int scale = 1000;
                for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
                    if (*p == '.') {
                        frac = true;
                        continue;
                    }
                    if (!frac) {
                        v = v * 10 + (*p - '0') * 1000;
                    } else if (scale > 1) {
                        scale /= 10;
                        v += (*p - '0') * scale;
                    }
                    digits++;
                }
                *q = digits && v <= 1000 ? v : 0;
                continue;
            }
        }
        if (*p)
            p++;
    }
    return p;
}

bool hf_http_accept_language(const char *header, hf_lang *out)
{
    if (!header)
        return false;
    int best_q = 0;
    hf_lang best = HF_LANG_EN;
    const char *p = header;
    while (*p) {
        const char *tok;
        size_t n;
        int q;
        p = next_entry(p, &tok, &n, &q);
        char tag[36];
        hf_lang lang;
        if (n == 0 || n >= sizeof(tag) || q <= best_q)
            continue;
        memcpy(tag, tok, n);
        tag[n] = '\0';
        /* "C"/"POSIX" are locale names, not HTTP language tags */
        if (strcasecmp(tag, "c") == 0 || strcasecmp(tag, "posix") == 0)
            continue;
        if (hf_lang_parse(tag, &lang)) {
            best = lang;
            best_q = q;
        }
    }
    if (best_q == 0)
        return false;
    *out = best;
    return true;
}

bool hf_http_accepts_gzip(const char *header)
{
    if (!header)
        return false;
    bool star = false, gzip_named = false, gzip_ok = false;
    const char *p = header;
    while (*p) {
        const char *tok;
        size_t n;
        int q;
        p = next_entry(p, &tok, &n, &q);
        if ((n == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
            (n == 6 && strncasecmp(tok, "x-gzip", 6) == 0)) {
            gzip_named = true;
            gzip_ok = gzip_ok || q > 0;
        } else if (n == 1 && tok[0] == '*') {
            star = q > 0;
        }
    }
    return gzip_named ? gzip_ok : star;
}
