/* `handoff integration`: the CRM and e-signature accounts that start handoffs, from the
 * command line, through the same service functions as the API (RevOps or the operator).
 * Options become the integration's configuration object (handoff/integration.h); secrets
 * come from a file or standard input, never from the command line, and never come back.
 *
 *   handoff integration add SOURCE [--secret-file FILE] [--token-file FILE] [options]
 *   handoff integration set ID [--secret-file FILE] [--token-file FILE] [options]
 *   handoff integration list | show ID | remove ID
 *   handoff integration events [--integration ID] [--limit N] | event ID
 *   handoff integration replay EVENT-ID | prune [--integration ID]
 *
 * Options: --name N, --won-stage [PIPELINE:]STAGE ..., --owner CRMID=EMAIL ...,
 * --segment-rule RULE ..., --field CRMFIELD=PATH ..., --won-trigger T, --timezone TZ,
 * --org-id ID, --esign-field NAME, --api-base URL, --legacy-signatures,
 * --retention-days N, --config FILE.JSON, --public-url URL, --key-file FILE. */
#include "cli/cli.h"

#include "handoff/credentials.h"
#include "handoff/id.h"
#include "handoff/integration.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_NAME = 1600,
    OPT_SECRET_FILE,
    OPT_TOKEN_FILE,
    OPT_WON_STAGE,
    OPT_OWNER,
    OPT_SEGMENT_RULE,
    OPT_FIELD,
    OPT_WON_TRIGGER,
    OPT_TIMEZONE,
    OPT_ORG_ID,
    OPT_ESIGN_FIELD,
    OPT_API_BASE,
    OPT_LEGACY,
    OPT_RETENTION,
    OPT_CONFIG,
    OPT_PUBLIC_URL,
    OPT_KEY_FILE,
    OPT_INTEGRATION,
    OPT_LIMIT,
};

#define MAX_LIST 500

typedef struct integ_opts {
    cli_common o;
    const char *name, *secret_file, *token_file, *won_trigger, *timezone, *org_id, *esign_field,
        *api_base, *config_file, *public_url, *key_file;
    const char *won_stages[MAX_LIST], *owners[MAX_LIST], *rules[MAX_LIST], *fields[MAX_LIST];
    size_t n_won, n_owners, n_rules, n_fields;
    bool legacy;
    bool has_retention;
    int64_t retention, integration, limit;
} integ_opts;

static const char *usage_text =
    N_("Usage: handoff integration add SOURCE [--secret-file FILE] [--token-file FILE] "
       "[--won-stage [PIPELINE:]STAGE ...] [--owner CRMID=EMAIL ...] [--segment-rule RULE ...] "
       "[--field CRMFIELD=PATH ...] [--won-trigger contract_signature|verbal_commit] "
       "[--timezone TZ] [--org-id ID] [--esign-field NAME] [--api-base URL] "
       "[--legacy-signatures] [--retention-days N] [--config FILE] [--name N] | handoff "
       "integration set ID [the same options] | list | show ID | remove ID | events "
       "[--integration ID] [--limit N] | event ID | replay EVENT-ID | prune [--integration ID]");

static const char *what_text =
    N_("Connect the CRMs and e-signature tools whose events start handoffs. 'add' prints the "
       "webhook URL to paste into the source (built from --public-url, else "
       "HANDOFF_PUBLIC_URL, else http://127.0.0.1:8080). SOURCE is hubspot, salesforce, "
       "pipedrive, docusign, pandadoc or generic. The signing secret is read from "
       "--secret-file FILE, else from standard input (Pipedrive: user:password; Salesforce "
       "needs none, give --org-id); HubSpot's API token from --token-file. Secrets are sealed "
       "with the key file (HANDOFF_KEY_FILE, --key-file, default the database's path + .key, "
       "made when missing) and never printed. With 'set', list options replace the list, and "
       "--owner CRMID= or --field CRMFIELD= removes an entry. RULE is SEGMENT, "
       "SEGMENT:FIELD>=NUMBER, SEGMENT:FIELD<NUMBER or SEGMENT:FIELD=VALUE[|VALUE]: the first "
       "rule that matches gives the deal's segment. 'events' lists the deliveries received, "
       "'replay' applies one again with the current configuration, 'prune' deletes those "
       "older than each integration's retention.");

