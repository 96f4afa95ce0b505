/* The handoff commands over a database: init, db, list, show, add, edit, put, transition,
 * history, diff, export, import. Each is argument parsing and printing around
 * libhandoff's store and handoffs modules; the rules live there.
 *
 * The database is --db URL, else HANDOFF_DB, else `sqlite:handoff.db` in the current
 * directory. The acting person is --as NAME, else HANDOFF_USER, else USER. */
#include "cli/cli.h"

#include "handoff/crm_import.h"
#include "handoff/document.h"
#include "handoff/handoffs.h"
#include "handoff/jsondiff.h"
#include "handoff/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WORKSPACE 1

typedef struct common {
    const char *db;
    const char *as;
    const char *protocol;
    const char *now_arg;
    bool json;
    hf_time now;
} common;

enum { OPT_DB = 1000, OPT_AS, OPT_PROTOCOL, OPT_NOW, OPT_LANG, OPT_JSON };

#define COMMON_OPTIONS                                                                             \
    {"db", required_argument, NULL, OPT_DB}, {"as", required_argument, NULL, OPT_AS},              \
        {"protocol", required_argument, NULL, OPT_PROTOCOL},                                       \
        {"now", required_argument, NULL, OPT_NOW}, {"lang", required_argument, NULL, OPT_LANG},    \
        {"json", no_argument, NULL, OPT_JSON},                                                     \
    {                                                                                              \
        "help", no_argument, NULL, 'h'                                                             \
    }

/* Handle a common option; returns 1 when `c` was one, 0 otherwise. */
static int common_option(int c, common *o)
{
    switch (c) {
    case OPT_DB:
        o->db = optarg;
        return 1;
    case OPT_AS:
        o->as = optarg;
        return 1;
    case OPT_PROTOCOL:
        o->protocol = optarg;
        return 1;
    case OPT_NOW:
        o->now_arg = optarg;
        return 1;
    case OPT_LANG:
        return 1;
    case OPT_JSON:
        o->json = true;
        return 1;
    }
    return 0;
}

static const char *common_help =
    N_("Common options:\n"
       "  --db URL        database: sqlite:PATH or postgresql://... (default: HANDOFF_DB, else "
       "sqlite:handoff.db)\n"
       "  --as NAME       who is acting, recorded in the history (default: HANDOFF_USER, "
       "else USER)\n"
       "  --protocol FILE protocol file (default: HANDOFF_PROTOCOL, else the built-in 2026.1)\n"
       "  --now TIME      act as if it were this RFC 3339 instant\n"
       "  --json          machine-readable output\n"
       "  --lang L        en, pt-BR, es, id\n");

static void help(const char *usage, const char *what)
{
    printf("%s\n\n%s\n\n%s", _(usage), _(what), _(common_help));
}

/* Finish the common options: defaults and --now. Returns 0 or EXIT_USAGE. */
static int common_finish(const char *cmd, common *o)
{
    if (!o->db)
        o->db = getenv("HANDOFF_DB");
    if (!o->db || !*o->db)
        o->db = "sqlite:handoff.db";
    if (!o->as)
        o->as = getenv("HANDOFF_USER");
    if (!o->as || !*o->as)
        o->as = getenv("USER");
    if (!o->as || !*o->as)
        o->as = "cli";
    if (o->now_arg) {
        if (!hf_time_parse_rfc3339(o->now_arg, strlen(o->now_arg), &o->now))
            return cli_usage_error(cmd,
                                   N_("--now: expected an RFC 3339 timestamp with an offset, "
                                      "not '%s'"),
                                   o->now_arg);
    } else {
        o->now = (hf_time)time(NULL);
    }
    return 0;
}

static int open_store(const common *o, bool migrate, hf_store **s)
{
    hf_error err;
    hf_error_clear(&err);
    if (hf_store_open(o->db, migrate, s, &err) != 0) {
        cli_errorf(N_("%s: %s"), o->db, err.msg);
        return EXIT_NOINPUT;
    }
    return 0;
}

/* Exit status for a library error, after printing it. */
static int report_error(const char *what, const hf_error *err)
{
    if (err->rc == HF_EINVAL && err->path[0]) {
        cli_print_data_error(what, err);
        return EXIT_DATAERR;
    }
    cli_errorf(N_("%s: %s"), what, err->msg);
    switch (err->rc) {
    case HF_EINVAL:
        return EXIT_DATAERR;
    case HF_ENOTFOUND:
        return EXIT_NOINPUT;
    case HF_ECONFLICT:
        return 75; /* EX_TEMPFAIL: reload and retry */
    case HF_ESTATE:
    case HF_EUSAGE:
        return EXIT_USAGE;
    default:
        return EXIT_SOFTWARE;
    }
}

static bool parse_id(const char *s, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v <= 0)
        return false;
    *id = v;
    return true;
}

