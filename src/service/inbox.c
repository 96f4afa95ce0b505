/* The inbox: what needs the actor now, by role (SPEC §1, §2, §6), most urgent first.
 *
 * Each list is one filtered query on the index columns (documents are read only where a
 * list needs a field the index does not keep), then the actor's rights decide what stays:
 * the same hf_svc_may() that guards the operations, so the inbox never shows a task the
 * actor could not do. To fill, to decide and the queue are ranked from the index columns
 * as the query returns them; to approve, the meetings and the overdue read each match's
 * document (the overdue evaluate it: the worst late line ranks it). Every match is counted;
 * only the first INBOX_MAX of a list become JSON. */
#include "service/svc_int.h"

#include <stdlib.h>
#include <string.h>

/* Most items one list returns; its count is the whole number. */
#define INBOX_MAX 50
#define WEEK (7 * 24 * 3600)

/* Which rows of a list go on to be read whole (NULL: all). */
typedef bool (*keep_fn)(hf_svc *svc, const hf_actor *a, const hf_handoff_rec *h);

typedef struct ids {
    int64_t *v;
    size_t n, cap;
    hf_svc *svc;
    const hf_actor *a;
    keep_fn keep;
} ids;

static int collect_id(void *ctx, const hf_handoff_rec *h)
{
    ids *l = ctx;
    if (l->keep && !l->keep(l->svc, l->a, h))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        int64_t *v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return HF_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = h->id;
    return 0;
}

/* One item of a list: its rank (smaller: more urgent), the handoff's id, and the fields
 * the list adds to the handoff's JSON (NULL: none). The JSON itself is made only for the
 * items a list shows (finish), so a list of 100,000 matches builds 50. */
typedef struct item {
    double rank;
    int64_t id;
    json_t *extra;
} item;

typedef struct items {
    item *v;
    size_t n, cap;
} items;

/* Takes the reference of `extra`, also on failure. */
static int push(items *l, double rank, int64_t id, json_t *extra)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        item *v = realloc(l->v, cap * sizeof(*v));
        if (!v) {
            json_decref(extra);
            return HF_ENOMEM;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (item){rank, id, extra};
    return 0;
}

