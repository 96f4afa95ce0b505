/* What one trigger event does (svc__trigger_apply), for the webhook receiver (triggers.c)
 * and the CSV import with an integration (import.c): the deal upserted, its trigger facts
 * kept, and for a won deal or a signed contract its handoff created or completed.
 *
 * The handoff's trigger fields are a function of the deal's facts and the integration's
 * configuration, never of the order the events came in:
 *
 *   signed (an e-signature completion):  trigger contract_signature, contract fully
 *       executed, contract_signed_at = the signature; with won_trigger verbal_commit the
 *       won time stays as verbal_commit_at (a verbal-commit handoff becomes a normal one,
 *       its history kept);
 *   won, not signed, won_trigger contract_signature:  the CRM's won is the signature:
 *       contract_signed_at = the won time, fully executed;
 *   won, not signed, won_trigger verbal_commit:  trigger verbal_commit,
 *       verbal_commit_at = the won time.
 *
 * Won and signed times are the earliest seen; a change older than the last one applied to
 * the deal is ignored. Fields the document lacks (owner, segment, mapped CRM fields) are
 * filled; fields it has are the people's and stay. */
#include "service/svc_int.h"

#include "handoff/jsondiff.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the fields of a deal, as rules and mappings read them ---- */

/* The event's fields by name: its source's own properties, overlaid with the normalized
 * ones (amount, name, account, stage, pipeline, currency, type, owner, close_date). */
static json_t *deal_fields(const svc_trigger *t)
{
    json_t *f = json_object();
    if (json_is_object(t->properties))
        json_object_update(f, (json_t *)t->properties);
    const struct {
        const char *key, *value;
    } texts[] = {{"name", t->name},         {"account", t->account},        {"stage", t->stage},
                 {"pipeline", t->pipeline}, {"currency", t->currency},      {"type", t->type},
                 {"owner_id", t->owner_id}, {"owner_email", t->owner_email}};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (texts[i].value && *texts[i].value) {
            json_t *v = json_string(texts[i].value);
            if (v)
                json_object_set_new(f, texts[i].key, v);
        }
    const char *owner = t->owner_name && *t->owner_name ? t->owner_name : t->owner_email;
    json_t *owner_json = owner && *owner ? json_string(owner) : NULL;
    if (owner_json)
        json_object_set_new(f, "owner", owner_json);
    if (t->has_amount)
        json_object_set_new(f, "amount", json_real(t->amount));
    if (t->has_close_date) {
        char buf[HF_TIME_BUFSZ];
        json_object_set_new(f, "close_date", json_string(hf_date_format(t->close_day, buf)));
    }
    return f;
}

/* A field by name, without regard to case; `a.b` reads a nested object (Pipedrive's
 * custom_fields). Numeric strings read as numbers where a number is compared. */
static const json_t *field_lookup(const json_t *obj, const char *name)
{
    const char *dot = strchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : strlen(name);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (strlen(key) == n && strncasecmp(key, name, n) == 0)
            return dot ? (json_is_object(v) ? field_lookup(v, dot + 1) : NULL)
                       : (json_is_null(v) ? NULL : v);
    }
    return NULL;
}

typedef struct field_ctx {
    json_t *fields;
    json_t *scratch; /* numbers read from numeric strings, kept alive here */
} field_ctx;

static const json_t *get_field(void *vctx, const char *name)
{
    field_ctx *c = vctx;
    return field_lookup(c->fields, name);
}

/* hf_integration_segment reads numbers for min and max and texts for equals; a numeric
 * text must serve both, so rules see numbers where the text is one. */
static const json_t *get_field_typed(void *vctx, const char *name)
{
    field_ctx *c = vctx;
    const json_t *v = field_lookup(c->fields, name);
    if (!json_is_string(v))
        return v;
    json_t *num = json_loads(json_string_value(v), JSON_DECODE_ANY, NULL);
    if (!json_is_number(num)) {
        json_decref(num);
        return v;
    }
    json_array_append_new(c->scratch, num);
    return num;
}

