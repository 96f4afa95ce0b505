/* HubSpot webhooks (include/handoff/hooks.h, INTEGRATIONS.md "HubSpot webhooks"): the
 * JSON array of up to 100 events turned into normalized events, and the three signature
 * versions. A webhook says only which property of which deal changed to what, so the
 * events carry the stage (and a changed property's value) but not the deal; the service
 * fetches the deal with crm_fetch.h when it needs the rest. */
#include "hook_int.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_WON_STAGE "closedwon"
/* Longest request URI the v2/v3 signatures are computed over. */
#define URI_MAX 8192
/* The signature window of v3, in milliseconds. */
#define WINDOW_MS 300000

bool hf_hook_hubspot_stage_is_won(const hf_hook_hubspot_config *cfg, const char *pipeline,
                                  const char *stage)
{
    if (!stage || !*stage)
        return false;
    if (!cfg || cfg->n_won_stages == 0)
        return strcmp(stage, DEFAULT_WON_STAGE) == 0;
    bool pipeline_known = pipeline && *pipeline;
    for (size_t i = 0; i < cfg->n_won_stages; i++) {
        const hf_hook_won_stage *w = &cfg->won_stages[i];
        if (!w->stage || strcmp(w->stage, stage) != 0)
            continue;
        if (!w->pipeline || !*w->pipeline || !pipeline_known || strcmp(w->pipeline, pipeline) == 0)
            return true;
    }
    return false;
}

/* A deal property named in a propertyChange event, copied into the event's own field. */
static int apply_property(hf_hook_event *ev, const char *name, const json_t *value,
                          const char *path, hf_error *err)
{
    if (strcmp(name, "dealstage") == 0)
        return hf__hook_json_id(value, ev->stage, sizeof(ev->stage), path, err);
    if (strcmp(name, "pipeline") == 0)
        return hf__hook_json_id(value, ev->pipeline, sizeof(ev->pipeline), path, err);
    if (strcmp(name, "dealname") == 0)
        return hf__hook_json_text(value, ev->name, sizeof(ev->name), path, err);
    if (strcmp(name, "amount") == 0)
        return hf__hook_json_amount(value, &ev->has_amount, &ev->amount, path, err);
    if (strcmp(name, "deal_currency_code") == 0)
        return hf__hook_json_id(value, ev->currency, sizeof(ev->currency), path, err);
    if (strcmp(name, "hubspot_owner_id") == 0)
        return hf__hook_json_id(value, ev->owner_id, sizeof(ev->owner_id), path, err);
    if (strcmp(name, "closedate") == 0)
        return hf__hook_json_date(value, &ev->has_close_date, &ev->close_day, path, err);
    if (strcmp(name, "closed_won_date") == 0 || strcmp(name, "hs_closed_won_date") == 0)
        return hf__hook_json_time(value, false, &ev->won_time, path, err);
    return 0;
}

static bool is_deal_event(const char *type, const json_t *obj)
{
    if (strncmp(type, "deal.", 5) == 0)
        return true;
    if (strncmp(type, "object.", 7) == 0) {
        /* the generic webhook subscriptions name the object type: 0-3 is deals */
        const json_t *t = json_object_get(obj, "objectTypeId");
        return json_is_string(t) && strcmp(json_string_value(t), "0-3") == 0;
    }
    return false;
}

