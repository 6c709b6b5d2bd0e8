/* store.h - the object-store interface every layer above uses (local, Azure, S3).
 *
 * Keys are relative to the store's root (the URI's path): '/'-separated, no leading '/', no
 * empty, "." or ".." segments, no NUL. The wrappers below check keys, count requests and bytes,
 * and then call the backend (see sys/store_backend.h). A store is safe to use from several
 * threads at once.
 *
 * Ownership: lr_store_open() returns a store the caller frees with lr_store_close(). Output
 * buffers, entries and pages are caller-owned structs; free them with lr_buf_free(),
 * lr_store_entry_free() and lr_store_page_free(). */
#ifndef LAKEREWIND_STORE_H
#define LAKEREWIND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"

struct lr_store;

/* A key/value option, as in the config file's storage section or object_store's options
 * ("azure_storage_account_name", "aws_region", "allow_http", "endpoint", ...). */
struct lr_kv {
    const char *key;
    const char *value;
};

struct lr_store_options {
    const struct lr_kv *kv; /* borrowed for the duration of lr_store_open() */
    size_t kv_count;
    bool use_env;           /* also read AZURE_* / AWS_* environment variables */
};

/* Open a store for `uri` (see uri.h for the accepted forms). `opts` may be NULL.
 * Errors: LR_EINVAL (bad URI), LR_EUNSUPPORTED (backend not available), LR_EAUTH
 * (credentials missing), LR_ENOTFOUND (local root missing). */
int lr_store_open(struct lr_store **out, const char *uri, const struct lr_store_options *opts,
                  struct lr_error *err);
void lr_store_close(struct lr_store *s);

/* The URI the store was opened with, with any secret removed. Borrowed. */
const char *lr_store_uri(const struct lr_store *s);
/* The backend's name: "local", "azure", "s3". Static storage. */
const char *lr_store_backend_name(const struct lr_store *s);

/* What a backend can promise. */
#define LR_STORE_CAP_ATOMIC_CREATE 0x1u /* put_if_absent is atomic and exclusive */
#define LR_STORE_CAP_MTIME 0x2u         /* list/head report modification times */
unsigned lr_store_caps(const struct lr_store *s);

/* Who the store's credential names, for the operator recorded in audit rows (identity.h).
 *   Azure with an Entra bearer token (static, service principal, workload or managed identity,
 *   Azure CLI): from the token's payload (a JWT, decoded without verifying its signature: it
 *   only names the caller), the first present of upn, preferred_username, unique_name (a
 *   person, as is), then appid, azp ("app:<id>", an application) and oid ("oid:<id>").
 *   S3 with AWS credentials: "aws:<access key id>". The key id is what CloudTrail records and
 *   maps to the IAM user or role; the owner's name needs an STS call, and a session token or a
 *   profile name names nobody, so neither is used.
 *   Anything else (local folders, Azure shared key or SAS, anonymous S3): none.
 * *out is a malloc'd string the caller frees, or NULL when the credential names nobody. The
 * token itself is never returned. May obtain a token (cached for the store's later requests).
 * 0, or negative when the token could not be obtained. */
int lr_store_identity(struct lr_store *s, char **out, struct lr_error *err);

/* Whole object into `out` (appended after out->len, honouring out->limit).
 * LR_ENOTFOUND when the key does not exist. */
int lr_store_get(struct lr_store *s, const char *key, struct lr_buf *out, struct lr_error *err);

/* Bytes [offset, offset+length) into `out`. A range running past the end returns the bytes up
 * to the end (a short read); an offset at or past the end fails with LR_ERANGE. */
int lr_store_get_range(struct lr_store *s, const char *key, uint64_t offset, uint64_t length,
                       struct lr_buf *out, struct lr_error *err);

/* A whole object as read-only bytes (lr_store_get_blob). */
struct lr_store_blob {
    const uint8_t *data; /* len bytes (may be NULL when len is 0) */
    size_t len;
    struct lr_buf buf;   /* private: the bytes, when they were read */
    void *map;           /* private: the mapping, when mapped */
    size_t map_len;
};

/* The whole object `key` as read-only bytes: mapped without a copy where the backend can (a
 * local file of 64 KiB or more on a local disk or memory file system: Delta never rewrites a
 * log or data file in place, so its pages stay as mapped), else read as lr_store_get() reads
 * it, or, when `map_only`, LR_EUNSUPPORTED (nothing fetched: the caller reads it its own way).
 * `limit` (0: none) fails a larger object with LR_ELIMIT, as an lr_buf's limit does. One
 * request. The bytes stay valid until lr_store_blob_release(), also after the store is closed
 * or the object replaced. */
int lr_store_get_blob(struct lr_store *s, const char *key, size_t limit, bool map_only,
                      struct lr_store_blob *out, struct lr_error *err);
/* A blob of bytes read another way: b (empty, or a blob, released first) takes buf's memory
 * and buf is left empty. */
void lr_store_blob_adopt(struct lr_store_blob *b, struct lr_buf *buf);
/* Whether the blob's bytes are a mapping of the object (rather than a copy). */
bool lr_store_blob_mapped(const struct lr_store_blob *b);
/* Free or unmap the bytes; the blob is left empty (releasing twice is harmless). */
void lr_store_blob_release(struct lr_store_blob *b);

