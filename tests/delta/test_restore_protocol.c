/* test_restore_protocol.c - the protocol audit of the RESTORE commit against Delta Spark's
 * RestoreTableCommand + commitLarge: what a restore writes for each writer feature (row
 * tracking, identity columns, column mapping, in-commit timestamps, clustering, icebergCompat,
 * change data feed), and reading tables the way unseen writers leave them (URI-encoded paths,
 * tags/clusteringProvider/null stats, removes without extendedFileMetadata, commitInfo missing
 * or not first, extra files in _delta_log). Every table is hand-written JSON commits. */
#include <unistd.h>

#include "delta_fixture.h"
#include "lakerewind/parquet_write.h"

/* Commit `version` from NULL-terminated owned lines. */
static void put(struct fx *f, int64_t version, ...)
{
    struct lr_buf b = LR_BUF_INIT;
    va_list ap;
    va_start(ap, version);
    for (char *l = va_arg(ap, char *); l; l = va_arg(ap, char *)) {
        lr_buf_append_str(&b, l, NULL);
        lr_buf_append(&b, "\n", 1, NULL);
        free(l);
    }
    va_end(ap);
    struct lr_error err;
    assert_int_equal(lr_delta_commit_put(f->table, version, (const char *)b.data, b.len, &err),
                     0);
    lr_buf_free(&b);
}

static const char *jstr(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static char *s(const char *text)
{
    return lr_strdup(text);
}

/* A metaData line with `schema` (JSON text of the struct type) and `conf` (JSON object). */
static char *meta(const char *id, const char *schema, const char *conf)
{
    json_t *md = json_pack("{s:s,s:{s:s,s:{}},s:s,s:[],s:o,s:I}", "id", id, "format",
                           "provider", "parquet", "options", "schemaString", schema,
                           "partitionColumns", "configuration",
                           json_loads(conf ? conf : "{}", 0, NULL), "createdTime",
                           (json_int_t)1700000000000);
    json_t *line = json_pack("{s:o}", "metaData", md);
    char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
    return text;
}

static const char *const SCHEMA_ID =
    "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,"
    "\"metadata\":{}}]}";

/* An add of `path` (a logged path, written to disk as is) with `extra` JSON members. */
static char *add(struct fx *f, const char *path, int64_t records, const char *extra)
{
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", f->dir, path);
    lr_test_write_file(full, "x", 1);
    return lr_asprintf("{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":1,"
                       "\"modificationTime\":1700000000000,\"dataChange\":true,"
                       "\"stats\":\"{\\\"numRecords\\\":%lld}\"%s%s}}", path,
                       (long long)records, extra ? "," : "", extra ? extra : "");
}

static bool has_refusal(const struct lr_delta_restore_plan *p, const char *kind)
{
    for (size_t i = 0; i < p->refusal_count; i++)
        if (strcmp(p->refusals[i].kind, kind) == 0)
            return true;
    return false;
}

static void plan(struct fx *f, int64_t target, struct lr_delta_restore_plan *p)
{
    struct lr_error err;
    int rc = lr_delta_restore_plan_make(p, f->table, target, NULL, &err);
    if (rc < 0)
        fprintf(stderr, "plan: %s\n", err.message);
    assert_int_equal(rc, 0);
}

static int64_t restore(struct fx *f, int64_t target)
{
    struct lr_error err;
    int64_t v = -1;
    int rc = fx_restore(f, target, "run-audit", &v, NULL, &err);
    if (rc < 0)
        fprintf(stderr, "restore: %s\n", err.message);
    assert_int_equal(rc, 0);
    return v;
}

/* Actions handed out by live(), released after each test. */
static json_t *held;

static int release(void **state)
{
    (void)state;
    json_decref(held);
    held = NULL;
    return 0;
}

/* The add (or NULL) of `path` in a snapshot: borrowed until the test ends. */
static json_t *live(const struct lr_delta_snapshot *sn, const char *path)
{
    for (size_t i = 0; i < sn->num_files; i++) {
        if (strcmp(sn->files[i]->path, path) != 0)
            continue;
        json_t *a = lr_delta_file_action(sn->files[i]);
        if (!held)
            held = json_array();
        json_array_append_new(held, a);
        return a;
    }
    return NULL;
}

static char *commit_text(struct fx *f, int64_t v)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/_delta_log/%020lld.json", f->dir, (long long)v);
    return lr_test_read_file(p, NULL);
}

static int64_t hwm_of(const struct lr_delta_snapshot *sn)
{
    json_t *d = json_object_get(sn->domains, "delta.rowTracking");
    json_t *conf = json_object_get(d, "configuration");
    json_t *c = json_loads(json_is_string(conf) ? json_string_value(conf) : "{}", 0, NULL);
    int64_t h = json_integer_value(json_object_get(c, "rowIdHighWaterMark"));
    json_decref(c);
    return h;
}

#define RT_PROTO_TEXT                                                                     \
    "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":" \
    "[\"rowTracking\",\"domainMetadata\",\"appendOnly\",\"invariants\"]}}"
static const char *const RT_PROTO = RT_PROTO_TEXT;

/* Restored files keep baseRowId/defaultRowCommitVersion; the HWM never goes back. */
static void test_row_tracking_restored_files_keep_their_ids(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-rt");
    fx_open(&f, dir);
    const char *conf = "{\"delta.enableRowTracking\":\"true\"}";
    put(&f, 0, s(RT_PROTO), meta("rt", SCHEMA_ID, conf),
        add(&f, "a.parquet", 10, "\"baseRowId\":0,\"defaultRowCommitVersion\":0"),
        s("{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
          "\"{\\\"rowIdHighWaterMark\\\":9}\",\"removed\":false}}"), NULL);
    put(&f, 1, add(&f, "b.parquet", 5, "\"baseRowId\":10,\"defaultRowCommitVersion\":1"),
        s("{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
          "\"{\\\"rowIdHighWaterMark\\\":14}\",\"removed\":false}}"),
        s("{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1,\"dataChange\":true,"
          "\"baseRowId\":0,\"defaultRowCommitVersion\":0}}"), NULL);
    int64_t v = restore(&f, 0);
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, v, &sn);
    json_t *a = live(&sn, "a.parquet");
    assert_non_null(a);
    assert_int_equal(json_integer_value(json_object_get(a, "baseRowId")), 0);
    assert_int_equal(json_integer_value(json_object_get(a, "defaultRowCommitVersion")), 0);
    assert_int_equal(hwm_of(&sn), 14); /* not back to 9 */
    char *text = commit_text(&f, v);
    assert_null(strstr(text, "delta.rowTracking")); /* no new ids, no domain line */
    free(text);
    lr_delta_snapshot_free(&sn);
    fx_close(&f);
    free(dir);
}

/* A file from before row tracking was supported gets fresh ids above the HWM (Spark's
 * commitLarge does the same), and defaultRowCommitVersion = the restore's version. */
