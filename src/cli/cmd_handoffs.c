/* The handoff commands over a database: list, export, show, add, edit, put, transition,
 * history, diff, gate, assign, checklist. Each parses its arguments, calls one service
 * function as the acting person (--as) and prints the result; the rules are the service
 * layer's, the same as over the API. */
#include "cli/cli.h"

#include "handoff/id.h"

#include "handoff/crm_import.h"
#include "handoff/document.h"
#include "handoff/jsondiff.h"
#include "handoff/store.h"

#include <stdlib.h>
#include <string.h>

/* ---- list, export ---- */

typedef struct list_opts {
    cli_common o;
    hf_handoff_filter f;
    const char *format; /* export: jsonl | csv */
    bool count;
} list_opts;

enum {
    OPT_STATUS = 1100,
    OPT_SEGMENT,
    OPT_OWNER,
    OPT_CSM,
    OPT_BAND,
    OPT_OVERDUE,
    OPT_LIMIT,
    OPT_AFTER,
    OPT_FORMAT,
    OPT_UNASSIGNED,
    OPT_COUNT,
};

static int parse_filters(const char *cmd, int argc, char **argv, list_opts *l, const char *usage,
                         const char *what)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"status", required_argument, NULL, OPT_STATUS},
                                         {"segment", required_argument, NULL, OPT_SEGMENT},
                                         {"owner", required_argument, NULL, OPT_OWNER},
                                         {"csm", required_argument, NULL, OPT_CSM},
                                         {"band", required_argument, NULL, OPT_BAND},
                                         {"overdue", no_argument, NULL, OPT_OVERDUE},
                                         {"unassigned", no_argument, NULL, OPT_UNASSIGNED},
                                         {"count", no_argument, NULL, OPT_COUNT},
                                         {"limit", required_argument, NULL, OPT_LIMIT},
                                         {"after", required_argument, NULL, OPT_AFTER},
                                         {"format", required_argument, NULL, OPT_FORMAT},
                                         {NULL, 0, NULL, 0}};
    memset(l, 0, sizeof(*l));
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        hf_status st;
        int64_t v;
        switch (c) {
        case 'h':
            cli_help(usage, what);
            printf("%s", _("Filters:\n"
                           "  --status S  --segment S  --owner NAME|EMAIL  --csm NAME|EMAIL\n"
                           "  --band excellent|good|acceptable|substandard  --overdue\n"
                           "  --unassigned (no CSM yet)  --count (only how many)\n"
                           "  --limit N  --after ID (cursor: ids greater than ID)\n"));
            return -1;
        case OPT_STATUS:
            if (!hf_status_parse(optarg, &st))
                return cli_usage_error(cmd, N_("unknown status '%s'"), optarg);
            l->f.status_mask |= HF_STATUS_BIT(st);
            break;
        case OPT_SEGMENT:
            l->f.segment = optarg;
            break;
        case OPT_OWNER:
            l->f.owner = optarg;
            break;
        case OPT_CSM:
            l->f.csm = optarg;
            break;
        case OPT_BAND: {
            int b = hf_band_parse(optarg);
            if (b < 0)
                return cli_usage_error(cmd, N_("unknown band '%s'"), optarg);
            l->f.band_mask |= 1u << b;
            break;
        }
        case OPT_OVERDUE:
            l->f.overdue_only = true;
            break;
        case OPT_UNASSIGNED:
            l->f.unassigned = true;
            break;
        case OPT_COUNT:
            l->count = true;
            break;
        case OPT_LIMIT:
            if (!hf_id_parse(optarg, &v) || v > 1000000)
                return cli_usage_error(cmd, N_("--limit: expected a number from 1 to 1000000"));
            l->f.limit = (int)v;
            break;
        case OPT_AFTER:
            if (!hf_id_parse(optarg, &v))
                return cli_usage_error(cmd, N_("--after: expected a handoff id"));
            l->f.after_id = v;
            break;
        case OPT_FORMAT:
            l->format = optarg;
            break;
        default:
            if (!cli_common_option(c, optarg, &l->o))
                return cli_usage_error(cmd, N_("unknown or incomplete option '%s'"),
                                       argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error(cmd, N_("unexpected argument '%s'"), argv[optind]);
    int rc = cli_common_finish(cmd, &l->o);
    l->f.now = l->o.now;
    return rc;
}

static const char *time_or_dash(hf_time t, char buf[HF_TIME_BUFSZ])
{
    if (t == HF_TIME_NONE)
        return "-";
    hf_time_format_utc(t, buf);
    buf[16] = 'Z'; /* minutes are enough in a table */
    buf[17] = '\0';
    return buf;
}

/* Numbers as the API writes them: 87.2, never 87.200000000000003. */
#define CLI_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

typedef struct print_ctx {
    const list_opts *l;
    long count;
} print_ctx;

static int print_row(void *vctx, const hf_handoff_rec *h)
{
    print_ctx *c = vctx;
    char buf[HF_TIME_BUFSZ];
    if (c->l->o.json) {
        json_t *o = hf_svc_handoff_json(h, false);
        json_dumpf(o, stdout, CLI_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(o);
    } else {
        bool open = !hf_status_is_final(h->status);
        bool overdue = open && h->index.next_due != HF_TIME_NONE && h->index.next_due < c->l->o.now;
        printf("%6lld  %-14s %-10s %s %s %s %3d %-11s %5.1f%%  %s%s\n", (long long)h->id,
               hf_status_name(h->status), h->index.segment[0] ? h->index.segment : "-",
               PAD(h->index.company ? h->index.company : "-", 26),
               PAD(h->index.owner ? h->index.owner : "-", 18),
               PAD(h->index.csm ? h->index.csm : "-", 18), h->index.quality_total,
               hf_band_names[h->index.band >= 0 ? h->index.band : 3],
               (double)h->index.completeness_d / 10.0,
               time_or_dash(open ? h->index.next_due : HF_TIME_NONE, buf), overdue ? " !" : "");
    }
    c->count++;
    return 0;
}

int cmd_list(int argc, char **argv)
{
    list_opts l;
    int rc = parse_filters("list", argc, argv, &l,
                           N_("Usage: handoff list [FILTERS] [--count] [--json] [--db URL]"),
                           N_("List handoffs, oldest first; '!' marks an overdue SLA."));
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    cli_session x;
    rc = cli_session_open(&l.o, false, &x);
    if (rc)
        return rc;
    hf_error err;
    hf_error_clear(&err);
    if (l.count) {
        int64_t n = 0;
        rc = hf_svc_handoff_count(x.svc, &x.actor, &l.f, &n, &err);
        cli_session_close(&x);
        if (rc)
            return cli_report_error(l.o.db, &err);
        if (l.o.json)
            printf("{\"count\":%lld}\n", (long long)n);
        else
            printf("%lld\n", (long long)n);
        return EXIT_OK;
    }
    if (!l.o.json)
        printf("%6s  %s %s %s %s %s %3s %s %6s  %s\n", _("ID"), PAD(_("STATUS"), 14),
               PAD(_("SEGMENT"), 10), PAD(_("COMPANY"), 26), PAD(_("OWNER"), 18), PAD(_("CSM"), 18),
               _("Q"), PAD(_("BAND"), 11), _("DOCS"), _("NEXT DUE"));
    print_ctx c = {&l, 0};
    rc = hf_svc_handoff_list(x.svc, &x.actor, &l.f, print_row, &c, &err);
    cli_session_close(&x);
    if (rc)
        return cli_report_error(l.o.db, &err);
    if (!l.o.json)
        printf(_n("%ld handoff\n", "%ld handoffs\n", (unsigned long)c.count), c.count);
    return EXIT_OK;
}

static void csv_field(const char *s)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
}

static int export_row(void *vctx, const hf_handoff_rec *h)
{
    const list_opts *l = vctx;
    if (l->format && strcmp(l->format, "csv") == 0) {
        char buf[HF_TIME_BUFSZ], num[64];
        printf("%lld,%s,%d,", (long long)h->id, hf_status_name(h->status), h->version);
        csv_field(h->index.segment);
        putchar(',');
        csv_field(h->index.company);
        putchar(',');
        csv_field(h->index.owner);
        putchar(',');
        csv_field(h->index.csm);
        snprintf(num, sizeof(num), ",%d,%s,%.1f,%s,", h->index.quality_total,
                 hf_band_names[h->index.band >= 0 ? h->index.band : 3],
                 (double)h->index.completeness_d / 10.0, h->index.ready ? "true" : "false");
        fputs(num, stdout);
        fputs(h->index.t0 == HF_TIME_NONE ? "" : hf_time_format_utc(h->index.t0, buf), stdout);
        putchar(',');
        fputs(h->index.next_due == HF_TIME_NONE || hf_status_is_final(h->status)
                  ? ""
                  : hf_time_format_utc(h->index.next_due, buf),
              stdout);
        putchar(',');
        csv_field(h->index.protocol_version);
        putchar('\n');
    } else {
        json_t *o = hf_svc_handoff_json(h, true);
        json_dumpf(o, stdout, CLI_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(o);
    }
    return ferror(stdout) ? HF_EIO : 0;
}

int cmd_export(int argc, char **argv)
{
    list_opts l;
    int rc = parse_filters("export", argc, argv, &l,
                           N_("Usage: handoff export [--format jsonl|csv] [FILTERS] [--db URL]"),
                           N_("Write handoffs to standard output: JSON lines with the whole "
                              "document (default), or CSV of the indexed columns."));
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    if (l.format && strcmp(l.format, "csv") != 0 && strcmp(l.format, "jsonl") != 0)
        return cli_usage_error("export", N_("--format: expected jsonl or csv, not '%s'"), l.format);
    cli_session x;
    rc = cli_session_open(&l.o, false, &x);
    if (rc)
        return rc;
    if (l.format && strcmp(l.format, "csv") == 0)
        puts("id,status,version,segment,company,owner,csm,quality_total,band,completeness,"
             "ready,t0,next_due,protocol");
    hf_error err;
    hf_error_clear(&err);
    l.f.with_documents = true;
    rc = hf_svc_handoff_list(x.svc, &x.actor, &l.f, export_row, &l, &err);
    cli_session_close(&x);
    if (rc == HF_EIO)
        return EXIT_IOERR;
    if (rc)
        return cli_report_error(l.o.db, &err);
    return fflush(stdout) ? EXIT_IOERR : EXIT_OK;
}

/* ---- commands on one handoff ---- */

typedef struct one_opts {
    cli_common o;
    int version;
    const char **sets;
    size_t nsets;
    const char *reason;
    const char *override;
    const char *held_at;
    char *reasons_buf;
    const char *reasons[9];
    size_t nreasons;
    bool done, undone, automatic;
} one_opts;

enum {
    OPT_VERSION = 1200,
    OPT_SET,
    OPT_REASON,
    OPT_REASONS,
    OPT_OVERRIDE,
    OPT_HELD_AT,
    OPT_DONE,
    OPT_UNDONE,
    OPT_AUTO,
};

/* Parse options; leaves the positional arguments at argv[optind..]. Returns 0, -1 after
 * --help, or an exit status. */
static int parse_one(const char *cmd, int argc, char **argv, one_opts *x, const char *usage,
                     const char *what)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS,
                                         {"version", required_argument, NULL, OPT_VERSION},
                                         {"set", required_argument, NULL, OPT_SET},
                                         {"reason", required_argument, NULL, OPT_REASON},
                                         {"reasons", required_argument, NULL, OPT_REASONS},
                                         {"override", required_argument, NULL, OPT_OVERRIDE},
                                         {"held-at", required_argument, NULL, OPT_HELD_AT},
                                         {"done", no_argument, NULL, OPT_DONE},
                                         {"undone", no_argument, NULL, OPT_UNDONE},
                                         {"auto", no_argument, NULL, OPT_AUTO},
                                         {NULL, 0, NULL, 0}};
    memset(x, 0, sizeof(*x));
    x->sets = calloc((size_t)argc + 1, sizeof(char *));
    if (!x->sets)
        return EXIT_SOFTWARE;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int64_t v;
        switch (c) {
        case 'h':
            cli_help(usage, what);
            return -1;
        case OPT_VERSION:
            if (!hf_id_parse(optarg, &v) || v > 1000000000)
                return cli_usage_error(cmd, N_("--version: expected a version number"));
            x->version = (int)v;
            break;
        case OPT_SET:
            x->sets[x->nsets++] = optarg;
            break;
        case OPT_REASON:
            x->reason = optarg;
            break;
        case OPT_OVERRIDE:
            x->override = optarg;
            break;
        case OPT_HELD_AT:
            x->held_at = optarg;
            break;
        case OPT_DONE:
            x->done = true;
            break;
        case OPT_UNDONE:
            x->undone = true;
            break;
        case OPT_AUTO:
            x->automatic = true;
            break;
        case OPT_REASONS:
            /* the codes are the service's to check */
            free(x->reasons_buf);
            x->reasons_buf = strdup(optarg);
            x->nreasons = 0;
            for (char *t = x->reasons_buf, *next; t && x->nreasons < 9; t = next) {
                next = strchr(t, ',');
                if (next)
                    *next++ = '\0';
                x->reasons[x->nreasons++] = t;
            }
            break;
        default:
            if (!cli_common_option(c, optarg, &x->o))
                return cli_usage_error(cmd, N_("unknown or incomplete option '%s'"),
                                       argv[optind - 1]);
        }
    }
    return cli_common_finish(cmd, &x->o);
}

