/* CRM export import, a service operation: the CSV reader's deals go into the store in
 * batches of a few thousand rows per transaction (one fsync per batch instead of per row,
 * the difference between ~5k and ~200k rows/s on SQLite with synchronous=FULL); each
 * closed-won deal without a handoff gets its draft through the record engine, pinned and
 * evaluated like any other. See crm_import.h. */
#include "handoff/crm_import.h"

#include "service/svc_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct import_ctx {
    hf_svc *svc;
    hf_store *s;
    int64_t ws;
    const hf_import_options *opts;
    const hf_actor *actor;
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
    rc = hf_store_deal_upsert(c->s, &d, &created, c->err);
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
        rc = created ? HF_ENOTFOUND : hf_store_handoff_get_by_deal(c->s, c->ws, d.id, &h, &e);
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
            json_t *doc = hf_svc_document_from_deal(&full);
            hf_deal_rec_free(&full);
            rc = svc__record_create(c->svc, c->ws, d.id, doc, c->actor->email, c->opts->now, NULL,
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

int hf_svc_import_csv(hf_svc *svc, const hf_actor *a, FILE *in, const hf_import_options *opts,
                      hf_import_stats *stats, hf_error *err)
{
    memset(stats, 0, sizeof(*stats));
    if (!a->is_system && a->role != HF_ROLE_REVOPS)
        return svc__denied(err, a, N_("RevOps imports CRM exports"));
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return rc;
    hf_store *s = svc->s;
    hf_error store_err;
    hf_error_clear(&store_err);
    import_ctx c = {svc, s, SVC_WS(a), opts, a, stats, &store_err, 0, false, false};
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

json_t *hf_svc_document_from_deal(const hf_deal_rec *deal)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string("handoff/1"));
    json_t *d = json_object();
    if (deal->crm_id)
        json_object_set_new(d, "crm_id", json_string(deal->crm_id));
    if (deal->name)
        json_object_set_new(d, "name", json_string(deal->name));
    if (deal->owner) {
        json_t *owner = json_object();
        json_object_set_new(owner, "name", json_string(deal->owner));
        json_object_set_new(d, "owner", owner);
    }
    json_object_set_new(d, "trigger", json_string("contract_signature"));
    json_object_set_new(d, "contract_status", json_string("draft"));
    json_object_set_new(doc, "deal", d);
    if (deal->account) {
        json_t *c = json_object();
        json_object_set_new(c, "company_name", json_string(deal->account));
        json_object_set_new(doc, "customer", c);
    }
    if (deal->has_amount || deal->currency) {
        json_t *c = json_object();
        if (deal->has_amount)
            json_object_set_new(c, "acv", json_real(deal->amount));
        if (deal->currency)
            json_object_set_new(c, "currency", json_string(deal->currency));
        json_object_set_new(doc, "commercial", c);
    }
    return doc;
}
