/* The compiled message catalog: the tables scripts/po2c.sh generates from the .po files
 * of po/ into $(BUILD)/gen/i18n_catalog.c and src/core/i18n.c searches. Internal to
 * libhandoff.
 *
 * English has no table (the msgid is the English text). Every other language has two
 * arrays, each sorted by strcmp() of msgid so a lookup is one bsearch(): the plain
 * messages, and the plural messages keyed, as in ngettext(), by the singular msgid alone.
 * The tables hold only complete translations: fuzzy and untranslated entries are left out
 * by the generator, so a missing entry always means "fall back to English". */
#ifndef HANDOFF_CORE_I18N_CATALOG_H
#define HANDOFF_CORE_I18N_CATALOG_H

#include <stddef.h>

#include "handoff/i18n.h"

/* The most plural forms a language has (en, es, pt-BR: 2; id: 1). scripts/po2c.sh reads
 * this value and rejects an entry with more forms. */
#define HF__I18N_MAX_FORMS 2

typedef struct hf__i18n_msg {
    const char *msgid;
    const char *msgstr;
} hf__i18n_msg;

/* msgstr[i] is the translation for plural form i of the language (the index its plural
 * rule in i18n.c returns); NULL past the language's number of forms. */
typedef struct hf__i18n_plural {
    const char *msgid;
    const char *msgid_plural;
    const char *msgstr[HF__I18N_MAX_FORMS];
} hf__i18n_plural;

typedef struct hf__i18n_catalog {
    const hf__i18n_msg *msgs; /* NULL when msg_count is 0 */
    size_t msg_count;
    const hf__i18n_plural *plurals; /* NULL when plural_count is 0 */
    size_t plural_count;
} hf__i18n_catalog;

/* Indexed by hf_lang; the HF_LANG_EN entry is empty. */
extern const hf__i18n_catalog hf__i18n_catalogs[HF_LANG_COUNT];

#endif
