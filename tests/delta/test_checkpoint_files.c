/* test_checkpoint_files.c - the column-by-column add/remove decoder (checkpoint_files.c) gives
 * exactly the actions of the row path (rows as JSON, nulls dropped by replay) for every Parquet
 * checkpoint and sidecar of the corpus whose shape it takes (typed stats included: only their
 * numRecords is read), both copying the stats text and leaving it in the checkpoint for
 * lr_delta_file_stats() to decode on demand; files it does not take are counted. A generated
 * checkpoint adds what the corpus has little of: hundreds of partitionValues maps in random
 * order (the decoder's map cache), maps with null values, empty, null and wide maps, fields
 * that only some row groups hold, deletion vectors, row-tracking fields and removes (but in
 * the middle row group). */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta_fixture.h"
#include "testsupport.h"

#include "delta/internal.h"
#include "lakerewind/parquet.h"
#include "lakerewind/parquet_write.h"
#include "pqw_checkpoint.h"

static int compared;
static int skipped;
static int lazy_refs; /* records whose stats stayed in the checkpoint */

static void push_leaves(const struct lr_parquet_node *n, struct lr_strvec *cols)
{
    if (!n->num_children) {
        assert_int_equal(lr_strvec_push(cols, n->path), 0);
        return;
    }
    for (size_t i = 0; i < n->num_children; i++)
        push_leaves(n->children[i], cols);
}

/* The row path over the add/remove columns only (the fast path's domain). */
static void row_replay(struct lr_parquet_file *f, struct delta_state *s)
{
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    struct lr_strvec cols = {0};
    for (size_t i = 0; i < m->root->num_children; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        if (strcmp(top->name, "add") && strcmp(top->name, "remove"))
            continue;
        for (size_t k = 0; k < top->num_children; k++)
            if (strcmp(top->children[k]->name, "partitionValues_parsed"))
                push_leaves(top->children[k], &cols);
    }
    if (!cols.count) {
        lr_strvec_free(&cols);
        return;
    }
    struct lr_error err = {0};
    struct lr_parquet_rows *rows = NULL;
    assert_int_equal(lr_parquet_rows_open(&rows, f, (const char *const *)cols.items, cols.count,
                                          &err), 0);
    for (;;) {
        json_t *row = NULL;
        int rc = lr_parquet_rows_next(rows, &row, &err);
        assert_true(rc >= 0);
        if (rc == 0)
            break;
        assert_int_equal(delta_state_apply(s, row, true, &err), 0);
        json_decref(row);
    }
    lr_parquet_rows_close(rows);
    lr_strvec_free(&cols);
}

