/* test_lazy_stats.c - stats left in a Parquet checkpoint (lazy_stats.c) read back exactly.
 *
 * A checkpoint of 2,000 adds in three row groups of many small pages (stats with non-ASCII
 * text, numRecords first or later, some files without stats), then a commit removing 300 of
 * them. Checked: the checkpoint's records really keep their stats in the checkpoint; numRecords
 * is read without the text; lr_delta_file_stats() gives every file's logged string, also when
 * eight threads ask for the same row groups at once; files asked for in a batch first
 * (lr_delta_files_stats_prefetch) and then one by one read the same; and the restore commit back to version 0
 * copies each re-added file's stats byte for byte (none where the file had none), as does a
 * plan's commit text for files to remove whose stats it left in a checkpoint. The row
 * groups decoded on four threads give the snapshot one thread gives, and a corrupt row group
 * gives the same error either way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "delta_fixture.h"
#include "lakerewind/parallel.h"
#include "lakerewind/parquet.h"
#include "lakerewind/parquet_write.h"
#include "pqw_checkpoint.h"

#define NFILES 2000
#define REMOVED_FROM 100
#define REMOVED_TO 400 /* exclusive */

static char *path_of(int i)
{
    return lr_asprintf("part-%05d-c000.snappy.parquet", i);
}

/* The stats string file i was logged with; NULL for every seventh file (none). */
static char *stats_of(int i)
{
    if (i % 7 == 0)
        return NULL;
    if (i % 5 == 0) /* numRecords not first: the scan's slow path */
        return lr_asprintf("{\"minValues\":{\"numRecords\":1,\"name\":\"z\\u00e9%d\"},"
                           "\"numRecords\":%d,\"nullCount\":{\"name\":0}}", i, 10 + i);
    return lr_asprintf("{\"numRecords\":%d,\"minValues\":{\"name\":\"\xc3\xa9t\xc3\xa9 %d\"},"
                       "\"maxValues\":{\"name\":\"\xe6\x97\xa5 %d\"},\"nullCount\":{\"name\":%d}}",
                       10 + i, i, i, i % 3);
}

static void write_checkpoint(struct fx *f)
{
    struct lr_error err;
    struct lr_parquet_writer_options o = {0};
    o.row_group_rows = 700; /* three row groups */
    o.page_rows = 64;       /* many pages in each */
    struct lr_parquet_writer *w = NULL;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
    assert_int_equal(pqw_checkpoint_schema(w, &err), 0);
    char *meta = fx_metadata("lazy-stats", NULL);
    const char *fixed[] = {FX_PROTOCOL, meta};
    for (size_t k = 0; k < 2; k++) {
        json_t *row = json_loads(fixed[k], 0, NULL);
        assert_non_null(row);
        assert_int_equal(lr_parquet_writer_append_json(w, row, &err), 0);
        json_decref(row);
    }
    free(meta);
    for (int i = 0; i < NFILES; i++) {
        char *p = path_of(i);
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", f->dir, p);
        lr_test_write_file(full, "x", 1);
        json_t *add = json_pack("{s:s, s:{}, s:I, s:I, s:b}", "path", p, "partitionValues",
                                "size", (json_int_t)1, "modificationTime",
                                (json_int_t)1700000000000, "dataChange", 0);
        char *st = stats_of(i);
        if (st)
            json_object_set_new(add, "stats", json_string(st));
        json_t *row = json_pack("{s:o}", "add", add);
        if (lr_parquet_writer_append_json(w, row, &err) < 0)
            fail_msg("row %d: %s", i, err.message);
        json_decref(row);
        free(st);
        free(p);
    }
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    assert_int_equal(lr_store_put(f->store, "_delta_log/00000000000000000000.checkpoint.parquet",
                                  b.data, b.len, &err), 0);
    lr_buf_free(&b);
    const char *lc = "{\"version\":0,\"size\":2002}";
    assert_int_equal(lr_store_put(f->store, "_delta_log/_last_checkpoint", lc, strlen(lc),
                                  &err), 0);
}

static int file_index(const char *path)
{
    int i = -1;
    return sscanf(path, "part-%05d-c000.snappy.parquet", &i) == 1 ? i : -1;
}

static void expect_stats(const struct lr_delta_file *file)
{
    struct lr_error err;
    int i = file_index(file->path);
    assert_true(i >= 0);
    char *want = stats_of(i);
    const char *got = NULL;
    assert_int_equal(lr_delta_file_stats(file, &got, &err), 0);
    if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
        fail_msg("%s: stats %s, logged %s", file->path, got ? got : "(none)",
                 want ? want : "(none)");
    assert_int_equal(file->num_records, want ? 10 + i : -1);
    free(want);
}

