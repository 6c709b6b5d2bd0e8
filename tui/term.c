/* term.c - the only file that includes curses. Owns: terminal setup and teardown, colour pairs
 * built from the theme's roles (reduced to 256/16/8 colours, none under NO_COLOR), glyphs with
 * an ASCII fallback, key translation, the SIGWINCH wake-up and the cursor on the selected row.
 * It does not decide layout or content; widgets and screens do. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#define NCURSES_WIDECHAR 1
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "sanitize.h"

static struct {
    bool is_active;
    bool is_ascii;
    int colors; /* 0, 8, 16 or 256 */
    bool no_color;
    struct tui_theme theme;
    struct tui_theme mono;
    attr_t role_attr[ROLE_COUNT];
    int cursor_y;
    int cursor_x;
    struct sigaction old_winch;
    SCREEN *screen;
} T;

static volatile sig_atomic_t wake_fd_sig = -1;

static const char *const glyph_utf8[GLYPH_COUNT] = {
    [GLYPH_HLINE] = "\u2500",     [GLYPH_VLINE] = "\u2502",     [GLYPH_TL] = "\u250c",
    [GLYPH_TR] = "\u2510",        [GLYPH_BL] = "\u2514",        [GLYPH_BR] = "\u2518",
    [GLYPH_SEP] = "\u2502",       [GLYPH_ELLIPSIS] = "\u2026",  [GLYPH_ARROW_UP] = "\u25b2",
    [GLYPH_ARROW_DOWN] = "\u25bc", [GLYPH_BAR_FULL] = "\u2588", [GLYPH_BAR_EMPTY] = "\u2591",
    [GLYPH_POINTER] = "\u25b6",
};

static const char *const glyph_ascii[GLYPH_COUNT] = {
    [GLYPH_HLINE] = "-",      [GLYPH_VLINE] = "|",      [GLYPH_TL] = "+",
    [GLYPH_TR] = "+",         [GLYPH_BL] = "+",         [GLYPH_BR] = "+",
    [GLYPH_SEP] = "|",        [GLYPH_ELLIPSIS] = "...", [GLYPH_ARROW_UP] = "^",
    [GLYPH_ARROW_DOWN] = "v", [GLYPH_BAR_FULL] = "#",   [GLYPH_BAR_EMPTY] = ".",
    [GLYPH_POINTER] = ">",
};

const char *tui_term_glyph(enum tui_glyph g)
{
    if ((int)g < 0 || g >= GLYPH_COUNT)
        return "?";
    return T.is_ascii ? glyph_ascii[g] : glyph_utf8[g];
}

static attr_t to_curses_attrs(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & TUI_ATTR_BOLD)
        r |= A_BOLD;
    if (a & TUI_ATTR_DIM)
        r |= A_DIM;
    if (a & TUI_ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & TUI_ATTR_REVERSE)
        r |= A_REVERSE;
    if (a & TUI_ATTR_ITALIC)
        r |= A_ITALIC;
    if (a & TUI_ATTR_STANDOUT)
        r |= A_STANDOUT;
    return r;
}

static void build_pairs(void)
{
    /* Without colour, a theme that tells roles apart by colour alone would lose the selection
     * and the banners, so roles take the monochrome theme's attributes instead. */
    const struct tui_theme *t = T.colors ? &T.theme : &T.mono;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct tui_style *s = &t->roles[r];
        attr_t a = to_curses_attrs(s->attrs);
        if (T.colors) {
            short fg = tui_color_reduce(s->fg, T.colors);
            short bg = tui_color_reduce(s->bg, T.colors);
            init_pair((short)(r + 1), fg, bg);
            a |= COLOR_PAIR(r + 1);
        }
        T.role_attr[r] = a;
    }
}

static void on_winch(int sig)
{
    int saved = errno;
    if (wake_fd_sig >= 0) {
        ssize_t n = write(wake_fd_sig, "w", 1);
        (void)n;
    }
    if (T.old_winch.sa_flags & SA_SIGINFO) {
        if (T.old_winch.sa_sigaction)
            T.old_winch.sa_sigaction(sig, NULL, NULL);
    } else if (T.old_winch.sa_handler != SIG_DFL && T.old_winch.sa_handler != SIG_IGN) {
        T.old_winch.sa_handler(sig);
    }
    errno = saved;
}

