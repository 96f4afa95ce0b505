/* What the commands over a database share: the common options, opening the database with
 * the service and the actor, and turning a library error into a message and an exit
 * status (cli.h lists them). */
#include "cli/cli.h"

#include "handoff/id.h"
#include "handoff/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_common_option(int c, const char *arg, cli_common *o)
{
    switch (c) {
    case CLI_OPT_DB:
        o->db = arg;
        return 1;
    case CLI_OPT_AS:
        o->as = arg;
        return 1;
    case CLI_OPT_NOW:
        o->now_arg = arg;
        return 1;
    case CLI_OPT_LANG:
        return 1;
    case CLI_OPT_JSON:
        o->json = true;
        return 1;
    }
    return 0;
}

static const char *common_help =
    N_("Common options:\n"
       "  --db URL        database: sqlite:PATH or postgresql://... (default: HANDOFF_DB, else "
       "sqlite:handoff.db)\n"
       "  --as EMAIL      act as this user: their role and ownership apply (default: the "
       "operator, recorded as HANDOFF_USER, else USER)\n"
       "  --now TIME      act as if it were this RFC 3339 instant\n"
       "  --json          machine-readable output\n"
       "  --lang L        en, pt-BR, es, id\n");

void cli_help(const char *usage, const char *what)
{
    printf("%s\n\n%s\n\n%s", _(usage), _(what), _(common_help));
}

int cli_common_finish(const char *cmd, cli_common *o)
{
    if (!o->db)
        o->db = getenv("HANDOFF_DB");
    if (!o->db || !*o->db)
        o->db = "sqlite:handoff.db";
    if (o->now_arg) {
        if (!hf_time_parse_rfc3339(o->now_arg, strlen(o->now_arg), &o->now))
            return cli_usage_error(cmd,
                                   N_("--now: expected an RFC 3339 timestamp with an offset, "
                                      "not '%s'"),
                                   o->now_arg);
    } else {
        o->now = hf_clock_now();
    }
    return 0;
}

/* The SQLite file a URL names, or NULL for PostgreSQL and in-memory databases. */
static const char *sqlite_path(const char *url)
{
    if (strncmp(url, "postgres", 8) == 0 || strstr(url, ":memory:"))
        return NULL;
    return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

int cli_session_open(const cli_common *o, bool create, cli_session *x)
{
    memset(x, 0, sizeof(*x));
    const char *path = sqlite_path(o->db);
    if (!create && path && access(path, F_OK) != 0) {
        cli_errorf(N_("%s: no such database (create it with 'handoff init')"), o->db);
        return EXIT_NOINPUT;
    }
    hf_error err;
    hf_error_clear(&err);
    if (hf_store_open(o->db, true, &x->s, &err) != 0) {
        cli_errorf(N_("%s: %s"), o->db, err.msg);
        return EXIT_NOINPUT;
    }
    if (hf_svc_open(x->s, NULL, &x->svc, &err)) {
        cli_session_close(x);
        return cli_report_error(o->db, &err);
    }
    if (o->as && *o->as) {
        if (hf_svc_actor_for_user(x->svc, CLI_WORKSPACE, 0, o->as, cli_lang, &x->actor, &err)) {
            cli_session_close(x);
            return cli_report_error("--as", &err);
        }
        x->actor.lang = cli_lang;
    } else {
        const char *label = getenv("HANDOFF_USER");
        if (!label || !*label)
            label = getenv("USER");
        hf_actor_system(&x->actor, CLI_WORKSPACE, label && *label ? label : "cli", cli_lang);
    }
    return 0;
}

void cli_session_close(cli_session *x)
{
    hf_svc_close(x->svc);
    hf_store_close(x->s);
    x->svc = NULL;
    x->s = NULL;
}

int cli_report_error(const char *what, const hf_error *err)
{
    char text[HF_ERROR_MSG_MAX];
    hf_svc_error_text(cli_lang, err, text, sizeof(text));
    if (err->rc == HF_EINVAL && err->path[0] && strcmp(err->path, "reason") != 0) {
        cli_print_data_error(what, err);
        return EXIT_DATAERR;
    }
    cli_errorf(N_("%s: %s"), what, text);
    switch (err->rc) {
    case HF_EINVAL:
        /* a missing reason is a missing --reason */
        return strcmp(err->path, "reason") == 0 ? EXIT_USAGE : EXIT_DATAERR;
    case HF_ENOTFOUND:
        return EXIT_NOINPUT;
    case HF_ESTALE:
        return EXIT_TEMPFAIL;
    case HF_ECONFLICT:
        return EXIT_CANTCREAT;
    case HF_ESTATE:
    case HF_EBLOCKED:
        return EXIT_REFUSED;
    case HF_EPERM:
        return EXIT_NOPERM;
    case HF_EUSAGE:
        return EXIT_USAGE;
    case HF_EBUSY:
        return EXIT_TEMPFAIL;
    default:
        return EXIT_SOFTWARE;
    }
}
