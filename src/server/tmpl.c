/* The template language of the web pages (tmpl.h): compiler with HTML-context tracking,
 * renderer over jansson values, and the escapers.
 *
 * Compiling walks the template once. Literal text is fed to a small HTML tokenizer
 * (html_feed) that knows whether we stand in text, inside a tag, in a quoted attribute
 * value (and which attribute), in a comment or in <script>/<style>/<textarea>/<title>
 * content; each substitution takes its escaper from that state or is refused. Nodes form a
 * tree (sections own their bodies); rendering walks it with a stack of context values. */
#include "server/tmpl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output buffer ---- */

void hf_strbuf_append(hf_strbuf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    size_t max = b->max ? b->max : HF_TMPL_OUT_MAX;
    if (b->len + n + 1 > b->cap) {
        if (b->len + n + 1 > max) {
            b->failed = true;
            return;
        }
        size_t ncap = b->cap ? b->cap : 1024;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        if (ncap > max)
            ncap = max;
        char *nd = realloc(b->data, ncap);
        if (!nd) {
            b->failed = true;
            return;
        }
        b->data = nd;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hf_strbuf_puts(hf_strbuf *b, const char *s)
{
    hf_strbuf_append(b, s, strlen(s));
}

static void put_char(hf_strbuf *b, char c)
{
    hf_strbuf_append(b, &c, 1);
}

/* ---- escapers ---- */

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Length of the valid UTF-8 sequence at s[0..n) (1 to 4), or 0 when it is invalid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void hf_escape_html(hf_strbuf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0; /* bytes [run, i) need no escaping */
    while (i < n) {
        unsigned char c = u[i];
        const char *rep = NULL;
        size_t step = 1;
        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&#34;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                rep = REPLACEMENT;
            } else if (c >= 0x80) {
                step = utf8_len(u + i, n - i);
                if (step == 0) {
                    rep = REPLACEMENT;
                    step = 1;
                }
            }
        }
        if (rep) {
            hf_strbuf_append(b, s + run, i - run);
            hf_strbuf_puts(b, rep);
            i += step;
            run = i;
        } else {
            i += step;
        }
    }
    hf_strbuf_append(b, s + run, i - run);
}

static void percent(hf_strbuf *b, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[3] = {'%', hex[c >> 4], hex[c & 15]};
    hf_strbuf_append(b, e, 3);
}

static char lower_ascii(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Is the URL (s, n) relative or of an allowed scheme? Browsers drop leading C0 controls
 * and spaces and ignore tab, LF and CR anywhere, so "\tjava\nscript:" is javascript: —
 * the scheme is read the same way here. */
static bool url_allowed(const char *s, size_t n)
{
    static const char *const allowed[] = {"http", "https", "mailto"};
    char scheme[16];
    size_t len = 0, i = 0;
    while (i < n && (unsigned char)s[i] <= 0x20)
        i++;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == '/' || c == '?' || c == '#')
            return true; /* no scheme: relative */
        if (c == ':') {
            for (size_t k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++) {
                if (strlen(allowed[k]) == len && memcmp(allowed[k], scheme, len) == 0)
                    return true;
            }
            return false;
        }
        if (len + 1 >= sizeof(scheme))
            len = sizeof(scheme); /* too long for an allowed scheme; keep looking for ':' */
        else
            scheme[len++] = lower_ascii(c);
    }
    return true;
}

void hf_escape_url(hf_strbuf *b, const char *s, size_t n)
{
    if (!url_allowed(s, n)) {
        put_char(b, '#');
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7F || strchr("\"'<>\\^`{|}", c))
            percent(b, c);
        else if (c == '&')
            hf_strbuf_puts(b, "&amp;");
        else
            put_char(b, (char)c);
    }
}

void hf_escape_url_part(hf_strbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~')
            put_char(b, (char)c);
        else
            percent(b, c);
    }
}

/* ---- trusted markup ---- */

/* The key of a trusted-markup object. The NUL byte makes it impossible to produce with
 * json_loads() (which refuses \u0000 unless asked to allow it) */
static const char TRUSTED_KEY[] = "\0hf-trusted-html";
#define TRUSTED_KEY_LEN (sizeof(TRUSTED_KEY) - 1)

