/* The configuration of an integration: what one CRM or e-signature account's events mean
 * to Handoff, shared by the webhook receivers and the CSV import (SPEC §6 "Triggers",
 * docs/internals/triggers.md).
 *
 * A configuration is a JSON object, stored as text with the integration and edited through
 * the API and the CLI; its secrets (signing secret, API token) are never part of it. Keys,
 * all optional:
 *
 *   won_stages       [ "closedwon" | {"pipeline": "default", "stage": "closedwon"} ]
 *                    the stage ids (HubSpot) or names (Salesforce) that mean won
 *   owners           {"CRM user id, e-mail or name": "user@handoff"}  the deal owner mapping
 *   segment_rules    [ {"segment": "enterprise", "field": "amount", "min": 100000},
 *                      {"segment": "strategic", "field": "type", "equals": ["Strategic"]},
 *                      {"segment": "smb"} ]  first match wins; no field: matches every deal
 *   field_map        {"CRM field": "document.path"}  which CRM fields fill which document fields
 *   won_trigger      "contract_signature" (the CRM's won means signed: T0 = the won time as
 *                    deal.contract_signed_at) | "verbal_commit" (T0 = the won time as
 *                    deal.verbal_commit_at; the e-signature event completes the contract)
 *   timezone         IANA zone of dates without one (CSV close dates)
 *   csv              {"dates": "auto" | "mdy" | "dmy", "decimal": "auto" | "point" | "comma"}
 *   org_id           Salesforce: the organization id the Outbound Messages must carry
 *   esign_field      DocuSign, PandaDoc: the custom field holding the CRM deal id
 *   api_base         HubSpot: the REST API's base URL (default https://api.hubapi.com)
 *   legacy_signatures HubSpot: accept signatures v1 and v2 (no replay protection)
 *
 * Everything here is a function of its arguments (no I/O): the parser is fuzzed
 * (tests/fuzz/fuzz_integration_config.c). Errors are HF_EINVAL with err->path naming the
 * key (`owners.123`, `segment_rules[2].min`) and a msgid for translation. */
#ifndef HANDOFF_INTEGRATION_H
#define HANDOFF_INTEGRATION_H

#include "handoff/error.h"
#include "handoff/hooks.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Most entries of each list or map. */
#define HF_INTEGRATION_LIST_MAX 500
/* Longest configuration text accepted. */
#define HF_INTEGRATION_CONFIG_MAX (256 * 1024)

typedef enum hf_won_trigger {
    HF_WON_CONTRACT_SIGNATURE = 0,
    HF_WON_VERBAL_COMMIT,
} hf_won_trigger;

typedef struct hf_segment_rule {
    char segment[16]; /* strategic, enterprise, mid_market, smb */
    char *field;      /* NULL: every deal */
    bool has_min, has_max;
    double min, max; /* min <= value < max */
    char **equals;   /* any of these, without regard to case; NULL-terminated or NULL */
} hf_segment_rule;

typedef struct hf_owner_mapping {
    char *crm;   /* CRM user id, e-mail or name */
    char *email; /* the Handoff user, lower case */
} hf_owner_mapping;

typedef struct hf_field_mapping {
    char *from; /* CRM field (property) name */
    char *to;   /* handoff document path */
} hf_field_mapping;

typedef struct hf_integration_config {
    hf_hook_source source;
    hf_hook_won_stage *won_stages; /* pipeline and stage strings owned */
    size_t n_won_stages;
    char **won_stage_names; /* the stages alone, NULL-terminated (Salesforce, CSV) */
    hf_owner_mapping *owners;
    size_t n_owners;
    hf_segment_rule *segment_rules;
    size_t n_segment_rules;
    hf_field_mapping *fields;
    size_t n_fields;
    hf_won_trigger won_trigger;
    char timezone[64];   /* "" : UTC */
    char csv_dates[8];   /* "auto", "mdy", "dmy" */
    char csv_decimal[8]; /* "auto", "point", "comma" */
    char org_id[HF_HOOK_ID_MAX];
    char esign_field[HF_HOOK_ID_MAX]; /* "" : crm_deal_id */
    char api_base[256];               /* "" : https://api.hubapi.com */
    bool legacy_signatures;
} hf_integration_config;

/* An empty configuration of `source` (every default). Cannot fail. */
void hf_integration_config_init(hf_integration_config *c, hf_hook_source source);
/* Free what the configuration owns and leave it empty. NULL is fine; may be called twice. */
void hf_integration_config_free(hf_integration_config *c);

/* Parse and check a configuration object for `source`. On error *out is empty. */
int hf_integration_config_from_json(hf_hook_source source, const json_t *obj,
                                    hf_integration_config *out, hf_error *err);
/* The same from JSON text (at most HF_INTEGRATION_CONFIG_MAX bytes). */
int hf_integration_config_parse(hf_hook_source source, const char *text, size_t len,
                                hf_integration_config *out, hf_error *err);
/* The configuration as a normalized JSON object (every key, defaults included). The caller
 * owns the reference. */
json_t *hf_integration_config_to_json(const hf_integration_config *c);

/* The Handoff e-mail address the owner mapping gives for a CRM key (id, e-mail or name,
 * compared without regard to case), or NULL. */
const char *hf_integration_owner(const hf_integration_config *c, const char *crm_key);

/* The value of a deal field, as segment rules and field mappings read it: a string, a
 * number, or NULL when the deal does not have it. */
typedef const json_t *(*hf_deal_field_fn)(void *ctx, const char *field);
/* The segment of the first rule the deal matches, or NULL. */
const char *hf_integration_segment(const hf_integration_config *c, hf_deal_field_fn get, void *ctx);

/* A segment rule written on the command line: `SEGMENT`, `SEGMENT:FIELD>=NUMBER`,
 * `SEGMENT:FIELD<NUMBER` or `SEGMENT:FIELD=VALUE[|VALUE...]`, as its JSON object (new
 * reference in *rule). */
int hf_integration_segment_rule_parse(const char *text, json_t **rule, hf_error *err);

/* May a field mapping write `path` of the handoff document? The deal's facts, its owner,
 * the CS team, the review, the meeting and the timeline are not the CRM's to fill. */
bool hf_integration_path_allowed(const char *path);

/* "contract_signature" / "verbal_commit" (static). */
const char *hf_won_trigger_name(hf_won_trigger t);

#endif
