/* Handoff operations of the service layer: create (one handoff per deal), read, list,
 * write the document (put, merge patch, one section, path assignments) with the version
 * check and the protected fields, evaluate under the pinned protocol, the close gate,
 * history and diffs, deals, and re-pinning to another protocol version. */
#include "service/svc_int.h"

#include "handoff/jsondiff.h"

#include <stdlib.h>
#include <string.h>

/* ---- limits ---- */

int svc__check_limits(const json_t *doc, const hf_actor *a, hf_error *err)
{
    hf_doc_limits l;
    hf_doc_limits_default(&l);
    int rc = hf_document_check_limits(doc, &l, err);
    if (rc && err && err->msgid && a->lang != HF_LANG_EN) {
        char text[HF_ERROR_MSG_MAX];
        hf_svc_error_text(a->lang, err, text, sizeof(text));
        snprintf(err->msg, sizeof(err->msg), "%s", text);
    }
    return rc;
}

/* ---- protected fields ---- */

/* null and "" count as absent (SPEC §3) */
static const json_t *present(const json_t *v)
{
    if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0) ||
        (json_is_array(v) && json_array_size(v) == 0))
        return NULL;
    return v;
}

/* The fields only some roles change through a document write: who owns the deal, who is
 * on the CS team (assign a CSM through hf_svc_csm_assign), the review history (written by
 * the review) and the pre-close approval. Returns the first path `a` may not change, or
 * NULL; `skip` (may be NULL) is a path the caller checks otherwise. */
static const char *protected_change(const hf_actor *a, const json_t *before, const json_t *after,
                                    const char *skip)
{
    static const struct {
        const char *path;
        unsigned roles; /* bits of hf_role that may change it */
    } fields[] = {
        {"deal.owner.email", 1u << HF_ROLE_SALES_MANAGER},
        {"team.csm.email", 1u << HF_ROLE_CS_MANAGER},
        {"team.cs_manager.email", 1u << HF_ROLE_CS_MANAGER},
        {"review.history", 0},
        {"deal.pre_close_approved_by", 0},
    };
    if (a->is_system || a->role == HF_ROLE_REVOPS)
        return NULL;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (skip && strcmp(skip, fields[i].path) == 0)
            continue;
        const json_t *x = present(before ? hf_doc_get(before, fields[i].path) : NULL);
        const json_t *y = present(hf_doc_get(after, fields[i].path));
        bool same;
        if (json_is_string(x) && json_is_string(y))
            same = svc__same_email(json_string_value(x), json_string_value(y));
        else
            same = x ? (y && json_equal(x, y)) : !y;
        if (!same && !(fields[i].roles & (1u << a->role)))
            return fields[i].path;
    }
    return NULL;
}

/* ---- create ---- */

static int deal_from_document(const json_t *doc, const char *source, hf_time now, hf_deal_rec *d)
{
    memset(d, 0, sizeof(*d));
    d->crm_source = (char *)(source ? source : "manual");
    d->crm_id = (char *)json_string_value(hf_doc_get(doc, "deal.crm_id"));
    d->name = (char *)json_string_value(hf_doc_get(doc, "deal.name"));
    d->account = (char *)json_string_value(hf_doc_get(doc, "customer.company_name"));
    d->owner = (char *)json_string_value(hf_doc_get(doc, "deal.owner.name"));
    d->currency = (char *)json_string_value(hf_doc_get(doc, "commercial.currency"));
    const json_t *acv = hf_doc_get(doc, "commercial.acv");
    if (json_is_number(acv)) {
        d->has_amount = true;
        d->amount = json_number_value(acv);
    }
    d->is_won = true;
    d->updated_at = now;
    return 0;
}

/* A creation made ready: the apply step upserts the deal, refuses a second handoff for it,
 * and inserts the handoff. */
typedef struct create_job {
    const hf_actor *a;
    hf_handoff_rec h;
    char *paths;
    bool has_deal;
    hf_deal_rec deal; /* borrows the document's strings */
    int64_t existing; /* the deal's handoff, when it has one */
} create_job;

