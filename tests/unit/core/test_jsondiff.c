/* Unit tests of src/core/jsondiff.c: diffs of nested objects and arrays, type changes,
 * number equality, quoted keys and the size caps; path set/get/remove with intermediates,
 * appends and the exact error messages; and the value of a `--set` argument. Every test
 * frees what it builds, so the suite is leak-free under ASan. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/jsondiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!v)
        fail_msg("bad test JSON %s: %s", text, jerr.text);
    return v;
}

/* The compact JSON of v into buf, for failure messages (freed before cmocka jumps out). */
static void dump(const json_t *v, char *buf, size_t cap)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(buf, cap, "%s", text ? text : "(none)");
    free(text);
}

/* Entry i is at `path`, with `old_text`/`new_text` as JSON (NULL: absent). */
static void expect_entry(const hf_diff *d, size_t i, const char *path, const char *old_text,
                         const char *new_text)
{
    assert_true(i < d->count);
    const hf_diff_entry *e = &d->entries[i];
    assert_string_equal(e->path, path);
    const char *texts[2] = {old_text, new_text};
    const json_t *values[2] = {e->old_value, e->new_value};
    for (int k = 0; k < 2; k++) {
        if (!texts[k]) {
            assert_null(values[k]);
            continue;
        }
        assert_non_null(values[k]);
        json_t *want = load(texts[k]);
        if (!json_equal(want, values[k])) {
            char got[256];
            dump(values[k], got, sizeof(got));
            fail_msg("%s: %s is %s, expected %s", path, k ? "new" : "old", got, texts[k]);
        }
        json_decref(want);
    }
}

static void diff_texts(const char *a_text, const char *b_text, hf_diff *d)
{
    json_t *a = load(a_text), *b = load(b_text);
    hf_error err;
    hf_error_clear(&err);
    assert_int_equal(hf_json_diff(a, b, d, &err), 0);
    json_decref(a);
    json_decref(b);
}

/* ---- diff ---- */

static void test_diff_equal(void **state)
{
    (void)state;
    hf_diff d;
    diff_texts("{\"a\": 1, \"b\": {\"c\": [1, 2, {\"d\": null}]}, \"e\": \"x\"}",
               "{\"e\": \"x\", \"b\": {\"c\": [1, 2.0, {\"d\": null}]}, \"a\": 1.0}", &d);
    assert_int_equal(d.count, 0);
    assert_null(d.entries);
    hf_diff_free(&d);
    diff_texts("[]", "[]", &d);
    assert_int_equal(d.count, 0);
    hf_diff_free(&d);
}

static void test_diff_nested_objects(void **state)
{
    (void)state;
    hf_diff d;
    diff_texts("{\"deal\": {\"name\": \"Acme\", \"owner\": {\"name\": \"Ana\", \"email\": "
               "\"ana@x.com\"}, \"segment\": \"smb\"}, \"churn_risk\": \"low\", \"gone\": 1}",
               "{\"added_first\": true, \"churn_risk\": \"high\", \"deal\": {\"segment\": "
               "\"smb\", \"owner\": {\"email\": \"ana@y.com\", \"name\": \"Ana\"}, \"name\": "
               "\"Acme Corp\", \"crm_id\": \"006\"}}",
               &d);
    assert_int_equal(d.count, 6);
    /* The keys of a in their order, then those only in b in theirs. */
    expect_entry(&d, 0, "deal.name", "\"Acme\"", "\"Acme Corp\"");
    expect_entry(&d, 1, "deal.owner.email", "\"ana@x.com\"", "\"ana@y.com\"");
    expect_entry(&d, 2, "deal.crm_id", NULL, "\"006\"");
    expect_entry(&d, 3, "churn_risk", "\"low\"", "\"high\"");
    expect_entry(&d, 4, "gone", "1", NULL);
    expect_entry(&d, 5, "added_first", NULL, "true");
    hf_diff_free(&d);
}

static void test_diff_arrays(void **state)
{
    (void)state;
    hf_diff d;
    /* Growing: an element changed, two added. */
    diff_texts("{\"stakeholders\": [{\"name\": \"A\"}, {\"name\": \"B\"}, {\"name\": \"C\"}]}",
               "{\"stakeholders\": [{\"name\": \"A\"}, {\"name\": \"B\"}, {\"name\": \"Cy\", "
               "\"title\": \"CTO\"}, {\"name\": \"D\"}, 5]}",
               &d);
    assert_int_equal(d.count, 4);
    expect_entry(&d, 0, "stakeholders[2].name", "\"C\"", "\"Cy\"");
    expect_entry(&d, 1, "stakeholders[2].title", NULL, "\"CTO\"");
    expect_entry(&d, 2, "stakeholders[3]", NULL, "{\"name\": \"D\"}");
    expect_entry(&d, 3, "stakeholders[4]", NULL, "5");
    hf_diff_free(&d);

    /* Shrinking. */
    diff_texts("{\"a\": [1, [2, 3], 4, 5]}", "{\"a\": [1, [2]]}", &d);
    assert_int_equal(d.count, 3);
    expect_entry(&d, 0, "a[1][1]", "3", NULL);
    expect_entry(&d, 1, "a[2]", "4", NULL);
    expect_entry(&d, 2, "a[3]", "5", NULL);
    hf_diff_free(&d);

    /* A root array, and an index over 9. */
    diff_texts("[0,1,2,3,4,5,6,7,8,9,10,11]", "[0,1,2,3,4,5,6,7,8,9,10,12]", &d);
    assert_int_equal(d.count, 1);
    expect_entry(&d, 0, "[11]", "11", "12");
    hf_diff_free(&d);
}

