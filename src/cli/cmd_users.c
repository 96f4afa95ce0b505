/* `handoff user`, `handoff token` and `handoff team`: people and machines from the command
 * line (the first administrator has no one to ask over HTTP). Each subcommand calls the
 * service as the acting person (--as), like the API.
 *
 *   handoff user add EMAIL --role ROLE [--name N] [--team ID] [--capacity N]
 *       [--segments S,...] [--user-lang L]      password: HANDOFF_PASSWORD or standard input
 *   handoff user set EMAIL [--role R] [--name N] [--team ID|none] [--capacity N]
 *       [--segments S,...] [--user-lang L] [--disable|--enable] [--password]
 *   handoff user list [--json]
 *   handoff token create --user EMAIL [--name N] [--scopes "read write gate"]
 *   handoff token list [--json] | handoff token revoke ID
 *   handoff team add NAME --kind sales|cs [--manager EMAIL] | handoff team list [--json] */
#include "cli/cli.h"

#include "handoff/id.h"

#include "handoff/credentials.h"
#include "handoff/store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_ROLE = 1400,
    OPT_NAME,
    OPT_TEAM,
    OPT_CAPACITY,
    OPT_SEGMENTS,
    OPT_USER_LANG,
    OPT_DISABLE,
    OPT_ENABLE,
    OPT_PASSWORD,
    OPT_USER,
    OPT_SCOPES,
    OPT_KIND,
    OPT_MANAGER,
};

typedef struct people_opts {
    cli_common o;
    hf_user_input in;
    const char *user, *name, *scopes, *kind, *manager;
    bool password;
} people_opts;

static int read_password(char *buf, size_t cap)
{
    const char *env = getenv("HANDOFF_PASSWORD");
    if (env && *env) {
        snprintf(buf, cap, "%s", env);
    } else {
        if (!fgets(buf, (int)cap, stdin))
            return -1;
        buf[strcspn(buf, "\r\n")] = '\0';
    }
    return strlen(buf) >= 10 ? 0 : -1;
}

/* Options of the three commands; positionals stay at argv[optind..]. */
static int parse_people(const char *cmd, int argc, char **argv, people_opts *p, const char *usage,
                        const char *what)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"role", required_argument, NULL, OPT_ROLE},
                                         {"name", required_argument, NULL, OPT_NAME},
                                         {"team", required_argument, NULL, OPT_TEAM},
                                         {"capacity", required_argument, NULL, OPT_CAPACITY},
                                         {"segments", required_argument, NULL, OPT_SEGMENTS},
                                         {"user-lang", required_argument, NULL, OPT_USER_LANG},
                                         {"disable", no_argument, NULL, OPT_DISABLE},
                                         {"enable", no_argument, NULL, OPT_ENABLE},
                                         {"password", no_argument, NULL, OPT_PASSWORD},
                                         {"user", required_argument, NULL, OPT_USER},
                                         {"scopes", required_argument, NULL, OPT_SCOPES},
                                         {"kind", required_argument, NULL, OPT_KIND},
                                         {"manager", required_argument, NULL, OPT_MANAGER},
                                         {NULL, 0, NULL, 0}};
    memset(p, 0, sizeof(*p));
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int64_t v;
        switch (c) {
        case 'h':
            cli_help(usage, what);
            return -1;
        case OPT_ROLE:
            if (!hf_role_parse(optarg, &p->in.role))
                return cli_usage_error(cmd,
                                       N_("--role: expected account_executive, sales_manager, "
                                          "csm, cs_manager, revops or viewer, not '%s'"),
                                       optarg);
            p->in.has_role = true;
            break;
        case OPT_NAME:
            p->in.name = p->name = optarg;
            break;
        case OPT_TEAM:
            p->in.has_team = true;
            if (strcmp(optarg, "none") == 0)
                p->in.team_id = 0;
            else if (hf_id_parse(optarg, &v))
                p->in.team_id = v;
            else
                return cli_usage_error(cmd, N_("expected a number, not '%s'"), optarg);
            break;
        case OPT_CAPACITY:
            if (!hf_id_parse(optarg, &v) && strcmp(optarg, "0") != 0)
                return cli_usage_error(cmd, N_("expected a number, not '%s'"), optarg);
            p->in.has_capacity = true;
            p->in.capacity = strcmp(optarg, "0") == 0 ? 0 : v;
            break;
        case OPT_SEGMENTS:
            p->in.segments = optarg;
            break;
        case OPT_USER_LANG:
            p->in.lang = optarg;
            break;
        case OPT_DISABLE:
        case OPT_ENABLE:
            p->in.has_active = true;
            p->in.active = c == OPT_ENABLE;
            break;
        case OPT_PASSWORD:
            p->password = true;
            break;
        case OPT_USER:
            p->user = optarg;
            break;
        case OPT_SCOPES:
            p->scopes = optarg;
            break;
        case OPT_KIND:
            p->kind = optarg;
            break;
        case OPT_MANAGER:
            p->manager = optarg;
            break;
        default:
            if (!cli_common_option(c, optarg, &p->o))
                return cli_usage_error(cmd, N_("unknown or incomplete option '%s'"),
                                       argv[optind - 1]);
        }
    }
    return cli_common_finish(cmd, &p->o);
}

