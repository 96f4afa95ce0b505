/* The storage suite, run against every backend: SQLite on a temporary file always, and
 * PostgreSQL at HANDOFF_TEST_PG (tests/run.sh starts a throwaway cluster and sets it).
 * When HANDOFF_TEST_PG is unset the PostgreSQL group FAILS rather than skipping, unless
 * HANDOFF_TEST_NO_PG=1 says so explicitly (then the run prints why). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "handoff/document.h"
#include "handoff/service.h"
#include "handoff/jsondiff.h"
#include "handoff/store.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef struct fixture {
    hf_store *s;
    hf_svc *svc;
    hf_actor actor;
    char path[256];
    int64_t ws;
    hf_protocol p;
} fixture;

/* The trusted system acting under a name, as the CLI does without --as. */
static const hf_actor *who(fixture *f, const char *name)
{
    hf_actor_system(&f->actor, f->ws, name, HF_LANG_EN);
    return &f->actor;
}

static int t_transition(fixture *f, int64_t id, hf_status to, const char *reason,
                        const char *const *reasons, size_t n, const char *name, hf_time now,
                        hf_error *err)
{
    hf_transition_req req = {to, reason, reasons, n, NULL, 0};
    return hf_svc_handoff_transition(f->svc, who(f, name), id, &req, now, NULL, err);
}

static int64_t next_ws = 100;

/* Each test gets its own workspace, so tests on a shared PostgreSQL do not see each
 * other's rows. */
static int setup_common(void **state, const char *url)
{
    fixture *f = calloc(1, sizeof(*f));
    hf_error err;
    hf_error_clear(&err);
    if (hf_store_open(url, true, &f->s, &err) != 0) {
        fprintf(stderr, "open %s: %s\n", url, err.msg);
        free(f);
        return -1;
    }
    f->ws = next_ws++ + (int64_t)getpid() * 1000;
    if (hf_store_workspace_ensure(f->s, f->ws, "test", &err) != 0) {
        fprintf(stderr, "workspace: %s\n", err.msg);
        hf_store_close(f->s);
        free(f);
        return -1;
    }
    hf_protocol_default(&f->p);
    if (hf_svc_open(f->s, NULL, &f->svc, &err) != 0) {
        hf_store_close(f->s);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int setup_sqlite(void **state)
{
    char path[256];
    snprintf(path, sizeof(path), "/tmp/handoff-test-%d-%lld.db", (int)getpid(), (long long)next_ws);
    unlink(path);
    if (setup_common(state, path))
        return -1;
    snprintf(((fixture *)*state)->path, sizeof(((fixture *)*state)->path), "%s", path);
    return 0;
}

static int setup_pg(void **state)
{
    const char *url = getenv("HANDOFF_TEST_PG");
    if (!url || !*url) {
        fprintf(stderr, "HANDOFF_TEST_PG is not set: the PostgreSQL suite cannot run\n");
        return -1;
    }
    return setup_common(state, url);
}

static int teardown(void **state)
{
    fixture *f = *state;
    hf_svc_close(f->svc);
    hf_store_close(f->s);
    hf_protocol_free(&f->p);
    if (f->path[0]) {
        char extra[300];
        unlink(f->path);
        snprintf(extra, sizeof(extra), "%s-wal", f->path);
        unlink(extra);
        snprintf(extra, sizeof(extra), "%s-shm", f->path);
        unlink(extra);
    }
    free(f);
    return 0;
}

static json_t *load_doc(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/data/evaluate/%s.json", name);
    json_error_t e;
    json_t *doc = json_load_file(path, 0, &e);
    assert_non_null(doc);
    return doc;
}

static int64_t make_deal(fixture *f, const char *crm_id, bool *created)
{
    hf_deal_rec d;
    memset(&d, 0, sizeof(d));
    d.workspace_id = f->ws;
    d.crm_source = "salesforce";
    d.crm_id = (char *)crm_id;
    d.name = "Acme Logistics - Platform Annual";
    d.account = "Acme Logistics";
    d.owner = "Jane Park";
    d.stage = "Closed Won";
    d.has_amount = true;
    d.amount = 96000;
    d.is_won = true;
    hf_error err;
    assert_int_equal(hf_store_deal_upsert(f->s, &d, created, &err), 0);
    assert_true(d.id > 0);
    return d.id;
}

/* The current document of a stored handoff. */
static json_t *load_doc_of(fixture *f, int64_t id)
{
    hf_handoff_rec h;
    hf_error err;
    assert_int_equal(hf_store_handoff_get(f->s, f->ws, id, &h, &err), 0);
    json_t *doc = json_loads(h.document, 0, NULL);
    assert_non_null(doc);
    hf_handoff_rec_free(&h);
    return doc;
}

static int64_t make_handoff(fixture *f, const char *doc_name, hf_time now)
{
    /* a deal of its own for each handoff: a deal has one */
    static int deals;
    char crm[32];
    snprintf(crm, sizeof(crm), "0067F0000%06d", ++deals);
    bool created;
    int64_t deal = make_deal(f, crm, &created);
    json_t *doc = load_doc(doc_name);
    json_t *d = json_object_get(doc, "deal");
    if (!json_is_object(d)) {
        d = json_object();
        json_object_set_new(doc, "deal", d);
    }
    json_object_set_new(d, "crm_id", json_string(crm));
    hf_handoff_rec h;
    hf_error err;
    int rc = hf_svc_handoff_create(f->svc, who(f, "jane"), doc, "test", now, &h, NULL, &err);
    if (rc)
        fail_msg("create: %s", err.msg);
    json_decref(doc);
    int64_t id = h.id;
    assert_int_equal(h.version, 1);
    assert_int_equal(h.deal_id, deal);
    hf_handoff_rec_free(&h);
    return id;
}

static void test_migrations_applied(void **state)
{
    fixture *f = *state;
    int v = -1;
    hf_error err;
    assert_int_equal(hf_store_schema_version(f->s, &v, &err), 0);
    assert_int_equal(v, hf_store_latest_schema());
    int applied = -1;
    assert_int_equal(hf_store_migrate(f->s, &applied, &err), 0);
    assert_int_equal(applied, 0); /* idempotent */
}

static void test_deal_upsert_keyed_by_crm_id(void **state)
{
    fixture *f = *state;
    bool created;
    int64_t a = make_deal(f, "006-A", &created);
    assert_true(created);
    int64_t b = make_deal(f, "006-A", &created);
    assert_false(created);
    assert_int_equal(a, b);
    hf_deal_rec d;
    hf_error err;
    assert_int_equal(hf_store_deal_get(f->s, f->ws, 0, "006-A", &d, &err), 0);
    assert_string_equal(d.name, "Acme Logistics - Platform Annual");
    assert_true(d.has_amount);
    assert_true(d.amount == 96000);
    hf_deal_rec_free(&d);
    assert_int_equal(hf_store_deal_get(f->s, f->ws, 0, "nope", &d, &err), HF_ENOTFOUND);
}

static void test_handoff_index_columns(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "acme-complete", 1793534400);
    hf_handoff_rec h;
    hf_error err;
    assert_int_equal(hf_store_handoff_get(f->s, f->ws, id, &h, &err), 0);
    assert_int_equal(h.status, HF_STATUS_DRAFT);
    assert_string_equal(h.index.segment, "enterprise");
    assert_string_equal(h.index.owner, "Jane Park");
    assert_string_equal(h.index.csm, "Rui Costa");
    assert_int_equal(h.index.quality_total, 100);
    assert_int_equal(h.index.completeness_d, 1000);
    assert_true(h.index.ready);
    /* T0 = 2026-11-02T15:00:00Z; the first undone SLA is joint_meeting_held */
    assert_int_equal(h.index.t0, 1793631600);
    assert_int_equal(h.index.next_due, 1793631600 + 7 * 86400);
    hf_handoff_rec_free(&h);
}

static void test_put_versions_and_conflict(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "acme-complete", 1793534400);
    hf_error err;
    hf_handoff_rec h;
    json_t *doc = load_doc_of(f, id);
    json_object_set_new(json_object_get(doc, "customer"), "industry", json_string("Freight"));
    assert_int_equal(hf_svc_handoff_write(f->svc, who(f, "rui"), id, 1, HF_WRITE_PUT, NULL, doc,
                                          1793534500, &h, &err),
                     0);
    assert_int_equal(h.version, 2);
    hf_handoff_rec_free(&h);
    json_decref(doc);

    /* a second writer based on version 1 is refused, not merged */
    doc = load_doc_of(f, id);
    json_object_set_new(json_object_get(doc, "customer"), "industry", json_string("Shipping"));
    assert_int_equal(hf_svc_handoff_write(f->svc, who(f, "tom"), id, 1, HF_WRITE_PUT, NULL, doc,
                                          1793534600, NULL, &err),
                     HF_ESTALE);
    assert_non_null(strstr(err.msg, "now at version 2"));
    json_decref(doc);

    /* the same document again makes no new version */
    doc = load_doc_of(f, id);
    json_object_set_new(json_object_get(doc, "customer"), "industry", json_string("Freight"));
    assert_int_equal(hf_svc_handoff_write(f->svc, who(f, "rui"), id, 2, HF_WRITE_PUT, NULL, doc,
                                          1793534700, &h, &err),
                     0);
    assert_int_equal(h.version, 2);
    hf_handoff_rec_free(&h);
    json_decref(doc);

    hf_version_rec v;
    assert_int_equal(hf_store_version_get(f->s, f->ws, id, 2, &v, &err), 0);
    assert_string_equal(v.author, "rui");
    assert_string_equal(v.changed_paths, "[\"customer.industry\"]");
    assert_non_null(strstr(v.document, "\"Freight\""));
    hf_version_rec_free(&v);
    assert_int_equal(hf_store_version_get(f->s, f->ws, id, 1, &v, &err), 0);
    assert_non_null(strstr(v.document, "Freight and logistics"));
    hf_version_rec_free(&v);
    assert_int_equal(hf_store_version_get(f->s, f->ws, id, 9, &v, &err), HF_ENOTFOUND);
}

