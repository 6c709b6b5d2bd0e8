/* restore_plan.c - the RESTORE plan, as Spark's RestoreTableCommand builds it (pure logic,
 * plus lr_delta_restore_plan_make which loads what the pure part needs).
 *
 * Invariants the tests cite:
 *   (1) identity is (path, DV unique id): a file live in both versions with the same key is
 *       untouched; a DV change is a remove of the old key plus an add of the old one back;
 *   (2) adds are the target's add actions copied whole (path byte for byte) with dataChange
 *       true; removes carry deletionTimestamp, dataChange, extendedFileMetadata, partitionValues,
 *       size (and stats, tags, DV, row-tracking fields when present);
 *   (3) metadata comes from the target except values that must never go backwards
 *       (delta.columnMapping.maxColumnId, identity high-water marks, the checkpoint-protection
 *       version), the current ICT enablement record while ICT stays on, the current
 *       materialized row-tracking column names; protocol-request properties are dropped
 *       (restore_rules.c);
 *   (4) the protocol is the merge of both (never a downgrade); row tracking, clustering and
 *       icebergCompat rules are applied as Spark's commitLarge does (restore_rules.c);
 *   (5) every refusal is listed; a plan with refusals is never committed. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "delta/restore_rules.h"
#include "lakerewind/str.h"

void lr_delta_restore_plan_free(struct lr_delta_restore_plan *p)
{
    if (!p)
        return;
    json_decref(p->adds);
    json_decref(p->removes);
    json_decref(p->metadata);
    json_decref(p->protocol);
    json_decref(p->domains);
    json_decref(p->metrics);
    for (size_t i = 0; i < p->refusal_count; i++) {
        free(p->refusals[i].kind);
        free(p->refusals[i].message);
    }
    free(p->refusals);
    lr_strvec_free(&p->warnings);
    delta_plan_stats_free(p->kept_stats);
    memset(p, 0, sizeof *p);
}

static int refuse(struct lr_delta_restore_plan *p, int code, const char *kind, char *message)
{
    if (!message)
        return LR_ENOMEM;
    struct lr_delta_refusal *r = realloc(p->refusals, (p->refusal_count + 1) * sizeof *r);
    if (!r) {
        free(message);
        return LR_ENOMEM;
    }
    p->refusals = r;
    r[p->refusal_count].code = code;
    r[p->refusal_count].kind = lr_strdup(kind);
    r[p->refusal_count].message = message;
    p->refusal_count++;
    return 0;
}

int delta_restore_refuse(struct lr_delta_restore_plan *p, int code, const char *kind,
                         char *message)
{
    return refuse(p, code, kind, message);
}

static int warn(struct lr_delta_restore_plan *p, char *message)
{
    if (!message)
        return LR_ENOMEM;
    return lr_strvec_push_owned(&p->warnings, message);
}

struct ix {
    const struct lr_delta_file *f;
    size_t i;
};

static int ix_cmp(const void *a, const void *b)
{
    return delta_rec_cmp(((const struct ix *)a)->f, ((const struct ix *)b)->f);
}

/* The files of s with their positions, in identity order (snapshots that
 * lr_delta_snapshot_load makes are sorted already; one built by hand may not be). */
static struct ix *sorted_index(const struct lr_delta_snapshot *s)
{
    struct ix *v = malloc((s->num_files + 1) * sizeof *v);
    if (!v)
        return NULL;
    bool sorted = true;
    for (size_t i = 0; i < s->num_files; i++) {
        v[i] = (struct ix){s->files[i], i};
        if (i > 0 && sorted && !s->is_sorted &&
            delta_rec_cmp(s->files[i - 1], s->files[i]) >= 0)
            sorted = false;
    }
    if (!sorted)
        qsort(v, s->num_files, sizeof *v, ix_cmp);
    return v;
}

/* in_b[i]: whether a->files[i] has an identity b has, and in_a[j] the other way round, in one
 * merge pass (snapshots of one table share records, so most pairs compare as equal
 * pointers). */
