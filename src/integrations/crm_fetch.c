/* The CRM REST client of include/handoff/crm_fetch.h: HubSpot deals and owners over
 * libcurl, with bounded answers, per-attempt timeouts and exponential backoff.
 *
 * One easy handle serves all the attempts of a call (so a kept-alive connection is
 * reused); no handle is shared between calls, so calls from several threads are safe once
 * curl_global_init has run, which the first call does under pthread_once. Only http and
 * https are allowed and redirects are not followed: the URL is configuration, and a
 * redirect elsewhere would carry the bearer token with it. */
#include "handoff/crm_fetch.h"

#include "hook_int.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RESPONSE_MAX (1024 * 1024)
#define URL_MAX 2048
#define TOKEN_MAX 4096
#define DEAL_PROPERTIES                                                                            \
    "dealname,amount,hubspot_owner_id,closedate,dealstage,pipeline,deal_currency_code"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void init_curl(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct response {
    char *data;
    size_t len, cap;
    bool too_big;
} response;

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    response *r = ud;
    size_t n = size * nmemb;
    if (r->len + n > RESPONSE_MAX) {
        r->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *grown = realloc(r->data, cap);
        if (!grown)
            return 0;
        r->data = grown;
        r->cap = cap;
    }
    memcpy(r->data + r->len, p, n);
    r->len += n;
    r->data[r->len] = '\0';
    return n;
}

static void default_sleep(void *ctx, long ms)
{
    (void)ctx;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

typedef struct policy {
    int attempts;
    long base, max, timeout;
    void (*sleep_ms)(void *, long);
    void *ctx;
} policy;

static policy policy_of(const hf_crm_retry *r)
{
    policy p = {4, 500, 30000, 10000, default_sleep, NULL};
    if (r) {
        if (r->max_attempts > 0)
            p.attempts = r->max_attempts > 20 ? 20 : r->max_attempts;
        if (r->base_delay_ms > 0)
            p.base = r->base_delay_ms;
        if (r->max_delay_ms > 0)
            p.max = r->max_delay_ms;
        if (r->timeout_ms > 0)
            p.timeout = r->timeout_ms;
        if (r->sleep_ms) {
            p.sleep_ms = r->sleep_ms;
            p.ctx = r->sleep_ctx;
        }
    }
    return p;
}

/* GET `url` with the bearer token; on 200 the body is in *resp (the caller frees
 * resp->data). */
static int get_json(const char *url, const char *token, const hf_crm_retry *retry, response *resp,
                    hf_error *err)
{
    pthread_once(&curl_once, init_curl);
    if (curl_init_rc != CURLE_OK)
        return hf_error_set(err, HF_EIO, NULL, "libcurl did not start");
    policy pol = policy_of(retry);
    char auth[TOKEN_MAX + 32];
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    struct curl_slist *headers = curl_slist_append(NULL, auth);
    struct curl_slist *h2 = headers ? curl_slist_append(headers, "Accept: application/json") : NULL;
    sodium_memzero(auth, sizeof(auth));
    CURL *c = curl_easy_init();
    int rc = 0;
    if (!h2 || !c) {
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    headers = h2;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, pol.timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, pol.timeout);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "handoff");

    long delay = pol.base;
    for (int attempt = 1;; attempt++) {
        resp->len = 0;
        resp->too_big = false;
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        curl_off_t retry_after = 0;
        bool retryable;
        if (cc == CURLE_OK) {
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after);
            if (status == 200) {
                rc = 0;
                break;
            }
            retryable = status == 429 || (status >= 500 && status <= 599);
            if (status == 404)
                rc = hf_error_set(err, HF_ENOTFOUND, NULL, "not found (HTTP 404)");
            else if (status == 401 || status == 403)
                rc = hf_error_set(err, HF_EPERM, NULL, "the CRM refused the token (HTTP %ld)",
                                  status);
            else
                rc = hf_error_set(err, HF_EIO, NULL, "the CRM answered HTTP %ld after %d %s",
                                  status, attempt, attempt == 1 ? "attempt" : "attempts");
        } else if (resp->too_big) {
            rc = hf_error_set(err, HF_EINVAL, NULL, "answer longer than %d bytes", RESPONSE_MAX);
            retryable = false;
        } else {
            rc = hf_error_set(err, HF_EIO, NULL, "no answer from the CRM after %d %s: %s", attempt,
                              attempt == 1 ? "attempt" : "attempts", curl_easy_strerror(cc));
            retryable = cc != CURLE_OUT_OF_MEMORY && cc != CURLE_URL_MALFORMAT &&
                        cc != CURLE_UNSUPPORTED_PROTOCOL;
        }
        if (!retryable || attempt >= pol.attempts)
            break;
        long wait = delay;
        if (retry_after > 0 && retry_after < 86400 && retry_after * 1000 > wait)
            wait = (long)retry_after * 1000;
        if (wait > pol.max)
            wait = pol.max;
        pol.sleep_ms(pol.ctx, wait);
        delay = delay > pol.max / 2 ? pol.max : delay * 2;
    }
