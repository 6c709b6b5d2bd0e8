/* model.h - what the console knows about the lakehouse, as display-ready rows. Filled from
 * core/ results by app.c on the UI thread; screens only read it.
 *
 * A fact not known yet has its has_* flag false and is drawn as a loading mark, never as a
 * made-up value. Discovery gives name and path first; a worker then reads each table's latest
 * snapshot and last commit, and at the end core's checkpoint health (checkpoint_health.h),
 * from which each table's retention column is derived (loader.c, model.c). */
#ifndef TUI_MODEL_H
#define TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lakerewind/lakehouse.h"

enum tui_load_state { TUI_LOAD_PENDING, TUI_LOAD_DONE, TUI_LOAD_FAILED };

enum tui_health {
    TUI_HEALTH_UNKNOWN,  /* not known yet */
    TUI_HEALTH_NONE,     /* no active checkpoint covers the table */
    TUI_HEALTH_OK,       /* no due retention warning for any active checkpoint's version */
    TUI_HEALTH_WARN,     /* a version leaves log retention soon or already, or may be vacuumed */
    TUI_HEALTH_BAD,      /* a version can no longer be reconstructed (log or files gone) */
};

/* What a worker learnt about one table (raw strings; model.c sanitises them). */
struct tui_table_facts {
    bool has_version;
    int64_t version;
    bool has_last_write;
    time_t last_write;
    char *last_operation; /* owned */
    bool has_rows;
    int64_t rows;
    bool has_size;
    uint64_t size_bytes;
    int64_t num_files;
    enum tui_health retention;
    int64_t retention_days_left; /* for TUI_HEALTH_OK/WARN when the log expiry is known; -1 */
    char *retention_note;        /* owned: the why of the health, NULL when none */
    char *error;                 /* owned: why facts are missing, NULL when none */
};
void tui_table_facts_free(struct tui_table_facts *f);

struct tui_table_row {
    char *name;   /* sanitised, for display */
    char *key;    /* the raw name, only for core/ calls (history); never drawn */
    char *path;   /* sanitised key prefix: "Tables/account" */
    bool has_facts; /* the worker reported (possibly with an error) */
    char *error;    /* sanitised, when facts could not be read */
    int64_t num_files;
    int64_t retention_days_left;
    char *retention_note; /* sanitised */
    bool has_version;
    int64_t version;
    bool has_last_write;
    time_t last_write;
    char *last_operation; /* sanitised; NULL until known */
    bool has_rows;
    int64_t rows;
    bool has_size;
    uint64_t size_bytes;
    enum tui_health retention; /* worst retention warning of the active checkpoints */
    bool is_vacuum_risk;       /* WARN comes from file retention (else from log retention) */
};

/* One named checkpoint, display-ready (strings sanitised). */
struct tui_checkpoint_row {
    char *name;
    char *type;        /* Daily, PrePurge, PreDeployment, Manual, PostRollback */
    char *created_by;
    char *validation;  /* Pending, Validated, Failed */
    int64_t created_ms;
    int64_t expiry_ms; /* -1 none */
    bool is_active;
    size_t table_count;
    /* core's retention health (checkpoint_health.h), once checked: */
    bool is_checked;
    size_t warning_count;
    size_t due_count;     /* warnings due now or within the warning window */
    bool is_unusable;     /* a table can no longer be rolled back to it (files gone, log gone) */
    char *first_warning;  /* sanitised: the first due (else first) warning, NULL when none */
    char **health_lines;  /* sanitised: per warning "! message", "fix: ...", the alternative */
    size_t health_line_count;
};

struct tui_lakehouse_view {
    char *uri;              /* sanitised lakehouse URI */
    enum tui_load_state state;
    char *error;            /* sanitised, when state is TUI_LOAD_FAILED */
    struct tui_table_row *rows;
    size_t count;
    double load_ms;         /* to the table list */
    bool facts_done;        /* every table's facts arrived */
    double facts_ms;
    enum tui_load_state checkpoints_state;
    char *checkpoints_error; /* sanitised, when TUI_LOAD_FAILED */
    struct tui_checkpoint_row *checkpoints; /* newest first */
    size_t checkpoint_count;
    bool health_done;       /* tui_view_set_health has run */
};

struct lr_checkpoint_list;
/* Replace the checkpoint rows (strings sanitised). 0 or LR_ENOMEM. */
int tui_view_set_checkpoints(struct tui_lakehouse_view *v, const struct lr_checkpoint_list *l);
void tui_view_set_checkpoints_error(struct tui_lakehouse_view *v, const char *message);
/* Apply core's checkpoint health: `warnings` parallel to `cps` (NULL: could not be checked).
 * Each checkpoint row with the same name gets its warnings; each table row gets its retention
 * health from the warnings of the active checkpoints that hold it (none: TUI_HEALTH_NONE).
 * 0 or LR_ENOMEM. */
struct lr_cp_warnings;
int tui_view_set_health(struct tui_lakehouse_view *v, const struct lr_checkpoint_list *cps,
                        const struct lr_cp_warnings *warnings, int64_t now_ms);

/* Fill row `index` from a worker's facts (strings sanitised). 0, LR_ERANGE or LR_ENOMEM. */
int tui_view_set_facts(struct tui_lakehouse_view *v, size_t index,
                       const struct tui_table_facts *f);

/* Replace the rows with one per discovered table (names and paths sanitised). 0 or
 * LR_ENOMEM. */
int tui_view_set_tables(struct tui_lakehouse_view *v, const struct lr_table_list *list);
void tui_view_set_error(struct tui_lakehouse_view *v, const char *message);

/* The raw name (row key) of the table called `name` (its display name or its raw name,
 * exactly), or NULL. Borrowed from the view. */
const char *tui_view_find_table(const struct tui_lakehouse_view *v, const char *name);
void tui_view_free(struct tui_lakehouse_view *v);

#endif
