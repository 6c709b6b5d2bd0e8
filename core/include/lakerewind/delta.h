/* delta.h - the Delta Lake log engine: listing, snapshots, time travel, history, retention,
 * and the RESTORE commit.
 *
 * A table is a key prefix in a store (its root; "_delta_log/" lives under it). Everything here
 * follows the Delta protocol (delta-io/delta PROTOCOL.md): file identity is (path, deletion-
 * vector unique id), `_last_checkpoint` is only a hint, unknown actions and fields are ignored,
 * unknown reader/writer features are refused.
 *
 * Ownership: lr_delta_table_open() returns a handle freed with lr_delta_table_close(); it
 * borrows the store, which must outlive it. Every struct filled by a call below is caller-owned
 * and released with the matching *_free(); everything reachable from it (strings, jansson
 * values, arrays) belongs to it and is valid until that free. jansson values handed out are
 * borrowed unless a comment says "new reference". */
#ifndef LAKEREWIND_DELTA_H
#define LAKEREWIND_DELTA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

/* ---------------------------------------------------------------------------------------------
 * Log file names (pure; see PROTOCOL.md "Delta Log Entries"). */

enum lr_delta_log_kind {
    LR_DELTA_LOG_COMMIT = 1,         /* %020d.json */
    LR_DELTA_LOG_CHECKPOINT,         /* %020d.checkpoint.parquet (may hold V2 content) */
    LR_DELTA_LOG_CHECKPOINT_PART,    /* %020d.checkpoint.%010d.%010d.parquet */
    LR_DELTA_LOG_CHECKPOINT_V2,      /* %020d.checkpoint.<uuid>.json|parquet */
    LR_DELTA_LOG_COMPACTION,         /* %020d.%020d.compacted.json */
    LR_DELTA_LOG_CRC,                /* %020d.crc */
};

struct lr_delta_log_file {
    enum lr_delta_log_kind kind;
    int64_t version;      /* the (start) version */
    int64_t end_version;  /* compaction: last version covered; else == version */
    int part;             /* multi-part: 1-based part number; else 0 */
    int parts;            /* multi-part: number of parts; else 0 */
    bool is_json;         /* V2 checkpoint stored as JSON lines */
    char *name;           /* owned: the file name inside _delta_log/ */
    uint64_t size;        /* bytes, from the listing */
    int64_t mtime_ms;     /* from the listing; -1 when the store does not know */
};

/* Parse a name inside _delta_log/ (no '/'). Returns 1 and fills `out` (out->name stays NULL,
 * size 0, mtime -1) for a log file, 0 for anything else (temp files, _last_checkpoint,
 * sub-folders, hidden files). Never allocates. */
int lr_delta_log_name_parse(const char *name, struct lr_delta_log_file *out);

/* The sorted, parsed content of _delta_log/ from some version onward. */
struct lr_delta_listing {
    struct lr_delta_log_file *files; /* owned; sorted by (version, kind-order, name) */
    size_t count;
    int64_t start_version;           /* what the listing was asked to start at */
    int64_t latest_version;          /* newest commit or checkpoint version; -1 when empty */
};
void lr_delta_listing_free(struct lr_delta_listing *l);

/* A log segment: what replay needs to build version `version`. */
struct lr_delta_segment {
    int64_t version;
    int64_t checkpoint_version;              /* -1 when replaying from commit 0 */
    struct lr_delta_log_file *checkpoint;    /* owned copies; 1 file, or the parts in order */
    size_t checkpoint_count;
    struct lr_delta_log_file *commits;       /* owned copies, versions checkpoint+1..version,
                                                in order; a run of them may be replaced by
                                                one compacted file (kind COMPACTION, covering
                                                version..end_version, never the last) */
    size_t commit_count;
    int64_t commit_mtime_ms;                 /* mtime of version's commit (or checkpoint) file */
    /* When the checkpoint is at `version` itself, its commit file (if still there) is not
     * replayed but holds the version's commitInfo: owned copy, name NULL when absent. */
    struct lr_delta_log_file version_commit;
};
void lr_delta_segment_free(struct lr_delta_segment *s);

