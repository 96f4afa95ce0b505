/* Differences between two JSON documents and edits by path (see jsondiff.h for the path
 * syntax). The version history shows what changed between two versions of a handoff
 * document as field paths with old and new values, and `handoff edit --set` changes a
 * field by the same path, so the two share one writer (src/core/path.h) and one reader
 * of paths here.
 *
 * A diff walks both trees together and builds the current path in one fixed buffer of
 * HF_JSON_PATH_MAX bytes, so its recursion depth is bounded by the path length (every
 * level adds at least two bytes) and its output by HF_DIFF_MAX_ENTRIES. It never fails
 * for size: where a member's path would not fit, or the entries would pass their maximum,
 * the nearest container that fits takes the place of what it holds, as one entry with the
 * whole old and new values (the diff is then "coarse"). So a document that got too deep
 * or too large once can always be diffed, hence edited, again. A path edit parses the
 * whole path into steps first, then walks the document checking every step, and changes
 * the document only once nothing can fail but an allocation: an edit that is refused
 * leaves the document as it was. */
#include "handoff/jsondiff.h"

#include "core/path.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- paths: writing ---- */

/* A key written bare in a path: not empty, no byte that the path syntax gives a meaning
 * (. [ ] " \), no blank or control character. Anything else is written ["quoted"]. */
static bool key_is_bare(const char *key, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c <= 0x20 || c == 0x7f || c == '.' || c == '[' || c == ']' || c == '"' || c == '\\')
            return false;
    }
    return true;
}

void hf__path_init(hf__path *p, char *buf, size_t cap)
{
    p->text = buf;
    p->cap = cap;
    p->len = 0;
    p->is_over = false;
    buf[0] = '\0';
}

static void path_putc(hf__path *p, char c)
{
    if (p->len + 1 >= p->cap) {
        p->is_over = true;
        return;
    }
    p->text[p->len++] = c;
}

static void path_puts(hf__path *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !p->is_over; i++)
        path_putc(p, s[i]);
}

bool hf__path_push_key(hf__path *p, const char *key, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (key_is_bare(key, len)) {
        if (p->len > 0)
            path_putc(p, '.');
        path_puts(p, key, len);
    } else {
        path_puts(p, "[\"", 2);
        for (size_t i = 0; i < len && !p->is_over; i++) {
            unsigned char c = (unsigned char)key[i];
            const char *esc = c == '"'    ? "\\\""
                              : c == '\\' ? "\\\\"
                              : c == '\n' ? "\\n"
                              : c == '\t' ? "\\t"
                              : c == '\r' ? "\\r"
                              : c == '\b' ? "\\b"
                              : c == '\f' ? "\\f"
                                          : NULL;
            if (esc) {
                path_puts(p, esc, 2);
            } else if (c < 0x20) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                path_puts(p, u, sizeof(u));
            } else {
                path_putc(p, (char)c);
            }
        }
        path_puts(p, "\"]", 2);
    }
    p->text[p->len] = '\0';
    return !p->is_over;
}

bool hf__path_push_index(hf__path *p, size_t index)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + index % 10);
        index /= 10;
    } while (index > 0);
    path_putc(p, '[');
    while (n > 0 && !p->is_over)
        path_putc(p, digits[--n]);
    path_putc(p, ']');
    p->text[p->len] = '\0';
    return !p->is_over;
}

void hf__path_pop(hf__path *p, size_t len)
{
    p->len = len;
    p->is_over = false;
    p->text[len] = '\0';
}

/* ---- diff ---- */

/* Returned inside the diff, never to the caller: the subtree just walked cannot be listed
 * member by member (its entries would pass HF_DIFF_MAX_ENTRIES), so the nearest container
 * that can must stand for it as one entry. */
#define COARSEN 1

typedef struct differ {
    hf_diff *out;
    size_t cap;
    hf__path path;
    char path_text[HF_JSON_PATH_MAX + 1];
    hf_error *err;
} differ;

/* Numbers by value: an integer and a real are equal when the real is that integer
 * exactly (doubles are not widened to compare: 2^53 + 1 differs from 2^53.0). */
static bool numbers_equal(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b))
        return json_integer_value(a) == json_integer_value(b);
    if (json_is_real(a) && json_is_real(b))
        return json_real_value(a) == json_real_value(b);
    const json_t *i = json_is_integer(a) ? a : b;
    double r = json_real_value(json_is_real(a) ? a : b);
    /* [-2^63, 2^63): the doubles that convert to json_int_t without overflow. */
    if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        return false;
    json_int_t whole = (json_int_t)r;
    return (double)whole == r && whole == json_integer_value(i);
}

