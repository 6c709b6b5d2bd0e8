/* pqw_checkpoint.h - the Delta checkpoint schema for the writer tests and the benchmark
 * generator (no cmocka here, so tests/bench can link it). */
#ifndef LR_PQW_CHECKPOINT_H
#define LR_PQW_CHECKPOINT_H

#include "lakerewind/error.h"
#include "lakerewind/parquet_write.h"

/* Declare txn, add, remove, metaData and protocol the way Spark lays a checkpoint out: optional
 * action structs, Spark's NOT NULL fields as REQUIRED inside them, map<string,string>
 * partitionValues/tags/configuration/options, list<string> partitionColumns and features, and
 * the deletionVector struct. 0 or a negative LR_E* code. */
int pqw_checkpoint_schema(struct lr_parquet_writer *w, struct lr_error *err);

#endif