static const char *segment_of(const svc_trigger *t, json_t *fields)
{
    field_ctx c = {fields, json_array()};
    const char *seg = NULL;
    /* a rule with equals compares texts, one with min/max numbers */
    for (size_t i = 0; i < t->cfg->n_segment_rules && !seg; i++) {
        const hf_segment_rule *r = &t->cfg->segment_rules[i];
        hf_integration_config one = *t->cfg;
        one.segment_rules = (hf_segment_rule *)r;
        one.n_segment_rules = 1;
        seg = hf_integration_segment(&one, r->equals ? get_field : get_field_typed, &c);
    }
    json_decref(c.scratch);
    return seg;
}

/* ---- the owner ---- */

typedef struct owner_info {
    char email[256]; /* "" : unmapped */
    char name[256];
    char why[200]; /* why unmapped */
} owner_info;

static bool sales_user(hf_svc *svc, int64_t ws, const char *email, owner_info *o)
{
    hf_user_rec u;
    hf_error e;
    if (hf_store_user_get(svc->s, ws, 0, email, &u, &e) != 0)
        return false;
    bool ok = u.active;
    if (ok) {
        svc__lower(u.email, o->email, sizeof(o->email));
        snprintf(o->name, sizeof(o->name), "%s", u.name ? u.name : u.email);
    }
    hf_user_rec_free(&u);
    return ok;
}

static void resolve_owner(hf_svc *svc, int64_t ws, const svc_trigger *t, owner_info *o)
{
    memset(o, 0, sizeof(*o));
    const char *keys[] = {t->owner_id, t->owner_email, t->owner_name};
    for (size_t i = 0; i < 3; i++) {
        const char *mapped = hf_integration_owner(t->cfg, keys[i]);
        if (!mapped)
            continue;
        if (sales_user(svc, ws, mapped, o))
            return;
        snprintf(o->why, sizeof(o->why), "the owner mapping names %s, who is not an active user",
                 mapped);
        return;
    }
    /* the CRM's owner e-mail may be a Handoff user's own address */
    if (t->owner_email && *t->owner_email && sales_user(svc, ws, t->owner_email, o))
        return;
    const char *shown = t->owner_email && *t->owner_email ? t->owner_email
                        : t->owner_id && *t->owner_id     ? t->owner_id
                        : t->owner_name && *t->owner_name ? t->owner_name
                                                          : NULL;
    if (shown)
        snprintf(o->why, sizeof(o->why), "no owner mapping for CRM owner %.150s", shown);
    else
        snprintf(o->why, sizeof(o->why), "the CRM did not say who owns the deal");
}

/* ---- the document ---- */

static void set_time(json_t *o, const char *key, hf_time t)
{
    char buf[HF_TIME_BUFSZ];
    json_object_set_new(o, key, json_string(hf_time_format_utc(t, buf)));
}

/* The trigger fields the facts give (see the top of the file), as a `deal` object. */
static json_t *facts_deal(const hf_integration_config *cfg, const hf_deal_trigger_rec *f)
{
    json_t *d = json_object();
    bool verbal = cfg->won_trigger == HF_WON_VERBAL_COMMIT;
    if (f->signed_at != HF_TIME_NONE) {
        json_object_set_new(d, "trigger", json_string("contract_signature"));
        json_object_set_new(d, "contract_status", json_string("fully_executed"));
        set_time(d, "contract_signed_at", f->signed_at);
        if (verbal && f->won_at != HF_TIME_NONE)
            set_time(d, "verbal_commit_at", f->won_at);
    } else if (f->won_at != HF_TIME_NONE) {
        if (verbal) {
            json_object_set_new(d, "trigger", json_string("verbal_commit"));
            set_time(d, "verbal_commit_at", f->won_at);
        } else {
            json_object_set_new(d, "trigger", json_string("contract_signature"));
            json_object_set_new(d, "contract_status", json_string("fully_executed"));
            set_time(d, "contract_signed_at", f->won_at);
        }
    }
    return d;
}

static bool looks_like_salesforce_account_id(const char *s)
{
    size_t n = strlen(s);
    if ((n != 15 && n != 18) || strncmp(s, "001", 3) != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= 'a' && s[i] <= 'z')))
            return false;
    return true;
}

static bool numeric_path(const char *path)
{
    return strcmp(path, "commercial.acv") == 0 || strcmp(path, "commercial.tcv") == 0 ||
           strcmp(path, "scope.timeline_weeks") == 0;
}