static int parse_opts(int argc, char **argv, integ_opts *p)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTIONS,
        {"name", required_argument, NULL, OPT_NAME},
        {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
        {"token-file", required_argument, NULL, OPT_TOKEN_FILE},
        {"won-stage", required_argument, NULL, OPT_WON_STAGE},
        {"owner", required_argument, NULL, OPT_OWNER},
        {"segment-rule", required_argument, NULL, OPT_SEGMENT_RULE},
        {"field", required_argument, NULL, OPT_FIELD},
        {"won-trigger", required_argument, NULL, OPT_WON_TRIGGER},
        {"timezone", required_argument, NULL, OPT_TIMEZONE},
        {"org-id", required_argument, NULL, OPT_ORG_ID},
        {"esign-field", required_argument, NULL, OPT_ESIGN_FIELD},
        {"api-base", required_argument, NULL, OPT_API_BASE},
        {"legacy-signatures", no_argument, NULL, OPT_LEGACY},
        {"retention-days", required_argument, NULL, OPT_RETENTION},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
        {"key-file", required_argument, NULL, OPT_KEY_FILE},
        {"integration", required_argument, NULL, OPT_INTEGRATION},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {NULL, 0, NULL, 0}};
    memset(p, 0, sizeof(*p));
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int64_t v;
        switch (c) {
        case 'h':
            cli_help(usage_text, what_text);
            return -1;
        case OPT_NAME:
            p->name = optarg;
            break;
        case OPT_SECRET_FILE:
            p->secret_file = optarg;
            break;
        case OPT_TOKEN_FILE:
            p->token_file = optarg;
            break;
        case OPT_WON_STAGE:
        case OPT_OWNER:
        case OPT_SEGMENT_RULE:
        case OPT_FIELD: {
            const char **list = c == OPT_WON_STAGE ? p->won_stages
                                : c == OPT_OWNER   ? p->owners
                                : c == OPT_FIELD   ? p->fields
                                                   : p->rules;
            size_t *n = c == OPT_WON_STAGE ? &p->n_won
                        : c == OPT_OWNER   ? &p->n_owners
                        : c == OPT_FIELD   ? &p->n_fields
                                           : &p->n_rules;
            if (*n == MAX_LIST)
                return cli_usage_error("integration", N_("at most %d of each option"), MAX_LIST);
            list[(*n)++] = optarg;
            break;
        }
        case OPT_WON_TRIGGER:
            p->won_trigger = optarg;
            break;
        case OPT_TIMEZONE:
            p->timezone = optarg;
            break;
        case OPT_ORG_ID:
            p->org_id = optarg;
            break;
        case OPT_ESIGN_FIELD:
            p->esign_field = optarg;
            break;
        case OPT_API_BASE:
            p->api_base = optarg;
            break;
        case OPT_LEGACY:
            p->legacy = true;
            break;
        case OPT_RETENTION:
            if (!hf_id_parse(optarg, &v) || v > 100000)
                return cli_usage_error("integration", N_("expected a number, not '%s'"), optarg);
            p->has_retention = true;
            p->retention = v;
            break;
        case OPT_CONFIG:
            p->config_file = optarg;
            break;
        case OPT_PUBLIC_URL:
            p->public_url = optarg;
            break;
        case OPT_KEY_FILE:
            p->key_file = optarg;
            break;
        case OPT_INTEGRATION:
        case OPT_LIMIT:
            if (!hf_id_parse(optarg, &v))
                return cli_usage_error("integration", N_("expected a number, not '%s'"), optarg);
            if (c == OPT_LIMIT)
                p->limit = v;
            else
                p->integration = v;
            break;
        default:
            if (!cli_common_option(c, optarg, &p->o))
                return cli_usage_error("integration", N_("unknown or incomplete option '%s'"),
                                       argv[optind - 1]);
        }
    }
    return cli_common_finish("integration", &p->o);
}

