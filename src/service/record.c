/* The record engine of the service layer: what ties a handoff's document, its evaluation,
 * its index columns and its version history together.
 *
 * Every write of a document comes through here, so the indexed columns always match the
 * document (they are recomputed from hf_evaluate under the handoff's pinned protocol on
 * each write), every change is a new version with its changed field paths, and an
 * identical document writes nothing. Rights, versions and the lifecycle are checked by
 * the callers (handoffs.c, lifecycle.c) before they get here. */
#include "service/svc_int.h"

#include "handoff/document.h"
#include "handoff/jsondiff.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *string_at(const json_t *doc, const char *path, bool lower)
{
    const json_t *v = hf_doc_get(doc, path);
    if (!v || !json_is_string(v) || json_string_length(v) == 0)
        return NULL;
    char *s = strdup(json_string_value(v));
    for (char *c = s; lower && c && *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return s;
}

static void copy_enum(char *dst, size_t cap, const json_t *doc, const char *path)
{
    const json_t *v = hf_doc_get(doc, path);
    snprintf(dst, cap, "%s", v && json_is_string(v) ? json_string_value(v) : "");
}

void svc__index(const json_t *doc, const hf_evaluation *ev, hf_handoff_index *ix)
{
    memset(ix, 0, sizeof(*ix));
    copy_enum(ix->segment, sizeof(ix->segment), doc, "deal.segment");
    copy_enum(ix->trigger, sizeof(ix->trigger), doc, "deal.trigger");
    ix->owner = string_at(doc, "deal.owner.name", false);
    ix->owner_email = string_at(doc, "deal.owner.email", true);
    ix->csm = string_at(doc, "team.csm.name", false);
    ix->csm_email = string_at(doc, "team.csm.email", true);
    ix->company = string_at(doc, "customer.company_name", false);
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
}

int svc__document(const hf_handoff_rec *h, json_t **doc, hf_error *err)
{
    json_error_t jerr;
    *doc = h->document ? hf_json_loadb(h->document, strlen(h->document), 0, &jerr) : NULL;
    if (!*doc)
        return hf_error_set(err, HF_EDB, NULL, "stored document of handoff %lld is unreadable",
                            (long long)h->id);
    return 0;
}

int svc__evaluate(hf_svc *svc, const hf_handoff_rec *h, hf_time now, hf_evaluation *ev,
                  hf_error *err)
{
    memset(ev, 0, sizeof(*ev));
    const hf_protocol *p;
    int rc = svc__protocol(svc, h->workspace_id, h->index.protocol_version, &p, err);
    if (rc)
        return rc;
    json_t *doc;
    rc = svc__document(h, &doc, err);
    if (rc)
        return rc;
    rc = hf_evaluate(doc, p, now, ev, err);
    json_decref(doc);
    return rc;
}

/* Evaluate `doc` under its pinned protocol and fill the record's document text and index
 * columns. */
static int prepare_record(hf_svc *svc, hf_handoff_rec *h, const json_t *doc, hf_time now,
                          hf_error *err)
{
    const hf_protocol *p;
    int rc =
        svc__pinned(svc, h->workspace_id, h->id, doc, h->created_at ? h->created_at : now, &p, err);
    if (rc)
        return rc;
    hf_evaluation ev;
    rc = hf_evaluate(doc, p, now, &ev, err);
    if (rc)
        return rc;
    svc__index(doc, &ev, &h->index);
    hf_evaluation_free(&ev);
    h->document = hf_json_dumps_compact(doc, 17); /* as json_dumps writes it, faster */
    if (!h->document)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    return 0;
}

/* The changed paths of a first version: its top-level keys (a leaf-level list of a whole
 * new document says nothing more and costs a walk of every value). Written directly, not
 * through a JSON array, as json_dumps would write it: keys are UTF-8 already (jansson
 * checked them), and only `"`, `\\` and control characters need escaping. */
static char *all_paths_json(const json_t *doc)
{
    size_t cap = 3, n = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)doc, key, v)
    {
        (void)v;
        cap += 6 * strlen(key) + 3; /* every byte escaped as \u00XX at worst, quotes, comma */
    }
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[n++] = '[';
    json_object_foreach((json_t *)doc, key, v)
    {
        (void)v;
        if (n > 1)
            out[n++] = ',';
        out[n++] = '"';
        for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
            if (*c == '"' || *c == '\\') {
                out[n++] = '\\';
                out[n++] = (char)*c;
            } else if (*c < 0x20) {
                static const char esc[] = "btn?fr"; /* \b \t \n, 11 has no short form, \f \r */
                if (*c >= 8 && *c <= 13 && *c != 11) {
                    out[n++] = '\\';
                    out[n++] = esc[*c - 8];
                } else {
                    n += (size_t)snprintf(out + n, cap - n, "\\u%04X", *c);
                }
            } else {
                out[n++] = (char)*c;
            }
        }
        out[n++] = '"';
    }
    out[n++] = ']';
    out[n] = '\0';
    return out;
}

