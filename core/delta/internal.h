/* internal.h - helpers shared by the files of core/delta/ (not a public interface). */
#ifndef LR_DELTA_INTERNAL_H
#define LR_DELTA_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/buf.h"
#include "lakerewind/delta.h"
#include "lakerewind/error.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

struct delta_base;
struct lr_delta_table {
    struct lr_store *store; /* borrowed */
    struct delta_base *cache; /* the last checkpoint read (guarded by lock) */
    pthread_mutex_t lock;
    char *prefix;           /* "" or ending in '/' */
    char *log_prefix;       /* prefix + "_delta_log/" */
    char *name;             /* for errors: store URI + "/" + prefix */
    json_t *commit_infos;   /* commit file name -> its commitInfo (JSON null: none), as replay
                               read it; history reuses them instead of reading the commit
                               again (guarded by lock; at most DELTA_COMMIT_INFO_CACHE) */
    struct lr_delta_listing *pinned; /* lr_delta_table_pin_listing(): the whole log as listed
                                        once, answering every listing until unpinned */
    struct delta_commit_cached *commits; /* parsed commits, by name (commit_cache.c; guarded
                                            by lock) */
    size_t ncommits, capcommits;
    uint64_t commit_bytes;  /* their text */
};
#define DELTA_COMMIT_INFO_CACHE 4096
/* Remember the commitInfo (NULL: none) replay found in commit file `f` (table.c). */
void delta_commit_info_remember(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                                json_t *commit_info);
/* 1 and *out (new reference, NULL when the commit had none) when remembered, else 0. */
int delta_commit_info_recall(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                             json_t **out);

/* ---- parsed commits kept for replays to come (commit_cache.c) ---- */
/* Commit text kept per table handle: parsed, it takes several times as much, and a rollback
 * keeps one handle per table for the whole run. A checkpoint interval of commits (10 by
 * default) is rarely more. */
#define DELTA_COMMIT_CACHE_BYTES ((uint64_t)1 << 20)
struct delta_parsed_commit;
/* The commit f as parsed before (out filled as delta_commits_read() fills it, with references
 * of its own): true; false when it is not kept (out left empty). */
bool delta_commit_cache_take(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                             struct delta_parsed_commit *out);
/* Keep commit f as parsed (read whole and without error; a cache: never fails). */
void delta_commit_cache_put(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                            const struct delta_parsed_commit *c);
void delta_commit_cache_clear(struct lr_delta_table *t);

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
/* The same over log file f of table t (a commit, a compacted file). */
int delta_lines_open_commit(struct delta_lines *r, struct lr_delta_table *t,
                            const struct lr_delta_log_file *f, struct lr_error *err);
/* 1 and a parsed JSON object (new reference) per non-blank line; 0 at the end. */
int delta_lines_next(struct delta_lines *r, json_t **out, struct lr_error *err);
void delta_lines_close(struct delta_lines *r);

/* ---- commits read ahead (commit_batch.c) ----
 * A window of a segment's commits fetched at once and parsed on several threads; replay
 * applies the lines in order. A commit too large to take whole is left `streamed`. */
struct delta_parsed_commit {
    char *key;         /* owned: the commit's object key (names it in errors) */
    bool streamed;     /* not read here: replay streams it (delta_lines) */
    json_t **lines;    /* owned: the action lines, in order */
    int64_t *line_no;  /* their line numbers */
    size_t n, cap;
    int rc;            /* < 0: reading or parsing failed (err says where) */
    struct lr_error err;
};
/* How many of files[0..n) the next window takes (1 or more when n > 0). */
size_t delta_commit_window(const struct lr_delta_log_file *files, size_t n);
/* Fetch and parse files[0..n) into out[0..n) (each with its own rc); fails only on
 * LR_ENOMEM (then out holds nothing). Free out with delta_parsed_commits_free. */
int delta_commits_read(struct lr_delta_table *t, const struct lr_delta_log_file *files,
                       size_t n, struct delta_parsed_commit *out, struct lr_error *err);
void delta_parsed_commits_free(struct delta_parsed_commit *c, size_t n);

/* ---- file records (filerec.c) ----
 * Records and their text live in a refcounted arena; snapshots hold references on it. */
struct lr_delta_mem *delta_mem_new(void);
/* An arena expected to fill about `expect` bytes: its first chunk is that big, so a large one
 * is not grown chunk by chunk. NULL on ENOMEM. */