static void setup_table(struct fx *f, const char *tag)
{
    char *dir = lr_test_tmpdir(tag);
    fx_open(f, dir);
    free(dir);
    write_checkpoint(f);
    struct lr_buf b = LR_BUF_INIT;
    char *ci = fx_commit_info("DELETE");
    lr_buf_printf(&b, NULL, "%s\n", ci);
    free(ci);
    for (int i = REMOVED_FROM; i < REMOVED_TO; i++) {
        char *p = path_of(i);
        char *r = fx_remove(p, 1);
        lr_buf_printf(&b, NULL, "%s\n", r);
        free(r);
        free(p);
    }
    struct lr_error err;
    assert_int_equal(lr_delta_commit_put(f->table, 1, (const char *)b.data, b.len, &err), 0);
    lr_buf_free(&b);
}

static void test_checkpoint_stats_stay_in_the_checkpoint(void **state)
{
    (void)state;
    struct fx f;
    setup_table(&f, "lazy-stats-read");
    struct lr_delta_snapshot s;
    fx_snapshot(&f, 0, &s);
    assert_int_equal(s.num_files, NFILES);
    size_t kept = 0;
    for (size_t k = 0; k < s.num_files; k++) {
        const struct lr_delta_file *file = s.files[k];
        kept += delta_stats_kept(file);
        /* numRecords came from the checkpoint without copying the text */
        int i = file_index(file->path);
        assert_int_equal(file->num_records, i % 7 == 0 ? -1 : 10 + i);
    }
    assert_int_equal(kept, NFILES - (NFILES + 6) / 7); /* every file that has stats */
    for (size_t k = 0; k < s.num_files; k++)
        expect_stats(s.files[k]);
    /* asked twice: the same text (decoded once) */
    const char *a = NULL, *b = NULL;
    struct lr_error err;
    assert_int_equal(lr_delta_file_stats(s.files[1], &a, &err), 0);
    assert_int_equal(lr_delta_file_stats(s.files[1], &b, &err), 0);
    assert_ptr_equal(a, b);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
}

static void test_prefetch_then_read_every_file(void **state)
{
    (void)state;
    struct fx f;
    setup_table(&f, "lazy-stats-prefetch");
    struct lr_delta_snapshot s;
    fx_snapshot(&f, 0, &s);
    /* every 13th file first (only their rows copied), then every file one by one: pages
     * partly decoded by the prefetch are completed, never overwritten */
    const struct lr_delta_file **some = malloc(s.num_files * sizeof *some);
    size_t n = 0;
    for (size_t k = 0; k < s.num_files; k += 13)
        some[n++] = s.files[k];
    some[n++] = s.files[0]; /* twice: harmless */
    struct lr_error err;
    assert_int_equal(lr_delta_files_stats_prefetch(some, n, &err), 0);
    const char *before = NULL;
    assert_int_equal(lr_delta_file_stats(s.files[13], &before, &err), 0);
    for (size_t k = 0; k < n; k++)
        expect_stats(some[k]);
    for (size_t k = 0; k < s.num_files; k++)
        expect_stats(s.files[k]);
    const char *after = NULL;
    assert_int_equal(lr_delta_file_stats(s.files[13], &after, &err), 0);
    assert_ptr_equal(before, after);
    assert_int_equal(lr_delta_files_stats_prefetch(some, n, &err), 0); /* all decoded: no-op */
    assert_int_equal(lr_delta_files_stats_prefetch(NULL, 0, &err), 0);
    free(some);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
}

static void check_one(size_t i, void *payload)
{
    const struct lr_delta_snapshot *s = payload;
    /* each thread walks every file, starting at a different place: row groups are asked for
     * by several threads at once */
    for (size_t k = 0; k < s->num_files; k++)
        expect_stats(s->files[(k + i * 251) % s->num_files]);
}

static void test_threads_read_the_same_row_groups(void **state)
{
    (void)state;
    struct fx f;
    setup_table(&f, "lazy-stats-threads");
    struct lr_delta_snapshot s;
    fx_snapshot(&f, 1, &s);
    assert_int_equal(s.num_files, NFILES - (REMOVED_TO - REMOVED_FROM));
    lr_parallel_for(8, 8, check_one, &s);
    lr_delta_snapshot_free(&s);
    fx_close(&f);
}

/* The stats of the lines of `action` ("add"/"remove") in commit text: each file's logged
 * string exactly (none where it had none); returns how many lines there were. */
