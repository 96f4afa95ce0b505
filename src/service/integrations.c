/* Integrations in the service layer: creating, changing, reading and removing the CRM and
 * e-signature accounts that start handoffs, with their write-only secrets sealed under the
 * server's key (credentials.h), and reading, pruning the deliveries their webhooks made.
 * Only RevOps (and the system) do any of this. The receiver and the replay are in
 * triggers.c. */
#include "service/svc_int.h"

#include "handoff/credentials.h"
#include "handoff/jsondiff.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define RETENTION_DEFAULT 30
#define RETENTION_MAX 3650
#define SECRET_MAX 4096

void hf_svc_set_secret_key(hf_svc *svc, const unsigned char *key)
{
    if (key) {
        memcpy(svc->key, key, sizeof(svc->key));
        svc->has_key = true;
    } else {
        sodium_memzero(svc->key, sizeof(svc->key));
        svc->has_key = false;
    }
}

int svc__need_revops(const hf_actor *a, unsigned scope, const char *msgid, hf_error *err)
{
    if (!a->is_system && a->role != HF_ROLE_REVOPS)
        return svc__denied(err, a, msgid);
    return svc__need_scope(a, scope, err);
}

static int no_key(const hf_actor *a, hf_error *err)
{
    return svc__fail(err, HF_EUSAGE, NULL, a,
                     N_("no key file for integration secrets: set HANDOFF_KEY_FILE (or "
                        "--key-file) to the file made when the first integration was added%s"),
                     "");
}

/* ---- loading ---- */

void svc__integration_free(svc_integration *in)
{
    if (!in)
        return;
    hf_integration_rec_free(&in->rec);
    hf_integration_config_free(&in->cfg);
    hf_secret_free(in->secret);
    hf_secret_free(in->api_token);
    in->secret = in->api_token = NULL;
}

/* The opened secrets of `rec` into *secrets (a new JSON object: {secret, api_token}). */
static int open_secrets(hf_svc *svc, const hf_actor *a, const hf_integration_rec *rec,
                        json_t **secrets, hf_error *err)
{
    *secrets = json_object();
    if (!rec->secrets || !*rec->secrets)
        return 0;
    if (!svc->has_key)
        return no_key(a, err);
    char *plain = NULL;
    int rc = hf_secret_open(svc->key, rec->endpoint_id, rec->secrets, &plain);
    if (rc) {
        char fp[HF_SECRET_FINGERPRINT_MAX];
        hf_secret_fingerprint(svc->key, fp);
        return svc__fail(err, HF_EUSAGE, NULL, a,
                         N_("the integration's secrets do not open with this key file "
                            "(fingerprint %s): it is not the key they were sealed with"),
                         fp);
    }
    json_t *j = json_loads(plain, 0, NULL);
    hf_secret_free(plain);
    if (!json_is_object(j)) {
        json_decref(j);
        return hf_error_set(err, HF_EDB, NULL,
                            "the sealed secrets of integration %lld are unreadable",
                            (long long)rec->id);
    }
    json_decref(*secrets);
    *secrets = j;
    return 0;
}

static char *secret_dup(const json_t *secrets, const char *key)
{
    const char *v = json_string_value(json_object_get(secrets, key));
    return v && *v ? strdup(v) : NULL;
}

/* Overwrite the string values of a JSON object of secrets, then release it. */
static void secrets_release(json_t *secrets)
{
    const char *key;
    json_t *v;
    json_object_foreach(secrets, key, v)
    {
        if (json_is_string(v)) {
            size_t n = json_string_length(v);
            char *zeros = calloc(n + 1, 1);
            if (zeros) {
                json_string_setn_nocheck(v, zeros, n);
                free(zeros);
            }
        }
    }
    json_decref(secrets);
}

