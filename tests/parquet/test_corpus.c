/* test_corpus.c - every file of shared/corpus/parquet decodes exactly to its MANIFEST.json:
 * row count, row groups, leaf levels and types, column-chunk metadata and statistics, and
 * every row (through both the json_t row API and the JSON text emitter). DuckDB's rendering
 * in the manifest differs from ours only in form: timestamps ("2024-01-01 00:00:00+00" vs
 * "2024-01-01T00:00:00.000000Z") are compared after normalising both, numbers by value
 * (floats as float32), everything else exactly. */
#include "testsupport.h"

#include "pqtest.h"

static int failures;

#define FAILF(...)                                                                             \
    do {                                                                                       \
        fprintf(stderr, __VA_ARGS__);                                                          \
        fputc('\n', stderr);                                                                   \
        failures++;                                                                            \
    } while (0)

/* "YYYY-MM-DD[ T]HH:MM:SS[.f*][Z|+00]" -> "YYYY-MM-DD HH:MM:SS[.f without trailing 0s]" */
static bool norm_ts(const char *s, char *out, size_t n)
{
    size_t len = strlen(s);
    if (len < 19 || len > 40)
        return false;
    for (int i = 0; i < 19; i++) {
        char c = s[i];
        bool ok = (i == 4 || i == 7) ? c == '-' : (i == 10) ? (c == ' ' || c == 'T')
                  : (i == 13 || i == 16) ? c == ':' : (c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    size_t p = 19;
    char frac[16] = "";
    if (s[p] == '.') {
        size_t q = p + 1, k = 0;
        while (s[q] >= '0' && s[q] <= '9' && k < sizeof frac - 1)
            frac[k++] = s[q++];
        frac[k] = '\0';
        p = q;
        while (k > 0 && frac[k - 1] == '0')
            frac[--k] = '\0';
    }
    if (strcmp(s + p, "Z") != 0 && strcmp(s + p, "+00") != 0 && s[p] != '\0')
        return false;
    snprintf(out, n, "%.10s %.8s%s%s", s, s + 11, frac[0] ? "." : "", frac);
    return true;
}

static bool num_equal(double a, double b)
{
    if (a == b)
        return true;
    if ((float)a == (float)b)
        return true;
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= 1e-12 * m;
}

static bool str_equal(const char *ours, const char *want)
{
    if (strcmp(ours, want) == 0)
        return true;
    char a[64], b[64];
    return norm_ts(ours, a, sizeof a) && norm_ts(want, b, sizeof b) && strcmp(a, b) == 0;
}

static bool values_equal(json_t *ours, json_t *want, char *where, size_t wn)
{
    if (json_is_number(ours) && json_is_number(want)) {
        if (json_is_integer(ours) && json_is_integer(want))
            return json_integer_value(ours) == json_integer_value(want);
        return num_equal(json_number_value(ours), json_number_value(want));
    }
    if (json_typeof(ours) != json_typeof(want) &&
        !(json_is_boolean(ours) && json_is_boolean(want)))
        return false;
    switch (json_typeof(want)) {
    case JSON_STRING:
        return str_equal(json_string_value(ours), json_string_value(want));
    case JSON_ARRAY: {
        if (json_array_size(ours) != json_array_size(want))
            return false;
        size_t l = strlen(where);
        for (size_t i = 0; i < json_array_size(want); i++) {
            snprintf(where + l, wn - l, "[%zu]", i);
            if (!values_equal(json_array_get(ours, i), json_array_get(want, i), where, wn))
                return false;
        }
        where[l] = '\0';
        return true;
    }
    case JSON_OBJECT: {
        if (json_object_size(ours) != json_object_size(want))
            return false;
        const char *k;
        json_t *v;
        size_t l = strlen(where);
        json_object_foreach(want, k, v) {
            json_t *o = json_object_get(ours, k);
            snprintf(where + l, wn - l, ".%s", k);
            if (!o || !values_equal(o, v, where, wn))
                return false;
        }
        where[l] = '\0';
        return true;
    }
    default:
        return json_equal(ours, want);
    }
}

static void compare_rows(const char *file, const char *api, json_t *ours, json_t *want)
{
    if (json_array_size(ours) != json_array_size(want)) {
        FAILF("%s (%s): %zu rows, manifest has %zu", file, api, json_array_size(ours),
              json_array_size(want));
        return;
    }
    for (size_t i = 0; i < json_array_size(want); i++) {
        char where[512] = "";
        if (!values_equal(json_array_get(ours, i), json_array_get(want, i), where,
                          sizeof where)) {
            char *a = json_dumps(json_array_get(ours, i), JSON_COMPACT);
            char *b = json_dumps(json_array_get(want, i), JSON_COMPACT);
            FAILF("%s (%s): row %zu differs at %s\n  ours: %.600s\n  want: %.600s", file, api,
                  i, where, a, b);
            free(a);
            free(b);
        }
    }
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long jnum(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v))
        return strtoll(json_string_value(v), NULL, 10);
    return -999;
}

/* our rendering of a statistics value, unquoted, for comparison with DuckDB's */
static void stat_text(const struct lr_parquet_node *leaf, struct lr_parquet_bytes v, char *out,
                      size_t n)
{
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    lr_error_clear(&err);
    assert_int_equal(lr_parquet_format_stat(&b, leaf, v, &err), 0);
    json_t *j = json_loadb((const char *)b.data, b.len, JSON_DECODE_ANY, NULL);
    if (json_is_string(j))
        snprintf(out, n, "%s", json_string_value(j));
    else
        snprintf(out, n, "%s", (const char *)b.data);
    json_decref(j);
    lr_buf_free(&b);
}

static void compare_stat(const char *file, const char *path, const char *label,
                         const struct lr_parquet_node *leaf, bool has,
                         struct lr_parquet_bytes v, const char *want)
{
    if (!want)
        return;
    if (!has) {
        FAILF("%s %s: %s missing (manifest: %s)", file, path, label, want);
        return;
    }
    char got[4096];
    stat_text(leaf, v, got, sizeof got);
    if (str_equal(got, want))
        return;
    char *e1, *e2;
    double a = strtod(got, &e1), b = strtod(want, &e2);
    if (*got && *want && !*e1 && !*e2 && num_equal(a, b))
        return;
    FAILF("%s %s: %s is %s, manifest says %s", file, path, label, got, want);
}

static void check_footer(const char *file, const struct lr_parquet_meta *m, json_t *mf)
{
    if (m->num_rows != jnum(mf, "row_count"))
        FAILF("%s: num_rows %lld, manifest %lld", file, (long long)m->num_rows,
              jnum(mf, "row_count"));
    json_t *rgs = json_object_get(mf, "row_groups");
    if (json_array_size(rgs) != m->num_row_groups)
        FAILF("%s: %zu row groups, manifest %zu", file, m->num_row_groups,
              json_array_size(rgs));
    for (size_t i = 0; i < json_array_size(rgs) && i < m->num_row_groups; i++) {
        json_t *g = json_array_get(rgs, i);
        if (m->row_groups[i].num_rows != jnum(g, "num_rows") ||
            m->row_groups[i].total_byte_size != jnum(g, "total_byte_size"))
            FAILF("%s: row group %zu rows/bytes differ", file, i);
    }
    json_t *leaves = json_object_get(mf, "leaf_columns");
    if (json_array_size(leaves) != m->num_leaves)
        FAILF("%s: %zu leaves, manifest %zu", file, m->num_leaves, json_array_size(leaves));
    for (size_t i = 0; i < json_array_size(leaves) && i < m->num_leaves; i++) {
        json_t *l = json_array_get(leaves, i);
        const struct lr_parquet_node *n = m->leaves[i];
        if (strcmp(n->path, jstr(l, "path")) != 0 ||
            n->max_def != jnum(l, "max_definition_level") ||
            n->max_rep != jnum(l, "max_repetition_level") ||
            strcmp(lr_parquet_type_name(n->type), jstr(l, "physical_type")) != 0)
            FAILF("%s: leaf %zu is %s def %d rep %d %s; manifest %s", file, i, n->path,
                  n->max_def, n->max_rep, lr_parquet_type_name(n->type), jstr(l, "path"));
    }
    json_t *kvs = json_object_get(mf, "key_value_metadata");
    if (json_is_array(kvs) && json_array_size(kvs) > 0 && m->num_kv == 0)
        FAILF("%s: key/value metadata missing", file);
    json_t *ccs = json_object_get(mf, "column_chunks");
    for (size_t i = 0; i < json_array_size(ccs); i++) {
        json_t *c = json_array_get(ccs, i);
        long long g = jnum(c, "row_group_id"), col = jnum(c, "column_id");
        if (g < 0 || (size_t)g >= m->num_row_groups || col < 0 ||
            (size_t)col >= m->num_leaves) {
            FAILF("%s: manifest chunk %zu out of range", file, i);
            continue;
        }
        const struct lr_parquet_column_chunk *cc = &m->row_groups[g].columns[col];
        const struct lr_parquet_node *leaf = m->leaves[col];
        char path[512];
        snprintf(path, sizeof path, "rg %lld %s", g, leaf->path);
        if (cc->num_values != jnum(c, "num_values") ||
            cc->total_compressed_size != jnum(c, "total_compressed_size") ||
            cc->total_uncompressed_size != jnum(c, "total_uncompressed_size") ||
            cc->data_page_offset != jnum(c, "data_page_offset") ||
            strcmp(lr_parquet_codec_name(cc->codec), jstr(c, "compression")) != 0)
            FAILF("%s %s: chunk metadata differs", file, path);
        const char *nc = jstr(c, "stats_null_count");
        if (nc && (!cc->stats.has_null_count || cc->stats.null_count != strtoll(nc, NULL, 10)))
            FAILF("%s %s: null_count differs", file, path);
        const struct lr_parquet_stats *s = &cc->stats;
        compare_stat(file, path, "min_value", leaf, s->has_min_value, s->min_value,
                     jstr(c, "stats_min_value"));
        compare_stat(file, path, "max_value", leaf, s->has_max_value, s->max_value,
                     jstr(c, "stats_max_value"));
        compare_stat(file, path, "min", leaf, s->has_min, s->min, jstr(c, "stats_min"));
        compare_stat(file, path, "max", leaf, s->has_max, s->max, jstr(c, "stats_max"));
    }
}

static void test_parquet_corpus_matches_manifest(void **state)
{
    (void)state;
    char *dir = lr_path_join(lr_test_corpus(), "parquet");
    char *mpath = lr_path_join(dir, "MANIFEST.json");
    json_error_t je;
    json_t *manifest = json_load_file(mpath, 0, &je);
    if (!manifest)
        fail_msg("cannot read %s: %s", mpath, je.text);
    struct lr_store *store = NULL;
    struct lr_error err;
    lr_error_clear(&err);
    assert_int_equal(lr_store_open(&store, dir, NULL, &err), 0);
    json_t *files = json_object_get(manifest, "files");
    assert_true(json_array_size(files) >= 21);
    size_t idx;
    json_t *mf;
    json_array_foreach(files, idx, mf) {
        const char *name = jstr(mf, "file");
        struct lr_parquet_file *f = NULL;
        if (lr_parquet_open(&f, store, name, &err) < 0) {
            FAILF("%s: open: %s", name, err.message);
            continue;
        }
        check_footer(name, lr_parquet_metadata(f), mf);
        json_t *want = json_object_get(mf, "rows");
        json_t *rows = pqt_read_rows(f, NULL, 0, &err);
        if (!rows)
            FAILF("%s: rows: %s", name, err.message);
        else
            compare_rows(name, "json_t", rows, want);
        json_decref(rows);
        rows = pqt_read_text_rows(f, &err);
        if (!rows)
            FAILF("%s: text rows: %s", name, err.message);
        else
            compare_rows(name, "text", rows, want);
        json_decref(rows);
        lr_parquet_close(f);
    }
    lr_store_close(store);
    json_decref(manifest);
    free(mpath);
    free(dir);
    assert_int_equal(failures, 0);
}

/* Same files from memory: identical rows to the store path. */
static void test_parquet_buffer_open_matches_store_open(void **state)
{
    (void)state;
    char *dir = lr_path_join(lr_test_corpus(), "parquet");
    const char *names[] = {"duckdb_nested_edge_cases_snappy.parquet",
                           "arrowrs_flat_v2_zstd.parquet", "duckdb_checkpoint_gzip.parquet"};
    struct lr_store *store = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, dir, NULL, &err), 0);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *p = lr_path_join(dir, names[i]);
        size_t len;
        char *data = lr_test_read_file(p, &len);
        assert_non_null(data);
        struct lr_parquet_file *a = NULL, *b = NULL;
        assert_int_equal(lr_parquet_open_buffer(&a, (const uint8_t *)data, len, names[i], &err),
                         0);
        assert_int_equal(lr_parquet_open(&b, store, names[i], &err), 0);
        json_t *ra = pqt_read_rows(a, NULL, 0, &err);
        json_t *rb = pqt_read_rows(b, NULL, 0, &err);
        assert_non_null(ra);
        assert_non_null(rb);
        assert_true(json_equal(ra, rb));
        json_decref(ra);
        json_decref(rb);
        lr_parquet_close(a);
        lr_parquet_close(b);
        free(data);
        free(p);
    }
    lr_store_close(store);
    free(dir);
}

