/* The configuration of an integration (include/handoff/integration.h): parsing and
 * checking the JSON object RevOps writes, its normalized form, and the two questions the
 * triggers ask of it on every event — who owns this deal in Handoff, and which segment is
 * it. Pure: no clock, no disk, no network; fuzzed by tests/fuzz/fuzz_integration_config.c. */
#include "handoff/integration.h"

#include "handoff/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEXT_MAX 256

static const char *const segment_names[] = {"strategic", "enterprise", "mid_market", "smb"};

const char *hf_won_trigger_name(hf_won_trigger t)
{
    return t == HF_WON_VERBAL_COMMIT ? "verbal_commit" : "contract_signature";
}

void hf_integration_config_init(hf_integration_config *c, hf_hook_source source)
{
    memset(c, 0, sizeof(*c));
    c->source = source;
    snprintf(c->csv_dates, sizeof(c->csv_dates), "auto");
    snprintf(c->csv_decimal, sizeof(c->csv_decimal), "auto");
}

static void free_list(char **list)
{
    for (char **p = list; p && *p; p++)
        free(*p);
    free(list);
}

void hf_integration_config_free(hf_integration_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_won_stages; i++) {
        free((char *)c->won_stages[i].pipeline);
        free((char *)c->won_stages[i].stage);
    }
    free(c->won_stages);
    free_list(c->won_stage_names);
    for (size_t i = 0; i < c->n_owners; i++) {
        free(c->owners[i].crm);
        free(c->owners[i].email);
    }
    free(c->owners);
    for (size_t i = 0; i < c->n_segment_rules; i++) {
        free(c->segment_rules[i].field);
        free_list(c->segment_rules[i].equals);
    }
    free(c->segment_rules);
    for (size_t i = 0; i < c->n_fields; i++) {
        free(c->fields[i].from);
        free(c->fields[i].to);
    }
    free(c->fields);
    hf_integration_config_init(c, c->source);
}

/* ---- checks ---- */

static int bad(hf_error *err, const char *path, const char *msgid, const char *arg)
{
    return hf_error_setf_id(err, HF_EINVAL, path, msgid, arg);
}

static int oom(hf_error *err)
{
    return hf_error_set(err, HF_ENOMEM, NULL, "out of memory");
}

/* A non-empty string of at most `max` bytes without control characters. */
static bool good_text(const json_t *v, size_t max)
{
    if (!json_is_string(v))
        return false;
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n == 0 || n > max || strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

static int need_text(const json_t *v, size_t max, const char *path, hf_error *err)
{
    if (good_text(v, max))
        return 0;
    char limit[32];
    snprintf(limit, sizeof(limit), "%zu", max);
    return bad(err, path, N_("expected a text of 1 to %s bytes"), limit);
}

static bool good_email(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    return n >= 3 && n <= 254 && at && at != s && at[1] && !strchr(s, ' ') && !strchr(at + 1, '@');
}

bool hf_integration_path_allowed(const char *path)
{
    static const char *const roots[] = {
        "customer.",   "objectives.", "scope.",       "technical.",      "implementation.",
        "commercial.", "deal.name",   "deal.segment", "deal.owner.name", "deal.payment."};
    if (!path || !*path || strlen(path) > 200)
        return false;
    for (const char *p = path; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok || (c == '.' && (p == path || p[1] == '.' || p[1] == '\0')))
            return false;
    }
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        size_t n = strlen(roots[i]);
        if (roots[i][n - 1] == '.' ? strncmp(path, roots[i], n) == 0 && path[n]
                                   : strcmp(path, roots[i]) == 0)
            return true;
    }
    return false;
}

static bool segment_known(const char *s)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(s, segment_names[i]) == 0)
            return true;
    return false;
}

