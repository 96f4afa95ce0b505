/* Storage benchmark: every handoff list and count the product runs, timed through the
 * product (the service layer over the store) and as hand-written SQL on the same database
 * in the same run; WAL pages per write; durable single-document edits.
 *
 *   build/bench/bench_store DB_URL N [EDITS]
 *   build/bench/bench_store --wal DB_URL N      the log written per create and per edit
 *   build/bench/bench_store --schema5 DB_URL N  the questions again with schema 5's indexes
 *   build/bench/bench_store --explain DB_URL    the plans of the product's list/count queries
 *
 * 1. Populates N handoffs through hf_svc_handoff_create (the path of the API and the
 *    import), in transactions of 5,000: mutations of the model document with 4 segments,
 *    10 owners (name and e-mail), 6 CSMs and one handoff in 7 without a CSM, fields dropped
 *    for every quality band, T0 spread over 300 days; every status, set with
 *    hf_store_handoff_transition (the store's own transition, without the gates, which
 *    would take the documents through every meeting). A database that already holds N
 *    handoffs is reused.
 * 2. For each list and count the product serves (the API's, the CLI's and the web list's
 *    filters, the inbox's queries, the CSM capacity counts, deep cursor pages), times the
 *    product's call (hf_svc_handoff_count / hf_svc_handoff_list, as the API and the CLI call
 *    them) and the same question as hand-written SQL on a second connection (sqlite3 or
 *    libpq directly, the SQL text a person would write, values written in), interleaved,
 *    medians; prints both and their ratio.
 * 3. Times EDITS durable edits (hf_svc_handoff_edit: read, diff, evaluate, versioned write,
 *    one fsync'd transaction each) against a bare single-row UPDATE per transaction with the
 *    same synchronous=FULL setting (SQLite only).
 * With --wal: a scratch database of N handoffs, then the log written by 200 creates and 200
 * edits (SQLite: WAL frames; PostgreSQL: WAL bytes) with the schema's indexes, and again
 * after the indexes are replaced by those of schema 5 (HF__OLD_HANDOFF_INDEXES below: the
 * "before"). With --schema5: the same swap, then the list and count questions again.
 * The machine is shared and noisy: medians of interleaved rounds, never a best run. */
#include "handoff/document.h"
#include "handoff/service.h"
#include "handoff/store.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

#define WS 1
/* The bench's clock: creations start on 2026-01-01 and T0s spread from there. */
#define BASE_TIME INT64_C(1767225600)
#define DAY 86400
/* "now" of the overdue and capacity questions: 2026-07-01 */
#define NOW INT64_C(1782864000)

static const char *const segments[] = {"strategic", "enterprise", "mid_market", "smb"};
static const char *const owners[] = {"Jane Park",   "Tom Reyes",  "Ana Lima",  "Li Wei",
                                     "Maria Souza", "Greg Hall",  "Rui Costa", "Dana Smith",
                                     "Budi Santo",  "Lucia Perez"};
static const char *const owner_mails[] = {
    "jane.park@vendor.example",  "tom.reyes@vendor.example",   "ana.lima@vendor.example",
    "li.wei@vendor.example",     "maria.souza@vendor.example", "greg.hall@vendor.example",
    "rui.costa@vendor.example",  "dana.smith@vendor.example",  "budi.santo@vendor.example",
    "lucia.perez@vendor.example"};
static const char *const csms[] = {"Carla Dias", "Ayu Lestari", "Pedro Gomez",
                                   "Kim Novak",  "Sam Lee",     "Nina Rossi"};
static const char *const csm_mails[] = {"carla.dias@vendor.example",  "ayu.lestari@vendor.example",
                                        "pedro.gomez@vendor.example", "kim.novak@vendor.example",
                                        "sam.lee@vendor.example",     "nina.rossi@vendor.example"};

typedef struct bench {
    hf_store *s;
    hf_svc *svc;
    hf_actor sys;
    const char *url;
    const char *path; /* SQLite file, NULL on PostgreSQL */
    sqlite3 *db;      /* the hand-written SQL's own connection */
    PGconn *pg;
    long n;
} bench;

/* ---- populate ---- */

/* splitmix64: attributes drawn independently of each other (i % 6 and i % 9 would never
 * give some pairs, a CSM's scheduled handoffs for one) */
