/* test_store.c - the store conformance suite: one set of tests every backend must pass.
 *
 * The store under test is $LR_STORE_URI (with options from the environment, as a user would
 * set them); without it, a fresh local folder. Every test works under its own random prefix so
 * a shared emulator needs no cleaning between runs. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>

#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "lakerewind/store.h"
#include "testsupport.h"

static char *store_uri;
static char prefix[64];

static struct lr_store *open_store(void)
{
    struct lr_store *s = NULL;
    struct lr_error err;
    struct lr_store_options opts = {NULL, 0, true};
    int rc = lr_store_open(&s, store_uri, &opts, &err);
    if (rc < 0)
        fail_msg("open %s: %s", store_uri, err.message);
    return s;
}

static char *key(const char *name)
{
    return lr_asprintf("%s/%s", prefix, name);
}

static void put_str(struct lr_store *s, const char *k, const char *v)
{
    struct lr_error err;
    if (lr_store_put(s, k, v, strlen(v), &err) < 0)
        fail_msg("put %s: %s", k, err.message);
}

static void test_put_get_roundtrip_and_missing(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("a/b/c.json");
    put_str(s, k, "hello world");
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_store_get(s, k, &b, &err), 0);
    assert_int_equal(b.len, 11);
    assert_memory_equal(b.data, "hello world", 11);
    put_str(s, k, "replaced");
    lr_buf_reset(&b);
    assert_int_equal(lr_store_get(s, k, &b, &err), 0);
    assert_string_equal((char *)b.data, "replaced");
    char *missing = key("a/none.json");
    lr_buf_reset(&b);
    assert_int_equal(lr_store_get(s, missing, &b, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "none.json"));
    lr_buf_free(&b);
    free(k);
    free(missing);
    lr_store_close(s);
}

static void test_empty_object(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("empty");
    struct lr_error err;
    assert_int_equal(lr_store_put(s, k, "", 0, &err), 0);
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_store_get(s, k, &b, &err), 0);
    assert_int_equal(b.len, 0);
    struct lr_store_entry e;
    assert_int_equal(lr_store_head(s, k, &e, &err), 0);
    assert_int_equal(e.size, 0);
    lr_store_entry_free(&e);
    lr_buf_free(&b);
    free(k);
    lr_store_close(s);
}

static void test_head_reports_size_and_mtime(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("h.bin");
    put_str(s, k, "0123456789");
    struct lr_store_entry e;
    struct lr_error err;
    assert_int_equal(lr_store_head(s, k, &e, &err), 0);
    assert_int_equal(e.size, 10);
    if (lr_store_caps(s) & LR_STORE_CAP_MTIME) {
        int64_t now_ms = (int64_t)time(NULL) * 1000;
        assert_true(e.mtime_ms > now_ms - 3600 * 1000 && e.mtime_ms < now_ms + 3600 * 1000);
    }
    lr_store_entry_free(&e);
    char *m = key("nope.bin");
    assert_int_equal(lr_store_head(s, m, &e, &err), LR_ENOTFOUND);
    free(m);
    free(k);
    lr_store_close(s);
}

static void test_ranges_inside_past_end_and_beyond(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("range.bin");
    put_str(s, k, "0123456789");
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_store_get_range(s, k, 2, 3, &b, &err), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "234", 3);
    lr_buf_reset(&b);
    assert_int_equal(lr_store_get_range(s, k, 7, 100, &b, &err), 0); /* short read */
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "789", 3);
    lr_buf_reset(&b);
    assert_int_equal(lr_store_get_range(s, k, 9, 1, &b, &err), 0);
    assert_int_equal(b.len, 1);
    lr_buf_reset(&b);
    assert_int_equal(lr_store_get_range(s, k, 10, 5, &b, &err), LR_ERANGE);
    lr_buf_reset(&b);
    assert_int_equal(lr_store_get_range(s, k, 1000, 5, &b, &err), LR_ERANGE);
    char *m = key("nope.bin");
    assert_int_equal(lr_store_get_range(s, m, 0, 5, &b, &err), LR_ENOTFOUND);
    free(m);
    lr_buf_free(&b);
    free(k);
    lr_store_close(s);
}

static void test_put_if_absent_reports_exists_and_keeps_original(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("_delta_log/00000000000000000000.json");
    struct lr_error err;
    assert_int_equal(lr_store_put_if_absent(s, k, "first", 5, &err), 0);
    assert_int_equal(lr_store_put_if_absent(s, k, "second", 6, &err), LR_EEXISTS);
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_store_get(s, k, &b, &err), 0);
    assert_string_equal((char *)b.data, "first");
    lr_buf_free(&b);
    free(k);
    lr_store_close(s);
}

