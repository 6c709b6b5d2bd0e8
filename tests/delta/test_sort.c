/* test_sort.c - the identity sort of file records (filerec.c): stable, in (path bytes, dv id)
 * order, and saying whether some path occurs twice (when it does not, replay skips its
 * duplicate pass). Checked on paths sharing long prefixes, of every length around the 8-byte
 * slices, with and without repeats and deletion-vector ids, on one thread and several; the
 * same with first keys made ahead; and through a checkpoint holding a path twice, where the
 * later row wins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "testsupport.h"

struct item {
    struct lr_delta_file *r;
    size_t index; /* position before sorting */
};

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 8) & 0xffffff;
}

/* n records: paths from a few prefixes and lengths, `repeats` of them copies of earlier
 * paths (half with a deletion-vector id of their own: a distinct identity). */
static struct lr_delta_file **make(struct lr_delta_mem *m, size_t n, size_t repeats,
                                   unsigned seed, size_t **index_out)
{
    static const char *const prefix[] = {"", "part-0000", "region=R07/part-00001-",
                                         "a/b/c/d/e/f/g/h/"};
    struct lr_delta_file **v = malloc(n * sizeof *v);
    size_t *index = malloc(n * sizeof *index);
    for (size_t i = 0; i < n; i++) {
        struct lr_delta_file *r = delta_rec_new(m, true);
        assert_non_null(r);
        char buf[128];
        if (i >= n - repeats) {
            const struct lr_delta_file *o = v[next(&seed) % (n - repeats)];
            snprintf(buf, sizeof buf, "%s", o->path);
            if (i % 2)
                delta_rec_ext(m, r)->dv_id = delta_mem_strndup(m, "uabc", 4);
        } else {
            unsigned k = next(&seed);
            int len = (int)(k % 23);
            static const char tail[] = "0123456789abcdefghijklmnopqrstuvwxyz";
            snprintf(buf, sizeof buf, "%s%.*s", prefix[k % 4], len, &tail[(k >> 5) % 10]);
        }
        r->path = delta_mem_strndup(m, buf, strlen(buf));
        r->size = (int64_t)i; /* remembers the original position */
        v[i] = r;
        index[i] = i;
    }
    *index_out = index;
    return v;
}

static void check_sorted(struct lr_delta_file **v, size_t n, bool repeats_said)
{
    bool repeats = false;
    for (size_t i = 1; i < n; i++) {
        int c = delta_rec_cmp(v[i - 1], v[i]);
        if (c > 0)
            fail_msg("out of order at %zu: %s / %s", i, v[i - 1]->path, v[i]->path);
        if (c == 0 && v[i - 1]->size > v[i]->size)
            fail_msg("not stable at %zu: %s", i, v[i]->path);
        repeats |= strcmp(v[i - 1]->path, v[i]->path) == 0;
    }
    assert_int_equal(repeats, repeats_said);
}

static void test_sort_orders_and_reports_repeats(void **state)
{
    (void)state;
    size_t sizes[] = {2, 31, 32, 33, 1000, 20000, 120000};
    for (size_t t = 0; t < 3; t++)
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        /* one, two and five threads (the sort goes parallel from 50,000 records) */
        delta_threads_set(t == 0 ? 1 : t == 1 ? 2 : 5);
        for (size_t with = 0; with < 2; with++) {
            struct lr_delta_mem *m = delta_mem_new();
            size_t n = sizes[s];
            size_t *index = NULL;
            struct lr_delta_file **v = make(m, n, with ? n / 10 + 1 : 0, (unsigned)(n + with),
                                            &index);
            /* without repeats asked, the generator may still have made two equal paths */
            bool truth = false;
            for (size_t i = 0; i < n && !truth; i++)
                for (size_t j = i + 1; j < n && !truth && n <= 1000; j++)
                    truth = strcmp(v[i]->path, v[j]->path) == 0;
            bool said = true;
            assert_int_equal(delta_recs_sort(v, n, &said), 0);
            check_sorted(v, n, said);
            if (n <= 1000)
                assert_int_equal(said, truth);
            if (with)
                assert_true(said);
            free(v);
            free(index);
            delta_mem_unref(m);
        }
    }
    delta_threads_set(0);
}

/* Keys made ahead (as a checkpoint's decoder makes them, at the depth its paths share) give the
 * order and the repeat flag the sort finds alone: paths of every length past the shared bytes
 * (some ending right there), repeats with and without deletion-vector ids, one thread and
 * several. */
