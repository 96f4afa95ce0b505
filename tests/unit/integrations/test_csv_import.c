/* Unit tests of src/integrations/csv_import.c against the export fixtures in
 * tests/data/csv/ (HANDOFF_CSV_DATA overrides the directory): exact deal values, exact
 * error positions and messages, the report trailer, and that feeding the same bytes whole,
 * one byte at a time or in random chunks gives the very same callbacks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/csv_import.h"
#include "handoff/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEALS 64
#define MAX_ERRORS 64

typedef struct got_deal {
    long line;
    hf_csv_format format;
    char crm_id[64], name[128], account[64], owner[64], stage[64], pipeline[64], type[64];
    char currency[8];
    bool has_name, has_account, has_owner, has_stage, has_pipeline, has_type, has_currency;
    bool has_amount;
    double amount;
    bool has_close_date;
    char close[HF_TIME_BUFSZ];
    bool is_won, is_closed;
} got_deal;

typedef struct got_error {
    long line, column;
    char msg[HF_ERROR_MSG_MAX];
} got_error;

/* Everything one import produced. `transcript` is every callback, in order, as text. */
typedef struct run_result {
    got_deal deals[MAX_DEALS];
    size_t ndeals;
    got_error errors[MAX_ERRORS];
    size_t nerrors;
    char *transcript;
    size_t tlen, tcap;
    hf_csv_stats stats;
    hf_csv_format format;
    int rc;
    hf_error err;
    int stop_after; /* on_deal returns 7 after this many deals; 0: never */
    int stop_status;
} run_result;

static void append(run_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(run_result *res, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof(line));
    if (res->tlen + (size_t)n + 1 > res->tcap) {
        size_t cap = res->tcap ? res->tcap * 2 : 4096;
        while (cap < res->tlen + (size_t)n + 1)
            cap *= 2;
        char *grown = realloc(res->transcript, cap);
        assert_non_null(grown);
        res->transcript = grown;
        res->tcap = cap;
    }
    memcpy(res->transcript + res->tlen, line, (size_t)n + 1);
    res->tlen += (size_t)n;
}

static const char *shown(const char *s)
{
    return s ? s : "<null>";
}

static void copy_opt(char *dst, size_t cap, bool *has, const char *s)
{
    *has = s != NULL;
    snprintf(dst, cap, "%s", s ? s : "");
}

static int on_deal(void *ctx, const hf_csv_deal *d)
{
    run_result *res = ctx;
    char close[HF_TIME_BUFSZ] = "";
    if (d->has_close_date)
        hf_date_format(d->close_day, close);
    append(res,
           "deal line=%ld format=%d id=%s name=%s account=%s owner=%s stage=%s pipeline=%s "
           "type=%s amount=%d:%.6f currency=%s close=%d:%s won=%d closed=%d\n",
           d->line, (int)d->format, shown(d->crm_id), shown(d->name), shown(d->account),
           shown(d->owner), shown(d->stage), shown(d->pipeline), shown(d->type), d->has_amount,
           d->amount, shown(d->currency), d->has_close_date, close, d->is_won, d->is_closed);
    if (res->ndeals < MAX_DEALS) {
        got_deal *g = &res->deals[res->ndeals];
        g->line = d->line;
        g->format = d->format;
        assert_non_null(d->crm_id);
        snprintf(g->crm_id, sizeof(g->crm_id), "%s", d->crm_id);
        copy_opt(g->name, sizeof(g->name), &g->has_name, d->name);
        copy_opt(g->account, sizeof(g->account), &g->has_account, d->account);
        copy_opt(g->owner, sizeof(g->owner), &g->has_owner, d->owner);
        copy_opt(g->stage, sizeof(g->stage), &g->has_stage, d->stage);
        copy_opt(g->pipeline, sizeof(g->pipeline), &g->has_pipeline, d->pipeline);
        copy_opt(g->type, sizeof(g->type), &g->has_type, d->type);
        copy_opt(g->currency, sizeof(g->currency), &g->has_currency, d->currency);
        g->has_amount = d->has_amount;
        g->amount = d->amount;
        g->has_close_date = d->has_close_date;
        snprintf(g->close, sizeof(g->close), "%s", close);
        g->is_won = d->is_won;
        g->is_closed = d->is_closed;
    }
    res->ndeals++;
    if (res->stop_after && res->ndeals == (size_t)res->stop_after)
        return 7;
    return 0;
}

static int on_error(void *ctx, const hf_error *err)
{
    run_result *res = ctx;
    append(res, "error line=%ld column=%ld rc=%d msg=%s\n", err->line, err->column, err->rc,
           err->msg);
    if (res->nerrors < MAX_ERRORS) {
        got_error *g = &res->errors[res->nerrors];
        g->line = err->line;
        g->column = err->column;
        snprintf(g->msg, sizeof(g->msg), "%s", err->msg);
    }
    res->nerrors++;
    return 0;
}