static int match_files(const struct lr_delta_snapshot *a, const struct lr_delta_snapshot *b,
                       bool *in_b, bool *in_a)
{
    if (a->is_sorted && b->is_sorted) {
        /* loaded snapshots: merged in place, no index (two million-entry arrays saved) */
        size_t i = 0, j = 0;
        while (i < a->num_files && j < b->num_files) {
            int c = delta_rec_cmp(a->files[i], b->files[j]);
            if (c == 0)
                in_b[i++] = in_a[j++] = true;
            else if (c < 0)
                i++;
            else
                j++;
        }
        return 0;
    }
    struct ix *xa = sorted_index(a);
    struct ix *xb = sorted_index(b);
    if (!xa || !xb) {
        free(xa);
        free(xb);
        return LR_ENOMEM;
    }
    size_t i = 0;
    size_t j = 0;
    while (i < a->num_files && j < b->num_files) {
        int c = delta_rec_cmp(xa[i].f, xb[j].f);
        if (c == 0) {
            in_b[xa[i++].i] = true;
            in_a[xb[j++].i] = true;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    free(xa);
    free(xb);
    return 0;
}

/* An add read from a Parquet checkpoint may carry typed stats (stats_parsed) instead of the
 * JSON string; a JSON commit carries the string (as Spark re-serialises it). */
/* The logged action of f; typed-stats-only checkpoints give no stats string: their
 * numRecords becomes one, so the restored file keeps its row count. */
static json_t *file_action(const struct lr_delta_file *f)
{
    json_t *a = lr_delta_file_action(f);
    if (a && !json_object_get(a, "stats") && f->num_records >= 0) {
        char *text = lr_asprintf("{\"numRecords\":%lld}", (long long)f->num_records);
        if (!text || json_object_set_new(a, "stats", json_string(text)) < 0) {
            json_decref(a);
            a = NULL;
        }
        free(text);
    }
    return a;
}

/* lr_delta_files_stats_prefetch for the files of s not marked in `skip`. */
static int prefetch_stats(const struct lr_delta_snapshot *s, const bool *skip,
                          struct lr_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < s->num_files; i++)
        n += !skip[i];
    const struct lr_delta_file **v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return LR_ENOMEM;
    n = 0;
    for (size_t i = 0; i < s->num_files; i++)
        if (!skip[i])
            v[n++] = s->files[i];
    int rc = lr_delta_files_stats_prefetch(v, n, err);
    free(v);
    return rc;
}

/* Whether the plan's own rules read the stats of the files it adds: fresh row ids count their
 * rows, and Iceberg compatibility requires numRecords. */
static bool stats_read_by_rules(const struct lr_delta_snapshot *s)
{
    return lr_delta_protocol_has(&s->protocol, "rowTracking", false) ||
           lr_delta_protocol_has(&s->protocol, "icebergCompatV1", false) ||
           lr_delta_protocol_has(&s->protocol, "icebergCompatV2", false);
}

static void normalise_add(json_t *a)
{
    json_t *sp = json_object_get(a, "stats_parsed");
    if (sp && !json_is_string(json_object_get(a, "stats")) && json_is_object(sp)) {
        char *text = json_dumps(sp, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (text) {
            json_object_set_new(a, "stats", json_string(text));
            free(text);
        }
    }
    json_object_del(a, "stats_parsed");
    json_object_del(a, "partitionValues_parsed");
    /* a null field from a checkpoint row is the same as an absent one in JSON */
    const char *k;
    void *tmp;
    json_t *v;
    json_object_foreach_safe(a, tmp, k, v) if (json_is_null(v)) json_object_del(a, k);
}

static json_t *make_remove(json_t *add, int64_t now_ms)
{
    json_t *r = json_object();
    json_object_set(r, "path", json_object_get(add, "path"));
    json_object_set_new(r, "deletionTimestamp", json_integer(now_ms));
    json_object_set_new(r, "dataChange", json_true());
    json_object_set_new(r, "extendedFileMetadata", json_true());
    json_t *pv = json_object_get(add, "partitionValues");
    json_object_set_new(r, "partitionValues", json_is_object(pv) ? json_incref(pv)
                                                                  : json_object());
    json_object_set(r, "size", json_object_get(add, "size"));
    static const char *const copy[] = {"stats", "tags", "deletionVector", "baseRowId",
                                       "defaultRowCommitVersion"};
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
        json_t *v = json_object_get(add, copy[i]);
        if (v && !json_is_null(v))
            json_object_set(r, copy[i], v);
    }
    json_t *sp = json_object_get(add, "stats_parsed");
    if (!json_object_get(r, "stats") && json_is_object(sp)) {
        char *text = json_dumps(sp, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (text) {
            json_object_set_new(r, "stats", json_string(text));
            free(text);
        }
    }
    return r;
}

static bool mapping_on(const struct lr_delta_snapshot *s)
{
    const char *m = lr_delta_snapshot_config(s, "delta.columnMapping.mode");
    return m && (strcmp(m, "name") == 0 || strcmp(m, "id") == 0);
}

/* The target's metadata, as Spark's restore commits it: the schema with identity high-water
 * marks merged from the current one, the column-mapping id counter never lowered, and the
 * in-commit-timestamp enablement keys kept right (see the ICT note below). */
static int build_metadata(struct lr_delta_restore_plan *p, const struct lr_delta_snapshot *cur,
                          const struct lr_delta_snapshot *tgt)
{
    p->metadata = json_deep_copy(tgt->metadata);
    if (!p->metadata)
        return LR_ENOMEM;
    json_t *conf = json_object_get(p->metadata, "configuration");
    if (!json_is_object(conf)) {
        conf = json_object();
        json_object_set_new(p->metadata, "configuration", conf);
    }
    json_t *tschema = tgt->schema_string ? json_loads(tgt->schema_string, 0, NULL) : NULL;
    json_t *cschema = cur->schema_string ? json_loads(cur->schema_string, 0, NULL) : NULL;
    /* column mapping id counter (DeltaColumnMapping.assignColumnIdAndPhysicalName, run when
     * the restored mode is name or id): max(current, target, max id in the target schema) */
    if (mapping_on(tgt)) {
        int64_t a = 0, b = 0;
        const char *ca = lr_delta_snapshot_config(cur, "delta.columnMapping.maxColumnId");
        const char *cb = lr_delta_snapshot_config(tgt, "delta.columnMapping.maxColumnId");
        if (ca)
            lr_parse_int64(ca, &a);
        if (cb)
            lr_parse_int64(cb, &b);
        int64_t m = a > b ? a : b;
        int64_t ids = tschema ? delta_restore_max_column_id(tschema) : 0;
        if (ids > m)
            m = ids;
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)m);
        json_object_set_new(conf, "delta.columnMapping.maxColumnId", json_string(buf));
    }
    if (tschema && cschema && delta_restore_merge_identity(tschema, cschema)) {
        char *text = json_dumps(tschema, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (text) {
            json_object_set_new(p->metadata, "schemaString", json_string(text));
            free(text);
        }
    }
    json_decref(tschema);
    json_decref(cschema);
    /* In-commit timestamps follow the restored metadata, as in Spark (its commitLarge stamps
     * an ICT when the new metadata enables it). When ICT stays on and the current table
     * records where it was enabled, that record is kept: the target's may be older (ICT turned
     * off and on again since), and the commits in between carry no ICT. Spark keeps the
     * current record only when the target has none, else the target's (a deliberate
     * deviation: the current record is the one that describes the commits after it). */
    static const char *const ict_keys[] = {"delta.inCommitTimestampEnablementVersion",
                                           "delta.inCommitTimestampEnablementTimestamp"};
    const char *on = delta_json_str(conf, "delta.enableInCommitTimestamps");
    const char *cv = lr_delta_snapshot_config(cur, ict_keys[0]);
    const char *ct = lr_delta_snapshot_config(cur, ict_keys[1]);
    if (on && strcmp(on, "true") == 0 && lr_delta_snapshot_has_ict(cur) && cv && ct) {
        json_object_set_new(conf, ict_keys[0], json_string(cv));
        json_object_set_new(conf, ict_keys[1], json_string(ct));
    }
    return 0;
}

static int union_push(json_t *arr, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), name) == 0) return 0;
    return json_array_append_new(arr, json_string(name));
}