static bool scalars_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return numbers_equal(a, b);
    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_string(a))
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    return true; /* true, false, null */
}

/* Equal as the diff sees it: a diff of a and b would have no entry. It stops at the
 * first difference, which is the first one the diff meets too (same order). */
static bool values_equal(const json_t *a, const json_t *b)
{
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        size_t key_len;
        json_t *va;
        if (json_object_size(a) != json_object_size(b))
            return false;
        json_object_keylen_foreach((json_t *)a, key, key_len, va)
        {
            const json_t *vb = json_object_getn(b, key, key_len);
            if (!vb || !values_equal(va, vb))
                return false;
        }
        return true;
    }
    if (json_is_array(a) && json_is_array(b)) {
        size_t n = json_array_size(a);
        if (n != json_array_size(b))
            return false;
        for (size_t i = 0; i < n; i++) {
            if (!values_equal(json_array_get(a, i), json_array_get(b, i)))
                return false;
        }
        return true;
    }
    if (json_is_object(a) || json_is_object(b) || json_is_array(a) || json_is_array(b))
        return false;
    return scalars_equal(a, b);
}

/* One entry at the current path; COARSEN when the diff is full. */
static int diff_add(differ *d, const json_t *old_value, const json_t *new_value)
{
    hf_diff *out = d->out;
    if (out->count >= HF_DIFF_MAX_ENTRIES)
        return COARSEN;
    if (out->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        if (cap > HF_DIFF_MAX_ENTRIES)
            cap = HF_DIFF_MAX_ENTRIES;
        hf_diff_entry *entries = realloc(out->entries, cap * sizeof(*entries));
        if (!entries)
            goto nomem;
        out->entries = entries;
        d->cap = cap;
    }
    hf_diff_entry *e = &out->entries[out->count];
    e->path = strdup(d->path.text);
    e->old_value = old_value ? json_deep_copy(old_value) : NULL;
    e->new_value = new_value ? json_deep_copy(new_value) : NULL;
    out->count++; /* counted now so that hf_diff_free releases a half-built entry */
    if (!e->path || (old_value && !e->old_value) || (new_value && !e->new_value))
        goto nomem;
    return 0;
nomem:
    return hf_error_set(d->err, HF_ENOMEM, d->path.text, "out of memory");
}

/* Release the entries from index `first` on. */
static void drop_entries(hf_diff *out, size_t first)
{
    while (out->count > first) {
        hf_diff_entry *e = &out->entries[--out->count];
        free(e->path);
        json_decref(e->old_value);
        json_decref(e->new_value);
    }
}

/* The container at the current path (a before, b after), whose entries start at index
 * `first`, cannot be listed member by member: it becomes one entry with both whole
 * values. Returns 0, COARSEN when even that entry does not fit (the enclosing container
 * then does the same), or an error. */
static int coarsen(differ *d, const json_t *a, const json_t *b, size_t first)
{
    drop_entries(d->out, first);
    d->out->is_coarse = true;
    return diff_add(d, a, b);
}

static int diff_value(differ *d, const json_t *a, const json_t *b);

static int diff_object(differ *d, const json_t *a, const json_t *b)
{
    size_t len = d->path.len, first = d->out->count;
    const char *key;
    size_t key_len;
    json_t *va, *vb;
    int rc = 0;
    json_object_keylen_foreach((json_t *)a, key, key_len, va)
    {
        vb = json_object_getn(b, key, key_len);
        if (!hf__path_push_key(&d->path, key, key_len)) {
            /* No path for this member: harmless when it did not change. */
            hf__path_pop(&d->path, len);
            if (vb && values_equal(va, vb))
                continue;
            return coarsen(d, a, b, first);
        }
        rc = vb ? diff_value(d, va, vb) : diff_add(d, va, NULL);
        hf__path_pop(&d->path, len);
        if (rc == COARSEN)
            return coarsen(d, a, b, first);
        if (rc)
            return rc;
    }
    json_object_keylen_foreach((json_t *)b, key, key_len, vb)
    {
        if (json_object_getn(a, key, key_len))
            continue;
        bool fits = hf__path_push_key(&d->path, key, key_len);
        rc = fits ? diff_add(d, NULL, vb) : COARSEN;
        hf__path_pop(&d->path, len);
        if (rc == COARSEN)
            return coarsen(d, a, b, first);
        if (rc)
            return rc;
    }
    return 0;
}

