/* table_read.c - reading every row of a small Delta table (the metadata tables) from the live
 * Parquet files of its latest snapshot, and the metadata-table conveniences. */
#include "lakerewind/metadata.h"

#include <stdlib.h>
#include <string.h>

#include "lakerewind/delta.h"
#include "lakerewind/parquet.h"
#include "lakerewind/str.h"

static int read_file(struct lr_store *store, const char *key, json_t *rows, struct lr_error *err)
{
    struct lr_parquet_file *f = NULL;
    struct lr_parquet_rows *r = NULL;
    int rc = lr_parquet_open(&f, store, key, err);
    if (rc == 0)
        rc = lr_parquet_rows_open(&r, f, NULL, 0, err);
    while (rc == 0) {
        json_t *row = NULL;
        int n = lr_parquet_rows_next(r, &row, err);
        if (n <= 0) {
            rc = n;
            break;
        }
        json_array_append_new(rows, row);
    }
    lr_parquet_rows_close(r);
    lr_parquet_close(f);
    return rc;
}

int lr_table_read_rows(struct lr_store *store, const char *prefix, json_t **rows_out,
                       struct lr_error *err)
{
    *rows_out = NULL;
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    struct lr_delta_listing l = {0};
    bool has_snap = false;
    json_t *rows = json_array();
    int rc = rows ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
    if (rc == 0)
        rc = lr_delta_table_open(&t, store, prefix, err);
    if (rc == 0)
        rc = lr_delta_list(t, 0, &l, err);
    if (rc < 0 || l.latest_version < 0)
        goto done; /* no log: an empty table */
    rc = lr_delta_snapshot_open(&snap, t, -1, err);
    if (rc < 0)
        goto done;
    has_snap = true;
    for (size_t i = 0; i < snap.num_files && rc == 0; i++) {
        const struct lr_delta_file *f = snap.files[i];
        if (lr_delta_file_dv_id(f)) {
            rc = lr_error_set(err, LR_EUNSUPPORTED, "%s: file %s has a deletion vector, which "
                                                    "this reader does not apply", prefix,
                              f->path);
            break;
        }
        char *rel = lr_delta_path_to_key(f->path);
        char *key = rel ? lr_path_join(prefix, rel) : NULL;
        if (!key)
            rc = lr_error_set(err, LR_EINVAL, "%s: cannot map path %s to a key", prefix,
                              f->path);
        else
            rc = read_file(store, key, rows, err);
        free(rel);
        free(key);
    }
done:
    if (rc < 0)
        lr_error_context(err, "reading table %s", prefix);
    if (has_snap)
        lr_delta_snapshot_free(&snap);
    lr_delta_listing_free(&l);
    lr_delta_table_close(t);
    if (rc < 0)
        json_decref(rows);
    else
        *rows_out = rows;
    return rc;
}

static char *md_prefix(const char *location, const struct lr_table_def *def)
{
    return lr_path_join(location ? location : LR_METADATA_DEFAULT_LOCATION, def->name);
}

int lr_md_append(struct lr_store *store, const char *location, enum lr_md_table which,
                 json_t *rows, const struct lr_append_options *opts, struct lr_error *err)
{
    const struct lr_table_def *def = lr_md_table_def(which);
    char *prefix = md_prefix(location, def);
    if (!prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct lr_append_options o = {0};
    if (opts)
        o = *opts;
    o.is_append_only = true;
    int rc = lr_table_append_rows(store, prefix, def, rows, &o, NULL, err);
    free(prefix);
    return rc;
}

int lr_md_read(struct lr_store *store, const char *location, enum lr_md_table which,
               json_t **rows_out, struct lr_error *err)
{
    const struct lr_table_def *def = lr_md_table_def(which);
    char *prefix = md_prefix(location, def);
    if (!prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = lr_table_read_rows(store, prefix, rows_out, err);
    free(prefix);
    return rc;
}
