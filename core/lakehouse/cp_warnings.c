/* cp_warnings.c - the expiry and retention warnings of one checkpoint from facts about its
 * tables (rules in checkpoint_health.h), and their JSON. Pure: no store, no clock. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lakerewind/checkpoint_health.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"

#define DAY_MS (86400000LL)
#define HOUR_MS (3600000LL)

const char *lr_cp_warning_kind_name(enum lr_cp_warning_kind k)
{
    static const char *n[] = {"expiry",          "log-retention",        "file-retention",
                              "files-missing",   "short-log-retention",  "short-file-retention",
                              "unchecked"};
    return (size_t)k < sizeof n / sizeof n[0] ? n[k] : "unknown";
}

void lr_cp_warnings_free(struct lr_cp_warnings *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++) {
        free(w->items[i].table);
        free(w->items[i].message);
        free(w->items[i].fix);
        free(w->items[i].alternative);
    }
    free(w->items);
    w->items = NULL;
    w->count = 0;
}

char *lr_cp_property_statement(const char *table, const char *key, int64_t days)
{
    char *name = lr_strdup(table);
    for (char *p = name; p && *p; p++)
        if (*p == '/')
            *p = '.';
    char *s = name ? lr_asprintf("ALTER TABLE %s SET TBLPROPERTIES ('%s' = 'interval %lld days')",
                                 name, key, (long long)days)
                   : NULL;
    free(name);
    return s;
}

/* "2025-01-15 10:00 UTC" */
static const char *when_text(int64_t ms, char *buf, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (ms < 0 || !gmtime_r(&t, &tm) || strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(buf, cap, "an unknown time");
    return buf;
}

/* "30 days", "1 day", "36 hours", "90 minutes" */
static const char *span_text(int64_t ms, char *buf, size_t cap)
{
    if (ms >= DAY_MS && ms % DAY_MS == 0)
        snprintf(buf, cap, "%lld day%s", (long long)(ms / DAY_MS), ms == DAY_MS ? "" : "s");
    else if (ms >= HOUR_MS && ms % HOUR_MS == 0)
        snprintf(buf, cap, "%lld hour%s", (long long)(ms / HOUR_MS), ms == HOUR_MS ? "" : "s");
    else
        snprintf(buf, cap, "%lld minute%s", (long long)(ms / 60000), ms == 60000 ? "" : "s");
    return buf;
}

static int64_t ceil_days(int64_t ms)
{
    return ms <= 0 ? 1 : (ms + DAY_MS - 1) / DAY_MS;
}

struct adder {
    struct lr_cp_warnings *out;
    int rc;
};

static void add(struct adder *a, enum lr_cp_warning_kind kind, const char *table, int64_t when,
                bool happened, bool due, char *fix, char *alt, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

/* Takes `fix` and `alt` (malloc'd or NULL). */
static void add(struct adder *a, enum lr_cp_warning_kind kind, const char *table, int64_t when,
                bool happened, bool due, char *fix, char *alt, const char *fmt, ...)
{
    struct lr_cp_warning *grown = NULL;
    char *msg = NULL;
    if (a->rc == 0) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
            msg = NULL;
        va_end(ap);
        grown = realloc(a->out->items, (a->out->count + 1) * sizeof *grown);
    }
    if (grown)
        a->out->items = grown;
    if (!grown || !msg) {
        a->rc = LR_ENOMEM;
        free(msg);
        free(fix);
        free(alt);
        return;
    }
    a->out->items = grown;
    struct lr_cp_warning *w = &grown[a->out->count++];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->table = lr_strdup(table);
    w->when_ms = when;
    w->has_happened = happened;
    w->is_due = happened || due;
    w->message = msg;
    w->fix = fix;
    w->alternative = alt;
    if (table && !w->table)
        a->rc = LR_ENOMEM;
}

static char *fix_for(const char *table, const char *key, int64_t days)
{
    return lr_cp_property_statement(table, key, days);
}

/* The lakerewind way: a checkpoint whose retention the table can keep. */
static char *alt_for(const struct lr_checkpoint *cp, int64_t keep_ms)
{
    int64_t days = keep_ms / DAY_MS;
    if (days < 1)
        return NULL;
    return lr_asprintf("or take this table's checkpoints with a retention it keeps: lakerewind "
                       "checkpoints create NAME --type %s --retention-days %lld",
                       cp->type ? cp->type : "Manual", (long long)days);
}

static void log_warnings(struct adder *a, const struct lr_checkpoint *cp,
                         const struct lr_cp_table_retention *f, int64_t now, int64_t warn,
                         int64_t ret_ms)
{
    char b1[40], b2[40], b3[40];
    int64_t deadline = cp->expiry_ms;
    bool dated = false;
    if (!f->is_reconstructable) {
        add(a, LR_CPW_LOG_RETENTION, f->table, -1, true, true, NULL, NULL,
            "%s: version %lld can no longer be rebuilt from the log (log cleanup removed its "
            "commits): this table cannot be rolled back to the checkpoint",
            f->table, (long long)f->version);
        dated = true;
    } else if (!f->is_log_cleanup_off && f->version_timestamp_ms >= 0) {
        /* cleanup drops commits whose time <= midnight(now - retention) */
        int64_t exp = f->version_timestamp_ms + f->log_retention_ms;
        exp += DAY_MS - exp % DAY_MS;
        bool before = deadline >= 0 ? exp < deadline : exp - now <= warn;
        if (before) {
            int64_t need = deadline >= 0 ? deadline - f->version_timestamp_ms
                                         : exp - f->version_timestamp_ms + warn;
            char *fix = fix_for(f->table, "delta.logRetentionDuration", ceil_days(need));
            if (exp <= now)
                add(a, LR_CPW_LOG_RETENTION, f->table, exp, true, true, fix, NULL,
                    "%s: version %lld is past log retention (delta.logRetentionDuration %s) "
                    "since %s: the next log cleanup may drop it, before the checkpoint expires "
                    "on %s",
                    f->table, (long long)f->version,
                    span_text(f->log_retention_ms, b1, sizeof b1), when_text(exp, b2, sizeof b2),
                    when_text(deadline, b3, sizeof b3));
            else
                add(a, LR_CPW_LOG_RETENTION, f->table, exp, false, exp - now <= warn, fix, NULL,
                    "%s: version %lld leaves log retention (delta.logRetentionDuration %s) on "
                    "%s, before the checkpoint expires on %s",
                    f->table, (long long)f->version,
                    span_text(f->log_retention_ms, b1, sizeof b1), when_text(exp, b2, sizeof b2),
                    when_text(deadline, b3, sizeof b3));
            dated = true;
        }
    }
    if (!dated && !f->is_log_cleanup_off && ret_ms > 0 && f->log_retention_ms < ret_ms)
        add(a, LR_CPW_SHORT_LOG_RETENTION, f->table, -1, false, false,
            fix_for(f->table, "delta.logRetentionDuration", ceil_days(ret_ms)),
            alt_for(cp, f->log_retention_ms),
            "%s: log retention (delta.logRetentionDuration %s) is shorter than the "
            "checkpoint's retention of %s",
            f->table, span_text(f->log_retention_ms, b1, sizeof b1),
            span_text(ret_ms, b2, sizeof b2));
}

static void file_warnings(struct adder *a, const struct lr_checkpoint *cp,
                          const struct lr_cp_table_retention *f, int64_t now, int64_t warn,
                          int64_t ret_ms)
{
    char b1[40], b2[40], b3[40], b4[40];
    int64_t deadline = cp->expiry_ms;
    bool dated = false;
    if (f->missing_files > 0) {
        add(a, LR_CPW_FILES_MISSING, f->table, -1, true, true, NULL, NULL,
            "%s: %zu file%s of version %lld %s already gone (vacuumed or deleted): this table "
            "cannot be rolled back to the checkpoint",
            f->table, f->missing_files, f->missing_files == 1 ? "" : "s",
            (long long)f->version, f->missing_files == 1 ? "is" : "are");
        dated = true;
    } else if (f->has_old_removal) {
        add(a, LR_CPW_FILE_RETENTION, f->table, -1, true, true, NULL, NULL,
            "%s: files of version %lld were removed longer ago than the deleted-file retention "
            "(delta.deletedFileRetentionDuration %s): a VACUUM may delete them at any time",
            f->table, (long long)f->version, span_text(f->file_retention_ms, b1, sizeof b1));
        dated = true;
    } else if (f->first_removal_ms >= 0) {
        int64_t vac = f->first_removal_ms + f->file_retention_ms;
        bool before = deadline >= 0 ? vac < deadline : vac - now <= warn;
        if (before) {
            int64_t need = deadline >= 0 ? deadline - f->first_removal_ms
                                         : f->file_retention_ms + warn;
            char *fix = fix_for(f->table, "delta.deletedFileRetentionDuration",
                                ceil_days(need));
            add(a, LR_CPW_FILE_RETENTION, f->table, vac, vac <= now, vac - now <= warn, fix,
                NULL,
                "%s: files of version %lld were removed on %s; a VACUUM may delete them %s %s "
                "(delta.deletedFileRetentionDuration %s), before the checkpoint expires on %s",
                f->table, (long long)f->version, when_text(f->first_removal_ms, b1, sizeof b1),
                vac <= now ? "since" : "from", when_text(vac, b2, sizeof b2),
                span_text(f->file_retention_ms, b3, sizeof b3),
                when_text(deadline, b4, sizeof b4));
            dated = true;
        }
    }
    if (!dated && ret_ms > 0 && f->file_retention_ms < ret_ms)
        add(a, LR_CPW_SHORT_FILE_RETENTION, f->table, -1, false, false,
            fix_for(f->table, "delta.deletedFileRetentionDuration", ceil_days(ret_ms)),
            alt_for(cp, f->file_retention_ms),
            "%s: deleted-file retention (delta.deletedFileRetentionDuration %s) is shorter "
            "than the checkpoint's retention of %s: a VACUUM may delete the files of version "
            "%lld %s after a later commit removes them",
            f->table, span_text(f->file_retention_ms, b1, sizeof b1),
            span_text(ret_ms, b2, sizeof b2), (long long)f->version,
            span_text(f->file_retention_ms, b3, sizeof b3));
}

int lr_cp_warnings_build(struct lr_cp_warnings *out, const struct lr_checkpoint *cp,
                         const struct lr_cp_table_retention *facts, size_t n, int64_t now_ms,
                         int64_t warn_ms, struct lr_error *err)
{
    struct adder a = {out, 0};
    if (!cp->is_active)
        return 0;
    char b1[40], b2[40];
    int64_t exp = cp->expiry_ms;
    if (exp >= 0 && exp <= now_ms)
        add(&a, LR_CPW_EXPIRY, NULL, exp, true, true, NULL, NULL,
            "checkpoint %s expired on %s but is still active: its tables' versions are no "
            "longer promised to be kept",
            cp->name ? cp->name : "?", when_text(exp, b1, sizeof b1));
    else if (exp >= 0 && exp - now_ms <= warn_ms)
        add(&a, LR_CPW_EXPIRY, NULL, exp, false, true, NULL, NULL,
            "checkpoint %s expires on %s (in %s)", cp->name ? cp->name : "?",
            when_text(exp, b1, sizeof b1),
            span_text(exp - now_ms >= DAY_MS ? (exp - now_ms) / DAY_MS * DAY_MS
                      : exp - now_ms >= HOUR_MS ? (exp - now_ms) / HOUR_MS * HOUR_MS
                                                : (exp - now_ms) / 60000 * 60000,
                      b2, sizeof b2));
    int64_t ret_ms = cp->retention_days > 0 ? cp->retention_days * DAY_MS
                     : exp >= 0 && cp->created_ms >= 0 ? exp - cp->created_ms
                                                        : -1;
    for (size_t i = 0; i < n && a.rc == 0; i++) {
        const struct lr_cp_table_retention *f = &facts[i];
        if (f->error) {
            add(&a, LR_CPW_UNCHECKED, f->table, -1, false, true, NULL, NULL,
                "%s: retention could not be checked: %s", f->table, f->error);
            continue;
        }
        log_warnings(&a, cp, f, now_ms, warn_ms, ret_ms);
        file_warnings(&a, cp, f, now_ms, warn_ms, ret_ms);
    }
    if (a.rc < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory listing checkpoint warnings");
    return 0;
}

json_t *lr_cp_warnings_json(const struct lr_cp_warnings *w)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < w->count; i++) {
        const struct lr_cp_warning *x = &w->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_string(lr_cp_warning_kind_name(x->kind)));
        json_object_set_new(o, "table", x->table ? json_string(x->table) : json_null());
        json_object_set_new(o, "when", lr_md_time(x->when_ms));
        json_object_set_new(o, "has_happened", json_boolean(x->has_happened));
        json_object_set_new(o, "is_due", json_boolean(x->is_due));
        json_object_set_new(o, "message", json_string(x->message));
        json_object_set_new(o, "fix", x->fix ? json_string(x->fix) : json_null());
        json_object_set_new(o, "alternative", x->alternative ? json_string(x->alternative)
                                                             : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}
