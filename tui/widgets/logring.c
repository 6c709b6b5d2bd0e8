/* logring.c - a fixed ring of log lines; the log pane and status line read it. */
#include "logring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sanitize.h"

void tui_log_add(struct tui_logring *r, enum tui_log_level level, time_t when, const char *text)
{
    struct tui_logline *l = &r->lines[r->next];
    l->when = when;
    l->level = level;
    char *clean = tui_sanitize_str(text, false);
    snprintf(l->text, sizeof l->text, "%s", clean ? clean : "(out of memory)");
    size_t len = strlen(l->text);
    if (clean && strlen(clean) > len && len > 0) {
        /* Cut at a character boundary, not inside a UTF-8 sequence. */
        size_t lead = len - 1;
        while (lead > 0 && ((unsigned char)l->text[lead] & 0xC0) == 0x80)
            lead--;
        unsigned char c = (unsigned char)l->text[lead];
        size_t need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        if (lead + need > len)
            l->text[lead] = '\0';
    }
    free(clean);
    r->next = (r->next + 1) % TUI_LOGRING_SIZE;
    if (r->count < TUI_LOGRING_SIZE)
        r->count++;
}

const struct tui_logline *tui_log_get(const struct tui_logring *r, size_t i)
{
    if (i >= r->count)
        return NULL;
    size_t oldest = (r->next + TUI_LOGRING_SIZE - r->count) % TUI_LOGRING_SIZE;
    return &r->lines[(oldest + i) % TUI_LOGRING_SIZE];
}

const char *tui_log_level_name(enum tui_log_level level)
{
    switch (level) {
    case TUI_LOG_WARN: return "warn";
    case TUI_LOG_ERROR: return "error";
    default: return "info";
    }
}
