/* console.c - the full-screen console's entry point.
 * For now: the lakehouse overview (tables found under Tables/), quit on q. The workflow screens
 * build on this loop. Curses is used only in tui/. */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lakerewind/lakehouse.h"
#include "lakerewind/store.h"

static void draw(const char *uri, const struct lr_table_list *tables, const char *problem)
{
    erase();
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    attron(A_REVERSE);
    mvhline(0, 0, ' ', cols);
    mvprintw(0, 1, "lakerewind  %.*s", cols > 14 ? cols - 14 : 0, uri);
    attroff(A_REVERSE);
    if (problem) {
        mvprintw(2, 2, "%.*s", cols - 4, problem);
    } else if (tables->count == 0) {
        mvprintw(2, 2, "No Delta tables under %s/Tables.", uri);
    } else {
        mvprintw(2, 2, "%zu table(s)", tables->count);
        for (size_t i = 0; i < tables->count && (int)i + 4 < rows - 1; i++)
            mvprintw((int)i + 4, 4, "%.*s", cols - 6, tables->items[i].name);
    }
    attron(A_REVERSE);
    mvhline(rows - 1, 0, ' ', cols);
    mvprintw(rows - 1, 1, "q quit");
    attroff(A_REVERSE);
    refresh();
}

int tui_console_main(const struct tui_global *g)
{
    const char *uri = g->lakehouse ? g->lakehouse : ".";
    struct lr_error err;
    struct lr_store *store = NULL;
    struct lr_table_list tables = {0};
    char problem[LR_ERROR_MAX + 64] = "";
    if (lr_store_open(&store, uri, NULL, &err) < 0 ||
        lr_lakehouse_discover(store, "Tables", &tables, &err) < 0)
        snprintf(problem, sizeof problem, "Cannot open the lakehouse: %s", err.message);
    setlocale(LC_ALL, "");
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    for (;;) {
        draw(uri, &tables, problem[0] ? problem : NULL);
        int ch = getch();
        if (ch == 'q' || ch == 'Q')
            break;
    }
    endwin();
    lr_table_list_free(&tables);
    lr_store_close(store);
    return problem[0] ? TUI_EXIT_ERROR : TUI_EXIT_OK;
}