static bool same_dv(const struct lr_delta_file *x, const struct lr_delta_file *y)
{
    const char *a = lr_delta_file_dv_id(x), *b = lr_delta_file_dv_id(y);
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void compare_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *data = malloc(len > 0 ? (size_t)len : 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)len, fp), (size_t)len);
    fclose(fp);

    struct lr_error err = {0};
    struct lr_parquet_file *f = NULL;
    if (lr_parquet_open_buffer(&f, data, (size_t)len, path, &err) < 0) {
        free(data); /* corrupt-on-purpose corpus files are the bad-input tests' business */
        return;
    }
    if (!delta_files_fast_ok(lr_parquet_metadata(f))) {
        skipped++;
        lr_parquet_close(f);
        free(data);
        return;
    }
    struct delta_state fast, lazy, slow;
    assert_int_equal(delta_state_init(&fast), 0);
    assert_int_equal(delta_state_init(&lazy), 0);
    assert_int_equal(delta_state_init(&slow), 0);
    int rc = delta_files_fast_replay(f, path, NULL, NULL, &fast, &err);
    if (rc < 0)
        fail_msg("%s: %s", path, err.message);
    /* the lazy source owns a copy of the bytes and lives as long as the state's arena */
    struct lr_buf copy = LR_BUF_INIT;
    assert_int_equal(lr_buf_append(&copy, data, (size_t)len, &err), 0);
    struct lr_store_blob bytes = {0};
    lr_store_blob_adopt(&bytes, &copy);
    struct delta_stats_src *src = NULL;
    assert_int_equal(delta_stats_src_new(&src, &bytes, path, &err), 0);
    assert_null(bytes.data);
    assert_int_equal(delta_stats_src_plan(src, f, &err), 0);
    assert_int_equal(delta_stats_src_keep(src, lazy.mem), 0);
    rc = delta_files_fast_replay(f, path, src, NULL, &lazy, &err);
    if (rc < 0)
        fail_msg("%s (lazy stats): %s", path, err.message);
    row_replay(f, &slow);
    struct lr_delta_file **ff, **ft, **lf, **lt, **sf, **st;
    size_t nff, nft, nlf, nlt, nsf, nst;
    assert_int_equal(delta_state_files(&fast, &ff, &nff, &ft, &nft, NULL), 0);
    assert_int_equal(delta_state_files(&lazy, &lf, &nlf, &lt, &nlt, NULL), 0);
    assert_int_equal(delta_state_files(&slow, &sf, &nsf, &st, &nst, NULL), 0);
    if (nff != nsf || nft != nst || nlf != nsf || nlt != nst)
        fail_msg("%s: %zu/%zu files/tombstones by columns (%zu/%zu lazy), %zu/%zu by rows",
                 path, nff, nft, nlf, nlt, nsf, nst);
    for (size_t i = 0; i < 2 * (nff + nft); i++) {
        size_t k = i % (nff + nft);
        const struct lr_delta_file *x = i < nff + nft ? (k < nff ? ff[k] : ft[k - nff])
                                                      : (k < nff ? lf[k] : lt[k - nff]);
        const struct lr_delta_file *y = k < nff ? sf[k] : st[k - nff];
        lazy_refs += i >= nff + nft && delta_stats_kept(x);
        const char *xs = NULL, *ys = NULL;
        assert_int_equal(lr_delta_file_stats(x, &xs, &err), 0);
        assert_int_equal(lr_delta_file_stats(y, &ys, &err), 0);
        assert_true((xs == NULL) == (ys == NULL));
        if (xs)
            assert_string_equal(xs, ys);
        json_t *ja = lr_delta_file_action(x);
        json_t *jb = lr_delta_file_action(y);
        if (!json_equal(ja, jb) || x->num_records != y->num_records ||
            lr_delta_file_dv_cardinality(x) != lr_delta_file_dv_cardinality(y) ||
            x->is_add != y->is_add || !same_dv(x, y)) {
            char *ta = json_dumps(ja, JSON_SORT_KEYS);
            char *tb = json_dumps(jb, JSON_SORT_KEYS);
            fail_msg("%s: %s\n columns%s: %s (rows %lld)\n rows:    %s (rows %lld)", path,
                     x->path, i < nff + nft ? "" : " (lazy stats)", ta,
                     (long long)x->num_records, tb, (long long)y->num_records);
        }
        json_decref(ja);
        json_decref(jb);
    }
    free(lf);
    free(lt);
    delta_state_free(&lazy);
    free(ff);
    free(ft);
    free(sf);
    free(st);
    compared++;
    delta_state_free(&fast);
    delta_state_free(&slow);
    lr_parquet_close(f);
    free(data);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type == FTW_F && n > 8 && strcmp(path + n - 8, ".parquet") == 0 &&
        strstr(path, "/_delta_log/"))
        compare_file(path);
    return 0;
}

static void test_columns_match_rows_on_corpus(void **state)
{
    (void)state;
    assert_int_equal(nftw(lr_test_corpus(), visit, 16, FTW_PHYS), 0);
    printf("# %d checkpoint files compared, %d left to the row path, %d stats read lazily\n",
           compared, skipped, lazy_refs);
    assert_true(compared >= 10);
    assert_true(lazy_refs >= 100);
}

/* partitionValues of map number m: 1 to 10 entries (wider than the decoder's cache takes),
 * some null values, some non-ASCII text; m % 37 == 0 is empty, m % 41 == 0 null. */
