/* Unit tests of src/core/i18n.c against the real catalog compiled from po/: lookups and
 * plural forms in each language, fallback to English, language tags and the choice
 * between --lang and the environment. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/i18n.h"

#include "core/i18n_catalog.h"

#include <string.h>

/* A long msgid that the .po files wrap over several lines. */
#define EVALUATE_HELP_MSGID                                                                        \
    "Evaluate a handoff/1 document: quality score, completeness, gate verdict, red flags and "     \
    "SLA table."

static void test_tr_each_language(void **state)
{
    (void)state;
    assert_string_equal(hf_tr(HF_LANG_EN, "Quality"), "Quality");
    assert_string_equal(hf_tr(HF_LANG_PT_BR, "Quality"), "Qualidade");
    assert_string_equal(hf_tr(HF_LANG_ES, "Quality"), "Calidad");
    assert_string_equal(hf_tr(HF_LANG_ID, "Quality"), "Kualitas");

    assert_string_equal(hf_tr(HF_LANG_EN, "Completeness"), "Completeness");
    assert_string_equal(hf_tr(HF_LANG_PT_BR, "Completeness"), "Completude");
    assert_string_equal(hf_tr(HF_LANG_ES, "Completeness"), "Completitud");
    assert_string_equal(hf_tr(HF_LANG_ID, "Completeness"), "Kelengkapan");

    assert_string_equal(hf_tr(HF_LANG_PT_BR, "Meeting"), "Reunião");
    assert_string_equal(hf_tr(HF_LANG_ES, "Meeting"), "Reunión");
    assert_string_equal(hf_tr(HF_LANG_ID, "Meeting"), "Rapat");
}

/* Entries with \" and \n escapes and one wrapped over several .po lines: the generator must
 * join the lines and keep the escapes, and sort by the decoded bytes so that bsearch finds
 * them. */
static void test_tr_multiline_escapes(void **state)
{
    (void)state;
    assert_string_equal(hf_tr(HF_LANG_PT_BR, EVALUATE_HELP_MSGID),
                        "Avalia um documento handoff/1: pontuação de qualidade, completude, "
                        "veredito de liberação, sinais de alerta e tabela de SLAs.");
    assert_string_equal(hf_tr(HF_LANG_ES, EVALUATE_HELP_MSGID),
                        "Evalúa un documento handoff/1: puntaje de calidad, completitud, "
                        "dictamen de aprobación, señales de alerta y tabla de SLA.");
    assert_string_equal(hf_tr(HF_LANG_ID, EVALUATE_HELP_MSGID),
                        "Mengevaluasi dokumen handoff/1: skor kualitas, kelengkapan, keputusan "
                        "kesiapan, tanda bahaya, dan tabel SLA.");
    assert_ptr_equal(hf_tr(HF_LANG_EN, EVALUATE_HELP_MSGID), EVALUATE_HELP_MSGID);

    assert_string_equal(hf_tr(HF_LANG_PT_BR, "%s: field `%s`: %s\n"), "%s: campo `%s`: %s\n");
    assert_string_equal(hf_tr(HF_LANG_ES, "%s: field `%s`: %s\n"), "%s: campo `%s`: %s\n");
    assert_string_equal(hf_tr(HF_LANG_ID, "%s: field `%s`: %s\n"), "%s: kolom `%s`: %s\n");

    assert_string_equal(hf_tr(HF_LANG_PT_BR, "expected an array or \"N/A\""),
                        "era esperado um array ou \"N/A\"");
    assert_string_equal(hf_tr(HF_LANG_ES, "expected an array or \"N/A\""),
                        "se esperaba un arreglo o \"N/A\"");
    assert_string_equal(hf_tr(HF_LANG_ID, "expected an array or \"N/A\""),
                        "diharapkan sebuah array atau \"N/A\"");
}

static void test_tr_fallback(void **state)
{
    (void)state;
    static const char unknown[] = "no such message in any catalog";
    /* The very pointer comes back, not a copy. */
    assert_ptr_equal(hf_tr(HF_LANG_PT_BR, unknown), unknown);
    assert_ptr_equal(hf_tr(HF_LANG_ES, unknown), unknown);
    assert_ptr_equal(hf_tr(HF_LANG_ID, unknown), unknown);
    assert_ptr_equal(hf_tr(HF_LANG_EN, "Quality"), "Quality");
    /* Near misses of existing keys: case, prefix, extension. */
    assert_string_equal(hf_tr(HF_LANG_PT_BR, "quality"), "quality");
    assert_string_equal(hf_tr(HF_LANG_PT_BR, "Qualit"), "Qualit");
    assert_string_equal(hf_tr(HF_LANG_PT_BR, "Quality "), "Quality ");
    assert_string_equal(hf_tr(HF_LANG_PT_BR, ""), "");
    /* A plural msgid is not a plain message. */
    assert_string_equal(hf_tr(HF_LANG_ES, "%d blocker"), "%d blocker");
    /* Out-of-range language and NULL msgid. */
    assert_string_equal(hf_tr(HF_LANG_COUNT, "Quality"), "Quality");
    assert_string_equal(hf_tr((hf_lang)99, "Quality"), "Quality");
    assert_null(hf_tr(HF_LANG_ES, NULL));
}

