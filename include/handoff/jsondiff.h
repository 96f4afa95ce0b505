/* Readable differences between two JSON documents, and edits of a document by path.
 *
 * The version history of a handoff (SPEC §6) shows what changed between two versions as
 * a list of field paths with their old and new values (`stakeholders[2].name: "Ana" →
 * "Ana Lima"`); `handoff edit ID --set path=value` changes one field by the same kind of
 * path. Both use one path syntax, so a path printed by a diff can be pasted into --set:
 *
 *     path    := ""  |  first step*
 *     first   := key | index | quoted
 *     step    := "." key | index | quoted
 *     key     := one or more bytes other than . [ ] " \ space and control characters
 *     index   := "[" decimal digits "]"       (no sign, no leading zero)
 *     quoted  := "[" JSON string literal "]"  (`["team name"]`, `["a.b"]`, `[""]`)
 *
 * The empty path is the whole document. Paths are at most HF_JSON_PATH_MAX bytes and
 * HF_JSON_PATH_MAX_DEPTH steps; a diff has at most HF_DIFF_MAX_ENTRIES entries, so no
 * input makes these functions grow without bound. Every value of a document within the
 * default limits of handoff/document.h has a path within both bounds, unless its keys are
 * made mostly of quotes, backslashes or control characters, and the diff of two such
 * documents stays within HF_DIFF_MAX_ENTRIES. */
#ifndef HANDOFF_JSONDIFF_H
#define HANDOFF_JSONDIFF_H

#include "handoff/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Longest path, in bytes (without the terminating NUL): room for the deepest value of a
 * document within the default limits of handoff/document.h. */
#define HF_JSON_PATH_MAX 4096
/* Most steps in a path given to the hf_json_path_* functions. */
#define HF_JSON_PATH_MAX_DEPTH 64
/* Most entries in one diff. */
#define HF_DIFF_MAX_ENTRIES 10000

/* One difference. `path` is where (the empty string for the whole document); `old_value`
 * is the value in the first document, NULL when the path is absent there (added);
 * `new_value` likewise in the second (removed). All three are owned by the hf_diff: the
 * values are copies, independent of the documents that were compared. */
typedef struct hf_diff_entry {
    char *path;
    json_t *old_value;
    json_t *new_value;
} hf_diff_entry;

typedef struct hf_diff {
    hf_diff_entry *entries;
    size_t count;
    bool is_coarse; /* some entries stand for a whole container (see hf_json_diff) */
} hf_diff;

/* Compare `a` (before) with `b` (after) and fill *out with their differences, in a fixed
 * order: the keys of `a` in their order, then the keys only in `b` in theirs; array
 * elements by index, then the elements only one side has. Objects and arrays are compared
 * member by member down to the leaves; where the two sides have different types (an
 * object against an array, a string against a number, null against anything else) the
 * whole value at that path is one entry. Numbers compare by value (1 equals 1.0, and
 * 2^53 + 1 does not equal 2^53.0); true and false are different values.
 *
 * The diff never fails for size. A changed member whose path would be longer than
 * HF_JSON_PATH_MAX bytes (an unchanged one needs no path), or entries beyond
 * HF_DIFF_MAX_ENTRIES, make the nearest enclosing container that fits one entry with its
 * whole old and new values instead of one entry per member; out->is_coarse then says so.
 * Either way every difference lies at or under the path of exactly one entry.
 *
 * *out is always initialized, even on error; release it with hf_diff_free(). Returns 0,
 * or HF_ENOMEM when allocation fails (*out is then empty). `a` and `b` must not be NULL
 * (HF_EUSAGE). */
int hf_json_diff(const json_t *a, const json_t *b, hf_diff *out, hf_error *err);

/* Free the entries and reset *d to empty. NULL-safe; may be called twice. */
void hf_diff_free(hf_diff *d);

/* The paths of the diff as a JSON array of strings. New reference (the caller
 * json_decref()s it); NULL when allocation fails. */
json_t *hf_diff_paths_json(const hf_diff *d);

/* The diff as a JSON array of {"path", "old", "new"}; "old" is left out for an added path
 * and "new" for a removed one, so that a JSON null stays distinct from an absent value.
 * New reference; NULL when allocation fails. */
json_t *hf_diff_to_json(const hf_diff *d);

/* Set the value at `path` in `doc`, stealing the reference to `value` (it is released
 * even on error). Missing intermediate steps are created: an object for a key, an array
 * for an index (index 0 only, since the new array is empty); an intermediate that is JSON
 * null counts as missing. An array index equal to the array's size appends; a larger one
 * is an error. On error `doc` is unchanged.
 *
 * Returns 0, or with `err` (may be NULL) filled:
 * - HF_EINVAL for a bad path or one that does not fit the document; the message starts
 *   with the path prefix at fault (`document` for the root):
 *   `meeting.attendees[5]: index out of range (size 3)`,
 *   `deal.name: is a string, not an object`, `deal..name: empty key`;
 *   the empty path, which would replace the document, is refused likewise;
 * - HF_ENOMEM when allocation fails;
 * - HF_EUSAGE when `doc` or `value` is NULL. */
int hf_json_path_set(json_t *doc, const char *path, json_t *value, hf_error *err);

/* Find the value at `path`: *out is borrowed from `doc` and lives as long as that part of
 * `doc` is not changed. Returns 0; HF_ENOTFOUND when a step is missing (`deal.foo: not
 * found`); HF_EINVAL for a bad path or one that does not fit (as hf_json_path_set); *out is
 * then NULL. `err` may be NULL. */
int hf_json_path_get(const json_t *doc, const char *path, json_t **out, hf_error *err);

/* Remove the value at `path`: an object member, or an array element (the later elements
 * move down by one). Returns 0, HF_ENOTFOUND when it is absent, HF_EINVAL for a bad path,
 * one that does not fit, or the empty path. `err` may be NULL. */
int hf_json_path_remove(json_t *doc, const char *path, hf_error *err);

/* The value of a `--set path=value` argument: `text` read as JSON when it is a whole JSON
 * value (`96000`, `1.5`, `true`, `null`, `"quoted"`, `[1, 2]`, `{"a": 1}`, surrounding
 * blanks allowed), otherwise `text` itself as a string (`Acme Corp`, `01234`, `N/A`, an
 * integer too large for 64 bits). New reference; NULL when `text` is NULL or not valid
 * UTF-8, or allocation fails. */
json_t *hf_json_value_from_arg(const char *text);

/* RFC 7396 JSON merge patch, applied in place to `target` (an object): a null member
 * deletes, an object member merges, anything else replaces. */
void hf_json_merge_patch(json_t *target, const json_t *patch);

#endif