static uint64_t mix(uint64_t x, uint64_t salt)
{
    x += salt * 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static long pick(long i, int salt, long n)
{
    return (long)(mix((uint64_t)i, (uint64_t)salt) % (uint64_t)n);
}

static void time_text(hf_time t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *bench_document(const json_t *model, long i)
{
    static const char *const drop[] = {"risks",      "commitments", "technical",
                                       "objectives", "meeting",     "implementation"};
    char buf[64];
    json_t *doc = json_deep_copy(model);
    json_t *deal = json_object_get(doc, "deal");
    snprintf(buf, sizeof(buf), "BENCH%09ld", i);
    json_object_set_new(deal, "crm_id", json_string(buf));
    json_object_set_new(deal, "segment", json_string(segments[pick(i, 1, 4)]));
    json_t *owner = json_object_get(deal, "owner");
    long who = pick(i, 2, 10);
    json_object_set_new(owner, "name", json_string(owners[who]));
    json_object_set_new(owner, "email", json_string(owner_mails[who]));
    time_text(BASE_TIME + pick(i, 6, 300) * DAY, buf, sizeof(buf));
    json_object_set_new(deal, "contract_signed_at", json_string(buf));
    if (pick(i, 7, 25) == 0) /* a pre-close handoff, approved by a CS manager or not */
        json_object_set_new(deal, "trigger", json_string("verbal_commit"));
    snprintf(buf, sizeof(buf), "Company %ld", i);
    json_object_set_new(json_object_get(doc, "customer"), "company_name", json_string(buf));
    json_t *team = json_object_get(doc, "team");
    long c = pick(i, 3, 7);
    if (c == 6) {
        json_object_del(team, "csm");
    } else {
        json_t *csm = json_object_get(team, "csm");
        json_object_set_new(csm, "name", json_string(csms[c]));
        json_object_set_new(csm, "email", json_string(csm_mails[c]));
    }
    for (long k = 0, drops = pick(i, 4, 7); k < drops && k < 6; k++)
        json_object_del(doc, drop[k]);
    return doc;
}

static int populate(bench *b, long from, long to)
{
    json_error_t je;
    json_t *model = json_load_file("tests/data/evaluate/acme-complete.json", 0, &je);
    if (!model) {
        fprintf(stderr, "model document: %s\n", je.text);
        return 1;
    }
    hf_error err;
    hf_error_clear(&err);
    double t0 = now_s();
    int rc = 0;
    /* PostgreSQL: each operation is a savepoint (a subtransaction) inside the batch, and past
     * 64 of them in one transaction every snapshot grows slow; 100 per transaction is enough
     * to take the commits out of the time */
    long batch = b->path ? 5000 : 100;
    for (long i = from; i < to && !rc; i++) {
        if ((i - from) % batch == 0 && (rc = hf_store_begin(b->s, &err)))
            break;
        json_t *doc = bench_document(model, i);
        hf_handoff_rec h;
        /* creations spread evenly over a year, whatever N */
        hf_time at = BASE_TIME + (hf_time)((double)i * 365 * DAY / (double)to);
        rc = hf_svc_handoff_create(b->svc, &b->sys, doc, "bench", at, &h, NULL, &err);
        json_decref(doc);
        if (rc) {
            hf_store_rollback(b->s);
            break;
        }
        hf_status st = (hf_status)pick(i, 5, HF_STATUS_COUNT);
        if (st != HF_STATUS_DRAFT)
            rc = hf_store_handoff_transition(b->s, WS, h.id, HF_STATUS_DRAFT, st, "bench", NULL,
                                             NULL, at, &err);
        hf_handoff_rec_free(&h);
        if (rc) {
            hf_store_rollback(b->s);
            break;
        }
        if ((i - from) % batch == batch - 1 || i == to - 1) {
            if ((rc = hf_store_commit(b->s, &err)))
                break;
            if ((i + 1) % 5000 == 0 || i == to - 1)
                fprintf(stderr, "\rpopulated %ld", i + 1);
        }
    }
    json_decref(model);
    if (rc) {
        fprintf(stderr, "populate: %s\n", err.msg);
        return 1;
    }
    double dt = now_s() - t0;
    fprintf(stderr, "\n");
    printf("populated %ld handoffs in %.1f s = %.0f handoffs/s (hf_svc_handoff_create in "
           "transactions of %ld, then the status)\n\n",
           to - from, dt, (double)(to - from) / dt, batch);
    return 0;
}

/* ---- hand-written SQL on its own connection ---- */

/* The columns the product reads for a list row (store_sqlite.c HANDOFF_COLS). */
#define LIST_COLS                                                                                  \
    "id, workspace_id, deal_id, status, version, segment, trigger_kind, owner, owner_email, csm, " \
    "csm_email, company, t0, next_due, quality_total, band, completeness_d, ready, "               \
    "protocol_version, created_at, updated_at"

/* Run `sql` and read every column of every row; *rows the row count, *first the first
 * column of the first row as a number. Returns 0 or -1. */
static int hand_run(bench *b, const char *sql, long long *rows, long long *first)
{
    *rows = 0;
    *first = 0;
    if (b->pg) {
        PGresult *r = PQexec(b->pg, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            fprintf(stderr, "%s: %s", sql, PQerrorMessage(b->pg));
            PQclear(r);
            return -1;
        }
        int n = PQntuples(r), cols = PQnfields(r);
        size_t sink = 0;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < cols; c++)
                sink += (size_t)PQgetlength(r, i, c) + (PQgetisnull(r, i, c) ? 1 : 0);
        (void)sink;
        *rows = n;
        if (n)
            *first = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        return 0;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(b->db));
        return -1;
    }
    int r, cols = sqlite3_column_count(st);
    size_t sink = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (*rows == 0)
            *first = sqlite3_column_int64(st, 0);
        for (int c = 0; c < cols; c++) {
            const unsigned char *v = sqlite3_column_text(st, c);
            sink += v ? (size_t)sqlite3_column_bytes(st, c) : 1;
        }
        (*rows)++;
    }
    (void)sink;
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? 0 : -1;
}

