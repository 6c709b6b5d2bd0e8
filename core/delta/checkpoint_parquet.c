/* checkpoint_parquet.c - Parquet checkpoint files and sidecars into replay actions.
 *
 * Owns: the projection (only the columns replay needs, chosen from the file's own schema since
 * writers differ: Spark has stats_parsed/partitionValues_parsed, kernel has a sidecar column,
 * V2 adds checkpointMetadata) and turning each row into actions. Typed stats are never decoded
 * except stats_parsed.numRecords, the row count of struct-stats-only checkpoints. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/parquet.h"
#include "lakerewind/str.h"

static const char *const TOP[] = {"add", "remove", "metaData", "protocol", "txn",
                                  "domainMetadata", "sidecar", "checkpointMetadata", NULL};

static int want_top(const char *name, bool is_sidecar)
{
    if (is_sidecar)
        return strcmp(name, "add") == 0 || strcmp(name, "remove") == 0;
    for (size_t i = 0; TOP[i]; i++)
        if (strcmp(TOP[i], name) == 0)
            return 1;
    return 0;
}

/* `skip_files`: add/remove are decoded by checkpoint_files.c, project the rest only. */
static int build_projection(const struct lr_parquet_meta *m, bool is_sidecar, bool skip_files,
                            struct lr_strvec *cols)
{
    for (size_t i = 0; i < m->root->num_children; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        if (!want_top(top->name, is_sidecar))
            continue;
        bool is_file = strcmp(top->name, "add") == 0 || strcmp(top->name, "remove") == 0;
        if (is_file && skip_files)
            continue;
        if (!is_file) {
            if (lr_strvec_push(cols, top->path) < 0)
                return LR_ENOMEM;
            continue;
        }
        for (size_t k = 0; k < top->num_children; k++) {
            const struct lr_parquet_node *c = top->children[k];
            if (strcmp(c->name, "partitionValues_parsed") == 0)
                continue;
            if (strcmp(c->name, "stats_parsed") == 0) {
                for (size_t j = 0; j < c->num_children; j++)
                    if (strcmp(c->children[j]->name, "numRecords") == 0 &&
                        lr_strvec_push(cols, c->children[j]->path) < 0)
                        return LR_ENOMEM;
                continue;
            }
            if (lr_strvec_push(cols, c->path) < 0)
                return LR_ENOMEM;
        }
    }
    return 0;
}

/* Checkpoints up to this size are fetched with one GET and decoded from memory (one request
 * instead of a footer read plus one range read per column chunk); larger ones are read with
 * range requests for the projected columns only. */
#define WHOLE_READ_MAX (32u << 20)

int delta_parquet_checkpoint_replay(struct lr_delta_table *t, const char *key, uint64_t size,
                                    struct delta_state *s, struct lr_strvec *sidecars,
                                    bool is_sidecar, struct lr_error *err)
{
    struct lr_parquet_file *f = NULL;
    struct lr_parquet_rows *rows = NULL;
    struct lr_strvec cols = {0};
    struct lr_buf whole;
    lr_buf_init(&whole, WHOLE_READ_MAX);
    int rc = LR_ELIMIT;
    if (size <= WHOLE_READ_MAX) {
        rc = lr_store_get(t->store, key, &whole, err);
        if (rc == 0)
            rc = lr_parquet_open_buffer(&f, whole.data, whole.len, key, err);
    }
    if (rc == LR_ELIMIT) {
        lr_buf_free(&whole);
        rc = lr_parquet_open(&f, t->store, key, err);
    }
    if (rc < 0)
        goto done;
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    if (build_projection(m, is_sidecar, false, &cols) < 0) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    if (cols.count == 0) {
        rc = lr_error_set(err, LR_ECORRUPT, "%s: not a Delta checkpoint (no add, remove, "
                          "metaData or protocol column)", key);
        goto done;
    }
    if (delta_files_fast_ok(m)) {
        /* add/remove column by column; the few other actions through the row path */
        rc = delta_files_fast_replay(f, key, s, err);
        lr_strvec_free(&cols);
        if (rc >= 0 && build_projection(m, is_sidecar, true, &cols) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        if (rc < 0 || cols.count == 0)
            goto done;
    }
    rc = lr_parquet_rows_open(&rows, f, (const char *const *)cols.items, cols.count, err);
    if (rc < 0)
        goto done;
    int64_t row_no = 0;
    for (;;) {
        json_t *row = NULL;
        rc = lr_parquet_rows_next(rows, &row, err);
        if (rc <= 0)
            break;
        row_no++;
        const char *sc = delta_json_str(json_object_get(row, "sidecar"), "path");
        if (sc && sidecars && lr_strvec_push(sidecars, sc) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        if (rc >= 0)
            rc = delta_state_apply(s, row, true, err);
        json_decref(row);
        if (rc < 0) {
            lr_error_context(err, "%s row %lld", key, (long long)row_no);
            break;
        }
    }
done:
    lr_parquet_rows_close(rows);
    lr_parquet_close(f);
    lr_buf_free(&whole);
    lr_strvec_free(&cols);
    return rc < 0 ? rc : 0;
}
