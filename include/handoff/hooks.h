/* Inbound triggers: verifying and parsing the webhooks of CRMs and e-signature tools into
 * one normalized event (SPEC §6 "Triggers", INTEGRATIONS.md, docs/internals/triggers.md).
 *
 * This is the pure half of a webhook receiver: every function here takes bytes and header
 * values and returns values. Nothing reads the clock (the caller passes `now`), the
 * network or the disk, and nothing keeps state between calls, so the HTTP receivers
 * (`POST /hooks/{source}/{endpoint-id}`), the tests and the fuzz targets all call the same
 * code. A receiver does, in order:
 *
 *  1. cap the body at HF_HOOK_BODY_MAX bytes;
 *  2. verify the request with the source's hf_hook_*_verify* function (Salesforce has no
 *     signature: parse, then compare the organization id with
 *     hf_hook_salesforce_org_matches);
 *  3. parse the body with the source's hf_hook_*_parse into an hf_hook_batch;
 *  4. for each event whose kind is not HF_HOOK_IGNORED, store it keyed on
 *     (source, endpoint, event_id) unless that key was seen before;
 *  5. answer 2xx (Salesforce: exactly hf_hook_salesforce_ack()).
 *
 * Return codes, for every verify function: 0 when the request is authentic; HF_EPERM when
 * the signature does not match or the timestamp is outside its window; HF_EINVAL when a
 * required header is missing or malformed; HF_EUSAGE when the caller's secret is empty or
 * malformed. err->msg says which (for the log, never for the answer). Every comparison of
 * a secret value is constant-time (sodium_memcmp).
 *
 * Return codes, for every parse function: 0 with *out filled; HF_EINVAL for malformed
 * input, with err->path naming the place (`[3].objectId`, `data.envelopeId`,
 * `Notification[2]/sObject/Id`) and, for JSON and XML syntax errors, err->line and
 * err->column; HF_ENOMEM when the body is longer than HF_HOOK_BODY_MAX or memory runs
 * out. JSON paths count from 0 (`[0]` is the first event); XML paths count from 1, as
 * XPath does (`Notification[1]` is the first notification). On error *out is empty. */
#ifndef HANDOFF_HOOKS_H
#define HANDOFF_HOOKS_H

#include "handoff/error.h"
#include "handoff/time.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest body a parser or verifier accepts (bytes). Larger: HF_ENOMEM (a 413). */
#define HF_HOOK_BODY_MAX (1024 * 1024)
/* Most events in one request: HubSpot, Salesforce and PandaDoc send at most 100. */
#define HF_HOOK_BATCH_MAX 100

/* Field capacities, NUL included. An identifier longer than its field is an error
 * (HF_EINVAL naming the field); a display text (name, account) longer than its field is
 * cut at a UTF-8 character boundary and kept whole in `properties`. */
#define HF_HOOK_EVENT_ID_MAX 320
#define HF_HOOK_ID_MAX 128
#define HF_HOOK_TEXT_MAX 256
#define HF_HOOK_EMAIL_MAX 256
#define HF_HOOK_CURRENCY_MAX 8

typedef enum hf_hook_source {
    HF_HOOK_SOURCE_NONE = 0,
    HF_HOOK_HUBSPOT,
    HF_HOOK_SALESFORCE,
    HF_HOOK_PIPEDRIVE,
    HF_HOOK_DOCUSIGN,
    HF_HOOK_PANDADOC,
    HF_HOOK_GENERIC, /* Standard Webhooks 1.0 signed JSON */
} hf_hook_source;

/* What an event asks of the service. */
typedef enum hf_hook_kind {
    HF_HOOK_IGNORED = 0,        /* not about a deal or contract we act on; `ignored_why` says */
    HF_HOOK_DEAL_WON,           /* the deal became closed-won: create the handoff */
    HF_HOOK_DEAL_CHANGED,       /* the deal changed (stage moved, not to won; other update) */
    HF_HOOK_CONTRACT_COMPLETED, /* the e-signature envelope/document is fully executed */
} hf_hook_kind;

