/* pqw_support.h - helpers for the Parquet writer tests: run SQL in DuckDB (the pinned
 * tests/support/duckdb.js), compare JSON rows the way DuckDB prints them, the Delta checkpoint
 * schema, and small file helpers. Every helper fails the running cmocka test on error. */
#ifndef LR_PQW_SUPPORT_H
#define LR_PQW_SUPPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "lakerewind/buf.h"
#include "lakerewind/parquet_write.h"
#include "pqw_checkpoint.h"

/* Rows of the last statement of `sql` as a JSON array (caller decrefs). */
json_t *pqw_duckdb(const char *sql);

/* Rows of a Parquet file as another independent reader returns them (readers.mjs: "arrow-rs",
 * the reader delta-rs uses, or "hyparquet"), as a JSON array (caller decrefs). */
json_t *pqw_other_reader(const char *which, const char *path);

/* Compare an expected value with DuckDB's: numbers numerically (DuckDB prints 2.0 as 2), an
 * integer beyond 2^53 against DuckDB's decimal string, an expected object's missing key as
 * null, maps/objects without regard to key order. On a difference, fills `why` with the path. */
bool pqw_same(const json_t *want, const json_t *got, char *why, size_t why_len);

/* Form differences to forgive (documented where they arise):
 * PQW_TS_FORMS   timestamps equal after dropping trailing fraction zeros, 'T' vs ' ', "Z"/"+00"
 * PQW_NUM_FORMS  FLOAT values equal at float32 precision; DuckDB's exact DECIMAL text equal to a
 *                number within 1e-12 relative */
#define PQW_TS_FORMS 1
#define PQW_NUM_FORMS 2
bool pqw_same_forms(const json_t *want, const json_t *got, int flags, char *why, size_t why_len);

/* assert both arrays hold the same rows in order (message names the first differing row). */
void pqw_assert_rows(const json_t *want, const json_t *got);
void pqw_assert_rows_forms(const json_t *want, const json_t *got, int flags);

/* Every row of an in-memory Parquet file through our reader (lakerewind/parquet.h). */
json_t *pqw_read_ours(const struct lr_buf *file, const char *name);

/* Write `b` to `dir`/`name`; returns the path (caller frees). */
char *pqw_save(const char *dir, const char *name, const struct lr_buf *b);

/* Declare the Delta checkpoint schema (txn, add, remove, metaData, protocol) the way Spark
 * lays it out, NOT NULL fields as REQUIRED inside the optional action structs. */
void pqw_declare_checkpoint(struct lr_parquet_writer *w);

/* One JSON row per string (jansson text), appended in order. */
void pqw_append_all(struct lr_parquet_writer *w, const json_t *rows);

/* "YYYY-MM-DD" of a day number; "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" of epoch microseconds. */
void pqw_format_date(int64_t days, char *out, size_t n);
void pqw_format_timestamp(int64_t micros, char *out, size_t n);

#endif