/* Pure: choose the newest complete checkpoint <= version (V2 UUID > more parts > classic;
 * 0-byte checkpoints and incomplete multi-part sets are skipped) and the contiguous commits
 * after it, using log compaction files for runs of them where one fits inside. `version`
 * < 0 means the listing's latest. Errors: LR_ENOTFOUND (version after the latest, or nothing
 * to start from: commits before the listing's start were deleted),
 * LR_ECORRUPT (a gap: "versions are not contiguous", naming the missing version). */
int lr_delta_segment_select(struct lr_delta_segment *out, const struct lr_delta_listing *l,
                            int64_t version, struct lr_error *err);

/* ---------------------------------------------------------------------------------------------
 * Tables */

struct lr_delta_table;

/* Open the table whose root is `prefix` in `store` ("" = the store root; a trailing '/' is
 * optional). Makes no request. Caller frees with lr_delta_table_close(). The handle keeps the
 * files of the last checkpoint it read (sorted, shared by every snapshot built on it, so time
 * travel and restore plans do not read or hold a checkpoint twice) until it is closed; it may
 * be used by several threads. */
int lr_delta_table_open(struct lr_delta_table **out, struct lr_store *store, const char *prefix,
                        struct lr_error *err);
void lr_delta_table_close(struct lr_delta_table *t);
/* Borrowed. The prefix ends in '/' unless it is "". */
struct lr_store *lr_delta_table_store(const struct lr_delta_table *t);
const char *lr_delta_table_prefix(const struct lr_delta_table *t);

/* Pin one listing of the whole log to the handle: until lr_delta_table_unpin_listing(), every
 * listing of this handle (snapshots of any version, time travel, history, retention) is
 * answered from it, with no request, and _last_checkpoint is not read (the listing names every
 * checkpoint). For a short, read-only analysis that looks at one table several ways (the
 * rollback's impact analysis); a pinned handle does not see commits made after the pin, so
 * unpin before anything that must see the latest version. Not for concurrent use with other
 * threads on the same handle. */
int lr_delta_table_pin_listing(struct lr_delta_table *t, struct lr_error *err);
void lr_delta_table_unpin_listing(struct lr_delta_table *t);

/* List _delta_log/ from `start_version` (0 = everything) with one paged listing. */
int lr_delta_list(struct lr_delta_table *t, int64_t start_version, struct lr_delta_listing *out,
                  struct lr_error *err);

/* `_last_checkpoint`: 1 and filled when present and parseable, 0 when missing or unusable
 * (torn, not JSON, no version) - it is only a hint. Negative only on store failure. */
struct lr_delta_last_checkpoint {
    int64_t version;
    int64_t size;  /* actions, -1 when absent */
    int parts;     /* 0 when absent */
    char *v2_path; /* owned, NULL when absent */
};
int lr_delta_read_last_checkpoint(struct lr_delta_table *t, struct lr_delta_last_checkpoint *out,
                                  struct lr_error *err);
void lr_delta_last_checkpoint_free(struct lr_delta_last_checkpoint *c);

/* Find the segment for `version` (< 0 = latest) the way the layout allows with fewest requests:
 * _last_checkpoint, then one listing from it (or from 0 when the hint is missing, stale or
 * names a checkpoint that is gone). Fills the listing used too. */
int lr_delta_find_segment(struct lr_delta_table *t, int64_t version, struct lr_delta_segment *out,
                          struct lr_delta_listing *listing_out, struct lr_error *err);

/* ---------------------------------------------------------------------------------------------
 * Snapshots */

struct lr_delta_protocol {
    int min_reader_version;
    int min_writer_version;
    struct lr_strvec reader_features; /* explicit list (reader version 3), else empty */
    struct lr_strvec writer_features; /* explicit list (writer version 7), else empty */
};

/* A live file (add) or tombstone (remove) in compact form: the fields callers use, and the
 * rest of the logged action as text; lr_delta_file_action() rebuilds the whole action. Every
 * pointer is borrowed from the snapshot (records are shared by snapshots of one table). A
 * record is 64 bytes: a million-file snapshot holds a million of them. */
struct delta_stats_src; /* private (core/delta/lazy_stats.c) */
struct delta_plan_stats; /* private (core/delta/plan_stats.c) */

