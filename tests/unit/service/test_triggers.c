/* Unit tests of the triggers in the service layer (src/service/triggers.c,
 * trigger_apply.c, integrations.c) on a SQLite file, through the public functions:
 * hf_svc_hook_receive() with requests signed here (the generic Standard Webhooks
 * receiver, whose body says everything), and hf_svc_integration_*().
 *
 * - The owner mapping: by CRM id, by e-mail without regard to case, the CRM e-mail of a
 *   Handoff user, a mapping to someone who is not a user (unmapped, with why), none
 *   (the RevOps queue and an alert); segment rules on amounts and texts; the field
 *   mapping, numeric texts made numbers.
 * - Out of order: four events of one deal (two changes, the win, the signature) in all
 *   24 orders end in one state — the deal record and the handoff's trigger fields — and
 *   an older change is reported stale.
 * - A delivery seen twice changes nothing; one handoff per deal whatever the events.
 * - Every CSM at capacity: the handoff is created unassigned and the event succeeds.
 * - HubSpot without an API token: created from the event, flagged for RevOps; with a CRM
 *   that does not answer: 503, the event not claimed, the retries' waits recorded (the
 *   injected sleep: nothing sleeps).
 * - Secrets: never in an answer; another key file makes the endpoint unusable (500). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/credentials.h"
#include "handoff/hooks.h"
#include "handoff/service.h"
#include "handoff/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define NOW 1764547200 /* 2025-12-01T00:00:00Z */

typedef struct fixture {
    char path[256];
    hf_store *s;
    hf_svc *svc;
    hf_actor sys;
    unsigned char key[HF_SECRET_KEY_BYTES];
    long sleeps[16];
    int nsleeps;
    char endpoint[64];
    int64_t integration;
} fixture;

static fixture *g; /* for the sleep hook */

static void record_sleep(void *ctx, long ms)
{
    fixture *f = ctx;
    if (f->nsleeps < 16)
        f->sleeps[f->nsleeps++] = ms;
}

static void user(fixture *f, const char *email, hf_role role, int capacity)
{
    hf_user_input in = {.email = email, .has_role = true, .role = role};
    if (capacity) {
        in.has_capacity = true;
        in.capacity = capacity;
    }
    hf_error err;
    assert_int_equal(hf_svc_user_create(f->svc, &f->sys, &in, NOW, NULL, &err), 0);
}

