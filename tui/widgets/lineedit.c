/* lineedit.c - editing a bounded UTF-8 line with a cursor; no terminal. */
#include "lineedit.h"

#include <string.h>

#include "../keys.h"
#include "../sanitize.h"

void tui_line_clear(struct tui_line *l)
{
    l->text[0] = '\0';
    l->len = 0;
    l->cursor = 0;
}

void tui_line_set(struct tui_line *l, const char *s)
{
    tui_line_clear(l);
    size_t n = strlen(s);
    if (n >= TUI_LINE_MAX) {
        n = TUI_LINE_MAX - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* never cut inside a UTF-8 sequence */
    }
    memcpy(l->text, s, n);
    l->text[n] = '\0';
    l->len = n;
    l->cursor = n;
}

static size_t encode(int cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static size_t prev_boundary(const struct tui_line *l, size_t at)
{
    if (at == 0)
        return 0;
    at--;
    while (at > 0 && ((unsigned char)l->text[at] & 0xC0) == 0x80)
        at--;
    return at;
}

static size_t next_boundary(const struct tui_line *l, size_t at)
{
    if (at >= l->len)
        return l->len;
    at++;
    while (at < l->len && ((unsigned char)l->text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

static void delete_range(struct tui_line *l, size_t from, size_t to)
{
    memmove(l->text + from, l->text + to, l->len - to + 1);
    l->len -= to - from;
    l->cursor = from;
}

enum tui_line_result tui_line_key(struct tui_line *l, int key)
{
    switch (key) {
    case TUI_KEY_ENTER: return TUI_LINE_SUBMIT;
    case TUI_KEY_ESC: return TUI_LINE_CANCEL;
    case TUI_KEY_BACKSPACE:
    case TUI_KEY_CTRL('h'):
        if (l->cursor > 0)
            delete_range(l, prev_boundary(l, l->cursor), l->cursor);
        return TUI_LINE_EDITING;
    case TUI_KEY_DELETE:
    case TUI_KEY_CTRL('d'):
        if (l->cursor < l->len)
            delete_range(l, l->cursor, next_boundary(l, l->cursor));
        return TUI_LINE_EDITING;
    case TUI_KEY_LEFT:
    case TUI_KEY_CTRL('b'): l->cursor = prev_boundary(l, l->cursor); return TUI_LINE_EDITING;
    case TUI_KEY_RIGHT:
    case TUI_KEY_CTRL('f'): l->cursor = next_boundary(l, l->cursor); return TUI_LINE_EDITING;
    case TUI_KEY_HOME:
    case TUI_KEY_CTRL('a'): l->cursor = 0; return TUI_LINE_EDITING;
    case TUI_KEY_END:
    case TUI_KEY_CTRL('e'): l->cursor = l->len; return TUI_LINE_EDITING;
    case TUI_KEY_CTRL('u'): delete_range(l, 0, l->cursor); return TUI_LINE_EDITING;
    case TUI_KEY_CTRL('w'): {
        size_t from = l->cursor;
        while (from > 0 && l->text[from - 1] == ' ')
            from--;
        while (from > 0 && l->text[from - 1] != ' ')
            from--;
        delete_range(l, from, l->cursor);
        return TUI_LINE_EDITING;
    }
    default: break;
    }
    if (key < 0x20 || key == 0x7F || (key >= 0x80 && key < 0xA0) || key >= TUI_KEY_SPECIAL)
        return TUI_LINE_EDITING; /* control and function keys do not insert */
    if (key >= 0xD800 && key <= 0xDFFF)
        return TUI_LINE_EDITING;
    char enc[4];
    size_t n = encode(key, enc);
    if (l->len + n >= TUI_LINE_MAX)
        return TUI_LINE_EDITING;
    memmove(l->text + l->cursor + n, l->text + l->cursor, l->len - l->cursor + 1);
    memcpy(l->text + l->cursor, enc, n);
    l->len += n;
    l->cursor += n;
    return TUI_LINE_EDITING;
}

int tui_line_cursor_col(const struct tui_line *l)
{
    char head[TUI_LINE_MAX];
    memcpy(head, l->text, l->cursor);
    head[l->cursor] = '\0';
    return tui_text_width(head);
}