static int diff_array(differ *d, const json_t *a, const json_t *b)
{
    size_t len = d->path.len, first = d->out->count;
    size_t na = json_array_size(a), nb = json_array_size(b);
    size_t longest = na > nb ? na : nb;
    for (size_t i = 0; i < longest; i++) {
        const json_t *va = json_array_get(a, i), *vb = json_array_get(b, i);
        int rc;
        if (!hf__path_push_index(&d->path, i))
            rc = va && vb && values_equal(va, vb) ? 0 : COARSEN;
        else
            rc = va && vb ? diff_value(d, va, vb) : diff_add(d, va, vb);
        hf__path_pop(&d->path, len);
        if (rc == COARSEN)
            return coarsen(d, a, b, first);
        if (rc)
            return rc;
    }
    return 0;
}

static int diff_value(differ *d, const json_t *a, const json_t *b)
{
    if (json_is_object(a) && json_is_object(b))
        return diff_object(d, a, b);
    if (json_is_array(a) && json_is_array(b))
        return diff_array(d, a, b);
    if (scalars_equal(a, b))
        return 0;
    return diff_add(d, a, b);
}

int hf_json_diff(const json_t *a, const json_t *b, hf_diff *out, hf_error *err)
{
    if (!out)
        return hf_error_set(err, HF_EUSAGE, NULL, "no diff to fill");
    out->entries = NULL;
    out->count = 0;
    out->is_coarse = false;
    if (!a || !b)
        return hf_error_set(err, HF_EUSAGE, NULL, "no document to compare");
    differ d = {.out = out, .err = err};
    hf__path_init(&d.path, d.path_text, sizeof(d.path_text));
    int rc = diff_value(&d, a, b);
    if (rc == COARSEN) /* not reached: the root's entry always fits once the rest is gone */
        rc = coarsen(&d, a, b, 0);
    if (rc)
        hf_diff_free(out);
    return rc;
}

void hf_diff_free(hf_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free(d->entries[i].path);
        json_decref(d->entries[i].old_value);
        json_decref(d->entries[i].new_value);
    }
    free(d->entries);
    d->entries = NULL;
    d->count = 0;
    d->is_coarse = false;
}

json_t *hf_diff_paths_json(const hf_diff *d)
{
    json_t *paths = json_array();
    if (!paths)
        return NULL;
    for (size_t i = 0; d && i < d->count; i++) {
        if (json_array_append_new(paths, json_string(d->entries[i].path))) {
            json_decref(paths);
            return NULL;
        }
    }
    return paths;
}