/* ---- the product's calls ---- */

typedef struct page_ctx {
    long rows;
} page_ctx;

static int count_row(void *ctx, const hf_handoff_rec *h)
{
    (void)h;
    ((page_ctx *)ctx)->rows++;
    return 0;
}

/* One question, as the product asks it and as SQL would. `where` follows
 * "workspace_id = 1 AND" in the hand-written SQL. */
typedef struct question {
    const char *label;
    hf_handoff_filter f;
    const char *where;
    bool whole; /* the inbox's lists: every matching row, no page */
} question;

typedef struct timing {
    double product, hand;
    long long rows;
} timing;

static double ratio(timing t)
{
    return t.hand > 0 ? t.product / t.hand : 0;
}

static void print_line(const char *what, const char *label, timing t)
{
    printf("| %s | %s | %lld | %.2f | %.2f | %.2f |\n", what, label, t.rows, t.product, t.hand,
           ratio(t));
}

static double worst_ratio = 0;
static char worst_label[128];

static void note_ratio(const char *what, const char *label, timing t)
{
    if (ratio(t) > worst_ratio) {
        worst_ratio = ratio(t);
        snprintf(worst_label, sizeof(worst_label), "%s %s", what, label);
    }
}

static timing time_count(bench *b, const question *q, int reps)
{
    char sql[1024];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM handoffs WHERE workspace_id = %d%s%s", WS,
             *q->where ? " AND " : "", q->where);
    double pm[64], hm[64];
    long long hand_count = 0, rows;
    int64_t count = 0;
    hf_error err;
    for (int r = 0; r < reps; r++) {
        double a = now_s();
        if (hf_svc_handoff_count(b->svc, &b->sys, &q->f, &count, &err))
            fprintf(stderr, "count %s: %s\n", q->label, err.msg);
        pm[r] = (now_s() - a) * 1e3;
        a = now_s();
        hand_run(b, sql, &rows, &hand_count);
        hm[r] = (now_s() - a) * 1e3;
    }
    if (count != hand_count)
        printf("| MISMATCH | %s | product %lld, SQL %lld | | | |\n", q->label, (long long)count,
               hand_count);
    return (timing){median(pm, reps), median(hm, reps), count};
}

/* A page of `limit` rows (0: every row) after `cursor`. */
static timing time_page(bench *b, const question *q, int64_t cursor, int limit, int reps)
{
    char sql[1536], lim[32] = "", cur[48] = "";
    if (limit)
        snprintf(lim, sizeof(lim), " LIMIT %d", limit);
    if (cursor)
        snprintf(cur, sizeof(cur), " AND id > %lld", (long long)cursor);
    snprintf(sql, sizeof(sql),
             "SELECT %s FROM handoffs WHERE workspace_id = %d%s%s%s ORDER BY id%s",
             q->whole ? "id" : LIST_COLS, WS, *q->where ? " AND " : "", q->where, cur, lim);
    hf_handoff_filter f = q->f;
    f.limit = limit;
    f.after_id = cursor;
    f.ids_only = q->whole; /* as the inbox asks */
    double pm[64], hm[64];
    long long rows = 0, first;
    page_ctx pc = {0};
    hf_error err;
    for (int r = 0; r < reps; r++) {
        pc.rows = 0;
        double a = now_s();
        if (hf_svc_handoff_list(b->svc, &b->sys, &f, count_row, &pc, &err))
            fprintf(stderr, "list %s: %s\n", q->label, err.msg);
        pm[r] = (now_s() - a) * 1e3;
        a = now_s();
        hand_run(b, sql, &rows, &first);
        hm[r] = (now_s() - a) * 1e3;
    }
    if (pc.rows != rows)
        printf("| MISMATCH | %s | product %ld rows, SQL %lld | | | |\n", q->label, pc.rows, rows);
    return (timing){median(pm, reps), median(hm, reps), rows};
}

/* The id after which the last tenth of the question's rows start: a cursor deep into the
 * list, as a client paging to the end reaches it. */
static int64_t deep_cursor(bench *b, const question *q, long long count)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM handoffs WHERE workspace_id = %d%s%s ORDER BY id LIMIT 1 OFFSET %lld",
             WS, *q->where ? " AND " : "", q->where, count * 9 / 10);
    long long rows, id = 0;
    hand_run(b, sql, &rows, &id);
    return id;
}

