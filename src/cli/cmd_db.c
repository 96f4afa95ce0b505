/* `handoff init` and `handoff db`: create the database, its schema version and
 * migrations, the integrity check, and SQLite backup and restore. */
#include "cli/cli.h"

#include "handoff/store.h"

#include <stdlib.h>
#include <string.h>

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    cli_common o = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            cli_help(N_("Usage: handoff init [--db URL]"),
                     N_("Create the database (or bring its schema up to date)."));
            return EXIT_OK;
        }
        if (!cli_common_option(c, optarg, &o))
            return cli_usage_error("init", N_("unknown or incomplete option '%s'"),
                                   argv[optind - 1]);
    }
    if (optind != argc)
        return cli_usage_error("init", N_("unexpected argument '%s'"), argv[optind]);
    int rc = cli_common_finish("init", &o);
    if (rc)
        return rc;
    cli_session x;
    rc = cli_session_open(&o, true, &x);
    if (rc)
        return rc;
    int v = 0;
    hf_error err;
    hf_store_schema_version(x.s, &v, &err);
    printf(_("%s: ready (%s, schema version %d)\n"), o.db, hf_store_backend(x.s), v);
    cli_session_close(&x);
    return EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    cli_common o = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            cli_help(
                N_("Usage: handoff db status|migrate|check|backup FILE|restore FILE [--db URL]"),
                N_("status: schema version; migrate: apply pending migrations; check: "
                   "integrity check; backup: online copy of a SQLite database; restore: copy a "
                   "backup over the database."));
            return EXIT_OK;
        }
        if (!cli_common_option(c, optarg, &o))
            return cli_usage_error("db", N_("unknown or incomplete option '%s'"), argv[optind - 1]);
    }
    if (optind >= argc)
        return cli_usage_error("db", N_("%s"),
                               _("expected status, migrate, check, backup or "
                                 "restore"));
    const char *sub = argv[optind];
    bool needs_file = strcmp(sub, "backup") == 0 || strcmp(sub, "restore") == 0;
    if (needs_file ? optind + 2 != argc : optind + 1 != argc)
        return cli_usage_error("db", N_("%s"),
                               needs_file ? _("expected one FILE") : _("unexpected argument"));
    int rc = cli_common_finish("db", &o);
    if (rc)
        return rc;
    hf_error err;
    hf_error_clear(&err);
    if (strcmp(sub, "restore") == 0) {
        if (hf_store_restore(o.db, argv[optind + 1], &err))
            return cli_report_error(o.db, &err);
        printf(_("%s: restored from %s\n"), o.db, argv[optind + 1]);
        return EXIT_OK;
    }
    if (strcmp(sub, "status") != 0 && strcmp(sub, "migrate") != 0 && strcmp(sub, "check") != 0 &&
        strcmp(sub, "backup") != 0)
        return cli_usage_error("db", N_("unknown subcommand '%s'"), sub);
    cli_session x;
    rc = cli_session_open(&o, false, &x);
    if (rc)
        return rc;
    hf_store *s = x.s;
    if (strcmp(sub, "status") == 0) {
        int v = 0;
        rc = hf_store_schema_version(s, &v, &err);
        if (!rc) {
            printf(_("%s: %s, schema version %d of %d\n"), o.db, hf_store_backend(s), v,
                   hf_store_latest_schema());
            if (v < hf_store_latest_schema())
                printf("%s\n", _("pending migrations: run 'handoff db migrate'"));
        }
    } else if (strcmp(sub, "migrate") == 0) {
        int applied = 0;
        rc = hf_store_migrate(s, &applied, &err);
        if (!rc)
            printf(_n("%d migration applied\n", "%d migrations applied\n", (unsigned long)applied),
                   applied);
    } else if (strcmp(sub, "check") == 0) {
        char result[256];
        rc = hf_store_check(s, result, sizeof(result), &err);
        if (!rc) {
            printf("%s\n", result);
            if (strcmp(result, "ok") != 0)
                rc = HF_EDB;
        }
    } else {
        rc = hf_store_backup(s, argv[optind + 1], &err);
        if (!rc)
            printf(_("%s: backed up to %s\n"), o.db, argv[optind + 1]);
    }
    cli_session_close(&x);
    if (rc)
        return err.msg[0] ? cli_report_error(o.db, &err) : EXIT_SOFTWARE;
    return EXIT_OK;
}