int svc__integration_load(hf_svc *svc, int64_t ws, int64_t id, const char *endpoint_id,
                          bool with_secrets, svc_integration *out, hf_error *err)
{
    memset(out, 0, sizeof(*out));
    hf_actor sys;
    hf_actor_system(&sys, ws, "system", HF_LANG_EN);
    int rc = hf_store_integration_get(svc->s, ws, id, endpoint_id, &out->rec, err);
    if (rc)
        return rc;
    hf_hook_source src = HF_HOOK_SOURCE_NONE;
    hf_hook_source_parse(out->rec.source, &src);
    rc = hf_integration_config_parse(src, out->rec.config, strlen(out->rec.config), &out->cfg, err);
    if (rc) {
        hf_error_set(err, HF_EUSAGE, err->path,
                     "the stored configuration of integration %lld "
                     "does not parse: %s",
                     (long long)out->rec.id, err->msg);
        svc__integration_free(out);
        return HF_EUSAGE;
    }
    if (with_secrets) {
        json_t *secrets;
        rc = open_secrets(svc, &sys, &out->rec, &secrets, err);
        if (!rc) {
            out->secret = secret_dup(secrets, "secret");
            out->api_token = secret_dup(secrets, "api_token");
        }
        secrets_release(secrets);
        if (rc)
            svc__integration_free(out);
    }
    return rc;
}

/* ---- the JSON form ---- */

static json_t *integration_json(const hf_integration_rec *r, const hf_integration_config *cfg,
                                bool has_secret, bool has_token)
{
    char path[256];
    snprintf(path, sizeof(path), "/hooks/%s/%s", r->source, r->endpoint_id);
    json_t *secrets = json_pack("{s:b}", "secret", has_secret);
    if (strcmp(r->source, "hubspot") == 0)
        json_object_set_new(secrets, "api_token", json_boolean(has_token));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:i,s:s,s:o,s:o}", "id", (json_int_t)r->id,
                     "source", r->source, "name", r->name, "endpoint_id", r->endpoint_id,
                     "endpoint_path", path, "config", hf_integration_config_to_json(cfg), "secrets",
                     secrets, "retention_days", r->retention_days, "created_by", r->created_by,
                     "created_at", hf_svc_time_json(r->created_at), "updated_at",
                     hf_svc_time_json(r->updated_at));
}

/* ---- checks of the input ---- */

static int check_secret(const hf_actor *a, hf_hook_source src, const char *field, const char *v,
                        hf_error *err)
{
    size_t n = strlen(v);
    if (n > SECRET_MAX)
        return svc__fail(err, HF_EINVAL, field, a, N_("a secret has at most 4096 bytes%s"), "");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20)
            return svc__fail(err, HF_EINVAL, field, a,
                             N_("a secret has no control characters (a final newline of a "
                                "secret file is dropped)%s"),
                             "");
    if (strcmp(field, "secret") != 0 || n == 0)
        return 0;
    if (src == HF_HOOK_PIPEDRIVE && !strchr(v, ':'))
        return svc__fail(err, HF_EINVAL, field, a,
                         N_("Pipedrive's secret is the webhook's HTTP Basic credentials, "
                            "written user:password%s"),
                         "");
    if (src == HF_HOOK_GENERIC) {
        char sig[HF_HOOK_STANDARD_SIG_MAX];
        hf_error e2;
        if (hf_hook_standard_sign(v, "check", 0, "", 0, sig, &e2) != 0)
            return svc__fail(err, HF_EINVAL, field, a,
                             N_("expected a Standard Webhooks secret: whsec_ and base64%s"), "");
    }
    return 0;
}

/* The secrets after `in`: the old ones (opened) changed by the input. */
static int merge_secrets(hf_svc *svc, const hf_actor *a, hf_hook_source src,
                         const hf_integration_rec *old, const hf_integration_input *in,
                         json_t **secrets, hf_error *err)
{
    int rc = old ? open_secrets(svc, a, old, secrets, err) : 0;
    if (!old)
        *secrets = json_object();
    if (rc)
        return rc;
    if (in->api_token && src != HF_HOOK_HUBSPOT)
        return svc__fail(err, HF_EINVAL, "api_token", a,
                         N_("only HubSpot integrations fetch deals with an API token%s"), "");
    if (in->secret && src == HF_HOOK_SALESFORCE && *in->secret)
        return svc__fail(err, HF_EINVAL, "secret", a,
                         N_("Salesforce Outbound Messages are not signed: set the organization "
                            "id (org_id) instead of a secret%s"),
                         "");
    const struct {
        const char *key, *value;
    } changes[] = {{"secret", in->secret}, {"api_token", in->api_token}};
    for (size_t i = 0; i < 2; i++) {
        if (!changes[i].value)
            continue;
        rc = check_secret(a, src, changes[i].key, changes[i].value, err);
        if (rc)
            return rc;
        if (*changes[i].value)
            json_object_set_new(*secrets, changes[i].key, json_string(changes[i].value));
        else
            json_object_del(*secrets, changes[i].key);
    }
    if (src != HF_HOOK_SALESFORCE && !json_object_get(*secrets, "secret"))
        return svc__fail(err, HF_EINVAL, "secret", a,
                         N_("this source signs its webhooks: give its secret (from a file or "
                            "standard input, never on the command line)%s"),
                         "");
    return 0;
}