static int check_commit_stats(const char *commit, const char *action)
{
    char *text = strdup(commit);
    int n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *j = json_loads(line, 0, NULL);
        assert_non_null(j);
        json_t *a = json_object_get(j, action);
        if (a) {
            int i = file_index(json_string_value(json_object_get(a, "path")));
            assert_true(i >= REMOVED_FROM && i < REMOVED_TO);
            char *want = stats_of(i);
            const char *got = json_string_value(json_object_get(a, "stats"));
            if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
                fail_msg("%s %d: stats %s, logged %s", action, i, got ? got : "(none)",
                         want ? want : "(none)");
            free(want);
            n++;
        }
        json_decref(j);
    }
    free(text);
    return n;
}

static void test_restore_commit_copies_stats_exactly(void **state)
{
    (void)state;
    struct fx f;
    setup_table(&f, "lazy-stats-restore");
    struct lr_error err;
    struct lr_delta_restore_plan plan;
    assert_int_equal(lr_delta_restore_plan_make(&plan, f.table, 0, NULL, &err), 0);
    assert_int_equal(plan.refusal_count, 0);
    assert_int_equal(plan.num_restored_files, REMOVED_TO - REMOVED_FROM);
    struct lr_delta_commit_options co = {.operator_name = "tester",
                                         .run_id = "00000000-0000-4000-8000-000000000001"};
    int64_t written = -1;
    assert_int_equal(lr_delta_restore_commit(f.table, &plan, &co, &written, &err), 0);
    assert_int_equal(written, 2);
    lr_delta_restore_plan_free(&plan);

    char full[4096];
    snprintf(full, sizeof full, "%s/_delta_log/00000000000000000002.json", f.dir);
    char *text = lr_test_read_file(full, NULL);
    assert_int_equal(check_commit_stats(text, "add"), REMOVED_TO - REMOVED_FROM);
    free(text);
    /* and the restored table reads back as version 0 */
    struct lr_delta_snapshot v0, v2;
    fx_snapshot(&f, 0, &v0);
    fx_snapshot(&f, 2, &v2);
    assert_true(fx_same_files(&v0, &v2));
    for (size_t k = 0; k < v2.num_files; k++)
        expect_stats(v2.files[k]);
    lr_delta_snapshot_free(&v0);
    lr_delta_snapshot_free(&v2);
    fx_close(&f);
}

/* A plan leaves the stats it would copy in the checkpoint (a dry run never decodes them); the
 * commit text fills them in, also after the snapshots the plan was built on are gone. Here the
 * files to remove have theirs kept in a checkpoint we wrote. */
static void test_plan_fills_kept_stats_in_the_commit(void **state)
{
    (void)state;
    struct fx f;
    setup_table(&f, "lazy-stats-removes");
    struct lr_error err;
    int64_t written = -1;
    assert_int_equal(fx_restore(&f, 0, "00000000-0000-4000-8000-000000000002", &written, NULL,
                                &err), 0);
    assert_int_equal(written, 2);
    struct lr_delta_snapshot v2;
    fx_snapshot(&f, 2, &v2);
    assert_int_equal(lr_delta_checkpoint_write(f.table, &v2, &err), 0);
    lr_delta_snapshot_free(&v2);
    char *dir = strdup(f.dir);
    fx_close(&f);
    fx_open(&f, dir); /* nothing cached: version 2 comes from its checkpoint */
    free(dir);

    struct lr_delta_snapshot cur, tgt;
    fx_snapshot(&f, 2, &cur);
    fx_snapshot(&f, 1, &tgt);
    assert_int_equal(cur.checkpoint_version, 2);
    struct lr_delta_restore_plan plan;
    assert_int_equal(lr_delta_restore_plan_build(&plan, &cur, &tgt, NULL, NULL, NULL, &err), 0);
    assert_int_equal(plan.refusal_count, 0);
    assert_int_equal(plan.num_removed_files, REMOVED_TO - REMOVED_FROM);
    size_t kept = 0, with_stats = 0;
    for (size_t i = 0; i < json_array_size(plan.removes); i++) {
        json_t *r = json_array_get(plan.removes, i);
        int k = file_index(json_string_value(json_object_get(r, "path")));
        const struct lr_delta_file *cf = NULL;
        for (size_t j = 0; j < cur.num_files && !cf; j++)
            if (file_index(cur.files[j]->path) == k)
                cf = cur.files[j];
        assert_non_null(cf);
        kept += delta_stats_kept(cf);
        with_stats += json_object_get(r, "stats") != NULL;
    }
    size_t logged = 0; /* files logged with stats: kept in the checkpoint */
    for (int i = REMOVED_FROM; i < REMOVED_TO; i++)
        logged += i % 7 != 0;
    assert_int_equal(kept, logged);
    assert_int_equal(with_stats, 0); /* not decoded for the plan */
    lr_delta_snapshot_free(&cur);
    lr_delta_snapshot_free(&tgt);

    struct lr_delta_commit_options co = {.operator_name = "tester",
                                         .run_id = "00000000-0000-4000-8000-000000000003"};
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(lr_delta_restore_commit_text(&text, &len, &plan, &co, &err), 0);
    assert_int_equal(check_commit_stats(text, "remove"), REMOVED_TO - REMOVED_FROM);
    free(text);
    /* a second text (a rehearsal, then the commit) is the same */
    assert_int_equal(lr_delta_restore_commit_text(&text, &len, &plan, &co, &err), 0);
    assert_int_equal(check_commit_stats(text, "remove"), REMOVED_TO - REMOVED_FROM);
    free(text);
    lr_delta_restore_plan_free(&plan);
    fx_close(&f);
}

