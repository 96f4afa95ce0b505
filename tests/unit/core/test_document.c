/* Unit tests of the document limits (src/core/document.c, hf_document_check_limits): each
 * limit at its value and one past it, with the exact path and message of the error; the
 * cases of the issue (a key nested 2,000 deep, a 1,100-byte key, 50,000 items); paths cut
 * to HF_ERROR_PATH_MAX; that every realistic document (tests/data/evaluate, or
 * HANDOFF_CASES) passes with a third of each limit; and that two documents at the limits
 * diff leaf by leaf, with every path readable by --set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/document.h"
#include "handoff/jsondiff.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string of n copies of c (a new reference). */
static json_t *filled(size_t n, char c)
{
    char *text = malloc(n + 1);
    assert_non_null(text);
    memset(text, c, n);
    text[n] = '\0';
    json_t *s = json_stringn(text, n);
    free(text);
    assert_non_null(s);
    return s;
}

/* `key` nested `depth` times around `leaf` (stolen). */
static json_t *nest(const char *key, size_t depth, json_t *leaf)
{
    for (size_t i = 0; i < depth; i++)
        leaf = json_pack("{s:o}", key, leaf);
    return leaf;
}

/* The error of checking `doc` (stolen) with the defaults: its rc, path and message. */
static void expect_refused(json_t *doc, const char *path, const char *msg)
{
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_document_check_limits(doc, NULL, &err);
    json_decref(doc);
    if (rc != HF_EINVAL)
        fail_msg("accepted (rc %d), expected `%s`: %s", rc, path, msg);
    assert_int_equal(err.rc, HF_EINVAL);
    assert_string_equal(err.path, path);
    assert_string_equal(err.msg, msg);
    /* translatable: the message is its catalog key applied to the argument */
    assert_non_null(err.msgid);
    char again[HF_ERROR_MSG_MAX];
    snprintf(again, sizeof(again), err.msgid, err.arg);
    assert_string_equal(again, err.msg);
}

static void expect_accepted(json_t *doc)
{
    hf_error err;
    hf_error_clear(&err);
    int rc = hf_document_check_limits(doc, NULL, &err);
    json_decref(doc);
    if (rc != 0)
        fail_msg("refused: `%s`: %s", err.path, err.msg);
}

static void test_defaults(void **state)
{
    (void)state;
    hf_doc_limits l;
    hf_doc_limits_default(&l);
    assert_int_equal(l.max_depth, 16);
    assert_int_equal(l.max_key_bytes, 128);
    assert_int_equal(l.max_string_bytes, 131072);
    assert_int_equal(l.max_array_items, 1000);
    assert_int_equal(l.max_members, 5000);
    assert_int_equal(l.max_total_bytes, 524288);
    assert_int_equal(l.max_indexed_bytes, 1024);
    hf_error err;
    assert_int_equal(hf_document_check_limits(NULL, &l, &err), HF_EUSAGE);
    json_t *empty = json_object();
    assert_int_equal(hf_document_check_limits(empty, &l, NULL), 0);
    assert_int_equal(hf_document_check_limits(empty, NULL, NULL), 0);
    json_decref(empty);
}

static void test_depth(void **state)
{
    (void)state;
    /* 16 steps down to the leaf: accepted; 17: refused at the 17th step. */
    expect_accepted(json_pack("{s:o}", "deal", nest("x", 15, json_integer(1))));
    expect_refused(json_pack("{s:o}", "deal", nest("x", 16, json_integer(1))),
                   "deal.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x", "nested too deep: 17 > 16 levels");
    /* An empty container at the limit is not deeper than it. */
    expect_accepted(nest("x", 16, json_array()));
    expect_refused(nest("x", 16, json_pack("[i]", 1)), "x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x[0]",
                   "nested too deep: 17 > 16 levels");
    /* The issue: a key nested 2,000 deep. The message gives the whole depth. */
    expect_refused(json_pack("{s:s,s:o}", "name", "Acme", "x", nest("x", 2000, json_true())),
                   "x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x", "nested too deep: 2001 > 16 levels");
    /* Arrays count as steps too. */
    json_t *arr = json_integer(1);
    for (int i = 0; i < 17; i++)
        arr = json_pack("[o]", arr);
    expect_refused(json_pack("{s:o}", "a", arr),
                   "a[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]",
                   "nested too deep: 18 > 16 levels");
}