static json_t *pv_map(int m)
{
    if (m % 41 == 0)
        return json_null();
    json_t *pv = json_object();
    int n = m % 37 == 0 ? 0 : 1 + m % 10;
    for (int e = 0; e < n; e++) {
        char k[32], v[48];
        snprintf(k, sizeof k, e == 0 ? "region" : "k%d", e);
        snprintf(v, sizeof v, m % 5 == 0 ? "r\xc3\xa9gion-%d" : "R%d", m * 31 + e);
        json_object_set_new(pv, k, (m + e) % 13 == 0 ? json_null() : json_string(v));
    }
    return pv;
}

static json_t *mixed_row(int i)
{
    int m = (int)(((unsigned)i * 7919u) % 300u);
    char path[96];
    snprintf(path, sizeof path, "region=R%d/part-%05d-%s.parquet", m, i,
             i % 11 == 0 ? "\xe6\x97\xa5" : "c000");
    if (i % 7 == 3 && (i < 1000 || i >= 2000)) { /* no remove in the middle row group */
        json_t *r = json_pack("{s:s, s:I, s:b, s:o}", "path", path, "deletionTimestamp",
                              (json_int_t)(1700000000000 + i), "dataChange", 1,
                              "partitionValues", pv_map(m));
        if (i % 2)
            json_object_set_new(r, "extendedFileMetadata", json_true());
        if (i % 4 == 1)
            json_object_set_new(r, "size", json_integer(i));
        return json_pack("{s:o}", "remove", r);
    }
    json_t *a = json_pack("{s:s, s:o, s:I, s:I, s:b}", "path", path, "partitionValues",
                          pv_map(m), "size", (json_int_t)(1000 + i), "modificationTime",
                          (json_int_t)(1700000000000 + i), "dataChange", i % 3 != 0);
    if (i % 9 != 0) {
        char st[96];
        snprintf(st, sizeof st, "{\"numRecords\":%d,\"nullCount\":{\"x\":%d}}", 10 + i, i % 4);
        json_object_set_new(a, "stats", json_string(st));
    }
    if (i >= 1000 && i < 2000 && i % 5 == 0) /* tags in the second row group only */
        json_object_set_new(a, "tags", json_pack("{s:s, s:n}", "INSERTION_TIME", "1", "empty"));
    if (i >= 2000 && i % 6 == 1)
        json_object_set_new(a, "deletionVector",
                            json_pack("{s:s, s:s, s:i, s:i, s:I}", "storageType", "u",
                                      "pathOrInlineDv", "ab^-aqEH.-t@S}K{vb[*k^", "offset", 4,
                                      "sizeInBytes", 40, "cardinality", (json_int_t)(i % 7)));
    if (i % 8 == 5)
        json_object_set_new(a, "baseRowId", json_integer(i * 100));
    return json_pack("{s:o}", "add", a);
}

/* Other actions sit in rows of the first and the last row group only (the middle one is
 * skipped whole by the row path); every other row is mixed_row(i). */
static json_t *checkpoint_row(int i, size_t *nadds)
{
    char *md;
    json_t *row;
    switch (i) {
    case 0:
        return lr_test_json(FX_PROTOCOL);
    case 1:
        md = fx_metadata("mixed", NULL);
        row = lr_test_json(md);
        free(md);
        return row;
    case 2500:
    case 2501:
        return json_pack("{s:{s:s, s:I, s:I}}", "txn", "appId", i == 2500 ? "app-a" : "app-b",
                         "version", (json_int_t)(i - 2493), "lastUpdated", (json_int_t)i);
    default:
        row = mixed_row(i);
        *nadds += json_object_get(row, "add") != NULL;
        return row;
    }
}

/* The writer's file as the checkpoint of version 0 in dir (the writer freed); its path. */
static char *finish_checkpoint(struct lr_parquet_writer *w, const char *dir)
{
    struct lr_error err = {0};
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    char *path = lr_asprintf("%s/_delta_log/00000000000000000000.checkpoint.parquet", dir);
    lr_test_write_file(path, b.data, b.len);
    lr_buf_free(&b);
    return path;
}