static void test_diff_type_changes(void **state)
{
    (void)state;
    hf_diff d;
    diff_texts("{\"a\": {\"x\": 1}, \"b\": [1], \"c\": \"5\", \"d\": null, \"e\": true, "
               "\"f\": {}, \"g\": 0}",
               "{\"a\": [1], \"b\": {\"x\": 1}, \"c\": 5, \"d\": \"\", \"e\": false, "
               "\"f\": [], \"g\": false}",
               &d);
    assert_int_equal(d.count, 7);
    expect_entry(&d, 0, "a", "{\"x\": 1}", "[1]");
    expect_entry(&d, 1, "b", "[1]", "{\"x\": 1}");
    expect_entry(&d, 2, "c", "\"5\"", "5");
    expect_entry(&d, 3, "d", "null", "\"\"");
    expect_entry(&d, 4, "e", "true", "false");
    expect_entry(&d, 5, "f", "{}", "[]");
    expect_entry(&d, 6, "g", "0", "false");
    hf_diff_free(&d);

    /* The whole document: the empty path. */
    diff_texts("{\"a\": 1}", "[1]", &d);
    assert_int_equal(d.count, 1);
    expect_entry(&d, 0, "", "{\"a\": 1}", "[1]");
    hf_diff_free(&d);
    diff_texts("\"x\"", "\"y\"", &d);
    expect_entry(&d, 0, "", "\"x\"", "\"y\"");
    hf_diff_free(&d);
}

static void test_diff_numbers(void **state)
{
    (void)state;
    hf_diff d;
    diff_texts("{\"a\": 1, \"b\": 1.5, \"c\": 0, \"d\": -0.0, \"e\": 96000, \"f\": 1e2}",
               "{\"a\": 1.0, \"b\": 1.50, \"c\": -0.0, \"d\": 0, \"e\": 96000.0, \"f\": 100}", &d);
    assert_int_equal(d.count, 0);
    hf_diff_free(&d);

    /* 2^53 + 1 is not 2^53.0, although converting it to a double would say so; a real at
     * or beyond 2^63 equals no integer. */
    diff_texts("{\"a\": 1, \"b\": 9007199254740993, \"c\": 9223372036854775807, \"d\": 3}",
               "{\"a\": 1.5, \"b\": 9007199254740992.0, \"c\": 9223372036854775808.0, "
               "\"d\": 3.0000001}",
               &d);
    assert_int_equal(d.count, 4);
    expect_entry(&d, 0, "a", "1", "1.5");
    expect_entry(&d, 1, "b", "9007199254740993", "9007199254740992.0");
    expect_entry(&d, 2, "c", "9223372036854775807", "9223372036854775808.0");
    expect_entry(&d, 3, "d", "3", "3.0000001");
    /* The copies keep the original types. */
    assert_true(json_is_integer(d.entries[0].old_value));
    assert_true(json_is_real(d.entries[0].new_value));
    hf_diff_free(&d);
}

static void test_diff_quoted_keys(void **state)
{
    (void)state;
    hf_diff d;
    diff_texts("{\"a.b\": 1, \"\": 1, \"team name\": {\"x[0]\": 1}, \"q\\\"k\": 1, "
               "\"back\\\\slash\": 1, \"nl\\n\\u0001\": 1, \"ação\": {\"ok-key_1\": 1}}",
               "{\"a.b\": 2, \"\": 2, \"team name\": {\"x[0]\": 2}, \"q\\\"k\": 2, "
               "\"back\\\\slash\": 2, \"nl\\n\\u0001\": 2, \"ação\": {\"ok-key_1\": 2}}",
               &d);
    assert_int_equal(d.count, 7);
    expect_entry(&d, 0, "[\"a.b\"]", "1", "2");
    expect_entry(&d, 1, "[\"\"]", "1", "2");
    expect_entry(&d, 2, "[\"team name\"][\"x[0]\"]", "1", "2");
    expect_entry(&d, 3, "[\"q\\\"k\"]", "1", "2");
    expect_entry(&d, 4, "[\"back\\\\slash\"]", "1", "2");
    expect_entry(&d, 5, "[\"nl\\n\\u0001\"]", "1", "2");
    expect_entry(&d, 6, "ação.ok-key_1", "1", "2");
    hf_diff_free(&d);
}