static void implied_writer(json_t *arr, const struct lr_delta_protocol *p)
{
    static const char *const legacy[] = {"appendOnly", "invariants", "checkConstraints",
                                         "changeDataFeed", "generatedColumns", "columnMapping",
                                         "identityColumns"};
    if (p->min_writer_version >= 7) {
        for (size_t i = 0; i < p->writer_features.count; i++)
            union_push(arr, p->writer_features.items[i]);
        return;
    }
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
        if (lr_delta_protocol_has(p, legacy[i], false))
            union_push(arr, legacy[i]);
}

static void implied_reader(json_t *arr, const struct lr_delta_protocol *p)
{
    if (p->min_reader_version >= 3) {
        for (size_t i = 0; i < p->reader_features.count; i++)
            union_push(arr, p->reader_features.items[i]);
    } else if (p->min_reader_version == 2) {
        union_push(arr, "columnMapping");
    }
}

/* Protocol.merge: max versions, union of explicit and implied features. */
static json_t *merge_protocol(const struct lr_delta_snapshot *cur,
                              const struct lr_delta_snapshot *tgt)
{
    const struct lr_delta_protocol *a = &cur->protocol;
    const struct lr_delta_protocol *b = &tgt->protocol;
    if (json_equal(cur->protocol_action, tgt->protocol_action))
        return json_deep_copy(cur->protocol_action);
    int r = a->min_reader_version > b->min_reader_version ? a->min_reader_version
                                                          : b->min_reader_version;
    int w = a->min_writer_version > b->min_writer_version ? a->min_writer_version
                                                          : b->min_writer_version;
    json_t *p = json_object();
    json_object_set_new(p, "minReaderVersion", json_integer(r));
    json_object_set_new(p, "minWriterVersion", json_integer(w));
    if (r >= 3) {
        json_t *rf = json_array();
        implied_reader(rf, a);
        implied_reader(rf, b);
        json_object_set_new(p, "readerFeatures", rf);
    }
    if (w >= 7) {
        json_t *wf = json_array();
        implied_writer(wf, a);
        implied_writer(wf, b);
        /* every reader feature is also a writer feature */
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(p, "readerFeatures"), i, v)
            union_push(wf, json_string_value(v));
        json_object_set_new(p, "writerFeatures", wf);
    }
    return p;
}

