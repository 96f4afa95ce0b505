/* The triggers (SPEC §6): a CRM says a deal was won, an e-signature tool says its contract
 * is fully executed, and the deal's handoff is created (or completed), owned by its rep,
 * assigned to a CSM, its SLA clock started — once, whatever the number of deliveries and
 * whatever their order.
 *
 * Design. hf_svc_hook_receive() is the whole receiver; the HTTP handler only reads the
 * request and renders the answer. In order:
 *
 * 1. The integration is found by its endpoint id, its configuration parsed and its secrets
 *    opened (a problem there is ours: 500, an alert).
 * 2. The request is verified with the source's function of handoff/hooks.h (401 and
 *    nothing changed when it fails), then parsed into events (400 when malformed).
 * 3. Outside any transaction: events already claimed are known duplicates; HubSpot deals
 *    are fetched (the webhook carries ids only), with retries and backoff. A CRM that does
 *    not answer makes the delivery 503 without claiming that event, so the sender's retry
 *    brings it back. No network call ever runs inside a transaction.
 * 4. One transaction: the delivery is stored, each event's idempotency key is claimed
 *    (hf_store_hook_claim; the primary key decides between two servers receiving the same
 *    event at once), and each first-claimed event is applied by svc__trigger_apply(); the
 *    delivery's verdict and results are written and old deliveries pruned. A database
 *    failure rolls everything back; the delivery is then stored alone as an error, and the
 *    answer is 503.
 *
 * Applying an event converges: the facts of a deal (won at, signed at: the earliest of
 * each; the occurred-at time of the last change applied) are stored apart from the deal
 * (deal_triggers), the handoff's trigger fields are computed from those facts, never from
 * the order of arrival, and a change older than the last one applied is ignored. So a
 * signature before the win, a retry after a newer change, a replay after the
 * configuration changed all end where the in-order deliveries would. One handoff per deal
 * is hf_svc_handoff_create's rule (HF_ECONFLICT is "it exists": it is then completed).
 *
 * The work is the system's, recorded under the source's name ("hubspot") in history. */
#include "service/svc_int.h"

#include "handoff/credentials.h"
#include "handoff/crm_fetch.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FETCH_ATTEMPTS 3
#define FETCH_BASE_DELAY_MS 250
#define FETCH_MAX_DELAY_MS 1000
#define FETCH_TIMEOUT_MS 2000

/* ---- small helpers ---- */

static const char *header(const hf_hook_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

static bool utf8_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (c == 0 || k == 0 || i + k > n || (k == 2 && c < 0xC2))
            return false;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

/* Header names that carry a credential or a signature are never stored. */
static bool secret_header(const char *name)
{
    static const char *const words[] = {"authorization", "cookie",  "signature", "secret",
                                        "token",         "api-key", "apikey",    "password"};
    char low[128];
    svc__lower(name, low, sizeof(low));
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strstr(low, words[i]))
            return true;
    return false;
}

static json_t *stored_headers(const hf_hook_request *req)
{
    json_t *h = json_object();
    for (size_t i = 0; i < req->n_headers && i < 100; i++) {
        const char *n = req->headers[i].name, *v = req->headers[i].value;
        if (!n || !v || secret_header(n))
            continue;
        char low[128];
        svc__lower(n, low, sizeof(low));
        json_t *val = json_string(v);
        if (val)
            json_object_set_new(h, low, val);
    }
    return h;
}

