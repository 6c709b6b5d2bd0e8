/* checkpoint_health.h - will an active checkpoint still be usable until it expires?
 *
 * A checkpoint promises a rollback until its ExpiryDate, but each table keeps its versions
 * only as long as its own retention allows (delta-protocol-notes 4.3 / 4.4):
 *   - log retention: log cleanup (run by writers when they checkpoint) may drop the commits of
 *     version V once they are older than delta.logRetentionDuration (default 30 days; cutoff
 *     truncated to midnight UTC, so "not before" the next midnight after V's time + the
 *     duration). delta.enableExpiredLogCleanup = false turns this off.
 *     delta.checkpointRetentionDuration (default 2 days) does not shorten the window: Delta's
 *     cleanup never deletes the checkpoint that starts the oldest kept run of commits, so it is
 *     not checked.
 *   - file retention: VACUUM may delete a data file delta.deletedFileRetentionDuration (default
 *     7 days) after a later commit removed it (the remove action's deletionTimestamp), and at
 *     once when that tombstone has itself been dropped from the log.
 * The retention values are read from the table's latest metadata, since that is what cleanup
 * and VACUUM use.
 *
 * Warnings for one checkpoint (none for an inactive one):
 *   expiry                the checkpoint expires within the warning window, or has expired
 *   log-retention         a table's version leaves log retention before the checkpoint expires
 *                         (or can no longer be rebuilt)
 *   file-retention        files of a table's version may be vacuumed before the checkpoint
 *                         expires (or already may be)
 *   files-missing         files of a table's version are already gone
 *   short-log-retention   a table's log retention is shorter than the checkpoint's retention
 *   short-file-retention  a table's deleted-file retention is shorter than the checkpoint's
 *                         retention (a removal tomorrow would be vacuumable before expiry)
 *   unchecked             a table could not be read to check it
 * The short-* flags are left out for a table that already has a dated warning of the same
 * family (which carries the same fix). Each table-retention warning names the exact table
 * property to set, "ALTER TABLE account SET TBLPROPERTIES ('delta.deletedFileRetentionDuration'
 * = 'interval 30 days')", and the lakerewind alternative (a checkpoint with a retention the
 * table can keep).
 *
 * Ownership: warning lists are caller-owned, freed with lr_cp_warnings_free(). */
#ifndef LAKEREWIND_CHECKPOINT_HEALTH_H
#define LAKEREWIND_CHECKPOINT_HEALTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/error.h"

enum lr_cp_warning_kind {
    LR_CPW_EXPIRY = 0,
    LR_CPW_LOG_RETENTION,
    LR_CPW_FILE_RETENTION,
    LR_CPW_FILES_MISSING,
    LR_CPW_SHORT_LOG_RETENTION,
    LR_CPW_SHORT_FILE_RETENTION,
    LR_CPW_UNCHECKED,
};

/* "expiry", "log-retention", ... as listed above. Static storage. */
const char *lr_cp_warning_kind_name(enum lr_cp_warning_kind k);

struct lr_cp_warning {
    enum lr_cp_warning_kind kind;
    char *table;        /* owned; NULL for the checkpoint itself */
    int64_t when_ms;    /* when it happens or happened; -1 unknown (or not dated) */
    bool has_happened;  /* already true now */
    bool is_due;        /* has happened, or happens within the warning window */
    char *message;      /* owned: one line naming the table, the version and the date */
    char *fix;          /* owned: the table property statement, or NULL */
    char *alternative;  /* owned: the lakerewind way, or NULL */
};

struct lr_cp_warnings {
    struct lr_cp_warning *items;
    size_t count;
};
void lr_cp_warnings_free(struct lr_cp_warnings *w);

/* What is known about one table of a checkpoint (the input of the pure builder). */
struct lr_cp_table_retention {
    const char *table;           /* borrowed */
    int64_t version;             /* the checkpoint's version */
    const char *error;           /* borrowed; non-NULL: the table could not be checked */
    bool is_reconstructable;     /* the version can still be rebuilt from the log */
    int64_t version_timestamp_ms;/* the version's commit time; -1 unknown */
    int64_t log_retention_ms;    /* latest metadata, default 30 days */
    bool is_log_cleanup_off;     /* delta.enableExpiredLogCleanup = false */
    int64_t file_retention_ms;   /* latest metadata, default 7 days */
    int64_t first_removal_ms;    /* earliest deletionTimestamp among the version's files that
                                    are no longer live; -1 when none was removed */
    bool has_old_removal;        /* some file of the version is no longer live and its tombstone
                                    is gone from the log (removed longer ago than retention) */
    size_t missing_files;        /* data / DV files of the version already gone */
};

/* Pure: the warnings of `cp` from the facts of its tables at time `now_ms`, with a warning
 * window of `warn_ms`. Appends to `out` (zero it first). 0 or LR_ENOMEM. */
int lr_cp_warnings_build(struct lr_cp_warnings *out, const struct lr_checkpoint *cp,
                         const struct lr_cp_table_retention *facts, size_t n, int64_t now_ms,
                         int64_t warn_ms, struct lr_error *err);

/* The facts of one table version: table log and files (one log listing, one listing of the
 * table's files, the latest snapshot and the version's snapshot). A table that cannot be read
 * gives facts with `error` set (owned by `errbuf`, which must hold LR_ERROR_MAX bytes), not a
 * failure; negative only on LR_ENOMEM. */
int lr_cp_table_retention_read(const struct lr_lakehouse_ctx *ctx, const char *table,
                               int64_t version, int64_t now_ms, struct lr_cp_table_retention *out,
                               char *errbuf, struct lr_error *err);

/* Check every checkpoint of `list` (active ones only; inactive ones get an empty list):
 * `out` is filled with list->count entries, parallel to list->items, each freed with
 * lr_cp_warnings_free() and the array with free(). A table version shared by several
 * checkpoints is read once. 0 or LR_ENOMEM. */
int lr_checkpoint_check_all(const struct lr_lakehouse_ctx *ctx,
                            const struct lr_checkpoint_list *list, int64_t now_ms,
                            int64_t warn_ms, struct lr_cp_warnings **out, struct lr_error *err);

/* The `warnings` array of `checkpoints list/show --json`: [{"kind", "table", "when",
 * "has_happened", "is_due", "message", "fix", "alternative"}]. New reference. */
json_t *lr_cp_warnings_json(const struct lr_cp_warnings *w);

/* The property statement for one table: "ALTER TABLE <name> SET TBLPROPERTIES ('<key>' =
 * 'interval <days> days')", a schema-qualified name "dbo/account" written dbo.account.
 * Caller frees. */
char *lr_cp_property_statement(const char *table, const char *key, int64_t days);

#endif