/* Every path a diff writes reads back through hf_json_path_get to the same value. */
static void test_diff_paths_round_trip(void **state)
{
    (void)state;
    json_t *a = load("{\"a.b\": {\"\": [1, {\"c d\": 2}]}, \"x\": {\"y\": [0, 0]}, "
                     "\"t\\\"\\\\\\t\": 1}");
    json_t *b = load("{\"a.b\": {\"\": [1, {\"c d\": 3}, 4]}, \"x\": {\"y\": [0, 1]}, "
                     "\"t\\\"\\\\\\t\": 2}");
    hf_diff d;
    assert_int_equal(hf_json_diff(a, b, &d, NULL), 0);
    assert_int_equal(d.count, 4);
    for (size_t i = 0; i < d.count; i++) {
        json_t *found = NULL;
        hf_error err;
        assert_int_equal(hf_json_path_get(b, d.entries[i].path, &found, &err), 0);
        assert_true(json_equal(found, d.entries[i].new_value));
        assert_int_equal(hf_json_path_get(a, d.entries[i].path, &found, &err),
                         d.entries[i].old_value ? 0 : HF_ENOTFOUND);
    }
    hf_diff_free(&d);
    json_decref(a);
    json_decref(b);
}

static void test_diff_to_json(void **state)
{
    (void)state;
    hf_diff d;
    diff_texts("{\"a\": 1, \"b\": null, \"c\": [1]}", "{\"a\": 2, \"c\": [1, null]}", &d);
    json_t *paths = hf_diff_paths_json(&d);
    json_t *want_paths = load("[\"a\", \"b\", \"c[1]\"]");
    assert_true(json_equal(paths, want_paths));
    json_t *full = hf_diff_to_json(&d);
    /* A removed null keeps "old": null; an added null has "new": null; absent sides are
     * left out. */
    json_t *want_full =
        load("[{\"path\": \"a\", \"old\": 1, \"new\": 2}, {\"path\": \"b\", \"old\": null}, "
             "{\"path\": \"c[1]\", \"new\": null}]");
    assert_true(json_equal(full, want_full));
    /* The JSON is independent of the diff. */
    hf_diff_free(&d);
    assert_int_equal(json_array_size(full), 3);
    json_decref(paths);
    json_decref(want_paths);
    json_decref(full);
    json_decref(want_full);

    hf_diff empty = {0};
    paths = hf_diff_paths_json(&empty);
    assert_int_equal(json_array_size(paths), 0);
    json_decref(paths);
    full = hf_diff_to_json(NULL);
    assert_true(json_is_array(full));
    assert_int_equal(json_array_size(full), 0);
    json_decref(full);
}

static void test_diff_free_twice(void **state)
{
    (void)state;
    hf_diff d;
    diff_texts("{\"a\": 1}", "{\"a\": 2}", &d);
    hf_diff_free(&d);
    assert_null(d.entries);
    assert_int_equal(d.count, 0);
    hf_diff_free(&d);
    hf_diff_free(NULL);
}

static void test_diff_values_are_copies(void **state)
{
    (void)state;
    json_t *a = load("{\"s\": {\"x\": 1}}"), *b = load("{\"s\": [1]}");
    hf_diff d;
    assert_int_equal(hf_json_diff(a, b, &d, NULL), 0);
    json_decref(a);
    json_decref(b);
    expect_entry(&d, 0, "s", "{\"x\": 1}", "[1]");
    hf_diff_free(&d);
}

static json_t *int_array(size_t n, json_int_t base)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_integer(base + (json_int_t)i));
    return arr;
}

static void test_diff_entry_cap(void **state)
{
    (void)state;
    hf_diff d;
    hf_error err;
    /* Exactly the cap: listed element by element. */
    json_t *a = int_array(HF_DIFF_MAX_ENTRIES, 0), *b = int_array(HF_DIFF_MAX_ENTRIES, 1);
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_int_equal(d.count, HF_DIFF_MAX_ENTRIES);
    assert_false(d.is_coarse);
    expect_entry(&d, HF_DIFF_MAX_ENTRIES - 1, "[9999]", "9999", "10000");
    hf_diff_free(&d);
    json_decref(a);
    json_decref(b);

    /* One more: the array becomes one entry (here the whole document). */
    a = int_array(HF_DIFF_MAX_ENTRIES + 1, 0);
    b = json_array();
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_int_equal(d.count, 1);
    assert_true(d.is_coarse);
    assert_string_equal(d.entries[0].path, "");
    assert_true(json_equal(d.entries[0].old_value, a));
    assert_true(json_equal(d.entries[0].new_value, b));
    hf_diff_free(&d);
    assert_false(d.is_coarse);
    json_decref(a);
    json_decref(b);

    /* 50,000 changed items beside other changes: the fields listed before the overflow
     * stay leaf by leaf, the list is one entry, and the fields after it are listed
     * again. */
    a = json_pack("{s:s,s:o,s:{s:i}}", "name", "Acme", "items", int_array(50000, 0), "deal", "acv",
                  1);
    b = json_pack("{s:s,s:o,s:{s:i}}", "name", "Acme Corp", "items", int_array(50000, 1), "deal",
                  "acv", 2);
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_true(d.is_coarse);
    assert_int_equal(d.count, 3);
    expect_entry(&d, 0, "name", "\"Acme\"", "\"Acme Corp\"");
    assert_string_equal(d.entries[1].path, "items");
    assert_int_equal(json_array_size(d.entries[1].old_value), 50000);
    assert_int_equal(json_integer_value(json_array_get(d.entries[1].new_value, 49999)), 50000);
    expect_entry(&d, 2, "deal.acv", "1", "2");
    hf_diff_free(&d);

    /* Two lists of 6,000 changes each: the first fits, the second is one entry. */
    json_decref(a);
    json_decref(b);
    a = json_pack("{s:o,s:o}", "x", int_array(6000, 0), "y", int_array(6000, 0));
    b = json_pack("{s:o,s:o}", "x", int_array(6000, 1), "y", int_array(6000, 1));
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_int_equal(d.count, 6001);
    expect_entry(&d, 5999, "x[5999]", "5999", "6000");
    assert_string_equal(d.entries[6000].path, "y");
    hf_diff_free(&d);
    json_decref(a);
    json_decref(b);
}