out:
    curl_easy_cleanup(c);
    curl_slist_free_all(headers);
    return rc;
}

static int check_args(const char *base_url, const char *token, const char *id, hf_error *err)
{
    if (!base_url || (strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8)))
        return hf_error_set(err, HF_EUSAGE, NULL, "CRM base URL must start with http(s)://");
    if (!token || !*token || strnlen(token, TOKEN_MAX) >= TOKEN_MAX || strpbrk(token, "\r\n"))
        return hf_error_set(err, HF_EUSAGE, NULL, "no usable CRM token");
    if (!id || !*id || strnlen(id, HF_HOOK_ID_MAX) >= HF_HOOK_ID_MAX)
        return hf_error_set(err, HF_EUSAGE, NULL, "no usable id to fetch");
    return 0;
}

/* {base_url}{path}{escaped id}{query} into url. */
static int build_url(char url[URL_MAX], const char *base_url, const char *path, const char *id,
                     const char *query, hf_error *err)
{
    char *escaped = curl_easy_escape(NULL, id, 0);
    if (!escaped)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    size_t base_len = strlen(base_url);
    while (base_len > 8 && base_url[base_len - 1] == '/')
        base_len--;
    int n = snprintf(url, URL_MAX, "%.*s%s%s%s", (int)base_len, base_url, path, escaped, query);
    curl_free(escaped);
    if (n < 0 || n >= URL_MAX)
        return hf_error_set(err, HF_EUSAGE, NULL, "CRM URL longer than %d bytes", URL_MAX - 1);
    return 0;
}

void hf_crm_deal_free(hf_crm_deal *d)
{
    if (!d)
        return;
    json_decref(d->properties);
    memset(d, 0, sizeof(*d));
    d->created_at = d->updated_at = HF_TIME_NONE;
}

int hf_crm_hubspot_deal_parse(const char *body, size_t len, hf_crm_deal *out, hf_error *err)
{
    hf_error_clear(err);
    memset(out, 0, sizeof(*out));
    out->created_at = out->updated_at = HF_TIME_NONE;
    json_t *root = hf__hook_json_load(body, len, err);
    if (!root)
        return err ? err->rc : HF_EINVAL;
    int rc = 0;
    json_t *props = json_object_get(root, "properties");
    if (!json_is_object(root)) {
        rc = hf_error_set(err, HF_EINVAL, "", "expected a deal object");
        goto out;
    }
    if ((rc = hf__hook_json_id(json_object_get(root, "id"), out->id, sizeof(out->id), "id", err)))
        goto out;
    if (!out->id[0]) {
        rc = hf_error_set(err, HF_EINVAL, "id", "missing id");
        goto out;
    }
    if (!json_is_object(props)) {
        rc = hf_error_set(err, HF_EINVAL, "properties", "missing properties object");
        goto out;
    }
    const json_t *archived = json_object_get(root, "archived");
    out->archived = json_is_true(archived);
    if ((rc = hf__hook_json_time(json_object_get(root, "createdAt"), false, &out->created_at,
                                 "createdAt", err)) ||
        (rc = hf__hook_json_time(json_object_get(root, "updatedAt"), false, &out->updated_at,
                                 "updatedAt", err)) ||
        (rc = hf__hook_json_text(json_object_get(props, "dealname"), out->name, sizeof(out->name),
                                 "properties.dealname", err)) ||
        (rc = hf__hook_json_amount(json_object_get(props, "amount"), &out->has_amount, &out->amount,
                                   "properties.amount", err)) ||
        (rc = hf__hook_json_id(json_object_get(props, "deal_currency_code"), out->currency,
                               sizeof(out->currency), "properties.deal_currency_code", err)) ||
        (rc = hf__hook_json_id(json_object_get(props, "hubspot_owner_id"), out->owner_id,
                               sizeof(out->owner_id), "properties.hubspot_owner_id", err)) ||
        (rc = hf__hook_json_id(json_object_get(props, "dealstage"), out->stage, sizeof(out->stage),
                               "properties.dealstage", err)) ||
        (rc = hf__hook_json_id(json_object_get(props, "pipeline"), out->pipeline,
                               sizeof(out->pipeline), "properties.pipeline", err)) ||
        (rc = hf__hook_json_date(json_object_get(props, "closedate"), &out->has_close_date,
                                 &out->close_day, "properties.closedate", err)))
        goto out;
    out->properties = json_incref(props);
out:
    json_decref(root);
    if (rc)
        hf_crm_deal_free(out);
    return rc;
}

