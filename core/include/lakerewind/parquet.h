/* parquet.h - reading Parquet files (Delta checkpoints, data-file footers) through a store.
 *
 * Contract shared with core/delta: rows come out as jansson objects shaped exactly like
 * `lakerewind inspect parquet --json` (structs and maps as objects, lists as arrays, int64 exact,
 * strings as strings, nulls as null, absent optional structs as null), so a checkpoint row
 * decodes with the same code as a JSON commit line.
 *
 * Ownership: lr_parquet_open* return a file freed with lr_parquet_close(); row cursors are freed
 * with lr_parquet_rows_close() before their file; each row returned is a new reference the
 * caller releases with json_decref(). */
#ifndef LAKEREWIND_PARQUET_H
#define LAKEREWIND_PARQUET_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"
#include "lakerewind/store.h"

struct lr_parquet_file;
struct lr_parquet_rows;

/* Open `key` in `store`: reads the footer with range reads (no whole-file read).
 * Errors name the file and the byte offset: LR_ECORRUPT (bad magic, truncated, hostile
 * lengths), LR_EUNSUPPORTED (codec/encoding we lack), LR_ENOTFOUND. */
int lr_parquet_open(struct lr_parquet_file **out, struct lr_store *store, const char *key,
                    struct lr_error *err);

/* Open an in-memory file (borrowed: `data` must outlive the file). `name` is used in errors. */
int lr_parquet_open_buffer(struct lr_parquet_file **out, const uint8_t *data, size_t len,
                           const char *name, struct lr_error *err);

void lr_parquet_close(struct lr_parquet_file *f);

int64_t lr_parquet_num_rows(const struct lr_parquet_file *f);

/* Iterate the rows of the projected columns. `columns` are dotted paths from the root: a
 * top-level field ("add") selects its whole subtree, a nested path ("add.path",
 * "add.deletionVector") selects that subtree only, and the row object keeps the nesting
 * ({"add": {"path": ...}}). NULL/0 selects every column. Column chunks outside the
 * projection are never read or decoded. Unknown paths are LR_ENOTFOUND naming the path. */
int lr_parquet_rows_open(struct lr_parquet_rows **out, struct lr_parquet_file *f,
                         const char *const *columns, size_t ncolumns, struct lr_error *err);

/* 1 and a new row in *row_out; 0 at the end; negative on error (naming file, column, offset). */
int lr_parquet_rows_next(struct lr_parquet_rows *r, json_t **row_out, struct lr_error *err);

void lr_parquet_rows_close(struct lr_parquet_rows *r);

#endif