static void test_invalid_document_refused(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "acme-complete", 1793534400);
    json_t *doc = load_doc("acme-complete");
    json_object_set_new(json_object_get(doc, "meeting"), "held_at", json_string("tuesday"));
    hf_error err;
    assert_int_equal(hf_svc_handoff_write(f->svc, who(f, "x"), id, 1, HF_WRITE_PUT, NULL, doc,
                                          1793534500, NULL, &err),
                     HF_EINVAL);
    assert_string_equal(err.path, "meeting.held_at");
    json_decref(doc);
}

static void test_edit_paths(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "messy", 1793534400);
    const char *sets[] = {"commercial.acv=120000", "churn_risk=high", "deal.name=Acme Corp"};
    hf_handoff_rec h;
    hf_error err;
    assert_int_equal(
        hf_svc_handoff_edit(f->svc, who(f, "jane"), id, 0, sets, 3, 1793534500, &h, &err), 0);
    assert_int_equal(h.version, 2);
    json_t *doc = json_loads(h.document, 0, NULL);
    assert_true(json_is_integer(hf_doc_get(doc, "commercial.acv")));
    assert_string_equal(json_string_value(hf_doc_get(doc, "deal.name")), "Acme Corp");
    json_decref(doc);
    hf_handoff_rec_free(&h);
    const char *bad[] = {"churn_risk=extreme"};
    assert_int_equal(
        hf_svc_handoff_edit(f->svc, who(f, "jane"), id, 0, bad, 1, 1793534500, &h, &err),
        HF_EINVAL);
    assert_string_equal(err.path, "churn_risk");
}

static void test_lifecycle_transitions(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "acme-complete", 1793534400);
    hf_error err;
    assert_int_equal(t_transition(f, id, HF_STATUS_HELD, NULL, NULL, 0, "jane", 1793534500, &err),
                     HF_ESTATE);
    assert_non_null(strstr(err.msg, "draft"));
    assert_int_equal(
        t_transition(f, id, HF_STATUS_SUBMITTED, NULL, NULL, 0, "jane", 1793534500, &err), 0);
    assert_int_equal(
        t_transition(f, id, HF_STATUS_SCHEDULED, NULL, NULL, 0, "jane", 1793534600, &err), 0);
    /* the meeting of the document was held on 2026-11-03: recorded after it */
    assert_int_equal(t_transition(f, id, HF_STATUS_HELD, NULL, NULL, 0, "jane", 1793800000, &err),
                     0);
    const char *reasons[] = {"info_gaps"};
    assert_int_equal(t_transition(f, id, HF_STATUS_REJECTED, "missing ROI", reasons, 1, "dana",
                                  1793800100, &err),
                     0);
    hf_handoff_rec h;
    assert_int_equal(hf_store_handoff_get(f->s, f->ws, id, &h, &err), 0);
    assert_int_equal(h.status, HF_STATUS_REJECTED);
    json_t *doc = json_loads(h.document, 0, NULL);
    json_t *hist = hf_doc_get(doc, "review.history");
    json_t *last = json_array_get(hist, json_array_size(hist) - 1);
    assert_string_equal(json_string_value(json_object_get(last, "decision")), "rejected");
    assert_string_equal(json_string_value(json_array_get(json_object_get(last, "reasons"), 0)),
                        "info_gaps");
    json_decref(doc);
    hf_handoff_rec_free(&h);

    /* a stale status is refused by the store itself */
    assert_int_equal(hf_store_handoff_transition(f->s, f->ws, id, HF_STATUS_HELD,
                                                 HF_STATUS_ACCEPTED, "x", NULL, NULL, 1793534900,
                                                 &err),
                     HF_ECONFLICT);
}

static int count_transition(void *ctx, const hf_transition_rec *t)
{
    int *n = ctx;
    (*n)++;
    if (*n == 1)
        assert_int_equal(t->from, HF_STATUS_COUNT);
    assert_non_null(t->actor);
    return 0;
}

static void test_transition_history(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "acme-complete", 1793534400);
    hf_error err;
    assert_int_equal(
        t_transition(f, id, HF_STATUS_SUBMITTED, NULL, NULL, 0, "jane", 1793534500, &err), 0);
    assert_int_equal(
        t_transition(f, id, HF_STATUS_CANCELLED, "deal lost", NULL, 0, "jane", 1793534600, &err),
        0);
    int n = 0;
    assert_int_equal(hf_store_transition_list(f->s, f->ws, id, count_transition, &n, &err), 0);
    assert_int_equal(n, 3);
}

typedef struct list_ctx {
    int count;
    int64_t last_id;
} list_ctx;