/* ---- init, db ---- */

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    common o = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            help(N_("Usage: handoff init [--db URL]"),
                 N_("Create the database (or bring its schema up to date)."));
            return EXIT_OK;
        }
        if (!common_option(c, &o))
            return cli_usage_error("init", N_("unknown or incomplete option '%s'"),
                                   argv[optind - 1]);
    }
    if (optind != argc)
        return cli_usage_error("init", N_("unexpected argument '%s'"), argv[optind]);
    int rc = common_finish("init", &o);
    if (rc)
        return rc;
    hf_store *s;
    rc = open_store(&o, true, &s);
    if (rc)
        return rc;
    int v = 0;
    hf_error err;
    s->ops->schema_version(s, &v, &err);
    printf(_("%s: ready (%s, schema version %d)\n"), o.db, s->ops->name, v);
    hf_store_close(s);
    return EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
    static const struct option opts[] = {COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    common o = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            help(N_("Usage: handoff db status|migrate|check|backup FILE|restore FILE [--db URL]"),
                 N_("status: schema version; migrate: apply pending migrations; check: "
                    "integrity check; backup: online copy of a SQLite database; restore: copy a "
                    "backup over the database."));
            return EXIT_OK;
        }
        if (!common_option(c, &o))
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
    int rc = common_finish("db", &o);
    if (rc)
        return rc;
    hf_error err;
    hf_error_clear(&err);
    if (strcmp(sub, "restore") == 0) {
        if (hf_store_restore(o.db, argv[optind + 1], &err))
            return report_error(o.db, &err);
        printf(_("%s: restored from %s\n"), o.db, argv[optind + 1]);
        return EXIT_OK;
    }
    if (strcmp(sub, "status") != 0 && strcmp(sub, "migrate") != 0 && strcmp(sub, "check") != 0 &&
        strcmp(sub, "backup") != 0)
        return cli_usage_error("db", N_("unknown subcommand '%s'"), sub);
    hf_store *s;
    rc = open_store(&o, false, &s);
    if (rc)
        return rc;
    if (strcmp(sub, "status") == 0) {
        int v = 0;
        rc = s->ops->schema_version(s, &v, &err);
        if (!rc) {
            printf(_("%s: %s, schema version %d of %d\n"), o.db, s->ops->name, v,
                   hf_store_latest_schema());
            if (v < hf_store_latest_schema())
                printf("%s\n", _("pending migrations: run 'handoff db migrate'"));
        }
    } else if (strcmp(sub, "migrate") == 0) {
        int applied = 0;
        rc = s->ops->migrate(s, &applied, &err);
        if (!rc)
            printf(_n("%d migration applied\n", "%d migrations applied\n", (unsigned long)applied),
                   applied);
    } else if (strcmp(sub, "check") == 0) {
        char result[256];
        rc = s->ops->check(s, result, sizeof(result), &err);
        if (!rc) {
            printf("%s\n", result);
            if (strcmp(result, "ok") != 0)
                rc = HF_EDB;
        }
    } else {
        rc = s->ops->backup(s, argv[optind + 1], &err);
        if (!rc)
            printf(_("%s: backed up to %s\n"), o.db, argv[optind + 1]);
    }
    hf_store_close(s);
    if (rc)
        return err.msg[0] ? report_error(o.db, &err) : EXIT_SOFTWARE;
    return EXIT_OK;
}

/* ---- list, export ---- */

typedef struct list_opts {
    common o;
    hf_handoff_filter f;
    const char *format; /* export: jsonl | csv */
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
    OPT_FORMAT
};

#define FILTER_OPTIONS                                                                             \
    {"status", required_argument, NULL, OPT_STATUS},                                               \
        {"segment", required_argument, NULL, OPT_SEGMENT},                                         \
        {"owner", required_argument, NULL, OPT_OWNER}, {"csm", required_argument, NULL, OPT_CSM},  \
        {"band", required_argument, NULL, OPT_BAND}, {"overdue", no_argument, NULL, OPT_OVERDUE},  \
        {"limit", required_argument, NULL, OPT_LIMIT},                                             \
    {                                                                                              \
        "after", required_argument, NULL, OPT_AFTER                                                \
    }

