/* `handoff user` and `handoff token`: bootstrap and administer people and API tokens
 * from the command line (the first administrator has no one to ask over HTTP).
 *
 *   handoff user add EMAIL --role ROLE [--name N] [--team ID] [--capacity N]
 *       password from HANDOFF_PASSWORD, else one line on standard input
 *   handoff user list
 *   handoff token create --user EMAIL [--name N] [--scopes "read write gate"]
 *   handoff token list | handoff token revoke ID */
#include "cli/cli.h"

#include "handoff/credentials.h"
#include "handoff/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORKSPACE 1

static int open_db(const char *db, hf_store **s)
{
    hf_error err;
    if (!db || !*db)
        db = getenv("HANDOFF_DB");
    if (!db || !*db)
        db = "sqlite:handoff.db";
    if (hf_store_open(db, true, s, &err)) {
        cli_errorf(N_("%s: %s"), db, err.msg);
        return EXIT_NOINPUT;
    }
    return 0;
}

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

static int print_user(void *ctx, const hf_user_rec *u)
{
    (void)ctx;
    printf("%6lld  %s %-18s %s team %-4lld capacity %-3d %s\n", (long long)u->id, PAD(u->email, 34),
           hf_role_name(u->role), PAD(u->name, 24), (long long)u->team_id, u->capacity,
           u->active ? "" : _("(disabled)"));
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"role", required_argument, NULL, 'r'},
        {"name", required_argument, NULL, 'n'},     {"team", required_argument, NULL, 't'},
        {"capacity", required_argument, NULL, 'c'}, {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *db = NULL, *name = NULL;
    hf_role role = HF_ROLE_VIEWER;
    bool has_role = false;
    long team = 0, capacity = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            if (!hf_role_parse(optarg, &role))
                return cli_usage_error("user",
                                       N_("--role: expected account_executive, sales_manager, "
                                          "csm, cs_manager, revops or viewer, not '%s'"),
                                       optarg);
            has_role = true;
            break;
        case 'n':
            name = optarg;
            break;
        case 't':
        case 'c':
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || *end || v < 0 || v > 1000000)
                return cli_usage_error("user", N_("expected a number, not '%s'"), optarg);
            if (c == 't')
                team = v;
            else
                capacity = v;
            break;
        case 'l':
            break;
        case 'h':
            printf("%s\n\n%s\n",
                   _("Usage: handoff user add EMAIL --role ROLE [--name NAME] "
                     "[--team ID] [--capacity N] | handoff user list"),
                   _("The password comes from HANDOFF_PASSWORD, else from one line of standard "
                     "input (10 characters or more); it is stored as an argon2id hash."));
            return EXIT_OK;
        default:
            return cli_usage_error("user", N_("unknown or incomplete option '%s'"),
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("user", N_("%s"), _("expected 'add' or 'list'"));
    hf_store *s;
    int rc;
    hf_error err;
    if (strcmp(argv[optind], "list") == 0) {
        rc = open_db(db, &s);
        if (rc)
            return rc;
        rc = s->ops->user_list(s, WORKSPACE, print_user, NULL, &err);
        hf_store_close(s);
        return rc ? EXIT_SOFTWARE : EXIT_OK;
    }
    if (strcmp(argv[optind], "add") != 0 || optind + 2 != argc)
        return cli_usage_error("user", N_("%s"), _("expected 'add EMAIL' or 'list'"));
    const char *email = argv[optind + 1];
    if (!strchr(email, '@'))
        return cli_usage_error("user", N_("expected an e-mail address, not '%s'"), email);
    if (!has_role)
        return cli_usage_error("user", N_("%s"), _("--role is required"));
    char password[1100], hash[HF_HASH_MAX];
    if (read_password(password, sizeof(password)))
        return cli_usage_error("user", N_("%s"),
                               _("a password of 10 characters or more is required "
                                 "(HANDOFF_PASSWORD or standard input)"));
    if (hf_password_hash(password, hash)) {
        cli_errorf(N_("%s"), _("cannot hash the password"));
        return EXIT_SOFTWARE;
    }
    rc = open_db(db, &s);
    if (rc)
        return rc;
    hf_user_rec u;
    memset(&u, 0, sizeof(u));
    u.workspace_id = WORKSPACE;
    u.email = (char *)email;
    u.name = (char *)(name ? name : email);
    u.role = role;
    u.team_id = team;
    u.capacity = (int)capacity;
    u.password_hash = hash;
    u.active = true;
    u.created_at = (hf_time)time(NULL);
    rc = s->ops->user_create(s, &u, &err);
    hf_store_close(s);
    if (rc) {
        cli_errorf(N_("%s: %s"), email, err.msg);
        return rc == HF_ECONFLICT ? EXIT_DATAERR : EXIT_SOFTWARE;
    }
    printf(_("user %lld: %s (%s)\n"), (long long)u.id, email, hf_role_name(role));
    return EXIT_OK;
}

