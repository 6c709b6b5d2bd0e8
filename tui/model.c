/* model.c - building the display rows from core/ results (sanitising every lake string). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "lakerewind/error.h"
#include "sanitize.h"

static void free_rows(struct tui_lakehouse_view *v)
{
    for (size_t i = 0; i < v->count; i++) {
        free(v->rows[i].name);
        free(v->rows[i].path);
        free(v->rows[i].last_operation);
    }
    free(v->rows);
    v->rows = NULL;
    v->count = 0;
}

int tui_view_set_tables(struct tui_lakehouse_view *v, const struct lr_table_list *list)
{
    free_rows(v);
    if (list->count == 0) {
        v->state = TUI_LOAD_DONE;
        return 0;
    }
    v->rows = calloc(list->count, sizeof *v->rows);
    if (!v->rows)
        return LR_ENOMEM;
    for (size_t i = 0; i < list->count; i++) {
        struct tui_table_row *r = &v->rows[v->count];
        r->name = tui_sanitize_str(list->items[i].name, false);
        r->path = tui_sanitize_str(list->items[i].prefix, false);
        v->count++;
        if (!r->name || !r->path) {
            free_rows(v);
            return LR_ENOMEM;
        }
    }
    v->state = TUI_LOAD_DONE;
    return 0;
}

void tui_view_set_error(struct tui_lakehouse_view *v, const char *message)
{
    free(v->error);
    v->error = tui_sanitize_str(message, false);
    v->state = TUI_LOAD_FAILED;
}

void tui_view_free(struct tui_lakehouse_view *v)
{
    free_rows(v);
    free(v->uri);
    free(v->error);
    memset(v, 0, sizeof *v);
}