static void test_trn_english(void **state)
{
    (void)state;
    const char *one = "%d blocker", *many = "%d blockers";
    assert_ptr_equal(hf_trn(HF_LANG_EN, one, many, 0), many);
    assert_ptr_equal(hf_trn(HF_LANG_EN, one, many, 1), one);
    assert_ptr_equal(hf_trn(HF_LANG_EN, one, many, 2), many);
    assert_ptr_equal(hf_trn(HF_LANG_EN, one, many, 1000000), many);
}

/* pt-BR follows CLDR pt: 0 and 1 take the singular. */
static void test_trn_pt_br(void **state)
{
    (void)state;
    const char *one = "%d blocker", *many = "%d blockers";
    assert_string_equal(hf_trn(HF_LANG_PT_BR, one, many, 0), "%d impeditivo");
    assert_string_equal(hf_trn(HF_LANG_PT_BR, one, many, 1), "%d impeditivo");
    assert_string_equal(hf_trn(HF_LANG_PT_BR, one, many, 2), "%d impeditivos");
    assert_string_equal(hf_trn(HF_LANG_PT_BR, one, many, 21), "%d impeditivos");
}

static void test_trn_es(void **state)
{
    (void)state;
    const char *one = "%d blocker", *many = "%d blockers";
    assert_string_equal(hf_trn(HF_LANG_ES, one, many, 0), "%d impedimentos");
    assert_string_equal(hf_trn(HF_LANG_ES, one, many, 1), "%d impedimento");
    assert_string_equal(hf_trn(HF_LANG_ES, one, many, 2), "%d impedimentos");
    assert_string_equal(hf_trn(HF_LANG_ES, one, many, 11), "%d impedimentos");
}

/* Indonesian has one form for every n. */
static void test_trn_id(void **state)
{
    (void)state;
    const char *one = "%d blocker", *many = "%d blockers";
    assert_string_equal(hf_trn(HF_LANG_ID, one, many, 0), "%d hambatan");
    assert_string_equal(hf_trn(HF_LANG_ID, one, many, 1), "%d hambatan");
    assert_string_equal(hf_trn(HF_LANG_ID, one, many, 2), "%d hambatan");
    assert_string_equal(hf_trn(HF_LANG_ID, one, many, 100), "%d hambatan");
}

static void test_trn_fallback(void **state)
{
    (void)state;
    const char *one = "%d file skipped", *many = "%d files skipped";
    assert_ptr_equal(hf_trn(HF_LANG_PT_BR, one, many, 1), one);
    assert_ptr_equal(hf_trn(HF_LANG_PT_BR, one, many, 0), many);
    assert_ptr_equal(hf_trn(HF_LANG_ES, one, many, 3), many);
    assert_ptr_equal(hf_trn(HF_LANG_ID, one, many, 1), one);
    /* A plain message is not a plural entry. */
    assert_string_equal(hf_trn(HF_LANG_ES, "Quality", "Qualities", 1), "Quality");
    assert_string_equal(hf_trn(HF_LANG_ES, "Quality", "Qualities", 2), "Qualities");
    assert_ptr_equal(hf_trn(HF_LANG_COUNT, one, many, 2), many);
}

/* Whatever po/ holds, bsearch needs every table strictly increasing by strcmp (sorted, no
 * duplicates), and each plural entry needs exactly the forms of its language. */
static void test_catalog_tables(void **state)
{
    (void)state;
    static const size_t forms[HF_LANG_COUNT] = {2, 2, 2, 1};
    assert_int_equal(hf__i18n_catalogs[HF_LANG_EN].msg_count, 0);
    assert_int_equal(hf__i18n_catalogs[HF_LANG_EN].plural_count, 0);
    for (int lang = HF_LANG_PT_BR; lang < HF_LANG_COUNT; lang++) {
        const hf__i18n_catalog *c = &hf__i18n_catalogs[lang];
        assert_true(c->msg_count >= 4);
        assert_true(c->plural_count >= 1);
        for (size_t i = 0; i < c->msg_count; i++) {
            assert_non_null(c->msgs[i].msgid);
            assert_true(c->msgs[i].msgstr && c->msgs[i].msgstr[0]);
            if (i > 0 && strcmp(c->msgs[i - 1].msgid, c->msgs[i].msgid) >= 0)
                fail_msg("%s: \"%s\" is not after \"%s\"", hf_lang_code((hf_lang)lang),
                         c->msgs[i].msgid, c->msgs[i - 1].msgid);
        }
        for (size_t i = 0; i < c->plural_count; i++) {
            const hf__i18n_plural *p = &c->plurals[i];
            for (size_t f = 0; f < HF__I18N_MAX_FORMS; f++) {
                if (f < forms[lang])
                    assert_true(p->msgstr[f] && p->msgstr[f][0]);
                else
                    assert_null(p->msgstr[f]);
            }
            if (i > 0 && strcmp(c->plurals[i - 1].msgid, p->msgid) >= 0)
                fail_msg("%s: \"%s\" is not after \"%s\"", hf_lang_code((hf_lang)lang), p->msgid,
                         c->plurals[i - 1].msgid);
        }
    }
}

