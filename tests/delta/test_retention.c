/* test_retention.c - the file check of lr_delta_retention_check: files named by an absolute
 * URI outside the table root are not in the table's listing and are reported as "outside"
 * (not checked), never as missing; an absolute URI spelling the table's own location is
 * checked like a relative path; a relative path that is gone is missing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta_fixture.h"

static void test_absolute_paths_are_outside_not_missing(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("retention-outside");
    struct fx f;
    fx_open(&f, dir);
    char *md = fx_metadata("retention-test", NULL);
    char *ci = fx_commit_info("WRITE");
    char *a = fx_add(&f, "a.parquet", 10, 1);
    char *in_root = fx_add(&f, "in-root.parquet", 12, 1);
    /* the same file named by the table's own absolute location */
    const char *uri = lr_store_uri(f.store);
    size_t ul = strlen(uri);
    while (ul > 0 && uri[ul - 1] == '/')
        ul--;
    char *abs_in = lr_asprintf("{\"add\":{\"path\":\"%.*s/in-root.parquet\",\"partitionValues\":"
                               "{},\"size\":12,\"modificationTime\":1,\"dataChange\":true}}",
                               (int)ul, uri);
    const char *elsewhere = "{\"add\":{\"path\":\"s3://elsewhere/b.parquet\",\"partitionValues\":"
                            "{},\"size\":4,\"modificationTime\":1,\"dataChange\":true}}";
    const char *gone = "{\"add\":{\"path\":\"gone.parquet\",\"partitionValues\":{},\"size\":7,"
                       "\"modificationTime\":1,\"dataChange\":true}}";
    assert_int_equal(fx_commit(&f, 0, ci, FX_PROTOCOL, md, a, abs_in, elsewhere, gone, NULL),
                     0);
    struct lr_delta_snapshot s;
    fx_snapshot(&f, 0, &s);
    assert_int_equal(s.num_files, 4);
    struct lr_error err;
    struct lr_delta_retention r;
    assert_int_equal(lr_delta_retention_check(f.table, 0, &s, 0, &r, &err), 0);
    assert_int_equal(r.missing_files, 1);
    assert_int_equal(r.missing_bytes, 7);
    assert_string_equal(r.missing_paths.items[0], "gone.parquet");
    assert_int_equal(r.outside_files, 1);
    assert_string_equal(r.outside_paths.items[0], "s3://elsewhere/b.parquet");
    lr_delta_retention_free(&r);
    lr_delta_snapshot_free(&s);
    free(md);
    free(ci);
    free(a);
    free(in_root);
    free(abs_in);
    fx_close(&f);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute_paths_are_outside_not_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