/* The fields of an action that few files have: read them with the accessors below. */
struct lr_delta_file_ext {
    const char *extra;            /* compact JSON object text of every other field
                                     (deletionVector, tags, baseRowId, extendedFileMetadata,
                                     unknown ones...) */
    const char *dv_id;            /* deletion-vector unique id, NULL without one */
    int64_t dv_cardinality;       /* 0 without a deletion vector */
};

struct lr_delta_file {
    const char *path;             /* exactly the `path` string of the action */
    const char *partition_values; /* compact JSON text of partitionValues; NULL when absent */
    const struct lr_delta_file_ext *ext; /* NULL when the action has no other field */
    const void *stats;            /* private: the stats text, or (stats_kept) the checkpoint
                                     that keeps it: read with lr_delta_file_stats() */
    int64_t size;                 /* -1 when absent */
    int64_t modification_time;    /* ms; remove: deletionTimestamp; -1 when absent */
    int64_t num_records;          /* stats.numRecords (or stats_parsed); -1 when unknown */
    uint32_t stats_row;           /* private: the record's row in the checkpoint keeping stats */
    signed char data_change;      /* dataChange: 1, 0, or -1 when absent */
    bool is_add;
    bool stats_kept;              /* private: see stats */
};
_Static_assert(sizeof(struct lr_delta_file) <= 64, "a file record fits in 64 bytes");

/* The other fields' JSON text (NULL when none), the deletion vector's unique id (NULL without
 * one) and its cardinality (0 without one). */
static inline const char *lr_delta_file_extra(const struct lr_delta_file *f)
{
    return f->ext ? f->ext->extra : NULL;
}
static inline const char *lr_delta_file_dv_id(const struct lr_delta_file *f)
{
    return f->ext ? f->ext->dv_id : NULL;
}
static inline int64_t lr_delta_file_dv_cardinality(const struct lr_delta_file *f)
{
    return f->ext ? f->ext->dv_cardinality : 0;
}

/* The `stats` string as logged (*out NULL when the action has none). A million-file checkpoint
 * keeps its stats compressed until a caller asks; the first call for a row decodes the page
 * that holds it (thread-safe), so this can fail with LR_ENOMEM. The text is borrowed from the
 * snapshot. */
int lr_delta_file_stats(const struct lr_delta_file *f, const char **out, struct lr_error *err);
/* Decode at once the stats of files about to be read one by one (a restore plan's): one pass
 * over each checkpoint row group involved, copying only their text. Optional: it saves time
 * and memory, never changes what lr_delta_file_stats() returns. LR_ENOMEM. */
int lr_delta_files_stats_prefetch(const struct lr_delta_file *const *files, size_t n,
                                  struct lr_error *err);

/* Row count of one file: num_records - dv_cardinality, or -1 when unknown. */
int64_t lr_delta_file_rows(const struct lr_delta_file *f);
/* The whole add/remove object as logged (key order aside). New reference; NULL on ENOMEM. */
json_t *lr_delta_file_action(const struct lr_delta_file *f);
/* partitionValues as an object (new reference; an empty object when absent). */
json_t *lr_delta_file_partition_values(const struct lr_delta_file *f);
/* One of the other fields ("deletionVector", "tags", ...): new reference, NULL when absent. */
json_t *lr_delta_file_field(const struct lr_delta_file *f, const char *name);

struct lr_delta_mem; /* private: the memory the records of a snapshot live in */

struct lr_delta_snapshot {
    int64_t version;
    int64_t timestamp_ms;        /* in-commit timestamp when enabled, else the commit file mtime;
                                    -1 when unknown */
    struct lr_delta_protocol protocol;
    json_t *metadata;            /* owned: the metaData object */
    const char *metadata_id;     /* borrowed from metadata */
    const char *schema_string;   /* borrowed from metadata; NULL when absent */
    json_t *partition_columns;   /* borrowed from metadata: array of strings (never NULL) */
    json_t *configuration;       /* borrowed from metadata: object (never NULL) */
    json_t *protocol_action;     /* owned: the protocol object as logged */
    struct lr_delta_file **files; /* owned array of borrowed records, sorted by path bytes
                                     (then dv id) */
    size_t num_files;
    struct lr_delta_file **tombstones; /* same, same order */
    size_t num_tombstones;
    json_t *txns;                /* owned: object appId -> txn action */
    json_t *domains;             /* owned: object domain -> domainMetadata action (live only) */
    json_t *commit_info;         /* owned: commitInfo of this version's commit, NULL if none */
    int64_t size_bytes;          /* sum of live sizes */
    int64_t num_records;         /* sum of lr_delta_file_rows(); -1 when any file is unknown */
    int64_t checkpoint_version;  /* of the segment used; -1 when replayed from commit 0 */
    struct lr_delta_mem *mem[2]; /* private: references on the records' memory */
    bool is_sorted;              /* private: files are known to be in identity order */
};

