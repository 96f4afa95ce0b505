/* Blank and N/A detection over UTF-8 text. A document's "filled" rule depends on whether a
 * string has non-blank content, and documents come from people typing in many languages,
 * so the no-break space and the other Unicode spaces count as blank too. */
#include "core/text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool is_space_cp(uint32_t c)
{
    if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f))
        return true;
    if (c < 0x80)
        return false;
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Decode the code point at s[i]; returns its length in bytes (1 for a bad byte). */
static size_t decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned char b = s[i];
    size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > len) {
        *cp = 0xfffd;
        return 1;
    }
    uint32_t c = n == 1 ? b : (uint32_t)(b & (0x7f >> n));
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        c = (c << 6) | (s[i + k] & 0x3f);
    }
    *cp = c;
    return n;
}

/* Length of the white space ending at s[len-1], in bytes. */
static size_t trailing_space(const unsigned char *s, size_t len)
{
    size_t end = len;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && (s[start] & 0xc0) == 0x80 && end - start < 4)
            start--;
        uint32_t cp;
        size_t n = decode(s, end, start, &cp);
        if (start + n != end || !is_space_cp(cp))
            break;
        end = start;
    }
    return len - end;
}

void hf__text_trim(const char **s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)*s;
    size_t i = 0;
    while (i < *len) {
        uint32_t cp;
        size_t n = decode(u, *len, i, &cp);
        if (!is_space_cp(cp))
            break;
        i += n;
    }
    *s += i;
    *len -= i;
    *len -= trailing_space((const unsigned char *)*s, *len);
}

bool hf__text_is_blank(const char *s, size_t len)
{
    hf__text_trim(&s, &len);
    return len == 0;
}

bool hf__text_is_na(const char *s, size_t len)
{
    hf__text_trim(&s, &len);
    return len == 3 && (s[0] == 'n' || s[0] == 'N') && s[1] == '/' && (s[2] == 'a' || s[2] == 'A');
}

void hf__join_words(char *buf, size_t cap, const char *const *words, size_t count)
{
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < count && used < cap; i++) {
        int n = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", words[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