int svc__record_prepare(const hf_protocol *p, int64_t ws, int64_t deal_id, json_t *doc, hf_time now,
                        hf_handoff_rec *h, char **paths, hf_error *err)
{
    memset(h, 0, sizeof(*h));
    *paths = NULL;
    if (!json_object_get(doc, "updated_at")) {
        char buf[HF_TIME_BUFSZ];
        json_object_set_new(doc, "updated_at", json_string(hf_time_format_utc(now, buf)));
    }
    h->workspace_id = ws;
    h->deal_id = deal_id;
    h->status = HF_STATUS_DRAFT;
    h->created_at = now;
    hf_evaluation ev;
    int rc = hf_evaluate(doc, p, now, &ev, err);
    if (rc)
        return rc;
    svc__index(doc, &ev, &h->index);
    hf_evaluation_free(&ev);
    h->document = hf_json_dumps_compact(doc, 17); /* as json_dumps writes it, faster */
    *paths = all_paths_json(doc);
    if (!h->document || !*paths) {
        hf_handoff_rec_free(h);
        free(*paths);
        *paths = NULL;
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    }
    return 0;
}

int svc__create_prepare(hf_svc *svc, int64_t ws, json_t *doc, hf_time now, hf_handoff_rec *h,
                        char **paths, hf_error *err)
{
    memset(h, 0, sizeof(*h));
    *paths = NULL;
    const hf_protocol *p;
    /* pinned as svc__pinned says for a new handoff: the day of its T0, else of now; the
     * T0 is read before updated_at is added, which does not change it */
    int rc = svc__pinned(svc, ws, 0, doc, now, &p, err);
    if (rc)
        return rc;
    return svc__record_prepare(p, ws, 0, doc, now, h, paths, err);
}

int svc__record_create(hf_svc *svc, int64_t ws, int64_t deal_id, json_t *doc, const char *author,
                       hf_time now, hf_handoff_rec *out, hf_error *err)
{
    hf_handoff_rec h;
    char *paths;
    int rc = svc__create_prepare(svc, ws, doc, now, &h, &paths, err);
    if (rc)
        return rc;
    h.deal_id = deal_id;
    rc = hf_store_handoff_create(svc->s, &h, author, paths, err);
    if (!rc && out) {
        *out = h;
        memset(&h, 0, sizeof(h));
    }
    free(paths);
    hf_handoff_rec_free(&h);
    return rc;
}

void svc__put_free(svc_put *p)
{
    free(p->paths);
    hf_handoff_rec_free(&p->h);
    memset(p, 0, sizeof(*p));
}

int svc__put_prepare(hf_svc *svc, const hf_handoff_rec *cur, json_t *doc, const char *author,
                     hf_time now, svc_put *p, hf_error *err)
{
    json_t *old = NULL;
    int rc = svc__document(cur, &old, err);
    if (rc) {
        memset(p, 0, sizeof(*p));
        return rc;
    }
    return svc__put_prepare_old(svc, cur, old, doc, author, now, p, err);
}

int svc__put_prepare_old(hf_svc *svc, const hf_handoff_rec *cur, json_t *old, json_t *doc,
                         const char *author, hf_time now, svc_put *p, hf_error *err)
{
    memset(p, 0, sizeof(*p));
    p->base_version = cur->version;
    p->author = author;
    hf_diff diff;
    memset(&diff, 0, sizeof(diff));
    int rc;
    /* updated_at follows the content: compare without it */
    json_t *old_updated = json_incref(json_object_get(old, "updated_at"));
    json_object_del(old, "updated_at");
    json_object_del(doc, "updated_at");
    rc = hf_json_diff(old, doc, &diff, err);
    json_decref(old);
    if (rc || diff.count == 0) {
        /* nothing changed: no new version */
        p->unchanged = rc == 0;
        if (old_updated)
            json_object_set(doc, "updated_at", old_updated);
        json_decref(old_updated);
        hf_diff_free(&diff);
        return rc;
    }
    json_decref(old_updated);
    char buf[HF_TIME_BUFSZ];
    json_object_set_new(doc, "updated_at", json_string(hf_time_format_utc(now, buf)));
    json_t *paths_json = hf_diff_paths_json(&diff);
    p->paths = hf_json_dumps_compact(paths_json, 17);
    json_decref(paths_json);
    hf_diff_free(&diff);
    if (!p->paths)
        return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");

    p->h.id = cur->id;
    p->h.workspace_id = cur->workspace_id;
    p->h.deal_id = cur->deal_id;
    p->h.status = cur->status;
    p->h.created_at = cur->created_at;
    p->h.updated_at = now;
    rc = prepare_record(svc, &p->h, doc, now, err);
    if (rc)
        svc__put_free(p);
    return rc;
}

