/* test_corpus.c - conformance over every table in ../shared/corpus/delta/: at every version its
 * MANIFEST.json lists, our snapshot matches the oracle's facts (file count, total size, sorted
 * path set, record counts, protocol, metadata id, partition columns, tombstones, DVs), the
 * latest version opens as the latest, and every unreconstructable version is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsupport.h"

#include "lakerewind/delta.h"

static json_t *manifest;

static int setup(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/delta/MANIFEST.json", lr_test_corpus());
    json_error_t jerr;
    manifest = json_load_file(path, 0, &jerr);
    if (!manifest)
        fprintf(stderr, "cannot read %s: %s\n", path, jerr.text);
    return manifest ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(manifest);
    return 0;
}

static int strvec_eq_json(const struct lr_strvec *v, json_t *arr)
{
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    if (n != v->count)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *want = json_string_value(json_array_get(arr, i));
        int found = 0;
        for (size_t k = 0; k < v->count; k++)
            found |= strcmp(v->items[k], want) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

static int paths_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int check_version(const char *name, struct lr_delta_table *t, json_t *exp)
{
    int64_t v = json_integer_value(json_object_get(exp, "version"));
    struct lr_delta_snapshot s;
    struct lr_error err;
    int bad = 0;
    if (lr_delta_snapshot_open(&s, t, v, &err) < 0) {
        fprintf(stderr, "%s v%lld: %s\n", name, (long long)v, err.message);
        return 1;
    }
#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s v%lld: ", name, (long long)v);                                 \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
            bad++;                                                                             \
        }                                                                                      \
    } while (0)
    CHECK(s.version == v, "version %lld", (long long)s.version);
    CHECK((json_int_t)s.num_files == json_integer_value(json_object_get(exp, "num_files")),
          "num_files %zu", s.num_files);
    CHECK(s.size_bytes == json_integer_value(json_object_get(exp, "size_bytes")),
          "size_bytes %lld", (long long)s.size_bytes);
    CHECK((json_int_t)s.num_tombstones ==
              json_integer_value(json_object_get(exp, "num_tombstones")),
          "num_tombstones %zu vs %lld", s.num_tombstones,
          (long long)json_integer_value(json_object_get(exp, "num_tombstones")));
    json_t *nrl = json_object_get(exp, "num_records_logical");
    if (json_is_null(nrl))
        CHECK(s.num_records == -1, "num_records %lld, expected unknown",
              (long long)s.num_records);
    else
        CHECK(s.num_records == json_integer_value(nrl), "num_records %lld vs %lld",
              (long long)s.num_records, (long long)json_integer_value(nrl));
    /* physical records and DVs */
    int64_t phys = 0, card = 0, dvs = 0, nostats = 0;
    for (size_t i = 0; i < s.num_files; i++) {
        if (s.files[i]->num_records >= 0)
            phys += s.files[i]->num_records;
        else
            nostats++;
        card += lr_delta_file_dv_cardinality(s.files[i]);
        dvs += lr_delta_file_dv_id(s.files[i]) != NULL;
    }
    CHECK(phys == json_integer_value(json_object_get(exp, "num_records")), "physical records");
    CHECK(nostats == json_integer_value(json_object_get(exp, "files_without_stats")),
          "files without stats %lld", (long long)nostats);
    CHECK(card == json_integer_value(json_object_get(exp, "dv_cardinality")), "dv cardinality");
    CHECK(dvs == json_integer_value(json_object_get(exp, "dv_files")), "dv files");
    /* sorted path set */
    json_t *lp = json_object_get(exp, "live_paths");
    const char **paths = calloc(s.num_files + 1, sizeof *paths);
    for (size_t i = 0; i < s.num_files; i++)
        paths[i] = s.files[i]->path;
    qsort(paths, s.num_files, sizeof *paths, paths_cmp);
    CHECK(json_array_size(lp) == s.num_files, "live path count");
    for (size_t i = 0; i < s.num_files && i < json_array_size(lp); i++)
        CHECK(strcmp(paths[i], json_string_value(json_array_get(lp, i))) == 0,
              "path %zu: %s vs %s", i, paths[i], json_string_value(json_array_get(lp, i)));
    free(paths);
    /* protocol */
    json_t *p = json_object_get(exp, "protocol");
    CHECK(s.protocol.min_reader_version ==
              json_integer_value(json_object_get(p, "min_reader_version")), "reader version");
    CHECK(s.protocol.min_writer_version ==
              json_integer_value(json_object_get(p, "min_writer_version")), "writer version");
    CHECK(strvec_eq_json(&s.protocol.reader_features, json_object_get(p, "reader_features")),
          "reader features");
    CHECK(strvec_eq_json(&s.protocol.writer_features, json_object_get(p, "writer_features")),
          "writer features");
    /* metadata */
    json_t *m = json_object_get(exp, "metadata");
    CHECK(strcmp(s.metadata_id, json_string_value(json_object_get(m, "id"))) == 0, "id");
    CHECK(json_equal(s.partition_columns, json_object_get(m, "partition_columns")),
          "partition columns");
    CHECK(json_equal(s.configuration, json_object_get(m, "configuration")), "configuration");
    /* app transactions */
    json_t *txns = json_object_get(exp, "app_txns");
    CHECK(json_object_size(txns) == json_object_size(s.txns), "txn count");
    const char *app;
    json_t *tv;
    json_object_foreach(txns, app, tv)
        CHECK(json_integer_value(tv) ==
                  json_integer_value(json_object_get(json_object_get(s.txns, app), "version")),
              "txn %s", app);
    /* commit timestamp from commitInfo of V when present */
    json_t *ci = json_object_get(exp, "commit_info");
    if (json_is_object(ci)) {
        json_t *op = json_object_get(ci, "operation");
        const char *ours = s.commit_info ? json_string_value(json_object_get(s.commit_info,
                                                                             "operation"))
                                         : NULL;
        if (json_is_string(op))
            CHECK(ours && strcmp(ours, json_string_value(op)) == 0, "commitInfo.operation");
    }
    lr_delta_snapshot_free(&s);
    return bad;
}

