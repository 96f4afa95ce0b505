/* Language choice and message lookup for the four languages of Handoff.
 *
 * The translations are the read-only tables scripts/po2c.sh compiles from the .po files
 * (core/i18n_catalog.h); a lookup is a bsearch() in the table of the language asked for,
 * falling back to the msgid, which is the English text. Nothing here reads the
 * environment, the locale or a file, and nothing is mutable, so every function is
 * thread-safe and a server can use a different language for each request. The plural
 * rules are written here, not read from the .po headers (scripts/check-po.sh checks that
 * the headers agree with them). */
#include "handoff/i18n.h"

#include "core/i18n_catalog.h"

#include <stdlib.h>
#include <string.h>

static bool is_lang(hf_lang lang)
{
    return (unsigned)lang < (unsigned)HF_LANG_COUNT;
}

/* ASCII only, independent of the C locale. */
static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

static char to_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* `s[0..len)` equals the lower-case `word`, ignoring ASCII case. */
static bool equals_word(const char *s, size_t len, const char *word)
{
    size_t i;
    for (i = 0; i < len && word[i]; i++) {
        if (to_lower(s[i]) != word[i])
            return false;
    }
    return i == len && word[i] == '\0';
}

/* Skip a run of characters allowed in a codeset or modifier (`UTF-8`, `utf8`, `euro`)
 * starting at s[i]; returns the index after it, or 0 when the run is empty. */
static size_t skip_suffix_word(const char *s, size_t len, size_t i)
{
    size_t start = i;
    while (i < len && (is_alnum(s[i]) || s[i] == '-' || s[i] == '_'))
        i++;
    return i > start ? i : 0;
}

/* hf_lang_parse on the first `len` bytes of `tag`. The grammar accepted is the union of
 * a BCP 47 tag and a POSIX locale name:
 *
 *     language ( ("-" | "_") subtag )* ( "." codeset )? ( "@" modifier )?
 *
 * where language is two letters, or `C` / `POSIX` (then without subtags), and a subtag is
 * 1 to 8 letters or digits. Only the language decides: every region maps to the one
 * variant we have, so `pt_PT` gives pt-BR (closer for a Portuguese reader than English)
 * and `es_MX` or `es-419` give es. Three-letter codes (`por`, `spa`) are not accepted:
 * BCP 47 and POSIX both use the two-letter code for these four languages. */
static bool parse_tag(const char *tag, size_t len, hf_lang *out)
{
    size_t i = 0;
    while (i < len && is_alpha(tag[i]))
        i++;
    const size_t lang_len = i;
    bool is_posix = equals_word(tag, lang_len, "c") || equals_word(tag, lang_len, "posix");
    hf_lang lang;

    if (is_posix || equals_word(tag, lang_len, "en"))
        lang = HF_LANG_EN;
    else if (equals_word(tag, lang_len, "pt"))
        lang = HF_LANG_PT_BR;
    else if (equals_word(tag, lang_len, "es"))
        lang = HF_LANG_ES;
    else if (equals_word(tag, lang_len, "id") || equals_word(tag, lang_len, "in"))
        lang = HF_LANG_ID;
    else
        return false;

    while (!is_posix && i < len && (tag[i] == '-' || tag[i] == '_')) {
        size_t start = ++i;
        while (i < len && is_alnum(tag[i]))
            i++;
        if (i == start || i - start > 8)
            return false;
    }
    if (i < len && tag[i] == '.') {
        i = skip_suffix_word(tag, len, i + 1);
        if (!i)
            return false;
    }
    if (i < len && tag[i] == '@') {
        i = skip_suffix_word(tag, len, i + 1);
        if (!i)
            return false;
    }
    if (i != len)
        return false;
    *out = lang;
    return true;
}

bool hf_lang_parse(const char *tag, hf_lang *out)
{
    if (!tag || !out)
        return false;
    return parse_tag(tag, strlen(tag), out);
}

/* LANGUAGE is a colon-separated list in order of preference (`pt_BR:pt:en`): the first
 * entry we can parse wins, as gettext moves on when it has no catalog for an entry.
 * Empty entries are skipped. */
static bool parse_language_list(const char *list, hf_lang *out)
{
    const char *p = list;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (len > 0 && parse_tag(p, len, out))
            return true;
        if (!colon)
            return false;
        p = colon + 1;
    }
}

static bool is_set(const char *s)
{
    return s && *s;
}

hf_lang hf_lang_choose(const char *option, const char *language, const char *lc_all,
                       const char *lc_messages, const char *lang)
{
    hf_lang chosen = HF_LANG_EN;

    if (is_set(option)) {
        (void)hf_lang_parse(option, &chosen);
        return chosen;
    }
    if (is_set(language) && parse_language_list(language, &chosen))
        return chosen;

    const char *locale = is_set(lc_all) ? lc_all : is_set(lc_messages) ? lc_messages : lang;
    if (is_set(locale))
        (void)hf_lang_parse(locale, &chosen);
    return chosen;
}

const char *hf_lang_code(hf_lang lang)
{
    switch (lang) {
    case HF_LANG_PT_BR:
        return "pt-BR";
    case HF_LANG_ES:
        return "es";
    case HF_LANG_ID:
        return "id";
    case HF_LANG_EN:
    case HF_LANG_COUNT:
        break;
    }
    return "en";
}

static int compare_msg(const void *key, const void *elem)
{
    return strcmp(key, ((const hf__i18n_msg *)elem)->msgid);
}

static int compare_plural(const void *key, const void *elem)
{
    return strcmp(key, ((const hf__i18n_plural *)elem)->msgid);
}

const char *hf_tr(hf_lang lang, const char *msgid)
{
    if (!msgid || !is_lang(lang))
        return msgid;
    const hf__i18n_catalog *catalog = &hf__i18n_catalogs[lang];
    if (catalog->msg_count == 0)
        return msgid;
    const hf__i18n_msg *msg =
        bsearch(msgid, catalog->msgs, catalog->msg_count, sizeof(*msg), compare_msg);
    return msg ? msg->msgstr : msgid;
}

/* The index of the plural form for `n`, the `plural=` expression of the language's .po
 * header. pt-BR follows CLDR `pt`, where 0 is singular ("0 item"), unlike English. */
static size_t plural_form(hf_lang lang, unsigned long n)
{
    switch (lang) {
    case HF_LANG_PT_BR:
        return n > 1 ? 1 : 0;
    case HF_LANG_ID:
        return 0;
    case HF_LANG_EN:
    case HF_LANG_ES:
    case HF_LANG_COUNT:
        break;
    }
    return n != 1 ? 1 : 0;
}

const char *hf_trn(hf_lang lang, const char *singular, const char *plural, unsigned long n)
{
    const char *english = n == 1 ? singular : plural;
    if (!singular || !is_lang(lang) || lang == HF_LANG_EN)
        return english;
    const hf__i18n_catalog *catalog = &hf__i18n_catalogs[lang];
    if (catalog->plural_count == 0)
        return english;
    const hf__i18n_plural *entry =
        bsearch(singular, catalog->plurals, catalog->plural_count, sizeof(*entry), compare_plural);
    if (!entry)
        return english;
    size_t form = plural_form(lang, n);
    const char *text = form < HF__I18N_MAX_FORMS ? entry->msgstr[form] : NULL;
    return text ? text : english;
}
