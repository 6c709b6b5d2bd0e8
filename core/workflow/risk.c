/* risk.c - High / Medium / Low for one table's rollback, with reasons (rules in risk.h).
 * Pure: no store, no clock, no config file; the thresholds are passed in. */
#include "lakerewind/risk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lakerewind/error.h"

#define DAY_MS (24LL * 3600 * 1000)
#define GIB (1024LL * 1024 * 1024)

void lr_risk_thresholds_default(struct lr_risk_thresholds *out)
{
    out->high_rows_pct = 20.0;
    out->medium_rows_pct = 5.0;
    out->high_rows = 1000000;
    out->medium_rows = 10000;
    out->high_commits = 50;
    out->medium_commits = 10;
    out->high_bytes = 10 * GIB;
    out->medium_bytes = GIB;
    out->high_span_ms = 7 * DAY_MS;
    out->medium_span_ms = DAY_MS;
    out->schema_change_is_high = true;
}

void lr_risk_facts_init(struct lr_risk_facts *f)
{
    memset(f, 0, sizeof *f);
    f->rows_now = -1;
    f->rows_then = -1;
    f->rows_to_add = -1;
    f->rows_to_remove = -1;
    f->bytes_to_add = -1;
    f->bytes_to_remove = -1;
    f->commits_undone = -1;
    f->time_span_ms = -1;
    f->missing_files = -1;
    f->restored_version = -1;
}

const char *lr_risk_level_name(enum lr_risk_level level)
{
    switch (level) {
    case LR_RISK_HIGH:
        return "High";
    case LR_RISK_MEDIUM:
        return "Medium";
    default:
        return "Low";
    }
}