static int collect(void *ctx, const hf_handoff_rec *h)
{
    list_ctx *c = ctx;
    c->count++;
    assert_true(h->id > c->last_id);
    c->last_id = h->id;
    return 0;
}

static void test_list_filters_and_cursor(void **state)
{
    fixture *f = *state;
    make_handoff(f, "acme-complete", 1793534400);         /* enterprise, excellent */
    int64_t messy = make_handoff(f, "messy", 1793534400); /* smb, substandard */
    make_handoff(f, "pre_close", 1793534400);             /* strategic */
    hf_error err;
    hf_handoff_filter flt = {0};
    list_ctx c = {0, 0};
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, &flt, collect, &c, &err), 0);
    assert_int_equal(c.count, 3);

    flt.segment = "smb";
    c = (list_ctx){0, 0};
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, &flt, collect, &c, &err), 0);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.last_id, messy);

    flt = (hf_handoff_filter){.band_mask = 1u << HF_BAND_SUBSTANDARD};
    int64_t n = 0;
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 1);

    flt = (hf_handoff_filter){.owner = "jane.park@vendor.example"};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 3);

    /* at 2026-10-25: messy (kickoff_held due 2026-06-15) and pre_close (joint meeting due
     * 2026-10-23) are overdue; acme-complete is next due on 2026-11-09 */
    flt = (hf_handoff_filter){.overdue_only = true, .now = 1792886400};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 2);

    /* search: the company name, without regard to case, or the deal's CRM id; the LIKE
     * wildcards match only themselves */
    flt = (hf_handoff_filter){.search = "acme LOG"};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 3);
    flt = (hf_handoff_filter){.search = "acme", .segment = "smb"};
    c = (list_ctx){0, 0};
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, &flt, collect, &c, &err), 0);
    assert_int_equal(c.count, 1);
    assert_int_equal(c.last_id, messy);
    flt = (hf_handoff_filter){.search = "0067f0000"};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 3);
    static const char *const none[] = {"%", "_cme", "Acme\\", "nobody", "' OR 1=1 --"};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        flt = (hf_handoff_filter){.search = none[i]};
        assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
        assert_int_equal(n, 0);
    }
    flt = (hf_handoff_filter){.search = ""};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 3);

    flt = (hf_handoff_filter){.limit = 2};
    c = (list_ctx){0, 0};
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, &flt, collect, &c, &err), 0);
    assert_int_equal(c.count, 2);
    flt.after_id = c.last_id;
    c.count = 0;
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, &flt, collect, &c, &err), 0);
    assert_int_equal(c.count, 1);
}

/* ---- counts and lists agree, filter by filter ---- */

typedef struct rec_list {
    hf_handoff_rec v[64];
    int n;
} rec_list;

static int keep_rec(void *ctx, const hf_handoff_rec *h)
{
    rec_list *l = ctx;
    assert_true(l->n < 64);
    l->v[l->n] = *h;
    /* the strings the predicate below reads; the caller frees them */
    hf_handoff_index *ix = &l->v[l->n].index;
    ix->owner = h->index.owner ? strdup(h->index.owner) : NULL;
    ix->owner_email = h->index.owner_email ? strdup(h->index.owner_email) : NULL;
    ix->csm = h->index.csm ? strdup(h->index.csm) : NULL;
    ix->csm_email = h->index.csm_email ? strdup(h->index.csm_email) : NULL;
    ix->company = NULL;
    l->v[l->n].document = NULL;
    l->n++;
    return 0;
}

typedef struct id_list {
    int64_t v[64];
    int n;
    bool ids_only;
} id_list;

static int keep_id(void *ctx, const hf_handoff_rec *h)
{
    id_list *l = ctx;
    assert_true(l->n < 64);
    if (l->ids_only) /* nothing but the id comes with ids_only */
        assert_null(h->index.owner_email);
    l->v[l->n++] = h->id;
    return 0;
}

static bool same_person(const char *filter, const char *name, const char *email)
{
    if (strchr(filter, '@'))
        return email && strcasecmp(filter, email) == 0;
    return name && strcmp(filter, name) == 0;
}

/* What each member of hf_handoff_filter means (store.h), written out over the records. */
static bool filter_keeps(const hf_handoff_filter *f, const hf_handoff_rec *h)
{
    bool final = h->status == HF_STATUS_COMPLETED || h->status == HF_STATUS_CANCELLED;
    const hf_handoff_index *ix = &h->index;
    return (!f->status_mask || (f->status_mask & HF_STATUS_BIT(h->status))) &&
           (!f->segment || strcmp(f->segment, ix->segment) == 0) &&
           (!f->owner || same_person(f->owner, ix->owner, ix->owner_email)) &&
           (!f->csm || same_person(f->csm, ix->csm, ix->csm_email)) &&
           (!f->band_mask || (f->band_mask & (1u << ix->band))) &&
           (!f->trigger || strcmp(f->trigger, ix->trigger) == 0) && (!f->open_only || !final) &&
           (!f->unassigned || !ix->csm_email) &&
           (!f->overdue_only ||
            (ix->next_due != HF_TIME_NONE && ix->next_due < f->now && !final)) &&
           (!f->created_after || h->created_at > f->created_after) &&
           (f->after_id <= 0 || h->id > f->after_id);
}

/* Handoffs that differ in every filtered column: segment, owner, CSM (or none), band
 * (documents of three qualities), status, creation time and next due time. */
static void make_varied(fixture *f, int n)
{
    static const char *const docs[] = {"acme-complete", "messy", "pre_close"};
    static const char *const segs[] = {"strategic", "enterprise", "mid_market", "smb"};
    static const char *const owners[][2] = {{"Jane Park", "jane.park@vendor.example"},
                                            {"Tom Reyes", "tom.reyes@vendor.example"},
                                            {"Ana Lima", "ana.lima@vendor.example"}};
    static const char *const csms[][2] = {{"Rui Costa", "rui.costa@vendor.example"},
                                          {"Sam Lee", "sam.lee@vendor.example"}};
    for (int i = 0; i < n; i++) {
        static int deals;
        char crm[32];
        snprintf(crm, sizeof(crm), "0067V0000%06d", ++deals);
        json_t *doc = load_doc(docs[i % 3]);
        json_t *deal = json_object_get(doc, "deal");
        json_object_set_new(deal, "crm_id", json_string(crm));
        json_object_set_new(deal, "segment", json_string(segs[i % 4]));
        json_t *owner = json_object();
        json_object_set_new(owner, "name", json_string(owners[i % 3][0]));
        json_object_set_new(owner, "email", json_string(owners[i % 3][1]));
        json_object_set_new(deal, "owner", owner);
        json_t *team = json_object_get(doc, "team");
        if (!json_is_object(team)) {
            team = json_object();
            json_object_set_new(doc, "team", team);
        }
        if (i % 5 == 4) {
            json_object_del(team, "csm");
        } else {
            json_t *csm = json_object();
            json_object_set_new(csm, "name", json_string(csms[i % 2][0]));
            json_object_set_new(csm, "email", json_string(csms[i % 2][1]));
            json_object_set_new(team, "csm", csm);
        }
        hf_handoff_rec h;
        hf_error err;
        hf_time at = 1793534400 + (hf_time)i * 86400;
        if (hf_svc_handoff_create(f->svc, who(f, "jane"), doc, "test", at, &h, NULL, &err))
            fail_msg("create %d: %s", i, err.msg);
        json_decref(doc);
        hf_status st = (hf_status)(i % HF_STATUS_COUNT);
        if (st != HF_STATUS_DRAFT)
            assert_int_equal(hf_store_handoff_transition(f->s, f->ws, h.id, HF_STATUS_DRAFT, st,
                                                         "test", NULL, NULL, at, &err),
                             0);
        hf_handoff_rec_free(&h);
    }
}