/* The mixed checkpoint as version 0 of a table in dir; *nadds gets its live files. */
static char *mixed_checkpoint(const char *dir, bool dictionary, size_t *nadds)
{
    struct lr_error err = {0};
    struct lr_parquet_writer_options o = {0};
    o.row_group_rows = 1000; /* three row groups, many pages each */
    o.page_rows = 97;
    o.is_dictionary_off = !dictionary;
    struct lr_parquet_writer *w = NULL;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
    assert_int_equal(pqw_checkpoint_schema(w, &err), 0);
    *nadds = 0;
    for (int i = 0; i < 3000; i++) {
        json_t *row = checkpoint_row(i, nadds);
        if (lr_parquet_writer_append_json(w, row, &err) < 0)
            fail_msg("row %d: %s", i, err.message);
        json_decref(row);
    }
    char *path = finish_checkpoint(w, dir);
    char *lc = lr_asprintf("%s/_delta_log/_last_checkpoint", dir);
    lr_test_write_file(lc, "{\"version\":0,\"size\":3000}", 26);
    free(lc);
    return path;
}

static void test_columns_match_rows_on_mixed_checkpoint(void **state)
{
    (void)state;
    for (int dictionary = 0; dictionary < 2; dictionary++) {
        char *dir = lr_test_tmpdir("cpfiles");
        size_t nadds;
        char *path = mixed_checkpoint(dir, dictionary, &nadds);
        int before = compared;
        compare_file(path);
        assert_int_equal(compared, before + 1);
        free(path);
        free(dir);
    }
}

/* Version 0 of the table in dir, read on `threads` threads from a fresh handle (nothing
 * cached from an earlier read). */
static void snapshot_on(const char *dir, size_t threads, struct lr_delta_snapshot *s)
{
    struct fx f;
    fx_open(&f, dir);
    delta_threads_set(threads);
    fx_snapshot(&f, 0, s);
    delta_threads_set(0);
    fx_close(&f);
}

/* The whole read of the same checkpoint as a table: row groups decoded in parallel, the other
 * actions found in the first and last row groups alongside. */
static void test_mixed_checkpoint_snapshot(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("cpfiles-table");
    size_t nadds;
    free(mixed_checkpoint(dir, true, &nadds));
    for (size_t threads = 1; threads <= 3; threads += 2) {
        struct lr_delta_snapshot s;
        snapshot_on(dir, threads, &s);
        assert_int_equal(s.num_files, nadds);
        assert_string_equal(s.metadata_id, "mixed");
        assert_int_equal(json_integer_value(json_object_get(json_object_get(s.txns, "app-a"),
                                                            "version")), 7);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(s.txns, "app-b"),
                                                            "version")), 8);
        lr_delta_snapshot_free(&s);
    }
    free(dir);
}

/* metaData (id, schemaString) and protocol columns, and, when `id` is given, their two rows
 * (a table with no columns). */
static void table_actions(struct lr_parquet_writer *w, const char *id)
{
    struct lr_error err = {0};
    int md = lr_parquet_writer_add(w, LR_PQW_ROOT, "metaData", LR_PQW_STRUCT, false, 0, &err);
    assert_true(md > 0);
    assert_true(lr_parquet_writer_add(w, md, "id", LR_PQW_STRING, false, 0, &err) > 0);
    assert_true(lr_parquet_writer_add(w, md, "schemaString", LR_PQW_STRING, false, 0, &err) > 0);
    int pr = lr_parquet_writer_add(w, LR_PQW_ROOT, "protocol", LR_PQW_STRUCT, false, 0, &err);
    assert_true(pr > 0);
    assert_true(lr_parquet_writer_add(w, pr, "minReaderVersion", LR_PQW_INT32, false, 0,
                                      &err) > 0);
    assert_true(lr_parquet_writer_add(w, pr, "minWriterVersion", LR_PQW_INT32, false, 0,
                                      &err) > 0);
    if (!id)
        return;
    json_t *rows[] = {
        lr_test_json("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}"),
        json_pack("{s:{s:s, s:s}}", "metaData", "id", id, "schemaString",
                  "{\"type\":\"struct\",\"fields\":[]}")};
    for (size_t k = 0; k < 2; k++) {
        assert_non_null(rows[k]);
        assert_int_equal(lr_parquet_writer_append_json(w, rows[k], &err), 0);
        json_decref(rows[k]);
    }
}