/* One normalized event. Strings are NUL-terminated UTF-8, empty when absent. */
typedef struct hf_hook_event {
    hf_hook_source source;
    hf_hook_kind kind;
    /* Static English reason for HF_HOOK_IGNORED ("not a deal event"), else NULL. */
    const char *ignored_why;
    /* The source's de-duplication key: the same delivery (or its retry) always gives the
     * same key, two different events never do (docs/internals/triggers.md lists them). */
    char event_id[HF_HOOK_EVENT_ID_MAX];
    /* True when an earlier event of the same batch has the same event_id. */
    bool is_duplicate;
    char crm_id[HF_HOOK_ID_MAX];   /* the CRM deal id (for e-signature: from the custom field) */
    char stage[HF_HOOK_ID_MAX];    /* stage id or name as the source says it */
    char pipeline[HF_HOOK_ID_MAX]; /* pipeline id, when the payload has it */
    hf_time occurred_at;           /* when the source says it happened, or HF_TIME_NONE */
    int attempt;                   /* delivery attempt the source reports (0 when unknown) */

    /* Deal properties, when the payload carries them (HubSpot's webhooks do not: fetch
     * the deal with crm_fetch.h). */
    char name[HF_HOOK_TEXT_MAX];
    bool has_amount;
    double amount;
    char currency[HF_HOOK_CURRENCY_MAX];
    char owner_id[HF_HOOK_ID_MAX];
    char owner_email[HF_HOOK_EMAIL_MAX];
    char account[HF_HOOK_TEXT_MAX]; /* the customer: company/account/organization, id or name */
    bool has_close_date;
    int64_t close_day;           /* day number (handoff/time.h) */
    hf_time won_time;            /* HF_TIME_NONE when absent */
    char org_id[HF_HOOK_ID_MAX]; /* the tenant at the source: HubSpot portalId, Salesforce
                                    OrganizationId, Pipedrive company_id, DocuSign accountId */

    /* E-signature */
    char document_id[HF_HOOK_ID_MAX]; /* DocuSign envelopeId, PandaDoc document id */
    hf_time signed_at;                /* contract completion time, or HF_TIME_NONE */

    /* The raw fields of the deal or document as the source sent them (an object; for
     * Salesforce, the sObject's fields as strings, nil ones as null), for field mapping.
     * Owned by the event; never NULL in a parsed event. */
    json_t *properties;
} hf_hook_event;

/* The events of one request, in the order of the body. */
typedef struct hf_hook_batch {
    hf_hook_source source;
    size_t count;
    hf_hook_event *events; /* `count` events, owned */
    /* Salesforce: notifications/OrganizationId and ActionId; empty for the others (each
     * event has its own org_id). */
    char org_id[HF_HOOK_ID_MAX];
    char action_id[HF_HOOK_ID_MAX];
} hf_hook_batch;

/* An empty batch. Cannot fail. */
void hf_hook_batch_init(hf_hook_batch *b);
/* Free the events and their properties, and leave `b` empty. NULL is fine; may be called
 * twice. */
void hf_hook_batch_free(hf_hook_batch *b);

/* "hubspot", "salesforce", "pipedrive", "docusign", "pandadoc", "generic" (static). */
const char *hf_hook_source_name(hf_hook_source s);
/* The inverse; false for any other name. */
bool hf_hook_source_parse(const char *name, hf_hook_source *out);
/* "deal_won", "deal_changed", "contract_completed", "ignored" (static). */
const char *hf_hook_kind_name(hf_hook_kind k);

/* ---- HubSpot (JSON array of up to 100 events) ---- */

/* A won stage: `stage` is a dealstage internal id ("closedwon", "12345678"); `pipeline`,
 * when not NULL, restricts it to that pipeline id. */
typedef struct hf_hook_won_stage {
    const char *pipeline;
    const char *stage;
} hf_hook_won_stage;

typedef struct hf_hook_hubspot_config {
    /* The won stages of the account's pipelines. When n_won_stages is 0 the default
     * pipeline's `closedwon` is the only won stage. Stage ids are unique within a HubSpot
     * account, and a webhook names only the stage, so a stage listed here is won whatever
     * its pipeline when the event does not say the pipeline. */
    const hf_hook_won_stage *won_stages;
    size_t n_won_stages;
} hf_hook_hubspot_config;

/* Parse a HubSpot webhook body. Deal events (`deal.*`, or `object.*` with objectTypeId
 * `0-3`) become DEAL_WON (a `dealstage` change to a won stage) or DEAL_CHANGED (any other
 * creation or property change); deletions and other objects are IGNORED. event_id is
 * `eventId:occurredAt:objectId`. `cfg` may be NULL (defaults). */