/* A small deterministic generator for chunk sizes. */
static uint32_t next_rand(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* Import `data` with `opts` (callbacks and ctx are filled in here). split: 0 = one
 * feed, 1 = one byte per feed, n > 1 = random chunk sizes from seed n. */
static run_result *run(const char *data, size_t len, const hf_csv_options *opts, unsigned split)
{
    run_result *res = calloc(1, sizeof(*res));
    assert_non_null(res);
    hf_csv_options o;
    memset(&o, 0, sizeof(o));
    if (opts)
        o = *opts;
    o.on_deal = on_deal;
    o.on_error = on_error;
    o.ctx = res;
    if (opts && opts->ctx)
        res->stop_after = *(const int *)opts->ctx;
    hf_csv_reader *r = hf_csv_reader_new(&o);
    assert_non_null(r);
    size_t off = 0;
    uint32_t seed = split;
    int rc = 0;
    while (rc == 0 && off < len) {
        size_t n = len - off;
        if (split == 1)
            n = 1;
        else if (split > 1 && n > 1)
            n = 1 + next_rand(&seed) % (n < 300 ? n : 300);
        rc = hf_csv_reader_feed(r, data + off, n, &res->err);
        off += n;
    }
    if (rc == 0)
        rc = hf_csv_reader_finish(r, &res->err);
    append(res, "end rc=%d msg=%s line=%ld\n", rc, rc ? res->err.msg : "", rc ? res->err.line : 0);
    res->rc = rc;
    res->stats = *hf_csv_reader_stats(r);
    res->format = hf_csv_reader_format(r);
    res->stop_status = hf_csv_reader_stop_status(r);
    append(res, "stats rows=%ld good=%ld bad=%ld trailer=%ld bytes=%llu\n", res->stats.rows,
           res->stats.good, res->stats.bad, res->stats.trailer,
           (unsigned long long)res->stats.bytes);
    hf_csv_reader_free(r);
    return res;
}

static void result_free(run_result *res)
{
    if (!res)
        return;
    free(res->transcript);
    free(res);
}

static char *read_fixture(const char *name, size_t *len)
{
    const char *dir = getenv("HANDOFF_CSV_DATA");
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "tests/data/csv", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            char *grown = realloc(buf, cap);
            assert_non_null(grown);
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

static run_result *run_fixture(const char *name, const hf_csv_options *opts, unsigned split)
{
    size_t len;
    char *data = read_fixture(name, &len);
    run_result *res = run(data, len, opts, split);
    free(data);
    return res;
}

static run_result *run_text(const char *text, const hf_csv_options *opts)
{
    return run(text, strlen(text), opts, 0);
}

static void assert_stats(const run_result *res, long rows, long good, long bad, long trailer)
{
    assert_int_equal(res->stats.rows, rows);
    assert_int_equal(res->stats.good, good);
    assert_int_equal(res->stats.bad, bad);
    assert_int_equal(res->stats.trailer, trailer);
    assert_int_equal(res->ndeals, (size_t)good);
    assert_int_equal(res->nerrors, (size_t)bad);
}

static void assert_amount(const got_deal *d, double amount)
{
    assert_true(d->has_amount);
    assert_true(d->amount == amount);
}

static void assert_error(const run_result *res, size_t i, long line, long column, const char *msg)
{
    assert_true(i < res->nerrors);
    assert_int_equal(res->errors[i].line, line);
    assert_int_equal(res->errors[i].column, column);
    assert_string_equal(res->errors[i].msg, msg);
}

/* ---- the fixtures ---- */

static void test_salesforce_dataloader(void **state)
{
    (void)state;
    run_result *res = run_fixture("salesforce-dataloader.csv", NULL, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_SALESFORCE);
    assert_stats(res, 4, 4, 0, 0);

    const got_deal *d = &res->deals[0];
    assert_int_equal(d->line, 2);
    assert_int_equal(d->format, HF_CSV_SALESFORCE);
    assert_string_equal(d->crm_id, "0065g00000AbCdEAAV");
    assert_string_equal(d->name, "Acme - Platform renewal");
    assert_string_equal(d->account, "0015g00000XyZ12AAB");
    assert_string_equal(d->owner, "0055g00000Own01AAA");
    assert_string_equal(d->stage, "Closed Won");
    assert_string_equal(d->type, "Existing Customer - Upgrade");
    assert_false(d->has_pipeline);
    assert_amount(d, 120000.0);
    assert_string_equal(d->currency, "USD");
    assert_string_equal(d->close, "2026-03-31");
    assert_true(d->is_won);
    assert_true(d->is_closed);

    d = &res->deals[1];
    assert_int_equal(d->line, 3);
    assert_string_equal(d->name, "Globex, Inc. - Expansion");
    assert_amount(d, 45500.5);
    assert_string_equal(d->currency, "EUR");
    assert_string_equal(d->close, "2026-04-15"); /* Bulk API datetime */
    assert_false(d->is_won);
    assert_false(d->is_closed);

    d = &res->deals[2];
    assert_int_equal(d->line, 4);
    assert_string_equal(d->stage, "Closed Lost");
    assert_amount(d, 0.0);
    assert_false(d->is_won);
    assert_true(d->is_closed);

    d = &res->deals[3];
    assert_int_equal(d->line, 5);
    assert_false(d->has_amount);
    assert_false(d->has_close_date);
    assert_false(d->has_type);
    assert_false(d->has_currency);
    result_free(res);
}

static void test_salesforce_dataloader_upper(void **state)
{
    (void)state;
    run_result *res = run_fixture("salesforce-dataloader-upper.csv", NULL, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_SALESFORCE);
    assert_stats(res, 3, 3, 0, 0);
    assert_int_equal(res->deals[0].line, 2);
    assert_string_equal(res->deals[0].crm_id, "0065g00000AbCdEAAV");
    assert_string_equal(res->deals[0].account, "0015g00000XyZ12AAB");
    assert_amount(&res->deals[0], 120000.0);
    assert_true(res->deals[0].is_won);
    assert_string_equal(res->deals[1].name, "Globex, Inc. - Expansion");
    assert_string_equal(res->deals[1].close, "2026-04-15");
    assert_amount(&res->deals[1], 45500.5);
    assert_string_equal(res->deals[1].currency, "EUR");
    assert_false(res->deals[2].is_won);
    assert_true(res->deals[2].is_closed);
    assert_int_equal(res->deals[2].line, 4);
    result_free(res);
}

static void test_salesforce_report(void **state)
{
    (void)state;
    run_result *res = run_fixture("salesforce-report.csv", NULL, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_SALESFORCE);
    /* the `""` line is blank; the five lines after it are the report trailer */
    assert_stats(res, 4, 4, 0, 5);

    const got_deal *d = &res->deals[0];
    assert_int_equal(d->line, 2);
    assert_string_equal(d->crm_id, "0065g00000AbCdEAAV");
    assert_string_equal(d->name, "Acme - Platform renewal");
    assert_string_equal(d->account, "Acme, Inc.");
    assert_string_equal(d->owner, "Maria Silva");
    assert_string_equal(d->type, "Existing Customer - Upgrade");
    assert_string_equal(d->stage, "Closed Won");
    assert_amount(d, 120000.0);
    assert_string_equal(d->currency, "USD");
    assert_string_equal(d->close, "2026-03-31");
    assert_true(d->is_won);
    assert_true(d->is_closed);

    d = &res->deals[1]; /* after a quoted newline: line 4, not 3 */
    assert_int_equal(d->line, 4);
    assert_string_equal(d->owner, "João Pereira");
    assert_amount(d, 45500.5);
    assert_string_equal(d->close, "2026-04-15");
    assert_false(d->is_closed);

    d = &res->deals[2];
    assert_int_equal(d->line, 5);
    assert_string_equal(d->stage, "Closed Lost");
    assert_string_equal(d->close, "2026-02-27");
    assert_false(d->is_won);
    assert_true(d->is_closed);

    d = &res->deals[3]; /* after a field with two quoted newlines */
    assert_int_equal(d->line, 8);
    assert_amount(d, -1250.0);
    assert_string_equal(d->close, "2026-06-30");
    result_free(res);
}

static void test_hubspot_ui(void **state)
{
    (void)state;
    run_result *res = run_fixture("hubspot-ui.csv", NULL, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_HUBSPOT);
    assert_stats(res, 4, 4, 0, 0);

    const got_deal *d = &res->deals[0];
    assert_int_equal(d->line, 2);
    assert_int_equal(d->format, HF_CSV_HUBSPOT);
    assert_string_equal(d->crm_id, "18234567001");
    assert_string_equal(d->name, "Globex - Enterprise plan");
    assert_string_equal(d->stage, "Closed Won");
    assert_string_equal(d->owner, "Ana Souza");
    assert_string_equal(d->pipeline, "Sales Pipeline");
    assert_string_equal(d->account, "Globex Corporation");
    assert_string_equal(d->close, "2026-03-31");
    assert_amount(d, 48000.0);
    assert_false(d->has_currency);
    assert_true(d->is_won);
    assert_true(d->is_closed);

    d = &res->deals[1];
    assert_string_equal(d->name, "Initech - Seats, phase 2");
    assert_string_equal(d->stage, "Contract Sent");
    assert_amount(d, 12500.75);
    assert_string_equal(d->close, "2026-05-20");
    assert_false(d->is_won);
    assert_false(d->is_closed);

    d = &res->deals[2];
    assert_false(d->is_won);
    assert_true(d->is_closed);

    d = &res->deals[3]; /* "closed won" in another case is still won */
    assert_int_equal(d->line, 5);
    assert_true(d->is_won);
    assert_amount(d, 1250000.0);
    assert_string_equal(d->pipeline, "Enterprise");
    result_free(res);
}

static void test_hubspot_api(void **state)
{
    (void)state;
    run_result *res = run_fixture("hubspot-api.csv", NULL, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_HUBSPOT);
    assert_stats(res, 4, 4, 0, 0);
    assert_string_equal(res->deals[0].stage, "closedwon");
    assert_true(res->deals[0].is_won);
    assert_string_equal(res->deals[0].close, "2026-03-31");
    assert_string_equal(res->deals[0].owner, "71234501");
    assert_string_equal(res->deals[0].pipeline, "default");
    /* a custom pipeline stage id is not won unless the caller says so */
    assert_string_equal(res->deals[1].stage, "123456789");
    assert_false(res->deals[1].is_won);
    assert_false(res->deals[1].is_closed);
    assert_false(res->deals[2].has_amount);
    assert_false(res->deals[2].is_closed);
    assert_false(res->deals[3].is_won);
    assert_true(res->deals[3].is_closed);
    result_free(res);

    static const char *const won[] = {" 123456789 ", NULL};
    hf_csv_options o = {.won_stages = won};
    res = run_fixture("hubspot-api.csv", &o, 0);
    assert_stats(res, 4, 4, 0, 0);
    assert_true(res->deals[0].is_won); /* the defaults still apply */
    assert_true(res->deals[1].is_won);
    assert_true(res->deals[1].is_closed);
    assert_false(res->deals[2].is_won);
    result_free(res);
}

static void test_excel_semicolon_bom_crlf(void **state)
{
    (void)state;
    run_result *res = run_fixture("excel-semicolon-bom-crlf.csv", NULL, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_SALESFORCE);
    assert_stats(res, 5, 5, 0, 0);

    const got_deal *d = &res->deals[0];
    assert_int_equal(d->line, 2);
    assert_string_equal(d->crm_id, "0065g00000AbCdEAAV"); /* BOM stripped from the header */
    assert_string_equal(d->name, "Acme - Renovação da plataforma");
    assert_amount(d, 1200.5);
    assert_false(d->has_currency);
    assert_string_equal(d->close, "2026-03-31");
    assert_true(d->is_won);

    d = &res->deals[1];
    assert_int_equal(d->line, 3);
    assert_string_equal(d->name, "Globex; Expansão\r\nFase 2");
    assert_amount(d, 3400.0);
    assert_string_equal(d->close, "2026-04-01");
    assert_false(d->is_closed);

    d = &res->deals[2]; /* the quoted CRLF is one line */
    assert_int_equal(d->line, 5);
    assert_amount(d, -250.0);
    assert_string_equal(d->close, "2026-02-01"); /* D/M/YYYY in a ';' file */
    assert_false(d->is_won);
    assert_true(d->is_closed);

    d = &res->deals[3]; /* after the blank line 6 */
    assert_int_equal(d->line, 7);
    assert_amount(d, 1500.0);
    assert_string_equal(d->close, "2026-07-15");
    assert_false(d->is_closed);

    d = &res->deals[4]; /* last line, no CRLF at the end */
    assert_int_equal(d->line, 8);
    assert_amount(d, 99.5); /* "99.5": cannot be a thousands separator */
    assert_string_equal(d->close, "2026-02-28");
    result_free(res);
}

static void test_hubspot_pt_br(void **state)
{
    (void)state;
    static const char *const won[] = {"FECHADO E GANHO", NULL};
    hf_csv_options o = {.won_stages = won};
    run_result *res = run_fixture("hubspot-pt-br.csv", &o, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_HUBSPOT);
    assert_stats(res, 3, 3, 0, 0);
    const got_deal *d = &res->deals[0];
    assert_string_equal(d->crm_id, "18234567101");
    assert_string_equal(d->name, "Padaria Pão Quente - Plano anual");
    assert_string_equal(d->stage, "Fechado e ganho");
    assert_string_equal(d->owner, "Ana Souza");
    assert_string_equal(d->account, "Padaria Pão Quente Ltda.");
    assert_string_equal(d->pipeline, "Pipeline de vendas");
    assert_string_equal(d->close, "2026-03-31");
    assert_amount(d, 15000.0);
    assert_true(d->is_won);
    assert_string_equal(res->deals[1].name, "Construtora Alfa, obra 2");
    assert_amount(&res->deals[1], 82500.5);
    assert_false(res->deals[1].is_won);
    /* a localized lost label is not known: only won_stages are configurable */
    assert_false(res->deals[2].is_closed);
    assert_int_equal(res->deals[2].line, 4);
    result_free(res);
}

static void test_bad_rows(void **state)
{
    (void)state;
    hf_csv_options o = {.max_field_bytes = 64};
    run_result *res = run_fixture("bad-rows.csv", &o, 0);
    assert_int_equal(res->rc, 0);
    assert_stats(res, 11, 3, 8, 0);
    assert_int_equal(res->deals[0].line, 2);
    assert_int_equal(res->deals[1].line, 8);
    assert_string_equal(res->deals[1].name, "Quoted name\nover two lines");
    assert_amount(&res->deals[1], 2500.0);
    assert_int_equal(res->deals[2].line, 11);
    assert_string_equal(res->deals[2].crm_id, "0065g00000Bad09AAA");
    assert_string_equal(res->deals[2].account, "0015g00000XyZ12AAB");
    assert_false(res->deals[2].has_stage); /* a short row: missing cells are empty */
    assert_false(res->deals[2].has_amount);

    assert_error(res, 0, 3, 1, "missing id in column \"Id\"");
    assert_error(res, 1, 4, 6, "bad date \"31/02/2026\" in column \"CloseDate\"");
    assert_error(res, 2, 5, 5, "bad amount \"12 thousand\" in column \"Amount\"");
    assert_error(res, 3, 6, 8, "bad boolean \"maybe\" in column \"IsWon\"");
    assert_error(res, 4, 7, 10, "too many fields: 10 where the header has 9");
    assert_error(res, 5, 10, 2, "field longer than 64 bytes in column \"Name\"");
    assert_error(res, 6, 13, 6, "bad date \"2026-13-01\" in column \"CloseDate\"");
    assert_error(res, 7, 14, 2, "unterminated quoted field in column \"Name\"");
    result_free(res);
}

/* ---- chunking never changes a result ---- */

static void assert_same_any_split(const char *name, const hf_csv_options *o)
{
    run_result *whole = run_fixture(name, o, 0);
    assert_int_equal(whole->rc, 0);
    for (unsigned split = 1; split < 12; split++) {
        run_result *other = run_fixture(name, o, split);
        if (strcmp(whole->transcript, other->transcript) != 0)
            fail_msg("%s split %u differs:\n%s\n---\n%s", name, split, whole->transcript,
                     other->transcript);
        result_free(other);
    }
    result_free(whole);
}

static void test_byte_at_a_time(void **state)
{
    (void)state;
    static const char *const won[] = {"123456789", "Fechado e ganho", NULL};
    hf_csv_options o = {.won_stages = won};
    hf_csv_options small = {.max_field_bytes = 64};
    assert_same_any_split("salesforce-dataloader.csv", &o);
    assert_same_any_split("salesforce-dataloader-upper.csv", &o);
    assert_same_any_split("salesforce-report.csv", &o);
    assert_same_any_split("hubspot-ui.csv", &o);
    assert_same_any_split("hubspot-api.csv", &o);
    assert_same_any_split("excel-semicolon-bom-crlf.csv", &o);
    assert_same_any_split("hubspot-pt-br.csv", &o);
    assert_same_any_split("bad-rows.csv", &small);
    assert_same_any_split("bad-rows.csv", &o);
}

/* ---- whole-file errors ---- */

static void test_header_without_id(void **state)
{
    (void)state;
    run_result *res = run_text("Name,StageName,Amount\nAcme,Closed Won,100\n", NULL);
    assert_int_equal(res->rc, HF_EINVAL);
    assert_int_equal(res->err.rc, HF_EINVAL);
    assert_int_equal(res->err.line, 1);
    assert_string_equal(res->err.msg,
                        "missing id column in the header: expected \"Id\" or \"Opportunity ID\", "
                        "or \"Record ID\", \"Deal ID\", \"hs_object_id\", \"ID do registro\", "
                        "\"ID de registro\" or \"ID del registro\"");
    assert_stats(res, 0, 0, 0, 0);
    assert_int_equal(res->format, HF_CSV_AUTO);
    result_free(res);

    /* the same message whatever the chunks; the error is sticky */
    hf_csv_reader *r = hf_csv_reader_new(NULL);
    hf_error err;
    assert_int_equal(hf_csv_reader_feed(r, "Name,Amount\r", 12, &err), HF_EINVAL);
    assert_int_equal(err.line, 1);
    assert_int_equal(hf_csv_reader_feed(r, "\nx,1\n", 5, &err), HF_EINVAL);
    assert_int_equal(hf_csv_reader_finish(r, &err), HF_EINVAL);
    assert_int_equal(err.line, 1);
    hf_csv_reader_free(r);

    /* an explicit format lists only its own id headers */
    hf_csv_options o = {.format = HF_CSV_HUBSPOT};
    res = run_text("Deal Name,Amount\nx,1\n", &o);
    assert_int_equal(res->rc, HF_EINVAL);
    assert_string_equal(res->err.msg,
                        "missing id column in the header: expected \"Record ID\", \"Deal ID\", "
                        "\"hs_object_id\", \"ID do registro\", \"ID de registro\" or \"ID del "
                        "registro\"");
    result_free(res);
}

static void test_explicit_format(void **state)
{
    (void)state;
    hf_csv_options hs = {.format = HF_CSV_HUBSPOT};
    run_result *res = run_fixture("salesforce-dataloader.csv", &hs, 0);
    assert_int_equal(res->rc, HF_EINVAL);
    assert_int_equal(res->err.line, 1);
    assert_string_equal(res->err.msg,
                        "header does not match the hubspot format: \"Id\" is a header of the "
                        "other format");
    assert_int_equal(res->ndeals, 0);
    result_free(res);

    hf_csv_options sf = {.format = HF_CSV_SALESFORCE};
    res = run_fixture("hubspot-ui.csv", &sf, 0);
    assert_int_equal(res->rc, HF_EINVAL);
    assert_string_equal(res->err.msg, "header does not match the salesforce format: \"Record "
                                      "ID\" is a header of the other format");
    result_free(res);

    res = run_fixture("salesforce-report.csv", &sf, 0);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_SALESFORCE);
    assert_int_equal(res->stats.good, 4);
    result_free(res);

    /* with both ids present, the explicit format picks its own */
    res = run_text("Record ID,Id,Deal Stage,StageName\nH1,S1,closedwon,Prospecting\n", &hs);
    assert_int_equal(res->rc, 0);
    assert_string_equal(res->deals[0].crm_id, "H1");
    assert_string_equal(res->deals[0].stage, "closedwon");
    result_free(res);
    res = run_text("Record ID,Id,Deal Stage,StageName\nH1,S1,closedwon,Prospecting\n", &sf);
    assert_string_equal(res->deals[0].crm_id, "S1");
    assert_string_equal(res->deals[0].stage, "Prospecting");
    result_free(res);
    /* auto: the first id column decides */
    res = run_text("Record ID,Id,Deal Stage,StageName\nH1,S1,closedwon,Prospecting\n", NULL);
    assert_int_equal(res->format, HF_CSV_HUBSPOT);
    assert_string_equal(res->deals[0].crm_id, "H1");
    result_free(res);
}

static void test_empty_input(void **state)
{
    (void)state;
    static const char *const inputs[] = {"", "\r\n\r\n", "\xEF\xBB\xBF", "  ,  \n\"\"\n"};
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        run_result *res = run_text(inputs[i], NULL);
        assert_int_equal(res->rc, HF_EINVAL);
        assert_int_equal(res->err.line, 1);
        assert_string_equal(res->err.msg,
                            "missing header row: expected one with an id column (\"Id\" or "
                            "\"Opportunity ID\", or \"Record ID\", \"Deal ID\", \"hs_object_id\", "
                            "\"ID do registro\", \"ID de registro\" or \"ID del registro\")");
        result_free(res);
    }
}

