/* test_history_reuse.c - what a table handle reuses between looks at one table (the
 * rollback's impact analysis: latest and target snapshots, retention, the undone commits'
 * history): history after a snapshot reuses the commitInfo lines replay already read (same
 * entries, no GET per replayed commit; a fresh handle reads every commit), and a pinned
 * listing answers every listing with one request until unpinned, after which new commits are
 * seen again; time travel after the latest snapshot parses no commit again (the same snapshot
 * as a fresh handle's, and a commit replaced under the same name is read again). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta_fixture.h"

static void build(struct fx *f)
{
    char *md = fx_metadata("history-reuse", NULL);
    char *ci = fx_commit_info("WRITE");
    char *mi = fx_commit_info("MERGE");
    assert_int_equal(fx_commit(f, 0, ci, FX_PROTOCOL, md, NULL), 0);
    for (int v = 1; v <= 6; v++) {
        char name[32];
        snprintf(name, sizeof name, "f%d.parquet", v);
        char *a = fx_add(f, name, 10 * v, v);
        assert_int_equal(fx_commit(f, v, v % 2 ? mi : ci, a, NULL), 0);
        free(a);
    }
    free(md);
    free(ci);
    free(mi);
}

static void same_history(const struct lr_delta_history *x, const struct lr_delta_history *y)
{
    assert_int_equal(x->count, y->count);
    for (size_t i = 0; i < x->count; i++) {
        assert_int_equal(x->entries[i].version, y->entries[i].version);
        assert_int_equal(x->entries[i].timestamp_ms, y->entries[i].timestamp_ms);
        assert_true(json_equal(x->entries[i].commit_info, y->entries[i].commit_info));
        assert_string_equal(x->entries[i].operation, y->entries[i].operation);
    }
}

static void test_history_after_snapshot_reads_no_commit_again(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("histreuse");
    struct fx f;
    fx_open(&f, dir);
    build(&f);
    struct lr_error err;
    struct lr_store_stats a, b, c;

    /* A fresh handle: history reads every commit of the page. */
    struct lr_delta_history cold;
    lr_store_stats_get(f.store, &a);
    assert_int_equal(lr_delta_history_read(f.table, -1, 4, &cold, &err), 0);
    lr_store_stats_get(f.store, &b);
    assert_int_equal(cold.count, 4);
    assert_int_equal(b.gets, a.gets + 4);

    /* A new handle that replayed every commit (no checkpoint): history reads none again. */
    struct lr_delta_table *t = NULL;
    assert_int_equal(lr_delta_table_open(&t, f.store, "", &err), 0);
    struct lr_delta_snapshot snap;
    assert_int_equal(lr_delta_snapshot_open(&snap, t, -1, &err), 0);
    assert_int_equal(snap.version, 6);
    struct lr_delta_history warm;
    lr_store_stats_get(f.store, &b);
    assert_int_equal(lr_delta_history_read(t, -1, 4, &warm, &err), 0);
    lr_store_stats_get(f.store, &c);
    assert_int_equal(c.gets, b.gets);
    same_history(&cold, &warm);
    assert_string_equal(warm.entries[0].operation, "WRITE");
    assert_string_equal(warm.entries[1].operation, "MERGE");

    lr_delta_history_free(&warm);
    lr_delta_history_free(&cold);
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    fx_close(&f);
    free(dir);
}