/* Build the snapshot of `version` (< 0 = latest). Refuses (LR_EUNSUPPORTED, naming the feature)
 * tables with reader features we do not understand. Errors name the table and file. The file
 * records are shared with other snapshots of the table (read-only); they stay valid until
 * lr_delta_snapshot_free(), also after the table is closed. */
int lr_delta_snapshot_open(struct lr_delta_snapshot *out, struct lr_delta_table *t,
                           int64_t version, struct lr_error *err);
/* Same from a segment already found (no listing). */
int lr_delta_snapshot_load(struct lr_delta_snapshot *out, struct lr_delta_table *t,
                           const struct lr_delta_segment *seg, struct lr_error *err);
void lr_delta_snapshot_free(struct lr_delta_snapshot *s);
/* The snapshot that committing `text` (the JSON lines of one commit) as version base->version + 1
 * would produce, built in memory with the log's own reconciliation rules; nothing is read or
 * written. Its timestamp is the commit's (inCommitTimestamp, else commitInfo.timestamp).
 * LR_ECORRUPT for a line that is not a valid action. Caller frees with lr_delta_snapshot_free. */
int lr_delta_snapshot_apply(struct lr_delta_snapshot *out, const struct lr_delta_snapshot *base,
                            const char *text, size_t len, struct lr_error *err);

/* The configuration value for `key` or NULL. Borrowed. */
const char *lr_delta_snapshot_config(const struct lr_delta_snapshot *s, const char *key);
/* The logical column name of a physical one (column mapping: schema field metadata
 * delta.columnMapping.physicalName), or `physical` itself when not mapped. Caller frees. */
char *lr_delta_snapshot_logical_name(const struct lr_delta_snapshot *s, const char *physical);
/* partitionValues keyed by logical names (new reference). */
json_t *lr_delta_snapshot_partition_values(const struct lr_delta_snapshot *s,
                                           json_t *partition_values);

/* Whether in-commit timestamps are on (feature listed and delta.enableInCommitTimestamps). */
bool lr_delta_snapshot_has_ict(const struct lr_delta_snapshot *s);

/* Feature gate. Reading: every reader feature must be one we implement (column mapping,
 * deletion vectors, v2 checkpoints, timestampNtz, ...). Writing a RESTORE: every writer
 * feature too. 0 or LR_EUNSUPPORTED naming the feature and what to do. */
int lr_delta_protocol_check_read(const struct lr_delta_protocol *p, struct lr_error *err);
int lr_delta_protocol_check_write(const struct lr_delta_protocol *p, struct lr_error *err);
/* Whether `feature` is active by name or implied by legacy versions (e.g. writer 2 implies
 * appendOnly, reader 2 columnMapping). */
bool lr_delta_protocol_has(const struct lr_delta_protocol *p, const char *feature, bool reader);
void lr_delta_protocol_free(struct lr_delta_protocol *p);

/* ---------------------------------------------------------------------------------------------
 * Time travel */

struct lr_delta_commit_time {
    int64_t version;
    int64_t timestamp_ms; /* the value time travel compares against (ICT or monotonised mtime) */
    bool is_ict;
};

/* Every commit's time from commit `first` to the latest, in version order (one listing; ICT
 * commits cost one small read each). Caller frees *out with free(). */
int lr_delta_commit_times(struct lr_delta_table *t, struct lr_delta_commit_time **out,
                          size_t *count_out, struct lr_error *err);

/* The greatest version whose timestamp <= `ts_ms`. Errors: LR_ENOTFOUND before the earliest
 * reconstructable commit, LR_ERANGE after the latest unless `allow_latest`. */