static int parse_filters(const char *cmd, int argc, char **argv, list_opts *l, const char *usage,
                         const char *what)
{
    static const struct option opts[] = {COMMON_OPTIONS,
                                         FILTER_OPTIONS,
                                         {"format", required_argument, NULL, OPT_FORMAT},
                                         {NULL, 0, NULL, 0}};
    memset(l, 0, sizeof(*l));
    l->f.status = -1;
    l->f.band = -1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        hf_status st;
        int64_t v;
        switch (c) {
        case 'h':
            help(usage, what);
            printf("%s", _("Filters:\n"
                           "  --status S  --segment S  --owner NAME|EMAIL  --csm NAME|EMAIL\n"
                           "  --band excellent|good|acceptable|substandard  --overdue\n"
                           "  --limit N  --after ID (cursor: ids greater than ID)\n"));
            return -1;
        case OPT_STATUS:
            if (!hf_status_parse(optarg, &st))
                return cli_usage_error(cmd, N_("unknown status '%s'"), optarg);
            l->f.status = (int)st;
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
            int b = -1;
            for (int i = 0; i < HF_BAND_COUNT; i++) {
                if (strcmp(optarg, hf_band_names[i]) == 0)
                    b = i;
            }
            if (b < 0)
                return cli_usage_error(cmd, N_("unknown band '%s'"), optarg);
            l->f.band = b;
            break;
        }
        case OPT_OVERDUE:
            l->f.overdue_only = true;
            break;
        case OPT_LIMIT:
            if (!parse_id(optarg, &v) || v > 1000000)
                return cli_usage_error(cmd, N_("--limit: expected a number from 1 to 1000000"));
            l->f.limit = (int)v;
            break;
        case OPT_AFTER:
            if (!parse_id(optarg, &v))
                return cli_usage_error(cmd, N_("--after: expected a handoff id"));
            l->f.after_id = v;
            break;
        case OPT_FORMAT:
            l->format = optarg;
            break;
        default:
            if (!common_option(c, &l->o))
                return cli_usage_error(cmd, N_("unknown or incomplete option '%s'"),
                                       argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error(cmd, N_("unexpected argument '%s'"), argv[optind]);
    int rc = common_finish(cmd, &l->o);
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

static json_t *record_json(const hf_handoff_rec *h, bool with_document)
{
    char buf[HF_TIME_BUFSZ];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(h->id));
    json_object_set_new(o, "deal_id", h->deal_id ? json_integer(h->deal_id) : json_null());
    json_object_set_new(o, "status", json_string(hf_status_name(h->status)));
    json_object_set_new(o, "version", json_integer(h->version));
    json_object_set_new(o, "segment",
                        h->index.segment[0] ? json_string(h->index.segment) : json_null());
    json_object_set_new(o, "company",
                        h->index.company ? json_string(h->index.company) : json_null());
    json_object_set_new(o, "owner", h->index.owner ? json_string(h->index.owner) : json_null());
    json_object_set_new(o, "csm", h->index.csm ? json_string(h->index.csm) : json_null());
    json_object_set_new(o, "quality_total", json_integer(h->index.quality_total));
    json_object_set_new(o, "band",
                        json_string(hf_band_names[h->index.band >= 0 ? h->index.band : 3]));
    json_object_set_new(o, "completeness", json_real((double)h->index.completeness_d / 10.0));
    json_object_set_new(o, "ready", json_boolean(h->index.ready));
    json_object_set_new(o, "t0",
                        h->index.t0 == HF_TIME_NONE
                            ? json_null()
                            : json_string(hf_time_format_utc(h->index.t0, buf)));
    json_object_set_new(o, "next_due",
                        h->index.next_due == HF_TIME_NONE
                            ? json_null()
                            : json_string(hf_time_format_utc(h->index.next_due, buf)));
    json_object_set_new(o, "protocol", json_string(h->index.protocol_version));
    json_object_set_new(o, "created_at", json_string(hf_time_format_utc(h->created_at, buf)));
    json_object_set_new(o, "updated_at", json_string(hf_time_format_utc(h->updated_at, buf)));
    if (with_document) {
        json_t *doc = json_loads(h->document, 0, NULL);
        json_object_set_new(o, "document", doc ? doc : json_null());
    }
    return o;
}

typedef struct print_ctx {
    const list_opts *l;
    long count;
} print_ctx;

static int print_row(void *vctx, const hf_handoff_rec *h)
{
    print_ctx *c = vctx;
    char buf[HF_TIME_BUFSZ];
    if (c->l->o.json) {
        json_t *o = record_json(h, false);
        json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
        json_decref(o);
    } else {
        bool overdue = h->index.next_due != HF_TIME_NONE && h->index.next_due < c->l->o.now &&
                       !hf_status_is_final(h->status);
        printf("%6lld  %-14s %-10s %s %s %s %3d %-11s %5.1f%%  %s%s\n", (long long)h->id,
               hf_status_name(h->status), h->index.segment[0] ? h->index.segment : "-",
               PAD(h->index.company ? h->index.company : "-", 26),
               PAD(h->index.owner ? h->index.owner : "-", 18),
               PAD(h->index.csm ? h->index.csm : "-", 18), h->index.quality_total,
               hf_band_names[h->index.band >= 0 ? h->index.band : 3],
               (double)h->index.completeness_d / 10.0, time_or_dash(h->index.next_due, buf),
               overdue ? " !" : "");
    }
    c->count++;
    return 0;
}

int cmd_list(int argc, char **argv)
{
    list_opts l;
    int rc = parse_filters("list", argc, argv, &l,
                           N_("Usage: handoff list [FILTERS] [--json] [--db URL]"),
                           N_("List handoffs, oldest first; '!' marks an overdue SLA."));
    if (rc)
        return rc < 0 ? EXIT_OK : rc;
    hf_store *s;
    rc = open_store(&l.o, true, &s);
    if (rc)
        return rc;
    if (!l.o.json)
        printf("%6s  %s %s %s %s %s %3s %s %6s  %s\n", _("ID"), PAD(_("STATUS"), 14),
               PAD(_("SEGMENT"), 10), PAD(_("COMPANY"), 26), PAD(_("OWNER"), 18), PAD(_("CSM"), 18),
               _("Q"), PAD(_("BAND"), 11), _("DOCS"), _("NEXT DUE"));
    print_ctx c = {&l, 0};
    hf_error err;
    hf_error_clear(&err);
    rc = s->ops->handoff_list(s, WORKSPACE, &l.f, print_row, &c, &err);
    hf_store_close(s);
    if (rc)
        return report_error(l.o.db, &err);
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
        fputs(h->index.next_due == HF_TIME_NONE ? "" : hf_time_format_utc(h->index.next_due, buf),
              stdout);
        putchar(',');
        csv_field(h->index.protocol_version);
        putchar('\n');
    } else {
        json_t *o = record_json(h, true);
        json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(17));
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
    hf_store *s;
    rc = open_store(&l.o, true, &s);
    if (rc)
        return rc;
    if (l.format && strcmp(l.format, "csv") == 0)
        puts("id,status,version,segment,company,owner,csm,quality_total,band,completeness,"
             "ready,t0,next_due,protocol");
    hf_error err;
    hf_error_clear(&err);
    l.f.with_documents = true;
    rc = s->ops->handoff_list(s, WORKSPACE, &l.f, export_row, &l, &err);
    hf_store_close(s);
    if (rc == HF_EIO)
        return EXIT_IOERR;
    if (rc)
        return report_error(l.o.db, &err);
    return fflush(stdout) ? EXIT_IOERR : EXIT_OK;
}

