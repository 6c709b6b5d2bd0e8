/* help.c - the help overlay (`?`): generated from the key tables in effect on the screen
 * below and from the list of screens, so it can never disagree with what the keys do. */
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
    int pad = 13 - kw > 1 ? 13 - kw : 1;
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
        char name[64];
        snprintf(name, sizeof name, ":%s", s->name);
        add_cell(h, name, s->summary);
    }
    add_cell(h, ":table NAME", "find a table");
    add_cell(h, ":theme NAME", "switch theme");
    add_cell(h, ":live", "allow writes (asks)");
    add_cell(h, ":dry-run", "back to dry run");
    add_cell(h, ":q", "quit");
    end_row(h);
    add(h, "\nNo single key writes: restore and undo ask for a typed confirmation.");
}

static void draw(struct tui_app *app, void *state, struct tui_rect screen)
{
    (void)state;
    struct help_text *h = calloc(1, sizeof *h);
    if (!h)
        return;
    build(app, h);
    int extra_y;
    int ix;
    int iw;
    tui_dialog_draw(screen.w, screen.h, HELP_WIDTH, "Help - Esc or ? closes", h->buf, 0,
                    &extra_y, &ix, &iw);
    (void)extra_y;
    (void)iw;
    free(h);
}

const struct tui_screen_ops tui_screen_help = {
    .name = "help",
    .alias = "h",
    .summary = "this help",
    .is_overlay = true,
    .draw = draw,
};