static void test_row_tracking_files_without_ids_get_fresh_ones(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-rt2");
    fx_open(&f, dir);
    put(&f, 0, s(FX_PROTOCOL), meta("rt", SCHEMA_ID, NULL), add(&f, "a.parquet", 10, NULL),
        add(&f, "x.parquet", 7, NULL), NULL);
    put(&f, 1, s(RT_PROTO),
        s("{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
          "\"{\\\"rowIdHighWaterMark\\\":99}\",\"removed\":false}}"),
        s("{\"remove\":{\"path\":\"x.parquet\",\"deletionTimestamp\":1,\"dataChange\":true}}"),
        NULL);
    int64_t v = restore(&f, 0);
    assert_int_equal(v, 2);
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, v, &sn);
    json_t *x = live(&sn, "x.parquet");
    assert_int_equal(json_integer_value(json_object_get(x, "baseRowId")), 100);
    assert_int_equal(json_integer_value(json_object_get(x, "defaultRowCommitVersion")), 2);
    assert_int_equal(hwm_of(&sn), 106);
    /* the protocol is the merge: rowTracking stays */
    assert_true(lr_delta_protocol_has(&sn.protocol, "rowTracking", false));
    lr_delta_snapshot_free(&sn);
    /* a recommitted path keeps the ids of its live add: a.parquet got ids by a backfill and a
     * deletion vector since; restoring version 0 re-adds it without the DV, with those ids */
    put(&f, 3, s("{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1,"
                 "\"dataChange\":false}}"),
        s("{\"add\":{\"path\":\"a.parquet\",\"partitionValues\":{},\"size\":1,"
          "\"modificationTime\":1,\"dataChange\":false,\"stats\":"
          "\"{\\\"numRecords\\\":10}\",\"baseRowId\":200,\"defaultRowCommitVersion\":3,"
          "\"deletionVector\":{\"storageType\":\"i\",\"pathOrInlineDv\":"
          "\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\",\"sizeInBytes\":40,"
          "\"cardinality\":1}}}"),
        s("{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
          "\"{\\\"rowIdHighWaterMark\\\":209}\",\"removed\":false}}"), NULL);
    struct lr_delta_restore_plan p;
    plan(&f, 0, &p);
    assert_int_equal(p.refusal_count, 0);
    json_t *ra = json_array_get(p.adds, 0);
    assert_string_equal(jstr(ra, "path"), "a.parquet");
    assert_null(json_object_get(ra, "deletionVector"));
    assert_int_equal(json_integer_value(json_object_get(ra, "baseRowId")), 200);
    assert_int_equal(json_integer_value(json_object_get(ra, "defaultRowCommitVersion")), 3);
    lr_delta_restore_plan_free(&p);
    fx_snapshot(&f, v, &sn);
    assert_true(lr_delta_protocol_has(&sn.protocol, "rowTracking", false));
    lr_delta_snapshot_free(&sn);
    fx_close(&f);
    free(dir);
}

static void test_row_tracking_without_stats_or_suspended(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-rt3");
    fx_open(&f, dir);
    put(&f, 0, s(FX_PROTOCOL), meta("rt", SCHEMA_ID, NULL),
        s("{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{},\"size\":1,"
          "\"modificationTime\":1,\"dataChange\":true}}"), NULL);
    char full[4096];
    snprintf(full, sizeof full, "%s/x.parquet", dir);
    lr_test_write_file(full, "x", 1);
    put(&f, 1, s(RT_PROTO),
        s("{\"remove\":{\"path\":\"x.parquet\",\"deletionTimestamp\":1,\"dataChange\":true}}"),
        NULL);
    struct lr_delta_restore_plan p;
    plan(&f, 0, &p);
    assert_true(has_refusal(&p, "row-tracking"));
    lr_delta_restore_plan_free(&p);
    /* ids issued at the target count too: a mark the current table lost is not reused */
    put(&f, 2, s("{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
                 "\"{\\\"rowIdHighWaterMark\\\":-1}\",\"removed\":false}}"), NULL);
    put(&f, 3, s("{\"add\":{\"path\":\"x.parquet\",\"partitionValues\":{},\"size\":1,"
                 "\"modificationTime\":1,\"dataChange\":true,\"stats\":"
                 "\"{\\\"numRecords\\\":2}\"}}"),
        s("{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
          "\"{\\\"rowIdHighWaterMark\\\":50}\",\"removed\":false}}"), NULL);
    put(&f, 4, s("{\"remove\":{\"path\":\"x.parquet\",\"deletionTimestamp\":1,"
                 "\"dataChange\":true}}"),
        s("{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":"
          "\"{\\\"rowIdHighWaterMark\\\":7}\",\"removed\":false}}"), NULL);
    plan(&f, 3, &p);
    assert_int_equal(p.refusal_count, 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(p.adds, 0), "baseRowId")),
                     51);
    lr_delta_restore_plan_free(&p);
    /* suspended now: nothing assigned, ids carried by the target's files dropped (Spark) */
    put(&f, 5, meta("rt", SCHEMA_ID, "{\"delta.rowTrackingSuspended\":\"true\"}"), NULL);
    plan(&f, 0, &p);
    assert_int_equal(p.refusal_count, 0);
    json_t *a = json_array_get(p.adds, 0);
    assert_null(json_object_get(a, "baseRowId"));
    assert_null(json_object_get(a, "defaultRowCommitVersion"));
    assert_int_equal(json_array_size(p.domains), 0);
    lr_delta_restore_plan_free(&p);
    fx_close(&f);
    free(dir);
}

/* An identity column `name` (physical `phys`) with optional high-water mark. */
static char *ident_schema(const char *name, const char *phys, int start, int step,
                          const char *hwm)
{
    return lr_asprintf("{\"type\":\"struct\",\"fields\":[{\"name\":\"%s\",\"type\":\"long\","
                       "\"nullable\":true,\"metadata\":{\"delta.columnMapping.id\":1,"
                       "\"delta.columnMapping.physicalName\":\"%s\",\"delta.identity.start\":%d,"
                       "\"delta.identity.step\":%d,\"delta.identity.allowExplicitInsert\":false"
                       "%s%s}}]}", name, phys, start, step, hwm ? ",\"delta.identity."
                       "highWaterMark\":" : "", hwm ? hwm : "");
}

static const char *const CM_PROTO =
    "{\"protocol\":{\"minReaderVersion\":2,\"minWriterVersion\":6}}";
static const char *const CM_CONF =
    "{\"delta.columnMapping.mode\":\"name\",\"delta.columnMapping.maxColumnId\":\"1\"}";

static json_t *restored_field(const struct lr_delta_restore_plan *p)
{
    json_t *sc = json_loads(jstr(p->metadata, "schemaString"), 0, NULL);
    json_t *fld = json_incref(json_array_get(json_object_get(sc, "fields"), 0));
    json_decref(sc);
    return fld;
}

