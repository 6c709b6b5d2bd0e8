/* bench_delta.c - the Delta engine benchmark of issue 4 (not a test; run by bench_delta.sh).
 *
 *   bench_delta gen-big DIR FILES COMMITS   a table: Parquet checkpoint of FILES live adds at
 *                                           version 0 (+ _last_checkpoint), then COMMITS JSON
 *                                           commits each adding 10 files and removing 10
 *   bench_delta gen-many DIR COMMITS        a table of COMMITS one-file commits, no checkpoint
 *   bench_delta measure DIR MID             snapshot of the latest version, time travel to MID,
 *                                           restore plan latest -> MID: wall time, peak RSS and
 *                                           store requests of each phase, one line each; then
 *                                           the plan's commit text (outside the sum: the
 *                                           stats a real restore copies are decoded there)
 *   bench_delta checkpoint DIR              write the latest version's checkpoint (changes the
 *                                           table: run it on a copy), then snapshot from it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "lakerewind/alloc.h"
#include "lakerewind/delta.h"
#include "lakerewind/parquet_write.h"
#include "lakerewind/str.h"
#include "pqw_checkpoint.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static int die(const struct lr_error *err)
{
    fprintf(stderr, "bench_delta: %s\n", err->message);
    return 1;
}

static char *file_path(long i)
{
    return lr_asprintf("region=R%02ld/part-%06ld-3f1c9a2e-7b4d-4e0a-9c51-%012ld"
                       ".c000.snappy.parquet",
                       i % 20, i, i * 7919);
}

static char *stats(long i)
{
    return lr_asprintf("{\"numRecords\":%ld,\"minValues\":{\"id\":%ld,\"name\":\"aaaaaaaaaa\","
                       "\"ts\":\"2024-01-01T00:00:00.000Z\",\"amount\":1.5},\"maxValues\":{\"id\":"
                       "%ld,\"name\":\"zzzzzzzzzz\",\"ts\":\"2024-12-31T23:59:59.999Z\","
                       "\"amount\":"
                       "99999.5},\"nullCount\":{\"id\":0,\"name\":3,\"ts\":0,\"amount\":1}}",
                       100 + i % 50, i * 1000, i * 1000 + 999);
}

static const char *PROTOCOL = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}";
static const char *METADATA =
    "{\"metaData\":{\"id\":\"bench\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
    "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\",\"partitionColumns\":"
    "[\"region\"],\"configuration\":{},\"createdTime\":1700000000000}}";

static char *add_line(long i, const char *dc)
{
    char *p = file_path(i);
    char *st = stats(i);
    json_t *a = json_pack("{s:{s:s,s:{s:s#},s:I,s:I,s:b,s:s}}", "add", "path", p,
                          "partitionValues", "region", p + 7, (size_t)3, "size",
                          (json_int_t)(100000 + i), "modificationTime",
                          (json_int_t)1700000000000, "dataChange", strcmp(dc, "true") == 0,
                          "stats", st);
    char *text = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(a);
    free(p);
    free(st);
    return text;
}

static int put(struct lr_store *s, const char *key, const void *data, size_t len)
{
    struct lr_error err;
    if (lr_store_put(s, key, data, len, &err) < 0)
        return die(&err);
    return 0;
}

static int gen_big(const char *dir, long files, long commits)
{
    struct lr_error err;
    struct lr_store *s = NULL;
    mkdir(dir, 0755);
    if (lr_store_open(&s, dir, NULL, &err) < 0)
        return die(&err);
    struct lr_parquet_writer *w = NULL;
    if (lr_parquet_writer_new(&w, NULL, &err) < 0 || pqw_checkpoint_schema(w, &err) < 0)
        return die(&err);
    json_t *row = json_loads(PROTOCOL, 0, NULL);
    lr_parquet_writer_append_json(w, row, &err);
    json_decref(row);
    row = json_loads(METADATA, 0, NULL);
    lr_parquet_writer_append_json(w, row, &err);
    json_decref(row);
    for (long i = 0; i < files; i++) {
        char *t = add_line(i, "false");
        row = json_loads(t, 0, NULL);
        free(t);
        if (lr_parquet_writer_append_json(w, row, &err) < 0)
            return die(&err);
        json_decref(row);
    }
    struct lr_buf b = LR_BUF_INIT;
    if (lr_parquet_writer_finish(w, &b, &err) < 0)
        return die(&err);
    lr_parquet_writer_free(w);
    if (put(s, "_delta_log/00000000000000000000.checkpoint.parquet", b.data, b.len))
        return 1;
    fprintf(stderr, "checkpoint: %ld adds, %zu bytes\n", files, b.len);
    lr_buf_free(&b);
    char *lc = lr_asprintf("{\"version\":0,\"size\":%ld}", files + 2);
    put(s, "_delta_log/_last_checkpoint", lc, strlen(lc));
    free(lc);
    for (long v = 1; v <= commits; v++) {
        lr_buf_init(&b, 0);
        lr_buf_printf(&b, NULL, "{\"commitInfo\":{\"timestamp\":%ld,\"operation\":\"WRITE\"}}\n",
                      1700000000000L + v * 1000);
        for (long k = 0; k < 10; k++) {
            /* spread over the checkpoint (7919 is prime, so coprime with the file count
             * unless it divides it): the files a restore re-adds sit in many pages, as they
             * would in a real table, not in the first few */
            long victim = ((v - 1) * 10 + k) * 7919 % files;
            char *p = file_path(victim);
            lr_buf_printf(&b, NULL, "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":%ld,"
                          "\"dataChange\":true}}\n", p, 1700000000000L + v * 1000);
            free(p);
            char *t = add_line(files + victim, "true");
            lr_buf_printf(&b, NULL, "%s\n", t);
            free(t);
        }
        char key[128];
        snprintf(key, sizeof key, "_delta_log/%020ld.json", v);
        if (put(s, key, b.data, b.len))
            return 1;
        lr_buf_free(&b);
    }
    lr_store_close(s);
    return 0;
}