json_t *hf_diff_to_json(const hf_diff *d)
{
    json_t *list = json_array();
    if (!list)
        return NULL;
    for (size_t i = 0; d && i < d->count; i++) {
        const hf_diff_entry *e = &d->entries[i];
        json_t *item = json_object();
        if (json_array_append_new(list, item) ||
            json_object_set_new(item, "path", json_string(e->path)) ||
            (e->old_value && json_object_set_new(item, "old", json_deep_copy(e->old_value))) ||
            (e->new_value && json_object_set_new(item, "new", json_deep_copy(e->new_value)))) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

/* ---- paths: reading ---- */

typedef struct step {
    bool is_index;
    size_t index;
    const char *key; /* into the path text, or into `decoded` for a quoted key */
    size_t key_len;
    json_t *decoded; /* the JSON string of a quoted key, owned */
    size_t end;      /* offset just past this step in the path text */
} step;

typedef struct parsed_path {
    const char *text;
    step steps[HF_JSON_PATH_MAX_DEPTH];
    size_t count;
} parsed_path;

static void parsed_path_free(parsed_path *pp)
{
    for (size_t i = 0; i < pp->count; i++)
        json_decref(pp->steps[i].decoded);
    pp->count = 0;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_is_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        size_t n;
        uint32_t cp, min;
        if (b < 0x80) {
            i++;
            continue;
        } else if ((b & 0xe0) == 0xc0) {
            n = 2, cp = b & 0x1fu, min = 0x80;
        } else if ((b & 0xf0) == 0xe0) {
            n = 3, cp = b & 0x0fu, min = 0x800;
        } else if ((b & 0xf8) == 0xf0) {
            n = 4, cp = b & 0x07u, min = 0x10000;
        } else {
            return false;
        }
        if (len - i < n)
            return false;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n;
    }
    return true;
}

static int syntax_error(const char *path, size_t at, const char *what, hf_error *err)
{
    return hf_error_set(err, HF_EINVAL, path, "%s: %s at byte %zu", path, what, at + 1);
}

/* Parse a quoted key starting at text[*i] == '"'; on success *i is past the closing ']'. */
static int parse_quoted(const char *text, size_t len, size_t *i, step *st, hf_error *err)
{
    size_t start = *i, j = start + 1;
    while (j < len && text[j] != '"')
        j += text[j] == '\\' ? 2 : 1;
    if (j >= len)
        return syntax_error(text, start, "unterminated quoted key", err);
    json_t *s = json_loadb(text + start, j + 1 - start, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!json_is_string(s)) {
        json_decref(s);
        return syntax_error(text, start, "bad quoted key (a JSON string is expected)", err);
    }
    st->decoded = s;
    st->key = json_string_value(s);
    st->key_len = json_string_length(s);
    if (j + 1 >= len || text[j + 1] != ']')
        return syntax_error(text, j + 1, "missing ']'", err);
    *i = j + 2;
    return 0;
}

/* Parse an index starting at text[*i], a digit; on success *i is past the ']'. */
static int parse_index(const char *text, size_t len, size_t *i, step *st, hf_error *err)
{
    size_t start = *i, j = start;
    size_t value = 0;
    while (j < len && text[j] >= '0' && text[j] <= '9') {
        if (j - start >= 18)
            return syntax_error(text, start, "index too large", err);
        value = value * 10 + (size_t)(text[j] - '0');
        j++;
    }
    if (text[start] == '0' && j - start > 1)
        return syntax_error(text, start, "index with a leading zero", err);
    if (j >= len || text[j] != ']')
        return syntax_error(text, j, "missing ']'", err);
    st->is_index = true;
    st->index = value;
    *i = j + 1;
    return 0;
}

/* Parse a bare key starting at text[*i]; stops before '.', '[' or the end. */
static int parse_bare_key(const char *text, size_t len, size_t *i, step *st, hf_error *err)
{
    size_t start = *i, j = start;
    while (j < len && text[j] != '.' && text[j] != '[') {
        unsigned char c = (unsigned char)text[j];
        if (c == ']')
            return syntax_error(text, j, "unexpected ']'", err);
        if (c <= 0x20 || c == 0x7f || c == '"' || c == '\\')
            return syntax_error(
                text, j,
                "a key with a blank, quote, backslash or control character must be quoted "
                "as [\"...\"]",
                err);
        j++;
    }
    if (j == start)
        return syntax_error(text, start, "empty key", err);
    if (!utf8_is_valid((const unsigned char *)text + start, j - start))
        return syntax_error(text, start, "key is not valid UTF-8", err);
    st->key = text + start;
    st->key_len = j - start;
    *i = j;
    return 0;
}

static int path_parse(const char *text, parsed_path *pp, hf_error *err)
{
    pp->text = text;
    pp->count = 0;
    if (!text)
        return hf_error_set(err, HF_EUSAGE, NULL, "no path");
    size_t len = strlen(text);
    if (len > HF_JSON_PATH_MAX)
        return hf_error_set(err, HF_EINVAL, NULL, "path longer than %d bytes", HF_JSON_PATH_MAX);
    size_t i = 0;
    while (i < len) {
        if (pp->count == HF_JSON_PATH_MAX_DEPTH)
            return hf_error_set(err, HF_EINVAL, NULL, "%s: more than %d steps", text,
                                HF_JSON_PATH_MAX_DEPTH);
        step *st = &pp->steps[pp->count];
        memset(st, 0, sizeof(*st));
        pp->count++;
        int rc;
        if (text[i] == '[') {
            i++;
            if (i < len && text[i] == '"')
                rc = parse_quoted(text, len, &i, st, err);
            else if (i < len && text[i] >= '0' && text[i] <= '9')
                rc = parse_index(text, len, &i, st, err);
            else
                rc = syntax_error(text, i, "an index or a quoted key is expected after '['", err);
        } else {
            /* A bare key: the first step, or one after a dot. */
            if (pp->count > 1) {
                if (text[i] != '.')
                    return syntax_error(text, i, "'.' or '[' is expected", err);
                i++;
            }
            rc = parse_bare_key(text, len, &i, st, err);
        }
        if (rc)
            return rc;
        st->end = i;
    }
    return 0;
}

/* The text of the path up to and including step `k` (k < 0: "document"), NUL-terminated
 * into buf (HF_JSON_PATH_MAX + 1 bytes). */
static const char *path_prefix(const parsed_path *pp, long k, char *buf)
{
    if (k < 0)
        return "document";
    size_t n = pp->steps[k].end;
    memcpy(buf, pp->text, n);
    buf[n] = '\0';
    return buf;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        break;
    }
    return "null";
}