static void test_too_many_columns(void **state)
{
    (void)state;
    hf_csv_options o = {.max_columns = 4};
    run_result *res = run_text("Id,Name,Amount,Stage,Type\n1,a,1,b,c\n", &o);
    assert_int_equal(res->rc, HF_EINVAL);
    assert_string_equal(res->err.msg, "too many columns in the header: more than 4");
    result_free(res);
    res = run_text("Id,Name,Amount,Stage\n1,a,1,b\n", &o);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->stats.good, 1);
    result_free(res);
}

/* ---- headers ---- */

static void test_localized_and_cased_headers(void **state)
{
    (void)state;
    run_result *res = run_text("ID DE REGISTRO,Nombre del negocio,Etapa del negocio,Importe,"
                               "Fecha de cierre,Propietario del negocio,Empresa asociada\n"
                               "77,Panadería Sol,Cierre ganado,\"1,500.25\",2026-05-02,Lucía,Sol "
                               "SA\n",
                               NULL);
    assert_int_equal(res->rc, 0);
    assert_int_equal(res->format, HF_CSV_HUBSPOT);
    assert_stats(res, 1, 1, 0, 0);
    assert_string_equal(res->deals[0].crm_id, "77");
    assert_string_equal(res->deals[0].name, "Panadería Sol");
    assert_string_equal(res->deals[0].stage, "Cierre ganado");
    assert_amount(&res->deals[0], 1500.25);
    assert_string_equal(res->deals[0].close, "2026-05-02");
    assert_string_equal(res->deals[0].owner, "Lucía");
    assert_string_equal(res->deals[0].account, "Sol SA");
    result_free(res);

    /* accented capitals fold too; blanks around and inside names do not matter */
    res = run_text("  ID DO REGISTRO ,\"NOME  DO NEGÓCIO\",ETAPA DO NEGÓCIO,VALOR,DATA DE "
                   "FECHAMENTO\n5,Loja,Ganho,10,2026-01-02\n",
                   NULL);
    assert_int_equal(res->rc, 0);
    assert_string_equal(res->deals[0].name, "Loja");
    assert_string_equal(res->deals[0].stage, "Ganho");
    assert_amount(&res->deals[0], 10.0);
    result_free(res);

    /* report labels with "Opportunity Id" in another case */
    res = run_text("Opportunity Name,Stage,Close Date,opportunity id\nBig deal,Closed Won,"
                   "12/1/2026,0061\n",
                   NULL);
    assert_int_equal(res->format, HF_CSV_SALESFORCE);
    assert_string_equal(res->deals[0].crm_id, "0061");
    assert_string_equal(res->deals[0].close, "2026-12-01");
    assert_true(res->deals[0].is_won);
    result_free(res);
}