static void run_questions(bench *b, int reps)
{
    /* The product's filters and what they mean in SQL: store.c hf__store_filter_sql. */
#define OPEN "status NOT IN ('completed', 'cancelled')"
    static char overdue[128], recent[160], ae_todo[200], csm_open[160];
    snprintf(overdue, sizeof(overdue), "next_due < %lld AND " OPEN, (long long)NOW);
    snprintf(recent, sizeof(recent), "csm_email = 'sam.lee@vendor.example' AND created_at > %lld",
             (long long)(NOW - 30 * DAY));
    snprintf(ae_todo, sizeof(ae_todo),
             "status IN ('draft', 'needs_revision', 'rejected') AND "
             "owner_email = 'li.wei@vendor.example'");
    snprintf(csm_open, sizeof(csm_open), "csm_email = 'sam.lee@vendor.example' AND " OPEN);
    const unsigned todo = HF_STATUS_BIT(HF_STATUS_DRAFT) | HF_STATUS_BIT(HF_STATUS_NEEDS_REVISION) |
                          HF_STATUS_BIT(HF_STATUS_REJECTED);
    const question lists[] = {
        {"every handoff", {0}, "", false},
        {"status = held", {.status_mask = HF_STATUS_BIT(HF_STATUS_HELD)}, "status = 'held'", false},
        {"segment = smb", {.segment = "smb"}, "segment = 'smb'", false},
        {"owner = Li Wei (name)", {.owner = "Li Wei"}, "owner = 'Li Wei'", false},
        {"owner = li.wei@ (e-mail)",
         {.owner = "li.wei@vendor.example"},
         "owner_email = 'li.wei@vendor.example'",
         false},
        {"csm = Sam Lee (name)", {.csm = "Sam Lee"}, "csm = 'Sam Lee'", false},
        {"csm = sam.lee@ (e-mail)",
         {.csm = "sam.lee@vendor.example"},
         "csm_email = 'sam.lee@vendor.example'",
         false},
        {"band = substandard",
         {.band_mask = 1u << HF_BAND_SUBSTANDARD},
         "band = 'substandard'",
         false},
        {"unassigned (CS managers' queue)", {.unassigned = true}, "csm_email IS NULL", false},
        {"overdue at 2026-07-01", {.overdue_only = true, .now = NOW}, overdue, false},
        {"search \"company 4242\"",
         {.search = "company 4242"},
         "(lower(company) LIKE '%company 4242%' ESCAPE '\\' OR deal_id IN (SELECT d.id FROM "
         "deals d WHERE d.workspace_id = 1 AND lower(d.crm_id) LIKE '%company 4242%' ESCAPE "
         "'\\'))",
         false},
        {"status = held, segment = smb",
         {.status_mask = HF_STATUS_BIT(HF_STATUS_HELD), .segment = "smb"},
         "status = 'held' AND segment = 'smb'",
         false},
    };
    /* the inbox's queries (service/inbox.c) and the CSM capacity counts
     * (service/lifecycle.c, record.c): every row, or a count */
    const question inbox[] = {
        {"inbox: a rep's drafts and returns",
         {.status_mask = todo, .owner = "li.wei@vendor.example"},
         ae_todo,
         true},
        {"inbox: a CSM's scheduled meetings",
         {.status_mask = HF_STATUS_BIT(HF_STATUS_SCHEDULED), .csm = "sam.lee@vendor.example"},
         "status = 'scheduled' AND csm_email = 'sam.lee@vendor.example'",
         true},
        {"inbox: a CSM's overdue",
         {.overdue_only = true, .now = NOW, .csm = "sam.lee@vendor.example"},
         "csm_email = 'sam.lee@vendor.example' AND next_due < 1782864000 AND " OPEN,
         true},
        {"inbox: meetings held, to review",
         {.status_mask = HF_STATUS_BIT(HF_STATUS_HELD)},
         "status = 'held'",
         true},
        {"inbox: pre-close handoffs to approve",
         {.open_only = true, .trigger = "verbal_commit"},
         "trigger_kind = 'verbal_commit' AND " OPEN,
         true},
        {"inbox: the unassigned queue",
         {.open_only = true, .unassigned = true},
         "csm_email IS NULL AND " OPEN,
         true},
    };
    const question capacity[] = {
        {"CSM capacity: open handoffs",
         {.csm = "sam.lee@vendor.example", .open_only = true},
         csm_open,
         false},
        {"CSM capacity: created in 30 days",
         {.csm = "sam.lee@vendor.example", .created_after = NOW - 30 * DAY},
         recent,
         false},
    };
    printf("Each line: the product's call (hf_svc_handoff_count or hf_svc_handoff_list, as the "
           "API and the CLI make it) and the hand-written SQL on a second connection, "
           "interleaved, median of %d (pages: of %d), in ms; ratio = product / SQL.\n\n",
           reps, 3 * reps);
    printf("| what | filter | rows | product ms | SQL ms | ratio |\n");
    printf("|---|---|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        const question *q = &lists[i];
        timing c = time_count(b, q, reps);
        print_line("count", q->label, c);
        note_ratio("count", q->label, c);
        /* pages take a fraction of a millisecond: more rounds for a steady median */
        timing p = time_page(b, q, 0, 51, 3 * reps);
        print_line("first page (51)", q->label, p);
        note_ratio("first page", q->label, p);
        int64_t cur = deep_cursor(b, q, c.rows);
        if (cur) {
            timing d = time_page(b, q, cur, 51, 3 * reps);
            print_line("page at 90% (cursor)", q->label, d);
            note_ratio("page at 90%", q->label, d);
        }
    }
    for (size_t i = 0; i < sizeof(capacity) / sizeof(capacity[0]); i++) {
        timing c = time_count(b, &capacity[i], reps);
        print_line("count", capacity[i].label, c);
        note_ratio("count", capacity[i].label, c);
    }
    for (size_t i = 0; i < sizeof(inbox) / sizeof(inbox[0]); i++) {
        timing p = time_page(b, &inbox[i], 0, 0, reps);
        print_line("every row", inbox[i].label, p);
        note_ratio("every row", inbox[i].label, p);
    }
    printf("\nWorst ratio: %.2f (%s).\n", worst_ratio, worst_label);
#undef OPEN
}