static bool cli_has_flag(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], flag) == 0)
            return true;
    return false;
}

/* The frame every command on one handoff shares: options, positional arguments and the
 * database session, and one place that frees them. */
typedef struct one_cmd {
    one_opts x;
    int64_t id;  /* when the first positional is a handoff ID */
    char **args; /* the positional arguments */
    cli_session ses;
    bool open;
    hf_handoff_rec h; /* a record a command read or wrote */
    json_t *doc;      /* a document a command read */
    hf_error err;
} one_cmd;

/* Parse the options, expect `nargs` positionals (the first an ID when `want_id`), then
 * open the database. Returns 0 to go on, -1 after --help, or an exit status; one_end() is
 * always called after it. */
static int one_begin(one_cmd *c, const char *cmd, int argc, char **argv, const char *usage,
                     const char *what, bool want_id, int nargs, const char *arity)
{
    memset(c, 0, sizeof(*c));
    hf_error_clear(&c->err);
    int rc = parse_one(cmd, argc, argv, &c->x, usage, what);
    if (rc)
        return rc;
    if (argc - optind != nargs)
        return cli_usage_error(cmd, N_("%s"), _(arity));
    if (want_id && !hf_id_parse(argv[optind], &c->id))
        return cli_usage_error(cmd, N_("expected a handoff ID (a number), not '%s'"), argv[optind]);
    c->args = argv + optind;
    rc = cli_session_open(&c->x.o, false, &c->ses);
    c->open = rc == 0;
    return rc;
}

