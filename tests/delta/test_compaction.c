/* test_compaction.c - log compaction files (PROTOCOL.md "Log Compaction Files") in segment
 * selection: a compacted file covering a run of commits after the checkpoint replaces them
 * (fewer reads, same snapshot), one not fully inside the needed range is ignored, and the
 * version's own commit is always read (its commitInfo). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta_fixture.h"

/* Commits 0..6: create a, b; add c; delete a; add d; set txn; add e; remove b. */
static void build(struct fx *f)
{
    char *md = fx_metadata("compaction-test", NULL);
    char *ci = fx_commit_info("WRITE");
    char *a = fx_add(f, "a.parquet", 10, 1);
    char *b = fx_add(f, "b.parquet", 20, 2);
    char *c = fx_add(f, "c.parquet", 30, 3);
    char *d = fx_add(f, "d.parquet", 40, 4);
    char *e = fx_add(f, "e.parquet", 50, 5);
    char *ra = fx_remove("a.parquet", 10);
    char *rb = fx_remove("b.parquet", 20);
    assert_int_equal(fx_commit(f, 0, ci, FX_PROTOCOL, md, a, b, NULL), 0);
    assert_int_equal(fx_commit(f, 1, ci, c, NULL), 0);
    assert_int_equal(fx_commit(f, 2, ci, ra, NULL), 0);
    assert_int_equal(fx_commit(f, 3, ci, d, NULL), 0);
    assert_int_equal(fx_commit(f, 4, ci,
                             "{\"txn\":{\"appId\":\"app\",\"version\":7,\"lastUpdated\":1}}",
                             NULL), 0);
    assert_int_equal(fx_commit(f, 5, ci, e, NULL), 0);
    assert_int_equal(fx_commit(f, 6, ci, rb, NULL), 0);
    free(md);
    free(ci);
    free(a);
    free(b);
    free(c);
    free(d);
    free(e);
    free(ra);
    free(rb);
}

static void put_log(struct fx *f, const char *name, const char *text)
{
    char *path = lr_asprintf("%s/_delta_log/%s", f->dir, name);
    lr_test_write_file(path, text, strlen(text));
    free(path);
}

/* The reconciled actions of commits 1..4: c added, a removed, d added, the txn. */
static const char *COMPACT_1_4 =
    "{\"add\":{\"path\":\"c.parquet\",\"partitionValues\":{},\"size\":30,"
    "\"modificationTime\":1700000000000,\"dataChange\":true,"
    "\"stats\":\"{\\\"numRecords\\\":3}\"}}\n"
    "{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1700000000001,"
    "\"dataChange\":true,\"extendedFileMetadata\":true,\"partitionValues\":{},\"size\":10}}\n"
    "{\"add\":{\"path\":\"d.parquet\",\"partitionValues\":{},\"size\":40,"
    "\"modificationTime\":1700000000000,\"dataChange\":true,"
    "\"stats\":\"{\\\"numRecords\\\":4}\"}}\n"
    "{\"txn\":{\"appId\":\"app\",\"version\":7,\"lastUpdated\":1}}\n";

static void test_compacted_file_replaces_its_commits_with_the_same_snapshot(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("compaction");
    struct fx f;
    fx_open(&f, dir);
    build(&f);
    struct lr_delta_snapshot plain, compacted;
    fx_snapshot(&f, -1, &plain);
    put_log(&f, "00000000000000000001.00000000000000000004.compacted.json", COMPACT_1_4);

    struct lr_error err;
    struct lr_delta_segment seg;
    struct lr_delta_listing l;
    assert_int_equal(lr_delta_find_segment(f.table, -1, &seg, &l, &err), 0);
    /* commit 0, the compacted 1..4, commits 5 and 6 */
    assert_int_equal(seg.commit_count, 4);
    assert_int_equal(seg.commits[1].kind, LR_DELTA_LOG_COMPACTION);
    assert_int_equal(seg.commits[1].version, 1);
    assert_int_equal(seg.commits[1].end_version, 4);
    assert_int_equal(seg.commits[3].version, 6);
    lr_delta_segment_free(&seg);
    lr_delta_listing_free(&l);

    /* a fresh handle (this one keeps the commits it parsed) */
    struct fx g;
    fx_open(&g, f.dir);
    struct lr_store_stats a, b;
    lr_store_stats_get(g.store, &a);
    fx_snapshot(&g, -1, &compacted);
    lr_store_stats_get(g.store, &b);
    fx_close(&g);
    fx_same_snapshot(&plain, &compacted);
    assert_int_equal(compacted.num_files, 3); /* c, d, e */
    /* _last_checkpoint + listing + 4 log files (7 without the compacted file) */
    assert_int_equal(b.gets, a.gets + 5);
    lr_delta_snapshot_free(&compacted);
    lr_delta_snapshot_free(&plain);

    /* time travel to 5 still uses it; to 4 it ends at the version itself: commits instead */
    struct lr_delta_snapshot p5, c5, c4;
    assert_int_equal(lr_delta_find_segment(f.table, 4, &seg, &l, &err), 0);
    for (size_t i = 0; i < seg.commit_count; i++)
        assert_int_equal(seg.commits[i].kind, LR_DELTA_LOG_COMMIT);
    lr_delta_segment_free(&seg);
    lr_delta_listing_free(&l);
    fx_snapshot(&f, 5, &c5);
    fx_snapshot(&f, 4, &c4);
    assert_int_equal(c4.num_files, 3); /* b, c, d */
    assert_non_null(c4.commit_info);
    char *path = lr_asprintf("%s/_delta_log/00000000000000000001.00000000000000000004"
                             ".compacted.json", dir);
    remove(path);
    free(path);
    fx_snapshot(&f, 5, &p5);
    fx_same_snapshot(&p5, &c5);
    lr_delta_snapshot_free(&p5);
    lr_delta_snapshot_free(&c5);
    lr_delta_snapshot_free(&c4);
    fx_close(&f);
    free(dir);
}

