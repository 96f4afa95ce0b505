/* The bare rate of durable one-row transactions on SQLite, the machine's write limit for a
 * server that commits once per request: for SECONDS seconds, BEGIN IMMEDIATE; INSERT one
 * row of BYTES bytes; COMMIT, in WAL mode with synchronous=FULL (as handoffd runs), on
 * one connection. Prints "transactions/s". Used by make bench-server.
 *
 *   bench_fsync DB-PATH [SECONDS] [BYTES] */
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

static void must(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "bench_fsync: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_fsync DB-PATH [SECONDS] [BYTES]\n");
        return 2;
    }
    double secs = argc > 2 ? atof(argv[2]) : 5;
    int bytes = argc > 3 ? atoi(argv[3]) : 200;
    if (bytes < 1 || bytes > 1 << 20)
        bytes = 200;
    sqlite3 *db;
    must(sqlite3_open(argv[1], &db), db, "open");
    must(sqlite3_exec(db,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                      "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)",
                      NULL, NULL, NULL),
         db, "setup");
    sqlite3_stmt *ins, *begin, *commit;
    must(sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (?1)", -1, &ins, NULL), db, "prepare");
    must(sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL), db, "prepare");
    must(sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), db, "prepare");
    char *value = malloc((size_t)bytes + 1);
    memset(value, 'x', (size_t)bytes);
    value[bytes] = '\0';
    long n = 0;
    double t0 = now_s(), t = t0;
    while (t - t0 < secs) {
        must(sqlite3_step(begin), db, "begin");
        sqlite3_reset(begin);
        sqlite3_bind_text(ins, 1, value, bytes, SQLITE_STATIC);
        must(sqlite3_step(ins), db, "insert");
        sqlite3_reset(ins);
        must(sqlite3_step(commit), db, "commit");
        sqlite3_reset(commit);
        n++;
        if ((n & 15) == 0)
            t = now_s();
    }
    t = now_s();
    printf("%.0f\n", (double)n / (t - t0));
    sqlite3_finalize(ins);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_close(db);
    free(value);
    return 0;
}