static void test_corpus_every_version_matches_manifest(void **state)
{
    (void)state;
    json_t *tables = json_object_get(manifest, "tables");
    const char *name;
    json_t *t;
    int bad = 0;
    int checked = 0;
    json_object_foreach(tables, name, t) {
        char root[4096];
        snprintf(root, sizeof root, "%s/delta/%s", lr_test_corpus(), name);
        struct lr_store *store = NULL;
        struct lr_delta_table *table = NULL;
        struct lr_error err;
        assert_int_equal(lr_store_open(&store, root, NULL, &err), 0);
        assert_int_equal(lr_delta_table_open(&table, store, "", &err), 0);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(t, "versions"), i, v) {
            bad += check_version(name, table, v);
            checked++;
        }
        /* the latest version opens as the latest when reconstructable */
        int64_t latest = json_integer_value(json_object_get(t, "latest_version"));
        json_t *rv = json_object_get(t, "reconstructable_versions");
        bool latest_ok = false;
        json_array_foreach(rv, i, v) latest_ok |= json_integer_value(v) == latest;
        struct lr_delta_snapshot s;
        int rc = lr_delta_snapshot_open(&s, table, -1, &err);
        if (latest_ok) {
            if (rc < 0 || s.version != latest) {
                fprintf(stderr, "%s latest: %s\n", name, rc < 0 ? err.message : "wrong version");
                bad++;
            }
            /* the files of the latest version that are gone, found by one listing (data and
             * deletion-vector files; the corpus keeps every DV file) */
            struct lr_delta_retention r;
            json_t *df = json_object_get(json_object_get(t, "checks"), "data_files");
            if (rc == 0 && lr_delta_retention_check(table, latest, &s, 0, &r, &err) == 0) {
                json_int_t want = json_integer_value(json_object_get(df,
                                                                     "latest_version_missing"));
                if ((json_int_t)r.missing_files != want || !r.is_reconstructable) {
                    fprintf(stderr, "%s: %zu missing files, manifest says %lld\n", name,
                            r.missing_files, (long long)want);
                    bad++;
                }
                lr_delta_retention_free(&r);
            } else if (rc == 0) {
                fprintf(stderr, "%s retention: %s\n", name, err.message);
                bad++;
            }
        } else if (rc == 0) {
            fprintf(stderr, "%s latest: opened an unreconstructable version\n", name);
            bad++;
        }
        if (rc == 0)
            lr_delta_snapshot_free(&s);
        /* unreconstructable versions are refused */
        json_t *u;
        json_array_foreach(json_object_get(t, "unreconstructable_versions"), i, u) {
            for (int64_t x = json_integer_value(json_object_get(u, "from"));
                 x <= json_integer_value(json_object_get(u, "to")); x++) {
                if (lr_delta_snapshot_open(&s, table, x, &err) == 0) {
                    fprintf(stderr, "%s v%lld: should not be reconstructable\n", name,
                            (long long)x);
                    lr_delta_snapshot_free(&s);
                    bad++;
                }
            }
        }
        lr_delta_table_close(table);
        lr_store_close(store);
    }
    fprintf(stderr, "checked %d versions, %d mismatches\n", checked, bad);
    assert_true(checked > 100);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_every_version_matches_manifest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
