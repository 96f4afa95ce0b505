/* Storage benchmark: list and filter queries over N handoffs, and durable single-document
 * updates per second, each next to its obvious alternative in the same run.
 *
 *   build/bench/bench_store DB_URL N [UPDATES]
 *
 * 1. Populates N handoffs (mutations of the model document: 4 segments, 10 owners, 6 CSMs,
 *    fields dropped for every quality band, statuses spread), in batches of 10,000 per
 *    transaction, through hf_handoff_create — the same path an import takes.
 * 2. Times filtered counts and first pages through the indexed columns, against the same
 *    question answered by parsing every stored document (json_extract, SQLite only) —
 *    what a store without indexed columns would do.
 * 3. Times UPDATES durable edits (hf_handoff_edit: read, diff, evaluate, versioned write,
 *    one fsync'd transaction each), against a bare single-row UPDATE per transaction with
 *    the same synchronous=FULL setting (the machine's fsync-bound limit).
 * Medians of repeated runs; the machine is shared and noisy. */
#include "handoff/document.h"
#include "handoff/handoffs.h"
#include "handoff/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return v[n / 2];
}

static const char *const segments[] = {"strategic", "enterprise", "mid_market", "smb"};
static const char *const owners[] = {"Jane Park",    "Tom Reyes",  "Ana Lima",  "Li Wei",
                                     "Maria Souza",  "Greg Hall",  "Rui Costa", "Dana Smith",
                                     "Budi Santoso", "Lucia Perez"};
static const char *const csms[] = {"Rui Costa",  "Ayu Lestari", "Pedro Gomez",
                                   "Carla Dias", "Sam Lee",     "Nina Rossi"};

static int populate(hf_store *s, int64_t ws, long n, const hf_protocol *p)
{
    json_error_t je;
    json_t *model = json_load_file("tests/data/evaluate/acme-complete.json", 0, &je);
    if (!model) {
        fprintf(stderr, "model document: %s\n", je.text);
        return 1;
    }
    hf_error err;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        if (i % 10000 == 0 && hf_store_begin(s, &err))
            goto fail;
        json_t *doc = json_deep_copy(model);
        json_t *deal = json_object_get(doc, "deal");
        json_object_set_new(deal, "segment", json_string(segments[i % 4]));
        json_object_set_new(json_object_get(deal, "owner"), "name", json_string(owners[i % 10]));
        json_object_set_new(json_object_get(json_object_get(doc, "team"), "csm"), "name",
                            json_string(csms[i % 6]));
        /* spread quality: drop more sections for higher i % 7 */
        static const char *const drop[] = {"risks",      "commitments", "technical",
                                           "objectives", "meeting",     "implementation"};
        for (long k = 0; k < i % 7 && k < 6; k++)
            json_object_del(doc, drop[k]);
        if (i % 5 == 0)
            json_object_set_new(deal, "contract_signed_at", json_string("2026-01-05T10:00:00Z"));
        int rc = hf_handoff_create(s, ws, 0, (hf_status)(i % 9), doc, p, "bench", 1793534400, NULL,
                                   &err);
        json_decref(doc);
        if (rc)
            goto fail;
        if (i % 10000 == 9999 || i == n - 1) {
            if (hf_store_commit(s, &err))
                goto fail;
            fprintf(stderr, "\rpopulated %ld", i + 1);
        }
    }
    double dt = now_s() - t0;
    fprintf(stderr, "\n");
    printf("populate: %ld handoffs in %.1f s = %.0f handoffs/s (create = validate + evaluate "
           "+ 3 inserts)\n\n",
           n, dt, (double)n / dt);
    json_decref(model);
    return 0;
fail:
    fprintf(stderr, "populate: %s\n", err.msg);
    json_decref(model);
    return 1;
}

typedef struct page_ctx {
    int rows;
} page_ctx;

static int count_row(void *ctx, const hf_handoff_rec *h)
{
    (void)h;
    ((page_ctx *)ctx)->rows++;
    return 0;
}

static void time_filter(hf_store *s, int64_t ws, const char *label, hf_handoff_filter f, int reps)
{
    double count_ms[32], page_ms[32];
    int64_t count = 0;
    hf_error err;
    for (int r = 0; r < reps; r++) {
        double a = now_s();
        hf_store_handoff_count(s, ws, &f, &count, &err);
        count_ms[r] = (now_s() - a) * 1e3;
        hf_handoff_filter pf = f;
        pf.limit = 50;
        page_ctx pc = {0};
        a = now_s();
        hf_store_handoff_list(s, ws, &pf, count_row, &pc, &err);
        page_ms[r] = (now_s() - a) * 1e3;
    }
    printf("%-34s %9lld rows   count %8.2f ms   first page of 50 %7.2f ms\n", label,
           (long long)count, median(count_ms, reps), median(page_ms, reps));
}

