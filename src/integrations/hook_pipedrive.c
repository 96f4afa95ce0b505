/* Pipedrive webhooks, v1 and v2 (include/handoff/hooks.h, INTEGRATIONS.md "Pipedrive
 * webhooks"): one deal event per request, and the HTTP Basic credentials Pipedrive sends
 * instead of a signature.
 *
 * The two versions differ in where things are, not in what they mean: v1 has `current`,
 * `retry`, `meta.object` and `meta.id` (the deal); v2 has `data`, `meta.attempt`,
 * `meta.entity`, `meta.entity_id` and a `meta.id` of its own for the event. Both send
 * ids as numbers or strings and `meta.timestamp` as epoch seconds or ISO text, so every
 * value goes through the lenient readers of hook_common.c. */
#include "hook_int.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longest `user:password` accepted in an Authorization header. */
#define CREDENTIALS_MAX 1024

static const json_t *member(const json_t *obj, const char *key)
{
    return json_is_object(obj) ? json_object_get(obj, key) : NULL;
}

static bool str_is(const json_t *v, const char *s)
{
    return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* `user_id` / `org_id` of v1 may be an object ({"id": 1, "name": .., "email": ..} or
 * {"value": 1, "name": ..}): its id. */
static const json_t *id_of(const json_t *v)
{
    if (!json_is_object(v))
        return v;
    const json_t *id = json_object_get(v, "id");
    return id ? id : json_object_get(v, "value");
}

/* The deal fields of `current` (v1) or `data` (v2) at `where`. */
static int read_deal(const json_t *deal, const char *where, hf_hook_event *ev, hf_error *err)
{
    char path[HF_ERROR_PATH_MAX];
    int rc;
#define AT(key) (hf__hook_path(path, "%s.%s", where, key), path)
    if ((rc =
             hf__hook_json_id(member(deal, "id"), ev->crm_id, sizeof(ev->crm_id), AT("id"), err)) ||
        (rc = hf__hook_json_text(member(deal, "title"), ev->name, sizeof(ev->name), AT("title"),
                                 err)) ||
        (rc = hf__hook_json_amount(member(deal, "value"), &ev->has_amount, &ev->amount, AT("value"),
                                   err)) ||
        (rc = hf__hook_json_id(member(deal, "currency"), ev->currency, sizeof(ev->currency),
                               AT("currency"), err)) ||
        (rc = hf__hook_json_id(member(deal, "stage_id"), ev->stage, sizeof(ev->stage),
                               AT("stage_id"), err)) ||
        (rc = hf__hook_json_id(member(deal, "pipeline_id"), ev->pipeline, sizeof(ev->pipeline),
                               AT("pipeline_id"), err)) ||
        (rc = hf__hook_json_date(member(deal, "expected_close_date"), &ev->has_close_date,
                                 &ev->close_day, AT("expected_close_date"), err)) ||
        (rc = hf__hook_json_time(member(deal, "won_time"), false, &ev->won_time, AT("won_time"),
                                 err)))
        return rc;
    /* owner: v2 owner_id; v1 user_id, a number or {"id", "email", ...} */
    const json_t *owner = member(deal, "owner_id");
    const char *owner_key = "owner_id";
    if (!owner) {
        owner = member(deal, "user_id");
        owner_key = "user_id";
    }
    if ((rc = hf__hook_json_id(id_of(owner), ev->owner_id, sizeof(ev->owner_id), AT(owner_key),
                               err)))
        return rc;
    if (json_is_object(owner) &&
        (rc = hf__hook_json_id(json_object_get(owner, "email"), ev->owner_email,
                               sizeof(ev->owner_email), AT("user_id.email"), err)))
        return rc;
    /* the customer: org_name when given, else the organization's id */
    const json_t *org = member(deal, "org_id");
    if ((rc = hf__hook_json_text(member(deal, "org_name"), ev->account, sizeof(ev->account),
                                 AT("org_name"), err)))
        return rc;
    if (!ev->account[0] && json_is_object(org) && json_is_string(json_object_get(org, "name")))
        rc = hf__hook_json_text(json_object_get(org, "name"), ev->account, sizeof(ev->account),
                                AT("org_id.name"), err);
    else if (!ev->account[0])
        rc = hf__hook_json_id(id_of(org), ev->account, sizeof(ev->account), AT("org_id"), err);
#undef AT
    return rc;
}

/* meta.timestamp as epoch seconds, in both the event and the text of the v1 key. */
static int read_timestamp(const json_t *meta, hf_hook_event *ev, char *text, size_t cap,
                          hf_error *err)
{
    int rc = hf__hook_json_time(member(meta, "timestamp"), false, &ev->occurred_at,
                                "meta.timestamp", err);
    if (rc)
        return rc;
    if (ev->occurred_at != HF_TIME_NONE)
        snprintf(text, cap, "%lld", (long long)ev->occurred_at);
    return 0;
}

static int parse(const json_t *root, hf_hook_event *ev, hf_error *err)
{
    int rc;
    if (!json_is_object(root))
        return hf_error_set(err, HF_EINVAL, "", "expected an object");
    const json_t *meta = json_object_get(root, "meta");
    if (!json_is_object(meta))
        return hf_error_set(err, HF_EINVAL, "meta", "missing meta object");
    const json_t *previous = json_object_get(root, "previous");
    if (previous && !json_is_null(previous) && !json_is_object(previous))
        return hf_error_set(err, HF_EINVAL, "previous", "expected an object");

    bool v2 = json_object_get(root, "data") || json_object_get(meta, "entity");
    const char *where = v2 ? "data" : "current";
    const json_t *deal = json_object_get(root, where);
    if (deal && !json_is_null(deal) && !json_is_object(deal))
        return hf_error_set(err, HF_EINVAL, where, "expected an object");

    if ((rc = hf__hook_json_id(json_object_get(meta, "company_id"), ev->org_id, sizeof(ev->org_id),
                               "meta.company_id", err)))
        return rc;
    char stamp[32] = "";
    if ((rc = read_timestamp(meta, ev, stamp, sizeof(stamp), err)))
        return rc;

    const char *object, *action;
    bool deleted;
    if (v2) {
        const json_t *attempt = json_object_get(meta, "attempt");
        if (json_is_integer(attempt) && json_integer_value(attempt) >= 0)
            ev->attempt =
                json_integer_value(attempt) > INT_MAX ? INT_MAX : (int)json_integer_value(attempt);
        if ((rc = hf__hook_json_id(json_object_get(meta, "id"), ev->event_id, sizeof(ev->event_id),
                                   "meta.id", err)))
            return rc;
        if (!ev->event_id[0])
            return hf_error_set(err, HF_EINVAL, "meta.id", "missing meta.id");
        const json_t *entity = json_object_get(meta, "entity");
        const json_t *act = json_object_get(meta, "action");
        object = json_is_string(entity) ? json_string_value(entity) : "";
        action = json_is_string(act) ? json_string_value(act) : "";
        deleted = strcmp(action, "delete") == 0;
    } else {
        const json_t *retry = json_object_get(root, "retry");
        if (json_is_integer(retry) && json_integer_value(retry) >= 0)
            ev->attempt =
                json_integer_value(retry) > INT_MAX ? INT_MAX : (int)json_integer_value(retry);
        char id[HF_HOOK_ID_MAX] = "";
        if ((rc = hf__hook_json_id(json_object_get(meta, "id"), id, sizeof(id), "meta.id", err)))
            return rc;
        if (!id[0])
            return hf_error_set(err, HF_EINVAL, "meta.id", "missing meta.id");
        if (!stamp[0])
            return hf_error_set(err, HF_EINVAL, "meta.timestamp", "missing meta.timestamp");
        /* two changes of one deal in the same second differ in timestamp_micro */
        char micro[32] = "";
        if ((rc = hf__hook_json_id(json_object_get(meta, "timestamp_micro"), micro, sizeof(micro),
                                   "meta.timestamp_micro", err)))
            return rc;
        snprintf(ev->event_id, sizeof(ev->event_id), "%s:%s%s%s", id, stamp, micro[0] ? ":" : "",
                 micro);
        const json_t *obj = json_object_get(meta, "object");
        const json_t *act = json_object_get(meta, "action");
        const json_t *event = json_object_get(root, "event");
        object = json_is_string(obj) ? json_string_value(obj) : "";
        action = json_is_string(act) ? json_string_value(act) : "";
        if (!*object && json_is_string(event)) {
            /* "updated.deal" */
            const char *dot = strchr(json_string_value(event), '.');
            object = dot ? dot + 1 : "";
            if (!*action)
                action = json_string_value(event);
        }
        deleted = strncmp(action, "deleted", 7) == 0 || strncmp(action, "delete", 6) == 0;
    }

    if (json_is_object(deal) && json_object_update(ev->properties, (json_t *)deal) != 0)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    if (strcmp(object, "deal") != 0) {
        ev->ignored_why = "not a deal event";
        return 0;
    }
    if (deleted || !json_is_object(deal)) {
        ev->ignored_why = "deal deleted";
        return 0;
    }
    if ((rc = read_deal(deal, where, ev, err)))
        return rc;
    if (!ev->crm_id[0]) {
        /* v2 names the deal in meta.entity_id, v1 in meta.id */
        const char *key = v2 ? "meta.entity_id" : "meta.id";
        if ((rc = hf__hook_json_id(json_object_get(meta, v2 ? "entity_id" : "id"), ev->crm_id,
                                   sizeof(ev->crm_id), key, err)))
            return rc;
        if (!ev->crm_id[0])
            return hf_error_set(err, HF_EINVAL, v2 ? "data.id" : "current.id", "missing deal id");
    }
    const json_t *was = member(previous, "status");
    bool won = str_is(json_object_get(deal, "status"), "won") && was && !json_is_null(was) &&
               !str_is(was, "won");
    ev->kind = won ? HF_HOOK_DEAL_WON : HF_HOOK_DEAL_CHANGED;
    return 0;
}

int hf_hook_pipedrive_parse(const char *body, size_t len, hf_hook_batch *out, hf_error *err)
{
    hf_error_clear(err);
    hf_hook_batch_init(out);
    out->source = HF_HOOK_PIPEDRIVE;
    json_t *root = hf__hook_json_load(body, len, err);
    if (!root)
        return err ? err->rc : HF_EINVAL;
    int rc = hf__hook_batch_alloc(out, HF_HOOK_PIPEDRIVE, 1, err);
    if (!rc)
        rc = parse(root, &out->events[0], err);
    if (rc) {
        hf_hook_batch_free(out);
        out->source = HF_HOOK_PIPEDRIVE;
    }
    json_decref(root);
    return rc;
}

int hf_hook_pipedrive_verify_basic(const char *authorization, const char *user,
                                   const char *password, hf_error *err)
{
    hf_error_clear(err);
    if (!user || !*user || !password || !*password)
        return hf_error_set(err, HF_EUSAGE, NULL, "no webhook credentials configured");
    int rc = hf__hook_crypto_init(err);
    if (rc)
        return rc;
    if (!authorization || !*authorization)
        return hf_error_set(err, HF_EINVAL, "Authorization", "missing header");
    size_t n = hf__hook_header_len(authorization);
    if (n > HF__HOOK_HEADER_MAX || n < 6 || strncasecmp(authorization, "Basic ", 6) != 0)
        return hf_error_set(err, HF_EINVAL, "Authorization", "expected Basic credentials");
    const char *b64 = authorization + 6;
    while (*b64 == ' ')
        b64++;
    size_t b64_len = strlen(b64);
    while (b64_len && b64[b64_len - 1] == ' ')
        b64_len--;
    unsigned char given[CREDENTIALS_MAX];
    size_t given_len = 0;
    const char *end = NULL;
    if (sodium_base642bin(given, sizeof(given), b64, b64_len, NULL, &given_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != b64 + b64_len)
        return hf_error_set(err, HF_EINVAL, "Authorization", "credentials are not base64");

    /* Compare digests, so that neither the time nor the result depends on where the
     * strings first differ or on their lengths. */
    unsigned char want_digest[32], given_digest[32];
    hf__hook_piece want[] = {{user, strlen(user)}, {":", 1}, {password, strlen(password)}};
    hf__hook_piece got[] = {{given, given_len}};
    hf__hook_sha256(want, 3, want_digest);
    hf__hook_sha256(got, 1, given_digest);
    sodium_memzero(given, sizeof(given));
    if (sodium_memcmp(want_digest, given_digest, 32) != 0)
        return hf_error_set(err, HF_EPERM, "Authorization", "credentials do not match");
    return 0;
}