/* Projection reads only the projected chunks: bytes read stay within footer + chunks. */
static void test_parquet_projection_reads_only_projected_chunks(void **state)
{
    (void)state;
    char *dir = lr_path_join(lr_test_corpus(), "parquet");
    struct lr_store *store = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, dir, NULL, &err), 0);
    struct lr_parquet_file *f = NULL;
    assert_int_equal(lr_parquet_open(&f, store, "duckdb_checkpoint_uncompressed.parquet", &err),
                     0);
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    struct lr_store_stats before, after;
    lr_store_stats_get(store, &before);
    const char *cols[] = {"add.path", "add.partitionValues"};
    json_t *rows = pqt_read_rows(f, cols, 2, &err);
    assert_non_null(rows);
    lr_store_stats_get(store, &after);
    uint64_t expect = 0;
    size_t nproj = 0;
    for (size_t i = 0; i < m->num_leaves; i++) {
        const char *p = m->leaves[i]->path;
        if (!strcmp(p, "add.path") || lr_str_starts_with(p, "add.partitionValues.")) {
            expect += (uint64_t)m->row_groups[0].columns[i].total_compressed_size;
            nproj++;
        }
    }
    assert_int_equal(nproj, 3); /* path, key, value */
    assert_int_equal(after.bytes_read - before.bytes_read, expect);
    assert_int_equal(after.gets - before.gets, 3);
    /* rows keep the nesting and only the projected fields */
    json_t *r = json_array_get(rows, 3);
    json_t *add = json_object_get(r, "add");
    assert_non_null(add);
    assert_int_equal(json_object_size(r), 1);
    assert_int_equal(json_object_size(add), 2);
    assert_string_equal(json_string_value(json_object_get(add, "path")),
                        "region=eu/date=2024-01-01/part-00000-aaaa.c000.snappy.parquet");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(add, "partitionValues"), "region")),
        "eu");
    assert_true(json_is_null(json_object_get(json_array_get(rows, 0), "add")));
    json_decref(rows);
    /* unknown paths are named */
    struct lr_parquet_rows *cur = NULL;
    const char *bad[] = {"add.nosuch"};
    assert_int_equal(lr_parquet_rows_open(&cur, f, bad, 1, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "add.nosuch"));
    lr_parquet_close(f);
    lr_store_close(store);
    free(dir);
}