static char *lower_dup(const char *s)
{
    char *d = strdup(s);
    for (char *p = d; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    return d;
}

/* ---- the parts ---- */

static int parse_won_stages(hf_integration_config *c, const json_t *v, hf_error *err)
{
    if (!json_is_array(v))
        return bad(err, "won_stages", N_("expected an array"), NULL);
    size_t n = json_array_size(v);
    if (n > HF_INTEGRATION_LIST_MAX)
        return bad(err, "won_stages", N_("expected at most %s entries"), "500");
    c->won_stages = calloc(n ? n : 1, sizeof(*c->won_stages));
    c->won_stage_names = calloc(n + 1, sizeof(char *));
    if (!c->won_stages || !c->won_stage_names)
        return oom(err);
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i), *stage = e, *pipe = NULL;
        char path[64];
        snprintf(path, sizeof(path), "won_stages[%zu]", i);
        if (json_is_object(e)) {
            const char *key;
            const json_t *x;
            json_object_foreach((json_t *)e, key, x)
            {
                if (strcmp(key, "stage") != 0 && strcmp(key, "pipeline") != 0) {
                    snprintf(path, sizeof(path), "won_stages[%zu].%.32s", i, key);
                    return bad(err, path, N_("unknown setting %s"), key);
                }
            }
            stage = json_object_get(e, "stage");
            pipe = json_object_get(e, "pipeline");
            if (json_is_null(pipe))
                pipe = NULL;
            snprintf(path, sizeof(path), "won_stages[%zu].stage", i);
        }
        int rc = need_text(stage, HF_HOOK_ID_MAX - 1, path, err);
        if (!rc && pipe) {
            snprintf(path, sizeof(path), "won_stages[%zu].pipeline", i);
            rc = need_text(pipe, HF_HOOK_ID_MAX - 1, path, err);
        }
        if (rc)
            return rc;
        c->won_stages[i].stage = strdup(json_string_value(stage));
        c->won_stages[i].pipeline = pipe ? strdup(json_string_value(pipe)) : NULL;
        c->won_stage_names[i] = strdup(json_string_value(stage));
        c->n_won_stages = i + 1;
        if (!c->won_stages[i].stage || !c->won_stage_names[i] ||
            (pipe && !c->won_stages[i].pipeline))
            return oom(err);
    }
    return 0;
}

static int parse_owners(hf_integration_config *c, const json_t *v, hf_error *err)
{
    if (!json_is_object(v))
        return bad(err, "owners", N_("expected an object"), NULL);
    size_t n = json_object_size(v);
    if (n > HF_INTEGRATION_LIST_MAX)
        return bad(err, "owners", N_("expected at most %s entries"), "500");
    c->owners = calloc(n ? n : 1, sizeof(*c->owners));
    if (!c->owners)
        return oom(err);
    const char *key;
    const json_t *x;
    json_object_foreach((json_t *)v, key, x)
    {
        char path[HF_ERROR_PATH_MAX];
        snprintf(path, sizeof(path), "owners.%.200s", key);
        size_t kn = strlen(key);
        if (kn == 0 || kn > TEXT_MAX)
            return bad(err, path, N_("expected a text of 1 to %s bytes"), "256");
        if (!json_is_string(x) || !good_email(json_string_value(x)))
            return bad(err, path, N_("expected an e-mail address%s"), "");
        hf_owner_mapping *m = &c->owners[c->n_owners++];
        m->crm = strdup(key);
        m->email = lower_dup(json_string_value(x));
        if (!m->crm || !m->email)
            return oom(err);
    }
    return 0;
}

static int parse_number(const json_t *v, double *out, const char *path, hf_error *err)
{
    if (!json_is_number(v))
        return bad(err, path, N_("expected a number"), NULL);
    *out = json_number_value(v);
    return 0;
}