static void test_list_sorted_prefix_start_after_and_paging(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    const char *names[] = {"t/_delta_log/00000000000000000002.json",
                           "t/_delta_log/00000000000000000000.json",
                           "t/_delta_log/00000000000000000001.json",
                           "t/_delta_log/00000000000000000010.checkpoint.parquet",
                           "t/_delta_log/_last_checkpoint",
                           "t/part-0.parquet",
                           "t2/x"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *k = key(names[i]);
        put_str(s, k, "x");
        free(k);
    }
    struct lr_store_page all;
    struct lr_error err;
    char *p = key("t/_delta_log/");
    assert_int_equal(lr_store_list(s, p, NULL, &all, &err), 0);
    assert_int_equal(all.count, 5);
    for (size_t i = 1; i < all.count; i++)
        assert_true(strcmp(all.entries[i - 1].key, all.entries[i].key) < 0);
    assert_true(lr_str_ends_with(all.entries[0].key, "00000000000000000000.json"));
    assert_true(lr_str_ends_with(all.entries[4].key, "_last_checkpoint"));
    assert_int_equal(all.entries[0].size, 1);
    lr_store_page_free(&all);

    /* start-after is exclusive */
    char *after = key("t/_delta_log/00000000000000000001.json");
    assert_int_equal(lr_store_list(s, p, after, &all, &err), 0);
    assert_int_equal(all.count, 3);
    assert_true(lr_str_ends_with(all.entries[0].key, "00000000000000000002.json"));
    lr_store_page_free(&all);

    /* paging two at a time visits every key once, in order */
    char *token = NULL;
    size_t seen = 0, pages = 0;
    char last[512] = "";
    do {
        struct lr_store_page page;
        assert_int_equal(lr_store_list_page(s, p, NULL, token, 2, &page, &err), 0);
        free(token);
        token = page.next_token ? strdup(page.next_token) : NULL;
        assert_true(page.count <= 2);
        for (size_t i = 0; i < page.count; i++) {
            assert_true(strcmp(last, page.entries[i].key) < 0);
            snprintf(last, sizeof last, "%s", page.entries[i].key);
        }
        seen += page.count;
        pages++;
        lr_store_page_free(&page);
    } while (token && pages < 10);
    assert_int_equal(seen, 5);
    assert_true(pages >= 3);

    /* a prefix that is not a folder boundary */
    char *tp = key("t");
    assert_int_equal(lr_store_list(s, tp, NULL, &all, &err), 0);
    assert_int_equal(all.count, 7);
    lr_store_page_free(&all);
    char *none = key("nothing-here/");
    assert_int_equal(lr_store_list(s, none, NULL, &all, &err), 0);
    assert_int_equal(all.count, 0);
    lr_store_page_free(&all);
    free(none);
    free(tp);
    free(after);
    free(p);
    lr_store_close(s);
}

static void test_names_with_spaces_equals_percent_and_unicode(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    const char *names[] = {"n/region=EU West/part 0.parquet", "n/pct=100%25/a%b.parquet",
                           "n/city=Zürich/日本.parquet", "n/q=a+b&c?d#e/x.json"};
    size_t n = sizeof names / sizeof *names;
    struct lr_error err;
    for (size_t i = 0; i < n; i++) {
        char *k = key(names[i]);
        put_str(s, k, names[i]);
        struct lr_buf b = LR_BUF_INIT;
        assert_int_equal(lr_store_get(s, k, &b, &err), 0);
        assert_string_equal((char *)b.data, names[i]);
        struct lr_store_entry e;
        assert_int_equal(lr_store_head(s, k, &e, &err), 0);
        assert_int_equal(e.size, strlen(names[i]));
        lr_store_entry_free(&e);
        lr_buf_free(&b);
        free(k);
    }
    struct lr_store_page all;
    char *p = key("n/");
    assert_int_equal(lr_store_list(s, p, NULL, &all, &err), 0);
    assert_int_equal(all.count, n);
    for (size_t i = 0; i < all.count; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++) {
            char *k = key(names[j]);
            found |= strcmp(k, all.entries[i].key) == 0;
            free(k);
        }
        assert_true(found);
    }
    lr_store_page_free(&all);
    free(p);
    lr_store_close(s);
}

static void test_delete_and_delete_missing(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("d.txt");
    put_str(s, k, "x");
    struct lr_error err;
    assert_int_equal(lr_store_delete(s, k, &err), 0);
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_store_get(s, k, &b, &err), LR_ENOTFOUND);
    assert_int_equal(lr_store_delete(s, k, &err), 0);
    lr_buf_free(&b);
    free(k);
    lr_store_close(s);
}