/* Set `path` of `doc` to `v` (stolen) unless the document has a value there. */
static void fill(json_t *doc, const char *path, json_t *v)
{
    if (!v)
        return;
    const json_t *cur = hf_doc_get(doc, path);
    bool absent = !cur || json_is_null(cur) || (json_is_string(cur) && !json_string_length(cur));
    hf_error e;
    if (!absent || hf_json_path_set(doc, path, v, &e) != 0)
        json_decref(v);
}

/* Fill what the CRM knows into `doc` where it is empty: the mapped fields first (they are
 * what RevOps chose), then the usual ones. */
static void fill_from_crm(json_t *doc, const svc_trigger *t, json_t *fields, const owner_info *o,
                          const char *segment)
{
    for (size_t i = 0; i < t->cfg->n_fields; i++) {
        const json_t *v = field_lookup(fields, t->cfg->fields[i].from);
        if (!v)
            continue;
        json_t *val = json_deep_copy(v);
        if (json_is_string(val) && numeric_path(t->cfg->fields[i].to)) {
            json_t *num = json_loads(json_string_value(val), JSON_DECODE_ANY, NULL);
            if (json_is_number(num)) {
                json_decref(val);
                val = num;
            } else {
                json_decref(num);
            }
        }
        fill(doc, t->cfg->fields[i].to, val);
    }
    if (t->name && *t->name)
        fill(doc, "deal.name", json_string(t->name));
    if (t->account && *t->account &&
        !(strcmp(t->source, "salesforce") == 0 && looks_like_salesforce_account_id(t->account)))
        fill(doc, "customer.company_name", json_string(t->account));
    if (t->has_amount)
        fill(doc, "commercial.acv", json_real(t->amount));
    if (t->currency && *t->currency)
        fill(doc, "commercial.currency", json_string(t->currency));
    if (o->email[0]) {
        fill(doc, "deal.owner.email", json_string(o->email));
        fill(doc, "deal.owner.name", json_string(o->name));
    }
    if (segment)
        fill(doc, "deal.segment", json_string(segment));
}

/* ---- the deal ---- */

static char *pick(const char *event_value, char *stored)
{
    return event_value && *event_value ? (char *)event_value : stored;
}

/* ---- applying ---- */

static int alert(hf_svc *svc, int64_t ws, const char *kind, int64_t handoff_id, json_t *detail,
                 hf_time now, hf_error *err)
{
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    hf_alert_rec al = {0, (char *)kind, handoff_id, text, now, HF_TIME_NONE};
    int rc = hf_store_alert_add(svc->s, ws, &al, err);
    free(text);
    return rc;
}

static hf_time earliest(hf_time a, hf_time b)
{
    if (a == HF_TIME_NONE)
        return b;
    if (b == HF_TIME_NONE)
        return a;
    return a < b ? a : b;
}

/* The handoff of a won deal or a signed contract: created when the deal has none, else
 * completed with what it lacks; then its CSM when it has none. */
