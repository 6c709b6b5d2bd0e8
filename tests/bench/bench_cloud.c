/* bench_cloud.c - the cloud benchmark of issue 5 (not a test; run by bench_cloud.sh).
 *
 *   bench_cloud gen URI TABLES COMMITS       TABLES Delta tables t000.. of COMMITS small JSON
 *                                            commits each (no checkpoint) under URI
 *   bench_cloud measure URI TABLES PARALLEL  snapshot every table one at a time, then with
 *                                            PARALLEL threads sharing one store (one HTTP client,
 *                                            shared connections): wall time, requests per table,
 *                                            speed-up
 * Store options come from the environment (AZURE_* / AWS_*), as for a user. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lakerewind/alloc.h"
#include "lakerewind/delta.h"
#include "lakerewind/str.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, const struct lr_error *err)
{
    fprintf(stderr, "bench_cloud: %s: %s\n", what, err->message);
    return 1;
}

static int gen_table(struct lr_store *s, long t, long commits)
{
    struct lr_error err;
    long long ts = 1767225600000LL;
    {
        for (long v = 0; v < commits; v++) {
            char key[128];
            snprintf(key, sizeof key, "t%03ld/_delta_log/%020ld.json", t, v);
            char *body;
            if (v == 0)
                body = lr_asprintf(
                    "{\"commitInfo\":{\"timestamp\":%lld,\"operation\":\"CREATE TABLE\"}}\n"
                    "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
                    "{\"metaData\":{\"id\":\"00000000-0000-4000-8000-%012ld\",\"format\":"
                    "{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"{\\\"type\\\":"
                    "\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":"
                    "\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
                    "\"partitionColumns\":[],\"configuration\":{},\"createdTime\":%lld}}\n"
                    "{\"add\":{\"path\":\"part-%05ld.parquet\",\"partitionValues\":{},\"size\":"
                    "1000,\"modificationTime\":%lld,\"dataChange\":true}}\n",
                    ts, t, ts, v, ts);
            else
                body = lr_asprintf("{\"commitInfo\":{\"timestamp\":%lld,\"operation\":\"WRITE\"}}"
                                   "\n{\"add\":{\"path\":\"part-%05ld.parquet\",\"partitionValues\""
                                   ":{},\"size\":1000,\"modificationTime\":%lld,\"dataChange\":"
                                   "true}}\n",
                                   ts + v * 1000, v, ts + v * 1000);
            if (!body)
                return 1;
            int rc = lr_store_put(s, key, body, strlen(body), &err);
            free(body);
            if (rc < 0)
                return die(key, &err);
        }
    }
    return 0;
}

struct gen_work {
    struct lr_store *s;
    long tables, commits;
    _Atomic long next;
    _Atomic long failed;
};

static void *gen_worker(void *arg)
{
    struct gen_work *g = arg;
    for (;;) {
        long t = atomic_fetch_add(&g->next, 1);
        if (t >= g->tables)
            break;
        if (gen_table(g->s, t, g->commits) != 0)
            atomic_fetch_add(&g->failed, 1);
    }
    return NULL;
}

/* Upload with 8 threads: setup time is not what this benchmark measures. */
static int gen(struct lr_store *s, long tables, long commits)
{
    struct gen_work g = {s, tables, commits, 0, 0};
    pthread_t th[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&th[i], NULL, gen_worker, &g);
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    return atomic_load(&g.failed) ? 1 : 0;
}

struct work {
    struct lr_store *s;
    long tables;
    _Atomic long next;
    _Atomic long failed;
    int64_t versions_sum;
};

static int snapshot_one(struct lr_store *s, long t, int64_t *version)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "t%03ld", t);
    struct lr_delta_table *dt = NULL;
    struct lr_error err;
    if (lr_delta_table_open(&dt, s, prefix, &err) < 0)
        return die(prefix, &err);
    struct lr_delta_snapshot snap;
    int rc = lr_delta_snapshot_open(&snap, dt, -1, &err);
    if (rc < 0) {
        lr_delta_table_close(dt);
        return die(prefix, &err);
    }
    *version = snap.version;
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(dt);
    return 0;
}

static void *worker(void *arg)
{
    struct work *w = arg;
    for (;;) {
        long t = atomic_fetch_add(&w->next, 1);
        if (t >= w->tables)
            break;
        int64_t v;
        if (snapshot_one(w->s, t, &v) != 0)
            atomic_fetch_add(&w->failed, 1);
    }
    return NULL;
}

static int measure(struct lr_store *s, long tables, long parallel)
{
    struct lr_store_stats a, b, c;
    lr_store_stats_get(s, &a);
    double t0 = now_s();
    int64_t expect = -1;
    for (long t = 0; t < tables; t++) {
        int64_t v;
        if (snapshot_one(s, t, &v) != 0)
            return 1;
        if (expect < 0)
            expect = v;
        if (v != expect) {
            fprintf(stderr, "bench_cloud: table %ld is at version %lld, not %lld\n", t,
                    (long long)v, (long long)expect);
            return 1;
        }
    }
    double t1 = now_s();
    lr_store_stats_get(s, &b);
    struct work w = {s, tables, 0, 0, 0};
    pthread_t *th = calloc((size_t)parallel, sizeof *th);
    if (!th)
        return 1;
    for (long i = 0; i < parallel; i++)
        pthread_create(&th[i], NULL, worker, &w);
    for (long i = 0; i < parallel; i++)
        pthread_join(th[i], NULL);
    free(th);
    double t2 = now_s();
    lr_store_stats_get(s, &c);
    if (atomic_load(&w.failed))
        return 1;
    double seq = t1 - t0, par = t2 - t1;
    printf("   %ld tables at version %lld\n", tables, (long long)expect);
    printf("   one at a time : %.3f s, %.1f requests/table (%llu lists, %llu gets)\n", seq,
           (double)(b.requests - a.requests) / (double)tables,
           (unsigned long long)(b.lists - a.lists), (unsigned long long)(b.gets - a.gets));
    printf("   %ld in parallel: %.3f s, %.1f requests/table, %llu retries\n", parallel, par,
           (double)(c.requests - b.requests) / (double)tables,
           (unsigned long long)(c.retries - a.retries));
    printf("   speed-up      : %.2fx\n", par > 0 ? seq / par : 0.0);
    return 0;
}

int main(int argc, char **argv)
{
    lr_alloc_prefer_reuse(); /* as the lakerewind program does */
    if (argc != 5 || (strcmp(argv[1], "gen") != 0 && strcmp(argv[1], "measure") != 0)) {
        fprintf(stderr, "usage: bench_cloud gen|measure URI TABLES COMMITS|PARALLEL\n");
        return 2;
    }
    long tables = strtol(argv[3], NULL, 10), n = strtol(argv[4], NULL, 10);
    if (tables <= 0 || n <= 0)
        return 2;
    struct lr_store_options opts = {NULL, 0, true};
    struct lr_store *s = NULL;
    struct lr_error err;
    if (lr_store_open(&s, argv[2], &opts, &err) < 0)
        return die(argv[2], &err);
    int rc = strcmp(argv[1], "gen") == 0 ? gen(s, tables, n) : measure(s, tables, n);
    lr_store_close(s);
    return rc;
}
