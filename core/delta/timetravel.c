/* timetravel.c - commit timestamps and resolving a timestamp to a version, as Delta does.
 *
 * Owns: timestamp/interval parsing and formatting, the per-commit time series and
 * "greatest version whose timestamp <= t". Rules (delta-protocol-notes 4.2):
 *   (1) without in-commit timestamps a commit's time is its file mtime, made monotonic:
 *       ts[v] = max(ts[v], ts[v-1] + 1) walking upward from the earliest listed commit;
 *   (2) with ICT, versions >= delta.inCommitTimestampEnablementVersion use
 *       commitInfo.inCommitTimestamp, older ones rule (1);
 *   (3) times before the earliest reconstructable commit are an error, after the latest an
 *       error unless the caller allows the latest (RESTORE does). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "delta/internal.h"
#include "lakerewind/str.h"
#include "lakerewind/timefmt.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool num(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return true;
}

int lr_delta_parse_timestamp(const char *text, int64_t *ms_out, struct lr_error *err)
{
    int64_t ms;
    if (lr_parse_int64(text, &ms) && ms >= 0) {
        *ms_out = ms;
        return 0;
    }
    const char *p = text;
    int y, mo, d, h = 0, mi = 0, s = 0, frac = 0;
    if (!num(&p, 4, &y) || *p++ != '-' || !num(&p, 2, &mo) || *p++ != '-' || !num(&p, 2, &d))
        goto bad;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!num(&p, 2, &h) || *p++ != ':' || !num(&p, 2, &mi))
            goto bad;
        if (*p == ':') {
            p++;
            if (!num(&p, 2, &s))
                goto bad;
            if (*p == '.') {
                p++;
                int digits = 0;
                while (isdigit((unsigned char)*p)) {
                    if (digits < 3)
                        frac = frac * 10 + (*p - '0');
                    digits++;
                    p++;
                }
                if (digits == 0)
                    goto bad;
                for (; digits < 3; digits++)
                    frac *= 10;
            }
        }
    }
    int64_t offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        p++;
        int oh, om = 0;
        if (!num(&p, 2, &oh))
            goto bad;
        if (*p == ':')
            p++;
        if (*p && !num(&p, 2, &om))
            goto bad;
        offset_min = sign * (oh * 60 + om);
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        goto bad;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ms_out = ((days * 86400 + h * 3600 + mi * 60 + s) - offset_min * 60) * 1000 + frac;
    return 0;
bad:
    return lr_error_set(err, LR_EINVAL, "bad timestamp \"%s\": expected YYYY-MM-DD[THH:MM[:SS"
                        "[.fff]]][Z|+HH:MM] (UTC by default) or epoch milliseconds", text);
}

void lr_delta_format_timestamp(int64_t ms, char *buf, size_t size)
{
    lr_time_format_iso_ms(ms, buf, size);
}

int lr_delta_parse_interval(const char *text, int64_t *ms_out, struct lr_error *err)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (strncasecmp(p, "interval", 8) == 0 && isspace((unsigned char)p[8]))
        p += 8;
    int64_t total = 0;
    bool any = false;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        char *end;
        long long n = strtoll(p, &end, 10);
        if (end == p || n < 0)
            goto bad;
        p = end;
        while (isspace((unsigned char)*p))
            p++;
        const char *u = p;
        while (isalpha((unsigned char)*p))
            p++;
        size_t ul = (size_t)(p - u);
        static const struct { const char *name; int64_t ms; } units[] = {
            {"week", 604800000LL}, {"day", 86400000LL}, {"hour", 3600000LL},
            {"minute", 60000LL}, {"second", 1000LL}, {"millisecond", 1LL},
            {"ms", 1LL}, {"msec", 1LL}, {"min", 60000LL}, {"sec", 1000LL}, {"h", 3600000LL},
            {"d", 86400000LL}, {"s", 1000LL}, {"microsecond", 0}, {"us", 0},
        };
        int64_t mult = -1;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            size_t nl = strlen(units[i].name);
            if ((ul == nl || (ul == nl + 1 && tolower((unsigned char)u[nl]) == 's')) &&
                strncasecmp(u, units[i].name, nl) == 0) {
                mult = units[i].ms;
                break;
            }
        }
        if (mult < 0)
            goto bad;
        total += (int64_t)n * mult;
        any = true;
    }
    if (!any)
        goto bad;
    *ms_out = total;
    return 0;
bad:
    return lr_error_set(err, LR_EINVAL, "bad interval \"%s\": expected e.g. \"interval 30 days\""
                        " (units: weeks, days, hours, minutes, seconds, milliseconds)", text);
}

/* The ICT of a commit: first action line's commitInfo.inCommitTimestamp, -1 when absent. */
static int64_t read_ict(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                        struct lr_error *err, int *rc_out)
{
    struct delta_lines r;
    *rc_out = 0;
    int64_t ict = -1;
    int rc = delta_lines_open_commit(&r, t, f, err);
    if (rc < 0) {
        *rc_out = rc;
        return -1;
    }
    json_t *line = NULL;
    rc = delta_lines_next(&r, &line, err);
    if (rc > 0)
        ict = delta_json_int(json_object_get(line, "commitInfo"), "inCommitTimestamp", -1);
    json_decref(line);
    delta_lines_close(&r);
    *rc_out = rc < 0 ? rc : 0;
    return ict;
}

