/* values.c - parsing and printing configuration scalars (bool, int, number, duration, size,
 * enum, URI) and finding the nearest known name for "did you mean". Pure functions, no I/O. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/internal.h"
#include "lakerewind/uri.h"

bool cfg_type_is_container(enum lr_config_type t)
{
    return t == LR_CFG_LIST || t == LR_CFG_MAP || t == LR_CFG_MAP_LIST;
}

bool cfg_profile_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-')
            return false;
    return true;
}

int cfg_choice_index(const char *choices, const char *choice)
{
    size_t cl = strlen(choice);
    int idx = 0;
    for (const char *p = choices; *p; idx++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == cl && strncasecmp(p, choice, n) == 0)
            return idx;
        if (!bar)
            break;
        p = bar + 1;
    }
    return -1;
}

void cfg_choice_name(const char *choices, int index, char *buf, size_t cap)
{
    const char *p = choices;
    for (int i = 0; i < index && p; i++) {
        p = strchr(p, '|');
        if (p)
            p++;
    }
    if (!p) {
        snprintf(buf, cap, "?");
        return;
    }
    const char *bar = strchr(p, '|');
    int n = bar ? (int)(bar - p) : (int)strlen(p);
    snprintf(buf, cap, "%.*s", n, p);
}

static bool parse_bool(const char *t, bool *out)
{
    static const char *yes[] = {"true", "yes", "on"};
    static const char *no[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(t, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(t, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* Leading decimal digits of `t` into *out (no sign); returns the rest or NULL on overflow or
 * no digits. */
static const char *digits(const char *t, int64_t *out)
{
    if (!isdigit((unsigned char)*t))
        return NULL;
    int64_t v = 0;
    for (; isdigit((unsigned char)*t); t++) {
        int d = *t - '0';
        if (v > (INT64_MAX - d) / 10)
            return NULL;
        v = v * 10 + d;
    }
    *out = v;
    return t;
}

static bool parse_duration(const char *t, int64_t *out)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"ms", 1},          {"s", 1000},        {"m", 60000},
                 {"h", 3600000},     {"d", 86400000},    {"w", 604800000}};
    int64_t v;
    const char *rest = digits(t, &v);
    if (!rest)
        return false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(rest, units[i].unit) == 0) {
            if (v > INT64_MAX / units[i].ms)
                return false;
            *out = v * units[i].ms;
            return true;
        }
    }
    return false;
}

static bool parse_size(const char *t, int64_t *out)
{
    static const struct {
        const char *unit;
        double mul;
    } units[] = {{"", 1},
                 {"b", 1},
                 {"k", 1e3},
                 {"kb", 1e3},
                 {"m", 1e6},
                 {"mb", 1e6},
                 {"g", 1e9},
                 {"gb", 1e9},
                 {"t", 1e12},
                 {"tb", 1e12},
                 {"kib", 1024.0},
                 {"mib", 1048576.0},
                 {"gib", 1073741824.0},
                 {"tib", 1099511627776.0}};
    size_t span = strspn(t, "0123456789.");
    if (!isdigit((unsigned char)*t) || span > 40)
        return false;
    char num[48];
    memcpy(num, t, span);
    num[span] = '\0';
    errno = 0;
    char *stop = NULL;
    double v = strtod(num, &stop);
    if (errno || *stop || !isfinite(v) || v < 0)
        return false;
    const char *end = t + span;
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(end, units[i].unit) == 0) {
            double bytes = v * units[i].mul;
            if (bytes >= 9.2e18 || bytes != floor(bytes))
                return false;
            *out = (int64_t)bytes;
            return true;
        }
    }
    return false;
}

int cfg_parse_scalar(const struct lr_config_key *k, const char *text, struct cfg_scalar *out)
{
    memset(out, 0, sizeof *out);
    switch (k->type) {
    case LR_CFG_STRING:
        out->s = lr_strdup(text);
        return out->s ? 0 : LR_ENOMEM;
    case LR_CFG_URI: {
        struct lr_uri uri;
        struct lr_error err;
        if (lr_uri_parse(&uri, text, &err) < 0)
            return err.code == LR_ENOMEM ? LR_ENOMEM : LR_EINVAL;
        lr_uri_free(&uri);
        out->s = lr_strdup(text);
        return out->s ? 0 : LR_ENOMEM;
    }
    case LR_CFG_INT:
        if (!lr_parse_int64(text, &out->i))
            return LR_EINVAL;
        if (k->min != k->max && (out->i < k->min || out->i > k->max))
            return LR_EINVAL;
        return 0;
    case LR_CFG_NUMBER: {
        errno = 0;
        char *end = NULL;
        if (!*text || strspn(text, "0123456789.-") != strlen(text))
            return LR_EINVAL;
        out->d = strtod(text, &end);
        if (errno || *end || !isfinite(out->d))
            return LR_EINVAL;
        if (k->min != k->max && (out->d < (double)k->min || out->d > (double)k->max))
            return LR_EINVAL;
        return 0;
    }
    case LR_CFG_BOOL:
        return parse_bool(text, &out->b) ? 0 : LR_EINVAL;
    case LR_CFG_DURATION:
        return parse_duration(text, &out->i) ? 0 : LR_EINVAL;
    case LR_CFG_SIZE:
        return parse_size(text, &out->i) ? 0 : LR_EINVAL;
    case LR_CFG_ENUM:
        out->choice = cfg_choice_index(k->choices, text);
        return out->choice < 0 ? LR_EINVAL : 0;
    case LR_CFG_LIST:
    case LR_CFG_MAP:
    case LR_CFG_MAP_LIST:
        break;
    }
    return LR_EINVAL;
}

/* Optimal string alignment distance, case-insensitive, '-' equal to '_'; capped inputs. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            if (ca == '-')
                ca = '_';
            if (cb == '-')
                cb = '_';
            size_t cost = ca == cb ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *cfg_nearest(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(word);
    size_t allowed = len / 3 > 2 ? len / 3 : 2;
    if (len <= 3)
        allowed = 1;
    return best && best_d <= allowed ? best : NULL;
}

void cfg_format_duration(int64_t ms, char *buf, size_t cap)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"w", 604800000}, {"d", 86400000}, {"h", 3600000},
                 {"m", 60000},     {"s", 1000}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (ms != 0 && ms % units[i].ms == 0) {
            snprintf(buf, cap, "%lld%s", (long long)(ms / units[i].ms), units[i].unit);
            return;
        }
    }
    snprintf(buf, cap, "%lldms", (long long)ms);
}

void cfg_format_size(int64_t bytes, char *buf, size_t cap)
{
    static const struct {
        const char *unit;
        int64_t mul;
    } units[] = {{"TiB", 1099511627776LL}, {"GiB", 1073741824LL}, {"MiB", 1048576LL},
                 {"KiB", 1024LL},          {"TB", 1000000000000LL}, {"GB", 1000000000LL},
                 {"MB", 1000000LL},        {"KB", 1000LL}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (bytes != 0 && bytes % units[i].mul == 0) {
            snprintf(buf, cap, "%lld%s", (long long)(bytes / units[i].mul), units[i].unit);
            return;
        }
    }
    snprintf(buf, cap, "%lld", (long long)bytes);
}