static void test_bad_keys_are_refused(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    struct lr_error err;
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_store_get(s, "../etc/passwd", &b, &err), LR_EINVAL);
    assert_int_equal(lr_store_get(s, "/etc/passwd", &b, &err), LR_EINVAL);
    assert_int_equal(lr_store_get(s, "a//b", &b, &err), LR_EINVAL);
    assert_int_equal(lr_store_put(s, "a/./b", "x", 1, &err), LR_EINVAL);
    assert_int_equal(lr_store_put(s, "", "x", 1, &err), LR_EINVAL);
    lr_buf_free(&b);
    lr_store_close(s);
}

static void test_counters_count_requests_and_bytes(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("c.bin");
    put_str(s, k, "12345");
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_store_get(s, k, &b, &err), 0);
    struct lr_store_stats st;
    lr_store_stats_get(s, &st);
    assert_true(st.requests >= 2);
    assert_int_equal(st.puts, 1);
    assert_int_equal(st.gets, 1);
    assert_int_equal(st.bytes_written, 5);
    assert_int_equal(st.bytes_read, 5);
    lr_buf_free(&b);
    free(k);
    lr_store_close(s);
}

/* A large object (the local store reads one on several threads) comes back byte for byte,
 * whole and as ranges that straddle where such a read is split, in one request each. */
static void test_large_object_whole_and_ranges(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    char *k = key("large.bin");
    size_t n = ((size_t)17 << 20) + 123;
    uint8_t *data = malloc(n);
    assert_non_null(data);
    uint32_t x = 2463534242u; /* xorshift: no two 4 KiB pages alike */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (uint8_t)x;
    }
    struct lr_error err;
    if (lr_store_put(s, k, data, n, &err) < 0)
        fail_msg("put %s: %s", k, err.message);
    struct lr_store_stats before, after;
    lr_store_stats_get(s, &before);
    struct lr_buf b = LR_BUF_INIT;
    assert_int_equal(lr_store_get(s, k, &b, &err), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.data, data, n);
    const uint64_t ranges[][2] = {{0, n}, {((uint64_t)5 << 20) + 7, (uint64_t)12 << 20},
                                  {((uint64_t)16 << 20) - 1, (uint64_t)1 << 20},
                                  {1, (uint64_t)20 << 20}};
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        lr_buf_reset(&b);
        assert_int_equal(lr_store_get_range(s, k, ranges[i][0], ranges[i][1], &b, &err), 0);
        size_t want = ranges[i][0] + ranges[i][1] <= n ? ranges[i][1] : n - ranges[i][0];
        assert_int_equal(b.len, want);
        assert_memory_equal(b.data, data + ranges[i][0], want);
    }
    lr_store_stats_get(s, &after);
    assert_int_equal(after.gets - before.gets, 5);
    lr_buf_free(&b);
    free(data);
    free(k);
    lr_store_close(s);
}

/* Whether the store must map a large object: 1 for the local store on ext4, tmpfs or overlay
 * (where this suite runs; lr_store_get_blob() maps on those), 0 for cloud stores (never), -1
 * where either is right. */
static int must_map(struct lr_store *s)
{
    if (strcmp(lr_store_backend_name(s), "local") != 0)
        return 0;
    const char *root = strncmp(store_uri, "file://", 7) == 0 ? store_uri + 7 : store_uri;
    struct statfs fs;
    if (statfs(root, &fs) < 0)
        return -1;
    unsigned long t = (unsigned long)fs.f_type;
    return t == EXT4_SUPER_MAGIC || t == TMPFS_MAGIC || t == OVERLAYFS_SUPER_MAGIC ? 1 : -1;
}

static uint8_t *random_bytes(size_t n, uint32_t seed)
{
    uint8_t *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        data[i] = (uint8_t)seed;
    }
    return data;
}

/* Whole objects as blobs: the bytes of the object, in one request, mapped where the local
 * store can (else read), unchanged by a later put and after the store is closed; the limit
 * and a missing key give their errors; map_only fetches nothing where nothing is mapped. */
