/* IANA time zones from compiled zoneinfo (TZif) images, without touching the process-wide TZ
 * variable or localtime(): every function here is thread-safe.
 *
 * The core does no I/O: the bytes of a zone come from a loader the program installs once at
 * start (hf_tz_set_loader; handoff/os.h has hf_tz_system_loader, which reads the system's
 * zoneinfo directory). A loaded zone is immutable and lives until hf_tz_cache_clear() (or
 * process exit); hf_tz_load() keeps a process-wide cache, so loading the same name twice
 * returns the same pointer. `UTC` and `Etc/UTC` are built in and need no loader. */
#ifndef HANDOFF_TZ_H
#define HANDOFF_TZ_H

#include "handoff/error.h"
#include "handoff/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hf_tz hf_tz;

/* Largest TZif image hf_tz_parse accepts (real ones are under 4 KiB): a loader need not
 * read more. */
#define HF_TZ_IMAGE_MAX (1024 * 1024)

/* Where zones come from: fill *data with the compiled (TZif) image of zone `name` and *len
 * with its size. `name` has passed hf_tz_load's checks (a plain IANA name of
 * [A-Za-z0-9/_+-], no leading `/`, no empty or `..` component, at most 255 bytes) and is
 * never `UTC` or `Etc/UTC`. *data must come from malloc(): hf_tz_load frees it. Returns 0;
 * HF_ENOTFOUND when there is no such zone (hf_tz_load writes the message); HF_ENOMEM; or
 * another negative hf_rc (HF_EIO) with `err` saying what failed, and *data left NULL. An
 * image that is not TZif counts as no such zone. Called without any lock held, possibly
 * from several threads at once: it must be thread-safe. */
typedef int (*hf_tz_loader)(void *ctx, const char *name, unsigned char **data, size_t *len,
                            hf_error *err);

/* Install the loader hf_tz_load asks for zones not in the cache, with `ctx` passed to it
 * (borrowed: it must live as long as the loader is installed). NULL uninstalls: then only
 * `UTC` and `Etc/UTC` load, and every other name is HF_ENOTFOUND. Programs call it once at
 * start, e.g. hf_tz_set_loader(hf_tz_system_loader, NULL). Zones cached already stay
 * (hf_tz_cache_clear() drops them). Thread-safe. */
void hf_tz_set_loader(hf_tz_loader fn, void *ctx);

/* Load zone `name` (`America/Sao_Paulo`, `UTC`): from the cache, else through the loader.
 * Returns 0 and sets *out (borrowed, owned by the cache), or an error with `err` filled.
 * Thread-safe. A name that is not a plain IANA name (absolute path, `..`, empty, over 255
 * bytes, a character outside [A-Za-z0-9/_+-]) is HF_EINVAL; a name the loader does not
 * know (or any name but UTC without a loader), or an image that is not TZif (a directory,
 * `leapseconds`), is HF_ENOTFOUND `unknown time zone "NAME"`; a corrupt TZif image or a
 * leap-second (`right/`) zone is HF_EINVAL; the loader's other errors come back as it
 * reported them. */
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