static void test_keyed_sort_matches_the_plain_one(void **state)
{
    (void)state;
    static const char *const shared[] = {"", "part-000", "region=R07/part-00001-"};
    size_t sizes[] = {2, 33, 1000, 120000};
    for (size_t t = 0; t < 2; t++)
    for (size_t p = 0; p < sizeof shared / sizeof shared[0]; p++)
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        delta_threads_set(t ? 2 : 1);
        struct lr_delta_mem *m = delta_mem_new();
        size_t n = sizes[s], depth = strlen(shared[p]);
        unsigned seed = (unsigned)(n * 7 + p);
        struct lr_delta_file **a = malloc(n * sizeof *a), **b = malloc(n * sizeof *b);
        uint64_t *keys = malloc(n * sizeof *keys);
        for (size_t i = 0; i < n; i++) {
            char buf[128];
            unsigned k = next(&seed);
            if (i > n / 2 && k % 5 == 0) { /* a repeat */
                snprintf(buf, sizeof buf, "%s", a[k % (n / 2)]->path);
            } else {
                static const char tail[] = "0123456789abcdefghijklmnopqrstuvwxyz";
                snprintf(buf, sizeof buf, "%s%.*s", shared[p], (int)(k % 19),
                         &tail[(k >> 5) % 16]);
            }
            struct lr_delta_file *r = delta_rec_new(m, true);
            assert_non_null(r);
            r->path = delta_mem_strndup(m, buf, strlen(buf));
            r->size = (int64_t)i;
            if (k % 7 == 0)
                delta_rec_ext(m, r)->dv_id = delta_mem_strndup(m, "uxyz", 4);
            bool ended;
            keys[i] = delta_path_key(r->path, depth, &ended);
            a[i] = b[i] = r;
        }
        bool said_a = false, said_b = false;
        assert_int_equal(delta_recs_sort(a, n, &said_a), 0);
        assert_int_equal(delta_recs_sort_keyed(b, keys, n, depth, &said_b), 0);
        check_sorted(b, n, said_b);
        assert_int_equal(said_a, said_b);
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                fail_msg("n=%zu depth=%zu: record %zu differs: %s / %s", n, depth, i,
                         a[i]->path, b[i]->path);
        free(a);
        free(b);
        free(keys);
        delta_mem_unref(m);
    }
    delta_threads_set(0);
}

/* Checkpoint rows replayed into a base (as checkpoint_parquet.c does), one path twice: the
 * later row wins; the same path with a deletion vector is another identity. */
static void test_checkpoint_path_twice_later_row_wins(void **state)
{
    (void)state;
    struct lr_error err;
    struct delta_state st;
    assert_int_equal(delta_state_init(&st), 0);
    st.collecting = true;
    const char *rows[] = {
        "{\"add\":{\"path\":\"same.parquet\",\"size\":10,\"dataChange\":false}}",
        "{\"add\":{\"path\":\"other.parquet\",\"size\":20,\"dataChange\":false}}",
        "{\"add\":{\"path\":\"same.parquet\",\"size\":11,\"dataChange\":false}}",
        "{\"add\":{\"path\":\"same.parquet\",\"size\":12,\"dataChange\":false,"
        "\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":\"ab^-aqEH.-t@S}K{vb[*k^\","
        "\"offset\":4,\"sizeInBytes\":40,\"cardinality\":2}}}",
    };
    for (size_t i = 0; i < 4; i++) {
        json_t *j = json_loads(rows[i], 0, NULL);
        assert_non_null(j);
        assert_int_equal(delta_state_apply(&st, j, true, &err), 0);
        json_decref(j);
    }
    assert_int_equal(delta_state_seal_base(&st, 0, "test", &err), 0);
    struct lr_delta_file **files, **tombs;
    size_t nf, nt;
    assert_int_equal(delta_state_files(&st, &files, &nf, &tombs, &nt, NULL), 0);
    assert_int_equal(nf, 3);
    assert_string_equal(files[0]->path, "other.parquet");
    assert_string_equal(files[1]->path, "same.parquet");
    assert_null(lr_delta_file_dv_id(files[1]));
    assert_int_equal(files[1]->size, 11); /* the later row */
    assert_non_null(lr_delta_file_dv_id(files[2]));
    assert_int_equal(files[2]->size, 12);
    free(files);
    free(tombs);
    delta_state_free(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_orders_and_reports_repeats),
        cmocka_unit_test(test_keyed_sort_matches_the_plain_one),
        cmocka_unit_test(test_checkpoint_path_twice_later_row_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
