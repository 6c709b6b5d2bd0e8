/* error.c - filling struct lr_error: set, add context, map errno. */
#include "lakerewind/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lr_error_clear(struct lr_error *err)
{
    if (!err)
        return;
    err->code = LR_OK;
    err->message[0] = '\0';
}

static int set_v(struct lr_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

int lr_error_set(struct lr_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int lr_error_context(struct lr_error *err, const char *fmt, ...)
{
    if (!err)
        return LR_EINVAL;
    char ctx[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    /* Shift the old message right and put "ctx: " in front, truncating the tail if needed. */
    size_t cl = strlen(ctx);
    size_t ol = strnlen(err->message, sizeof err->message - 1);
    size_t head = cl + 2;
    if (head >= sizeof err->message)
        head = sizeof err->message - 1;
    size_t keep = ol;
    if (head + keep > sizeof err->message - 1)
        keep = sizeof err->message - 1 - head;
    memmove(err->message + head, err->message, keep);
    err->message[head + keep] = '\0';
    memcpy(err->message, ctx, head >= 2 ? head - 2 : 0);
    if (head >= 2) {
        err->message[head - 2] = ':';
        err->message[head - 1] = ' ';
    }
    if (err->code == LR_OK)
        err->code = LR_EIO; /* context on a cleared error is a programming slip; keep it failing */
    return err->code;
}

int lr_error_errno(struct lr_error *err, int errnum, const char *fmt, ...)
{
    int code;
    switch (errnum) {
    case ENOENT:
    case ENOTDIR:
        code = LR_ENOTFOUND;
        break;
    case EACCES:
    case EPERM:
    case EROFS:
        code = LR_EPERM;
        break;
    case ENOSPC:
    case EDQUOT:
        code = LR_ENOSPC;
        break;
    case EEXIST:
        code = LR_EEXISTS;
        break;
    case ENOMEM:
        code = LR_ENOMEM;
        break;
    default:
        code = LR_EIO;
    }
    if (!err)
        return code;
    char what[LR_ERROR_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *hint = "";
    if (code == LR_EPERM)
        hint = " (check the file permissions or run as a user who may write there)";
    else if (code == LR_ENOSPC)
        hint = " (free disk space or quota, then retry)";
    return lr_error_set(err, code, "%s: %s%s", what, strerror(errnum), hint);
}

const char *lr_code_name(int code)
{
    switch (code) {
    case LR_OK: return "OK";
    case LR_EINVAL: return "EINVAL";
    case LR_ENOMEM: return "ENOMEM";
    case LR_EIO: return "EIO";
    case LR_ENOTFOUND: return "ENOTFOUND";
    case LR_EEXISTS: return "EEXISTS";
    case LR_ECONFLICT: return "ECONFLICT";
    case LR_EPERM: return "EPERM";
    case LR_ECORRUPT: return "ECORRUPT";
    case LR_EUNSUPPORTED: return "EUNSUPPORTED";
    case LR_EAUTH: return "EAUTH";
    case LR_ENET: return "ENET";
    case LR_ETIMEOUT: return "ETIMEOUT";
    case LR_ENOSPC: return "ENOSPC";
    case LR_ERANGE: return "ERANGE";
    case LR_ECANCELLED: return "ECANCELLED";
    case LR_EREFUSED: return "EREFUSED";
    case LR_ESTATE: return "ESTATE";
    case LR_ELIMIT: return "ELIMIT";
    default: return "EUNKNOWN";
    }
}
