/* E-signature webhooks (include/handoff/hooks.h, INTEGRATIONS.md "Inbound: e-signature"):
 * DocuSign Connect JSON SIM messages and PandaDoc webhooks turned into
 * CONTRACT_COMPLETED events, and their HMAC signatures.
 *
 * Neither vendor knows the CRM deal: the sender puts the deal id into the envelope or
 * document (a DocuSign envelope custom field; a PandaDoc metadata key, field or token)
 * under a configured name, and a completion without it is IGNORED rather than an error:
 * the request is well formed, it is just not one of ours. */
#include "hook_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_DEAL_FIELD "crm_deal_id"

static const char *deal_field(const hf_hook_esign_config *cfg)
{
    return cfg && cfg->deal_id_field && *cfg->deal_id_field ? cfg->deal_id_field
                                                            : DEFAULT_DEAL_FIELD;
}

static const json_t *member(const json_t *obj, const char *key)
{
    return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

static bool str_is(const json_t *v, const char *s)
{
    return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* In an array of {name|field_id, value} objects, the value of the one named `name`
 * (names compared without case). NULL when there is none. */
static const json_t *named_value(const json_t *list, const char *name)
{
    size_t i;
    const json_t *item;
    if (!json_is_array(list))
        return NULL;
    json_array_foreach(list, i, item)
    {
        const json_t *n = member(item, "name");
        const json_t *id = member(item, "field_id");
        if ((json_is_string(n) && strcasecmp(json_string_value(n), name) == 0) ||
            (json_is_string(id) && strcasecmp(json_string_value(id), name) == 0))
            return member(item, "value");
    }
    return NULL;
}

/* ---- DocuSign Connect ---- */

static int docusign(const json_t *root, const hf_hook_esign_config *cfg, hf_hook_event *ev,
                    hf_error *err)
{
    int rc;
    if (!json_is_object(root))
        return hf_error_set(err, HF_EINVAL, "", "expected an object");
    const json_t *event = json_object_get(root, "event");
    if (!json_is_string(event) || json_string_length(event) == 0)
        return hf_error_set(err, HF_EINVAL, "event", "missing event");
    const json_t *data = json_object_get(root, "data");
    if (!json_is_object(data))
        return hf_error_set(err, HF_EINVAL, "data", "missing data object");
    if ((rc = hf__hook_json_id(json_object_get(data, "envelopeId"), ev->document_id,
                               sizeof(ev->document_id), "data.envelopeId", err)))
        return rc;
    if (!ev->document_id[0])
        return hf_error_set(err, HF_EINVAL, "data.envelopeId", "missing envelopeId");
    const json_t *generated = json_object_get(root, "generatedDateTime");
    if (!json_is_string(generated) || json_string_length(generated) == 0)
        return hf_error_set(err, HF_EINVAL, "generatedDateTime", "missing generatedDateTime");
    if ((rc = hf__hook_json_time(generated, false, &ev->occurred_at, "generatedDateTime", err)))
        return rc;
    int n = snprintf(ev->event_id, sizeof(ev->event_id), "%s:%s:%s", ev->document_id,
                     json_string_value(event), json_string_value(generated));
    if (n < 0 || (size_t)n >= sizeof(ev->event_id))
        return hf_error_set(err, HF_EINVAL, "event", "event key too long");
    if ((rc = hf__hook_json_id(json_object_get(data, "accountId"), ev->org_id, sizeof(ev->org_id),
                               "data.accountId", err)))
        return rc;
    const json_t *retry = json_object_get(root, "retryCount");
    if (json_is_integer(retry) && json_integer_value(retry) >= 0 &&
        json_integer_value(retry) < 1000000)
        ev->attempt = (int)json_integer_value(retry);

    const json_t *summary = json_object_get(data, "envelopeSummary");
    if (summary && !json_is_null(summary) && !json_is_object(summary))
        return hf_error_set(err, HF_EINVAL, "data.envelopeSummary", "expected an object");
    if (json_is_object(summary)) {
        if (json_object_update(ev->properties, (json_t *)summary) != 0)
            return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        /* documents (base64 PDFs when Connect includes them) are no deal property */
        json_object_del(ev->properties, "envelopeDocuments");
        if ((rc = hf__hook_json_time(json_object_get(summary, "completedDateTime"), false,
                                     &ev->signed_at, "data.envelopeSummary.completedDateTime",
                                     err)) ||
            (rc = hf__hook_json_text(json_object_get(summary, "emailSubject"), ev->name,
                                     sizeof(ev->name), "data.envelopeSummary.emailSubject", err)))
            return rc;
        const json_t *fields = json_object_get(summary, "customFields");
        const char *name = deal_field(cfg);
        const json_t *v = named_value(member(fields, "textCustomFields"), name);
        const char *where = "data.envelopeSummary.customFields.textCustomFields";
        if (!v) {
            v = named_value(member(fields, "listCustomFields"), name);
            where = "data.envelopeSummary.customFields.listCustomFields";
        }
        if ((rc = hf__hook_json_id(v, ev->crm_id, sizeof(ev->crm_id), where, err)))
            return rc;
    }

    if (!str_is(event, "envelope-completed")) {
        ev->ignored_why = "not a completion event";
        return 0;
    }
    if (!json_is_object(summary)) {
        ev->ignored_why = "no envelope summary in the message";
        return 0;
    }
    if (!str_is(json_object_get(summary, "status"), "completed")) {
        ev->ignored_why = "envelope not completed";
        return 0;
    }
    if (!ev->crm_id[0]) {
        ev->ignored_why = "no deal id custom field";
        return 0;
    }
    if (ev->signed_at == HF_TIME_NONE)
        ev->signed_at = ev->occurred_at;
    ev->kind = HF_HOOK_CONTRACT_COMPLETED;
    return 0;
}

int hf_hook_docusign_parse(const char *body, size_t len, const hf_hook_esign_config *cfg,
                           hf_hook_batch *out, hf_error *err)
{
    hf_error_clear(err);
    hf_hook_batch_init(out);
    out->source = HF_HOOK_DOCUSIGN;
    json_t *root = hf__hook_json_load(body, len, err);
    if (!root)
        return err ? err->rc : HF_EINVAL;
    int rc = hf__hook_batch_alloc(out, HF_HOOK_DOCUSIGN, 1, err);
    if (!rc)
        rc = docusign(root, cfg, &out->events[0], err);
    if (rc) {
        hf_hook_batch_free(out);
        out->source = HF_HOOK_DOCUSIGN;
    }
    json_decref(root);
    return rc;
}

int hf_hook_docusign_verify(const char *secret, const char *body, size_t len,
                            const char *const *signatures, size_t n, hf_error *err)
{
    hf_error_clear(err);
    if (!secret || !*secret)
        return hf_error_set(err, HF_EUSAGE, NULL, "no Connect secret configured");
    int rc;
    if ((rc = hf__hook_crypto_init(err)) || (rc = hf__hook_check_body(body, len, err)))
        return rc;
    unsigned char mac[32];
    hf__hook_piece piece = {body, len};
    hf__hook_hmac_sha256((const unsigned char *)secret, strlen(secret), &piece, 1, mac);
    /* every header is compared, so the time does not tell which one matched */
    bool any = false, seen = false;
    for (size_t i = 0; signatures && i < n && i < 100; i++) {
        if (!signatures[i] || !*signatures[i])
            continue;
        seen = true;
        any |= hf__hook_b64_matches(mac, signatures[i], hf__hook_header_len(signatures[i]));
    }
    if (!seen)
        return hf_error_set(err, HF_EINVAL, "X-DocuSign-Signature-1", "missing header");
    if (!any)
        return hf_error_set(err, HF_EPERM, "X-DocuSign-Signature-1", "no signature header matches");
    return 0;
}

/* ---- PandaDoc ---- */

static int pandadoc_event(const json_t *item, size_t i, size_t count,
                          const hf_hook_esign_config *cfg, const char *header, hf_hook_event *ev,
                          hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    int rc;
    hf__hook_path(path, "[%zu]", i);
    if (!json_is_object(item))
        return hf_error_set(err, HF_EINVAL, path, "expected an event object");
    const json_t *event = json_object_get(item, "event");
    hf__hook_path(path, "[%zu].event", i);
    if (!json_is_string(event) || json_string_length(event) == 0)
        return hf_error_set(err, HF_EINVAL, path, "missing event");
    const json_t *data = json_object_get(item, "data");
    hf__hook_path(path, "[%zu].data", i);
    if (!json_is_object(data))
        return hf_error_set(err, HF_EINVAL, path, "missing data object");
    hf__hook_path(path, "[%zu].data.id", i);
    if ((rc = hf__hook_json_id(json_object_get(data, "id"), ev->document_id,
                               sizeof(ev->document_id), path, err)))
        return rc;
    if (!ev->document_id[0])
        return hf_error_set(err, HF_EINVAL, path, "missing document id");
    const json_t *status = json_object_get(data, "status");
    hf__hook_path(path, "[%zu].data.status", i);
    if (status && !json_is_null(status) && !json_is_string(status))
        return hf_error_set(err, HF_EINVAL, path, "expected a string");
    const char *st = json_is_string(status) ? json_string_value(status) : "";

    int n;
    if (header && *header)
        n = count > 1 ? snprintf(ev->event_id, sizeof(ev->event_id), "%s:%zu", header, i)
                      : snprintf(ev->event_id, sizeof(ev->event_id), "%s", header);
    else
        n = snprintf(ev->event_id, sizeof(ev->event_id), "%s:%s%s%s", ev->document_id,
                     json_string_value(event), *st ? ":" : "", st);
    if (n < 0 || (size_t)n >= sizeof(ev->event_id)) {
        hf__hook_path(path, "[%zu]", i);
        return hf_error_set(err, HF_EINVAL, path, "event key too long");
    }

    if (json_object_update(ev->properties, (json_t *)data) != 0)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    hf__hook_path(path, "[%zu].data.name", i);
    if ((rc = hf__hook_json_text(json_object_get(data, "name"), ev->name, sizeof(ev->name), path,
                                 err)))
        return rc;
    hf__hook_path(path, "[%zu].data.date_modified", i);
    if ((rc = hf__hook_json_time(json_object_get(data, "date_modified"), false, &ev->occurred_at,
                                 path, err)))
        return rc;
    hf__hook_path(path, "[%zu].data.date_completed", i);
    if ((rc = hf__hook_json_time(json_object_get(data, "date_completed"), false, &ev->signed_at,
                                 path, err)))
        return rc;

    /* the deal id: metadata key, then a field, then a token */
    const char *name = deal_field(cfg);
    const json_t *v = member(json_object_get(data, "metadata"), name);
    const char *where = "metadata";
    if (!v) {
        v = named_value(json_object_get(data, "fields"), name);
        where = "fields";
    }
    if (!v) {
        v = named_value(json_object_get(data, "tokens"), name);
        where = "tokens";
    }
    hf__hook_path(path, "[%zu].data.%s", i, where);
    if ((rc = hf__hook_json_id(v, ev->crm_id, sizeof(ev->crm_id), path, err)))
        return rc;

    if (!str_is(event, "document_state_changed") || strcmp(st, "document.completed") != 0) {
        ev->ignored_why = "not a completion event";
        return 0;
    }
    if (!ev->crm_id[0]) {
        ev->ignored_why = "no deal id in the document";
        return 0;
    }
    if (ev->signed_at == HF_TIME_NONE)
        ev->signed_at = ev->occurred_at;
    ev->kind = HF_HOOK_CONTRACT_COMPLETED;
    return 0;
}

int hf_hook_pandadoc_parse(const char *body, size_t len, const hf_hook_esign_config *cfg,
                           const char *event_id_header, hf_hook_batch *out, hf_error *err)
{
    hf_error_clear(err);
    hf_hook_batch_init(out);
    out->source = HF_HOOK_PANDADOC;
    if (event_id_header && hf__hook_header_len(event_id_header) >= HF_HOOK_ID_MAX)
        return hf_error_set(err, HF_EINVAL, "X-PandaDoc-Webhook-Event-Id", "header too long");
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
    if ((rc = hf__hook_batch_alloc(out, HF_HOOK_PANDADOC, n, err)))
        goto out;
    for (size_t i = 0; i < n; i++)
        if ((rc = pandadoc_event(json_array_get(root, i), i, n, cfg, event_id_header,
                                 &out->events[i], err)))
            goto out;
    hf__hook_mark_duplicates(out);
out:
    if (rc) {
        hf_hook_batch_free(out);
        out->source = HF_HOOK_PANDADOC;
    }
    json_decref(root);
    return rc;
}

int hf_hook_pandadoc_verify(const char *shared_key, const char *body, size_t len,
                            const char *signature, hf_error *err)
{
    hf_error_clear(err);
    if (!shared_key || !*shared_key)
        return hf_error_set(err, HF_EUSAGE, NULL, "no shared key configured");
    int rc;
    if ((rc = hf__hook_crypto_init(err)) || (rc = hf__hook_check_body(body, len, err)))
        return rc;
    if (!signature || !*signature)
        return hf_error_set(err, HF_EINVAL, "signature", "missing signature parameter");
    unsigned char mac[32];
    hf__hook_piece piece = {body, len};
    hf__hook_hmac_sha256((const unsigned char *)shared_key, strlen(shared_key), &piece, 1, mac);
    if (!hf__hook_hex_matches(mac, signature, hf__hook_header_len(signature)))
        return hf_error_set(err, HF_EPERM, "signature", "signature does not match");
    return 0;
}

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

long hf_hook_query_param(const char *query, const char *name, char *out, size_t cap)
{
    if (!query || !name || !*name || !out || cap == 0)
        return -1;
    size_t name_len = strlen(name);
    const char *p = query;
    while (*p) {
        const char *end = strchr(p, '&');
        size_t seg = end ? (size_t)(end - p) : strlen(p);
        if (seg > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
            size_t o = 0;
            for (size_t i = name_len + 1; i < seg; i++) {
                char c = p[i];
                if (c == '+') {
                    c = ' ';
                } else if (c == '%') {
                    if (i + 2 >= seg || hexval((unsigned char)p[i + 1]) < 0 ||
                        hexval((unsigned char)p[i + 2]) < 0)
                        return -1;
                    c = (char)(hexval((unsigned char)p[i + 1]) * 16 +
                               hexval((unsigned char)p[i + 2]));
                    i += 2;
                }
                if (c == '\0' || o + 1 >= cap)
                    return -1;
                out[o++] = c;
            }
            out[o] = '\0';
            return (long)o;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return -1;
}