/* ---- commands on one handoff ---- */

typedef struct one_opts {
    common o;
    int version;
    const char **sets;
    size_t nsets;
    const char *reason;
    char *reasons_buf;
    const char *reasons[8];
    size_t nreasons;
} one_opts;

enum { OPT_VERSION = 1200, OPT_SET, OPT_REASON, OPT_REASONS };

/* Parse options; leaves the positional arguments at argv[optind..]. */
static int parse_one(const char *cmd, int argc, char **argv, one_opts *x, const char *usage,
                     const char *what)
{
    static const struct option opts[] = {COMMON_OPTIONS,
                                         {"version", required_argument, NULL, OPT_VERSION},
                                         {"set", required_argument, NULL, OPT_SET},
                                         {"reason", required_argument, NULL, OPT_REASON},
                                         {"reasons", required_argument, NULL, OPT_REASONS},
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
            help(usage, what);
            return -1;
        case OPT_VERSION:
            if (!parse_id(optarg, &v) || v > 1000000000)
                return cli_usage_error(cmd, N_("--version: expected a version number"));
            x->version = (int)v;
            break;
        case OPT_SET:
            x->sets[x->nsets++] = optarg;
            break;
        case OPT_REASON:
            x->reason = optarg;
            break;
        case OPT_REASONS: {
            static const char *const known[] = {"info_gaps", "undocumented_commitments",
                                                "stakeholders_incomplete", "technical_unclear",
                                                "other"};
            free(x->reasons_buf);
            x->reasons_buf = strdup(optarg);
            x->nreasons = 0;
            for (char *t = x->reasons_buf, *next; t; t = next) {
                next = strchr(t, ',');
                if (next)
                    *next++ = '\0';
                bool ok = false;
                for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
                    ok = ok || strcmp(t, known[k]) == 0;
                if (!ok)
                    return cli_usage_error(cmd,
                                           N_("--reasons: '%s' is not one of info_gaps, "
                                              "undocumented_commitments, stakeholders_incomplete, "
                                              "technical_unclear, other"),
                                           t);
                if (x->nreasons < 8)
                    x->reasons[x->nreasons++] = t;
            }
            break;
        }
        default:
            if (!common_option(c, &x->o))
                return cli_usage_error(cmd, N_("unknown or incomplete option '%s'"),
                                       argv[optind - 1]);
        }
    }
    return common_finish(cmd, &x->o);
}

static void one_free(one_opts *x)
{
    free(x->sets);
    free(x->reasons_buf);
}

/* Positional handoff id at argv[i]. */
static int positional_id(const char *cmd, int argc, char **argv, int i, int64_t *id)
{
    if (i >= argc)
        return cli_usage_error(cmd, N_("%s"), _("expected a handoff ID"));
    if (!parse_id(argv[i], id))
        return cli_usage_error(cmd, N_("expected a handoff ID (a number), not '%s'"), argv[i]);
    return 0;
}

static int load_handoff(hf_store *s, const char *db, int64_t id, hf_handoff_rec *h)
{
    hf_error err;
    hf_error_clear(&err);
    if (s->ops->handoff_get(s, WORKSPACE, id, h, &err))
        return report_error(db, &err);
    return 0;
}

/* The frame every command on one handoff shares: options, positional arguments, the
 * protocol and the store, and one place that frees them. */