static int parse_rule(hf_segment_rule *r, const json_t *e, size_t i, hf_error *err)
{
    char path[64];
    snprintf(path, sizeof(path), "segment_rules[%zu]", i);
    if (!json_is_object(e))
        return bad(err, path, N_("expected an object"), NULL);
    const char *key;
    const json_t *x;
    json_object_foreach((json_t *)e, key, x)
    {
        if (strcmp(key, "segment") && strcmp(key, "field") && strcmp(key, "min") &&
            strcmp(key, "max") && strcmp(key, "equals")) {
            snprintf(path, sizeof(path), "segment_rules[%zu].%.32s", i, key);
            return bad(err, path, N_("unknown setting %s"), key);
        }
    }
    const json_t *seg = json_object_get(e, "segment");
    snprintf(path, sizeof(path), "segment_rules[%zu].segment", i);
    if (!json_is_string(seg) || !segment_known(json_string_value(seg)))
        return bad(err, path, N_("expected one of %s"), "strategic, enterprise, mid_market, smb");
    snprintf(r->segment, sizeof(r->segment), "%s", json_string_value(seg));
    const json_t *field = json_object_get(e, "field");
    const json_t *min = json_object_get(e, "min"), *max = json_object_get(e, "max");
    const json_t *eq = json_object_get(e, "equals");
    int rc;
    if (!field) {
        if (min || max || eq) {
            snprintf(path, sizeof(path), "segment_rules[%zu].field", i);
            return bad(err, path, N_("a condition needs the field it compares%s"), "");
        }
        return 0;
    }
    snprintf(path, sizeof(path), "segment_rules[%zu].field", i);
    if ((rc = need_text(field, HF_HOOK_ID_MAX - 1, path, err)))
        return rc;
    if (!min && !max && !eq)
        return bad(err, path, N_("a rule with a field needs min, max or equals%s"), "");
    if (eq && (min || max)) {
        snprintf(path, sizeof(path), "segment_rules[%zu].equals", i);
        return bad(err, path, N_("a rule compares with equals, or with min and max, not both%s"),
                   "");
    }
    r->field = strdup(json_string_value(field));
    if (!r->field)
        return oom(err);
    if (min) {
        snprintf(path, sizeof(path), "segment_rules[%zu].min", i);
        if ((rc = parse_number(min, &r->min, path, err)))
            return rc;
        r->has_min = true;
    }
    if (max) {
        snprintf(path, sizeof(path), "segment_rules[%zu].max", i);
        if ((rc = parse_number(max, &r->max, path, err)))
            return rc;
        r->has_max = true;
    }
    if (eq) {
        snprintf(path, sizeof(path), "segment_rules[%zu].equals", i);
        json_t *list = json_is_string(eq) ? json_pack("[O]", eq) : json_incref((json_t *)eq);
        size_t n = json_array_size(list);
        if (!json_is_array(list) || n == 0 || n > 100) {
            json_decref(list);
            return bad(err, path, N_("expected a text or a list of texts%s"), "");
        }
        r->equals = calloc(n + 1, sizeof(char *));
        for (size_t k = 0; r->equals && k < n; k++) {
            if (!good_text(json_array_get(list, k), TEXT_MAX)) {
                json_decref(list);
                return bad(err, path, N_("expected a text or a list of texts%s"), "");
            }
            r->equals[k] = strdup(json_string_value(json_array_get(list, k)));
            if (!r->equals[k])
                break;
        }
        bool complete = r->equals && r->equals[n - 1];
        json_decref(list);
        if (!complete)
            return oom(err);
    }
    return 0;
}

