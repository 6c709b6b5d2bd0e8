/* test_history_reuse.c - history after a snapshot on the same table handle reuses the
 * commitInfo lines replay already read (the rollback's impact analysis reads the undone commits'
 * history right after the current snapshot): the same entries, one GET fewer per replayed
 * commit; a fresh handle reads every commit. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_after_snapshot_reads_no_commit_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