/* Seal `secrets` for the integration (NULL text when there are none). */
static int seal(hf_svc *svc, const hf_actor *a, const char *endpoint_id, const json_t *secrets,
                char **out, hf_error *err)
{
    *out = NULL;
    if (json_object_size(secrets) == 0)
        return 0;
    if (!svc->has_key)
        return no_key(a, err);
    char *plain = json_dumps(secrets, JSON_COMPACT);
    if (!plain)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    *out = hf_secret_seal(svc->key, endpoint_id, plain);
    hf_secret_free(plain);
    return *out ? 0 : hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
}

static int check_config(const hf_actor *a, hf_hook_source src, const json_t *config,
                        hf_integration_config *cfg, hf_error *err)
{
    int rc = hf_integration_config_from_json(src, config, cfg, err);
    if (rc == HF_EINVAL && a->lang != HF_LANG_EN && err->msgid) {
        char text[HF_ERROR_MSG_MAX];
        hf_svc_error_text(a->lang, err, text, sizeof(text));
        snprintf(err->msg, sizeof(err->msg), "%s", text);
    }
    if (rc)
        return rc;
    if (cfg->timezone[0]) {
        const hf_tz *tz;
        hf_error e2;
        if (hf_tz_load(cfg->timezone, &tz, &e2) != 0) {
            hf_integration_config_free(cfg);
            return svc__fail(err, HF_EINVAL, "timezone", a,
                             N_("expected an IANA time zone name, not \"%s\""), cfg->timezone);
        }
    }
    if (src == HF_HOOK_SALESFORCE && !cfg->org_id[0]) {
        hf_integration_config_free(cfg);
        return svc__fail(err, HF_EINVAL, "org_id", a,
                         N_("a Salesforce integration needs the organization id its Outbound "
                            "Messages carry (org_id)%s"),
                         "");
    }
    return 0;
}

static int check_name_retention(const hf_actor *a, const hf_integration_input *in, hf_error *err)
{
    if (in->name && (!*in->name || strlen(in->name) > 200))
        return svc__fail(err, HF_EINVAL, "name", a, N_("a name has at most 200 characters%s"), "");
    if (in->has_retention && (in->retention_days < 1 || in->retention_days > RETENTION_MAX))
        return svc__fail(err, HF_EINVAL, "retention_days", a,
                         N_("expected a number of days from 1 to 3650%s"), "");
    return 0;
}

