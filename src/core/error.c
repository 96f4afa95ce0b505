/* hf_error helpers: one place that fills the error detail struct. */
#include "handoff/error.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void hf_error_clear(hf_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof(*err));
}

int hf_error_set(hf_error *err, int rc, const char *path, const char *fmt, ...)
{
    if (!err)
        return rc;
    err->rc = rc;
    err->msgid = NULL;
    snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return rc;
}

int hf_error_setf_id(hf_error *err, int rc, const char *path, const char *msgid, const char *arg)
{
    if (!err)
        return rc;
    hf_error_set(err, rc, path, msgid, arg ? arg : "");
    err->msgid = msgid;
    snprintf(err->arg, sizeof(err->arg), "%s", arg ? arg : "");
    return rc;
}

const char *hf_strerror(int rc)
{
    switch (rc) {
    case HF_OK:
        return "ok";
    case HF_EINVAL:
        return "invalid input";
    case HF_ENOMEM:
        return "out of memory or over a size limit";
    case HF_EIO:
        return "input/output error";
    case HF_ENOTFOUND:
        return "not found";
    case HF_ECONFLICT:
        return "conflict with a newer version";
    case HF_ESTATE:
        return "not allowed in the current state";
    case HF_EDB:
        return "database error";
    case HF_EPERM:
        return "permission denied";
    case HF_EUSAGE:
        return "usage error";
    case HF_ESTALE:
        return "changed since the version named";
    case HF_EBLOCKED:
        return "blocked by the gate";
    case HF_EBUSY:
        return "busy";
    }
    return "unknown error";
}