int lr_delta_version_at(struct lr_delta_table *t, int64_t ts_ms, bool allow_latest,
                        int64_t *version_out, struct lr_error *err);

/* Parse "2025-01-15T10:00:00Z", "2025-01-15 10:00:00.123", "2025-01-15" (UTC unless an
 * offset is given) or a number of epoch milliseconds. */
int lr_delta_parse_timestamp(const char *text, int64_t *ms_out, struct lr_error *err);
/* "2025-01-15T10:00:00.000Z" into buf (at least 32 bytes). */
void lr_delta_format_timestamp(int64_t ms, char *buf, size_t size);
/* Parse a Delta interval ("interval 30 days", "7 days", "1 week", "168 hours"). */
int lr_delta_parse_interval(const char *text, int64_t *ms_out, struct lr_error *err);

/* ---------------------------------------------------------------------------------------------
 * History */

struct lr_delta_history_entry {
    int64_t version;
    int64_t timestamp_ms;  /* commitInfo.inCommitTimestamp, else .timestamp, else file mtime */
    int64_t mtime_ms;
    json_t *commit_info;   /* owned; NULL when the commit has none */
    const char *operation; /* borrowed from commit_info, NULL when absent */
};
struct lr_delta_history {
    struct lr_delta_history_entry *entries; /* owned, newest first */
    size_t count;
    int64_t next_before;   /* pass as `before` to get the next page; -1 when done */
};
/* Up to `limit` commits with version < `before` (< 0 = from the latest), newest first. */
int lr_delta_history_read(struct lr_delta_table *t, int64_t before, size_t limit,
                          struct lr_delta_history *out, struct lr_error *err);
void lr_delta_history_free(struct lr_delta_history *h);

/* What one history entry's commitInfo says, as plain fields. */
struct lr_delta_commit_facts {
    const char *operation; /* borrowed from the entry; NULL when absent */
    const char *user;      /* userName, else userId; borrowed; NULL when absent */
    const char *engine;    /* engineInfo; borrowed; NULL when absent */
    int64_t rows_added;    /* rows the writer reports adding (operationMetrics); -1 unknown */
    int64_t rows_removed;  /* rows it reports removing; -1 unknown */
    char *parameters;      /* owned: operationParameters as compact JSON; NULL when none */
};
/* Fill `out` from `e` (strings borrowed from e, except parameters). 0 or LR_ENOMEM. Release
 * with lr_delta_commit_facts_free() while e is alive. */
int lr_delta_commit_facts_of(const struct lr_delta_history_entry *e,
                             struct lr_delta_commit_facts *out);
void lr_delta_commit_facts_free(struct lr_delta_commit_facts *f);

/* The table's row count at every version first..last (inclusive) into out[last - first + 1]:
 * out[i] is the rows of version first + i (sum of live files' stats.numRecords minus deletion
 * vector cardinalities), -1 when a live file has no row count, or for versions older than the
 * log still keeps when a checkpoint inside the range lets the rest be counted. One snapshot at
 * `first` (from its checkpoint), then one streamed read of each later commit. LR_EINVAL for a
 * bad range, LR_ENOTFOUND when `last` is past the latest commit, LR_ECORRUPT for a gap in the
 * log. */
int lr_delta_row_counts(struct lr_delta_table *t, int64_t first, int64_t last, int64_t *out,
                        struct lr_error *err);

/* ---------------------------------------------------------------------------------------------
 * Retention */

struct lr_delta_retention {
    int64_t version;
    bool is_reconstructable;
    int64_t earliest_reconstructable;   /* -1 when none */
    int64_t latest_version;
    int64_t version_timestamp_ms;       /* -1 when unknown */
    int64_t log_retention_ms;           /* delta.logRetentionDuration (default 30 days) */
    int64_t checkpoint_retention_ms;    /* delta.checkpointRetentionDuration (default 2 days) */
    int64_t deleted_file_retention_ms;  /* delta.deletedFileRetentionDuration (default 1 week) */
    int64_t log_expires_ms;             /* earliest time log cleanup may drop it; -1 unknown */
    bool beyond_deleted_file_retention; /* older than now - deletedFileRetentionDuration */
    size_t missing_files;               /* data + DV files of the version that are gone */
    uint64_t missing_bytes;
    struct lr_strvec missing_paths;     /* the first few (at most 10) */
    size_t outside_files;               /* named by an absolute URI or a path outside the table
                                           root: not in its listing, so neither checked nor
                                           counted as missing */
    struct lr_strvec outside_paths;     /* the first few (at most 10) */
};
/* Check `version` of the table against log and file retention at time `now_ms`. When
 * `snap` (the snapshot of that version) is given, its files are checked against ONE listing
 * of the table's keys; else missing_* stay 0. */
