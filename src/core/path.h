/* Internal: writing field paths (the syntax of handoff/jsondiff.h) into a fixed buffer.
 *
 * The diff (jsondiff.c) and the document limits (document.c) both name values by path;
 * they share this writer so that the path in a limit error is spelled exactly as a diff
 * prints it and as `handoff edit --set` reads it. */
#ifndef HANDOFF_CORE_PATH_H
#define HANDOFF_CORE_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* A path being built in a buffer the caller owns (`cap` bytes, the NUL included). */
typedef struct hf__path {
    char *text;
    size_t cap;
    size_t len;
    bool is_over; /* a push did not fit: `text` holds the path cut at cap - 1 bytes */
} hf__path;

/* Start an empty path in (buf, cap); cap must be at least 1. */
void hf__path_init(hf__path *p, char *buf, size_t cap);

/* Append one step for an object key: `.key` (no dot first), or `["quoted"]` when the
 * key is empty or has a byte the syntax gives a meaning, a blank or a control character.
 * False when the path no longer fits (it is then cut, still NUL-terminated). */
bool hf__path_push_key(hf__path *p, const char *key, size_t len);

/* Append `[index]`; false when it does not fit, as above. */
bool hf__path_push_index(hf__path *p, size_t index);

/* Go back to a length the path had before (its `len` then), clearing is_over. */
void hf__path_pop(hf__path *p, size_t len);

#endif