static int64_t identity_after(int start, int step, const char *tgt_hwm, const char *cur_hwm,
                              const char *cur_name)
{
    struct fx f;
    char *dir = lr_test_tmpdir("audit-id");
    fx_open(&f, dir);
    char *s0 = ident_schema("id", "col-1", start, step, tgt_hwm);
    char *s1 = ident_schema(cur_name, "col-1", start, step, cur_hwm);
    put(&f, 0, s(CM_PROTO), meta("i", s0, CM_CONF), add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, meta("i", s1, CM_CONF), add(&f, "b.parquet", 1, NULL), NULL);
    free(s0);
    free(s1);
    struct lr_delta_restore_plan p;
    plan(&f, 0, &p);
    assert_int_equal(p.refusal_count, 0);
    json_t *fld = restored_field(&p);
    assert_string_equal(jstr(fld, "name"), "id"); /* the target's name comes back */
    json_t *h = json_object_get(json_object_get(fld, "metadata"),
                                "delta.identity.highWaterMark");
    int64_t out = json_is_integer(h) ? json_integer_value(h) : INT64_MIN;
    json_decref(fld);
    lr_delta_restore_plan_free(&p);
    fx_close(&f);
    free(dir);
    return out;
}

/* Spark's copySchemaWithMergedHighWaterMarks: matched by physical name (a renamed column
 * still merges), also when the target has no mark yet, in the step direction, rounded onto
 * start + k*step. */
static void test_identity_high_water_mark_never_goes_back(void **state)
{
    (void)state;
    assert_int_equal(identity_after(1, 1, "5", "20", "key"), 20);       /* renamed since */
    assert_int_equal(identity_after(1, 1, NULL, "20", "id"), 20);       /* none at target */
    assert_int_equal(identity_after(1, 1, "30", "20", "id"), 30);       /* target larger */
    assert_int_equal(identity_after(1, 3, "4", "8", "id"), 10);         /* grid 1,4,7,10 */
    assert_int_equal(identity_after(-1, -2, "-5", "-11", "id"), -11);   /* counting down */
    assert_int_equal(identity_after(-1, -2, "-5", "-3", "id"), -5);
    assert_int_equal(identity_after(1, 1, NULL, NULL, "id"), INT64_MIN); /* nothing to merge */
}

/* maxColumnId = max(current, target, ids in the target schema incl. nested ids) when the
 * restored mode is name/id; a restored mode of none gets the target's configuration as is. */
static void test_column_mapping_max_id_never_goes_back(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-cm");
    fx_open(&f, dir);
    const char *nested =
        "{\"type\":\"struct\",\"fields\":[{\"name\":\"xs\",\"type\":{\"type\":\"array\","
        "\"elementType\":\"long\",\"containsNull\":true},\"nullable\":true,\"metadata\":{"
        "\"delta.columnMapping.id\":2,\"delta.columnMapping.physicalName\":\"col-2\","
        "\"delta.columnMapping.nested.ids\":{\"col-2.element\":12}}}]}";
    put(&f, 0, s(CM_PROTO),
        meta("c", nested, "{\"delta.columnMapping.mode\":\"name\","
                          "\"delta.columnMapping.maxColumnId\":\"3\"}"),
        add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, meta("c", nested, "{\"delta.columnMapping.mode\":\"name\","
                                 "\"delta.columnMapping.maxColumnId\":\"11\"}"), NULL);
    struct lr_delta_restore_plan p;
    plan(&f, 0, &p);
    json_t *conf = json_object_get(p.metadata, "configuration");
    assert_string_equal(jstr(conf, "delta.columnMapping.maxColumnId"), "12");
    lr_delta_restore_plan_free(&p);
    fx_close(&f);
    free(dir);

    dir = lr_test_tmpdir("audit-cm2");
    fx_open(&f, dir);
    put(&f, 0, s(CM_PROTO), meta("c", SCHEMA_ID, NULL), add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, meta("c", SCHEMA_ID, "{\"delta.columnMapping.mode\":\"name\","
                                    "\"delta.columnMapping.maxColumnId\":\"5\"}"), NULL);
    plan(&f, 0, &p);
    assert_int_equal(p.refusal_count, 0);
    conf = json_object_get(p.metadata, "configuration");
    assert_null(json_object_get(conf, "delta.columnMapping.maxColumnId"));
    assert_null(json_object_get(conf, "delta.columnMapping.mode"));
    lr_delta_restore_plan_free(&p);
    fx_close(&f);
    free(dir);

    /* mapping turned off with its metadata left in the schema: Spark refuses turning it on */
    dir = lr_test_tmpdir("audit-cm3");
    fx_open(&f, dir);
    put(&f, 0, s(CM_PROTO), meta("c", nested, CM_CONF), add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, meta("c", nested, "{\"delta.columnMapping.mode\":\"none\"}"), NULL);
    plan(&f, 0, &p);
    assert_true(has_refusal(&p, "column-mapping"));
    lr_delta_restore_plan_free(&p);
    fx_close(&f);
    free(dir);
}

static const char *const ICT_PROTO =
    "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
    "[\"inCommitTimestamp\",\"appendOnly\",\"invariants\"]}}";
#define FAR 4000000000000LL

static char *ict_info(int64_t ict, const char *op)
{
    return lr_asprintf("{\"commitInfo\":{\"inCommitTimestamp\":%lld,\"timestamp\":1,"
                       "\"operation\":\"%s\"}}", (long long)ict, op);
}

/* ICT follows the restored metadata (Spark): a target without ICT turns it off; a target with
 * ICT over a current table without it records the enablement at the restore's version and
 * ICT; both on keeps the current enablement record. */