static int put_apply(hf_svc *svc, void *ctx, hf_error *err)
{
    svc_put *p = ctx;
    int rc = hf_store_handoff_update(svc->s, &p->h, p->base_version, p->author, p->paths, err);
    if (rc == HF_ECONFLICT && p->redo)
        return p->redo(svc, p, err);
    if (rc == HF_ECONFLICT)
        rc = hf_error_setf_id(err, HF_ESTALE, NULL,
                              N_("someone else saved this handoff first: reload it, then apply "
                                 "your changes again%s"),
                              "");
    return rc;
}

int svc__put_commit(hf_svc *svc, svc_put *p, hf_error *err)
{
    return p->unchanged ? 0 : svc__apply(svc, put_apply, p, err);
}

int svc__put_result(hf_svc *svc, svc_put *p, const hf_handoff_rec *cur, hf_handoff_rec *out,
                    hf_error *err)
{
    memset(out, 0, sizeof(*out));
    if (p->unchanged)
        return hf_store_handoff_get(svc->s, cur->workspace_id, cur->id, out, err);
    *out = p->h;
    memset(&p->h, 0, sizeof(p->h));
    return 0;
}

int svc__record_put(hf_svc *svc, const hf_handoff_rec *cur, json_t *doc, const char *author,
                    hf_time now, hf_handoff_rec *out, hf_error *err)
{
    svc_put p;
    int rc = svc__put_prepare(svc, cur, doc, author, now, &p, err);
    if (!rc)
        rc = svc__put_commit(svc, &p, err);
    if (!rc && out)
        rc = svc__put_result(svc, &p, cur, out, err);
    svc__put_free(&p);
    return rc;
}

json_t *svc__object_at(json_t *doc, const char *key)
{
    json_t *o = json_object_get(doc, key);
    if (!json_is_object(o)) {
        o = json_object();
        json_object_set_new(doc, key, o);
    }
    return o;
}

int svc__csm_open(hf_svc *svc, int64_t ws, const char *email, int64_t *n, hf_error *err)
{
    hf_handoff_filter f;
    memset(&f, 0, sizeof(f));
    f.csm = email;
    f.open_only = true;
    return hf_store_handoff_count(svc->s, ws, &f, n, err);
}

int svc__fill_team(hf_svc *svc, int64_t ws, json_t *doc, int64_t exclude_handoff, hf_error *err)
{
    const char *email = json_string_value(hf_doc_get(doc, "team.csm.email"));
    if (email && *email) {
        hf_user_rec u;
        hf_error e2;
        if (hf_store_user_get(svc->s, ws, 0, email, &u, &e2) == 0) {
            if (u.role == HF_ROLE_CSM) {
                int64_t open = 0;
                int rc = svc__csm_open(svc, ws, u.email, &open, err);
                if (rc) {
                    hf_user_rec_free(&u);
                    return rc;
                }
                /* the handoff being written counts once, whether it is stored yet or not */
                if (exclude_handoff) {
                    hf_handoff_rec h;
                    if (hf_store_handoff_get(svc->s, ws, exclude_handoff, &h, &e2) == 0) {
                        if (svc__same_email(h.index.csm_email, u.email) &&
                            !hf_status_is_final(h.status))
                            open--;
                        hf_handoff_rec_free(&h);
                    }
                }
                json_t *csm = svc__object_at(svc__object_at(doc, "team"), "csm");
                json_object_set_new(csm, "name", json_string(u.name));
                json_object_set_new(csm, "email", json_string(u.email));
                json_object_set_new(csm, "accounts", json_integer(open < 0 ? 0 : open));
                if (u.capacity > 0)
                    json_object_set_new(csm, "capacity", json_integer(u.capacity));
                else
                    json_object_del(csm, "capacity");
            }
            hf_user_rec_free(&u);
        }
    }
    email = json_string_value(hf_doc_get(doc, "team.cs_manager.email"));
    if (email && *email) {
        hf_user_rec u;
        hf_error e2;
        if (hf_store_user_get(svc->s, ws, 0, email, &u, &e2) == 0) {
            if (u.role == HF_ROLE_CS_MANAGER) {
                json_t *m = svc__object_at(svc__object_at(doc, "team"), "cs_manager");
                json_object_set_new(m, "name", json_string(u.name));
                json_object_set_new(m, "email", json_string(u.email));
            }
            hf_user_rec_free(&u);
        }
    }
    return 0;
}
