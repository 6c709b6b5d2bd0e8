/* http.h - internal: the one HTTP layer under the Azure and S3 backends (libcurl).
 *
 * An lr_http client owns a libcurl share handle (connections, DNS and TLS sessions are reused
 * across requests and threads) and a small pool of easy handles. Requests run through libcurl's
 * multi interface, one or many at a time with a bound on how many are in flight. Every request
 * is retried with exponential backoff and full jitter on 408/429/500/502/503/504 (plus any
 * statuses the caller adds), on connection resets, truncated bodies and timeouts, honouring
 * Retry-After, within an overall deadline per request. TLS peers are always verified (an
 * optional CA bundle replaces the system store); proxies come from the environment
 * (http_proxy/https_proxy/no_proxy) unless a request opts out; redirects are never followed,
 * so Authorization headers only ever go to the URL the backend built. The debug log gets one
 * line per attempt with the URL's query removed and never any header.
 *
 * Thread-safe: one client may serve many threads; each perform call is independent. */
#ifndef LR_STORE_HTTP_H
#define LR_STORE_HTTP_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"

struct lr_store;

struct lr_http_policy {
    int max_attempts;        /* total tries, >= 1 (default 5) */
    long base_delay_ms;      /* first backoff cap (default 100) */
    long max_delay_ms;       /* cap of one backoff (default 5000) */
    long deadline_ms;        /* whole request incl. retries (default 120000) */
    long attempt_timeout_ms; /* one attempt (default 30000) */
    long connect_timeout_ms; /* default 10000 */
};

void lr_http_policy_default(struct lr_http_policy *p);

struct lr_http;

/* ca_bundle may be NULL (system store). The client copies what it keeps. */
int lr_http_new(struct lr_http **out, const char *ca_bundle, const struct lr_http_policy *policy,
                struct lr_error *err);
void lr_http_free(struct lr_http *h);
const struct lr_http_policy *lr_http_get_policy(const struct lr_http *h);

struct lr_http_req;

/* Called before every attempt: append the request's headers (date, signature, ...) to
 * *headers. The list is freed by the HTTP layer after the attempt. */
typedef int (*lr_http_prepare_fn)(void *ctx, const struct lr_http_req *req,
                                  struct curl_slist **headers, struct lr_error *err);

struct lr_http_req {
    const char *method; /* "GET", "HEAD", "PUT", "POST", "DELETE" */
    const char *url;    /* complete, already percent-encoded */
    const void *body;   /* PUT/POST body (may be NULL with body_len 0) */
    size_t body_len;
    lr_http_prepare_fn prepare;
    void *ctx;
    struct lr_buf *out;        /* 2xx bodies append here (reset to its length before each try);
                                  NULL: into resp->body */
    int extra_retry_status;    /* one more status to retry (e.g. S3 409 for conditional puts) */
    bool no_proxy;             /* bypass proxies (metadata endpoints) */
    struct lr_store *store;    /* counts retries there when not NULL */
    const char *what;          /* for messages: "GET blob x" (no secrets) */
};

struct lr_http_resp {
    long status;         /* final HTTP status, 0 when no response */
    int attempts;        /* tries made */
    struct lr_buf body;  /* non-2xx bodies (up to 64 KiB), or 2xx when req->out is NULL */
    struct lr_buf heads; /* the final response's header block */
};

void lr_http_resp_free(struct lr_http_resp *r);

/* Value of response header `name` (case-insensitive), trimmed, into buf. 0 found, -1 not. */
int lr_http_header(const struct lr_http_resp *r, const char *name, char *buf, size_t cap);

/* Run one request. 0 when an HTTP response arrived (whatever its status: the caller maps it),
 * LR_ENET / LR_ETIMEOUT when every attempt failed in transport, LR_ENOMEM, or the prepare
 * callback's error. `resp` is initialised here and must be freed by the caller. */
int lr_http_perform(struct lr_http *h, const struct lr_http_req *req, struct lr_http_resp *resp,
                    struct lr_error *err);

/* Run `n` requests with at most `parallel` in flight. rcs[i] and errs[i] (errs may be NULL)
 * get each request's result as lr_http_perform would return it. Returns 0. */
int lr_http_perform_many(struct lr_http *h, const struct lr_http_req *reqs,
                         struct lr_http_resp *resps, int *rcs, struct lr_error *errs, size_t n,
                         size_t parallel);

/* Parse an RFC 1123 date ("Thu, 26 Nov 2026 16:14:25 GMT") or ISO 8601 UTC
 * ("2026-11-26T16:14:25.000Z") into ms since the epoch; -1 when it is neither. */
int64_t lr_http_parse_date(const char *s);
/* Current time as RFC 1123 (x-ms-date) into buf[32], and as SigV4 "YYYYMMDDTHHMMSSZ" into
 * amz[17] when not NULL. */
void lr_http_now_dates(char rfc1123[32], char amz[17]);

/* Parse a duration option: "30", "30s", "500ms", "2m"; ms into *out. 0 or -1. */
int lr_http_parse_duration(const char *s, long *out);

#endif