int lr_delta_commit_times(struct lr_delta_table *t, struct lr_delta_commit_time **out,
                          size_t *count_out, struct lr_error *err)
{
    *out = NULL;
    *count_out = 0;
    struct lr_delta_listing l;
    struct lr_delta_snapshot latest;
    memset(&latest, 0, sizeof latest);
    int rc = lr_delta_list(t, 0, &l, err);
    if (rc < 0)
        return rc;
    struct lr_delta_commit_time *v = calloc(l.count ? l.count : 1, sizeof *v);
    size_t n = 0;
    if (!v) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    /* With ICT on, every commit carries inCommitTimestamp (the protocol requires it): when the
     * newest commit has none, the table uses mtimes and no replay is needed. Otherwise the
     * enablement version comes from the latest metadata. */
    bool ict = false;
    for (size_t i = l.count; i-- > 0;) {
        if (l.files[i].kind != LR_DELTA_LOG_COMMIT)
            continue;
        ict = read_ict(t, &l.files[i], err, &rc) >= 0;
        if (rc < 0)
            goto done;
        break;
    }
    if (ict) {
        rc = lr_delta_snapshot_open(&latest, t, -1, err);
        if (rc < 0)
            goto done;
        ict = lr_delta_snapshot_has_ict(&latest);
    }
    int64_t ict_from = 0;
    if (ict) {
        const char *ev = lr_delta_snapshot_config(&latest,
                                                  "delta.inCommitTimestampEnablementVersion");
        if (ev && !lr_parse_int64(ev, &ict_from))
            ict_from = 0;
    }
    int64_t prev = INT64_MIN;
    for (size_t i = 0; i < l.count; i++) {
        const struct lr_delta_log_file *f = &l.files[i];
        if (f->kind != LR_DELTA_LOG_COMMIT)
            continue;
        struct lr_delta_commit_time c = {f->version, f->mtime_ms, false};
        if (ict && f->version >= ict_from) {
            int64_t x = read_ict(t, f, err, &rc);
            if (rc < 0)
                goto done;
            if (x >= 0) {
                c.timestamp_ms = x;
                c.is_ict = true;
            }
        }
        if (!c.is_ict && prev != INT64_MIN && c.timestamp_ms <= prev)
            c.timestamp_ms = prev + 1;
        prev = c.timestamp_ms;
        v[n++] = c;
    }
    *out = v;
    *count_out = n;
    v = NULL;
done:
    free(v);
    lr_delta_snapshot_free(&latest);
    lr_delta_listing_free(&l);
    return rc;
}

int lr_delta_version_at(struct lr_delta_table *t, int64_t ts_ms, bool allow_latest,
                        int64_t *version_out, struct lr_error *err)
{
    struct lr_delta_commit_time *v = NULL;
    size_t n = 0;
    int rc = lr_delta_commit_times(t, &v, &n, err);
    if (rc < 0)
        return rc;
    char want[40], first[40], last[40];
    lr_delta_format_timestamp(ts_ms, want, sizeof want);
    if (n == 0) {
        rc = lr_error_set(err, LR_ENOTFOUND, "the table has no commit files to time travel in");
        goto done;
    }
    lr_delta_format_timestamp(v[0].timestamp_ms, first, sizeof first);
    lr_delta_format_timestamp(v[n - 1].timestamp_ms, last, sizeof last);
    if (ts_ms < v[0].timestamp_ms) {
        rc = lr_error_set(err, LR_ENOTFOUND, "timestamp %s is before the earliest available "
                          "commit (version %lld at %s)", want, (long long)v[0].version, first);
        goto done;
    }
    if (ts_ms > v[n - 1].timestamp_ms && !allow_latest) {
        rc = lr_error_set(err, LR_ERANGE, "timestamp %s is after the latest commit (version "
                          "%lld at %s)", want, (long long)v[n - 1].version, last);
        goto done;
    }
    size_t best = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].timestamp_ms <= ts_ms)
            best = i;
    *version_out = v[best].version;
done:
    free(v);
    return rc;
}
