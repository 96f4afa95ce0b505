/* Salesforce Outbound Messages (include/handoff/hooks.h, INTEGRATIONS.md "Salesforce
 * Outbound Messages"): the SOAP envelope read with libexpat into one event per
 * Notification, and the acknowledgement Salesforce waits for.
 *
 * Expat is used in namespace mode, so element names arrive as `namespace|local` and the
 * prefixes a sender chooses (`soapenv:`, `sf:`, none) do not matter. The parser keeps
 * only a stack of where it is; text is collected only for the elements we read, into one
 * buffer with a cap. Salesforce messages never carry a document type declaration, so any
 * DTD is refused outright: that closes the door on external entities (XXE) and on entity
 * expansion bombs without relying on expat's own limits. */
#include "hook_int.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_SOAP "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_OUTBOUND "http://soap.sforce.com/2005/09/outbound"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define SEP '|'
/* Deeper nesting than this is not a Salesforce message. */
#define DEPTH_MAX 32
/* Longest text of one element we read. */
#define TEXT_MAX 65536

/* What the element at a given depth is to us. */
enum where {
    W_OTHER,         /* skipped, with everything inside */
    W_ENVELOPE,      /* soapenv:Envelope */
    W_BODY,          /* soapenv:Body */
    W_NOTIFICATIONS, /* notifications */
    W_HEAD_FIELD,    /* OrganizationId, ActionId, ... : text read */
    W_NOTIFICATION,  /* Notification */
    W_NOTIFICATION_ID,
    W_SOBJECT,
    W_FIELD, /* a field of the sObject: text read */
};

typedef struct sf_parser {
    XML_Parser xp;
    const hf_hook_salesforce_config *cfg;
    hf_hook_batch *out;
    hf_error *err;
    int rc;

    enum where stack[DEPTH_MAX + 1];
    int depth;
    bool seen_envelope, seen_notifications;

    char *text;
    size_t text_len;
    bool text_nil;   /* the element being read has xsi:nil="true" */
    bool text_child; /* it had a child element: not a simple value */
    char field[HF_HOOK_ID_MAX];

    /* the notification being read */
    hf_hook_event *ev;
    size_t notification; /* 1-based */
    bool has_sobject, is_opportunity, has_is_won, is_won;
} sf_parser;

static const char *local_name(const char *name)
{
    const char *sep = strrchr(name, SEP);
    return sep ? sep + 1 : name;
}

/* True when `name` is `ns|local`. */
static bool is(const char *name, const char *ns, const char *local)
{
    size_t n = strlen(ns);
    return strncmp(name, ns, n) == 0 && name[n] == SEP && strcmp(name + n + 1, local) == 0;
}

static void fail(sf_parser *p, int rc, const char *path, const char *fmt, const char *arg)
    __attribute__((format(printf, 4, 0)));

/* Record the first error and stop expat; the position is where expat is now. */
static void fail(sf_parser *p, int rc, const char *path, const char *fmt, const char *arg)
{
    if (p->rc)
        return;
    p->rc = rc;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    hf_error_set(p->err, rc, path, fmt, arg);
#pragma GCC diagnostic pop
    if (p->err) {
        p->err->line = (long)XML_GetCurrentLineNumber(p->xp);
        p->err->column = (long)XML_GetCurrentColumnNumber(p->xp) + 1;
    }
    XML_StopParser(p->xp, XML_FALSE);
}

static void notification_path(sf_parser *p, char path[HF_ERROR_PATH_MAX], const char *rest)
{
    hf__hook_path(path, "Notification[%zu]%s", p->notification, rest);
}

static const char *attr(const char **atts, const char *ns, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (is(atts[i], ns, local))
            return atts[i + 1];
    return NULL;
}

static void start_text(sf_parser *p, const char **atts)
{
    p->text_len = 0;
    p->text_child = false;
    const char *nil = attr(atts, NS_XSI, "nil");
    p->text_nil = nil && (strcmp(nil, "true") == 0 || strcmp(nil, "1") == 0);
}

