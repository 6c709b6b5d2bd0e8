/* keys.h - key tables: one per screen plus a global one. The same table dispatches keys and
 * generates the footer and the help overlay, so what the footer shows is what works.
 *
 * Keys are terminal-independent codes (term.c translates curses codes): a Unicode code point for
 * a printable key, 1-26 for Ctrl-A..Ctrl-Z, TUI_KEY_* for the rest. Pure: no curses here.
 *
 * Safety rule: no action that writes is ever bound to act directly. `restore` and `undo` only
 * open the typed-confirmation dialog; tui_keymap_bind() refuses to bind any action to a key that
 * another action in the same table already uses, so a config file cannot shadow Esc or q. */
#ifndef TUI_KEYS_H
#define TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "lakerewind/error.h"

enum {
    TUI_KEY_TAB = 9,
    TUI_KEY_ENTER = 13,
    TUI_KEY_ESC = 27,
    TUI_KEY_SPACE = 32,
    TUI_KEY_BACKSPACE = 127,
    TUI_KEY_SPECIAL = 0x110000, /* above every code point */
    TUI_KEY_UP,
    TUI_KEY_DOWN,
    TUI_KEY_LEFT,
    TUI_KEY_RIGHT,
    TUI_KEY_PGUP,
    TUI_KEY_PGDN,
    TUI_KEY_HOME,
    TUI_KEY_END,
    TUI_KEY_DELETE,
    TUI_KEY_BTAB, /* Shift-Tab */
    TUI_KEY_RESIZE,
    TUI_KEY_F1, /* F1..F12 follow */
    TUI_KEY_F12 = TUI_KEY_F1 + 11,
};

#define TUI_KEY_CTRL(c) ((c) & 0x1f)

enum tui_action {
    TUI_ACT_NONE,
    TUI_ACT_QUIT,       /* q: back, and quit from the top screen */
    TUI_ACT_BACK,       /* Esc: back or cancel */
    TUI_ACT_COMMAND,    /* : command prompt */
    TUI_ACT_FILTER,     /* / filter */
    TUI_ACT_OPEN,       /* Enter */
    TUI_ACT_TOGGLE,     /* Space: table in or out of scope */
    TUI_ACT_DETAIL,     /* Tab */
    TUI_ACT_RESTORE,    /* R: opens the confirmation dialog, never restores directly */
    TUI_ACT_UNDO,       /* u: opens the confirmation dialog, never undoes directly */
    TUI_ACT_HELP,       /* ? */
    TUI_ACT_LOG,        /* the log pane */
    TUI_ACT_CHECKPOINTS, /* the checkpoints screen */
    TUI_ACT_SORT,       /* next sort column */
    TUI_ACT_SORT_REVERSE,
    TUI_ACT_REDRAW,     /* Ctrl-L */
    TUI_ACT_UP,
    TUI_ACT_DOWN,
    TUI_ACT_PAGE_UP,
    TUI_ACT_PAGE_DOWN,
    TUI_ACT_HOME,
    TUI_ACT_END,
    TUI_ACT_GUIDE,      /* w: the guided walkthrough's panel on or off (forces dry-run mode) */
    TUI_ACT_COUNT
};

struct tui_key_binding {
    int key;
    enum tui_action action;
    const char *label; /* footer and help text ("open") */
    bool is_hidden;    /* in the help overlay but not the footer (movement keys) */
};

#define TUI_KEYMAP_MAX 32

struct tui_keymap {
    const char *name; /* "global", "overview", ... (also the config section: ui.keys.<name>) */
    struct tui_key_binding items[TUI_KEYMAP_MAX];
    size_t count;
};

/* Fill `map` from a default table of `n` bindings (n <= TUI_KEYMAP_MAX). */
void tui_keymap_init(struct tui_keymap *map, const char *name,
                     const struct tui_key_binding *defaults, size_t n);

/* The action bound to `key`, or TUI_ACT_NONE. */
enum tui_action tui_keymap_lookup(const struct tui_keymap *map, int key);

/* The first binding of `action` in `map`, or NULL. */
const struct tui_key_binding *tui_keymap_find(const struct tui_keymap *map, enum tui_action a);

/* The override hook for config ui.keys.<map>.<action>: KEY. Rebinds every binding of the
 * action named `action_name` ("filter") to the key spelt `key_spec` ("f", "C-f", "F3").
 * LR_EINVAL naming the action or key when unknown, or when the key is already bound to another
 * action in this map. */
int tui_keymap_bind(struct tui_keymap *map, const char *action_name, const char *key_spec,
                    struct lr_error *err);

/* "filter" for TUI_ACT_FILTER; static storage. */
const char *tui_action_name(enum tui_action a);

/* Parse a key spelling: a single character ("q", "?", "é"), "Enter", "Esc", "Space", "Tab",
 * "S-Tab", "Backspace", "Delete", "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
 * "F1".."F12", "C-x" (Ctrl). Returns false when it is none of these. */
bool tui_key_parse(const char *spec, int *out);

/* The display name of a key ("Enter", "Space", "q", "C-l", "F1") into `out`; returns `out`. */
char *tui_key_name(int key, char *out, size_t cap);

#endif