static void test_tab_delimited(void **state)
{
    (void)state;
    run_result *res = run_text("Id\tName\tAmount\tCloseDate\tStageName\n"
                               "006A\t\tUSD 1,200\t3/4/2026\tclosedwon\n"
                               "006B\t\"a\tb\"\t\t\t\n",
                               NULL);
    assert_int_equal(res->rc, 0);
    assert_stats(res, 2, 2, 0, 0);
    assert_false(res->deals[0].has_name); /* empty cells between tabs are kept */
    assert_amount(&res->deals[0], 1200.0);
    assert_string_equal(res->deals[0].currency, "USD");
    assert_string_equal(res->deals[0].close, "2026-03-04");
    assert_true(res->deals[0].is_won);
    assert_string_equal(res->deals[1].name, "a\tb");
    assert_false(res->deals[1].has_amount);
    result_free(res);
}

/* ---- values ---- */

/* Import one Amount cell (written as is, so quote it when it holds the delimiter). */
static run_result *one_cell(const char *header, char delim, const char *cell)
{
    char text[512];
    snprintf(text, sizeof(text), "Id%c%s\n1%c%s\n", delim, header, delim, cell);
    return run_text(text, NULL);
}

static void check_amount(char delim, const char *cell, double want, const char *currency)
{
    run_result *res = one_cell("Amount", delim, cell);
    if (res->ndeals != 1)
        fail_msg("amount %s: %s", cell, res->transcript);
    assert_amount(&res->deals[0], want);
    if (currency)
        assert_string_equal(res->deals[0].currency, currency);
    else
        assert_false(res->deals[0].has_currency);
    result_free(res);
}