/* For every filter the product offers (the API's, the CLI's, the web list's, the inbox's,
 * the CSM capacity counts), alone and with a cursor: hf_svc_handoff_count equals the rows
 * hf_svc_handoff_list returns, with and without ids_only, and both equal the handoffs the
 * filter's definition keeps. Run on both backends, so the indexes of migration 6 answer
 * the same as a scan. */
static void test_counts_equal_lists(void **state)
{
    fixture *f = *state;
    make_varied(f, 27);
    hf_error err;
    rec_list all = {.n = 0};
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, NULL, keep_rec, &all, &err), 0);
    assert_int_equal(all.n, 27);
    const hf_time now = 1793534400 + 30 * 86400;
    const hf_handoff_filter filters[] = {
        {0},
        {.status_mask = HF_STATUS_BIT(HF_STATUS_HELD)},
        {.status_mask = HF_STATUS_BIT(HF_STATUS_DRAFT) | HF_STATUS_BIT(HF_STATUS_NEEDS_REVISION) |
                        HF_STATUS_BIT(HF_STATUS_REJECTED)},
        {.segment = "smb"},
        {.segment = "strategic"},
        {.owner = "Tom Reyes"},
        {.owner = "tom.reyes@vendor.example"},
        {.owner = "TOM.Reyes@Vendor.Example"},
        {.csm = "Sam Lee"},
        {.csm = "rui.costa@vendor.example"},
        {.band_mask = 1u << HF_BAND_EXCELLENT},
        {.band_mask = 1u << HF_BAND_SUBSTANDARD},
        {.unassigned = true},
        {.overdue_only = true, .now = now},
        {.open_only = true},
        {.csm = "sam.lee@vendor.example", .open_only = true},
        {.csm = "sam.lee@vendor.example", .created_after = 1793534400 + 10 * 86400},
        {.owner = "jane.park@vendor.example",
         .status_mask = HF_STATUS_BIT(HF_STATUS_DRAFT) | HF_STATUS_BIT(HF_STATUS_NEEDS_REVISION) |
                        HF_STATUS_BIT(HF_STATUS_REJECTED)},
        {.status_mask = HF_STATUS_BIT(HF_STATUS_SCHEDULED), .csm = "rui.costa@vendor.example"},
        {.overdue_only = true, .now = now, .csm = "sam.lee@vendor.example"},
        {.segment = "enterprise", .status_mask = HF_STATUS_BIT(HF_STATUS_SUBMITTED)},
        {.trigger = "verbal_commit"},
        {.trigger = "verbal_commit", .open_only = true},
        {.unassigned = true, .open_only = true},
    };
    int nonempty = 0;
    for (size_t k = 0; k < sizeof(filters) / sizeof(filters[0]); k++) {
        for (int cursor = 0; cursor < 2; cursor++) {
            hf_handoff_filter flt = filters[k];
            if (cursor)
                flt.after_id = all.v[all.n / 2].id;
            int64_t want[64];
            int nwant = 0;
            for (int i = 0; i < all.n; i++)
                if (filter_keeps(&flt, &all.v[i]))
                    want[nwant++] = all.v[i].id;
            int64_t count = -1;
            assert_int_equal(hf_svc_handoff_count(f->svc, who(f, "t"), &flt, &count, &err), 0);
            for (int ids_only = 0; ids_only < 2; ids_only++) {
                id_list got = {.n = 0, .ids_only = ids_only};
                flt.ids_only = ids_only;
                assert_int_equal(
                    hf_svc_handoff_list(f->svc, who(f, "t"), &flt, keep_id, &got, &err), 0);
                if (count != nwant || got.n != nwant)
                    fail_msg("filter %zu%s: count %lld, list %d, expected %d", k,
                             cursor ? " after the cursor" : "", (long long)count, got.n, nwant);
                for (int i = 0; i < nwant; i++)
                    assert_int_equal(got.v[i], want[i]); /* the same rows, in id order */
            }
            nonempty += nwant > 0 && nwant < all.n;
        }
    }
    /* the data exercises the filters: most keep some rows and drop others */
    assert_true(nonempty >= 30);
    /* a page of 2 and the next one */
    hf_handoff_filter page = {.segment = "smb", .limit = 2};
    id_list got = {.n = 0};
    assert_int_equal(hf_svc_handoff_list(f->svc, who(f, "t"), &page, keep_id, &got, &err), 0);
    assert_int_equal(got.n, 2);
    page.after_id = got.v[1];
    id_list next = {.n = 0};
    assert_int_equal(hf_svc_handoff_list(f->svc, who(f, "t"), &page, keep_id, &next, &err), 0);
    int64_t smb = 0;
    hf_handoff_filter c = {.segment = "smb"};
    assert_int_equal(hf_svc_handoff_count(f->svc, who(f, "t"), &c, &smb, &err), 0);
    assert_int_equal(next.n, smb - 2 < 2 ? smb - 2 : 2);
    assert_true(next.v[0] > got.v[1]);
    for (int i = 0; i < all.n; i++)
        hf_handoff_rec_free(&all.v[i]);
}

/* An edit writes only the index columns that change (store_sqlite.c set_index_columns):
 * what is read back is still every column the document gives. */
static void test_edit_updates_changed_index_columns(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "acme-complete", 1793534400);
    hf_error err;
    hf_handoff_rec before, after;
    assert_int_equal(hf_store_handoff_get(f->s, f->ws, id, &before, &err), 0);
    /* nothing indexed changes */
    const char *same[] = {"scope.timeline_weeks=9"};
    assert_int_equal(
        hf_svc_handoff_edit(f->svc, who(f, "jane"), id, 0, same, 1, 1793534500, NULL, &err), 0);
    assert_int_equal(hf_store_handoff_get(f->s, f->ws, id, &after, &err), 0);
    assert_int_equal(after.version, 2);
    assert_string_equal(after.index.segment, before.index.segment);
    assert_string_equal(after.index.csm_email, before.index.csm_email);
    assert_int_equal(after.index.quality_total, before.index.quality_total);
    hf_handoff_rec_free(&after);
    /* the segment, the CSM and the owner's name change; the rest stays */
    const char *moved[] = {"deal.segment=\"smb\"", "team.csm.email=\"sam.lee@vendor.example\"",
                           "team.csm.name=\"Sam Lee\"", "deal.owner.name=\"Jane P.\""};
    assert_int_equal(
        hf_svc_handoff_edit(f->svc, who(f, "jane"), id, 0, moved, 4, 1793534600, NULL, &err), 0);
    assert_int_equal(hf_store_handoff_get(f->s, f->ws, id, &after, &err), 0);
    assert_int_equal(after.version, 3);
    assert_string_equal(after.index.segment, "smb");
    assert_string_equal(after.index.csm_email, "sam.lee@vendor.example");
    assert_string_equal(after.index.csm, "Sam Lee");
    assert_string_equal(after.index.owner, "Jane P.");
    assert_string_equal(after.index.owner_email, before.index.owner_email);
    assert_int_equal(after.index.t0, before.index.t0);
    assert_string_equal(after.index.protocol_version, before.index.protocol_version);
    /* and the filters find it under its new values only */
    int64_t n = -1;
    hf_handoff_filter flt = {.csm = "Sam Lee"};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 1);
    flt = (hf_handoff_filter){.csm = before.index.csm_email};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 0);
    flt = (hf_handoff_filter){.segment = before.index.segment};
    assert_int_equal(hf_store_handoff_count(f->s, f->ws, &flt, &n, &err), 0);
    assert_int_equal(n, 0);
    hf_handoff_rec_free(&before);
    hf_handoff_rec_free(&after);
}