int hf_crm_hubspot_owner_parse(const char *body, size_t len, char email[HF_HOOK_EMAIL_MAX],
                               hf_error *err)
{
    hf_error_clear(err);
    email[0] = '\0';
    json_t *root = hf__hook_json_load(body, len, err);
    if (!root)
        return err ? err->rc : HF_EINVAL;
    int rc = 0;
    if (!json_is_object(root))
        rc = hf_error_set(err, HF_EINVAL, "", "expected an owner object");
    else if (!(rc = hf__hook_json_id(json_object_get(root, "email"), email, HF_HOOK_EMAIL_MAX,
                                     "email", err)) &&
             !strchr(email, '@'))
        rc = hf_error_set(err, HF_EINVAL, "email", "the owner has no e-mail address");
    json_decref(root);
    if (rc)
        email[0] = '\0';
    return rc;
}

int hf_crm_fetch_hubspot_deal(const char *base_url, const char *token, const char *deal_id,
                              const hf_crm_retry *retry, hf_crm_deal *out, hf_error *err)
{
    return hf_crm_fetch_hubspot_deal_ex(base_url, token, deal_id, NULL, retry, out, err);
}

/* A property name as HubSpot writes them: lower-case letters, digits and underscores. */
static bool property_name_ok(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > 100)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
            return false;
    return true;
}

int hf_crm_fetch_hubspot_deal_ex(const char *base_url, const char *token, const char *deal_id,
                                 const char *const *extra, const hf_crm_retry *retry,
                                 hf_crm_deal *out, hf_error *err)
{
    hf_error_clear(err);
    memset(out, 0, sizeof(*out));
    out->created_at = out->updated_at = HF_TIME_NONE;
    char url[URL_MAX], query[1024] = "?properties=" DEAL_PROPERTIES;
    size_t qn = strlen(query);
    for (const char *const *p = extra; p && *p; p++) {
        if (!property_name_ok(*p))
            continue; /* not a HubSpot property name: it cannot be asked for */
        int k = snprintf(query + qn, sizeof(query) - qn, ",%s", *p);
        if (k < 0 || (size_t)k >= sizeof(query) - qn)
            return hf_error_set(err, HF_EUSAGE, NULL, "too many extra properties to fetch");
        qn += (size_t)k;
    }
    int rc;
    if ((rc = check_args(base_url, token, deal_id, err)) ||
        (rc = build_url(url, base_url, "/crm/v3/objects/deals/", deal_id, query, err)))
        return rc;
    response resp = {0};
    rc = get_json(url, token, retry, &resp, err);
    if (!rc)
        rc = hf_crm_hubspot_deal_parse(resp.data, resp.len, out, err);
    free(resp.data);
    return rc;
}

int hf_crm_fetch_hubspot_owner_email(const char *base_url, const char *token, const char *owner_id,
                                     const hf_crm_retry *retry, char email[HF_HOOK_EMAIL_MAX],
                                     hf_error *err)
{
    hf_error_clear(err);
    email[0] = '\0';
    char url[URL_MAX];
    int rc;
    if ((rc = check_args(base_url, token, owner_id, err)) ||
        (rc = build_url(url, base_url, "/crm/v3/owners/", owner_id, "", err)))
        return rc;
    response resp = {0};
    rc = get_json(url, token, retry, &resp, err);
    if (!rc)
        rc = hf_crm_hubspot_owner_parse(resp.data, resp.len, email, err);
    free(resp.data);
    return rc;
}

static void fill(char *dst, size_t cap, const char *src)
{
    if (!dst[0] && src[0])
        snprintf(dst, cap, "%s", src);
}

void hf_crm_deal_apply(const hf_crm_deal *d, hf_hook_event *ev)
{
    if (!d || !ev)
        return;
    fill(ev->crm_id, sizeof(ev->crm_id), d->id);
    fill(ev->name, sizeof(ev->name), d->name);
    fill(ev->currency, sizeof(ev->currency), d->currency);
    fill(ev->owner_id, sizeof(ev->owner_id), d->owner_id);
    fill(ev->stage, sizeof(ev->stage), d->stage);
    fill(ev->pipeline, sizeof(ev->pipeline), d->pipeline);
    if (!ev->has_amount && d->has_amount) {
        ev->has_amount = true;
        ev->amount = d->amount;
    }
    if (!ev->has_close_date && d->has_close_date) {
        ev->has_close_date = true;
        ev->close_day = d->close_day;
    }
}