static void check_bad(const char *header, char delim, const char *cell, const char *msg)
{
    run_result *res = one_cell(header, delim, cell);
    assert_int_equal(res->stats.bad, 1);
    assert_error(res, 0, 2, 2, msg);
    result_free(res);
}

static void test_amounts(void **state)
{
    (void)state;
    check_amount(',', "\"$1,200.50\"", 1200.5, NULL);
    check_amount(',', "\"(1,200.00)\"", -1200.0, NULL);
    check_amount(',', "-$75", -75.0, NULL);
    check_amount(',', "$-75.10", -75.1, NULL);
    check_amount(',', "USD 1200", 1200.0, "USD");
    check_amount(',', "1200 EUR", 1200.0, "EUR");
    check_amount(',', "EUR -3.5", -3.5, "EUR");
    check_amount(',', "1 200.50", 1200.5, NULL);
    check_amount(',', "\"12,34\"", 12.34, NULL);
    check_amount(',', "\"1,200\"", 1200.0, NULL);
    check_amount(',', "\"1,234,567.89\"", 1234567.89, NULL);
    check_amount(',', "0.1", 0.1, NULL);
    check_amount(',', "£99", 99.0, NULL);
    check_amount(';', "1.200,50", 1200.5, NULL);
    check_amount(';', "1.200", 1200.0, NULL);
    check_amount(';', "1200.5", 1200.5, NULL);
    check_amount(';', "R$ 1.500,00", 1500.0, NULL);
    check_amount(';', "1.234.567,89 €", 1234567.89, NULL);
    check_amount(';', "BRL 10,5", 10.5, "BRL");
    check_amount(';', "-0,01", -0.01, NULL);

    check_bad("Amount", ',', "\"1.200,50\"", "bad amount \"1.200,50\" in column \"Amount\"");
    check_bad("Amount", ',', "1.2.3", "bad amount \"1.2.3\" in column \"Amount\"");
    check_bad("Amount", ',', "12abc", "bad amount \"12abc\" in column \"Amount\"");
    check_bad("Amount", ',', "USD", "bad amount \"USD\" in column \"Amount\"");
    check_bad("Amount", ',', "--5", "bad amount \"--5\" in column \"Amount\"");
    check_bad("Amount", ',', "USD 5 EUR", "bad amount \"USD 5 EUR\" in column \"Amount\"");
    check_bad("Amount", ',', "1e6", "bad amount \"1e6\" in column \"Amount\"");
    check_bad("Amount", ',', "1234567890123456789",
              "bad amount \"1234567890123456789\" in column "
              "\"Amount\"");
}