static void test_pinned_listing_serves_every_look_with_one_request(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("pinned");
    struct fx f;
    fx_open(&f, dir);
    build(&f);
    struct lr_error err;
    struct lr_store_stats a, b;
    struct lr_delta_table *t = NULL;
    assert_int_equal(lr_delta_table_open(&t, f.store, "", &err), 0);

    lr_store_stats_get(f.store, &a);
    assert_int_equal(lr_delta_table_pin_listing(t, &err), 0);
    struct lr_delta_snapshot cur, old;
    assert_int_equal(lr_delta_snapshot_open(&cur, t, -1, &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&old, t, 2, &err), 0);
    struct lr_delta_retention ret;
    assert_int_equal(lr_delta_retention_check(t, 2, NULL, 0, &ret, &err), 0);
    struct lr_delta_history h;
    assert_int_equal(lr_delta_history_read(t, -1, 3, &h, &err), 0);
    lr_store_stats_get(f.store, &b);
    assert_int_equal(b.lists - a.lists, 1);
    assert_int_equal(cur.version, 6);
    assert_int_equal(old.version, 2);
    assert_int_equal(old.num_files, 2);
    assert_true(ret.is_reconstructable);
    assert_int_equal(ret.latest_version, 6);
    assert_int_equal(h.count, 3);

    /* Pinned, a commit made since is not seen; unpinned, it is. */
    char *ci = fx_commit_info("WRITE");
    char *add = fx_add(&f, "late.parquet", 5, 1);
    assert_int_equal(fx_commit(&f, 7, ci, add, NULL), 0);
    struct lr_delta_snapshot again;
    assert_int_equal(lr_delta_snapshot_open(&again, t, -1, &err), 0);
    assert_int_equal(again.version, 6);
    lr_delta_snapshot_free(&again);
    lr_delta_table_unpin_listing(t);
    assert_int_equal(lr_delta_snapshot_open(&again, t, -1, &err), 0);
    assert_int_equal(again.version, 7);

    free(ci);
    free(add);
    lr_delta_snapshot_free(&again);
    lr_delta_history_free(&h);
    lr_delta_retention_free(&ret);
    lr_delta_snapshot_free(&old);
    lr_delta_snapshot_free(&cur);
    lr_delta_table_close(t);
    fx_close(&f);
    free(dir);
}

static void test_time_travel_after_latest_parses_no_commit_again(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("ttreuse");
    struct fx f;
    fx_open(&f, dir);
    build(&f);
    struct lr_delta_snapshot latest, mid, mid_cold, mid2;
    struct lr_store_stats a, b;
    fx_snapshot(&f, -1, &latest);
    lr_store_stats_get(f.store, &a);
    fx_snapshot(&f, 4, &mid);
    lr_store_stats_get(f.store, &b);
    assert_int_equal(mid.num_files, 4);

    /* a fresh handle reads commits 0-4; this one only what is not a commit */
    struct fx cold;
    struct lr_store_stats c, d;
    fx_open(&cold, dir);
    lr_store_stats_get(cold.store, &c);
    fx_snapshot(&cold, 4, &mid_cold);
    lr_store_stats_get(cold.store, &d);
    fx_same_snapshot(&mid, &mid_cold);
    assert_int_equal(b.gets - a.gets, d.gets - c.gets - 5);
    fx_close(&cold);

    /* a commit file rewritten with another size (never done by Delta): read again */
    char *ci = fx_commit_info("OPTIMIZE");
    char *a5 = fx_add(&f, "other.parquet", 1, 1);
    char path[4096];
    snprintf(path, sizeof path, "%s/_delta_log/00000000000000000003.json", dir);
    char *text = lr_asprintf("%s\n%s\n", ci, a5);
    lr_test_write_file(path, text, strlen(text));
    fx_snapshot(&f, 4, &mid2);
    bool other = false;
    for (size_t i = 0; i < mid2.num_files; i++)
        other |= strcmp(mid2.files[i]->path, "other.parquet") == 0;
    assert_true(other);
    free(text);
    free(a5);
    free(ci);
    lr_delta_snapshot_free(&latest);
    lr_delta_snapshot_free(&mid);
    lr_delta_snapshot_free(&mid_cold);
    lr_delta_snapshot_free(&mid2);
    fx_close(&f);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_after_snapshot_reads_no_commit_again),
        cmocka_unit_test(test_pinned_listing_serves_every_look_with_one_request),
        cmocka_unit_test(test_time_travel_after_latest_parses_no_commit_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
