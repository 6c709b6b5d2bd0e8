/* restore_rules.c - what a RESTORE writer must do for each writer feature beyond the file diff:
 * identity high-water marks, the column-mapping id counter, row tracking, the clustering
 * domain, and the icebergCompat requirements a restore can break. Each rule follows what
 * Delta Spark's RestoreTableCommand + OptimisticTransaction.commitLarge do (see
 * delta-protocol-notes.md 5.5 and 6.4); the sources are named at each function. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "delta/restore_rules.h"
#include "lakerewind/str.h"

/* ---- identity columns ---- */

static const char *physical_name(json_t *field)
{
    const char *p = delta_json_str(json_object_get(field, "metadata"),
                                   "delta.columnMapping.physicalName");
    return p ? p : delta_json_str(field, "name");
}

static bool is_identity(json_t *md)
{
    return json_is_integer(json_object_get(md, "delta.identity.start")) &&
           json_is_integer(json_object_get(md, "delta.identity.step")) &&
           json_object_get(md, "delta.identity.allowExplicitInsert") != NULL;
}

/* x before y in the column's step direction */
static bool before(int64_t x, int64_t y, bool up)
{
    return up ? x < y : x > y;
}

/* The first value of start + k*step at or after `value` in the step direction (Spark's
 * roundToNext); `value` itself on overflow. */
static int64_t round_to_next(int64_t start, int64_t step, int64_t value)
{
    int64_t off;
    if (step == 1 || step == -1 || __builtin_sub_overflow(value, start, &off) ||
        off % step == 0)
        return value;
    int64_t q = off / step;
    if ((off > 0) == (step > 0))
        q++;
    int64_t prod, out;
    if (__builtin_mul_overflow(step, q, &prod) || __builtin_add_overflow(start, prod, &out))
        return value;
    return out;
}

bool delta_restore_merge_identity(json_t *target_schema, json_t *current_schema)
{
    bool changed = false;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(target_schema, "fields"), i, f) {
        json_t *md = json_object_get(f, "metadata");
        const char *pf = physical_name(f);
        if (!is_identity(md) || !pf)
            continue;
        int64_t start = json_integer_value(json_object_get(md, "delta.identity.start"));
        int64_t step = json_integer_value(json_object_get(md, "delta.identity.step"));
        if (step == 0)
            continue;
        bool up = step > 0;
        size_t j;
        json_t *g;
        json_array_foreach(json_object_get(current_schema, "fields"), j, g) {
            json_t *gmd = json_object_get(g, "metadata");
            const char *pg = physical_name(g);
            json_t *cand = json_object_get(gmd, "delta.identity.highWaterMark");
            if (!pg || strcmp(pf, pg) != 0 || !is_identity(gmd) || !json_is_integer(cand))
                continue;
            int64_t c = json_integer_value(cand);
            json_t *old = json_object_get(md, "delta.identity.highWaterMark");
            bool has_old = json_is_integer(old);
            int64_t o = has_old ? json_integer_value(old) : 0;
            int64_t rounded = round_to_next(start, step, c);
            int64_t next = has_old && before(rounded, o, up) ? o : rounded;
            bool bad_old = has_old && before(o, start, up);
            bool is_changed = !has_old || o != next;
            if (bad_old || (!before(c, start, up) && is_changed)) {
                json_object_set_new(md, "delta.identity.highWaterMark", json_integer(next));
                changed = true;
            }
            break;
        }
    }
    return changed;
}

/* ---- column mapping ---- */

int64_t delta_restore_max_column_id(json_t *type)
{
    int64_t best = 0;
    if (json_is_object(type)) {
        json_t *md = json_object_get(type, "metadata");
        int64_t id = delta_json_int(md, "delta.columnMapping.id", 0);
        if (id > best)
            best = id;
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(md, "delta.columnMapping.nested.ids"), k, v)
            if (json_is_integer(v) && json_integer_value(v) > best)
                best = json_integer_value(v);
        json_object_foreach(type, k, v) {
            if (strcmp(k, "metadata") == 0)
                continue;
            int64_t x = delta_restore_max_column_id(v);
            if (x > best)
                best = x;
        }
    } else if (json_is_array(type)) {
        size_t i;
        json_t *v;
        json_array_foreach(type, i, v) {
            int64_t x = delta_restore_max_column_id(v);
            if (x > best)
                best = x;
        }
    }
    return best;
}

