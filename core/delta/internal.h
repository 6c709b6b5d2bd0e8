/* internal.h - helpers shared by the files of core/delta/ (not a public interface). */
#ifndef LR_DELTA_INTERNAL_H
#define LR_DELTA_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/buf.h"
#include "lakerewind/delta.h"
#include "lakerewind/error.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

struct lr_delta_table {
    struct lr_store *store; /* borrowed */
    char *prefix;           /* "" or ending in '/' */
    char *log_prefix;       /* prefix + "_delta_log/" */
    char *name;             /* for errors: store URI + "/" + prefix */
};

/* Sort a listing and compute latest_version (logname.c). */
void delta_listing_sort(struct lr_delta_listing *l);

/* The key of a file inside _delta_log/. Caller frees. */
char *delta_log_key(const struct lr_delta_table *t, const char *name);

/* ---- streamed JSON lines (jsonl.c) ----
 * Reads an object in chunks with range reads and hands out one line at a time, so a commit of
 * hundreds of megabytes needs memory for one chunk plus the longest line only. */
struct delta_lines {
    struct lr_store *store;
    char *key;            /* owned */
    const char *name;     /* for errors: borrowed */
    uint64_t size;        /* object size; UINT64_MAX = unknown (read until a short read) */
    uint64_t offset;      /* next byte to fetch */
    struct lr_buf buf;    /* unconsumed bytes */
    size_t pos;           /* consumed prefix of buf */
    bool eof;
    int64_t line_no;
};
#define DELTA_LINES_CHUNK (8u << 20)
#define DELTA_LINE_MAX (256u << 20)
int delta_lines_open(struct delta_lines *r, struct lr_store *store, const char *key,
                     const char *name, uint64_t size, struct lr_error *err);
/* 1 and a parsed JSON object (new reference) per non-blank line; 0 at the end. */
int delta_lines_next(struct delta_lines *r, json_t **out, struct lr_error *err);
void delta_lines_close(struct delta_lines *r);

/* ---- replay (replay.c) ---- */
struct fentry {
    char *key;      /* path + '\x1f' + dv id (or path alone); owned when key_owned, else the
                       action's own "path" string */
    bool key_owned;
    json_t *action; /* owned reference */
    bool is_add;
    struct fentry *next;
};
struct fmap {
    struct fentry **buckets;
    size_t nbuckets;
    size_t count;
};
int fmap_init(struct fmap *m, size_t nbuckets);
void fmap_free(struct fmap *m);
struct fentry *fmap_get(const struct fmap *m, const char *key);
/* Takes a new reference to `action`. `key_in_action`: `key` is a string held by `action`
 * (its "path") and is borrowed for as long as the entry holds that action; else copied. */
int fmap_put(struct fmap *m, const char *key, json_t *action, bool is_add, bool key_in_action);
void fmap_del(struct fmap *m, const char *key);

struct delta_state {
    json_t *protocol;
    json_t *metadata;
    json_t *txns;
    json_t *domains;
    json_t *commit_info; /* of the last commit applied */
    struct fmap files;   /* key -> newest add (live) or remove (tombstone) */
};
int delta_state_init(struct delta_state *s);
void delta_state_free(struct delta_state *s);
/* Apply one action line/row. `in_checkpoint` ignores commitInfo. Unknown actions are ignored.
 * Returns 0, or LR_ECORRUPT for an action missing a required field (the caller adds context). */
int delta_state_apply(struct delta_state *s, json_t *line, bool in_checkpoint,
                      struct lr_error *err);

/* Apply one add (is_add) or remove object without null fields (checkpoint_files.c). */
int delta_state_apply_file(struct delta_state *s, json_t *a, bool is_add, struct lr_error *err);

/* The identity key of an add/remove; caller frees. dv_id_out (may be NULL) gets the DV id. */
char *delta_file_key(json_t *action, char **dv_id_out);
char *delta_dv_unique_id(json_t *dv);

/* Fill `out` from an add/remove action (takes a new reference). */
int delta_file_from_action(struct lr_delta_file *out, json_t *action, bool is_add);
void delta_file_clear(struct lr_delta_file *f);

/* ---- checkpoints (checkpoint_read.c) ---- */
int delta_checkpoint_replay(struct lr_delta_table *t, const struct lr_delta_segment *seg,
                            struct delta_state *s, struct lr_error *err);

/* Apply the rows of one Parquet checkpoint file or sidecar (checkpoint_parquet.c); sidecar
 * paths found go into `sidecars` (NULL for a sidecar itself, which holds add/remove only).
 * `size` is the object size when known, else UINT64_MAX. */
int delta_parquet_checkpoint_replay(struct lr_delta_table *t, const char *key, uint64_t size,
                                    struct delta_state *s, struct lr_strvec *sidecars,
                                    bool is_sidecar, struct lr_error *err);

/* The add/remove fast path (checkpoint_files.c): whether every add/remove child of the file
 * has a shape it decodes, and applying the add/remove actions of every row of `f` to `s`
 * column by column (other actions are left to the row path). */
struct lr_parquet_meta;
struct lr_parquet_file;
bool delta_files_fast_ok(const struct lr_parquet_meta *m);
int delta_files_fast_replay(struct lr_parquet_file *f, const char *key, struct delta_state *s,
                            struct lr_error *err);

/* ---- protocol (features.c) ---- */
int delta_protocol_from_json(struct lr_delta_protocol *out, json_t *protocol,
                             struct lr_error *err);

/* json helpers */
int64_t delta_json_int(json_t *obj, const char *key, int64_t dflt);
const char *delta_json_str(json_t *obj, const char *key);
int64_t delta_now_ms(void);

#endif
