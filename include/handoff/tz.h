/* IANA time zones, read from the system's compiled zoneinfo (TZif) files, without touching
 * the process-wide TZ variable or localtime(): every function here is thread-safe.
 *
 * A loaded zone is immutable and lives until hf_tz_cache_clear() (or process exit);
 * hf_tz_load() keeps a process-wide cache, so loading the same name twice returns the same
 * pointer. `UTC` is always available even without zoneinfo files. */
#ifndef HANDOFF_TZ_H
#define HANDOFF_TZ_H

#include "handoff/error.h"
#include "handoff/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hf_tz hf_tz;

/* Directory searched for zone files. Default "/usr/share/zoneinfo"; the environment
 * variable TZDIR, read once at the first load, overrides it. */

/* Load zone `name` (`America/Sao_Paulo`, `UTC`). Rejects names that are not plain IANA
 * names (absolute paths, `..`, empty, over 255 bytes). Returns 0 and sets *out (borrowed,
 * owned by the cache), or HF_ENOTFOUND / HF_EINVAL with `err` filled. Thread-safe.
 * A name may only use [A-Za-z0-9/_+-] (else HF_EINVAL); a missing file, or one that is not
 * TZif (a directory, `leapseconds`), is HF_ENOTFOUND `unknown time zone "NAME"`; a corrupt
 * TZif file or a leap-second (`right/`) zone is HF_EINVAL. */
int hf_tz_load(const char *name, const hf_tz **out, hf_error *err);

/* The always-available UTC zone. */
const hf_tz *hf_tz_utc(void);

/* Parse a TZif (v1, v2, v3 or v4) image from memory. Used by hf_tz_load and by the fuzz
 * target. On success *out is a new zone the caller frees with hf_tz_free(). Any input is
 * safe: images over 1 MiB, with over 2000 transitions, leap-second records or UT offsets
 * outside (-25 h, +26 h) are rejected with HF_EINVAL, and *out is NULL on failure. */
int hf_tz_parse(const char *name, const unsigned char *data, size_t len, hf_tz **out,
                hf_error *err);

/* Free a zone from hf_tz_parse. Accepts NULL. Never call it on a zone from hf_tz_load. */
void hf_tz_free(hf_tz *tz);

/* The zone's name as given when loaded. */
const char *hf_tz_name(const hf_tz *tz);

/* UTC offset, in seconds east of UTC, in force at instant `t`. A NULL zone counts as UTC. */
int32_t hf_tz_offset_at(const hf_tz *tz, hf_time t);

/* Convert a local wall-clock time, given as seconds since 1970-01-01T00:00:00 local
 * (i.e. days_from_civil * 86400 + seconds of day), to an instant. A wall-clock time that
 * falls in a DST gap or overlap takes the UTC offset in force just before the transition
 * (SPEC §4.6). Results past the ends of the int64 range saturate. A NULL zone counts as UTC. */
hf_time hf_tz_local_to_utc(const hf_tz *tz, int64_t local);

/* Drop every cached zone. Only for tests and shutdown, when no other thread uses a zone. */
void hf_tz_cache_clear(void);

#endif