/* `key` nested `depth` times around `leaf` (stolen). */
static json_t *nest(const char *key, int depth, json_t *leaf)
{
    for (int i = 0; i < depth; i++)
        leaf = json_pack("{s:o}", key, leaf);
    return leaf;
}

static void test_diff_path_cap(void **state)
{
    (void)state;
    hf_diff d;
    hf_error err;
    char key[HF_JSON_PATH_MAX + 2];
    /* A key of exactly the maximum length fits. */
    memset(key, 'k', HF_JSON_PATH_MAX);
    key[HF_JSON_PATH_MAX] = '\0';
    json_t *a = json_object(), *b = json_object();
    json_object_set_new(b, key, json_true());
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_int_equal(d.count, 1);
    assert_false(d.is_coarse);
    assert_int_equal(strlen(d.entries[0].path), HF_JSON_PATH_MAX);
    hf_diff_free(&d);

    /* One byte more does not: the document it is in stands for it. */
    key[HF_JSON_PATH_MAX] = 'k';
    key[HF_JSON_PATH_MAX + 1] = '\0';
    json_object_set_new(a, key, json_true());
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_int_equal(d.count, 1);
    assert_true(d.is_coarse);
    assert_string_equal(d.entries[0].path, "");
    hf_diff_free(&d);
    json_decref(a);
    json_decref(b);

    /* A short key under a long one: the long one is the entry. */
    key[HF_JSON_PATH_MAX - 1] = '\0';
    json_t *a2 = json_pack("{s:{s:i},s:s}", key, "x", 0, "name", "A");
    b = json_pack("{s:{s:i},s:s}", key, "x", 1, "name", "B");
    assert_int_equal(hf_json_diff(a2, b, &d, &err), 0);
    assert_true(d.is_coarse);
    assert_int_equal(d.count, 2);
    assert_string_equal(d.entries[0].path, key);
    expect_entry(&d, 0, key, "{\"x\": 0}", "{\"x\": 1}");
    expect_entry(&d, 1, "name", "\"A\"", "\"B\"");
    hf_diff_free(&d);
    json_decref(a2);
    json_decref(b);

    /* Deep nesting ends at the path cap, not at the stack: the deepest container whose
     * path fits stands for what changed below it. */
    json_t *deep_a = json_integer(1), *deep_b = json_integer(2);
    for (int i = 0; i < 1500; i++) {
        deep_a = json_pack("[o]", deep_a);
        deep_b = json_pack("[o]", deep_b);
    }
    assert_int_equal(hf_json_diff(deep_a, deep_b, &d, &err), 0);
    assert_int_equal(d.count, 1);
    assert_true(d.is_coarse);
    assert_int_equal(strlen(d.entries[0].path), HF_JSON_PATH_MAX / 3 * 3); /* [0][0]... */
    json_t *found = NULL;
    assert_int_equal(hf_json_path_get(deep_b, d.entries[0].path, &found, &err), HF_EINVAL);
    hf_diff_free(&d);
    json_decref(deep_a);
    json_decref(deep_b);

    /* The handoff that used to be stuck: a key nested 2,000 deep is in both versions and
     * did not change, so an edit elsewhere is listed exactly. */
    a = json_pack("{s:s,s:o}", "name", "A", "x", nest("ab", 2000, json_integer(1)));
    b = json_pack("{s:s,s:o}", "name", "B", "x", nest("ab", 2000, json_integer(1)));
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_false(d.is_coarse);
    assert_int_equal(d.count, 1);
    expect_entry(&d, 0, "name", "\"A\"", "\"B\"");
    hf_diff_free(&d);
    /* Removing it is one entry at the path that fits. */
    json_object_del(b, "x");
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_int_equal(d.count, 2);
    expect_entry(&d, 0, "name", "\"A\"", "\"B\"");
    assert_string_equal(d.entries[1].path, "x");
    assert_null(d.entries[1].new_value);
    hf_diff_free(&d);
    /* Changing its leaf: one entry, the deepest container whose members' paths fit. */
    json_decref(b);
    b = json_pack("{s:s,s:o}", "name", "A", "x", nest("ab", 2000, json_integer(2)));
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_true(d.is_coarse);
    assert_int_equal(d.count, 1);
    size_t n = strlen(d.entries[0].path); /* x.ab.ab... up to the cap */
    assert_true(n <= HF_JSON_PATH_MAX && n + 3 > HF_JSON_PATH_MAX);
    assert_memory_equal(d.entries[0].path, "x.ab.ab.", 8);
    assert_int_equal(hf_json_path_get(b, d.entries[0].path, &found, &err), HF_EINVAL);
    hf_diff_free(&d);
    json_decref(a);
    json_decref(b);

    /* A 1,100-byte key added, then changed: listed at its own path. */
    char long_key[1101];
    memset(long_key, 'q', 1100);
    long_key[1100] = '\0';
    a = json_pack("{s:{}}", "customer");
    b = json_pack("{s:{s:s}}", "customer", long_key, "v1");
    assert_int_equal(hf_json_diff(a, b, &d, &err), 0);
    assert_int_equal(d.count, 1);
    assert_int_equal(strlen(d.entries[0].path), 1100 + 9);
    hf_diff_free(&d);
    json_decref(a);
    json_decref(b);
}

