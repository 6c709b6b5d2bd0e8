/* sys/store_backend.h - for backend writers only: the operations a store backend provides.
 *
 * A backend's private struct embeds `struct lr_store` as its FIRST member, so the wrappers in
 * core/store/store.c can hand the same pointer to the backend. Callers never call ops directly:
 * the wrappers check keys, count requests and bytes, and translate results. */
#ifndef LAKEREWIND_SYS_STORE_BACKEND_H
#define LAKEREWIND_SYS_STORE_BACKEND_H

#include "lakerewind/store.h"
#include "lakerewind/uri.h"

#define LR_STORE_OPS_VERSION 1

struct lr_store_ops {
    int version;      /* LR_STORE_OPS_VERSION */
    const char *name; /* "local", "azure", "s3" */

    /* Read bytes [offset, offset+length) of `key`, or the whole object when `whole`, appending
     * to `out`. Short read at the end; LR_ERANGE when offset >= size (and size > 0 or !whole);
     * LR_ENOTFOUND when the key is absent. */
    int (*get)(struct lr_store *s, const char *key, bool whole, uint64_t offset, uint64_t length,
               struct lr_buf *out, struct lr_error *err);

    /* Optional: the whole object mapped read-only with mmap(2) (*addr, *len; the wrapper
     * unmaps it with munmap), for lr_store_get_blob(). LR_EUNSUPPORTED when this object is
     * better read (the wrapper then calls get()); LR_ENOTFOUND when the key is absent. */
    int (*map)(struct lr_store *s, const char *key, void **addr, size_t *len,
               struct lr_error *err);

    /* Fill size/mtime (and a copy of the key) or return LR_ENOTFOUND. */
    int (*head)(struct lr_store *s, const char *key, struct lr_store_entry *out,
                struct lr_error *err);

    /* One page as described for lr_store_list_page(). */
    int (*list_page)(struct lr_store *s, const char *prefix, const char *start_after,
                     const char *token, size_t max_keys, struct lr_store_page *out,
                     struct lr_error *err);

    /* Write the object; when `if_absent`, exclusively (LR_EEXISTS when taken). */
    int (*put)(struct lr_store *s, const char *key, const void *data, size_t len, bool if_absent,
               struct lr_error *err);

    /* Remove the object; a missing key is success. */
    int (*del)(struct lr_store *s, const char *key, struct lr_error *err);

    /* Optional: run the reads whose rc is 1 (others are done), at most `parallel` at once,
     * setting each one's rc/err as get() would. NULL: the wrapper calls get() in turn. */
    void (*get_many)(struct lr_store *s, struct lr_store_read *reads, size_t n,
                     size_t parallel);

    /* Optional: who the credential names (lr_store_identity()'s contract); NULL: nobody. */
    int (*identity)(struct lr_store *s, char **out, struct lr_error *err);

    /* Release everything the backend allocated, including the struct itself. */
    void (*destroy)(struct lr_store *s);
};

struct lr_store_counters {
    _Atomic unsigned long long requests, gets, heads, lists, puts, deletes, retries, errors,
        bytes_read, bytes_written;
};

struct lr_store {
    const struct lr_store_ops *ops;
    unsigned caps;              /* LR_STORE_CAP_* */
    char *display_uri;          /* owned, secret-free; set by the opener in store.c */
    struct lr_store_counters counters;
    /* Conditional-create probe (lr_store_probe): an opener whose service might accept
     * If-None-Match and overwrite anyway sets probe_state = 1; the first put_if_absent then
     * creates a probe key twice. A store that lets the second create succeed loses
     * LR_STORE_CAP_ATOMIC_CREATE, unless single_writer (the options declare one writer), in
     * which case creates are emulated with a HEAD first. */
    _Atomic int probe_state; /* 0 nothing to probe / done, 1 probe pending */
    bool single_writer;
    bool emulate_create;
    /* --stats tally (core/store/stats.c): the list of open stores while tracking is on. */
    struct lr_store *stats_next, *stats_prev;
    bool stats_tracked;
};

/* Backends count extra HTTP attempts with this (the wrapper counts one request per call). */
void lr_store_count_retry(struct lr_store *s);

/* store.c tells stats.c about each store opened (after display_uri is set) and closed (before
 * the backend is destroyed). */
void lr_store_stats_opened(struct lr_store *s);
void lr_store_stats_closed(struct lr_store *s);

/* Openers, one per URI kind. Each allocates its backend struct and sets ops and caps. */
typedef int (*lr_store_open_fn)(struct lr_store **out, const struct lr_uri *uri,
                                const struct lr_store_options *opts, struct lr_error *err);
int lr_azure_store_open(struct lr_store **out, const struct lr_uri *uri,
                        const struct lr_store_options *opts, struct lr_error *err);
int lr_s3_store_open(struct lr_store **out, const struct lr_uri *uri,
                     const struct lr_store_options *opts, struct lr_error *err);
int lr_local_store_open(struct lr_store **out, const struct lr_uri *uri,
                        const struct lr_store_options *opts, struct lr_error *err);

/* The root folder of a local store, or NULL for any other backend. Borrowed. Only for the few
 * local-only conveniences (the demo builder dates its commit files with utimensat). */
const char *lr_local_store_root(const struct lr_store *s);

/* Option lookup: the kv list first (case-insensitive key), then, when opts->use_env, the
 * environment variable `env_name` (may be NULL). Borrowed string or NULL. */
const char *lr_store_option(const struct lr_store_options *opts, const char *key,
                            const char *env_name);

#endif
