/* checkpoint_read.c - replaying a checkpoint into the state: classic and multi-part Parquet,
 * V2 (UUID-named JSON or Parquet, or V2 content under a classic name) with its sidecars.
 *
 * Owns: turning checkpoint rows into actions for replay.c. Rows of a Parquet checkpoint come
 * from parquet.h already shaped like JSON actions ({"add": {...}, "remove": null, ...}), so a
 * row and a JSON line go through the same delta_state_apply(). Invariant: sidecar actions are
 * collected while reading the top-level file and every sidecar is read afterwards; a missing
 * sidecar makes the checkpoint unusable (LR_ENOTFOUND naming it). */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

/* Read one checkpoint file (JSON lines or Parquet) and apply its rows; sidecar paths found in
 * it are appended to `sidecars`. Parquet decoding lives in checkpoint_parquet.c. */
static int replay_json_checkpoint(struct lr_delta_table *t, const char *key, uint64_t size,
                                  struct delta_state *s, struct lr_strvec *sidecars,
                                  struct lr_error *err)
{
    struct delta_lines r;
    int rc = delta_lines_open(&r, t->store, key, key, size, err);
    if (rc < 0)
        return rc;
    for (;;) {
        json_t *line = NULL;
        rc = delta_lines_next(&r, &line, err);
        if (rc <= 0)
            break;
        const char *sc = delta_json_str(json_object_get(line, "sidecar"), "path");
        if (sc && lr_strvec_push(sidecars, sc) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        if (rc >= 0)
            rc = delta_state_apply(s, line, true, err);
        json_decref(line);
        if (rc < 0) {
            lr_error_context(err, "%s line %lld", key, (long long)r.line_no);
            break;
        }
    }
    delta_lines_close(&r);
    return rc;
}

/* The key of a sidecar named in a checkpoint: relative names live in _delta_log/_sidecars/. */
static char *sidecar_key(struct lr_delta_table *t, const char *path)
{
    if (strstr(path, "://") || path[0] == '/') {
        /* absolute URI: accept only when it points inside our _sidecars folder by name */
        const char *slash = strrchr(path, '/');
        path = slash ? slash + 1 : path;
    }
    char *dec = lr_delta_path_to_key(path);
    if (!dec)
        return NULL;
    char *k = lr_asprintf("%s_sidecars/%s", t->log_prefix, dec);
    free(dec);
    return k;
}

int delta_checkpoint_replay(struct lr_delta_table *t, const struct lr_delta_segment *seg,
                            struct delta_state *s, struct lr_error *err)
{
    struct lr_strvec sidecars = {0};
    int rc = 0;
    for (size_t i = 0; i < seg->checkpoint_count && rc >= 0; i++) {
        const struct lr_delta_log_file *f = &seg->checkpoint[i];
        char *key = delta_log_key(t, f->name);
        if (!key) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        if (f->is_json)
            rc = replay_json_checkpoint(t, key, f->size, s, &sidecars, err);
        else
            rc = delta_parquet_checkpoint_replay(t, key, f->size, s, &sidecars, false, err);
        free(key);
    }
    for (size_t i = 0; i < sidecars.count && rc >= 0; i++) {
        char *key = sidecar_key(t, sidecars.items[i]);
        if (!key) {
            rc = lr_error_set(err, LR_ECORRUPT, "sidecar path \"%s\" has a bad escape",
                              sidecars.items[i]);
            break;
        }
        rc = delta_parquet_checkpoint_replay(t, key, 0, s, NULL, true, err);
        if (rc < 0)
            lr_error_context(err, "sidecar of checkpoint %lld",
                             (long long)seg->checkpoint_version);
        free(key);
    }
    lr_strvec_free(&sidecars);
    if (rc < 0)
        lr_error_context(err, "checkpoint %lld", (long long)seg->checkpoint_version);
    return rc;
}
