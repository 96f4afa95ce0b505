/* `handoff evaluate` and `handoff protocol`: the CLI over the pure engine. The human report
 * is laid out here; every rule it shows comes from hf_evaluate(). */
#include "cli/cli.h"

#include "handoff/document.h"
#include "handoff/evaluate.h"
#include "handoff/protocol.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Human labels of the machine ids, in the report's language. */
static const char *const component_labels[HF_COMP_COUNT] = {
    N_("Deal summary"), N_("Stakeholder map"), N_("Commitments"),
    N_("Risk factors"), N_("Attendance"),      N_("Agenda"),
    N_("CS questions"), N_("Handoff SLA"),     N_("Intro within 48h")};
static const double component_max[HF_COMP_COUNT] = {15, 10, 15, 10, 10, 10, 10, 15, 5};

const char *const cli_band_short[HF_BAND_COUNT] = {N_("excellent"), N_("good"), N_("acceptable"),
                                                   N_("substandard")};

const char *const cli_band_labels[HF_BAND_COUNT] = {N_("excellent"), N_("good"), N_("acceptable"),
                                                    N_("substandard: needs remediation")};

typedef struct style {
    const char *bold, *red, *green, *yellow, *reset;
} style;

static void print_ids(FILE *out, const char *title, const char *const *ids, int count,
                      uint64_t bits)
{
    if (!bits)
        return;
    fprintf(out, "  %s\n", title);
    for (int i = 0; i < count; i++) {
        if (bits & ((uint64_t)1 << i))
            fprintf(out, "    - %s\n", ids[i]);
    }
}

static void print_points(FILE *out, const char *label, int64_t c, double max, int indent)
{
    fprintf(out, "%*s%s %6.2f / %g\n", indent, "", PAD(label, 28 - indent), (double)c / 100.0, max);
}

void cli_report(FILE *out, const json_t *doc, const hf_evaluation *ev)
{
    bool color = cli_use_color(out);
    style sty = {color ? "\033[1m" : "", color ? "\033[31m" : "", color ? "\033[32m" : "",
                 color ? "\033[33m" : "", color ? "\033[0m" : ""};
    const style *st = &sty;
    char buf[HF_TIME_BUFSZ], buf2[HF_TIME_BUFSZ];
    const json_t *name = hf_doc_get(doc, "deal.name");
    const json_t *crm = hf_doc_get(doc, "deal.crm_id");
    fprintf(out, "%s%s%s", st->bold,
            name && json_is_string(name) ? json_string_value(name) : _("(unnamed deal)"),
            st->reset);
    if (crm && json_is_string(crm))
        fprintf(out, "  (%s)", json_string_value(crm));
    fputc('\n', out);
    fprintf(out, _("Evaluated at %s under protocol %s\n"), hf_time_format_utc(ev->now, buf),
            ev->protocol_version);

    /* quality */
    const char *band_color = ev->band == HF_BAND_SUBSTANDARD  ? st->red
                             : ev->band == HF_BAND_ACCEPTABLE ? st->yellow
                                                              : st->green;
    fprintf(out, "\n%s%s%s  %lld / 100  %s%s%s\n", st->bold, _("Quality"), st->reset,
            (long long)ev->total, band_color, _(cli_band_labels[ev->band]), st->reset);
    print_points(out, _("Documentation"), ev->documentation_c, 50, 2);
    for (int i = HF_COMP_DEAL_SUMMARY; i <= HF_COMP_RISK_FACTORS; i++)
        print_points(out, _(component_labels[i]), ev->component_c[i], component_max[i], 4);
    print_points(out, _("Meeting"), ev->meeting_c, 30, 2);
    for (int i = HF_COMP_ATTENDANCE; i <= HF_COMP_CS_QUESTIONS; i++)
        print_points(out, _(component_labels[i]), ev->component_c[i], component_max[i], 4);
    print_points(out, _("Timeliness"), ev->timeliness_c, 20, 2);
    for (int i = HF_COMP_HANDOFF_SLA; i <= HF_COMP_INTRO_48H; i++)
        print_points(out, _(component_labels[i]), ev->component_c[i], component_max[i], 4);

    /* completeness */
    fprintf(out, "\n%s%s%s  %.1f%%  ", st->bold, _("Completeness"), st->reset,
            (double)ev->percent_d / 10.0);
    fprintf(out, _("(%d of %d required items)\n"), ev->filled, HF_ITEM_COUNT);
    print_ids(out, _("Missing:"), hf_item_ids, HF_ITEM_COUNT, ev->missing);
    print_ids(out, _("Invalid (cannot be read as a date):"), hf_item_ids, HF_ITEM_COUNT,
              ev->invalid);
    print_ids(out, _("Not applicable:"), hf_item_ids, HF_ITEM_COUNT, ev->not_applicable);

    /* gate */
    fprintf(out, "\n%s%s%s  %s%s%s", st->bold, _("Gate"), st->reset,
            ev->ready ? st->green : st->red, ev->ready ? _("READY") : _("NOT READY"), st->reset);
    if (ev->pending_contract)
        fprintf(out, "  %s", _("(pre-close: pending contract)"));
    int nblockers = 0;
    for (unsigned i = 0; i < HF_BLOCK_COUNT; i++) {
        if (ev->blockers & (1u << i))
            nblockers++;
    }
    if (nblockers) {
        fputs("  ", out);
        fprintf(out, _n("%d blocker", "%d blockers", (unsigned long)nblockers), nblockers);
    }
    fputc('\n', out);
    for (int i = 0; i < HF_BLOCK_COUNT; i++) {
        if (ev->blockers & (1u << i))
            fprintf(out, "  %sx%s %s  [%s]\n", st->red, st->reset, _(hf_blocker_labels[i]),
                    hf_blocker_ids[i]);
    }

    /* flags */
    fprintf(out, "\n%s%s%s", st->bold, _("Red flags"), st->reset);
    if (!ev->flags)
        fprintf(out, "  %s", _("none"));
    fputc('\n', out);
    for (int i = 0; i < HF_FLAG_COUNT; i++) {
        if (ev->flags & (1u << i))
            fprintf(out, "  %s!%s %s  [%s]\n", st->yellow, st->reset, _(hf_flag_labels[i]),
                    hf_flag_ids[i]);
    }

    /* SLAs */
    fprintf(out, "\n%s%s%s\n", st->bold, _("SLAs"), st->reset);
    fprintf(out, "  %s %s %s %s %s\n", PAD(_("Activity"), 24), PAD(_("Due"), 21),
            PAD(_("Done"), 21), PAD(_("Status"), 12), _("Escalation"));
    for (size_t i = 0; i < ev->sla_count; i++) {
        const hf_sla_line *l = &ev->sla[i];
        const char *tint = l->status == HF_SLA_OVERDUE || l->status == HF_SLA_LATE ? st->red
                           : l->status == HF_SLA_MET                               ? st->green
                                                                                   : "";
        fprintf(out, "  %s %-21s %-21s %s%s%s %d\n", PAD(_(hf_activity_labels[l->activity]), 24),
                l->due == HF_TIME_NONE ? "-" : hf_time_format_utc(l->due, buf),
                l->done_at == HF_TIME_NONE ? "-" : hf_time_format_utc(l->done_at, buf2), tint,
                PAD(_(hf_sla_status_labels[l->status]), 12), st->reset, l->escalation);
    }
}