static int one_end(one_cmd *c, int rc)
{
    json_decref(c->doc);
    hf_handoff_rec_free(&c->h);
    if (c->open)
        cli_session_close(&c->ses);
    free(c->x.sets);
    free(c->x.reasons_buf);
    return rc < 0 ? EXIT_OK : rc;
}

static int failed(one_cmd *c)
{
    return cli_report_error(c->x.o.db, &c->err);
}

int cmd_show(int argc, char **argv)
{
    one_cmd c;
    hf_evaluation ev;
    memset(&ev, 0, sizeof(ev));
    int rc = one_begin(&c, "show", argc, argv, N_("Usage: handoff show ID [--json] [--now T]"),
                       N_("Show one handoff: its record and its evaluation now, under the "
                          "protocol version it is pinned to."),
                       true, 1, N_("expected a handoff ID"));
    if (!rc && hf_svc_handoff_evaluate(c.ses.svc, &c.ses.actor, c.id, c.x.o.now, &c.h, &ev, &c.err))
        rc = failed(&c);
    if (!rc) {
        c.doc = hf_json_loadb(c.h.document, strlen(c.h.document), 0, NULL);
        if (!c.doc)
            rc = EXIT_SOFTWARE;
    }
    if (!rc && c.x.o.json) {
        json_t *o = hf_svc_handoff_json(&c.h, true);
        json_object_set_new(o, "evaluation", hf_evaluation_to_json(&ev));
        json_dumpf(o, stdout, HF_EVALUATION_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(o);
    } else if (!rc) {
        char buf[HF_TIME_BUFSZ];
        printf(_("Handoff %lld  status %s  version %d  updated %s  protocol %s\n"),
               (long long)c.h.id, _(hf_status_label_msgid(c.h.status)), c.h.version,
               hf_time_format_utc(c.h.updated_at, buf), c.h.index.protocol_version);
        cli_report(stdout, c.doc, &ev);
    }
    hf_evaluation_free(&ev);
    return one_end(&c, rc);
}

static void print_saved(const cli_common *o, const hf_handoff_rec *h)
{
    if (o->json) {
        json_t *j = hf_svc_handoff_json(h, false);
        json_dumpf(j, stdout, CLI_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf(_("handoff %lld: version %d, quality %d (%s), completeness %.1f%%\n"),
               (long long)h->id, h->version, h->index.quality_total,
               _(cli_band_labels[h->index.band >= 0 ? h->index.band : 3]),
               (double)h->index.completeness_d / 10.0);
    }
}

/* Read and parse a document file; prints errors. */
static int read_document(const char *path, json_t **doc)
{
    char *buf;
    size_t len;
    int rc = cli_read_file(path, &buf, &len);
    if (rc)
        return rc;
    hf_error err;
    hf_error_clear(&err);
    if (hf_document_parse(buf, len, doc, &err)) {
        cli_print_data_error(path, &err);
        rc = EXIT_DATAERR;
    }
    free(buf);
    return rc;
}

int cmd_add(int argc, char **argv)
{
    one_cmd c;
    int rc = one_begin(&c, "add", argc, argv, N_("Usage: handoff add FILE|- [--db URL]"),
                       N_("Create a handoff (in draft) from a handoff/1 document; its deal is "
                          "created or updated from deal.crm_id. A deal has one handoff: adding "
                          "a second is refused."),
                       false, 1, N_("expected one FILE (or - for standard input)"));
    if (!rc)
        rc = read_document(c.args[0], &c.doc);
    int64_t existing = 0;
    if (!rc && hf_svc_handoff_create(c.ses.svc, &c.ses.actor, c.doc, "cli", c.x.o.now, &c.h,
                                     &existing, &c.err))
        rc = cli_report_error(c.args[0], &c.err);
    if (!rc)
        print_saved(&c.x.o, &c.h);
    return one_end(&c, rc);
}

int cmd_edit(int argc, char **argv)
{
    one_cmd c;
    int rc = one_begin(&c, "edit", argc, argv,
                       N_("Usage: handoff edit ID --set PATH=VALUE [--set ...] [--version N]"),
                       N_("Change fields of a handoff document. VALUE is JSON when it parses "
                          "as JSON (96000, true, null, [\"a\"], \"text\"), else plain text. "
                          "--version N refuses the edit when someone else saved since version "
                          "N."),
                       true, 1, N_("expected one ID and at least one --set"));
    if (!rc && c.x.nsets == 0)
        rc = cli_usage_error("edit", N_("%s"), _("expected one ID and at least one --set"));
    if (!rc && hf_svc_handoff_edit(c.ses.svc, &c.ses.actor, c.id, c.x.version, c.x.sets, c.x.nsets,
                                   c.x.o.now, &c.h, &c.err))
        rc = failed(&c);
    if (!rc)
        print_saved(&c.x.o, &c.h);
    return one_end(&c, rc);
}

int cmd_put(int argc, char **argv)
{
    one_cmd c;
    int rc = one_begin(&c, "put", argc, argv, N_("Usage: handoff put ID FILE|- [--version N]"),
                       N_("Replace the document of a handoff. --version N refuses the write "
                          "when someone else saved since version N."),
                       true, 2, N_("expected an ID and one FILE"));
    if (!rc)
        rc = read_document(c.args[1], &c.doc);
    if (!rc && hf_svc_handoff_write(c.ses.svc, &c.ses.actor, c.id, c.x.version, HF_WRITE_PUT, NULL,
                                    c.doc, c.x.o.now, &c.h, &c.err))
        rc = failed(&c);
    if (!rc)
        print_saved(&c.x.o, &c.h);
    return one_end(&c, rc);
}

int cmd_transition(int argc, char **argv)
{
    one_cmd c;
    hf_status to = HF_STATUS_DRAFT;
    int rc = one_begin(&c, "transition", argc, argv,
                       N_("Usage: handoff transition ID STATUS [--reason TEXT] [--reasons "
                          "CODE,...] [--override REASON] [--held-at TIME]"),
                       N_("Move a handoff to STATUS: submitted, scheduled, held, accepted, "
                          "needs_revision, rejected, completed, cancelled. Rejections, revision "
                          "requests and cancellations need a reason; --reasons takes the "
                          "rejection codes info_gaps, undocumented_commitments, "
                          "stakeholders_incomplete, technical_unclear, other. A move the gate "
                          "blocks is refused with the blockers named; a CS manager or RevOps "
                          "may --override it with a written reason, kept in the history. "
                          "--held-at records when the meeting was held (default: now)."),
                       true, 2, N_("expected an ID and a STATUS"));
    if (!rc && !hf_status_parse(c.args[1], &to))
        rc = cli_usage_error("transition", N_("unknown status '%s'"), c.args[1]);
    hf_transition_req req = {to,           c.x.reason,   c.x.nreasons ? c.x.reasons : NULL,
                             c.x.nreasons, c.x.override, 0};
    if (!rc && c.x.held_at &&
        !hf_time_parse_rfc3339(c.x.held_at, strlen(c.x.held_at), &req.held_at))
        rc = cli_usage_error("transition",
                             N_("--held-at: expected an RFC 3339 timestamp with an offset, not "
                                "'%s'"),
                             c.x.held_at);
    if (!rc &&
        hf_svc_handoff_transition(c.ses.svc, &c.ses.actor, c.id, &req, c.x.o.now, &c.h, &c.err))
        rc = failed(&c);
    if (!rc)
        printf(_("handoff %lld: %s\n"), (long long)c.id, _(hf_status_label_msgid(to)));
    return one_end(&c, rc);
}

int cmd_approve(int argc, char **argv)
{
    one_cmd c;
    int rc = one_begin(&c, "approve", argc, argv, N_("Usage: handoff approve ID"),
                       N_("The CS manager approves a pre-close handoff (deal.trigger "
                          "verbal_commit) before the contract is signed."),
                       true, 1, N_("expected a handoff ID"));
    if (!rc && hf_svc_pre_close_approve(c.ses.svc, &c.ses.actor, c.id, c.x.o.now, &c.h, &c.err))
        rc = failed(&c);
    if (!rc)
        print_saved(&c.x.o, &c.h);
    return one_end(&c, rc);
}

int cmd_assign(int argc, char **argv)
{
    one_cmd c;
    int rc = one_begin(&c, "assign", argc, argv,
                       N_("Usage: handoff assign ID CSM-EMAIL|--auto [--override REASON]"),
                       N_("Assign the handoff's CSM. --auto picks the least-loaded CSM who "
                          "takes the deal's segment; a CSM at capacity is refused unless a CS "
                          "manager or RevOps overrides with a reason; when every CSM is at "
                          "capacity the handoff waits in the CS managers' queue."),
                       true, cli_has_flag(argc, argv, "--auto") ? 1 : 2,
                       N_("expected an ID and a CSM e-mail address or --auto"));
    const char *csm = !rc && !c.x.automatic ? c.args[1] : NULL;
    if (!rc && hf_svc_csm_assign(c.ses.svc, &c.ses.actor, c.id, csm, c.x.override, c.x.o.now, &c.h,
                                 &c.err))
        rc = failed(&c);
    if (!rc)
        printf(_("handoff %lld: CSM %s\n"), (long long)c.id,
               c.h.index.csm_email ? c.h.index.csm_email : "-");
    return one_end(&c, rc);
}

int cmd_checklist(int argc, char **argv)
{
    one_cmd c;
    int rc = one_begin(&c, "checklist", argc, argv,
                       N_("Usage: handoff checklist ID [ITEM --done|--undone]"),
                       N_("Show the three checklists of a handoff, or tick (--done) or untick "
                          "(--undone) one of the items people tick, such as "
                          "meeting.recording_shared."),
                       true, argc > 2 && argv[argc - 1][0] != '-' ? 2 : 1,
                       N_("expected an ID, and an ITEM with --done or --undone"));
    if (!rc && optind + 1 < argc) {
        if (c.x.done == c.x.undone)
            rc = cli_usage_error("checklist", N_("%s"), _("expected --done or --undone"));
        else if (hf_svc_checklist_tick(c.ses.svc, &c.ses.actor, c.id, c.args[1], c.x.done,
                                       c.x.o.now, &c.err))
            rc = failed(&c);
    }
    json_t *out = NULL;
    if (!rc && hf_svc_checklists(c.ses.svc, &c.ses.actor, c.id, c.x.o.now, &out, &c.err))
        rc = failed(&c);
    if (!rc && c.x.o.json) {
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else if (!rc) {
        static const char *const lists[] = {"pre_handoff", "meeting", "post_handoff"};
        static const char *const titles[] = {N_("Before the handoff"), N_("The meeting"),
                                             N_("After the handoff")};
        for (int l = 0; l < 3; l++) {
            printf("%s\n", _(titles[l]));
            size_t i;
            json_t *item;
            json_array_foreach(json_object_get(out, lists[l]), i, item)
            {
                bool done = json_is_true(json_object_get(item, "done"));
                bool automatic = json_is_true(json_object_get(item, "automatic"));
                printf("  [%s] %s.%s%s\n", done ? "x" : " ", lists[l],
                       json_string_value(json_object_get(item, "id")),
                       automatic ? _(" (automatic)") : "");
            }
        }
    }
    json_decref(out);
    return one_end(&c, rc);
}

/* ---- history, diff ---- */

int cmd_history(int argc, char **argv)
{
    one_cmd c;
    json_t *out = NULL;
    int rc = one_begin(&c, "history", argc, argv, N_("Usage: handoff history ID [--json]"),
                       N_("Every version of a handoff (who, when, which fields changed) and "
                          "every status change (who, when, why, and any override of the "
                          "gate)."),
                       true, 1, N_("expected a handoff ID"));
    if (!rc && hf_svc_handoff_history(c.ses.svc, &c.ses.actor, c.id, &out, &c.err))
        rc = failed(&c);
    if (!rc && c.x.o.json) {
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else if (!rc) {
        printf(_("Versions of handoff %lld\n"), (long long)c.id);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "versions"), i, v)
        {
            json_t *paths = json_object_get(v, "changed");
            size_t n = json_array_size(paths);
            int version = (int)json_integer_value(json_object_get(v, "version"));
            printf("  v%-4d %s  %-16s ", version, json_string_value(json_object_get(v, "at")),
                   json_string_value(json_object_get(v, "author")));
            if (version == 1)
                n = 0, printf("%s", _("created"));
            for (size_t k = 0; k < n && k < 6; k++)
                printf("%s%s", k ? ", " : "", json_string_value(json_array_get(paths, k)));
            if (n > 6)
                printf(_(" and %zu more"), n - 6);
            putchar('\n');
        }
        printf("\n%s\n", _("Status changes"));
        json_array_foreach(json_object_get(out, "transitions"), i, v)
        {
            const char *from = json_string_value(json_object_get(v, "from"));
            const char *reason = json_string_value(json_object_get(v, "reason"));
            const char *override = json_string_value(json_object_get(v, "override"));
            printf("  %s  %-16s %s -> %s", json_string_value(json_object_get(v, "at")),
                   json_string_value(json_object_get(v, "actor")), from ? from : "-",
                   json_string_value(json_object_get(v, "to")));
            if (reason)
                printf("  (%s)", reason);
            if (override)
                printf(_("  [gate overridden: %s]"), override);
            putchar('\n');
        }
    }
    json_decref(out);
    return one_end(&c, rc);
}

static void print_value(const json_t *v)
{
    if (!v || json_is_null(v)) {
        printf("%s", v ? "null" : _("(absent)"));
        return;
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
    printf("%s", s ? s : "?");
    free(s);
}

int cmd_diff(int argc, char **argv)
{
    one_cmd c;
    int64_t v1 = 0, v2 = 0;
    json_t *out = NULL;
    int rc = one_begin(&c, "diff", argc, argv, N_("Usage: handoff diff ID V1 V2 [--json]"),
                       N_("What changed in a handoff document between two versions: field "
                          "path, old value, new value."),
                       true, 3, N_("expected an ID and two version numbers"));
    if (!rc && (!hf_id_parse(c.args[1], &v1) || !hf_id_parse(c.args[2], &v2) || v1 > 1000000000 ||
                v2 > 1000000000))
        rc = cli_usage_error("diff", N_("%s"), _("expected an ID and two version numbers"));
    if (!rc && hf_svc_handoff_diff(c.ses.svc, &c.ses.actor, c.id, (int)v1, (int)v2, &out, &c.err))
        rc = failed(&c);
    if (!rc && c.x.o.json) {
        json_dumpf(json_object_get(out, "changes"), stdout,
                   JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else if (!rc) {
        printf(_("handoff %lld: version %d -> version %d\n"), (long long)c.id, (int)v1, (int)v2);
        size_t i;
        json_t *ch;
        json_t *changes = json_object_get(out, "changes");
        json_array_foreach(changes, i, ch)
        {
            printf("  %s: ", json_string_value(json_object_get(ch, "path")));
            print_value(json_object_get(ch, "old"));
            printf(" -> ");
            print_value(json_object_get(ch, "new"));
            putchar('\n');
        }
        if (json_array_size(changes) == 0)
            printf("  %s\n", _("no differences"));
    }
    json_decref(out);
    return one_end(&c, rc);
}

/* ---- the close gate ---- */

int cmd_gate(int argc, char **argv)
{
    one_cmd c;
    json_t *out = NULL;
    int rc = one_begin(&c, "gate", argc, argv, N_("Usage: handoff gate CRM-ID [--json] [--now T]"),
                       N_("The close gate a CRM asks before closing a deal: is the handoff of "
                          "the deal with this CRM id ready, and what blocks it."),
                       false, 1, N_("expected a CRM deal id"));
    if (!rc && hf_svc_gate(c.ses.svc, &c.ses.actor, c.args[0], c.x.o.now, &out, &c.err))
        rc = failed(&c);
    if (!rc && c.x.o.json) {
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
    } else if (!rc) {
        bool ready = json_is_true(json_object_get(out, "ready"));
        printf(_("deal %s, handoff %lld: %s\n"), c.args[0],
               (long long)json_integer_value(json_object_get(out, "handoff_id")),
               ready ? _("ready") : _("not ready"));
        size_t i;
        json_t *b;
        json_array_foreach(json_object_get(out, "blockers"), i, b)
        {
            const char *id = json_string_value(b);
            for (int k = 0; k < HF_BLOCK_COUNT; k++)
                if (id && strcmp(id, hf_blocker_ids[k]) == 0)
                    printf("  x %s  [%s]\n", _(hf_blocker_labels[k]), id);
        }
    }
    json_decref(out);
    /* a blocked gate is an answer, not an error: 0 either way, the output says which */
    return one_end(&c, rc);
}
