/* log.c - the debug log file and secret redaction (see log.h).
 * Owns: the process-wide log file and the registry of secret values. */
#include "lakerewind/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;
static enum lr_log_level log_level = LR_LOG_INFO;

#define MAX_SECRETS 64
static char *secrets[MAX_SECRETS];
static size_t secret_count;

int lr_log_open(const char *path, enum lr_log_level level, struct lr_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return lr_error_errno(err, errno, "cannot open debug log %s", path);
    FILE *f = fdopen(fd, "a");
    if (!f) {
        close(fd);
        return lr_error_errno(err, errno, "cannot open debug log %s", path);
    }
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fclose(log_file);
    log_file = f;
    log_level = level;
    pthread_mutex_unlock(&log_lock);
    return 0;
}

void lr_log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    pthread_mutex_unlock(&log_lock);
}

void lr_log(enum lr_log_level level, const char *fmt, ...)
{
    if (!log_file || level > log_level)
        return;
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    lr_redact(line, sizeof line);
    static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fprintf(log_file, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s\n", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                ts.tv_nsec / 1000000, names[level], line);
    pthread_mutex_unlock(&log_lock);
}

void lr_redact_register(const char *secret)
{
    /* Very short values would redact ordinary words; real secrets are long. */
    if (!secret || strlen(secret) < 6)
        return;
    pthread_mutex_lock(&log_lock);
    for (size_t i = 0; i < secret_count; i++) {
        if (strcmp(secrets[i], secret) == 0) {
            pthread_mutex_unlock(&log_lock);
            return;
        }
    }
    if (secret_count < MAX_SECRETS) {
        char *copy = strdup(secret);
        if (copy)
            secrets[secret_count++] = copy;
    }
    pthread_mutex_unlock(&log_lock);
}

/* Replace text[start, end) with "***", shifting the rest. */
static size_t splice_stars(char *text, size_t start, size_t end)
{
    size_t len = strlen(text);
    size_t tail = len - end + 1; /* with NUL */
    memmove(text + start + 3, text + end, tail);
    memcpy(text + start, "***", 3);
    return start + 3;
}

static void redact_value_after(char *text, const char *marker, const char *stops)
{
    size_t ml = strlen(marker);
    size_t pos = 0;
    for (;;) {
        char *hit = NULL;
        for (char *p = text + pos; *p; p++) {
            if (strncasecmp(p, marker, ml) == 0) {
                hit = p;
                break;
            }
        }
        if (!hit)
            return;
        size_t start = (size_t)(hit - text) + ml;
        size_t end = start;
        while (text[end] && !strchr(stops, text[end]))
            end++;
        if (end == start || (end - start == 3 && strncmp(text + start, "***", 3) == 0)) {
            pos = end;
            if (!text[pos])
                return;
            continue;
        }
        pos = splice_stars(text, start, end);
    }
}

void lr_redact(char *text, size_t cap)
{
    (void)cap; /* redaction only shrinks or keeps length: "***" replaces >= 3 chars */
    if (!text)
        return;
    pthread_mutex_lock(&log_lock);
    for (size_t i = 0; i < secret_count; i++) {
        size_t sl = strlen(secrets[i]);
        char *p = text;
        while ((p = strstr(p, secrets[i])) != NULL)
            p = text + splice_stars(text, (size_t)(p - text), (size_t)(p - text) + sl);
    }
    pthread_mutex_unlock(&log_lock);
    redact_value_after(text, "sig=", "&; \"'\n"); /* ; ends it in connection strings */
    redact_value_after(text, "Authorization: ", "\r\n");
    redact_value_after(text, "AccountKey=", "; \"'\n");
    redact_value_after(text, "SharedAccessSignature=", "; \"'\n");
    redact_value_after(text, "x-amz-security-token:", "\r\n");
    redact_value_after(text, "X-Amz-Security-Token=", "& \"'\n");
    redact_value_after(text, "X-Amz-Signature=", "& \"'\n");
    redact_value_after(text, "client_secret=", "& \"'\n");
    redact_value_after(text, "\"access_token\":\"", "\"");
    redact_value_after(text, "\"access_token\": \"", "\"");
    redact_value_after(text, "password=", "& \"'\n");
}
