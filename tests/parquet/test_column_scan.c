/* test_column_scan.c - lr_parquet_column_scan (a column a page at a time) hands out exactly
 * the levels and values lr_parquet_batch_read decodes for the whole chunk, for every
 * non-repeated column of every row group of every Parquet file of the corpus (every codec,
 * dictionary and v2 pages, Delta checkpoints); pages follow each other without gaps; a
 * repeated or unknown column, a row group past the end and a visitor's error are reported;
 * pages the caller does not want are skipped undecoded;
 * a truncated file gives an error, never a crash. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsupport.h"

#include "lakerewind/parquet.h"
#include "lakerewind/parquet_write.h"
#include "lakerewind/str.h"

static int columns_compared;
static int multi_page_columns; /* columns that came in more than one page */

struct expect {
    struct lr_parquet_column whole; /* from the batch */
    size_t next_entry, next_value, pages;
    const char *where;
};

static int check_page(void *ctx, const struct lr_parquet_column *page, size_t first,
                      struct lr_error *err)
{
    (void)err;
    struct expect *x = ctx;
    const struct lr_parquet_column *w = &x->whole;
    if (first != x->next_entry)
        fail_msg("%s: page starts at entry %zu, expected %zu", x->where, first, x->next_entry);
    if (first + page->num_entries > w->num_entries)
        fail_msg("%s: pages hold more entries than the chunk", x->where);
    assert_ptr_equal(page->leaf, w->leaf);
    assert_int_equal(page->width, w->width);
    if (w->def_levels)
        assert_memory_equal(page->def_levels, w->def_levels + first, page->num_entries);
    else
        assert_null(page->def_levels);
    if (x->next_value + page->num_values > w->num_values)
        fail_msg("%s: pages hold more values than the chunk", x->where);
    for (size_t v = 0; v < page->num_values; v++) {
        size_t wv = x->next_value + v;
        if (w->width) {
            assert_memory_equal(page->fixed + v * w->width, w->fixed + wv * w->width, w->width);
        } else {
            const struct lr_parquet_slice *a = &page->byte_arrays[v], *b = &w->byte_arrays[wv];
            if (a->len != b->len || (a->len && memcmp(a->p, b->p, a->len) != 0))
                fail_msg("%s: value %zu differs", x->where, wv);
        }
    }
    x->next_entry += page->num_entries;
    x->next_value += page->num_values;
    x->pages++;
    return 0;
}

static void compare_file(const char *path)
{
    struct lr_error err = {0};
    struct lr_store *st = NULL;
    struct lr_parquet_file *f = NULL;
    char *dir = lr_strdup(path);
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    assert_int_equal(lr_store_open(&st, dir, NULL, &err), 0);
    if (lr_parquet_open(&f, st, slash + 1, &err) < 0) {
        /* files corrupt on purpose are test_robust's business */
        lr_store_close(st);
        free(dir);
        return;
    }
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    for (size_t rg = 0; rg < m->num_row_groups; rg++) {
        for (size_t i = 0; i < m->num_leaves; i++) {
            const struct lr_parquet_node *leaf = m->leaves[i];
            if (leaf->max_rep > 0)
                continue;
            struct lr_parquet_batch *b = NULL;
            const char *col = leaf->path;
            if (lr_parquet_batch_read(&b, f, rg, &col, 1, &err) < 0)
                break; /* an undecodable column: its errors are tested elsewhere */
            char where[512];
            snprintf(where, sizeof where, "%s rg %zu %s", path, rg, col);
            struct expect x = {.where = where};
            lr_parquet_batch_column(b, 0, &x.whole);
            int rc = lr_parquet_column_scan(f, rg, col, NULL, check_page, &x, &err);
            if (rc < 0)
                fail_msg("%s: scan failed where the batch read worked: %s", where, err.message);
            assert_int_equal(x.next_entry, x.whole.num_entries);
            assert_int_equal(x.next_value, x.whole.num_values);
            columns_compared++;
            multi_page_columns += x.pages > 1;
            lr_parquet_batch_free(b);
        }
    }
    lr_parquet_close(f);
    lr_store_close(st);
    free(dir);
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (type == FTW_F && n > 8 && strcmp(path + n - 8, ".parquet") == 0)
        compare_file(path);
    return 0;
}