int lr_delta_retention_check(struct lr_delta_table *t, int64_t version,
                             const struct lr_delta_snapshot *snap, int64_t now_ms,
                             struct lr_delta_retention *out, struct lr_error *err);
void lr_delta_retention_free(struct lr_delta_retention *r);

/* Every object key under the table root outside _delta_log/, relative to the root, sorted
 * bytewise: one listing. Caller frees with lr_strvec_free(). */
int lr_delta_list_data_keys(struct lr_delta_table *t, struct lr_strvec *out,
                            struct lr_error *err);
/* Binary search in a sorted key vector. */
bool lr_delta_keys_have(const struct lr_strvec *sorted_keys, const char *key);

/* The object key (relative to the table root) of a logged path: percent-decoded once; NULL for
 * absolute URIs outside the table or bad escapes. Caller frees. */
char *lr_delta_path_to_key(const char *path);
/* The key (relative to the table root) of a deletion vector's file, NULL when inline.
 * Caller frees. */
char *lr_delta_dv_key(json_t *deletion_vector);

/* ---------------------------------------------------------------------------------------------
 * Restore */

struct lr_delta_restore_options {
    bool ignore_missing_files; /* restore even when target files are gone (Spark's flag) */
    bool allow_append_only;    /* let a restore remove files of a delta.appendOnly table */
    bool by_timestamp;         /* the target came from a timestamp (for operationParameters) */
    int64_t target_timestamp_ms;
    int64_t now_ms;            /* the clock for deletionTimestamp / commitInfo; 0 = now */
};

struct lr_delta_refusal {
    int code;       /* LR_EREFUSED, LR_EUNSUPPORTED, LR_ENOTFOUND, ... */
    char *kind;     /* owned: "missing-files", "append-only", "writer-feature", "column-mapping",
                       "row-tracking", "iceberg-compat", "files-outside-table",
                       "not-reconstructable", "nothing-to-do", "not-older" */
    char *message;  /* owned: one line an on-call engineer can act on */
};

struct lr_delta_restore_plan {
    int64_t read_version;          /* the current version L the plan was built on */
    int64_t target_version;        /* V */
    json_t *adds;                  /* owned array: add actions (dataChange true), exact path;
                                      stats still kept in a checkpoint are added by
                                      lr_delta_restore_commit_text() (a dry run never needs
                                      them) */
    json_t *removes;               /* owned array: remove actions (stats: the same) */
    json_t *metadata;              /* owned: metaData to write */
    json_t *protocol;              /* owned: protocol to write (never a downgrade) */
    json_t *domains;               /* owned array: domainMetadata actions to write (or empty) */
    json_t *metrics;               /* owned object: Spark's six metrics as strings */
    int64_t num_restored_files, restored_bytes, num_removed_files, removed_bytes;
    int64_t files_after, bytes_after;
    int64_t rows_before, rows_after; /* -1 when unknown */
    int64_t rows_added, rows_removed; /* over the files added/removed; -1 when unknown */
    bool uses_ict;                 /* the commit must carry an inCommitTimestamp */
    int64_t previous_timestamp_ms; /* L's commit timestamp (for a monotonic ICT) */
    struct lr_delta_refusal *refusals; /* owned; blockers (the plan must not be committed) */
    size_t refusal_count;
    struct lr_strvec warnings;     /* owned */
    struct lr_delta_restore_options opts;
    struct delta_plan_stats *kept_stats; /* private: actions whose stats a checkpoint still
                                            keeps compressed; the commit text fills them */
};