static void test_in_commit_timestamps_follow_the_restored_metadata(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-ict1");
    fx_open(&f, dir);
    put(&f, 0, s(ICT_PROTO), meta("t", SCHEMA_ID, NULL), add(&f, "a.parquet", 1, NULL), NULL);
    char *on1 = lr_asprintf("{\"delta.enableInCommitTimestamps\":\"true\","
                            "\"delta.inCommitTimestampEnablementVersion\":\"1\","
                            "\"delta.inCommitTimestampEnablementTimestamp\":\"%lld\"}", FAR);
    put(&f, 1, ict_info(FAR, "SET TBLPROPERTIES"), meta("t", SCHEMA_ID, on1), NULL);
    put(&f, 2, ict_info(FAR + 5, "WRITE"), add(&f, "b.parquet", 1, NULL), NULL);
    int64_t v = restore(&f, 0);
    char *text = commit_text(&f, v);
    assert_null(strstr(text, "inCommitTimestamp\":"));
    assert_null(strstr(text, "delta.enableInCommitTimestamps"));
    free(text);
    /* restoring version 2 now: ICT on again, the target's enablement record comes back */
    v = restore(&f, 2);
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, v, &sn);
    assert_true(lr_delta_snapshot_has_ict(&sn));
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    /* the table had ICT off just before: this commit enables it */
    assert_string_equal(lr_delta_snapshot_config(&sn, "delta.inCommitTimestampEnablementVersion"),
                        buf);
    snprintf(buf, sizeof buf, "%lld", (long long)sn.timestamp_ms);
    assert_string_equal(
        lr_delta_snapshot_config(&sn, "delta.inCommitTimestampEnablementTimestamp"), buf);
    lr_delta_snapshot_free(&sn);
    fx_close(&f);
    free(dir);

    /* on at the target (since creation), off and on again since: the current record stays */
    dir = lr_test_tmpdir("audit-ict2");
    fx_open(&f, dir);
    put(&f, 0, ict_info(FAR, "CREATE"), s(ICT_PROTO),
        meta("t", SCHEMA_ID, "{\"delta.enableInCommitTimestamps\":\"true\"}"),
        add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, meta("t", SCHEMA_ID, "{\"delta.enableInCommitTimestamps\":\"false\"}"), NULL);
    char *on2 = lr_asprintf("{\"delta.enableInCommitTimestamps\":\"true\","
                            "\"delta.inCommitTimestampEnablementVersion\":\"2\","
                            "\"delta.inCommitTimestampEnablementTimestamp\":\"%lld\"}",
                            FAR + 10);
    put(&f, 2, ict_info(FAR + 10, "SET TBLPROPERTIES"), meta("t", SCHEMA_ID, on2),
        add(&f, "b.parquet", 1, NULL), NULL);
    free(on1);
    free(on2);
    v = restore(&f, 0);
    fx_snapshot(&f, v, &sn);
    assert_true(lr_delta_snapshot_has_ict(&sn));
    assert_int_equal(sn.timestamp_ms, FAR + 11);
    assert_string_equal(lr_delta_snapshot_config(&sn, "delta.inCommitTimestampEnablementVersion"),
                        "2");
    lr_delta_snapshot_free(&sn);
    text = commit_text(&f, v);
    assert_true(strncmp(text, "{\"commitInfo\":{\"inCommitTimestamp\":", 35) == 0);
    free(text);
    fx_close(&f);
    free(dir);

    /* both records set and different (off and on again since the target): the current one,
     * which describes the commits after the target, is kept (Spark would keep the target's) */
    dir = lr_test_tmpdir("audit-ict3");
    fx_open(&f, dir);
    put(&f, 0, s(ICT_PROTO), meta("t", SCHEMA_ID, NULL), add(&f, "a.parquet", 1, NULL), NULL);
    char *r1 = lr_asprintf("{\"delta.enableInCommitTimestamps\":\"true\","
                           "\"delta.inCommitTimestampEnablementVersion\":\"1\","
                           "\"delta.inCommitTimestampEnablementTimestamp\":\"%lld\"}", FAR);
    put(&f, 1, ict_info(FAR, "SET TBLPROPERTIES"), meta("t", SCHEMA_ID, r1), NULL);
    put(&f, 2, meta("t", SCHEMA_ID, "{\"delta.enableInCommitTimestamps\":\"false\"}"), NULL);
    char *r3 = lr_asprintf("{\"delta.enableInCommitTimestamps\":\"true\","
                           "\"delta.inCommitTimestampEnablementVersion\":\"3\","
                           "\"delta.inCommitTimestampEnablementTimestamp\":\"%lld\"}",
                           FAR + 20);
    put(&f, 3, ict_info(FAR + 20, "SET TBLPROPERTIES"), meta("t", SCHEMA_ID, r3),
        add(&f, "b.parquet", 1, NULL), NULL);
    free(r1);
    free(r3);
    v = restore(&f, 1);
    fx_snapshot(&f, v, &sn);
    assert_string_equal(lr_delta_snapshot_config(&sn, "delta.inCommitTimestampEnablementVersion"),
                        "3");
    assert_int_equal(sn.timestamp_ms, FAR + 21);
    lr_delta_snapshot_free(&sn);
    fx_close(&f);
    free(dir);
}

static const char *const CL_PROTO =
    "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
    "[\"domainMetadata\",\"clustering\",\"appendOnly\",\"invariants\"]}}";

static char *cluster(const char *cols, bool removed)
{
    return lr_asprintf("{\"domainMetadata\":{\"domain\":\"delta.clustering\",\"configuration\":"
                       "\"{\\\"clusteringColumns\\\":%s}\",\"removed\":%s}}", cols,
                       removed ? "true" : "false");
}

static const char *clustering_after(struct fx *f, int64_t target)
{
    static char out[256];
    int64_t v = restore(f, target);
    struct lr_delta_snapshot sn;
    fx_snapshot(f, v, &sn);
    json_t *d = json_object_get(sn.domains, "delta.clustering");
    snprintf(out, sizeof out, "%s", d ? jstr(d, "configuration") : "(none)");
    lr_delta_snapshot_free(&sn);
    return out;
}

/* DomainMetadataUtils.handleDomainMetadataForRestoreTable: the current clustering domain gets
 * the target's columns, or [] when the target was not clustered; a domain dropped since stays
 * dropped; other domains (delta.rowTracking, user domains) are left as they are now. */
static void test_clustering_domain_as_spark_restores_it(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-cl");
    fx_open(&f, dir);
    put(&f, 0, s("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                 "\"writerFeatures\":[\"domainMetadata\",\"appendOnly\",\"invariants\"]}}"),
        meta("c", SCHEMA_ID, NULL), add(&f, "a.parquet", 1, NULL),
        s("{\"domainMetadata\":{\"domain\":\"user.tag\",\"configuration\":\"v0\","
          "\"removed\":false}}"), NULL);
    put(&f, 1, s(CL_PROTO), cluster("[[\\\"id\\\"]]", false), NULL);
    put(&f, 2, cluster("[[\\\"b\\\"]]", false),
        s("{\"domainMetadata\":{\"domain\":\"user.tag\",\"configuration\":\"v2\","
          "\"removed\":false}}"), NULL);
    assert_string_equal(clustering_after(&f, 1), "{\"clusteringColumns\":[[\"id\"]]}");
    assert_string_equal(clustering_after(&f, 0), "{\"clusteringColumns\":[]}");
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, -1, &sn);
    assert_string_equal(jstr(json_object_get(sn.domains, "user.tag"),
                                       "configuration"), "v2");
    lr_delta_snapshot_free(&sn);
    /* dropped since version 1: restoring version 1 keeps it dropped */
    put(&f, 5, cluster("[]", true), NULL);
    assert_string_equal(clustering_after(&f, 1), "(none)");
    fx_close(&f);
    free(dir);
}

/* icebergCompatV2 requires numRecords on every committed add: a restore that cannot honour it
 * is refused, naming the file. */
