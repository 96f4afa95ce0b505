/* CRM export import, a service operation: the CSV reader's deals go into the store in
 * batches of a few thousand rows per transaction (one fsync per batch instead of per row,
 * the difference between ~5k and ~200k rows/s on SQLite with synchronous=FULL); each
 * closed-won deal without a handoff gets its draft, pinned and evaluated like any other.
 * See crm_import.h, and docs/internals/csv-import.md for the design.
 *
 * Two stages, on two threads when they can be: the reader thread parses the CSV and, for
 * every won row, builds, evaluates and serializes the draft handoff it would create
 * (svc__record_prepare: pure, no store); the calling thread takes those rows in order, in
 * chunks, and only writes: the deal upsert, then the prepared handoff if the deal has
 * none yet. The store handle, the statistics and the caller's callbacks stay on the calling
 * thread, so bad rows are reported in file order and nothing else changes for the caller.
 * An import with an integration runs its rows through the triggers' rules
 * (svc__trigger_apply), which read the store for every row (owner mapping, CSM capacity):
 * its two stages run one after the other on the calling thread. */
#include "handoff/crm_import.h"

#include "service/svc_int.h"

#include "handoff/tz.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Rows handed from the reader to the writer at once, and chunks in flight: enough to keep
 * both threads busy, small enough that memory does not grow with the file (about 2,000
 * rows and their documents). */
#define CHUNK_ROWS 256
#define CHUNKS 8

/* One CSV event, carried from the reader to the writer. */
typedef struct import_row {
    bool is_bad;      /* a bad row: `err` says why */
    bool no_memory;   /* the reader could not copy the row: the import stops there */
    hf_csv_deal deal; /* its strings point into `text` */
    char *text;
    /* The draft handoff of a won row (no integration) for when its deal has none:
     * `prepared` once made (prepare_handoff); prep_rc when making it failed (the import
     * fails there if the handoff is needed, as it did before it was prepared ahead). */
    bool prepared;
    hf_handoff_rec h;
    char *paths;
    int prep_rc;
    hf_error *err;
} import_row;

typedef struct import_chunk {
    import_row rows[CHUNK_ROWS];
    int n;
    uint64_t bytes; /* input read when the chunk was handed over */
    struct import_chunk *next;
} import_chunk;

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
    uint64_t last_progress;

    /* The protocol new drafts are pinned to: the one in force on the import's day
     * (svc__pinned), read once before the first row. Points into the service's cache,
     * which the writer does not touch while the reader uses it. */
    const hf_protocol *protocol;
    int protocol_rc;
    hf_error protocol_err;

    /* The reader's side: the CSV reader, its current chunk, what it read and how it
     * ended. */
    hf_csv_reader *reader;
    FILE *in_file;
    import_chunk *cur;
    uint64_t fed;
    int read_rc;
    hf_error read_err;

    /* Between the two: chunks free and full, under `lock`. Without a reader thread a full
     * chunk is written at once (threaded false). */
    bool threaded;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    import_chunk *free_list;
    import_chunk *full_head, *full_tail;
    bool done; /* the reader has handed over its last chunk */
    bool stop; /* the writer failed: the reader stops at its next chunk */
    import_chunk *pool;
    /* Whether the reader prepares won rows' drafts ahead: only while most of them turn out
     * to be needed (the writer says so after each chunk; a re-import needs none, and the
     * reader would be the slower side making them). The reader reads it as it takes a
     * chunk. */
    bool prepare_ahead;
    bool reader_prepares;
    long chunk_won, chunk_needed; /* the writer's count for the current chunk */
} import_ctx;

static const char *source_name(hf_csv_format f)
{
    return f == HF_CSV_HUBSPOT ? "hubspot" : "salesforce";
}

static void row_clear(import_row *r)
{
    free(r->text);
    hf_handoff_rec_free(&r->h);
    free(r->paths);
    free(r->err);
    memset(r, 0, sizeof(*r));
}

static void chunk_clear(import_chunk *k)
{
    for (int i = 0; i < k->n; i++)
        row_clear(&k->rows[i]);
    k->n = 0;
}

/* The draft handoff a won row's deal gets when it has none: the document started from the
 * row (what the upsert stores), evaluated under the import's protocol. Made on the
 * reader's thread ahead of need, or on the writer's when it turns out to be needed and was
 * not made: the same record either way. */