static void test_key(void **state)
{
    (void)state;
    char key[1101];
    memset(key, 'k', sizeof(key) - 1);
    key[128] = '\0';
    expect_accepted(json_pack("{s:{s:i}}", "customer", key, 1));
    key[128] = 'k';
    key[129] = '\0';
    expect_refused(json_pack("{s:{s:i}}", "customer", key, 1),
                   "customer.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\xe2\x80\xa6",
                   "key too long: 129 > 128 bytes");
    /* The issue: a key of 1,100 bytes. */
    key[129] = 'k';
    key[1100] = '\0';
    expect_refused(json_pack("{s:{s:i}}", "customer", key, 1),
                   "customer.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\xe2\x80\xa6",
                   "key too long: 1100 > 128 bytes");
    /* A key that needs quoting is shown quoted; a cut never splits a character. */
    char quoted[200] = "my key ";
    size_t n = strlen(quoted);
    while (n + 2 < 140) {
        memcpy(quoted + n, "\xc3\xa9", 2); /* é */
        n += 2;
    }
    quoted[n] = '\0';
    expect_refused(
        json_pack("{s:{s:i}}", "team", quoted, 1),
        "team[\"my key \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6\"]",
        "key too long: 139 > 128 bytes");
}

static void test_string(void **state)
{
    (void)state;
    json_t *stakeholders = json_pack("[{},{},{}]");
    json_array_append_new(stakeholders, json_pack("{s:s,s:o}", "role", "champion", "notes",
                                                  filled(HF_DOC_MAX_STRING_BYTES, 'n')));
    expect_accepted(json_pack("{s:o}", "stakeholders", json_deep_copy(stakeholders)));
    json_object_set_new(json_array_get(stakeholders, 3), "notes",
                        filled(HF_DOC_MAX_STRING_BYTES + 1, 'n'));
    expect_refused(json_pack("{s:o}", "stakeholders", stakeholders), "stakeholders[3].notes",
                   "text too long: 131073 > 131072 bytes");
    /* Bytes, not characters. */
    json_t *s = json_pack("{s:s%}", "x", "\xc3\xa9\xc3\xa9", (size_t)4);
    hf_doc_limits l;
    hf_doc_limits_default(&l);
    l.max_string_bytes = 3;
    hf_error err;
    assert_int_equal(hf_document_check_limits(s, &l, &err), HF_EINVAL);
    assert_string_equal(err.msg, "text too long: 4 > 3 bytes");
    json_decref(s);
    /* A root that is not an object is the document. */
    expect_refused(filled(HF_DOC_MAX_STRING_BYTES + 1, 'r'), "document",
                   "text too long: 131073 > 131072 bytes");
}

static json_t *int_array(size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)i));
    return a;
}

static void test_array(void **state)
{
    (void)state;
    expect_accepted(json_pack("{s:{s:o}}", "meeting", "action_items", int_array(1000)));
    expect_refused(json_pack("{s:{s:o}}", "meeting", "action_items", int_array(1001)),
                   "meeting.action_items", "list too long: 1001 > 1000 items");
    /* The issue: 50,000 items. */
    expect_refused(json_pack("{s:o}", "risks", int_array(50000)), "risks",
                   "list too long: 50000 > 1000 items");
}