static void test_iceberg_compat_requirements_are_checked(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-ice");
    fx_open(&f, dir);
    put(&f, 0, s("{\"protocol\":{\"minReaderVersion\":2,\"minWriterVersion\":7,"
                 "\"writerFeatures\":[\"columnMapping\",\"icebergCompatV2\",\"appendOnly\","
                 "\"invariants\"]}}"),
        meta("i", SCHEMA_ID, "{\"delta.enableIcebergCompatV2\":\"true\","
                             "\"delta.columnMapping.mode\":\"name\"}"),
        s("{\"add\":{\"path\":\"a.parquet\",\"partitionValues\":{},\"size\":1,"
          "\"modificationTime\":1,\"dataChange\":true}}"), NULL);
    char full[4096];
    snprintf(full, sizeof full, "%s/a.parquet", dir);
    lr_test_write_file(full, "x", 1);
    put(&f, 1, s("{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1,"
                 "\"dataChange\":true}}"), add(&f, "b.parquet", 1, NULL), NULL);
    struct lr_delta_restore_plan p;
    plan(&f, 0, &p);
    assert_true(has_refusal(&p, "iceberg-compat"));
    bool named = false;
    for (size_t i = 0; i < p.refusal_count; i++)
        named = named || strstr(p.refusals[i].message, "a.parquet");
    assert_true(named);
    lr_delta_restore_plan_free(&p);
    /* with UniForm on, the plan warns that Iceberg readers lag until Spark's next commit */
    put(&f, 2, meta("i", SCHEMA_ID, "{\"delta.columnMapping.mode\":\"name\","
                                    "\"delta.universalFormat.enabledFormats\":\"iceberg\"}"),
        NULL);
    plan(&f, 1, &p);
    assert_int_equal(p.refusal_count, 0);
    assert_true(p.warnings.count > 0 && strstr(p.warnings.items[0], "UniForm"));
    lr_delta_restore_plan_free(&p);
    fx_close(&f);
    free(dir);
}

/* Spark writes no cdc files for RESTORE (commitLarge); neither do we, with CDF on. */
static void test_change_data_feed_restore_writes_no_cdc(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-cdf");
    fx_open(&f, dir);
    put(&f, 0, s("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":4}}"),
        meta("d", SCHEMA_ID, "{\"delta.enableChangeDataFeed\":\"true\"}"),
        add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, add(&f, "b.parquet", 1, NULL), NULL);
    int64_t v = restore(&f, 0);
    char *text = commit_text(&f, v);
    assert_null(strstr(text, "\"cdc\""));
    assert_non_null(strstr(text, "\"remove\":{\"path\":\"b.parquet\""));
    free(text);
    fx_close(&f);
    free(dir);
}

/* add.path is a URI-encoded relative path: the existence check decodes it once (spaces, '%',
 * '=', unicode), and the restore copies the logged string byte for byte. */
static void test_encoded_paths_are_decoded_for_checks_and_copied_verbatim(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-enc");
    fx_open(&f, dir);
    const char *logged = "p%3Dx%20y/a%25b%3Dc%20%C3%A9t%C3%A9+1.parquet";
    const char *disk = "p=x y/a%b=c \xc3\xa9t\xc3\xa9+1.parquet";
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", dir, disk);
    lr_test_write_file(full, "x", 1);
    char *a = lr_asprintf("{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":1,"
                          "\"modificationTime\":1,\"dataChange\":true}}", logged);
    put(&f, 0, s(FX_PROTOCOL), meta("e", SCHEMA_ID, NULL), a, NULL);
    char *r = lr_asprintf("{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":1,"
                          "\"dataChange\":true}}", logged);
    put(&f, 1, r, add(&f, "b.parquet", 1, NULL), NULL);
    struct lr_delta_restore_plan p;
    plan(&f, 0, &p);
    assert_int_equal(p.refusal_count, 0);
    lr_delta_restore_plan_free(&p);
    int64_t v = restore(&f, 0);
    char *text = commit_text(&f, v);
    char *want = lr_asprintf("{\"add\":{\"path\":\"%s\"", logged);
    assert_non_null(strstr(text, want));
    free(want);
    free(text);
    /* the same name logged but gone from disk is missing, under its logged name */
    assert_int_equal(unlink(full), 0);
    put(&f, v + 1, lr_asprintf("{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":1,"
                               "\"dataChange\":true}}", logged), NULL);
    plan(&f, 0, &p);
    assert_true(has_refusal(&p, "missing-files"));
    assert_non_null(strstr(p.refusals[0].message, logged));
    lr_delta_restore_plan_free(&p);
    fx_close(&f);
    free(dir);
}

/* What other writers leave in a log: commitInfo last or absent, adds with tags,
 * clusteringProvider, "stats": null and null/empty partition values, removes without
 * extendedFileMetadata or size, and _delta_log extras (.crc, staged _commits/, temp files,
 * a compacted file). All read; the restore copies tags, clusteringProvider and null
 * partition values, and omits the null stats. */