static void test_blob_whole_objects(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    int must = must_map(s);
    char *big = key("blob/big.bin");
    char *small = key("blob/small.txt");
    char *missing = key("blob/none.bin");
    size_t n = ((size_t)3 << 20) + 11;
    uint8_t *data = random_bytes(n, 88172645u);
    struct lr_error err;
    if (lr_store_put(s, big, data, n, &err) < 0)
        fail_msg("put %s: %s", big, err.message);
    put_str(s, small, "12345");

    struct lr_store_stats before, after;
    lr_store_stats_get(s, &before);
    struct lr_store_blob b, sm, none, lim;
    assert_int_equal(lr_store_get_blob(s, big, 0, false, &b, &err), 0);
    lr_store_stats_get(s, &after);
    assert_int_equal(after.gets - before.gets, 1);
    assert_int_equal(after.bytes_read - before.bytes_read, n);
    if (must >= 0)
        assert_int_equal(lr_store_blob_mapped(&b), must);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.data, data, n);

    assert_int_equal(lr_store_get_blob(s, small, 0, false, &sm, &err), 0);
    assert_false(lr_store_blob_mapped(&sm)); /* too small to be worth a mapping */
    assert_int_equal(sm.len, 5);
    assert_memory_equal(sm.data, "12345", 5);

    assert_int_equal(lr_store_get_blob(s, missing, 0, false, &none, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "none.bin"));
    assert_int_equal(lr_store_get_blob(s, big, n - 1, false, &lim, &err), LR_ELIMIT);
    assert_null(lim.data);

    lr_store_stats_get(s, &before);
    int rc = lr_store_get_blob(s, big, 0, true, &lim, &err);
    lr_store_stats_get(s, &after);
    if (rc == 0) { /* mapped, as the full read was */
        assert_true(lr_store_blob_mapped(&b) && lr_store_blob_mapped(&lim));
        assert_memory_equal(lim.data, data, n);
        lr_store_blob_release(&lim);
    } else {
        assert_int_equal(rc, LR_EUNSUPPORTED);
        assert_false(lr_store_blob_mapped(&b));
        assert_int_equal(after.requests, before.requests); /* nothing fetched */
    }

    /* replaced and the store closed: the blob keeps the bytes it was given */
    uint8_t *other = random_bytes(n, 2463534242u);
    if (lr_store_put(s, big, other, n, &err) < 0)
        fail_msg("put %s: %s", big, err.message);
    lr_store_close(s);
    assert_memory_equal(b.data, data, n);
    lr_store_blob_release(&b);
    lr_store_blob_release(&b); /* twice: harmless */
    assert_null(b.data);
    lr_store_blob_release(&sm);
    free(other);
    free(data);
    free(big);
    free(small);
    free(missing);
}

/* A batch of reads: whole objects, ranges, a missing key and a range past the end, each with
 * its own result; counters count every read. */
static void test_get_many_batch(void **state)
{
    (void)state;
    struct lr_store *s = open_store();
    enum { N = 40 };
    struct lr_store_read rd[N + 2];
    struct lr_buf out[N + 2];
    char *keys[N + 2];
    memset(rd, 0, sizeof rd);
    for (int i = 0; i < N; i++) {
        char name[64], body[64];
        snprintf(name, sizeof name, "many/%03d.json", i);
        snprintf(body, sizeof body, "object number %03d", i);
        keys[i] = key(name);
        put_str(s, keys[i], body);
    }
    keys[N] = key("many/missing.json");
    keys[N + 1] = strdup(keys[3]);
    for (int i = 0; i < N + 2; i++) {
        lr_buf_init(&out[i], 0);
        rd[i].key = keys[i];
        rd[i].out = &out[i];
        rd[i].whole = i % 2 == 0 || i >= N;
        rd[i].offset = 7;
        rd[i].length = 6;
    }
    rd[N + 1].whole = false;
    rd[N + 1].offset = 1000;
    rd[N + 1].length = 5;
    struct lr_store_stats before, after;
    lr_store_stats_get(s, &before);
    struct lr_error err;
    int rc = lr_store_get_many(s, rd, N + 2, 8, &err);
    lr_store_stats_get(s, &after);
    assert_int_equal(rc, LR_ENOTFOUND);
    for (int i = 0; i < N; i++) {
        char body[64];
        snprintf(body, sizeof body, "object number %03d", i);
        assert_int_equal(rd[i].rc, 0);
        if (rd[i].whole) {
            assert_int_equal(out[i].len, strlen(body));
            assert_memory_equal(out[i].data, body, out[i].len);
        } else {
            assert_int_equal(out[i].len, 6);
            assert_memory_equal(out[i].data, body + 7, 6);
        }
    }
    assert_int_equal(rd[N].rc, LR_ENOTFOUND);
    assert_non_null(strstr(rd[N].err.message, "missing.json"));
    assert_int_equal(rd[N + 1].rc, LR_ERANGE);
    assert_true(after.gets - before.gets == N + 2);
    for (int i = 0; i < N + 2; i++) {
        lr_buf_free(&out[i]);
        free(keys[i]);
    }
    lr_store_close(s);
}