static void check_date(char delim, const char *cell, const char *want)
{
    run_result *res = one_cell("CloseDate", delim, cell);
    if (res->ndeals != 1)
        fail_msg("date %s: %s", cell, res->transcript);
    assert_string_equal(res->deals[0].close, want);
    result_free(res);
}

static void test_dates(void **state)
{
    (void)state;
    check_date(',', "2026-03-31", "2026-03-31");
    check_date(',', "2026-03-31T23:59:59Z", "2026-03-31");
    check_date(',', "2026-03-31T23:59:59.123Z", "2026-03-31");
    check_date(',', "2026-03-31T10:00:00.000+0000", "2026-03-31");
    check_date(',', "2026-03-31T10:00:00-03:00", "2026-03-31");
    check_date(',', "2026-03-31 14:30", "2026-03-31");
    check_date(',', "2026-03-31 14:30:05", "2026-03-31");
    check_date(',', "3/31/2026", "2026-03-31");
    check_date(',', "12/1/2026", "2026-12-01");
    check_date(',', "31.03.2026", "2026-03-31");
    check_date(',', "2028-02-29", "2028-02-29");
    check_date(';', "1/12/2026", "2026-12-01");
    check_date(';', "31/03/2026", "2026-03-31");
    check_date(';', "1.2.2026", "2026-02-01");

    check_bad("CloseDate", ',', "31/3/2026", "bad date \"31/3/2026\" in column \"CloseDate\"");
    check_bad("CloseDate", ',', "2026-02-29", "bad date \"2026-02-29\" in column \"CloseDate\"");
    check_bad("CloseDate", ',', "2026/03/31", "bad date \"2026/03/31\" in column \"CloseDate\"");
    check_bad("CloseDate", ',', "3/31/26", "bad date \"3/31/26\" in column \"CloseDate\"");
    check_bad("CloseDate", ',', "2026-03-31T25:00:00Z",
              "bad date \"2026-03-31T25:00:00Z\" in column \"CloseDate\"");
    check_bad("CloseDate", ',', "2026-03-31 noon",
              "bad date \"2026-03-31 noon\" in column \"CloseDate\"");
    check_bad("CloseDate", ';', "3/31/2026", "bad date \"3/31/2026\" in column \"CloseDate\"");
}

