/* help.c - the help overlay (`?`): generated from the key tables in effect on the screen
 * below and from the list of screens, so it can never disagree with what the keys do. When it
 * is taller than the terminal allows (80x24), the movement keys scroll it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"

#define HELP_WIDTH 76
#define CELL 35 /* one of two columns inside the dialog */

struct help_text {
    char buf[8192];
    size_t len;
    int col; /* 0 or 1: which column the next cell goes in */
};

static void add(struct help_text *h, const char *s)
{
    size_t n = strlen(s);
    if (h->len + n + 1 > sizeof h->buf)
        return;
    memcpy(h->buf + h->len, s, n + 1);
    h->len += n;
}

static void end_row(struct help_text *h)
{
    if (h->col != 0)
        add(h, "\n");
    h->col = 0;
}

static void add_cell(struct help_text *h, const char *key, const char *label)
{
    char cell[128];
    int kw = tui_text_width(key);
    int pad = 15 - kw > 1 ? 15 - kw : 1;
    snprintf(cell, sizeof cell, "%s%*s%s", key, pad, "", label);
    add(h, cell);
    if (h->col == 0) {
        int w = tui_text_width(cell);
        char spaces[64];
        int n = CELL - w > 1 ? CELL - w : 1;
        memset(spaces, ' ', (size_t)n);
        spaces[n] = '\0';
        add(h, spaces);
        h->col = 1;
    } else {
        add(h, "\n");
        h->col = 0;
    }
}

static void add_map(struct help_text *h, const struct tui_keymap *m)
{
    bool done[TUI_ACT_COUNT] = {0};
    for (size_t i = 0; i < m->count; i++) {
        enum tui_action a = m->items[i].action;
        if (done[a])
            continue;
        done[a] = true;
        char keys[64] = "";
        for (size_t j = i; j < m->count; j++) {
            if (m->items[j].action != a)
                continue;
            char name[32];
            tui_key_name(m->items[j].key, name, sizeof name);
            if (keys[0])
                strncat(keys, "/", sizeof keys - strlen(keys) - 1);
            strncat(keys, name, sizeof keys - strlen(keys) - 1);
        }
        add_cell(h, keys, m->items[i].label ? m->items[i].label : tui_action_name(a));
    }
}

static void build(struct tui_app *app, struct help_text *h)
{
    const struct tui_screen_ops *below = tui_app_screen_below(app);
    const struct tui_keymap *maps[2];
    size_t n = tui_app_keymaps(app, below, maps, 2);
    char line[256];
    snprintf(line, sizeof line, "Keys on this screen (%s)\n", below ? below->name : "console");
    add(h, line);
    for (size_t i = 0; i < n; i++)
        add_map(h, maps[i]);
    end_row(h);
    add(h, "\nCommands (type : then a command, Enter to run)\n");
    for (size_t i = 0; tui_screens[i]; i++) {
        const struct tui_screen_ops *s = tui_screens[i];
        if (s->is_overlay)
            continue; /* this help: the ? key */
        char name[64];
        snprintf(name, sizeof name, ":%s%s", s->name,
                 s == &tui_screen_history ? " NAME"
                 : s == &tui_screen_impact ? " CP" : "");
        add_cell(h, name, s->summary);
    }
    add_cell(h, ":NAME", "select a table");
    add_cell(h, ":table TEXT", "filter the tables");
    add_cell(h, ":theme [NAME]", "pick a theme");
    bool is_read_only = tui_app_mode(app) == TUI_BANNER_READ_ONLY;
    if (!is_read_only) {
        add_cell(h, ":live", "allow writes (asks)");
        add_cell(h, ":dry-run", "back to dry run");
    }
    add_cell(h, ":q", "quit");
    end_row(h);
    add(h, "\nMouse (ui.mouse: true): click selects, click again opens, wheel scrolls.");
    if (is_read_only)
        add(h, "\nRead-only (--read-only): restore, undo, resume and :live are not offered; "
               "nothing can be written.");
    else
        add(h, "\nNo single key writes: restore and undo ask for a typed confirmation.");
}

struct helpstate {
    int scroll; /* first line shown */
    int max_scroll;
    int page;
};

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)app;
    (void)arg;
    struct helpstate *hs = calloc(1, sizeof *hs);
    if (!hs)
        return LR_ENOMEM;
    *state = hs;
    return 0;
}

static void close_screen(void *state)
{
    free(state);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    (void)app;
    struct helpstate *hs = state;
    int page = hs->page > 1 ? hs->page - 1 : 1;
    switch (a) {
    case TUI_ACT_UP: hs->scroll--; break;
    case TUI_ACT_DOWN: hs->scroll++; break;
    case TUI_ACT_PAGE_UP: hs->scroll -= page; break;
    case TUI_ACT_PAGE_DOWN: hs->scroll += page; break;
    case TUI_ACT_HOME: hs->scroll = 0; break;
    case TUI_ACT_END: hs->scroll = hs->max_scroll; break;
    default: return false;
    }
    if (hs->scroll > hs->max_scroll)
        hs->scroll = hs->max_scroll;
    if (hs->scroll < 0)
        hs->scroll = 0;
    return true;
}

static void draw(struct tui_app *app, void *state, struct tui_rect screen)
{
    struct helpstate *hs = state;
    struct help_text *h = calloc(1, sizeof *h);
    if (!h)
        return;
    build(app, h);
    /* The lines that fit between the banner and the status line, from hs->scroll. */
    int total = 1;
    for (const char *p = h->buf; *p; p++)
        total += *p == '\n';
    int fit = screen.h - 8 > 3 ? screen.h - 8 : 3;
    hs->page = fit;
    hs->max_scroll = total > fit ? total - fit : 0;
    if (hs->scroll > hs->max_scroll)
        hs->scroll = hs->max_scroll;
    const char *start = h->buf;
    for (int i = 0; i < hs->scroll && strchr(start, '\n'); i++)
        start = strchr(start, '\n') + 1;
    char *end = (char *)(uintptr_t)start;
    for (int i = 0; i < fit && end && *end; i++) {
        end = strchr(end, '\n');
        if (end && i + 1 < fit)
            end++;
    }
    if (end)
        *end = '\0';
    char title[96];
    if (hs->max_scroll)
        snprintf(title, sizeof title, "Help (lines %d-%d of %d, j/k scroll) - Esc or ? closes",
                 hs->scroll + 1, hs->scroll + fit < total ? hs->scroll + fit : total, total);
    else
        snprintf(title, sizeof title, "Help - Esc or ? closes");
    int extra_y;
    int ix;
    int iw;
    tui_dialog_draw(screen.w, screen.h, HELP_WIDTH, title, start, 0, &extra_y, &ix, &iw);
    (void)extra_y;
    (void)iw;
    free(h);
}

const struct tui_screen_ops tui_screen_help = {
    .name = "help",
    .alias = "h",
    .summary = "this help",
    .is_overlay = true,
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
};