/* 50 lists of 98 numbers: 50 + 50 x 98 = 4,950 values; then `extra` more keys. */
static json_t *many_values(size_t extra)
{
    json_t *doc = json_object();
    char key[16];
    for (int i = 0; i < 50; i++) {
        snprintf(key, sizeof(key), "k%02d", i);
        json_object_set_new(doc, key, int_array(98));
    }
    for (size_t i = 0; i < extra; i++) {
        snprintf(key, sizeof(key), "z%02zu", i);
        json_object_set_new(doc, key, json_true());
    }
    return doc;
}

static void test_members(void **state)
{
    (void)state;
    expect_accepted(many_values(50));
    /* The first value past the limit is named, and the count is the whole. */
    expect_refused(many_values(51), "z50", "too many values: 5001 > 5000");
    expect_refused(many_values(70), "z50", "too many values: 5020 > 5000");
    /* A list over its own limit is named as such, before the count. */
    json_t *doc = many_values(60);
    json_object_set_new(doc, "big", int_array(1001));
    expect_refused(doc, "big", "list too long: 1001 > 1000 items");
}

/* An object of `parts` strings whose compact JSON is exactly `total` bytes. */
static json_t *sized(size_t total, int parts)
{
    json_t *doc = json_object();
    char key[8];
    for (int i = 0; i < parts; i++) {
        snprintf(key, sizeof(key), "p%d", i);
        json_object_set_new(doc, key, json_string(""));
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    size_t rest = total - strlen(text);
    free(text);
    for (int i = 0; i < parts; i++) {
        size_t n = rest / (size_t)(parts - i);
        snprintf(key, sizeof(key), "p%d", i);
        json_object_set_new(doc, key, filled(n, 'b'));
        rest -= n;
    }
    text = json_dumps(doc, JSON_COMPACT);
    assert_int_equal(strlen(text), total);
    free(text);
    return doc;
}

static void test_total_bytes(void **state)
{
    (void)state;
    expect_accepted(sized(HF_DOC_MAX_TOTAL_BYTES, 5));
    expect_refused(sized(HF_DOC_MAX_TOTAL_BYTES + 1, 5), "document",
                   "document too large: 524289 > 524288 bytes");
    /* Counted as stored: escapes and 17 significant digits. */
    json_t *doc = json_pack("{s:s,s:f}", "q", "\"\n", "r", 0.1);
    hf_doc_limits l;
    hf_doc_limits_default(&l);
    l.max_total_bytes = 36; /* {"q":"\"\n","r":0.10000000000000001} */
    hf_error err;
    assert_int_equal(hf_document_check_limits(doc, &l, &err), 0);
    l.max_total_bytes = 35;
    assert_int_equal(hf_document_check_limits(doc, &l, &err), HF_EINVAL);
    assert_string_equal(err.msg, "document too large: 36 > 35 bytes");
    json_decref(doc);
}

static void test_indexed(void **state)
{
    (void)state;
    static const char *const paths[][2] = {{"deal", "owner"}, {"team", "csm"}};
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 2; k++) {
            const char *field = k ? "email" : "name";
            char want[64];
            snprintf(want, sizeof(want), "%s.%s.%s", paths[i][0], paths[i][1], field);
            expect_accepted(
                json_pack("{s:{s:{s:o}}}", paths[i][0], paths[i][1], field, filled(1024, 'i')));
            expect_refused(
                json_pack("{s:{s:{s:o}}}", paths[i][0], paths[i][1], field, filled(1025, 'i')),
                want, "text too long for this field: 1025 > 1024 bytes");
        }
    }
    expect_refused(json_pack("{s:{s:o}}", "customer", "company_name", filled(3000, 'c')),
                   "customer.company_name", "text too long for this field: 3000 > 1024 bytes");
    /* other strings of that size are fine */
    expect_accepted(json_pack("{s:{s:o}}", "customer", "why_now", filled(3000, 'c')));
}