/* A writer with an `add` column of path and size (*add: its node, for more fields), row groups
 * of `rg_rows` rows (0: the writer's default). */
static struct lr_parquet_writer *writer_with_add(int *add, int64_t rg_rows)
{
    struct lr_error err = {0};
    struct lr_parquet_writer_options o = {0};
    o.row_group_rows = rg_rows;
    struct lr_parquet_writer *w = NULL;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
    *add = lr_parquet_writer_add(w, LR_PQW_ROOT, "add", LR_PQW_STRUCT, false, 0, &err);
    assert_true(*add > 0);
    assert_true(lr_parquet_writer_add(w, *add, "path", LR_PQW_STRING, false, 0, &err) > 0);
    assert_true(lr_parquet_writer_add(w, *add, "size", LR_PQW_INT64, true, 0, &err) > 0);
    return w;
}

/* A checkpoint whose add has only plain leaves (no partitionValues or any other field that
 * the rest batch reads): every field still comes through, as a table too. */
static void test_checkpoint_without_rest_fields(void **state)
{
    (void)state;
    struct lr_error err = {0};
    int add;
    struct lr_parquet_writer *w = writer_with_add(&add, 40);
    assert_true(lr_parquet_writer_add(w, add, "modificationTime", LR_PQW_INT64, true, 0,
                                      &err) > 0);
    assert_true(lr_parquet_writer_add(w, add, "dataChange", LR_PQW_BOOLEAN, true, 0, &err) > 0);
    assert_true(lr_parquet_writer_add(w, add, "stats", LR_PQW_STRING, false, 0, &err) > 0);
    table_actions(w, "plain");
    for (int i = 0; i < 100; i++) {
        char path[32], st[48];
        snprintf(path, sizeof path, "part-%03d.parquet", i);
        snprintf(st, sizeof st, "{\"numRecords\":%d}", i + 1);
        json_t *row = json_pack("{s:{s:s, s:i, s:i, s:b, s:s}}", "add", "path", path, "size",
                                10 + i, "modificationTime", 1000 + i, "dataChange", 1, "stats",
                                st);
        assert_int_equal(lr_parquet_writer_append_json(w, row, &err), 0);
        json_decref(row);
    }
    char *dir = lr_test_tmpdir("cpfiles-plain");
    char *path = finish_checkpoint(w, dir);
    int before = compared;
    compare_file(path);
    assert_int_equal(compared, before + 1);
    for (size_t threads = 1; threads <= 3; threads += 2) {
        struct lr_delta_snapshot s;
        snapshot_on(dir, threads, &s);
        assert_int_equal(s.num_files, 100);
        assert_int_equal(s.num_records, 100 * 101 / 2);
        assert_int_equal(s.size_bytes, 100 * 10 + 99 * 100 / 2);
        lr_delta_snapshot_free(&s);
    }
    free(path);
    free(dir);
}

/* A row holding both an add and a remove (the protocol puts one action in each row) is
 * refused, naming the row, on one thread and several: never one of the two taken silently. */