/* ---- row tracking ---- */

static int64_t stats_records(json_t *add)
{
    json_t *st = json_object_get(add, "stats");
    if (!json_is_string(st))
        return -1;
    json_t *j = json_loads(json_string_value(st), 0, NULL);
    json_t *n = json_object_get(j, "numRecords");
    int64_t r = json_is_integer(n) ? json_integer_value(n) : -1;
    json_decref(j);
    return r;
}

static int64_t row_id_high_water_mark(const struct lr_delta_snapshot *cur)
{
    json_t *d = json_object_get(cur->domains, "delta.rowTracking");
    const char *conf = delta_json_str(d, "configuration");
    if (!conf)
        return -1;
    json_t *j = json_loads(conf, 0, NULL);
    json_t *h = json_object_get(j, "rowIdHighWaterMark");
    int64_t r = json_is_integer(h) ? json_integer_value(h) : -1;
    json_decref(j);
    return r;
}

/* The row-tracking field `name` of the live file of `cur` at `path` (any deletion vector), or
 * NULL: the protocol wants a recommitted add to keep the baseRowId/defaultRowCommitVersion of
 * the last add of the same path. New reference. */
static json_t *current_field(const struct lr_delta_snapshot *cur, const char *path,
                             const char *name)
{
    /* files are sorted by path bytes: the first one at or after `path` */
    size_t lo = 0, hi = cur->num_files;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(cur->files[mid]->path, path) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < cur->num_files && strcmp(cur->files[i]->path, path) == 0; i++) {
        json_t *v = lr_delta_file_field(cur->files[i], name);
        if (json_is_integer(v))
            return v;
        json_decref(v);
    }
    return NULL;
}

int delta_restore_row_tracking(struct lr_delta_restore_plan *plan,
                               const struct lr_delta_snapshot *cur,
                               const struct lr_delta_snapshot *tgt,
                               const struct lr_delta_protocol *merged)
{
    if (!lr_delta_protocol_has(merged, "rowTracking", false))
        return 0;
    size_t i;
    json_t *a;
    const char *susp = lr_delta_snapshot_config(cur, "delta.rowTrackingSuspended");
    if (susp && strcmp(susp, "true") == 0) {
        /* suspended: writers assign nothing and Spark drops what the files carried */
        json_array_foreach(plan->adds, i, a) {
            json_object_del(a, "baseRowId");
            json_object_del(a, "defaultRowCommitVersion");
        }
        return 0;
    }
    int64_t hwm0 = row_id_high_water_mark(cur);
    int64_t ht = row_id_high_water_mark(tgt);
    int64_t hwm = hwm0 > ht ? hwm0 : ht;
    bool fresh = false;
    json_array_foreach(plan->adds, i, a) {
        const char *path = delta_json_str(a, "path");
        if (!json_is_integer(json_object_get(a, "baseRowId")) && path) {
            /* same path live now (another deletion vector, ids backfilled since): its ids */
            json_t *b = current_field(cur, path, "baseRowId");
            if (b) {
                json_object_set_new(a, "baseRowId", b);
                json_t *c = current_field(cur, path, "defaultRowCommitVersion");
                if (c && !json_is_integer(json_object_get(a, "defaultRowCommitVersion")))
                    json_object_set_new(a, "defaultRowCommitVersion", c);
                else
                    json_decref(c);
            }
        }
        if (!json_is_integer(json_object_get(a, "defaultRowCommitVersion")))
            json_object_set_new(a, "defaultRowCommitVersion", json_integer(cur->version + 1));
        if (json_is_integer(json_object_get(a, "baseRowId")))
            continue;
        int64_t n = stats_records(a);
        if (n < 0)
            return delta_restore_refuse(
                plan, LR_EUNSUPPORTED, "row-tracking",
                lr_asprintf("row tracking is on and file %s has neither a baseRowId nor a "
                            "numRecords statistic, so no fresh row ids can be assigned to it "
                            "(Spark refuses this restore too): restore a version whose files "
                            "have statistics", delta_json_str(a, "path")));
        json_object_set_new(a, "baseRowId", json_integer(hwm + 1));
        hwm += n;
        fresh = true;
    }
    if (!fresh || hwm == hwm0)
        return 0;
    char *conf = lr_asprintf("{\"rowIdHighWaterMark\":%lld}", (long long)hwm);
    json_t *d = json_object();
    if (!conf || !d) {
        free(conf);
        json_decref(d);
        return LR_ENOMEM;
    }
    json_object_set_new(d, "domain", json_string("delta.rowTracking"));
    json_object_set_new(d, "configuration", json_string(conf));
    json_object_set_new(d, "removed", json_false());
    free(conf);
    return json_array_append_new(plan->domains, d) < 0 ? LR_ENOMEM : 0;
}