static void test_booleans(void **state)
{
    (void)state;
    run_result *res =
        run_text("Id,IsWon,IsClosed\n1,TRUE,yes\n2,0,No\n3,Yes,1\n4,,\n5,Y,1\n", NULL);
    assert_stats(res, 5, 4, 1, 0);
    assert_true(res->deals[0].is_won);
    assert_true(res->deals[0].is_closed);
    assert_false(res->deals[1].is_won);
    assert_false(res->deals[1].is_closed);
    assert_true(res->deals[2].is_won);
    assert_false(res->deals[3].is_won);
    assert_false(res->deals[3].is_closed);
    assert_error(res, 0, 6, 2, "bad boolean \"Y\" in column \"IsWon\"");
    result_free(res);
}

/* The first problem from the left is the one reported. */
static void test_first_problem_wins(void **state)
{
    (void)state;
    run_result *res =
        run_text("Name,Amount,CloseDate,Id\nx,abc,2026-99-99,\ny,1,bad,7\nz,1,2026-01-01,\n", NULL);
    assert_stats(res, 3, 0, 3, 0);
    assert_error(res, 0, 2, 2, "bad amount \"abc\" in column \"Amount\"");
    assert_error(res, 1, 3, 3, "bad date \"bad\" in column \"CloseDate\"");
    assert_error(res, 2, 4, 4, "missing id in column \"Id\"");
    result_free(res);
}

/* ---- lines, blanks, trailer ---- */

static void test_line_numbers(void **state)
{
    (void)state;
    /* blank lines before the header, CR-only line ends, quoted CR, CRLF and LF */
    run_result *res = run_text("\n\r\nId,Name\r006A,x\r006B,\"a\rb\"\r\n\r\n006C,\"\r\n\nz\"\n006D,"
                               "y",
                               NULL);
    assert_int_equal(res->rc, 0);
    assert_stats(res, 4, 4, 0, 0);
    assert_int_equal(res->deals[0].line, 4);
    assert_int_equal(res->deals[1].line, 5);
    assert_string_equal(res->deals[1].name, "a\rb");
    assert_int_equal(res->deals[2].line, 8);
    assert_string_equal(res->deals[2].name, "z"); /* values are trimmed, line breaks too */
    assert_int_equal(res->deals[3].line, 11);
    result_free(res);

    /* the header line of a whole-file error after blank lines */
    res = run_text("\n\nName\nx\n", NULL);
    assert_int_equal(res->rc, HF_EINVAL);
    assert_int_equal(res->err.line, 3);
    result_free(res);
}

static void test_trailer(void **state)
{
    (void)state;
    /* Salesforce: single-cell rows after a blank row are trailer until a real row */
    run_result *res = run_text("Id,Name\n1,a\n\nTitle\n\"Generated By:  X, 1/2/2026\"\n,\n2,b\n"
                               "3\n",
                               NULL);
    assert_stats(res, 3, 3, 0, 2);
    assert_int_equal(res->deals[1].line, 7);
    assert_string_equal(res->deals[2].crm_id, "3"); /* no blank row before it any more */
    result_free(res);

    /* HubSpot exports have no trailer: a one-cell row is a row */
    res = run_text("Record ID,Deal Name\n1,a\n\n2\n", NULL);
    assert_stats(res, 2, 2, 0, 0);
    assert_int_equal(res->deals[1].line, 4);
    result_free(res);

    /* a blank row is never an error, even with more cells than the header */
    res = run_text("Id,Name\n1,a\n,,,,,,\n\"\"\nRandom text\n", NULL);
    assert_stats(res, 1, 1, 0, 1);
    result_free(res);
}

/* ---- limits ---- */