static void test_unseen_writer_shapes_read_and_restore(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-shapes");
    fx_open(&f, dir);
    char full[4096];
    const char *files[] = {"p=__HIVE_DEFAULT_PARTITION__/a.parquet", "p=/b.parquet",
                           "p=x/c.parquet"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(full, sizeof full, "%s/%s", dir, files[i]);
        lr_test_write_file(full, "x", 1);
    }
    char *md = lr_strdup("{\"metaData\":{\"id\":\"s\",\"format\":{\"provider\":\"parquet\","
                         "\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\","
                         "\\\"fields\\\":[{\\\"name\\\":\\\"p\\\",\\\"type\\\":\\\"string\\\","
                         "\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\",\"partitionColumns\":"
                         "[\"p\"],\"configuration\":{}}}");
    put(&f, 0, s(FX_PROTOCOL), md,
        s("{\"add\":{\"path\":\"p=__HIVE_DEFAULT_PARTITION__/a.parquet\",\"partitionValues\":"
          "{\"p\":null},\"size\":1,\"modificationTime\":1,\"dataChange\":true,\"stats\":null,"
          "\"tags\":{\"INSERTION_TIME\":\"1700000000000000\"},\"clusteringProvider\":"
          "\"liquid\"}}"),
        s("{\"add\":{\"path\":\"p=/b.parquet\",\"partitionValues\":{\"p\":\"\"},\"size\":1,"
          "\"modificationTime\":1,\"dataChange\":true}}"),
        s("{\"commitInfo\":{\"timestamp\":1,\"operation\":\"WRITE\"}}"), NULL);
    put(&f, 1, s("{\"remove\":{\"path\":\"p=__HIVE_DEFAULT_PARTITION__/a.parquet\","
                 "\"deletionTimestamp\":2,\"dataChange\":true}}"),
        s("{\"remove\":{\"path\":\"p=/b.parquet\",\"dataChange\":true}}"),
        s("{\"add\":{\"path\":\"p=x/c.parquet\",\"partitionValues\":{\"p\":\"x\"},\"size\":1,"
          "\"modificationTime\":2,\"dataChange\":true}}"), NULL);
    /* extras a reader must ignore (or use correctly) */
    snprintf(full, sizeof full, "%s/_delta_log/00000000000000000001.crc", dir);
    lr_test_write_file(full, "{not json", 9);
    snprintf(full, sizeof full, "%s/_delta_log/_commits/00000000000000000002.3a0d65cd-4d6e-4"
             "8e9-9bd4-0c7fe2ae9d6a.json", dir);
    const char *staged = "{\"add\":{\"path\":\"ghost.parquet\",\"partitionValues\":{},"
                         "\"size\":1,\"modificationTime\":3,\"dataChange\":true}}\n";
    lr_test_write_file(full, staged, strlen(staged));
    snprintf(full, sizeof full, "%s/_delta_log/.00000000000000000002.json.4f2e.tmp", dir);
    lr_test_write_file(full, staged, strlen(staged));
    snprintf(full, sizeof full, "%s/_delta_log/00000000000000000002.json.tmp", dir);
    lr_test_write_file(full, staged, strlen(staged));
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, -1, &sn);
    assert_int_equal(sn.version, 1);
    assert_int_equal(sn.num_files, 1);
    assert_int_equal(sn.num_tombstones, 2);
    assert_null(sn.commit_info);
    lr_delta_snapshot_free(&sn);
    fx_snapshot(&f, 0, &sn);
    assert_int_equal(sn.num_files, 2);
    assert_string_equal(jstr(sn.commit_info, "operation"), "WRITE");
    assert_int_equal(sn.num_records, -1); /* no stats: unknown, not zero */
    lr_delta_snapshot_free(&sn);
    int64_t v = restore(&f, 0);
    fx_snapshot(&f, v, &sn);
    json_t *a = live(&sn, "p=__HIVE_DEFAULT_PARTITION__/a.parquet");
    assert_non_null(a);
    assert_true(json_is_null(json_object_get(json_object_get(a, "partitionValues"), "p")));
    assert_string_equal(jstr(json_object_get(a, "tags"), "INSERTION_TIME"),
                        "1700000000000000");
    assert_string_equal(jstr(a, "clusteringProvider"), "liquid");
    assert_null(json_object_get(a, "stats"));
    json_t *b = live(&sn, "p=/b.parquet");
    assert_string_equal(jstr(json_object_get(b, "partitionValues"), "p"), "");
    assert_null(live(&sn, "ghost.parquet"));
    lr_delta_snapshot_free(&sn);
    /* a compacted file covering 0..1 gives the same state as the commits it stands for */
    snprintf(full, sizeof full, "%s/_delta_log/00000000000000000000.00000000000000000001"
             ".compacted.json", dir);
    char *c0 = commit_text(&f, 0);
    char *c1 = commit_text(&f, 1);
    char *both = lr_asprintf("%s%s", c0, c1);
    lr_test_write_file(full, both, strlen(both));
    free(c0);
    free(c1);
    free(both);
    struct lr_delta_snapshot s1;
    fx_snapshot(&f, 1, &s1);
    assert_int_equal(s1.num_files, 1);
    assert_string_equal(s1.files[0]->path, "p=x/c.parquet");
    lr_delta_snapshot_free(&s1);
    fx_snapshot(&f, v, &sn);
    assert_int_equal(sn.num_files, 2);
    lr_delta_snapshot_free(&sn);
    fx_close(&f);
    free(dir);
}

/* Reader version 3 with its reader features (also listed as writer features), and one with an
 * empty readerFeatures list (delta-rs writes those): both read and restore, the protocol as
 * it was; a reader feature we do not know is refused for reading. */
static void test_reader_3_writer_7_protocols(void **state)
{
    (void)state;
    static const char *const protos[] = {
        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":"
        "[\"columnMapping\",\"deletionVectors\"],\"writerFeatures\":[\"columnMapping\","
        "\"deletionVectors\",\"domainMetadata\"]}}",
        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[],"
        "\"writerFeatures\":[\"appendOnly\",\"invariants\",\"timestampNtz\"]}}",
    };
    for (size_t i = 0; i < 2; i++) {
        struct fx f;
        char *dir = lr_test_tmpdir("audit-proto");
        fx_open(&f, dir);
        put(&f, 0, s(protos[i]), meta("p", SCHEMA_ID, "{\"delta.columnMapping.mode\":\"none\"}"),
            add(&f, "a.parquet", 1, NULL), NULL);
        put(&f, 1, add(&f, "b.parquet", 1, NULL), NULL);
        struct lr_delta_snapshot sn;
        fx_snapshot(&f, -1, &sn);
        assert_int_equal(lr_delta_protocol_has(&sn.protocol, "columnMapping", true), i == 0);
        json_t *before = json_deep_copy(sn.protocol_action);
        lr_delta_snapshot_free(&sn);
        int64_t v = restore(&f, 0);
        fx_snapshot(&f, v, &sn);
        assert_true(json_equal(sn.protocol_action, before));
        json_decref(before);
        lr_delta_snapshot_free(&sn);
        fx_close(&f);
        free(dir);
    }
}

/* Properties Spark's updateMetadata rewrites on the restored metadata: protocol requests
 * (delta.minReaderVersion, delta.feature.*) never stay in the configuration; the materialized
 * row-tracking column names are the current table's, or dropped without row tracking. */
static void test_metadata_properties_spark_rewrites(void **state)
{
    (void)state;
    static const char *const protos[] = {RT_PROTO_TEXT, FX_PROTOCOL};
    for (size_t i = 0; i < 2; i++) {
        struct fx f;
        char *dir = lr_test_tmpdir("audit-props");
        fx_open(&f, dir);
        put(&f, 0, s(protos[i]),
            meta("m", SCHEMA_ID, "{\"delta.rowTracking.materializedRowIdColumnName\":\"_rid_old\","
                 "\"delta.rowTracking.materializedRowCommitVersionColumnName\":\"_rcv_old\","
                 "\"delta.minReaderVersion\":\"1\",\"delta.feature.appendOnly\":\"supported\","
                 "\"keep.me\":\"v0\"}"),
            add(&f, "a.parquet", 1, "\"baseRowId\":0,\"defaultRowCommitVersion\":0"), NULL);
        put(&f, 1, meta("m", SCHEMA_ID,
                        "{\"delta.rowTracking.materializedRowIdColumnName\":\"_rid_new\","
                        "\"delta.rowTracking.materializedRowCommitVersionColumnName\":"
                        "\"_rcv_new\"}"), add(&f, "b.parquet", 1, "\"baseRowId\":1,"
                                                "\"defaultRowCommitVersion\":1"), NULL);
        struct lr_delta_restore_plan p;
        plan(&f, 0, &p);
        assert_int_equal(p.refusal_count, 0);
        json_t *conf = json_object_get(p.metadata, "configuration");
        assert_null(json_object_get(conf, "delta.minReaderVersion"));
        assert_null(json_object_get(conf, "delta.feature.appendOnly"));
        assert_string_equal(jstr(conf, "keep.me"), "v0");
        const char *rid = jstr(conf, "delta.rowTracking.materializedRowIdColumnName");
        const char *rcv = jstr(conf, "delta.rowTracking.materializedRowCommitVersionColumnName");
        if (i == 0) {
            assert_string_equal(rid, "_rid_new");
            assert_string_equal(rcv, "_rcv_new");
        } else {
            assert_null(rid);
            assert_null(rcv);
        }
        lr_delta_restore_plan_free(&p);
        fx_close(&f);
        free(dir);
    }
}

