/* test_logic.c - pure logic with no store: the _delta_log/ name grammar, log-segment selection
 * (checkpoint choice, incomplete and empty checkpoints, gaps), timestamps and intervals, and the
 * restore plan built from in-memory snapshots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsupport.h"

#include "delta/internal.h"
#include "lakerewind/delta.h"
#include "lakerewind/str.h"

static void test_log_name_grammar(void **state)
{
    (void)state;
    struct lr_delta_log_file f;
    assert_int_equal(lr_delta_log_name_parse("00000000000000000012.json", &f), 1);
    assert_int_equal(f.kind, LR_DELTA_LOG_COMMIT);
    assert_int_equal(f.version, 12);
    assert_int_equal(lr_delta_log_name_parse("00000000000000000010.checkpoint.parquet", &f), 1);
    assert_int_equal(f.kind, LR_DELTA_LOG_CHECKPOINT);
    assert_int_equal(lr_delta_log_name_parse(
                         "00000000000000000010.checkpoint.0000000002.0000000003.parquet", &f), 1);
    assert_int_equal(f.kind, LR_DELTA_LOG_CHECKPOINT_PART);
    assert_int_equal(f.part, 2);
    assert_int_equal(f.parts, 3);
    assert_int_equal(lr_delta_log_name_parse("00000000000000000002.checkpoint."
                                             "6374b053-df23-479b-b2cf-c9c550132b49.json", &f), 1);
    assert_int_equal(f.kind, LR_DELTA_LOG_CHECKPOINT_V2);
    assert_true(f.is_json);
    assert_int_equal(lr_delta_log_name_parse("00000000000000000002.checkpoint."
                                             "6374b053-df23-479b-b2cf-c9c550132b49.parquet", &f),
                     1);
    assert_false(f.is_json);
    assert_int_equal(lr_delta_log_name_parse(
                         "00000000000000000006.00000000000000000010.compacted.json", &f), 1);
    assert_int_equal(f.kind, LR_DELTA_LOG_COMPACTION);
    assert_int_equal(f.end_version, 10);
    assert_int_equal(lr_delta_log_name_parse("00000000000000000003.crc", &f), 1);
    assert_int_equal(f.kind, LR_DELTA_LOG_CRC);
    /* not log files */
    const char *no[] = {
        "_last_checkpoint", "0000000000000000001.json", "000000000000000000001.json",
        ".00000000000000000001.json.tmp", "00000000000000000001.json.tmp",
        "_commit_1234.json.tmp", "00000000000000000001.checkpoint.0000000003.0000000002.parquet",
        "00000000000000000001.checkpoint.not-a-uuid.json", "_sidecars/x.parquet",
        "00000000000000000005.00000000000000000005.compacted.json", "0000000000000000000a.json",
        ".tmp/00000000000000000005.json",
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (lr_delta_log_name_parse(no[i], &f) != 0)
            fail_msg("accepted %s", no[i]);
    }
}

/* A listing from names and sizes ("name:size"). */
static void make_listing(struct lr_delta_listing *l, const char *const *names, size_t n)
{
    memset(l, 0, sizeof *l);
    l->files = calloc(n, sizeof *l->files);
    for (size_t i = 0; i < n; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", names[i]);
        char *colon = strrchr(buf, ':');
        uint64_t size = 100;
        if (colon) {
            *colon = '\0';
            size = strtoull(colon + 1, NULL, 10);
        }
        struct lr_delta_log_file f;
        assert_int_equal(lr_delta_log_name_parse(buf, &f), 1);
        f.name = strdup(buf);
        f.size = size;
        f.mtime_ms = 1000 + (int64_t)i;
        l->files[l->count++] = f;
    }
    /* same order rules as a real listing */
    l->latest_version = -1;
    for (size_t i = 0; i < n; i++)
        if (l->files[i].kind != LR_DELTA_LOG_CRC && l->files[i].kind != LR_DELTA_LOG_COMPACTION &&
            l->files[i].version > l->latest_version)
            l->latest_version = l->files[i].version;
}