static void test_long_fields_bounded(void **state)
{
    (void)state;
    size_t big = 300000;
    char *text = malloc(big + 10000);
    assert_non_null(text);
    size_t n = 0;
    n += (size_t)snprintf(text + n, 256, "Id,Name,StageName\n1,\"");
    for (size_t i = 0; i < big; i++)
        text[n++] = i % 1000 == 999 ? '\n' : (i % 7 == 0 ? '\r' : 'a');
    /* a quoted value followed by a long run of blanks is short once they are dropped */
    n += (size_t)snprintf(text + n, 256, "\",x\n2,\"ok\"");
    for (size_t i = 0; i < 5000; i++)
        text[n++] = ' ';
    n += (size_t)snprintf(text + n, 256, ",y\n3,   z   ,w\n4,\"");
    memset(text + n, ' ', 2000);
    n += 2000;
    n += (size_t)snprintf(text + n, 256, "\",v\n");

    /* the line of row 2: 2 + the line breaks inside the long field */
    long breaks = 0;
    for (size_t i = 0; i < big; i++) {
        if (i % 1000 == 999)
            breaks++;
        else if (i % 7 == 0 && (i + 1) % 1000 != 999)
            breaks++; /* a CR not followed by LF */
    }
    hf_csv_options o = {.max_field_bytes = 1024};
    run_result *whole = run(text, n, &o, 0);
    assert_stats(whole, 4, 2, 2, 0);
    assert_error(whole, 0, 2, 2, "field longer than 1024 bytes in column \"Name\"");
    assert_int_equal(whole->deals[0].line, 3 + breaks);
    assert_string_equal(whole->deals[0].name, "ok");
    assert_int_equal(whole->deals[1].line, 4 + breaks);
    assert_string_equal(whole->deals[1].name, "z");
    assert_error(whole, 1, 5 + breaks, 2, "field longer than 1024 bytes in column \"Name\"");

    for (unsigned split = 1; split < 4; split++) {
        run_result *other = run(text, n, &o, split);
        assert_string_equal(whole->transcript, other->transcript);
        result_free(other);
    }
    result_free(whole);
    free(text);
}

static void test_field_limit_exact(void **state)
{
    (void)state;
    hf_csv_options o = {.max_field_bytes = 8};
    run_result *res = run_text("Id,Name,Other\n1,12345678,\"12345678\"\n2,123456789,x\n"
                               "3,x,\"123456789\"\n",
                               &o);
    assert_stats(res, 3, 1, 2, 0);
    assert_string_equal(res->deals[0].name, "12345678");
    assert_error(res, 0, 3, 2, "field longer than 8 bytes in column \"Name\"");
    assert_error(res, 1, 4, 3, "field longer than 8 bytes in column \"Other\"");
    result_free(res);

    /* header cells may be longer than a small limit, up to 4096 bytes */
    res = run_text("Id,Opportunity Owner\n1,Ann\n", &o);
    assert_stats(res, 1, 1, 0, 0);
    assert_string_equal(res->deals[0].owner, "Ann");
    result_free(res);
    char text[6000];
    memset(text, 'h', sizeof(text));
    memcpy(text, "Id,\"", 4);
    memcpy(text + 4 + 5000, "\"\n1,x\n", 7);
    for (unsigned split = 0; split < 3; split++) {
        res = run(text, 4 + 5000 + 7, &o, split);
        assert_int_equal(res->rc, HF_EINVAL);
        assert_int_equal(res->err.line, 1);
        assert_string_equal(res->err.msg, "header field longer than 4096 bytes in column 2");
        result_free(res);
    }
}

static void test_unterminated_quote(void **state)
{
    (void)state;
    run_result *res = run_text("Id,Name,Amount\n1,a,1\n2,b,\"3", NULL);
    assert_stats(res, 2, 1, 1, 0);
    assert_error(res, 0, 3, 3, "unterminated quoted field in column \"Amount\"");
    result_free(res);
    /* a quote left open right after the header row */
    res = run_text("Id,Name\n\"", NULL);
    assert_stats(res, 1, 0, 1, 0);
    assert_error(res, 0, 2, 1, "unterminated quoted field in column \"Id\"");
    result_free(res);
}

/* ---- callbacks and the API ---- */

static void test_stop_from_callback(void **state)
{
    (void)state;
    int stop_after = 2;
    hf_csv_options o = {.ctx = &stop_after};
    run_result *res = run_fixture("hubspot-ui.csv", &o, 0);
    assert_int_equal(res->rc, HF_EUSAGE);
    assert_int_equal(res->stop_status, 7);
    assert_string_equal(res->err.msg, "import stopped by a callback (status 7)");
    assert_int_equal(res->ndeals, 2);
    assert_int_equal(res->stats.good, 2);
    result_free(res);

    res = run_fixture("hubspot-ui.csv", &o, 1);
    assert_int_equal(res->rc, HF_EUSAGE);
    assert_int_equal(res->ndeals, 2);
    result_free(res);
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_salesforce_dataloader),
        cmocka_unit_test(test_salesforce_dataloader_upper),
        cmocka_unit_test(test_salesforce_report),
        cmocka_unit_test(test_hubspot_ui),
        cmocka_unit_test(test_hubspot_api),
        cmocka_unit_test(test_excel_semicolon_bom_crlf),
        cmocka_unit_test(test_hubspot_pt_br),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_byte_at_a_time),
        cmocka_unit_test(test_header_without_id),
        cmocka_unit_test(test_explicit_format),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_too_many_columns),
        cmocka_unit_test(test_localized_and_cased_headers),
        cmocka_unit_test(test_tab_delimited),
        cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_first_problem_wins),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_trailer),
        cmocka_unit_test(test_long_fields_bounded),
        cmocka_unit_test(test_field_limit_exact),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_stop_from_callback),
        cmocka_unit_test(test_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