struct lr_delta_mem *delta_mem_new_sized(size_t expect);
struct lr_delta_mem *delta_mem_ref(struct lr_delta_mem *m);
void delta_mem_unref(struct lr_delta_mem *m);
/* Keep `other` alive as long as `m` (records of m's users point into both). */
int delta_mem_adopt(struct lr_delta_mem *m, struct lr_delta_mem *other);
/* Call release(obj) when the arena is freed (what its records point into); LR_ENOMEM. */
int delta_mem_keep(struct lr_delta_mem *m, void (*release)(void *), void *obj);
/* n bytes aligned to `align` (a power of two), NULL on ENOMEM; freed with the arena. */
void *delta_mem_alloc(struct lr_delta_mem *m, size_t n, size_t align);
char *delta_mem_strndup(struct lr_delta_mem *m, const char *p, size_t n);
/* The arena copy of text p[0..n) shared with earlier equal texts (partition values, other
 * fields). NULL on ENOMEM. */
const char *delta_mem_intern(struct lr_delta_mem *m, const char *p, size_t n);
/* A byte-string -> pointer pool in the same arena (NULL when absent); remember copies key. */
const void *delta_mem_lookup(const struct lr_delta_mem *m, const void *key, size_t klen);
int delta_mem_remember(struct lr_delta_mem *m, const void *key, size_t klen,
                       const void *value);
uint64_t delta_hash(const void *p, size_t n, uint64_t seed);

/* A zeroed record (size, times, num_records, data_change -1) in the arena. */
struct lr_delta_file *delta_rec_new(struct lr_delta_mem *m, bool is_add);
/* A record from a logged add/remove object (which must have a string "path"). */
int delta_rec_from_json(struct lr_delta_mem *m, json_t *action, bool is_add,
                        struct lr_delta_file **out, struct lr_error *err);
/* The ext of a record being made (allocated in m on first use; NULL on ENOMEM). */
struct lr_delta_file_ext *delta_rec_ext(struct lr_delta_mem *m, struct lr_delta_file *f);
/* A record's other fields, `extra` already interned (its ext made). LR_ENOMEM. */
int delta_rec_set_extra(struct lr_delta_mem *m, struct lr_delta_file *f, const char *extra);
/* dv_id and dv_cardinality from a deletionVector object (no-op for non-objects). */
int delta_rec_set_dv(struct lr_delta_mem *m, struct lr_delta_file *f, json_t *dv);
/* The stats text a record was made with (NULL when none, or when kept in a checkpoint). */
static inline const char *delta_rec_stats_text(const struct lr_delta_file *f)
{
    return f->stats_kept ? NULL : (const char *)f->stats;
}
/* The checkpoint that keeps f's stats (NULL when it holds the text itself). */
static inline struct delta_stats_src *delta_rec_stats_src(const struct lr_delta_file *f)
{
    return f->stats_kept ? (struct delta_stats_src *)f->stats : NULL;
}
int64_t delta_scan_num_records(const char *stats);
/* The same over p[0..n) (or up to a NUL byte): for a value still inside a Parquet page. */
int64_t delta_scan_num_records_n(const char *p, size_t n);
/* lr_delta_file_action(), without the stats still kept in a checkpoint unless `kept_stats`. */
json_t *delta_file_action(const struct lr_delta_file *f, bool kept_stats);
/* Whether f's stats are still kept compressed in a checkpoint (not decoded for it yet). */
static inline bool delta_stats_kept(const struct lr_delta_file *f)
{
    return f->stats_kept;
}
/* Identity order: path bytes, then dv id (none first). */
int delta_rec_cmp(const struct lr_delta_file *x, const struct lr_delta_file *y);
/* Threads for the engine's parallel work (checkpoint decoding, sorting): one per core, at
 * most 8; delta_threads_set(n) fixes the number (tests; 0 = back to the cores). */
size_t delta_threads(void);
void delta_threads_set(size_t n);
/* The first sort key of a path: its 8 bytes from `depth` (the path has at least `depth`),
 * big-endian, zero-padded past its end; *ended says whether it ends there. A checkpoint's
 * decoder makes them while each path is at hand, so the sort need not fetch a million paths
 * again for its first level. */
