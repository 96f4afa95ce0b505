/* Durability: a writer process acknowledges each durable write through a pipe, and is
 * killed with SIGKILL in the middle of its stream. Every acknowledged write must then be
 * in the database, and the database must pass its integrity check. Runs on SQLite (a
 * temporary file) and on PostgreSQL when HANDOFF_TEST_PG is set (there the server is the
 * one that must not lose the write; the killed process is the client). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/store.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WS 7

/* Child: write deals crash-0, crash-1, ... forever, each in its own transaction, and
 * report each one after the store said it was committed. */
static void writer(const char *url, int fd, int64_t ws)
{
    hf_store *s;
    hf_error err;
    if (hf_store_open(url, true, &s, &err) != 0)
        _exit(2);
    hf_store_workspace_ensure(s, ws, "crash", &err);
    for (long i = 0;; i++) {
        char id[64];
        snprintf(id, sizeof(id), "crash-%ld", i);
        hf_deal_rec d;
        memset(&d, 0, sizeof(d));
        d.workspace_id = ws;
        d.crm_source = "manual";
        d.crm_id = id;
        d.name = "durability";
        if (hf_store_deal_upsert(s, &d, NULL, &err) != 0)
            _exit(3);
        if (write(fd, &i, sizeof(i)) != (ssize_t)sizeof(i))
            _exit(4);
    }
}

static void crash_and_check(const char *url, int64_t ws)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        writer(url, fds[1], ws);
    }
    close(fds[1]);
    long last = -1, got;
    /* let it acknowledge a few hundred writes, then kill it mid-stream */
    while (last < 300 && read(fds[0], &got, sizeof(got)) == (ssize_t)sizeof(got))
        last = got;
    kill(pid, SIGKILL);
    /* drain acknowledgements that were already in the pipe */
    while (read(fds[0], &got, sizeof(got)) == (ssize_t)sizeof(got))
        last = got;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    assert_true(last >= 300);

    hf_store *s;
    hf_error err;
    assert_int_equal(hf_store_open(url, true, &s, &err), 0);
    for (long i = 0; i <= last; i++) {
        char id[64];
        snprintf(id, sizeof(id), "crash-%ld", i);
        hf_deal_rec d;
        int rc = hf_store_deal_get(s, ws, 0, id, &d, &err);
        if (rc)
            fail_msg("acknowledged write %s is missing after kill -9", id);
        hf_deal_rec_free(&d);
    }
    char result[256];
    assert_int_equal(hf_store_check(s, result, sizeof(result), &err), 0);
    assert_string_equal(result, "ok");
    hf_store_close(s);
}

static void test_sqlite_kill9(void **state)
{
    (void)state;
    char path[128], extra[160];
    snprintf(path, sizeof(path), "/tmp/handoff-crash-%d.db", (int)getpid());
    unlink(path);
    crash_and_check(path, WS);
    unlink(path);
    snprintf(extra, sizeof(extra), "%s-wal", path);
    unlink(extra);
    snprintf(extra, sizeof(extra), "%s-shm", path);
    unlink(extra);
}

static void test_postgresql_kill9(void **state)
{
    (void)state;
    const char *url = getenv("HANDOFF_TEST_PG");
    if (!url || !*url)
        fail_msg("HANDOFF_TEST_PG is not set: the PostgreSQL crash test cannot run");
    crash_and_check(url, 7000 + (int64_t)getpid());
}

int main(void)
{
    const struct CMUnitTest sqlite_tests[] = {cmocka_unit_test(test_sqlite_kill9)};
    const struct CMUnitTest pg_tests[] = {cmocka_unit_test(test_postgresql_kill9)};
    int failed = cmocka_run_group_tests_name("crash_sqlite", sqlite_tests, NULL, NULL);
    const char *no_pg = getenv("HANDOFF_TEST_NO_PG");
    if (!(no_pg && strcmp(no_pg, "1") == 0))
        failed += cmocka_run_group_tests_name("crash_postgresql", pg_tests, NULL, NULL);
    return failed;
}