typedef struct list_ctx {
    bool json;
    json_t *items;
} list_ctx;

static int print_user(void *vctx, const hf_user_rec *u)
{
    list_ctx *c = vctx;
    if (c->json) {
        json_array_append_new(c->items, hf_svc_user_json(u));
        return 0;
    }
    char team[24];
    snprintf(team, sizeof(team), "%lld", (long long)u->team_id);
    printf("%6lld  %s %s %s %5s %8d  %s %s\n", (long long)u->id, PAD(u->email, 32),
           PAD(hf_role_name(u->role), 18), PAD(u->name ? u->name : "", 24), u->team_id ? team : "-",
           u->capacity, PAD(u->segments ? u->segments : "-", 20), u->active ? "" : _("(disabled)"));
    return 0;
}

static int print_list_end(list_ctx *c)
{
    if (c->json) {
        json_t *o = json_pack("{s:O}", "items", c->items);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
        json_decref(o);
    }
    json_decref(c->items);
    return EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    people_opts p;
    int rc = parse_people("user", argc, argv, &p,
                          N_("Usage: handoff user add EMAIL --role ROLE [--name N] [--team ID] "
                             "[--capacity N] [--segments S,...] [--user-lang L] | handoff user "
                             "set EMAIL [--role R] [--team ID|none] [--capacity N] [--segments "
                             "S,...] [--user-lang L] [--disable|--enable] [--password] | "
                             "handoff user list [--json]"),
                          N_("Add, change and list users. A password comes from "
                             "HANDOFF_PASSWORD, else from one line of standard input (10 "
                             "characters or more); it is stored as an argon2id hash. A "
                             "changed password or a disabled account ends the user's "
                             "sessions."));
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (optind >= argc)
        return cli_usage_error("user", N_("%s"), _("expected 'add', 'set' or 'list'"));
    const char *sub = argv[optind];
    bool list = strcmp(sub, "list") == 0;
    if (list ? optind + 1 != argc
             : optind + 2 != argc || (strcmp(sub, "add") != 0 && strcmp(sub, "set") != 0))
        return cli_usage_error("user", N_("%s"), _("expected 'add EMAIL', 'set EMAIL' or 'list'"));
    char password[1100];
    if ((strcmp(sub, "add") == 0 || p.password) && read_password(password, sizeof(password)))
        return cli_usage_error("user", N_("%s"),
                               _("a password of 10 characters or more is required "
                                 "(HANDOFF_PASSWORD or standard input)"));
    if (strcmp(sub, "add") == 0 || p.password)
        p.in.password = password;
    if (strcmp(sub, "add") == 0 && !p.in.has_role)
        return cli_usage_error("user", N_("%s"), _("--role is required"));
    cli_session x;
    rc = cli_session_open(&p.o, false, &x);
    if (rc)
        return rc;
    hf_error err;
    hf_error_clear(&err);
    hf_user_rec u;
    memset(&u, 0, sizeof(u));
    if (list) {
        list_ctx c = {p.o.json, json_array()};
        if (!p.o.json)
            printf("%6s  %s %s %s %5s %8s  %s\n", _("ID"), PAD(_("E-MAIL"), 32), PAD(_("ROLE"), 18),
                   PAD(_("NAME"), 24), _("TEAM"), _("CAPACITY"), _("SEGMENTS"));
        rc = hf_svc_user_list(x.svc, &x.actor, print_user, &c, &err);
        if (!rc)
            print_list_end(&c);
        else
            json_decref(c.items);
    } else if (strcmp(sub, "add") == 0) {
        p.in.email = argv[optind + 1];
        rc = hf_svc_user_create(x.svc, &x.actor, &p.in, p.o.now, &u, &err);
        if (!rc)
            printf(_("user %lld: %s (%s)\n"), (long long)u.id, u.email, hf_role_name(u.role));
    } else {
        hf_user_rec cur;
        rc = hf_svc_user_get(x.svc, &x.actor, 0, argv[optind + 1], &cur, &err);
        if (!rc) {
            rc = hf_svc_user_update(x.svc, &x.actor, cur.id, &p.in, &u, &err);
            hf_user_rec_free(&cur);
        }
        if (!rc)
            printf(_("user %lld: %s (%s) updated\n"), (long long)u.id, u.email,
                   hf_role_name(u.role));
    }
    sodium_memzero(password, sizeof(password));
    hf_user_rec_free(&u);
    cli_session_close(&x);
    if (rc)
        return cli_report_error(list ? p.o.db : argv[optind + 1], &err);
    return EXIT_OK;
}

