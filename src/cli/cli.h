/* Shared pieces of the handoff command: the chosen language, exit codes, file reading and
 * message printing. Each subcommand lives in its own cmd_*.c and is listed in main.c. */
#ifndef HANDOFF_CLI_H
#define HANDOFF_CLI_H

#include "handoff/error.h"
#include "handoff/i18n.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* Exit statuses (sysexits.h values). */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 64,   /* wrong arguments */
    EXIT_DATAERR = 65, /* invalid document or protocol */
    EXIT_NOINPUT = 66, /* a named file cannot be read */
    EXIT_SOFTWARE = 70,
    EXIT_IOERR = 74,
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

#endif
