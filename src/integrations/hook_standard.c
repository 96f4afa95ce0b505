/* Standard Webhooks 1.0 (include/handoff/hooks.h, INTEGRATIONS.md "Generic webhooks"):
 * verifying and signing `webhook-id.webhook-timestamp.body` with HMAC-SHA256, shared by
 * the generic inbound receiver and our outbound webhooks; and the generic trigger body,
 * whose shape (`type`, `timestamp`, `data`) is the one our outbound webhooks send, so that
 * one Handoff can trigger another. */
#include "hook_int.h"

#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PREFIX "whsec_"
#define KEY_MAX 512
#define MSG_ID_MAX 256
#define WINDOW_S 300
/* Entries of a webhook-signature header looked at (a rotation has two or three). */
#define SIGNATURES_MAX 32

/* The key bytes of a `whsec_` secret into key; its length, or 0 when malformed. */
static size_t decode_secret(const char *secret, unsigned char key[KEY_MAX])
{
    if (!secret)
        return 0;
    if (strncmp(secret, PREFIX, strlen(PREFIX)) == 0)
        secret += strlen(PREFIX);
    size_t n = strnlen(secret, 4 * KEY_MAX);
    size_t key_len = 0;
    const char *end = NULL;
    if (n == 0 || n >= 4 * KEY_MAX)
        return 0;
    if ((sodium_base642bin(key, KEY_MAX, secret, n, NULL, &key_len, &end,
                           sodium_base64_VARIANT_ORIGINAL) != 0 ||
         end != secret + n) &&
        (sodium_base642bin(key, KEY_MAX, secret, n, NULL, &key_len, &end,
                           sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
         end != secret + n))
        return 0;
    return key_len;
}

static int mac_of(const char *secret, const char *msg_id, int64_t timestamp, const char *body,
                  size_t len, unsigned char mac[32], hf_error *err)
{
    unsigned char key[KEY_MAX];
    int rc = hf__hook_crypto_init(err);
    if (rc)
        return rc;
    size_t key_len = decode_secret(secret, key);
    if (key_len == 0)
        return hf_error_set(err, HF_EUSAGE, NULL, "webhook secret is not whsec_ and base64");
    char ts[32];
    int n = snprintf(ts, sizeof(ts), "%lld", (long long)timestamp);
    hf__hook_piece pieces[] = {
        {msg_id, strlen(msg_id)}, {".", 1}, {ts, (size_t)n}, {".", 1}, {body, len}};
    hf__hook_hmac_sha256(key, key_len, pieces, 5, mac);
    sodium_memzero(key, sizeof(key));
    return 0;
}

static int check_id(const char *msg_id, hf_error *err)
{
    if (!msg_id || !*msg_id)
        return hf_error_set(err, HF_EINVAL, "webhook-id", "missing header");
    if (strnlen(msg_id, MSG_ID_MAX) >= MSG_ID_MAX)
        return hf_error_set(err, HF_EINVAL, "webhook-id", "longer than %d bytes", MSG_ID_MAX - 1);
    return 0;
}

int hf_hook_standard_verify(const char *secret, const char *msg_id, const char *timestamp,
                            const char *signature, const char *body, size_t len, hf_time now,
                            hf_error *err)
{
    hf_error_clear(err);
    int rc;
    if ((rc = hf__hook_check_body(body, len, err)) || (rc = check_id(msg_id, err)))
        return rc;
    if (!timestamp || !*timestamp)
        return hf_error_set(err, HF_EINVAL, "webhook-timestamp", "missing header");
    if (!signature || !*signature)
        return hf_error_set(err, HF_EINVAL, "webhook-signature", "missing header");
    size_t ts_len = hf__hook_header_len(timestamp);
    int64_t ts;
    if (ts_len > 19 || !hf__hook_parse_int64(timestamp, ts_len, &ts))
        return hf_error_set(err, HF_EINVAL, "webhook-timestamp", "expected Unix seconds");
    if (!hf__hook_within(ts, now, WINDOW_S))
        return hf_error_set(err, HF_EPERM, "webhook-timestamp",
                            "timestamp outside the 5-minute window");
    size_t sig_len = hf__hook_header_len(signature);
    if (sig_len > HF__HOOK_HEADER_MAX)
        return hf_error_set(err, HF_EINVAL, "webhook-signature", "header too long");

    unsigned char mac[32];
    if ((rc = mac_of(secret, msg_id, ts, body, len, mac, err)))
        return rc;
    /* `v1,<base64>` entries separated by spaces; other versions are skipped */
    bool any = false;
    size_t entries = 0;
    const char *p = signature, *end = signature + sig_len;
    while (p < end && entries < SIGNATURES_MAX) {
        while (p < end && *p == ' ')
            p++;
        const char *q = p;
        while (q < end && *q != ' ')
            q++;
        if (q > p) {
            entries++;
            if (q - p > 3 && memcmp(p, "v1,", 3) == 0)
                any |= hf__hook_b64_matches(mac, p + 3, (size_t)(q - p - 3));
        }
        p = q;
    }
    if (!any)
        return hf_error_set(err, HF_EPERM, "webhook-signature", "no signature matches");
    return 0;
}

int hf_hook_standard_sign(const char *secret, const char *msg_id, hf_time timestamp,
                          const char *body, size_t len, char out[HF_HOOK_STANDARD_SIG_MAX],
                          hf_error *err)
{
    hf_error_clear(err);
    int rc;
    if ((rc = hf__hook_check_body(body, len, err)) || (rc = check_id(msg_id, err)))
        return rc;
    unsigned char mac[32];
    if ((rc = mac_of(secret, msg_id, timestamp, body, len, mac, err)))
        return rc;
    memcpy(out, "v1,", 3);
    sodium_bin2base64(out + 3, HF_HOOK_STANDARD_SIG_MAX - 3, mac, sizeof(mac),
                      sodium_base64_VARIANT_ORIGINAL);
    return 0;
}

/* ---- the generic trigger body ---- */

static int generic(const json_t *root, hf_hook_event *ev, hf_error *err)
{
    int rc;
    if (!json_is_object(root))
        return hf_error_set(err, HF_EINVAL, "", "expected an object");
    const json_t *type = json_object_get(root, "type");
    if (!json_is_string(type) || json_string_length(type) == 0)
        return hf_error_set(err, HF_EINVAL, "type", "missing type");
    const json_t *data = json_object_get(root, "data");
    if (!json_is_object(data))
        return hf_error_set(err, HF_EINVAL, "data", "missing data object");
    if ((rc = hf__hook_json_time(json_object_get(root, "timestamp"), false, &ev->occurred_at,
                                 "timestamp", err)))
        return rc;
    if (json_object_update(ev->properties, (json_t *)data) != 0)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");

    static const struct {
        const char *key;
        size_t offset, size;
        bool text;
    } strings[] = {
#define S(k, f, t) {k, offsetof(hf_hook_event, f), sizeof(((hf_hook_event *)0)->f), t}
        S("crm_id", crm_id, false),           S("stage", stage, false),
        S("pipeline", pipeline, false),       S("name", name, true),
        S("currency", currency, false),       S("owner_id", owner_id, false),
        S("owner_email", owner_email, false), S("account", account, true),
        S("org_id", org_id, false),           S("document_id", document_id, false),
#undef S
    };
    char path[HF_ERROR_PATH_MAX];
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        hf__hook_path(path, "data.%s", strings[i].key);
        char *dst = (char *)ev + strings[i].offset;
        const json_t *v = json_object_get(data, strings[i].key);
        rc = strings[i].text ? hf__hook_json_text(v, dst, strings[i].size, path, err)
                             : hf__hook_json_id(v, dst, strings[i].size, path, err);
        if (rc)
            return rc;
    }
    if ((rc = hf__hook_json_amount(json_object_get(data, "amount"), &ev->has_amount, &ev->amount,
                                   "data.amount", err)) ||
        (rc = hf__hook_json_date(json_object_get(data, "close_date"), &ev->has_close_date,
                                 &ev->close_day, "data.close_date", err)) ||
        (rc = hf__hook_json_time(json_object_get(data, "won_time"), false, &ev->won_time,
                                 "data.won_time", err)) ||
        (rc = hf__hook_json_time(json_object_get(data, "signed_at"), false, &ev->signed_at,
                                 "data.signed_at", err)))
        return rc;

    const char *t = json_string_value(type);
    if (strcmp(t, "deal.won") == 0)
        ev->kind = HF_HOOK_DEAL_WON;
    else if (strcmp(t, "deal.changed") == 0)
        ev->kind = HF_HOOK_DEAL_CHANGED;
    else if (strcmp(t, "contract.completed") == 0)
        ev->kind = HF_HOOK_CONTRACT_COMPLETED;
    else {
        ev->ignored_why = "unknown event type";
        return 0;
    }
    if (!ev->crm_id[0])
        return hf_error_set(err, HF_EINVAL, "data.crm_id", "missing crm_id");
    return 0;
}

int hf_hook_generic_parse(const char *body, size_t len, const char *msg_id, hf_hook_batch *out,
                          hf_error *err)
{
    hf_error_clear(err);
    hf_hook_batch_init(out);
    out->source = HF_HOOK_GENERIC;
    int rc = check_id(msg_id, err);
    if (rc)
        return rc;
    json_t *root = hf__hook_json_load(body, len, err);
    if (!root)
        return err ? err->rc : HF_EINVAL;
    rc = hf__hook_batch_alloc(out, HF_HOOK_GENERIC, 1, err);
    if (!rc) {
        snprintf(out->events[0].event_id, sizeof(out->events[0].event_id), "%s", msg_id);
        rc = generic(root, &out->events[0], err);
    }
    if (rc) {
        hf_hook_batch_free(out);
        out->source = HF_HOOK_GENERIC;
    }
    json_decref(root);
    return rc;
}
