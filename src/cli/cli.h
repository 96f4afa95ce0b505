/* Shared pieces of the handoff command: the chosen language, exit codes, file reading and
 * message printing. Each subcommand lives in its own cmd_*.c and is listed in main.c. */
#ifndef HANDOFF_CLI_H
#define HANDOFF_CLI_H

#include "handoff/error.h"
#include "handoff/i18n.h"
#include "handoff/os.h"
#include "handoff/service.h"

#include <stdbool.h>
#include <stddef.h>
#include <getopt.h>
#include <stdio.h>

#include <jansson.h>

/* Exit statuses (sysexits.h values). */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 64,     /* wrong arguments */
    EXIT_DATAERR = 65,   /* invalid document or protocol */
    EXIT_NOINPUT = 66,   /* a named file or record cannot be found */
    EXIT_REFUSED = 69,   /* the lifecycle or the gate refuses the change */
    EXIT_SOFTWARE = 70,  /* the database failed */
    EXIT_CANTCREAT = 73, /* it exists already (a second handoff for a deal) */
    EXIT_IOERR = 74,     /* writing the output failed */
    EXIT_TEMPFAIL = 75,  /* the record changed since the version named: reload and retry */
    EXIT_NOPERM = 77,    /* the acting user may not do this */
};

extern hf_lang cli_lang;

#define _(s) hf_tr(cli_lang, s)
#define _n(s, p, n) hf_trn(cli_lang, s, p, n)

/* Largest input file read, in bytes. */
#define CLI_MAX_INPUT (16u * 1024u * 1024u)

/* Read a whole file (or standard input for "-") into a new NUL-terminated buffer.
 * Returns 0, or an exit status after printing `what: why` on stderr. */
int cli_read_file(const char *path, char **buf, size_t *len);

/* Print `FILE: field `path`: message` (translated) for a data error. */
void cli_print_data_error(const char *file, const hf_error *err);

/* Print `handoff: message` on stderr, printf-style; the format is translated. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the usage error and a hint to run --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse --lang before anything else; also reads LANGUAGE/LC_ALL/LC_MESSAGES/LANG. */
void cli_choose_lang(const char *option);

/* `s` cut or padded with spaces to `width` columns, counting UTF-8 code points (so
 * translated labels with accents line up). Returns buf. */
#define CLI_PAD_MAX 256
const char *cli_pad(char *buf, size_t cap, const char *s, int width);
#define PAD(s, w) cli_pad((char[CLI_PAD_MAX]){0}, CLI_PAD_MAX, (s), (w))

/* True when terminal colours should be used on `f` (a tty and NO_COLOR unset). */
bool cli_use_color(FILE *f);

/* The human evaluation report (colours on a terminal). */
struct hf_evaluation;
void cli_report(FILE *out, const json_t *doc, const struct hf_evaluation *ev);

/* Load a protocol file over the default (NULL path: HANDOFF_PROTOCOL, else the built-in
 * default). Returns 0 or an exit status after printing the error. */
struct hf_protocol;
int cli_load_protocol(const char *path, struct hf_protocol *p);

/* Human labels (msgids) of the quality bands, hf_band order. */
extern const char *const cli_band_labels[];
/* The same, one word each (for tables). */
extern const char *const cli_band_short[];

/* ---- the commands over a database ----
 *
 * The database is --db URL, else HANDOFF_DB, else `sqlite:handoff.db`. The acting person is
 * --as EMAIL (a user of the database, whose role and ownership then apply, as over the
 * API), else the trusted operator of the machine, recorded in history as HANDOFF_USER,
 * else USER. */
#define CLI_WORKSPACE 1

typedef struct cli_common {
    const char *db;
    const char *as;
    const char *now_arg;
    bool json;
    hf_time now;
} cli_common;

enum { CLI_OPT_DB = 1000, CLI_OPT_AS, CLI_OPT_NOW, CLI_OPT_LANG, CLI_OPT_JSON };

#define CLI_COMMON_OPTIONS                                                                         \
    {"db", required_argument, NULL, CLI_OPT_DB}, {"as", required_argument, NULL, CLI_OPT_AS},      \
        {"now", required_argument, NULL, CLI_OPT_NOW},                                             \
        {"lang", required_argument, NULL, CLI_OPT_LANG},                                           \
        {"json", no_argument, NULL, CLI_OPT_JSON},                                                 \
    {                                                                                              \
        "help", no_argument, NULL, 'h'                                                             \
    }

/* Handle a common option; returns 1 when `c` was one, 0 otherwise. */
int cli_common_option(int c, const char *arg, cli_common *o);
/* Print usage, what the command does, and the common options. */
void cli_help(const char *usage, const char *what);
/* Defaults and --now. Returns 0 or EXIT_USAGE. */
int cli_common_finish(const char *cmd, cli_common *o);

/* A database session: the store, the service over it, and the actor. */
struct hf_store;
struct hf_svc;
typedef struct cli_session {
    struct hf_store *s;
    struct hf_svc *svc;
    hf_actor actor;
} cli_session;
/* Open the database of `o` (an existing SQLite file unless `create`), the service and the
 * actor. Returns 0 or an exit status after printing why. */
int cli_session_open(const cli_common *o, bool create, cli_session *x);
void cli_session_close(cli_session *x);

/* Print a library or service error about `what` and return its exit status. */
int cli_report_error(const char *what, const hf_error *err);

int cmd_evaluate(int argc, char **argv);
int cmd_protocol(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_put(int argc, char **argv);
int cmd_transition(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_team(int argc, char **argv);
/* `protocol install | list | pin`, argv[0] being the subcommand */
int cmd_protocol_versions(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_approve(int argc, char **argv);
int cmd_checklist(int argc, char **argv);
/* `integration add | set | list | show | remove | events | event | replay | prune` */
int cmd_integration(int argc, char **argv);

#endif