/* Load the protocol file `path` (NULL: the built-in default). Returns 0 or an exit status. */
int cli_load_protocol(const char *path, hf_protocol *p)
{
    char *buf;
    size_t len;
    hf_error err;
    if (!path) {
        path = getenv("HANDOFF_PROTOCOL");
        if (!path || !*path) {
            hf_protocol_default(p);
            return EXIT_OK;
        }
    }
    int rc = cli_read_file(path, &buf, &len);
    if (rc) {
        hf_protocol_default(p);
        return rc;
    }
    hf_error_clear(&err);
    if (hf_protocol_parse(buf, len, p, &err)) {
        cli_print_data_error(path, &err);
        rc = EXIT_DATAERR;
    }
    free(buf);
    return rc;
}

static void evaluate_help(FILE *f)
{
    fprintf(f, "%s\n\n",
            _("Usage: handoff evaluate [--json] [--now RFC3339] [--protocol FILE] "
              "[--lang L] FILE|-"));
    fprintf(f, "%s\n\n",
            _("Evaluate a handoff/1 document: quality score, completeness, gate "
              "verdict, red flags and SLA table."));
    fprintf(f, "  --json            %s\n", _("print the evaluation as JSON (SPEC section 4)"));
    fprintf(f, "  --now TIME        %s\n", _("evaluate at this RFC 3339 instant (default: now)"));
    fprintf(f, "  --protocol FILE   %s\n", _("use this protocol file over the default 2026.1"));
    fprintf(f, "  --lang L          %s\n", _("language of the report: en, pt-BR, es, id"));
    fprintf(f, "  -h, --help        %s\n\n", _("show this help"));
    fprintf(f, "%s\n",
            _("Exit status: 0 ok, 64 usage error, 65 invalid document or protocol, "
              "66 unreadable file."));
}