/* The columnar batch API gives the same values as the row API, row group by row group. */
static void test_parquet_batches_match_rows(void **state)
{
    (void)state;
    char *dir = lr_path_join(lr_test_corpus(), "parquet");
    struct lr_store *store = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, dir, NULL, &err), 0);
    struct lr_parquet_file *f = NULL;
    assert_int_equal(lr_parquet_open(&f, store, "duckdb_multi_rowgroup_zstd.parquet", &err), 0);
    const char *cols[] = {"val", "grp"};
    json_t *rows = pqt_read_rows(f, cols, 2, &err);
    assert_non_null(rows);
    long long want_sum = 0, want_nulls = 0, want_grp_bytes = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *v = json_object_get(row, "val");
        if (json_is_null(v))
            want_nulls++;
        else
            want_sum += json_integer_value(v);
        want_grp_bytes += (long long)json_string_length(json_object_get(row, "grp"));
    }
    long long sum = 0, nulls = 0, grp_bytes = 0, nrows = 0;
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    assert_int_equal(m->num_row_groups, 3);
    for (size_t g = 0; g < m->num_row_groups; g++) {
        struct lr_parquet_batch *b = NULL;
        assert_int_equal(lr_parquet_batch_read(&b, f, g, cols, 2, &err), 0);
        assert_int_equal(lr_parquet_batch_num_columns(b), 2);
        struct lr_parquet_column grp, val;
        lr_parquet_batch_column(b, 0, &grp); /* schema order: id, grp, val */
        lr_parquet_batch_column(b, 1, &val);
        assert_string_equal(grp.leaf->path, "grp");
        assert_string_equal(val.leaf->path, "val");
        assert_int_equal(val.width, 8);
        nrows += lr_parquet_batch_num_rows(b);
        for (size_t k = 0; k < val.num_values; k++) {
            int64_t x;
            memcpy(&x, val.fixed + 8 * k, 8);
            sum += x;
        }
        nulls += (long long)(val.num_entries - val.num_values);
        for (size_t k = 0; k < grp.num_values; k++)
            grp_bytes += grp.byte_arrays[k].len;
        lr_parquet_batch_free(b);
    }
    assert_int_equal(nrows, 4500);
    assert_int_equal(sum, want_sum);
    assert_int_equal(nulls, want_nulls);
    assert_int_equal(grp_bytes, want_grp_bytes);
    struct lr_parquet_batch *b = NULL;
    assert_int_equal(lr_parquet_batch_read(&b, f, 3, cols, 2, &err), LR_ERANGE);
    json_decref(rows);
    lr_parquet_close(f);
    lr_store_close(store);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parquet_corpus_matches_manifest),
        cmocka_unit_test(test_parquet_buffer_open_matches_store_open),
        cmocka_unit_test(test_parquet_projection_reads_only_projected_chunks),
        cmocka_unit_test(test_parquet_batches_match_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