int hf_hook_hubspot_parse(const char *body, size_t len, const hf_hook_hubspot_config *cfg,
                          hf_hook_batch *out, hf_error *err);

/* True when `stage` (in `pipeline`, which may be NULL or empty when unknown) is won under
 * `cfg` (may be NULL). For deals fetched with crm_fetch.h. */
bool hf_hook_hubspot_stage_is_won(const hf_hook_hubspot_config *cfg, const char *pipeline,
                                  const char *stage);

/* The URI HubSpot signs (v3): `uri` with %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B
 * decoded (either hex case), everything else as it is. Writes a NUL-terminated string
 * into out; returns its length, or -1 when it does not fit in cap. */
long hf_hook_hubspot_uri_decode(const char *uri, char *out, size_t cap);

/* Base64 of a 32-byte HMAC with padding, plus NUL. */
#define HF_HOOK_SIG_B64_MAX 45
/* Hex of a 32-byte digest, plus NUL. */
#define HF_HOOK_SIG_HEX_MAX 65

/* Signature v3. `uri` is the full URI as called (`https://host/path?query`, not yet
 * decoded); `timestamp` the X-HubSpot-Request-Timestamp header (epoch milliseconds);
 * `signature` the X-HubSpot-Signature-v3 header. HF_EPERM also when the timestamp is more
 * than 5 minutes before or after `now`. */
int hf_hook_hubspot_verify_v3(const char *client_secret, const char *method, const char *uri,
                              const char *body, size_t len, const char *timestamp,
                              const char *signature, hf_time now, hf_error *err);
/* The v3 signature of a request (HubSpot's side; tests and peers). `uri` as called. */
int hf_hook_hubspot_sign_v3(const char *client_secret, const char *method, const char *uri,
                            const char *body, size_t len, int64_t timestamp_ms,
                            char out[HF_HOOK_SIG_B64_MAX], hf_error *err);
/* Signature v1: X-HubSpot-Signature = hex(SHA-256(secret + body)). No replay protection:
 * prefer v3. */
int hf_hook_hubspot_verify_v1(const char *client_secret, const char *body, size_t len,
                              const char *signature, hf_error *err);
int hf_hook_hubspot_sign_v1(const char *client_secret, const char *body, size_t len,
                            char out[HF_HOOK_SIG_HEX_MAX], hf_error *err);
/* Signature v2: hex(SHA-256(secret + method + uri + body)), `uri` exactly as called. */
int hf_hook_hubspot_verify_v2(const char *client_secret, const char *method, const char *uri,
                              const char *body, size_t len, const char *signature, hf_error *err);
int hf_hook_hubspot_sign_v2(const char *client_secret, const char *method, const char *uri,
                            const char *body, size_t len, char out[HF_HOOK_SIG_HEX_MAX],
                            hf_error *err);

/* ---- Salesforce Outbound Messages (SOAP) ---- */

typedef struct hf_hook_salesforce_config {
    /* StageName values meaning won, besides IsWon = true. NULL-terminated; NULL means
     * {"Closed Won"}. Compared exactly. */
    const char *const *won_stages;
} hf_hook_salesforce_config;

/* Parse an Outbound Message. out->org_id and out->action_id are the message's; each
 * Notification is one event: event_id is Notification/Id, crm_id sObject/Id; an
 * Opportunity with IsWon true or a won StageName is DEAL_WON, another Opportunity
 * DEAL_CHANGED, another sObject type IGNORED. A document type declaration (and so any
 * entity) is refused. `cfg` may be NULL. */
int hf_hook_salesforce_parse(const char *body, size_t len, const hf_hook_salesforce_config *cfg,
                             hf_hook_batch *out, hf_error *err);

/* True when the OrganizationId of a message is the configured one: equal, or one the
 * 15-character form of the other (Salesforce ids have both forms). */
bool hf_hook_salesforce_org_matches(const char *configured, const char *got);

/* The acknowledgement to send with HTTP 200 and `Content-Type: text/xml` (static bytes,
 * not NUL-counted in *len). */
const char *hf_hook_salesforce_ack(size_t *len);

/* ---- Pipedrive (webhooks v1 and v2) ---- */

/* Parse a Pipedrive webhook (one event). Won = `status` is `won` now and
 * `previous.status` is present and not `won`: DEAL_WON; any other deal creation or change
 * is DEAL_CHANGED; deletions and other objects are IGNORED. event_id is v1
 * `meta.id:meta.timestamp` (timestamp as epoch seconds), v2 `meta.id`. */