static void prepare_handoff(import_ctx *c, import_row *r)
{
    r->prepared = true;
    hf_error e;
    hf_error_clear(&e);
    int rc = c->protocol_rc;
    if (rc) {
        e = c->protocol_err;
    } else {
        hf_deal_rec d;
        memset(&d, 0, sizeof(d));
        d.crm_id = (char *)r->deal.crm_id;
        d.name = (char *)r->deal.name;
        d.account = (char *)r->deal.account;
        d.owner = (char *)r->deal.owner;
        d.currency = (char *)r->deal.currency;
        d.has_amount = r->deal.has_amount;
        d.amount = r->deal.amount;
        json_t *doc = hf_svc_document_from_deal(&d);
        rc = doc ? svc__record_prepare(c->protocol, c->ws, 0, doc, c->opts->now, &r->h, &r->paths,
                                       &e)
                 : hf_error_set(&e, HF_ENOMEM, NULL, "out of memory");
        json_decref(doc);
    }
    if (rc) {
        r->prep_rc = rc;
        r->err = malloc(sizeof(*r->err));
        if (r->err)
            *r->err = e;
        else
            r->prep_rc = HF_ENOMEM; /* reported without its detail */
    }
}

/* ---- the writer: rows into the store, in batches ---- */

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

static int write_deal(import_ctx *c, import_row *r)
{
    const hf_csv_deal *row = &r->deal;
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
            /* the draft made from the row: what the stored deal says */
            if (!r->prepared)
                prepare_handoff(c, r);
            c->chunk_needed++;
            if (r->prep_rc) {
                if (r->err)
                    *c->err = *r->err;
                else
                    hf_error_set(c->err, r->prep_rc, NULL, "out of memory");
                return r->prep_rc;
            }
            r->h.deal_id = d.id;
            rc = hf_store_handoff_create(c->s, &r->h, c->actor->email, r->paths, c->err);
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

/* Write a chunk's rows in order and report its bad rows and the progress. Returns the
 * first failure (the rows after it are not written). */
static int write_chunk(import_ctx *c, import_chunk *k)
{
    int rc = 0;
    c->chunk_won = c->chunk_needed = 0;
    for (int i = 0; i < k->n && !rc; i++) {
        import_row *r = &k->rows[i];
        if (!r->is_bad && !r->no_memory && r->deal.is_won && !c->in)
            c->chunk_won++;
        if (r->no_memory) {
            rc = hf_error_set(c->err, HF_ENOMEM, NULL, "out of memory");
        } else if (r->is_bad) {
            c->stats->skipped++;
            if (c->opts->on_bad_row)
                c->opts->on_bad_row(c->opts->ctx, r->err);
        } else {
            rc = write_deal(c, r);
        }
    }
    c->stats->bytes = k->bytes;
    if (!rc && c->opts->on_progress && c->stats->bytes - c->last_progress >= (1 << 16)) {
        c->last_progress = c->stats->bytes;
        c->opts->on_progress(c->opts->ctx, c->stats);
    }
    return rc;
}

/* ---- between the two threads ---- */

/* Hand the reader's current chunk to the writer: written at once without a reader
 * thread, else queued. Non-zero when the writer failed: the reader then stops. */
static int hand_over(import_ctx *c)
{
    import_chunk *k = c->cur;
    if (!k)
        return 0;
    k->bytes = c->fed;
    if (!c->threaded) {
        int rc = write_chunk(c, k);
        chunk_clear(k);
        if (rc)
            c->failed = true;
        return rc;
    }
    c->cur = NULL;
    pthread_mutex_lock(&c->lock);
    bool stop = c->stop;
    if (!stop) {
        k->next = NULL;
        if (c->full_tail)
            c->full_tail->next = k;
        else
            c->full_head = k;
        c->full_tail = k;
    } else {
        k->next = c->free_list;
        c->free_list = k;
    }
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    if (stop)
        chunk_clear(k);
    return stop ? 1 : 0;
}

/* The next free row of the reader's current chunk, taking a free chunk (and waiting for
 * one) when there is none. NULL when the writer failed. */
static import_row *next_row(import_ctx *c)
{
    if (!c->cur) {
        pthread_mutex_lock(&c->lock);
        while (!c->free_list && !c->stop)
            pthread_cond_wait(&c->changed, &c->lock);
        if (!c->stop) {
            c->cur = c->free_list;
            c->free_list = c->cur->next;
        }
        c->reader_prepares = c->prepare_ahead;
        pthread_mutex_unlock(&c->lock);
        if (!c->cur)
            return NULL;
        chunk_clear(c->cur); /* what the writer left: freed here, off its thread */
    }
    return &c->cur->rows[c->cur->n++];
}

static int row_done(import_ctx *c)
{
    return c->cur->n == CHUNK_ROWS ? hand_over(c) : 0;
}

/* ---- the reader: CSV rows into prepared rows ---- */

/* Copy the row's strings into one allocation owned by `r`. */
static int copy_row(import_row *r, const hf_csv_deal *row)
{
    const char *const src[] = {row->crm_id, row->name,     row->account, row->owner,
                               row->stage,  row->pipeline, row->type,    row->currency};
    size_t len = 0;
    for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
        len += src[i] ? strlen(src[i]) + 1 : 0;
    r->text = malloc(len ? len : 1);
    if (!r->text)
        return HF_ENOMEM;
    char *p = r->text;
    const char *dst[sizeof(src) / sizeof(src[0])];
    for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
        dst[i] = NULL;
        if (src[i]) {
            size_t n = strlen(src[i]) + 1;
            memcpy(p, src[i], n);
            dst[i] = p;
            p += n;
        }
    }
    r->deal = *row;
    r->deal.crm_id = dst[0];
    r->deal.name = dst[1];
    r->deal.account = dst[2];
    r->deal.owner = dst[3];
    r->deal.stage = dst[4];
    r->deal.pipeline = dst[5];
    r->deal.type = dst[6];
    r->deal.currency = dst[7];
    return 0;
}