bool lr_risk_level_parse(const char *s, enum lr_risk_level *out)
{
    static const enum lr_risk_level all[] = {LR_RISK_LOW, LR_RISK_MEDIUM, LR_RISK_HIGH};
    for (size_t i = 0; i < 3; i++) {
        if (s && strcasecmp(s, lr_risk_level_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    }
    return false;
}

/* Reasons are collected per level and concatenated High, Medium, Low at the end. */
struct collect {
    struct lr_strvec by_level[3];
    int rc;
};

static void add(struct collect *c, enum lr_risk_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add(struct collect *c, enum lr_risk_level level, const char *fmt, ...)
{
    if (c->rc < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        c->rc = LR_ENOMEM;
        return;
    }
    if (lr_strvec_push_owned(&c->by_level[level], s) < 0)
        c->rc = LR_ENOMEM;
}

static const char *human_bytes(int64_t b, char *buf, size_t cap)
{
    static const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)b;
    size_t u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, cap, "%lld B", (long long)b);
    else
        snprintf(buf, cap, "%.1f %s", v, unit[u]);
    return buf;
}

static const char *human_span(int64_t ms, char *buf, size_t cap)
{
    if (ms >= DAY_MS)
        snprintf(buf, cap, "%.1f days", (double)ms / (double)DAY_MS);
    else if (ms >= 3600 * 1000)
        snprintf(buf, cap, "%.1f hours", (double)ms / 3600000.0);
    else
        snprintf(buf, cap, "%lld minutes", (long long)(ms / 60000));
    return buf;
}

/* A threshold of 0 (or below) is disabled. */
static bool reached(double value, double threshold)
{
    return threshold > 0 && value >= threshold;
}

static void rows_rules(struct collect *c, const struct lr_risk_facts *f,
                       const struct lr_risk_thresholds *th)
{
    int64_t touched = -1;
    if (f->rows_now >= 0 && f->rows_then >= 0)
        touched = llabs(f->rows_now - f->rows_then);
    else if (f->rows_to_add >= 0 && f->rows_to_remove >= 0)
        touched = f->rows_to_add > f->rows_to_remove ? f->rows_to_add : f->rows_to_remove;
    if (touched < 0) {
        if (f->commits_undone > 0)
            add(c, LR_RISK_MEDIUM, "row counts unknown (files without statistics): the size of "
                                   "the change cannot be measured");
        return;
    }
    int64_t base = f->rows_then >= 0 ? f->rows_then : f->rows_now;
    double pct = base > 0 ? 100.0 * (double)touched / (double)base : (touched > 0 ? 100.0 : 0.0);
    if (base < 0)
        pct = 0.0; /* table size unknown: only the absolute thresholds apply */
    if (reached(pct, th->high_rows_pct) && touched > 0)
        add(c, LR_RISK_HIGH, "%.1f%% of rows changed (%lld of %lld), threshold %.1f%%", pct,
            (long long)touched, (long long)base, th->high_rows_pct);
    else if (reached((double)touched, (double)th->high_rows))
        add(c, LR_RISK_HIGH, "%lld rows changed, threshold %lld", (long long)touched,
            (long long)th->high_rows);
    else if (reached(pct, th->medium_rows_pct) && touched > 0)
        add(c, LR_RISK_MEDIUM, "%.1f%% of rows changed (%lld of %lld), threshold %.1f%%", pct,
            (long long)touched, (long long)base, th->medium_rows_pct);
    else if (reached((double)touched, (double)th->medium_rows))
        add(c, LR_RISK_MEDIUM, "%lld rows changed, threshold %lld", (long long)touched,
            (long long)th->medium_rows);
}

static void size_rules(struct collect *c, const struct lr_risk_facts *f,
                       const struct lr_risk_thresholds *th)
{
    char buf[32];
    if (reached((double)f->commits_undone, (double)th->high_commits))
        add(c, LR_RISK_HIGH, "%lld commits undone, threshold %lld", (long long)f->commits_undone,
            (long long)th->high_commits);
    else if (reached((double)f->commits_undone, (double)th->medium_commits))
        add(c, LR_RISK_MEDIUM, "%lld commits undone, threshold %lld",
            (long long)f->commits_undone, (long long)th->medium_commits);

    int64_t bytes = -1;
    if (f->bytes_to_add >= 0 || f->bytes_to_remove >= 0)
        bytes = (f->bytes_to_add > 0 ? f->bytes_to_add : 0) +
                (f->bytes_to_remove > 0 ? f->bytes_to_remove : 0);
    if (bytes >= 0 && reached((double)bytes, (double)th->high_bytes))
        add(c, LR_RISK_HIGH, "%s of data files added back or removed",
            human_bytes(bytes, buf, sizeof buf));
    else if (bytes >= 0 && reached((double)bytes, (double)th->medium_bytes))
        add(c, LR_RISK_MEDIUM, "%s of data files added back or removed",
            human_bytes(bytes, buf, sizeof buf));

    if (f->time_span_ms >= 0 && reached((double)f->time_span_ms, (double)th->high_span_ms))
        add(c, LR_RISK_HIGH, "undone commits span %s", human_span(f->time_span_ms, buf,
                                                                  sizeof buf));
    else if (f->time_span_ms >= 0 &&
             reached((double)f->time_span_ms, (double)th->medium_span_ms))
        add(c, LR_RISK_MEDIUM, "undone commits span %s",
            human_span(f->time_span_ms, buf, sizeof buf));
}

int lr_risk_score(struct lr_risk *out, const struct lr_risk_facts *f,
                  const struct lr_risk_thresholds *th)
{
    struct collect c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);

    for (size_t i = 0; i < f->blocker_count; i++)
        add(&c, LR_RISK_HIGH, "blocker: %s", f->blockers[i]);
    if (f->missing_files > 0)
        add(&c, LR_RISK_HIGH, "%lld data file%s of the checkpoint version missing (vacuumed?)",
            (long long)f->missing_files, f->missing_files == 1 ? "" : "s");
    if (f->is_append_only && f->commits_undone > 0)
        add(&c, LR_RISK_HIGH, "append-only table (delta.appendOnly): restoring removes files");
    if (f->schema_changed)
        add(&c, th->schema_change_is_high ? LR_RISK_HIGH : LR_RISK_MEDIUM,
            "schema changed since the checkpoint: readers see the old schema again");
    if (f->commits_undone != 0) {
        rows_rules(&c, f, th);
        size_rules(&c, f, th);
        if (f->has_cdf)
            add(&c, LR_RISK_MEDIUM, "change data feed enabled: downstream readers will read "
                                    "the restored rows again");
        if (f->has_streaming_readers)
            add(&c, LR_RISK_MEDIUM, "streaming readers consume this table: restored rows will "
                                    "be read again downstream");
    }

    if (c.rc == 0 && c.by_level[LR_RISK_HIGH].count == 0 &&
        c.by_level[LR_RISK_MEDIUM].count == 0) {
        if (f->restored_version >= 0)
            add(&c, LR_RISK_LOW, "already restored at v%lld by this run before it was "
                "interrupted: nothing to restore, its validation is still to do",
                (long long)f->restored_version);
        else if (f->commits_undone == 0)
            add(&c, LR_RISK_LOW, "already at the checkpoint version: nothing to restore");
        else if (f->commits_undone > 0)
            add(&c, LR_RISK_LOW, "%lld commit%s undone, within every threshold",
                (long long)f->commits_undone, f->commits_undone == 1 ? "" : "s");
        else
            add(&c, LR_RISK_LOW, "within every threshold");
    }

    int rc = c.rc;
    out->level = LR_RISK_LOW;
    for (int lvl = LR_RISK_HIGH; lvl >= LR_RISK_LOW && rc == 0; lvl--) {
        struct lr_strvec *v = &c.by_level[lvl];
        if (v->count > 0 && out->reasons.count == 0)
            out->level = (enum lr_risk_level)lvl;
        for (size_t i = 0; i < v->count && rc == 0; i++) {
            if (lvl == LR_RISK_LOW && out->level != LR_RISK_LOW)
                break;
            rc = lr_strvec_push_owned(&out->reasons, v->items[i]);
            v->items[i] = NULL;
        }
    }
    for (int lvl = 0; lvl < 3; lvl++)
        lr_strvec_free(&c.by_level[lvl]);
    if (rc < 0)
        lr_risk_free(out);
    return rc < 0 ? LR_ENOMEM : 0;
}

void lr_risk_free(struct lr_risk *r)
{
    if (!r)
        return;
    lr_strvec_free(&r->reasons);
    r->level = LR_RISK_LOW;
}
