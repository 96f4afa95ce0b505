/* Handoff operations over a store (see handoffs.h): validation, versioning with changed
 * paths, index columns from the evaluation, and lifecycle-checked transitions. */
#include "handoff/handoffs.h"

#include "handoff/document.h"
#include "handoff/i18n.h"
#include "handoff/jsondiff.h"

#include <stdlib.h>
#include <string.h>

static char *string_at(const json_t *doc, const char *path)
{
    const json_t *v = hf_doc_get(doc, path);
    if (!v || !json_is_string(v) || json_string_length(v) == 0)
        return NULL;
    return strdup(json_string_value(v));
}

static void copy_enum(char *dst, size_t cap, const json_t *doc, const char *path)
{
    const json_t *v = hf_doc_get(doc, path);
    snprintf(dst, cap, "%s", v && json_is_string(v) ? json_string_value(v) : "");
}

int hf_handoff_index_compute(const json_t *doc, const hf_evaluation *ev, hf_handoff_index *ix,
                             hf_error *err)
{
    (void)err;
    memset(ix, 0, sizeof(*ix));
    copy_enum(ix->segment, sizeof(ix->segment), doc, "deal.segment");
    copy_enum(ix->trigger, sizeof(ix->trigger), doc, "deal.trigger");
    ix->owner = string_at(doc, "deal.owner.name");
    ix->owner_email = string_at(doc, "deal.owner.email");
    ix->csm = string_at(doc, "team.csm.name");
    ix->csm_email = string_at(doc, "team.csm.email");
    ix->company = string_at(doc, "customer.company_name");
    ix->t0 = ev->t0;
    ix->next_due = HF_TIME_NONE;
    for (size_t i = 0; i < ev->sla_count; i++) {
        const hf_sla_line *l = &ev->sla[i];
        if (l->done_at == HF_TIME_NONE && l->due != HF_TIME_NONE &&
            (ix->next_due == HF_TIME_NONE || l->due < ix->next_due))
            ix->next_due = l->due;
    }
    ix->quality_total = (int)ev->total;
    ix->band = (int)ev->band;
    ix->completeness_d = (int)ev->percent_d;
    ix->ready = ev->ready;
    snprintf(ix->protocol_version, sizeof(ix->protocol_version), "%s", ev->protocol_version);
    return 0;
}

json_t *hf_document_from_deal(const hf_deal_rec *deal)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string("handoff/1"));
    json_t *d = json_object();
    if (deal->crm_id)
        json_object_set_new(d, "crm_id", json_string(deal->crm_id));
    if (deal->name)
        json_object_set_new(d, "name", json_string(deal->name));
    if (deal->owner) {
        json_t *owner = json_object();
        json_object_set_new(owner, "name", json_string(deal->owner));
        json_object_set_new(d, "owner", owner);
    }
    json_object_set_new(d, "trigger", json_string("contract_signature"));
    json_object_set_new(d, "contract_status", json_string("draft"));
    json_object_set_new(doc, "deal", d);
    if (deal->account) {
        json_t *c = json_object();
        json_object_set_new(c, "company_name", json_string(deal->account));
        json_object_set_new(doc, "customer", c);
    }
    if (deal->has_amount || deal->currency) {
        json_t *c = json_object();
        if (deal->has_amount)
            json_object_set_new(c, "acv", json_real(deal->amount));
        if (deal->currency)
            json_object_set_new(c, "currency", json_string(deal->currency));
        json_object_set_new(doc, "commercial", c);
    }
    return doc;
}

int hf_handoff_evaluate(const hf_handoff_rec *h, const hf_protocol *p, hf_time now,
                        hf_evaluation *ev, hf_error *err)
{
    json_t *doc = NULL;
    memset(ev, 0, sizeof(*ev));
    int rc = hf_document_parse(h->document, strlen(h->document), &doc, err);
    if (rc)
        return rc;
    rc = hf_evaluate(doc, p, now, ev, err);
    json_decref(doc);
    return rc;
}

/* Evaluate `doc` and fill the record's document text and index columns. */
static int prepare_record(hf_handoff_rec *h, const json_t *doc, const hf_protocol *p, hf_time now,
                          hf_error *err)
{
    hf_evaluation ev;
    int rc = hf_evaluate(doc, p, now, &ev, err);
    if (rc)
        return rc;
    rc = hf_handoff_index_compute(doc, &ev, &h->index, err);
    hf_evaluation_free(&ev);
    if (rc)
        return rc;
    h->document = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (!h->document)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    return 0;
}

/* The changed paths of a first version: its top-level keys (a leaf-level list of a whole
 * new document says nothing more and costs a walk of every value). */
static char *all_paths_json(const json_t *doc)
{
    json_t *paths = json_array();
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)doc, key, v)
    {
        (void)v;
        json_array_append_new(paths, json_string(key));
    }
    char *out = json_dumps(paths, JSON_COMPACT);
    json_decref(paths);
    return out ? out : strdup("[]");
}

