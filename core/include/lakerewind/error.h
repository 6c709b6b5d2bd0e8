/* error.h - the error value every fallible core call fills.
 *
 * Contract: a fallible call returns 0 (or a non-negative count) on success and a negative LR_E*
 * code on failure, and then `err` holds the same code and one impersonal line. Each layer on the
 * way up prepends its context ("table account, version 12: ..."); none rewrites what the lower
 * layer said. The struct is caller-owned and needs no freeing. */
#ifndef LAKEREWIND_ERROR_H
#define LAKEREWIND_ERROR_H

#include <stddef.h>

enum lr_code {
    LR_OK = 0,
    LR_EINVAL = -1,        /* bad argument or bad input from the user */
    LR_ENOMEM = -2,        /* allocation failed */
    LR_EIO = -3,           /* local I/O failure */
    LR_ENOTFOUND = -4,     /* object, table, version or checkpoint does not exist */
    LR_EEXISTS = -5,       /* put-if-absent found the key taken (an expected outcome) */
    LR_ECONFLICT = -6,     /* another writer committed first / table changed since plan */
    LR_EPERM = -7,         /* permission denied (filesystem or store authorization) */
    LR_ECORRUPT = -8,      /* malformed data: log, checkpoint, Parquet, config */
    LR_EUNSUPPORTED = -9,  /* a feature, codec, scheme or backend we do not handle */
    LR_EAUTH = -10,        /* credentials missing, wrong or expired */
    LR_ENET = -11,         /* network failure after retries */
    LR_ETIMEOUT = -12,     /* deadline passed */
    LR_ENOSPC = -13,       /* disk or quota full */
    LR_ERANGE = -14,       /* a value or offset outside its allowed range */
    LR_ECANCELLED = -15,   /* the operator or a signal cancelled the operation */
    LR_EREFUSED = -16,     /* a safety check refused the operation (validation, confirmation) */
    LR_ESTATE = -17,       /* the operation does not fit the current state (e.g. run already done) */
    LR_ELIMIT = -18,       /* input exceeds a configured bound (size, depth, count) */
};

#define LR_ERROR_MAX 2048

struct lr_error {
    int code;                  /* LR_OK or a negative enum lr_code */
    char message[LR_ERROR_MAX]; /* "context: context: cause", NUL-terminated, never holds secrets */
};

/* Reset to LR_OK with an empty message. */
void lr_error_clear(struct lr_error *err);

/* Set code and message (printf-style); returns `code` so callers can `return lr_error_set(...)`.
 * `err` may be NULL, in which case only the code is returned. */
int lr_error_set(struct lr_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepend "context: " to the message, keeping the code. Returns err->code. NULL-safe. */
int lr_error_context(struct lr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Set from an errno value with a message naming the operation and path; maps ENOENT to
 * LR_ENOTFOUND, EACCES/EPERM to LR_EPERM, ENOSPC/EDQUOT to LR_ENOSPC, EEXIST to LR_EEXISTS,
 * ENOMEM to LR_ENOMEM, else LR_EIO. Returns the code. */
int lr_error_errno(struct lr_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Short stable name of a code ("ENOTFOUND"), for logs and JSON. Static storage. */
const char *lr_code_name(int code);

#endif