static void test_long_path_is_cut(void **state)
{
    (void)state;
    /* 3 keys of 100 bytes, then a long text: the path is 316 bytes, more than fits. */
    char key[101];
    memset(key, 'a', 100);
    key[100] = '\0';
    json_t *doc = json_pack("{s:{s:{s:{s:{s:o}}}}}", "customer", key, key, key, "notes",
                            filled(HF_DOC_MAX_STRING_BYTES + 1, 'x'));
    hf_error err;
    assert_int_equal(hf_document_check_limits(doc, NULL, &err), HF_EINVAL);
    json_decref(doc);
    size_t n = strlen(err.path);
    assert_true(n < HF_ERROR_PATH_MAX);
    assert_true(n > HF_ERROR_PATH_MAX - 8);
    /* the start and the end, around an ellipsis */
    assert_memory_equal(err.path, "customer.aaaa", 13);
    assert_non_null(strstr(err.path, "a\xe2\x80\xa6"));
    assert_string_equal(err.path + n - 10, "aaaa.notes");
}

static void test_first_problem_in_document_order(void **state)
{
    (void)state;
    expect_refused(
        json_pack("{s:o,s:o}", "a", filled(HF_DOC_MAX_STRING_BYTES + 1, 'a'), "b", int_array(2000)),
        "a", "text too long: 131073 > 131072 bytes");
    expect_refused(
        json_pack("{s:o,s:o}", "b", int_array(2000), "a", filled(HF_DOC_MAX_STRING_BYTES + 1, 'a')),
        "b", "list too long: 2000 > 1000 items");
}

/* ---- realistic documents pass with a wide margin ---- */

