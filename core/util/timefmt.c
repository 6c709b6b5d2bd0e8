/* timefmt.c - ISO-8601 UTC formatting shared by the log, the Delta engine and the events. */
#include "lakerewind/timefmt.h"

#include <stdio.h>
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
