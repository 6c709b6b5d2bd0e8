/* timefmt.h - the one ISO-8601 formatter for times shown to people and written to logs, and the
 * clock that ages, expiry and retention rules are judged against. */
#ifndef LAKEREWIND_TIMEFMT_H
#define LAKEREWIND_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LR_ISO_MS_LEN 25 /* "2025-01-15T10:00:00.000Z" plus NUL */

/* Milliseconds since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) into buf (truncated to
 * size; LR_ISO_MS_LEN is always enough). Years are clamped to 0000..9999. Returns buf. */
char *lr_time_format_iso_ms(int64_t ms, char *buf, size_t size);

/* "Now" for ages, expiry and retention judgements, in ms since the epoch: the time in
 * $LAKEREWIND_NOW when it is set to "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]Z" (so drills and
 * screen tests replay a fixed incident day), else the real clock. Commit timestamps, audit
 * times and events always use the real clock. A malformed value is ignored here (the real
 * clock); the binary warns about it at start. */
int64_t lr_clock_now_ms(void);
/* Parse a LAKEREWIND_NOW value ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]Z") into ms since the
 * epoch. false for anything else (the caller says so; lr_clock_now_ms then uses the real
 * clock). */
bool lr_clock_parse(const char *text, int64_t *ms_out);

#endif