static void on_start(void *ud, const char *name, const char **atts)
{
    sf_parser *p = ud;
    if (p->rc)
        return;
    if (p->depth >= DEPTH_MAX) {
        fail(p, HF_EINVAL, NULL, "elements nested deeper than %s", "32");
        return;
    }
    enum where parent = p->depth ? p->stack[p->depth - 1] : W_OTHER;
    enum where w = W_OTHER;
    char path[HF_ERROR_PATH_MAX];

    if (p->depth == 0) {
        if (!is(name, NS_SOAP, "Envelope")) {
            fail(p, HF_EINVAL, NULL, "expected a SOAP Envelope, not <%s>", local_name(name));
            return;
        }
        p->seen_envelope = true;
        w = W_ENVELOPE;
    } else if (parent == W_ENVELOPE && is(name, NS_SOAP, "Body")) {
        w = W_BODY;
    } else if (parent == W_BODY && is(name, NS_OUTBOUND, "notifications")) {
        if (p->seen_notifications) {
            fail(p, HF_EINVAL, "notifications", "more than one %s element", "notifications");
            return;
        }
        p->seen_notifications = true;
        w = W_NOTIFICATIONS;
    } else if (parent == W_NOTIFICATIONS && is(name, NS_OUTBOUND, "Notification")) {
        if (p->out->count >= HF_HOOK_BATCH_MAX) {
            hf__hook_path(path, "Notification[%d]", HF_HOOK_BATCH_MAX + 1);
            fail(p, HF_EINVAL, path, "more than %s notifications", "100");
            return;
        }
        hf_error e;
        p->ev = hf__hook_batch_add(p->out, &e);
        if (!p->ev) {
            fail(p, e.rc, NULL, "%s", e.msg);
            return;
        }
        p->notification = p->out->count;
        p->has_sobject = p->is_opportunity = p->has_is_won = p->is_won = false;
        w = W_NOTIFICATION;
    } else if (parent == W_NOTIFICATIONS && strncmp(name, NS_OUTBOUND, strlen(NS_OUTBOUND)) == 0) {
        start_text(p, atts);
        snprintf(p->field, sizeof(p->field), "%s", local_name(name));
        w = W_HEAD_FIELD;
    } else if (parent == W_NOTIFICATION && is(name, NS_OUTBOUND, "Id")) {
        start_text(p, atts);
        w = W_NOTIFICATION_ID;
    } else if (parent == W_NOTIFICATION && is(name, NS_OUTBOUND, "sObject")) {
        if (p->has_sobject) {
            notification_path(p, path, "/sObject");
            fail(p, HF_EINVAL, path, "more than one %s element", "sObject");
            return;
        }
        p->has_sobject = true;
        /* xsi:type="sf:Opportunity": the prefix is the sender's, the local part counts */
        const char *type = attr(atts, NS_XSI, "type");
        const char *colon = type ? strrchr(type, ':') : NULL;
        const char *tlocal = colon ? colon + 1 : type;
        p->is_opportunity = !tlocal || strcmp(tlocal, "Opportunity") == 0;
        w = W_SOBJECT;
    } else if (parent == W_SOBJECT) {
        start_text(p, atts);
        snprintf(p->field, sizeof(p->field), "%s", local_name(name));
        w = W_FIELD;
    } else if (parent == W_FIELD || parent == W_HEAD_FIELD || parent == W_NOTIFICATION_ID) {
        p->text_child = true; /* a related record or other structure: not a simple value */
    }
    p->stack[p->depth++] = w;
}

static void on_text(void *ud, const char *s, int len)
{
    sf_parser *p = ud;
    if (p->rc || p->depth == 0)
        return;
    enum where w = p->stack[p->depth - 1];
    if (w != W_HEAD_FIELD && w != W_NOTIFICATION_ID && w != W_FIELD)
        return;
    if (p->text_len + (size_t)len > TEXT_MAX) {
        char path[HF_ERROR_PATH_MAX];
        if (w == W_HEAD_FIELD)
            snprintf(path, sizeof(path), "%s", p->field);
        else if (w == W_NOTIFICATION_ID)
            notification_path(p, path, "/Id");
        else {
            char rest[HF_HOOK_ID_MAX + 16];
            snprintf(rest, sizeof(rest), "/sObject/%s", p->field);
            notification_path(p, path, rest);
        }
        fail(p, HF_EINVAL, path, "text longer than %s bytes", "65536");
        return;
    }
    memcpy(p->text + p->text_len, s, (size_t)len);
    p->text_len += (size_t)len;
}

/* The text of the element just closed, without surrounding blanks. */
static void trimmed(sf_parser *p, const char **s, size_t *n)
{
    const char *t = p->text;
    size_t len = p->text_len;
    while (len && (t[0] == ' ' || t[0] == '\t' || t[0] == '\r' || t[0] == '\n')) {
        t++;
        len--;
    }
    while (len &&
           (t[len - 1] == ' ' || t[len - 1] == '\t' || t[len - 1] == '\r' || t[len - 1] == '\n'))
        len--;
    *s = t;
    *n = len;
}

