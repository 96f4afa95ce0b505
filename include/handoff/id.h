/* Record ids as clients write them: in request paths (`/api/v1/handoffs/12`), query
 * parameters (`?cursor=12`) and command-line arguments.
 *
 * One strict reader for all of them, so that a record has exactly one spelling: `12` is
 * handoff 12, while `+12`, `012`, ` 12`, `12.0`, `1e1` and `0x0c` are not ids at all. A
 * lenient reader (strtoll) would let several URLs name one record, which defeats caches,
 * logs and any rule written against the path, and would let a NUL or a blank hide the
 * rest of a path segment. */
#ifndef HANDOFF_ID_H
#define HANDOFF_ID_H

#include <stdbool.h>
#include <stdint.h>

/* The largest id: 2^53, the largest integer that every JSON reader (JavaScript's
 * included) keeps exact, so an id we hand out reads back as the same number. */
#define HF_ID_MAX ((int64_t)1 << 53)

/* Parse a record id: a positive decimal integer written canonically — ASCII digits only,
 * the first one not `0`, no sign, no blank or other character before, between or after
 * them, at most HF_ID_MAX. On success stores the value in *out (when `out` is not NULL)
 * and returns true; otherwise returns false and leaves *out unchanged. `s` may be NULL
 * (false). Never reads past the terminating NUL. */
bool hf_id_parse(const char *s, int64_t *out);

#endif