static void test_row_with_two_actions_is_refused(void **state)
{
    (void)state;
    struct lr_error err = {0};
    int add;
    struct lr_parquet_writer *w = writer_with_add(&add, 40);
    int rm = lr_parquet_writer_add(w, LR_PQW_ROOT, "remove", LR_PQW_STRUCT, false, 0, &err);
    assert_true(lr_parquet_writer_add(w, rm, "path", LR_PQW_STRING, false, 0, &err) > 0);
    assert_true(lr_parquet_writer_add(w, rm, "deletionTimestamp", LR_PQW_INT64, true, 0,
                                      &err) > 0);
    table_actions(w, "two");
    for (int i = 0; i < 100; i++) {
        char path[32];
        snprintf(path, sizeof path, "part-%03d.parquet", i);
        json_t *row = i == 57 ? json_pack("{s:{s:s, s:i}, s:{s:s, s:i}}", "add", "path", path,
                                          "size", 1, "remove", "path", "gone.parquet",
                                          "deletionTimestamp", 5)
                              : json_pack("{s:{s:s, s:i}}", "add", "path", path, "size", 1);
        assert_int_equal(lr_parquet_writer_append_json(w, row, &err), 0);
        json_decref(row);
    }
    char *dir = lr_test_tmpdir("cpfiles-two");
    char *path = finish_checkpoint(w, dir);
    for (size_t threads = 1; threads <= 3; threads += 2) {
        struct fx f;
        fx_open(&f, dir);
        delta_threads_set(threads);
        struct lr_delta_snapshot s;
        int rc = lr_delta_snapshot_open(&s, f.table, 0, &err);
        delta_threads_set(0);
        assert_int_equal(rc, LR_ECORRUPT);
        if (!strstr(err.message, "both an add and a remove") || !strstr(err.message, "row 60"))
            fail_msg("unexpected error: %s", err.message);
        fx_close(&f);
    }
    free(path);
    free(dir);
}

/* A checkpoint of 70,000 files (a base large enough to be merged on several threads) and a
 * commit that removes its first, last and a middle file, adds files before, between and after
 * them, re-adds the middle path with a deletion vector and removes a path never added: the
 * same snapshot on one thread and three, with the files expected. */
static void test_large_base_merged_alike_on_one_thread_and_three(void **state)
{
    (void)state;
    enum { N = 70000 };
    struct lr_error err = {0};
    int add;
    struct lr_parquet_writer *w = writer_with_add(&add, 0);
    assert_true(lr_parquet_writer_add(w, add, "stats", LR_PQW_STRING, false, 0, &err) > 0);
    table_actions(w, "large");
    for (int i = 0; i < N; i++) {
        int k = (int)(((unsigned)i * 7919u) % N); /* rows out of path order */
        char path[32], st[32];
        snprintf(path, sizeof path, "p-%06d.parquet", k);
        snprintf(st, sizeof st, "{\"numRecords\":%d}", 1 + k % 5);
        json_t *row = json_pack("{s:{s:s, s:i, s:s}}", "add", "path", path, "size", k + 1,
                                "stats", st);
        assert_int_equal(lr_parquet_writer_append_json(w, row, &err), 0);
        json_decref(row);
    }
    char *dir = lr_test_tmpdir("cpfiles-large");
    free(finish_checkpoint(w, dir));
    struct fx f;
    fx_open(&f, dir);
    char *ci = fx_commit_info("MERGE");
    char *rm[] = {fx_remove("p-000000.parquet", 1), fx_remove("p-069999.parquet", N),
                  fx_remove("p-035000.parquet", 35001), fx_remove("ghost.parquet", 1)};
    char *ad[] = {fx_add(&f, "a-first.parquet", 3, 7), fx_add(&f, "p-000000a.parquet", 3, 7),
                  fx_add(&f, "z-last.parquet", 3, 7)};
    const char *dv = "{\"add\":{\"path\":\"p-035000.parquet\",\"size\":35001,"
                     "\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":5}\","
                     "\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":"
                     "\"ab^-aqEH.-t@S}K{vb[*k^\",\"offset\":4,\"sizeInBytes\":40,"
                     "\"cardinality\":3}}}";
    assert_int_equal(fx_commit(&f, 1, ci, rm[0], rm[1], rm[2], rm[3], ad[0], ad[1], ad[2], dv,
                               NULL), 0);
    fx_close(&f);
    free(ci);
    for (size_t i = 0; i < 4; i++)
        free(rm[i]);
    for (size_t i = 0; i < 3; i++)
        free(ad[i]);
    struct lr_delta_snapshot one, three;
    for (size_t threads = 1; threads <= 3; threads += 2) {
        fx_open(&f, dir);
        delta_threads_set(threads);
        fx_snapshot(&f, 1, threads == 1 ? &one : &three);
        delta_threads_set(0);
        fx_close(&f);
    }
    assert_int_equal(one.num_files, N - 3 + 4);
    assert_true(fx_same_files(&one, &three));
    assert_int_equal(one.size_bytes, three.size_bytes);
    assert_int_equal(one.num_records, three.num_records);
    assert_string_equal(one.files[0]->path, "a-first.parquet");
    assert_string_equal(one.files[1]->path, "p-000000a.parquet");
    assert_string_equal(one.files[2]->path, "p-000001.parquet");
    assert_string_equal(one.files[N - 1]->path, "p-069998.parquet");
    assert_string_equal(one.files[N]->path, "z-last.parquet");
    for (size_t i = 0; i < one.num_files; i++) {
        const char *p = one.files[i]->path;
        if (strcmp(p, "p-035000.parquet") == 0)
            assert_non_null(lr_delta_file_dv_id(one.files[i]));
        assert_true(i == 0 || strcmp(one.files[i - 1]->path, p) < 0);
    }
    lr_delta_snapshot_free(&one);
    lr_delta_snapshot_free(&three);
    free(dir);
}

