/* The small parsers of handoffd that read what clients send in headers, paths and patch
 * bodies. They are pure functions, kept apart from the handlers so that one fuzz target
 * (tests/fuzz/fuzz_http.c) can exercise every one of them.
 *
 * They are strict on purpose: one request has one reading. A value that two components
 * could read differently (a path cut short by an encoded NUL, an id with a sign, a media
 * type that merely starts like JSON) is refused rather than guessed at. */
#ifndef HANDOFF_SERVER_PARSE_H
#define HANDOFF_SERVER_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define HF_IF_MATCH_ANY 0x7fffffff
#define HF_ROUTE_PARAMS 4
#define HF_ROUTE_PARAM_MAX 128

/* If-Match: `"3"` or `W/"3"` -> 3; NULL -> 0 (absent); `*` -> HF_IF_MATCH_ANY; anything
 * else -> -1. */
int hf_http_if_match(const char *header);

/* The value of cookie `name` in a Cookie header, copied into buf; NULL when absent or
 * longer than cap - 1. */
const char *hf_http_cookie(const char *header, const char *name, char *buf, size_t cap);

/* The first tag of an Accept-Language list ("pt-BR,pt;q=0.9" -> "pt-BR"); "" when none
 * or too long. */
void hf_http_first_language(const char *header, char *out, size_t cap);

/* Is `content_type` (a Content-Type header value, may be NULL) exactly the media type
 * `type` ("application/json")? Type and subtype compare without regard to case, blanks
 * may surround the parts, and RFC 9110 parameters may follow (`; charset=utf-8`); a
 * `charset` parameter must name UTF-8, the only encoding JSON has (RFC 8259). A longer
 * subtype (`application/jsonx`), a suffix type (`application/x+json`), a malformed
 * parameter or any control character gives false. */
bool hf_media_type_is(const char *content_type, const char *type);

/* Check a request target as the client sent it, before percent-decoding (`target`, `len`
 * bytes; the path and the query). Returns 0 when it is acceptable, or the status to
 * answer with *why set to a static English reason:
 *   414 when it is longer than `max_len` bytes;
 *   400 for a byte that must be percent-encoded (a control character, a blank, a byte
 *       above 0x7F, `"<>\^`{|}#`), a `%` not followed by two hex digits, an encoded
 *       control character (`%00`-`%1F`, `%7F`) anywhere, an encoded slash (`%2F`) in
 *       the path, or percent-encoded bytes that are not UTF-8.
 * A NUL byte in `target` before `len` is a control character (400). */
int hf_http_target_check(const char *target, size_t len, size_t max_len, const char **why);

/* Match `path` against `pattern`, where `{}` is one non-empty path segment; when params is
 * not NULL the segments are copied there and counted in *n.
 *
 * A segment that reads as an integer to a lenient reader (strtoll: blanks, a sign, then
 * digits — `+1`, `01`, ` 1`, `-3`) matches `{}` only when it is a canonical record id
 * (hf_id_parse, include/handoff/id.h), and a segment that starts or ends with a blank
 * never matches: so a record has one path, whatever the handler uses to read the id. A
 * CRM deal id of that shape (`0123`) cannot be named in a path either. */
bool hf_route_match(const char *pattern, const char *path, char (*params)[HF_ROUTE_PARAM_MAX],
                    int *n);

#endif