/* `container` (at step k - 1) cannot hold step k: the error naming its path. */
static int wrong_container(const parsed_path *pp, long k, const json_t *container, hf_error *err)
{
    char buf[HF_JSON_PATH_MAX + 1];
    const char *where = path_prefix(pp, k - 1, buf);
    return hf_error_set(err, HF_EINVAL, where, "%s: is %s, not %s", where, type_name(container),
                        pp->steps[k].is_index ? "an array" : "an object");
}

static int step_error(const parsed_path *pp, long k, int rc, const char *what, size_t size,
                      hf_error *err)
{
    char buf[HF_JSON_PATH_MAX + 1];
    const char *where = path_prefix(pp, k, buf);
    if (rc == HF_ENOTFOUND && !pp->steps[k].is_index)
        return hf_error_set(err, rc, where, "%s: %s", where, what);
    return hf_error_set(err, rc, where, "%s: %s (size %zu)", where, what, size);
}

/* The child of `container` for step `st`, or NULL when it has none. The container's type
 * must fit the step. */
static json_t *step_child(const json_t *container, const step *st)
{
    if (st->is_index)
        return json_array_get(container, st->index);
    return json_object_getn(container, st->key, st->key_len);
}

static bool step_fits(const json_t *container, const step *st)
{
    return st->is_index ? json_is_array(container) : json_is_object(container);
}

/* Walk steps 0 .. count-2 for get and remove: *parent is the container of the last step.
 * A missing or null intermediate is "not found" (null counts as absent). */
static int walk_to_parent(const parsed_path *pp, const json_t *doc, json_t **parent, hf_error *err)
{
    const json_t *cur = doc;
    for (size_t k = 0; k + 1 < pp->count; k++) {
        const step *st = &pp->steps[k];
        if (!step_fits(cur, st))
            return wrong_container(pp, (long)k, cur, err);
        json_t *child = step_child(cur, st);
        if (!child || json_is_null(child)) {
            if (st->is_index && st->index >= json_array_size(cur))
                return step_error(pp, (long)k, HF_ENOTFOUND, "index out of range",
                                  json_array_size(cur), err);
            return step_error(pp, (long)k, HF_ENOTFOUND, "not found", 0, err);
        }
        cur = child;
    }
    *parent = (json_t *)cur;
    return 0;
}

int hf_json_path_get(const json_t *doc, const char *path, json_t **out, hf_error *err)
{
    parsed_path pp;
    json_t *parent = NULL;
    int rc;
    if (out)
        *out = NULL;
    if (!doc || !out)
        return hf_error_set(err, HF_EUSAGE, NULL, "no document or no result");
    rc = path_parse(path, &pp, err);
    if (rc)
        goto out;
    if (pp.count == 0) {
        *out = (json_t *)doc;
        goto out;
    }
    rc = walk_to_parent(&pp, doc, &parent, err);
    if (rc)
        goto out;
    long last = (long)pp.count - 1;
    const step *st = &pp.steps[last];
    if (!step_fits(parent, st)) {
        rc = wrong_container(&pp, last, parent, err);
        goto out;
    }
    json_t *found = step_child(parent, st);
    if (!found) {
        rc = st->is_index ? step_error(&pp, last, HF_ENOTFOUND, "index out of range",
                                       json_array_size(parent), err)
                          : step_error(&pp, last, HF_ENOTFOUND, "not found", 0, err);
        goto out;
    }
    *out = found;
out:
    parsed_path_free(&pp);
    return rc;
}