/* ---- migration 6 on a database made by an older version ---- */

static int count_cb(void *ctx, int ncols, const char *const *values)
{
    (void)ncols;
    *(int64_t *)ctx = values[0] ? strtoll(values[0], NULL, 10) : -1;
    return 0;
}

/* How many of the handoffs indexes named in `names` (comma-separated, quoted) exist. */
static int64_t indexes_present(hf_store *s, const char *names)
{
    char sql[512];
    if (strcmp(hf_store_backend(s), "sqlite") == 0)
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN (%s)", names);
    else
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND "
                 "indexname IN (%s)",
                 names);
    int64_t n = -1;
    hf_error err;
    assert_int_equal(hf_store_query(s, sql, 0, NULL, count_cb, &n, NULL, &err), 0);
    return n;
}

#define OLD_ONLY                                                                                   \
    "'handoffs_t0', 'handoffs_quality', 'handoffs_completeness', 'handoffs_next_due', "            \
    "'handoffs_csm_status', 'handoffs_csm_created'"
#define KEPT_OR_NEW                                                                                \
    "'handoffs_workspace', 'handoffs_status', 'handoffs_segment', 'handoffs_owner', "              \
    "'handoffs_owner_email', 'handoffs_csm', 'handoffs_csm_email', 'handoffs_band', "              \
    "'handoffs_deal', 'handoffs_protocol', 'handoffs_open'"

/* A database of schema 5 with handoffs in it, opened by this version: migration 6 applies,
 * drops the old indexes, creates the new ones, and every count and list still answers
 * what it answered before the upgrade. On SQLite a file of its own; on PostgreSQL a schema
 * of its own in the test database (search_path). */
static void test_migration_6_upgrade(void **state)
{
    fixture *f = *state;
    bool sqlite = strcmp(hf_store_backend(f->s), "sqlite") == 0;
    char url[1200], schema[64] = "";
    hf_error err;
    if (sqlite) {
        snprintf(url, sizeof(url), "%s.old", f->path);
        unlink(url);
    } else {
        const char *base = getenv("HANDOFF_TEST_PG");
        snprintf(schema, sizeof(schema), "hf_mig_%d", (int)getpid());
        char sql[128];
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", schema);
        assert_int_equal(hf_store_query(f->s, sql, 0, NULL, NULL, NULL, NULL, &err), 0);
        snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
        assert_int_equal(hf_store_query(f->s, sql, 0, NULL, NULL, NULL, NULL, &err), 0);
        snprintf(url, sizeof(url), "%s%coptions=-csearch_path%%3D%s", base,
                 strchr(base, '?') ? '&' : '?', schema);
    }
    /* the database as version 5 left it */
    hf__store_migrate_limit = 5;
    fixture old = *f;
    int rc = hf_store_open(url, true, &old.s, &err);
    hf__store_migrate_limit = 0;
    if (rc)
        fail_msg("open %s: %s", url, err.msg);
    int v = 0;
    assert_int_equal(hf_store_schema_version(old.s, &v, &err), 0);
    assert_int_equal(v, 5);
    assert_int_equal(indexes_present(old.s, OLD_ONLY), 6);
    assert_int_equal(indexes_present(old.s, "'handoffs_open'"), 0);
    old.ws = 1;
    assert_int_equal(hf_svc_open(old.s, NULL, &old.svc, &err), 0);
    make_varied(&old, 18);
    const hf_handoff_filter probes[] = {
        {0},
        {.overdue_only = true, .now = 1793534400 + 30 * 86400},
        {.open_only = true},
        {.unassigned = true},
        {.csm = "sam.lee@vendor.example", .open_only = true},
        {.owner = "tom.reyes@vendor.example"},
        {.status_mask = HF_STATUS_BIT(HF_STATUS_HELD)},
    };
    enum { NPROBES = sizeof(probes) / sizeof(probes[0]) };
    int64_t before[NPROBES];
    for (int i = 0; i < NPROBES; i++)
        assert_int_equal(hf_store_handoff_count(old.s, 1, &probes[i], &before[i], &err), 0);
    hf_svc_close(old.svc);
    hf_store_close(old.s);

    /* opened by this version */
    hf_store *s;
    assert_int_equal(hf_store_open(url, true, &s, &err), 0);
    assert_int_equal(hf_store_schema_version(s, &v, &err), 0);
    assert_int_equal(v, hf_store_latest_schema());
    assert_int_equal(v, 6);
    assert_int_equal(indexes_present(s, OLD_ONLY), 0);
    assert_int_equal(indexes_present(s, KEPT_OR_NEW), 11);
    for (int i = 0; i < NPROBES; i++) {
        int64_t n = -1;
        id_list got = {.n = 0};
        assert_int_equal(hf_store_handoff_count(s, 1, &probes[i], &n, &err), 0);
        assert_int_equal(hf_store_handoff_list(s, 1, &probes[i], keep_id, &got, &err), 0);
        assert_int_equal(n, before[i]);
        assert_int_equal(got.n, before[i]);
    }
    assert_true(before[0] == 18 && before[1] > 0 && before[2] >= before[1] && before[3] > 0);
    int applied = -1;
    assert_int_equal(hf_store_migrate(s, &applied, &err), 0);
    assert_int_equal(applied, 0);
    hf_store_close(s);
    if (sqlite) {
        char extra[1300];
        unlink(url);
        snprintf(extra, sizeof(extra), "%s-wal", url);
        unlink(extra);
        snprintf(extra, sizeof(extra), "%s-shm", url);
        unlink(extra);
    } else {
        char sql[128];
        snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
        assert_int_equal(hf_store_query(f->s, sql, 0, NULL, NULL, NULL, NULL, &err), 0);
    }
}

