/* model.h - what the console knows about the lakehouse, as display-ready rows. Filled from
 * core/ results by app.c on the UI thread; screens only read it.
 *
 * A fact not known yet has its has_* flag false and is drawn as a loading mark, never as a
 * made-up value. Today discovery gives name and path; version, last write, rows, size and
 * retention health are filled when the Delta snapshot and workflow APIs land (TODO(#7)). */
#ifndef TUI_MODEL_H
#define TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lakerewind/lakehouse.h"

enum tui_load_state { TUI_LOAD_PENDING, TUI_LOAD_DONE, TUI_LOAD_FAILED };

enum tui_health { TUI_HEALTH_UNKNOWN, TUI_HEALTH_OK, TUI_HEALTH_WARN, TUI_HEALTH_BAD };

struct tui_table_row {
    char *name;   /* sanitised, for display */
    char *path;   /* sanitised key prefix: "Tables/account" */
    bool has_version;
    int64_t version;
    bool has_last_write;
    time_t last_write;
    char *last_operation; /* sanitised; NULL until known */
    bool has_rows;
    int64_t rows;
    bool has_size;
    uint64_t size_bytes;
    enum tui_health retention; /* log and file retention vs the oldest active checkpoint */
};

struct tui_lakehouse_view {
    char *uri;              /* sanitised lakehouse URI */
    enum tui_load_state state;
    char *error;            /* sanitised, when state is TUI_LOAD_FAILED */
    struct tui_table_row *rows;
    size_t count;
    double load_ms;
};

/* Replace the rows with one per discovered table (names and paths sanitised). 0 or
 * LR_ENOMEM. */
int tui_view_set_tables(struct tui_lakehouse_view *v, const struct lr_table_list *list);
void tui_view_set_error(struct tui_lakehouse_view *v, const char *message);
void tui_view_free(struct tui_lakehouse_view *v);

#endif
