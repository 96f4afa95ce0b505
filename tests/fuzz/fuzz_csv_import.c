/* libFuzzer target for the CRM CSV reader (src/integrations/csv_import.c). The first byte
 * chooses the options and where to split the rest into 2 or 3 chunks; the same bytes are
 * then imported once whole and once split, and the two must produce exactly the same
 * callbacks (a hash of every deal and error), result and statistics. Nothing may crash,
 * leak or trip the sanitizers. */
#include "handoff/csv_import.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct digest {
    uint64_t h;
} digest;

static void mix(digest *d, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        d->h ^= b[i];
        d->h *= 1099511628211u;
    }
}

static void mix_str(digest *d, const char *s)
{
    if (s)
        mix(d, s, strlen(s) + 1);
    else
        mix(d, "\xff", 1);
}

static int on_deal(void *ctx, const hf_csv_deal *deal)
{
    digest *d = ctx;
    mix(d, "D", 1);
    mix(d, &deal->line, sizeof(deal->line));
    mix(d, &deal->format, sizeof(deal->format));
    mix_str(d, deal->crm_id);
    mix_str(d, deal->name);
    mix_str(d, deal->account);
    mix_str(d, deal->owner);
    mix_str(d, deal->stage);
    mix_str(d, deal->pipeline);
    mix_str(d, deal->type);
    mix_str(d, deal->currency);
    mix(d, &deal->has_amount, sizeof(deal->has_amount));
    if (deal->has_amount)
        mix(d, &deal->amount, sizeof(deal->amount));
    mix(d, &deal->has_close_date, sizeof(deal->has_close_date));
    if (deal->has_close_date)
        mix(d, &deal->close_day, sizeof(deal->close_day));
    mix(d, &deal->is_won, sizeof(deal->is_won));
    mix(d, &deal->is_closed, sizeof(deal->is_closed));
    if (!deal->crm_id)
        abort(); /* a good row always has an id */
    return 0;
}

static int on_error(void *ctx, const hf_error *err)
{
    digest *d = ctx;
    mix(d, "E", 1);
    mix(d, &err->line, sizeof(err->line));
    mix(d, &err->column, sizeof(err->column));
    mix_str(d, err->msg);
    if (err->line < 1 || err->column < 1)
        abort();
    return 0;
}

/* Import `data` in the chunks ending at cuts[0..ncuts) and then at size. */
static uint64_t import(const hf_csv_options *base, const uint8_t *data, size_t size,
                       const size_t *cuts, size_t ncuts)
{
    digest d = {14695981039346656037u};
    hf_csv_options o = *base;
    o.on_deal = on_deal;
    o.on_error = on_error;
    o.ctx = &d;
    hf_csv_reader *r = hf_csv_reader_new(&o);
    if (!r)
        return 0;
    hf_error err;
    int rc = 0;
    size_t at = 0;
    for (size_t i = 0; i <= ncuts && rc == 0; i++) {
        size_t end = i < ncuts ? cuts[i] : size;
        rc = hf_csv_reader_feed(r, (const char *)data + at, end - at, &err);
        at = end;
    }
    if (rc == 0)
        rc = hf_csv_reader_finish(r, &err);
    mix(&d, &rc, sizeof(rc));
    if (rc)
        mix_str(&d, err.msg);
    const hf_csv_stats *st = hf_csv_reader_stats(r);
    mix(&d, &st->rows, sizeof(st->rows));
    mix(&d, &st->good, sizeof(st->good));
    mix(&d, &st->bad, sizeof(st->bad));
    mix(&d, &st->trailer, sizeof(st->trailer));
    if (st->rows != st->good + st->bad)
        abort();
    hf_csv_format f = hf_csv_reader_format(r);
    mix(&d, &f, sizeof(f));
    hf_csv_reader_free(r);
    return d.h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const won[] = {"123456789", "Fechado e ganho", NULL};
    if (size == 0)
        return 0;
    uint8_t ctl = data[0];
    data++;
    size--;

    hf_csv_options o;
    memset(&o, 0, sizeof(o));
    o.format = (hf_csv_format)(ctl & 3) == 3 ? HF_CSV_AUTO : (hf_csv_format)(ctl & 3);
    o.max_field_bytes = (ctl & 4) ? 16 : 0;
    o.max_columns = (ctl & 8) ? 4 : 0;
    o.won_stages = (ctl & 16) ? won : NULL;

    /* 2 or 3 chunks; the cut points come from the control byte and the size */
    size_t cuts[2];
    size_t ncuts = (ctl & 32) ? 2 : 1;
    cuts[0] = size ? (size * ((ctl >> 6) + 1)) / 5 : 0;
    if (ncuts == 2) {
        cuts[1] = cuts[0] + (size - cuts[0]) / 2 + ((ctl & 64) ? 1 : 0);
        if (cuts[1] > size)
            cuts[1] = size;
    }

    uint64_t whole = import(&o, data, size, NULL, 0);
    uint64_t split = import(&o, data, size, cuts, ncuts);
    if (whole != split)
        abort();
    return 0;
}
