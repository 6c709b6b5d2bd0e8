/* checkpoint.h - named checkpoints of a lakehouse: create (record every table's current
 * version, time, record count, file count and size in CheckpointHistory), list, find.
 *
 * A checkpoint is never updated in place (lakerewind-metadata(7)): deactivation and
 * re-validation append newer rows for the same CheckpointId and TableName, and readers take the
 * latest row by CreatedDate. The lakehouse context says where things are and who acts.
 *
 * Ownership: lists and checkpoints are caller-owned and freed with the matching _free. */
#ifndef LAKEREWIND_CHECKPOINT_H
#define LAKEREWIND_CHECKPOINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

/* Where a lakehouse keeps things and who is acting. Everything borrowed. */
struct lr_lakehouse_ctx {
    struct lr_store *store;
    const char *tables_location;   /* NULL = "Tables" */
    const char *metadata_location; /* NULL = "Tables/metadata" */
    const char *operator_name;     /* resolved identity (identity.h) */
    const char *const *tables;     /* configured table list (names under tables_location);
                                      NULL/0 = discover */
    size_t table_count;
};

struct lr_checkpoint_table {
    char *name;
    int64_t version;
    int64_t timestamp_ms;  /* -1 unknown */
    int64_t record_count;  /* -1 unknown */
    int64_t file_count;
    int64_t size_bytes;
};

struct lr_checkpoint {
    char *id;
    char *name;
    char *type;               /* Daily, PrePurge, PreDeployment, Manual, PostRollback */
    int64_t created_ms;
    char *created_by;
    bool is_active;
    char *validation_status;  /* Pending, Validated, Failed */
    int64_t retention_days;   /* -1 none */
    int64_t expiry_ms;        /* -1 none */
    char *notes;
    char *run_id;
    struct lr_checkpoint_table *tables; /* sorted by name */
    size_t table_count;
};
void lr_checkpoint_free(struct lr_checkpoint *cp);

struct lr_checkpoint_list {
    struct lr_checkpoint *items; /* newest first */
    size_t count;
};
void lr_checkpoint_list_free(struct lr_checkpoint_list *l);

/* 0 when `type` is one of the five types (exact spelling), else LR_EINVAL listing them. */
int lr_checkpoint_type_check(const char *type, struct lr_error *err);

struct lr_checkpoint_create_options {
    const char *name;
    const char *type;
    const char *const *tables; /* scope; NULL/0 = every table of the lakehouse */
    size_t table_count;
    int64_t retention_days;    /* 0 = 30 */
    const char *notes;
    const char *run_id;        /* NULL = a fresh one */
    /* NULL: read every table's latest snapshot and check it (the usual case). Else one entry
     * per name of `tables` (any order; borrowed), the facts of each table's latest version as
     * the caller has just read them - the post-rollback checkpoint, whose run read and
     * validated every restored table moments ago - and `facts_valid` gives the
     * ValidationStatus. Saves reading every table a second time. */
    const struct lr_checkpoint_table *facts;
    bool facts_valid;
};

/* Take a checkpoint: for each table its latest snapshot; ValidationStatus Validated when every
 * version is reconstructable with its files present (else Failed); one CheckpointHistory row
 * per table and a CheckpointCreated audit row. Refuses (LR_EEXISTS) a name an active
 * checkpoint already has, and (LR_EINVAL) a bad name/type or an unknown table. Fills `out`
 * (may be NULL). */
int lr_checkpoint_create(const struct lr_lakehouse_ctx *ctx,
                         const struct lr_checkpoint_create_options *o, struct lr_checkpoint *out,
                         struct lr_error *err);

/* Check again that every table's version of checkpoint `name` is reconstructable with its
 * files present, and record the verdict (new rows with ValidationStatus Validated or Failed, a
 * CheckpointValidation audit row). Returns 0 when Validated, 1 when Failed (each problem
 * appended to `problems`, may be NULL), negative on error (LR_ENOTFOUND: no such name). */
int lr_checkpoint_revalidate(const struct lr_lakehouse_ctx *ctx, const char *name,
                             struct lr_strvec *problems, struct lr_error *err);

/* Deactivate the active checkpoint `name` (new rows with IsActive false, a
 * CheckpointDeactivated audit row). LR_ENOTFOUND when there is none. */
int lr_checkpoint_deactivate(const struct lr_lakehouse_ctx *ctx, const char *name,
                             struct lr_error *err);

/* Every checkpoint from CheckpointHistory (latest row per CheckpointId and table), newest
 * first. */
int lr_checkpoint_list(const struct lr_lakehouse_ctx *ctx, struct lr_checkpoint_list *out,
                       struct lr_error *err);

/* The newest checkpoint named `name` in `list` (active ones first), or NULL. Borrowed. */
const struct lr_checkpoint *lr_checkpoint_find(const struct lr_checkpoint_list *list,
                                               const char *name);

/* The tables of the lakehouse (names relative to tables_location, metadata tables excluded),
 * sorted. Caller frees with lr_strvec_free(). */
int lr_lakehouse_tables(const struct lr_lakehouse_ctx *ctx, struct lr_strvec *out,
                        struct lr_error *err);

/* The key prefix of a table name: "<tables_location>/<name>". Caller frees. */
char *lr_lakehouse_table_prefix(const struct lr_lakehouse_ctx *ctx, const char *name);

/* `checkpoints list --json` shape: [{"name","type","created","is_active","validation_status",
 * "expires","tables":[{"name","version"}], ...extra detail after}]. New reference. */
json_t *lr_checkpoint_list_json(const struct lr_checkpoint_list *l);

/* ---- filtering a list (`checkpoints list --type/--active/--inactive/--status/--since/--until
 * /--table`) ---- */

struct lr_checkpoint_filter {
    const char *type;   /* borrowed; NULL = any type */
    int is_active;      /* -1 any, 0 inactive only, 1 active only */
    const char *status; /* borrowed; NULL = any ValidationStatus */
    int64_t since_ms;   /* -1 none: else created >= since */
    int64_t until_ms;   /* -1 none: else created <= until */
    const char *table;  /* borrowed; NULL = any: else the checkpoint covers this table */
};

/* An empty filter (everything matches). */
void lr_checkpoint_filter_init(struct lr_checkpoint_filter *f);

/* 0 when `status` is Pending, Validated or Failed (exact spelling), else LR_EINVAL naming
 * them. */
int lr_checkpoint_status_check(const char *status, struct lr_error *err);

/* A --since/--until value: an ISO date "2025-01-15" or date-time "2025-01-15T10:00:00Z"
 * (UTC unless an offset is given). A bare date is the start of that day, or with `is_end`
 * its last millisecond (so --until 2025-01-15 includes the whole day). LR_EINVAL saying what
 * a date looks like. */
int lr_checkpoint_parse_date(const char *text, bool is_end, int64_t *ms_out,
                             struct lr_error *err);

/* Check a filter's values (type, status, since <= until). 0 or LR_EINVAL. */
int lr_checkpoint_filter_check(const struct lr_checkpoint_filter *f, struct lr_error *err);

bool lr_checkpoint_filter_match(const struct lr_checkpoint_filter *f,
                                const struct lr_checkpoint *cp);

/* Drop (and free) the checkpoints of `l` that `f` does not match, keeping the order. */
void lr_checkpoint_list_filter(struct lr_checkpoint_list *l, const struct lr_checkpoint_filter *f);

#endif
