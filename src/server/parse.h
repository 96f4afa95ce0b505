/* The small parsers of handoffd that read what clients send in headers, paths and patch
 * bodies. They are pure functions, kept apart from the handlers so that one fuzz target
 * (tests/fuzz/fuzz_http.c) can exercise every one of them. */
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

/* Match `path` against `pattern`, where `{}` is one non-empty path segment; when params is
 * not NULL the segments are copied there and counted in *n. */
bool hf_route_match(const char *pattern, const char *path, char (*params)[HF_ROUTE_PARAM_MAX],
                    int *n);

#endif
