/* restore_rules.h - the per-feature rules of a RESTORE commit (restore_rules.c), kept apart
 * from the diff in restore_plan.c. Internal to core/delta/. */
#ifndef LR_DELTA_RESTORE_RULES_H
#define LR_DELTA_RESTORE_RULES_H

#include <jansson.h>
#include <stdbool.h>

#include "lakerewind/delta.h"

/* Identity high-water marks (Spark's IdentityColumn.copySchemaWithMergedHighWaterMarks): every
 * top-level identity column of `target_schema` whose physical name has a high-water mark in
 * `current_schema` gets the larger one in its step direction (rounded onto its start + k*step
 * grid), also when the target has none yet. Returns whether `target_schema` changed. */
bool delta_restore_merge_identity(json_t *target_schema, json_t *current_schema);

/* Largest column-mapping id in a schema: field ids and icebergCompatV2 nested ids. */
int64_t delta_restore_max_column_id(json_t *schema);

/* Row tracking (Spark's RowId.assignFreshRowIds and DefaultRowCommitVersion.assignIfMissing on
 * the commitLarge path): when `merged` supports rowTracking, restored adds keep their baseRowId
 * and defaultRowCommitVersion; adds without them take those of the same path live now (the
 * protocol's rule for recommitted adds; Spark assigns fresh ones), else fresh ones above the
 * current delta.rowTracking high-water mark (plan->domains gets the raised mark), or lose both
 * when the current table suspends row tracking. A file without numRecords cannot get row ids:
 * refused.
 * Fresh ids start above the larger of the current and target marks (Spark reads the current
 * one only, and none when the current protocol lacks rowTracking; the target's mark also
 * bounds every baseRowId the restored files carry, so ids are never issued twice). */
int delta_restore_row_tracking(struct lr_delta_restore_plan *plan,
                               const struct lr_delta_snapshot *cur,
                               const struct lr_delta_snapshot *tgt,
                               const struct lr_delta_protocol *merged);

/* The delta.clustering domain as Spark's DomainMetadataUtils.handleDomainMetadataForRestoreTable
 * writes it, appended to plan->domains. */
int delta_restore_clustering(struct lr_delta_restore_plan *plan,
                             const struct lr_delta_snapshot *cur,
                             const struct lr_delta_snapshot *tgt);

/* icebergCompatV1/V2 writer requirements a restore can break (numRecords on every add, no
 * deletion vectors): refusals into the plan; UniForm metadata left behind: a warning. */
int delta_restore_iceberg_check(struct lr_delta_restore_plan *plan,
                                const struct lr_delta_snapshot *cur,
                                const struct lr_delta_protocol *merged);

/* Configuration keys Spark's OptimisticTransaction.updateMetadata rewrites on the restored
 * metadata: protocol-request properties (delta.minReaderVersion, delta.minWriterVersion,
 * delta.ignoreProtocolDefaults, delta.feature.*) are dropped; the materialized row-tracking
 * column names are the current table's (dropped when `merged` has no rowTracking). */
int delta_restore_metadata_fixups(struct lr_delta_restore_plan *plan,
                                  const struct lr_delta_snapshot *cur,
                                  const struct lr_delta_protocol *merged);

/* Add a refusal (takes `message`; NULL = out of memory). restore_plan.c. */
int delta_restore_refuse(struct lr_delta_restore_plan *p, int code, const char *kind,
                         char *message);

#endif