static int print_token(void *vctx, const hf_token_rec *t)
{
    list_ctx *c = vctx;
    if (c->json) {
        json_array_append_new(c->items, hf_svc_token_json(t));
        return 0;
    }
    char prefix[40];
    snprintf(prefix, sizeof(prefix), "hf_%s_…", t->prefix);
    printf("%6lld  %6lld  %s %s %s %s\n", (long long)t->id, (long long)t->user_id, PAD(prefix, 18),
           PAD(t->name, 20), PAD(t->scopes, 16), t->revoked_at != HF_TIME_NONE ? _("revoked") : "");
    return 0;
}

int cmd_token(int argc, char **argv)
{
    people_opts p;
    int rc = parse_people("token", argc, argv, &p,
                          N_("Usage: handoff token create --user EMAIL [--name NAME] "
                             "[--scopes \"read write gate\"] | token list [--json] | token "
                             "revoke ID"),
                          N_("The token is printed once; only a hash of its secret is stored. "
                             "Scopes: read (GET), write (changes), gate (the close gate "
                             "only)."));
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (optind >= argc)
        return cli_usage_error("token", N_("%s"), _("expected 'create', 'list' or 'revoke'"));
    const char *sub = argv[optind];
    int64_t id = 0;
    if (strcmp(sub, "revoke") == 0 && (optind + 2 != argc || !hf_id_parse(argv[optind + 1], &id)))
        return cli_usage_error("token", N_("%s"), _("expected a token ID"));
    if (strcmp(sub, "create") == 0 && !p.user)
        return cli_usage_error("token", N_("%s"), _("--user EMAIL is required"));
    unsigned bits;
    if (strcmp(sub, "create") == 0 && !hf_scopes_parse(p.scopes ? p.scopes : "read", &bits))
        return cli_usage_error("token", N_("--scopes: expected read, write, gate, not '%s'"),
                               p.scopes);
    if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0)
        return cli_usage_error("token", N_("unknown subcommand '%s'"), sub);
    cli_session x;
    rc = cli_session_open(&p.o, false, &x);
    if (rc)
        return rc;
    hf_error err;
    hf_error_clear(&err);
    const char *what = p.o.db;
    if (strcmp(sub, "list") == 0) {
        list_ctx c = {p.o.json, json_array()};
        if (!p.o.json)
            printf("%6s  %6s  %s %s %s\n", _("ID"), _("USER"), PAD(_("PREFIX"), 18),
                   PAD(_("NAME"), 20), _("SCOPES"));
        rc = hf_svc_token_list(x.svc, &x.actor, print_token, &c, &err);
        if (!rc)
            print_list_end(&c);
        else
            json_decref(c.items);
    } else if (strcmp(sub, "revoke") == 0) {
        rc = hf_svc_token_revoke(x.svc, &x.actor, id, p.o.now, &err);
        if (!rc)
            printf(_("token %lld revoked\n"), (long long)id);
    } else {
        hf_user_rec u;
        what = p.user;
        rc = hf_svc_user_get(x.svc, &x.actor, 0, p.user, &u, &err);
        char token[HF_TOKEN_MAX];
        hf_token_rec t;
        memset(&t, 0, sizeof(t));
        if (!rc) {
            rc = hf_svc_token_create(x.svc, &x.actor, u.id, p.name ? p.name : "cli",
                                     p.scopes ? p.scopes : "read", p.o.now, token, &t, &err);
            hf_user_rec_free(&u);
        }
        if (!rc) {
            printf("%s\n", token);
            fprintf(stderr, _("token %lld for %s (%s): shown once, keep it safe\n"),
                    (long long)t.id, p.user, t.scopes);
            sodium_memzero(token, sizeof(token));
        }
        hf_token_rec_free(&t);
    }
    cli_session_close(&x);
    return rc ? cli_report_error(what, &err) : EXIT_OK;
}