/* ---- clustering ---- */

int delta_restore_clustering(struct lr_delta_restore_plan *plan,
                             const struct lr_delta_snapshot *cur,
                             const struct lr_delta_snapshot *tgt)
{
    json_t *cd_cur = json_object_get(cur->domains, "delta.clustering");
    json_t *cd_tgt = json_object_get(tgt->domains, "delta.clustering");
    json_t *d = NULL;
    if (cd_cur) {
        /* the current domain is overwritten with the target's columns, or none when the target
         * was not a clustered table */
        bool clustered = cd_tgt && lr_delta_protocol_has(&tgt->protocol, "clustering", false);
        const char *conf = clustered ? delta_json_str(cd_tgt, "configuration") : NULL;
        d = json_object();
        if (!d)
            return LR_ENOMEM;
        json_object_set_new(d, "domain", json_string("delta.clustering"));
        json_object_set_new(d, "configuration",
                            json_string(conf ? conf : "{\"clusteringColumns\":[]}"));
        json_object_set_new(d, "removed", json_false());
    } else if (cd_tgt) {
        /* a clustering domain dropped since the target stays dropped: Spark writes the target's
         * domain as removed, as for REPLACE TABLE */
        d = json_deep_copy(cd_tgt);
        if (!d)
            return LR_ENOMEM;
        json_object_set_new(d, "removed", json_true());
    }
    if (d && json_array_append_new(plan->domains, d) < 0)
        return LR_ENOMEM;
    return 0;
}

/* ---- icebergCompat ---- */

static bool conf_true(json_t *conf, const char *key)
{
    const char *v = delta_json_str(conf, key);
    return v && strcmp(v, "true") == 0;
}