static int parse_rules(hf_integration_config *c, const json_t *v, hf_error *err)
{
    if (!json_is_array(v))
        return bad(err, "segment_rules", N_("expected an array"), NULL);
    size_t n = json_array_size(v);
    if (n > 100)
        return bad(err, "segment_rules", N_("expected at most %s entries"), "100");
    c->segment_rules = calloc(n ? n : 1, sizeof(*c->segment_rules));
    if (!c->segment_rules)
        return oom(err);
    for (size_t i = 0; i < n; i++) {
        c->n_segment_rules = i + 1;
        int rc = parse_rule(&c->segment_rules[i], json_array_get(v, i), i, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse_fields(hf_integration_config *c, const json_t *v, hf_error *err)
{
    if (!json_is_object(v))
        return bad(err, "field_map", N_("expected an object"), NULL);
    size_t n = json_object_size(v);
    if (n > 200)
        return bad(err, "field_map", N_("expected at most %s entries"), "200");
    c->fields = calloc(n ? n : 1, sizeof(*c->fields));
    if (!c->fields)
        return oom(err);
    const char *key;
    const json_t *x;
    json_object_foreach((json_t *)v, key, x)
    {
        char path[HF_ERROR_PATH_MAX];
        snprintf(path, sizeof(path), "field_map.%.200s", key);
        size_t kn = strlen(key);
        if (kn == 0 || kn >= HF_HOOK_ID_MAX)
            return bad(err, path, N_("expected a text of 1 to %s bytes"), "127");
        if (!json_is_string(x) || !hf_integration_path_allowed(json_string_value(x)))
            return bad(err, path,
                       N_("expected a document path under customer, objectives, scope, "
                          "technical, implementation or commercial, or deal.name, "
                          "deal.segment, deal.owner.name, deal.payment%s"),
                       "");
        hf_field_mapping *m = &c->fields[c->n_fields++];
        m->from = strdup(key);
        m->to = strdup(json_string_value(x));
        if (!m->from || !m->to)
            return oom(err);
    }
    return 0;
}

static int parse_choice(const json_t *v, const char *const *choices, size_t n, char *dst,
                        size_t cap, const char *path, const char *shown, hf_error *err)
{
    if (json_is_string(v))
        for (size_t i = 0; i < n; i++)
            if (strcmp(json_string_value(v), choices[i]) == 0) {
                snprintf(dst, cap, "%s", choices[i]);
                return 0;
            }
    return bad(err, path, N_("expected one of %s"), shown);
}

static int parse_csv(hf_integration_config *c, const json_t *v, hf_error *err)
{
    static const char *const dates[] = {"auto", "mdy", "dmy"};
    static const char *const decimals[] = {"auto", "point", "comma"};
    if (!json_is_object(v))
        return bad(err, "csv", N_("expected an object"), NULL);
    const char *key;
    const json_t *x;
    json_object_foreach((json_t *)v, key, x)
    {
        char path[64];
        snprintf(path, sizeof(path), "csv.%.32s", key);
        int rc;
        if (strcmp(key, "dates") == 0)
            rc = parse_choice(x, dates, 3, c->csv_dates, sizeof(c->csv_dates), path,
                              "auto, mdy, dmy", err);
        else if (strcmp(key, "decimal") == 0)
            rc = parse_choice(x, decimals, 3, c->csv_decimal, sizeof(c->csv_decimal), path,
                              "auto, point, comma", err);
        else
            rc = bad(err, path, N_("unknown setting %s"), key);
        if (rc)
            return rc;
    }
    return 0;
}

static bool good_zone(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || s[0] == '/' || strstr(s, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '/' || ch == '_' || ch == '-' || ch == '+'))
            return false;
    }
    return true;
}

static bool good_org(const char *s)
{
    size_t n = strlen(s);
    if (n != 15 && n != 18)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
            return false;
    }
    return true;
}

static bool good_url(const char *s)
{
    size_t n = strlen(s);
    if (n > 255)
        return false;
    const char *rest = strncmp(s, "https://", 8) == 0  ? s + 8
                       : strncmp(s, "http://", 7) == 0 ? s + 7
                                                       : NULL;
    if (!rest || !*rest || *rest == '/')
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#')
            return false;
    return true;
}

/* Which keys apply to which sources: a key that does not is refused rather than ignored,
 * so that a misplaced setting is seen when it is written. */