/* Snapshot `version` through a fresh table handle (no cached checkpoint) with n decode
 * threads; the code, and the error message into msg. */
static int snapshot_with(struct fx *f, int64_t version, size_t n, struct lr_delta_snapshot *out,
                         char *msg, size_t msg_size)
{
    struct lr_error err = {0};
    struct lr_delta_table *t = NULL;
    assert_int_equal(lr_delta_table_open(&t, f->store, "", &err), 0);
    delta_threads_set(n);
    int rc = lr_delta_snapshot_open(out, t, version, &err);
    delta_threads_set(0);
    snprintf(msg, msg_size, "%s", rc < 0 ? err.message : "");
    lr_delta_table_close(t);
    return rc;
}

static void test_threads_decode_like_one(void **state)
{
    (void)state;
    struct fx f;
    setup_table(&f, "lazy-stats-parallel");
    char msg[LR_ERROR_MAX];
    for (int64_t version = 0; version <= 1; version++) {
        struct lr_delta_snapshot one, four;
        assert_int_equal(snapshot_with(&f, version, 1, &one, msg, sizeof msg), 0);
        assert_int_equal(snapshot_with(&f, version, 4, &four, msg, sizeof msg), 0);
        assert_int_equal(one.num_files, four.num_files);
        for (size_t k = 0; k < one.num_files; k++) {
            const struct lr_delta_file *a = one.files[k], *b = four.files[k];
            assert_string_equal(a->path, b->path);
            assert_int_equal(a->num_records, b->num_records);
            assert_int_equal(a->size, b->size);
            json_t *ja = lr_delta_file_action(a), *jb = lr_delta_file_action(b);
            assert_true(json_equal(ja, jb));
            json_decref(ja);
            json_decref(jb);
        }
        lr_delta_snapshot_free(&one);
        lr_delta_snapshot_free(&four);
    }
    fx_close(&f);
}

/* A checkpoint larger than one GET's limit is read whole in range parts (lazy stats, the same
 * snapshot); larger than the whole-read limit, by projected ranges (stats copied, the same
 * snapshot); and a file shorter than its listed size is an error, not a short table. */
static void test_large_checkpoint_read_paths(void **state)
{
    (void)state;
    struct fx f;
    setup_table(&f, "lazy-stats-large");
    char msg[LR_ERROR_MAX];
    struct lr_delta_snapshot base, parts, ranged;
    assert_int_equal(snapshot_with(&f, 1, 1, &base, msg, sizeof msg), 0);
    struct lr_store_stats a, b;
    lr_store_stats_get(f.store, &a);
    delta_checkpoint_read_limits_set(1000, 4096, (uint64_t)1 << 30, false);
    assert_int_equal(snapshot_with(&f, 1, 2, &parts, msg, sizeof msg), 0);
    lr_store_stats_get(f.store, &b);
    struct lr_error err;
    struct lr_store_entry e;
    assert_int_equal(lr_store_head(f.store, "_delta_log/00000000000000000000.checkpoint.parquet",
                                   &e, &err), 0);
    uint64_t cp_size = e.size;
    lr_store_entry_free(&e);
    assert_true(cp_size > 4096 * 4);
    /* one GET per 4096-byte part, plus _last_checkpoint and the commit */
    assert_int_equal(b.gets - a.gets, (cp_size + 4095) / 4096 + 2);
    delta_checkpoint_read_limits_set(1000, 4096, 1000, false);
    assert_int_equal(snapshot_with(&f, 1, 2, &ranged, msg, sizeof msg), 0);
    delta_checkpoint_read_limits_set(0, 0, 0, true);
    const struct lr_delta_snapshot *all[] = {&parts, &ranged};
    for (size_t k = 0; k < 2; k++) {
        assert_true(fx_same_files(&base, all[k]));
        size_t lazy = 0;
        for (size_t i = 0; i < all[k]->num_files; i++) {
            lazy += delta_stats_kept(all[k]->files[i]);
            expect_stats(all[k]->files[i]);
        }
        if (k == 0)
            assert_true(lazy > 1000); /* held whole: stats left in the checkpoint */
        else
            assert_int_equal(lazy, 0); /* read by ranges: copied */
    }
    lr_delta_snapshot_free(&base);
    lr_delta_snapshot_free(&parts);
    lr_delta_snapshot_free(&ranged);

    /* listed larger than it is: the last part comes back short */
    struct delta_state st;
    assert_int_equal(delta_state_init(&st), 0);
    delta_checkpoint_read_limits_set(1000, 4096, (uint64_t)1 << 30, false);
    int rc = delta_parquet_checkpoint_replay(f.table,
                                             "_delta_log/00000000000000000000.checkpoint.parquet",
                                             cp_size + 100, &st, NULL, false, &err);
    delta_checkpoint_read_limits_set(0, 0, 0, true);
    assert_true(rc < 0);
    if (!strstr(err.message, "changed while it was read"))
        fail_msg("unexpected error: %s", err.message);
    delta_state_free(&st);
    fx_close(&f);
}