int tui_term_init(const struct tui_term_options *o, int wake_fd, struct lr_error *err)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    T.is_ascii = o->ascii || !cs || strcmp(cs, "UTF-8") != 0;
    T.no_color = o->no_color;
    T.theme = *o->theme;
    tui_theme_monochrome(&T.mono);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return lr_error_set(err, LR_EIO,
                            "the console needs a terminal (use a subcommand for scripts; see "
                            "lakerewind --help)");
    T.screen = newterm(NULL, stdout, stdin);
    if (!T.screen)
        return lr_error_set(err, LR_EIO, "cannot set up terminal type '%s' (check TERM)",
                            getenv("TERM") ? getenv("TERM") : "");
    T.is_active = true;
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    if (o->mouse) {
        /* Presses only, reported at once: double clicks are told apart by the app, so no
         * event waits for a possible second click. */
        mouseinterval(0);
        mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    }
    T.colors = 0;
    if (!T.no_color && has_colors() && start_color() == OK) {
        use_default_colors();
        T.colors = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : COLORS >= 8 ? 8 : 0;
    }
    build_pairs();
    curs_set(1);
    T.cursor_y = T.cursor_x = 0;
    wake_fd_sig = wake_fd;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, &T.old_winch);
    return 0;
}

void tui_term_end(void)
{
    if (!T.is_active)
        return;
    sigaction(SIGWINCH, &T.old_winch, NULL);
    wake_fd_sig = -1;
    endwin();
    delscreen(T.screen);
    T.screen = NULL;
    T.is_active = false;
}

void tui_term_set_theme(const struct tui_theme *t)
{
    T.theme = *t;
    if (T.is_active)
        build_pairs();
}

bool tui_term_is_ascii(void)
{
    return T.is_ascii;
}

int tui_term_colors(void)
{
    return T.colors;
}

void tui_term_size(int *w, int *h)
{
    int rows;
    int cols;
    getmaxyx(stdscr, rows, cols);
    *w = cols;
    *h = rows;
}

void tui_term_erase(void)
{
    attrset(T.role_attr[ROLE_NORMAL]);
    bkgdset(' ' | T.role_attr[ROLE_NORMAL]);
    erase();
}

void tui_term_fill(int y, int x, int w, enum tui_role role)
{
    int cols;
    int rows;
    tui_term_size(&cols, &rows);
    if (y < 0 || y >= rows || x >= cols)
        return;
    if (x + w > cols)
        w = cols - x;
    if (w <= 0)
        return;
    attrset(T.role_attr[role]);
    mvhline(y, x, ' ', w);
}

int tui_term_text(int y, int x, int maxw, enum tui_role role, const char *s)
{
    int cols;
    int rows;
    tui_term_size(&cols, &rows);
    if (y < 0 || y >= rows || x < 0 || x >= cols)
        return 0;
    if (maxw > cols - x)
        maxw = cols - x;
    if (maxw <= 0)
        return 0;
    char buf[2048];
    char *ascii = T.is_ascii ? tui_sanitize_str(s, true) : NULL;
    int used = tui_text_fit(buf, sizeof buf, ascii ? ascii : s, maxw, T.is_ascii);
    free(ascii);
    attrset(T.role_attr[role]);
    mvaddstr(y, x, buf);
    return used;
}

void tui_term_text_pad(int y, int x, int w, enum tui_role role, const char *s)
{
    int used = tui_term_text(y, x, w, role, s);
    if (used < w)
        tui_term_fill(y, x + used, w - used, role);
}

void tui_term_hline(int y, int x, int w, enum tui_role role)
{
    int cols;
    int rows;
    tui_term_size(&cols, &rows);
    if (y < 0 || y >= rows)
        return;
    attrset(T.role_attr[role]);
    const char *g = tui_term_glyph(GLYPH_HLINE);
    for (int i = 0; i < w && x + i < cols; i++)
        if (x + i >= 0)
            mvaddstr(y, x + i, g);
}

void tui_term_box(int y, int x, int h, int w, enum tui_role role)
{
    if (h < 2 || w < 2)
        return;
    tui_term_hline(y, x + 1, w - 2, role);
    tui_term_hline(y + h - 1, x + 1, w - 2, role);
    attrset(T.role_attr[role]);
    for (int i = 1; i < h - 1; i++) {
        mvaddstr(y + i, x, tui_term_glyph(GLYPH_VLINE));
        mvaddstr(y + i, x + w - 1, tui_term_glyph(GLYPH_VLINE));
    }
    mvaddstr(y, x, tui_term_glyph(GLYPH_TL));
    mvaddstr(y, x + w - 1, tui_term_glyph(GLYPH_TR));
    mvaddstr(y + h - 1, x, tui_term_glyph(GLYPH_BL));
    mvaddstr(y + h - 1, x + w - 1, tui_term_glyph(GLYPH_BR));
}