static void end_field(sf_parser *p)
{
    hf_hook_event *ev = p->ev;
    char path[HF_ERROR_PATH_MAX];
    char rest[HF_HOOK_ID_MAX + 16];
    snprintf(rest, sizeof(rest), "/sObject/%s", p->field);
    notification_path(p, path, rest);
    if (p->text_child)
        return; /* not a simple value: left out */
    const char *s;
    size_t n;
    trimmed(p, &s, &n);
    json_t *v = p->text_nil ? json_null() : json_stringn(s, n);
    if (!v || json_object_set_new(ev->properties, p->field, v) != 0) {
        fail(p, HF_ENOMEM, NULL, "%s", "out of memory");
        return;
    }
    if (p->text_nil || n == 0)
        return;
    const char *f = p->field;
    hf_error e;
    if (strcmp(f, "Id") == 0) {
        if (hf__hook_copy_id(ev->crm_id, sizeof(ev->crm_id), s, n, path, &e))
            fail(p, e.rc, path, "%s", e.msg);
    } else if (strcmp(f, "StageName") == 0) {
        hf__hook_copy_text(ev->stage, sizeof(ev->stage), s, n);
    } else if (strcmp(f, "Name") == 0) {
        hf__hook_copy_text(ev->name, sizeof(ev->name), s, n);
    } else if (strcmp(f, "AccountId") == 0) {
        if (hf__hook_copy_id(ev->account, sizeof(ev->account), s, n, path, &e))
            fail(p, e.rc, path, "%s", e.msg);
    } else if (strcmp(f, "OwnerId") == 0) {
        if (hf__hook_copy_id(ev->owner_id, sizeof(ev->owner_id), s, n, path, &e))
            fail(p, e.rc, path, "%s", e.msg);
    } else if (strcmp(f, "CurrencyIsoCode") == 0) {
        if (hf__hook_copy_id(ev->currency, sizeof(ev->currency), s, n, path, &e))
            fail(p, e.rc, path, "%s", e.msg);
    } else if (strcmp(f, "Amount") == 0) {
        if (!hf__hook_parse_decimal(s, n, &ev->amount))
            fail(p, HF_EINVAL, path, "expected a number%s", "");
        else
            ev->has_amount = true;
    } else if (strcmp(f, "CloseDate") == 0) {
        if (!hf_date_parse(s, n, &ev->close_day))
            fail(p, HF_EINVAL, path, "expected a date (YYYY-MM-DD)%s", "");
        else
            ev->has_close_date = true;
    } else if (strcmp(f, "IsWon") == 0) {
        p->has_is_won = true;
        if (n == 4 && memcmp(s, "true", 4) == 0)
            p->is_won = true;
        else if (n == 5 && memcmp(s, "false", 5) == 0)
            p->is_won = false;
        else
            fail(p, HF_EINVAL, path, "expected true or false%s", "");
    } else if (strcmp(f, "LastModifiedDate") == 0 || strcmp(f, "SystemModstamp") == 0) {
        hf_time t;
        if (!hf__hook_parse_time(s, n, &t))
            fail(p, HF_EINVAL, path, "expected a timestamp%s", "");
        else if (f[0] == 'L' || p->ev->occurred_at == HF_TIME_NONE)
            ev->occurred_at = t; /* LastModifiedDate wins over SystemModstamp */
    }
}

static bool stage_is_won(const sf_parser *p, const char *stage)
{
    static const char *const defaults[] = {"Closed Won", NULL};
    const char *const *won = p->cfg && p->cfg->won_stages ? p->cfg->won_stages : defaults;
    for (; *won; won++)
        if (strcmp(*won, stage) == 0)
            return true;
    return false;
}

static void end_notification(sf_parser *p)
{
    hf_hook_event *ev = p->ev;
    char path[HF_ERROR_PATH_MAX];
    if (!ev->event_id[0]) {
        notification_path(p, path, "/Id");
        fail(p, HF_EINVAL, path, "missing %s", "Notification Id");
        return;
    }
    if (!p->has_sobject) {
        notification_path(p, path, "/sObject");
        fail(p, HF_EINVAL, path, "missing %s", "sObject");
        return;
    }
    if (!p->is_opportunity) {
        ev->kind = HF_HOOK_IGNORED;
        ev->ignored_why = "not an Opportunity";
        return;
    }
    if (!ev->crm_id[0]) {
        notification_path(p, path, "/sObject/Id");
        fail(p, HF_EINVAL, path, "missing %s", "sObject Id");
        return;
    }
    bool won = p->has_is_won ? p->is_won : stage_is_won(p, ev->stage);
    ev->kind = won ? HF_HOOK_DEAL_WON : HF_HOOK_DEAL_CHANGED;
}

