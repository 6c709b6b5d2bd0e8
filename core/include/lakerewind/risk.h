/* risk.h - scoring how risky it is to roll one table back: High / Medium / Low with reasons.
 *
 * Pure logic: facts about one table's rollback in, a level and human-readable reasons out. No
 * store, no clock. The thresholds come from the config (`risk:` section) once it is loaded;
 * lr_risk_thresholds_default() gives the documented defaults.
 *
 * Rules (each rule that fires adds one reason; the level is the highest any rule gave):
 *   High   any blocker; data files of the checkpoint version missing; append-only table
 *          (restoring it removes files, which delta.appendOnly forbids); rows changed >=
 *          high_rows_pct of the table or >= high_rows; commits undone >= high_commits;
 *          bytes touched >= high_bytes; a schema change when schema_change_is_high;
 *          time span of the undone commits >= high_span_ms.
 *   Medium the same measures at their medium_* thresholds; a schema change otherwise; the
 *          table feeds change-data-feed or streaming readers (restored rows are read again
 *          downstream); row counts unknown (no stats) while commits are undone.
 *   Low    everything else, with the reason "N commits undone, within every threshold", or
 *          "already at the checkpoint version" when nothing changes.
 * "Rows changed" is the net change |rows_now - rows_then| (what the operator sees move; rows
 * in rewritten files would make every small table High). When either count is unknown it falls
 * back to the larger of the rows in the files removed and added back. Percentages are of
 * rows_then (the checkpoint's count; rows_now when that is unknown), as in the config's
 * risk.*.rows_changed_pct. A threshold of 0 disables that rule. */
#ifndef LAKEREWIND_RISK_H
#define LAKEREWIND_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/str.h"

enum lr_risk_level { LR_RISK_LOW = 0, LR_RISK_MEDIUM = 1, LR_RISK_HIGH = 2 };

struct lr_risk_thresholds {
    double high_rows_pct;     /* default 20.0 (% of the table's rows changed) */
    double medium_rows_pct;   /* default 5.0 */
    int64_t high_rows;        /* default 1,000,000 rows changed */
    int64_t medium_rows;      /* default 10,000 */
    int64_t high_commits;     /* default 50 commits undone */
    int64_t medium_commits;   /* default 10 */
    int64_t high_bytes;       /* default 10 GiB added back + removed */
    int64_t medium_bytes;     /* default 1 GiB */
    int64_t high_span_ms;     /* default 7 days between the first and last undone commit */
    int64_t medium_span_ms;   /* default 1 day */
    bool schema_change_is_high; /* default true: a rollback across a schema change is High */
};

/* Facts about one table's rollback. -1 means "unknown" for every int64_t count. */
struct lr_risk_facts {
    int64_t rows_now;
    int64_t rows_then;
    int64_t rows_to_add;      /* rows in the files added back */
    int64_t rows_to_remove;   /* rows in the files removed */
    int64_t bytes_to_add;
    int64_t bytes_to_remove;
    int64_t commits_undone;
    int64_t time_span_ms;     /* last undone commit's time minus the first's */
    int64_t missing_files;    /* data files of the checkpoint version that no longer exist */
    bool schema_changed;
    bool is_append_only;      /* delta.appendOnly = true */
    bool has_cdf;             /* delta.enableChangeDataFeed = true */
    bool has_streaming_readers; /* named as a streaming source in the config */
    size_t blocker_count;
    const char *const *blockers; /* borrowed; each becomes a reason "blocker: …" */
    int64_t restored_version;    /* resume: the run already restored the table at this version
                                    (only validation is left); -1 otherwise */
};

struct lr_risk {
    enum lr_risk_level level;
    struct lr_strvec reasons; /* owned; most severe first */
};

/* The documented defaults above. */
void lr_risk_thresholds_default(struct lr_risk_thresholds *out);

/* Initialise `facts` to "all unknown / false" (every count -1). */
void lr_risk_facts_init(struct lr_risk_facts *facts);

/* Score one table. Fills `out` (caller frees with lr_risk_free()). 0 or LR_ENOMEM. */
int lr_risk_score(struct lr_risk *out, const struct lr_risk_facts *facts,
                  const struct lr_risk_thresholds *th);
void lr_risk_free(struct lr_risk *r);

/* "High", "Medium", "Low" (as in the impact JSON and the metadata tables). Static storage. */
const char *lr_risk_level_name(enum lr_risk_level level);
/* Parse the names above (case-insensitive). false when unknown. */
bool lr_risk_level_parse(const char *s, enum lr_risk_level *out);

#endif
