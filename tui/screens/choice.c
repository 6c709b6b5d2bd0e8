/* choice.c - a dialog offering a few choices (the theme picker now; "resume or undo an
 * interrupted run" and "quit while a run is in flight" next). Up/Down or 1-9 pick, Enter
 * chooses, Esc cancels; the cursor sits on the highlighted choice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "lakerewind/str.h"

#define DIALOG_WIDTH 60

static const struct tui_key_binding default_keys[] = {
    {TUI_KEY_ENTER, TUI_ACT_OPEN, "choose", false},
    {TUI_KEY_ESC, TUI_ACT_BACK, "cancel", false},
    {TUI_KEY_UP, TUI_ACT_UP, "up", true},
    {'k', TUI_ACT_UP, "up", true},
    {TUI_KEY_DOWN, TUI_ACT_DOWN, "down", true},
    {'j', TUI_ACT_DOWN, "down", true},
};

static struct tui_keymap keys;

struct choice {
    char *title;
    char *body;
    char *options[TUI_CHOICE_MAX];
    size_t count;
    size_t selected;
    void (*on_choose)(struct tui_app *app, size_t index, void *payload);
    void *payload;
};

static void close_screen(void *state)
{
    struct choice *c = state;
    if (!c)
        return;
    free(c->title);
    free(c->body);
    for (size_t i = 0; i < c->count; i++)
        free(c->options[i]);
    free(c);
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)app;
    const struct tui_choice_request *req = (const struct tui_choice_request *)(const void *)arg;
    struct choice *c = calloc(1, sizeof *c);
    if (!c)
        return LR_ENOMEM;
    c->title = lr_strdup(req->title);
    c->body = lr_strdup(req->body ? req->body : "");
    c->on_choose = req->on_choose;
    c->payload = req->payload;
    c->selected = req->selected < req->count ? req->selected : 0;
    bool is_ok = c->title && c->body && req->count > 0 && req->count <= TUI_CHOICE_MAX;
    for (size_t i = 0; is_ok && i < req->count; i++) {
        c->options[i] = lr_strdup(req->options[i]);
        c->count++;
        is_ok = c->options[i] != NULL;
    }
    if (!is_ok) {
        close_screen(c);
        return req->count > TUI_CHOICE_MAX ? LR_ELIMIT : LR_ENOMEM;
    }
    *state = c;
    return 0;
}

int tui_choice_open(struct tui_app *app, const struct tui_choice_request *req)
{
    return tui_app_push(app, &tui_screen_choice, (const char *)(const void *)req);
}

static void choose(struct tui_app *app, struct choice *c, size_t index)
{
    void (*done)(struct tui_app *, size_t, void *) = c->on_choose;
    void *payload = c->payload;
    tui_app_pop(app); /* frees c */
    if (done)
        done(app, index, payload);
}

static bool raw_key(struct tui_app *app, void *state, int key)
{
    struct choice *c = state;
    if (key >= '1' && key <= '9' && (size_t)(key - '1') < c->count) {
        choose(app, c, (size_t)(key - '1'));
        return true;
    }
    switch (tui_keymap_lookup(&keys, key)) {
    case TUI_ACT_OPEN: choose(app, c, c->selected); return true;
    case TUI_ACT_BACK:
        tui_app_log(app, TUI_LOG_INFO, "cancelled: %s", c->title);
        tui_app_pop(app);
        return true;
    case TUI_ACT_UP:
        if (c->selected > 0)
            c->selected--;
        return true;
    case TUI_ACT_DOWN:
        if (c->selected + 1 < c->count)
            c->selected++;
        return true;
    default: return key != TUI_KEY_RESIZE; /* modal: other keys do nothing */
    }
}

static void draw(struct tui_app *app, void *state, struct tui_rect screen)
{
    struct choice *c = state;
    int extra_y;
    int ix;
    int iw;
    tui_dialog_draw(screen.w, screen.h, DIALOG_WIDTH, c->title, c->body, (int)c->count + 1,
                    &extra_y, &ix, &iw);
    for (size_t i = 0; i < c->count; i++) {
        char line[512];
        bool is_sel = i == c->selected;
        snprintf(line, sizeof line, "%s %zu  %s", is_sel ? tui_term_glyph(GLYPH_POINTER) : " ",
                 i + 1, c->options[i]);
        int y = extra_y + (int)i;
        tui_term_text_pad(y, ix, iw, is_sel ? ROLE_SELECTION : ROLE_DIALOG, line);
        if (is_sel)
            tui_app_cursor(app, y, ix);
    }
}

const struct tui_screen_ops tui_screen_choice = {
    .name = "choice",
    .summary = "a choice",
    .is_overlay = true,
    .is_modal = true,
    .keys = &keys,
    .default_keys = default_keys,
    .default_key_count = sizeof default_keys / sizeof default_keys[0],
    .open = open_screen,
    .close = close_screen,
    .raw_key = raw_key,
    .draw = draw,
};
