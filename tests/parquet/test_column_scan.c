/* test_column_scan.c - lr_parquet_column_scan (a column a page at a time) hands out exactly
 * the levels and values lr_parquet_batch_read decodes for the whole chunk, for every
 * non-repeated column of every row group of every Parquet file of the corpus (every codec,
 * dictionary and v2 pages, Delta checkpoints); pages follow each other without gaps; a
 * repeated or unknown column, a row group past the end and a visitor's error are reported;
 * a truncated file gives an error, never a crash. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsupport.h"

#include "lakerewind/parquet.h"
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
            int rc = lr_parquet_column_scan(f, rg, col, check_page, &x, &err);
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
    assert_int_equal(lr_parquet_column_scan(f, 0, "add.partitionValues.key_value.key",
                                            count_pages, &pages, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "repeated"));
    assert_int_equal(lr_parquet_column_scan(f, 0, "add.nosuch", count_pages, &pages, &err),
                     LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "add.nosuch"));
    size_t nrg = lr_parquet_metadata(f)->num_row_groups;
    assert_int_equal(lr_parquet_column_scan(f, nrg, "add.path", count_pages, &pages, &err),
                     LR_ERANGE);
    assert_int_equal(pages, 0);
    assert_int_equal(lr_parquet_column_scan(f, 0, "add.path", stop_at_first, &pages, &err),
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
    int rc = lr_parquet_column_scan(bad, 0, "add.path", count_pages, &pages, &err);
    assert_true(rc < 0);
    assert_non_null(strstr(err.message, "cut.parquet"));
    assert_non_null(strstr(err.message, "add.path"));
    lr_parquet_close(bad);
    lr_buf_free(&whole);
    lr_parquet_close(f);
    lr_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_equal_the_whole_chunk_on_corpus),
        cmocka_unit_test(test_bad_requests_are_reported),
        cmocka_unit_test(test_truncated_chunk_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