static void test_diff_usage(void **state)
{
    (void)state;
    hf_diff d = {(hf_diff_entry *)&d, 7, true};
    hf_error err;
    json_t *a = json_object();
    assert_int_equal(hf_json_diff(a, NULL, &d, &err), HF_EUSAGE);
    assert_int_equal(d.count, 0);
    assert_null(d.entries);
    assert_false(d.is_coarse);
    assert_int_equal(hf_json_diff(a, a, NULL, &err), HF_EUSAGE);
    json_decref(a);
}

/* ---- path set ---- */

static json_t *sample(void)
{
    return load("{\"deal\": {\"name\": \"Acme\", \"payment\": null}, \"meeting\": "
                "{\"attendees\": [{\"name\": \"A\"}, {\"name\": \"B\"}, {\"name\": \"C\"}]}, "
                "\"list\": [1, null]}");
}

static void expect_doc(const json_t *doc, const char *want_text)
{
    json_t *want = load(want_text);
    if (!json_equal(doc, want)) {
        char got[1024];
        dump(doc, got, sizeof(got));
        fail_msg("document is %s, expected %s", got, want_text);
    }
    json_decref(want);
}

static void test_set_replace_and_create(void **state)
{
    (void)state;
    json_t *doc = sample();
    hf_error err;
    assert_int_equal(hf_json_path_set(doc, "deal.name", json_string("Acme Corp"), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "commercial.acv", json_integer(96000), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "deal.owner.name", json_string("Ana"), &err), 0);
    /* A null intermediate is absent: replaced by an object. */
    assert_int_equal(hf_json_path_set(doc, "deal.payment.terms", json_string("net 30"), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "meeting.attendees[1].role", json_string("csm"), &err),
                     0);
    /* A missing array: created with its first element. */
    assert_int_equal(hf_json_path_set(doc, "risks[0].text", json_string("budget cut"), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "list[1][0]", json_true(), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "x[0][0].y", json_null(), &err), 0);
    expect_doc(doc, "{\"deal\": {\"name\": \"Acme Corp\", \"payment\": {\"terms\": \"net 30\"}, "
                    "\"owner\": {\"name\": \"Ana\"}}, \"meeting\": {\"attendees\": [{\"name\": "
                    "\"A\"}, {\"name\": \"B\", \"role\": \"csm\"}, {\"name\": \"C\"}]}, "
                    "\"list\": [1, [true]], \"commercial\": {\"acv\": 96000}, "
                    "\"risks\": [{\"text\": \"budget cut\"}], \"x\": [[{\"y\": null}]]}");
    json_decref(doc);
}

static void test_set_append(void **state)
{
    (void)state;
    json_t *doc = sample();
    hf_error err;
    assert_int_equal(
        hf_json_path_set(doc, "meeting.attendees[3]", json_pack("{s:s}", "name", "D"), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "meeting.attendees[4].name", json_string("E"), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "meeting.attendees[0]", json_string("first"), &err), 0);
    expect_doc(doc, "{\"deal\": {\"name\": \"Acme\", \"payment\": null}, \"meeting\": "
                    "{\"attendees\": [\"first\", {\"name\": \"B\"}, {\"name\": \"C\"}, "
                    "{\"name\": \"D\"}, {\"name\": \"E\"}]}, \"list\": [1, null]}");
    json_decref(doc);
}

static void test_set_quoted_keys(void **state)
{
    (void)state;
    json_t *doc = json_object();
    hf_error err;
    assert_int_equal(hf_json_path_set(doc, "[\"a.b\"].c", json_integer(1), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "x[\"team name\"][\"\"]", json_integer(2), &err), 0);
    assert_int_equal(hf_json_path_set(doc, "[\"q\\\"\\u00e7\"]", json_integer(3), &err), 0);
    expect_doc(doc, "{\"a.b\": {\"c\": 1}, \"x\": {\"team name\": {\"\": 2}}, \"q\\\"ç\": 3}");
    /* A NUL in a quoted key is a key with a NUL. */
    assert_int_equal(hf_json_path_set(doc, "[\"n\\u0000l\"]", json_integer(4), &err), 0);
    assert_int_equal(json_integer_value(json_object_getn(doc, "n\0l", 3)), 4);
    assert_null(json_object_get(doc, "n"));
    json_decref(doc);
}