typedef struct one_cmd {
    one_opts x;
    int64_t id;  /* when the first positional is a handoff ID */
    char **args; /* the positional arguments */
    hf_store *s;
    hf_protocol p;
    hf_handoff_rec h; /* a record a command read or wrote */
    json_t *doc;      /* a document a command read */
} one_cmd;

/* Parse the options, expect `nargs` positionals (the first an ID when `want_id`), then
 * load the protocol and open the store. Returns 0 to go on, -1 after --help, or an exit
 * status; one_end() is always called after it. */
static int one_begin(one_cmd *c, const char *cmd, int argc, char **argv, const char *usage,
                     const char *what, bool want_id, int nargs, const char *arity)
{
    memset(c, 0, sizeof(*c));
    hf_protocol_default(&c->p);
    int rc = parse_one(cmd, argc, argv, &c->x, usage, what);
    if (rc)
        return rc;
    if (want_id) {
        rc = positional_id(cmd, argc, argv, optind, &c->id);
        if (rc)
            return rc;
    }
    if (argc - optind != nargs)
        return cli_usage_error(cmd, N_("%s"), _(arity));
    c->args = argv + optind;
    hf_protocol_free(&c->p);
    rc = cli_load_protocol(c->x.o.protocol, &c->p);
    if (rc)
        return rc;
    return open_store(&c->x.o, true, &c->s);
}

static int one_end(one_cmd *c, int rc)
{
    json_decref(c->doc);
    hf_handoff_rec_free(&c->h);
    hf_store_close(c->s);
    hf_protocol_free(&c->p);
    one_free(&c->x);
    return rc < 0 ? EXIT_OK : rc;
}

int cmd_show(int argc, char **argv)
{
    one_cmd c;
    hf_evaluation ev;
    memset(&ev, 0, sizeof(ev));
    hf_error err;
    hf_error_clear(&err);
    int rc = one_begin(&c, "show", argc, argv, N_("Usage: handoff show ID [--json] [--now T]"),
                       N_("Show one handoff: its record and its evaluation now."), true, 1,
                       N_("expected a handoff ID"));
    if (!rc)
        rc = load_handoff(c.s, c.x.o.db, c.id, &c.h);
    if (!rc) {
        c.doc = json_loads(c.h.document, 0, NULL);
        if (!c.doc || hf_evaluate(c.doc, &c.p, c.x.o.now, &ev, &err))
            rc = EXIT_SOFTWARE;
    }
    if (!rc && c.x.o.json) {
        json_t *o = record_json(&c.h, true);
        json_object_set_new(o, "evaluation", hf_evaluation_to_json(&ev));
        json_dumpf(o, stdout, HF_EVALUATION_JSON_FLAGS);
        fputc('\n', stdout);
        json_decref(o);
    } else if (!rc) {
        char buf[HF_TIME_BUFSZ];
        printf(_("Handoff %lld  status %s  version %d  updated %s\n"), (long long)c.h.id,
               _(hf_status_label_msgid(c.h.status)), c.h.version,
               hf_time_format_utc(c.h.updated_at, buf));
        cli_report(stdout, c.doc, &ev);
    }
    hf_evaluation_free(&ev);
    return one_end(&c, rc);
}

static void print_saved(const common *o, const hf_handoff_rec *h)
{
    if (o->json) {
        json_t *j = record_json(h, false);
        json_dumpf(j, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15));
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
    one_opts x;
    hf_store *s = NULL;
    hf_protocol p;
    hf_protocol_default(&p);
    json_t *doc = NULL;
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    int rc = parse_one("add", argc, argv, &x, N_("Usage: handoff add FILE|- [--db URL]"),
                       N_("Create a handoff (in draft) from a handoff/1 document; its deal is "
                          "created or updated from deal.crm_id."));
    if (rc)
        goto out;
    if (optind + 1 != argc) {
        rc = cli_usage_error("add", N_("%s"), _("expected one FILE (or - for standard input)"));
        goto out;
    }
    hf_protocol_free(&p);
    rc = cli_load_protocol(x.o.protocol, &p);
    if (rc)
        goto out;
    rc = read_document(argv[optind], &doc);
    if (rc)
        goto out;
    rc = open_store(&x.o, true, &s);
    if (rc)
        goto out;
    hf_error err;
    hf_error_clear(&err);
    int64_t deal_id = 0;
    const json_t *crm = hf_doc_get(doc, "deal.crm_id");
    if (crm && json_is_string(crm) && json_string_length(crm) > 0) {
        hf_deal_rec d;
        memset(&d, 0, sizeof(d));
        d.workspace_id = WORKSPACE;
        d.crm_source = "manual";
        d.crm_id = (char *)json_string_value(crm);
        const json_t *v = hf_doc_get(doc, "deal.name");
        d.name = json_is_string(v) ? (char *)json_string_value(v) : NULL;
        v = hf_doc_get(doc, "customer.company_name");
        d.account = json_is_string(v) ? (char *)json_string_value(v) : NULL;
        v = hf_doc_get(doc, "deal.owner.name");
        d.owner = json_is_string(v) ? (char *)json_string_value(v) : NULL;
        d.is_won = true;
        d.updated_at = x.o.now;
        if (s->ops->deal_upsert(s, &d, NULL, &err)) {
            rc = report_error(x.o.db, &err);
            goto out;
        }
        deal_id = d.id;
    }
    if (hf_handoff_create(s, WORKSPACE, deal_id, HF_STATUS_DRAFT, doc, &p, x.o.as, x.o.now, &h,
                          &err)) {
        rc = report_error(argv[optind], &err);
        goto out;
    }
    print_saved(&x.o, &h);
out:
    if (rc < 0)
        rc = EXIT_OK;
    json_decref(doc);
    hf_handoff_rec_free(&h);
    hf_store_close(s);
    hf_protocol_free(&p);
    one_free(&x);
    return rc;
}