/* 128 random bits in lower-case base32 (RFC 4648 alphabet): 26 characters. */
static void endpoint_id_new(char out[27])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char b[16];
    hf_credentials_init();
    randombytes_buf(b, sizeof(b));
    unsigned acc = 0;
    int bits = 0, n = 0;
    for (size_t i = 0; i < sizeof(b); i++) {
        acc = (acc << 8) | b[i];
        bits += 8;
        while (bits >= 5) {
            out[n++] = alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[n++] = alphabet[(acc << (5 - bits)) & 31];
    out[n] = '\0';
}

/* ---- operations ---- */

int hf_svc_integration_create(hf_svc *svc, const hf_actor *a, const hf_integration_input *in,
                              hf_time now, json_t **out, hf_error *err)
{
    if (out)
        *out = NULL;
    int rc = svc__need_revops(a, HF_SCOPE_WRITE, N_("RevOps manages integrations"), err);
    if (rc)
        return rc;
    hf_hook_source src;
    if (!in->source || !hf_hook_source_parse(in->source, &src))
        return svc__fail(err, HF_EINVAL, "source", a, N_("expected one of %s"),
                         "hubspot, salesforce, pipedrive, docusign, pandadoc, generic");
    rc = check_name_retention(a, in, err);
    if (rc)
        return rc;
    json_t *empty = json_object();
    hf_integration_config cfg;
    rc = check_config(a, src, in->config ? in->config : empty, &cfg, err);
    json_decref(empty);
    if (rc)
        return rc;
    hf_integration_rec r;
    memset(&r, 0, sizeof(r));
    char endpoint[27];
    endpoint_id_new(endpoint);
    json_t *secrets = NULL;
    rc = merge_secrets(svc, a, src, NULL, in, &secrets, err);
    if (!rc)
        rc = seal(svc, a, endpoint, secrets, &r.secrets, err);
    bool has_secret = secrets && json_object_get(secrets, "secret");
    bool has_token = secrets && json_object_get(secrets, "api_token");
    secrets_release(secrets);
    if (rc) {
        hf_integration_config_free(&cfg);
        return rc;
    }
    json_t *normal = hf_integration_config_to_json(&cfg);
    r.workspace_id = SVC_WS(a);
    r.source = (char *)hf_hook_source_name(src);
    r.name = (char *)(in->name ? in->name : r.source);
    r.endpoint_id = endpoint;
    r.config = json_dumps(normal, JSON_COMPACT | JSON_SORT_KEYS);
    r.retention_days = in->has_retention ? in->retention_days : RETENTION_DEFAULT;
    r.created_by = (char *)a->email;
    r.created_at = r.updated_at = now;
    json_decref(normal);
    rc = r.config ? hf_store_integration_create(svc->s, &r, err)
                  : hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    if (!rc && out)
        *out = integration_json(&r, &cfg, has_secret, has_token);
    free(r.config);
    free(r.secrets);
    hf_integration_config_free(&cfg);
    return rc;
}

int hf_svc_integration_update(hf_svc *svc, const hf_actor *a, int64_t id,
                              const hf_integration_input *in, hf_time now, json_t **out,
                              hf_error *err)
{
    if (out)
        *out = NULL;
    int rc = svc__need_revops(a, HF_SCOPE_WRITE, N_("RevOps manages integrations"), err);
    if (rc)
        return rc;
    if (in->source)
        return svc__fail(err, HF_EINVAL, "source", a,
                         N_("the source of an integration does not change: add another "
                            "integration%s"),
                         "");
    rc = check_name_retention(a, in, err);
    if (rc)
        return rc;
    hf_integration_rec r;
    rc = hf_store_integration_get(svc->s, SVC_WS(a), id, NULL, &r, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such integration%s"), "");
    if (rc)
        return rc;
    hf_hook_source src = HF_HOOK_SOURCE_NONE;
    hf_hook_source_parse(r.source, &src);
    json_t *config = json_loads(r.config, 0, NULL);
    if (!config)
        config = json_object();
    if (in->config) {
        if (!json_is_object(in->config)) {
            json_decref(config);
            hf_integration_rec_free(&r);
            return svc__fail(err, HF_EINVAL, "config", a, N_("expected an object"), NULL);
        }
        hf_json_merge_patch(config, in->config);
    }
    hf_integration_config cfg;
    rc = check_config(a, src, config, &cfg, err);
    json_decref(config);
    if (rc) {
        hf_integration_rec_free(&r);
        return rc;
    }
    json_t *secrets = NULL;
    rc = merge_secrets(svc, a, src, &r, in, &secrets, err);
    char *sealed = NULL;
    bool changed_secrets = in->secret || in->api_token;
    if (!rc && changed_secrets)
        rc = seal(svc, a, r.endpoint_id, secrets, &sealed, err);
    bool has_secret = secrets && json_object_get(secrets, "secret");
    bool has_token = secrets && json_object_get(secrets, "api_token");
    secrets_release(secrets);
    if (!rc) {
        json_t *normal = hf_integration_config_to_json(&cfg);
        free(r.config);
        r.config = json_dumps(normal, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(normal);
        if (in->name) {
            free(r.name);
            r.name = strdup(in->name);
        }
        if (changed_secrets) {
            free(r.secrets);
            r.secrets = sealed;
            sealed = NULL;
        }
        if (in->has_retention)
            r.retention_days = in->retention_days;
        r.updated_at = now;
        rc = r.config && r.name ? hf_store_integration_update(svc->s, &r, err)
                                : hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    if (!rc && out)
        *out = integration_json(&r, &cfg, has_secret, has_token);
    free(sealed);
    hf_integration_config_free(&cfg);
    hf_integration_rec_free(&r);
    return rc;
}

/* Whether the stored secrets hold each key, without opening them when there is no key
 * (the answer then says what it can: a secret is there or not). */
static void secrets_present(hf_svc *svc, const hf_actor *a, const hf_integration_rec *r,
                            bool *has_secret, bool *has_token)
{
    *has_secret = *has_token = false;
    if (!r->secrets)
        return;
    json_t *secrets;
    hf_error e2;
    if (open_secrets(svc, a, r, &secrets, &e2) == 0) {
        *has_secret = json_object_get(secrets, "secret") != NULL;
        *has_token = json_object_get(secrets, "api_token") != NULL;
    } else {
        *has_secret = strcmp(r->source, "salesforce") != 0;
    }
    secrets_release(secrets);
}

static json_t *record_json(hf_svc *svc, const hf_actor *a, const hf_integration_rec *r)
{
    hf_hook_source src = HF_HOOK_SOURCE_NONE;
    hf_hook_source_parse(r->source, &src);
    hf_integration_config cfg;
    hf_error e2;
    if (hf_integration_config_parse(src, r->config, strlen(r->config), &cfg, &e2) != 0)
        hf_integration_config_init(&cfg, src);
    bool has_secret, has_token;
    secrets_present(svc, a, r, &has_secret, &has_token);
    json_t *j = integration_json(r, &cfg, has_secret, has_token);
    hf_integration_config_free(&cfg);
    return j;
}

int hf_svc_integration_get(hf_svc *svc, const hf_actor *a, int64_t id, json_t **out, hf_error *err)
{
    int rc = svc__need_revops(a, HF_SCOPE_READ, N_("RevOps manages integrations"), err);
    if (rc)
        return rc;
    hf_integration_rec r;
    rc = hf_store_integration_get(svc->s, SVC_WS(a), id, NULL, &r, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such integration%s"), "");
    if (rc)
        return rc;
    *out = record_json(svc, a, &r);
    hf_integration_rec_free(&r);
    return 0;
}

typedef struct list_ctx {
    hf_svc *svc;
    const hf_actor *a;
    json_t *items;
} list_ctx;

static int list_row(void *vctx, const hf_integration_rec *r)
{
    list_ctx *c = vctx;
    json_array_append_new(c->items, record_json(c->svc, c->a, r));
    return 0;
}

int hf_svc_integration_list(hf_svc *svc, const hf_actor *a, json_t **out, hf_error *err)
{
    int rc = svc__need_revops(a, HF_SCOPE_READ, N_("RevOps manages integrations"), err);
    if (rc)
        return rc;
    list_ctx c = {svc, a, json_array()};
    rc = hf_store_integration_list(svc->s, SVC_WS(a), list_row, &c, err);
    if (rc) {
        json_decref(c.items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", c.items);
    return 0;
}

int hf_svc_integration_delete(hf_svc *svc, const hf_actor *a, int64_t id, hf_error *err)
{
    int rc = svc__need_revops(a, HF_SCOPE_WRITE, N_("RevOps manages integrations"), err);
    if (rc)
        return rc;
    rc = svc__begin(svc, err);
    if (rc)
        return rc;
    rc = hf_store_integration_delete(svc->s, SVC_WS(a), id, err);
    if (rc == HF_ENOTFOUND)
        rc = svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such integration%s"), "");
    return svc__end(svc, rc, err);
}

/* ---- deliveries ---- */

static json_t *parsed_or_null(const char *text)
{
    json_t *j = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return j ? j : json_null();
}

static json_t *delivery_json(const hf_hook_event_rec *r, bool full)
{
    json_t *j = json_pack(
        "{s:I,s:I,s:s,s:o,s:s,s:i,s:o,s:o,s:o}", "id", (json_int_t)r->id, "integration_id",
        (json_int_t)r->integration_id, "source", r->source, "received_at",
        hf_svc_time_json(r->received_at), "verdict", r->verdict, "status", r->status, "detail",
        r->detail ? json_string(r->detail) : json_null(), "results", parsed_or_null(r->results),
        "replay_of", r->replay_of ? json_integer(r->replay_of) : json_null());
    if (full) {
        json_object_set_new(j, "uri", r->uri ? json_string(r->uri) : json_null());
        json_object_set_new(j, "headers", parsed_or_null(r->headers));
        json_t *body = r->body ? json_string(r->body) : json_null();
        json_object_set_new(j, "body", body ? body : json_null());
        json_object_set_new(j, "body_encoding",
                            json_string(r->body_encoding ? r->body_encoding : "text"));
    }
    return j;
}

static int delivery_row(void *ctx, const hf_hook_event_rec *r)
{
    json_array_append_new(ctx, delivery_json(r, false));
    return 0;
}

int hf_svc_hook_events(hf_svc *svc, const hf_actor *a, int64_t integration_id, int64_t before_id,
                       int limit, json_t **out, hf_error *err)
{
    int rc =
        svc__need_revops(a, HF_SCOPE_READ, N_("RevOps reads the integrations' deliveries"), err);
    if (rc)
        return rc;
    if (limit <= 0 || limit > 500)
        limit = 100;
    json_t *items = json_array();
    rc = hf_store_hook_event_list(svc->s, SVC_WS(a), integration_id, before_id, limit + 1,
                                  delivery_row, items, err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        char cur[32];
        snprintf(cur, sizeof(cur), "%lld",
                 (long long)json_integer_value(
                     json_object_get(json_array_get(items, (size_t)limit - 1), "id")));
        next = json_string(cur);
    }
    *out = json_pack("{s:o,s:o}", "items", items, "next_cursor", next);
    return 0;
}

int hf_svc_hook_event_get(hf_svc *svc, const hf_actor *a, int64_t id, json_t **out, hf_error *err)
{
    int rc =
        svc__need_revops(a, HF_SCOPE_READ, N_("RevOps reads the integrations' deliveries"), err);
    if (rc)
        return rc;
    hf_hook_event_rec r;
    rc = hf_store_hook_event_get(svc->s, SVC_WS(a), id, &r, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such delivery%s"), "");
    if (rc)
        return rc;
    *out = delivery_json(&r, true);
    hf_hook_event_rec_free(&r);
    return 0;
}

typedef struct prune_ctx {
    hf_svc *svc;
    int64_t only;
    hf_time now;
    int64_t deleted;
    int rc;
    hf_error *err;
} prune_ctx;

static int prune_row(void *vctx, const hf_integration_rec *r)
{
    prune_ctx *c = vctx;
    if (c->only && r->id != c->only)
        return 0;
    int64_t n = 0;
    c->rc = hf_store_hook_prune(c->svc->s, r->id, c->now - (hf_time)r->retention_days * 86400, &n,
                                c->err);
    c->deleted += n;
    return c->rc;
}

int hf_svc_hook_prune(hf_svc *svc, const hf_actor *a, int64_t integration_id, hf_time now,
                      int64_t *deleted, hf_error *err)
{
    int rc = svc__need_revops(a, HF_SCOPE_WRITE, N_("RevOps manages integrations"), err);
    if (rc)
        return rc;
    if (integration_id) {
        hf_integration_rec r;
        rc = hf_store_integration_get(svc->s, SVC_WS(a), integration_id, NULL, &r, err);
        if (rc == HF_ENOTFOUND)
            return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such integration%s"), "");
        if (rc)
            return rc;
        hf_integration_rec_free(&r);
    }
    rc = svc__begin(svc, err);
    if (rc)
        return rc;
    prune_ctx c = {svc, integration_id, now, 0, 0, err};
    rc = hf_store_integration_list(svc->s, SVC_WS(a), prune_row, &c, err);
    if (!rc)
        rc = c.rc;
    rc = svc__end(svc, rc, err);
    if (!rc && deleted)
        *deleted = c.deleted;
    return rc;
}