int lr_delta_restore_plan_build(struct lr_delta_restore_plan *out,
                                const struct lr_delta_snapshot *cur,
                                const struct lr_delta_snapshot *tgt,
                                const struct lr_delta_retention *ret,
                                const struct lr_strvec *present_keys,
                                const struct lr_delta_restore_options *opts,
                                struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct lr_delta_restore_options o = {0};
    if (opts)
        o = *opts;
    if (o.now_ms <= 0)
        o.now_ms = delta_now_ms();
    out->opts = o;
    out->read_version = cur->version;
    out->target_version = tgt->version;
    out->rows_before = cur->num_records;
    out->rows_after = tgt->num_records;
    out->previous_timestamp_ms = cur->timestamp_ms;
    /* target paths that name no object under the table root (absolute URIs, '..'): we cannot
     * check them, and say so rather than calling them vacuumed */
    struct lr_strvec outside = {0};
    bool *cur_in_tgt = calloc(cur->num_files + 1, sizeof *cur_in_tgt);
    bool *tgt_in_cur = calloc(tgt->num_files + 1, sizeof *tgt_in_cur);
    struct lr_delta_protocol merged = {0};
    int rc = 0;
    out->adds = json_array();
    out->removes = json_array();
    out->domains = json_array();
    out->metrics = json_object();
    if (!out->adds || !out->removes || !out->domains || !out->metrics ||
        !cur_in_tgt || !tgt_in_cur || match_files(cur, tgt, cur_in_tgt, tgt_in_cur) < 0)
        goto nomem;

    if (tgt->version == cur->version) {
        if (refuse(out, LR_ESTATE, "nothing-to-do",
                   lr_asprintf("the table is already at version %lld: nothing to restore",
                               (long long)cur->version)) < 0)
            goto nomem;
    } else if (tgt->version > cur->version) {
        if (refuse(out, LR_EINVAL, "not-older",
                   lr_asprintf("version %lld is newer than the current version %lld: restore "
                               "goes back only", (long long)tgt->version,
                               (long long)cur->version)) < 0)
            goto nomem;
    }

    /* files to add back: target files whose identity is not live now. Their stats, and those
     * of the files to remove, when a checkpoint keeps them: filled by the commit text, unless
     * the rules below read them (row ids, Iceberg compatibility), then decoded here in one
     * pass. */
    bool defer = !stats_read_by_rules(cur) && !stats_read_by_rules(tgt);
    if (defer ? delta_plan_stats_hold(out, cur, tgt) < 0
              : prefetch_stats(tgt, tgt_in_cur, err) < 0 ||
                    prefetch_stats(cur, cur_in_tgt, err) < 0)
        goto nomem;
    out->rows_added = 0;
    out->rows_removed = 0;
    uint64_t missing_bytes = 0;
    for (size_t i = 0; i < tgt->num_files; i++) {
        const struct lr_delta_file *f = tgt->files[i];
        if (tgt_in_cur[i])
            continue;
        bool later = defer && delta_stats_kept(f);
        json_t *a = later ? delta_file_action(f, false) : file_action(f);
        if (!a)
            goto nomem;
        json_object_set_new(a, "dataChange", json_true());
        normalise_add(a);
        if (json_array_append_new(out->adds, a) < 0 ||
            (later && delta_plan_stats_defer(out, a, f) < 0))
            goto nomem;
        out->num_restored_files++;
        out->restored_bytes += f->size > 0 ? f->size : 0;
        int64_t rows = lr_delta_file_rows(f);
        out->rows_added = rows < 0 || out->rows_added < 0 ? -1 : out->rows_added + rows;
        if (present_keys) {
            char *dk = lr_delta_path_to_key(f->path);
            if (!dk && lr_strvec_push(&outside, f->path) < 0)
                goto nomem;
            bool gone = dk && !lr_delta_keys_have(present_keys, dk);
            free(dk);
            json_t *dv = lr_delta_file_dv_id(f) ? lr_delta_file_field(f, "deletionVector") : NULL;
            char *vk = json_is_object(dv) ? lr_delta_dv_key(dv) : NULL;
            json_decref(dv);
            if (vk && !lr_delta_keys_have(present_keys, vk))
                gone = true;
            free(vk);
            if (gone) {
                /* collected into one refusal below */
                if (lr_strvec_push(&out->warnings, f->path) < 0)
                    goto nomem;
                missing_bytes += f->size > 0 ? (uint64_t)f->size : 0;
            }
        }
    }
    /* the missing list was parked in warnings; turn it into the refusal */
    if (out->warnings.count > 0) {
        struct lr_strvec missing = out->warnings;
        memset(&out->warnings, 0, sizeof out->warnings);
        uint64_t bytes = missing_bytes;
        struct lr_buf names;
        lr_buf_init(&names, 0);
        for (size_t k = 0; k < missing.count && k < 5; k++)
            lr_buf_printf(&names, NULL, "%s%s", k ? ", " : "", missing.items[k]);
        char *msg = lr_asprintf("%zu file(s) of version %lld (%llu bytes) are gone from the "
                                "store (vacuumed?): %s%s; restore a more recent version, or "
                                "pass --ignore-missing-files to restore anyway (the table "
                                "will then reference missing files)", missing.count,
                                (long long)tgt->version, (unsigned long long)bytes,
                                names.data ? (char *)names.data : "",
                                missing.count > 5 ? ", ..." : "");
        lr_buf_free(&names);
        lr_strvec_free(&missing);
        if (o.ignore_missing_files)
            rc = warn(out, msg);
        else
            rc = refuse(out, LR_ENOTFOUND, "missing-files", msg);
        if (rc < 0)
            goto nomem;
    }
    if (outside.count > 0) {
        char *msg = lr_asprintf("%zu file(s) of version %lld are named by an absolute URI or a "
                                "path outside the table root (first: %s): lakerewind reads "
                                "only under the table's own location and cannot check that "
                                "they exist; pass --ignore-missing-files to restore anyway",
                                outside.count, (long long)tgt->version, outside.items[0]);
        rc = o.ignore_missing_files ? warn(out, msg)
                                    : refuse(out, LR_EUNSUPPORTED, "files-outside-table", msg);
        if (rc < 0)
            goto nomem;
    }

    /* files to remove: live files whose identity the target does not have */
    for (size_t i = 0; i < cur->num_files; i++) {
        const struct lr_delta_file *f = cur->files[i];
        if (cur_in_tgt[i])
            continue;
        bool later = defer && delta_stats_kept(f);
        json_t *fa = later ? delta_file_action(f, false) : file_action(f);
        json_t *r = fa ? make_remove(fa, o.now_ms) : NULL;
        json_decref(fa);
        if (!r || json_array_append_new(out->removes, r) < 0 ||
            (later && delta_plan_stats_defer(out, r, f) < 0))
            goto nomem;
        out->num_removed_files++;
        out->removed_bytes += f->size > 0 ? f->size : 0;
        int64_t rows = lr_delta_file_rows(f);
        out->rows_removed = rows < 0 || out->rows_removed < 0 ? -1 : out->rows_removed + rows;
    }
    out->files_after = (int64_t)tgt->num_files;
    out->bytes_after = tgt->size_bytes;

    if (build_metadata(out, cur, tgt) < 0)
        goto nomem;
    out->protocol = merge_protocol(cur, tgt);
    if (!out->protocol)
        goto nomem;

    if (delta_restore_clustering(out, cur, tgt) < 0)
        goto nomem;

    /* metrics, as Spark names them (string values) */
    struct { const char *k; int64_t v; } m[] = {
        {"numRestoredFiles", out->num_restored_files}, {"restoredFilesSize", out->restored_bytes},
        {"numRemovedFiles", out->num_removed_files}, {"removedFilesSize", out->removed_bytes},
        {"numOfFilesAfterRestore", out->files_after}, {"tableSizeAfterRestore", out->bytes_after},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)m[i].v);
        json_object_set_new(out->metrics, m[i].k, json_string(buf));
    }

    /* feature gate on what we would write */
    struct lr_error ferr;
    if (delta_protocol_from_json(&merged, out->protocol, &ferr) < 0 ||
        lr_delta_protocol_check_write(&merged, &ferr) < 0) {
        if (refuse(out, LR_EUNSUPPORTED, "writer-feature", lr_strdup(ferr.message)) < 0)
            goto nomem;
    }
    rc = delta_restore_metadata_fixups(out, cur, &merged);
    if (rc == 0)
        rc = delta_restore_row_tracking(out, cur, tgt, &merged);
    if (rc == 0)
        rc = delta_restore_iceberg_check(out, cur, &merged);
    if (rc < 0)
        goto nomem;
    /* column mapping mode: Spark allows none -> name and name/id -> none only */
    const char *mc = lr_delta_snapshot_config(cur, "delta.columnMapping.mode");
    const char *mt = lr_delta_snapshot_config(tgt, "delta.columnMapping.mode");
    mc = mc ? mc : "none";
    mt = mt ? mt : "none";
    if (strcmp(mc, mt) != 0 && strcmp(mt, "none") != 0 &&
        !(strcmp(mc, "none") == 0 && strcmp(mt, "name") == 0)) {
        if (refuse(out, LR_EUNSUPPORTED, "column-mapping",
                   lr_asprintf("the restore would change delta.columnMapping.mode from %s to %s,"
                               " which Delta does not allow", mc, mt)) < 0)
            goto nomem;
    } else if (strcmp(mc, "none") == 0 && strcmp(mt, "none") != 0 && cur->schema_string &&
               (strstr(cur->schema_string, "delta.columnMapping.id") ||
                strstr(cur->schema_string, "delta.columnMapping.physicalName"))) {
        /* DeltaColumnMapping.verifyAndUpdateMetadataChange: mapping off but its field metadata
         * still in the schema (left by old writers); Spark refuses to turn mapping back on */
        if (refuse(out, LR_EUNSUPPORTED, "column-mapping",
                   lr_asprintf("the restore would turn column mapping back on (%s) while the "
                               "current schema still carries column-mapping metadata with "
                               "mapping off; Delta refuses that change: restore it with Spark "
                               "after cleaning the schema", mt)) < 0)
            goto nomem;
    }
    const char *ao = lr_delta_snapshot_config(cur, "delta.appendOnly");
    if (ao && strcmp(ao, "true") == 0 && out->num_removed_files > 0) {
        char *msg = lr_asprintf("the table is append-only (delta.appendOnly = true) and the "
                                "restore would remove %lld file(s); the protocol forbids "
                                "data-changing removes: pass --allow-append-only to restore "
                                "anyway (Spark and delta-rs do), or unset the property first",
                                (long long)out->num_removed_files);
        rc = o.allow_append_only ? warn(out, msg) : refuse(out, LR_EREFUSED, "append-only", msg);
        if (rc < 0)
            goto nomem;
    }
    if (ret) {
        if (!ret->is_reconstructable &&
            refuse(out, LR_ENOTFOUND, "not-reconstructable",
                   lr_asprintf("version %lld is no longer reconstructable from the log (earliest"
                               " is %lld)", (long long)tgt->version,
                               (long long)ret->earliest_reconstructable)) < 0)
            goto nomem;
        if (ret->beyond_deleted_file_retention &&
            warn(out, lr_asprintf("version %lld is older than delta.deletedFileRetentionDuration"
                                  " (%lld h): VACUUM may have removed its files, and Spark 4.1+ "
                                  "refuses such a restore", (long long)tgt->version,
                                  (long long)(ret->deleted_file_retention_ms / 3600000))) < 0)
            goto nomem;
    }
    /* in-commit timestamps on the restored table */
    json_t *conf = json_object_get(out->metadata, "configuration");
    const char *ict = delta_json_str(conf, "delta.enableInCommitTimestamps");
    out->uses_ict = ict && strcmp(ict, "true") == 0 &&
                    lr_delta_protocol_has(&merged, "inCommitTimestamp", false);
    if (out->uses_ict && !lr_delta_snapshot_has_ict(cur)) {
        /* the restore enables ICT: record where it starts (the ICT itself is set at commit) */
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)(cur->version + 1));
        json_object_set_new(conf, "delta.inCommitTimestampEnablementVersion", json_string(buf));
        json_object_set_new(conf, "delta.inCommitTimestampEnablementTimestamp", json_null());
    }
    rc = 0;
    goto done;
