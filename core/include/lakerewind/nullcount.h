/* nullcount.h - how many nulls a column holds across a snapshot's live files, for the
 * NullPrimaryKeys post-validation (validate.h).
 *
 * Per file, the cheapest source that knows:
 *   1. the add action's stats (stats.nullCount.<column>, or stats_parsed from a checkpoint);
 *   2. else the Parquet footer: the column chunk statistics' null_count summed over the row
 *      groups (one footer read per file, range reads only);
 *   3. else the column itself: only that column's chunks are read and decoded (projection),
 *      counting the values whose definition level is below the maximum.
 * A column the file does not hold (added to the schema after the file was written) is all
 * nulls, as Delta reads it; a partition column is null for every row of a file whose
 * partition value is null. Column mapping is honoured (stats and files use the physical
 * name). Rows hidden by a deletion vector are still counted (stats and footers describe the
 * file as written).
 *
 * Ownership: everything is borrowed for the call. */
#ifndef LAKEREWIND_NULLCOUNT_H
#define LAKEREWIND_NULLCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "lakerewind/delta.h"
#include "lakerewind/error.h"

struct lr_null_count {
    int64_t nulls;          /* across every live file */
    size_t from_stats;      /* files counted from the log's stats */
    size_t from_footer;     /* files counted from their Parquet footer */
    size_t from_data;       /* files whose column was read */
    size_t from_partition;  /* files counted from their partition value */
};

/* Count the nulls of top-level column `column` (its logical name) in the live files of `snap`,
 * a snapshot of table `t`. Errors: LR_ENOTFOUND when the schema has no such column (naming
 * it), store and Parquet errors naming the file. */
int lr_null_count_read(struct lr_null_count *out, struct lr_delta_table *t,
                       const struct lr_delta_snapshot *snap, const char *column,
                       struct lr_error *err);

#endif