/* Plain files without fsync: 50,000 durable puts would time the disk, not the engine. */
static int gen_many(const char *dir, long commits)
{
    mkdir(dir, 0755);
    char *log = lr_asprintf("%s/_delta_log", dir);
    mkdir(log, 0755);
    for (long v = 0; v < commits; v++) {
        struct lr_buf b = LR_BUF_INIT;
        lr_buf_printf(&b, NULL, "{\"commitInfo\":{\"timestamp\":%ld,\"operation\":\"WRITE\"}}\n",
                      1700000000000L + v);
        if (v == 0)
            lr_buf_printf(&b, NULL, "%s\n%s\n", PROTOCOL, METADATA);
        char *t = add_line(v, "true");
        lr_buf_printf(&b, NULL, "%s\n", t);
        free(t);
        char *path = lr_asprintf("%s/%020ld.json", log, v);
        FILE *f = path ? fopen(path, "w") : NULL;
        if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
            fprintf(stderr, "bench_delta: cannot write %s\n", path ? path : "a commit");
            return 1;
        }
        free(path);
        lr_buf_free(&b);
    }
    free(log);
    return 0;
}

static void phase(const char *name, double t0, const struct lr_store_stats *a,
                  const struct lr_store_stats *b, const char *extra)
{
    printf("%-22s %8.3f s  peak RSS %6ld MB  requests %6llu (lists %llu, gets %llu)  %s\n", name,
           now_s() - t0, rss_mb(), (unsigned long long)(b->requests - a->requests),
           (unsigned long long)(b->lists - a->lists), (unsigned long long)(b->gets - a->gets),
           extra);
}