static void test_segment_picks_newest_complete_checkpoint(void **state)
{
    (void)state;
    const char *names[] = {
        "00000000000000000000.json",
        "00000000000000000001.json",
        "00000000000000000002.checkpoint.parquet",
        "00000000000000000002.json",
        "00000000000000000003.json",
        "00000000000000000004.checkpoint.0000000001.0000000002.parquet",
        "00000000000000000004.checkpoint.0000000002.0000000002.parquet",
        "00000000000000000004.json",
        "00000000000000000005.json",
        "00000000000000000006.checkpoint.0000000001.0000000002.parquet", /* incomplete */
        "00000000000000000006.json",
        "00000000000000000007.checkpoint.parquet:0",                     /* empty */
        "00000000000000000007.json",
        "00000000000000000008.json",
    };
    struct lr_delta_listing l;
    make_listing(&l, names, sizeof names / sizeof names[0]);
    struct lr_delta_segment s;
    struct lr_error err;
    assert_int_equal(lr_delta_segment_select(&s, &l, -1, &err), 0);
    assert_int_equal(s.version, 8);
    assert_int_equal(s.checkpoint_version, 4); /* 6 incomplete, 7 empty */
    assert_int_equal(s.checkpoint_count, 2);
    assert_int_equal(s.checkpoint[1].part, 2);
    assert_int_equal(s.commit_count, 4);
    assert_int_equal(s.commits[0].version, 5);
    assert_int_equal(s.commits[3].version, 8);
    lr_delta_segment_free(&s);
    assert_int_equal(lr_delta_segment_select(&s, &l, 3, &err), 0);
    assert_int_equal(s.checkpoint_version, 2);
    assert_int_equal(s.commit_count, 1);
    lr_delta_segment_free(&s);
    assert_int_equal(lr_delta_segment_select(&s, &l, 1, &err), 0);
    assert_int_equal(s.checkpoint_version, -1);
    assert_int_equal(s.commit_count, 2);
    lr_delta_segment_free(&s);
    assert_int_equal(lr_delta_segment_select(&s, &l, 9, &err), LR_ENOTFOUND);
    lr_delta_listing_free(&l);
}

static void test_segment_prefers_v2_then_more_parts_then_classic(void **state)
{
    (void)state;
    const char *names[] = {
        "00000000000000000000.json",
        "00000000000000000001.checkpoint.0000000001.0000000001.parquet",
        "00000000000000000001.checkpoint.6374b053-df23-479b-b2cf-c9c550132b49.json",
        "00000000000000000001.checkpoint.parquet",
        "00000000000000000001.json",
    };
    struct lr_delta_listing l;
    make_listing(&l, names, 5);
    struct lr_delta_segment s;
    struct lr_error err;
    assert_int_equal(lr_delta_segment_select(&s, &l, -1, &err), 0);
    assert_int_equal(s.checkpoint_count, 1);
    assert_int_equal(s.checkpoint[0].kind, LR_DELTA_LOG_CHECKPOINT_V2);
    assert_int_equal(s.commit_count, 0);
    lr_delta_segment_free(&s);
    lr_delta_listing_free(&l);
}

static void test_segment_rejects_gap_after_checkpoint_and_truncated_log(void **state)
{
    (void)state;
    const char *names[] = {
        "00000000000000000003.json",
        "00000000000000000005.checkpoint.parquet",
        "00000000000000000005.json",
        "00000000000000000006.json",
        "00000000000000000008.json",
    };
    struct lr_delta_listing l;
    make_listing(&l, names, 5);
    struct lr_delta_segment s;
    struct lr_error err;
    assert_int_equal(lr_delta_segment_select(&s, &l, 8, &err), LR_ECORRUPT);
    assert_non_null(strstr(err.message, "not contiguous"));
    assert_non_null(strstr(err.message, "00000000000000000007.json"));
    assert_int_equal(lr_delta_segment_select(&s, &l, 6, &err), 0);
    lr_delta_segment_free(&s);
    /* below the checkpoint, commit 0 is gone */
    assert_int_equal(lr_delta_segment_select(&s, &l, 3, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "not reconstructable"));
    lr_delta_listing_free(&l);
}