/* ---- the configuration from the options ---- */

/* `KEY=VALUE` into the object `o` (an empty VALUE removes the key: null in a patch). */
static int put_pair(json_t *o, const char *arg, const char *option)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return cli_usage_error("integration", N_("%s: expected KEY=VALUE, not '%s'"), option, arg);
    char key[512];
    size_t n = (size_t)(eq - arg);
    if (n >= sizeof(key))
        return cli_usage_error("integration", N_("%s: expected KEY=VALUE, not '%s'"), option, arg);
    memcpy(key, arg, n);
    key[n] = '\0';
    json_t *v = eq[1] ? json_string(eq + 1) : json_null();
    if (!v)
        return cli_usage_error("integration", N_("%s: expected KEY=VALUE, not '%s'"), option, arg);
    json_object_set_new(o, key, v);
    return 0;
}

/* The configuration (or the patch of it) the options describe; `source` says how to read
 * --won-stage (HubSpot stages may name their pipeline). */
static int config_of(const integ_opts *p, const char *source, json_t **out)
{
    json_t *c = NULL;
    int rc = 0;
    *out = NULL;
    if (p->config_file) {
        char *text;
        size_t len;
        rc = cli_read_file(p->config_file, &text, &len);
        if (rc)
            return rc;
        json_error_t je;
        c = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
        free(text);
        if (!json_is_object(c)) {
            json_decref(c);
            cli_errorf(N_("%s: line %d: %s"), p->config_file, je.line, _("expected a JSON object"));
            return EXIT_DATAERR;
        }
    } else {
        c = json_object();
    }
    if (p->n_won) {
        json_t *won = json_array();
        for (size_t i = 0; i < p->n_won; i++) {
            const char *colon =
                strcmp(source, "hubspot") == 0 ? strchr(p->won_stages[i], ':') : NULL;
            json_t *e = colon ? json_pack("{s:s%,s:s}", "pipeline", p->won_stages[i],
                                          (size_t)(colon - p->won_stages[i]), "stage", colon + 1)
                              : json_pack("{s:s}", "stage", p->won_stages[i]);
            if (e)
                json_array_append_new(won, e);
        }
        json_object_set_new(c, "won_stages", won);
    }
    if (p->n_owners) {
        json_t *o = json_object();
        for (size_t i = 0; i < p->n_owners && !rc; i++)
            rc = put_pair(o, p->owners[i], "--owner");
        json_object_set_new(c, "owners", o);
    }
    if (p->n_fields) {
        json_t *o = json_object();
        for (size_t i = 0; i < p->n_fields && !rc; i++)
            rc = put_pair(o, p->fields[i], "--field");
        json_object_set_new(c, "field_map", o);
    }
    if (p->n_rules) {
        json_t *rules = json_array();
        for (size_t i = 0; i < p->n_rules && !rc; i++) {
            json_t *r;
            hf_error err;
            if (hf_integration_segment_rule_parse(p->rules[i], &r, &err)) {
                char text[HF_ERROR_MSG_MAX];
                hf_svc_error_text(cli_lang, &err, text, sizeof(text));
                rc = cli_usage_error("integration", N_("--segment-rule: %s"), text);
            } else {
                json_array_append_new(rules, r);
            }
        }
        json_object_set_new(c, "segment_rules", rules);
    }
    const struct {
        const char *key, *value;
    } scalars[] = {{"won_trigger", p->won_trigger},
                   {"timezone", p->timezone},
                   {"org_id", p->org_id},
                   {"esign_field", p->esign_field},
                   {"api_base", p->api_base}};
    for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++)
        if (scalars[i].value) {
            json_t *v = json_string(scalars[i].value);
            if (v)
                json_object_set_new(c, scalars[i].key, v);
        }
    if (p->legacy)
        json_object_set_new(c, "legacy_signatures", json_true());
    if (rc) {
        json_decref(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* A secret from a file ("-": standard input): its first line, without the line end. */
static int read_secret(const char *path, char **out)
{
    char *text;
    size_t len;
    *out = NULL;
    int rc = cli_read_file(path, &text, &len);
    if (rc)
        return rc;
    size_t n = strcspn(text, "\r\n");
    text[n] = '\0';
    if (n < len)
        sodium_memzero(text + n, len - n);
    *out = text;
    return 0;
}

/* ---- the key file ---- */

static const char *key_path(const integ_opts *p, const char *db, char *buf, size_t cap)
{
    const char *env = getenv("HANDOFF_KEY_FILE");
    if (p->key_file)
        return p->key_file;
    if (env && *env)
        return env;
    return hf_key_file_default(db, buf, cap) ? buf : NULL;
}

/* Give the service the key (made when `create` and the file is missing). A missing key is
 * not an error here: the service says so when it needs it. */
static int load_key(const integ_opts *p, cli_session *x, bool create)
{
    char buf[1100];
    const char *path = key_path(p, p->o.db, buf, sizeof(buf));
    if (!path)
        return 0;
    unsigned char key[HF_SECRET_KEY_BYTES];
    hf_error err;
    int rc = hf_key_file_read(path, key, &err);
    if (rc == HF_ENOTFOUND && create) {
        rc = hf_key_file_create(path, key, &err);
        if (!rc)
            fprintf(stderr,
                    _("handoff: created the key file of integration secrets %s: back it up, "
                      "and give it to handoffd (HANDOFF_KEY_FILE or --key-file)\n"),
                    path);
    }
    if (rc == HF_ENOTFOUND)
        return 0;
    if (rc) {
        cli_errorf(N_("%s"), err.msg);
        return EXIT_NOINPUT;
    }
    hf_svc_set_secret_key(x->svc, key);
    sodium_memzero(key, sizeof(key));
    return 0;
}

/* ---- printing ---- */

static void endpoint_url(const integ_opts *p, const json_t *rec, char *out, size_t cap)
{
    const char *base = p->public_url;
    if (!base || !*base)
        base = getenv("HANDOFF_PUBLIC_URL");
    if (!base || !*base)
        base = "http://127.0.0.1:8080";
    size_t n = strlen(base);
    while (n && base[n - 1] == '/')
        n--;
    const char *path = json_string_value(json_object_get(rec, "endpoint_path"));
    snprintf(out, cap, "%.*s%s", (int)n, base, path ? path : "");
}

static void print_json(json_t *o)
{
    json_dumpf(o, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
}

static void print_integration_line(const integ_opts *p, const json_t *r)
{
    char url[1024];
    endpoint_url(p, r, url, sizeof(url));
    const json_t *secrets = json_object_get(r, "secrets");
    printf("%6lld  %s %s %s  %s\n", (long long)json_integer_value(json_object_get(r, "id")),
           PAD(json_string_value(json_object_get(r, "source")), 10),
           PAD(json_string_value(json_object_get(r, "name")), 20),
           json_is_true(json_object_get(secrets, "secret")) ? _("yes") : _("no"), url);
}

static int print_deliveries(const json_t *out)
{
    printf("%8s  %s %s %s %6s  %s\n", _("ID"), PAD(_("RECEIVED"), 20), PAD(_("SOURCE"), 10),
           PAD(_("VERDICT"), 14), _("STATUS"), _("EVENTS"));
    size_t i;
    const json_t *d;
    json_array_foreach(json_object_get(out, "items"), i, d)
    {
        const json_t *results = json_object_get(d, "results");
        char events[512] = "";
        size_t n = 0, k;
        const json_t *r;
        json_array_foreach(results, k, r)
        {
            const char *crm = json_string_value(json_object_get(r, "crm_id"));
            int w =
                snprintf(events + n, sizeof(events) - n, "%s%s:%s", n ? ", " : "",
                         crm && *crm ? crm : "-", json_string_value(json_object_get(r, "outcome")));
            if (w < 0 || (size_t)w >= sizeof(events) - n)
                break;
            n += (size_t)w;
        }
        const char *detail = json_string_value(json_object_get(d, "detail"));
        printf("%8lld  %s %s %s %6lld  %s\n",
               (long long)json_integer_value(json_object_get(d, "id")),
               PAD(json_string_value(json_object_get(d, "received_at")), 20),
               PAD(json_string_value(json_object_get(d, "source")), 10),
               PAD(json_string_value(json_object_get(d, "verdict")), 14),
               (long long)json_integer_value(json_object_get(d, "status")),
               events[0] ? events
               : detail  ? detail
                         : "");
    }
    return EXIT_OK;
}

/* ---- the command ---- */

static int need_id(const char *arg, int64_t *id)
{
    if (!hf_id_parse(arg, id))
        return cli_usage_error("integration", N_("expected a number, not '%s'"), arg);
    return 0;
}

static int add_or_set(integ_opts *p, cli_session *x, bool add, const char *arg, hf_error *err,
                      int *exit_rc)
{
    hf_integration_input in;
    memset(&in, 0, sizeof(in));
    int64_t id = 0;
    const char *source = arg;
    json_t *current = NULL, *config = NULL, *out = NULL;
    char *secret = NULL, *token = NULL;
    int rc = 0;
    *exit_rc = 0;
    if (!add) {
        if ((*exit_rc = need_id(arg, &id)))
            return 0;
        rc = hf_svc_integration_get(x->svc, &x->actor, id, &current, err);
        if (rc)
            return rc;
        source = json_string_value(json_object_get(current, "source"));
    }
    if ((*exit_rc = config_of(p, source ? source : "", &config)))
        goto out;
    /* the secret: a named file, else (add, a source that signs) standard input */
    const char *secret_from = p->secret_file;
    if (!secret_from && add && strcmp(source, "salesforce") != 0 &&
        !(p->token_file && strcmp(p->token_file, "-") == 0))
        secret_from = "-";
    if (secret_from && (*exit_rc = read_secret(secret_from, &secret)))
        goto out;
    if (p->token_file && (*exit_rc = read_secret(p->token_file, &token)))
        goto out;
    in.source = add ? source : NULL;
    in.name = p->name;
    in.config = add || json_object_size(config) ? config : NULL;
    in.secret = secret;
    in.api_token = token;
    in.has_retention = p->has_retention;
    in.retention_days = (int)p->retention;
    rc = add ? hf_svc_integration_create(x->svc, &x->actor, &in, p->o.now, &out, err)
             : hf_svc_integration_update(x->svc, &x->actor, id, &in, p->o.now, &out, err);
    if (rc)
        goto out;
    char url[1024];
    endpoint_url(p, out, url, sizeof(url));
    if (p->o.json) {
        json_object_set_new(out, "endpoint", json_string(url));
        print_json(out);
    } else {
        printf(add ? _("integration %lld (%s): %s\n") : _("integration %lld (%s) updated: %s\n"),
               (long long)json_integer_value(json_object_get(out, "id")),
               json_string_value(json_object_get(out, "source")), url);
    }
out:
    hf_secret_free(secret);
    hf_secret_free(token);
    json_decref(config);
    json_decref(current);
    json_decref(out);
    return rc;
}

int cmd_integration(int argc, char **argv)
{
    integ_opts *p = calloc(1, sizeof(*p));
    if (!p)
        return EXIT_SOFTWARE;
    int rc = parse_opts(argc, argv, p);
    if (rc) {
        free(p);
        return rc < 0 ? EXIT_OK : rc;
    }
    static const char *const subs[] = {"add",    "set",   "list",   "show", "remove",
                                       "events", "event", "replay", "prune"};
    static const int args[] = {1, 1, 0, 1, 1, 0, 1, 1, 0};
    int which = -1;
    for (int i = 0; optind < argc && i < 9; i++)
        if (strcmp(argv[optind], subs[i]) == 0)
            which = i;
    if (which < 0 || argc - optind - 1 != args[which]) {
        free(p);
        return cli_usage_error("integration", N_("%s"),
                               _("expected 'add SOURCE', 'set ID', 'list', 'show ID', 'remove "
                                 "ID', 'events', 'event ID', 'replay EVENT-ID' or 'prune'"));
    }
    const char *arg = args[which] ? argv[optind + 1] : NULL;
    const char *sub = subs[which];
    cli_session x;
    rc = cli_session_open(&p->o, false, &x);
    if (rc) {
        free(p);
        return rc;
    }
    rc = load_key(p, &x, which == 0);
    if (rc) {
        cli_session_close(&x);
        free(p);
        return rc;
    }
    hf_error err;
    hf_error_clear(&err);
    json_t *out = NULL;
    int exit_rc = 0, src = 0;
    int64_t id = 0;
    if (which <= 1) {
        src = add_or_set(p, &x, which == 0, arg, &err, &exit_rc);
    } else if (strcmp(sub, "list") == 0) {
        src = hf_svc_integration_list(x.svc, &x.actor, &out, &err);
        if (!src && p->o.json) {
            size_t i;
            json_t *it;
            char url[1024];
            json_array_foreach(json_object_get(out, "items"), i, it)
            {
                endpoint_url(p, it, url, sizeof(url));
                json_object_set_new(it, "endpoint", json_string(url));
            }
            print_json(out);
        } else if (!src) {
            printf("%6s  %s %s %s  %s\n", _("ID"), PAD(_("SOURCE"), 10), PAD(_("NAME"), 20),
                   _("SECRET"), _("ENDPOINT"));
            size_t i;
            json_t *it;
            json_array_foreach(json_object_get(out, "items"), i, it)
            {
                print_integration_line(p, it);
            }
        }
    } else if (strcmp(sub, "show") == 0 || strcmp(sub, "remove") == 0 ||
               strcmp(sub, "event") == 0 || strcmp(sub, "replay") == 0) {
        if (!(exit_rc = need_id(arg, &id))) {
            if (strcmp(sub, "show") == 0) {
                src = hf_svc_integration_get(x.svc, &x.actor, id, &out, &err);
                if (!src) {
                    char url[1024];
                    endpoint_url(p, out, url, sizeof(url));
                    json_object_set_new(out, "endpoint", json_string(url));
                    print_json(out);
                }
            } else if (strcmp(sub, "remove") == 0) {
                src = hf_svc_integration_delete(x.svc, &x.actor, id, &err);
                if (!src && !p->o.json)
                    printf(_("integration %lld removed\n"), (long long)id);
            } else if (strcmp(sub, "event") == 0) {
                src = hf_svc_hook_event_get(x.svc, &x.actor, id, &out, &err);
                if (!src)
                    print_json(out);
            } else {
                src = hf_svc_hook_replay(x.svc, &x.actor, id, p->o.now, &out, &err);
                if (!src && p->o.json)
                    print_json(out);
                else if (!src)
                    printf(_("delivery %lld replayed as delivery %lld: %s\n"), (long long)id,
                           (long long)json_integer_value(json_object_get(out, "id")),
                           json_string_value(json_object_get(out, "verdict")));
            }
        }
    } else if (strcmp(sub, "events") == 0) {
        src = hf_svc_hook_events(x.svc, &x.actor, p->integration, 0, (int)p->limit, &out, &err);
        if (!src && p->o.json)
            print_json(out);
        else if (!src)
            print_deliveries(out);
    } else {
        int64_t deleted = 0;
        src = hf_svc_hook_prune(x.svc, &x.actor, p->integration, p->o.now, &deleted, &err);
        if (!src && p->o.json)
            printf("{\"deleted\":%lld}\n", (long long)deleted);
        else if (!src)
            printf(
                _n("%lld delivery deleted\n", "%lld deliveries deleted\n", (unsigned long)deleted),
                (long long)deleted);
    }
    json_decref(out);
    cli_session_close(&x);
    if (!exit_rc && src)
        exit_rc = cli_report_error(arg ? arg : "integration", &err);
    free(p);
    return exit_rc;
}