static int create_apply(hf_svc *svc, void *ctx, hf_error *err)
{
    create_job *j = ctx;
    if (j->has_deal) {
        /* the upsert first: on PostgreSQL it locks the deal's row, so that two creations
         * for one deal at once take turns and the second sees the first's handoff (a
         * refusal rolls the upsert back) */
        hf_deal_rec d = j->deal;
        bool created = false;
        int rc = hf_store_deal_upsert(svc->s, &d, &created, err);
        if (rc)
            return rc;
        hf_handoff_rec existing;
        hf_error e2;
        /* a deal made just now has no handoff yet */
        if (!created &&
            hf_store_handoff_get_by_deal(svc->s, d.workspace_id, d.id, &existing, &e2) == 0) {
            j->existing = existing.id;
            char id[24];
            snprintf(id, sizeof(id), "%lld", (long long)existing.id);
            hf_handoff_rec_free(&existing);
            return svc__fail(err, HF_ECONFLICT, "deal.crm_id", j->a,
                             N_("this deal already has a handoff: handoff %s"), id);
        }
        j->h.deal_id = d.id;
    }
    return hf_store_handoff_create(svc->s, &j->h, j->a->email, j->paths, err);
}

/* Drop the document a creation was given, and return rc. */
static int dropped(json_t *doc, int rc)
{
    json_decref(doc);
    return rc;
}

int hf_svc_handoff_create(hf_svc *svc, const hf_actor *a, const json_t *in, const char *source,
                          hf_time now, hf_handoff_rec *out, int64_t *existing_id, hf_error *err)
{
    json_t *doc = in ? json_deep_copy(in) : NULL;
    if (in && !doc)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    return hf_svc_handoff_create_take(svc, a, doc, source, now, out, existing_id, err);
}

int hf_svc_handoff_create_take(hf_svc *svc, const hf_actor *a, json_t *doc, const char *source,
                               hf_time now, hf_handoff_rec *out, int64_t *existing_id,
                               hf_error *err)
{
    int64_t ws = SVC_WS(a);
    int rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    if (rc)
        return dropped(doc, rc);
    if (!a->is_system && a->role != HF_ROLE_ACCOUNT_EXECUTIVE && a->role != HF_ROLE_SALES_MANAGER &&
        a->role != HF_ROLE_REVOPS)
        return dropped(doc, svc__denied(err, a, N_("only sales and RevOps create handoffs")));
    rc = hf_document_validate(doc, err);
    if (!rc)
        rc = svc__check_limits(doc, a, err);
    if (rc)
        return dropped(doc, rc);
    const char *owner = json_string_value(hf_doc_get(doc, "deal.owner.email"));
    if (a->role == HF_ROLE_ACCOUNT_EXECUTIVE && !a->is_system && !svc__same_email(owner, a->email))
        return dropped(
            doc,
            svc__fail(err, HF_EPERM, "deal.owner.email", a,
                      N_("a rep creates handoffs for their own deals (deal.owner.email)"), NULL));
    if (a->role == HF_ROLE_SALES_MANAGER && !svc__same_email(owner, a->email) &&
        !(a->team_id && svc__team_of(svc, ws, owner) == a->team_id))
        return dropped(doc,
                       svc__fail(err, HF_EPERM, "deal.owner.email", a,
                                 N_("a sales manager creates handoffs for the deals of their team"),
                                 NULL));
    const char *field = protected_change(a, NULL, doc, "deal.owner.email");
    if (field)
        return dropped(doc, svc__fail(err, HF_EPERM, field, a,
                                      N_("%s is set by the CS team and the review, not by the rep"),
                                      field));
    /* everything but the inserts runs here, off the writer: the team, the evaluation, the
     * stored text */
    create_job j;
    memset(&j, 0, sizeof(j));
    j.a = a;
    rc = svc__fill_team(svc, ws, doc, 0, err);
    if (!rc)
        rc = svc__create_prepare(svc, ws, doc, now, &j.h, &j.paths, err);
    if (!rc) {
        const char *crm = json_string_value(hf_doc_get(doc, "deal.crm_id"));
        if (crm && *crm) {
            deal_from_document(doc, source, now, &j.deal);
            j.deal.workspace_id = ws;
            j.has_deal = true;
        }
        rc = svc__apply(svc, create_apply, &j, err);
    }
    if (existing_id)
        *existing_id = j.existing;
    if (!rc && out) {
        *out = j.h;
        memset(&j.h, 0, sizeof(j.h));
    }
    hf_handoff_rec_free(&j.h);
    free(j.paths);
    json_decref(doc);
    return rc;
}