/* A generic integration with `config` (JSON text); its endpoint id into f->endpoint. */
static void integration(fixture *f, const char *source, const char *config, const char *secret,
                        const char *token)
{
    json_t *c = json_loads(config, 0, NULL);
    assert_non_null(c);
    hf_integration_input in = {.source = source, .config = c, .secret = secret, .api_token = token};
    json_t *out;
    hf_error err;
    int rc = hf_svc_integration_create(f->svc, &f->sys, &in, NOW, &out, &err);
    if (rc)
        fail_msg("integration: %s at %s", err.msg, err.path);
    snprintf(f->endpoint, sizeof(f->endpoint), "%s",
             json_string_value(json_object_get(out, "endpoint_id")));
    f->integration = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    json_decref(c);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    g = f;
    snprintf(f->path, sizeof(f->path), "/tmp/handoff-triggers-%d-XXXXXX", (int)getpid());
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    char url[300];
    snprintf(url, sizeof(url), "sqlite:%s", f->path);
    hf_error err;
    assert_int_equal(hf_store_open(url, true, &f->s, &err), 0);
    assert_int_equal(hf_store_workspace_ensure(f->s, 1, "test", &err), 0);
    hf_svc_hooks hooks = {NULL, NULL, record_sleep, f, NULL};
    assert_int_equal(hf_svc_open(f->s, &hooks, &f->svc, &err), 0);
    for (size_t i = 0; i < sizeof(f->key); i++)
        f->key[i] = (unsigned char)(i * 7 + 1);
    hf_svc_set_secret_key(f->svc, f->key);
    hf_actor_system(&f->sys, 1, "test", HF_LANG_EN);
    user(f, "rita@vendor.example", HF_ROLE_ACCOUNT_EXECUTIVE, 0);
    user(f, "bob@vendor.example", HF_ROLE_ACCOUNT_EXECUTIVE, 0);
    user(f, "gone@vendor.example", HF_ROLE_ACCOUNT_EXECUTIVE, 0);
    user(f, "csm1@vendor.example", HF_ROLE_CSM, 0);
    hf_user_rec u;
    assert_int_equal(hf_store_user_get(f->s, 1, 0, "gone@vendor.example", &u, &err), 0);
    hf_user_input off = {.has_active = true, .active = false};
    assert_int_equal(hf_svc_user_update(f->svc, &f->sys, u.id, &off, NULL, &err), 0);
    hf_user_rec_free(&u);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    hf_svc_close(f->svc);
    hf_store_close(f->s);
    unlink(f->path);
    char side[300];
    snprintf(side, sizeof(side), "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

/* Deliver `body` to the endpoint as the generic receiver expects it, signed; returns the
 * status, the answer in *ans (freed by the caller) when not NULL. */
static int deliver_as(fixture *f, const char *source, const char *body, const char *msg_id,
                      hf_hook_answer *keep)
{
    char ts[32], sig[HF_HOOK_STANDARD_SIG_MAX];
    snprintf(ts, sizeof(ts), "%d", NOW);
    hf_error err;
    assert_int_equal(hf_hook_standard_sign(SECRET, msg_id, NOW, body, strlen(body), sig, &err), 0);
    hf_hook_header headers[] = {{"Content-Type", "application/json"},
                                {"webhook-id", msg_id},
                                {"webhook-timestamp", ts},
                                {"webhook-signature", sig},
                                {"Authorization", "Bearer must-not-be-kept"}};
    char uri[256];
    snprintf(uri, sizeof(uri), "https://h.example/hooks/%s/%s", source, f->endpoint);
    hf_hook_request req = {source, f->endpoint, "POST", uri, headers, 5, body, strlen(body)};
    hf_actor web;
    hf_actor_system(&web, 0, "webhook", HF_LANG_EN);
    hf_hook_answer ans;
    assert_int_equal(hf_svc_hook_receive(f->svc, &web, &req, NOW, &ans, &err), 0);
    int status = ans.status;
    if (keep)
        *keep = ans;
    else
        hf_hook_answer_free(&ans);
    return status;
}

static int deliver(fixture *f, const char *body, const char *msg_id)
{
    return deliver_as(f, "generic", body, msg_id, NULL);
}

/* A generic event body. */
static char *event(const char *type, const char *crm, const char *timestamp, const char *data)
{
    char *s = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&s, &n);
    fprintf(m, "{\"type\":\"%s\",\"timestamp\":\"%s\",\"data\":{\"crm_id\":\"%s\"%s%s}}", type,
            timestamp, crm, data && *data ? "," : "", data ? data : "");
    fclose(m);
    return s;
}

/* The handoff of deal `crm` (JSON with its document), or NULL. */
static json_t *handoff_of(fixture *f, const char *crm)
{
    hf_handoff_rec h;
    hf_error err;
    if (hf_svc_handoff_get_by_crm(f->svc, &f->sys, crm, &h, &err) != 0)
        return NULL;
    json_t *j = hf_svc_handoff_json(&h, true);
    hf_handoff_rec_free(&h);
    return j;
}

static const char *str_at(const json_t *j, const char *a, const char *b, const char *c)
{
    const json_t *v = json_object_get(j, a);
    if (b)
        v = json_object_get(v, b);
    if (c)
        v = json_object_get(v, c);
    return json_is_string(v) ? json_string_value(v) : "";
}

static int count_alerts(fixture *f, const char *kind);

/* ---- the owner mapping, segments, fields ---- */

static void test_owner_mapping(void **state)
{
    fixture *f = *state;
    integration(f, "generic",
                "{\"owners\":{\"u-1\":\"rita@vendor.example\",\"REP@CRM.EXAMPLE\":\"bob@"
                "vendor.example\",\"u-gone\":\"gone@vendor.example\"}}",
                SECRET, NULL);
    static const struct {
        const char *crm, *data, *owner;
    } cases[] = {
        {"D-1", "\"owner_id\":\"u-1\"", "rita@vendor.example"},
        {"D-2", "\"owner_email\":\"rep@crm.example\"", "bob@vendor.example"},
        {"D-3", "\"owner_email\":\"Rita@Vendor.example\"", "rita@vendor.example"},
        {"D-4", "\"owner_id\":\"u-gone\"", ""},
        {"D-5", "\"owner_id\":\"u-9\"", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = event("deal.won", cases[i].crm, "2025-11-01T10:00:00Z", cases[i].data);
        char id[16];
        snprintf(id, sizeof(id), "msg_%zu", i);
        assert_int_equal(deliver(f, body, id), 200);
        free(body);
        json_t *h = handoff_of(f, cases[i].crm);
        assert_non_null(h);
        assert_string_equal(str_at(h, "owner_email", NULL, NULL), cases[i].owner);
        /* every one is assigned and started */
        assert_string_equal(str_at(h, "csm_email", NULL, NULL), "csm1@vendor.example");
        assert_true(*str_at(h, "document", "timeline", "handoff_started_at"));
        json_decref(h);
    }
    /* the two unmapped ones are in RevOps' queue, each with an alert saying why */
    assert_int_equal(count_alerts(f, "trigger.owner_unmapped"), 2);
    json_t *out;
    hf_error err;
    assert_int_equal(hf_svc_hook_events(f->svc, &f->sys, 0, 0, 10, &out, &err), 0);
    char *text = json_dumps(out, 0);
    assert_non_null(strstr(text, "the owner mapping names gone@vendor.example, who is not an "
                                 "active user"));
    assert_non_null(strstr(text, "no owner mapping for CRM owner u-9"));
    /* what a delivery keeps has no credential */
    json_t *one;
    int64_t first =
        json_integer_value(json_object_get(json_array_get(json_object_get(out, "items"), 0), "id"));
    assert_int_equal(hf_svc_hook_event_get(f->svc, &f->sys, first, &one, &err), 0);
    char *full = json_dumps(one, 0);
    assert_null(strstr(full, "must-not-be-kept"));
    assert_null(strstr(full, "webhook-signature"));
    assert_non_null(strstr(full, "webhook-id"));
    free(full);
    json_decref(one);
    free(text);
    json_decref(out);
}

static void test_segments_and_fields(void **state)
{
    fixture *f = *state;
    integration(f, "generic",
                "{\"segment_rules\":[{\"segment\":\"strategic\",\"field\":\"custom.tier\","
                "\"equals\":[\"Tier 1\",\"Key\"]},{\"segment\":\"enterprise\",\"field\":"
                "\"amount\",\"min\":100000},{\"segment\":\"mid_market\",\"field\":\"amount\","
                "\"min\":20000,\"max\":100000},{\"segment\":\"smb\"}],\"field_map\":{\"arr\":"
                "\"commercial.acv\",\"why\":\"customer.why_now\"}}",
                SECRET, NULL);
    static const struct {
        const char *crm, *data, *segment;
    } cases[] = {
        {"S-1", "\"amount\":150000", "enterprise"},
        {"S-2", "\"amount\":\"20000.00\"", "mid_market"},
        {"S-3", "\"amount\":19999.99", "smb"},
        {"S-4", "\"amount\":500000,\"custom\":{\"tier\":\"key\"}", "strategic"},
        {"S-5", "\"arr\":\"48000\",\"why\":\"the audit in March\"", "smb"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = event("deal.won", cases[i].crm, "2025-11-01T10:00:00Z", cases[i].data);
        char id[16];
        snprintf(id, sizeof(id), "seg_%zu", i);
        assert_int_equal(deliver(f, body, id), 200);
        free(body);
        json_t *h = handoff_of(f, cases[i].crm);
        assert_non_null(h);
        assert_string_equal(str_at(h, "segment", NULL, NULL), cases[i].segment);
        json_decref(h);
    }
    json_t *h = handoff_of(f, "S-5");
    const json_t *acv =
        json_object_get(json_object_get(json_object_get(h, "document"), "commercial"), "acv");
    assert_true(json_is_number(acv));
    assert_true(json_number_value(acv) == 48000);
    assert_string_equal(str_at(h, "document", "customer", "why_now"), "the audit in March");
    json_decref(h);
}

/* ---- out of order ---- */

typedef struct final_state {
    char text[1024];
} final_state;

/* The facts of a deal that events decide: its record and its handoff's trigger fields. */
static void state_of(fixture *f, const char *crm, final_state *st)
{
    hf_deal_rec d;
    hf_error err;
    assert_int_equal(hf_store_deal_get(f->s, 1, 0, crm, &d, &err), 0);
    json_t *h = handoff_of(f, crm);
    assert_non_null(h);
    json_t *deal = json_object_get(json_object_get(h, "document"), "deal");
    json_object_del(deal, "crm_id"); /* it differs by construction */
    char *dj = json_dumps(deal, JSON_SORT_KEYS | JSON_COMPACT);
    snprintf(st->text, sizeof(st->text), "name=%s amount=%.2f won=%d stage=%s t0=%s owner=%s %s",
             d.name ? d.name : "", d.amount, d.is_won, d.stage ? d.stage : "",
             str_at(h, "t0", NULL, NULL), str_at(h, "owner_email", NULL, NULL), dj);
    free(dj);
    json_decref(h);
    hf_deal_rec_free(&d);
}

static void test_out_of_order_converges(void **state)
{
    fixture *f = *state;
    integration(f, "generic",
                "{\"won_trigger\":\"verbal_commit\",\"owners\":{\"u-1\":\"rita@vendor.example\"}}",
                SECRET, NULL);
    const char *events[4][3] = {
        {"deal.changed", "2025-11-01T09:00:00Z", "\"name\":\"Old name\",\"amount\":1000"},
        {"deal.won", "2025-11-02T09:00:00Z",
         "\"name\":\"Won name\",\"amount\":2000,\"owner_id\":\"u-1\",\"won_time\":\"2025-11-02T08:"
         "30:00Z\""},
        {"contract.completed", "2025-11-05T09:00:00Z", "\"signed_at\":\"2025-11-05T08:00:00Z\""},
        {"deal.changed", "2025-11-06T09:00:00Z", "\"name\":\"New name\",\"amount\":3000"},
    };
    final_state first;
    memset(&first, 0, sizeof(first));
    int perm[4] = {0, 1, 2, 3}, n = 0;
    /* every order of the four */
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 4; c++)
                for (int d = 0; d < 4; d++) {
                    if (a == b || a == c || a == d || b == c || b == d || c == d)
                        continue;
                    perm[0] = a, perm[1] = b, perm[2] = c, perm[3] = d;
                    char crm[32];
                    snprintf(crm, sizeof(crm), "O-%d%d%d%d", a, b, c, d);
                    for (int k = 0; k < 4; k++) {
                        const char *const *e = events[perm[k]];
                        char *body = event(e[0], crm, e[1], e[2]);
                        char id[64];
                        snprintf(id, sizeof(id), "%s-%d", crm, perm[k]);
                        assert_int_equal(deliver(f, body, id), 200);
                        free(body);
                    }
                    final_state st;
                    memset(&st, 0, sizeof(st));
                    state_of(f, crm, &st);
                    if (n++ == 0)
                        first = st;
                    else
                        assert_string_equal(st.text, first.text);
                }
    assert_int_equal(n, 24);
    /* and the state is the in-order one */
    /* the deal record has the newest change; the document the details of the win */
    assert_non_null(strstr(first.text, "name=New name amount=3000.00 won=1"));
    assert_non_null(strstr(first.text, "\"name\":\"Won name\""));
    assert_non_null(strstr(first.text, "t0=2025-11-05T08:00:00Z owner=rita@vendor.example"));
    assert_non_null(strstr(first.text, "\"contract_signed_at\":\"2025-11-05T08:00:00Z\""));
    assert_non_null(strstr(first.text, "\"contract_status\":\"fully_executed\""));
    assert_non_null(strstr(first.text, "\"trigger\":\"contract_signature\""));
    assert_non_null(strstr(first.text, "\"verbal_commit_at\":\"2025-11-02T08:30:00Z\""));
}

static void test_stale_change_reported(void **state)
{
    fixture *f = *state;
    integration(f, "generic", "{}", SECRET, NULL);
    char *newer = event("deal.changed", "ST-1", "2025-11-06T09:00:00Z", "\"amount\":3000");
    char *older = event("deal.changed", "ST-1", "2025-11-01T09:00:00Z", "\"amount\":1000");
    hf_hook_answer ans;
    assert_int_equal(deliver_as(f, "generic", newer, "st-new", &ans), 200);
    assert_non_null(strstr(ans.body, "\"deal_updated\""));
    hf_hook_answer_free(&ans);
    assert_int_equal(deliver_as(f, "generic", older, "st-old", &ans), 200);
    assert_non_null(strstr(ans.body, "\"stale\""));
    hf_hook_answer_free(&ans);
    hf_deal_rec d;
    hf_error err;
    assert_int_equal(hf_store_deal_get(f->s, 1, 0, "ST-1", &d, &err), 0);
    assert_true(d.amount == 3000);
    assert_false(d.is_won);
    hf_deal_rec_free(&d);
    /* a change is no win: no handoff */
    assert_null(handoff_of(f, "ST-1"));
    free(newer);
    free(older);
}

/* ---- idempotency, one handoff per deal ---- */

static int count_handoffs(fixture *f)
{
    int64_t n = 0;
    hf_error err;
    assert_int_equal(hf_svc_handoff_count(f->svc, &f->sys, NULL, &n, &err), 0);
    return (int)n;
}

static void test_redelivery_changes_nothing(void **state)
{
    fixture *f = *state;
    integration(f, "generic", "{}", SECRET, NULL);
    char *won =
        event("deal.won", "R-1", "2025-11-01T10:00:00Z", "\"owner_email\":\"rita@vendor.example\"");
    hf_hook_answer ans;
    assert_int_equal(deliver_as(f, "generic", won, "r-1", &ans), 200);
    assert_string_equal(ans.verdict, "accepted");
    hf_hook_answer_free(&ans);
    json_t *h1 = handoff_of(f, "R-1");
    assert_int_equal(deliver_as(f, "generic", won, "r-1", &ans), 200);
    assert_string_equal(ans.verdict, "duplicate");
    hf_hook_answer_free(&ans);
    json_t *h2 = handoff_of(f, "R-1");
    assert_int_equal(json_integer_value(json_object_get(h1, "version")),
                     json_integer_value(json_object_get(h2, "version")));
    /* another event that says the same thing (a new message id) still makes one handoff */
    int before = count_handoffs(f);
    assert_int_equal(deliver_as(f, "generic", won, "r-2", &ans), 200);
    assert_non_null(strstr(ans.body, "\"handoff_unchanged\""));
    hf_hook_answer_free(&ans);
    assert_int_equal(count_handoffs(f), before);
    json_decref(h1);
    json_decref(h2);
    free(won);
}

/* An event whose values the document refuses (a company name over the limit of an indexed
 * field) is recorded as refused: 200, so that the sender does not retry it for ever. */
static void test_refused_event_is_not_retried(void **state)
{
    fixture *f = *state;
    integration(f, "generic", "{\"field_map\":{\"legal_name\":\"customer.company_name\"}}", SECRET,
                NULL);
    char name[1301];
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    char data[1400];
    snprintf(data, sizeof(data), "\"legal_name\":\"%s\"", name);
    char *won = event("deal.won", "L-1", "2025-11-01T10:00:00Z", data);
    hf_hook_answer ans;
    assert_int_equal(deliver_as(f, "generic", won, "long-1", &ans), 200);
    assert_non_null(strstr(ans.body, "\"refused\""));
    hf_hook_answer_free(&ans);
    free(won);
    assert_null(handoff_of(f, "L-1"));
    json_t *out;
    hf_error err;
    assert_int_equal(hf_svc_hook_events(f->svc, &f->sys, 0, 0, 1, &out, &err), 0);
    char *text = json_dumps(out, 0);
    assert_non_null(strstr(text, "customer.company_name"));
    free(text);
    json_decref(out);
}

/* ---- capacity ---- */

typedef struct alert_count {
    const char *kind;
    int n;
} alert_count;

static int alert_row(void *ctx, const hf_alert_rec *a)
{
    alert_count *c = ctx;
    if (strcmp(a->kind, c->kind) == 0)
        c->n++;
    return 0;
}

static int count_alerts(fixture *f, const char *kind)
{
    alert_count c = {kind, 0};
    hf_error err;
    assert_int_equal(hf_store_alert_list(f->s, 1, true, alert_row, &c, &err), 0);
    return c.n;
}

static void test_capacity_exhausted_is_not_a_failure(void **state)
{
    fixture *f = *state;
    integration(f, "generic", "{}", SECRET, NULL);
    hf_user_rec u;
    hf_error err;
    assert_int_equal(hf_store_user_get(f->s, 1, 0, "csm1@vendor.example", &u, &err), 0);
    hf_user_input cap = {.has_capacity = true, .capacity = 2};
    assert_int_equal(hf_svc_user_update(f->svc, &f->sys, u.id, &cap, NULL, &err), 0);
    hf_user_rec_free(&u);
    for (int i = 0; i < 3; i++) {
        char crm[16], id[16];
        snprintf(crm, sizeof(crm), "C-%d", i);
        snprintf(id, sizeof(id), "cap-%d", i);
        char *won = event("deal.won", crm, "2025-11-01T10:00:00Z",
                          "\"owner_email\":\"rita@vendor.example\"");
        assert_int_equal(deliver(f, won, id), 200);
        free(won);
    }
    /* csm1 takes two: the third waits in the CS managers' queue */
    json_t *h = handoff_of(f, "C-2");
    assert_non_null(h);
    assert_true(json_is_null(json_object_get(h, "csm_email")));
    json_decref(h);
    assert_int_equal(count_alerts(f, "csm.capacity_exhausted"), 1);
}

/* ---- HubSpot ---- */

static int hubspot(fixture *f, const char *body, hf_hook_answer *ans)
{
    char uri[256];
    snprintf(uri, sizeof(uri), "https://h.example/hooks/hubspot/%s", f->endpoint);
    char ts[32], sig[HF_HOOK_SIG_B64_MAX];
    snprintf(ts, sizeof(ts), "%lld", (long long)NOW * 1000);
    hf_error err;
    assert_int_equal(hf_hook_hubspot_sign_v3("client-secret", "POST", uri, body, strlen(body),
                                             (int64_t)NOW * 1000, sig, &err),
                     0);
    hf_hook_header headers[] = {{"X-HubSpot-Signature-v3", sig},
                                {"X-HubSpot-Request-Timestamp", ts}};
    hf_hook_request req = {"hubspot", f->endpoint, "POST", uri, headers, 2, body, strlen(body)};
    hf_actor web;
    hf_actor_system(&web, 0, "webhook", HF_LANG_EN);
    assert_int_equal(hf_svc_hook_receive(f->svc, &web, &req, NOW, ans, &err), 0);
    return ans->status;
}

#define HS_WON                                                                                     \
    "[{\"objectId\":4242,\"propertyName\":\"dealstage\",\"propertyValue\":\"closedwon\","          \
    "\"eventId\":1,\"subscriptionId\":1,\"portalId\":1,\"appId\":1,\"occurredAt\":"                \
    "1762000000000,\"subscriptionType\":\"deal.propertyChange\",\"attemptNumber\":0}]"

static void test_hubspot_without_token(void **state)
{
    fixture *f = *state;
    integration(f, "hubspot", "{}", "client-secret", NULL);
    hf_hook_answer ans;
    assert_int_equal(hubspot(f, HS_WON, &ans), 200);
    hf_hook_answer_free(&ans);
    json_t *h = handoff_of(f, "4242");
    assert_non_null(h);
    assert_string_equal(str_at(h, "trigger", NULL, NULL), "contract_signature");
    json_decref(h);
    assert_int_equal(count_alerts(f, "trigger.deal_unverified"), 1);
    assert_int_equal(f->nsleeps, 0);
}

static void test_hubspot_unreachable_is_retried_later(void **state)
{
    fixture *f = *state;
    /* port 9 on the loopback: nothing listens, every attempt fails at once */
    integration(f, "hubspot", "{\"api_base\":\"http://127.0.0.1:9\"}", "client-secret", "pat-1");
    hf_hook_answer ans;
    assert_int_equal(hubspot(f, HS_WON, &ans), 503);
    assert_string_equal(ans.verdict, "retry");
    hf_hook_answer_free(&ans);
    /* three attempts, two waits with backoff, none slept for real */
    assert_int_equal(f->nsleeps, 2);
    assert_int_equal(f->sleeps[0], 250);
    assert_int_equal(f->sleeps[1], 500);
    assert_null(handoff_of(f, "4242"));
    /* not claimed: the sender's retry is not a duplicate */
    assert_int_equal(hubspot(f, HS_WON, &ans), 503);
    assert_string_equal(ans.verdict, "retry");
    hf_hook_answer_free(&ans);
}

/* ---- secrets ---- */

static void test_secrets_are_write_only(void **state)
{
    fixture *f = *state;
    integration(f, "hubspot", "{}", "client-secret", "pat-secret-token");
    json_t *out;
    hf_error err;
    assert_int_equal(hf_svc_integration_list(f->svc, &f->sys, &out, &err), 0);
    char *text = json_dumps(out, 0);
    assert_null(strstr(text, "client-secret"));
    assert_null(strstr(text, "pat-secret-token"));
    assert_non_null(strstr(text, "\"api_token\": true"));
    free(text);
    json_decref(out);
    hf_integration_rec r;
    assert_int_equal(hf_store_integration_get(f->s, 1, f->integration, NULL, &r, &err), 0);
    assert_null(strstr(r.secrets, "client-secret"));
    assert_non_null(strstr(r.secrets, "sb1:"));
    hf_integration_rec_free(&r);
    /* with another key file the endpoint cannot be used: our problem, 500, an alert */
    unsigned char other[HF_SECRET_KEY_BYTES] = {9};
    hf_svc_set_secret_key(f->svc, other);
    hf_hook_answer ans;
    assert_int_equal(hubspot(f, HS_WON, &ans), 500);
    assert_string_equal(ans.verdict, "config_error");
    hf_hook_answer_free(&ans);
    assert_int_equal(count_alerts(f, "integration.unusable"), 1);
    hf_svc_set_secret_key(f->svc, f->key);
    /* not RevOps: no */
    hf_actor rep;
    assert_int_equal(
        hf_svc_actor_for_user(f->svc, 1, 0, "rita@vendor.example", HF_LANG_EN, &rep, &err), 0);
    assert_int_equal(hf_svc_integration_list(f->svc, &rep, &out, &err), HF_EPERM);
}

int main(void)
{
    hf_credentials_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_owner_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_segments_and_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_order_converges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_change_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redelivery_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_event_is_not_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capacity_exhausted_is_not_a_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hubspot_without_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hubspot_unreachable_is_retried_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secrets_are_write_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