/* The whole inbox of a few actors (hf_svc_inbox: its queries, then each handoff read and
 * evaluated): no single SQL statement answers it, so no ratio. */
static void time_inboxes(bench *b, int reps)
{
    struct {
        const char *label;
        hf_role role;
        const char *email;
    } who[] = {
        {"a rep (account executive)", HF_ROLE_ACCOUNT_EXECUTIVE, "li.wei@vendor.example"},
        {"a CSM", HF_ROLE_CSM, "sam.lee@vendor.example"},
        {"a CS manager (no team: every unassigned handoff)", HF_ROLE_CS_MANAGER,
         "cs.lead@vendor.example"},
    };
    printf("\n| inbox of | ms (median of %d) | items counted |\n|---|---:|---:|\n", reps);
    for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
        hf_actor a;
        memset(&a, 0, sizeof(a));
        a.workspace_id = WS;
        a.user_id = 1000 + (int64_t)i;
        a.role = who[i].role;
        a.scopes = HF_SCOPE_ALL;
        snprintf(a.email, sizeof(a.email), "%s", who[i].email);
        double ms[64];
        json_int_t total = 0;
        for (int r = 0; r < reps; r++) {
            json_t *box = NULL;
            hf_error err;
            double t = now_s();
            if (hf_svc_inbox(b->svc, &a, NOW, &box, &err))
                fprintf(stderr, "inbox: %s\n", err.msg);
            ms[r] = (now_s() - t) * 1e3;
            total = json_integer_value(json_object_get(json_object_get(box, "counts"), "total"));
            json_decref(box);
        }
        printf("| %s | %.1f | %lld |\n", who[i].label, median(ms, reps), (long long)total);
    }
}

/* ---- durable edits ---- */