static int parse_event(const json_t *obj, size_t i, const hf_hook_hubspot_config *cfg,
                       hf_hook_event *ev, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    int rc;
    if (!json_is_object(obj)) {
        hf__hook_path(path, "[%zu]", i);
        return hf_error_set(err, HF_EINVAL, path, "expected an event object");
    }

    char event[HF_HOOK_ID_MAX] = "", occurred[HF_HOOK_ID_MAX] = "";
    static const char *const required[] = {"eventId", "occurredAt", "objectId", "subscriptionType"};
    for (size_t k = 0; k < sizeof(required) / sizeof(required[0]); k++)
        if (json_is_null(json_object_get(obj, required[k])) || !json_object_get(obj, required[k])) {
            hf__hook_path(path, "[%zu].%s", i, required[k]);
            return hf_error_set(err, HF_EINVAL, path, "missing %s", required[k]);
        }

    hf__hook_path(path, "[%zu].eventId", i);
    if ((rc = hf__hook_json_id(json_object_get(obj, "eventId"), event, sizeof(event), path, err)))
        return rc;
    hf__hook_path(path, "[%zu].occurredAt", i);
    const json_t *at = json_object_get(obj, "occurredAt");
    if (!json_is_integer(at))
        return hf_error_set(err, HF_EINVAL, path, "expected epoch milliseconds");
    if ((rc = hf__hook_json_id(at, occurred, sizeof(occurred), path, err)) ||
        (rc = hf__hook_json_time(at, true, &ev->occurred_at, path, err)))
        return rc;
    hf__hook_path(path, "[%zu].objectId", i);
    if ((rc = hf__hook_json_id(json_object_get(obj, "objectId"), ev->crm_id, sizeof(ev->crm_id),
                               path, err)))
        return rc;
    if (!ev->crm_id[0] || !event[0])
        return hf_error_set(err, HF_EINVAL, path, "empty id");
    hf__hook_path(path, "[%zu].portalId", i);
    if ((rc = hf__hook_json_id(json_object_get(obj, "portalId"), ev->org_id, sizeof(ev->org_id),
                               path, err)))
        return rc;
    const json_t *attempt = json_object_get(obj, "attemptNumber");
    if (json_is_integer(attempt) && json_integer_value(attempt) >= 0)
        ev->attempt =
            json_integer_value(attempt) > INT_MAX ? INT_MAX : (int)json_integer_value(attempt);

    int n = snprintf(ev->event_id, sizeof(ev->event_id), "%s:%s:%s", event, occurred, ev->crm_id);
    if (n < 0 || (size_t)n >= sizeof(ev->event_id)) {
        hf__hook_path(path, "[%zu]", i);
        return hf_error_set(err, HF_EINVAL, path, "event key too long");
    }

    hf__hook_path(path, "[%zu].subscriptionType", i);
    const json_t *type = json_object_get(obj, "subscriptionType");
    if (!json_is_string(type))
        return hf_error_set(err, HF_EINVAL, path, "expected a string");
    const char *t = json_string_value(type);

    if (json_object_update(ev->properties, (json_t *)obj) != 0)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");

    if (!is_deal_event(t, obj)) {
        ev->kind = HF_HOOK_IGNORED;
        ev->ignored_why = "not a deal event";
        return 0;
    }
    const char *action = strchr(t, '.') + 1;
    if (strcmp(action, "deletion") == 0 || strcmp(action, "privacyDeletion") == 0) {
        ev->kind = HF_HOOK_IGNORED;
        ev->ignored_why = "deal deleted";
        return 0;
    }
    const json_t *pname = json_object_get(obj, "propertyName");
    if (strcmp(action, "propertyChange") == 0) {
        hf__hook_path(path, "[%zu].propertyName", i);
        if (!json_is_string(pname))
            return hf_error_set(err, HF_EINVAL, path, "missing propertyName");
        hf__hook_path(path, "[%zu].propertyValue", i);
        if ((rc = apply_property(ev, json_string_value(pname),
                                 json_object_get(obj, "propertyValue"), path, err)))
            return rc;
    }
    bool stage_change = json_is_string(pname) && strcmp(json_string_value(pname), "dealstage") == 0;
    ev->kind = stage_change && hf_hook_hubspot_stage_is_won(cfg, ev->pipeline, ev->stage)
                   ? HF_HOOK_DEAL_WON
                   : HF_HOOK_DEAL_CHANGED;
    return 0;
}

int hf_hook_hubspot_parse(const char *body, size_t len, const hf_hook_hubspot_config *cfg,
                          hf_hook_batch *out, hf_error *err)
{
    hf_error_clear(err);
    hf_hook_batch_init(out);
    out->source = HF_HOOK_HUBSPOT;
    json_t *root = hf__hook_json_load(body, len, err);
    if (!root)
        return err ? err->rc : HF_EINVAL;
    int rc = 0;
    if (!json_is_array(root)) {
        rc = hf_error_set(err, HF_EINVAL, "", "expected an array of events");
        goto out;
    }
    size_t n = json_array_size(root);
    if (n > HF_HOOK_BATCH_MAX) {
        char path[HF_ERROR_PATH_MAX];
        hf__hook_path(path, "[%d]", HF_HOOK_BATCH_MAX);
        rc = hf_error_set(err, HF_EINVAL, path, "more than %d events", HF_HOOK_BATCH_MAX);
        goto out;
    }
    if ((rc = hf__hook_batch_alloc(out, HF_HOOK_HUBSPOT, n, err)))
        goto out;
    for (size_t i = 0; i < n; i++)
        if ((rc = parse_event(json_array_get(root, i), i, cfg, &out->events[i], err)))
            goto out;
    hf__hook_mark_duplicates(out);
out:
    if (rc) {
        hf_hook_batch_free(out);
        out->source = HF_HOOK_HUBSPOT;
    }
    json_decref(root);
    return rc;
}