json_t *hf_tmpl_htmln(const char *html, size_t len)
{
    json_t *o = json_object();
    json_t *s = json_stringn_nocheck(html, len);
    if (!o || !s || json_object_setn_new_nocheck(o, TRUSTED_KEY, TRUSTED_KEY_LEN, s)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *hf_tmpl_html(const char *html)
{
    return hf_tmpl_htmln(html, strlen(html));
}

static const json_t *trusted_markup(const json_t *v)
{
    if (!json_is_object(v) || json_object_size(v) != 1)
        return NULL;
    const json_t *s = json_object_getn(v, TRUSTED_KEY, TRUSTED_KEY_LEN);
    return json_is_string(s) ? s : NULL;
}

/* ---- the compiled form ---- */

typedef enum node_kind {
    N_TEXT,    /* literal text */
    N_VAR,     /* {{path}} */
    N_RAW,     /* {{raw path}} */
    N_TR,      /* {{_ "msgid" args...}} */
    N_TRN,     /* {{_n "singular" "plural" count}} */
    N_IF,      /* {{#if path}} / {{#unless path}} */
    N_EACH,    /* {{#each path}} */
    N_PARTIAL, /* {{> name [path]}} */
} node_kind;

typedef enum esc { ESC_HTML, ESC_URL, ESC_URL_PART } esc;

#define MAX_ARGS 4

typedef struct node node;
typedef struct nodes {
    node *v;
    size_t n, cap;
} nodes;

struct node {
    node_kind kind;
    esc esc;
    int line;
    bool negate;          /* #unless */
    char *text;           /* N_TEXT literal, N_TR msgid, N_TRN singular, N_PARTIAL name */
    size_t len;           /* of text */
    char *plural;         /* N_TRN */
    char *path;           /* value, condition, list, count or partial context; NULL: none */
    char *args[MAX_ARGS]; /* N_TR */
    int nargs;
    nodes body, alt; /* sections: the body, and the {{else}} part */
};

typedef struct tmpl {
    char *name;
    nodes root;
} tmpl;

struct hf_tmpl_set {
    tmpl *v;
    size_t n, cap;
};

static void nodes_free(nodes *ns);

static void node_free(node *nd)
{
    free(nd->text);
    free(nd->plural);
    free(nd->path);
    for (int i = 0; i < nd->nargs; i++)
        free(nd->args[i]);
    nodes_free(&nd->body);
    nodes_free(&nd->alt);
}

static void nodes_free(nodes *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        node_free(&ns->v[i]);
    free(ns->v);
    ns->v = NULL;
    ns->n = ns->cap = 0;
}

static node *nodes_push(nodes *ns)
{
    if (ns->n == ns->cap) {
        size_t ncap = ns->cap ? ns->cap * 2 : 8;
        node *nv = realloc(ns->v, ncap * sizeof(*nv));
        if (!nv)
            return NULL;
        ns->v = nv;
        ns->cap = ncap;
    }
    node *nd = &ns->v[ns->n++];
    memset(nd, 0, sizeof(*nd));
    return nd;
}

hf_tmpl_set *hf_tmpl_set_new(void)
{
    return calloc(1, sizeof(hf_tmpl_set));
}

void hf_tmpl_set_free(hf_tmpl_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++) {
        free(set->v[i].name);
        nodes_free(&set->v[i].root);
    }
    free(set->v);
    free(set);
}

static const tmpl *find(const hf_tmpl_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->v[i].name, name) == 0)
            return &set->v[i];
    }
    return NULL;
}

bool hf_tmpl_has(const hf_tmpl_set *set, const char *name)
{
    return set && name && find(set, name) != NULL;
}

/* ---- HTML context tracking ---- */

typedef enum hstate {
    H_TEXT,
    H_TAG_NAME,       /* after "<x" or "</x" */
    H_TAG,            /* inside a tag, between attributes */
    H_ATTR_NAME,      /* in an attribute name */
    H_AFTER_NAME,     /* after an attribute name, before '=' */
    H_BEFORE_VALUE,   /* after '=' */
    H_VALUE_DQ,       /* in a "quoted" value */
    H_VALUE_SQ,       /* in a 'quoted' value */
    H_VALUE_UNQUOTED, /* in an unquoted value */
    H_COMMENT,        /* <!-- ... --> */
    H_DECL,           /* <!DOCTYPE ...>, <?...> */
    H_RAWTEXT,        /* <script>, <style> content: no values at all */
    H_RCDATA,         /* <textarea>, <title> content: text escaping */
} hstate;

typedef struct hctx {
    hstate state;
    bool end_tag;     /* the tag being read is a closing tag */
    bool value_start; /* nothing yet in the current attribute value */
    bool after_lt;    /* in text, right after a '<' or "</" that may start a tag */
    char tag[16];     /* the tag name (lower case, truncated) */
    char attr[32];    /* the attribute name (lower case, truncated) */
    char raw_end[16]; /* in RAWTEXT/RCDATA: the tag that ends it */
} hctx;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void append_name(char *buf, size_t cap, char c)
{
    size_t n = strlen(buf);
    if (n + 1 < cap) {
        buf[n] = lower_ascii(c);
        buf[n + 1] = '\0';
    }
}

static void tag_end(hctx *h)
{
    static const char *const rawtext[] = {"script", "style"};
    static const char *const rcdata[] = {"textarea", "title"};
    h->state = H_TEXT;
    h->attr[0] = '\0';
    if (h->end_tag)
        return;
    for (size_t i = 0; i < 2; i++) {
        if (strcmp(h->tag, rawtext[i]) == 0) {
            h->state = H_RAWTEXT;
            snprintf(h->raw_end, sizeof(h->raw_end), "%s", rawtext[i]);
        } else if (strcmp(h->tag, rcdata[i]) == 0) {
            h->state = H_RCDATA;
            snprintf(h->raw_end, sizeof(h->raw_end), "%s", rcdata[i]);
        }
    }
}

static bool starts_ci(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        if (lower_ascii(s[i]) != word[i])
            return false;
    }
    return true;
}

