/* test_store_stats.c - the --stats tally (core/store/stats.c) over local stores: nothing is
 * counted before tracking starts; stores of one URI fold into one row whether closed or open;
 * each kind of request and the bytes land in their own counter; reset forgets closed rows. */
#include "testsupport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/store.h"

static const struct lr_store_stats_row *find(const struct lr_store_stats_row *rows, size_t n,
                                             const char *uri)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].uri, uri) == 0)
            return &rows[i];
    return NULL;
}

static struct lr_store *open_store(const char *dir)
{
    struct lr_store *s = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&s, dir, NULL, &err), 0);
    return s;
}

static void test_tally(void **state)
{
    (void)state;
    char *a = lr_test_tmpdir("stats-a");
    char *b = lr_test_tmpdir("stats-b");
    struct lr_error err;
    struct lr_store_stats_row *rows = NULL;
    size_t n = 0;

    struct lr_store *untracked = open_store(a); /* opened before tracking: never counted */
    assert_int_equal(lr_store_put(untracked, "x", "12345", 5, &err), 0);
    lr_store_stats_track(true);
    lr_store_close(untracked);
    assert_int_equal(lr_store_stats_rows(&rows, &n, &err), 0);
    assert_int_equal(n, 0);
    lr_store_stats_rows_free(rows, n);

    struct lr_store *s1 = open_store(a);
    assert_int_equal(lr_store_put(s1, "k/one", "hello", 5, &err), 0);
    struct lr_buf buf = LR_BUF_INIT;
    assert_int_equal(lr_store_get(s1, "k/one", &buf, &err), 0);
    assert_int_equal(lr_store_get(s1, "k/missing", &buf, &err), LR_ENOTFOUND);
    lr_buf_free(&buf);
    lr_store_close(s1);

    struct lr_store *s2 = open_store(a); /* same URI, still open at the report */
    struct lr_store_entry e;
    assert_int_equal(lr_store_head(s2, "k/one", &e, &err), 0);
    lr_store_entry_free(&e);
    assert_int_equal(lr_store_delete(s2, "k/one", &err), 0);
    struct lr_store *s3 = open_store(b);
    struct lr_store_page p;
    assert_int_equal(lr_store_list(s3, "", NULL, &p, &err), 0);
    lr_store_page_free(&p);
    assert_int_equal(lr_store_put_if_absent(s3, "c", "abc", 3, &err), 0);
    assert_int_equal(lr_store_put_if_absent(s3, "c", "xyz", 3, &err), LR_EEXISTS);

    assert_int_equal(lr_store_stats_rows(&rows, &n, &err), 0);
    assert_int_equal(n, 2);
    const struct lr_store_stats_row *ra = find(rows, n, a), *rb = find(rows, n, b);
    assert_non_null(ra);
    assert_non_null(rb);
    assert_string_equal(ra->backend, "local");
    assert_int_equal(ra->opens, 2);
    assert_int_equal(ra->stats.puts, 1);
    assert_int_equal(ra->stats.gets, 2);
    assert_int_equal(ra->stats.heads, 1);
    assert_int_equal(ra->stats.deletes, 1);
    assert_int_equal(ra->stats.lists, 0);
    assert_int_equal(ra->stats.requests, 5);
    assert_int_equal(ra->stats.bytes_written, 5);
    assert_int_equal(ra->stats.bytes_read, 5);
    assert_int_equal(ra->stats.errors, 0); /* a missing object is no error */
    assert_int_equal(rb->opens, 1);
    assert_int_equal(rb->stats.lists, 1);
    assert_int_equal(rb->stats.puts, 2);
    assert_int_equal(rb->stats.bytes_written, 3);
    assert_int_equal(rb->stats.errors, 0); /* nor is a create that found the name taken */
    lr_store_stats_rows_free(rows, n);

    /* an error is counted: a range past the end of an object */
    struct lr_buf b2 = LR_BUF_INIT;
    assert_int_equal(lr_store_get_range(s3, "c", 100, 5, &b2, &err), LR_ERANGE);
    lr_buf_free(&b2);
    lr_store_close(s2);
    lr_store_close(s3);
    assert_int_equal(lr_store_stats_rows(&rows, &n, &err), 0);
    rb = find(rows, n, b);
    assert_non_null(rb);
    assert_int_equal(rb->stats.errors, 1);
    assert_int_equal(rb->stats.gets, 1);
    lr_store_stats_rows_free(rows, n);

    lr_store_stats_reset();
    assert_int_equal(lr_store_stats_rows(&rows, &n, &err), 0);
    assert_int_equal(n, 0);
    lr_store_stats_rows_free(rows, n);
    lr_store_stats_track(false);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tally)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
