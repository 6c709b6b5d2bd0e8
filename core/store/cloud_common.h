/* cloud_common.h - internal: pieces the Azure and S3 backends share (options, HTTP policy,
 * entry lists, status messages). */
#ifndef LR_STORE_CLOUD_COMMON_H
#define LR_STORE_CLOUD_COMMON_H

#include <stdbool.h>

#include "http.h"
#include "lakerewind/sys/store_backend.h"

/* First option found among `keys` (kv list, case-insensitive), else among env names `envs`
 * (when opts->use_env). Both lists NULL-terminated; either may be NULL. Borrowed. */
const char *lr_cloud_opt(const struct lr_store_options *opts, const char *const *keys,
                         const char *const *envs);
bool lr_cloud_truthy(const char *v);

/* The HTTP policy from options timeout, connect_timeout, max_retries, retry_timeout,
 * retry_init_backoff, retry_max_backoff, or the same names as environment variables with
 * `prefix` ("AZURE" -> AZURE_TIMEOUT, "AWS" -> AWS_MAX_RETRIES). */
int lr_cloud_policy(const struct lr_store_options *opts, const char *prefix,
                    struct lr_http_policy *p, struct lr_error *err);

/* "a/b" + "/" + "c" without doubled or leading '/': caller frees. root may be "". */
char *lr_cloud_join(const char *root, const char *key);

/* Append an entry (key copied) to a page under construction. */
int lr_cloud_page_push(struct lr_store_page *p, size_t *cap, const char *key, uint64_t size,
                       int64_t mtime_ms, struct lr_error *err);
/* Sort a page's entries bytewise. */
void lr_cloud_page_sort(struct lr_store_page *p);

/* Shared mapping of a final non-2xx status to an LR_E* code with a clear message.
 * `code` is the service's error code ("BlobNotFound"), `msg` its first message line; both may
 * be "". The message names `what` (operation and key) and never headers or URLs' queries. */
int lr_cloud_status_error(struct lr_error *err, long status, const char *code, const char *msg,
                          const char *service, const char *what);

/* After a ranged GET answered 200/206 into out (from `base` on): cut a whole-object 200 down
 * to the range, check a 206's Content-Range, and turn an empty answer at the end into
 * LR_ERANGE. */
int lr_cloud_check_range(const struct lr_http_resp *r, struct lr_buf *out, size_t base,
                         uint64_t offset, uint64_t length, const char *key,
                         struct lr_error *err);

/* ---- The object requests both backends share (cloud_request.c) -------------------------- */

/* One request's inputs: built by the backend's build(), read by its prepare callback before
 * every attempt (dates and signatures are made fresh each time). */
struct lr_cloud_call {
    struct lr_store *store;
    const char *method;
    char *path;        /* owned; encoded, from the host on */
    char *query;       /* owned; encoded operation parameters (Azure: without the SAS); or NULL */
    char range[64];    /* "bytes=a-b" or "" */
    bool if_none_match; /* create only: If-None-Match: * */
    bool put;          /* an object write (Azure: blob type, content type and length headers) */
    const void *body;  /* borrowed */
    size_t body_len;
};
void lr_cloud_call_free(struct lr_cloud_call *c);

/* Append "name: value" to a header list (the formatted line is wiped after copying). */
int lr_cloud_add_header(struct curl_slist **h, const char *name, const char *value,
                        struct lr_error *err);

/* What a backend tells the shared request paths. */
struct lr_cloud_backend {
    const char *name;        /* for the log: "azure", "s3" */
    const char *service;     /* for messages: "Azure Storage", "S3" */
    const char *object;      /* "blob", "object" */
    const char *get_what, *head_what, *put_what, *create_what, *del_what; /* operation names */
    const long *put_ok;      /* 0-terminated statuses meaning "written" */
    const long *taken;       /* 0-terminated statuses meaning "a create found the name taken" */
    int create_retry_status; /* one more status to retry on a create (S3: 409), or 0 */
    /* The call and its complete URL for `key` (NULL: the container or bucket itself) with
     * operation parameters `query` (may be NULL). The call is freed with lr_cloud_call_free(),
     * the URL with free(); both are left clean on failure. */
    int (*build)(struct lr_store *s, struct lr_cloud_call *c, const char *method,
                 const char *key, const char *query, char **url, struct lr_error *err);
    lr_http_prepare_fn prepare; /* ctx is the struct lr_cloud_call */
    /* The service's error code and first message line of a failed answer (either may be ""). */
    void (*service_error)(const struct lr_http_resp *r, char *code, size_t ccap, char *msg,
                          size_t mcap);
};

/* The start of both backends' store structs: the store, its HTTP client and its backend. */
struct lr_cloud_store {
    struct lr_store base; /* first */
    struct lr_http *http;
    const struct lr_cloud_backend *backend;
};

/* An LR_E* error for a final non-success answer to operation `what`. */
int lr_cloud_fail(const struct lr_cloud_store *s, const struct lr_http_resp *r, const char *what,
                  struct lr_error *err);
/* Run a built call (body from the call) into `out` (NULL: resp->body). */
int lr_cloud_do(struct lr_cloud_store *s, struct lr_cloud_call *c, const char *url,
                const char *what, struct lr_buf *out, int extra_retry_status,
                struct lr_http_resp *resp, struct lr_error *err);

/* The lr_store_ops of both backends for objects (store_backend.h gives each contract). */
int lr_cloud_get(struct lr_store *s, const char *key, bool whole, uint64_t offset,
                 uint64_t length, struct lr_buf *out, struct lr_error *err);
void lr_cloud_get_many(struct lr_store *s, struct lr_store_read *reads, size_t n,
                       size_t parallel);
int lr_cloud_head(struct lr_store *s, const char *key, struct lr_store_entry *out,
                  struct lr_error *err);
/* A create that finds the name taken reads the object back: when it holds exactly our bytes,
 * an earlier attempt of ours landed and lost its answer (success, logged at INFO). */
int lr_cloud_put(struct lr_store *s, const char *key, const void *data, size_t len,
                 bool if_absent, struct lr_error *err);
/* A missing object is success. */
int lr_cloud_del(struct lr_store *s, const char *key, struct lr_error *err);

/* Admin calls for tests and setup tools: create the store's container / bucket (0 also when it
 * exists already); how many bearer tokens an Azure store fetched so far. */
int lr_azure_create_container(struct lr_store *s, struct lr_error *err);
int lr_s3_create_bucket(struct lr_store *s, struct lr_error *err);
unsigned lr_azure_token_fetches(struct lr_store *s);

#endif
