/* What browsers send to the web pages, parsed: urlencoded form bodies, Accept-Language and
 * Accept-Encoding. Pure functions over untrusted bytes, kept apart from web.c so that unit
 * tests and the HTTP fuzz target can call them. */
#ifndef HANDOFF_SERVER_WEBINPUT_H
#define HANDOFF_SERVER_WEBINPUT_H

#include "handoff/error.h"
#include "handoff/i18n.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Most fields one form may carry. */
#define HF_FORM_MAX_FIELDS 256

/* Parse an application/x-www-form-urlencoded body (`a=1&b=x+y&c=%C3%A9`) into a new JSON
 * object *out: each name maps to its value, a string; a name sent several times maps to an
 * array of its values in order (checkboxes). `+` is a space. Returns 0; HF_EINVAL with
 * err->msg for a bad %-escape, a NUL byte, invalid UTF-8 in a name or value, or more than
 * HF_FORM_MAX_FIELDS fields (*out NULL); HF_ENOMEM. The caller frees *out with json_decref. */
int hf_form_parse(const char *body, size_t len, json_t **out, hf_error *err);

/* The value of field `name` (the first one when it was sent several times), or NULL.
 * Borrowed from `form`. */
const char *hf_form_get(const json_t *form, const char *name);

/* The language an Accept-Language header prefers among the four: the supported tag with the
 * highest q (the earlier one on a tie; q=0 excludes). Returns false when the header names
 * none of them (then *out is left alone). */
bool hf_http_accept_language(const char *header, hf_lang *out);

/* Does an Accept-Encoding header accept gzip (`gzip`, `x-gzip` or `*` with q > 0)? */
bool hf_http_accepts_gzip(const char *header);

#endif