static void test_timestamps_and_intervals(void **state)
{
    (void)state;
    int64_t ms;
    struct lr_error err;
    assert_int_equal(lr_delta_parse_timestamp("2025-01-15T10:00:00Z", &ms, &err), 0);
    assert_int_equal(ms, 1736935200000);
    assert_int_equal(lr_delta_parse_timestamp("2025-01-15 10:00:00.5", &ms, &err), 0);
    assert_int_equal(ms, 1736935200500);
    assert_int_equal(lr_delta_parse_timestamp("2025-01-15T12:00:00+02:00", &ms, &err), 0);
    assert_int_equal(ms, 1736935200000);
    assert_int_equal(lr_delta_parse_timestamp("2025-01-15", &ms, &err), 0);
    assert_int_equal(ms, 1736899200000);
    assert_int_equal(lr_delta_parse_timestamp("1736935200123", &ms, &err), 0);
    assert_int_equal(ms, 1736935200123);
    assert_int_equal(lr_delta_parse_timestamp("yesterday", &ms, &err), LR_EINVAL);
    char buf[40];
    lr_delta_format_timestamp(1736935200123, buf, sizeof buf);
    assert_string_equal(buf, "2025-01-15T10:00:00.123Z");
    assert_int_equal(lr_delta_parse_interval("interval 30 days", &ms, &err), 0);
    assert_int_equal(ms, 30LL * 86400000);
    assert_int_equal(lr_delta_parse_interval("1 week", &ms, &err), 0);
    assert_int_equal(ms, 7LL * 86400000);
    assert_int_equal(lr_delta_parse_interval("interval 168 hours", &ms, &err), 0);
    assert_int_equal(ms, 168LL * 3600000);
    assert_int_equal(lr_delta_parse_interval("interval 1 month", &ms, &err), LR_EINVAL);
}

static void test_path_and_dv_keys(void **state)
{
    (void)state;
    char *k = lr_delta_path_to_key("x=A%252FA/part-0.parquet");
    assert_string_equal(k, "x=A%2FA/part-0.parquet"); /* decoded exactly once */
    free(k);
    k = lr_delta_path_to_key("a+b%20c.parquet");
    assert_string_equal(k, "a+b c.parquet");
    free(k);
    assert_null(lr_delta_path_to_key("s3://bucket/x.parquet"));
    assert_null(lr_delta_path_to_key("/abs/x.parquet"));
    json_t *dv = json_pack("{s:s,s:s,s:i}", "storageType", "u", "pathOrInlineDv",
                           "ab^-aqEH.-t@S}K{vb[*k^", "offset", 1);
    k = lr_delta_dv_key(dv);
    assert_non_null(k);
    assert_true(lr_str_starts_with(k, "ab/deletion_vector_"));
    assert_true(lr_str_ends_with(k, ".bin"));
    free(k);
    json_decref(dv);
    dv = json_pack("{s:s,s:s}", "storageType", "i", "pathOrInlineDv", "wi5b=000010000siXQKl0");
    assert_null(lr_delta_dv_key(dv));
    json_decref(dv);
}

/* An in-memory snapshot with files "path:size:rows[:dvid]". */
static void fake_snapshot(struct lr_delta_snapshot *s, int64_t version, const char *const *files,
                          size_t n, const char *config)
{
    memset(s, 0, sizeof *s);
    s->version = version;
    s->timestamp_ms = 1000 * version;
    s->protocol.min_reader_version = 1;
    s->protocol.min_writer_version = 2;
    s->protocol_action = json_pack("{s:i,s:i}", "minReaderVersion", 1, "minWriterVersion", 2);
    s->metadata = json_loads(config ? config : "{\"id\":\"m\",\"configuration\":{},"
                                               "\"partitionColumns\":[]}", 0, NULL);
    s->metadata_id = "m";
    s->configuration = json_object_get(s->metadata, "configuration");
    s->partition_columns = json_object_get(s->metadata, "partitionColumns");
    s->txns = json_object();
    s->domains = json_object();
    s->files = calloc(n + 1, sizeof *s->files);
    s->tombstones = calloc(1, sizeof *s->tombstones);
    s->mem[0] = delta_mem_new();
    s->num_records = 0;
    for (size_t i = 0; i < n; i++) {
        char path[64], dv[64] = "";
        long long size, rows;
        int got = sscanf(files[i], "%63[^:]:%lld:%lld:%63s", path, &size, &rows, dv);
        assert_true(got >= 3);
        json_t *a = json_pack("{s:s,s:I,s:{},s:b}", "path", path, "size", (json_int_t)size,
                              "partitionValues", "dataChange", 0);
        if (got == 4)
            json_object_set_new(a, "deletionVector",
                                json_pack("{s:s,s:s,s:i}", "storageType", "i",
                                          "pathOrInlineDv", dv, "cardinality", 1));
        struct lr_error err;
        struct lr_delta_file *f = NULL;
        assert_int_equal(delta_rec_from_json(s->mem[0], a, true, &f, &err), 0);
        json_decref(a);
        f->num_records = rows;
        s->files[s->num_files++] = f;
        s->size_bytes += size;
        s->num_records += lr_delta_file_rows(f);
    }
}