/* One part of a multi-part checkpoint at version 0: protocol and metaData in the first, and
 * adds of the given paths, in that order. */
static void write_part(const char *dir, int part, const char *const *paths, size_t n)
{
    struct lr_error err = {0};
    int add;
    struct lr_parquet_writer *w = writer_with_add(&add, 0);
    table_actions(w, part == 1 ? "parts" : NULL);
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_pack("{s:{s:s, s:i}}", "add", "path", paths[i], "size", 1);
        assert_int_equal(lr_parquet_writer_append_json(w, row, &err), 0);
        json_decref(row);
    }
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    char *path = lr_asprintf("%s/_delta_log/00000000000000000000.checkpoint.%010d.0000000002."
                             "parquet", dir, part);
    lr_test_write_file(path, b.data, b.len);
    lr_buf_free(&b);
    free(path);
}

/* The decoder keys each part's adds past the bytes its first page shares: here "x=1/" in one
 * part and "x=2/" in the other, keys that do not sort together. The files still come out in
 * path order, on one thread and several. */
static void test_parts_sharing_different_prefixes_sort_by_path(void **state)
{
    (void)state;
    static const char *const one[] = {"x=1/b", "x=1/d", "x=1/f"};
    static const char *const two[] = {"x=2/a", "x=2/c", "x=2/e"};
    static const char *const want[] = {"x=1/b", "x=1/d", "x=1/f", "x=2/a", "x=2/c", "x=2/e"};
    char *dir = lr_test_tmpdir("cpfiles-parts");
    write_part(dir, 1, one, 3);
    write_part(dir, 2, two, 3);
    for (size_t threads = 1; threads <= 3; threads += 2) {
        struct lr_delta_snapshot s;
        snapshot_on(dir, threads, &s);
        assert_int_equal(s.num_files, 6);
        for (size_t i = 0; i < 6; i++)
            assert_string_equal(s.files[i]->path, want[i]);
        lr_delta_snapshot_free(&s);
    }
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_match_rows_on_corpus),
        cmocka_unit_test(test_columns_match_rows_on_mixed_checkpoint),
        cmocka_unit_test(test_mixed_checkpoint_snapshot),
        cmocka_unit_test(test_checkpoint_without_rest_fields),
        cmocka_unit_test(test_row_with_two_actions_is_refused),
        cmocka_unit_test(test_large_base_merged_alike_on_one_thread_and_three),
        cmocka_unit_test(test_parts_sharing_different_prefixes_sort_by_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
