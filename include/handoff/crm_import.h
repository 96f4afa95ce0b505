/* Importing CRM deal exports into a store: each good CSV row upserts its deal (keyed by
 * the CRM id, so a re-import updates and never duplicates), and a closed-won deal without a
 * handoff gets one, in `draft`, with a document started from the deal — with an
 * integration, owned, assigned and with its T0 set as a webhook's would be. Bad rows are
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
    /* with an integration: won deals whose owner the mapping does not give (their
     * handoffs wait in RevOps' queue, an alert each), and handoffs left in the CS
     * managers' queue because every CSM is at capacity */
    long owners_unmapped;
    long csm_queued;
    /* a Salesforce report without its id column: deals keyed by account and opportunity
     * name (renaming either in Salesforce breaks a re-import) */
    bool keyed_by_name;
} hf_import_stats;

typedef struct hf_import_options {
    hf_csv_format format;
    const char *const *won_stages; /* extra won stage values, NULL-terminated, or NULL */
    hf_time now;
    long batch_rows; /* rows per transaction; 0: 5000 */
    /* Prepare and write every row on the calling thread. By default, an import without an
     * integration parses and prepares its rows on a thread of its own while the calling
     * thread writes them; both ways give the same database (the tests compare them). */
    bool no_pipeline;
    /* An integration (0: none) whose configuration applies as to its webhooks: won stages,
     * the owner mapping (deal.owner.email), segment rules, field mapping, the won trigger
     * and T0 (the close date at midnight in the integration's time zone), CSV date and
     * decimal formats; each new won deal's handoff also gets a CSM by capacity. */
    int64_t integration_id;
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
