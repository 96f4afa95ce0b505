/* Internal text helpers of the core: blank and N/A detection over UTF-8, word lists. */
#ifndef HANDOFF_CORE_TEXT_H
#define HANDOFF_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when (s, len) holds only white space: ASCII blanks and the Unicode White_Space
 * characters (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
 * U+3000) plus the ASCII separators U+001C-U+001F, as Python's str.isspace() does. */
bool hf__text_is_blank(const char *s, size_t len);

/* True when (s, len), with white space around it removed, is "N/A" in any case. */
bool hf__text_is_na(const char *s, size_t len);

/* Trim white space (as above) from both ends of (s, len), in place on the pointers. */
void hf__text_trim(const char **s, size_t *len);

/* Write `a, b, c` into buf (truncated to cap). */
void hf__join_words(char *buf, size_t cap, const char *const *words, size_t count);

#endif