static int print_token(void *ctx, const hf_token_rec *t)
{
    (void)ctx;
    printf("%6lld  user %-5lld hf_%s_…  %-20s %-16s %s\n", (long long)t->id, (long long)t->user_id,
           t->prefix, t->name, t->scopes, t->revoked_at != HF_TIME_NONE ? _("revoked") : "");
    return 0;
}

int cmd_token(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"user", required_argument, NULL, 'u'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"scopes", required_argument, NULL, 's'},
                                         {"lang", required_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *user = NULL, *name = "cli", *scopes = "read";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'u':
            user = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 's':
            scopes = optarg;
            break;
        case 'l':
            break;
        case 'h':
            printf("%s\n\n%s\n",
                   _("Usage: handoff token create --user EMAIL [--name NAME] "
                     "[--scopes \"read write gate\"] | token list | token revoke "
                     "ID"),
                   _("The token is printed once; only a hash of its secret is stored. Scopes: "
                     "read (GET), write (changes), gate (the close gate only)."));
            return EXIT_OK;
        default:
            return cli_usage_error("token", N_("unknown or incomplete option '%s'"),
                                   argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("token", N_("%s"), _("expected 'create', 'list' or 'revoke'"));
    const char *sub = argv[optind];
    hf_store *s;
    hf_error err;
    int rc;
    if (strcmp(sub, "list") == 0) {
        rc = open_db(db, &s);
        if (rc)
            return rc;
        rc = s->ops->token_list(s, WORKSPACE, 0, print_token, NULL, &err);
        hf_store_close(s);
        return rc ? EXIT_SOFTWARE : EXIT_OK;
    }
    if (strcmp(sub, "revoke") == 0) {
        char *end;
        long long id = optind + 1 < argc ? strtoll(argv[optind + 1], &end, 10) : 0;
        if (optind + 2 != argc || id <= 0 || *end)
            return cli_usage_error("token", N_("%s"), _("expected a token ID"));
        rc = open_db(db, &s);
        if (rc)
            return rc;
        rc = s->ops->token_revoke(s, WORKSPACE, id, (hf_time)time(NULL), &err);
        hf_store_close(s);
        if (rc) {
            cli_errorf(N_("%s"), err.msg);
            return rc == HF_ENOTFOUND ? EXIT_NOINPUT : EXIT_SOFTWARE;
        }
        printf(_("token %lld revoked\n"), id);
        return EXIT_OK;
    }
    if (strcmp(sub, "create") != 0 || optind + 1 != argc)
        return cli_usage_error("token", N_("unknown subcommand '%s'"), sub);
    if (!user)
        return cli_usage_error("token", N_("%s"), _("--user EMAIL is required"));
    for (const char *p = scopes; *p;) {
        size_t n = strcspn(p, " ");
        if (!((n == 4 && !strncmp(p, "read", 4)) || (n == 5 && !strncmp(p, "write", 5)) ||
              (n == 4 && !strncmp(p, "gate", 4))))
            return cli_usage_error("token", N_("--scopes: expected read, write, gate, not '%s'"),
                                   scopes);
        p += n;
        while (*p == ' ')
            p++;
    }
    rc = open_db(db, &s);
    if (rc)
        return rc;
    hf_user_rec u;
    if (s->ops->user_get(s, WORKSPACE, 0, user, &u, &err)) {
        hf_store_close(s);
        cli_errorf(N_("%s: no such user"), user);
        return EXIT_NOINPUT;
    }
    char token[HF_TOKEN_MAX], prefix[HF_TOKEN_PREFIX_LEN + 1], hash[HF_HASH_MAX];
    if (hf_token_generate(token, prefix, hash)) {
        hf_user_rec_free(&u);
        hf_store_close(s);
        return EXIT_SOFTWARE;
    }
    hf_token_rec t;
    memset(&t, 0, sizeof(t));
    t.workspace_id = WORKSPACE;
    t.user_id = u.id;
    t.name = (char *)name;
    t.prefix = prefix;
    t.secret_hash = hash;
    t.scopes = (char *)scopes;
    t.created_at = (hf_time)time(NULL);
    t.expires_at = HF_TIME_NONE;
    rc = s->ops->token_create(s, &t, &err);
    hf_user_rec_free(&u);
    hf_store_close(s);
    if (rc) {
        cli_errorf(N_("%s"), err.msg);
        return EXIT_SOFTWARE;
    }
    printf("%s\n", token);
    fprintf(stderr, _("token %lld for %s (%s): shown once, keep it safe\n"), (long long)t.id, user,
            scopes);
    return EXIT_OK;
}