static void on_end(void *ud, const char *name)
{
    sf_parser *p = ud;
    (void)name;
    if (p->rc || p->depth == 0)
        return;
    enum where w = p->stack[--p->depth];
    const char *s;
    size_t n;
    hf_error e;
    char path[HF_ERROR_PATH_MAX];
    switch (w) {
    case W_HEAD_FIELD:
        trimmed(p, &s, &n);
        if (strcmp(p->field, "OrganizationId") == 0 &&
            hf__hook_copy_id(p->out->org_id, sizeof(p->out->org_id), s, n, "OrganizationId", &e))
            fail(p, e.rc, "OrganizationId", "%s", e.msg);
        else if (strcmp(p->field, "ActionId") == 0 &&
                 hf__hook_copy_id(p->out->action_id, sizeof(p->out->action_id), s, n, "ActionId",
                                  &e))
            fail(p, e.rc, "ActionId", "%s", e.msg);
        break;
    case W_NOTIFICATION_ID:
        trimmed(p, &s, &n);
        notification_path(p, path, "/Id");
        if (hf__hook_copy_id(p->ev->event_id, sizeof(p->ev->event_id), s, n, path, &e))
            fail(p, e.rc, path, "%s", e.msg);
        break;
    case W_FIELD:
        end_field(p);
        break;
    case W_NOTIFICATION:
        end_notification(p);
        break;
    default:
        break;
    }
}

static void on_doctype(void *ud, const char *name, const char *sysid, const char *pubid,
                       int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    fail(ud, HF_EINVAL, NULL, "document type declarations are not allowed%s", "");
}

static void on_entity(void *ud, const char *name, int is_param, const char *value, int len,
                      const char *base, const char *sysid, const char *pubid, const char *notation)
{
    (void)name, (void)is_param, (void)value, (void)len, (void)base, (void)sysid, (void)pubid,
        (void)notation;
    fail(ud, HF_EINVAL, NULL, "entity declarations are not allowed%s", "");
}

int hf_hook_salesforce_parse(const char *body, size_t len, const hf_hook_salesforce_config *cfg,
                             hf_hook_batch *out, hf_error *err)
{
    hf_error_clear(err);
    hf_hook_batch_init(out);
    out->source = HF_HOOK_SALESFORCE;
    int rc = hf__hook_check_body(body, len, err);
    if (rc)
        return rc;

    sf_parser p;
    memset(&p, 0, sizeof(p));
    p.cfg = cfg;
    p.out = out;
    p.err = err;
    p.text = malloc(TEXT_MAX);
    p.xp = XML_ParserCreateNS(NULL, SEP);
    if (!p.text || !p.xp) {
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    XML_SetUserData(p.xp, &p);
    XML_SetElementHandler(p.xp, on_start, on_end);
    XML_SetCharacterDataHandler(p.xp, on_text);
    XML_SetStartDoctypeDeclHandler(p.xp, on_doctype);
    XML_SetEntityDeclHandler(p.xp, on_entity);
    XML_SetParamEntityParsing(p.xp, XML_PARAM_ENTITY_PARSING_NEVER);

    if (XML_Parse(p.xp, body ? body : "", (int)len, XML_TRUE) == XML_STATUS_ERROR && !p.rc) {
        p.rc = hf_error_set(err, HF_EINVAL, NULL, "invalid XML: %s",
                            XML_ErrorString(XML_GetErrorCode(p.xp)));
        if (err) {
            err->line = (long)XML_GetCurrentLineNumber(p.xp);
            err->column = (long)XML_GetCurrentColumnNumber(p.xp) + 1;
        }
    }
    rc = p.rc;
    if (rc)
        goto out;
    if (!p.seen_notifications) {
        rc = hf_error_set(err, HF_EINVAL, "notifications",
                          "no notifications element in the SOAP Body");
        goto out;
    }
    if (!out->org_id[0]) {
        rc = hf_error_set(err, HF_EINVAL, "OrganizationId", "missing OrganizationId");
        goto out;
    }
    for (size_t i = 0; i < out->count; i++)
        memcpy(out->events[i].org_id, out->org_id, sizeof(out->org_id));
    hf__hook_mark_duplicates(out);
out:
    if (p.xp)
        XML_ParserFree(p.xp);
    free(p.text);
    if (rc) {
        hf_hook_batch_free(out);
        out->source = HF_HOOK_SALESFORCE;
    }
    return rc;
}

bool hf_hook_salesforce_org_matches(const char *configured, const char *got)
{
    if (!configured || !got || !*configured || !*got)
        return false;
    size_t a = strlen(configured), b = strlen(got);
    if (a == b)
        return strcmp(configured, got) == 0;
    if ((a == 15 && b == 18) || (a == 18 && b == 15))
        return strncmp(configured, got, 15) == 0;
    return false;
}

/* INTEGRATIONS.md, byte for byte (tests/data/hooks/salesforce/ack.xml). */
static const char ACK[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
    "<soapenv:Body>\n"
    "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">"
    "<Ack>true</Ack></notificationsResponse>\n"
    "</soapenv:Body></soapenv:Envelope>\n";

const char *hf_hook_salesforce_ack(size_t *len)
{
    if (len)
        *len = sizeof(ACK) - 1;
    return ACK;
}