/* Pure: the plan to bring `current` back to `target` (both snapshots of the same table).
 * `target_retention` (may be NULL) adds the reconstructability / file-retention verdicts;
 * `present_keys` (sorted object keys under the table root, may be NULL = not checked) is used
 * to find data and deletion-vector files of the files to add that are gone. Refusals go into
 * the plan; fails only on LR_ENOMEM / LR_EINVAL. */
int lr_delta_restore_plan_build(struct lr_delta_restore_plan *out,
                                const struct lr_delta_snapshot *current,
                                const struct lr_delta_snapshot *target,
                                const struct lr_delta_retention *target_retention,
                                const struct lr_strvec *present_keys,
                                const struct lr_delta_restore_options *opts,
                                struct lr_error *err);
/* Load both snapshots, check retention and files (one listing), build the plan. */
int lr_delta_restore_plan_make(struct lr_delta_restore_plan *out, struct lr_delta_table *t,
                               int64_t target_version, const struct lr_delta_restore_options *opts,
                               struct lr_error *err);
void lr_delta_restore_plan_free(struct lr_delta_restore_plan *p);

struct lr_delta_commit_options {
    const char *operator_name; /* recorded as userName; NULL = omitted */
    const char *run_id;        /* recorded as txnId and tags.lakerewindRunId; required */
    const char *user_metadata; /* optional commitInfo.userMetadata */
    int64_t now_ms;            /* 0 = now */
    bool write_checkpoint;     /* checkpoint after the commit when interval says so */
};

/* The commit text (JSON lines) for a plan. Caller frees *out with free(). */
int lr_delta_restore_commit_text(char **out, size_t *len_out,
                                 const struct lr_delta_restore_plan *plan,
                                 const struct lr_delta_commit_options *copts,
                                 struct lr_error *err);

/* A fresh random run id (UUID v4, lower-case) into buf (at least 37 bytes). */
int lr_delta_new_run_id(char *buf, size_t size, struct lr_error *err);

/* Write plan->read_version + 1 with put-if-absent. Refuses a plan with refusals (LR_EREFUSED).
 * When the version is taken by someone else: LR_ECONFLICT "table changed since plan: version N
 * by <operation>"; when it is taken by our own commit (same run id: a lost put response),
 * success. *version_out = the version written. */
int lr_delta_restore_commit(struct lr_delta_table *t, const struct lr_delta_restore_plan *plan,
                            const struct lr_delta_commit_options *copts, int64_t *version_out,
                            struct lr_error *err);

/* Rehearse lr_delta_restore_commit without writing: the same refusal check and the same commit
 * text, then the conflict check against the table as it is now (version plan->read_version + 1
 * must still be free: LR_ECONFLICT naming the commit that took it, as the real put would), and
 * the commit applied in memory to `current` (the snapshot the plan was built on, version
 * plan->read_version) into *after (caller frees with lr_delta_snapshot_free). *version_out = the
 * version the commit would have taken. Nothing is written to the store. */
int lr_delta_restore_rehearse(struct lr_delta_table *t, const struct lr_delta_snapshot *current,
                              const struct lr_delta_restore_plan *plan,
                              const struct lr_delta_commit_options *copts,
                              struct lr_delta_snapshot *after, int64_t *version_out,
                              struct lr_error *err);

/* ---------------------------------------------------------------------------------------------
 * Writing commits (our own tables, tests, generators) */

/* Put `text` as commit `version` with put-if-absent. LR_EEXISTS when taken. */
int lr_delta_commit_put(struct lr_delta_table *t, int64_t version, const char *text, size_t len,
                        struct lr_error *err);

/* Write a classic single-file Parquet checkpoint of `snap` and then _last_checkpoint. */
int lr_delta_checkpoint_write(struct lr_delta_table *t, const struct lr_delta_snapshot *snap,
                              struct lr_error *err);
/* The same, with tombstones expired as of now_ms (ms since the epoch; <= 0: the real clock):
 * a writer that replays a dated history (the demo lakehouse) passes the commit's own time, so
 * what it writes does not depend on the day it runs. */
int lr_delta_checkpoint_write_at(struct lr_delta_table *t, const struct lr_delta_snapshot *snap,
                                 int64_t now_ms, struct lr_error *err);

#endif