int hf_hook_pipedrive_parse(const char *body, size_t len, hf_hook_batch *out, hf_error *err);

/* Check the Authorization header (`Basic base64(user:password)`) against the configured
 * credentials, in constant time whatever the lengths. */
int hf_hook_pipedrive_verify_basic(const char *authorization, const char *user,
                                   const char *password, hf_error *err);

/* ---- E-signature: DocuSign Connect (JSON SIM) and PandaDoc ---- */

typedef struct hf_hook_esign_config {
    /* Name of the envelope custom field (DocuSign) or metadata key / field / token
     * (PandaDoc) that carries the CRM deal id. NULL means "crm_deal_id". */
    const char *deal_id_field;
} hf_hook_esign_config;

/* Parse a DocuSign Connect JSON SIM message (one event). `envelope-completed` with
 * status `completed` and a deal id custom field is CONTRACT_COMPLETED; anything else is
 * IGNORED. event_id is `envelopeId:event:generatedDateTime`. `cfg` may be NULL. */
int hf_hook_docusign_parse(const char *body, size_t len, const hf_hook_esign_config *cfg,
                           hf_hook_batch *out, hf_error *err);

/* DocuSign HMAC: valid when base64(HMAC-SHA256(secret, body)) equals any one of the
 * `n` values of X-DocuSign-Signature-1..N (NULL entries are skipped). */
int hf_hook_docusign_verify(const char *secret, const char *body, size_t len,
                            const char *const *signatures, size_t n, hf_error *err);

/* Parse a PandaDoc webhook (a JSON array of {event, data}). `document_state_changed`
 * to `document.completed` with a deal id is CONTRACT_COMPLETED; anything else IGNORED.
 * `event_id_header` is X-PandaDoc-Webhook-Event-Id or NULL: event_id is that header
 * (`header:index` when the array has several events), else `data.id:event:data.status`.
 * `cfg` may be NULL. */
int hf_hook_pandadoc_parse(const char *body, size_t len, const hf_hook_esign_config *cfg,
                           const char *event_id_header, hf_hook_batch *out, hf_error *err);

/* PandaDoc: `signature` (the `signature` query parameter) is hex(HMAC-SHA256(key, body)). */
int hf_hook_pandadoc_verify(const char *shared_key, const char *body, size_t len,
                            const char *signature, hf_error *err);

/* The value of parameter `name` in a URL query string (`a=1&signature=ab`, without the
 * `?`), percent-decoded, into out. Returns its length, or -1 when absent, malformed or
 * longer than cap - 1. */
long hf_hook_query_param(const char *query, const char *name, char *out, size_t cap);

/* ---- Standard Webhooks 1.0 (the generic receiver, and our outbound webhooks) ---- */

/* Longest webhook-signature header we produce: one `v1,` entry. */
#define HF_HOOK_STANDARD_SIG_MAX 48

/* Verify: `secret` is `whsec_` + base64 of the key (the prefix may be left out);
 * `msg_id`, `timestamp` (Unix seconds) and `signature` are the webhook-id,
 * webhook-timestamp and webhook-signature headers. Valid when any `v1,` entry of the
 * space-separated signature header matches the HMAC-SHA256 of `id.timestamp.body`, and
 * the timestamp is within 5 minutes of `now`. */
int hf_hook_standard_verify(const char *secret, const char *msg_id, const char *timestamp,
                            const char *signature, const char *body, size_t len, hf_time now,
                            hf_error *err);

/* Sign: the webhook-signature value (`v1,<base64>`) for `msg_id`, `timestamp` and the
 * body, into out. */
int hf_hook_standard_sign(const char *secret, const char *msg_id, hf_time timestamp,
                          const char *body, size_t len, char out[HF_HOOK_STANDARD_SIG_MAX],
                          hf_error *err);

/* Parse the generic trigger body: {"type": "deal.won" | "deal.changed" |
 * "contract.completed", "timestamp": RFC 3339, "data": {"crm_id", ...}} (the shape of
 * docs/internals/triggers.md). `msg_id` is the webhook-id header: the event_id. Other
 * types are IGNORED. */
int hf_hook_generic_parse(const char *body, size_t len, const char *msg_id, hf_hook_batch *out,
                          hf_error *err);

#endif