static int ensure_handoff(hf_svc *svc, const hf_actor *a, const svc_trigger *t,
                          const hf_deal_trigger_rec *facts, hf_time now, svc_outcome *out,
                          hf_error *err)
{
    int64_t ws = SVC_WS(a);
    owner_info owner;
    resolve_owner(svc, ws, t, &owner);
    json_t *fields = deal_fields(t);
    const char *segment = segment_of(t, fields);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    int64_t existing = 0;
    bool created = false;
    int rc;
    json_t *facts_obj = facts_deal(t->cfg, facts);
    {
        json_t *doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:{}}", "schema", "handoff/1", "deal",
                                "crm_id", t->crm_id, "trigger", "contract_signature",
                                "contract_status", "draft", "timeline");
        if (!doc) {
            json_decref(fields);
            json_decref(facts_obj);
            return hf_error_set(err, HF_EINVAL, "deal.crm_id", "the deal id is not UTF-8 text");
        }
        set_time(json_object_get(doc, "timeline"), "handoff_started_at", now);
        json_object_update(json_object_get(doc, "deal"), facts_obj);
        fill_from_crm(doc, t, fields, &owner, segment);
        hf_error e2;
        rc = hf_svc_handoff_create(svc, a, doc, t->source, now, &h, &existing, &e2);
        json_decref(doc);
        if (rc == 0) {
            created = true;
        } else if (rc == HF_ECONFLICT && existing) {
            rc = hf_store_handoff_get(svc->s, ws, existing, &h, err);
        } else {
            *err = e2;
        }
    }
    if (!rc && !created) {
        /* the deal's handoff exists: complete it, unless it is closed */
        out->handoff_id = h.id;
        if (hf_status_is_final(h.status)) {
            out->outcome = "handoff_closed";
        } else {
            json_t *doc = NULL;
            rc = svc__document(&h, &doc, err);
            if (!rc) {
                json_t *before = json_deep_copy(doc);
                json_object_update(svc__object_at(doc, "deal"), facts_obj);
                fill_from_crm(doc, t, fields, &owner, segment);
                if (!hf_doc_get(doc, "timeline.handoff_started_at") ||
                    !json_string_length(hf_doc_get(doc, "timeline.handoff_started_at")))
                    set_time(svc__object_at(doc, "timeline"), "handoff_started_at", h.created_at);
                if (json_equal(before, doc)) {
                    out->outcome = "handoff_unchanged";
                } else {
                    hf_handoff_rec h2;
                    rc = hf_svc_handoff_write(svc, a, h.id, 0, HF_WRITE_PUT, NULL, doc, now, &h2,
                                              err);
                    if (!rc) {
                        out->outcome =
                            h2.version != h.version ? "handoff_updated" : "handoff_unchanged";
                        hf_handoff_rec_free(&h);
                        h = h2;
                    }
                }
                json_decref(before);
            }
            json_decref(doc);
        }
    }
    json_decref(facts_obj);
    json_decref(fields);
    if (rc) {
        hf_handoff_rec_free(&h);
        return rc;
    }
    out->handoff_id = h.id;
    if (created)
        out->outcome = "handoff_created";
    if (!hf_status_is_final(h.status) && (!h.index.csm_email || !*h.index.csm_email)) {
        hf_handoff_rec h3;
        hf_error e3;
        rc = hf_svc_csm_assign(svc, a, h.id, NULL, NULL, now, &h3, &e3);
        if (rc == 0) {
            hf_handoff_rec_free(&h3);
        } else if (rc == HF_ESTATE) {
            out->csm_queued = true; /* the CS managers are alerted: not the event's failure */
            rc = 0;
        } else {
            *err = e3;
        }
    }
    if (!rc && !hf_status_is_final(h.status) && (!h.index.owner_email || !*h.index.owner_email) &&
        !owner.email[0]) {
        out->owner_unmapped = true;
        snprintf(out->detail, sizeof(out->detail), "%s", owner.why);
        rc = alert(svc, ws, "trigger.owner_unmapped", h.id,
                   json_pack("{s:s,s:s,s:s,s:s,s:s}", "crm_id", t->crm_id, "source", t->source,
                             "owner_id", t->owner_id ? t->owner_id : "", "owner_email",
                             t->owner_email ? t->owner_email : "", "why", owner.why),
                   now, err);
    }
    if (!rc && t->unverified)
        rc = alert(svc, ws, "trigger.deal_unverified", h.id,
                   json_pack("{s:s,s:s,s:s}", "crm_id", t->crm_id, "source", t->source, "why",
                             t->unverified),
                   now, err);
    if (!rc && out->csm_queued && !out->detail[0])
        snprintf(out->detail, sizeof(out->detail),
                 "every eligible CSM is at capacity: the handoff waits in the CS managers' queue");
    hf_handoff_rec_free(&h);
    return rc;
}