/* A refused edit names the prefix at fault, leaves the document unchanged, and releases
 * the value (ASan reports a leak otherwise). */
static void expect_set_error(const char *path, int rc, const char *msg, const char *err_path)
{
    json_t *doc = sample();
    json_t *before = json_deep_copy(doc);
    hf_error err;
    hf_error_clear(&err);
    assert_int_equal(hf_json_path_set(doc, path, json_pack("{s:[i]}", "v", 1), &err), rc);
    assert_int_equal(err.rc, rc);
    assert_string_equal(err.msg, msg);
    if (err_path)
        assert_string_equal(err.path, err_path);
    assert_true(json_equal(doc, before));
    json_decref(before);
    json_decref(doc);
}

static void test_set_errors(void **state)
{
    (void)state;
    expect_set_error("meeting.attendees[5]", HF_EINVAL,
                     "meeting.attendees[5]: index out of range (size 3)", "meeting.attendees[5]");
    expect_set_error("meeting.attendees[4].name", HF_EINVAL,
                     "meeting.attendees[4]: index out of range (size 3)", NULL);
    expect_set_error("new.list[1].x", HF_EINVAL, "new.list[1]: index out of range (size 0)",
                     "new.list[1]");
    expect_set_error("new.list[0][2]", HF_EINVAL, "new.list[0][2]: index out of range (size 0)",
                     NULL);
    expect_set_error("deal.name.first", HF_EINVAL, "deal.name: is a string, not an object",
                     "deal.name");
    expect_set_error("deal.name[0]", HF_EINVAL, "deal.name: is a string, not an array", NULL);
    expect_set_error("meeting.attendees.name", HF_EINVAL,
                     "meeting.attendees: is an array, not an object", NULL);
    expect_set_error("list[0].a", HF_EINVAL, "list[0]: is a number, not an object", NULL);
    expect_set_error("[0]", HF_EINVAL, "document: is an object, not an array", "document");
    expect_set_error("", HF_EINVAL, "document: cannot replace the whole document", "document");

    /* Syntax. */
    expect_set_error("deal..name", HF_EINVAL, "deal..name: empty key at byte 6", "deal..name");
    expect_set_error(".deal", HF_EINVAL, ".deal: empty key at byte 1", NULL);
    expect_set_error("deal.", HF_EINVAL, "deal.: empty key at byte 6", NULL);
    expect_set_error("a.[0]", HF_EINVAL, "a.[0]: empty key at byte 3", NULL);
    expect_set_error("a[01]", HF_EINVAL, "a[01]: index with a leading zero at byte 3", NULL);
    expect_set_error("a[1", HF_EINVAL, "a[1: missing ']' at byte 4", NULL);
    expect_set_error("a[1]b", HF_EINVAL, "a[1]b: '.' or '[' is expected at byte 5", NULL);
    expect_set_error("a[-1]", HF_EINVAL,
                     "a[-1]: an index or a quoted key is expected after '[' at byte 3", NULL);
    expect_set_error("a[]", HF_EINVAL,
                     "a[]: an index or a quoted key is expected after '[' at byte 3", NULL);
    expect_set_error("a]", HF_EINVAL, "a]: unexpected ']' at byte 2", NULL);
    expect_set_error("a[1234567890123456789]", HF_EINVAL,
                     "a[1234567890123456789]: index too large at byte 3", NULL);
    expect_set_error("deal.my name", HF_EINVAL,
                     "deal.my name: a key with a blank, quote, backslash or control character "
                     "must be quoted as [\"...\"] at byte 8",
                     NULL);
    expect_set_error("deal.name ", HF_EINVAL,
                     "deal.name : a key with a blank, quote, backslash or control character "
                     "must be quoted as [\"...\"] at byte 10",
                     NULL);
    expect_set_error("[\"abc", HF_EINVAL, "[\"abc: unterminated quoted key at byte 2", NULL);
    expect_set_error("[\"abc\\\"]", HF_EINVAL, "[\"abc\\\"]: unterminated quoted key at byte 2",
                     NULL);
    expect_set_error("[\"a\\qb\"]", HF_EINVAL,
                     "[\"a\\qb\"]: bad quoted key (a JSON string is expected) at byte 2", NULL);
    expect_set_error("[\"ab\"", HF_EINVAL, "[\"ab\": missing ']' at byte 6", NULL);
    expect_set_error("[\"ab\"x", HF_EINVAL, "[\"ab\"x: missing ']' at byte 6", NULL);
    expect_set_error("a.\xff", HF_EINVAL, "a.\xff: key is not valid UTF-8 at byte 3", NULL);
    expect_set_error("a.\xc0\xaf", HF_EINVAL, "a.\xc0\xaf: key is not valid UTF-8 at byte 3", NULL);
    expect_set_error("a.\xed\xa0\x80", HF_EINVAL,
                     "a.\xed\xa0\x80: key is not valid UTF-8 at byte 3", NULL);
}