static bool applies(const char *key, hf_hook_source s)
{
    if (strcmp(key, "won_stages") == 0)
        return s == HF_HOOK_HUBSPOT || s == HF_HOOK_SALESFORCE;
    if (strcmp(key, "org_id") == 0)
        return s == HF_HOOK_SALESFORCE;
    if (strcmp(key, "esign_field") == 0)
        return s == HF_HOOK_DOCUSIGN || s == HF_HOOK_PANDADOC;
    if (strcmp(key, "api_base") == 0 || strcmp(key, "legacy_signatures") == 0)
        return s == HF_HOOK_HUBSPOT;
    return true;
}

int hf_integration_config_from_json(hf_hook_source source, const json_t *obj,
                                    hf_integration_config *out, hf_error *err)
{
    hf_integration_config_init(out, source);
    if (!json_is_object(obj))
        return bad(err, "config", N_("expected an object"), NULL);
    const char *key;
    const json_t *v;
    int rc = 0;
    json_object_foreach((json_t *)obj, key, v)
    {
        char path[64];
        snprintf(path, sizeof(path), "%.60s", key);
        if (json_is_null(v))
            continue; /* null means "the default", as in a merge patch */
        if (!applies(key, source)) {
            rc = bad(err, path, N_("%s does not apply to this source"), key);
        } else if (strcmp(key, "won_stages") == 0) {
            rc = parse_won_stages(out, v, err);
        } else if (strcmp(key, "owners") == 0) {
            rc = parse_owners(out, v, err);
        } else if (strcmp(key, "segment_rules") == 0) {
            rc = parse_rules(out, v, err);
        } else if (strcmp(key, "field_map") == 0) {
            rc = parse_fields(out, v, err);
        } else if (strcmp(key, "won_trigger") == 0) {
            char t[24];
            static const char *const triggers[] = {"contract_signature", "verbal_commit"};
            rc = parse_choice(v, triggers, 2, t, sizeof(t), path,
                              "contract_signature, verbal_commit", err);
            out->won_trigger =
                strcmp(t, "verbal_commit") == 0 ? HF_WON_VERBAL_COMMIT : HF_WON_CONTRACT_SIGNATURE;
        } else if (strcmp(key, "timezone") == 0) {
            if (!json_is_string(v) || !good_zone(json_string_value(v)))
                rc = bad(err, path, N_("expected an IANA time zone name, not \"%s\""),
                         json_is_string(v) ? json_string_value(v) : "");
            else
                snprintf(out->timezone, sizeof(out->timezone), "%s", json_string_value(v));
        } else if (strcmp(key, "csv") == 0) {
            rc = parse_csv(out, v, err);
        } else if (strcmp(key, "org_id") == 0) {
            if (!json_is_string(v) || !good_org(json_string_value(v)))
                rc = bad(err, path,
                         N_("expected a Salesforce organization id (15 or 18 letters and "
                            "digits)%s"),
                         "");
            else
                snprintf(out->org_id, sizeof(out->org_id), "%s", json_string_value(v));
        } else if (strcmp(key, "esign_field") == 0) {
            rc = need_text(v, HF_HOOK_ID_MAX - 1, path, err);
            if (!rc)
                snprintf(out->esign_field, sizeof(out->esign_field), "%s", json_string_value(v));
        } else if (strcmp(key, "api_base") == 0) {
            if (!json_is_string(v) || !good_url(json_string_value(v)))
                rc =
                    bad(err, path, N_("expected an http:// or https:// URL without a query%s"), "");
            else
                snprintf(out->api_base, sizeof(out->api_base), "%s", json_string_value(v));
        } else if (strcmp(key, "legacy_signatures") == 0) {
            if (!json_is_boolean(v))
                rc = bad(err, path, N_("expected true or false"), NULL);
            else
                out->legacy_signatures = json_is_true(v);
        } else {
            rc = bad(err, path, N_("unknown setting %s"), key);
        }
        if (rc)
            break;
    }
    if (rc)
        hf_integration_config_free(out);
    return rc;
}