/* Two processes race to create the same commit, many rounds: exactly one wins every time. */
static void test_put_if_absent_race_two_processes(void **state)
{
    (void)state;
    int rounds = 1000;
    const char *env = getenv("LR_RACE_ROUNDS");
    int64_t v;
    if (env && lr_parse_int64(env, &v) && v > 0)
        rounds = (int)v;
    int go[2], res[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(res), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(go[1]); /* so a parent that stops early ends the child's read with EOF */
        close(res[0]);
        struct lr_store *s = open_store();
        for (int r = 0; r < rounds; r++) {
            char c;
            if (read(go[0], &c, 1) != 1)
                _exit(2);
            char name[64];
            snprintf(name, sizeof name, "race/%05d.json", r);
            char *k = key(name);
            struct lr_error err;
            int rc = lr_store_put_if_absent(s, k, "child", 5, &err);
            char out = rc == 0 ? 'W' : rc == LR_EEXISTS ? 'L' : 'E';
            if (out == 'E')
                fprintf(stderr, "round %d: child: %s\n", r, err.message);
            free(k);
            if (write(res[1], &out, 1) != 1)
                _exit(3);
        }
        lr_store_close(s);
        _exit(0);
    }
    close(go[0]);
    close(res[1]);
    struct lr_store *s = open_store();
    int both = 0, none = 0, errors = 0;
    for (int r = 0; r < rounds; r++) {
        char name[64];
        snprintf(name, sizeof name, "race/%05d.json", r);
        char *k = key(name);
        assert_int_equal(write(go[1], "g", 1), 1);
        struct lr_error err;
        int rc = lr_store_put_if_absent(s, k, "parent", 6, &err);
        char child;
        assert_int_equal(read(res[0], &child, 1), 1);
        bool parent_won = rc == 0;
        bool child_won = child == 'W';
        if (rc < 0 && rc != LR_EEXISTS) {
            errors++;
            print_message("round %d: parent: %s\n", r, err.message);
        }
        if (child == 'E')
            errors++;
        if (parent_won && child_won)
            both++;
        if (!parent_won && !child_won)
            none++;
        /* the object holds the winner's bytes, whole */
        struct lr_buf b = LR_BUF_INIT;
        assert_int_equal(lr_store_get(s, k, &b, &err), 0);
        if (strcmp((char *)b.data, parent_won ? "parent" : "child") != 0)
            fail_msg("round %d: parent rc %d, child '%c', stored '%s'", r, rc, child,
                     (char *)b.data);
        lr_buf_free(&b);
        free(k);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(errors, 0);
    assert_int_equal(both, 0);
    assert_int_equal(none, 0);
    lr_store_close(s);
}

int main(void)
{
    const char *logf = getenv("LR_TEST_LOG");
    struct lr_error lerr;
    if (logf && *logf && lr_log_open(logf, LR_LOG_DEBUG, &lerr) < 0)
        fprintf(stderr, "%s\n", lerr.message);
    const char *uri = getenv("LR_STORE_URI");
    if (uri && *uri) {
        store_uri = strdup(uri);
    } else {
        store_uri = lr_test_tmpdir("store-conformance");
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    snprintf(prefix, sizeof prefix, "conf-%ld-%d", (long)time(NULL), rand() % 100000);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_roundtrip_and_missing),
        cmocka_unit_test(test_empty_object),
        cmocka_unit_test(test_head_reports_size_and_mtime),
        cmocka_unit_test(test_ranges_inside_past_end_and_beyond),
        cmocka_unit_test(test_put_if_absent_reports_exists_and_keeps_original),
        cmocka_unit_test(test_list_sorted_prefix_start_after_and_paging),
        cmocka_unit_test(test_names_with_spaces_equals_percent_and_unicode),
        cmocka_unit_test(test_delete_and_delete_missing),
        cmocka_unit_test(test_bad_keys_are_refused),
        cmocka_unit_test(test_counters_count_requests_and_bytes),
        cmocka_unit_test(test_get_many_batch),
        cmocka_unit_test(test_large_object_whole_and_ranges),
        cmocka_unit_test(test_blob_whole_objects),
        cmocka_unit_test(test_put_if_absent_race_two_processes),
    };
    int failed = cmocka_run_group_tests_name("store conformance", tests, NULL, NULL);
    free(store_uri);
    return failed;
}
