/* Group commit for handoffd on SQLite.
 *
 * With synchronous=FULL every committed transaction costs an fsync, which caps durable
 * writes at one transaction per fsync however many clients wait. Here one writer thread
 * holds the write lock: the writes that arrived while the previous group was being written
 * are applied together, each in a savepoint of one transaction, and committed with one
 * fsync. Nothing is acknowledged before its group's COMMIT has returned, so the durability
 * is that of one transaction per request; a write that fails is rolled back to its
 * savepoint alone. If the COMMIT itself fails, every write of the group that had succeeded
 * fails with it (503).
 *
 * Two kinds of work join a group:
 *  - the apply step of a service write (hf_group_apply, the service's commit_apply hook):
 *    the creation of a handoff and every document write were read, checked, diffed and
 *    evaluated on the pool thread that received them; the writer only runs their inserts
 *    and updates, guarded by the version and status they were made from (the service makes
 *    a write that named no version again when another landed first). This is where
 *    the writer's time goes to the disk, not to the CPU.
 *  - the whole handler of the other writes (hf_group_run: status changes, reviews,
 *    checklists...), which are rarer and cheap.
 *
 * Handlers that hash passwords (tens of milliseconds) are not routed here, so that they
 * never hold up a group. PostgreSQL commits concurrent connections in parallel and groups
 * its WAL flushes itself, so the server uses this only on SQLite. */
#include "server/server.h"

#include "handoff/service.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct job {
    /* a whole handler ... */
    hf_handler fn;
    hf_req *req;
    hf_resp *resp;
    /* ... or the apply step of a service write */
    int (*apply)(hf_svc *svc, void *ctx, hf_error *err);
    void *ctx;
    hf_error *err;
    int rc;
    bool done;
    struct job *next;
} job;

static __thread bool g_on_writer;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_work = PTHREAD_COND_INITIALIZER;
static pthread_cond_t g_done = PTHREAD_COND_INITIALIZER;
static job *g_head, *g_tail;
static bool g_running, g_stopping;
static pthread_t g_thread;
static unsigned long g_groups, g_jobs;

static void fail(hf_resp *resp, const char *detail)
{
    free(resp->body);
    memset(resp, 0, sizeof(*resp));
    hf_resp_problem(resp, 503, "Service Unavailable", detail, NULL);
    resp->retry_after = 1;
}

static bool job_failed(const job *j)
{
    return j->apply ? j->rc != 0 : j->resp->status >= 400 || j->resp->status == 0;
}

static void job_fail(job *j, const char *detail)
{
    if (j->apply) {
        j->rc = hf_error_set(j->err, HF_EDB, NULL, "%s", detail);
        return;
    }
    fail(j->resp, detail);
}

static void write_group(job *batch)
{
    hf_store *s = hf_server_store();
    hf_svc *svc = hf_server_service();
    hf_error err;
    if (!s || !svc) {
        for (job *j = batch; j; j = j->next)
            job_fail(j, "the database is not reachable");
        return;
    }
    bool grouped = hf_store_begin(s, &err) == 0;
    for (job *j = batch; j; j = j->next) {
        bool own = grouped && hf_store_begin(s, &err) == 0; /* a savepoint */
        if (!own && j->apply) {
            job_fail(j, "the database is busy");
            continue;
        }
        if (j->apply)
            j->rc = j->apply(svc, j->ctx, j->err);
        else
            j->fn(j->req, j->resp);
        if (own) {
            if (job_failed(j))
                hf_store_rollback(s);
            else if (hf_store_commit(s, &err))
                job_fail(j, "the write could not be saved");
        }
    }
    if (grouped && hf_store_commit(s, &err)) {
        hf_store_rollback(s);
        for (job *j = batch; j; j = j->next) {
            if (!job_failed(j))
                job_fail(j, "the write could not be made durable");
        }
    }
}

static void *writer(void *arg)
{
    (void)arg;
    g_on_writer = true;
    for (;;) {
        pthread_mutex_lock(&g_lock);
        while (!g_head && !g_stopping)
            pthread_cond_wait(&g_work, &g_lock);
        job *batch = g_head;
        g_head = g_tail = NULL;
        pthread_mutex_unlock(&g_lock);
        if (!batch)
            break; /* stopping, and nothing left */
        write_group(batch);
        unsigned long n = 0;
        pthread_mutex_lock(&g_lock);
        for (job *j = batch; j; j = j->next, n++)
            j->done = true;
        g_groups++;
        g_jobs += n;
        pthread_cond_broadcast(&g_done);
        pthread_mutex_unlock(&g_lock);
    }
    return NULL;
}

int hf_group_start(void)
{
    g_stopping = false;
    if (pthread_create(&g_thread, NULL, writer, NULL) != 0)
        return -1;
    g_running = true;
    return 0;
}

bool hf_group_enabled(void)
{
    return g_running;
}

static void enqueue_and_wait(job *j)
{
    pthread_mutex_lock(&g_lock);
    if (g_tail)
        g_tail->next = j;
    else
        g_head = j;
    g_tail = j;
    pthread_cond_signal(&g_work);
    while (!j->done)
        pthread_cond_wait(&g_done, &g_lock);
    pthread_mutex_unlock(&g_lock);
}

void hf_group_run(hf_handler fn, hf_req *req, hf_resp *resp)
{
    if (g_on_writer) {
        fn(req, resp);
        return;
    }
    job j;
    memset(&j, 0, sizeof(j));
    j.fn = fn;
    j.req = req;
    j.resp = resp;
    enqueue_and_wait(&j);
}

int hf_group_apply(int (*fn)(hf_svc *svc, void *ctx, hf_error *err), void *ctx, hf_error *err)
{
    if (!g_running || g_on_writer) {
        /* not grouping (or already in the writer's transaction): a transaction of its own */
        hf_store *s = hf_server_store();
        hf_svc *svc = hf_server_service();
        if (!s || !svc)
            return hf_error_set(err, HF_EDB, NULL, "the database is not reachable");
        int rc = hf_store_begin(s, err);
        if (rc)
            return rc;
        rc = fn(svc, ctx, err);
        if (rc)
            hf_store_rollback(s);
        else
            rc = hf_store_commit(s, err);
        return rc;
    }
    job j;
    memset(&j, 0, sizeof(j));
    j.apply = fn;
    j.ctx = ctx;
    j.err = err;
    enqueue_and_wait(&j);
    return j.rc;
}

void hf_group_stop(void)
{
    if (!g_running)
        return;
    pthread_mutex_lock(&g_lock);
    g_stopping = true;
    pthread_cond_signal(&g_work);
    pthread_mutex_unlock(&g_lock);
    pthread_join(g_thread, NULL);
    g_running = false;
}

void hf_group_stats(unsigned long *groups, unsigned long *jobs)
{
    pthread_mutex_lock(&g_lock);
    *groups = g_groups;
    *jobs = g_jobs;
    pthread_mutex_unlock(&g_lock);
}
