/* Error codes and the error detail struct shared by every module of libhandoff.
 *
 * Functions return 0 on success or a negative hf_rc; the human detail (message and, for
 * data errors, the field path or CSV line/column) goes into an hf_error the caller owns.
 * The library never prints and never aborts. */
#ifndef HANDOFF_ERROR_H
#define HANDOFF_ERROR_H

#include <stddef.h>

typedef enum hf_rc {
    HF_OK = 0,
    HF_EINVAL = -1,    /* invalid input data: document, protocol, CSV row */
    HF_ENOMEM = -2,    /* allocation failed or a size limit was reached */
    HF_EIO = -3,       /* reading or writing a file failed */
    HF_ENOTFOUND = -4, /* no such record, zone or file */
    HF_ECONFLICT = -5, /* conflicts with a record that exists (or, from the store, a newer
                        * version: the service reports that as HF_ESTALE) */
    HF_ESTATE = -6,    /* the operation is not allowed in the current state */
    HF_EDB = -7,       /* the database reported an error */
    HF_EPERM = -8,     /* not allowed for this user */
    HF_EUSAGE = -9,    /* wrong arguments from the caller */
    HF_ESTALE = -10,   /* the record changed since the version the caller named */
    HF_EBLOCKED = -11, /* the gate's blockers stand in the way of a status change */
    HF_EBUSY = -12,    /* a shared resource is busy: try again shortly */
} hf_rc;

#define HF_ERROR_PATH_MAX 256
#define HF_ERROR_MSG_MAX 512
#define HF_ERROR_ARG_MAX 256

/* Detail of the last error. `path` is a field path (`meeting.held_at`,
 * `stakeholders[2].role`, `sla[1]`) or empty; `line`/`column` are 1-based CSV positions or
 * 0. `msg` is an English message, lower case and without a final full stop; `msgid` is
 * the untranslated catalog key of `msg` when the message is a fixed string (NULL when the
 * message was built otherwise), so a caller can translate it: `msgid` is then a printf
 * format with at most one `%s`, which takes `arg`. */
typedef struct hf_error {
    int rc;
    char path[HF_ERROR_PATH_MAX];
    char msg[HF_ERROR_MSG_MAX];
    const char *msgid;
    char arg[HF_ERROR_ARG_MAX];
    long line;
    long column;
} hf_error;

/* Reset `err` to "no error". Cannot fail; `err` may be NULL. */
void hf_error_clear(hf_error *err);

/* Record an error: returns `rc` so callers can write `return hf_error_set(...)`.
 * `path` may be NULL. `fmt` is printf-like. `err` may be NULL. */
int hf_error_set(hf_error *err, int rc, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record an error whose message is the catalog key `msgid` (a format with at most one
 * `%s`) applied to `arg` (may be NULL). Returns `rc`. */
int hf_error_setf_id(hf_error *err, int rc, const char *path, const char *msgid, const char *arg);

/* Static English name of an rc ("invalid input"). Never NULL. */
const char *hf_strerror(int rc);

#endif
