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
