/* confirm.c - the typed confirmation dialog: it states what will happen and accepts only the
 * exact phrase. A wrong phrase is refused with the reason and nothing happens; Esc cancels.
 * Used by the switch to LIVE mode now and by restore and undo (the workflow's phrase) next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "lakerewind/str.h"

#define DIALOG_WIDTH 72

static const struct tui_key_binding default_keys[] = {
    {TUI_KEY_ENTER, TUI_ACT_OPEN, "confirm", false},
    {TUI_KEY_ESC, TUI_ACT_BACK, "cancel", false},
};

static struct tui_keymap keys;

struct confirm {
    char *title;
    char *body;
    char *phrase;
    void (*on_confirm)(struct tui_app *app, void *payload);
    void *payload;
    bool (*check)(void *payload, const char *typed, char *why, size_t cap);
    int width;
    struct tui_line line;
    char refusal[TUI_LINE_MAX + 128];
};

static void close_screen(void *state)
{
    struct confirm *c = state;
    if (!c)
        return;
    free(c->title);
    free(c->body);
    free(c->phrase);
    free(c);
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)app;
    const struct tui_confirm_request *req = (const struct tui_confirm_request *)(const void *)arg;
    struct confirm *c = calloc(1, sizeof *c);
    if (!c)
        return LR_ENOMEM;
    c->title = lr_strdup(req->title);
    c->body = lr_strdup(req->body);
    c->phrase = lr_strdup(req->phrase);
    c->on_confirm = req->on_confirm;
    c->payload = req->payload;
    c->check = req->check;
    c->width = req->width > 0 ? req->width : DIALOG_WIDTH;
    if (!c->title || !c->body || !c->phrase) {
        close_screen(c);
        return LR_ENOMEM;
    }
    *state = c;
    return 0;
}

int tui_confirm_open(struct tui_app *app, const struct tui_confirm_request *req)
{
    /* The request travels through the generic `arg`; open_screen copies what it keeps. */
    return tui_app_push(app, &tui_screen_confirm, (const char *)(const void *)req);
}

static void submit(struct tui_app *app, struct confirm *c)
{
    char why[512];
    if (c->check && !c->check(c->payload, c->line.text, why, sizeof why)) {
        char *clean = tui_sanitize_str(why, false);
        snprintf(c->refusal, sizeof c->refusal, "Refused: %s", clean ? clean : "?");
        free(clean);
        tui_line_clear(&c->line);
        tui_app_log(app, TUI_LOG_WARN, "confirmation refused: %s", why);
        return;
    }
    if (!c->check && strcmp(c->line.text, c->phrase) != 0) {
        char *typed = tui_sanitize_str(c->line.text, false);
        if (!c->line.text[0])
            snprintf(c->refusal, sizeof c->refusal, "Refused: nothing typed. Type %s exactly.",
                     c->phrase);
        else
            snprintf(c->refusal, sizeof c->refusal,
                     "Refused: '%s' is not '%s' (exact text, case matters).",
                     typed ? typed : "?", c->phrase);
        free(typed);
        tui_line_clear(&c->line);
        tui_app_log(app, TUI_LOG_WARN, "confirmation refused: the phrase did not match");
        return;
    }
    void (*done)(struct tui_app *, void *) = c->on_confirm;
    void *payload = c->payload;
    tui_app_pop(app); /* frees c */
    if (done)
        done(app, payload);
}

static bool raw_key(struct tui_app *app, void *state, int key)
{
    struct confirm *c = state;
    switch (tui_keymap_lookup(&keys, key)) {
    case TUI_ACT_OPEN: submit(app, c); return true;
    case TUI_ACT_BACK:
        tui_app_log(app, TUI_LOG_INFO, "cancelled: %s", c->title);
        tui_app_pop(app);
        return true;
    default: break;
    }
    if (key == TUI_KEY_RESIZE)
        return false;
    tui_line_key(&c->line, key);
    return true;
}

static void draw(struct tui_app *app, void *state, struct tui_rect screen)
{
    (void)app;
    struct confirm *c = state;
    int extra_y;
    int ix;
    int iw;
    int extra = c->check ? 5 : 3; /* the workflow's refusals take up to three lines */
    tui_dialog_draw(screen.w, screen.h, c->width, c->title, c->body, extra, &extra_y, &ix, &iw);
    char label[TUI_LINE_MAX + 32];
    /* A long phrase (the workflow's) is in the body; the prompt then just says "Phrase:". */
    if (strlen(c->phrase) + 6 > (size_t)iw / 2)
        snprintf(label, sizeof label, "Phrase:");
    else
        snprintf(label, sizeof label, "Type %s:", c->phrase);
    int lw = tui_term_text(extra_y, ix, iw, ROLE_TITLE, label) + 1;
    tui_term_fill(extra_y, ix + lw, iw - lw, ROLE_SELECTION);
    tui_term_text(extra_y, ix + lw, iw - lw - 1, ROLE_SELECTION, c->line.text);
    if (c->refusal[0]) {
        /* Up to three lines: the workflow's reasons name what to type instead. */
        const char *p = c->refusal;
        for (int row = 1; row <= (c->check ? 3 : 1) && *p; row++) {
            size_t skip = 0;
            size_t n = tui_wrap_next(p, iw, &skip);
            if (n == 0 && skip == 0)
                break;
            char part[TUI_LINE_MAX + 128];
            snprintf(part, sizeof part, "%.*s", (int)n, p);
            tui_term_text(extra_y + row, ix, iw, ROLE_ERROR, part);
            p += n + skip;
        }
    }
    int col = tui_line_cursor_col(&c->line);
    tui_app_cursor(app, extra_y, ix + lw + (col < iw - lw - 1 ? col : iw - lw - 1));
}

const struct tui_screen_ops tui_screen_confirm = {
    .name = "confirm",
    .summary = "typed confirmation",
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
