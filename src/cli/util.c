/* Helpers every subcommand of the handoff command uses: reading input files, printing
 * translated errors, choosing the language. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wformat-nonliteral"

hf_lang cli_lang = HF_LANG_EN;

void cli_choose_lang(const char *option)
{
    cli_lang = hf_lang_choose(option, getenv("LANGUAGE"), getenv("LC_ALL"), getenv("LC_MESSAGES"),
                              getenv("LANG"));
}

bool cli_use_color(FILE *f)
{
    const char *no = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(no && *no);
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    fputs("handoff: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, hf_tr(cli_lang, fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "handoff %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, hf_tr(cli_lang, fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, _("Try 'handoff %s --help' for more information."), cmd);
    fputc('\n', stderr);
    return EXIT_USAGE;
}

int cli_read_file(const char *path, char **out, size_t *outlen)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 65536, len = 0;
    char *buf = NULL;
    int rc = EXIT_OK;
    *out = NULL;
    *outlen = 0;
    if (!f) {
        cli_errorf(N_("%s: cannot read: %s"), path, strerror(errno));
        return EXIT_NOINPUT;
    }
    buf = malloc(cap);
    if (!buf) {
        rc = EXIT_SOFTWARE;
        goto out;
    }
    for (;;) {
        if (len + 1 >= cap) {
            if (cap >= CLI_MAX_INPUT) {
                cli_errorf(N_("%s: larger than the limit of %u bytes"), path, CLI_MAX_INPUT);
                rc = EXIT_DATAERR;
                goto out;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                rc = EXIT_SOFTWARE;
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) {
                cli_errorf(N_("%s: cannot read: %s"), path, strerror(errno));
                rc = EXIT_IOERR;
                goto out;
            }
            break;
        }
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    buf = NULL;
out:
    free(buf);
    if (f && f != stdin)
        fclose(f);
    return rc;
}

void cli_print_data_error(const char *file, const hf_error *err)
{
    const char *name = strcmp(file, "-") == 0 ? _("standard input") : file;
    char msg[HF_ERROR_MSG_MAX];
    if (err->msgid)
        snprintf(msg, sizeof(msg), hf_tr(cli_lang, err->msgid), err->arg);
    else
        snprintf(msg, sizeof(msg), "%s", err->msg);
    if (err->path[0])
        fprintf(stderr, _("%s: field `%s`: %s\n"), name, err->path, msg);
    else
        fprintf(stderr, "%s: %s\n", name, msg);
}

const char *cli_pad(char *buf, size_t cap, const char *s, int width)
{
    size_t i = 0, used = 0;
    int cols = 0;
    if (!s)
        s = "";
    /* copy whole code points while they fit in `width` columns */
    while (s[i] && cols < width) {
        size_t n = 1;
        while ((s[i + n] & 0xc0) == 0x80)
            n++;
        if (used + n + 1 >= cap)
            break;
        memcpy(buf + used, s + i, n);
        used += n;
        i += n;
        cols++;
    }
    while (cols < width && used + 1 < cap) {
        buf[used++] = ' ';
        cols++;
    }
    buf[used] = '\0';
    return buf;
}
