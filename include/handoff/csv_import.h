/* Reading CRM deal exports (CSV): Salesforce Data Loader / Bulk API exports, Salesforce
 * "details only" report exports and HubSpot deal exports (INTEGRATIONS.md, CSV exports).
 *
 * The reader is a push parser: feed it bytes in chunks of any size (a 1,000,000-row file
 * never has to be in memory), and it calls back once per good row with a normalized deal
 * and once per bad row with an error that names the line and column. A bad row never stops
 * the import; the caller keeps the good ones. Built on libcsv. */
#ifndef HANDOFF_CSV_IMPORT_H
#define HANDOFF_CSV_IMPORT_H

#include "handoff/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum hf_csv_format {
    HF_CSV_AUTO = 0,   /* decided from the header row */
    HF_CSV_SALESFORCE, /* Data Loader (API names) or report export (labels) */
    HF_CSV_HUBSPOT,
} hf_csv_format;

/* "auto", "salesforce", "hubspot" -> format. Returns false for anything else. */
bool hf_csv_format_parse(const char *name, hf_csv_format *out);
const char *hf_csv_format_name(hf_csv_format f);

/* How dates and amounts are written. AUTO decides from the file: a header in Portuguese
 * or Spanish, or `;` delimiters (European Excel), mean day-first dates (28/11/2026) and a
 * decimal comma (R$ 10.000,00, 1.234,56 €); otherwise month-first dates (11/28/2026) and
 * a decimal point. A lone separator that cannot be a thousands separator is read as the
 * decimal one either way ("1200.5"). */
typedef enum hf_csv_dates {
    HF_CSV_DATES_AUTO = 0,
    HF_CSV_DATES_MDY,
    HF_CSV_DATES_DMY,
} hf_csv_dates;
typedef enum hf_csv_decimal {
    HF_CSV_DECIMAL_AUTO = 0,
    HF_CSV_DECIMAL_POINT,
    HF_CSV_DECIMAL_COMMA,
} hf_csv_decimal;

/* One deal as read from a row. Strings are NUL-terminated UTF-8, borrowed: valid only
 * during the callback. Absent columns or empty cells give NULL / has_* = false. */
typedef struct hf_csv_deal {
    long line;            /* physical line (1-based) where the record starts */
    hf_csv_format format; /* the format the header was recognized as */
    const char *crm_id;   /* Id / Record ID: required */
    const char *name;     /* Name / Opportunity Name / Deal Name */
    const char *account;  /* AccountId / Account Name / Associated Company */
    const char *owner;    /* OwnerId / Opportunity Owner / Deal owner */
    const char *stage;    /* StageName / Stage / Deal Stage, as written */
    const char *pipeline; /* HubSpot Pipeline */
    const char *type;     /* Type */
    bool has_amount;
    double amount;        /* Amount: "1,200.50", "1.200,50" (with ; files), "$1,200", "USD 1200" */
    const char *currency; /* ISO code when the amount cell carried one, else NULL */
    bool has_close_date;
    int64_t close_day; /* day number (handoff/time.h) of Close Date / CloseDate */
    bool is_won;       /* IsWon true, or the stage is a won stage (see options) */
    bool is_closed;    /* IsClosed true, or won, or a closed-lost stage */
    /* A Salesforce report exported without its Opportunity ID column: crm_id is made of the
     * account and opportunity names (`name:ACCOUNT | OPPORTUNITY`), so renaming either in
     * Salesforce makes a re-import see another deal. */
    bool keyed_by_name;
} hf_csv_deal;

typedef struct hf_csv_stats {
    long rows;          /* data rows seen (not the header, not blank or trailer rows) */
    long good;          /* rows passed to on_deal */
    long bad;           /* rows passed to on_error */
    long trailer;       /* report trailer rows skipped */
    uint64_t bytes;     /* bytes fed */
    bool keyed_by_name; /* deals are keyed by account and opportunity name (see hf_csv_deal) */
} hf_csv_stats;

typedef struct hf_csv_options {
    hf_csv_format format;
    /* Extra stage values meaning "won" (HubSpot custom pipeline stage ids such as
     * "12345678", localized labels such as "Fechado e ganho"); compared with the trimmed
     * cell case-insensitively (ASCII and accented Latin letters). The defaults ("Closed
     * Won", "closedwon") always apply. NULL-terminated; may be NULL; copied by
     * hf_csv_reader_new. */
    const char *const *won_stages;
    /* Return non-zero from a callback to stop the import (hf_csv_reader_feed then returns
     * HF_EUSAGE with that status kept in hf_csv_reader_stop_status). */
    int (*on_deal)(void *ctx, const hf_csv_deal *deal);
    /* err->line / err->column (1-based; column = field position in the row) / err->msg */
    int (*on_error)(void *ctx, const hf_error *err);
    void *ctx;
    size_t max_field_bytes; /* 0: 64 KiB. A longer cell makes its row bad (header cells
                               may have up to 4096 bytes even when this is smaller). */
    size_t max_columns;     /* 0: 512. A header with more columns fails the file. */
    hf_csv_dates dates;     /* how dates without a year first are written */
    hf_csv_decimal decimal; /* the decimal separator of amounts */
} hf_csv_options;

typedef struct hf_csv_reader hf_csv_reader;

/* Create a reader. Returns NULL when out of memory. Free with hf_csv_reader_free. */
hf_csv_reader *hf_csv_reader_new(const hf_csv_options *opts);

/* Feed the next chunk; chunks may split the input anywhere (inside a field, a CRLF, the
 * BOM, a UTF-8 character) without changing any result. A row with fewer fields than the
 * header names is bad (reported at the first missing column). Returns 0, or a negative
 * hf_rc for a fatal problem of the whole file (no header with an id column, nor a
 * Salesforce report's account and opportunity name columns: HF_EINVAL with
 * err->line = the header's line, 1 unless blank lines precede it, and a message that says
 * which headers were expected; an explicit opts.format the header contradicts: HF_EINVAL;
 * out of memory: HF_ENOMEM; a callback asked to stop: HF_EUSAGE). A fatal error is
 * sticky: every later feed or finish returns it again. Bad rows are not fatal. */
int hf_csv_reader_feed(hf_csv_reader *r, const char *buf, size_t len, hf_error *err);

/* Signal the end of input (flushes a last row without a newline; a quoted field still
 * open makes that row bad). A file without any header row is HF_EINVAL here. */
int hf_csv_reader_finish(hf_csv_reader *r, hf_error *err);

const hf_csv_stats *hf_csv_reader_stats(const hf_csv_reader *r);
/* The format the header was recognized as (HF_CSV_AUTO before the header is read). */
hf_csv_format hf_csv_reader_format(const hf_csv_reader *r);
/* The non-zero status a callback returned to stop the import, else 0. */
int hf_csv_reader_stop_status(const hf_csv_reader *r);
void hf_csv_reader_free(hf_csv_reader *r);

#endif
