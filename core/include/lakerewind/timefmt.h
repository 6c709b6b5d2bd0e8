/* timefmt.h - the one ISO-8601 formatter for times shown to people and written to logs. */
#ifndef LAKEREWIND_TIMEFMT_H
#define LAKEREWIND_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define LR_ISO_MS_LEN 25 /* "2025-01-15T10:00:00.000Z" plus NUL */

/* Milliseconds since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) into buf (truncated to
 * size; LR_ISO_MS_LEN is always enough). Years are clamped to 0000..9999. Returns buf. */
char *lr_time_format_iso_ms(int64_t ms, char *buf, size_t size);

#endif