static void test_restore_plan_diff_keys_on_path_and_dv(void **state)
{
    (void)state;
    const char *tgt_files[] = {"a:10:5", "b:20:5", "c:30:5:DV1"};
    const char *cur_files[] = {"b:20:5", "c:30:5:DV2", "d:40:6"};
    struct lr_delta_snapshot tgt, cur;
    fake_snapshot(&tgt, 3, tgt_files, 3,
                  "{\"id\":\"m\",\"configuration\":{\"delta.columnMapping.maxColumnId\":\"4\","
                  "\"delta.columnMapping.mode\":\"name\"},"
                  "\"partitionColumns\":[]}");
    fake_snapshot(&cur, 7, cur_files, 3,
                  "{\"id\":\"m\",\"configuration\":{\"delta.columnMapping.maxColumnId\":\"9\","
                  "\"delta.columnMapping.mode\":\"name\",\"x\":\"new\"},\"partitionColumns\":[]}");
    struct lr_delta_restore_plan p;
    struct lr_error err;
    struct lr_delta_restore_options o = {0};
    o.now_ms = 123456;
    assert_int_equal(lr_delta_restore_plan_build(&p, &cur, &tgt, NULL, NULL, &o, &err), 0);
    assert_int_equal(p.refusal_count, 0);
    /* a and c(DV1) come back; c(DV2) and d go */
    assert_int_equal(p.num_restored_files, 2);
    assert_int_equal(p.num_removed_files, 2);
    assert_int_equal(p.restored_bytes, 40);
    assert_int_equal(p.removed_bytes, 70);
    assert_int_equal(p.files_after, 3);
    assert_int_equal(p.bytes_after, 60);
    assert_int_equal(p.rows_before, 15);
    assert_int_equal(p.rows_after, 14);
    json_t *a0 = json_array_get(p.adds, 0);
    assert_string_equal(json_string_value(json_object_get(a0, "path")), "a");
    assert_true(json_is_true(json_object_get(a0, "dataChange")));
    json_t *r0 = json_array_get(p.removes, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "path")), "c");
    assert_int_equal(json_integer_value(json_object_get(r0, "deletionTimestamp")), 123456);
    assert_true(json_is_true(json_object_get(r0, "extendedFileMetadata")));
    assert_int_equal(json_integer_value(json_object_get(r0, "size")), 30);
    assert_non_null(json_object_get(r0, "partitionValues"));
    /* metadata from the target, but maxColumnId (name mapping) never goes backwards */
    json_t *conf = json_object_get(p.metadata, "configuration");
    assert_string_equal(json_string_value(json_object_get(conf,
                                                          "delta.columnMapping.maxColumnId")),
                        "9");
    assert_null(json_object_get(conf, "x"));
    assert_string_equal(json_string_value(json_object_get(p.metrics, "numRemovedFiles")), "2");
    lr_delta_restore_plan_free(&p);
    lr_delta_snapshot_free(&tgt);
    lr_delta_snapshot_free(&cur);
}

/* Snapshots out of identity order (only hand-made ones are) take the hash-index match and give
 * the same diff as sorted ones (the merge). */
static void test_restore_plan_diff_unsorted_equals_sorted(void **state)
{
    (void)state;
    const char *tgt_sorted[] = {"a:10:5", "b:20:5", "c:30:5:DV1", "e:1:1"};
    const char *tgt_mixed[] = {"e:1:1", "c:30:5:DV1", "a:10:5", "b:20:5"};
    const char *cur_sorted[] = {"b:20:5", "c:30:5:DV2", "d:40:6", "e:1:1"};
    const char *cur_mixed[] = {"d:40:6", "e:1:1", "b:20:5", "c:30:5:DV2"};
    const char *const *tgts[] = {tgt_sorted, tgt_mixed};
    const char *const *curs[] = {cur_sorted, cur_mixed};
    for (int k = 0; k < 2; k++) {
        struct lr_delta_snapshot tgt, cur;
        fake_snapshot(&tgt, 3, tgts[k], 4, NULL);
        fake_snapshot(&cur, 7, curs[k], 4, NULL);
        struct lr_delta_restore_plan p;
        struct lr_error err;
        struct lr_delta_restore_options o = {0};
        o.now_ms = 1;
        assert_int_equal(lr_delta_restore_plan_build(&p, &cur, &tgt, NULL, NULL, &o, &err), 0);
        assert_int_equal(p.num_restored_files, 2);
        assert_int_equal(p.num_removed_files, 2);
        assert_int_equal(p.restored_bytes, 40);
        assert_int_equal(p.removed_bytes, 70);
        lr_delta_restore_plan_free(&p);
        lr_delta_snapshot_free(&tgt);
        lr_delta_snapshot_free(&cur);
    }
}

