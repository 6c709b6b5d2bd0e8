/* keys.c - key tables: lookup, rebinding from config, and key names for footer and help.
 * Pure (no curses); the tables themselves live with their screens and in app.c (global). */
#include "keys.h"

#include <stdio.h>
#include <string.h>

#include "lakerewind/str.h"

static const char *const action_names[TUI_ACT_COUNT] = {
    [TUI_ACT_NONE] = "none",
    [TUI_ACT_QUIT] = "quit",
    [TUI_ACT_BACK] = "back",
    [TUI_ACT_COMMAND] = "command",
    [TUI_ACT_FILTER] = "filter",
    [TUI_ACT_OPEN] = "open",
    [TUI_ACT_TOGGLE] = "toggle",
    [TUI_ACT_DETAIL] = "detail",
    [TUI_ACT_RESTORE] = "restore",
    [TUI_ACT_UNDO] = "undo",
    [TUI_ACT_HELP] = "help",
    [TUI_ACT_LOG] = "log",
    [TUI_ACT_CHECKPOINTS] = "checkpoints",
    [TUI_ACT_SORT] = "sort",
    [TUI_ACT_SORT_REVERSE] = "sort-reverse",
    [TUI_ACT_REDRAW] = "redraw",
    [TUI_ACT_UP] = "up",
    [TUI_ACT_DOWN] = "down",
    [TUI_ACT_PAGE_UP] = "page-up",
    [TUI_ACT_PAGE_DOWN] = "page-down",
    [TUI_ACT_HOME] = "home",
    [TUI_ACT_END] = "end",
    [TUI_ACT_GUIDE] = "guide",
};

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    {"Enter", TUI_KEY_ENTER},   {"Esc", TUI_KEY_ESC},       {"Space", TUI_KEY_SPACE},
    {"Tab", TUI_KEY_TAB},       {"S-Tab", TUI_KEY_BTAB},    {"Backspace", TUI_KEY_BACKSPACE},
    {"Delete", TUI_KEY_DELETE}, {"Up", TUI_KEY_UP},         {"Down", TUI_KEY_DOWN},
    {"Left", TUI_KEY_LEFT},     {"Right", TUI_KEY_RIGHT},   {"PgUp", TUI_KEY_PGUP},
    {"PgDn", TUI_KEY_PGDN},     {"Home", TUI_KEY_HOME},     {"End", TUI_KEY_END},
};

const char *tui_action_name(enum tui_action a)
{
    if ((int)a < 0 || a >= TUI_ACT_COUNT)
        return "none";
    return action_names[a];
}

void tui_keymap_init(struct tui_keymap *map, const char *name,
                     const struct tui_key_binding *defaults, size_t n)
{
    memset(map, 0, sizeof *map);
    map->name = name;
    if (n > TUI_KEYMAP_MAX)
        n = TUI_KEYMAP_MAX;
    if (n)
        memcpy(map->items, defaults, n * sizeof *defaults);
    map->count = n;
}

enum tui_action tui_keymap_lookup(const struct tui_keymap *map, int key)
{
    for (size_t i = 0; i < map->count; i++)
        if (map->items[i].key == key)
            return map->items[i].action;
    return TUI_ACT_NONE;
}

const struct tui_key_binding *tui_keymap_find(const struct tui_keymap *map, enum tui_action a)
{
    for (size_t i = 0; i < map->count; i++)
        if (map->items[i].action == a)
            return &map->items[i];
    return NULL;
}

/* Decode one UTF-8 character making up the whole of `s`. */
static bool single_char(const char *s, int *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    if (n == 1 && p[0] > 0x20 && p[0] < 0x7f) {
        *out = p[0];
        return true;
    }
    int cp;
    size_t len;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        cp = p[0] & 0x1F;
        len = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        cp = p[0] & 0x0F;
        len = 3;
    } else {
        return false;
    }
    if (n != len)
        return false;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return false;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *out = cp;
    return cp >= 0xA0;
}

bool tui_key_parse(const char *spec, int *out)
{
    if (!spec || !spec[0])
        return false;
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++) {
        if (!strcmp(spec, named_keys[i].name)) {
            *out = named_keys[i].key;
            return true;
        }
    }
    if ((spec[0] == 'C' && spec[1] == '-') && spec[2] >= 'a' && spec[2] <= 'z' && !spec[3]) {
        *out = TUI_KEY_CTRL(spec[2]);
        return true;
    }
    if (spec[0] == 'F' && spec[1]) {
        int64_t n;
        if (lr_parse_int64(spec + 1, &n) && n >= 1 && n <= 12) {
            *out = TUI_KEY_F1 + (int)n - 1;
            return true;
        }
    }
    return single_char(spec, out);
}

char *tui_key_name(int key, char *out, size_t cap)
{
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++) {
        if (named_keys[i].key == key) {
            snprintf(out, cap, "%s", named_keys[i].name);
            return out;
        }
    }
    if (key >= TUI_KEY_F1 && key <= TUI_KEY_F12)
        snprintf(out, cap, "F%d", key - TUI_KEY_F1 + 1);
    else if (key >= 1 && key <= 26)
        snprintf(out, cap, "C-%c", 'a' + key - 1);
    else if (key > 0x20 && key < 0x7f)
        snprintf(out, cap, "%c", key);
    else if (key >= 0xA0 && key < 0x800)
        snprintf(out, cap, "%c%c", 0xC0 | (key >> 6), 0x80 | (key & 0x3F));
    else if (key >= 0x800 && key < 0x10000)
        snprintf(out, cap, "%c%c%c", 0xE0 | (key >> 12), 0x80 | ((key >> 6) & 0x3F),
                 0x80 | (key & 0x3F));
    else
        snprintf(out, cap, "key-%d", key);
    return out;
}

int tui_keymap_bind(struct tui_keymap *map, const char *action_name, const char *key_spec,
                    struct lr_error *err)
{
    int action = -1;
    for (int i = 1; i < TUI_ACT_COUNT; i++)
        if (!strcmp(action_names[i], action_name))
            action = i;
    if (action < 0)
        return lr_error_set(err, LR_EINVAL,
                            "ui.keys: unknown action '%s' (actions: command, filter, open, "
                            "toggle, detail, restore, undo, help, back, quit, log, sort, ...)",
                            action_name);
    int key;
    if (!tui_key_parse(key_spec, &key))
        return lr_error_set(err, LR_EINVAL,
                            "ui.keys.%s: unknown key '%s' (use a character, Enter, Esc, "
                            "Space, Tab, Up, Down, PgUp, PgDn, Home, End, F1-F12 or C-x)",
                            action_name, key_spec);
    enum tui_action other = tui_keymap_lookup(map, key);
    if (other != TUI_ACT_NONE && other != (enum tui_action)action)
        return lr_error_set(err, LR_EINVAL,
                            "ui.keys.%s: key '%s' is already bound to '%s' (%s keys)",
                            action_name, key_spec, tui_action_name(other), map->name);
    bool found = false;
    for (size_t i = 0; i < map->count; i++) {
        if (map->items[i].action == (enum tui_action)action) {
            map->items[i].key = key;
            found = true;
        }
    }
    if (!found)
        return lr_error_set(err, LR_EINVAL, "ui.keys.%s: the %s keys have no such action",
                            action_name, map->name);
    return 0;
}