static int on_deal(void *vctx, const hf_csv_deal *row)
{
    import_ctx *c = vctx;
    import_row *r = next_row(c);
    if (!r)
        return 1;
    if (copy_row(r, row) != 0)
        r->no_memory = true;
    else if (row->is_won && !c->in && c->reader_prepares) {
        prepare_handoff(c, r);
    }
    return row_done(c);
}

static int on_error(void *vctx, const hf_error *e)
{
    import_ctx *c = vctx;
    import_row *r = next_row(c);
    if (!r)
        return 1;
    r->err = malloc(sizeof(*r->err));
    if (r->err) {
        *r->err = *e;
        r->is_bad = true;
    } else {
        r->no_memory = true;
    }
    return row_done(c);
}

/* Read the whole input through the CSV reader, handing over chunks as they fill. Sets
 * read_rc and read_err. */
static void read_input(import_ctx *c)
{
    hf_error_clear(&c->read_err);
    char *buf = malloc(1 << 16);
    int rc = 0;
    if (!buf) {
        rc = hf_error_set(&c->read_err, HF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    size_t n;
    while ((n = fread(buf, 1, 1 << 16, c->in_file)) > 0) {
        rc = hf_csv_reader_feed(c->reader, buf, n, &c->read_err);
        c->fed += n;
        if (rc)
            goto out;
    }
    if (ferror(c->in_file)) {
        rc = hf_error_set(&c->read_err, HF_EIO, NULL, "read error: %s", strerror(errno));
        goto out;
    }
    rc = hf_csv_reader_finish(c->reader, &c->read_err);
out:
    free(buf);
    if (hand_over(c) && !rc)
        rc = HF_EUSAGE; /* the writer failed on the last chunk */
    c->read_rc = rc;
}

static void *reader_main(void *vctx)
{
    import_ctx *c = vctx;
    read_input(c);
    pthread_mutex_lock(&c->lock);
    c->done = true;
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* The writer's loop with a reader thread: every chunk in order until the reader is done
 * or a write fails (the reader is then told to stop). */
static int write_queued(import_ctx *c)
{
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        while (!c->full_head && !c->done)
            pthread_cond_wait(&c->changed, &c->lock);
        import_chunk *k = c->full_head;
        if (k) {
            c->full_head = k->next;
            if (!c->full_head)
                c->full_tail = NULL;
        }
        pthread_mutex_unlock(&c->lock);
        if (!k)
            return rc;
        rc = write_chunk(c, k);
        pthread_mutex_lock(&c->lock);
        k->next = c->free_list;
        c->free_list = k;
        if (c->chunk_won)
            c->prepare_ahead = c->chunk_needed * 2 >= c->chunk_won;
        if (rc)
            c->stop = true;
        pthread_cond_broadcast(&c->changed);
        pthread_mutex_unlock(&c->lock);
        if (rc) {
            c->failed = true;
            return rc;
        }
    }
}

/* Run the reader and the writer: on a thread of its own for the reader when the rows
 * need no store to be prepared (no integration) and a thread can be had, else one after
 * the other on this one. Returns the first failure: the writer's, else the reader's. */
static int run_import(import_ctx *c, hf_error *err)
{
    int rc = 0;
    size_t nchunks = c->in || c->opts->no_pipeline ? 1 : CHUNKS;
    c->pool = calloc(nchunks, sizeof(import_chunk));
    if (!c->pool)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < nchunks; i++) {
        c->pool[i].next = c->free_list;
        c->free_list = &c->pool[i];
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->changed, NULL);
    pthread_t reader;
    c->prepare_ahead = true;
    /* set before the thread starts: the reader reads it as soon as its first chunk is full */
    c->threaded = nchunks > 1;
    if (c->threaded && pthread_create(&reader, NULL, reader_main, c) != 0)
        c->threaded = false; /* no thread to be had: one stage after the other, here */
    if (c->threaded) {
        rc = write_queued(c);
        pthread_join(reader, NULL);
    } else {
        read_input(c);
    }
    if (c->failed) {
        /* the reader only says that it was stopped: report what the store said */
        rc = c->err->rc ? c->err->rc : HF_EDB;
        if (err)
            *err = *c->err;
    } else if (c->read_rc) {
        rc = c->read_rc;
        if (err)
            *err = c->read_err;
    }
    if (c->cur)
        chunk_clear(c->cur);
    for (size_t i = 0; i < nchunks; i++)
        chunk_clear(&c->pool[i]);
    free(c->pool);
    pthread_cond_destroy(&c->changed);
    pthread_mutex_destroy(&c->lock);
    return rc;
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
    import_ctx *c = calloc(1, sizeof(*c));
    if (!c)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    c->svc = svc;
    c->s = s;
    c->ws = SVC_WS(a);
    c->opts = opts;
    c->actor = a;
    c->stats = stats;
    c->err = &store_err;
    c->in_file = in;
    hf_csv_options copts;
    memset(&copts, 0, sizeof(copts));
    copts.format = opts->format;
    copts.won_stages = opts->won_stages;
    copts.on_deal = on_deal;
    copts.on_error = on_error;
    copts.ctx = c;
    svc_integration integ;
    const char **won = NULL;
    c->tz = hf_tz_utc();
    if (opts->integration_id) {
        rc = svc__integration_load(svc, SVC_WS(a), opts->integration_id, NULL, false, &integ, err);
        if (rc == HF_ENOTFOUND)
            rc = svc__fail(err, HF_ENOTFOUND, "integration", a, N_("no such integration%s"), "");
        if (rc) {
            free(c);
            return rc;
        }
        c->in = &integ;
        if (integ.cfg.timezone[0] && hf_tz_load(integ.cfg.timezone, &c->tz, err) != 0) {
            svc__integration_free(&integ);
            free(c);
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
            free(c);
            return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        }
        for (const char *const *w = opts->won_stages; w && *w; w++)
            won[k++] = *w;
        for (size_t i = 0; i < integ.cfg.n_won_stages; i++)
            won[k++] = integ.cfg.won_stages[i].stage;
        copts.won_stages = won;
    } else {
        /* Every draft is pinned to the protocol in force on the import's day (its
         * document has no T0): read once here, for the reader thread. A failure is kept
         * and reported at the first row that needs a handoff, as it was when each row
         * asked. */
        json_t *none = json_object();
        c->protocol_rc =
            none ? svc__pinned(svc, c->ws, 0, none, opts->now, &c->protocol, &c->protocol_err)
                 : hf_error_set(&c->protocol_err, HF_ENOMEM, NULL, "out of memory");
        json_decref(none);
    }
    c->reader = hf_csv_reader_new(&copts);
    if (!c->reader) {
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    rc = run_import(c, err);
    if (rc)
        goto out;
    if (c->in_tx) {
        rc = hf_store_commit(s, err);
        c->in_tx = false;
        if (rc)
            goto out;
    }
    stats->bytes = c->fed;
    stats->trailer = hf_csv_reader_stats(c->reader)->trailer;
    stats->keyed_by_name = hf_csv_reader_stats(c->reader)->keyed_by_name;
    if (opts->on_progress)
        opts->on_progress(opts->ctx, stats);
out:
    if (c->in_tx)
        hf_store_rollback(s);
    hf_csv_reader_free(c->reader);
    if (c->in)
        svc__integration_free(&integ);
    free(won);
    free(c);
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