static const char *case_dir(void)
{
    const char *d = getenv("HANDOFF_CASES");
    return d && *d ? d : "tests/data/evaluate";
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void test_real_documents_have_room(void **state)
{
    (void)state;
    hf_doc_limits third;
    hf_doc_limits_default(&third);
    third.max_depth /= 3;
    third.max_key_bytes /= 3;
    third.max_string_bytes /= 3;
    third.max_array_items /= 3;
    third.max_members /= 3;
    third.max_total_bytes /= 3;
    third.max_indexed_bytes /= 3;
    DIR *d = opendir(case_dir());
    assert_non_null(d);
    struct dirent *de;
    int checked = 0;
    while ((de = readdir(d)) != NULL) {
        if (!has_suffix(de->d_name, ".json") || has_suffix(de->d_name, ".expected.json"))
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", case_dir(), de->d_name);
        json_t *doc = json_load_file(path, JSON_DECODE_ANY, NULL);
        if (!doc)
            continue; /* the cases of invalid JSON */
        hf_error err;
        if (hf_document_check_limits(doc, &third, &err) != 0) {
            json_decref(doc);
            closedir(d);
            fail_msg("%s: `%s`: %s", de->d_name, err.path, err.msg);
        }
        json_decref(doc);
        checked++;
    }
    closedir(d);
    assert_true(checked > 200);
}

/* ---- two documents at the limits diff leaf by leaf ---- */

/* A document at the limits: a chain 16 deep of 128-byte keys that need quoting, ending
 * in `leaf`; lists of 1,000 items; and top-level strings named `prefix`NNNN until there
 * are 5,000 values; about 500 KB in all. */
static json_t *at_the_limits(const char *leaf, char prefix)
{
    char key[HF_DOC_MAX_KEY_BYTES + 1];
    memset(key, 'k', HF_DOC_MAX_KEY_BYTES);
    key[HF_DOC_MAX_KEY_BYTES] = '\0';
    key[0] = prefix;
    key[5] = ' ';
    json_t *doc = json_object();
    json_object_set_new(doc, key, nest(key, HF_DOC_MAX_DEPTH - 1, json_string(leaf)));
    json_object_set_new(doc, "list", int_array(HF_DOC_MAX_ARRAY_ITEMS));
    size_t values = HF_DOC_MAX_DEPTH + 1 + HF_DOC_MAX_ARRAY_ITEMS;
    for (size_t i = 0; values < HF_DOC_MAX_MEMBERS; i++, values++) {
        char name[16];
        snprintf(name, sizeof(name), "%c%04zu", prefix, i);
        json_object_set_new(doc, name, filled(110, prefix));
    }
    return doc;
}

static void test_diff_at_the_limits(void **state)
{
    (void)state;
    json_t *a = at_the_limits("before", 'a'), *b = at_the_limits("after", 'b');
    /* the list differs in every item */
    json_t *list = json_object_get(b, "list");
    for (size_t i = 0; i < json_array_size(list); i++)
        json_array_set_new(list, i, json_string("changed"));
    hf_error err;
    hf_error_clear(&err);
    for (int k = 0; k < 2; k++) {
        json_t *doc = k ? b : a;
        if (hf_document_check_limits(doc, NULL, &err) != 0)
            fail_msg("`%s`: %s", err.path, err.msg);
        char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17));
        assert_true(strlen(text) > 9 * HF_DOC_MAX_TOTAL_BYTES / 10);
        free(text);
    }
    hf_doc_limits tight;
    hf_doc_limits_default(&tight);
    tight.max_members--;
    assert_int_equal(hf_document_check_limits(a, &tight, &err), HF_EINVAL);

    hf_diff d;
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_false(d.is_coarse);
    /* every top-level key but the list differs (removed, then added), every list item */
    size_t keys = json_object_size(a) - 1;
    assert_int_equal(d.count, 2 * keys + HF_DOC_MAX_ARRAY_ITEMS);
    assert_true(d.count <= HF_DIFF_MAX_ENTRIES);
    size_t longest = 0;
    for (size_t i = 0; i < d.count; i++) {
        const hf_diff_entry *e = &d.entries[i];
        size_t n = strlen(e->path);
        if (n > longest)
            longest = n;
        json_t *found = NULL;
        if (e->new_value) {
            assert_int_equal(hf_json_path_get(b, e->path, &found, &err), 0);
            assert_true(json_equal(found, e->new_value));
        } else {
            assert_int_equal(hf_json_path_get(a, e->path, &found, &err), 0);
        }
    }
    assert_int_equal(longest, 128 + 4); /* the chain is one entry: its top key differs */
    hf_diff_free(&d);

    /* the same chain with another leaf: one entry 16 keys down, its path 16 x 132 bytes */
    json_t *c = json_deep_copy(a);
    char key[HF_DOC_MAX_KEY_BYTES + 1];
    memset(key, 'k', HF_DOC_MAX_KEY_BYTES);
    key[HF_DOC_MAX_KEY_BYTES] = '\0';
    key[0] = 'a';
    key[5] = ' ';
    json_object_set_new(c, key, nest(key, HF_DOC_MAX_DEPTH - 1, json_string("other")));
    assert_int_equal(hf_document_check_limits(c, NULL, &err), 0);
    assert_int_equal(hf_json_diff(a, c, &d, &err), 0);
    assert_false(d.is_coarse);
    assert_int_equal(d.count, 1);
    assert_int_equal(strlen(d.entries[0].path), HF_DOC_MAX_DEPTH * (HF_DOC_MAX_KEY_BYTES + 4));
    json_t *found = NULL;
    assert_int_equal(hf_json_path_get(c, d.entries[0].path, &found, &err), 0);
    assert_string_equal(json_string_value(found), "other");
    /* and --set reaches it */
    assert_int_equal(hf_json_path_set(c, d.entries[0].path, json_string("set"), &err), 0);
    hf_diff_free(&d);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_string),
        cmocka_unit_test(test_array),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_total_bytes),
        cmocka_unit_test(test_indexed),
        cmocka_unit_test(test_long_path_is_cut),
        cmocka_unit_test(test_first_problem_in_document_order),
        cmocka_unit_test(test_real_documents_have_room),
        cmocka_unit_test(test_diff_at_the_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
