/* log.c - the log pane as a screen: everything the console reported (worker events, errors,
 * theme problems), newest at the bottom; Up/Down scroll, End follows again. */
#include <stdio.h>
#include <stdlib.h>

#include "../app.h"
#include "../term.h"

struct logscreen {
    size_t scroll; /* lines up from the newest */
};

static struct tui_keymap keys;

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)app;
    (void)arg;
    struct logscreen *s = calloc(1, sizeof *s);
    if (!s)
        return LR_ENOMEM;
    *state = s;
    return 0;
}

static void close_screen(void *state)
{
    free(state);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct logscreen *s = state;
    size_t count = tui_app_log_ring(app)->count;
    size_t page = (size_t)(tui_app_body_rows(app) > 1 ? tui_app_body_rows(app) - 1 : 1);
    switch (a) {
    case TUI_ACT_UP:
        if (s->scroll + 1 < count)
            s->scroll++;
        return true;
    case TUI_ACT_DOWN:
        if (s->scroll > 0)
            s->scroll--;
        return true;
    case TUI_ACT_PAGE_UP: s->scroll = s->scroll + page < count ? s->scroll + page : count - 1;
        return true;
    case TUI_ACT_PAGE_DOWN: s->scroll = s->scroll > page ? s->scroll - page : 0; return true;
    case TUI_ACT_HOME: s->scroll = count ? count - 1 : 0; return true;
    case TUI_ACT_END: s->scroll = 0; return true;
    default: return false;
    }
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct logscreen *s = state;
    const struct tui_logring *log = tui_app_log_ring(app);
    if (log->count == 0) {
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_DIM, "nothing logged yet");
        return;
    }
    tui_logpane_draw(body, log, s->scroll);
    size_t shown = log->count - s->scroll;
    int last = (int)(shown < (size_t)body.h ? shown : (size_t)body.h);
    tui_app_cursor(app, body.y + last - 1, body.x);
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    struct logscreen *s = state;
    size_t n = tui_app_log_ring(app)->count;
    if (s->scroll)
        snprintf(buf, cap, "Log (%zu lines, %zu newer below; End follows)", n, s->scroll);
    else
        snprintf(buf, cap, "Log (%zu line%s)", n, n == 1 ? "" : "s");
}

const struct tui_screen_ops tui_screen_log = {
    .name = "log",
    .alias = NULL,
    .summary = "the console's log",
    .keys = &keys,
    .default_keys = NULL,
    .default_key_count = 0,
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
    .title = title,
};
