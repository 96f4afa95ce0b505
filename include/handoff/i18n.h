/* Languages and message catalogs.
 *
 * Every text a person reads exists in English, Brazilian Portuguese, Spanish and
 * Indonesian. The catalogs are gettext `.po` files under po/ (the format translators'
 * tools read); the build compiles them into a read-only C table (scripts/po2c.sh), so a
 * lookup needs no locale installed on the machine, no files at run time, and is
 * thread-safe: the server can answer each request in its own language. */
#ifndef HANDOFF_I18N_H
#define HANDOFF_I18N_H

#include <stdbool.h>

typedef enum hf_lang {
    HF_LANG_EN = 0,
    HF_LANG_PT_BR,
    HF_LANG_ES,
    HF_LANG_ID,
    HF_LANG_COUNT
} hf_lang;

/* Mark a string for extraction by xgettext without translating it here. */
#define N_(s) (s)

/* Parse a language tag or locale name: `en`, `pt-BR`, `pt_BR.UTF-8`, `pt`, `es_MX`, `id`,
 * `id_ID`, `in` (old code of Indonesian); case-insensitive. `C`, `POSIX` and `C.UTF-8`
 * mean English. Only the two-letter language decides: any region, codeset (`.UTF-8`) or
 * modifier (`@euro`) is accepted, so `pt_PT` gives pt-BR and `es-419` gives es. Returns
 * true and sets *out when the tag names one of the four languages; otherwise (`fr`,
 * `ptx`, the empty string, NULL, a malformed tag) returns false and leaves *out alone. */
bool hf_lang_parse(const char *tag, hf_lang *out);

/* Choose the language from `option` (a --lang value) and the values of the environment
 * variables LANGUAGE, LC_ALL, LC_MESSAGES and LANG, the way gettext does:
 *
 * - a non-empty `option` decides: its language, or English when hf_lang_parse rejects it
 *   (a caller that wants to report a bad --lang checks it with hf_lang_parse first);
 * - then LANGUAGE, a colon-separated list (`pt_BR:es`): its first entry that
 *   hf_lang_parse accepts; when no entry parses, LANGUAGE is ignored;
 * - then the first non-empty of LC_ALL, LC_MESSAGES, LANG decides: its language, or
 *   English when it names another one (LC_ALL=fr_FR.UTF-8 LANG=pt_BR.UTF-8 gives English,
 *   as gettext would show a French user untranslated text rather than Portuguese);
 * - else English.
 *
 * Unlike gettext, LANGUAGE is honoured even when the locale is `C` or unset: the tables
 * need no installed locale, so LANGUAGE=pt_BR alone is enough. Any argument may be NULL
 * or empty. Pure: the caller passes the environment values. */
hf_lang hf_lang_choose(const char *option, const char *language, const char *lc_all,
                       const char *lc_messages, const char *lang);

/* BCP 47 code: "en", "pt-BR", "es", "id" (static; "en" for a value out of range). */
const char *hf_lang_code(hf_lang lang);

/* The translation of `msgid` in `lang`, or `msgid` itself when there is none (English is
 * the msgid). The returned string is static. */
const char *hf_tr(hf_lang lang, const char *msgid);

/* Plural form: the translation of `singular` / `plural` for `n` with the language's
 * plural rule (en, es: n != 1; pt-BR: n > 1, so 0 is singular; id: one form). As with
 * ngettext(), the catalog entry is found by `singular` alone; without one, English:
 * `singular` when n == 1, else `plural`. The returned string is static. */
const char *hf_trn(hf_lang lang, const char *singular, const char *plural, unsigned long n);

#endif