/* hf_svc_inbox: what each role sees. */
static void test_inbox(void **state)
{
    fixture *f = *state;
    make_handoff(f, "acme-complete", 1793534400);
    int64_t messy = make_handoff(f, "messy", 1793534400);
    make_handoff(f, "pre_close", 1793534400);
    hf_error err;
    json_t *box = NULL;
    hf_actor rep;
    memset(&rep, 0, sizeof(rep));
    rep.workspace_id = f->ws;
    rep.user_id = 7;
    rep.role = HF_ROLE_ACCOUNT_EXECUTIVE;
    rep.scopes = HF_SCOPE_ALL;
    snprintf(rep.email, sizeof(rep.email), "Jane.Park@vendor.example");
    assert_int_equal(hf_svc_inbox(f->svc, &rep, 1792886400, &box, &err), 0);
    json_t *counts = json_object_get(box, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "to_fill")), 3);
    assert_int_equal(json_array_size(json_object_get(box, "to_review")), 0);
    assert_int_equal(json_array_size(json_object_get(box, "queue")), 0);
    /* the rep's own overdue handoffs: messy (escalated furthest) first */
    json_t *od = json_object_get(box, "overdue");
    assert_int_equal(json_array_size(od), 2);
    json_t *first = json_array_get(od, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "id")), messy);
    assert_true(json_integer_value(json_object_get(first, "escalation")) >= 1);
    assert_non_null(json_string_value(json_object_get(first, "activity")));
    /* the total counts each handoff once: the overdue two are also to fill */
    assert_int_equal(json_integer_value(json_object_get(counts, "total")), 3);
    json_decref(box);

    /* another rep: nothing of Jane's */
    snprintf(rep.email, sizeof(rep.email), "someone.else@vendor.example");
    assert_int_equal(hf_svc_inbox(f->svc, &rep, 1792886400, &box, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(box, "counts"), "total")),
                     0);
    json_decref(box);

    /* a CS manager of no team: drafts are not in the queue yet, nothing to fill */
    rep.role = HF_ROLE_CS_MANAGER;
    assert_int_equal(hf_svc_inbox(f->svc, &rep, 1792886400, &box, &err), 0);
    counts = json_object_get(box, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "to_fill")), 0);
    assert_int_equal(json_integer_value(json_object_get(counts, "queue")), 0);
    json_decref(box);

    /* the system (like RevOps) takes part in everything: both overdue handoffs; the
     * unapproved pre-close handoff is a draft, so nothing to approve */
    assert_int_equal(hf_svc_inbox(f->svc, who(f, "cli"), 1792886400, &box, &err), 0);
    counts = json_object_get(box, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "overdue")), 2);
    assert_int_equal(json_integer_value(json_object_get(counts, "to_approve")), 0);
    json_decref(box);

    /* a viewer has no tasks */
    rep.role = HF_ROLE_VIEWER;
    assert_int_equal(hf_svc_inbox(f->svc, &rep, 1792886400, &box, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(box, "counts"), "total")),
                     0);
    json_decref(box);
}

/* A list longer than the inbox shows: its first 50 by rank (ties by id), each a whole
 * handoff, and the count of all. */
static void test_inbox_long_list(void **state)
{
    fixture *f = *state;
    enum { N = 53 };
    int64_t ids[N];
    for (int i = 0; i < N; i++)
        ids[i] = make_handoff(f, "acme-complete", 1793534400);
    hf_actor rep;
    memset(&rep, 0, sizeof(rep));
    rep.workspace_id = f->ws;
    rep.role = HF_ROLE_ACCOUNT_EXECUTIVE;
    rep.scopes = HF_SCOPE_ALL;
    snprintf(rep.email, sizeof(rep.email), "jane.park@vendor.example");
    hf_error err;
    json_t *box = NULL;
    assert_int_equal(hf_svc_inbox(f->svc, &rep, 1792886400, &box, &err), 0);
    json_t *fill = json_object_get(box, "to_fill");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(box, "counts"), "to_fill")),
                     N);
    assert_int_equal(json_array_size(fill), 50);
    for (size_t i = 0; i < json_array_size(fill); i++) {
        json_t *o = json_array_get(fill, i);
        /* the same deadline for all: by id */
        assert_int_equal(json_integer_value(json_object_get(o, "id")), ids[i]);
        assert_string_equal(json_string_value(json_object_get(o, "status")), "draft");
        assert_string_equal(json_string_value(json_object_get(o, "company")), "Acme Logistics");
        assert_string_equal(json_string_value(json_object_get(o, "owner_email")),
                            "jane.park@vendor.example");
        assert_null(json_object_get(o, "rank"));
    }
    assert_int_equal(json_integer_value(json_object_get(json_object_get(box, "counts"), "total")),
                     N);
    json_decref(box);
}

/* hf_svc_meeting_required: the pinned protocol's roles for the deal's segment;
 * hf_svc_may_administer: RevOps and the system. */
static void test_meeting_required_and_admin(void **state)
{
    fixture *f = *state;
    int64_t ent = make_handoff(f, "acme-complete", 1793534400); /* enterprise: the default */
    int64_t strat = make_handoff(f, "pre_close", 1793534400);   /* strategic */
    hf_error err;
    unsigned roles = 0;
    int ae = hf_attendee_role_index("account_executive"), csm = hf_attendee_role_index("csm");
    int mgr = hf_attendee_role_index("cs_manager");
    assert_int_equal(hf_svc_meeting_required(f->svc, who(f, "cli"), ent, &roles, &err), 0);
    assert_int_equal(roles, (1u << ae) | (1u << csm));
    assert_int_equal(hf_svc_meeting_required(f->svc, who(f, "cli"), strat, &roles, &err), 0);
    assert_int_equal(roles, (1u << ae) | (1u << csm) | (1u << mgr));
    assert_int_equal(hf_svc_meeting_required(f->svc, who(f, "cli"), 999999, &roles, &err),
                     HF_ENOTFOUND);

    hf_actor a;
    memset(&a, 0, sizeof(a));
    a.workspace_id = f->ws;
    a.scopes = HF_SCOPE_ALL;
    a.role = HF_ROLE_REVOPS;
    assert_true(hf_svc_may_administer(&a));
    a.via_token = true;
    a.scopes = HF_SCOPE_READ;
    assert_false(hf_svc_may_administer(&a));
    a.via_token = false;
    a.scopes = HF_SCOPE_ALL;
    a.role = HF_ROLE_CS_MANAGER;
    assert_false(hf_svc_may_administer(&a));
    assert_true(hf_svc_may_administer(who(f, "cli")));
}

static void test_workspaces_are_isolated(void **state)
{
    fixture *f = *state;
    int64_t id = make_handoff(f, "acme-complete", 1793534400);
    hf_handoff_rec h;
    hf_error err;
    assert_int_equal(hf_store_handoff_get(f->s, f->ws + 1, id, &h, &err), HF_ENOTFOUND);
}

static void test_group_transaction_rollback(void **state)
{
    fixture *f = *state;
    hf_error err;
    assert_int_equal(hf_store_begin(f->s, &err), 0);
    bool created;
    make_deal(f, "rolled-back", &created);
    hf_store_rollback(f->s);
    hf_deal_rec d;
    assert_int_equal(hf_store_deal_get(f->s, f->ws, 0, "rolled-back", &d, &err), HF_ENOTFOUND);
}

static int count_user(void *ctx, const hf_user_rec *u)
{
    (void)u;
    (*(int *)ctx)++;
    return 0;
}

