/* demo_internal.h - the demo builder's deterministic Delta table writer (not public API).
 *
 * Unlike lr_table_append_rows (metadata tables: wall clock, random names), everything here is
 * a function of the seed and a fake clock, so two builds are byte-identical. */
#ifndef LR_DEMO_INTERNAL_H
#define LR_DEMO_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "lakerewind/delta.h"
#include "lakerewind/demo.h"
#include "lakerewind/store.h"

/* One column of a table being written (a demo table's, or a metadata table's). */
struct demo_col {
    const char *name;
    enum lr_demo_type type;
    bool nullable;
};

struct demo_writer {
    struct lr_store *store;
    struct lr_delta_table *table;
    char *prefix;             /* "Tables/account" */
    const char *name;
    struct demo_col cols[24];
    size_t ncols;
    const char *partition_by; /* NULL or a column name */
    int64_t version;          /* last version written, -1 before create */
    uint64_t seed;
    unsigned file_seq;
    int checkpoint_interval;
};

int demo_writer_open(struct demo_writer *w, struct lr_store *store, const char *prefix,
                     const char *name, const struct demo_col *cols, size_t ncols,
                     const char *partition_by, uint64_t seed, struct lr_error *err);
void demo_writer_close(struct demo_writer *w);

/* Version 0: protocol 1/2, metaData (id derived from the seed), commitInfo CREATE TABLE. */
int demo_writer_create(struct demo_writer *w, int64_t now_ms, json_t *configuration,
                       struct lr_error *err);

/* Write `rows` (array of objects keyed by column name; the partition column's value is taken
 * from the first row) as one Parquet data file and return its add action (new reference) with
 * Delta statistics. */
int demo_writer_file(struct demo_writer *w, json_t *rows, int64_t now_ms, json_t **add_out,
                     struct lr_error *err);

/* The remove action for a live add (new reference). */
json_t *demo_remove_for(const json_t *add, int64_t now_ms);

/* Commit `actions` (array; stolen) as the next version with commitInfo first; date the commit
 * file at now_ms on a local store; write a checkpoint when the version hits the interval. */
int demo_writer_commit(struct demo_writer *w, json_t *actions, const char *operation,
                       json_t *op_params, int64_t now_ms, struct lr_error *err);

/* A deployment's schema change: add nullable column `name` of `type` and commit a metaData
 * action with the new schema (same table id, `configuration` borrowed) as ADD COLUMNS. */
int demo_writer_add_column(struct demo_writer *w, const char *name, enum lr_demo_type type,
                           json_t *configuration, int64_t now_ms, struct lr_error *err);

#endif
