/* The CSV reader alone over a file: rows per second of parsing and normalizing, the floor
 * under `handoff import`. Prints the counts. */
#include "handoff/csv_import.h"

#include <stdio.h>
#include <stdlib.h>

static int on_deal(void *ctx, const hf_csv_deal *d)
{
    (*(long *)ctx) += d->is_won;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_csv FILE.csv\n");
        return 64;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 66;
    }
    long won = 0;
    hf_csv_options o = {0};
    o.on_deal = on_deal;
    o.ctx = &won;
    hf_csv_reader *r = hf_csv_reader_new(&o);
    static char buf[1 << 16];
    size_t n;
    hf_error err;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        if (hf_csv_reader_feed(r, buf, n, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 65;
        }
    }
    hf_csv_reader_finish(r, &err);
    const hf_csv_stats *st = hf_csv_reader_stats(r);
    printf("rows %ld good %ld bad %ld won %ld\n", st->rows, st->good, st->bad, won);
    hf_csv_reader_free(r);
    fclose(f);
    return 0;
}
