/* Benchmark: evaluations per second of the case documents, JSON parsing included, against
 * a parse-only baseline (json_loadb of the same bytes with the same library) in the same
 * run, so the ratio says what the engine costs on top of reading the document; and the
 * product's own reader (hf_json_loadb, which parse+validate uses) against that baseline.
 *
 *   build/bench/bench_evaluate DIR [ROUNDS] [SECONDS_PER_ROUND]
 *
 * For every NAME.json (not *.expected.json / *.protocol.json) of DIR that is a valid
 * document, each round runs each variant for SECONDS_PER_ROUND and the median of the
 * rounds is printed (the machine is shared and noisy: medians, not bests). */
#include "handoff/document.h"
#include "handoff/evaluate.h"
#include "handoff/os.h"
#include "handoff/protocol.h"

#include <dirent.h>
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

typedef struct doc {
    char name[128];
    char *buf;
    size_t len;
} doc;

enum { PARSE_ONLY, FAST_PARSE_ONLY, PARSE_VALIDATE, FULL, FULL_JSON, VARIANTS };
static const char *const variant_names[VARIANTS] = {"json_loadb only", "hf_json_loadb only",
                                                    "parse+validate", "parse+validate+evaluate",
                                                    "… + render JSON"};

static volatile size_t sink;

static long run_variant(int v, const doc *docs, size_t ndocs, const hf_protocol *p, double seconds)
{
    long ops = 0;
    double end = now_s() + seconds;
    while (now_s() < end) {
        for (int rep = 0; rep < 64; rep++) {
            const doc *d = &docs[(size_t)ops % ndocs];
            json_t *j = NULL;
            if (v == PARSE_ONLY) {
                j = json_loadb(d->buf, d->len, 0, NULL);
            } else if (v == FAST_PARSE_ONLY) {
                j = hf_json_loadb(d->buf, d->len, 0, NULL);
            } else {
                hf_error err;
                if (hf_document_parse(d->buf, d->len, &j, &err) == 0 && v >= FULL) {
                    hf_evaluation ev;
                    if (hf_evaluate(j, p, 1793534400, &ev, &err) == 0) {
                        sink += (size_t)ev.total;
                        if (v == FULL_JSON) {
                            json_t *o = hf_evaluation_to_json(&ev);
                            char *s = json_dumps(o, HF_EVALUATION_JSON_FLAGS);
                            sink += strlen(s);
                            free(s);
                            json_decref(o);
                        }
                    }
                    hf_evaluation_free(&ev);
                }
            }
            json_decref(j);
            ops++;
        }
    }
    return ops;
}

int main(int argc, char **argv)
{
    hf_tz_set_loader(hf_tz_system_loader, NULL); /* as the product does */
    const char *dir = argc > 1 ? argv[1] : "tests/data/evaluate";
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 9;
    double secs = argc > 3 ? strtod(argv[3], NULL) : 0.5;
    if (rounds < 1 || rounds > 99)
        rounds = 5;
    doc docs[256];
    size_t ndocs = 0, bytes = 0;
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    struct dirent *de;
    while ((de = readdir(d)) && ndocs < 256) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") || strstr(de->d_name, ".expected.") ||
            strstr(de->d_name, ".protocol."))
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        doc *x = &docs[ndocs];
        x->buf = malloc(1 << 20);
        x->len = fread(x->buf, 1, 1 << 20, f);
        fclose(f);
        json_t *j = NULL;
        hf_error err;
        if (hf_document_parse(x->buf, x->len, &j, &err) != 0) {
            free(x->buf);
            continue;
        }
        json_decref(j);
        snprintf(x->name, sizeof(x->name), "%s", de->d_name);
        bytes += x->len;
        ndocs++;
    }
    closedir(d);
    if (!ndocs) {
        fprintf(stderr, "no valid documents in %s\n", dir);
        return 1;
    }
    hf_protocol p;
    hf_protocol_default(&p);
    printf("documents: %zu valid (mean %zu bytes), %d rounds x %.1f s per variant\n\n", ndocs,
           bytes / ndocs, rounds, secs);
    /* rounds interleave the variants, so that a noisy neighbour slows all of them alike */
    double med[VARIANTS], rate[VARIANTS][99];
    for (int r = 0; r < rounds; r++) {
        for (int v = 0; v < VARIANTS; v++) {
            double t0 = now_s();
            long ops = run_variant(v, docs, ndocs, &p, secs);
            rate[v][r] = (double)ops / (now_s() - t0);
        }
    }
    for (int v = 0; v < VARIANTS; v++) {
        qsort(rate[v], (size_t)rounds, sizeof(double), cmp_double);
        med[v] = rate[v][rounds / 2];
        printf("%-26s %10.0f docs/s  (min %.0f, max %.0f)  %6.2f us/doc  %.0f MB/s\n",
               variant_names[v], med[v], rate[v][0], rate[v][rounds - 1], 1e6 / med[v],
               med[v] * (double)(bytes / ndocs) / 1e6);
    }
    printf("\nengine cost over parse+validate: %.2f us/doc (%.0f%% of the parse-only time)\n",
           1e6 / med[FULL] - 1e6 / med[PARSE_VALIDATE],
           100.0 * (1e6 / med[FULL] - 1e6 / med[PARSE_VALIDATE]) / (1e6 / med[PARSE_ONLY]));
    printf("full evaluation / parse-only throughput: %.2f\n", med[FULL] / med[PARSE_ONLY]);
    printf("hf_json_loadb (the product's reader, src/core/json_parse.c) / jansson's json_loadb: "
           "%.2fx the documents per second\n",
           med[FAST_PARSE_ONLY] / med[PARSE_ONLY]);
    /* the engine alone, on documents already parsed: the cost evaluate() adds */
    json_t *parsed[256];
    for (size_t i = 0; i < ndocs; i++)
        hf_document_parse(docs[i].buf, docs[i].len, &parsed[i], NULL);
    double eng[99];
    for (int r = 0; r < rounds; r++) {
        long ops = 0;
        double t0 = now_s(), end = t0 + secs;
        while (now_s() < end) {
            for (int k = 0; k < 64; k++, ops++) {
                hf_evaluation ev;
                hf_error err;
                if (hf_evaluate(parsed[(size_t)ops % ndocs], &p, 1793534400, &ev, &err) == 0)
                    sink += (size_t)ev.total;
                hf_evaluation_free(&ev);
            }
        }
        eng[r] = (double)ops / (now_s() - t0);
    }
    qsort(eng, (size_t)rounds, sizeof(double), cmp_double);
    printf("evaluate() alone on parsed documents: %.0f evaluations/s (%.2f us each) = %.1f%% "
           "of the parse-only time\n",
           eng[rounds / 2], 1e6 / eng[rounds / 2], 100.0 * med[PARSE_ONLY] / eng[rounds / 2]);
    for (size_t i = 0; i < ndocs; i++)
        json_decref(parsed[i]);
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i].buf);
    hf_protocol_free(&p);
    return 0;
}