/* ---- signatures ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long hf_hook_hubspot_uri_decode(const char *uri, char *out, size_t cap)
{
    /* the characters HubSpot's documentation lists, and only those */
    static const char decoded[] = ":/?@!$'()*,;";
    size_t o = 0;
    if (!uri || cap == 0)
        return -1;
    for (size_t i = 0; uri[i]; i++) {
        char c = uri[i];
        if (c == '%' && uri[i + 1] && uri[i + 2]) {
            int hi = hexval((unsigned char)uri[i + 1]), lo = hexval((unsigned char)uri[i + 2]);
            if (hi >= 0 && lo >= 0) {
                int v = hi * 16 + lo;
                if (v > 0 && strchr(decoded, v)) {
                    c = (char)v;
                    i += 2;
                }
            }
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return (long)o;
}

static int check_secret(const char *secret, hf_error *err)
{
    if (!secret || !*secret)
        return hf_error_set(err, HF_EUSAGE, NULL, "no client secret configured");
    return hf__hook_crypto_init(err);
}

static int v3_mac(const char *secret, const char *method, const char *uri, const char *body,
                  size_t len, const char *ts, size_t ts_len, unsigned char mac[32], hf_error *err)
{
    char decoded[URI_MAX + 1];
    if (!method || !uri)
        return hf_error_set(err, HF_EUSAGE, NULL, "no method or URI");
    long dlen = hf_hook_hubspot_uri_decode(uri, decoded, sizeof(decoded));
    if (dlen < 0)
        return hf_error_set(err, HF_EINVAL, NULL, "request URI longer than %d bytes", URI_MAX);
    hf__hook_piece pieces[] = {
        {method, strlen(method)}, {decoded, (size_t)dlen}, {body, len}, {ts, ts_len}};
    hf__hook_hmac_sha256((const unsigned char *)secret, strlen(secret), pieces, 4, mac);
    return 0;
}

int hf_hook_hubspot_verify_v3(const char *client_secret, const char *method, const char *uri,
                              const char *body, size_t len, const char *timestamp,
                              const char *signature, hf_time now, hf_error *err)
{
    hf_error_clear(err);
    int rc;
    if ((rc = check_secret(client_secret, err)) || (rc = hf__hook_check_body(body, len, err)))
        return rc;
    if (!timestamp || !*timestamp)
        return hf_error_set(err, HF_EINVAL, "X-HubSpot-Request-Timestamp", "missing header");
    if (!signature || !*signature)
        return hf_error_set(err, HF_EINVAL, "X-HubSpot-Signature-v3", "missing header");
    size_t ts_len = hf__hook_header_len(timestamp);
    int64_t ts;
    if (ts_len > 19 || !hf__hook_parse_int64(timestamp, ts_len, &ts) || timestamp[0] == '-' ||
        timestamp[0] == '+')
        return hf_error_set(err, HF_EINVAL, "X-HubSpot-Request-Timestamp",
                            "expected epoch milliseconds");
    /* both in milliseconds */
    if (now > INT64_MAX / 1000 || now < INT64_MIN / 1000)
        return hf_error_set(err, HF_EUSAGE, NULL, "bad current time");
    if (!hf__hook_within(ts, now * 1000, WINDOW_MS))
        return hf_error_set(err, HF_EPERM, "X-HubSpot-Request-Timestamp",
                            "timestamp outside the 5-minute window");
    unsigned char mac[32];
    if ((rc = v3_mac(client_secret, method, uri, body, len, timestamp, ts_len, mac, err)))
        return rc;
    size_t sig_len = hf__hook_header_len(signature);
    if (!hf__hook_b64_matches(mac, signature, sig_len))
        return hf_error_set(err, HF_EPERM, "X-HubSpot-Signature-v3", "signature does not match");
    return 0;
}

int hf_hook_hubspot_sign_v3(const char *client_secret, const char *method, const char *uri,
                            const char *body, size_t len, int64_t timestamp_ms,
                            char out[HF_HOOK_SIG_B64_MAX], hf_error *err)
{
    hf_error_clear(err);
    int rc;
    if ((rc = check_secret(client_secret, err)) || (rc = hf__hook_check_body(body, len, err)))
        return rc;
    char ts[32];
    int n = snprintf(ts, sizeof(ts), "%lld", (long long)timestamp_ms);
    unsigned char mac[32];
    if ((rc = v3_mac(client_secret, method, uri, body, len, ts, (size_t)n, mac, err)))
        return rc;
    sodium_bin2base64(out, HF_HOOK_SIG_B64_MAX, mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
    return 0;
}

/* v1 (method and uri NULL) and v2: hex(SHA-256(secret [+ method + uri] + body)) */
static int v12_digest(const char *secret, const char *method, const char *uri, const char *body,
                      size_t len, unsigned char digest[32], hf_error *err)
{
    if (uri && strlen(uri) > URI_MAX)
        return hf_error_set(err, HF_EINVAL, NULL, "request URI longer than %d bytes", URI_MAX);
    hf__hook_piece pieces[] = {{secret, strlen(secret)},
                               {method, method ? strlen(method) : 0},
                               {uri, uri ? strlen(uri) : 0},
                               {body, len}};
    hf__hook_sha256(pieces, 4, digest);
    return 0;
}

static int verify_v12(const char *secret, const char *method, const char *uri, const char *body,
                      size_t len, const char *signature, hf_error *err)
{
    hf_error_clear(err);
    int rc;
    if ((rc = check_secret(secret, err)) || (rc = hf__hook_check_body(body, len, err)))
        return rc;
    if (!signature || !*signature)
        return hf_error_set(err, HF_EINVAL, "X-HubSpot-Signature", "missing header");
    unsigned char digest[32];
    if ((rc = v12_digest(secret, method, uri, body, len, digest, err)))
        return rc;
    if (!hf__hook_hex_matches(digest, signature, hf__hook_header_len(signature)))
        return hf_error_set(err, HF_EPERM, "X-HubSpot-Signature", "signature does not match");
    return 0;
}

static int sign_v12(const char *secret, const char *method, const char *uri, const char *body,
                    size_t len, char out[HF_HOOK_SIG_HEX_MAX], hf_error *err)
{
    hf_error_clear(err);
    int rc;
    if ((rc = check_secret(secret, err)) || (rc = hf__hook_check_body(body, len, err)))
        return rc;
    unsigned char digest[32];
    if ((rc = v12_digest(secret, method, uri, body, len, digest, err)))
        return rc;
    sodium_bin2hex(out, HF_HOOK_SIG_HEX_MAX, digest, sizeof(digest));
    return 0;
}

int hf_hook_hubspot_verify_v1(const char *client_secret, const char *body, size_t len,
                              const char *signature, hf_error *err)
{
    return verify_v12(client_secret, NULL, NULL, body, len, signature, err);
}

int hf_hook_hubspot_sign_v1(const char *client_secret, const char *body, size_t len,
                            char out[HF_HOOK_SIG_HEX_MAX], hf_error *err)
{
    return sign_v12(client_secret, NULL, NULL, body, len, out, err);
}

int hf_hook_hubspot_verify_v2(const char *client_secret, const char *method, const char *uri,
                              const char *body, size_t len, const char *signature, hf_error *err)
{
    if (!method || !uri)
        return hf_error_set(err, HF_EUSAGE, NULL, "no method or URI");
    return verify_v12(client_secret, method, uri, body, len, signature, err);
}

int hf_hook_hubspot_sign_v2(const char *client_secret, const char *method, const char *uri,
                            const char *body, size_t len, char out[HF_HOOK_SIG_HEX_MAX],
                            hf_error *err)
{
    if (!method || !uri)
        return hf_error_set(err, HF_EUSAGE, NULL, "no method or URI");
    return sign_v12(client_secret, method, uri, body, len, out, err);
}