uint64_t delta_path_key(const char *path, size_t depth, bool *ended);
/* delta_recs_sort with keys[i] = delta_path_key(recs[i]->path, depth) for every record (every
 * path shares the bytes before depth); keys NULL: the same as delta_recs_sort. */
int delta_recs_sort_keyed(struct lr_delta_file **recs, const uint64_t *keys, size_t n,
                          size_t depth, bool *paths_repeat);
/* Stable; a million records are sorted on delta_threads() threads. *paths_repeat (may be
 * NULL): whether some path occurs more than once (then neighbours may share an identity;
 * otherwise every identity is unique). */
int delta_recs_sort(struct lr_delta_file **recs, size_t n, bool *paths_repeat);

/* ---- stats kept in the checkpoint (lazy_stats.c) ----
 * A whole-read Parquet checkpoint hands its bytes to a stats source: records point at their
 * row instead of copying a stats string each (a million-file checkpoint holds ~250 MB of
 * stats text but ~40 MB compressed); lr_delta_file_stats() decodes the page holding a file's
 * stats on first use. The arena the records live in keeps the source alive. */
struct lr_parquet_file;
/* A source over the bytes of a checkpoint (taken, even on failure: *bytes is left empty). */
int delta_stats_src_new(struct delta_stats_src **out, struct lr_store_blob *bytes,
                        const char *key, struct lr_error *err);
/* Row-group row offsets and the stats column of each top-level file action ("add.stats",
 * "remove.stats"), known once the file's metadata is read. */
int delta_stats_src_plan(struct delta_stats_src *src, struct lr_parquet_file *f,
                         struct lr_error *err);
/* Point rec (of row `row` of row group rg) at its stats in src; false when src has no stats
 * column for its action (the caller copies the text instead). */
bool delta_stats_src_refer(struct delta_stats_src *src, struct lr_delta_file *rec, size_t rg,
                           int64_t row);
/* Walk one page of a non-repeated STRING column holding rows [first, first + n) of a row
 * group of `rows` rows: fn(ctx, row, value) per entry, value NULL for a null. LR_ECORRUPT
 * when the page runs past the rows or holds fewer values than its levels say. */
struct lr_parquet_column;
struct lr_parquet_slice;
typedef int (*delta_page_string_fn)(void *ctx, size_t row, const struct lr_parquet_slice *value,
                                    struct lr_error *err);
int delta_page_strings(const struct lr_parquet_column *c, size_t first, int64_t rows,
                       delta_page_string_fn fn, void *ctx, struct lr_error *err);
/* A Parquet STRING as record text, as the row path renders it (invalid UTF-8 replaced). */
const char *delta_text_from_parquet(struct lr_delta_mem *mem, const uint8_t *p, size_t n);
/* Hand src to the arena (released with it); on failure src is released now. */
int delta_stats_src_keep(struct delta_stats_src *src, struct lr_delta_mem *m);
void delta_stats_src_release(void *src);

/* ---- a restore plan's stats (plan_stats.c) ----
 * A plan's actions carry the files' stats, which a million-file checkpoint keeps compressed:
 * decoding the pages of a few hundred files spread over the checkpoint costs as much as the
 * rest of the plan. The plan holds the actions made without them (and references on the
 * records) and the commit text fills them in, so a dry run never decodes them. */
struct delta_plan_stats {
    json_t **actions;                   /* borrowed from the plan's adds/removes */
    const struct lr_delta_file **files; /* their records */
    size_t n, cap;
    struct lr_delta_mem *mem[4];        /* references: the records' memory */
};
/* Hold references on the records of both snapshots (before delta_plan_stats_defer). */
int delta_plan_stats_hold(struct lr_delta_restore_plan *p, const struct lr_delta_snapshot *a,
                          const struct lr_delta_snapshot *b);
/* Fill `action`'s stats from f later. LR_ENOMEM. */
int delta_plan_stats_defer(struct lr_delta_restore_plan *p, json_t *action,
                           const struct lr_delta_file *f);
/* Decode the deferred stats (one pass over the row groups involved) into their actions; a file
 * whose row has no stats string gets {"numRecords":N} when its count is known. */
int delta_plan_stats_fill(struct delta_plan_stats *ps, struct lr_error *err);
void delta_plan_stats_free(struct delta_plan_stats *ps);