int hf_handoff_create(hf_store *s, int64_t ws, int64_t deal_id, hf_status status, json_t *doc,
                      const hf_protocol *p, const char *author, hf_time now, hf_handoff_rec *out,
                      hf_error *err)
{
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    char *paths = NULL;
    int rc = hf_document_validate(doc, err);
    if (rc)
        goto out;
    if (!json_object_get(doc, "updated_at")) {
        char buf[HF_TIME_BUFSZ];
        json_object_set_new(doc, "updated_at", json_string(hf_time_format_utc(now, buf)));
    }
    h.workspace_id = ws;
    h.deal_id = deal_id;
    h.status = status;
    h.created_at = now;
    rc = prepare_record(&h, doc, p, now, err);
    if (rc)
        goto out;
    paths = all_paths_json(doc);
    rc = s->ops->handoff_create(s, &h, author, paths, err);
    if (rc)
        goto out;
    if (out) {
        *out = h;
        memset(&h, 0, sizeof(h));
    }
out:
    free(paths);
    hf_handoff_rec_free(&h);
    return rc;
}

/* Store `doc` as the next version of `cur` (already loaded). */
static int put_loaded(hf_store *s, const hf_handoff_rec *cur, int base_version, json_t *doc,
                      const hf_protocol *p, const char *author, hf_time now, hf_handoff_rec *out,
                      hf_error *err)
{
    json_t *old = NULL;
    hf_diff diff;
    memset(&diff, 0, sizeof(diff));
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    char *paths = NULL;
    int rc = hf_document_validate(doc, err);
    if (rc)
        goto out;
    if (base_version > 0 && base_version != cur->version) {
        rc = hf_error_set(err, HF_ECONFLICT, NULL,
                          "handoff %lld changed: your edit is based on version %d, the current "
                          "version is %d",
                          (long long)cur->id, base_version, cur->version);
        goto out;
    }
    json_error_t jerr;
    old = json_loads(cur->document, 0, &jerr);
    if (!old) {
        rc = hf_error_set(err, HF_EDB, NULL, "stored document of handoff %lld is unreadable",
                          (long long)cur->id);
        goto out;
    }
    /* updated_at follows the content: compare without it */
    json_t *old_updated = json_incref(json_object_get(old, "updated_at"));
    json_object_del(old, "updated_at");
    json_object_del(doc, "updated_at");
    rc = hf_json_diff(old, doc, &diff, err);
    if (rc) {
        json_decref(old_updated);
        goto out;
    }
    if (diff.count == 0) {
        /* nothing changed: no new version */
        if (old_updated)
            json_object_set(doc, "updated_at", old_updated);
        json_decref(old_updated);
        if (out) {
            memset(out, 0, sizeof(*out));
            rc = s->ops->handoff_get(s, cur->workspace_id, cur->id, out, err);
        }
        goto out;
    }
    json_decref(old_updated);
    char buf[HF_TIME_BUFSZ];
    json_object_set_new(doc, "updated_at", json_string(hf_time_format_utc(now, buf)));
    json_t *paths_json = hf_diff_paths_json(&diff);
    paths = json_dumps(paths_json, JSON_COMPACT);
    json_decref(paths_json);

    h.id = cur->id;
    h.workspace_id = cur->workspace_id;
    h.deal_id = cur->deal_id;
    h.status = cur->status;
    h.updated_at = now;
    rc = prepare_record(&h, doc, p, now, err);
    if (rc)
        goto out;
    rc = s->ops->handoff_update(s, &h, cur->version, author, paths, err);
    if (rc)
        goto out;
    if (out) {
        memset(out, 0, sizeof(*out));
        rc = s->ops->handoff_get(s, cur->workspace_id, cur->id, out, err);
    }
out:
    free(paths);
    hf_diff_free(&diff);
    json_decref(old);
    hf_handoff_rec_free(&h);
    return rc;
}

int hf_handoff_put(hf_store *s, int64_t ws, int64_t id, int base_version, json_t *doc,
                   const hf_protocol *p, const char *author, hf_time now, hf_handoff_rec *out,
                   hf_error *err)
{
    hf_handoff_rec cur;
    int rc = s->ops->handoff_get(s, ws, id, &cur, err);
    if (rc)
        return rc;
    rc = put_loaded(s, &cur, base_version, doc, p, author, now, out, err);
    hf_handoff_rec_free(&cur);
    return rc;
}

int hf_handoff_edit(hf_store *s, int64_t ws, int64_t id, int base_version,
                    const char *const *assignments, size_t count, const hf_protocol *p,
                    const char *author, hf_time now, hf_handoff_rec *out, hf_error *err)
{
    hf_handoff_rec cur;
    json_t *doc = NULL;
    int rc = s->ops->handoff_get(s, ws, id, &cur, err);
    if (rc)
        return rc;
    json_error_t jerr;
    doc = json_loads(cur.document, 0, &jerr);
    if (!doc) {
        rc = hf_error_set(err, HF_EDB, NULL, "stored document of handoff %lld is unreadable",
                          (long long)id);
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        const char *eq = strchr(assignments[i], '=');
        if (!eq || eq == assignments[i]) {
            rc = hf_error_set(err, HF_EUSAGE, NULL, "expected PATH=VALUE, not \"%s\"",
                              assignments[i]);
            goto out;
        }
        char path[1024];
        size_t n = (size_t)(eq - assignments[i]);
        if (n >= sizeof(path)) {
            rc = hf_error_set(err, HF_EUSAGE, NULL, "path too long");
            goto out;
        }
        memcpy(path, assignments[i], n);
        path[n] = '\0';
        rc = hf_json_path_set(doc, path, hf_json_value_from_arg(eq + 1), err);
        if (rc)
            goto out;
    }
    rc = put_loaded(s, &cur, base_version, doc, p, author, now, out, err);
out:
    json_decref(doc);
    hf_handoff_rec_free(&cur);
    return rc;
}