int delta_restore_iceberg_check(struct lr_delta_restore_plan *plan,
                                const struct lr_delta_snapshot *cur,
                                const struct lr_delta_protocol *merged)
{
    json_t *conf = json_object_get(plan->metadata, "configuration");
    /* UniForm: Spark regenerates the Iceberg/Hudi metadata after each of its own commits
     * (post-commit hook); a commit by another engine leaves it behind until then */
    const char *uni = delta_json_str(conf, "delta.universalFormat.enabledFormats");
    if (!uni || !*uni)
        uni = lr_delta_snapshot_config(cur, "delta.universalFormat.enabledFormats");
    if (uni && *uni &&
        lr_strvec_push_owned(&plan->warnings,
                             lr_asprintf("UniForm is on (delta.universalFormat.enabledFormats = "
                                         "%s): Iceberg/Hudi readers keep seeing the table as it "
                                         "was until Spark commits to it again (or runs REORG "
                                         "... UPGRADE UNIFORM / MSCK REPAIR TABLE ... SYNC "
                                         "METADATA)", uni)) < 0)
        return LR_ENOMEM;
    const char *which = NULL;
    if (conf_true(conf, "delta.enableIcebergCompatV2") &&
        lr_delta_protocol_has(merged, "icebergCompatV2", false))
        which = "icebergCompatV2";
    else if (conf_true(conf, "delta.enableIcebergCompatV1") &&
             lr_delta_protocol_has(merged, "icebergCompatV1", false))
        which = "icebergCompatV1";
    if (!which)
        return 0;
    /* V1: the deletionVectors feature must not even be supported; V2: not active */
    bool v1 = strcmp(which, "icebergCompatV1") == 0;
    if (lr_delta_protocol_has(merged, "deletionVectors", true) &&
        (v1 || conf_true(conf, "delta.enableDeletionVectors")))
        return delta_restore_refuse(
            plan, LR_EUNSUPPORTED, "iceberg-compat",
            lr_asprintf("the restored metadata turns %s on, but the table (as it is now) "
                        "supports deletion vectors, which %s forbids: restore it with Spark "
                        "after disabling one of them", which, which));
    size_t i;
    json_t *a;
    json_array_foreach(plan->adds, i, a) {
        const char *why = NULL;
        if (json_is_object(json_object_get(a, "deletionVector")))
            why = "carries a deletion vector";
        else if (stats_records(a) < 0)
            why = "has no numRecords statistic";
        if (why)
            return delta_restore_refuse(
                plan, LR_EUNSUPPORTED, "iceberg-compat",
                lr_asprintf("%s is on in the restored metadata and file %s %s, which %s "
                            "forbids in a committed add: restore a more recent version",
                            which, delta_json_str(a, "path"), why, which));
    }
    return 0;
}

/* ---- metadata properties Spark's updateMetadata rewrites ---- */

int delta_restore_metadata_fixups(struct lr_delta_restore_plan *plan,
                                  const struct lr_delta_snapshot *cur,
                                  const struct lr_delta_protocol *merged)
{
    json_t *conf = json_object_get(plan->metadata, "configuration");
    if (!json_is_object(conf))
        return 0;
    /* protocol requests as properties (Protocol.filterProtocolPropsFromTableProps): the
     * protocol line carries them; they never stay in the configuration */
    const char *k;
    void *tmp;
    json_t *v;
    json_object_foreach_safe(conf, tmp, k, v) {
        if (strcmp(k, "delta.minReaderVersion") == 0 || strcmp(k, "delta.minWriterVersion") == 0 ||
            strcmp(k, "delta.ignoreProtocolDefaults") == 0 ||
            strncmp(k, "delta.feature.", 14) == 0)
            json_object_del(conf, k);
    }
    /* materialized row-tracking column names (MaterializedRowTrackingColumn.
     * updateMaterializedColumnName): the current table's names, as its newer files use them;
     * none without row tracking */
    static const char *const names[] = {
        "delta.rowTracking.materializedRowIdColumnName",
        "delta.rowTracking.materializedRowCommitVersionColumnName",
    };
    /* checkpointProtection's delta.requireCheckpointProtectionBeforeVersion only restricts
     * log cleanup; Spark restores the target's value, we keep the larger one so a restore never
     * relaxes the protection a DROP FEATURE put on the history (a deliberate, safe deviation) */
    static const char *const cpp = "delta.requireCheckpointProtectionBeforeVersion";
    const char *cv = lr_delta_snapshot_config(cur, cpp);
    int64_t a = 0, b = -1;
    if (lr_delta_protocol_has(merged, "checkpointProtection", false) && cv &&
        lr_parse_int64(cv, &a) &&
        !(delta_json_str(conf, cpp) && lr_parse_int64(delta_json_str(conf, cpp), &b) && b >= a) &&
        json_object_set_new(conf, cpp, json_string(cv)) < 0)
        return LR_ENOMEM;
    bool rt = lr_delta_protocol_has(merged, "rowTracking", false);
    for (size_t i = 0; i < 2; i++) {
        const char *c = lr_delta_snapshot_config(cur, names[i]);
        if (!rt)
            json_object_del(conf, names[i]);
        else if (c && json_object_set_new(conf, names[i], json_string(c)) < 0)
            return LR_ENOMEM;
    }
    return 0;
}
