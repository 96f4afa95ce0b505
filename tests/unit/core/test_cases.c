/* Data-driven evaluation cases (tests/data/evaluate/): for each NAME.json, evaluate it
 * under NAME.protocol.json (when present) at the `now` of NAME.expected.json and compare
 * with that file — numbers by value, lists in order, objects key by key — or, for a
 * NAME.error file, expect the document (or protocol) to be refused with the field path of
 * its first line and the message of its second. Adding a case is adding files; see
 * tests/data/evaluate/README.md. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/document.h"
#include "handoff/evaluate.h"
#include "handoff/os.h"
#include "handoff/protocol.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *case_dir(void)
{
    const char *d = getenv("HANDOFF_CASES");
    return d && *d ? d : "tests/data/evaluate";
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

/* Structural equality with numbers compared by value; reports the first difference. */
static bool same(const json_t *a, const json_t *b, char *where, size_t cap, const char *path)
{
    char sub[512];
    if (json_is_number(a) && json_is_number(b)) {
        if (json_number_value(a) == json_number_value(b))
            return true;
        snprintf(where, cap, "%s: got %.17g, expected %.17g", path, json_number_value(a),
                 json_number_value(b));
        return false;
    }
    if (json_typeof(a) != json_typeof(b)) {
        char *ga = json_dumps(a, JSON_ENCODE_ANY), *gb = json_dumps(b, JSON_ENCODE_ANY);
        snprintf(where, cap, "%s: got %s, expected %s", path, ga ? ga : "?", gb ? gb : "?");
        free(ga);
        free(gb);
        return false;
    }
    if (json_is_object(a)) {
        const char *k;
        json_t *v;
        if (json_object_size(a) != json_object_size(b)) {
            snprintf(where, cap, "%s: %zu keys, expected %zu", path, json_object_size(a),
                     json_object_size(b));
            return false;
        }
        json_object_foreach((json_t *)b, k, v)
        {
            snprintf(sub, sizeof(sub), "%s.%s", path, k);
            const json_t *av = json_object_get(a, k);
            if (!av) {
                snprintf(where, cap, "%s: missing", sub);
                return false;
            }
            if (!same(av, v, where, cap, sub))
                return false;
        }
        return true;
    }
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) {
            char *ga = json_dumps(a, JSON_COMPACT), *gb = json_dumps(b, JSON_COMPACT);
            snprintf(where, cap, "%s: got %s, expected %s", path, ga ? ga : "?", gb ? gb : "?");
            free(ga);
            free(gb);
            return false;
        }
        for (size_t i = 0; i < json_array_size(a); i++) {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            if (!same(json_array_get(a, i), json_array_get(b, i), where, cap, sub))
                return false;
        }
        return true;
    }
    if (json_equal((json_t *)a, (json_t *)b))
        return true;
    char *ga = json_dumps(a, JSON_ENCODE_ANY), *gb = json_dumps(b, JSON_ENCODE_ANY);
    snprintf(where, cap, "%s: got %s, expected %s", path, ga ? ga : "?", gb ? gb : "?");
    free(ga);
    free(gb);
    return false;
}

typedef struct test_case {
    char name[256];
} test_case;

/* NAME.error: the field path on line 1, the message on line 2 (CR LF or LF). Splits
 * `text` in place; false when a line is missing. */
static bool split_error_file(char *text, const char **path, const char **msg)
{
    char *nl = strchr(text, '\n');
    if (!nl)
        return false;
    *nl = '\0';
    if (nl > text && nl[-1] == '\r')
        nl[-1] = '\0';
    *path = text;
    *msg = nl + 1;
    nl = strchr(nl + 1, '\n');
    if (!nl)
        return false;
    *nl = '\0';
    if (nl[-1] == '\r')
        nl[-1] = '\0';
    return **path && **msg;
}

/* The refusal `err` is the one the .error file states. */
static void expect_refusal(const char *name, const char *what, const hf_error *err,
                           char *expected_error)
{
    const char *path = "", *msg = "";
    bool is_well_formed = split_error_file(expected_error, &path, &msg);
    bool same_path = strcmp(err->path, path) == 0, same_msg = strcmp(err->msg, msg) == 0;
    char want[HF_ERROR_PATH_MAX + HF_ERROR_MSG_MAX + 8];
    snprintf(want, sizeof(want), "`%s`: %s", path, msg);
    free(expected_error); /* before fail_msg, which does not return */
    if (!is_well_formed)
        fail_msg("%s.error: expected a field path line and a message line", name);
    if (!same_path || !same_msg)
        fail_msg("%s: %s refused at `%s`: %s\n  expected %s", name, what, err->path, err->msg,
                 want);
}

