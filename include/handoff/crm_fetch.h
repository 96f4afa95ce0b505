/* Fetching a deal from the CRM's REST API (libcurl), for the triggers whose webhook names
 * a deal without describing it: a HubSpot webhook says "deal 697680835 moved to stage
 * closedwon" and nothing else, so the service reads the deal's name, amount, owner, close
 * date and pipeline here, and the owner's e-mail address (SPEC §6: the handoff is
 * assigned to the deal owner).
 *
 * Calls block for at most (attempts x timeout + the waits between them); run them off
 * the request thread. Failed attempts are retried with exponential backoff on HTTP 429,
 * 5xx and network errors; the wait between attempts goes through an injectable sleep
 * function, so tests run without waiting. Return codes: 0; HF_ENOTFOUND (404: no such
 * deal or owner); HF_EPERM (401/403: the token is wrong or lacks the scope); HF_EIO (no
 * answer, or 429/5xx on every attempt, or another status); HF_EINVAL (the answer is not
 * in the documented shape; err->path names the field); HF_EUSAGE (bad arguments). The
 * token never appears in an error message. */
#ifndef HANDOFF_CRM_FETCH_H
#define HANDOFF_CRM_FETCH_H

#include "handoff/error.h"
#include "handoff/hooks.h"
#include "handoff/time.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hf_crm_retry {
    int max_attempts;   /* attempts in all, first included; 0: 4 */
    long base_delay_ms; /* wait before the second attempt, doubled for each next; 0: 500 */
    long max_delay_ms;  /* no wait is longer (Retry-After included); 0: 30000 */
    long timeout_ms;    /* of one attempt, connection included; 0: 10000 */
    /* Wait `ms` milliseconds; NULL: nanosleep. Tests record the waits instead. */
    void (*sleep_ms)(void *ctx, long ms);
    void *sleep_ctx;
} hf_crm_retry;

/* A HubSpot deal as GET /crm/v3/objects/deals/{id} returns it. Strings empty when the
 * property is null or absent. */
typedef struct hf_crm_deal {
    char id[HF_HOOK_ID_MAX];
    char name[HF_HOOK_TEXT_MAX]; /* dealname */
    bool has_amount;             /* amount */
    double amount;
    char currency[HF_HOOK_CURRENCY_MAX]; /* deal_currency_code */
    char owner_id[HF_HOOK_ID_MAX];       /* hubspot_owner_id */
    char stage[HF_HOOK_ID_MAX];          /* dealstage */
    char pipeline[HF_HOOK_ID_MAX];       /* pipeline */
    bool has_close_date;                 /* closedate, as a UTC day number */
    int64_t close_day;
    hf_time created_at, updated_at; /* HF_TIME_NONE when absent */
    bool archived;
    json_t *properties; /* the "properties" object as returned; owned, never NULL after a
                           successful fetch */
} hf_crm_deal;

/* Free a deal's properties and zero it. NULL is fine; may be called twice. */
void hf_crm_deal_free(hf_crm_deal *d);

/* GET {base_url}/crm/v3/objects/deals/{deal_id}?properties=dealname,amount,
 * hubspot_owner_id,closedate,dealstage,pipeline,deal_currency_code with
 * `Authorization: Bearer {token}`. `base_url` is `https://api.hubapi.com` in production
 * (no trailing path); `retry` may be NULL (defaults). On success the caller frees *out
 * with hf_crm_deal_free. */
int hf_crm_fetch_hubspot_deal(const char *base_url, const char *token, const char *deal_id,
                              const hf_crm_retry *retry, hf_crm_deal *out, hf_error *err);

/* The same, asking also for the properties named in `extra` (NULL-terminated, may be NULL;
 * names that are not lower-case letters, digits and underscores are left out), which then
 * appear in out->properties: the fields that field mappings and segment rules read. */
int hf_crm_fetch_hubspot_deal_ex(const char *base_url, const char *token, const char *deal_id,
                                 const char *const *extra, const hf_crm_retry *retry,
                                 hf_crm_deal *out, hf_error *err);

/* GET {base_url}/crm/v3/owners/{owner_id}: the owner's e-mail address into email. */
int hf_crm_fetch_hubspot_owner_email(const char *base_url, const char *token, const char *owner_id,
                                     const hf_crm_retry *retry, char email[HF_HOOK_EMAIL_MAX],
                                     hf_error *err);

/* The parsers of the two answers, apart so that tests and fuzz targets reach them. */
int hf_crm_hubspot_deal_parse(const char *body, size_t len, hf_crm_deal *out, hf_error *err);
int hf_crm_hubspot_owner_parse(const char *body, size_t len, char email[HF_HOOK_EMAIL_MAX],
                               hf_error *err);

/* Fill the deal properties of `ev` that it lacks (name, amount, currency, owner, stage,
 * pipeline, close date) from `d`. The event's own values win: they are newer. */
void hf_crm_deal_apply(const hf_crm_deal *d, hf_hook_event *ev);

#endif