static void time_edits(bench *b, int edits)
{
    hf_error err;
    char set[64];
    const char *sets[1] = {set};
    uint64_t x = 88172645463325252ull;
    double a = now_s();
    int done = 0;
    for (int i = 0; i < edits; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t id = (int64_t)(x % (uint64_t)b->n) + 1;
        snprintf(set, sizeof(set), "scope.timeline_weeks=%d", 4 + i % 20);
        if (hf_svc_handoff_edit(b->svc, &b->sys, id, 0, sets, 1, NOW + i, NULL, &err) == 0)
            done++;
    }
    double dt = now_s() - a;
    printf("\ndurable document edits (hf_svc_handoff_edit) %6d in %6.2f s = %7.0f /s  (%.2f ms "
           "each; edits of closed handoffs are refused and not counted)\n",
           done, dt, done / dt, dt * 1e3 / (done ? done : 1));
    if (!b->path)
        return;
    sqlite3 *db;
    if (sqlite3_open(b->path, &db) != SQLITE_OK)
        return;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", NULL, NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "UPDATE handoffs SET updated_at = ?1 WHERE id = ?2", -1, &st, NULL);
    a = now_s();
    for (int i = 0; i < edits; i++) {
        sqlite3_bind_int64(st, 1, i);
        sqlite3_bind_int64(st, 2, 1 + i % b->n);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    double raw = now_s() - a;
    printf("bare 1-row UPDATE, same fsync               %6d in %6.2f s = %7.0f /s  (the fsync "
           "limit)\n",
           edits, raw, edits / raw);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* ---- WAL pages per write ---- */

/* The secondary indexes of handoffs up to schema 5: migration 1's thirteen, migration 3's
 * protocol index, migration 5's two CSM indexes. */
#define HF__OLD_HANDOFF_INDEXES                                                                    \
    "CREATE INDEX handoffs_workspace ON handoffs (workspace_id, id);"                              \
    "CREATE INDEX handoffs_status ON handoffs (workspace_id, status, id);"                         \
    "CREATE INDEX handoffs_segment ON handoffs (workspace_id, segment, id);"                       \
    "CREATE INDEX handoffs_owner ON handoffs (workspace_id, owner, id);"                           \
    "CREATE INDEX handoffs_owner_email ON handoffs (workspace_id, owner_email, id);"               \
    "CREATE INDEX handoffs_csm ON handoffs (workspace_id, csm, id);"                               \
    "CREATE INDEX handoffs_csm_email ON handoffs (workspace_id, csm_email, id);"                   \
    "CREATE INDEX handoffs_band ON handoffs (workspace_id, band, id);"                             \
    "CREATE INDEX handoffs_next_due ON handoffs (workspace_id, next_due, status);"                 \
    "CREATE INDEX handoffs_t0 ON handoffs (workspace_id, t0);"                                     \
    "CREATE INDEX handoffs_quality ON handoffs (workspace_id, quality_total);"                     \
    "CREATE INDEX handoffs_completeness ON handoffs (workspace_id, completeness_d);"               \
    "CREATE INDEX handoffs_deal ON handoffs (workspace_id, deal_id);"                              \
    "CREATE INDEX handoffs_protocol ON handoffs (workspace_id, protocol_version);"                 \
    "CREATE INDEX handoffs_csm_status ON handoffs (workspace_id, csm_email, status);"              \
    "CREATE INDEX handoffs_csm_created ON handoffs (workspace_id, csm_email, created_at);"

static int exec_store(bench *b, const char *sql);

/* The first column of every row of `sql` (hand-written connection), at most `max` rows of
 * 64 bytes. Returns the rows read. */
static int hand_list(bench *b, const char *sql, char (*out)[64], int max)
{
    int n = 0;
    if (b->pg) {
        PGresult *r = PQexec(b->pg, sql);
        for (int i = 0; i < PQntuples(r) && n < max; i++)
            snprintf(out[n++], 64, "%s", PQgetvalue(r, i, 0));
        PQclear(r);
        return n;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        snprintf(out[n++], 64, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return n;
}

/* Where the write-ahead log stands: SQLite, the frames in the -wal file (the WAL is
 * truncated before each round and never checkpointed during one); PostgreSQL, the byte
 * position of the WAL (pg_current_wal_lsn). */
static double wal_mark(bench *b)
{
    if (b->pg) {
        char v[1][64];
        if (hand_list(b, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')", v, 1) != 1)
            return 0;
        return strtod(v[0], NULL);
    }
    char wal[1100];
    snprintf(wal, sizeof(wal), "%s-wal", b->path);
    struct stat sb;
    if (stat(wal, &sb) != 0 || sb.st_size < 32)
        return 0;
    return (double)((sb.st_size - 32) / (4096 + 24));
}

/* Start a round: on SQLite from an empty WAL. */
static void wal_reset(bench *b)
{
    if (!b->pg)
        exec_store(b, "PRAGMA wal_checkpoint(TRUNCATE)");
}

/* PostgreSQL logs the whole page at its first change after a checkpoint; which pages a
 * round touches first is chance, and those images would swamp what the writes log. The
 * measurement turns full_page_writes off in the (throwaway) cluster and back on after. */
static void full_page_writes(bench *b, bool on)
{
    PQclear(PQexec(b->pg, on ? "ALTER SYSTEM RESET full_page_writes"
                             : "ALTER SYSTEM SET full_page_writes = off"));
    PQclear(PQexec(b->pg, "SELECT pg_reload_conf()"));
    PQclear(PQexec(b->pg, "CHECKPOINT"));
}

/* Run the statements of `sql` (separated by ';', none inside a literal) on the store's own
 * connection: hf_store_query runs one statement. */
static int exec_store(bench *b, const char *sql)
{
    hf_error err;
    char one[512];
    while (*sql) {
        const char *end = strchr(sql, ';');
        size_t len = end ? (size_t)(end - sql) : strlen(sql);
        snprintf(one, sizeof(one), "%.*s", (int)len, sql);
        sql += end ? len + 1 : len;
        if (!one[strspn(one, " ")])
            continue;
        if (hf_store_query(b->s, one, 0, NULL, NULL, NULL, NULL, &err)) {
            fprintf(stderr, "%s: %s\n", one, err.msg);
            return -1;
        }
    }
    return 0;
}

/* The names of the secondary indexes of handoffs. */
static int index_names(bench *b, char (*names)[64], int max)
{
    return hand_list(b,
                     b->pg ? "SELECT indexname FROM pg_indexes WHERE tablename = 'handoffs' AND "
                             "indexname <> 'handoffs_pkey'"
                           : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                             "'handoffs' AND sql IS NOT NULL",
                     names, max);
}

/* Up to `k` ids of drafts spread over the table (a draft takes any edit). */
static int draft_ids(bench *b, int64_t *ids, int k, int skip)
{
    char sql[256], v[256][64];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM handoffs WHERE workspace_id = %d AND status = 'draft' AND "
             "id %% 11 = %d ORDER BY id LIMIT %d",
             WS, skip, k);
    int n = hand_list(b, sql, v, k < 256 ? k : 256);
    for (int i = 0; i < n; i++)
        ids[i] = strtoll(v[i], NULL, 10);
    return n;
}

/* The log written per create and per edit, `k` of each, each its own durable transaction. */
static void wal_round(bench *b, const char *label, long first, int k, int skip)
{
    int64_t ids[2][256];
    int nids[2] = {draft_ids(b, ids[0], k, skip), draft_ids(b, ids[1], k, skip + 1)};
    json_error_t je;
    json_t *model = json_load_file("tests/data/evaluate/acme-complete.json", 0, &je);
    hf_error err;
    wal_reset(b);
    double f0 = wal_mark(b);
    for (int i = 0; i < k; i++) {
        json_t *doc = bench_document(model, first + i);
        if (hf_svc_handoff_create(b->svc, &b->sys, doc, "bench", NOW, NULL, NULL, &err))
            fprintf(stderr, "create: %s\n", err.msg);
        json_decref(doc);
    }
    double creates = wal_mark(b) - f0;
    wal_reset(b);
    f0 = wal_mark(b);
    char set[64];
    const char *sets[1] = {set};
    int done = 0;
    for (int i = 0; i < nids[0]; i++) {
        int64_t id = ids[0][i];
        snprintf(set, sizeof(set), "scope.timeline_weeks=%d", 30 + i % 20);
        if (hf_svc_handoff_edit(b->svc, &b->sys, id, 0, sets, 1, NOW + i, NULL, &err) == 0)
            done++;
        else
            fprintf(stderr, "edit %lld: %s\n", (long long)id, err.msg);
    }
    double edits = wal_mark(b) - f0;
    wal_reset(b);
    f0 = wal_mark(b);
    int moved = 0;
    for (int i = 0; i < nids[1]; i++) {
        /* an edit that changes indexed columns: the CSM and the segment */
        int64_t id = ids[1][i];
        const char *three[3] = {"team.csm.email=\"kim.novak@vendor.example\"",
                                "team.csm.name=\"Kim Novak\"", NULL};
        char seg[64];
        snprintf(seg, sizeof(seg), "deal.segment=\"%s\"", segments[(i + 1) % 4]);
        three[2] = seg;
        if (hf_svc_handoff_edit(b->svc, &b->sys, id, 0, three, 3, NOW + i, NULL, &err) == 0)
            moved++;
        else
            fprintf(stderr, "edit %lld: %s\n", (long long)id, err.msg);
    }
    double reassign = wal_mark(b) - f0;
    json_decref(model);
    char names[64][64];
    const char *fmt =
        b->pg ? "| %s | %d | %.0f | %.0f | %.0f |\n" : "| %s | %d | %.1f | %.1f | %.1f |\n";
    printf(fmt, label, index_names(b, names, 64), creates / k, edits / (done ? done : 1),
           reassign / (moved ? moved : 1));
}

static int use_schema5_indexes(bench *b);

static int wal_bench(bench *b)
{
    const int k = 200;
    if (!b->pg && exec_store(b, "PRAGMA wal_autocheckpoint = 0"))
        return 1;
    if (b->pg)
        printf("WAL bytes written per durable operation (pg_current_wal_lsn before and after), "
               "%d of each, on a database of %ld handoffs, without full-page images "
               "(full_page_writes off for the measurement: the records the writes log; in "
               "production the first change of each page after a checkpoint adds the whole "
               "page).\n\n",
               k, b->n);
    else
        printf("WAL frames (4 KiB pages) written per durable operation, %d of each, on a "
               "database of %ld handoffs; the WAL is checkpointed and truncated between "
               "rounds.\n\n",
               k, b->n);
    printf("| indexes | secondary indexes on handoffs | per create | per edit (no indexed "
           "column changes) | per edit changing CSM and segment |\n|---|---:|---:|---:|---:|\n");
    if (b->pg)
        full_page_writes(b, false);
    wal_round(b, "this schema", b->n + 10, k, 3);
    int rc = use_schema5_indexes(b);
    if (!rc)
        wal_round(b, "schema 5's indexes (before)", b->n + 10 + k, k, 5);
    if (b->pg)
        full_page_writes(b, true);
    return rc;
}

/* Replace the indexes of handoffs by those of schema 5 (the "before" of the figures). */
static int use_schema5_indexes(bench *b)
{
    char names[64][64], drops[4096] = "";
    int n = index_names(b, names, 64);
    size_t len = 0;
    for (int i = 0; i < n && len < sizeof(drops) - 128; i++)
        len += (size_t)snprintf(drops + len, sizeof(drops) - len, "DROP INDEX %s;", names[i]);
    hf_error err;
    if (hf_store_begin(b->s, &err) || exec_store(b, drops) ||
        exec_store(b, HF__OLD_HANDOFF_INDEXES) || hf_store_commit(b->s, &err))
        return 1;
    if (b->pg) {
        PGresult *r = PQexec(b->pg, "VACUUM ANALYZE handoffs");
        PQclear(r);
    }
    return 0;
}

/* ---- plans ---- */

static void explain(bench *b)
{
    const char *const where[] = {
        "",
        "status = 'held'",
        "segment = 'smb'",
        "owner = 'Li Wei'",
        "owner_email = 'li.wei@vendor.example'",
        "csm = 'Sam Lee'",
        "csm_email = 'sam.lee@vendor.example'",
        "band = 'substandard'",
        "csm_email IS NULL",
        "next_due < 1782864000 AND status NOT IN ('completed', 'cancelled')",
        "status NOT IN ('completed', 'cancelled')",
        "csm_email = 'sam.lee@vendor.example' AND status NOT IN ('completed', 'cancelled')",
        "csm_email = 'sam.lee@vendor.example' AND created_at > 1780272000",
        "status IN ('draft', 'needs_revision', 'rejected') AND owner_email = "
        "'li.wei@vendor.example'",
        "trigger_kind = 'verbal_commit' AND status NOT IN ('completed', 'cancelled')",
        "csm_email IS NULL AND status NOT IN ('completed', 'cancelled')",
        "status = 'scheduled' AND csm_email = 'sam.lee@vendor.example'",
    };
    for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
        for (int list = 0; list < 2; list++) {
            char sql[1024];
            snprintf(sql, sizeof(sql), "%s FROM handoffs h WHERE h.workspace_id = 1%s%s%s",
                     list ? "SELECT h.id" : "SELECT count(*)", *where[i] ? " AND " : "", where[i],
                     list ? " ORDER BY h.id LIMIT 51" : "");
            char ex[1100];
            snprintf(ex, sizeof(ex), "%s %s", b->pg ? "EXPLAIN" : "EXPLAIN QUERY PLAN", sql);
            printf("%s\n", sql);
            if (b->pg) {
                PGresult *r = PQexec(b->pg, ex);
                for (int k = 0; k < PQntuples(r); k++)
                    printf("    %s\n", PQgetvalue(r, k, 0));
                PQclear(r);
            } else {
                sqlite3_stmt *st;
                if (sqlite3_prepare_v2(b->db, ex, -1, &st, NULL) == SQLITE_OK)
                    while (sqlite3_step(st) == SQLITE_ROW)
                        printf("    %s\n", (const char *)sqlite3_column_text(st, 3));
                sqlite3_finalize(st);
            }
        }
    }
}

int main(int argc, char **argv)
{
    bool wal = argc > 1 && strcmp(argv[1], "--wal") == 0;
    bool plans = argc > 1 && strcmp(argv[1], "--explain") == 0;
    bool schema5 = argc > 1 && strcmp(argv[1], "--schema5") == 0;
    if (wal || plans || schema5) {
        argc--;
        argv++;
    }
    if (argc < 2 || (!plans && argc < 3)) {
        fprintf(stderr, "usage: bench_store [--wal | --explain | --schema5] DB_URL N [EDITS]\n");
        return 64;
    }
    bench b;
    memset(&b, 0, sizeof(b));
    b.url = argv[1];
    b.n = plans ? 0 : strtol(argv[2], NULL, 10);
    int edits = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 1000;
    bool is_pg = strncmp(b.url, "postgres", 8) == 0;
    b.path = is_pg ? NULL : strncmp(b.url, "sqlite:", 7) == 0 ? b.url + 7 : b.url;
    hf_error err;
    hf_error_clear(&err);
    if (hf_store_open(b.url, true, &b.s, &err) || hf_svc_open(b.s, NULL, &b.svc, &err)) {
        fprintf(stderr, "%s: %s\n", b.url, err.msg);
        return 1;
    }
    hf_actor_system(&b.sys, WS, "bench", HF_LANG_EN);
    if (is_pg) {
        b.pg = PQconnectdb(b.url);
        if (PQstatus(b.pg) != CONNECTION_OK) {
            fprintf(stderr, "%s: %s", b.url, PQerrorMessage(b.pg));
            return 1;
        }
    } else if (sqlite3_open_v2(b.path, &b.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", b.path, sqlite3_errmsg(b.db));
        return 1;
    }
    if (plans) {
        explain(&b);
    } else {
        int64_t have = 0;
        hf_store_handoff_count(b.s, WS, NULL, &have, &err);
        if (have < b.n) {
            if (populate(&b, have, b.n))
                return 1;
            /* what autovacuum does in a database that has been running: without it the
             * planner has no statistics and index-only scans visit the table */
            if (b.pg)
                PQclear(PQexec(b.pg, "VACUUM ANALYZE"));
        }
        int reps = b.n > 200000 ? 7 : 11;
        if (wal) {
            if (wal_bench(&b))
                return 1;
        } else if (schema5) {
            /* the same questions on the same rows with schema 5's indexes */
            if (use_schema5_indexes(&b))
                return 1;
            run_questions(&b, reps);
        } else {
            run_questions(&b, reps);
            time_inboxes(&b, b.n > 200000 ? 1 : 3);
            time_edits(&b, edits);
        }
    }
    if (b.pg)
        PQfinish(b.pg);
    if (b.db)
        sqlite3_close(b.db);
    hf_svc_close(b.svc);
    hf_store_close(b.s);
    return 0;
}