/* ---- replay (replay.c) ----
 * A checkpoint's files are collected unsorted, then sorted once into a delta_base (shared by
 * every snapshot built on that checkpoint, cached by the table); commits after it go into an
 * overlay hash keyed by identity, merged over the base when the snapshot is finalised. */
/* What live files add up to: bytes of positive sizes, and rows (numRecords less DV
 * cardinality) of the files whose count is known; `unknown` counts the others, so that a
 * total stays exact as files come and go. */
struct delta_totals {
    int64_t bytes, rows;
    size_t unknown;
};
void delta_totals_add(struct delta_totals *t, const struct lr_delta_file *f, int sign);

struct delta_base {
    atomic_int refs;
    int64_t version;
    char *ident;                      /* checkpoint file names and sizes */
    struct lr_delta_mem *mem;
    struct lr_delta_file **adds;      /* sorted, unique identities */
    size_t nadds;
    struct delta_totals live;         /* of adds */
    struct lr_delta_file **removes;   /* sorted */
    size_t nremoves;
    json_t *protocol, *metadata, *txns, *domains;
};
void delta_base_unref(struct delta_base *b);

struct ovl_slot {
    uint64_t h;
    struct lr_delta_file *r; /* NULL = empty */
};

struct delta_state {
    json_t *protocol;
    json_t *metadata;
    json_t *txns;
    json_t *domains;
    json_t *commit_info;          /* of the last commit applied */
    struct lr_delta_mem *mem;     /* records made by this state */
    bool collecting;              /* checkpoint replay: file actions go to `pending` */
    struct lr_delta_file **pending;    /* collecting: the checkpoint's adds, in row order */
    size_t npending, cappending;
    uint64_t *pending_keys;            /* their sort keys at keys_depth, while keyed == 1 */
    size_t cap_keys, keys_depth;
    char *keys_prefix;                 /* the keys_depth bytes every keyed path starts with */
    int keyed;                         /* 0: no add yet; 1: every add came with its key;
                                          -1: some did not (the sort makes them all) */
    struct lr_delta_file **pending_rm; /* collecting: its removes */
    size_t npending_rm, cappending_rm;
    struct delta_totals pending_live;  /* of pending */
    struct delta_base *base;      /* reference; NULL when replaying from commit 0 */
    struct ovl_slot *ovl;         /* commits: identity -> newest record */
    size_t ovl_cap, ovl_count;
    struct lr_delta_file **track; /* when tracking: every record put (a compacted file's) */
    size_t ntrack, captrack;
    bool tracking;
};
int delta_state_init(struct delta_state *s);
void delta_state_free(struct delta_state *s);
/* Apply one action line/row. `in_checkpoint` ignores commitInfo. Unknown actions are ignored.
 * Returns 0, or LR_ECORRUPT for an action missing a required field (the caller adds context). */
int delta_state_apply(struct delta_state *s, json_t *line, bool in_checkpoint,
                      struct lr_error *err);
/* Add a record made for this state (pending while collecting, else the overlay). */
int delta_state_put(struct delta_state *s, struct lr_delta_file *r, struct lr_error *err);
/* While collecting: a record whose kind the caller knows, without reading it (a million
 * records decoded on other threads are not brought back into cache); their totals come with
 * delta_state_count(). */
int delta_state_collect(struct delta_state *s, struct lr_delta_file *r, bool is_add,
                        struct lr_error *err);
/* Collecting a checkpoint decoded on several threads: slots for `rows` more records of each
 * kind, which the workers fill in place, each batch of rows (a row group) at its first row's
 * offset, so that no thread waits and nothing is copied twice. adds[i] may come with its sort
 * key keys[i] (keys NULL: none wanted): delta_path_key(path, depth) at the depth of the last
 * delta_state_key_prefix(), which spares the sort a fetch of a million paths. */
struct delta_slots {
    struct lr_delta_file **adds;
    uint64_t *keys;
    struct lr_delta_file **removes;
    size_t rows;
};
/* What one batch wrote: nadds adds (and keys) and nremoves removes from slot `off` on, in row
 * order, and the adds' totals. */
struct delta_slot_batch {
    size_t off, nadds, nremoves;
    struct delta_totals live;
};
/* Slots for `rows` more records (with keys when `with_keys` and the state still keeps them).
 * LR_ENOMEM. The slots stay valid until delta_state_slots_close(). */
int delta_state_slots_open(struct delta_state *s, size_t rows, bool with_keys,
                           struct delta_slots *out);