static void test_users_teams_tokens_sessions(void **state)
{
    fixture *f = *state;
    hf_error err;
    hf_team_rec t = {0, f->ws, "CS North", "cs", 0};
    assert_int_equal(hf_store_team_create(f->s, &t, &err), 0);
    assert_true(t.id > 0);
    hf_user_rec u = {0};
    u.workspace_id = f->ws;
    u.email = "rui@vendor.example";
    u.name = "Rui Costa";
    u.role = HF_ROLE_CSM;
    u.team_id = t.id;
    u.capacity = 25;
    u.password_hash = "$argon2id$fake";
    u.active = true;
    assert_int_equal(hf_store_user_create(f->s, &u, &err), 0);
    int64_t uid = u.id;
    assert_true(uid > 0);
    assert_int_equal(hf_store_user_create(f->s, &u, &err), HF_ECONFLICT);
    hf_user_rec got;
    assert_int_equal(hf_store_user_get(f->s, f->ws, 0, "rui@vendor.example", &got, &err), 0);
    assert_int_equal(got.id, uid);
    assert_int_equal(got.role, HF_ROLE_CSM);
    assert_int_equal(got.team_id, t.id);
    assert_int_equal(got.capacity, 25);
    got.capacity = 30;
    got.active = false;
    assert_int_equal(hf_store_user_update(f->s, &got, &err), 0);
    hf_user_rec_free(&got);
    assert_int_equal(hf_store_user_get(f->s, f->ws, uid, NULL, &got, &err), 0);
    assert_int_equal(got.capacity, 30);
    assert_false(got.active);
    hf_user_rec_free(&got);
    int n = 0;
    assert_int_equal(hf_store_user_list(f->s, f->ws, count_user, &n, &err), 0);
    assert_int_equal(n, 1);

    char prefix[32];
    snprintf(prefix, sizeof(prefix), "p%lld", (long long)f->ws);
    hf_token_rec tok = {0};
    tok.workspace_id = f->ws;
    tok.user_id = uid;
    tok.name = "crm";
    tok.prefix = prefix;
    tok.secret_hash = "$argon2id$secret";
    tok.scopes = "gate";
    tok.created_at = 1793534400;
    tok.expires_at = HF_TIME_NONE;
    assert_int_equal(hf_store_token_create(f->s, &tok, &err), 0);
    hf_token_rec tg;
    assert_int_equal(hf_store_token_get(f->s, prefix, &tg, &err), 0);
    assert_string_equal(tg.scopes, "gate");
    assert_true(tg.revoked_at == HF_TIME_NONE);
    hf_token_rec_free(&tg);
    assert_int_equal(hf_store_token_revoke(f->s, f->ws, tok.id, 1793534500, &err), 0);
    assert_int_equal(hf_store_token_get(f->s, prefix, &tg, &err), 0);
    assert_int_equal(tg.revoked_at, 1793534500);
    hf_token_rec_free(&tg);
    assert_int_equal(hf_store_token_get(f->s, "nope", &tg, &err), HF_ENOTFOUND);

    char idh[64];
    snprintf(idh, sizeof(idh), "h%lld", (long long)f->ws);
    hf_session_rec sess = {idh, uid, f->ws, "csrf-token", 1793534400, 1793563200, "tag-1"};
    assert_int_equal(hf_store_session_create(f->s, &sess, &err), 0);
    hf_session_rec sg;
    assert_int_equal(hf_store_session_get(f->s, idh, &sg, &err), 0);
    assert_string_equal(sg.csrf, "csrf-token");
    assert_int_equal(sg.user_id, uid);
    assert_string_equal(sg.credential_tag, "tag-1");
    hf_session_rec_free(&sg);
    assert_int_equal(hf_store_session_delete(f->s, idh, &err), 0);
    assert_int_equal(hf_store_session_get(f->s, idh, &sg, &err), HF_ENOTFOUND);

    /* every session of one user ends at once; another user's stays */
    hf_user_rec other = u;
    other.email = "ana@vendor.example";
    assert_int_equal(hf_store_user_create(f->s, &other, &err), 0);
    char h1[64], h2[64], h3[64];
    snprintf(h1, sizeof(h1), "a%lld", (long long)f->ws);
    snprintf(h2, sizeof(h2), "b%lld", (long long)f->ws);
    snprintf(h3, sizeof(h3), "c%lld", (long long)f->ws);
    hf_session_rec s1 = {h1, uid, f->ws, "x", 1793534400, 1793563200, NULL};
    hf_session_rec s2 = {h2, uid, f->ws, "x", 1793534400, 1793563200, "t"};
    hf_session_rec s3 = {h3, other.id, f->ws, "x", 1793534400, 1793563200, "t"};
    assert_int_equal(hf_store_session_create(f->s, &s1, &err), 0);
    assert_int_equal(hf_store_session_create(f->s, &s2, &err), 0);
    assert_int_equal(hf_store_session_create(f->s, &s3, &err), 0);
    assert_int_equal(hf_store_session_get(f->s, h1, &sg, &err), 0);
    assert_null(sg.credential_tag);
    hf_session_rec_free(&sg);
    assert_int_equal(hf_store_session_delete_user(f->s, f->ws, uid, &err), 0);
    assert_int_equal(hf_store_session_get(f->s, h1, &sg, &err), HF_ENOTFOUND);
    assert_int_equal(hf_store_session_get(f->s, h2, &sg, &err), HF_ENOTFOUND);
    assert_int_equal(hf_store_session_get(f->s, h3, &sg, &err), 0);
    assert_int_equal(sg.user_id, other.id);
    hf_session_rec_free(&sg);
    assert_int_equal(hf_store_session_delete_user(f->s, f->ws, uid, &err), 0);
    /* the user id is taken within its workspace only */
    assert_int_equal(hf_store_session_delete_user(f->s, f->ws + 1, other.id, &err), 0);
    assert_int_equal(hf_store_session_get(f->s, h3, &sg, &err), 0);
    hf_session_rec_free(&sg);
}

/* The lockout's counters: fixed windows per full key, one attempt counted per call, never
 * a live counter dropped to make room (the store fails closed instead), ended windows
 * evicted oldest first. The keys carry the workspace of the fixture, so that the suites
 * sharing one PostgreSQL database do not count each other's attempts. */