int hf_integration_config_parse(hf_hook_source source, const char *text, size_t len,
                                hf_integration_config *out, hf_error *err)
{
    hf_integration_config_init(out, source);
    if (!text || len > HF_INTEGRATION_CONFIG_MAX)
        return bad(err, "config", N_("expected a JSON object of at most 256 KiB%s"), "");
    json_error_t je;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!obj) {
        hf_error_set(err, HF_EINVAL, "config", "invalid JSON at line %d, column %d: %s", je.line,
                     je.column, je.text);
        err->line = je.line;
        err->column = je.column;
        return HF_EINVAL;
    }
    int rc = hf_integration_config_from_json(source, obj, out, err);
    json_decref(obj);
    return rc;
}

json_t *hf_integration_config_to_json(const hf_integration_config *c)
{
    json_t *o = json_object();
    if (c->source == HF_HOOK_HUBSPOT || c->source == HF_HOOK_SALESFORCE) {
        json_t *won = json_array();
        for (size_t i = 0; i < c->n_won_stages; i++)
            json_array_append_new(
                won, c->won_stages[i].pipeline
                         ? json_pack("{s:s,s:s}", "pipeline", c->won_stages[i].pipeline, "stage",
                                     c->won_stages[i].stage)
                         : json_pack("{s:n,s:s}", "pipeline", "stage", c->won_stages[i].stage));
        json_object_set_new(o, "won_stages", won);
    }
    json_t *owners = json_object();
    for (size_t i = 0; i < c->n_owners; i++)
        json_object_set_new(owners, c->owners[i].crm, json_string(c->owners[i].email));
    json_object_set_new(o, "owners", owners);
    json_t *rules = json_array();
    for (size_t i = 0; i < c->n_segment_rules; i++) {
        const hf_segment_rule *r = &c->segment_rules[i];
        json_t *j = json_pack("{s:s}", "segment", r->segment);
        if (r->field)
            json_object_set_new(j, "field", json_string(r->field));
        if (r->has_min)
            json_object_set_new(j, "min", json_real(r->min));
        if (r->has_max)
            json_object_set_new(j, "max", json_real(r->max));
        if (r->equals) {
            json_t *eq = json_array();
            for (char **p = r->equals; *p; p++)
                json_array_append_new(eq, json_string(*p));
            json_object_set_new(j, "equals", eq);
        }
        json_array_append_new(rules, j);
    }
    json_object_set_new(o, "segment_rules", rules);
    json_t *fields = json_object();
    for (size_t i = 0; i < c->n_fields; i++)
        json_object_set_new(fields, c->fields[i].from, json_string(c->fields[i].to));
    json_object_set_new(o, "field_map", fields);
    json_object_set_new(o, "won_trigger", json_string(hf_won_trigger_name(c->won_trigger)));
    json_object_set_new(o, "timezone", c->timezone[0] ? json_string(c->timezone) : json_null());
    json_object_set_new(o, "csv",
                        json_pack("{s:s,s:s}", "dates", c->csv_dates, "decimal", c->csv_decimal));
    if (c->source == HF_HOOK_SALESFORCE)
        json_object_set_new(o, "org_id", c->org_id[0] ? json_string(c->org_id) : json_null());
    if (c->source == HF_HOOK_DOCUSIGN || c->source == HF_HOOK_PANDADOC)
        json_object_set_new(o, "esign_field",
                            json_string(c->esign_field[0] ? c->esign_field : "crm_deal_id"));
    if (c->source == HF_HOOK_HUBSPOT) {
        json_object_set_new(o, "api_base",
                            json_string(c->api_base[0] ? c->api_base : "https://api.hubapi.com"));
        json_object_set_new(o, "legacy_signatures", json_boolean(c->legacy_signatures));
    }
    return o;
}

