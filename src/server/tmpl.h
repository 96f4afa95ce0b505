/* Templates of the web pages: a small, logic-less language over jansson values whose every
 * substitution is escaped for the HTML context it stands in.
 *
 * Design. A template is compiled once (at start-up for the built-in set) into a tree of
 * nodes. While compiling, a small HTML tokenizer follows the literal text, so each `{{…}}`
 * knows where it stands: in text, in a quoted attribute value, at the start of or inside a
 * URL attribute (href, src, action, …). The escaper is chosen from that, not by the author;
 * a value where no escaping can make it safe (inside a tag but outside a quoted value, an
 * unquoted value, an event-handler or style attribute, <script>/<style> content, an HTML
 * comment) is a compile error. Branches of `#if` and the body of `#each` must end in the
 * context they started in, so the context after them does not depend on the data.
 *
 * The only way around escaping is `{{raw NAME}}`, in text, and it accepts only values made
 * by hf_tmpl_html() in C: a JSON document parsed from outside cannot forge one (the marker
 * is an object key holding a NUL byte, which jansson's decoder refuses), so a template that
 * names raw on a user-controlled path renders an error, never the markup.
 *
 * The syntax, the escaping rules and how pages use this are in docs/internals/web.md. */
#ifndef HANDOFF_SERVER_TMPL_H
#define HANDOFF_SERVER_TMPL_H

#include "handoff/error.h"
#include "handoff/i18n.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Largest page a render may produce; past it the render fails with HF_ENOMEM. */
#define HF_TMPL_OUT_MAX (8u << 20)

/* A growable output buffer with a maximum. After a failed append (no memory or past `max`)
 * `failed` stays set and further appends do nothing. Init with {0} and a `max`; `data` is
 * NUL-terminated when not NULL and is freed by the owner with free(). */
typedef struct hf_strbuf {
    char *data;
    size_t len, cap, max; /* max 0: HF_TMPL_OUT_MAX */
    bool failed;
} hf_strbuf;

void hf_strbuf_append(hf_strbuf *b, const char *s, size_t n);
void hf_strbuf_puts(hf_strbuf *b, const char *s);

/* The escapers, for C code that builds markup itself (server-made SVG). Each appends
 * (s, n) to `b`; NUL bytes, C0 controls other than tab/LF/CR and invalid UTF-8 become
 * U+FFFD.
 * - html: text and quoted attribute values: & < > " ' become character references.
 * - url: a whole URL in a quoted attribute: relative, http:, https: and mailto: URLs pass
 *   (spaces, quotes, <>, non-ASCII and control bytes percent-encoded, & as &amp;); any other
 *   scheme (javascript:, data:, vbscript:, also when hidden by blanks or case) gives "#".
 * - url_part: a piece of a URL (a path segment, a query value): every byte but
 *   A-Z a-z 0-9 - . _ ~ percent-encoded. */
void hf_escape_html(hf_strbuf *b, const char *s, size_t n);
void hf_escape_url(hf_strbuf *b, const char *s, size_t n);
void hf_escape_url_part(hf_strbuf *b, const char *s, size_t n);

/* A compiled set of named templates; partials refer to each other by name. */
typedef struct hf_tmpl_set hf_tmpl_set;

/* A new empty set, or NULL when out of memory. Free with hf_tmpl_set_free (accepts NULL). */
hf_tmpl_set *hf_tmpl_set_new(void);
void hf_tmpl_set_free(hf_tmpl_set *set);

/* Compile (text, len) as template `name` into the set (a second template of the same name
 * replaces the first). Returns 0, or HF_EINVAL with err->msg "NAME:LINE: what is wrong" and
 * the set unchanged, or HF_ENOMEM. The text is copied. */
int hf_tmpl_add(hf_tmpl_set *set, const char *name, const char *text, size_t len, hf_error *err);

/* Check that every partial a template of the set names exists. Returns 0 or HF_EINVAL with
 * err->msg "NAME:LINE: no template PARTIAL". */
int hf_tmpl_link(const hf_tmpl_set *set, hf_error *err);

bool hf_tmpl_has(const hf_tmpl_set *set, const char *name);

/* Render template `name` with `ctx` (usually an object; borrowed) in language `lang`,
 * appending to `out`. Returns 0; HF_ENOTFOUND for an unknown template or partial;
 * HF_EINVAL when a value does not fit where it is used (an object printed as text, raw
 * given a value hf_tmpl_html did not make, a count that is not an integer), partials
 * nest more than 16 deep or the render visits more than 4 million nodes; HF_ENOMEM when out of
 * memory or past out->max. err->msg names the template and line. A set is read-only once compiled:
 * threads may render from one set at once. */
int hf_tmpl_render(const hf_tmpl_set *set, const char *name, const json_t *ctx, hf_lang lang,
                   hf_strbuf *out, hf_error *err);

/* A trusted-markup value for `{{raw NAME}}`: the caller vouches that `html` is safe markup
 * it made (server-built SVG, cmark output with CMARK_OPT_SAFE). Returns a new reference, or
 * NULL when out of memory. */
json_t *hf_tmpl_html(const char *html);
json_t *hf_tmpl_htmln(const char *html, size_t len);

#endif