/* Pass-through features: restoring across a type widening brings the narrow schema back (its
 * files are the narrow ones) with typeWidening kept in the protocol; vacuumProtocolCheck,
 * geospatial, variantShredding and checkpointProtection need nothing from a restore, and the
 * checkpoint-protection version is never lowered. */
static void test_pass_through_features_and_type_widening(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-tw");
    fx_open(&f, dir);
    const char *proto =
        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":"
        "[\"typeWidening\",\"vacuumProtocolCheck\",\"geospatial\",\"variantShredding\"],"
        "\"writerFeatures\":[\"typeWidening\",\"vacuumProtocolCheck\",\"geospatial\","
        "\"variantShredding\",\"checkpointProtection\",\"appendOnly\",\"invariants\"]}}";
    const char *narrow = "{\"type\":\"struct\",\"fields\":[{\"name\":\"n\",\"type\":"
                         "\"integer\",\"nullable\":true,\"metadata\":{}}]}";
    const char *wide = "{\"type\":\"struct\",\"fields\":[{\"name\":\"n\",\"type\":"
                       "\"long\",\"nullable\":true,\"metadata\":{\"delta.typeChanges\":"
                       "[{\"fromType\":\"integer\",\"toType\":\"long\"}]}}]}";
    put(&f, 0, s(proto), meta("w", narrow, "{\"delta.enableTypeWidening\":\"true\","
                                           "\"delta.requireCheckpointProtectionBeforeVersion\""
                                           ":\"0\"}"),
        add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, meta("w", wide, "{\"delta.enableTypeWidening\":\"true\","
                               "\"delta.requireCheckpointProtectionBeforeVersion\":\"1\"}"),
        add(&f, "b.parquet", 1, NULL), NULL);
    int64_t v = restore(&f, 0);
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, v, &sn);
    assert_non_null(strstr(sn.schema_string, "\"integer\""));
    assert_null(strstr(sn.schema_string, "typeChanges"));
    assert_true(lr_delta_protocol_has(&sn.protocol, "typeWidening", true));
    assert_string_equal(
        lr_delta_snapshot_config(&sn, "delta.requireCheckpointProtectionBeforeVersion"), "1");
    assert_int_equal(sn.num_files, 1);
    lr_delta_snapshot_free(&sn);
    fx_close(&f);
    free(dir);
}

/* A Parquet checkpoint as Spark writes it with delta.checkpoint.writeStatsAsJson = false:
 * add.stats null, typed stats_parsed (timestamps as INT64 micros) and partitionValues_parsed.
 * The snapshot counts rows from stats_parsed.numRecords; the restore re-adds such files with
 * JSON stats holding numRecords only (typed min/max are never re-serialised, so no reader
 * can misread a timestamp bound), and without the _parsed columns. */
static int cp_col(struct lr_parquet_writer *w, int parent, const char *name,
                  enum lr_parquet_wtype t, bool req)
{
    struct lr_error err;
    int id = lr_parquet_writer_add(w, parent, name, t, req, LR_PQW_STRING, &err);
    assert_true(id > 0);
    return id;
}

static void write_struct_stats_checkpoint(const char *path)
{
    struct lr_parquet_writer *w = NULL;
    struct lr_error err;
    assert_int_equal(lr_parquet_writer_new(&w, NULL, &err), 0);
    int pr = cp_col(w, LR_PQW_ROOT, "protocol", LR_PQW_STRUCT, false);
    cp_col(w, pr, "minReaderVersion", LR_PQW_INT32, true);
    cp_col(w, pr, "minWriterVersion", LR_PQW_INT32, true);
    int md = cp_col(w, LR_PQW_ROOT, "metaData", LR_PQW_STRUCT, false);
    cp_col(w, md, "id", LR_PQW_STRING, false);
    int fmt = cp_col(w, md, "format", LR_PQW_STRUCT, false);
    cp_col(w, fmt, "provider", LR_PQW_STRING, false);
    cp_col(w, fmt, "options", LR_PQW_MAP, false);
    cp_col(w, md, "schemaString", LR_PQW_STRING, false);
    cp_col(w, md, "partitionColumns", LR_PQW_LIST, false);
    cp_col(w, md, "configuration", LR_PQW_MAP, false);
    cp_col(w, md, "createdTime", LR_PQW_INT64, false);
    int a = cp_col(w, LR_PQW_ROOT, "add", LR_PQW_STRUCT, false);
    cp_col(w, a, "path", LR_PQW_STRING, false);
    cp_col(w, a, "partitionValues", LR_PQW_MAP, false);
    int pvp = cp_col(w, a, "partitionValues_parsed", LR_PQW_STRUCT, false);
    cp_col(w, pvp, "p", LR_PQW_STRING, false);
    cp_col(w, a, "size", LR_PQW_INT64, true);
    cp_col(w, a, "modificationTime", LR_PQW_INT64, true);
    cp_col(w, a, "dataChange", LR_PQW_BOOLEAN, true);
    cp_col(w, a, "stats", LR_PQW_STRING, false);
    int sp = cp_col(w, a, "stats_parsed", LR_PQW_STRUCT, false);
    cp_col(w, sp, "numRecords", LR_PQW_INT64, false);
    int mn = cp_col(w, sp, "minValues", LR_PQW_STRUCT, false);
    cp_col(w, mn, "ts", LR_PQW_TIMESTAMP, false);
    int nc = cp_col(w, sp, "nullCount", LR_PQW_STRUCT, false);
    cp_col(w, nc, "ts", LR_PQW_INT64, false);
    cp_col(w, a, "tags", LR_PQW_MAP, false);
    int r = cp_col(w, LR_PQW_ROOT, "remove", LR_PQW_STRUCT, false);
    cp_col(w, r, "path", LR_PQW_STRING, false);
    cp_col(w, r, "deletionTimestamp", LR_PQW_INT64, false);
    cp_col(w, r, "dataChange", LR_PQW_BOOLEAN, true);
    static const char *const rows[] = {
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}",
        "{\"metaData\":{\"id\":\"sp\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
        "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"ts\\\","
        "\\\"type\\\":\\\"timestamp\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},{\\\"name\\\":"
        "\\\"p\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
        "\"partitionColumns\":[\"p\"],\"configuration\":{\"delta.checkpoint.writeStatsAsJson\":"
        "\"false\"},\"createdTime\":1}}",
        "{\"add\":{\"path\":\"p=x/a.parquet\",\"partitionValues\":{\"p\":\"x\"},"
        "\"partitionValues_parsed\":{\"p\":\"x\"},\"size\":1,\"modificationTime\":1,"
        "\"dataChange\":false,\"stats_parsed\":{\"numRecords\":10,\"minValues\":{\"ts\":"
        "\"2024-01-01T00:00:00Z\"},\"nullCount\":{\"ts\":0}},\"tags\":{\"k\":\"v\"}}}",
        "{\"add\":{\"path\":\"p=__HIVE_DEFAULT_PARTITION__/c.parquet\",\"partitionValues\":"
        "{\"p\":null},\"partitionValues_parsed\":{\"p\":null},\"size\":1,"
        "\"modificationTime\":1,\"dataChange\":false,\"stats_parsed\":{\"numRecords\":3}}}",
        "{\"remove\":{\"path\":\"p=y/b.parquet\",\"deletionTimestamp\":5,\"dataChange\":true}}",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        json_t *row = json_loads(rows[i], 0, NULL);
        assert_non_null(row);
        assert_int_equal(lr_parquet_writer_append_json(w, row, &err), 0);
        json_decref(row);
    }
    struct lr_buf out = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &out, &err), 0);
    lr_test_write_file(path, out.data, out.len);
    lr_buf_free(&out);
    lr_parquet_writer_free(w);
}

