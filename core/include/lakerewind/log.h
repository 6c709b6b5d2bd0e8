/* log.h - the debug log: a file, never the terminal (the console owns the terminal).
 *
 * Off until lr_log_open(). Every line passes through lr_redact() so secrets (account keys,
 * SAS signatures, bearer tokens, AWS secrets, passwords) never reach the file. Thread-safe. */
#ifndef LAKEREWIND_LOG_H
#define LAKEREWIND_LOG_H

#include <stddef.h>

#include "lakerewind/error.h"

enum lr_log_level { LR_LOG_ERROR = 0, LR_LOG_WARN, LR_LOG_INFO, LR_LOG_DEBUG };

/* Open (append) the log file at `path` with mode 0600. */
int lr_log_open(const char *path, enum lr_log_level level, struct lr_error *err);
void lr_log_close(void);
void lr_log(enum lr_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LR_DEBUG(...) lr_log(LR_LOG_DEBUG, __VA_ARGS__)
#define LR_INFO(...) lr_log(LR_LOG_INFO, __VA_ARGS__)
#define LR_WARN(...) lr_log(LR_LOG_WARN, __VA_ARGS__)

/* Register a secret value: any later log line, error message passed through lr_redact, or
 * output scrubbed with it has every occurrence replaced by "***". Copies the value. */
void lr_redact_register(const char *secret);

/* Redact in place: registered secrets and well-known patterns (sig=..., Authorization: ...,
 * AccountKey=..., x-amz-security-token, client_secret=..., "access_token": "..."). */
void lr_redact(char *text, size_t cap);

#endif
