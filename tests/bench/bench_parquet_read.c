/* bench_parquet_read.c - times reading the Delta columns a snapshot needs (add.path,
 * add.size, add.partitionValues, add.stats) from a checkpoint-shaped Parquet file through
 * the store and the row API, and reports wall time, rows, decoded bytes and peak RSS.
 *
 * usage: bench_parquet_read FILE [--columnar | --rows | --text] [--repeat N]
 *   --columnar  the columnar batch API (lr_parquet_batch_read), aggregating the figures
 *               straight from levels and values, as DuckDB's aggregate query does
 *   --rows      the json_t row API (lr_parquet_rows_next), what core/delta uses
 *   --text      the JSON text emitter (lr_parquet_rows_next_text), what inspect --json uses
 * Without a mode all three run, columnar first: "wall_s=" is the columnar time and
 * "rows_wall_s=" / "text_wall_s=" the others (each the best of --repeat runs), followed by
 * the CPU seconds of each mode.
 * The file comes from elsewhere (the writer's benchmark generator or DuckDB); compare with
 *   SET threads=1; SELECT count(*), sum(len("add".path)), sum("add".size),
 *   sum(len("add".stats)) FROM read_parquet('FILE');
 * on the same machine. Not a test: nothing here asserts a time. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "lakerewind/parquet.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct totals {
    long long rows, adds, size_sum, path_bytes, stats_bytes, pv_entries;
};

static int run_rows(struct lr_parquet_file *f, bool text, struct totals *t, struct lr_error *e)
{
    const char *cols[] = {"add.path", "add.size", "add.partitionValues", "add.stats"};
    struct lr_parquet_rows *r = NULL;
    int rc = lr_parquet_rows_open(&r, f, cols, 4, e);
    if (rc < 0)
        return rc;
    struct lr_buf b = LR_BUF_INIT;
    for (;;) {
        if (text) {
            lr_buf_reset(&b);
            rc = lr_parquet_rows_next_text(r, &b, e);
            if (rc <= 0)
                break;
            t->rows++;
            t->path_bytes += (long long)b.len;
            continue;
        }
        json_t *row = NULL;
        rc = lr_parquet_rows_next(r, &row, e);
        if (rc <= 0)
            break;
        t->rows++;
        json_t *add = json_object_get(row, "add");
        if (json_is_object(add)) {
            t->adds++;
            t->size_sum += json_integer_value(json_object_get(add, "size"));
            t->path_bytes += (long long)json_string_length(json_object_get(add, "path"));
            t->stats_bytes += (long long)json_string_length(json_object_get(add, "stats"));
            t->pv_entries += (long long)json_object_size(json_object_get(add,
                                                                          "partitionValues"));
        }
        json_decref(row);
    }
    lr_buf_free(&b);
    lr_parquet_rows_close(r);
    return rc;
}

static const struct lr_parquet_column *find(const struct lr_parquet_column *cols, size_t n,
                                            const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(cols[i].leaf->path, path))
            return &cols[i];
    return NULL;
}

static int run_columnar(struct lr_parquet_file *f, struct totals *t, struct lr_error *e)
{
    const char *want[] = {"add.path", "add.size", "add.partitionValues", "add.stats"};
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    for (size_t g = 0; g < m->num_row_groups; g++) {
        struct lr_parquet_batch *b = NULL;
        int rc = lr_parquet_batch_read(&b, f, g, want, 4, e);
        if (rc < 0)
            return rc;
        struct lr_parquet_column cols[8];
        size_t n = lr_parquet_batch_num_columns(b);
        for (size_t i = 0; i < n && i < 8; i++)
            lr_parquet_batch_column(b, i, &cols[i]);
        const struct lr_parquet_column *path = find(cols, n, "add.path");
        const struct lr_parquet_column *size = find(cols, n, "add.size");
        const struct lr_parquet_column *stats = find(cols, n, "add.stats");
        const struct lr_parquet_column *key = find(cols, n, "add.partitionValues.key_value.key");
        t->rows += lr_parquet_batch_num_rows(b);
        if (path) {
            /* an add row is one whose add struct is present: def >= 1 */
            for (size_t i = 0; i < path->num_entries; i++)
                t->adds += !path->def_levels || path->def_levels[i] >= 1;
            for (size_t i = 0; i < path->num_values; i++)
                t->path_bytes += path->byte_arrays[i].len;
        }
        if (size && size->width == 8) {
            for (size_t i = 0; i < size->num_values; i++) {
                int64_t v;
                memcpy(&v, size->fixed + 8 * i, 8);
                t->size_sum += v;
            }
        }
        if (stats)
            for (size_t i = 0; i < stats->num_values; i++)
                t->stats_bytes += stats->byte_arrays[i].len;
        if (key)
            t->pv_entries += (long long)key->num_values;
        lr_parquet_batch_free(b);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *file = NULL;
    int mode = -1; /* 0 columnar, 1 rows, 2 text, -1 all */
    int repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--columnar"))
            mode = 0;
        else if (!strcmp(argv[i], "--rows"))
            mode = 1;
        else if (!strcmp(argv[i], "--text"))
            mode = 2;
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = (int)strtol(argv[++i], NULL, 10);
        else
            file = argv[i];
    }
    if (!file || repeat < 1) {
        fprintf(stderr, "usage: bench_parquet_read FILE [--columnar | --rows | --text] [--repeat N]\n");
        return 2;
    }
    const char *slash = strrchr(file, '/');
    char *dir = slash ? lr_strndup(file, (size_t)(slash - file)) : lr_strdup(".");
    const char *key = slash ? slash + 1 : file;
    struct lr_error err;
    struct lr_store *store = NULL;
    if (lr_store_open(&store, *dir ? dir : "/", NULL, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    int modes[3], nmodes = 0;
    if (mode >= 0)
        modes[nmodes++] = mode;
    else
        for (int m = 0; m < 3; m++)
            modes[nmodes++] = m;
    static const char *const names[] = {"columnar", "json_t", "text"};
    double best[3] = {1e30, 1e30, 1e30}, best_cpu[3] = {1e30, 1e30, 1e30};
    struct totals t = {0};
    for (int mi = 0; mi < nmodes; mi++) {
        int m = modes[mi];
        for (int k = 0; k < repeat; k++) {
            memset(&t, 0, sizeof t);
            double t0 = now(), c0 = cpu_now();
            struct lr_parquet_file *f = NULL;
            int rc = lr_parquet_open(&f, store, key, &err);
            if (rc >= 0)
                rc = m == 0 ? run_columnar(f, &t, &err) : run_rows(f, m == 2, &t, &err);
            lr_parquet_close(f);
            double dt = now() - t0, dc = cpu_now() - c0;
            if (rc < 0) {
                fprintf(stderr, "%s\n", err.message);
                return 1;
            }
            if (dt < best[m])
                best[m] = dt;
            if (dc < best_cpu[m])
                best_cpu[m] = dc;
        }
        if (m != 2)
            printf("file=%s mode=%s rows=%lld adds=%lld size_sum=%lld path_bytes=%lld "
                   "stats_bytes=%lld pv_entries=%lld\n",
                   file, names[m], t.rows, t.adds, t.size_sum, t.path_bytes, t.stats_bytes,
                   t.pv_entries);
        else
            printf("file=%s mode=text rows=%lld json_bytes=%lld\n", file, t.rows,
                   t.path_bytes);
    }
    const char *label[] = {"wall_s", "rows_wall_s", "text_wall_s"};
    for (int mi = 0; mi < nmodes; mi++)
        printf("%s%s=%.3f", mi ? " " : "", mode >= 0 ? "wall_s" : label[modes[mi]],
               best[modes[mi]]);
    /* CPU time (user + system) is the steadier figure on a shared machine */
    for (int mi = 0; mi < nmodes; mi++)
        printf(" %s_cpu=%.3f", names[modes[mi]], best_cpu[modes[mi]]);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf(" peak_rss_mb=%.1f\n", (double)ru.ru_maxrss / 1024.0);
    lr_store_close(store);
    free(dir);
    return 0;
}
