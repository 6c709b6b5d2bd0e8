/* test_checkpoints.c - every Parquet checkpoint (and sidecar) under shared/corpus/delta
 * decodes: all rows (count = footer num_rows, each an object with exactly one non-null
 * action per row where the file has action columns), and the Delta projection
 * (add.path, add.size, add.partitionValues, add.stats, remove.path, metaData, protocol)
 * gives the same values as the full rows; skipping rows (lr_parquet_rows_skip), or whole row
 * groups, lands on the same rows as reading them. */
#include "testsupport.h"

#include "pqtest.h"

static const char *const wanted[] = {"add.path",   "add.size", "add.partitionValues",
                                     "add.stats",  "remove.path", "metaData",
                                     "protocol"};
#define NWANTED (sizeof wanted / sizeof *wanted)

static bool has_path(const struct lr_parquet_meta *m, const char *p)
{
    size_t n = strlen(p);
    for (size_t i = 0; i < m->num_leaves; i++) {
        const char *lp = m->leaves[i]->path;
        if (!strncmp(lp, p, n) && (lp[n] == '\0' || lp[n] == '.'))
            return true;
    }
    return false;
}

/* the value at dotted path p in o (objects only), or NULL when absent */
static json_t *get_path(json_t *o, const char *p, bool *parent_null)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", p);
    *parent_null = false;
    json_t *cur = o;
    char *save = buf;
    for (char *dot; save; save = dot ? dot + 1 : NULL) {
        dot = strchr(save, '.');
        if (dot)
            *dot = '\0';
        if (json_is_null(cur)) {
            *parent_null = true;
            return cur;
        }
        cur = json_object_get(cur, save);
        if (!cur)
            return NULL;
    }
    return cur;
}

static size_t nfiles;

static void check_file(struct lr_store *store, const char *key)
{
    struct lr_error err;
    lr_error_clear(&err);
    struct lr_parquet_file *f = NULL;
    if (lr_parquet_open(&f, store, key, &err) < 0)
        fail_msg("%s: %s", key, err.message);
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    json_t *all = pqt_read_rows(f, NULL, 0, &err);
    if (!all)
        fail_msg("%s: %s", key, err.message);
    assert_int_equal((int64_t)json_array_size(all), lr_parquet_num_rows(f));
    const char *actions[] = {"add", "remove", "metaData", "protocol", "txn", "commitInfo",
                             "domainMetadata", "checkpointMetadata", "sidecar", "cdc"};
    size_t i;
    json_t *row;
    json_array_foreach(all, i, row) {
        assert_true(json_is_object(row));
        int nonnull = 0;
        for (size_t a = 0; a < sizeof actions / sizeof *actions; a++) {
            json_t *v = json_object_get(row, actions[a]);
            if (v && !json_is_null(v))
                nonnull++;
        }
        if (nonnull != 1) {
            char *s = json_dumps(row, JSON_COMPACT);
            fail_msg("%s: row %zu has %d actions: %.400s", key, i, nonnull, s);
        }
    }
    /* lr_parquet_rows_skip: stepping over runs of rows (never past a row group's end) leaves
     * the cursor on exactly the row a full read gives there (maps and lists included) */
    struct lr_parquet_rows *rc = NULL;
    assert_int_equal(lr_parquet_rows_open(&rc, f, NULL, 0, &err), 0);
    size_t at = 0;
    for (size_t step = 0; at < json_array_size(all); step++) {
        if (step % 3 == 1) {
            int64_t k = lr_parquet_rows_skip(rc, (int64_t)(step % 5) + 1, &err);
            if (k <= 0)
                fail_msg("%s: skip at row %zu gave %lld: %s", key, at, (long long)k,
                         err.message);
            at += (size_t)k;
            continue;
        }
        json_t *got = NULL;
        int n = lr_parquet_rows_next(rc, &got, &err);
        if (n != 1)
            fail_msg("%s: row %zu after skips: %d %s", key, at, n, err.message);
        if (!json_equal(got, json_array_get(all, at)))
            fail_msg("%s: row %zu after skips differs from the full read", key, at);
        json_decref(got);
        at++;
    }
    assert_int_equal(at, json_array_size(all));
    assert_int_equal(lr_parquet_rows_skip(rc, 1, &err), 0);
    lr_parquet_rows_close(rc);
    /* row groups skipped whole (never read) and read in turn: the rows read are the same */
    assert_int_equal(lr_parquet_rows_open(&rc, f, NULL, 0, &err), 0);
    at = 0;
    for (size_t g = 0; g < m->num_row_groups; g++) {
        int64_t rows = m->row_groups[g].num_rows;
        if (g % 2 == 0 && rows > 0) {
            assert_int_equal(lr_parquet_rows_skip(rc, INT64_MAX, &err), rows);
            at += (size_t)rows;
            continue;
        }
        for (int64_t k = 0; k < rows; k++, at++) {
            json_t *got = NULL;
            assert_int_equal(lr_parquet_rows_next(rc, &got, &err), 1);
            if (!json_equal(got, json_array_get(all, at)))
                fail_msg("%s: row %zu after a skipped row group differs", key, at);
            json_decref(got);
        }
    }
    assert_int_equal(at, json_array_size(all));
    json_t *none = NULL;
    assert_int_equal(lr_parquet_rows_next(rc, &none, &err), 0);
    lr_parquet_rows_close(rc);
    const char *proj[NWANTED];
    size_t np = 0;
    for (size_t w = 0; w < NWANTED; w++)
        if (has_path(m, wanted[w]))
            proj[np++] = wanted[w];
    if (np > 0) {
        json_t *pr = pqt_read_rows(f, proj, np, &err);
        if (!pr)
            fail_msg("%s (projection): %s", key, err.message);
        assert_int_equal(json_array_size(pr), json_array_size(all));
        json_array_foreach(all, i, row) {
            json_t *prow = json_array_get(pr, i);
            for (size_t w = 0; w < np; w++) {
                bool pn1, pn2;
                json_t *a = get_path(row, proj[w], &pn1);
                json_t *b = get_path(prow, proj[w], &pn2);
                assert_non_null(a);
                assert_non_null(b);
                if (!json_equal(a, b))
                    fail_msg("%s: row %zu, %s differs between full and projected read", key,
                             i, proj[w]);
            }
        }
        json_decref(pr);
    }
    json_decref(all);
    lr_parquet_close(f);
    nfiles++;
}

static void test_every_delta_checkpoint_decodes(void **state)
{
    (void)state;
    char *dir = lr_path_join(lr_test_corpus(), "delta");
    struct lr_store *store = NULL;
    struct lr_error err;
    lr_error_clear(&err);
    assert_int_equal(lr_store_open(&store, dir, NULL, &err), 0);
    struct lr_store_page page = {0};
    assert_int_equal(lr_store_list(store, "", NULL, &page, &err), 0);
    for (size_t i = 0; i < page.count; i++) {
        const char *k = page.entries[i].key;
        const char *base = strrchr(k, '/');
        base = base ? base + 1 : k;
        if (strstr(base, ".checkpoint") && lr_str_ends_with(base, ".parquet"))
            check_file(store, k);
    }
    lr_store_page_free(&page);
    lr_store_close(store);
    free(dir);
    assert_true(nfiles >= 40);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_delta_checkpoint_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
