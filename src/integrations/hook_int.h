/* Internals shared by the webhook parsers and verifiers (src/integrations/hook_*.c):
 * bounded copies into the fixed fields of hf_hook_event, the lenient JSON value readers
 * (ids as numbers or strings, amounts, timestamps in the forms the vendors use), the
 * batch allocation and the HMAC and encoding helpers over libsodium. */
#ifndef HANDOFF_HOOK_INT_H
#define HANDOFF_HOOK_INT_H

#include "handoff/hooks.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest header value a verifier reads; a longer one is malformed. */
#define HF__HOOK_HEADER_MAX 4096

/* A path for an error message, printf-like, cut to HF_ERROR_PATH_MAX. */
void hf__hook_path(char buf[HF_ERROR_PATH_MAX], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* NULL body with a length, or a body over HF_HOOK_BODY_MAX: the error; else 0. */
int hf__hook_check_body(const char *body, size_t len, hf_error *err);

/* Parse (body, len) as JSON (duplicate keys refused). NULL on error, with HF_EINVAL,
 * line and column in err. The caller frees the result with json_decref. */
json_t *hf__hook_json_load(const char *body, size_t len, hf_error *err);

/* Give `b` `n` events (n <= HF_HOOK_BATCH_MAX), each initialized for `source` with an
 * empty properties object. Returns 0 or HF_ENOMEM. */
int hf__hook_batch_alloc(hf_hook_batch *b, hf_hook_source source, size_t n, hf_error *err);

/* Append one initialized event to `b` (growing it; at most HF_HOOK_BATCH_MAX). NULL
 * with HF_ENOMEM in err when out of memory; the caller checks the count limit first. */
hf_hook_event *hf__hook_batch_add(hf_hook_batch *b, hf_error *err);

/* Set is_duplicate on each event whose event_id an earlier event of `b` has. */
void hf__hook_mark_duplicates(hf_hook_batch *b);

/* Copy an identifier: HF_EINVAL naming `path` when it has a NUL byte or does not fit. */
int hf__hook_copy_id(char *dst, size_t cap, const char *s, size_t n, const char *path,
                     hf_error *err);
/* Copy a display text, cut at a UTF-8 character boundary when it does not fit. */
void hf__hook_copy_text(char *dst, size_t cap, const char *s, size_t n);

/* The readers below take a member that may be NULL (absent) or JSON null: then they
 * leave the destination alone and return 0. Any other wrong type is HF_EINVAL at `path`.
 */

/* An id: a string, or an integer written in decimal. */
int hf__hook_json_id(const json_t *v, char *dst, size_t cap, const char *path, hf_error *err);
/* A text: a string (cut to fit), or a number written in decimal. */
int hf__hook_json_text(const json_t *v, char *dst, size_t cap, const char *path, hf_error *err);
/* An amount: a number, or a string holding a decimal number. */
int hf__hook_json_amount(const json_t *v, bool *has, double *out, const char *path, hf_error *err);
/* An instant: a string (RFC 3339, or `YYYY-MM-DD HH:MM:SS` read as UTC), or a number of
 * seconds (or of milliseconds when `millis`). */
int hf__hook_json_time(const json_t *v, bool millis, hf_time *out, const char *path, hf_error *err);
/* A date: a string `YYYY-MM-DD` or an instant in any form hf__hook_json_time reads (its
 * UTC date). */
int hf__hook_json_date(const json_t *v, bool *has, int64_t *day, const char *path, hf_error *err);

/* Text readers shared by the XML parser. */
bool hf__hook_parse_decimal(const char *s, size_t n, double *out);
bool hf__hook_parse_time(const char *s, size_t n, hf_time *out);
bool hf__hook_parse_int64(const char *s, size_t n, int64_t *out);

/* True when a and b are at most w apart (no overflow for any values). */
bool hf__hook_within(int64_t a, int64_t b, int64_t w);

/* libsodium, started once. HF_ENOMEM (it cannot start) or 0. */
int hf__hook_crypto_init(hf_error *err);

/* HMAC-SHA256 of the concatenation of `n` pieces. */
typedef struct hf__hook_piece {
    const void *p;
    size_t n;
} hf__hook_piece;
void hf__hook_hmac_sha256(const unsigned char *key, size_t keylen, const hf__hook_piece *pieces,
                          size_t n, unsigned char mac[32]);
void hf__hook_sha256(const hf__hook_piece *pieces, size_t n, unsigned char digest[32]);

/* True when `text` (n bytes, possibly untrusted) is the base64 (with or without padding)
 * or, for the _hex form, the hex (either case) of `mac`. The comparison of the decoded
 * bytes is constant-time. */
bool hf__hook_b64_matches(const unsigned char mac[32], const char *text, size_t n);
bool hf__hook_hex_matches(const unsigned char mac[32], const char *text, size_t n);

/* Length of the header value `s`, or HF__HOOK_HEADER_MAX + 1 when longer (bounded scan). */
size_t hf__hook_header_len(const char *s);

#endif
