/* CRM export import: the CSV reader's deals go into the store in batches of a few
 * thousand rows per transaction (one fsync per batch instead of per row, the difference
 * between ~5k and ~200k rows/s on SQLite with synchronous=FULL); see crm_import.h. */
#include "handoff/crm_import.h"

#include "handoff/handoffs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct import_ctx {
    hf_store *s;
    int64_t ws;
    const hf_import_options *opts;
    const hf_protocol *p;
    hf_import_stats *stats;
    hf_error *err; /* the store's error when a row's write fails (the reader then stops) */
    long in_batch;
    bool in_tx;
    bool failed;
} import_ctx;

static const char *source_name(hf_csv_format f)
{
    return f == HF_CSV_HUBSPOT ? "hubspot" : "salesforce";
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static int write_deal(import_ctx *c, const hf_csv_deal *row);

static int on_deal(void *vctx, const hf_csv_deal *row)
{
    import_ctx *c = vctx;
    int rc = write_deal(c, row);
    if (rc)
        c->failed = true;
    return rc;
}

static int write_deal(import_ctx *c, const hf_csv_deal *row)
{
    int rc;
    if (!c->in_tx) {
        rc = hf_store_begin(c->s, c->err);
        if (rc)
            return rc;
        c->in_tx = true;
    }
    hf_deal_rec d;
    memset(&d, 0, sizeof(d));
    d.workspace_id = c->ws;
    d.crm_source = (char *)source_name(row->format);
    d.crm_id = (char *)row->crm_id;
    d.name = (char *)row->name;
    d.account = (char *)row->account;
    d.owner = (char *)row->owner;
    d.stage = (char *)row->stage;
    d.currency = (char *)row->currency;
    d.has_amount = row->has_amount;
    d.amount = row->amount;
    d.has_close_date = row->has_close_date;
    d.close_day = row->close_day;
    d.is_won = row->is_won;
    d.updated_at = c->opts->now;
    bool created = false;
    rc = c->s->ops->deal_upsert(c->s, &d, &created, c->err);
    if (rc)
        return rc;
    if (created)
        c->stats->created++;
    else
        c->stats->updated++;
    if (row->is_won) {
        hf_handoff_rec h;
        hf_error e;
        /* a deal created just now has no handoff yet: no need to ask */
        rc = created ? HF_ENOTFOUND : c->s->ops->handoff_get_by_deal(c->s, c->ws, d.id, &h, &e);
        if (rc == 0) {
            hf_handoff_rec_free(&h);
        } else if (rc == HF_ENOTFOUND) {
            /* the stored deal carries what the row said; start the document from it */
            hf_deal_rec full = d;
            full.crm_id = dup_or_null(row->crm_id);
            full.name = dup_or_null(row->name);
            full.account = dup_or_null(row->account);
            full.owner = dup_or_null(row->owner);
            full.currency = dup_or_null(row->currency);
            full.crm_source = NULL;
            full.stage = NULL;
            json_t *doc = hf_document_from_deal(&full);
            hf_deal_rec_free(&full);
            rc = hf_handoff_create(c->s, c->ws, d.id, HF_STATUS_DRAFT, doc, c->p,
                                   c->opts->author ? c->opts->author : "import", c->opts->now, NULL,
                                   c->err);
            json_decref(doc);
            if (rc)
                return rc;
            c->stats->handoffs_created++;
        } else {
            *c->err = e;
            return rc;
        }
    }
    if (++c->in_batch >= (c->opts->batch_rows > 0 ? c->opts->batch_rows : 5000)) {
        rc = hf_store_commit(c->s, c->err);
        c->in_tx = false;
        c->in_batch = 0;
        if (rc)
            return rc;
    }
    return 0;
}

static int on_error(void *vctx, const hf_error *e)
{
    import_ctx *c = vctx;
    c->stats->skipped++;
    if (c->opts->on_bad_row)
        c->opts->on_bad_row(c->opts->ctx, e);
    return 0;
}

int hf_import_csv(hf_store *s, int64_t ws, FILE *in, const hf_import_options *opts,
                  const hf_protocol *p, hf_import_stats *stats, hf_error *err)
{
    memset(stats, 0, sizeof(*stats));
    hf_error store_err;
    hf_error_clear(&store_err);
    import_ctx c = {s, ws, opts, p, stats, &store_err, 0, false, false};
    hf_csv_options copts;
    memset(&copts, 0, sizeof(copts));
    copts.format = opts->format;
    copts.won_stages = opts->won_stages;
    copts.on_deal = on_deal;
    copts.on_error = on_error;
    copts.ctx = &c;
    hf_csv_reader *r = hf_csv_reader_new(&copts);
    if (!r)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    char *buf = malloc(1 << 16);
    int rc = 0;
    uint64_t last_progress = 0;
    if (!buf) {
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    size_t n;
    while ((n = fread(buf, 1, 1 << 16, in)) > 0) {
        rc = hf_csv_reader_feed(r, buf, n, err);
        if (rc)
            goto out;
        stats->bytes += n;
        if (opts->on_progress && stats->bytes - last_progress >= (1 << 16)) {
            last_progress = stats->bytes;
            opts->on_progress(opts->ctx, stats);
        }
    }
    if (ferror(in)) {
        rc = hf_error_set(err, HF_EIO, NULL, "read error: %s", strerror(errno));
        goto out;
    }
    rc = hf_csv_reader_finish(r, err);
    if (rc)
        goto out;
    if (c.in_tx) {
        rc = hf_store_commit(s, err);
        c.in_tx = false;
    }
    stats->trailer = hf_csv_reader_stats(r)->trailer;
    if (opts->on_progress)
        opts->on_progress(opts->ctx, stats);
out:
    if (rc && c.failed) {
        /* the reader only says a callback stopped it: report what the store said */
        if (err)
            *err = store_err;
        rc = store_err.rc ? store_err.rc : rc;
    }
    if (c.in_tx)
        hf_store_rollback(s);
    free(buf);
    hf_csv_reader_free(r);
    return rc;
}
