/* CRM export import, a service operation: the CSV reader's deals go into the store in
 * batches of a few thousand rows per transaction (one fsync per batch instead of per row,
 * the difference between ~5k and ~200k rows/s on SQLite with synchronous=FULL); each
 * closed-won deal without a handoff gets its draft through the record engine, pinned and
 * evaluated like any other. See crm_import.h. */
#include "handoff/crm_import.h"

#include "service/svc_int.h"

#include "handoff/tz.h"

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
    svc_integration *in; /* the integration whose mapping applies, or NULL */
    const hf_tz *tz;     /* its time zone (close dates are local days) */
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

/* A won row through the triggers' rules (trigger_apply.c), as a webhook's event. */
static int write_won_deal(import_ctx *c, const hf_csv_deal *row)
{
    hf_deal_rec known;
    hf_error e;
    bool existed = hf_store_deal_get(c->s, c->ws, 0, row->crm_id, &known, &e) == 0;
    if (existed)
        hf_deal_rec_free(&known);
    bool is_email = row->owner && strchr(row->owner, '@');
    svc_trigger t;
    memset(&t, 0, sizeof(t));
    t.cfg = &c->in->cfg;
    t.source = c->in->rec.source;
    t.kind = HF_HOOK_DEAL_WON;
    t.crm_id = row->crm_id;
    t.name = row->name;
    t.account = row->account;
    t.stage = row->stage;
    t.pipeline = row->pipeline;
    t.currency = row->currency;
    t.type = row->type;
    t.owner_id = is_email ? NULL : row->owner;
    t.owner_email = is_email ? row->owner : NULL;
    t.owner_name = is_email ? NULL : row->owner;
    t.has_amount = row->has_amount;
    t.amount = row->amount;
    t.has_close_date = row->has_close_date;
    t.close_day = row->close_day;
    t.occurred_at = HF_TIME_NONE;
    /* won on its close date: midnight there, in the integration's time zone */
    t.won_time =
        row->has_close_date ? hf_tz_local_to_utc(c->tz, row->close_day * 86400) : c->opts->now;
    t.signed_at = HF_TIME_NONE;
    svc_outcome o;
    /* in a savepoint: a row the rules refuse (a value over a document limit) is a bad row,
     * reported with its line, and the import goes on */
    int rc = hf_store_begin(c->s, c->err);
    if (rc)
        return rc;
    hf_error e2;
    hf_error_clear(&e2);
    rc = svc__trigger_apply(c->svc, c->actor, &t, c->opts->now, &o, &e2);
    if (rc == HF_EINVAL || rc == HF_EPERM || rc == HF_ESTATE || rc == HF_ECONFLICT) {
        hf_store_rollback(c->s);
        c->stats->skipped++;
        if (c->opts->on_bad_row) {
            hf_error bad = e2;
            bad.line = row->line;
            bad.column = 0;
            if (e2.path[0])
                snprintf(bad.msg, sizeof(bad.msg), "%.200s: %.280s", e2.path, e2.msg);
            c->opts->on_bad_row(c->opts->ctx, &bad);
        }
        return 0;
    }
    if (rc) {
        hf_store_rollback(c->s);
        *c->err = e2;
        return rc;
    }
    rc = hf_store_commit(c->s, c->err);
    if (rc)
        return rc;
    if (existed)
        c->stats->updated++;
    else
        c->stats->created++;
    if (strcmp(o.outcome, "handoff_created") == 0)
        c->stats->handoffs_created++;
    c->stats->owners_unmapped += o.owner_unmapped;
    c->stats->csm_queued += o.csm_queued;
    return 0;
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
    if (c->in && row->is_won) {
        rc = write_won_deal(c, row);
        if (rc)
            return rc;
        goto counted;
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
counted:
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
    import_ctx c = {svc, s, SVC_WS(a), opts, a, stats, &store_err, 0, false, false, NULL, NULL};
    hf_csv_options copts;
    memset(&copts, 0, sizeof(copts));
    copts.format = opts->format;
    copts.won_stages = opts->won_stages;
    copts.on_deal = on_deal;
    copts.on_error = on_error;
    copts.ctx = &c;
    svc_integration integ;
    const char **won = NULL;
    c.tz = hf_tz_utc();
    if (opts->integration_id) {
        rc = svc__integration_load(svc, SVC_WS(a), opts->integration_id, NULL, false, &integ, err);
        if (rc == HF_ENOTFOUND)
            rc = svc__fail(err, HF_ENOTFOUND, "integration", a, N_("no such integration%s"), "");
        if (rc)
            return rc;
        c.in = &integ;
        if (integ.cfg.timezone[0] && hf_tz_load(integ.cfg.timezone, &c.tz, err) != 0) {
            svc__integration_free(&integ);
            return svc__fail(err, HF_EINVAL, "timezone", a,
                             N_("expected an IANA time zone name, not \"%s\""), integ.cfg.timezone);
        }
        if (opts->format == HF_CSV_AUTO && strcmp(integ.rec.source, "hubspot") == 0)
            copts.format = HF_CSV_HUBSPOT;
        else if (opts->format == HF_CSV_AUTO && strcmp(integ.rec.source, "salesforce") == 0)
            copts.format = HF_CSV_SALESFORCE;
        copts.dates = strcmp(integ.cfg.csv_dates, "dmy") == 0   ? HF_CSV_DATES_DMY
                      : strcmp(integ.cfg.csv_dates, "mdy") == 0 ? HF_CSV_DATES_MDY
                                                                : HF_CSV_DATES_AUTO;
        copts.decimal = strcmp(integ.cfg.csv_decimal, "comma") == 0   ? HF_CSV_DECIMAL_COMMA
                        : strcmp(integ.cfg.csv_decimal, "point") == 0 ? HF_CSV_DECIMAL_POINT
                                                                      : HF_CSV_DECIMAL_AUTO;
        /* the integration's won stages, and those the caller adds */
        size_t n = 0, k = 0;
        for (const char *const *w = opts->won_stages; w && *w; w++)
            n++;
        won = calloc(n + integ.cfg.n_won_stages + 1, sizeof(char *));
        if (!won) {
            svc__integration_free(&integ);
            return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        }
        for (const char *const *w = opts->won_stages; w && *w; w++)
            won[k++] = *w;
        for (size_t i = 0; i < integ.cfg.n_won_stages; i++)
            won[k++] = integ.cfg.won_stages[i].stage;
        copts.won_stages = won;
    }
    hf_csv_reader *r = hf_csv_reader_new(&copts);
    if (!r) {
        if (c.in)
            svc__integration_free(&integ);
        free(won);
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
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
    stats->keyed_by_name = hf_csv_reader_stats(r)->keyed_by_name;
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
    if (c.in)
        svc__integration_free(&integ);
    free(won);
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