/* Advance the context over literal text (s, n). */
static void html_feed(hctx *h, const char *s, size_t n)
{
    if (n)
        h->after_lt = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (h->state) {
        case H_TEXT:
            if (c != '<')
                break;
            if (i + 1 == n || (i + 2 == n && s[i + 1] == '/')) {
                h->after_lt = true; /* a value here would name the tag */
                i = n;
                break;
            }
            if (starts_ci(s + i + 1, n - i - 1, "!--")) {
                h->state = H_COMMENT;
                i += 3;
            } else if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
                h->state = H_DECL;
            } else if (i + 2 < n && s[i + 1] == '/' && is_alpha(s[i + 2])) {
                h->state = H_TAG_NAME;
                h->end_tag = true;
                h->tag[0] = '\0';
                i++;
            } else if (i + 1 < n && is_alpha(s[i + 1])) {
                h->state = H_TAG_NAME;
                h->end_tag = false;
                h->tag[0] = '\0';
            }
            break;
        case H_TAG_NAME:
            if (is_space(c) || c == '/')
                h->state = H_TAG;
            else if (c == '>')
                tag_end(h);
            else
                append_name(h->tag, sizeof(h->tag), c);
            break;
        case H_TAG:
            if (c == '>') {
                tag_end(h);
            } else if (!is_space(c) && c != '/') {
                h->state = H_ATTR_NAME;
                h->attr[0] = '\0';
                append_name(h->attr, sizeof(h->attr), c);
            }
            break;
        case H_ATTR_NAME:
            if (is_space(c))
                h->state = H_AFTER_NAME;
            else if (c == '=')
                h->state = H_BEFORE_VALUE;
            else if (c == '>')
                tag_end(h);
            else if (c == '/')
                h->state = H_TAG;
            else
                append_name(h->attr, sizeof(h->attr), c);
            break;
        case H_AFTER_NAME:
            if (c == '=') {
                h->state = H_BEFORE_VALUE;
            } else if (c == '>') {
                tag_end(h);
            } else if (c == '/') {
                h->state = H_TAG;
            } else if (!is_space(c)) {
                h->state = H_ATTR_NAME;
                h->attr[0] = '\0';
                append_name(h->attr, sizeof(h->attr), c);
            }
            break;
        case H_BEFORE_VALUE:
            if (c == '"' || c == '\'') {
                h->state = c == '"' ? H_VALUE_DQ : H_VALUE_SQ;
                h->value_start = true;
            } else if (c == '>') {
                tag_end(h);
            } else if (!is_space(c)) {
                h->state = H_VALUE_UNQUOTED;
            }
            break;
        case H_VALUE_DQ:
        case H_VALUE_SQ:
            if (c == (h->state == H_VALUE_DQ ? '"' : '\''))
                h->state = H_TAG;
            else
                h->value_start = false;
            break;
        case H_VALUE_UNQUOTED:
            if (is_space(c))
                h->state = H_TAG;
            else if (c == '>')
                tag_end(h);
            break;
        case H_COMMENT:
            if (c == '-' && i + 2 < n && s[i + 1] == '-' && s[i + 2] == '>') {
                h->state = H_TEXT;
                i += 2;
            }
            break;
        case H_DECL:
            if (c == '>')
                h->state = H_TEXT;
            break;
        case H_RAWTEXT:
        case H_RCDATA:
            if (c == '<' && i + 1 < n && s[i + 1] == '/' &&
                starts_ci(s + i + 2, n - i - 2, h->raw_end)) {
                size_t after = i + 2 + strlen(h->raw_end);
                if (after >= n || is_space(s[after]) || s[after] == '>' || s[after] == '/') {
                    h->state = H_TAG_NAME;
                    h->end_tag = true;
                    snprintf(h->tag, sizeof(h->tag), "%s", h->raw_end);
                    i = after - 1;
                }
            }
            break;
        }
    }
}

static bool in_tag(hstate s)
{
    return s == H_TAG_NAME || s == H_TAG || s == H_ATTR_NAME || s == H_AFTER_NAME;
}

/* The context after a branch: two contexts that agree on everything that decides the next
 * escaper merge; otherwise the template is refused. Between attributes of one tag, the
 * merged context forgets the attribute name (a value after it would then be refused). */
static bool html_merge(hctx *a, const hctx *b)
{
    if (a->after_lt || b->after_lt)
        return false;
    bool same = a->state == b->state;
    if (same && (a->state == H_VALUE_DQ || a->state == H_VALUE_SQ))
        same = strcmp(a->attr, b->attr) == 0 && strcmp(a->tag, b->tag) == 0;
    else if (same && (a->state == H_RAWTEXT || a->state == H_RCDATA))
        same = strcmp(a->raw_end, b->raw_end) == 0;
    else if (same && in_tag(a->state))
        same = strcmp(a->tag, b->tag) == 0 && strcmp(a->attr, b->attr) == 0 &&
               a->end_tag == b->end_tag;
    if (same) {
        a->value_start = a->value_start && b->value_start;
        return true;
    }
    if (in_tag(a->state) && in_tag(b->state) && strcmp(a->tag, b->tag) == 0 &&
        a->end_tag == b->end_tag) {
        a->state = H_TAG;
        a->attr[0] = '\0';
        return true;
    }
    return false;
}

static const char *const url_attrs[] = {"href",       "src",      "action",    "formaction",
                                        "cite",       "poster",   "data",      "ping",
                                        "background", "manifest", "xlink:href"};

/* The escaper for a value at context h, or NULL with *why set. */
static bool escaper_for(const hctx *h, esc *out, const char **why)
{
    if (h->after_lt) {
        *why = "a value inside a tag must be in a quoted attribute value";
        return false;
    }
    switch (h->state) {
    case H_TEXT:
    case H_RCDATA:
        *out = ESC_HTML;
        return true;
    case H_VALUE_DQ:
    case H_VALUE_SQ:
        if (strncmp(h->attr, "on", 2) == 0) {
            *why = "no values in event-handler attributes";
            return false;
        }
        if (strcmp(h->attr, "style") == 0 || strcmp(h->attr, "srcset") == 0) {
            *why = "no values in style or srcset attributes";
            return false;
        }
        *out = ESC_HTML;
        for (size_t i = 0; i < sizeof(url_attrs) / sizeof(url_attrs[0]); i++) {
            if (strcmp(h->attr, url_attrs[i]) == 0)
                *out = h->value_start ? ESC_URL : ESC_URL_PART;
        }
        return true;
    case H_VALUE_UNQUOTED:
    case H_BEFORE_VALUE:
        *why = "attribute values with a value in them must be quoted";
        return false;
    case H_TAG_NAME:
    case H_TAG:
    case H_ATTR_NAME:
    case H_AFTER_NAME:
        *why = "a value inside a tag must be in a quoted attribute value";
        return false;
    case H_COMMENT:
    case H_DECL:
        *why = "no values in HTML comments or declarations";
        return false;
    case H_RAWTEXT:
        *why = "no values in <script> or <style>";
        return false;
    }
    *why = "unknown context";
    return false;
}