void tui_term_cursor(int y, int x)
{
    T.cursor_y = y;
    T.cursor_x = x;
}

void tui_term_flush(void)
{
    int cols;
    int rows;
    tui_term_size(&cols, &rows);
    int y = T.cursor_y < rows ? T.cursor_y : rows - 1;
    int x = T.cursor_x < cols ? T.cursor_x : cols - 1;
    move(y < 0 ? 0 : y, x < 0 ? 0 : x);
    wnoutrefresh(stdscr);
    doupdate();
}

void tui_term_invalidate(void)
{
    clearok(curscr, TRUE);
}

int tui_term_input_fd(void)
{
    return STDIN_FILENO;
}

static int translate(int code)
{
    switch (code) {
    case KEY_UP: return TUI_KEY_UP;
    case KEY_DOWN: return TUI_KEY_DOWN;
    case KEY_LEFT: return TUI_KEY_LEFT;
    case KEY_RIGHT: return TUI_KEY_RIGHT;
    case KEY_PPAGE: return TUI_KEY_PGUP;
    case KEY_NPAGE: return TUI_KEY_PGDN;
    case KEY_HOME: return TUI_KEY_HOME;
    case KEY_END: return TUI_KEY_END;
    case KEY_DC: return TUI_KEY_DELETE;
    case KEY_BTAB: return TUI_KEY_BTAB;
    case KEY_BACKSPACE: return TUI_KEY_BACKSPACE;
    case KEY_ENTER: return TUI_KEY_ENTER;
    case KEY_RESIZE: return TUI_KEY_RESIZE;
    default: break;
    }
    if (code >= KEY_F(1) && code <= KEY_F(12))
        return TUI_KEY_F1 + (code - KEY_F(1));
    return -1;
}

/* Mouse events not handed out yet: reports that arrive together (a double click read in one
 * go) are queued by curses behind a single KEY_MOUSE, so each KEY_MOUSE drains them all. */
#define MOUSE_QUEUE 16
static struct tui_mouse mouse_queue[MOUSE_QUEUE];
static size_t mouse_head;
static size_t mouse_count;

struct tui_mouse tui_term_mouse(void)
{
    struct tui_mouse m = {0};
    if (mouse_count) {
        m = mouse_queue[mouse_head];
        mouse_head = (mouse_head + 1) % MOUSE_QUEUE;
        mouse_count--;
    }
    return m;
}

static void queue_mouse(const MEVENT *me)
{
    struct tui_mouse m = {.y = me->y, .x = me->x};
    if (me->bstate & BUTTON1_PRESSED)
        m.kind = TUI_MOUSE_PRESS;
    else if (me->bstate & BUTTON4_PRESSED)
        m.kind = TUI_MOUSE_WHEEL_UP;
    else if (me->bstate & BUTTON5_PRESSED)
        m.kind = TUI_MOUSE_WHEEL_DOWN;
    else
        return;
    if (mouse_count == MOUSE_QUEUE)
        return; /* a flood: the oldest events are enough */
    mouse_queue[(mouse_head + mouse_count) % MOUSE_QUEUE] = m;
    mouse_count++;
}

int tui_term_read_key(void)
{
    wint_t ch = 0;
    for (;;) {
        if (mouse_count)
            return TUI_KEY_MOUSE;
        int r = get_wch(&ch);
        if (r == ERR)
            return -1;
        if (r == KEY_CODE_YES && ch == KEY_MOUSE) {
            MEVENT me;
            while (getmouse(&me) == OK)
                queue_mouse(&me);
            continue;
        }
        if (r == KEY_CODE_YES) {
            int k = translate((int)ch);
            if (k < 0)
                continue; /* a key we do not use (mouse, unknown function key) */
            return k;
        }
        if (ch == '\r' || ch == '\n')
            return TUI_KEY_ENTER;
        if (ch == 8 || ch == 127)
            return TUI_KEY_BACKSPACE;
        return (int)ch;
    }
}
