/* Prometheus metrics of handoffd: requests by route, method and status, a latency
 * histogram, and store operation timings. Fixed tables: the route set is small and known,
 * so no allocation happens per request; the counts are kept per thread (no lock or shared
 * cache line per request) and added up when /metrics is read. */
#include "server/server.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 256
#define MAX_OPS 64
#define MAX_SHARDS 256
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

/* The keys of the series: appended under g_lock, read without it (a slot is filled before
 * the count that makes it visible is published). */
typedef struct series {
    char route[96];
    char method[8];
    int status;
} series;

static series g_series[MAX_SERIES];
static char g_ops[MAX_OPS][48];
static unsigned g_nseries, g_nops; /* published with release, read with acquire */

/* The counts, one shard per thread, so that a request touches no shared lock or cache
 * line: /metrics adds the shards up. */
typedef unsigned long long counter;
typedef struct shard {
    counter series[MAX_SERIES];
    counter hist[NBUCKETS + 1];
    counter sum_ns, total;
    counter ops[MAX_OPS];
    counter ops_ns[MAX_OPS];
} shard;

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static shard *g_shards[MAX_SHARDS];
static unsigned g_nshards;
static shard g_shared; /* for the threads beyond MAX_SHARDS */
static __thread shard *t_shard;

static shard *my_shard(void)
{
    if (t_shard)
        return t_shard;
    shard *sh = calloc(1, sizeof(*sh));
    pthread_mutex_lock(&g_lock);
    if (sh && g_nshards < MAX_SHARDS) {
        g_shards[g_nshards] = sh;
        __atomic_store_n(&g_nshards, g_nshards + 1, __ATOMIC_RELEASE);
    } else {
        free(sh);
        sh = &g_shared;
    }
    pthread_mutex_unlock(&g_lock);
    t_shard = sh;
    return sh;
}

#define ADD(p, v) __atomic_fetch_add(&(p), (v), __ATOMIC_RELAXED)
#define GET(p) __atomic_load_n(&(p), __ATOMIC_RELAXED)

static bool same_series(const series *s, const char *route, const char *method, int status)
{
    return s->status == status && strcmp(s->route, route) == 0 && strcmp(s->method, method) == 0;
}

/* The slot of a series, made on first sight; -1 when the table is full. */
static int series_slot(const char *route, const char *method, int status)
{
    unsigned n = __atomic_load_n(&g_nseries, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++)
        if (same_series(&g_series[i], route, method, status))
            return (int)i;
    int slot = -1;
    pthread_mutex_lock(&g_lock);
    n = g_nseries;
    for (unsigned i = 0; i < n && slot < 0; i++)
        if (same_series(&g_series[i], route, method, status))
            slot = (int)i;
    if (slot < 0 && n < MAX_SERIES) {
        snprintf(g_series[n].route, sizeof(g_series[n].route), "%s", route);
        snprintf(g_series[n].method, sizeof(g_series[n].method), "%s", method);
        g_series[n].status = status;
        __atomic_store_n(&g_nseries, n + 1, __ATOMIC_RELEASE);
        slot = (int)n;
    }
    pthread_mutex_unlock(&g_lock);
    return slot;
}

static int op_slot(const char *op)
{
    unsigned n = __atomic_load_n(&g_nops, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < n; i++)
        if (strcmp(g_ops[i], op) == 0)
            return (int)i;
    int slot = -1;
    pthread_mutex_lock(&g_lock);
    n = g_nops;
    for (unsigned i = 0; i < n && slot < 0; i++)
        if (strcmp(g_ops[i], op) == 0)
            slot = (int)i;
    if (slot < 0 && n < MAX_OPS) {
        snprintf(g_ops[n], sizeof(g_ops[n]), "%s", op);
        __atomic_store_n(&g_nops, n + 1, __ATOMIC_RELEASE);
        slot = (int)n;
    }
    pthread_mutex_unlock(&g_lock);
    return slot;
}

void hf_metrics_request(const char *route, const char *method, int status, double seconds)
{
    shard *sh = my_shard();
    int slot = series_slot(route, method, status);
    if (slot >= 0)
        ADD(sh->series[slot], 1);
    size_t b = 0;
    while (b < NBUCKETS && seconds > buckets[b])
        b++;
    ADD(sh->hist[b], 1);
    ADD(sh->sum_ns, (counter)(seconds * 1e9));
    ADD(sh->total, 1);
}

void hf_metrics_store(const char *op, double seconds)
{
    shard *sh = my_shard();
    int slot = op_slot(op);
    if (slot < 0)
        return;
    ADD(sh->ops[slot], 1);
    ADD(sh->ops_ns[slot], (counter)(seconds * 1e9));
}

/* The sum over every shard of the counter at byte offset `off` (a shard's member). */
static counter total_at(size_t off)
{
    counter t = 0;
    unsigned n = __atomic_load_n(&g_nshards, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i <= n; i++) {
        const shard *sh = i < n ? g_shards[i] : &g_shared;
        t += GET(*(const counter *)(const void *)((const char *)sh + off));
    }
    return t;
}
#define SUM(member) total_at(offsetof(shard, member))

char *hf_metrics_render(void)
{
    size_t cap = 64 * 1024, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
#define EMIT(...)                                                                                  \
    do {                                                                                           \
        if (n < cap)                                                                               \
            n += (size_t)snprintf(out + n, cap - n, __VA_ARGS__);                                  \
    } while (0)
    unsigned nseries = __atomic_load_n(&g_nseries, __ATOMIC_ACQUIRE);
    unsigned nops = __atomic_load_n(&g_nops, __ATOMIC_ACQUIRE);
    EMIT("# HELP handoff_http_requests_total HTTP requests by route, method and status.\n");
    EMIT("# TYPE handoff_http_requests_total counter\n");
    for (unsigned i = 0; i < nseries; i++)
        EMIT("handoff_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
             g_series[i].route, g_series[i].method, g_series[i].status, SUM(series[i]));
    EMIT("# HELP handoff_http_request_duration_seconds Time to answer a request.\n");
    EMIT("# TYPE handoff_http_request_duration_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t b = 0; b < NBUCKETS; b++) {
        cum += SUM(hist[b]);
        EMIT("handoff_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[b], cum);
    }
    cum += SUM(hist[NBUCKETS]);
    EMIT("handoff_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    EMIT("handoff_http_request_duration_seconds_sum %.6f\n", (double)SUM(sum_ns) / 1e9);
    EMIT("handoff_http_request_duration_seconds_count %llu\n", SUM(total));
    EMIT("# HELP handoff_store_seconds_total Time spent in store operations.\n");
    EMIT("# TYPE handoff_store_seconds_total counter\n");
    for (unsigned i = 0; i < nops; i++)
        EMIT("handoff_store_seconds_total{op=\"%s\"} %.6f\n", g_ops[i],
             (double)SUM(ops_ns[i]) / 1e9);
    EMIT("# HELP handoff_store_operations_total Store operations.\n");
    EMIT("# TYPE handoff_store_operations_total counter\n");
    for (unsigned i = 0; i < nops; i++)
        EMIT("handoff_store_operations_total{op=\"%s\"} %llu\n", g_ops[i], SUM(ops[i]));
#undef EMIT
    return out;
}