static void test_lang_code(void **state)
{
    (void)state;
    assert_string_equal(hf_lang_code(HF_LANG_EN), "en");
    assert_string_equal(hf_lang_code(HF_LANG_PT_BR), "pt-BR");
    assert_string_equal(hf_lang_code(HF_LANG_ES), "es");
    assert_string_equal(hf_lang_code(HF_LANG_ID), "id");
    assert_string_equal(hf_lang_code(HF_LANG_COUNT), "en");
}

/* hf_lang_parse(tag) as an int: the language, or -1 when rejected. *out must be left
 * alone on rejection, so it starts at a sentinel. */
static int parse(const char *tag)
{
    hf_lang out = (hf_lang)77;
    if (!hf_lang_parse(tag, &out)) {
        assert_int_equal(out, 77);
        return -1;
    }
    return (int)out;
}

static void test_parse_accepts(void **state)
{
    (void)state;
    static const struct {
        const char *tag;
        hf_lang lang;
    } cases[] = {
        {"en", HF_LANG_EN},
        {"EN", HF_LANG_EN},
        {"en_US.UTF-8", HF_LANG_EN},
        {"en-GB", HF_LANG_EN},
        {"C", HF_LANG_EN},
        {"c", HF_LANG_EN},
        {"POSIX", HF_LANG_EN},
        {"C.UTF-8", HF_LANG_EN},
        {"C.utf8", HF_LANG_EN},
        {"pt", HF_LANG_PT_BR},
        {"pt-BR", HF_LANG_PT_BR},
        {"pt-br", HF_LANG_PT_BR},
        {"PT_BR", HF_LANG_PT_BR},
        {"pt_BR", HF_LANG_PT_BR},
        {"pt_BR.UTF-8", HF_LANG_PT_BR},
        {"pt_BR.utf8@euro", HF_LANG_PT_BR},
        {"pt_PT", HF_LANG_PT_BR},
        {"es", HF_LANG_ES},
        {"es_MX", HF_LANG_ES},
        {"es-419", HF_LANG_ES},
        {"es_ES.ISO-8859-1", HF_LANG_ES},
        {"es_ES@euro", HF_LANG_ES},
        {"id", HF_LANG_ID},
        {"id_ID", HF_LANG_ID},
        {"id_ID.UTF-8", HF_LANG_ID},
        {"in", HF_LANG_ID},
        {"IN_id", HF_LANG_ID},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = parse(cases[i].tag);
        if (got != (int)cases[i].lang)
            fail_msg("tag \"%s\": got %d, want %d", cases[i].tag, got, (int)cases[i].lang);
    }
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const tags[] = {
        "",      "fr",      "fr_FR.UTF-8",  "ptx",        "pt-",     "pt_",   "pt.", "pt@",
        "p",     "e",       "eng",          "por",        "spa",     "ind",   " pt", "pt ",
        "pt BR", "pt:es",   "pt-BRAZILIAN", "C_US",       "POSIX-x", "en/US", "1en", "-pt",
        "_",     "english", "pt..UTF-8",    "zh-Hant-TW", /* well-formed, but not one of ours */
    };
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        int got = parse(tags[i]);
        if (got != -1)
            fail_msg("tag \"%s\": got %d, want rejection", tags[i], got);
    }
    hf_lang out = HF_LANG_ES;
    assert_false(hf_lang_parse(NULL, &out));
    assert_int_equal(out, HF_LANG_ES);
    assert_false(hf_lang_parse("pt", NULL));
}