const char *hf_integration_owner(const hf_integration_config *c, const char *crm_key)
{
    if (!crm_key || !*crm_key)
        return NULL;
    for (size_t i = 0; i < c->n_owners; i++)
        if (strcasecmp(c->owners[i].crm, crm_key) == 0)
            return c->owners[i].email;
    return NULL;
}

static bool rule_matches(const hf_segment_rule *r, hf_deal_field_fn get, void *ctx)
{
    if (!r->field)
        return true;
    const json_t *v = get ? get(ctx, r->field) : NULL;
    if (!v)
        return false;
    if (r->equals) {
        char num[64];
        const char *s = json_string_value(v);
        if (!s && json_is_integer(v)) {
            snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
            s = num;
        }
        for (char **p = r->equals; s && *p; p++)
            if (strcasecmp(s, *p) == 0)
                return true;
        return false;
    }
    if (!json_is_number(v))
        return false;
    double x = json_number_value(v);
    return (!r->has_min || x >= r->min) && (!r->has_max || x < r->max);
}

const char *hf_integration_segment(const hf_integration_config *c, hf_deal_field_fn get, void *ctx)
{
    for (size_t i = 0; i < c->n_segment_rules; i++)
        if (rule_matches(&c->segment_rules[i], get, ctx))
            return c->segment_rules[i].segment;
    return NULL;
}

/* A decimal number written on a command line ("100000", "2.5e5"), read without strtod
 * (which follows the locale). */
static bool read_number(const char *s, double *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40)
        return false;
    json_t *v = json_loadb(s, n, JSON_DECODE_ANY, NULL);
    bool ok = json_is_number(v);
    if (ok)
        *out = json_number_value(v);
    json_decref(v);
    return ok;
}

int hf_integration_segment_rule_parse(const char *text, json_t **rule, hf_error *err)
{
    *rule = NULL;
    const char *shown = text ? text : "";
    if (!text || strlen(text) > 1024)
        return bad(err, "segment_rule",
                   N_("expected SEGMENT, SEGMENT:FIELD>=NUMBER, SEGMENT:FIELD<NUMBER or "
                      "SEGMENT:FIELD=VALUE, not \"%s\""),
                   "");
    char buf[1025];
    snprintf(buf, sizeof(buf), "%s", text);
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = '\0';
    if (!segment_known(buf))
        goto fail;
    json_t *r = json_pack("{s:s}", "segment", buf);
    if (!colon) {
        *rule = r;
        return 0;
    }
    char *cond = colon + 1;
    char *op = strpbrk(cond, "<>=");
    if (!op || op == cond) {
        json_decref(r);
        goto fail;
    }
    char field[HF_HOOK_ID_MAX];
    size_t fn = (size_t)(op - cond);
    if (fn >= sizeof(field)) {
        json_decref(r);
        goto fail;
    }
    memcpy(field, cond, fn);
    field[fn] = '\0';
    json_object_set_new(r, "field", json_string(field));
    double x;
    if (strncmp(op, ">=", 2) == 0 && read_number(op + 2, &x)) {
        json_object_set_new(r, "min", json_real(x));
    } else if (op[0] == '<' && op[1] != '=' && read_number(op + 1, &x)) {
        json_object_set_new(r, "max", json_real(x));
    } else if (op[0] == '=' && op[1]) {
        json_t *eq = json_array();
        for (char *p = op + 1; p && *p;) {
            char *bar = strchr(p, '|');
            if (bar)
                *bar = '\0';
            if (*p)
                json_array_append_new(eq, json_string(p));
            p = bar ? bar + 1 : NULL;
        }
        json_object_set_new(r, "equals", eq);
    } else {
        json_decref(r);
        goto fail;
    }
    *rule = r;
    return 0;
fail:
    return bad(err, "segment_rule",
               N_("expected SEGMENT, SEGMENT:FIELD>=NUMBER, SEGMENT:FIELD<NUMBER or "
                  "SEGMENT:FIELD=VALUE, not \"%s\""),
               shown);
}