/* Spoil the pages of `column` in row group rg, then read version 0 with one and four threads:
 * the same error, naming what is broken. */
static void corrupt_and_compare(const char *tag, const char *column, size_t rg,
                                const char *expect)
{
    struct fx f;
    setup_table(&f, tag);
    const char *key = "_delta_log/00000000000000000000.checkpoint.parquet";
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_store_get(f.store, key, &b, &err), 0);
    struct lr_parquet_file *pf = NULL;
    assert_int_equal(lr_parquet_open_buffer(&pf, b.data, b.len, key, &err), 0);
    const struct lr_parquet_meta *m = lr_parquet_metadata(pf);
    assert_int_equal(m->num_row_groups, 3);
    const struct lr_parquet_column_chunk *cc = NULL;
    for (size_t i = 0; i < m->num_leaves; i++)
        if (strcmp(m->leaves[i]->path, column) == 0)
            cc = &m->row_groups[rg].columns[i];
    assert_non_null(cc);
    int64_t start = cc->dictionary_page_offset > 0 && cc->dictionary_page_offset <
                    cc->data_page_offset ? cc->dictionary_page_offset : cc->data_page_offset;
    memset(b.data + start, 0xff, (size_t)cc->total_compressed_size);
    lr_parquet_close(pf);
    assert_int_equal(lr_store_put(f.store, key, b.data, b.len, &err), 0);
    lr_buf_free(&b);
    char one[LR_ERROR_MAX], four[LR_ERROR_MAX];
    struct lr_delta_snapshot s;
    int rc1 = snapshot_with(&f, 0, 1, &s, one, sizeof one);
    int rc4 = snapshot_with(&f, 0, 4, &s, four, sizeof four);
    assert_true(rc1 < 0);
    assert_int_equal(rc1, rc4);
    assert_string_equal(one, four);
    assert_non_null(strstr(one, "checkpoint.parquet"));
    if (!strstr(one, expect))
        fail_msg("error without \"%s\": %s", expect, one);
    fx_close(&f);
}

static void test_corrupt_row_group_same_error_on_threads(void **state)
{
    (void)state;
    /* a row group of the files (the first one too, whose first page the threaded decoder
     * reads before the others to guess the paths' shared prefix), and the other actions' rows
     * (read alongside them) */
    corrupt_and_compare("lazy-stats-corrupt-add", "add.path", 1, "row group 1");
    corrupt_and_compare("lazy-stats-corrupt-add0", "add.path", 0, "row group 0");
    corrupt_and_compare("lazy-stats-corrupt-meta", "metaData.id", 0, "metaData.id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checkpoint_stats_stay_in_the_checkpoint),
        cmocka_unit_test(test_prefetch_then_read_every_file),
        cmocka_unit_test(test_threads_read_the_same_row_groups),
        cmocka_unit_test(test_restore_commit_copies_stats_exactly),
        cmocka_unit_test(test_plan_fills_kept_stats_in_the_commit),
        cmocka_unit_test(test_threads_decode_like_one),
        cmocka_unit_test(test_corrupt_row_group_same_error_on_threads),
        cmocka_unit_test(test_large_checkpoint_read_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
