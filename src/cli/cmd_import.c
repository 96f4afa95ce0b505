/* `handoff import`: a Salesforce or HubSpot deal export (CSV) into the database, through
 * the service's import (RevOps or the operator), with a progress bar on a terminal and
 * bad rows reported by line and column. */
#include "cli/cli.h"

#include "handoff/crm_import.h"
#include "handoff/id.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum { OPT_IMPORT_FORMAT = 1300, OPT_WON_STAGE, OPT_INTEGRATION };

/* ---- import ---- */

typedef struct import_ui {
    bool tty;
    long shown_errors;
    off_t size;
} import_ui;

static void on_bad_row(void *ctx, const hf_error *err)
{
    import_ui *ui = ctx;
    if (ui->tty)
        fputs("\r\033[K", stderr);
    long shown = ui->shown_errors++;
    if (shown < 100 && err->column)
        fprintf(stderr, _("line %ld, column %ld: %s\n"), err->line, err->column, err->msg);
    else if (shown < 100) /* a row refused as a whole (a value over a document limit) */
        fprintf(stderr, _("line %ld: %s\n"), err->line, err->msg);
    else if (shown == 100)
        fprintf(stderr, "%s\n", _("(more bad rows not shown)"));
}

static void on_progress(void *ctx, const hf_import_stats *st)
{
    import_ui *ui = ctx;
    if (!ui->tty)
        return;
    long rows = st->created + st->updated + st->skipped;
    if (ui->size > 0) {
        int pct = (int)((double)st->bytes * 100.0 / (double)ui->size);
        int bar = pct / 5;
        fprintf(stderr, "\r[%-20.*s] %3d%%  ", bar, "####################", pct);
    } else {
        fputs("\r", stderr);
    }
    fprintf(stderr, _n("%ld row", "%ld rows", (unsigned long)rows), rows);
    fflush(stderr);
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"format", required_argument, NULL, OPT_IMPORT_FORMAT},
                                         {"won-stage", required_argument, NULL, OPT_WON_STAGE},
                                         {"integration", required_argument, NULL, OPT_INTEGRATION},
                                         {NULL, 0, NULL, 0}};
    cli_common o = {0};
    hf_csv_format format = HF_CSV_AUTO;
    int64_t integration = 0;
    const char **won = calloc((size_t)argc + 1, sizeof(char *));
    size_t nwon = 0;
    cli_session x;
    bool open = false;
    FILE *in = NULL;
    int rc = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            cli_help(N_("Usage: handoff import FILE.csv [--format auto|salesforce|hubspot] "
                        "[--won-stage STAGE ...] [--integration ID]"),
                     N_("Import a Salesforce or HubSpot deal export. Deals are keyed by their CRM "
                        "id: importing the same file again updates them. Closed-won deals get a "
                        "handoff in draft. Bad rows are reported with their line and column and "
                        "skipped. With --integration, the integration's configuration applies "
                        "as to its webhooks: its won stages, owner mapping, segment rules and "
                        "field mapping, T0 from the close date in its time zone, its date and "
                        "amount formats, and a CSM assigned by capacity."));
            goto out;
        }
        if (c == OPT_IMPORT_FORMAT) {
            if (!hf_csv_format_parse(optarg, &format)) {
                rc = cli_usage_error("import",
                                     N_("--format: expected auto, salesforce or hubspot, not "
                                        "'%s'"),
                                     optarg);
                goto out;
            }
        } else if (c == OPT_WON_STAGE) {
            won[nwon++] = optarg;
        } else if (c == OPT_INTEGRATION) {
            if (!hf_id_parse(optarg, &integration)) {
                rc = cli_usage_error("import", N_("expected a number, not '%s'"), optarg);
                goto out;
            }
        } else if (!cli_common_option(c, optarg, &o)) {
            rc = cli_usage_error("import", N_("unknown or incomplete option '%s'"),
                                 argv[optind - 1]);
            goto out;
        }
    }
    if (optind + 1 != argc) {
        rc = cli_usage_error("import", N_("%s"), _("expected one FILE (or - for standard input)"));
        goto out;
    }
    rc = cli_common_finish("import", &o);
    if (rc)
        goto out;
    const char *path = argv[optind];
    in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) {
        cli_errorf(N_("%s: cannot read: %s"), path, strerror(errno));
        rc = EXIT_NOINPUT;
        goto out;
    }
    rc = cli_session_open(&o, false, &x);
    if (rc)
        goto out;
    open = true;
    import_ui ui = {isatty(STDERR_FILENO) != 0, 0, 0};
    if (in != stdin && fseeko(in, 0, SEEK_END) == 0) {
        ui.size = ftello(in);
        rewind(in);
    }
    hf_import_options io = {.format = format,
                            .won_stages = nwon ? won : NULL,
                            .now = o.now,
                            .integration_id = integration,
                            .on_bad_row = on_bad_row,
                            .on_progress = on_progress,
                            .ctx = &ui};
    hf_import_stats st;
    hf_error err;
    hf_error_clear(&err);
    int irc = hf_svc_import_csv(x.svc, &x.actor, in, &io, &st, &err);
    if (ui.tty)
        fputs("\r\033[K", stderr);
    if (irc) {
        rc = err.line
                 ? (fprintf(stderr, _("%s: line %ld: %s\n"), path, err.line, err.msg), EXIT_DATAERR)
                 : cli_report_error(path, &err);
        goto out;
    }
    if (st.keyed_by_name)
        fprintf(stderr, "%s\n",
                _("warning: the export has no Opportunity ID column: deals are keyed by account "
                  "and opportunity name, so renaming either in Salesforce makes a re-import "
                  "create another deal; export the Opportunity ID column to avoid it"));
    if (o.json) {
        printf("{\"created\":%ld,\"updated\":%ld,\"skipped\":%ld,\"handoffs_created\":%ld",
               st.created, st.updated, st.skipped, st.handoffs_created);
        /* the counts an integration gives, when there is one */
        if (integration)
            printf(",\"owners_unmapped\":%ld,\"csm_queued\":%ld", st.owners_unmapped,
                   st.csm_queued);
        if (st.keyed_by_name)
            printf(",\"keyed_by_name\":true");
        printf("}\n");
    } else {
        printf(_("%s: %ld created, %ld updated, %ld skipped; %ld new handoffs in draft\n"), path,
               st.created, st.updated, st.skipped, st.handoffs_created);
        if (st.owners_unmapped || st.csm_queued)
            printf(_("%ld won deals without a mapped owner (in RevOps' queue), %ld handoffs "
                     "waiting for a CSM with capacity\n"),
                   st.owners_unmapped, st.csm_queued);
    }
out:
    if (rc < 0)
        rc = EXIT_OK;
    if (in && in != stdin)
        fclose(in);
    if (open)
        cli_session_close(&x);
    free(won);
    return rc;
}