int cmd_evaluate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},           {"now", required_argument, NULL, 'n'},
        {"protocol", required_argument, NULL, 'p'}, {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    bool as_json = false;
    const char *now_arg = NULL, *protocol_path = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hj", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            as_json = true;
            break;
        case 'n':
            now_arg = optarg;
            break;
        case 'p':
            protocol_path = optarg;
            break;
        case 'l':
            break; /* chosen in main() */
        case 'h':
            evaluate_help(stdout);
            return EXIT_OK;
        default:
            return cli_usage_error("evaluate", N_("unknown or incomplete option '%s'"),
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("evaluate", N_("%s"),
                               optind >= argc ? _("expected one FILE (or - for standard input)")
                                              : _("expected only one FILE"));

    hf_time now;
    if (now_arg) {
        if (!hf_time_parse_rfc3339(now_arg, strlen(now_arg), &now))
            return cli_usage_error("evaluate",
                                   N_("--now: expected an RFC 3339 timestamp with an offset, "
                                      "not '%s'"),
                                   now_arg);
    } else {
        now = hf_clock_now();
    }

    const char *path = argv[optind];
    hf_protocol protocol;
    int rc = cli_load_protocol(protocol_path, &protocol);
    char *buf = NULL;
    json_t *doc = NULL;
    hf_evaluation ev;
    memset(&ev, 0, sizeof(ev));
    if (rc)
        goto out;
    size_t len;
    rc = cli_read_file(path, &buf, &len);
    if (rc)
        goto out;
    hf_error err;
    hf_error_clear(&err);
    if (hf_document_parse(buf, len, &doc, &err)) {
        cli_print_data_error(path, &err);
        rc = EXIT_DATAERR;
        goto out;
    }
    if (hf_evaluate(doc, &protocol, now, &ev, &err)) {
        cli_errorf(N_("evaluation failed: %s"), err.msg);
        rc = EXIT_SOFTWARE;
        goto out;
    }
    if (as_json) {
        json_t *j = hf_evaluation_to_json(&ev);
        json_dumpf(j, stdout, HF_EVALUATION_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(j);
    } else {
        cli_report(stdout, doc, &ev);
    }
    if (fflush(stdout) != 0)
        rc = EXIT_IOERR;
out:
    hf_evaluation_free(&ev);
    json_decref(doc);
    free(buf);
    hf_protocol_free(&protocol);
    return rc;
}

static void protocol_help(FILE *f)
{
    fprintf(f, "%s\n", _("Usage: handoff protocol show [--protocol FILE]"));
    fprintf(f, "%s\n\n", _("       handoff protocol check FILE"));
    fprintf(f, "%s\n",
            _("show   print the effective protocol as JSON: the built-in 2026.1, or "
              "FILE over it"));
    fprintf(f, "%s\n", _("check  validate a protocol file; exit 65 with the key at fault"));
    fprintf(f, "%s\n", _("       handoff protocol install FILE [--db URL] [--as EMAIL]"));
    fprintf(f, "%s\n", _("       handoff protocol list [--json] [--db URL]"));
    fprintf(f, "%s\n", _("       handoff protocol pin ID VERSION [--db URL] [--as EMAIL]"));
    fprintf(f, "%s\n",
            _("install  store FILE as a new protocol version, effective from its `effective` "
              "date; a stored version never changes"));
    fprintf(f, "%s\n", _("list     the installed versions and how many handoffs each governs"));
    fprintf(f, "%s\n",
            _("pin      govern an open handoff by another installed version (RevOps; kept in "
              "its history)"));
    fprintf(f, "%s\n",
            _("Each handoff is evaluated under the version in force at its T0 (or at its "
              "creation), whatever is installed later. The key transition_requires says which "
              "gate blockers must be absent before a move: by default submitted needs no "
              "docs.incomplete, scheduled no meeting.not_scheduled and no cs.not_assigned, "
              "held every blocker but meeting.not_scheduled, accepted is ready."));
}

int cmd_protocol(int argc, char **argv)
{
    /* --lang may come before the subcommand (main() has applied it already) */
    while (argc > 1 && strncmp(argv[1], "--lang", 6) == 0) {
        int skip = strcmp(argv[1], "--lang") == 0 && argc > 2 ? 2 : 1;
        argc -= skip;
        argv += skip;
    }
    if (argc < 2)
        return cli_usage_error("protocol", N_("%s"),
                               _("expected 'show', 'check', 'install', 'list' or 'pin'"));
    const char *sub = argv[1];
    if (strcmp(sub, "install") == 0 || strcmp(sub, "list") == 0 || strcmp(sub, "pin") == 0)
        return cmd_protocol_versions(argc - 1, argv + 1);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        protocol_help(stdout);
        return EXIT_OK;
    }
    const char *file = NULL;
    bool check = strcmp(sub, "check") == 0;
    if (!check && strcmp(sub, "show") != 0)
        return cli_usage_error("protocol", N_("unknown subcommand '%s'"), sub);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            protocol_help(stdout);
            return EXIT_OK;
        }
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            i++;
        } else if (strncmp(argv[i], "--lang=", 7) == 0) {
            continue;
        } else if (!check && strcmp(argv[i], "--protocol") == 0 && i + 1 < argc && !file) {
            file = argv[++i];
        } else if (check && argv[i][0] != '-' && !file) {
            file = argv[i];
        } else if (check && strcmp(argv[i], "-") == 0 && !file) {
            file = argv[i];
        } else {
            return cli_usage_error("protocol", N_("unexpected argument '%s'"), argv[i]);
        }
    }
    if (check && !file)
        return cli_usage_error("protocol", N_("%s"), _("check: expected a FILE"));
    hf_protocol p;
    int rc = cli_load_protocol(file, &p);
    if (rc == EXIT_OK) {
        if (check) {
            printf(_("%s: valid protocol %s\n"), file, p.version);
        } else {
            json_t *j = hf_protocol_to_json(&p);
            json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
            fputc('\n', stdout);
            json_decref(j);
        }
    }
    hf_protocol_free(&p);
    return rc;
}