/* ---- the parser ---- */

typedef struct parser {
    const char *name;
    const char *s;
    size_t n, pos;
    int line;
    hctx html;
    hf_error *err;
} parser;

static int fail(parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(parser *p, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return hf_error_set(p->err, HF_EINVAL, NULL, "%s:%d: %s", p->name, line, msg);
}

static int count_lines(const char *s, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

/* A tag's inside split into words: bare words and "quoted strings" (with \" and \\). */
#define MAX_WORDS 8
typedef struct words {
    char *w[MAX_WORDS];
    bool quoted[MAX_WORDS];
    int n;
} words;

static void words_free(words *ws)
{
    for (int i = 0; i < ws->n; i++)
        free(ws->w[i]);
    ws->n = 0;
}

static int split_words(parser *p, int line, const char *s, size_t n, words *out)
{
    size_t i = 0;
    out->n = 0;
    while (i < n) {
        while (i < n && is_space(s[i]))
            i++;
        if (i == n)
            break;
        if (out->n == MAX_WORDS) {
            words_free(out);
            return fail(p, line, "too many words in a tag");
        }
        char *w = malloc(n - i + 1);
        if (!w) {
            words_free(out);
            return hf_error_set(p->err, HF_ENOMEM, NULL, "out of memory");
        }
        size_t k = 0;
        bool quoted = s[i] == '"';
        if (quoted) {
            i++;
            while (i < n && s[i] != '"') {
                if (s[i] == '\\' && i + 1 < n)
                    i++;
                w[k++] = s[i++];
            }
            if (i == n) {
                free(w);
                words_free(out);
                return fail(p, line, "unterminated string");
            }
            i++;
        } else {
            while (i < n && !is_space(s[i]) && s[i] != '"')
                w[k++] = s[i++];
        }
        w[k] = '\0';
        out->w[out->n] = w;
        out->quoted[out->n++] = quoted;
    }
    return 0;
}

/* A path: ".", "@index", "@number", "@first", "@last", or names [A-Za-z0-9_-]+ joined
 * by single dots. */
static bool valid_path(const char *w)
{
    if (strcmp(w, ".") == 0)
        return true;
    if (w[0] == '@')
        return strcmp(w, "@index") == 0 || strcmp(w, "@number") == 0 || strcmp(w, "@first") == 0 ||
               strcmp(w, "@last") == 0;
    bool seg_empty = true;
    for (const char *c = w; *c; c++) {
        if (*c == '.') {
            if (seg_empty)
                return false;
            seg_empty = true;
        } else if (is_alpha(*c) || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-') {
            seg_empty = false;
        } else {
            return false;
        }
    }
    return !seg_empty;
}

static int take_path(parser *p, int line, words *ws, int i, char **out)
{
    if (i >= ws->n || ws->quoted[i] || !valid_path(ws->w[i]))
        return fail(p, line, "expected a name (a.b.c, ., @index) here");
    *out = ws->w[i];
    ws->w[i] = NULL;
    return 0;
}

static int add_text(parser *p, nodes *out, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    html_feed(&p->html, s, n);
    node *prev = out->n ? &out->v[out->n - 1] : NULL;
    if (prev && prev->kind == N_TEXT) {
        char *t = realloc(prev->text, prev->len + n + 1);
        if (!t)
            return hf_error_set(p->err, HF_ENOMEM, NULL, "out of memory");
        memcpy(t + prev->len, s, n);
        prev->len += n;
        t[prev->len] = '\0';
        prev->text = t;
        return 0;
    }
    node *nd = nodes_push(out);
    if (!nd || !(nd->text = malloc(n + 1)))
        return hf_error_set(p->err, HF_ENOMEM, NULL, "out of memory");
    nd->kind = N_TEXT;
    memcpy(nd->text, s, n);
    nd->text[n] = '\0';
    nd->len = n;
    return 0;
}

/* How parse_nodes stopped. */
typedef enum stop { STOP_END, STOP_ELSE, STOP_CLOSE } stop;

static int parse_nodes(parser *p, nodes *out, stop *how, char *closer, size_t closer_cap,
                       int depth);

static const char *state_name(hstate s, bool after_lt)
{
    if (after_lt)
        return "a tag";
    switch (s) {
    case H_TEXT:
        return "text";
    case H_COMMENT:
    case H_DECL:
        return "a comment";
    case H_RAWTEXT:
    case H_RCDATA:
        return "an element's content";
    case H_VALUE_DQ:
    case H_VALUE_SQ:
    case H_VALUE_UNQUOTED:
        return "an attribute value";
    default:
        return "a tag";
    }
}

/* {{#if}}, {{#unless}}, {{#each}}: parse the body, an optional {{else}} part, and the
 * closing tag; check the contexts agree. */
static int parse_section(parser *p, node *nd, const char *kw, int line, int depth)
{
    char closer[16];
    stop how;
    hctx before = p->html;
    int rc = parse_nodes(p, &nd->body, &how, closer, sizeof(closer), depth + 1);
    if (rc)
        return rc;
    hctx after_body = p->html;
    p->html = before; /* without {{else}}, the other path skips the body */
    if (how == STOP_ELSE) {
        rc = parse_nodes(p, &nd->alt, &how, closer, sizeof(closer), depth + 1);
        if (rc)
            return rc;
        if (how == STOP_ELSE)
            return fail(p, p->line, "a second {{else}} in {{#%s}}", kw);
    }
    if (how != STOP_CLOSE)
        return fail(p, line, "{{#%s}} is not closed", kw);
    if (strcmp(closer, kw) != 0)
        return fail(p, p->line, "{{/%s}} closes {{#%s}} of line %d", closer, kw, line);
    /* the body of each may run any number of times: it must end where it began */
    hctx merged = after_body;
    const hctx *other = &p->html;
    bool ok = html_merge(&merged, other);
    if (ok && nd->kind == N_EACH) {
        other = &before;
        ok = html_merge(&merged, other);
    }
    if (!ok)
        return fail(p, line,
                    "{{#%s}}: its branches end in different HTML contexts (%s and %s); keep "
                    "tags and quotes balanced inside it",
                    kw, state_name(after_body.state, after_body.after_lt),
                    state_name(other->state, other->after_lt));
    p->html = merged;
    return 0;
}

static int parse_tag(parser *p, nodes *out, const char *s, size_t n, int line, stop *how,
                     char *closer, size_t closer_cap, int depth)
{
    while (n && is_space(*s)) {
        s++;
        n--;
    }
    if (n && s[0] == '!')
        return 0; /* comment */
    if (n && s[0] == '/') {
        size_t k = 1;
        while (k < n && is_space(s[k]))
            k++;
        size_t len = n - k;
        while (len && is_space(s[k + len - 1]))
            len--;
        if (len == 0 || len >= closer_cap)
            return fail(p, line, "bad closing tag");
        memcpy(closer, s + k, len);
        closer[len] = '\0';
        *how = STOP_CLOSE;
        return 1;
    }
    words ws = {{0}, {0}, 0};
    int rc;
    bool section = n && s[0] == '#';
    bool partial = n && s[0] == '>';
    if (section || partial) {
        rc = split_words(p, line, s + 1, n - 1, &ws);
    } else {
        rc = split_words(p, line, s, n, &ws);
    }
    if (rc)
        return rc;
    if (ws.n == 0) {
        rc = fail(p, line, "empty tag");
        goto out;
    }
    if (!section && !partial && ws.n == 1 && !ws.quoted[0] && strcmp(ws.w[0], "else") == 0) {
        if (depth == 0) {
            rc = fail(p, line, "{{else}} outside a section");
            goto out;
        }
        *how = STOP_ELSE;
        rc = 1;
        goto out;
    }
    node *nd = nodes_push(out);
    if (!nd) {
        rc = hf_error_set(p->err, HF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    nd->line = line;
    const char *why = NULL;
    if (section) {
        const char *kw = ws.w[0];
        if (strcmp(kw, "if") == 0 || strcmp(kw, "unless") == 0) {
            nd->kind = N_IF;
            nd->negate = kw[0] == 'u';
        } else if (strcmp(kw, "each") == 0) {
            nd->kind = N_EACH;
        } else {
            rc = fail(p, line, "unknown section {{#%s}} (if, unless, each)", kw);
            goto out;
        }
        if (ws.n != 2) {
            rc = fail(p, line, "{{#%s}} takes one name", kw);
            goto out;
        }
        if ((rc = take_path(p, line, &ws, 1, &nd->path)))
            goto out;
        char kwcopy[8];
        snprintf(kwcopy, sizeof(kwcopy), "%s", kw);
        rc = parse_section(p, nd, kwcopy, line, depth);
        goto out;
    }
    if (partial) {
        nd->kind = N_PARTIAL;
        if (ws.n < 1 || ws.n > 2 || ws.quoted[0]) {
            rc = fail(p, line, "expected {{> name}} or {{> name path}}");
            goto out;
        }
        if (p->html.state != H_TEXT || p->html.after_lt) {
            rc = fail(p, line, "a partial must stand in text, not in %s",
                      state_name(p->html.state, p->html.after_lt));
            goto out;
        }
        nd->text = ws.w[0];
        ws.w[0] = NULL;
        if (ws.n == 2 && (rc = take_path(p, line, &ws, 1, &nd->path)))
            goto out;
        goto out;
    }
    if (!ws.quoted[0] && strcmp(ws.w[0], "raw") == 0) {
        nd->kind = N_RAW;
        if (ws.n != 2) {
            rc = fail(p, line, "{{raw}} takes one name");
            goto out;
        }
        if (p->html.state != H_TEXT || p->html.after_lt) {
            rc = fail(p, line, "raw markup must stand in text, not in %s",
                      state_name(p->html.state, p->html.after_lt));
            goto out;
        }
        rc = take_path(p, line, &ws, 1, &nd->path);
        goto out;
    }
    if (!escaper_for(&p->html, &nd->esc, &why)) {
        rc = fail(p, line, "%s", why);
        goto out;
    }
    if (!ws.quoted[0] && strcmp(ws.w[0], "_") == 0) {
        nd->kind = N_TR;
        if (ws.n < 2 || !ws.quoted[1] || ws.n - 2 > MAX_ARGS) {
            rc = fail(p, line, "expected {{_ \"English text\" [up to %d names]}}", MAX_ARGS);
            goto out;
        }
        nd->text = ws.w[1];
        nd->len = strlen(nd->text);
        ws.w[1] = NULL;
        for (int i = 2; i < ws.n; i++) {
            if ((rc = take_path(p, line, &ws, i, &nd->args[nd->nargs])))
                goto out;
            nd->nargs++;
        }
        size_t slots = 0;
        for (const char *c = nd->text; (c = strchr(c, '%')) != NULL; c += 2) {
            if (c[1] == 's')
                slots++;
            else if (c[1] != '%') {
                rc = fail(p, line, "only %%s and %%%% may follow %% in a message");
                goto out;
            }
        }
        if (nd->nargs > 0 ? slots != (size_t)nd->nargs : slots != 0) {
            rc = fail(p, line, "the message has %zu %%s but %d names follow it", slots, nd->nargs);
            goto out;
        }
        goto out;
    }
    if (!ws.quoted[0] && strcmp(ws.w[0], "_n") == 0) {
        nd->kind = N_TRN;
        if (ws.n != 4 || !ws.quoted[1] || !ws.quoted[2]) {
            rc = fail(p, line, "expected {{_n \"%%d thing\" \"%%d things\" count}}");
            goto out;
        }
        nd->text = ws.w[1];
        nd->len = strlen(nd->text);
        nd->plural = ws.w[2];
        ws.w[1] = ws.w[2] = NULL;
        rc = take_path(p, line, &ws, 3, &nd->path);
        goto out;
    }
    nd->kind = N_VAR;
    if (ws.n != 1) {
        rc = fail(p, line, "unknown tag {{%s …}}", ws.w[0]);
        goto out;
    }
    rc = take_path(p, line, &ws, 0, &nd->path);
out:
    words_free(&ws);
    return rc;
}

static int parse_nodes(parser *p, nodes *out, stop *how, char *closer, size_t closer_cap, int depth)
{
    if (depth > 32)
        return fail(p, p->line, "sections nest too deep");
    for (;;) {
        const char *open = NULL;
        for (size_t i = p->pos; i + 1 < p->n; i++) {
            if (p->s[i] == '{' && p->s[i + 1] == '{') {
                open = p->s + i;
                break;
            }
        }
        size_t text_end = open ? (size_t)(open - p->s) : p->n;
        int rc = add_text(p, out, p->s + p->pos, text_end - p->pos);
        if (rc)
            return rc;
        p->line += count_lines(p->s + p->pos, text_end - p->pos);
        if (!open) {
            p->pos = p->n;
            *how = STOP_END;
            return 0;
        }
        size_t inner = text_end + 2, close = 0;
        bool found = false;
        for (size_t i = inner; i + 1 < p->n; i++) {
            if (p->s[i] == '}' && p->s[i + 1] == '}') {
                close = i;
                found = true;
                break;
            }
        }
        if (!found)
            return fail(p, p->line, "{{ without }}");
        int line = p->line;
        p->line += count_lines(p->s + inner, close - inner);
        p->pos = close + 2;
        rc = parse_tag(p, out, p->s + inner, close - inner, line, how, closer, closer_cap, depth);
        if (rc < 0)
            return rc;
        if (rc == 1) {
            if (*how == STOP_CLOSE && depth == 0)
                return fail(p, line, "{{/%s}} closes nothing", closer);
            return 0;
        }
    }
}

int hf_tmpl_add(hf_tmpl_set *set, const char *name, const char *text, size_t len, hf_error *err)
{
    hf_error_clear(err);
    if (!set || !name || !text)
        return hf_error_set(err, HF_EUSAGE, NULL, "no set, name or text");
    if (memchr(text, '\0', len))
        return hf_error_set(err, HF_EINVAL, NULL, "%s: a NUL byte in the template", name);
    parser p = {name, text, len, 0, 1, {H_TEXT, false, false, false, "", "", ""}, err};
    nodes root = {NULL, 0, 0};
    stop how;
    char closer[16];
    int rc = parse_nodes(&p, &root, &how, closer, sizeof(closer), 0);
    if (!rc && p.html.state != H_TEXT)
        rc = fail(&p, p.line, "the template ends inside %s", state_name(p.html.state, false));
    char *copy = rc ? NULL : strdup(name);
    if (!rc && !copy)
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    if (rc) {
        nodes_free(&root);
        return rc;
    }
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->v[i].name, name) == 0) {
            free(copy);
            nodes_free(&set->v[i].root);
            set->v[i].root = root;
            return 0;
        }
    }
    if (set->n == set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 16;
        tmpl *nv = realloc(set->v, ncap * sizeof(*nv));
        if (!nv) {
            free(copy);
            nodes_free(&root);
            return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        }
        set->v = nv;
        set->cap = ncap;
    }
    set->v[set->n].name = copy;
    set->v[set->n].root = root;
    set->n++;
    return 0;
}

static int link_nodes(const hf_tmpl_set *set, const char *name, const nodes *ns, hf_error *err)
{
    for (size_t i = 0; i < ns->n; i++) {
        const node *nd = &ns->v[i];
        if (nd->kind == N_PARTIAL && !find(set, nd->text))
            return hf_error_set(err, HF_EINVAL, NULL, "%s:%d: no template %s", name, nd->line,
                                nd->text);
        int rc = link_nodes(set, name, &nd->body, err);
        if (!rc)
            rc = link_nodes(set, name, &nd->alt, err);
        if (rc)
            return rc;
    }
    return 0;
}

int hf_tmpl_link(const hf_tmpl_set *set, hf_error *err)
{
    hf_error_clear(err);
    for (size_t i = 0; i < set->n; i++) {
        int rc = link_nodes(set, set->v[i].name, &set->v[i].root, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- rendering ---- */

#define MAX_FRAMES 48
#define MAX_PARTIAL_DEPTH 16
/* Most nodes one render may visit: partials inside loops inside partials multiply, and a
 * render that writes nothing is not stopped by the output limit */
#define MAX_STEPS (1L << 22)

typedef struct frame {
    const json_t *value;
    bool is_loop;
    size_t index, count;
} frame;

typedef struct render {
    const hf_tmpl_set *set;
    hf_lang lang;
    hf_strbuf *out;
    hf_error *err;
    const char *tmpl_name;
    frame frames[MAX_FRAMES];
    int nframes;
    int partial_depth;
    long steps;
    json_t *scratch; /* loop variables handed out as values */
} render;

static int rfail(render *r, const node *nd, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int rfail(render *r, const node *nd, int rc, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return hf_error_set(r->err, rc, NULL, "%s:%d: %s", r->tmpl_name, nd->line, msg);
}

/* The value of a loop variable, kept alive in r->scratch. */
static const json_t *loop_var(render *r, const char *path)
{
    for (int i = r->nframes - 1; i >= 0; i--) {
        const frame *f = &r->frames[i];
        if (!f->is_loop)
            continue;
        json_t *v;
        if (strcmp(path, "@index") == 0)
            v = json_integer((json_int_t)f->index);
        else if (strcmp(path, "@number") == 0)
            v = json_integer((json_int_t)f->index + 1);
        else if (strcmp(path, "@first") == 0)
            v = json_boolean(f->index == 0);
        else
            v = json_boolean(f->index + 1 == f->count);
        json_array_append_new(r->scratch, v);
        return v;
    }
    return NULL;
}

/* Look a path up: its first name in the innermost frame that has it, the rest below. */
static const json_t *lookup(render *r, const char *path)
{
    if (r->nframes == 0)
        return NULL;
    if (strcmp(path, ".") == 0)
        return r->frames[r->nframes - 1].value;
    if (path[0] == '@')
        return loop_var(r, path);
    size_t first = strcspn(path, ".");
    const json_t *v = NULL;
    for (int i = r->nframes - 1; i >= 0 && !v; i--) {
        const json_t *f = r->frames[i].value;
        if (json_is_object(f))
            v = json_object_getn(f, path, first);
    }
    const char *rest = path + first;
    while (v && *rest == '.') {
        rest++;
        size_t len = strcspn(rest, ".");
        if (json_is_object(v)) {
            v = json_object_getn(v, rest, len);
        } else if (json_is_array(v) && rest[0] >= '0' && rest[0] <= '9') {
            v = json_array_get(v, strtoul(rest, NULL, 10));
        } else {
            v = NULL;
        }
        rest += len;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_TRUE:
        return true;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_OBJECT:
        return json_object_size(v) > 0;
    default:
        return false;
    }
}

/* The text of a scalar into `tmp` or as a pointer into the value; false for objects and
 * arrays. A missing value or null is the empty string. */
static bool scalar_text(const json_t *v, char tmp[40], const char **s, size_t *n)
{
    *s = "";
    *n = 0;
    if (!v || json_is_null(v))
        return true;
    switch (json_typeof(v)) {
    case JSON_STRING:
        *s = json_string_value(v);
        *n = json_string_length(v);
        return true;
    case JSON_INTEGER:
        snprintf(tmp, 40, "%lld", (long long)json_integer_value(v));
        break;
    case JSON_REAL:
        snprintf(tmp, 40, "%.15g", json_real_value(v));
        break;
    case JSON_TRUE:
        snprintf(tmp, 40, "true");
        break;
    case JSON_FALSE:
        snprintf(tmp, 40, "false");
        break;
    default:
        return false;
    }
    *s = tmp;
    *n = strlen(tmp);
    return true;
}

static void escape(hf_strbuf *b, esc e, const char *s, size_t n)
{
    switch (e) {
    case ESC_HTML:
        hf_escape_html(b, s, n);
        break;
    case ESC_URL:
        hf_escape_url(b, s, n);
        break;
    case ESC_URL_PART:
        hf_escape_url_part(b, s, n);
        break;
    }
}

static int render_nodes(render *r, const nodes *ns);

static int push(render *r, const node *nd, const json_t *v, bool loop, size_t index, size_t count)
{
    if (r->nframes == MAX_FRAMES)
        return rfail(r, nd, HF_EINVAL, "sections nest more than %d deep", MAX_FRAMES);
    frame *f = &r->frames[r->nframes++];
    f->value = v;
    f->is_loop = loop;
    f->index = index;
    f->count = count;
    return 0;
}

/* A message with its %s filled by the values of the node's args (or %d by n). */
static int fill_message(render *r, const node *nd, const char *msg, hf_strbuf *plain,
                        const json_int_t *n)
{
    int arg = 0;
    for (const char *c = msg; *c; c++) {
        if (*c == '%' && (nd->nargs > 0 || n) && c[1] == '%') {
            put_char(plain, '%');
            c++;
        } else if (*c == '%' && nd->nargs > 0 && c[1] == 's' && arg < nd->nargs) {
            char tmp[40];
            const char *s;
            size_t len;
            if (!scalar_text(lookup(r, nd->args[arg]), tmp, &s, &len))
                return rfail(r, nd, HF_EINVAL, "%s is not a text value", nd->args[arg]);
            hf_strbuf_append(plain, s, len);
            arg++;
            c++;
        } else if (*c == '%' && n && c[1] == 'd') {
            char tmp[32];
            snprintf(tmp, sizeof(tmp), "%lld", (long long)*n);
            hf_strbuf_puts(plain, tmp);
            c++;
        } else {
            put_char(plain, *c);
        }
    }
    return 0;
}

static int render_message(render *r, const node *nd, const char *msg, const json_int_t *n)
{
    hf_strbuf plain = {NULL, 0, 0, r->out->max, false};
    int rc = fill_message(r, nd, msg, &plain, n);
    if (!rc && plain.failed)
        rc = rfail(r, nd, HF_ENOMEM, "out of memory");
    if (!rc)
        escape(r->out, nd->esc, plain.data ? plain.data : "", plain.len);
    free(plain.data);
    return rc;
}

static int render_partial(render *r, const node *nd)
{
    const tmpl *t = find(r->set, nd->text);
    if (!t)
        return rfail(r, nd, HF_ENOTFOUND, "no template %s", nd->text);
    if (r->partial_depth >= MAX_PARTIAL_DEPTH)
        return rfail(r, nd, HF_EINVAL, "partials nest more than %d deep", MAX_PARTIAL_DEPTH);
    int pushed = 0, rc = 0;
    if (nd->path) {
        if ((rc = push(r, nd, lookup(r, nd->path), false, 0, 0)))
            return rc;
        pushed = 1;
    }
    const char *saved = r->tmpl_name;
    r->tmpl_name = t->name;
    r->partial_depth++;
    rc = render_nodes(r, &t->root);
    r->partial_depth--;
    r->tmpl_name = saved;
    r->nframes -= pushed;
    return rc;
}

static int render_node(render *r, const node *nd)
{
    char tmp[40];
    const char *s;
    size_t n;
    const json_t *v;
    int rc = 0;
    switch (nd->kind) {
    case N_TEXT:
        hf_strbuf_append(r->out, nd->text, nd->len);
        return 0;
    case N_VAR:
        v = lookup(r, nd->path);
        if (!scalar_text(v, tmp, &s, &n))
            return rfail(r, nd, HF_EINVAL, "%s is %s, not a text value", nd->path,
                         trusted_markup(v) ? "markup (use raw)" : "a list or an object");
        escape(r->out, nd->esc, s, n);
        return 0;
    case N_RAW:
        v = lookup(r, nd->path);
        if (!v || json_is_null(v))
            return 0;
        if (!(v = trusted_markup(v)))
            return rfail(r, nd, HF_EINVAL, "raw %s: not markup made by hf_tmpl_html", nd->path);
        hf_strbuf_append(r->out, json_string_value(v), json_string_length(v));
        return 0;
    case N_TR:
        return render_message(r, nd, hf_tr(r->lang, nd->text), NULL);
    case N_TRN: {
        v = lookup(r, nd->path);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return rfail(r, nd, HF_EINVAL, "%s: expected a count", nd->path);
        json_int_t count = json_integer_value(v);
        return render_message(r, nd, hf_trn(r->lang, nd->text, nd->plural, (unsigned long)count),
                              &count);
    }
    case N_IF:
        v = lookup(r, nd->path);
        return render_nodes(r, truthy(v) != nd->negate ? &nd->body : &nd->alt);
    case N_EACH:
        v = lookup(r, nd->path);
        if (v && !json_is_array(v) && !json_is_null(v))
            return rfail(r, nd, HF_EINVAL, "#each %s: not a list", nd->path);
        if (!v || json_array_size(v) == 0)
            return render_nodes(r, &nd->alt);
        for (size_t i = 0; i < json_array_size(v) && !rc; i++) {
            if (++r->steps > MAX_STEPS)
                return rfail(r, nd, HF_EINVAL, "the render takes more than %ld steps", MAX_STEPS);
            if ((rc = push(r, nd, json_array_get(v, i), true, i, json_array_size(v))))
                break;
            rc = render_nodes(r, &nd->body);
            r->nframes--;
        }
        return rc;
    case N_PARTIAL:
        return render_partial(r, nd);
    }
    return 0;
}

static int render_nodes(render *r, const nodes *ns)
{
    for (size_t i = 0; i < ns->n; i++) {
        if (++r->steps > MAX_STEPS)
            return rfail(r, &ns->v[i], HF_EINVAL, "the render takes more than %ld steps",
                         MAX_STEPS);
        int rc = render_node(r, &ns->v[i]);
        if (rc)
            return rc;
        if (r->out->failed)
            return rfail(r, &ns->v[i], HF_ENOMEM, "the page is larger than the limit");
    }
    return 0;
}

int hf_tmpl_render(const hf_tmpl_set *set, const char *name, const json_t *ctx, hf_lang lang,
                   hf_strbuf *out, hf_error *err)
{
    hf_error_clear(err);
    const tmpl *t = set && name ? find(set, name) : NULL;
    if (!t)
        return hf_error_set(err, HF_ENOTFOUND, NULL, "no template %s", name ? name : "(null)");
    render r;
    memset(&r, 0, sizeof(r));
    r.set = set;
    r.lang = lang;
    r.out = out;
    r.err = err;
    r.tmpl_name = t->name;
    r.scratch = json_array();
    if (!r.scratch)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    r.frames[0].value = ctx;
    r.nframes = 1;
    int rc = render_nodes(&r, &t->root);
    json_decref(r.scratch);
    return rc;
}