static int print_team(void *vctx, const hf_team_rec *t)
{
    list_ctx *c = vctx;
    if (c->json) {
        json_array_append_new(c->items, hf_svc_team_json(t));
        return 0;
    }
    char mgr[24];
    snprintf(mgr, sizeof(mgr), "%lld", (long long)t->manager_id);
    printf("%6lld  %s %-6s %s\n", (long long)t->id, PAD(t->name, 28), t->kind,
           t->manager_id ? mgr : "-");
    return 0;
}

int cmd_team(int argc, char **argv)
{
    people_opts p;
    int rc = parse_people("team", argc, argv, &p,
                          N_("Usage: handoff team add NAME --kind sales|cs [--manager EMAIL] | "
                             "handoff team list [--json]"),
                          N_("Sales and CS teams: a manager acts for the members of their "
                             "team."));
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (optind >= argc)
        return cli_usage_error("team", N_("%s"), _("expected 'add' or 'list'"));
    const char *sub = argv[optind];
    bool list = strcmp(sub, "list") == 0;
    if (list ? optind + 1 != argc : (strcmp(sub, "add") != 0 || optind + 2 != argc))
        return cli_usage_error("team", N_("%s"), _("expected 'add NAME' or 'list'"));
    cli_session x;
    rc = cli_session_open(&p.o, false, &x);
    if (rc)
        return rc;
    hf_error err;
    hf_error_clear(&err);
    if (list) {
        list_ctx c = {p.o.json, json_array()};
        if (!p.o.json)
            printf("%6s  %s %-6s %s\n", _("ID"), PAD(_("NAME"), 28), _("KIND"), _("MANAGER"));
        rc = hf_svc_team_list(x.svc, &x.actor, print_team, &c, &err);
        if (!rc)
            print_list_end(&c);
        else
            json_decref(c.items);
    } else {
        int64_t manager = 0, id = 0;
        if (p.manager) {
            hf_user_rec m;
            rc = hf_svc_user_get(x.svc, &x.actor, 0, p.manager, &m, &err);
            if (!rc) {
                manager = m.id;
                hf_user_rec_free(&m);
            }
        }
        if (!rc)
            rc = hf_svc_team_create(x.svc, &x.actor, argv[optind + 1], p.kind, manager, &id, &err);
        if (!rc)
            printf(_("team %lld: %s (%s)\n"), (long long)id, argv[optind + 1], p.kind);
    }
    cli_session_close(&x);
    return rc ? cli_report_error(p.o.db, &err) : EXIT_OK;
}
