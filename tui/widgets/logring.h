/* logring.h - the console's log: a bounded ring of timestamped lines shown in the log pane and
 * the status line. Owned and written by the UI thread only (workers post events; app.c logs). */
#ifndef TUI_LOGRING_H
#define TUI_LOGRING_H

#include <stddef.h>
#include <time.h>

enum tui_log_level { TUI_LOG_INFO, TUI_LOG_WARN, TUI_LOG_ERROR };

#define TUI_LOGRING_SIZE 512
#define TUI_LOGLINE_MAX 400

struct tui_logline {
    time_t when;
    enum tui_log_level level;
    char text[TUI_LOGLINE_MAX]; /* sanitised before it is stored */
};

struct tui_logring {
    struct tui_logline lines[TUI_LOGRING_SIZE];
    size_t next;  /* where the next line goes */
    size_t count; /* lines held, at most TUI_LOGRING_SIZE */
};

/* Append a line; `text` is sanitised here (it may come from the lake). The oldest line goes
 * when the ring is full. */
void tui_log_add(struct tui_logring *r, enum tui_log_level level, time_t when, const char *text);
/* The i-th line held, 0 the oldest; NULL past the end. Borrowed until the next tui_log_add. */
const struct tui_logline *tui_log_get(const struct tui_logring *r, size_t i);
const char *tui_log_level_name(enum tui_log_level level);

#endif