static void test_pages_equal_the_whole_chunk_on_corpus(void **state)
{
    (void)state;
    assert_int_equal(nftw(lr_test_corpus(), visit, 16, FTW_PHYS), 0);
    printf("# %d columns compared, %d of them in several pages\n", columns_compared,
           multi_page_columns);
    assert_true(columns_compared >= 500);
    assert_true(multi_page_columns >= 1);
}

/* A file of the corpus with a repeated column (a checkpoint: partitionValues). */
static struct lr_parquet_file *open_checkpoint(struct lr_store **st, struct lr_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/parquet", lr_test_corpus());
    assert_int_equal(lr_store_open(st, dir, NULL, err), 0);
    struct lr_parquet_file *f = NULL;
    assert_int_equal(lr_parquet_open(&f, *st, "duckdb_checkpoint_snappy.parquet", err), 0);
    return f;
}

static int count_pages(void *ctx, const struct lr_parquet_column *page, size_t first,
                       struct lr_error *err)
{
    (void)page;
    (void)first;
    (void)err;
    (*(int *)ctx)++;
    return 0;
}

static int stop_at_first(void *ctx, const struct lr_parquet_column *page, size_t first,
                         struct lr_error *err)
{
    (void)page;
    (void)first;
    (*(int *)ctx)++;
    return lr_error_set(err, LR_ECANCELLED, "visitor says stop");
}

static void test_bad_requests_are_reported(void **state)
{
    (void)state;
    struct lr_error err = {0};
    struct lr_store *st = NULL;
    struct lr_parquet_file *f = open_checkpoint(&st, &err);
    int pages = 0;
    assert_int_equal(lr_parquet_column_scan(f, 0, "add.partitionValues.key_value.key", NULL,
                                            count_pages, &pages, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "repeated"));
    assert_int_equal(lr_parquet_column_scan(f, 0, "add.nosuch", NULL, count_pages, &pages, &err),
                     LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "add.nosuch"));
    size_t nrg = lr_parquet_metadata(f)->num_row_groups;
    assert_int_equal(lr_parquet_column_scan(f, nrg, "add.path", NULL, count_pages, &pages, &err),
                     LR_ERANGE);
    assert_int_equal(pages, 0);
    assert_int_equal(lr_parquet_column_scan(f, 0, "add.path", NULL, stop_at_first, &pages, &err),
                     LR_ECANCELLED);
    assert_int_equal(pages, 1);
    assert_non_null(strstr(err.message, "visitor says stop"));
    lr_parquet_close(f);
    lr_store_close(st);
}

static void test_truncated_chunk_is_an_error(void **state)
{
    (void)state;
    struct lr_error err = {0};
    struct lr_store *st = NULL;
    struct lr_parquet_file *f = open_checkpoint(&st, &err);
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    /* the same bytes with the add.path chunk's pages cut short (zeroed): the footer is intact */
    struct lr_buf whole = LR_BUF_INIT;
    assert_int_equal(lr_store_get(st, "duckdb_checkpoint_snappy.parquet", &whole, &err), 0);
    const struct lr_parquet_column_chunk *cc = NULL;
    for (size_t i = 0; i < m->num_leaves; i++)
        if (strcmp(m->leaves[i]->path, "add.path") == 0)
            cc = &m->row_groups[0].columns[i];
    assert_non_null(cc);
    int64_t start = cc->dictionary_page_offset > 0 && cc->dictionary_page_offset <
                    cc->data_page_offset ? cc->dictionary_page_offset : cc->data_page_offset;
    memset(whole.data + start, 0, (size_t)cc->total_compressed_size);
    struct lr_parquet_file *bad = NULL;
    assert_int_equal(lr_parquet_open_buffer(&bad, whole.data, whole.len, "cut.parquet", &err), 0);
    int pages = 0;
    int rc = lr_parquet_column_scan(bad, 0, "add.path", NULL, count_pages, &pages, &err);
    assert_true(rc < 0);
    assert_non_null(strstr(err.message, "cut.parquet"));
    assert_non_null(strstr(err.message, "add.path"));
    lr_parquet_close(bad);
    lr_buf_free(&whole);
    lr_parquet_close(f);
    lr_store_close(st);
}

