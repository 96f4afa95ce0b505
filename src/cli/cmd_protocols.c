/* `handoff protocol install | list | pin`: protocol versions as data (SPEC §2). A version is
 * installed once and never changes; every handoff is pinned to the version in force at its
 * T0 (or at its creation), and RevOps may re-pin an open handoff explicitly. */
#include "cli/cli.h"

#include "handoff/id.h"

#include "handoff/store.h"

#include <stdlib.h>
#include <string.h>

int cmd_protocol_versions(int argc, char **argv)
{
    static const struct option opts[] = {CLI_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
    cli_common o = {0};
    const char *sub = argv[0];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            cli_help(N_("Usage: handoff protocol install FILE | protocol list | protocol pin ID "
                        "VERSION"),
                     N_("Install a protocol file as a new version, list the versions with the "
                        "handoffs each governs, or pin an open handoff to another version."));
            return EXIT_OK;
        }
        if (!cli_common_option(c, optarg, &o))
            return cli_usage_error("protocol", N_("unknown or incomplete option '%s'"),
                                   argv[optind - 1]);
    }
    int want = strcmp(sub, "install") == 0 ? 1 : strcmp(sub, "pin") == 0 ? 2 : 0;
    if (argc - optind != want)
        return cli_usage_error("protocol", N_("%s"),
                               want == 1   ? _("install: expected a FILE")
                               : want == 2 ? _("pin: expected a handoff ID and a VERSION")
                                           : _("list: unexpected argument"));
    int64_t id = 0;
    if (want == 2 && !hf_id_parse(argv[optind], &id))
        return cli_usage_error("protocol", N_("expected a handoff ID (a number), not '%s'"),
                               argv[optind]);
    int rc = cli_common_finish("protocol", &o);
    if (rc)
        return rc;
    char *buf = NULL;
    size_t len = 0;
    if (want == 1) {
        rc = cli_read_file(argv[optind], &buf, &len);
        if (rc)
            return rc;
    }
    cli_session x;
    rc = cli_session_open(&o, false, &x);
    if (rc) {
        free(buf);
        return rc;
    }
    hf_error err;
    hf_error_clear(&err);
    const char *what = o.db;
    if (want == 1) {
        hf_protocol_rec rec;
        memset(&rec, 0, sizeof(rec));
        what = argv[optind];
        rc = hf_svc_protocol_install(x.svc, &x.actor, buf, len, false, o.now, &rec, &err);
        if (!rc) {
            char day[HF_TIME_BUFSZ];
            printf(_("protocol %s installed, effective %s\n"), rec.version,
                   hf_date_format(rec.effective_day, day));
        }
        hf_protocol_rec_free(&rec);
    } else if (want == 2) {
        hf_handoff_rec h;
        memset(&h, 0, sizeof(h));
        rc = hf_svc_handoff_repin(x.svc, &x.actor, id, argv[optind + 1], o.now, &h, &err);
        if (!rc)
            printf(_("handoff %lld: protocol %s\n"), (long long)h.id, h.index.protocol_version);
        hf_handoff_rec_free(&h);
    } else {
        json_t *out = NULL;
        rc = hf_svc_protocol_list(x.svc, &x.actor, &out, &err);
        if (!rc && o.json) {
            json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
            fputc('\n', stdout);
        } else if (!rc) {
            printf("%s %s %8s  %s\n", PAD(_("VERSION"), 16), PAD(_("EFFECTIVE"), 12), _("HANDOFFS"),
                   _("INSTALLED BY"));
            size_t i;
            json_t *v;
            json_array_foreach(json_object_get(out, "items"), i, v)
            {
                const char *eff = json_string_value(json_object_get(v, "effective"));
                printf("%s %s %8lld  %s\n",
                       PAD(json_string_value(json_object_get(v, "version")), 16),
                       PAD(eff ? eff : _("always"), 12),
                       (long long)json_integer_value(json_object_get(v, "handoffs")),
                       json_string_value(json_object_get(v, "installed_by")));
            }
        }
        json_decref(out);
    }
    free(buf);
    cli_session_close(&x);
    return rc ? cli_report_error(what, &err) : EXIT_OK;
}