static void test_choose_precedence(void **state)
{
    (void)state;
    /* Nothing set: English. */
    assert_int_equal(hf_lang_choose(NULL, NULL, NULL, NULL, NULL), HF_LANG_EN);
    assert_int_equal(hf_lang_choose("", "", "", "", ""), HF_LANG_EN);
    /* Each source alone. */
    assert_int_equal(hf_lang_choose("es", NULL, NULL, NULL, NULL), HF_LANG_ES);
    assert_int_equal(hf_lang_choose(NULL, "id", NULL, NULL, NULL), HF_LANG_ID);
    assert_int_equal(hf_lang_choose(NULL, NULL, "pt_BR.UTF-8", NULL, NULL), HF_LANG_PT_BR);
    assert_int_equal(hf_lang_choose(NULL, NULL, NULL, "es_MX.UTF-8", NULL), HF_LANG_ES);
    assert_int_equal(hf_lang_choose(NULL, NULL, NULL, NULL, "id_ID.UTF-8"), HF_LANG_ID);
    /* The option beats everything. */
    assert_int_equal(hf_lang_choose("pt-BR", "es", "id_ID", "es_ES", "id_ID"), HF_LANG_PT_BR);
    assert_int_equal(hf_lang_choose("en", "es", "id_ID", "es_ES", "pt_BR"), HF_LANG_EN);
    /* LANGUAGE beats the LC_* and LANG, even when the locale is C (unlike gettext). */
    assert_int_equal(hf_lang_choose(NULL, "es", "pt_BR.UTF-8", NULL, NULL), HF_LANG_ES);
    assert_int_equal(hf_lang_choose(NULL, "pt_BR", NULL, NULL, "C.UTF-8"), HF_LANG_PT_BR);
    assert_int_equal(hf_lang_choose("", "id", "", "", "es_ES.UTF-8"), HF_LANG_ID);
    /* LC_ALL beats LC_MESSAGES beats LANG. */
    assert_int_equal(hf_lang_choose(NULL, NULL, "es_ES", "pt_BR", "id_ID"), HF_LANG_ES);
    assert_int_equal(hf_lang_choose(NULL, NULL, NULL, "pt_BR", "id_ID"), HF_LANG_PT_BR);
    assert_int_equal(hf_lang_choose(NULL, NULL, "", "", "id_ID"), HF_LANG_ID);
}

static void test_choose_language_list(void **state)
{
    (void)state;
    /* The first entry that parses wins. */
    assert_int_equal(hf_lang_choose(NULL, "fr:es:pt", "id_ID", NULL, NULL), HF_LANG_ES);
    assert_int_equal(hf_lang_choose(NULL, "pt_BR:es", NULL, NULL, NULL), HF_LANG_PT_BR);
    assert_int_equal(hf_lang_choose(NULL, "::de:id", NULL, NULL, "es"), HF_LANG_ID);
    assert_int_equal(hf_lang_choose(NULL, "fr:en", NULL, NULL, "es"), HF_LANG_EN);
    assert_int_equal(hf_lang_choose(NULL, "fr:C", NULL, NULL, "es"), HF_LANG_EN);
    /* A LANGUAGE with nothing we can parse is ignored. */
    assert_int_equal(hf_lang_choose(NULL, "fr:de", NULL, NULL, "es_ES.UTF-8"), HF_LANG_ES);
    assert_int_equal(hf_lang_choose(NULL, ":", "id", NULL, NULL), HF_LANG_ID);
    assert_int_equal(hf_lang_choose(NULL, "fr", NULL, NULL, NULL), HF_LANG_EN);
}

/* The first non-empty of option, LC_ALL, LC_MESSAGES, LANG decides even when it names a
 * language we do not have: the later ones are not consulted. */
static void test_choose_first_nonempty_decides(void **state)
{
    (void)state;
    assert_int_equal(hf_lang_choose("fr", "es", "pt_BR", NULL, NULL), HF_LANG_EN);
    assert_int_equal(hf_lang_choose(NULL, NULL, "fr_FR.UTF-8", "es_ES", "pt_BR"), HF_LANG_EN);
    assert_int_equal(hf_lang_choose(NULL, NULL, NULL, "de_DE", "pt_BR"), HF_LANG_EN);
    assert_int_equal(hf_lang_choose(NULL, NULL, "C", "es_ES", "pt_BR"), HF_LANG_EN);
    assert_int_equal(hf_lang_choose(NULL, NULL, "POSIX", NULL, "id_ID"), HF_LANG_EN);
    assert_int_equal(hf_lang_choose(NULL, "fr", "de", "es", "pt"), HF_LANG_EN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tr_each_language),
        cmocka_unit_test(test_tr_multiline_escapes),
        cmocka_unit_test(test_tr_fallback),
        cmocka_unit_test(test_trn_english),
        cmocka_unit_test(test_trn_pt_br),
        cmocka_unit_test(test_trn_es),
        cmocka_unit_test(test_trn_id),
        cmocka_unit_test(test_trn_fallback),
        cmocka_unit_test(test_catalog_tables),
        cmocka_unit_test(test_lang_code),
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_choose_precedence),
        cmocka_unit_test(test_choose_language_list),
        cmocka_unit_test(test_choose_first_nonempty_decides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
