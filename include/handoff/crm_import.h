/* Importing CRM deal exports into a store: each good CSV row upserts its deal (keyed by
 * the CRM id, so a re-import updates and never duplicates), and a closed-won deal without a
 * handoff gets one, in `draft`, with a document started from the deal. Bad rows are
 * reported with their line and column and skipped; good rows are kept. */
#ifndef HANDOFF_CRM_IMPORT_H
#define HANDOFF_CRM_IMPORT_H

#include "handoff/csv_import.h"
#include "handoff/service.h"
#include "handoff/store.h"

#include <stdio.h>

typedef struct hf_import_stats {
    long created;          /* deals created */
    long updated;          /* deals updated */
    long skipped;          /* bad rows */
    long handoffs_created; /* draft handoffs created for closed-won deals */
    long trailer;          /* report trailer rows ignored */
    uint64_t bytes;        /* bytes read so far */
} hf_import_stats;

typedef struct hf_import_options {
    hf_csv_format format;
    const char *const *won_stages; /* extra won stage values, NULL-terminated, or NULL */
    hf_time now;
    long batch_rows; /* rows per transaction; 0: 5000 */
    /* called for every bad row (line, column, message in err) */
    void (*on_bad_row)(void *ctx, const hf_error *err);
    /* called about every 64 KiB of input with the stats so far */
    void (*on_progress)(void *ctx, const hf_import_stats *stats);
    void *ctx;
} hf_import_options;

/* Import the CSV read from `in` into the actor's workspace (RevOps or the system; the
 * created versions are attributed to the actor). Returns 0 when the file could be read as
 * an export (bad rows do not make it fail), or a negative hf_rc for a whole-file problem
 * (no id column, I/O error, database error: the current batch is rolled back and earlier
 * batches stay). */
int hf_svc_import_csv(hf_svc *svc, const hf_actor *a, FILE *in, const hf_import_options *opts,
                      hf_import_stats *stats, hf_error *err);

/* A draft document for a deal: schema, deal.crm_id/name/owner, customer.company_name,
 * commercial.acv/currency, deal.contract_status draft. New reference. */
json_t *hf_svc_document_from_deal(const hf_deal_rec *deal);

#endif
