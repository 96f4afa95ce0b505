/* Data-driven tests of src/integrations/csv_import.c: every tests/data/csv/NAME.csv
 * (HANDOFF_CSV_DATA overrides the directory) is imported with the options of
 * NAME.expected.json and must give exactly what that file says — each normalized deal
 * with every field, each bad row with its line, column and message, in callback order;
 * the format recognized, the counts, and how the import ended. Every case is also fed one
 * byte at a time and in random chunks, which must give the very same callbacks, and a
 * whole-file error must be sticky: every later feed and the finish return it again.
 * Adding a case is adding two files; see tests/data/csv/README.md. A few calls of the API
 * that are not an import (format names, misuse) close the file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/csv_import.h"
#include "handoff/time.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* On a stop_after case, on_deal returns this once it has seen that many deals. */
#define STOP_STATUS 7

static const char *data_dir(void)
{
    const char *d = getenv("HANDOFF_CSV_DATA");
    return d && *d ? d : "tests/data/csv";
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        if (k == 0)
            break;
        n += k;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* ---- one import ---- */

typedef struct run_result {
    json_t *result;        /* what the import gave, in the shape of NAME.expected.json */
    json_t *rows;          /* borrowed from result: the callbacks in order */
    hf_csv_reader *reader; /* during the run */
    int stop_after;        /* on_deal stops after this many deals; 0: never */
    size_t deals;
    long wrong_format_line; /* a deal whose format is not the reader's, else 0 */
    long wrong_rc_line;     /* a bad row whose rc is not HF_EINVAL, else 0 */
    char sticky[256];       /* how a whole-file error failed to be sticky, else "" */
} run_result;

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int on_deal(void *ctx, const hf_csv_deal *d)
{
    run_result *res = ctx;
    char close[HF_TIME_BUFSZ];
    json_t *row = json_object();
    json_object_set_new(row, "line", json_integer(d->line));
    json_object_set_new(row, "crm_id", str_or_null(d->crm_id));
    json_object_set_new(row, "name", str_or_null(d->name));
    json_object_set_new(row, "account", str_or_null(d->account));
    json_object_set_new(row, "owner", str_or_null(d->owner));
    json_object_set_new(row, "stage", str_or_null(d->stage));
    json_object_set_new(row, "pipeline", str_or_null(d->pipeline));
    json_object_set_new(row, "type", str_or_null(d->type));
    json_object_set_new(row, "amount", d->has_amount ? json_real(d->amount) : json_null());
    json_object_set_new(row, "currency", str_or_null(d->currency));
    json_object_set_new(row, "close_date",
                        d->has_close_date ? json_string(hf_date_format(d->close_day, close))
                                          : json_null());
    json_object_set_new(row, "is_won", json_boolean(d->is_won));
    json_object_set_new(row, "is_closed", json_boolean(d->is_closed));
    json_array_append_new(res->rows, row);
    /* every deal carries the format the header was recognized as */
    if (d->format != hf_csv_reader_format(res->reader) && !res->wrong_format_line)
        res->wrong_format_line = d->line;
    res->deals++;
    if (res->stop_after && res->deals == (size_t)res->stop_after)
        return STOP_STATUS;
    return 0;
}

static int on_error(void *ctx, const hf_error *err)
{
    run_result *res = ctx;
    json_array_append_new(res->rows,
                          json_pack("{s:I,s:I,s:s}", "line", (json_int_t)err->line, "column",
                                    (json_int_t)err->column, "error", err->msg));
    if (err->rc != HF_EINVAL && !res->wrong_rc_line)
        res->wrong_rc_line = err->line;
    return 0;
}

/* A small deterministic generator for chunk sizes. */
static uint32_t next_rand(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* The options of NAME.expected.json: format, won_stages, max_field_bytes, max_columns,
 * stop_after. `won` receives the won_stages (borrowed from `options`). */
static void read_options(const json_t *options, hf_csv_options *o, const char **won, size_t won_cap,
                         int *stop_after)
{
    memset(o, 0, sizeof(*o));
    *stop_after = 0;
    won[0] = NULL;
    const json_t *v;
    if ((v = json_object_get(options, "format")) &&
        !hf_csv_format_parse(json_string_value(v), &o->format))
        fail_msg("options.format: expected auto, salesforce or hubspot");
    if ((v = json_object_get(options, "won_stages"))) {
        size_t i;
        const json_t *s;
        assert_true(json_array_size(v) < won_cap);
        json_array_foreach(v, i, s)
        {
            won[i] = json_string_value(s);
            won[i + 1] = NULL;
        }
        o->won_stages = won;
    }
    if ((v = json_object_get(options, "max_field_bytes")))
        o->max_field_bytes = (size_t)json_integer_value(v);
    if ((v = json_object_get(options, "max_columns")))
        o->max_columns = (size_t)json_integer_value(v);
    if ((v = json_object_get(options, "stop_after")))
        *stop_after = (int)json_integer_value(v);
    if ((v = json_object_get(options, "dates"))) {
        const char *d = json_string_value(v);
        o->dates = d && strcmp(d, "dmy") == 0   ? HF_CSV_DATES_DMY
                   : d && strcmp(d, "mdy") == 0 ? HF_CSV_DATES_MDY
                                                : HF_CSV_DATES_AUTO;
    }
    if ((v = json_object_get(options, "decimal"))) {
        const char *d = json_string_value(v);
        o->decimal = d && strcmp(d, "comma") == 0   ? HF_CSV_DECIMAL_COMMA
                     : d && strcmp(d, "point") == 0 ? HF_CSV_DECIMAL_POINT
                                                    : HF_CSV_DECIMAL_AUTO;
    }
}

/* Import (data, len) with `options`. split: 0 = one feed, 1 = one byte per feed, n > 1 =
 * random chunk sizes from seed n. The caller frees the result with result_free. */
static run_result *run(const char *data, size_t len, const json_t *options, unsigned split)
{
    run_result *res = calloc(1, sizeof(*res));
    assert_non_null(res);
    const char *won[32];
    hf_csv_options o;
    read_options(options, &o, won, sizeof(won) / sizeof(won[0]), &res->stop_after);
    o.on_deal = on_deal;
    o.on_error = on_error;
    o.ctx = res;
    res->rows = json_array();
    hf_csv_reader *r = hf_csv_reader_new(&o);
    assert_non_null(r);
    res->reader = r;

    hf_error err;
    hf_error_clear(&err);
    size_t off = 0;
    uint32_t seed = split;
    int rc = 0;
    while (off < len) {
        size_t n = len - off;
        if (split == 1)
            n = 1;
        else if (split > 1 && n > 1)
            n = 1 + next_rand(&seed) % (n < 300 ? n : 300);
        hf_error later;
        int again = hf_csv_reader_feed(r, data + off, n, rc ? &later : &err);
        off += n;
        if (rc && again != rc && !res->sticky[0])
            snprintf(res->sticky, sizeof(res->sticky), "a feed after the error returned %d", again);
        if (!rc)
            rc = again;
    }
    if (rc) {
        hf_error later;
        int again = hf_csv_reader_finish(r, &later);
        if ((again != rc || later.line != err.line) && !res->sticky[0])
            snprintf(res->sticky, sizeof(res->sticky),
                     "the finish after the error returned %d at line %ld", again, later.line);
    } else {
        rc = hf_csv_reader_finish(r, &err);
    }

    json_t *end = rc ? json_pack("{s:s,s:I,s:s}", "rc", hf_strerror(rc), "line",
                                 (json_int_t)err.line, "message", err.msg)
                     : json_pack("{s:s}", "rc", hf_strerror(rc));
    if (hf_csv_reader_stop_status(r))
        json_object_set_new(end, "stop_status", json_integer(hf_csv_reader_stop_status(r)));
    const hf_csv_stats *st = hf_csv_reader_stats(r);
    res->result = json_pack("{s:o,s:s,s:{s:I,s:I,s:I,s:I,s:I},s:O}", "end", end, "format",
                            hf_csv_format_name(hf_csv_reader_format(r)), "stats", "rows",
                            (json_int_t)st->rows, "good", (json_int_t)st->good, "bad",
                            (json_int_t)st->bad, "trailer", (json_int_t)st->trailer, "bytes",
                            (json_int_t)st->bytes, "rows", res->rows);
    json_decref(res->rows); /* the result holds it */
    if (st->keyed_by_name)
        json_object_set_new(res->result, "keyed_by_name", json_true());
    assert_non_null(res->result);
    hf_csv_reader_free(r);
    res->reader = NULL;
    return res;
}

static void result_free(run_result *res)
{
    if (!res)
        return;
    json_decref(res->result);
    free(res);
}

/* ---- comparing with NAME.expected.json ---- */

/* Structural equality, numbers by value; the first difference goes into `where`. */
static bool same(const json_t *got, const json_t *want, char *where, size_t cap, const char *path)
{
    char sub[256];
    if (json_is_number(got) && json_is_number(want)) {
        if (json_number_value(got) == json_number_value(want))
            return true;
    } else if (json_typeof(got) == json_typeof(want)) {
        if (json_is_object(want)) {
            const char *k;
            json_t *v;
            json_object_foreach((json_t *)want, k, v)
            {
                snprintf(sub, sizeof(sub), "%s.%s", path, k);
                if (!json_object_get(got, k)) {
                    snprintf(where, cap, "%s: missing", sub);
                    return false;
                }
                if (!same(json_object_get(got, k), v, where, cap, sub))
                    return false;
            }
            json_object_foreach((json_t *)got, k, v)
            {
                if (!json_object_get(want, k)) {
                    snprintf(where, cap, "%s.%s: not expected", path, k);
                    return false;
                }
            }
            return true;
        }
        if (json_is_array(want)) {
            size_t n = json_array_size(want), m = json_array_size(got);
            for (size_t i = 0; i < n && i < m; i++) {
                snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
                if (!same(json_array_get(got, i), json_array_get(want, i), where, cap, sub))
                    return false;
            }
            if (n == m)
                return true;
            snprintf(where, cap, "%s: %zu elements, expected %zu", path, m, n);
            return false;
        }
        if (json_equal((json_t *)got, (json_t *)want))
            return true;
    }
    char *g = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
    char *w = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(where, cap, "%s: got %s, expected %s", path, g ? g : "?", w ? w : "?");
    free(g);
    free(w);
    return false;
}

typedef struct csv_case {
    char name[256];
} csv_case;

static void run_case(void **state)
{
    const csv_case *c = *state;
    char path[1024], where[1024];
    size_t len = 0;

    snprintf(path, sizeof(path), "%s/%s.expected.json", data_dir(), c->name);
    json_error_t jerr;
    json_t *expected = json_load_file(path, 0, &jerr);
    if (!expected)
        fail_msg("%s: %s (every NAME.csv needs a NAME.expected.json)", path, jerr.text);
    snprintf(path, sizeof(path), "%s/%s.csv", data_dir(), c->name);
    char *data = slurp(path, &len);
    if (!data) {
        json_decref(expected);
        fail_msg("cannot read %s", path);
    }
    const json_t *options = json_object_get(expected, "options");
    json_t *want = json_deep_copy(expected);
    json_object_del(want, "options");
    json_object_del(want, "about");

    run_result *whole = run(data, len, options, 0);
    char *whole_text = json_dumps(whole->result, JSON_COMPACT);
    bool ok = same(whole->result, want, where, sizeof(where), "$");
    if (ok && whole->wrong_format_line) {
        snprintf(where, sizeof(where), "the deal of line %ld has another format than the file",
                 whole->wrong_format_line);
        ok = false;
    }
    if (ok && whole->wrong_rc_line) {
        snprintf(where, sizeof(where), "the bad row of line %ld is not HF_EINVAL",
                 whole->wrong_rc_line);
        ok = false;
    }
    if (ok && whole->sticky[0]) {
        snprintf(where, sizeof(where), "the whole-file error is not sticky: %s", whole->sticky);
        ok = false;
    }
    if (!ok)
        fprintf(stderr, "# %s: what the import gave:\n%s\n", c->name, whole_text);
    /* The same callbacks whatever the chunks. After a whole-file error the byte count
     * stops at the chunk that failed, so it depends on the chunks; nothing else may. */
    bool failed =
        strcmp(json_string_value(json_object_get(json_object_get(whole->result, "end"), "rc")),
               "ok") != 0;
    if (failed) {
        json_object_del(json_object_get(whole->result, "stats"), "bytes");
        free(whole_text);
        whole_text = json_dumps(whole->result, JSON_COMPACT);
    }
    for (unsigned split = 1; ok && split < 12; split++) {
        run_result *other = run(data, len, options, split);
        if (failed)
            json_object_del(json_object_get(other->result, "stats"), "bytes");
        char *text = json_dumps(other->result, JSON_COMPACT);
        if (strcmp(text, whole_text) != 0) {
            fprintf(stderr, "# %s: fed in one piece:\n%s\n# with split %u:\n%s\n", c->name,
                    whole_text, split, text);
            snprintf(where, sizeof(where), "feeding it with split %u gives other callbacks", split);
            ok = false;
        } else if (other->sticky[0]) {
            snprintf(where, sizeof(where), "with split %u, the error is not sticky: %s", split,
                     other->sticky);
            ok = false;
        }
        free(text);
        result_free(other);
    }
    free(whole_text);
    result_free(whole);
    json_decref(want);
    json_decref(expected); /* holds `options` */
    free(data);
    if (!ok)
        fail_msg("%s: %s", c->name, where);
}

/* ---- the API around imports ---- */

static void test_api(void **state)
{
    (void)state;
    hf_csv_format f = HF_CSV_HUBSPOT;
    assert_true(hf_csv_format_parse("auto", &f));
    assert_int_equal(f, HF_CSV_AUTO);
    assert_true(hf_csv_format_parse("salesforce", &f));
    assert_int_equal(f, HF_CSV_SALESFORCE);
    assert_true(hf_csv_format_parse("hubspot", &f));
    assert_int_equal(f, HF_CSV_HUBSPOT);
    assert_false(hf_csv_format_parse("pipedrive", &f));
    assert_false(hf_csv_format_parse(NULL, &f));
    assert_string_equal(hf_csv_format_name(HF_CSV_AUTO), "auto");
    assert_string_equal(hf_csv_format_name(HF_CSV_SALESFORCE), "salesforce");
    assert_string_equal(hf_csv_format_name(HF_CSV_HUBSPOT), "hubspot");

    hf_csv_reader *r = hf_csv_reader_new(NULL);
    hf_error err;
    assert_int_equal(hf_csv_reader_format(r), HF_CSV_AUTO);
    assert_int_equal(hf_csv_reader_feed(r, "Id\n1\n", 5, &err), 0);
    assert_int_equal(hf_csv_reader_format(r), HF_CSV_SALESFORCE);
    assert_int_equal(hf_csv_reader_finish(r, &err), 0);
    assert_int_equal(hf_csv_reader_finish(r, &err), 0);
    assert_int_equal(hf_csv_reader_feed(r, "2\n", 2, &err), HF_EUSAGE);
    assert_int_equal(hf_csv_reader_stats(r)->good, 1);
    assert_int_equal(hf_csv_reader_stats(r)->bytes, 5);
    assert_int_equal(hf_csv_reader_stop_status(r), 0);
    hf_csv_reader_free(r);
    hf_csv_reader_free(NULL);

    hf_csv_options bad = {.format = (hf_csv_format)9};
    r = hf_csv_reader_new(&bad);
    assert_int_equal(hf_csv_reader_feed(r, "Id\n", 3, &err), HF_EUSAGE);
    hf_csv_reader_free(r);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_case(const void *a, const void *b)
{
    return strcmp(((const csv_case *)a)->name, ((const csv_case *)b)->name);
}

int main(void)
{
    DIR *d = opendir(data_dir());
    if (!d) {
        fprintf(stderr, "cannot open %s\n", data_dir());
        return 1;
    }
    size_t cap = 64, n = 0;
    csv_case *cases = malloc(cap * sizeof(*cases));
    if (!cases) {
        closedir(d);
        return 1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *f = de->d_name;
        size_t flen = strlen(f);
        if (!has_suffix(f, ".csv") || flen - 4 >= sizeof(cases[0].name))
            continue;
        if (n == cap) {
            csv_case *more = realloc(cases, (cap *= 2) * sizeof(*cases));
            if (!more) {
                free(cases);
                closedir(d);
                return 1;
            }
            cases = more;
        }
        memcpy(cases[n].name, f, flen - 4);
        cases[n].name[flen - 4] = '\0';
        n++;
    }
    closedir(d);
    if (n == 0) {
        fprintf(stderr, "no NAME.csv in %s\n", data_dir());
        free(cases);
        return 1;
    }
    qsort(cases, n, sizeof(*cases), cmp_case);
    struct CMUnitTest *tests = calloc(n + 1, sizeof(*tests));
    if (!tests) {
        free(cases);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    tests[n].name = "api";
    tests[n].test_func = test_api;
    int failed = _cmocka_run_group_tests("csv_import", tests, n + 1, NULL, NULL);
    free(tests);
    free(cases);
    return failed;
}
