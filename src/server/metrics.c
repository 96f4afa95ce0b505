/* Prometheus metrics of handoffd: requests by route, method and status, a latency
 * histogram, and store operation timings. A fixed table of series under one mutex: the
 * route set is small and known, so no allocation happens per request. */
#include "server/server.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 256
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

typedef struct series {
    char route[96];
    char method[8];
    int status;
    unsigned long count;
} series;

typedef struct op_series {
    char op[48];
    unsigned long count;
    double seconds;
} op_series;

static series g_series[MAX_SERIES];
static op_series g_ops[64];
static unsigned long g_hist[NBUCKETS + 1];
static double g_sum;
static unsigned long g_total;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void hf_metrics_request(const char *route, const char *method, int status, double seconds)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_SERIES; i++) {
        series *s = &g_series[i];
        if (s->count == 0) {
            snprintf(s->route, sizeof(s->route), "%s", route);
            snprintf(s->method, sizeof(s->method), "%s", method);
            s->status = status;
        }
        if (s->status == status && strcmp(s->route, route) == 0 && strcmp(s->method, method) == 0) {
            s->count++;
            break;
        }
    }
    size_t b = 0;
    while (b < NBUCKETS && seconds > buckets[b])
        b++;
    g_hist[b]++;
    g_sum += seconds;
    g_total++;
    pthread_mutex_unlock(&g_lock);
}

void hf_metrics_store(const char *op, double seconds)
{
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < 64; i++) {
        op_series *o = &g_ops[i];
        if (o->count == 0)
            snprintf(o->op, sizeof(o->op), "%s", op);
        if (strcmp(o->op, op) == 0) {
            o->count++;
            o->seconds += seconds;
            break;
        }
    }
    pthread_mutex_unlock(&g_lock);
}

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
    pthread_mutex_lock(&g_lock);
    EMIT("# HELP handoff_http_requests_total HTTP requests by route, method and status.\n");
    EMIT("# TYPE handoff_http_requests_total counter\n");
    for (int i = 0; i < MAX_SERIES && g_series[i].count; i++)
        EMIT("handoff_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %lu\n",
             g_series[i].route, g_series[i].method, g_series[i].status, g_series[i].count);
    EMIT("# HELP handoff_http_request_duration_seconds Time to answer a request.\n");
    EMIT("# TYPE handoff_http_request_duration_seconds histogram\n");
    unsigned long cum = 0;
    for (size_t b = 0; b < NBUCKETS; b++) {
        cum += g_hist[b];
        EMIT("handoff_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n", buckets[b], cum);
    }
    cum += g_hist[NBUCKETS];
    EMIT("handoff_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n", cum);
    EMIT("handoff_http_request_duration_seconds_sum %.6f\n", g_sum);
    EMIT("handoff_http_request_duration_seconds_count %lu\n", g_total);
    EMIT("# HELP handoff_store_seconds_total Time spent in store operations.\n");
    EMIT("# TYPE handoff_store_seconds_total counter\n");
    for (int i = 0; i < 64 && g_ops[i].count; i++)
        EMIT("handoff_store_seconds_total{op=\"%s\"} %.6f\n", g_ops[i].op, g_ops[i].seconds);
    EMIT("# HELP handoff_store_operations_total Store operations.\n");
    EMIT("# TYPE handoff_store_operations_total counter\n");
    for (int i = 0; i < 64 && g_ops[i].count; i++)
        EMIT("handoff_store_operations_total{op=\"%s\"} %lu\n", g_ops[i].op, g_ops[i].count);
    pthread_mutex_unlock(&g_lock);
#undef EMIT
    return out;
}