static int by_rank(const void *x, const void *y)
{
    const item *a = x, *b = y;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Sort; the first INBOX_MAX as JSON in `out` under `key` (each handoff read again, in the
 * inbox's transaction); the count under counts.key. */
static int finish(hf_svc *svc, const hf_actor *a, items *l, json_t *out, json_t *counts,
                  const char *key, hf_error *err)
{
    int rc = 0;
    if (l->n)
        qsort(l->v, l->n, sizeof(item), by_rank);
    json_t *arr = json_array();
    for (size_t i = 0; i < l->n; i++) {
        if (i < INBOX_MAX && !rc) {
            hf_handoff_rec h;
            rc = hf_store_handoff_get(svc->s, SVC_WS(a), l->v[i].id, &h, err);
            if (!rc) {
                json_t *o = hf_svc_handoff_json(&h, false);
                if (l->v[i].extra)
                    json_object_update(o, l->v[i].extra);
                json_array_append_new(arr, o);
                hf_handoff_rec_free(&h);
            }
        }
        json_decref(l->v[i].extra);
    }
    json_object_set_new(out, key, arr);
    json_object_set_new(counts, key, json_integer((json_int_t)l->n));
    free(l->v);
    memset(l, 0, sizeof(*l));
    return rc;
}

static int by_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* How many different handoffs the n lists hold. */
static json_int_t distinct(const items *const *lists, size_t n)
{
    size_t all = 0;
    for (size_t i = 0; i < n; i++)
        all += lists[i]->n;
    if (!all)
        return 0;
    int64_t *v = malloc(all * sizeof(*v));
    if (!v) { /* out of memory: the largest list is a lower bound */
        size_t most = 0;
        for (size_t i = 0; i < n; i++)
            most = lists[i]->n > most ? lists[i]->n : most;
        return (json_int_t)most;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < lists[i]->n; j++)
            v[k++] = lists[i]->v[j].id;
    qsort(v, all, sizeof(*v), by_id);
    json_int_t count = 1;
    for (size_t i = 1; i < all; i++)
        count += v[i] != v[i - 1];
    free(v);
    return count;
}

/* The actor takes part in the handoff: its seller (or their manager), its CSM, a CS
 * manager who staffs or decides it, RevOps. */
static bool involved(hf_svc *svc, const hf_actor *a, const hf_handoff_rec *h)
{
    return hf_svc_may(svc, a, HF_ACTION_SALES, h) || hf_svc_may(svc, a, HF_ACTION_REVIEW, h) ||
           hf_svc_may(svc, a, HF_ACTION_COMPLETE, h);
}

/* A pre-close handoff a CS lead may approve, as far as the index tells (the approval itself
 * is in the document). */
static bool approvable(hf_svc *svc, const hf_actor *a, const hf_handoff_rec *h)
{
    return h->status != HF_STATUS_DRAFT && hf_svc_may(svc, a, HF_ACTION_REVIEW, h);
}

/* The check of involved() on the index columns, before a row is read whole. None where
 * every row passes: RevOps and the system take part in everything, and a list narrow()
 * kept to the actor's own handoffs holds nothing else. */
static keep_fn involved_check(const hf_actor *a, bool narrowed)
{
    return a->is_system || a->role == HF_ROLE_REVOPS || narrowed ? NULL : involved;
}

static double due_rank(const hf_handoff_rec *h)
{
    return h->index.next_due == HF_TIME_NONE || hf_status_is_final(h->status)
               ? 1e18
               : (double)h->index.next_due;
}

static hf_time doc_time(const json_t *doc, const char *path)
{
    const json_t *v = hf_doc_get(doc, path);
    hf_time t;
    if (json_is_string(v) && hf_time_parse_rfc3339(json_string_value(v), json_string_length(v), &t))
        return t;
    return HF_TIME_NONE;
}

/* The ids of the handoffs of `f` that `keep` takes, in id order, for lists that read each
 * one whole afterwards. Without `keep` only the ids are read (reading every column of every
 * match twice cost the inbox 10-18x what the ids alone cost, at 20,000 handoffs); with it,
 * the index columns it decides on, so that the rows it drops are never read whole. */
static int query(hf_svc *svc, const hf_actor *a, const hf_handoff_filter *f, keep_fn keep, ids *out,
                 hf_error *err)
{
    out->n = 0;
    out->svc = svc;
    out->a = a;
    out->keep = keep;
    hf_handoff_filter g = *f;
    g.ids_only = keep == NULL;
    return hf_store_handoff_list(svc->s, SVC_WS(a), &g, collect_id, out, err);
}

/* The lists whose rank and rights the index columns give (to fill, to decide, the
 * queue): one query, each match checked as it is read, no document read. */
enum { FROM_INDEX_FILL, FROM_INDEX_REVIEW, FROM_INDEX_QUEUE };
typedef struct from_index {
    hf_svc *svc;
    const hf_actor *a;
    int list;
    items *out;
} from_index;

static int from_index_row(void *ctx, const hf_handoff_rec *h)
{
    const from_index *c = ctx;
    switch (c->list) {
    case FROM_INDEX_FILL: /* returned first, then by deadline */
        if (!hf_svc_may(c->svc, c->a, HF_ACTION_SALES, h))
            return 0;
        return push(c->out, (h->status == HF_STATUS_DRAFT ? 2e18 : 0) + due_rank(h), h->id, NULL);
    case FROM_INDEX_REVIEW:
        return hf_svc_may(c->svc, c->a, HF_ACTION_REVIEW, h)
                   ? push(c->out, due_rank(h), h->id, NULL)
                   : 0;
    default: /* the queue: a draft is not staffed yet */
        return h->status != HF_STATUS_DRAFT && hf_svc_may(c->svc, c->a, HF_ACTION_ASSIGN, h)
                   ? push(c->out, due_rank(h), h->id, NULL)
                   : 0;
    }
}

static int query_index(hf_svc *svc, const hf_actor *a, const hf_handoff_filter *f, int list,
                       items *out, hf_error *err)
{
    from_index c = {svc, a, list, out};
    return hf_store_handoff_list(svc->s, SVC_WS(a), f, from_index_row, &c, err);
}

/* Narrow `f` to the handoffs `a` can be involved() in, where one indexed column says so: a
 * rep acts only on the handoffs of their deals, a CSM only on those assigned to them
 * (hf_svc_may), so their lists cost what their own handoffs number, not the workspace's.
 * Managers, RevOps and the system act across people: their rows are checked one by one.
 * Returns whether it narrowed. */
static bool narrow(const hf_actor *a, hf_handoff_filter *f)
{
    if (a->is_system || !strchr(a->email, '@'))
        return false;
    if (a->role == HF_ROLE_ACCOUNT_EXECUTIVE)
        f->owner = a->email;
    else if (a->role == HF_ROLE_CSM)
        f->csm = a->email;
    else
        return false;
    return true;
}

static int inbox_body(hf_svc *svc, const hf_actor *a, hf_time now, json_t *out, hf_error *err)
{
    json_t *counts = json_object();
    json_object_set_new(out, "counts", counts);
    items fill = {0}, review = {0}, approve = {0}, meetings = {0}, overdue = {0}, queue = {0};
    ids l = {0};
    hf_handoff_filter f;
    int rc = 0;
    bool sales = a->role == HF_ROLE_ACCOUNT_EXECUTIVE || a->role == HF_ROLE_SALES_MANAGER;
    bool cs_lead = a->role == HF_ROLE_CS_MANAGER || a->role == HF_ROLE_REVOPS || a->is_system;

    /* to fill and to correct: the seller's drafts and the handoffs sent back */
    if (sales) {
        memset(&f, 0, sizeof(f));
        f.status_mask = HF_STATUS_BIT(HF_STATUS_DRAFT) | HF_STATUS_BIT(HF_STATUS_NEEDS_REVISION) |
                        HF_STATUS_BIT(HF_STATUS_REJECTED);
        narrow(a, &f);
        rc = query_index(svc, a, &f, FROM_INDEX_FILL, &fill, err);
    }

    /* to decide (held meetings) and pre-close handoffs to approve; the unassigned queue:
     * one query each, so that only the handoffs that may belong to a list are read (one
     * query over every open handoff read them all) */
    if (!rc && cs_lead) {
        memset(&f, 0, sizeof(f));
        f.status_mask = HF_STATUS_BIT(HF_STATUS_HELD);
        rc = query_index(svc, a, &f, FROM_INDEX_REVIEW, &review, err);
    }
    if (!rc && cs_lead) {
        memset(&f, 0, sizeof(f));
        f.open_only = true;
        f.trigger = "verbal_commit";
        rc = query(svc, a, &f, approvable, &l, err);
        for (size_t i = 0; !rc && i < l.n; i++) {
            hf_handoff_rec h;
            if ((rc = hf_store_handoff_get(svc->s, SVC_WS(a), l.v[i], &h, err)))
                break;
            json_t *doc = NULL;
            if ((rc = svc__document(&h, &doc, err)) == 0 &&
                !hf_value_is_filled(hf_doc_get(doc, "deal.pre_close_approved_by")))
                rc = push(&approve, due_rank(&h), h.id, NULL);
            json_decref(doc);
            hf_handoff_rec_free(&h);
        }
    }
    if (!rc && cs_lead) {
        memset(&f, 0, sizeof(f));
        f.open_only = true;
        f.unassigned = true;
        rc = query_index(svc, a, &f, FROM_INDEX_QUEUE, &queue, err);
    }

    /* meetings in the next seven days */
    if (!rc && a->role != HF_ROLE_VIEWER) {
        memset(&f, 0, sizeof(f));
        f.status_mask = HF_STATUS_BIT(HF_STATUS_SCHEDULED);
        bool narrowed = narrow(a, &f);
        rc = query(svc, a, &f, involved_check(a, narrowed), &l, err);
        for (size_t i = 0; !rc && i < l.n; i++) {
            hf_handoff_rec h;
            if ((rc = hf_store_handoff_get(svc->s, SVC_WS(a), l.v[i], &h, err)))
                break;
            json_t *doc = NULL;
            if ((rc = svc__document(&h, &doc, err)) == 0) {
                hf_time at = doc_time(doc, "meeting.scheduled_for");
                if (at != HF_TIME_NONE && at >= now - 24 * 3600 && at <= now + WEEK) {
                    json_t *o = json_object();
                    json_object_set_new(o, "scheduled_for", hf_svc_time_json(at));
                    const json_t *d = hf_doc_get(doc, "meeting.duration_minutes");
                    if (json_is_integer(d))
                        json_object_set(o, "duration_minutes", (json_t *)d);
                    rc = push(&meetings, (double)at, h.id, o);
                }
            }
            json_decref(doc);
            hf_handoff_rec_free(&h);
        }
    }

    /* SLAs past due, the highest escalation first */
    if (!rc && a->role != HF_ROLE_VIEWER) {
        memset(&f, 0, sizeof(f));
        f.overdue_only = true;
        f.now = now;
        bool narrowed = narrow(a, &f);
        rc = query(svc, a, &f, involved_check(a, narrowed), &l, err);
        for (size_t i = 0; !rc && i < l.n; i++) {
            hf_handoff_rec h;
            if ((rc = hf_store_handoff_get(svc->s, SVC_WS(a), l.v[i], &h, err)))
                break;
            hf_evaluation ev;
            if ((rc = svc__evaluate(svc, &h, now, &ev, err)) == 0) {
                const hf_sla_line *worst = NULL;
                for (size_t k = 0; k < ev.sla_count; k++) {
                    const hf_sla_line *s = &ev.sla[k];
                    if (s->status != HF_SLA_OVERDUE)
                        continue;
                    if (!worst || s->escalation > worst->escalation ||
                        (s->escalation == worst->escalation && s->due < worst->due))
                        worst = s;
                }
                if (worst) {
                    json_t *o = json_object();
                    json_object_set_new(o, "activity",
                                        json_string(hf_activity_name(worst->activity)));
                    json_object_set_new(o, "due", hf_svc_time_json(worst->due));
                    json_object_set_new(o, "escalation", json_integer(worst->escalation));
                    rc = push(&overdue, (double)(3 - worst->escalation) * 1e12 + (double)worst->due,
                              h.id, o);
                }
                hf_evaluation_free(&ev);
            }
            hf_handoff_rec_free(&h);
        }
    }
    free(l.v);
    /* the total counts each handoff once, however many lists it is on (a draft past its
     * deadline is both to fill and overdue) */
    json_int_t total =
        distinct((const items *[]){&fill, &review, &approve, &meetings, &overdue, &queue}, 6);
    struct {
        items *l;
        const char *key;
    } lists[] = {{&fill, "to_fill"},      {&review, "to_review"}, {&approve, "to_approve"},
                 {&meetings, "meetings"}, {&overdue, "overdue"},  {&queue, "queue"}};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        int r = finish(svc, a, lists[i].l, out, counts, lists[i].key, err);
        rc = rc ? rc : r;
    }
    json_object_set_new(counts, "total", json_integer(total));
    return rc;
}

int hf_svc_inbox(hf_svc *svc, const hf_actor *a, hf_time now, json_t **out, hf_error *err)
{
    *out = NULL;
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    if ((rc = svc__begin(svc, err)))
        return rc;
    json_t *o = json_object();
    rc = svc__end(svc, inbox_body(svc, a, now, o, err), err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}