/* The entry range a `want` test asks for: only pages overlapping [lo, hi) are decoded. */
struct window {
    size_t lo, hi;
    size_t asked, visited, first_seen;
    char values[64][16];
    size_t nvalues;
};

static bool want_window(void *ctx, size_t first, size_t n)
{
    struct window *w = ctx;
    w->asked++;
    return first < w->hi && first + n > w->lo;
}

static int keep_window(void *ctx, const struct lr_parquet_column *page, size_t first,
                       struct lr_error *err)
{
    (void)err;
    struct window *w = ctx;
    if (!w->visited++)
        w->first_seen = first;
    for (size_t v = 0; v < page->num_values && w->nvalues < 64; v++)
        snprintf(w->values[w->nvalues++], sizeof w->values[0], "%.*s",
                 (int)page->byte_arrays[v].len, (const char *)page->byte_arrays[v].p);
    return 0;
}

static void test_want_skips_pages(void **state)
{
    (void)state;
    struct lr_error err = {0};
    struct lr_parquet_writer_options o = {0};
    o.page_rows = 10; /* 100 rows: ten pages */
    struct lr_parquet_writer *w = NULL;
    assert_int_equal(lr_parquet_writer_new(&w, &o, &err), 0);
    int col = lr_parquet_writer_add(w, LR_PQW_ROOT, "s", LR_PQW_STRING, false, 0, &err);
    assert_true(col > 0);
    for (int i = 0; i < 100; i++) {
        char v[16];
        int n = snprintf(v, sizeof v, "s%d", i);
        assert_int_equal(lr_parquet_writer_set_string(w, col, v, (size_t)n, &err), 0);
        assert_int_equal(lr_parquet_writer_end_row(w, &err), 0);
    }
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_parquet_writer_finish(w, &b, &err), 0);
    lr_parquet_writer_free(w);
    struct lr_parquet_file *f = NULL;
    assert_int_equal(lr_parquet_open_buffer(&f, b.data, b.len, "window.parquet", &err), 0);

    struct window one = {.lo = 55, .hi = 56};
    assert_int_equal(lr_parquet_column_scan(f, 0, "s", want_window, keep_window, &one, &err), 0);
    assert_int_equal(one.asked, 10);   /* every page header is asked about */
    assert_int_equal(one.visited, 1);  /* only one page decoded */
    assert_int_equal(one.first_seen, 50);
    assert_int_equal(one.nvalues, 10);
    assert_string_equal(one.values[0], "s50");
    assert_string_equal(one.values[9], "s59");

    struct window span = {.lo = 18, .hi = 31}; /* three pages: 10-19, 20-29, 30-39 */
    assert_int_equal(lr_parquet_column_scan(f, 0, "s", want_window, keep_window, &span, &err), 0);
    assert_int_equal(span.visited, 3);
    assert_int_equal(span.first_seen, 10);
    assert_string_equal(span.values[29], "s39");

    struct window none = {.lo = 100, .hi = 200};
    assert_int_equal(lr_parquet_column_scan(f, 0, "s", want_window, keep_window, &none, &err), 0);
    assert_int_equal(none.visited, 0);
    lr_parquet_close(f);
    lr_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_equal_the_whole_chunk_on_corpus),
        cmocka_unit_test(test_bad_requests_are_reported),
        cmocka_unit_test(test_truncated_chunk_is_an_error),
        cmocka_unit_test(test_want_skips_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