static void run_case(void **state)
{
    const test_case *tc = *state;
    char path[1024], where[2048] = "";
    const char *dir = case_dir();
    size_t len;
    hf_error err;
    hf_error_clear(&err);

    hf_protocol protocol;
    snprintf(path, sizeof(path), "%s/%s.protocol.json", dir, tc->name);
    char *pbuf = slurp(path, &len);
    int prc = pbuf ? hf_protocol_parse(pbuf, len, &protocol, &err) : 0;
    if (!pbuf)
        hf_protocol_default(&protocol);
    free(pbuf);

    snprintf(path, sizeof(path), "%s/%s.error", dir, tc->name);
    char *expected_error = slurp(path, NULL);
    if (prc) {
        if (!expected_error)
            fail_msg("%s: protocol refused: %s: %s", tc->name, err.path, err.msg);
        assert_int_equal(prc, HF_EINVAL);
        expect_refusal(tc->name, "protocol", &err, expected_error);
        return;
    }

    snprintf(path, sizeof(path), "%s/%s.json", dir, tc->name);
    char *dbuf = slurp(path, &len);
    assert_non_null(dbuf);
    json_t *doc = NULL;
    int drc = hf_document_parse(dbuf, len, &doc, &err);
    free(dbuf);
    if (expected_error) {
        json_decref(doc);
        hf_protocol_free(&protocol);
        if (drc == 0) {
            free(expected_error);
            fail_msg("%s: document accepted, expected a refusal", tc->name);
        }
        assert_int_equal(drc, HF_EINVAL);
        expect_refusal(tc->name, "document", &err, expected_error);
        return;
    }
    if (drc)
        fail_msg("%s: document refused: field `%s`: %s", tc->name, err.path, err.msg);

    snprintf(path, sizeof(path), "%s/%s.expected.json", dir, tc->name);
    json_error_t jerr;
    json_t *expected = json_load_file(path, 0, &jerr);
    if (!expected)
        fail_msg("%s: %s", path, jerr.text);
    const json_t *now_v = json_object_get(expected, "now");
    hf_time now;
    assert_true(hf_value_time(now_v, &now));

    hf_evaluation ev;
    assert_int_equal(hf_evaluate(doc, &protocol, now, &ev, &err), 0);
    json_t *got = hf_evaluation_to_json(&ev);
    bool ok = same(got, expected, where, sizeof(where), "$");
    json_decref(got);
    json_decref(expected);
    json_decref(doc);
    hf_evaluation_free(&ev);
    hf_protocol_free(&protocol);
    if (!ok)
        fail_msg("%s: %s", tc->name, where);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_case(const void *a, const void *b)
{
    return strcmp(((const test_case *)a)->name, ((const test_case *)b)->name);
}

int main(void)
{
    hf_tz_set_loader(hf_tz_system_loader, NULL); /* the cases' protocols name zones */
    DIR *d = opendir(case_dir());
    if (!d) {
        fprintf(stderr, "cannot open %s\n", case_dir());
        return 1;
    }
    size_t cap = 64, n = 0;
    test_case *cases = malloc(cap * sizeof(*cases));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *f = de->d_name;
        if (!has_suffix(f, ".json") || has_suffix(f, ".expected.json") ||
            has_suffix(f, ".protocol.json"))
            continue;
        if (n == cap) {
            test_case *more = realloc(cases, (cap *= 2) * sizeof(*cases));
            if (!more) {
                free(cases);
                closedir(d);
                return 1;
            }
            cases = more;
        }
        size_t len = strlen(f) - 5;
        if (len >= sizeof(cases[n].name))
            continue;
        memcpy(cases[n].name, f, len);
        cases[n].name[len] = '\0';
        n++;
    }
    closedir(d);
    qsort(cases, n, sizeof(*cases), cmp_case);
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof(*tests));
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    int failed = n ? _cmocka_run_group_tests("evaluate_cases", tests, n, NULL, NULL) : 1;
    hf_tz_cache_clear();
    free(tests);
    free(cases);
    return failed;
}
