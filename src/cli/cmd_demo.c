/* handoff demo: fill a database with a year of realistic deals and handoffs.
 *
 * Argument parsing and printing around hf_demo_generate (libhandoff's demo.h), which does
 * the work through the same write path as every other command. The command refuses a
 * database that already has handoffs unless --force says to add to it. */
#include "cli/cli.h"

#include "handoff/demo.h"
#include "handoff/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define WORKSPACE 1
#define DEFAULT_DEALS 200

enum {
    OPT_DB = 1000,
    OPT_AS,
    OPT_PROTOCOL,
    OPT_NOW,
    OPT_LANG,
    OPT_JSON,
    OPT_DEALS,
    OPT_SEED,
    OPT_FORCE
};

static bool parse_count(const char *s, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < 1 || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_seed(const char *s, uint64_t *out)
{
    if (!*s)
        return false;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = (uint64_t)v;
    return true;
}

static double seconds_since(int64_t start_ms)
{
    return (double)(hf_clock_mono_ms() - start_ms) / 1000.0;
}

static void print_json(const hf_demo_stats *st, uint64_t seed, double seconds)
{
    json_t *o = json_object();
    json_object_set_new(o, "seed", json_integer((json_int_t)seed));
    json_object_set_new(o, "deals", json_integer(st->deals));
    json_object_set_new(o, "handoffs", json_integer(st->handoffs));
    json_object_set_new(o, "versions", json_integer(st->versions));
    json_object_set_new(o, "transitions", json_integer(st->transitions));
    json_t *by = json_object();
    for (int i = 0; i < HF_STATUS_COUNT; i++)
        json_object_set_new(by, hf_status_name((hf_status)i), json_integer(st->by_status[i]));
    json_object_set_new(o, "by_status", by);
    by = json_object();
    for (int i = 0; i < HF_BAND_COUNT; i++)
        json_object_set_new(by, hf_band_names[i], json_integer(st->by_band[i]));
    json_object_set_new(o, "by_band", by);
    by = json_object();
    for (int i = 0; i < HF_SEG_COUNT; i++)
        json_object_set_new(by, hf_segment_name((hf_segment)i), json_integer(st->by_segment[i]));
    json_object_set_new(o, "by_segment", by);
    json_t *people = json_object();
    json_object_set_new(people, "sales_teams", json_integer(st->sales_teams));
    json_object_set_new(people, "sales_reps", json_integer(st->sales_reps));
    json_object_set_new(people, "csms", json_integer(st->csms));
    json_object_set_new(people, "cs_managers", json_integer(st->cs_managers));
    json_object_set_new(o, "people", people);
    json_object_set_new(o, "seconds", json_real((double)(long)(seconds * 100) / 100));
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    fputc('\n', stdout);
    json_decref(o);
}

static void print_summary(const hf_demo_stats *st, const char *db, double seconds)
{
    printf(_("%s: %ld deals and %ld handoffs generated in %.1f s (%ld document versions, %ld "
             "status changes)\n"),
           db, st->deals, st->handoffs, seconds, st->versions, st->transitions);
    printf(_("People: %d sales teams, %d sales reps, %d CSMs, %d CS managers\n"), st->sales_teams,
           st->sales_reps, st->csms, st->cs_managers);
    double total = st->handoffs > 0 ? (double)st->handoffs : 1.0;
    printf("\n%s\n", _("Handoffs by status"));
    for (int i = 0; i < HF_STATUS_COUNT; i++)
        printf("  %s %7ld  %5.1f%%\n", PAD(_(hf_status_label_msgid((hf_status)i)), 18),
               st->by_status[i], 100.0 * (double)st->by_status[i] / total);
    printf("\n%s\n", _("Quality bands"));
    for (int i = 0; i < HF_BAND_COUNT; i++)
        printf("  %s %7ld  %5.1f%%\n", PAD(_(cli_band_short[i]), 18), st->by_band[i],
               100.0 * (double)st->by_band[i] / total);
    printf("\n%s\n", _("Try 'handoff list' and 'handoff show ID'."));
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, OPT_DB},
                                         {"as", required_argument, NULL, OPT_AS},
                                         {"protocol", required_argument, NULL, OPT_PROTOCOL},
                                         {"now", required_argument, NULL, OPT_NOW},
                                         {"lang", required_argument, NULL, OPT_LANG},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"deals", required_argument, NULL, OPT_DEALS},
                                         {"seed", required_argument, NULL, OPT_SEED},
                                         {"force", no_argument, NULL, OPT_FORCE},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *protocol = NULL, *now_arg = NULL;
    bool json = false, force = false;
    long deals = DEFAULT_DEALS;
    uint64_t seed = 1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            printf("%s\n\n%s\n\n%s", _("Usage: handoff demo [--deals N] [--seed S] [--force]"),
                   _("Fill the database with realistic demo data: a year of deals in several "
                     "countries, sales reps in three teams, CSMs with their capacity, and one "
                     "handoff per deal walked through its lifecycle, with the stories real "
                     "handoffs have (missing stakeholders, verbal promises, late meetings). The "
                     "same seed gives the same data."),
                   _("Options:\n"
                     "  --deals N       how many deals (default 200, at most 100000)\n"
                     "  --seed S        a number; the same seed and --now give the same data "
                     "(default 1)\n"
                     "  --force         add to a database that already has handoffs\n"
                     "  --db URL        database: sqlite:PATH or postgresql://... (default: "
                     "HANDOFF_DB, else sqlite:handoff.db)\n"
                     "  --protocol FILE protocol file (default: HANDOFF_PROTOCOL, else the "
                     "built-in 2026.1)\n"
                     "  --now TIME      generate the year before this RFC 3339 instant "
                     "(default: now)\n"
                     "  --json          machine-readable summary\n"
                     "  --lang L        en, pt-BR, es, id\n"));
            return EXIT_OK;
        case OPT_DB:
            db = optarg;
            break;
        case OPT_AS:
        case OPT_LANG:
            break;
        case OPT_PROTOCOL:
            protocol = optarg;
            break;
        case OPT_NOW:
            now_arg = optarg;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_DEALS:
            if (!parse_count(optarg, HF_DEMO_MAX_DEALS, &deals))
                return cli_usage_error("demo",
                                       N_("--deals: expected a number from 1 to %d, not "
                                          "'%s'"),
                                       HF_DEMO_MAX_DEALS, optarg);
            break;
        case OPT_SEED:
            if (!parse_seed(optarg, &seed))
                return cli_usage_error("demo",
                                       N_("--seed: expected a non-negative number, not "
                                          "'%s'"),
                                       optarg);
            break;
        case OPT_FORCE:
            force = true;
            break;
        default:
            return cli_usage_error("demo", N_("unknown or incomplete option '%s'"),
                                   argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error("demo", N_("unexpected argument '%s'"), argv[optind]);
    if (!db)
        db = getenv("HANDOFF_DB");
    if (!db || !*db)
        db = "sqlite:handoff.db";
    hf_time now;
    if (now_arg) {
        if (!hf_time_parse_rfc3339(now_arg, strlen(now_arg), &now))
            return cli_usage_error("demo",
                                   N_("--now: expected an RFC 3339 timestamp with an offset, "
                                      "not '%s'"),
                                   now_arg);
    } else {
        now = hf_clock_now();
    }

    hf_protocol p;
    int rc = cli_load_protocol(protocol, &p);
    if (rc)
        return rc;
    hf_store *s = NULL;
    hf_error err;
    hf_error_clear(&err);
    if (hf_store_open(db, true, &s, &err) != 0) {
        cli_errorf(N_("%s: %s"), db, err.msg);
        hf_protocol_free(&p);
        return EXIT_NOINPUT;
    }
    int64_t existing = 0;
    hf_handoff_filter all;
    memset(&all, 0, sizeof(all));
    if (hf_store_handoff_count(s, WORKSPACE, &all, &existing, &err) != 0) {
        cli_errorf(N_("%s: %s"), db, err.msg);
        rc = EXIT_SOFTWARE;
        goto out;
    }
    if (existing > 0 && !force) {
        cli_errorf(N_("%s already has %lld handoffs: use an empty database, or add --force to "
                      "add demo data to it"),
                   db, (long long)existing);
        rc = EXIT_USAGE;
        goto out;
    }
    if (!json)
        printf(_("Generating %ld demo deals (seed %llu)...\n"), deals, (unsigned long long)seed);
    fflush(stdout);
    int64_t start = hf_clock_mono_ms();
    hf_demo_stats st;
    if (hf_demo_generate(s, WORKSPACE, (int)deals, seed, now, &p, &st, &err) != 0) {
        if (err.path[0])
            cli_errorf(N_("%s: demo data generation failed: field '%s': %s"), db, err.path,
                       err.msg);
        else
            cli_errorf(N_("%s: demo data generation failed: %s"), db, err.msg);
        rc = err.rc == HF_EUSAGE ? EXIT_USAGE : EXIT_SOFTWARE;
        goto out;
    }
    double seconds = seconds_since(start);
    if (json)
        print_json(&st, seed, seconds);
    else
        print_summary(&st, db, seconds);
    rc = fflush(stdout) ? EXIT_IOERR : EXIT_OK;
out:
    hf_store_close(s);
    hf_protocol_free(&p);
    return rc;
}
