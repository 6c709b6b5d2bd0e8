/* gen_checkpoint_like.c - benchmark input: a Delta-checkpoint-shaped Parquet file written by
 * our writer (JSON rows, as the checkpoint writer feeds it), SNAPPY, with a protocol row, a
 * metaData row and N `add` rows (paths of about 100 bytes, a two-entry partitionValues map,
 * stats JSON of about 300 bytes).
 *
 *   gen_checkpoint_like OUT.parquet [N]      (N defaults to 1,000,000)
 *
 * Prints one line: rows, bytes, row groups and the seconds spent appending and finishing. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lakerewind/parquet_write.h"
#include "pqw_checkpoint.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x853c49e6748fea9bull;

static uint32_t next(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng >> 33);
}

static json_t *fixed_row(const char *text)
{
    json_error_t je;
    return json_loads(text, 0, &je);
}

static json_t *add_row(int64_t k)
{
    int day = (int)(k % 28) + 1;
    const char *region = k % 3 == 0 ? "us-east" : k % 3 == 1 ? "eu-west" : "ap-south";
    char date[16];
    snprintf(date, sizeof date, "2024-01-%02d", day);
    char path[160];
    snprintf(path, sizeof path,
             "date=%s/region=%s/part-%05" PRId64
             "-%08x-%04x-%04x-%04x-%08x%04x.c000.snappy.parquet",
             date, region, k % 100000, next(), next() & 0xffff, next() & 0xffff,
             next() & 0xffff, next(), next() & 0xffff);
    int64_t records = 1000 + (int64_t)(next() % 900000);
    char stats[512];
    snprintf(stats, sizeof stats,
             "{\"numRecords\":%" PRId64 ",\"minValues\":{\"id\":%" PRId64 ",\"customer\":"
             "\"customer-%06u\",\"amount\":%u.%02u,\"event_time\":\"%sT00:00:00.000Z\"},"
             "\"maxValues\":{\"id\":%" PRId64 ",\"customer\":\"customer-%06u\","
             "\"amount\":%u.%02u,\"event_time\":\"%sT23:59:59.999Z\"},"
             "\"nullCount\":{\"id\":0,\"customer\":%u,\"amount\":%u,\"event_time\":0},"
             "\"tightBounds\":true}",
             records, k * 1000000, next() % 1000000, next() % 1000, next() % 100, date,
             k * 1000000 + records, next() % 1000000, 1000 + next() % 9000, next() % 100, date,
             next() % 50, next() % 50);
    json_t *pv = json_pack("{s:s, s:s}", "date", date, "region", region);
    json_t *add = json_pack("{s:s, s:o, s:I, s:I, s:b, s:s}", "path", path, "partitionValues", pv,
                            "size", (json_int_t)(1000000 + next() % 100000000),
                            "modificationTime", (json_int_t)(1700000000000LL + k), "dataChange",
                            1, "stats", stats);
    return json_pack("{s:o}", "add", add);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_checkpoint_like OUT.parquet [N]\n");
        return 2;
    }
    int64_t n = 1000000;
    if (argc == 3) {
        char *end;
        errno = 0;
        n = strtoll(argv[2], &end, 10);
        if (errno || *end || n < 0) {
            fprintf(stderr, "gen_checkpoint_like: N must be a non-negative integer\n");
            return 2;
        }
    }
    struct lr_error err;
    struct lr_parquet_writer *w = NULL;
    struct lr_buf out = LR_BUF_INIT;
    int rc = lr_parquet_writer_new(&w, NULL, &err);
    if (rc == 0)
        rc = pqw_checkpoint_schema(w, &err);
    double t0 = now();
    json_t *protocol = fixed_row("{\"protocol\": {\"minReaderVersion\": 1,"
                                 " \"minWriterVersion\": 2}}");
    json_t *meta = fixed_row(
        "{\"metaData\": {\"id\": \"0b5b3c1e-2f4d-4c39-9a51-7f1f0a8e2d11\","
        " \"format\": {\"provider\": \"parquet\", \"options\": {}},"
        " \"schemaString\": \"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
        " \"partitionColumns\": [\"date\", \"region\"], \"configuration\": {},"
        " \"createdTime\": 1700000000000}}");
    if (rc == 0)
        rc = lr_parquet_writer_append_json(w, protocol, &err);
    if (rc == 0)
        rc = lr_parquet_writer_append_json(w, meta, &err);
    json_decref(protocol);
    json_decref(meta);
    for (int64_t k = 0; k < n && rc == 0; k++) {
        json_t *row = add_row(k);
        rc = row ? lr_parquet_writer_append_json(w, row, &err)
                 : lr_error_set(&err, LR_ENOMEM, "building row %" PRId64, k);
        json_decref(row);
    }
    if (rc == 0)
        rc = lr_parquet_writer_finish(w, &out, &err);
    double t1 = now();
    lr_parquet_writer_free(w);
    if (rc < 0) {
        fprintf(stderr, "gen_checkpoint_like: %s\n", err.message);
        lr_buf_free(&out);
        return 1;
    }
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(out.data, 1, out.len, f) != out.len || fclose(f) != 0) {
        fprintf(stderr, "gen_checkpoint_like: cannot write %s: %s\n", argv[1], strerror(errno));
        lr_buf_free(&out);
        return 1;
    }
    printf("gen_checkpoint_like: %" PRId64 " add rows, %zu bytes, written in %.2f s\n", n,
           out.len, t1 - t0);
    lr_buf_free(&out);
    return 0;
}