int svc__trigger_apply(hf_svc *svc, const hf_actor *a, const svc_trigger *t, hf_time now,
                       svc_outcome *out, hf_error *err)
{
    memset(out, 0, sizeof(*out));
    out->outcome = "ignored";
    int64_t ws = SVC_WS(a);
    if (!t->crm_id || !*t->crm_id || t->kind == HF_HOOK_IGNORED) {
        snprintf(out->detail, sizeof(out->detail), "no deal id");
        return 0;
    }
    hf_deal_trigger_rec facts;
    hf_error e2;
    int rc = hf_store_deal_trigger_get(svc->s, ws, t->crm_id, &facts, &e2);
    if (rc == HF_ENOTFOUND) {
        facts.crm_id = strdup(t->crm_id);
        rc = facts.crm_id ? 0 : hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
    } else if (rc) {
        *err = e2;
    }
    if (rc) {
        hf_deal_trigger_rec_free(&facts);
        return rc;
    }
    hf_deal_rec deal;
    bool known = hf_store_deal_get(svc->s, ws, 0, t->crm_id, &deal, &e2) == 0;
    if (!known)
        memset(&deal, 0, sizeof(deal));
    bool newer = t->occurred_at == HF_TIME_NONE || facts.last_change_at == HF_TIME_NONE ||
                 t->occurred_at >= facts.last_change_at;
    if (t->kind == HF_HOOK_DEAL_CHANGED && !newer) {
        out->outcome = "stale";
        snprintf(out->detail, sizeof(out->detail),
                 "older than the last change applied to the deal: ignored");
        goto out;
    }
    /* the deal record: the event's values where it has them and is the newer */
    {
        hf_deal_rec d = deal;
        char owner_text[256] = "";
        const char *owner = t->owner_name && *t->owner_name     ? t->owner_name
                            : t->owner_email && *t->owner_email ? t->owner_email
                                                                : t->owner_id;
        if (owner)
            snprintf(owner_text, sizeof(owner_text), "%s", owner);
        d.workspace_id = ws;
        d.crm_id = (char *)t->crm_id;
        d.crm_source = known ? deal.crm_source : (char *)t->source;
        if (newer) {
            d.name = pick(t->name, deal.name);
            d.account = pick(t->account, deal.account);
            d.owner = pick(owner_text, deal.owner);
            d.stage = pick(t->stage, deal.stage);
            d.currency = pick(t->currency, deal.currency);
            if (t->has_amount) {
                d.has_amount = true;
                d.amount = t->amount;
            }
            if (t->has_close_date) {
                d.has_close_date = true;
                d.close_day = t->close_day;
            }
        }
        d.is_won = deal.is_won || t->kind == HF_HOOK_DEAL_WON;
        d.updated_at = now;
        /* on PostgreSQL the upsert locks the deal's row until the end of the transaction:
         * two events of one deal arriving at once take turns from here */
        rc = hf_store_deal_upsert(svc->s, &d, NULL, err);
        if (rc)
            goto out;
        if (t->occurred_at != HF_TIME_NONE && t->kind != HF_HOOK_CONTRACT_COMPLETED &&
            (facts.last_change_at == HF_TIME_NONE || t->occurred_at > facts.last_change_at))
            facts.last_change_at = t->occurred_at;
        if (t->kind == HF_HOOK_DEAL_WON) {
            hf_time w = t->won_time != HF_TIME_NONE      ? t->won_time
                        : t->occurred_at != HF_TIME_NONE ? t->occurred_at
                                                         : now;
            if (facts.won_at == HF_TIME_NONE || w < facts.won_at) {
                free(facts.won_source);
                facts.won_source = strdup(t->source);
            }
            facts.won_at = earliest(facts.won_at, w);
        }
        if (t->kind == HF_HOOK_CONTRACT_COMPLETED) {
            hf_time s = t->signed_at != HF_TIME_NONE     ? t->signed_at
                        : t->occurred_at != HF_TIME_NONE ? t->occurred_at
                                                         : now;
            if (facts.signed_at == HF_TIME_NONE || s < facts.signed_at) {
                free(facts.signed_source);
                free(facts.document_id);
                facts.signed_source = strdup(t->source);
                facts.document_id =
                    t->document_id && *t->document_id ? strdup(t->document_id) : NULL;
            }
            facts.signed_at = earliest(facts.signed_at, s);
        }
        facts.updated_at = now;
        rc = hf_store_deal_trigger_put(svc->s, ws, &facts, err);
        if (rc)
            goto out;
        if (t->kind == HF_HOOK_DEAL_CHANGED) {
            out->outcome = "deal_updated";
            goto out;
        }
        rc = ensure_handoff(svc, a, t, &facts, now, out, err);
        if (rc)
            goto out;
        /* creating the handoff wrote the deal from the document, which has no stage nor
         * close date: write the merged record again */
        d.updated_at = now;
        d.is_won = true;
        rc = hf_store_deal_upsert(svc->s, &d, NULL, err);
    }
out:
    hf_deal_rec_free(&deal);
    hf_deal_trigger_rec_free(&facts);
    return rc;
}
