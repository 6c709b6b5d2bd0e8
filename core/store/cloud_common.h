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

/* Admin calls for tests and setup tools: create the store's container / bucket (0 also when it
 * exists already); how many bearer tokens an Azure store fetched so far. */
int lr_azure_create_container(struct lr_store *s, struct lr_error *err);
int lr_s3_create_bucket(struct lr_store *s, struct lr_error *err);
unsigned lr_azure_token_fetches(struct lr_store *s);

#endif