static void test_restore_plan_never_downgrades_the_protocol(void **state)
{
    (void)state;
    const char *files[] = {"a:1:1"};
    struct lr_delta_snapshot tgt, cur;
    fake_snapshot(&tgt, 1, files, 1, NULL);
    fake_snapshot(&cur, 2, files, 1, NULL);
    json_decref(cur.protocol_action);
    cur.protocol_action = json_loads("{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                                     "\"readerFeatures\":[\"deletionVectors\"],"
                                     "\"writerFeatures\":[\"deletionVectors\"]}", 0, NULL);
    cur.protocol.min_reader_version = 3;
    cur.protocol.min_writer_version = 7;
    lr_strvec_push(&cur.protocol.reader_features, "deletionVectors");
    lr_strvec_push(&cur.protocol.writer_features, "deletionVectors");
    struct lr_delta_restore_plan p;
    struct lr_error err;
    assert_int_equal(lr_delta_restore_plan_build(&p, &cur, &tgt, NULL, NULL, NULL, &err), 0);
    assert_int_equal(json_integer_value(json_object_get(p.protocol, "minReaderVersion")), 3);
    assert_int_equal(json_integer_value(json_object_get(p.protocol, "minWriterVersion")), 7);
    /* target's legacy writer 2 implies appendOnly + invariants: now explicit */
    char *text = json_dumps(json_object_get(p.protocol, "writerFeatures"), JSON_COMPACT);
    assert_non_null(strstr(text, "deletionVectors"));
    assert_non_null(strstr(text, "appendOnly"));
    assert_non_null(strstr(text, "invariants"));
    free(text);
    assert_int_equal(p.refusal_count, 0);
    lr_delta_restore_plan_free(&p);
    lr_delta_snapshot_free(&tgt);
    lr_delta_snapshot_free(&cur);
}

/* stats.numRecords read in place: the common first key, a key further on (not one nested in
 * minValues), spaces, a text ending at n bytes or at a NUL byte (a NUL after the count changes
 * nothing, one inside it leaves no count), and what is not a count. */
static void test_num_records_scan(void **state)
{
    (void)state;
    const struct {
        const char *text;
        size_t n; /* 0: strlen */
        int64_t want;
    } cases[] = {
        {"{\"numRecords\":12,\"minValues\":{}}", 0, 12},
        {"{\"numRecords\": 42 }", 0, 42},
        {"{\"minValues\":{\"numRecords\":5},\"numRecords\":7}", 0, 7},
        {"{\"numRecords\":12,\"x\":\"a\0b\"}", 25, 12},
        {"{\"numRecords\":1\0 2}", 19, -1},
        {"{\"minValues\":{},\"numRecords\":3}\0{\"numRecords\":9}", 49, 3},
        {"{\"x\":\"\0\",\"numRecords\":8}", 24, -1},
        {"{\"numRecords\":12", 0, -1},
        {"{\"numRecords\":\"7\"}", 0, -1},
        {"{\"numRecords\":-1}", 0, -1},
        {"{\"nullCount\":{}}", 0, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].n ? cases[i].n : strlen(cases[i].text);
        int64_t got = delta_scan_num_records_n(cases[i].text, n);
        if (got != cases[i].want)
            fail_msg("case %zu: %lld, want %lld", i, (long long)got, (long long)cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_name_grammar),
        cmocka_unit_test(test_num_records_scan),
        cmocka_unit_test(test_segment_picks_newest_complete_checkpoint),
        cmocka_unit_test(test_segment_prefers_v2_then_more_parts_then_classic),
        cmocka_unit_test(test_segment_rejects_gap_after_checkpoint_and_truncated_log),
        cmocka_unit_test(test_timestamps_and_intervals),
        cmocka_unit_test(test_path_and_dv_keys),
        cmocka_unit_test(test_restore_plan_diff_keys_on_path_and_dv),
        cmocka_unit_test(test_restore_plan_diff_unsorted_equals_sorted),
        cmocka_unit_test(test_restore_plan_never_downgrades_the_protocol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
