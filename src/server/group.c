/* Group commit for handoffd on SQLite.
 *
 * With synchronous=FULL every committed transaction costs an fsync, which caps durable
 * writes at a few thousand a second however many clients wait. Here the write handlers do
 * not commit on their own: each request's handler runs on one writer thread, inside a
 * savepoint of the transaction the writer has open, and all the requests that arrived
 * while the previous group was being written are committed together, with one fsync.
 * Nothing is acknowledged before its group's COMMIT has returned, so the durability is
 * the same as one transaction per request; a handler that fails (an answer of 400 or more)
 * is rolled back to its savepoint alone. If the COMMIT itself fails, every request of the
 * group that had succeeded is answered 503 instead.
 *
 * Handlers that hash passwords (tens of milliseconds) are not routed here, so that they
 * never hold up a group. PostgreSQL commits concurrent connections in parallel and groups
 * its WAL flushes itself, so the server uses this only on SQLite. */
#include "server/server.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct job {
    hf_handler fn;
    hf_req *req;
    hf_resp *resp;
    bool done;
    struct job *next;
} job;

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

static void write_group(job *batch)
{
    hf_store *s = hf_server_store();
    hf_error err;
    if (!s) {
        for (job *j = batch; j; j = j->next)
            fail(j->resp, "the database is not reachable");
        return;
    }
    bool grouped = hf_store_begin(s, &err) == 0;
    for (job *j = batch; j; j = j->next) {
        bool own = grouped && hf_store_begin(s, &err) == 0; /* a savepoint */
        j->fn(j->req, j->resp);
        if (own) {
            if (j->resp->status >= 400 || j->resp->status == 0)
                s->ops->rollback(s);
            else if (hf_store_commit(s, &err))
                fail(j->resp, "the write could not be saved");
        }
    }
    if (grouped && hf_store_commit(s, &err)) {
        s->ops->rollback(s);
        for (job *j = batch; j; j = j->next) {
            if (j->resp->status < 400)
                fail(j->resp, "the write could not be made durable");
        }
    }
}

static void *writer(void *arg)
{
    (void)arg;
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

void hf_group_run(hf_handler fn, hf_req *req, hf_resp *resp)
{
    job j = {fn, req, resp, false, NULL};
    pthread_mutex_lock(&g_lock);
    if (g_tail)
        g_tail->next = &j;
    else
        g_head = &j;
    g_tail = &j;
    pthread_cond_signal(&g_work);
    while (!j.done)
        pthread_cond_wait(&g_done, &g_lock);
    pthread_mutex_unlock(&g_lock);
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