static void test_checkpoint_with_struct_stats_only(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-spcp");
    fx_open(&f, dir);
    char full[4096];
    const char *data[] = {"p=x/a.parquet", "p=__HIVE_DEFAULT_PARTITION__/c.parquet",
                          "p=z/d.parquet"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(full, sizeof full, "%s/%s", dir, data[i]);
        lr_test_write_file(full, "x", 1);
    }
    /* versions 0 and 1 live only in the checkpoint (their commits were cleaned up), 2 after */
    snprintf(full, sizeof full, "%s/_delta_log/00000000000000000001.checkpoint.parquet", dir);
    write_struct_stats_checkpoint(full);
    put(&f, 2, s("{\"commitInfo\":{\"timestamp\":9,\"operation\":\"WRITE\"}}"),
        s("{\"remove\":{\"path\":\"p=x/a.parquet\",\"deletionTimestamp\":9,\"dataChange\":true,"
          "\"partitionValues\":{\"p\":\"x\"},\"size\":1}}"),
        s("{\"add\":{\"path\":\"p=z/d.parquet\",\"partitionValues\":{\"p\":\"z\"},\"size\":1,"
          "\"modificationTime\":9,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":4}\"}}"),
        NULL);
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, 1, &sn);
    assert_int_equal(sn.checkpoint_version, 1);
    assert_int_equal(sn.num_files, 2);
    assert_int_equal(sn.num_records, 13);
    lr_delta_snapshot_free(&sn);
    int64_t v = restore(&f, 1);
    fx_snapshot(&f, v, &sn);
    assert_int_equal(sn.num_files, 2);
    assert_int_equal(sn.num_records, 13);
    json_t *a = live(&sn, "p=x/a.parquet");
    assert_non_null(a);
    assert_string_equal(jstr(a, "stats"), "{\"numRecords\":10}");
    assert_null(json_object_get(a, "stats_parsed"));
    assert_null(json_object_get(a, "partitionValues_parsed"));
    assert_true(json_is_true(json_object_get(a, "dataChange")));
    assert_string_equal(jstr(json_object_get(a, "partitionValues"), "p"), "x");
    assert_string_equal(jstr(json_object_get(a, "tags"), "k"), "v");
    assert_null(live(&sn, "p=z/d.parquet"));
    json_t *c = live(&sn, "p=__HIVE_DEFAULT_PARTITION__/c.parquet");
    assert_non_null(c);
    assert_true(json_is_null(json_object_get(json_object_get(c, "partitionValues"), "p")));
    lr_delta_snapshot_free(&sn);
    char *text = commit_text(&f, v);
    assert_null(strstr(text, "minValues"));
    assert_null(strstr(text, "_parsed"));
    free(text);
    fx_close(&f);
    free(dir);
}

/* invariants, checkConstraints, generatedColumns, allowColumnDefaults: a restore writes no
 * rows, so it has nothing to enforce; the target's constraints and defaults come back with
 * its metadata (a constraint added since is gone, as in Spark). */
static void test_constraint_features_come_back_with_the_target_metadata(void **state)
{
    (void)state;
    struct fx f;
    char *dir = lr_test_tmpdir("audit-cc");
    fx_open(&f, dir);
    const char *proto =
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":"
        "[\"appendOnly\",\"invariants\",\"checkConstraints\",\"generatedColumns\","
        "\"allowColumnDefaults\"]}}";
    const char *gen = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":"
                      "\"long\",\"nullable\":true,\"metadata\":{\"CURRENT_DEFAULT\":\"0\"}},"
                      "{\"name\":\"d\",\"type\":\"long\",\"nullable\":true,\"metadata\":"
                      "{\"delta.generationExpression\":\"id * 2\"}}]}";
    put(&f, 0, s(proto), meta("k", gen, "{\"delta.constraints.pos\":\"id > 0\"}"),
        add(&f, "a.parquet", 1, NULL), NULL);
    put(&f, 1, meta("k", SCHEMA_ID, "{\"delta.constraints.pos\":\"id > 0\","
                                    "\"delta.constraints.small\":\"id < 9\"}"),
        add(&f, "b.parquet", 1, NULL), NULL);
    int64_t v = restore(&f, 0);
    struct lr_delta_snapshot sn;
    fx_snapshot(&f, v, &sn);
    assert_string_equal(lr_delta_snapshot_config(&sn, "delta.constraints.pos"), "id > 0");
    assert_null(lr_delta_snapshot_config(&sn, "delta.constraints.small"));
    assert_non_null(strstr(sn.schema_string, "delta.generationExpression"));
    assert_non_null(strstr(sn.schema_string, "CURRENT_DEFAULT"));
    lr_delta_snapshot_free(&sn);
    fx_close(&f);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_row_tracking_restored_files_keep_their_ids, release),
        cmocka_unit_test_teardown(test_row_tracking_files_without_ids_get_fresh_ones, release),
        cmocka_unit_test_teardown(test_row_tracking_without_stats_or_suspended, release),
        cmocka_unit_test_teardown(test_identity_high_water_mark_never_goes_back, release),
        cmocka_unit_test_teardown(test_column_mapping_max_id_never_goes_back, release),
        cmocka_unit_test_teardown(test_in_commit_timestamps_follow_the_restored_metadata, release),
        cmocka_unit_test_teardown(test_clustering_domain_as_spark_restores_it, release),
        cmocka_unit_test_teardown(test_iceberg_compat_requirements_are_checked, release),
        cmocka_unit_test_teardown(test_change_data_feed_restore_writes_no_cdc, release),
        cmocka_unit_test_teardown(test_encoded_paths_are_decoded_for_checks_and_copied_verbatim,
                                  release),
        cmocka_unit_test_teardown(test_unseen_writer_shapes_read_and_restore, release),
        cmocka_unit_test_teardown(test_reader_3_writer_7_protocols, release),
        cmocka_unit_test_teardown(test_metadata_properties_spark_rewrites, release),
        cmocka_unit_test_teardown(test_pass_through_features_and_type_widening, release),
        cmocka_unit_test_teardown(test_checkpoint_with_struct_stats_only, release),
        cmocka_unit_test_teardown(test_constraint_features_come_back_with_the_target_metadata,
                                  release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