int cmd_edit(int argc, char **argv)
{
    one_cmd c;
    hf_error err;
    hf_error_clear(&err);
    int rc = one_begin(&c, "edit", argc, argv,
                       N_("Usage: handoff edit ID --set PATH=VALUE [--set ...] [--version N]"),
                       N_("Change fields of a handoff document. VALUE is JSON when it parses "
                          "as JSON (96000, true, null, [\"a\"], \"text\"), else plain text. "
                          "--version N refuses the edit when someone else saved since version "
                          "N."),
                       true, 1, N_("expected one ID and at least one --set"));
    if (!rc && c.x.nsets == 0)
        rc = cli_usage_error("edit", N_("%s"), _("expected one ID and at least one --set"));
    if (!rc && hf_handoff_edit(c.s, WORKSPACE, c.id, c.x.version, c.x.sets, c.x.nsets, &c.p,
                               c.x.o.as, c.x.o.now, &c.h, &err))
        rc = report_error(c.x.o.db, &err);
    if (!rc)
        print_saved(&c.x.o, &c.h);
    return one_end(&c, rc);
}

int cmd_put(int argc, char **argv)
{
    one_cmd c;
    hf_error err;
    hf_error_clear(&err);
    int rc = one_begin(&c, "put", argc, argv, N_("Usage: handoff put ID FILE|- [--version N]"),
                       N_("Replace the document of a handoff. --version N refuses the write "
                          "when someone else saved since version N."),
                       true, 2, N_("expected an ID and one FILE"));
    if (!rc)
        rc = read_document(c.args[1], &c.doc);
    if (!rc && hf_handoff_put(c.s, WORKSPACE, c.id, c.x.version, c.doc, &c.p, c.x.o.as, c.x.o.now,
                              &c.h, &err))
        rc = report_error(c.x.o.db, &err);
    if (!rc)
        print_saved(&c.x.o, &c.h);
    return one_end(&c, rc);
}

int cmd_transition(int argc, char **argv)
{
    one_cmd c;
    hf_error err;
    hf_error_clear(&err);
    hf_status to = HF_STATUS_DRAFT;
    int rc = one_begin(&c, "transition", argc, argv,
                       N_("Usage: handoff transition ID STATUS [--reason TEXT] [--reasons "
                          "CODE,...]"),
                       N_("Move a handoff to STATUS: submitted, scheduled, held, accepted, "
                          "needs_revision, rejected, completed, cancelled. Rejections, revision "
                          "requests and cancellations need a reason; --reasons takes the "
                          "rejection codes info_gaps, undocumented_commitments, "
                          "stakeholders_incomplete, technical_unclear, other."),
                       true, 2, N_("expected an ID and a STATUS"));
    if (!rc && !hf_status_parse(c.args[1], &to))
        rc = cli_usage_error("transition", N_("unknown status '%s'"), c.args[1]);
    if (!rc && hf_handoff_transition(c.s, WORKSPACE, c.id, to, c.x.reason, c.x.reasons,
                                     c.x.nreasons, &c.p, c.x.o.as, c.x.o.now, &err))
        rc = report_error(c.x.o.db, &err);
    if (!rc)
        printf(_("handoff %lld: %s\n"), (long long)c.id, _(hf_status_label_msgid(to)));
    return one_end(&c, rc);
}

typedef struct history_ctx {
    bool json;
    json_t *versions;
    json_t *transitions;
} history_ctx;

static int print_version(void *vctx, const hf_version_rec *v)
{
    history_ctx *c = vctx;
    char buf[HF_TIME_BUFSZ];
    if (c->json) {
        json_t *o = json_object();
        json_object_set_new(o, "version", json_integer(v->version));
        json_object_set_new(o, "author", json_string(v->author));
        json_object_set_new(o, "at", json_string(hf_time_format_utc(v->at, buf)));
        json_t *paths = json_loads(v->changed_paths, 0, NULL);
        json_object_set_new(o, "changed", paths ? paths : json_array());
        json_array_append_new(c->versions, o);
        return 0;
    }
    json_t *paths = json_loads(v->changed_paths, 0, NULL);
    size_t n = json_array_size(paths);
    printf("  v%-4d %s  %-16s ", v->version, hf_time_format_utc(v->at, buf), v->author);
    if (v->version == 1)
        n = 0, printf("%s", _("created"));
    for (size_t i = 0; i < n && i < 6; i++)
        printf("%s%s", i ? ", " : "", json_string_value(json_array_get(paths, i)));
    if (n > 6)
        printf(_(" and %zu more"), n - 6);
    putchar('\n');
    json_decref(paths);
    return 0;
}