static void test_set_limits(void **state)
{
    (void)state;
    hf_error err;
    char path[HF_JSON_PATH_MAX + 2];

    /* 64 steps are allowed, 65 are not. */
    json_t *doc = json_object();
    size_t n = 0;
    for (int i = 0; i < HF_JSON_PATH_MAX_DEPTH; i++)
        n += (size_t)snprintf(path + n, sizeof(path) - n, "%sk", i ? "." : "");
    assert_int_equal(hf_json_path_set(doc, path, json_integer(1), &err), 0);
    json_t *found = NULL;
    assert_int_equal(hf_json_path_get(doc, path, &found, &err), 0);
    assert_int_equal(json_integer_value(found), 1);
    snprintf(path + n, sizeof(path) - n, ".k");
    assert_int_equal(hf_json_path_set(doc, path, json_integer(2), &err), HF_EINVAL);
    char want[HF_JSON_PATH_MAX + 64];
    snprintf(want, sizeof(want), "%s: more than 64 steps", path);
    assert_string_equal(err.msg, want);
    assert_int_equal(hf_json_path_get(doc, path, &found, &err), HF_EINVAL);
    assert_null(found);
    json_decref(doc);

    /* 4096 bytes are allowed, 4097 are not. */
    doc = json_object();
    memset(path, 'p', HF_JSON_PATH_MAX);
    path[HF_JSON_PATH_MAX] = '\0';
    assert_int_equal(hf_json_path_set(doc, path, json_integer(1), &err), 0);
    path[HF_JSON_PATH_MAX] = 'p';
    path[HF_JSON_PATH_MAX + 1] = '\0';
    assert_int_equal(hf_json_path_set(doc, path, json_integer(1), &err), HF_EINVAL);
    assert_string_equal(err.msg, "path longer than 4096 bytes");
    assert_int_equal(json_object_size(doc), 1);
    json_decref(doc);
}

static void test_set_usage(void **state)
{
    (void)state;
    hf_error err;
    json_t *doc = json_object();
    assert_int_equal(hf_json_path_set(NULL, "a", json_integer(1), &err), HF_EUSAGE);
    assert_int_equal(hf_json_path_set(doc, "a", NULL, &err), HF_EUSAGE);
    assert_int_equal(hf_json_path_set(doc, NULL, json_integer(1), &err), HF_EUSAGE);
    assert_int_equal(hf_json_path_set(doc, "a", json_integer(1), NULL), 0);
    assert_int_equal(hf_json_path_set(doc, "a b", json_integer(1), NULL), HF_EINVAL);
    /* A root that is not a container. */
    json_t *scalar = json_integer(5);
    assert_int_equal(hf_json_path_set(scalar, "a", json_integer(1), &err), HF_EINVAL);
    assert_string_equal(err.msg, "document: is a number, not an object");
    json_decref(scalar);
    json_decref(doc);
}

/* ---- path get / remove ---- */

static void test_get(void **state)
{
    (void)state;
    json_t *doc = sample();
    json_t *found = NULL;
    hf_error err;
    assert_int_equal(hf_json_path_get(doc, "meeting.attendees[2].name", &found, &err), 0);
    assert_string_equal(json_string_value(found), "C");
    /* Borrowed: the very node of the document. */
    json_t *attendees = json_object_get(json_object_get(doc, "meeting"), "attendees");
    assert_ptr_equal(found, json_object_get(json_array_get(attendees, 2), "name"));
    assert_int_equal(hf_json_path_get(doc, "", &found, &err), 0);
    assert_ptr_equal(found, doc);
    /* A null leaf is found (it is there); a null intermediate is not. */
    assert_int_equal(hf_json_path_get(doc, "deal.payment", &found, &err), 0);
    assert_true(json_is_null(found));
    assert_int_equal(hf_json_path_get(doc, "deal.payment.terms", &found, &err), HF_ENOTFOUND);
    assert_string_equal(err.msg, "deal.payment: not found");
    assert_null(found);

    assert_int_equal(hf_json_path_get(doc, "deal.foo", &found, &err), HF_ENOTFOUND);
    assert_string_equal(err.msg, "deal.foo: not found");
    assert_string_equal(err.path, "deal.foo");
    assert_int_equal(hf_json_path_get(doc, "deal.foo.bar", &found, &err), HF_ENOTFOUND);
    assert_string_equal(err.msg, "deal.foo: not found");
    assert_int_equal(hf_json_path_get(doc, "meeting.attendees[3]", &found, &err), HF_ENOTFOUND);
    assert_string_equal(err.msg, "meeting.attendees[3]: index out of range (size 3)");
    assert_int_equal(hf_json_path_get(doc, "meeting.attendees[7].name", &found, &err),
                     HF_ENOTFOUND);
    assert_string_equal(err.msg, "meeting.attendees[7]: index out of range (size 3)");
    assert_int_equal(hf_json_path_get(doc, "deal.name.x", &found, &err), HF_EINVAL);
    assert_string_equal(err.msg, "deal.name: is a string, not an object");
    assert_int_equal(hf_json_path_get(doc, "deal[0]", &found, &err), HF_EINVAL);
    assert_string_equal(err.msg, "deal: is an object, not an array");
    assert_int_equal(hf_json_path_get(doc, "deal..x", &found, &err), HF_EINVAL);
    assert_int_equal(hf_json_path_get(doc, "deal.x", NULL, &err), HF_EUSAGE);
    json_decref(doc);
}

