/* timefmt.c - ISO-8601 UTC formatting shared by the log, the Delta engine and the events, and
 * the policy clock (lr_clock_now_ms). */
#include "lakerewind/timefmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *lr_time_format_iso_ms(int64_t ms, char *buf, size_t size)
{
    time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)secs * 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    /* Every field is reduced to its width, so the text is always 24 bytes. */
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999)
        year = year < 0 ? 0 : 9999;
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100,
             ((frac % 1000) + 1000) % 1000);
    return buf;
}

bool lr_clock_parse(const char *s, int64_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return false;
    const char *rest = s + n;
    if (*rest) {
        int m = 0;
        bool with_seconds = sscanf(rest, "T%2d:%2d:%2dZ%n", &h, &mi, &sec, &m) == 3 && !rest[m];
        if (!with_seconds) {
            m = 0;
            sec = 0;
            if (sscanf(rest, "T%2d:%2dZ%n", &h, &mi, &m) != 2 || rest[m])
                return false;
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    *out = (int64_t)timegm(&tm) * 1000;
    return true;
}

int64_t lr_clock_now_ms(void)
{
    const char *fixed = getenv("LAKEREWIND_NOW");
    int64_t ms;
    if (fixed && *fixed && lr_clock_parse(fixed, &ms))
        return ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
