/* Calendar arithmetic and the timestamp formats of the handoff document.
 *
 * Instants are `hf_time`: seconds since 1970-01-01T00:00:00Z, proleptic Gregorian, no leap
 * seconds. Nothing here reads the clock or the environment: the caller passes `now`. */
#ifndef HANDOFF_TIME_H
#define HANDOFF_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t hf_time;

/* Sentinel for "no instant" (not set, not applicable). */
#define HF_TIME_NONE INT64_MIN

/* Days since 1970-01-01 of a civil date (month 1-12, day 1-31). Works for any int year. */
int64_t hf_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Inverse of hf_days_from_civil. */
void hf_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Day of week of a day number: 0 = Sunday ... 6 = Saturday. */
int hf_weekday(int64_t days);

/* True when y-m-d is a real calendar date. */
bool hf_date_valid(int64_t y, unsigned m, unsigned d);

/* Parse an RFC 3339 timestamp with an offset, as SPEC §3 defines it: `YYYY-MM-DD`, `T`, `t`
 * or a space, `HH:MM:SS` (seconds 00-59), optional fraction (dropped), then `Z`, `z` or
 * `±HH:MM`; surrounding blanks are ignored. `(s, len)` need not be NUL-terminated.
 * Returns true and sets *out on success. */
bool hf_time_parse_rfc3339(const char *s, size_t len, hf_time *out);

/* The same, keeping the fraction of the second: *nanos in [0, 1e9) (digits past the
 * ninth are ignored). The evaluation compares instants with their fractions and drops
 * them only when it prints. */
bool hf_time_parse_rfc3339_ns(const char *s, size_t len, hf_time *out, int64_t *nanos);

/* Parse a `YYYY-MM-DD` date (a real calendar date; surrounding blanks ignored) into a day
 * number. Returns true on success. */
bool hf_date_parse(const char *s, size_t len, int64_t *days_out);

/* Format `t` as `YYYY-MM-DDTHH:MM:SSZ` into buf (at least 21 bytes for years 0-9999).
 * Returns buf. */
#define HF_TIME_BUFSZ 32
char *hf_time_format_utc(hf_time t, char buf[HF_TIME_BUFSZ]);

/* The UTC day number of instant `t` (floor division: before 1970 too). */
int64_t hf_time_day(hf_time t);

/* Format a day number as `YYYY-MM-DD`. Returns buf. */
char *hf_date_format(int64_t days, char buf[HF_TIME_BUFSZ]);

#endif