static int measure(const char *dir, long mid)
{
    struct lr_error err;
    struct lr_store *s = NULL;
    struct lr_delta_table *t = NULL;
    if (lr_store_open(&s, dir, NULL, &err) < 0 || lr_delta_table_open(&t, s, "", &err) < 0)
        return die(&err);
    struct lr_store_stats a, b;
    struct lr_delta_snapshot cur, old;
    char extra[128];
    lr_store_stats_get(s, &a);
    double t0 = now_s();
    double start = t0;
    double cpu0 = cpu_s();
    if (lr_delta_snapshot_open(&cur, t, -1, &err) < 0)
        return die(&err);
    lr_store_stats_get(s, &b);
    unsigned long long snap_requests = (unsigned long long)(b.requests - a.requests);
    snprintf(extra, sizeof extra, "version %lld, %zu files", (long long)cur.version,
             cur.num_files);
    phase("snapshot latest", t0, &a, &b, extra);
    a = b;
    t0 = now_s();
    if (lr_delta_snapshot_open(&old, t, mid, &err) < 0)
        return die(&err);
    lr_store_stats_get(s, &b);
    snprintf(extra, sizeof extra, "version %lld, %zu files", (long long)old.version,
             old.num_files);
    phase("time travel (version)", t0, &a, &b, extra);
    a = b;
    t0 = now_s();
    struct lr_delta_restore_plan plan;
    if (lr_delta_restore_plan_build(&plan, &cur, &old, NULL, NULL, NULL, &err) < 0)
        return die(&err);
    lr_store_stats_get(s, &b);
    snprintf(extra, sizeof extra, "%lld to add, %lld to remove",
             (long long)plan.num_restored_files, (long long)plan.num_removed_files);
    phase("restore plan (pure)", t0, &a, &b, extra);
    printf("snapshot+plan          %8.3f s  (snapshot latest + time travel + restore plan; "
           "%.3f s CPU)\n", now_s() - start, cpu_s() - cpu0);
    /* the request budget for the latest snapshot: one listing page per 1,000 log
     * entries + _last_checkpoint + checkpoint parts + commits after the checkpoint */
    struct lr_delta_segment seg;
    struct lr_delta_listing l;
    if (lr_delta_find_segment(t, -1, &seg, &l, &err) < 0)
        return die(&err);
    printf("requests budget        %llu  (snapshot latest used %llu)\n",
           (unsigned long long)((l.count + 999) / 1000 + 1 + seg.checkpoint_count +
                                seg.commit_count),
           (unsigned long long)snap_requests);
    lr_delta_segment_free(&seg);
    lr_delta_listing_free(&l);
    /* what a real restore adds before its put: the commit text, with the stats the plan left
     * in the checkpoint decoded now (a dry run never pays this) */
    lr_store_stats_get(s, &a);
    t0 = now_s();
    struct lr_delta_commit_options co = {.operator_name = "bench",
                                         .run_id = "00000000-0000-4000-8000-00000000be4c"};
    char *text = NULL;
    size_t len = 0;
    if (lr_delta_restore_commit_text(&text, &len, &plan, &co, &err) < 0)
        return die(&err);
    lr_store_stats_get(s, &b);
    snprintf(extra, sizeof extra, "%zu bytes, the plan's stats filled in", len);
    phase("commit text", t0, &a, &b, extra);
    free(text);
    lr_delta_restore_plan_free(&plan);
    lr_delta_snapshot_free(&old);
    lr_delta_snapshot_free(&cur);
    lr_delta_table_close(t);
    lr_store_close(s);
    return 0;
}

/* Write the checkpoint of the latest version (as a restore commit landing on the checkpoint
 * interval does), then read it back: on a copy of the table, since it changes the log. */
static int checkpoint(const char *dir)
{
    struct lr_error err;
    struct lr_store *s = NULL;
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap, back;
    if (lr_store_open(&s, dir, NULL, &err) < 0 || lr_delta_table_open(&t, s, "", &err) < 0 ||
        lr_delta_snapshot_open(&snap, t, -1, &err) < 0)
        return die(&err);
    struct lr_store_stats a, b;
    lr_store_stats_get(s, &a);
    double t0 = now_s();
    if (lr_delta_checkpoint_write(t, &snap, &err) < 0)
        return die(&err);
    lr_store_stats_get(s, &b);
    char extra[128];
    snprintf(extra, sizeof extra, "version %lld, %zu files", (long long)snap.version,
             snap.num_files);
    phase("checkpoint write", t0, &a, &b, extra);
    lr_delta_table_close(t); /* a fresh handle: no cached checkpoint */
    if (lr_delta_table_open(&t, s, "", &err) < 0)
        return die(&err);
    a = b;
    t0 = now_s();
    if (lr_delta_snapshot_open(&back, t, -1, &err) < 0)
        return die(&err);
    lr_store_stats_get(s, &b);
    snprintf(extra, sizeof extra, "%zu files%s", back.num_files,
             back.num_files == snap.num_files ? "" : " (DIFFERENT)");
    phase("snapshot from it", t0, &a, &b, extra);
    lr_delta_snapshot_free(&back);
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    lr_store_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    lr_alloc_prefer_reuse(); /* as the lakerewind program does */
    if (argc == 5 && strcmp(argv[1], "gen-big") == 0)
        return gen_big(argv[2], atol(argv[3]), atol(argv[4]));
    if (argc == 4 && strcmp(argv[1], "gen-many") == 0)
        return gen_many(argv[2], atol(argv[3]));
    if (argc == 4 && strcmp(argv[1], "measure") == 0)
        return measure(argv[2], atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "checkpoint") == 0)
        return checkpoint(argv[2]);
    fprintf(stderr, "usage: bench_delta gen-big DIR FILES COMMITS | gen-many DIR COMMITS | "
                    "measure DIR MID | checkpoint DIR\n");
    return 2;
}