static int print_transition(void *vctx, const hf_transition_rec *t)
{
    history_ctx *c = vctx;
    char buf[HF_TIME_BUFSZ];
    const char *from = t->from == HF_STATUS_COUNT ? NULL : hf_status_name(t->from);
    if (c->json) {
        json_t *o = json_object();
        json_object_set_new(o, "from", from ? json_string(from) : json_null());
        json_object_set_new(o, "to", json_string(hf_status_name(t->to)));
        json_object_set_new(o, "actor", json_string(t->actor));
        json_object_set_new(o, "at", json_string(hf_time_format_utc(t->at, buf)));
        json_object_set_new(o, "reason", t->reason ? json_string(t->reason) : json_null());
        json_array_append_new(c->transitions, o);
        return 0;
    }
    printf("  %s  %-16s %s -> %s", hf_time_format_utc(t->at, buf), t->actor, from ? from : "-",
           hf_status_name(t->to));
    if (t->reason)
        printf("  (%s)", t->reason);
    putchar('\n');
    return 0;
}

int cmd_history(int argc, char **argv)
{
    one_opts x;
    int64_t id;
    hf_store *s = NULL;
    history_ctx c = {0};
    int rc = parse_one("history", argc, argv, &x, N_("Usage: handoff history ID [--json]"),
                       N_("Every version of a handoff (who, when, which fields changed) and "
                          "every status change (who, when, why)."));
    if (rc)
        goto out;
    rc = positional_id("history", argc, argv, optind, &id);
    if (rc)
        goto out;
    if (optind + 1 != argc) {
        rc = cli_usage_error("history", N_("unexpected argument '%s'"), argv[optind + 1]);
        goto out;
    }
    rc = open_store(&x.o, true, &s);
    if (rc)
        goto out;
    c.json = x.o.json;
    c.versions = json_array();
    c.transitions = json_array();
    hf_error err;
    hf_error_clear(&err);
    if (!c.json)
        printf(_("Versions of handoff %lld\n"), (long long)id);
    if (s->ops->version_list(s, WORKSPACE, id, false, print_version, &c, &err)) {
        rc = report_error(x.o.db, &err);
        goto out;
    }
    if (!c.json)
        printf("\n%s\n", _("Status changes"));
    if (s->ops->transition_list(s, WORKSPACE, id, print_transition, &c, &err)) {
        rc = report_error(x.o.db, &err);
        goto out;
    }
    if (c.json) {
        json_t *o = json_object();
        json_object_set(o, "versions", c.versions);
        json_object_set(o, "transitions", c.transitions);
        json_dumpf(o, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(o);
    }
out:
    if (rc < 0)
        rc = EXIT_OK;
    json_decref(c.versions);
    json_decref(c.transitions);
    hf_store_close(s);
    one_free(&x);
    return rc;
}

static void print_value(const json_t *v)
{
    if (!v) {
        printf("%s", _("(absent)"));
        return;
    }
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
    printf("%s", s ? s : "?");
    free(s);
}

int cmd_diff(int argc, char **argv)
{
    one_opts x;
    int64_t id, v1, v2;
    hf_store *s = NULL;
    hf_version_rec a, b;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    json_t *ja = NULL, *jb = NULL;
    hf_diff d;
    memset(&d, 0, sizeof(d));
    int rc = parse_one("diff", argc, argv, &x, N_("Usage: handoff diff ID V1 V2 [--json]"),
                       N_("What changed in a handoff document between two versions: field "
                          "path, old value, new value."));
    if (rc)
        goto out;
    rc = positional_id("diff", argc, argv, optind, &id);
    if (rc)
        goto out;
    if (optind + 3 != argc || !parse_id(argv[optind + 1], &v1) ||
        !parse_id(argv[optind + 2], &v2) || v1 > 1000000000 || v2 > 1000000000) {
        rc = cli_usage_error("diff", N_("%s"), _("expected an ID and two version numbers"));
        goto out;
    }
    rc = open_store(&x.o, true, &s);
    if (rc)
        goto out;
    hf_error err;
    hf_error_clear(&err);
    if (s->ops->version_get(s, WORKSPACE, id, (int)v1, &a, &err) ||
        s->ops->version_get(s, WORKSPACE, id, (int)v2, &b, &err)) {
        rc = report_error(x.o.db, &err);
        goto out;
    }
    ja = json_loads(a.document, 0, NULL);
    jb = json_loads(b.document, 0, NULL);
    if (!ja || !jb || hf_json_diff(ja, jb, &d, &err)) {
        rc = EXIT_SOFTWARE;
        goto out;
    }
    if (x.o.json) {
        json_t *o = hf_diff_to_json(&d);
        json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        fputc('\n', stdout);
        json_decref(o);
    } else {
        printf(_("handoff %lld: version %d (%s) -> version %d (%s)\n"), (long long)id, a.version,
               a.author, b.version, b.author);
        for (size_t i = 0; i < d.count; i++) {
            printf("  %s: ", d.entries[i].path);
            print_value(d.entries[i].old_value);
            printf(" -> ");
            print_value(d.entries[i].new_value);
            putchar('\n');
        }
        if (d.count == 0)
            printf("  %s\n", _("no differences"));
    }
out:
    if (rc < 0)
        rc = EXIT_OK;
    hf_diff_free(&d);
    json_decref(ja);
    json_decref(jb);
    hf_version_rec_free(&a);
    hf_version_rec_free(&b);
    hf_store_close(s);
    one_free(&x);
    return rc;
}

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
    if (ui->shown_errors++ < 100)
        fprintf(stderr, _("line %ld, column %ld: %s\n"), err->line, err->column, err->msg);
    else if (ui->shown_errors == 101)
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
    static const struct option opts[] = {COMMON_OPTIONS,
                                         {"format", required_argument, NULL, OPT_FORMAT},
                                         {"won-stage", required_argument, NULL, OPT_SET},
                                         {NULL, 0, NULL, 0}};
    common o = {0};
    hf_csv_format format = HF_CSV_AUTO;
    const char **won = calloc((size_t)argc + 1, sizeof(char *));
    size_t nwon = 0;
    hf_store *s = NULL;
    FILE *in = NULL;
    hf_protocol p;
    hf_protocol_default(&p);
    int rc = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            help(N_("Usage: handoff import FILE.csv [--format auto|salesforce|hubspot] "
                    "[--won-stage STAGE ...]"),
                 N_("Import a Salesforce or HubSpot deal export. Deals are keyed by their CRM "
                    "id: importing the same file again updates them. Closed-won deals get a "
                    "handoff in draft. Bad rows are reported with their line and column and "
                    "skipped."));
            goto out;
        }
        if (c == OPT_FORMAT) {
            if (!hf_csv_format_parse(optarg, &format)) {
                rc = cli_usage_error("import",
                                     N_("--format: expected auto, salesforce or hubspot, not "
                                        "'%s'"),
                                     optarg);
                goto out;
            }
        } else if (c == OPT_SET) {
            won[nwon++] = optarg;
        } else if (!common_option(c, &o)) {
            rc = cli_usage_error("import", N_("unknown or incomplete option '%s'"),
                                 argv[optind - 1]);
            goto out;
        }
    }
    if (optind + 1 != argc) {
        rc = cli_usage_error("import", N_("%s"), _("expected one FILE (or - for standard input)"));
        goto out;
    }
    rc = common_finish("import", &o);
    if (rc)
        goto out;
    hf_protocol_free(&p);
    rc = cli_load_protocol(o.protocol, &p);
    if (rc)
        goto out;
    const char *path = argv[optind];
    in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in) {
        cli_errorf(N_("%s: cannot read: %s"), path, strerror(errno));
        rc = EXIT_NOINPUT;
        goto out;
    }
    rc = open_store(&o, true, &s);
    if (rc)
        goto out;
    import_ui ui = {isatty(STDERR_FILENO) != 0, 0, 0};
    if (in != stdin && fseeko(in, 0, SEEK_END) == 0) {
        ui.size = ftello(in);
        rewind(in);
    }
    hf_import_options io = {.format = format,
                            .won_stages = nwon ? won : NULL,
                            .author = o.as,
                            .now = o.now,
                            .on_bad_row = on_bad_row,
                            .on_progress = on_progress,
                            .ctx = &ui};
    hf_import_stats st;
    hf_error err;
    hf_error_clear(&err);
    int irc = hf_import_csv(s, WORKSPACE, in, &io, &p, &st, &err);
    if (ui.tty)
        fputs("\r\033[K", stderr);
    if (irc) {
        rc = err.line
                 ? (fprintf(stderr, _("%s: line %ld: %s\n"), path, err.line, err.msg), EXIT_DATAERR)
                 : report_error(path, &err);
        goto out;
    }
    if (o.json) {
        printf("{\"created\":%ld,\"updated\":%ld,\"skipped\":%ld,\"handoffs_created\":%ld}\n",
               st.created, st.updated, st.skipped, st.handoffs_created);
    } else {
        printf(_("%s: %ld created, %ld updated, %ld skipped; %ld new handoffs in draft\n"), path,
               st.created, st.updated, st.skipped, st.handoffs_created);
    }
out:
    if (rc < 0)
        rc = EXIT_OK;
    if (in && in != stdin)
        fclose(in);
    hf_store_close(s);
    hf_protocol_free(&p);
    free(won);
    return rc;
}