/* The same question answered by parsing every document (SQLite json_extract). */
static void time_scan(const char *path, int64_t ws, const char *label, const char *where, int reps)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return;
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM handoffs h JOIN handoff_versions v ON v.handoff_id = h.id "
             "AND v.version = h.version WHERE h.workspace_id = %lld AND %s",
             (long long)ws, where);
    double ms[32];
    long long count = 0;
    for (int r = 0; r < reps; r++) {
        sqlite3_stmt *st;
        double a = now_s();
        sqlite3_prepare_v2(db, sql, -1, &st, NULL);
        if (sqlite3_step(st) == SQLITE_ROW)
            count = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        ms[r] = (now_s() - a) * 1e3;
    }
    printf("%-34s %9lld rows   count %8.2f ms   (parses every document)\n", label, count,
           median(ms, reps));
    sqlite3_close(db);
}

static void time_updates(hf_store *s, const char *sqlite_path, int64_t ws, long n, int updates,
                         const hf_protocol *p)
{
    hf_error err;
    char set[64];
    const char *sets[1] = {set};
    uint64_t x = 88172645463325252ull;
    double a = now_s();
    int done = 0;
    for (int i = 0; i < updates; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t id = (int64_t)(x % (uint64_t)n) + 1;
        snprintf(set, sizeof(set), "scope.timeline_weeks=%d", 4 + i % 20);
        if (hf_handoff_edit(s, ws, id, 0, sets, 1, p, "bench", 1793534400 + i, NULL, &err) == 0)
            done++;
    }
    double dt = now_s() - a;
    printf("durable document edits           %6d in %6.2f s = %7.0f /s  (%.2f ms each)\n", done, dt,
           done / dt, dt * 1e3 / done);
    if (!sqlite_path)
        return;
    sqlite3 *db;
    if (sqlite3_open(sqlite_path, &db) != SQLITE_OK)
        return;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", NULL, NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "UPDATE handoffs SET updated_at = ?1 WHERE id = ?2", -1, &st, NULL);
    a = now_s();
    for (int i = 0; i < updates; i++) {
        sqlite3_bind_int64(st, 1, i);
        sqlite3_bind_int64(st, 2, 1 + i % n);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    double raw = now_s() - a;
    printf("bare 1-row UPDATE, same fsync    %6d in %6.2f s = %7.0f /s  (the fsync limit)\n",
           updates, raw, updates / raw);
    printf("edit cost / bare UPDATE cost: %.2f\n", (dt / done) / (raw / updates));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_store DB_URL N [UPDATES]\n");
        return 64;
    }
    const char *url = argv[1];
    long n = strtol(argv[2], NULL, 10);
    int updates = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 1000;
    const int64_t ws = 1;
    hf_store *s;
    hf_error err;
    hf_protocol p;
    hf_protocol_default(&p);
    if (hf_store_open(url, true, &s, &err)) {
        fprintf(stderr, "%s: %s\n", url, err.msg);
        return 1;
    }
    int64_t have = 0;
    hf_handoff_filter all = {.status = -1, .band = -1};
    hf_store_handoff_count(s, ws, &all, &have, &err);
    if (have < n && populate(s, ws, n - have, &p))
        return 1;
    const char *path = strncmp(url, "sqlite:", 7) == 0    ? url + 7
                       : strncmp(url, "postgres", 8) == 0 ? NULL
                                                          : url;
    const int reps = 11;
    printf("queries (median of %d):\n", reps);
    time_filter(s, ws, "all", all, reps);
    time_filter(s, ws, "status = held", (hf_handoff_filter){.status = HF_STATUS_HELD, .band = -1},
                reps);
    time_filter(s, ws, "segment = smb",
                (hf_handoff_filter){.status = -1, .band = -1, .segment = "smb"}, reps);
    time_filter(s, ws, "owner = Li Wei",
                (hf_handoff_filter){.status = -1, .band = -1, .owner = "Li Wei"}, reps);
    time_filter(s, ws, "csm = Sam Lee",
                (hf_handoff_filter){.status = -1, .band = -1, .csm = "Sam Lee"}, reps);
    time_filter(s, ws, "band = substandard", (hf_handoff_filter){.status = -1, .band = 3}, reps);
    time_filter(
        s, ws, "overdue at 2026-11-09",
        (hf_handoff_filter){.status = -1, .band = -1, .overdue_only = true, .now = 1794225600},
        reps);
    time_filter(s, ws, "cursor page after the middle",
                (hf_handoff_filter){.status = -1, .band = -1, .after_id = n / 2}, reps);
    if (path) {
        time_scan(path, ws, "segment = smb via json_extract",
                  "json_extract(v.document, '$.deal.segment') = 'smb'", 3);
        time_scan(path, ws, "owner = Li Wei via json_extract",
                  "json_extract(v.document, '$.deal.owner.name') = 'Li Wei'", 3);
    }
    printf("\n");
    time_updates(s, path, ws, n, updates, &p);
    hf_store_close(s);
    hf_protocol_free(&p);
    return 0;
}
