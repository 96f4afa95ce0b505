/* What libhandoff needs from the operating system, kept out of the pure core: reading the
 * system's time zone files and reading the clock.
 *
 * The core (handoff/tz.h, evaluate, protocol, lifecycle) takes values and returns values:
 * it never opens a file or reads the clock. Programs wire the system in at start, the CLI
 * and the server alike:
 *
 *     hf_tz_set_loader(hf_tz_system_loader, NULL);
 *
 * and pass hf_clock_now() wherever an operation takes `now`. Tests and tools that want
 * another source (zones planted in memory, a fixed instant) use their own instead. */
#ifndef HANDOFF_OS_H
#define HANDOFF_OS_H

#include "handoff/error.h"
#include "handoff/time.h"
#include "handoff/tz.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An hf_tz_loader (handoff/tz.h) over the system's compiled zoneinfo: reads DIR/NAME, where
 * DIR is $TZDIR if it is set and non-empty when the first zone is loaded (read once per
 * process: the directory must not change under cached zones, and getenv is not safe
 * against a concurrent setenv), else /usr/share/zoneinfo. A missing file, a directory or
 * anything else that is not a regular file, a file over HF_TZ_IMAGE_MAX bytes or a path
 * too long is HF_ENOTFOUND; a read that fails is HF_EIO with the path and errno in `err`.
 * Files are opened with O_CLOEXEC and O_NONBLOCK (a FIFO planted in the directory cannot
 * hang the caller); symbolic links are followed, since tzdata's backward-compatible names
 * (US/Eastern) are links. `ctx` is unused: pass NULL. Thread-safe. */
int hf_tz_system_loader(void *ctx, const char *name, unsigned char **data, size_t *len,
                        hf_error *err);

/* Now: whole seconds since 1970-01-01T00:00:00Z by the system's wall clock, for the `now`
 * every operation takes. It can jump (NTP, an administrator): never measure durations with
 * it. */
hf_time hf_clock_now(void);

/* Milliseconds of a monotonic clock, from an arbitrary origin: only differences mean
 * anything. For durations, timeouts and rates; it never jumps. */
int64_t hf_clock_mono_ms(void);

/* The key file of sealed secrets (handoff/credentials.h): 64 hex digits, mode 0600.
 * Read: HF_ENOTFOUND when missing, HF_EPERM when group or others may read it, HF_EINVAL
 * when it does not hold a key, HF_EIO otherwise. */
int hf_key_file_read(const char *path, unsigned char key[32], hf_error *err);
/* Create a new key file with a random key (never over an existing file: HF_ECONFLICT). */
int hf_key_file_create(const char *path, unsigned char key[32], hf_error *err);
/* The key file that goes with a database when none is named (HANDOFF_KEY_FILE,
 * --key-file): PATH.key beside a SQLite file. False for PostgreSQL and in-memory
 * databases, which must name one. */
bool hf_key_file_default(const char *db_url, char *out, size_t cap);

/* glibc keeps 7 freed blocks of each size per thread by default; a request builds and frees
 * a few hundred jansson values, and past those 7 every malloc and free takes glibc's slower
 * bins. This starts the program again, once and at once (execv of /proc/self/exe with the
 * same arguments, the same process), with GLIBC_TUNABLES=glibc.malloc.tcache_count=N added
 * — the dynamic loader reads it only at start. Nothing happens when GLIBC_TUNABLES already
 * sets tcache_count (the operator's word, or this call's own exec), without glibc, or when
 * the exec fails. Call it first in main, before any thread or open resource.
 * docs/internals/server.md ("What a request costs") has the figures. */
void hf_malloc_tuning(char **argv, unsigned tcache_count);

#endif
