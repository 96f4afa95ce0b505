/* The handoff command: argument dispatch to the subcommands. No business rules live here;
 * every subcommand calls libhandoff. */
#include "cli/cli.h"

#include "handoff/os.h"

#include <string.h>

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"evaluate", cmd_evaluate,
     N_("evaluate a handoff document: quality, completeness, gate, flags, SLAs")},
    {"protocol", cmd_protocol,
     N_("show or check a protocol file; install, list and pin protocol versions")},
    {"init", cmd_init, N_("create the database or bring its schema up to date")},
    {"db", cmd_db, N_("database status, migrations, integrity check, backup and restore")},
    {"import", cmd_import, N_("import a Salesforce or HubSpot deal export (CSV)")},
    {"list", cmd_list, N_("list handoffs with filters")},
    {"show", cmd_show, N_("show one handoff and its evaluation")},
    {"add", cmd_add, N_("create a handoff from a document")},
    {"edit", cmd_edit, N_("change fields of a handoff document")},
    {"put", cmd_put, N_("replace the document of a handoff")},
    {"transition", cmd_transition, N_("move a handoff to another status")},
    {"approve", cmd_approve, N_("approve a pre-close handoff (CS manager)")},
    {"assign", cmd_assign, N_("assign the CSM of a handoff (by capacity with --auto)")},
    {"checklist", cmd_checklist, N_("show or tick the checklists of a handoff")},
    {"gate", cmd_gate, N_("the close gate of a deal: is its handoff ready")},
    {"history", cmd_history, N_("versions and status changes of a handoff")},
    {"diff", cmd_diff, N_("what changed between two versions of a handoff")},
    {"export", cmd_export, N_("export handoffs as JSON lines or CSV")},
    {"demo", cmd_demo, N_("fill the database with realistic demo handoffs")},
    {"user", cmd_user, N_("add, change and list users (the first administrator too)")},
    {"token", cmd_token, N_("create, list and revoke API tokens")},
    {"team", cmd_team, N_("add and list sales and CS teams")},
    {"integration", cmd_integration,
     N_("connect CRMs and e-signature tools whose events start handoffs")},
};

static void usage(FILE *f)
{
    fprintf(f, "%s\n\n", _("Usage: handoff [--lang L] COMMAND [OPTIONS] [ARGS]"));
    fprintf(f, "%s\n", _("Handoff runs the sales-to-Customer-Success handoff protocol."));
    fprintf(f, "\n%s\n", _("Commands:"));
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(f, "\n%s\n", _("Run 'handoff COMMAND --help' for the options of a command."));
    fprintf(f, "%s\n", _("Languages (--lang or LANG): en, pt-BR, es, id."));
}

/* Find --lang anywhere before the command runs, so --help and errors are translated.
 * Returns false for a language Handoff does not speak. */
static bool early_lang(int argc, char **argv)
{
    const char *opt = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            opt = argv[i + 1];
        else if (strncmp(argv[i], "--lang=", 7) == 0)
            opt = argv[i] + 7;
    }
    cli_choose_lang(opt);
    hf_lang lang;
    if (opt && !hf_lang_parse(opt, &lang)) {
        cli_choose_lang(NULL); /* say it in the language of the environment */
        fprintf(stderr, _("handoff: --lang: expected en, pt-BR, es or id, not '%s'\n"), opt);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    /* protocols name IANA zones: the core reads them through the system's zoneinfo */
    hf_tz_set_loader(hf_tz_system_loader, NULL);
    if (!early_lang(argc, argv))
        return EXIT_USAGE;
    int i = 1;
    /* global options before the command */
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            puts("handoff 0.1.0");
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            i += 2;
            continue;
        }
        if (strncmp(argv[i], "--lang=", 7) == 0) {
            i++;
            continue;
        }
        fprintf(stderr, _("handoff: unknown option '%s'\n"), argv[i]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].run(argc - i, argv + i);
    }
    fprintf(stderr, _("handoff: unknown command '%s'\n"), argv[i]);
    usage(stderr);
    return EXIT_USAGE;
}