/* The compacted file's content is really what replay reads for its range: one that
 * (wrongly) leaves c out shows in the snapshot. */
static void test_compacted_file_content_is_what_replay_reads(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("compaction-read");
    struct fx f;
    fx_open(&f, dir);
    build(&f);
    put_log(&f, "00000000000000000001.00000000000000000003.compacted.json",
            "{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1,\"dataChange\":true}}\n");
    struct lr_delta_snapshot s;
    fx_snapshot(&f, 6, &s);
    /* c only came from commit 1: read through the compacted file it is not there */
    for (size_t i = 0; i < s.num_files; i++)
        assert_string_not_equal(s.files[i]->path, "c.parquet");
    assert_int_equal(s.num_files, 1); /* e: d came from commit 3 too */
    lr_delta_snapshot_free(&s);
    fx_close(&f);
    free(dir);
}

static void test_compacted_file_outside_the_needed_range_is_ignored(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("compaction-outside");
    struct fx f;
    fx_open(&f, dir);
    build(&f);
    /* a checkpoint at 3 makes a compaction starting before it useless */
    struct lr_delta_snapshot plain3, plain6;
    fx_snapshot(&f, 3, &plain3);
    assert_int_equal(lr_delta_checkpoint_write(f.table, &plain3, NULL), 0);
    lr_delta_snapshot_free(&plain3);
    fx_snapshot(&f, 3, &plain3);
    fx_snapshot(&f, 6, &plain6);
    /* bogus content: if any of these were read the snapshots would change */
    const char *bogus = "{\"add\":{\"path\":\"bogus.parquet\",\"partitionValues\":{},\"size\":1,"
                        "\"modificationTime\":1,\"dataChange\":true}}\n";
    put_log(&f, "00000000000000000002.00000000000000000005.compacted.json", bogus);
    put_log(&f, "00000000000000000005.00000000000000000006.compacted.json", bogus);
    put_log(&f, "00000000000000000004.00000000000000000009.compacted.json", bogus);
    put_log(&f, "00000000000000000002.00000000000000000004.compacted.json", bogus);
    struct lr_delta_snapshot s3, s6;
    fx_snapshot(&f, 3, &s3);
    fx_snapshot(&f, 6, &s6);
    fx_same_snapshot(&plain3, &s3);
    fx_same_snapshot(&plain6, &s6);
    lr_delta_snapshot_free(&s3);
    lr_delta_snapshot_free(&s6);
    lr_delta_snapshot_free(&plain3);
    lr_delta_snapshot_free(&plain6);
    fx_close(&f);
    free(dir);
}

/* A compacted file that names a file twice (some writers list each commit's actions, newest
 * commit first) is not reconciled: its commits are read instead. */
static void test_unreconciled_compacted_file_falls_back_to_commits(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("compaction-dup");
    struct fx f;
    fx_open(&f, dir);
    build(&f);
    struct lr_delta_snapshot plain, s;
    fx_snapshot(&f, -1, &plain);
    put_log(&f, "00000000000000000001.00000000000000000003.compacted.json",
            "{\"add\":{\"path\":\"d.parquet\",\"partitionValues\":{},\"size\":40,"
            "\"modificationTime\":1,\"dataChange\":true}}\n"
            "{\"remove\":{\"path\":\"d.parquet\",\"deletionTimestamp\":1,"
            "\"dataChange\":true}}\n");
    fx_snapshot(&f, -1, &s);
    fx_same_snapshot(&plain, &s);
    lr_delta_snapshot_free(&s);
    lr_delta_snapshot_free(&plain);
    fx_close(&f);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compacted_file_replaces_its_commits_with_the_same_snapshot),
        cmocka_unit_test(test_compacted_file_content_is_what_replay_reads),
        cmocka_unit_test(test_compacted_file_outside_the_needed_range_is_ignored),
        cmocka_unit_test(test_unreconciled_compacted_file_falls_back_to_commits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