static void test_login_attempts(void **state)
{
    fixture *f = *state;
    hf_error err;
    char a[64], b[64], c[64], d[64];
    snprintf(a, sizeof(a), "acct-%lld", (long long)f->ws);
    snprintf(b, sizeof(b), "addr-%lld", (long long)f->ws);
    snprintf(c, sizeof(c), "late-%lld", (long long)f->ws);
    snprintf(d, sizeof(d), "next-%lld", (long long)f->ws);
    const hf_time t0 = 1793534400;
    const int window = 900, big = 1000000;
    int n = -1;
    for (int i = 1; i <= 7; i++) {
        assert_int_equal(hf_store_login_attempt_add(f->s, a, t0 + i, window, big, &n, &err), 0);
        assert_int_equal(n, i);
    }
    /* another key counts alone, even one that shares a long prefix */
    assert_int_equal(hf_store_login_attempt_add(f->s, b, t0, window, big, &n, &err), 0);
    assert_int_equal(n, 1);
    /* taking back one attempt, then forgetting the key */
    assert_int_equal(hf_store_login_attempt_release(f->s, a, false, &err), 0);
    assert_int_equal(hf_store_login_attempt_add(f->s, a, t0 + 10, window, big, &n, &err), 0);
    assert_int_equal(n, 7);
    assert_int_equal(hf_store_login_attempt_release(f->s, a, true, &err), 0);
    assert_int_equal(hf_store_login_attempt_add(f->s, a, t0 + 11, window, big, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(hf_store_login_attempt_release(f->s, "no-such-key", false, &err), 0);
    assert_int_equal(hf_store_login_attempt_release(f->s, "no-such-key", true, &err), 0);
    /* the window of `a` started at t0 + 11: still live at its last second, new after it */
    assert_int_equal(
        hf_store_login_attempt_add(f->s, a, t0 + 11 + window - 1, window, big, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(hf_store_login_attempt_add(f->s, a, t0 + 11 + window, window, big, &n, &err),
                     0);
    assert_int_equal(n, 1);

    /* full: a new key is refused while every counter is live, and nothing is counted;
     * known keys go on counting */
    n = -1;
    assert_int_equal(hf_store_login_attempt_add(f->s, c, t0 + 20, window, 1, &n, &err), HF_ENOMEM);
    assert_int_equal(n, 0);
    assert_int_equal(hf_store_login_attempt_add(f->s, c, t0 + 21, window, 1, &n, &err), HF_ENOMEM);
    assert_int_equal(hf_store_login_attempt_add(f->s, b, t0 + 22, window, 1, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(hf_store_login_attempt_add(f->s, c, t0 + 23, window, big, &n, &err), 0);
    assert_int_equal(n, 1);
    /* once every window has ended, the oldest are evicted to make room: far in the future,
     * with room for two rows, a new key gets in */
    const hf_time later = t0 + 100 * window;
    assert_int_equal(hf_store_login_attempt_add(f->s, d, later, window, 2, &n, &err), 0);
    assert_int_equal(n, 1);
    /* `b` ended long ago and was evicted (or restarts): it counts from 1 */
    assert_int_equal(hf_store_login_attempt_add(f->s, b, later, window, big, &n, &err), 0);
    assert_int_equal(n, 1);
}

static int check_documents(void *ctx, const hf_handoff_rec *h)
{
    bool want = *(bool *)ctx;
    if (want)
        assert_non_null(strstr(h->document, "\"customer\""));
    else
        assert_null(h->document);
    return 0;
}

static void test_list_with_and_without_documents(void **state)
{
    fixture *f = *state;
    make_handoff(f, "acme-complete", 1793534400);
    hf_error err;
    bool want = false;
    hf_handoff_filter flt = {0};
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, &flt, check_documents, &want, &err), 0);
    want = true;
    flt.with_documents = true;
    assert_int_equal(hf_store_handoff_list(f->s, f->ws, &flt, check_documents, &want, &err), 0);
}

/* The version in force on a day: the latest effective day not after it, then the latest
 * installation, then the greatest version; none before the first effective day. */
static void test_protocol_in_force(void **state)
{
    fixture *f = *state;
    hf_error err;
    char v[64];
    struct {
        const char *version;
        int64_t day;
        hf_time at;
    } rows[] = {
        {"2027.1", 20000, 1000}, /* the latest effective day */
        {"2026.9", 19990, 3000}, /* installed later, effective earlier */
        {"2026.5", 19980, 500},  /* the same day as 2026.6 and 2026.7: installed first */
        {"2026.6", 19980, 900},  /* installed last on that day */
        {"2026.7", 19980, 900},  /* the same second as 2026.6: the greater version */
        {"2028.1", 20100, 100},  /* not yet in force on the days asked */
    };
    assert_int_equal(hf_store_protocol_in_force(f->s, f->ws, 20000, v, sizeof(v), &err),
                     HF_ENOTFOUND);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        hf_protocol_rec r = {(char *)rows[i].version,      rows[i].day, (char *)"{}",
                             (char *)"ops@vendor.example", rows[i].at,  0};
        assert_int_equal(hf_store_protocol_install(f->s, f->ws, &r, &err), 0);
    }
    assert_int_equal(hf_store_protocol_in_force(f->s, f->ws, 19979, v, sizeof(v), &err),
                     HF_ENOTFOUND);
    assert_int_equal(hf_store_protocol_in_force(f->s, f->ws, 19980, v, sizeof(v), &err), 0);
    assert_string_equal(v, "2026.7");
    assert_int_equal(hf_store_protocol_in_force(f->s, f->ws, 19995, v, sizeof(v), &err), 0);
    assert_string_equal(v, "2026.9");
    assert_int_equal(hf_store_protocol_in_force(f->s, f->ws, 20050, v, sizeof(v), &err), 0);
    assert_string_equal(v, "2027.1");
    assert_int_equal(hf_store_protocol_in_force(f->s, f->ws, 20100, v, sizeof(v), &err), 0);
    assert_string_equal(v, "2028.1");
    /* another workspace sees none of them */
    assert_int_equal(hf_store_protocol_in_force(f->s, f->ws + 1, 20100, v, sizeof(v), &err),
                     HF_ENOTFOUND);
}

#define STORE_TESTS(setup)                                                                         \
    cmocka_unit_test_setup_teardown(test_migrations_applied, setup, teardown),                     \
        cmocka_unit_test_setup_teardown(test_deal_upsert_keyed_by_crm_id, setup, teardown),        \
        cmocka_unit_test_setup_teardown(test_handoff_index_columns, setup, teardown),              \
        cmocka_unit_test_setup_teardown(test_put_versions_and_conflict, setup, teardown),          \
        cmocka_unit_test_setup_teardown(test_invalid_document_refused, setup, teardown),           \
        cmocka_unit_test_setup_teardown(test_edit_paths, setup, teardown),                         \
        cmocka_unit_test_setup_teardown(test_lifecycle_transitions, setup, teardown),              \
        cmocka_unit_test_setup_teardown(test_transition_history, setup, teardown),                 \
        cmocka_unit_test_setup_teardown(test_list_filters_and_cursor, setup, teardown),            \
        cmocka_unit_test_setup_teardown(test_counts_equal_lists, setup, teardown),                 \
        cmocka_unit_test_setup_teardown(test_edit_updates_changed_index_columns, setup, teardown), \
        cmocka_unit_test_setup_teardown(test_migration_6_upgrade, setup, teardown),                \
        cmocka_unit_test_setup_teardown(test_inbox, setup, teardown),                              \
        cmocka_unit_test_setup_teardown(test_inbox_long_list, setup, teardown),                    \
        cmocka_unit_test_setup_teardown(test_meeting_required_and_admin, setup, teardown),         \
        cmocka_unit_test_setup_teardown(test_workspaces_are_isolated, setup, teardown),            \
        cmocka_unit_test_setup_teardown(test_group_transaction_rollback, setup, teardown),         \
        cmocka_unit_test_setup_teardown(test_users_teams_tokens_sessions, setup, teardown),        \
        cmocka_unit_test_setup_teardown(test_list_with_and_without_documents, setup, teardown),    \
        cmocka_unit_test_setup_teardown(test_protocol_in_force, setup, teardown),                  \
        cmocka_unit_test_setup_teardown(test_login_attempts, setup, teardown)

int main(void)
{
    const struct CMUnitTest sqlite_tests[] = {STORE_TESTS(setup_sqlite)};
    const struct CMUnitTest pg_tests[] = {STORE_TESTS(setup_pg)};
    int failed = cmocka_run_group_tests_name("store_sqlite", sqlite_tests, NULL, NULL);
    const char *no_pg = getenv("HANDOFF_TEST_NO_PG");
    if (no_pg && strcmp(no_pg, "1") == 0)
        fprintf(stderr, "# PostgreSQL suite not run: HANDOFF_TEST_NO_PG=1\n");
    else
        failed += cmocka_run_group_tests_name("store_postgresql", pg_tests, NULL, NULL);
    hf_tz_cache_clear();
    return failed;
}