int hf_json_path_remove(json_t *doc, const char *path, hf_error *err)
{
    parsed_path pp;
    json_t *parent = NULL;
    int rc;
    if (!doc)
        return hf_error_set(err, HF_EUSAGE, NULL, "no document");
    rc = path_parse(path, &pp, err);
    if (rc)
        goto out;
    if (pp.count == 0) {
        rc = hf_error_set(err, HF_EINVAL, "document", "document: cannot remove the whole document");
        goto out;
    }
    rc = walk_to_parent(&pp, doc, &parent, err);
    if (rc)
        goto out;
    long last = (long)pp.count - 1;
    const step *st = &pp.steps[last];
    if (!step_fits(parent, st)) {
        rc = wrong_container(&pp, last, parent, err);
        goto out;
    }
    if (st->is_index) {
        if (st->index >= json_array_size(parent))
            rc = step_error(&pp, last, HF_ENOTFOUND, "index out of range", json_array_size(parent),
                            err);
        else if (json_array_remove(parent, st->index))
            rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    } else {
        if (json_object_deln(parent, st->key, st->key_len))
            rc = step_error(&pp, last, HF_ENOTFOUND, "not found", 0, err);
    }
out:
    parsed_path_free(&pp);
    return rc;
}

/* Put `value` (stolen) at step `st` of `container`, whose type fits and where an index is
 * at most the size. Returns 0 or -1 (allocation failure; `value` is released). */
static int step_put(json_t *container, const step *st, json_t *value)
{
    if (!st->is_index)
        return json_object_setn_new(container, st->key, st->key_len, value);
    if (st->index == json_array_size(container))
        return json_array_append_new(container, value);
    return json_array_set_new(container, st->index, value);
}

/* Build the missing part of a path: containers for steps first+1 .. count-1 around
 * `value` (stolen), every one new and empty, so each index among them must be 0. *out is
 * the container for step first + 1 (or `value` itself when step `first` is the last). */
static int build_chain(const parsed_path *pp, size_t first, json_t *value, json_t **out,
                       hf_error *err)
{
    *out = NULL;
    for (size_t k = first + 1; k < pp->count; k++) {
        if (pp->steps[k].is_index && pp->steps[k].index != 0) {
            json_decref(value);
            return step_error(pp, (long)k, HF_EINVAL, "index out of range", 0, err);
        }
    }
    json_t *node = value;
    for (size_t k = pp->count - 1; k > first; k--) {
        const step *st = &pp->steps[k];
        json_t *container = st->is_index ? json_array() : json_object();
        if (!container) {
            json_decref(node);
            return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        }
        if (step_put(container, st, node)) {
            json_decref(container);
            return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        }
        node = container;
    }
    *out = node;
    return 0;
}

int hf_json_path_set(json_t *doc, const char *path, json_t *value, hf_error *err)
{
    parsed_path pp = {.count = 0};
    json_t *node = NULL;
    int rc;
    if (!doc || !value) {
        rc = hf_error_set(err, HF_EUSAGE, NULL, "no document or no value");
        goto out;
    }
    rc = path_parse(path, &pp, err);
    if (rc)
        goto out;
    if (pp.count == 0) {
        rc =
            hf_error_set(err, HF_EINVAL, "document", "document: cannot replace the whole document");
        goto out;
    }
    json_t *cur = doc;
    size_t k = 0;
    for (;; k++) {
        const step *st = &pp.steps[k];
        if (!step_fits(cur, st)) {
            rc = wrong_container(&pp, (long)k, cur, err);
            goto out;
        }
        if (st->is_index && st->index > json_array_size(cur)) {
            rc = step_error(&pp, (long)k, HF_EINVAL, "index out of range", json_array_size(cur),
                            err);
            goto out;
        }
        json_t *child = step_child(cur, st);
        if (k + 1 == pp.count || !child || json_is_null(child))
            break;
        cur = child;
    }
    /* Step k of `cur` receives the value, through new containers for the steps after k
     * when k is not the last. Nothing has changed yet. */
    rc = build_chain(&pp, k, value, &node, err);
    value = NULL;
    if (rc)
        goto out;
    if (step_put(cur, &pp.steps[k], node))
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
out:
    json_decref(value);
    parsed_path_free(&pp);
    return rc;
}

json_t *hf_json_value_from_arg(const char *text)
{
    if (!text)
        return NULL;
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    return v ? v : json_string(text);
}

void hf_json_merge_patch(json_t *target, const json_t *patch)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)patch, k, v)
    {
        if (json_is_null(v)) {
            json_object_del(target, k);
        } else if (json_is_object(v)) {
            json_t *t = json_object_get(target, k);
            if (!json_is_object(t)) {
                t = json_object();
                json_object_set_new(target, k, t);
            }
            hf_json_merge_patch(t, v);
        } else {
            json_object_set(target, k, v);
        }
    }
}