static int find_held(void *ctx, const hf_transition_rec *t)
{
    if (t->to == HF_STATUS_HELD)
        *(bool *)ctx = true;
    return 0;
}

static json_t *object_at(json_t *doc, const char *key)
{
    json_t *o = json_object_get(doc, key);
    if (!json_is_object(o)) {
        o = json_object();
        json_object_set_new(doc, key, o);
    }
    return o;
}

int hf_handoff_transition(hf_store *s, int64_t ws, int64_t id, hf_status to, const char *reason,
                          const char *const *reasons, size_t reason_count, const hf_protocol *p,
                          const char *actor, hf_time now, hf_error *err)
{
    hf_handoff_rec cur;
    json_t *doc = NULL;
    bool in_tx = false;
    int rc = s->ops->begin(s, err);
    if (rc)
        return rc;
    in_tx = true;
    rc = s->ops->handoff_get(s, ws, id, &cur, err);
    if (rc) {
        s->ops->rollback(s);
        return rc;
    }
    json_error_t jerr;
    doc = json_loads(cur.document, 0, &jerr);
    if (!doc) {
        rc = hf_error_set(err, HF_EDB, NULL, "stored document of handoff %lld is unreadable",
                          (long long)id);
        goto out;
    }
    hf_transition_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    hf_time t;
    ctx.is_pre_close =
        json_is_string(hf_doc_get(doc, "deal.trigger")) &&
        strcmp(json_string_value(hf_doc_get(doc, "deal.trigger")), "verbal_commit") == 0;
    ctx.pre_close_approved = hf_value_is_filled(hf_doc_get(doc, "deal.pre_close_approved_by"));
    ctx.meeting_held_before = hf_value_time(hf_doc_get(doc, "meeting.held_at"), &t);
    if (!ctx.meeting_held_before) {
        rc = s->ops->transition_list(s, ws, id, find_held, &ctx.meeting_held_before, err);
        if (rc)
            goto out;
    }
    ctx.kickoff_held = hf_value_time(hf_doc_get(doc, "timeline.kickoff_held_at"), &t);
    ctx.has_reason = (reason && *reason) || reason_count > 0;
    rc = hf_lifecycle_check(cur.status, to, &ctx, err);
    if (rc)
        goto out;

    /* the document records what the evaluation needs to know about this step */
    char buf[HF_TIME_BUFSZ];
    bool doc_changed = false;
    if (hf_status_is_decision(to)) {
        json_t *review = object_at(doc, "review");
        json_t *history = json_object_get(review, "history");
        if (!json_is_array(history)) {
            history = json_array();
            json_object_set_new(review, "history", history);
        }
        json_t *entry = json_object();
        json_object_set_new(entry, "decision", json_string(hf_status_name(to)));
        json_object_set_new(entry, "at", json_string(hf_time_format_utc(now, buf)));
        json_object_set_new(entry, "by", json_string(actor ? actor : "system"));
        json_t *codes = json_array();
        for (size_t i = 0; i < reason_count; i++)
            json_array_append_new(codes, json_string(reasons[i]));
        json_object_set_new(entry, "reasons", codes);
        if (reason && *reason)
            json_object_set_new(entry, "comment", json_string(reason));
        json_array_append_new(history, entry);
        doc_changed = true;
    } else if (to == HF_STATUS_SUBMITTED &&
               (cur.status == HF_STATUS_NEEDS_REVISION || cur.status == HF_STATUS_REJECTED)) {
        json_object_set_new(object_at(doc, "timeline"), "resubmitted_at",
                            json_string(hf_time_format_utc(now, buf)));
        doc_changed = true;
    } else if (to == HF_STATUS_HELD && !ctx.meeting_held_before) {
        json_object_set_new(object_at(doc, "meeting"), "held_at",
                            json_string(hf_time_format_utc(now, buf)));
        doc_changed = true;
    }
    if (doc_changed) {
        rc = put_loaded(s, &cur, cur.version, doc, p, actor, now, NULL, err);
        if (rc)
            goto out;
    }
    rc = s->ops->handoff_transition(s, ws, id, cur.status, to, actor, reason, now, err);
out:
    if (in_tx) {
        if (rc)
            s->ops->rollback(s);
        else
            rc = s->ops->commit(s, err);
    }
    json_decref(doc);
    hf_handoff_rec_free(&cur);
    return rc;
}