/* ---- read ---- */

int hf_svc_handoff_get(hf_svc *svc, const hf_actor *a, int64_t id, hf_handoff_rec *out,
                       hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    rc = hf_store_handoff_get(svc->s, SVC_WS(a), id, out, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such handoff%s"), "");
    return rc;
}

int hf_svc_handoff_get_by_crm(hf_svc *svc, const hf_actor *a, const char *crm_id,
                              hf_handoff_rec *out, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    hf_deal_rec d;
    rc = hf_store_deal_get(svc->s, SVC_WS(a), 0, crm_id, &d, err);
    if (!rc) {
        rc = hf_store_handoff_get_by_deal(svc->s, SVC_WS(a), d.id, out, err);
        hf_deal_rec_free(&d);
    }
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no handoff for deal %s"), crm_id);
    return rc;
}

int hf_svc_handoff_list(hf_svc *svc, const hf_actor *a, const hf_handoff_filter *f,
                        hf_handoff_cb cb, void *ctx, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    return hf_store_handoff_list(svc->s, SVC_WS(a), f, cb, ctx, err);
}

int hf_svc_handoff_count(hf_svc *svc, const hf_actor *a, const hf_handoff_filter *f, int64_t *count,
                         hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    return hf_store_handoff_count(svc->s, SVC_WS(a), f, count, err);
}

/* ---- write ---- */

/* Load handoff `id` for a change by `a`: it exists, `a` may `what` it, it is open. */
static int load_for(hf_svc *svc, const hf_actor *a, int64_t id, hf_action what, hf_handoff_rec *h,
                    hf_error *err)
{
    int rc = hf_store_handoff_get(svc->s, SVC_WS(a), id, h, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such handoff%s"), "");
    if (rc)
        return rc;
    if (a->via_token && !(a->scopes & HF_SCOPE_WRITE))
        rc = svc__need_scope(a, HF_SCOPE_WRITE, err);
    else if (!hf_svc_may(svc, a, what, h))
        rc = svc__denied(err, a,
                         what == HF_ACTION_EDIT
                             ? N_("you may not edit this handoff")
                             : N_("your role may not make this change on this handoff"));
    else if (hf_status_is_final(h->status) && what != HF_ACTION_READ)
        rc = svc__fail(err, HF_ESTATE, "status", a,
                       N_("a completed or cancelled handoff is closed%s"), "");
    if (rc)
        hf_handoff_rec_free(h);
    return rc;
}

static int stale(const hf_actor *a, const hf_handoff_rec *h, int base, hf_error *err)
{
    char detail[64];
    snprintf(detail, sizeof(detail), "%d", h->version);
    (void)base;
    return svc__fail(err, HF_ESTALE, NULL, a,
                     N_("someone else saved this handoff first (it is now at version %s): "
                        "reload it, then apply your changes again"),
                     detail);
}

/* The checks shared by every document change, and the write made ready in *p: `doc` is
 * the new document (owned by the caller), built from `cur`. */
static int write_checked(hf_svc *svc, const hf_actor *a, const hf_handoff_rec *cur, json_t *doc,
                         hf_time now, svc_put *p, hf_error *err)
{
    int rc = hf_document_validate(doc, err);
    if (!rc)
        rc = svc__check_limits(doc, a, err);
    if (rc)
        return rc;
    json_t *before;
    rc = svc__document(cur, &before, err);
    if (rc)
        return rc;
    const char *field = protected_change(a, before, doc, NULL);
    if (field) {
        rc = svc__fail(err, HF_EPERM, field, a,
                       N_("%s is changed by the roles that own it (review, approval, CSM "
                          "assignment)"),
                       field);
        json_decref(before);
        return rc;
    }
    rc = svc__fill_team(svc, cur->workspace_id, doc, cur->id, err);
    if (rc) {
        json_decref(before);
        return rc;
    }
    /* the diff is made against the same parse of the stored document */
    return svc__put_prepare_old(svc, cur, before, doc, a->email, now, p, err);
}

/* Builds the new document of a write from the current one (a new reference in *doc). */
typedef int (*doc_change_fn)(const hf_actor *a, const hf_handoff_rec *cur, void *ctx, json_t **doc,
                             hf_error *err);

/* A document change: who makes it, on which handoff, and how the new document is built. */
typedef struct change_job {
    const hf_actor *a;
    int64_t id;
    doc_change_fn change;
    void *ctx;
    hf_time now;
} change_job;

/* Read the handoff, check the actor's right to edit it and the version the caller named
 * (0: any), build the new document and make the write ready in *p. `cur` and `doc` are the
 * caller's to free (`cur` zeroed when it could not be read). */
static int change_prepare(hf_svc *svc, const change_job *j, int base_version, hf_handoff_rec *cur,
                          json_t **doc, svc_put *p, hf_error *err)
{
    memset(cur, 0, sizeof(*cur));
    int rc = load_for(svc, j->a, j->id, HF_ACTION_EDIT, cur, err);
    if (rc) {
        memset(cur, 0, sizeof(*cur));
        return rc;
    }
    if (base_version > 0 && base_version != cur->version)
        rc = stale(j->a, cur, base_version, err);
    if (!rc)
        rc = j->change(j->a, cur, j->ctx, doc, err);
    if (!rc)
        rc = write_checked(svc, j->a, cur, *doc, j->now, p, err);
    return rc;
}

/* The redo of a write that named no version and was overtaken: the same change, made
 * again from the version now current (svc_put.redo), inside the apply's transaction. On
 * SQLite that transaction holds the database's write lock, so the first redo wins; on
 * PostgreSQL rows are not locked until written, so a redo may be overtaken again and is
 * made again, up to SVC_REDO_ATTEMPTS times. */
static int change_redo(hf_svc *svc, svc_put *p, hf_error *err)
{
    const change_job *j = p->redo_ctx;
    int rc = HF_ESTALE;
    for (int attempt = 0; rc == HF_ESTALE && attempt < SVC_REDO_ATTEMPTS; attempt++) {
        hf_handoff_rec cur;
        json_t *doc = NULL;
        svc_put q;
        memset(&q, 0, sizeof(q));
        rc = change_prepare(svc, j, 0, &cur, &doc, &q, err);
        if (!rc)
            rc = svc__put_commit(svc, &q, err); /* in the apply's transaction: inline */
        if (!rc) {
            svc__put_free(p);
            *p = q;
            memset(&q, 0, sizeof(q));
        }
        svc__put_free(&q);
        json_decref(doc);
        hf_handoff_rec_free(&cur);
    }
    return rc;
}

/* Every document change. Optimistic: the handoff is read, checked and the write prepared
 * (diff, evaluation, stored text) without the write lock; the commit then writes only if
 * the handoff is still at the version and status it was read at. When another write landed
 * in between, a caller that named its version gets HF_ESTALE; one that named none (If-Match:
 * *) has its change made again under the lock. */
static int change_document(hf_svc *svc, const hf_actor *a, int64_t id, int base_version,
                           doc_change_fn change, void *ctx, hf_time now, hf_handoff_rec *out,
                           hf_error *err)
{
    change_job j = {a, id, change, ctx, now};
    hf_handoff_rec cur;
    json_t *doc = NULL;
    svc_put p;
    memset(&p, 0, sizeof(p));
    int rc = change_prepare(svc, &j, base_version, &cur, &doc, &p, err);
    if (!rc) {
        if (base_version == 0) {
            p.redo = change_redo;
            p.redo_ctx = &j;
        }
        rc = svc__put_commit(svc, &p, err);
    }
    if (!rc && out)
        rc = svc__put_result(svc, &p, &cur, out, err);
    svc__put_free(&p);
    json_decref(doc);
    hf_handoff_rec_free(&cur);
    return rc;
}

typedef struct write_ctx {
    hf_write_kind kind;
    const char *section;
    const json_t *body;
} write_ctx;

static int apply_write(const hf_actor *a, const hf_handoff_rec *cur, void *vctx, json_t **doc,
                       hf_error *err)
{
    const write_ctx *w = vctx;
    if (!json_is_object(w->body))
        return svc__fail(err, HF_EINVAL,
                         w->kind == HF_WRITE_SECTION && w->section ? w->section : "document", a,
                         N_("expected an object%s"), "");
    if (w->kind == HF_WRITE_PUT) {
        *doc = json_deep_copy(w->body);
        return *doc ? 0 : hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    int rc = svc__document(cur, doc, err);
    if (rc)
        return rc;
    if (w->kind == HF_WRITE_SECTION)
        json_object_set_new(*doc, w->section ? w->section : "meeting", json_deep_copy(w->body));
    else
        hf_json_merge_patch(*doc, w->body);
    return 0;
}

int hf_svc_handoff_write(hf_svc *svc, const hf_actor *a, int64_t id, int base_version,
                         hf_write_kind kind, const char *section, const json_t *body, hf_time now,
                         hf_handoff_rec *out, hf_error *err)
{
    write_ctx w = {kind, section, body};
    return change_document(svc, a, id, base_version, apply_write, &w, now, out, err);
}

typedef struct edit_ctx {
    const char *const *assignments;
    size_t count;
} edit_ctx;

static int apply_edit(const hf_actor *a, const hf_handoff_rec *cur, void *vctx, json_t **doc,
                      hf_error *err)
{
    const edit_ctx *e = vctx;
    int rc = svc__document(cur, doc, err);
    for (size_t i = 0; !rc && i < e->count; i++) {
        const char *eq = strchr(e->assignments[i], '=');
        if (!eq || eq == e->assignments[i])
            return svc__fail(err, HF_EUSAGE, NULL, a, N_("expected PATH=VALUE, not \"%s\""),
                             e->assignments[i]);
        char path[1024];
        size_t n = (size_t)(eq - e->assignments[i]);
        if (n >= sizeof(path))
            return svc__fail(err, HF_EUSAGE, NULL, a, N_("path too long%s"), "");
        memcpy(path, e->assignments[i], n);
        path[n] = '\0';
        rc = hf_json_path_set(*doc, path, hf_json_value_from_arg(eq + 1), err);
    }
    return rc;
}

int hf_svc_handoff_edit(hf_svc *svc, const hf_actor *a, int64_t id, int base_version,
                        const char *const *assignments, size_t count, hf_time now,
                        hf_handoff_rec *out, hf_error *err)
{
    edit_ctx e = {assignments, count};
    return change_document(svc, a, id, base_version, apply_edit, &e, now, out, err);
}

/* ---- evaluation and the close gate ---- */

int hf_svc_handoff_evaluate(hf_svc *svc, const hf_actor *a, int64_t id, hf_time now,
                            hf_handoff_rec *rec, hf_evaluation *ev, hf_error *err)
{
    hf_handoff_rec h;
    memset(ev, 0, sizeof(*ev));
    int rc = hf_svc_handoff_get(svc, a, id, &h, err);
    if (rc)
        return rc;
    rc = svc__evaluate(svc, &h, now, ev, err);
    if (!rc && rec) {
        *rec = h;
        return 0;
    }
    hf_handoff_rec_free(&h);
    return rc;
}

int hf_svc_evaluate_document(hf_svc *svc, const hf_actor *a, const json_t *doc,
                             const json_t *protocol, hf_time now, hf_evaluation *ev, hf_error *err)
{
    memset(ev, 0, sizeof(*ev));
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (!rc)
        rc = hf_document_validate(doc, err);
    if (rc)
        return rc;
    if (protocol) {
        hf_protocol custom;
        rc = hf_protocol_from_json(protocol, &custom, err);
        if (rc)
            return rc;
        rc = hf_evaluate(doc, &custom, now, ev, err);
        hf_protocol_free(&custom);
        return rc;
    }
    const hf_protocol *p;
    rc = svc__pinned(svc, SVC_WS(a), 0, doc, now, &p, err);
    if (!rc)
        rc = hf_evaluate(doc, p, now, ev, err);
    return rc;
}

int hf_svc_gate(hf_svc *svc, const hf_actor *a, const char *crm_id, hf_time now, json_t **out,
                hf_error *err)
{
    if (a->via_token && !(a->scopes & (HF_SCOPE_GATE | HF_SCOPE_READ)))
        return svc__fail(err, HF_EPERM, NULL, a, N_("the token needs the %s scope"), "gate");
    hf_actor reader = *a;
    reader.scopes |= HF_SCOPE_READ;
    hf_handoff_rec h;
    int rc = hf_svc_handoff_get_by_crm(svc, &reader, crm_id, &h, err);
    if (rc)
        return rc;
    hf_evaluation ev;
    rc = svc__evaluate(svc, &h, now, &ev, err);
    if (!rc) {
        json_t *full = hf_evaluation_to_json(&ev);
        json_t *gate = json_incref(json_object_get(full, "gate"));
        json_object_set_new(gate, "handoff_id", json_integer(h.id));
        json_object_set_new(gate, "crm_id", json_string(crm_id));
        json_object_set_new(
            gate, "completeness",
            json_incref(json_object_get(json_object_get(full, "completeness"), "percent")));
        json_object_set_new(gate, "protocol", json_string(h.index.protocol_version));
        json_decref(full);
        *out = gate;
    }
    hf_evaluation_free(&ev);
    hf_handoff_rec_free(&h);
    return rc;
}

/* ---- history ---- */

typedef struct hist_ctx {
    json_t *versions, *transitions;
} hist_ctx;

static int hist_version(void *vctx, const hf_version_rec *v)
{
    hist_ctx *c = vctx;
    json_t *paths = json_loads(v->changed_paths, 0, NULL);
    json_array_append_new(c->versions, json_pack("{s:i,s:s,s:o,s:o}", "version", v->version,
                                                 "author", v->author, "at", hf_svc_time_json(v->at),
                                                 "changed", paths ? paths : json_array()));
    return 0;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int hist_transition(void *vctx, const hf_transition_rec *t)
{
    hist_ctx *c = vctx;
    json_array_append_new(
        c->transitions,
        json_pack("{s:o,s:s,s:s,s:o,s:o,s:o}", "from",
                  t->from == HF_STATUS_COUNT ? json_null() : json_string(hf_status_name(t->from)),
                  "to", hf_status_name(t->to), "actor", t->actor, "at", hf_svc_time_json(t->at),
                  "reason", str_or_null(t->reason), "override", str_or_null(t->override_reason)));
    return 0;
}

static int pin_row(void *vctx, int ncols, const char *const *v)
{
    (void)ncols;
    json_array_append_new(vctx, json_pack("{s:s,s:s,s:o}", "version", v[0] ? v[0] : "", "by",
                                          v[1] ? v[1] : "", "at",
                                          hf_svc_time_json(v[2] ? strtoll(v[2], NULL, 10) : 0)));
    return 0;
}

int hf_svc_handoff_history(hf_svc *svc, const hf_actor *a, int64_t id, json_t **out, hf_error *err)
{
    hf_handoff_rec h;
    int rc = hf_svc_handoff_get(svc, a, id, &h, err);
    if (rc)
        return rc;
    hf_handoff_rec_free(&h);
    int64_t ws = SVC_WS(a);
    hist_ctx c = {json_array(), json_array()};
    json_t *pins = json_array();
    char w[24], hid[24];
    snprintf(w, sizeof(w), "%lld", (long long)ws);
    snprintf(hid, sizeof(hid), "%lld", (long long)id);
    const char *params[] = {w, hid};
    rc = hf_store_version_list(svc->s, ws, id, false, hist_version, &c, err);
    if (!rc)
        rc = hf_store_transition_list(svc->s, ws, id, hist_transition, &c, err);
    if (!rc)
        rc = hf_store_query(svc->s,
                            "SELECT version, pinned_by, pinned_at FROM protocol_pins WHERE "
                            "workspace_id = ?1 AND handoff_id = ?2 ORDER BY id",
                            2, params, pin_row, pins, NULL, err);
    if (rc) {
        json_decref(c.versions);
        json_decref(c.transitions);
        json_decref(pins);
        return rc;
    }
    *out = json_pack("{s:o,s:o,s:o}", "versions", c.versions, "transitions", c.transitions,
                     "protocol_pins", pins);
    return 0;
}

int hf_svc_handoff_version(hf_svc *svc, const hf_actor *a, int64_t id, int version, json_t **out,
                           hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    hf_version_rec rec;
    rc = hf_store_version_get(svc->s, SVC_WS(a), id, version, &rec, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such version%s"), "");
    if (rc)
        return rc;
    json_t *doc = json_loads(rec.document, 0, NULL);
    *out = json_pack("{s:i,s:s,s:o,s:o}", "version", rec.version, "author", rec.author, "at",
                     hf_svc_time_json(rec.at), "document", doc ? doc : json_null());
    hf_version_rec_free(&rec);
    return 0;
}

int hf_svc_handoff_diff(hf_svc *svc, const hf_actor *a, int64_t id, int from, int to, json_t **out,
                        hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    hf_version_rec va, vb;
    memset(&va, 0, sizeof(va));
    memset(&vb, 0, sizeof(vb));
    int64_t ws = SVC_WS(a);
    rc = hf_store_version_get(svc->s, ws, id, from, &va, err);
    if (!rc)
        rc = hf_store_version_get(svc->s, ws, id, to, &vb, err);
    if (rc == HF_ENOTFOUND)
        rc = svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such version%s"), "");
    json_t *ja = NULL, *jb = NULL;
    hf_diff d;
    memset(&d, 0, sizeof(d));
    if (!rc) {
        ja = json_loads(va.document, 0, NULL);
        jb = json_loads(vb.document, 0, NULL);
        if (!ja || !jb)
            rc = hf_error_set(err, HF_EDB, NULL, "a stored version is unreadable");
    }
    if (!rc)
        rc = hf_json_diff(ja, jb, &d, err);
    if (!rc)
        *out = json_pack("{s:i,s:i,s:o}", "from", va.version, "to", vb.version, "changes",
                         hf_diff_to_json(&d));
    hf_diff_free(&d);
    json_decref(ja);
    json_decref(jb);
    hf_version_rec_free(&va);
    hf_version_rec_free(&vb);
    return rc;
}

/* ---- re-pinning ---- */

int hf_svc_handoff_repin(hf_svc *svc, const hf_actor *a, int64_t id, const char *version,
                         hf_time now, hf_handoff_rec *out, hf_error *err)
{
    hf_handoff_rec cur, h;
    memset(&h, 0, sizeof(h));
    json_t *doc = NULL;
    int rc = svc__begin(svc, err);
    if (rc)
        return rc;
    rc = load_for(svc, a, id, HF_ACTION_REPIN, &cur, err);
    if (rc)
        return svc__end(svc, rc, err);
    const hf_protocol *p;
    rc = svc__protocol(svc, cur.workspace_id, version, &p, err);
    if (rc == HF_ENOTFOUND)
        rc = svc__fail(err, HF_ENOTFOUND, "version", a, N_("no protocol version %s is installed"),
                       version);
    if (!rc)
        rc = hf_store_protocol_pin_add(svc->s, cur.workspace_id, id, version, a->email, now, err);
    if (!rc)
        rc = svc__document(&cur, &doc, err);
    hf_evaluation ev;
    memset(&ev, 0, sizeof(ev));
    if (!rc)
        rc = hf_evaluate(doc, p, now, &ev, err);
    if (!rc) {
        /* the same document under another version is a new version whose changed path is
         * `protocol`: the history shows the re-pin, the index columns follow it */
        h.id = cur.id;
        h.workspace_id = cur.workspace_id;
        h.deal_id = cur.deal_id;
        h.status = cur.status;
        h.created_at = cur.created_at;
        h.updated_at = now;
        svc__index(doc, &ev, &h.index);
        h.document = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17));
        rc = hf_store_handoff_update(svc->s, &h, cur.version, a->email, "[\"protocol\"]", err);
        if (rc == HF_ECONFLICT)
            rc = stale(a, &cur, cur.version, err);
    }
    hf_evaluation_free(&ev);
    json_decref(doc);
    if (!rc && out)
        rc = hf_store_handoff_get(svc->s, cur.workspace_id, id, out, err);
    hf_handoff_rec_free(&h);
    hf_handoff_rec_free(&cur);
    return svc__end(svc, rc, err);
}

/* ---- deals ---- */

int hf_svc_deal_get(hf_svc *svc, const hf_actor *a, int64_t id, hf_deal_rec *out, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    rc = hf_store_deal_get(svc->s, SVC_WS(a), id, NULL, out, err);
    if (rc == HF_ENOTFOUND)
        return svc__fail(err, HF_ENOTFOUND, NULL, a, N_("no such deal%s"), "");
    return rc;
}

int hf_svc_deal_list(hf_svc *svc, const hf_actor *a, int64_t after_id, int limit, hf_deal_cb cb,
                     void *ctx, hf_error *err)
{
    int rc = svc__need_scope(a, HF_SCOPE_READ, err);
    if (rc)
        return rc;
    return hf_store_deal_list(svc->s, SVC_WS(a), after_id, limit, cb, ctx, err);
}