/* One read of a batch (lr_store_get_many). */
struct lr_store_read {
    const char *key;      /* in, borrowed */
    bool whole;           /* in: the whole object, else bytes [offset, offset+length) */
    uint64_t offset;      /* in */
    uint64_t length;      /* in */
    struct lr_buf *out;   /* in: caller-owned, appended to as by lr_store_get */
    int rc;               /* out: 0 or a negative LR_E* code */
    struct lr_error err;  /* out: set when rc < 0 */
};

/* Run `n` reads with at most `parallel` requests in flight (0 picks 16); cloud stores drive them
 * through one libcurl multi handle, the local store reads them in turn. Each read is checked and
 * counted like lr_store_get / lr_store_get_range and gets its own rc and err. Returns 0 when
 * every read succeeded, else the first failing read's code (its message copied into `err`). */
int lr_store_get_many(struct lr_store *s, struct lr_store_read *reads, size_t n, size_t parallel,
                      struct lr_error *err);

struct lr_store_entry {
    char *key;        /* owned */
    uint64_t size;
    int64_t mtime_ms; /* milliseconds since the epoch, UTC; -1 when unknown */
};
void lr_store_entry_free(struct lr_store_entry *e);

/* Size and modification time of `key`. LR_ENOTFOUND when absent. */
int lr_store_head(struct lr_store *s, const char *key, struct lr_store_entry *out,
                  struct lr_error *err);

struct lr_store_page {
    struct lr_store_entry *entries; /* owned; bytewise-sorted by key */
    size_t count;
    char *next_token;               /* owned; NULL when the listing is complete */
};
void lr_store_page_free(struct lr_store_page *p);

/* One page of the keys that start with `prefix` (a plain string prefix, recursive: no
 * delimiter), in bytewise order, strictly after `start_after` when it is not NULL, continuing
 * from `token` (a previous page's next_token) when it is not NULL. `max_keys` 0 lets the
 * backend choose. Directories and temporary files of in-flight local writes are not listed. */
int lr_store_list_page(struct lr_store *s, const char *prefix, const char *start_after,
                       const char *token, size_t max_keys, struct lr_store_page *out,
                       struct lr_error *err);

/* Every key with `prefix` after `start_after`, all pages concatenated into `out`. */
int lr_store_list(struct lr_store *s, const char *prefix, const char *start_after,
                  struct lr_store_page *out, struct lr_error *err);

/* Create or replace `key` with `len` bytes. Readers see the old or the whole new object. */
int lr_store_put(struct lr_store *s, const char *key, const void *data, size_t len,
                 struct lr_error *err);

/* Create `key` only if it does not exist. Returns LR_EEXISTS (and leaves the existing object
 * untouched) when it does: that is an expected outcome, not a failure of the store. Fails with
 * LR_EUNSUPPORTED on a store that cannot make the create exclusive. */
int lr_store_put_if_absent(struct lr_store *s, const char *key, const void *data, size_t len,
                           struct lr_error *err);

/* Make sure the store's conditional create is real before relying on it: on stores that need
 * it (S3-compatible and Azure endpoints), create a probe key twice and delete it, once per
 * store. Returns the store's caps afterwards (LR_STORE_CAP_ATOMIC_CREATE cleared when the store
 * ignored the condition and the options do not declare single_writer=true), or a negative code
 * when the probe could not write. lr_store_put_if_absent() calls it itself. */
int lr_store_probe(struct lr_store *s, struct lr_error *err);

/* Delete `key`. Deleting a missing key succeeds (stores differ in whether they can tell). */
int lr_store_delete(struct lr_store *s, const char *key, struct lr_error *err);

/* Request and byte counters since open (monotonic; read while other threads work). */
struct lr_store_stats {
    uint64_t requests;      /* every backend call, including retries */
    uint64_t gets;
    uint64_t heads;
    uint64_t lists;
    uint64_t puts;
    uint64_t deletes;
    uint64_t retries;
    uint64_t errors;
    uint64_t bytes_read;
    uint64_t bytes_written;
};
void lr_store_stats_get(const struct lr_store *s, struct lr_store_stats *out);

/* The process-wide tally behind `lakerewind --stats`. After lr_store_stats_track(true), every
 * store opened is counted: lr_store_stats_rows() returns one row per store (backend and
 * secret-free URI, as lr_store_uri()), summing the stores of that URI already closed and those
 * still open. Thread-safe. */
struct lr_store_stats_row {
    char *uri;               /* owned by the row array */
    const char *backend;     /* static: "local", "azure", "s3" */
    size_t opens;            /* how many times a store for this URI was opened */
    struct lr_store_stats stats;
};
void lr_store_stats_track(bool on);
/* Rows in the order the stores were first closed, then the open ones; caller frees with
 * lr_store_stats_rows_free(). LR_ENOMEM only. */
int lr_store_stats_rows(struct lr_store_stats_row **out, size_t *n, struct lr_error *err);
void lr_store_stats_rows_free(struct lr_store_stats_row *rows, size_t n);
/* Forget the rows of closed stores (tests). */
void lr_store_stats_reset(void);

/* Check a key against the rules at the top of this file. 0 or LR_EINVAL naming the key. */
int lr_store_key_check(const char *key, struct lr_error *err);

#endif
