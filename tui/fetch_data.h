/* fetch_data.h - what the fetch worker (fetcher.h) reads for the runs and history screens, as
 * raw core/ results: screens sanitise every string before drawing it. Freed with
 * tui_fetch_result_free() (the event that carries a result owns it). */
#ifndef TUI_FETCH_DATA_H
#define TUI_FETCH_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "lakerewind/delta.h"
#include "lakerewind/journal.h"
#include "lakerewind/metadata.h"

enum tui_fetch_kind { TUI_FETCH_RUNS = 1, TUI_FETCH_HISTORY };

/* Past runs: every journal, newest first, and every SyncAuditLog row. */
struct tui_runs_data {
    struct lr_run_state *runs; /* owned (lr_run_state_free each) */
    size_t count;
    struct lr_audit_steps audit; /* owned: every SyncAuditLog row, oldest first */
    char *audit_error;         /* owned: why the audit log could not be read, or NULL */
};

/* One checkpoint that keeps a version of the table. */
struct tui_cp_mark {
    char *name;    /* owned, raw */
    int64_t version;
};

/* One page of a table's commit history, with the row count of each version on the page. */
struct tui_history_data {
    char *table;                  /* owned, raw: the table asked for */
    struct lr_delta_history page; /* newest first; page.next_before for the next page */
    struct lr_delta_commit_facts *facts; /* owned: facts[i] for page.entries[i] */
    int64_t *rows;                /* owned: rows[i] for page.entries[i]; -1 unknown */
    char *rows_error;             /* owned: why row counts are missing, or NULL */
    struct tui_cp_mark *marks;    /* owned: checkpoints naming this table, any version */
    size_t mark_count;
};

struct tui_fetch_result {
    enum tui_fetch_kind kind;
    char *error;                  /* owned: the whole fetch failed (nothing else is set) */
    struct tui_runs_data runs;
    struct tui_history_data history;
};

void tui_fetch_result_free(struct tui_fetch_result *r);

#endif