static void test_remove(void **state)
{
    (void)state;
    json_t *doc = sample();
    hf_error err;
    assert_int_equal(hf_json_path_remove(doc, "meeting.attendees[0]", &err), 0);
    assert_int_equal(hf_json_path_remove(doc, "deal.name", &err), 0);
    assert_int_equal(hf_json_path_remove(doc, "list[1]", &err), 0);
    expect_doc(doc, "{\"deal\": {\"payment\": null}, \"meeting\": {\"attendees\": "
                    "[{\"name\": \"B\"}, {\"name\": \"C\"}]}, \"list\": [1]}");

    assert_int_equal(hf_json_path_remove(doc, "deal.name", &err), HF_ENOTFOUND);
    assert_string_equal(err.msg, "deal.name: not found");
    assert_int_equal(hf_json_path_remove(doc, "meeting.attendees[2]", &err), HF_ENOTFOUND);
    assert_string_equal(err.msg, "meeting.attendees[2]: index out of range (size 2)");
    assert_int_equal(hf_json_path_remove(doc, "deal.payment.terms", &err), HF_ENOTFOUND);
    assert_string_equal(err.msg, "deal.payment: not found");
    assert_int_equal(hf_json_path_remove(doc, "list.x", &err), HF_EINVAL);
    assert_string_equal(err.msg, "list: is an array, not an object");
    assert_int_equal(hf_json_path_remove(doc, "", &err), HF_EINVAL);
    assert_string_equal(err.msg, "document: cannot remove the whole document");
    assert_int_equal(hf_json_path_remove(doc, "a[", &err), HF_EINVAL);
    assert_int_equal(hf_json_path_remove(NULL, "a", &err), HF_EUSAGE);

    assert_int_equal(hf_json_path_remove(doc, "deal", NULL), 0);
    assert_int_equal(hf_json_path_remove(doc, "meeting", NULL), 0);
    assert_int_equal(hf_json_path_remove(doc, "list", NULL), 0);
    assert_int_equal(json_object_size(doc), 0);
    json_decref(doc);
}

/* ---- --set values ---- */

static void expect_arg(const char *text, const char *want_json)
{
    json_t *v = hf_json_value_from_arg(text);
    assert_non_null(v);
    json_t *want = load(want_json);
    if (!json_equal(v, want)) {
        char got[256];
        dump(v, got, sizeof(got));
        fail_msg("--set value %s gave %s, expected %s", text, got, want_json);
    }
    json_decref(want);
    json_decref(v);
}

static void test_value_from_arg(void **state)
{
    (void)state;
    expect_arg("96000", "96000");
    expect_arg("-3", "-3");
    expect_arg("1.5", "1.5");
    expect_arg("1e3", "1000.0");
    expect_arg("true", "true");
    expect_arg("false", "false");
    expect_arg("null", "null");
    expect_arg("\"quoted\"", "\"quoted\"");
    expect_arg("\"12\"", "\"12\"");
    expect_arg("[1, \"a\"]", "[1, \"a\"]");
    expect_arg("{\"name\": \"Ana\", \"role\": \"csm\"}", "{\"name\": \"Ana\", \"role\": \"csm\"}");
    expect_arg(" 42 ", "42");
    /* Not a JSON value: the text itself. */
    expect_arg("Acme Corp", "\"Acme Corp\"");
    expect_arg("01234", "\"01234\"");
    expect_arg("N/A", "\"N/A\"");
    expect_arg("True", "\"True\"");
    expect_arg("", "\"\"");
    expect_arg(" ", "\" \"");
    expect_arg("12345678901234567890", "\"12345678901234567890\"");
    expect_arg("1e999", "\"1e999\"");
    expect_arg("[1, 2", "\"[1, 2\"");
    expect_arg("1 2", "\"1 2\"");
    expect_arg("\"unterminated", "\"\\\"unterminated\"");
    expect_arg("São Paulo", "\"São Paulo\"");
    expect_arg("NaN", "\"NaN\"");
    assert_null(hf_json_value_from_arg(NULL));
    assert_null(hf_json_value_from_arg("\xff"));

    /* Types stay: 96000 is an integer, 1.5 a real. */
    json_t *v = hf_json_value_from_arg("96000");
    assert_true(json_is_integer(v));
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff_equal),
        cmocka_unit_test(test_diff_nested_objects),
        cmocka_unit_test(test_diff_arrays),
        cmocka_unit_test(test_diff_type_changes),
        cmocka_unit_test(test_diff_numbers),
        cmocka_unit_test(test_diff_quoted_keys),
        cmocka_unit_test(test_diff_paths_round_trip),
        cmocka_unit_test(test_diff_to_json),
        cmocka_unit_test(test_diff_free_twice),
        cmocka_unit_test(test_diff_values_are_copies),
        cmocka_unit_test(test_diff_entry_cap),
        cmocka_unit_test(test_diff_path_cap),
        cmocka_unit_test(test_diff_usage),
        cmocka_unit_test(test_set_replace_and_create),
        cmocka_unit_test(test_set_append),
        cmocka_unit_test(test_set_quoted_keys),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_set_limits),
        cmocka_unit_test(test_set_usage),
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_value_from_arg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
