/* demo.h - the built-in demo lakehouse: about twenty CRM-like Delta tables with a history of
 * syncs, named checkpoints of every type and a "bad sync" incident that a rollback fixes.
 *
 * Deterministic: the same seed gives byte-identical files (commit timestamps come from a fake
 * clock, never the wall clock). The catalog and the row generator are plain data and functions
 * so drills and tests can build variations of it. */
#ifndef LAKEREWIND_DEMO_H
#define LAKEREWIND_DEMO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lr_demo_type {
    LR_DEMO_STRING,
    LR_DEMO_INT,       /* Delta "integer" (INT32) */
    LR_DEMO_LONG,      /* Delta "long" (INT64) */
    LR_DEMO_DOUBLE,
    LR_DEMO_BOOL,
    LR_DEMO_TIMESTAMP, /* Delta "timestamp": microseconds since the epoch, UTC */
    LR_DEMO_DATE,      /* Delta "date": days since the epoch */
};

/* What a generated column holds; drives both values and statistics. */
enum lr_demo_kind {
    LR_DEMO_KEY,          /* the primary key: "<table>-<8 hex>" from the row number */
    LR_DEMO_NAME,         /* a person or organisation name */
    LR_DEMO_EMAIL,
    LR_DEMO_CITY,
    LR_DEMO_AMOUNT,       /* money, two decimals */
    LR_DEMO_STATE,        /* small int code 0..2 */
    LR_DEMO_YEAR,         /* 2019..2025 (partition column candidate) */
    LR_DEMO_CATEGORY,     /* one of a few labels (partition column candidate) */
    LR_DEMO_CREATED,      /* timestamp before the first sync */
    LR_DEMO_MODIFIED,     /* SinkModifiedOn: the sync's time */
    LR_DEMO_IS_DELETE,    /* IsDelete: false except for soft deletes */
    LR_DEMO_VERSIONNUMBER,/* versionnumber: grows with every change */
    LR_DEMO_FOREIGN_KEY,  /* a key of the related table named in `ref` */
};

struct lr_demo_column {
    const char *name;
    enum lr_demo_type type;
    enum lr_demo_kind kind;
    bool nullable;
    const char *ref; /* LR_DEMO_FOREIGN_KEY: the referenced table */
};

#define LR_DEMO_MAX_COLUMNS 12

struct lr_demo_table {
    const char *name;
    const char *description;
    unsigned initial_rows;   /* rows of the first load */
    unsigned rows_per_sync;  /* rows changed by one incremental sync */
    unsigned syncs;          /* incremental syncs after the load (versions ~ syncs + 2) */
    const char *partition_by;/* NULL or a column name */
    size_t ncolumns;
    struct lr_demo_column columns[LR_DEMO_MAX_COLUMNS];
};

/* The catalog: a static array of *count tables. */
const struct lr_demo_table *lr_demo_catalog(size_t *count);
const struct lr_demo_table *lr_demo_table_find(const char *name);

/* A small deterministic PRNG (splitmix64), so demo data never depends on libc's rand(). */
struct lr_demo_rng {
    uint64_t state;
};
void lr_demo_rng_seed(struct lr_demo_rng *r, uint64_t seed);
uint64_t lr_demo_rng_next(struct lr_demo_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t lr_demo_rng_below(struct lr_demo_rng *r, uint64_t n);

/* The value of column `c` for logical row `row_id` of table `t`, at change number `version`
 * (0 = first load) and sync time `sync_us` (microseconds, UTC). New reference; never NULL
 * except on ENOMEM. Values are a pure function of (t, c, row_id, version, sync_us, seed). */
json_t *lr_demo_value(const struct lr_demo_table *t, const struct lr_demo_column *c,
                      uint64_t row_id, unsigned version, int64_t sync_us, uint64_t seed);

/* A whole row as a JSON object keyed by column name (timestamps as integer microseconds, dates
 * as integer days): new reference, NULL on ENOMEM. */
json_t *lr_demo_row(const struct lr_demo_table *t, uint64_t row_id, unsigned version,
                    int64_t sync_us, uint64_t seed);

/* The Delta schemaString of the table: caller frees. NULL on ENOMEM. */
char *lr_demo_schema_string(const struct lr_demo_table *t);

/* The Delta type name of a column type ("string", "integer", ...). Static storage. */
const char *lr_demo_type_name(enum lr_demo_type type);

/* ---------------------------------------------------------------------------------------------
 * Building the demo lakehouse */

#include "lakerewind/error.h"
#include "lakerewind/store.h"

struct lr_demo_options {
    uint64_t seed;       /* 0 = the default seed (42) */
    int64_t anchor_ms;   /* the demo's "now": history ends just before it. 0 = today 00:00 UTC,
                            so two builds on one day are identical */
    unsigned scale_pct;  /* rows scale in percent; 0 = 100 */
    /* Variations for training drills (drill.h, lakerewind-scenarios(7)); all zero keeps the
     * demo exactly as documented. Borrowed. */
    const char *const *only_tables;     /* build only these catalog tables; NULL = all */
    size_t only_table_count;
    const char *const *incident_tables; /* the bad sync touches only these (of account,
                                           contact, donation, activitypointer, opportunity);
                                           NULL = all five; non-NULL with count 0 = none */
    size_t incident_table_count;
    const char *schema_change_table;    /* NULL, or a table that gets a deployment's metaData
                                           commit (a new nullable column "deploymentscore")
                                           after the bad sync */
};

/* What was built (for the CLI's summary). */
struct lr_demo_summary {
    size_t tables;
    int64_t commits;
    int64_t data_files;
    int64_t rows;
    size_t checkpoints;
    char good_checkpoint[64]; /* the latest good checkpoint, taken just before the bad sync */
};

/* Build the demo lakehouse into `store` (its Tables/ must not hold tables yet): every catalog
 * table with its history, the named checkpoints in Tables/metadata/CheckpointHistory (with
 * CheckpointCreated audit rows), and the bad sync after the latest good checkpoint. */
int lr_demo_build(struct lr_store *store, const struct lr_demo_options *opts,
                  struct lr_demo_summary *summary, struct lr_error *err);

#endif
