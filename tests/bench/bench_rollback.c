/* bench_rollback.c - the lakehouse generator of the rollback benchmark (issue 6, "Performance";
 * tests/bench/bench_rollback.sh runs it and times the real CLI). Not a test.
 *
 *   bench_rollback gen URI TABLES FILES FROM TO [THREADS [CHURN]]
 *
 * writes versions FROM..TO of TABLES Delta tables Tables/bench_NN under the lakehouse URI, each
 * with FILES live data files at every version: version 0 adds FILES files; every later version
 * removes the CHURN (20) oldest live files and adds CHURN new ones (a sync rewriting a few files);
 * a classic Parquet checkpoint every 10 versions, as Spark writes them. Files are named by their
 * global add order (part-NNNNNN.parquet), so the live set of any version is a pure function of
 * the version and a run can continue where another stopped (the benchmark takes its named
 * checkpoint between two runs). Every data file holds the same two rows, written once by our
 * Parquet writer; its statistics (numRecords, min/max, nullCount) are in the log as Spark
 * writes them, which is all the rollback reads. Tables are spread over THREADS threads (8). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/alloc.h"
#include "lakerewind/delta.h"
#include "lakerewind/event.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"

#define CHURN (j->churn)

static const struct lr_column_def cols[] = {
    {"id", LR_COL_STRING, true, NULL},
    {"amount", LR_COL_LONG, true, NULL},
};
static const struct lr_table_def def = {"bench", "row", cols, 2};

struct job {
    struct lr_store *store;
    const struct lr_buf *parquet;
    int tables;
    long files;
    long from;
    long to;
    long churn;
    pthread_mutex_t lock;
    int next;
    int failed;
    char error[2200];
};

static void file_name(char *out, size_t cap, long k)
{
    snprintf(out, cap, "part-%06ld.parquet", k);
}

static void add_action(struct lr_buf *b, long k, size_t size, int64_t now)
{
    char name[64];
    file_name(name, sizeof name, k);
    lr_buf_printf(b, NULL,
                  "{\"add\":{\"path\":\"%s\",\"partitionValues\":{},\"size\":%zu,"
                  "\"modificationTime\":%lld,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\""
                  ":2,\\\"minValues\\\":{\\\"id\\\":\\\"a\\\",\\\"amount\\\":1},\\\"maxValues\\\":"
                  "{\\\"id\\\":\\\"b\\\",\\\"amount\\\":2},\\\"nullCount\\\":{\\\"id\\\":0,"
                  "\\\"amount\\\":0}}\"}}\n",
                  name, size, (long long)now);
}

static int put_file(struct job *j, const char *prefix, long k, struct lr_error *err)
{
    char key[256];
    char name[64];
    file_name(name, sizeof name, k);
    snprintf(key, sizeof key, "%s/%s", prefix, name);
    return lr_store_put(j->store, key, j->parquet->data, j->parquet->len, err);
}

/* One version of one table: its data files, then its commit, then a checkpoint every 10. */
static int write_version(struct job *j, struct lr_delta_table *t, const char *prefix, long v,
                         struct lr_error *err)
{
    int64_t now = lr_event_now_ms();
    struct lr_buf b = LR_BUF_INIT;
    long first_add = v == 0 ? 0 : j->files + CHURN * (v - 1);
    long adds = v == 0 ? j->files : CHURN;
    int rc = 0;
    for (long k = first_add; rc == 0 && k < first_add + adds; k++)
        rc = put_file(j, prefix, k, err);
    if (rc < 0)
        goto done;
    lr_buf_printf(&b, NULL, "{\"commitInfo\":{\"timestamp\":%lld,\"operation\":\"WRITE\","
                            "\"operationParameters\":{\"mode\":\"Append\"},\"engineInfo\":"
                            "\"bench_rollback\"}}\n",
                  (long long)now);
    if (v == 0) {
        char *schema = lr_table_def_schema_string(&def);
        json_t *s = json_string(schema ? schema : "");
        char *quoted = json_dumps(s, JSON_ENCODE_ANY);
        lr_buf_printf(&b, NULL, "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
                                "{\"metaData\":{\"id\":\"bench-%s\",\"format\":{\"provider\":"
                                "\"parquet\",\"options\":{}},\"schemaString\":%s,"
                                "\"partitionColumns\":[],\"configuration\":{},"
                                "\"createdTime\":%lld}}\n",
                      prefix + 7, quoted ? quoted : "\"\"", (long long)now);
        free(quoted);
        json_decref(s);
        free(schema);
    } else {
        for (long k = CHURN * (v - 1); k < CHURN * v; k++) {
            char name[64];
            file_name(name, sizeof name, k);
            lr_buf_printf(&b, NULL, "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":%lld,"
                                    "\"dataChange\":true,\"extendedFileMetadata\":true,"
                                    "\"partitionValues\":{},\"size\":%zu}}\n",
                          name, (long long)now, j->parquet->len);
        }
    }
    for (long k = first_add; k < first_add + adds; k++)
        add_action(&b, k, j->parquet->len, now);
    rc = lr_delta_commit_put(t, v, (const char *)b.data, b.len, err);
    if (rc == 0 && v > 0 && v % 10 == 0) {
        struct lr_delta_snapshot snap;
        rc = lr_delta_snapshot_open(&snap, t, v, err);
        if (rc == 0) {
            rc = lr_delta_checkpoint_write(t, &snap, err);
            lr_delta_snapshot_free(&snap);
        }
    }
done:
    lr_buf_free(&b);
    return rc;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        int i = j->failed ? j->tables : j->next++;
        pthread_mutex_unlock(&j->lock);
        if (i >= j->tables)
            return NULL;
        char prefix[64];
        snprintf(prefix, sizeof prefix, "Tables/bench_%02d", i);
        struct lr_delta_table *t = NULL;
        struct lr_error err;
        int rc = lr_delta_table_open(&t, j->store, prefix, &err);
        for (long v = j->from; rc == 0 && v <= j->to; v++)
            rc = write_version(j, t, prefix, v, &err);
        lr_delta_table_close(t);
        if (rc < 0) {
            pthread_mutex_lock(&j->lock);
            if (!j->failed)
                snprintf(j->error, sizeof j->error, "%s: %s", prefix, err.message);
            j->failed = 1;
            pthread_mutex_unlock(&j->lock);
        }
    }
}