nomem:
    rc = lr_error_set(err, LR_ENOMEM, "out of memory building the restore plan");
done:
    lr_strvec_free(&outside);
    lr_delta_protocol_free(&merged);
    free(cur_in_tgt);
    free(tgt_in_cur);
    if (rc < 0)
        lr_delta_restore_plan_free(out);
    return rc;
}

int lr_delta_restore_plan_make(struct lr_delta_restore_plan *out, struct lr_delta_table *t,
                               int64_t target_version, const struct lr_delta_restore_options *opts,
                               struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct lr_delta_snapshot cur, tgt;
    struct lr_delta_retention ret;
    struct lr_strvec keys = {0};
    memset(&cur, 0, sizeof cur);
    memset(&tgt, 0, sizeof tgt);
    memset(&ret, 0, sizeof ret);
    int rc = lr_delta_snapshot_open(&cur, t, -1, err);
    if (rc < 0)
        goto done;
    if (target_version > cur.version) {
        rc = lr_error_set(err, LR_ENOTFOUND, "version %lld does not exist: the latest version "
                          "is %lld", (long long)target_version, (long long)cur.version);
        goto done;
    }
    rc = lr_delta_snapshot_open(&tgt, t, target_version, err);
    if (rc == LR_ENOTFOUND || rc == LR_ECORRUPT) {
        /* the target cannot be rebuilt from the log: a plan that only says so */
        rc = 0;
        out->read_version = cur.version;
        out->target_version = target_version;
        out->rows_before = cur.num_records;
        out->rows_after = out->rows_added = out->rows_removed = -1;
        out->adds = json_array();
        out->removes = json_array();
        out->domains = json_array();
        out->metrics = json_object();
        out->metadata = json_incref(cur.metadata);
        out->protocol = json_incref(cur.protocol_action);
        if (opts)
            out->opts = *opts;
        if (refuse(out, LR_ENOTFOUND, "not-reconstructable",
                   lr_asprintf("version %lld can no longer be rebuilt from the log (%s): choose "
                               "a more recent version", (long long)target_version,
                               err->message)) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    if (rc < 0) {
        lr_error_context(err, "restore target");
        goto done;
    }
    int64_t now = opts && opts->now_ms > 0 ? opts->now_ms : delta_now_ms();
    rc = lr_delta_retention_check(t, target_version, NULL, now, &ret, err);
    if (rc < 0)
        goto done;
    /* the version's own timestamp and retention settings from the snapshots */
    ret.version_timestamp_ms = tgt.timestamp_ms;
    {
        int64_t ms;
        const char *v = lr_delta_snapshot_config(&cur, "delta.deletedFileRetentionDuration");
        ret.deleted_file_retention_ms = 7 * 86400000LL;
        if (v && lr_delta_parse_interval(v, &ms, NULL) == 0)
            ret.deleted_file_retention_ms = ms;
        ret.beyond_deleted_file_retention =
            tgt.version != cur.version && tgt.timestamp_ms >= 0 &&
            tgt.timestamp_ms < now - ret.deleted_file_retention_ms;
    }
    rc = lr_delta_list_data_keys(t, &keys, err);
    if (rc < 0)
        goto done;
    rc = lr_delta_restore_plan_build(out, &cur, &tgt, &ret, &keys, opts, err);
done:
    lr_strvec_free(&keys);
    lr_delta_retention_free(&ret);
    lr_delta_snapshot_free(&cur);
    lr_delta_snapshot_free(&tgt);
    return rc;
}