/* The URI without the query parameters that carry a signature or a credential. */
static char *stored_uri(const char *uri)
{
    if (!uri)
        return NULL;
    size_t n = strlen(uri);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    const char *q = strchr(uri, '?');
    size_t o = q ? (size_t)(q - uri) : n;
    memcpy(out, uri, o);
    bool first = true;
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        size_t len = strcspn(p, "&");
        size_t klen = strcspn(p, "=&");
        char key[64];
        snprintf(key, sizeof(key), "%.*s", (int)(klen < 63 ? klen : 63), p);
        if (!secret_header(key) && strcasecmp(key, "key") != 0 && strcasecmp(key, "sig") != 0) {
            out[o++] = first ? '?' : '&';
            memcpy(out + o, p, len);
            o += len;
            first = false;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    out[o] = '\0';
    if (!utf8_text(out, o)) {
        free(out);
        return NULL;
    }
    return out;
}

/* The body as stored: text when it is UTF-8 without NUL, else base64. */
static char *stored_body(const char *body, size_t len, const char **encoding)
{
    if (utf8_text(body, len)) {
        *encoding = "text";
        return strndup(body, len);
    }
    *encoding = "base64";
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(cap);
    if (out)
        sodium_bin2base64(out, cap, (const unsigned char *)body, len,
                          sodium_base64_VARIANT_ORIGINAL);
    return out;
}

void hf_hook_answer_free(hf_hook_answer *ans)
{
    if (!ans)
        return;
    free(ans->body);
    ans->body = NULL;
    ans->len = 0;
}

static void answer_error(hf_hook_answer *out, int status, const char *verdict, const hf_actor *a,
                         const char *msgid, const char *arg)
{
    out->status = status;
    snprintf(out->verdict, sizeof(out->verdict), "%s", verdict);
    svc__fail(&out->error, status == 400 ? HF_EINVAL : HF_EPERM, NULL, a, msgid, arg);
}

/* ---- verifying and parsing ---- */

static int verify(const svc_integration *in, const hf_hook_request *req, hf_time now, hf_error *err)
{
    const char *secret = in->secret ? in->secret : "";
    switch (in->cfg.source) {
    case HF_HOOK_HUBSPOT: {
        const char *v3 = header(req, "X-HubSpot-Signature-v3");
        if (v3 || !in->cfg.legacy_signatures)
            return hf_hook_hubspot_verify_v3(secret, req->method, req->uri, req->body, req->len,
                                             header(req, "X-HubSpot-Request-Timestamp"), v3, now,
                                             err);
        const char *version = header(req, "X-HubSpot-Signature-Version");
        const char *sig = header(req, "X-HubSpot-Signature");
        if (version && strcmp(version, "v2") == 0)
            return hf_hook_hubspot_verify_v2(secret, req->method, req->uri, req->body, req->len,
                                             sig, err);
        return hf_hook_hubspot_verify_v1(secret, req->body, req->len, sig, err);
    }
    case HF_HOOK_PIPEDRIVE: {
        char user[512];
        const char *colon = strchr(secret, ':');
        size_t un = colon ? (size_t)(colon - secret) : 0;
        if (!colon || un >= sizeof(user))
            return hf_error_set(err, HF_EUSAGE, NULL, "the Pipedrive credentials are malformed");
        memcpy(user, secret, un);
        user[un] = '\0';
        int rc = hf_hook_pipedrive_verify_basic(header(req, "Authorization"), user, colon + 1, err);
        sodium_memzero(user, sizeof(user));
        return rc;
    }
    case HF_HOOK_DOCUSIGN: {
        const char *sigs[HF_HOOK_BATCH_MAX];
        size_t n = 0;
        for (size_t i = 0; i < req->n_headers && n < HF_HOOK_BATCH_MAX; i++)
            if (req->headers[i].name &&
                strncasecmp(req->headers[i].name, "X-DocuSign-Signature-", 21) == 0)
                sigs[n++] = req->headers[i].value;
        return hf_hook_docusign_verify(secret, req->body, req->len, sigs, n, err);
    }
    case HF_HOOK_PANDADOC: {
        const char *q = req->uri ? strchr(req->uri, '?') : NULL;
        char sig[HF_HOOK_SIG_HEX_MAX + 8];
        long n = q ? hf_hook_query_param(q + 1, "signature", sig, sizeof(sig)) : -1;
        return hf_hook_pandadoc_verify(secret, req->body, req->len, n < 0 ? NULL : sig, err);
    }
    case HF_HOOK_GENERIC:
        return hf_hook_standard_verify(
            secret, header(req, "webhook-id"), header(req, "webhook-timestamp"),
            header(req, "webhook-signature"), req->body, req->len, now, err);
    case HF_HOOK_SALESFORCE: /* no signature: the organization id, after parsing */
        return 0;
    default:
        return hf_error_set(err, HF_EUSAGE, NULL, "unknown source");
    }
}

/* A header of the request, or of a stored delivery's headers object. */
typedef struct header_source {
    const hf_hook_request *req;
    const json_t *stored;
} header_source;

static const char *header_of(const header_source *h, const char *name)
{
    if (h->req)
        return header(h->req, name);
    char low[128];
    return json_string_value(json_object_get(h->stored, svc__lower(name, low, sizeof(low))));
}

static int parse(const svc_integration *in, const char *body, size_t len, const header_source *h,
                 hf_hook_batch *b, hf_error *err)
{
    const hf_integration_config *c = &in->cfg;
    switch (c->source) {
    case HF_HOOK_HUBSPOT: {
        hf_hook_hubspot_config hc = {c->won_stages, c->n_won_stages};
        return hf_hook_hubspot_parse(body, len, &hc, b, err);
    }
    case HF_HOOK_SALESFORCE: {
        hf_hook_salesforce_config sc = {c->n_won_stages ? (const char *const *)c->won_stage_names
                                                        : NULL};
        return hf_hook_salesforce_parse(body, len, &sc, b, err);
    }
    case HF_HOOK_PIPEDRIVE:
        return hf_hook_pipedrive_parse(body, len, b, err);
    case HF_HOOK_DOCUSIGN: {
        hf_hook_esign_config ec = {c->esign_field[0] ? c->esign_field : NULL};
        return hf_hook_docusign_parse(body, len, &ec, b, err);
    }
    case HF_HOOK_PANDADOC: {
        hf_hook_esign_config ec = {c->esign_field[0] ? c->esign_field : NULL};
        return hf_hook_pandadoc_parse(body, len, &ec, header_of(h, "X-PandaDoc-Webhook-Event-Id"),
                                      b, err);
    }
    case HF_HOOK_GENERIC:
        return hf_hook_generic_parse(body, len, header_of(h, "webhook-id"), b, err);
    default:
        return hf_error_set(err, HF_EUSAGE, NULL, "unknown source");
    }
}

/* ---- one delivery's events ---- */

enum ev_state { EV_PENDING, EV_IGNORED, EV_DUPLICATE, EV_RETRY, EV_DONE };

typedef struct ev_status {
    enum ev_state state;
    const char *outcome;
    char detail[256];
    int64_t handoff_id;
    int64_t duplicate_of;
    const char *unverified; /* why the CRM's details are missing */
    bool stage_unmapped;
} ev_status;

static bool pipeline_known(const hf_integration_config *c, const char *pipeline)
{
    bool default_covered = c->n_won_stages == 0;
    for (size_t i = 0; i < c->n_won_stages; i++) {
        if (!c->won_stages[i].pipeline)
            default_covered = true;
        else if (pipeline && strcmp(c->won_stages[i].pipeline, pipeline) == 0)
            return true;
    }
    return default_covered && (!pipeline || !*pipeline || strcmp(pipeline, "default") == 0);
}

static bool builtin_field(const char *f)
{
    static const char *const names[] = {"amount",     "name",     "account",    "stage",
                                        "pipeline",   "currency", "type",       "owner",
                                        "close_date", "owner_id", "owner_email"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(f, names[i]) == 0)
            return true;
    return false;
}

static void crm_sleep(hf_svc *svc, hf_crm_retry *r)
{
    memset(r, 0, sizeof(*r));
    r->max_attempts = FETCH_ATTEMPTS;
    r->base_delay_ms = FETCH_BASE_DELAY_MS;
    r->max_delay_ms = FETCH_MAX_DELAY_MS;
    r->timeout_ms = FETCH_TIMEOUT_MS;
    r->sleep_ms = svc->hooks.crm_sleep_ms;
    r->sleep_ctx = svc->hooks.crm_sleep_ctx;
}

/* HubSpot: read the deal a won event (or a stage change) names, and its owner's e-mail. */
static void hubspot_fetch(hf_svc *svc, const svc_integration *in, hf_hook_event *ev, ev_status *st)
{
    bool stage_change = ev->kind == HF_HOOK_DEAL_CHANGED && ev->stage[0];
    if (ev->kind != HF_HOOK_DEAL_WON && !stage_change)
        return;
    if (!in->api_token) {
        if (ev->kind == HF_HOOK_DEAL_WON)
            st->unverified = "no_api_token";
        return;
    }
    const hf_integration_config *c = &in->cfg;
    const char *extra[HF_INTEGRATION_LIST_MAX + 101];
    size_t n = 0;
    for (size_t i = 0; i < c->n_fields && n < HF_INTEGRATION_LIST_MAX; i++)
        if (!builtin_field(c->fields[i].from))
            extra[n++] = c->fields[i].from;
    for (size_t i = 0; i < c->n_segment_rules && n < HF_INTEGRATION_LIST_MAX + 100; i++)
        if (c->segment_rules[i].field && !builtin_field(c->segment_rules[i].field))
            extra[n++] = c->segment_rules[i].field;
    extra[n] = NULL;
    hf_crm_retry retry;
    crm_sleep(svc, &retry);
    const char *base = c->api_base[0] ? c->api_base : "https://api.hubapi.com";
    hf_crm_deal d;
    hf_error e;
    int rc = hf_crm_fetch_hubspot_deal_ex(base, in->api_token, ev->crm_id, extra, &retry, &d, &e);
    if (rc == HF_EIO) {
        st->state = EV_RETRY;
        st->outcome = "crm_unavailable";
        snprintf(st->detail, sizeof(st->detail), "HubSpot did not answer: %.200s", e.msg);
        return;
    }
    if (rc) {
        if (ev->kind == HF_HOOK_DEAL_WON)
            st->unverified = "crm_refused";
        snprintf(st->detail, sizeof(st->detail), "HubSpot refused the deal: %.200s", e.msg);
        return;
    }
    hf_crm_deal_apply(&d, ev);
    if (!ev->pipeline[0] && d.pipeline[0])
        snprintf(ev->pipeline, sizeof(ev->pipeline), "%s", d.pipeline);
    if (d.properties)
        json_object_update_missing(ev->properties, d.properties);
    if (d.owner_id[0]) {
        char email[HF_HOOK_EMAIL_MAX];
        if (hf_crm_fetch_hubspot_owner_email(base, in->api_token, d.owner_id, &retry, email, &e) ==
            0)
            snprintf(ev->owner_email, sizeof(ev->owner_email), "%s", email);
    }
    hf_hook_hubspot_config hc = {c->won_stages, c->n_won_stages};
    bool won_now = hf_hook_hubspot_stage_is_won(&hc, d.pipeline, d.stage);
    if (!won_now && !pipeline_known(c, d.pipeline)) {
        st->stage_unmapped = true;
        ev->kind = HF_HOOK_DEAL_CHANGED;
        snprintf(st->detail, sizeof(st->detail),
                 "stage %.80s of pipeline %.80s is not configured: is it a won stage?", d.stage,
                 d.pipeline);
    } else if (ev->kind == HF_HOOK_DEAL_WON && !won_now) {
        ev->kind = HF_HOOK_DEAL_CHANGED;
        snprintf(st->detail, sizeof(st->detail), "the deal is in stage %s now, not a won stage",
                 d.stage);
    }
    hf_crm_deal_free(&d);
}

static void trigger_of(const svc_integration *in, const hf_hook_event *ev, const ev_status *st,
                       svc_trigger *t)
{
    memset(t, 0, sizeof(*t));
    t->cfg = &in->cfg;
    t->source = hf_hook_source_name(in->cfg.source);
    t->kind = ev->kind;
    t->crm_id = ev->crm_id;
    t->name = ev->name;
    t->account = ev->account;
    t->stage = ev->stage;
    t->pipeline = ev->pipeline;
    t->currency = ev->currency;
    t->owner_id = ev->owner_id;
    t->owner_email = ev->owner_email;
    t->has_amount = ev->has_amount;
    t->amount = ev->amount;
    t->has_close_date = ev->has_close_date;
    t->close_day = ev->close_day;
    t->occurred_at = ev->occurred_at;
    t->won_time = ev->won_time;
    t->signed_at = ev->signed_at;
    t->document_id = ev->document_id;
    t->properties = ev->properties;
    t->unverified = st->unverified;
}

static int add_alert(hf_svc *svc, int64_t ws, const char *kind, int64_t handoff_id, json_t *detail,
                     hf_time now, hf_error *err)
{
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    hf_alert_rec al = {0, (char *)kind, handoff_id, text, now, HF_TIME_NONE};
    int rc = hf_store_alert_add(svc->s, ws, &al, err);
    free(text);
    return rc;
}

static int any_row(void *ctx, int ncols, const char *const *values)
{
    (void)ncols;
    (void)values;
    *(bool *)ctx = true;
    return 1;
}

/* Is an alert about this pipeline's unmapped stages still waiting for delivery? The
 * alert's detail is compact JSON that starts with the pipeline (apply_all below). */
static int stage_alert_pending(hf_svc *svc, int64_t ws, const char *pipeline, bool *pending,
                               hf_error *err)
{
    char w[24], like[HF_HOOK_ID_MAX + 64];
    snprintf(w, sizeof(w), "%lld", (long long)ws);
    json_t *key = json_pack("{s:s}", "pipeline", pipeline);
    char *text = key ? json_dumps(key, JSON_COMPACT) : NULL;
    json_decref(key);
    if (!text)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    size_t n = strlen(text);
    snprintf(like, sizeof(like), "%.*s,%%", (int)(n > 1 ? n - 1 : 0), text);
    free(text);
    const char *params[] = {w, like};
    *pending = false;
    int rc = hf_store_query(svc->s,
                            "SELECT 1 FROM alerts WHERE workspace_id = ?1 AND kind = "
                            "'trigger.stage_unmapped' AND delivered_at IS NULL AND detail LIKE ?2",
                            2, params, any_row, pending, NULL, err);
    return rc < 0 ? rc : 0;
}

typedef struct delivery {
    hf_svc *svc;
    svc_integration *in;
    const hf_actor *sys;
    hf_hook_batch *batch;
    ev_status *st;
    bool force; /* a replay: claims are not asked */
    hf_time now;
} delivery;

/* Step 3: what can be known before the transaction. */
static int prepare(delivery *d, hf_error *err)
{
    for (size_t i = 0; i < d->batch->count; i++) {
        hf_hook_event *ev = &d->batch->events[i];
        ev_status *st = &d->st[i];
        if (ev->kind == HF_HOOK_IGNORED) {
            st->state = EV_IGNORED;
            st->outcome = "ignored";
            snprintf(st->detail, sizeof(st->detail), "%s", ev->ignored_why ? ev->ignored_why : "");
            continue;
        }
        if (ev->is_duplicate && !d->force) {
            st->state = EV_DUPLICATE;
            st->outcome = "duplicate";
            continue;
        }
        if (!d->force) {
            bool claimed = false;
            int rc = hf_store_hook_claimed(d->svc->s, d->in->rec.id, ev->event_id, &claimed,
                                           &st->duplicate_of, err);
            if (rc)
                return rc;
            if (claimed) {
                st->state = EV_DUPLICATE;
                st->outcome = "duplicate";
                continue;
            }
        }
        if (d->in->cfg.source == HF_HOOK_HUBSPOT)
            hubspot_fetch(d->svc, d->in, ev, st);
    }
    return 0;
}

static json_t *results_json(const delivery *d)
{
    json_t *items = json_array();
    for (size_t i = 0; i < d->batch->count; i++) {
        const hf_hook_event *ev = &d->batch->events[i];
        const ev_status *st = &d->st[i];
        json_t *r = json_pack("{s:s,s:s,s:s,s:s}", "event_id", ev->event_id, "kind",
                              hf_hook_kind_name(ev->kind), "crm_id", ev->crm_id, "outcome",
                              st->outcome ? st->outcome : "pending");
        if (!r)
            continue;
        if (st->handoff_id)
            json_object_set_new(r, "handoff_id", json_integer(st->handoff_id));
        if (st->duplicate_of)
            json_object_set_new(r, "duplicate_of", json_integer(st->duplicate_of));
        if (st->detail[0])
            json_object_set_new(r, "detail", json_string(st->detail));
        json_array_append_new(items, r);
    }
    return items;
}

/* Step 4, inside the transaction: claim and apply each pending event. */
static int apply_all(delivery *d, int64_t delivery_id, hf_error *err)
{
    int64_t ws = d->sys->workspace_id;
    for (size_t i = 0; i < d->batch->count; i++) {
        hf_hook_event *ev = &d->batch->events[i];
        ev_status *st = &d->st[i];
        if (st->state != EV_PENDING)
            continue;
        if (!d->force) {
            bool first = false;
            int rc = hf_store_hook_claim(d->svc->s, ws, d->in->rec.id, ev->event_id, delivery_id,
                                         d->now, &first, err);
            if (rc)
                return rc;
            if (!first) {
                /* another delivery of it was applied while this one was being read */
                st->state = EV_DUPLICATE;
                st->outcome = "duplicate";
                continue;
            }
        }
        svc_trigger t;
        trigger_of(d->in, ev, st, &t);
        svc_outcome o;
        /* each event in a savepoint of its own: an event the rules refuse (a value over a
         * document limit, say) is recorded as refused and the others go on, rather than
         * failing the delivery for ever (the sender would retry it without end) */
        int rc = hf_store_begin(d->svc->s, err);
        if (rc)
            return rc;
        hf_error e2;
        hf_error_clear(&e2);
        rc = svc__trigger_apply(d->svc, d->sys, &t, d->now, &o, &e2);
        if (rc == HF_EINVAL || rc == HF_EPERM || rc == HF_ESTATE || rc == HF_ECONFLICT ||
            rc == HF_ENOTFOUND) {
            hf_store_rollback(d->svc->s);
            st->state = EV_DONE;
            st->outcome = "refused";
            snprintf(st->detail, sizeof(st->detail), "%.40s%s%.200s", e2.path,
                     e2.path[0] ? ": " : "", e2.msg);
            continue;
        }
        if (rc) {
            hf_store_rollback(d->svc->s);
            *err = e2;
            return rc;
        }
        rc = hf_store_commit(d->svc->s, err);
        if (rc)
            return rc;
        st->state = EV_DONE;
        st->outcome = o.outcome;
        st->handoff_id = o.handoff_id;
        if (o.detail[0] && !st->detail[0])
            snprintf(st->detail, sizeof(st->detail), "%s", o.detail);
        if (st->stage_unmapped) {
            st->outcome = "stage_unmapped";
            /* one pending alert per pipeline: every stage move of every deal in it would
             * otherwise raise its own */
            bool pending = false;
            rc = stage_alert_pending(d->svc, ws, ev->pipeline, &pending, err);
            if (!rc && !pending)
                rc = add_alert(d->svc, ws, "trigger.stage_unmapped", o.handoff_id,
                               json_pack("{s:s,s:s,s:s,s:I}", "pipeline", ev->pipeline, "crm_id",
                                         ev->crm_id, "stage", ev->stage, "delivery",
                                         (json_int_t)delivery_id),
                               d->now, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* The verdict of a processed delivery and its status. */
static const char *verdict_of(const delivery *d, int *status)
{
    bool retry = false, applied = false, duplicate = false;
    for (size_t i = 0; i < d->batch->count; i++) {
        retry |= d->st[i].state == EV_RETRY;
        applied |= d->st[i].state == EV_DONE;
        duplicate |= d->st[i].state == EV_DUPLICATE;
    }
    *status = retry ? 503 : 200;
    return retry ? "retry" : (duplicate && !applied) ? "duplicate" : "accepted";
}

static char *dump(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

/* Store a delivery that is not processed further (rejected, malformed, an error) on its
 * own, and prune. Errors of the store are the caller's to report. */
static int store_alone(hf_svc *svc, hf_hook_event_rec *rec, int retention_days, hf_error *err)
{
    int rc = hf_store_hook_event_add(svc->s, rec, err);
    if (!rc)
        rc = hf_store_hook_prune(svc->s, rec->integration_id,
                                 rec->received_at - (hf_time)retention_days * 86400, NULL, err);
    return rc;
}

/* Steps 3 and 4 for a parsed batch. `rec` is the delivery to store (its verdict, status
 * and results are filled here). Returns 0, or a negative hf_rc when the transaction
 * failed (the delivery is then stored alone with verdict "error"). */
static int process(delivery *d, hf_hook_event_rec *rec, hf_error *err)
{
    d->st = calloc(d->batch->count ? d->batch->count : 1, sizeof(ev_status));
    if (!d->st)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    int rc = prepare(d, err);
    if (!rc)
        rc = svc__begin(d->svc, err);
    if (rc)
        goto failed;
    rec->verdict = "processing";
    rec->status = 0;
    rc = hf_store_hook_event_add(d->svc->s, rec, err);
    if (!rc)
        rc = apply_all(d, rec->id, err);
    if (!rc) {
        rec->verdict = (char *)verdict_of(d, &rec->status);
        rec->results = dump(results_json(d));
        rc = hf_store_hook_event_finish(d->svc->s, rec, err);
    }
    if (!rc)
        rc = hf_store_hook_prune(d->svc->s, d->in->rec.id,
                                 d->now - (hf_time)d->in->rec.retention_days * 86400, NULL, err);
    rc = svc__end(d->svc, rc, err);
    if (!rc)
        return 0;
failed:;
    /* nothing of the events stays; the delivery is kept with what went wrong */
    hf_error e2;
    free(rec->results);
    rec->results = NULL;
    rec->id = 0;
    rec->verdict = "error";
    rec->status = 503;
    rec->detail = err->msg;
    store_alone(d->svc, rec, d->in->rec.retention_days, &e2);
    rec->detail = NULL;
    return rc;
}

/* ---- the receiver ---- */

bool hf_svc_hook_endpoint_known(hf_svc *svc, const char *source, const char *endpoint_id)
{
    hf_integration_rec r;
    hf_error err;
    if (!source || !endpoint_id || strlen(endpoint_id) > 64 ||
        hf_store_integration_get(svc->s, 0, 0, endpoint_id, &r, &err) != 0)
        return false;
    bool same = strcmp(r.source, source) == 0;
    hf_integration_rec_free(&r);
    return same;
}

static void answer_success(hf_hook_answer *out, const delivery *d, const hf_hook_event_rec *rec,
                           const hf_actor *a)
{
    out->status = rec->status;
    snprintf(out->verdict, sizeof(out->verdict), "%s", rec->verdict);
    out->delivery_id = rec->id;
    if (rec->status >= 400) {
        /* the CRM did not answer: the events not applied come back with the retry */
        svc__fail(&out->error, HF_EBUSY, NULL, a, N_("busy: try again in a moment%s"), "");
        return;
    }
    if (d->in->cfg.source == HF_HOOK_SALESFORCE && rec->status == 200) {
        size_t len;
        const char *ack = hf_hook_salesforce_ack(&len);
        out->body = malloc(len);
        if (out->body)
            memcpy(out->body, ack, len);
        out->len = out->body ? len : 0;
        out->content_type = "text/xml";
        return;
    }
    json_t *events = json_array();
    for (size_t i = 0; i < d->batch->count; i++)
        json_array_append_new(events, json_pack("{s:s,s:s}", "event_id",
                                                d->batch->events[i].event_id, "outcome",
                                                d->st[i].outcome ? d->st[i].outcome : "pending"));
    out->body = dump(json_pack("{s:I,s:s,s:o}", "delivery", (json_int_t)rec->id, "verdict",
                               rec->verdict, "events", events));
    out->len = out->body ? strlen(out->body) : 0;
    out->content_type = "application/json";
}

int hf_svc_hook_receive(hf_svc *svc, const hf_actor *a, const hf_hook_request *req, hf_time now,
                        hf_hook_answer *out, hf_error *err)
{
    memset(out, 0, sizeof(*out));
    hf_error_clear(err);
    if (!a->is_system)
        return svc__denied(err, a, N_("only the server receives webhooks"));
    hf_hook_source src;
    hf_integration_rec probe;
    if (!req->source || !req->endpoint_id || !hf_hook_source_parse(req->source, &src) ||
        strlen(req->endpoint_id) > 64 ||
        hf_store_integration_get(svc->s, 0, 0, req->endpoint_id, &probe, err) != 0) {
        answer_error(out, 404, "unknown", a, N_("no such webhook endpoint%s"), "");
        out->error.rc = HF_ENOTFOUND;
        return 0;
    }
    bool same = strcmp(probe.source, req->source) == 0;
    hf_integration_rec_free(&probe);
    if (!same) {
        answer_error(out, 404, "unknown", a, N_("no such webhook endpoint%s"), "");
        out->error.rc = HF_ENOTFOUND;
        return 0;
    }
    svc_integration in;
    int lrc = svc__integration_load(svc, 0, 0, req->endpoint_id, true, &in, err);
    hf_hook_event_rec rec;
    memset(&rec, 0, sizeof(rec));
    const char *encoding = "text";
    char *body = stored_body(req->body, req->len, &encoding);
    char *uri = stored_uri(req->uri);
    char *headers = dump(stored_headers(req));
    hf_actor sys;
    if (lrc) {
        /* our configuration: the integration exists but cannot be used */
        hf_integration_rec r;
        hf_error e2;
        if (hf_store_integration_get(svc->s, 0, 0, req->endpoint_id, &r, &e2) == 0) {
            hf_actor_system(&sys, r.workspace_id, r.source, a->lang);
            rec = (hf_hook_event_rec){
                0,        r.workspace_id, r.id, r.source, now,  "config_error",   500,
                err->msg, NULL,           uri,  headers,  body, (char *)encoding, 0};
            store_alone(svc, &rec, r.retention_days, &e2);
            add_alert(svc, r.workspace_id, "integration.unusable", 0,
                      json_pack("{s:I,s:s}", "integration", (json_int_t)r.id, "why", err->msg), now,
                      &e2);
            out->delivery_id = rec.id;
            hf_integration_rec_free(&r);
        }
        out->status = 500;
        snprintf(out->verdict, sizeof(out->verdict), "config_error");
        svc__fail(&out->error, HF_EUSAGE, NULL, a,
                  N_("this webhook endpoint is not usable until RevOps fixes its configuration "
                     "(the alert says why)%s"),
                  "");
        goto done;
    }
    hf_actor_system(&sys, in.rec.workspace_id, in.rec.source, a->lang);
    rec = (hf_hook_event_rec){
        0,    in.rec.workspace_id, in.rec.id, in.rec.source, now, NULL, 0, NULL, NULL, uri, headers,
        body, (char *)encoding,    0};
    hf_error verr;
    int vrc = verify(&in, req, now, &verr);
    if (vrc) {
        bool ours = vrc == HF_EUSAGE;
        rec.verdict = ours ? "config_error" : "rejected";
        rec.status = ours ? 500 : 401;
        rec.detail = verr.msg;
        store_alone(svc, &rec, in.rec.retention_days, err);
        if (ours)
            add_alert(svc, in.rec.workspace_id, "integration.unusable", 0,
                      json_pack("{s:I,s:s}", "integration", (json_int_t)in.rec.id, "why", verr.msg),
                      now, err);
        out->delivery_id = rec.id;
        if (ours)
            answer_error(out, 500, "config_error", a,
                         N_("this webhook endpoint is not usable until RevOps fixes its "
                            "configuration (the alert says why)%s"),
                         "");
        else
            answer_error(out, 401, "rejected", a,
                         N_("the request's signature is missing, wrong or too old%s"), "");
        rec.detail = NULL;
        goto done_in;
    }
    hf_hook_batch batch;
    hf_hook_batch_init(&batch);
    header_source hs = {req, NULL};
    hf_error perr;
    int prc = parse(&in, req->body, req->len, &hs, &batch, &perr);
    if (!prc && in.cfg.source == HF_HOOK_SALESFORCE &&
        !hf_hook_salesforce_org_matches(in.cfg.org_id, batch.org_id)) {
        rec.verdict = "rejected";
        rec.status = 401;
        char detail[300];
        snprintf(detail, sizeof(detail), "OrganizationId %s is not the configured %s", batch.org_id,
                 in.cfg.org_id);
        rec.detail = detail;
        store_alone(svc, &rec, in.rec.retention_days, err);
        out->delivery_id = rec.id;
        answer_error(out, 401, "rejected", a,
                     N_("the message does not come from the configured Salesforce "
                        "organization%s"),
                     "");
        rec.detail = NULL;
        hf_hook_batch_free(&batch);
        goto done_in;
    }
    if (prc) {
        bool too_large = prc == HF_ENOMEM;
        char detail[HF_ERROR_MSG_MAX + HF_ERROR_PATH_MAX + 8];
        char where[64] = "";
        if (perr.line)
            snprintf(where, sizeof(where), "line %ld, column %ld: ", perr.line, perr.column);
        snprintf(detail, sizeof(detail), "%s%s%s%s", where, perr.path[0] ? perr.path : "",
                 perr.path[0] ? ": " : "", perr.msg);
        rec.verdict = too_large ? "too_large" : "malformed";
        rec.status = too_large ? 413 : 400;
        rec.detail = detail;
        store_alone(svc, &rec, in.rec.retention_days, err);
        out->delivery_id = rec.id;
        out->status = rec.status;
        snprintf(out->verdict, sizeof(out->verdict), "%s", rec.verdict);
        hf_error_set(&out->error, too_large ? HF_ENOMEM : HF_EINVAL, perr.path, "%s", detail);
        out->error.line = perr.line;
        out->error.column = perr.column;
        rec.detail = NULL;
        goto done_in;
    }
    delivery d = {svc, &in, &sys, &batch, NULL, false, now};
    int rc = process(&d, &rec, err);
    if (rc) {
        out->delivery_id = rec.id;
        out->status = 503;
        snprintf(out->verdict, sizeof(out->verdict), "error");
        svc__fail(&out->error, HF_EBUSY, NULL, a, N_("busy: try again in a moment%s"), "");
    } else {
        answer_success(out, &d, &rec, a);
    }
    free(rec.results);
    free(d.st);
    hf_hook_batch_free(&batch);
done_in:
    svc__integration_free(&in);
done:
    free(body);
    free(uri);
    free(headers);
    if (!out->body && out->status < 400 && out->status != 0) {
        /* the answer could not be made */
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    return 0;
}

/* ---- replay ---- */

int hf_svc_hook_replay(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now, json_t **out,
                       hf_error *err)
{
    if (out)
        *out = NULL;
    int rc = svc__need_revops(a, HF_SCOPE_WRITE, N_("RevOps replays deliveries"), err);
    if (rc)
        return rc;
    int64_t ws = SVC_WS(a);
    hf_hook_event_rec orig;
    rc = hf_store_hook_event_get(svc->s, ws, id, &orig, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such delivery%s"), "");
    if (rc)
        return rc;
    if (strcmp(orig.verdict, "rejected") == 0 || strcmp(orig.verdict, "config_error") == 0 ||
        !orig.body) {
        hf_hook_event_rec_free(&orig);
        return svc__fail(err, HF_ESTATE, "verdict", a,
                         N_("only a delivery whose signature was verified can be replayed%s"), "");
    }
    svc_integration in;
    rc = svc__integration_load(svc, ws, orig.integration_id, NULL, true, &in, err);
    if (rc == HF_ENOTFOUND)
        rc = svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such integration%s"), "");
    if (rc) {
        hf_hook_event_rec_free(&orig);
        return rc;
    }
    /* the raw body as received */
    char *body = orig.body;
    size_t len = strlen(body);
    unsigned char *bin = NULL;
    if (orig.body_encoding && strcmp(orig.body_encoding, "base64") == 0) {
        bin = malloc(len + 1);
        size_t n = 0;
        if (!bin || sodium_base642bin(bin, len + 1, body, len, NULL, &n, NULL,
                                      sodium_base64_VARIANT_ORIGINAL) != 0) {
            free(bin);
            svc__integration_free(&in);
            hf_hook_event_rec_free(&orig);
            return hf_error_set(err, HF_EDB, NULL, "delivery %lld has an unreadable body",
                                (long long)id);
        }
        body = (char *)bin;
        len = n;
    }
    json_t *stored = json_loads(orig.headers ? orig.headers : "{}", 0, NULL);
    header_source hs = {NULL, stored};
    hf_hook_batch batch;
    hf_hook_batch_init(&batch);
    rc = parse(&in, body, len, &hs, &batch, err);
    if (rc) {
        rc = svc__fail(err, HF_ESTATE, "body", a,
                       N_("the delivery's body does not parse: it cannot be replayed%s"), "");
    } else if (in.cfg.source == HF_HOOK_SALESFORCE &&
               !hf_hook_salesforce_org_matches(in.cfg.org_id, batch.org_id)) {
        rc = svc__fail(err, HF_ESTATE, "org_id", a,
                       N_("the message does not come from the configured Salesforce "
                          "organization%s"),
                       "");
    }
    hf_actor sys;
    hf_actor_system(&sys, ws, in.rec.source, a->lang);
    hf_hook_event_rec rec = {
        0,        ws,           in.rec.id, in.rec.source,      now, NULL, 0, NULL, NULL,
        orig.uri, orig.headers, orig.body, orig.body_encoding, id};
    char detail[320];
    snprintf(detail, sizeof(detail), "replay of delivery %lld by %s", (long long)id, a->email);
    rec.detail = detail;
    delivery d = {svc, &in, &sys, &batch, NULL, true, now};
    if (!rc)
        rc = process(&d, &rec, err);
    if (!rc && out) {
        hf_error e2;
        if (hf_svc_hook_event_get(svc, a, rec.id, out, &e2) != 0)
            *out = NULL;
    }
    free(rec.results);
    free(d.st);
    hf_hook_batch_free(&batch);
    json_decref(stored);
    free(bin);
    svc__integration_free(&in);
    hf_hook_event_rec_free(&orig);
    return rc;
}