/* The two-row data file every table shares, written by our writer into a scratch table. */
static int template_file(struct lr_buf *out, struct lr_error *err)
{
    char dir[] = "/tmp/lr-bench-tpl-XXXXXX";
    if (!mkdtemp(dir))
        return lr_error_set(err, LR_EIO, "mkdtemp failed");
    struct lr_store *s = NULL;
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    bool has_snap = false;
    json_t *rows = json_pack("[{s:s,s:I},{s:s,s:I}]", "id", "a", "amount", (json_int_t)1, "id",
                             "b", "amount", (json_int_t)2);
    int rc = lr_store_open(&s, dir, NULL, err);
    if (rc == 0)
        rc = lr_table_append_rows(s, "t", &def, rows, NULL, NULL, err);
    if (rc == 0)
        rc = lr_delta_table_open(&t, s, "t", err);
    if (rc == 0) {
        rc = lr_delta_snapshot_open(&snap, t, -1, err);
        has_snap = rc == 0;
    }
    if (rc == 0) {
        char key[256];
        snprintf(key, sizeof key, "t/%s", snap.files[0]->path);
        rc = lr_store_get(s, key, out, err);
        lr_store_delete(s, key, NULL);
    }
    if (has_snap)
        lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    lr_store_close(s);
    json_decref(rows);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_rollback: could not remove %s\n", dir);
    return rc;
}

int main(int argc, char **argv)
{
    lr_alloc_prefer_reuse(); /* as the lakerewind program does */
    if (argc < 7 || strcmp(argv[1], "gen") != 0) {
        fprintf(stderr, "usage: %s gen URI TABLES FILES FROM TO [THREADS [CHURN]]\n", argv[0]);
        return 2;
    }
    struct job j = {0};
    int64_t n = 0;
    int64_t threads = 8;
    if (!lr_parse_int64(argv[3], &n) || n < 1 || n > 1000)
        return fprintf(stderr, "bench_rollback: TABLES 1..1000\n"), 2;
    j.tables = (int)n;
    j.churn = 20;
    if (argc > 8 && (!lr_parse_int64(argv[8], &n) || n < 1 || n > 100000))
        return fprintf(stderr, "bench_rollback: CHURN 1..100000\n"), 2;
    if (argc > 8)
        j.churn = (long)n;
    if (!lr_parse_int64(argv[4], &n) || n < j.churn)
        return fprintf(stderr, "bench_rollback: FILES >= CHURN (%ld)\n", j.churn), 2;
    j.files = (long)n;
    if (!lr_parse_int64(argv[5], &n) || n < 0)
        return fprintf(stderr, "bench_rollback: FROM >= 0\n"), 2;
    j.from = (long)n;
    if (!lr_parse_int64(argv[6], &n) || n < j.from)
        return fprintf(stderr, "bench_rollback: TO >= FROM\n"), 2;
    j.to = (long)n;
    if (argc > 7 && (!lr_parse_int64(argv[7], &threads) || threads < 1 || threads > 64))
        return fprintf(stderr, "bench_rollback: THREADS 1..64\n"), 2;
    struct lr_error err;
    struct lr_buf parquet = LR_BUF_INIT;
    if (template_file(&parquet, &err) < 0 || lr_store_open(&j.store, argv[2], NULL, &err) < 0) {
        fprintf(stderr, "bench_rollback: %s\n", err.message);
        return 1;
    }
    j.parquet = &parquet;
    pthread_mutex_init(&j.lock, NULL);
    pthread_t th[64];
    int started = 0;
    for (int i = 0; i < threads && i < j.tables; i++)
        if (pthread_create(&th[started], NULL, worker, &j) == 0)
            started++;
    if (started == 0)
        worker(&j);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    lr_store_close(j.store);
    lr_buf_free(&parquet);
    if (j.failed) {
        fprintf(stderr, "bench_rollback: %s\n", j.error);
        return 1;
    }
    return 0;
}
