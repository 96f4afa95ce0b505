/* The handoff document (`handoff/1`, SPEC §3): parsing and validation.
 *
 * A document is kept as a jansson tree; validation checks exactly the rules of SPEC §3
 * and names the first wrong field by its path. The accessors below read values with the
 * document's conventions: `null` and "" are absent, "N/A" (any case, blanks ignored) is
 * an explicit not-applicable. */
#ifndef HANDOFF_DOCUMENT_H
#define HANDOFF_DOCUMENT_H

#include "handoff/error.h"
#include "handoff/time.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Largest document accepted, in bytes. */
#define HF_DOCUMENT_MAX_BYTES (4u * 1024u * 1024u)

/* Parse (buf, len) as JSON and validate it as a handoff document. On success *out is a
 * new reference the caller releases with json_decref. On error returns HF_EINVAL with
 * err->path = the field path (`document` for JSON syntax errors and non-objects) and
 * err->msg = what was expected. */
int hf_document_parse(const char *buf, size_t len, json_t **out, hf_error *err);

/* Validate an already parsed JSON value (SPEC §3). */
int hf_document_validate(const json_t *doc, hf_error *err);

/* The text json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(precision)) gives for an
 * object or an array, byte for byte, written several times faster (src/core/json_compact.c).
 * NULL where jansson gives NULL (another root, a string that is not UTF-8) and when out of
 * memory. The caller frees the text. */
char *hf_json_dumps_compact(const json_t *v, int precision);

/* json_loadb(buf, len, flags, err), the same value for every text jansson accepts, read
 * several times faster (src/core/json_parse.c). A text it does not take on its fast path
 * — any error, or flags other than JSON_REJECT_DUPLICATES and JSON_DECODE_ANY — goes to
 * json_loadb itself, so the errors are jansson's own. */
json_t *hf_json_loadb(const char *buf, size_t len, int flags, json_error_t *err);
/* Its fast path alone: NULL where hf_json_loadb hands the text to jansson (for the tests
 * and the fuzz target, which check that it takes what it should and never differs). */
json_t *hf_json_loadb_fast(const char *buf, size_t len, int flags);
/* json_loads(text, 0, NULL) the same way: a stored document's text (NULL reads as {}). */
json_t *hf_json_loads_fast(const char *text);

/* ---- limits ----
 *
 * What a document may hold when it is written: created, replaced, patched, edited by path,
 * imported. They are checked then and never later — not when a document is read,
 * evaluated or diffed — so a document stored before a limit existed stays readable, and
 * the edit that brings it back within the limits is accepted.
 *
 * The defaults are far above any real handoff (the specification's examples: depth 5,
 * keys of 22 bytes, strings of 80 bytes, lists of 7 items, about 200 values, 5 KB) and
 * keep what is later done with a document within its own bounds:
 * - depth and key size: every value has a path of at most HF_JSON_PATH_MAX_DEPTH steps
 *   and HF_JSON_PATH_MAX bytes (jsondiff.h), so a diff names every change and --set
 *   reaches every value;
 * - values: the diff of two documents has at most 2 x HF_DOC_MAX_MEMBERS entries, within
 *   HF_DIFF_MAX_ENTRIES, so it lists every change leaf by leaf;
 * - total size: half of handoffd's default request body (--max-body, 1 MiB), so a
 *   document read back can be sent back whole even pretty-printed, and far below
 *   HF_DOCUMENT_MAX_BYTES;
 * - the fields the store copies into index columns (the deal owner's and the CSM's name
 *   and e-mail, the customer's company name) stay far below the 2,704 bytes of a
 *   PostgreSQL b-tree entry. */
#define HF_DOC_MAX_DEPTH 16
#define HF_DOC_MAX_KEY_BYTES 128
#define HF_DOC_MAX_STRING_BYTES (128u * 1024u)
#define HF_DOC_MAX_ARRAY_ITEMS 1000
#define HF_DOC_MAX_MEMBERS 5000
#define HF_DOC_MAX_TOTAL_BYTES (512u * 1024u)
#define HF_DOC_MAX_INDEXED_BYTES 1024

typedef struct hf_doc_limits {
    int max_depth;            /* steps from the root to the deepest value: {"a": {"b": 1}} is 2 */
    size_t max_key_bytes;     /* bytes of one object key */
    size_t max_string_bytes;  /* bytes of one string value */
    size_t max_array_items;   /* elements of one array */
    size_t max_members;       /* values in the whole document: every object member and array
                                 element at every depth (the root not counted) */
    size_t max_total_bytes;   /* the document as the store writes it: compact JSON */
    size_t max_indexed_bytes; /* a string the store copies into an index column */
} hf_doc_limits;

/* Fill *l with the defaults above. Cannot fail. */
void hf_doc_limits_default(hf_doc_limits *l);

/* Check `doc` (any JSON value; hf_document_validate checks the rest) against `l`, or the
 * defaults when `l` is NULL. Returns 0, or HF_EINVAL for the first value over a limit, in
 * document order, with err->path naming it (`stakeholders[3].notes`; `document` for the
 * size of the whole) and err->msg saying which limit and by how much, the value first:
 * `text too long: 140000 > 131072 bytes`. A key over the limit is named by its first 40
 * bytes and `…` (`customer.xxxx…`); a path longer than HF_ERROR_PATH_MAX is cut in the
 * middle with `…`. The message is a catalog key applied to err->arg (error.h), so callers
 * can translate it. The count of values is checked after the walk, so its error names
 * the first value past the limit and the total. HF_ENOMEM when jansson cannot serialize
 * the document, HF_EUSAGE when `doc` is NULL. Pure: no I/O, no allocation of its own. */
int hf_document_check_limits(const json_t *doc, const hf_doc_limits *l, hf_error *err);

/* Look up a dotted path of object keys (`deal.payment.terms`). NULL when any step is
 * missing or not an object. The returned reference is borrowed from `doc`. */
json_t *hf_doc_get(const json_t *doc, const char *path);

/* Absent: missing, JSON null, or the empty string. */
bool hf_value_is_absent(const json_t *v);
/* Filled (SPEC §4.1): a number, a boolean, a string with non-blank content, or an array
 * with at least one filled element. */
bool hf_value_is_filled(const json_t *v);
/* The string "N/A", any case, surrounding blanks ignored. */
bool hf_value_is_na(const json_t *v);
/* A JSON integer or real (not a boolean). */
bool hf_value_number(const json_t *v, double *out);
/* A valid RFC 3339 timestamp string (SPEC §3). */
bool hf_value_time(const json_t *v, hf_time *out);

#endif