/* Take the n batches written into `slots`, in order (the gaps between them closed); keys_ok
 * false (some add came without its key) drops the keys. LR_ENOMEM. */
int delta_state_slots_close(struct delta_state *s, const struct delta_slots *slots,
                            const struct delta_slot_batch *b, size_t n, bool keys_ok,
                            struct lr_error *err);
/* Before collecting adds keyed at `depth` past `prefix` (their paths' first depth bytes): keys
 * sort together only when every keyed path skipped the same bytes (the parts of a multi-part
 * checkpoint may guess different ones), so the state stops keeping keys when they differ.
 * Returns whether the keys are still wanted; LR_ENOMEM. */
int delta_state_key_prefix(struct delta_state *s, const char *prefix, size_t depth);
void delta_state_count(struct delta_state *s, const struct delta_totals *t);
/* Sort the pending checkpoint files into a base (s->base), keeping the protocol, metadata,
 * txns and domains seen so far in it. */
int delta_state_seal_base(struct delta_state *s, int64_t version, const char *ident,
                          struct lr_error *err);
/* Start from a sealed base (takes a reference): copies of its txns/domains, its records. */
int delta_state_use_base(struct delta_state *s, struct delta_base *b, struct lr_error *err);
/* The live files and tombstones: base merged with the overlay, sorted. Arrays caller-owned.
 * `live` (may be NULL) gets the live files' totals, from the base's and the overlay's alone. */
int delta_state_files(struct delta_state *s, struct lr_delta_file ***files, size_t *nfiles,
                      struct lr_delta_file ***tombs, size_t *ntombs, struct delta_totals *live);

char *delta_dv_unique_id(json_t *dv);

/* ---- checkpoints (checkpoint_read.c) ---- */
int delta_checkpoint_replay(struct lr_delta_table *t, const struct lr_delta_segment *seg,
                            struct delta_state *s, struct lr_error *err);

/* Apply the rows of one Parquet checkpoint file or sidecar (checkpoint_parquet.c); sidecar
 * paths found go into `sidecars` (NULL for a sidecar itself, which holds add/remove only).
 * `size` is the object size when known, else UINT64_MAX. */
/* Tests: the buffered bytes of a row group of the checkpoints we write (0 = 32 MiB). */
void delta_checkpoint_row_group_bytes_set(size_t n);
/* Tests: the checkpoint sizes read with one GET, the range-GET part size, and the largest
 * file read whole in parts (0 = the defaults: 128 MiB, 32 MiB, 1 GiB); `map` false reads
 * even what the store could map (default true). */
void delta_checkpoint_read_limits_set(uint64_t one_get, uint64_t part, uint64_t whole,
                                      bool map);
int delta_parquet_checkpoint_replay(struct lr_delta_table *t, const char *key, uint64_t size,
                                    struct delta_state *s, struct lr_strvec *sidecars,
                                    bool is_sidecar, struct lr_error *err);

/* The add/remove fast path (checkpoint_files.c): whether every add/remove child of the file
 * has a shape it decodes, and applying the add/remove actions of every row of `f` to `s`
 * column by column (other actions are left to the row path). */
struct lr_parquet_meta;
struct lr_parquet_file;
bool delta_files_fast_ok(const struct lr_parquet_meta *m);
/* `stats` (NULL: copy every stats string) keeps the stats in the checkpoint instead. The row
 * groups of an in-memory checkpoint replayed into a base are decoded on delta_threads()
 * threads. */
/* `side` (may be NULL, or its run NULL): more work on the same file that must not touch the
 * records (the other actions' rows): run alongside the row groups, or after them; its error
 * counts after theirs. */
struct delta_side_job {
    int (*run)(void *ctx, struct lr_error *err);
    void *ctx;
};
int delta_files_fast_replay(struct lr_parquet_file *f, const char *key,
                            struct delta_stats_src *stats, const struct delta_side_job *side,
                            struct delta_state *s, struct lr_error *err);

/* ---- protocol (features.c) ---- */
int delta_protocol_from_json(struct lr_delta_protocol *out, json_t *protocol,
                             struct lr_error *err);

/* json helpers */
int64_t delta_json_int(json_t *obj, const char *key, int64_t dflt);
const char *delta_json_str(json_t *obj, const char *key);
int64_t delta_now_ms(void);

#endif
