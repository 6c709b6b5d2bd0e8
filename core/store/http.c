/* http.c - the shared HTTP layer: libcurl share + easy-handle pool, multi-driven requests with
 * retries, backoff, Retry-After and deadlines (see http.h). */
#include "http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "digest.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "lakerewind/sys/store_backend.h"

#define POOL_MAX 16
#define ERROR_BODY_MAX (64u << 10)

struct lr_http {
    CURLSH *share;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
    pthread_mutex_t pool_lock;
    CURL *pool[POOL_MAX];
    size_t pool_n;
    CURLM *mpool[POOL_MAX]; /* idle multi handles (creating one costs a wake-up socket pair) */
    size_t mpool_n;
    char *ca_bundle;
    struct lr_http_policy policy;
};

void lr_http_policy_default(struct lr_http_policy *p)
{
    p->max_attempts = 5;
    p->base_delay_ms = 100;
    p->max_delay_ms = 5000;
    p->deadline_ms = 120000;
    p->attempt_timeout_ms = 30000;
    p->connect_timeout_ms = 10000;
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *userptr)
{
    (void)handle;
    (void)access;
    struct lr_http *h = userptr;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&h->locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *userptr)
{
    (void)handle;
    struct lr_http *h = userptr;
    if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&h->locks[data]);
}

int lr_http_new(struct lr_http **out, const char *ca_bundle, const struct lr_http_policy *policy,
                struct lr_error *err)
{
    *out = NULL;
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK)
        return lr_error_set(err, LR_ENET, "libcurl failed to initialise: %s",
                            curl_easy_strerror(global_rc));
    struct lr_http *h = calloc(1, sizeof *h);
    if (!h)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&h->locks[i], NULL);
    pthread_mutex_init(&h->pool_lock, NULL);
    if (policy)
        h->policy = *policy;
    else
        lr_http_policy_default(&h->policy);
    if (h->policy.max_attempts < 1)
        h->policy.max_attempts = 1;
    if (ca_bundle && *ca_bundle) {
        h->ca_bundle = lr_strdup(ca_bundle);
        if (!h->ca_bundle) {
            lr_http_free(h);
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        }
    }
    h->share = curl_share_init();
    if (!h->share) {
        lr_http_free(h);
        return lr_error_set(err, LR_ENOMEM, "libcurl could not create a share handle");
    }
    curl_share_setopt(h->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(h->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(h->share, CURLSHOPT_USERDATA, h);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    *out = h;
    return 0;
}

void lr_http_free(struct lr_http *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->pool_n; i++)
        curl_easy_cleanup(h->pool[i]);
    for (size_t i = 0; i < h->mpool_n; i++)
        curl_multi_cleanup(h->mpool[i]);
    if (h->share)
        curl_share_cleanup(h->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&h->locks[i]);
    pthread_mutex_destroy(&h->pool_lock);
    free(h->ca_bundle);
    free(h);
}

const struct lr_http_policy *lr_http_get_policy(const struct lr_http *h)
{
    return &h->policy;
}

static CURL *pool_take(struct lr_http *h)
{
    CURL *c = NULL;
    pthread_mutex_lock(&h->pool_lock);
    if (h->pool_n)
        c = h->pool[--h->pool_n];
    pthread_mutex_unlock(&h->pool_lock);
    return c ? c : curl_easy_init();
}

static void pool_give(struct lr_http *h, CURL *c)
{
    curl_easy_reset(c);
    pthread_mutex_lock(&h->pool_lock);
    if (h->pool_n < POOL_MAX) {
        h->pool[h->pool_n++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&h->pool_lock);
    if (c)
        curl_easy_cleanup(c);
}

static CURLM *multi_take(struct lr_http *h)
{
    CURLM *m = NULL;
    pthread_mutex_lock(&h->pool_lock);
    if (h->mpool_n)
        m = h->mpool[--h->mpool_n];
    pthread_mutex_unlock(&h->pool_lock);
    return m ? m : curl_multi_init();
}

static void multi_give(struct lr_http *h, CURLM *m)
{
    pthread_mutex_lock(&h->pool_lock);
    if (h->mpool_n < POOL_MAX) {
        h->mpool[h->mpool_n++] = m;
        m = NULL;
    }
    pthread_mutex_unlock(&h->pool_lock);
    if (m)
        curl_multi_cleanup(m);
}

void lr_http_resp_free(struct lr_http_resp *r)
{
    if (!r)
        return;
    lr_buf_free(&r->body);
    lr_buf_free(&r->heads);
}

int lr_http_header(const struct lr_http_resp *r, const char *name, char *buf, size_t cap)
{
    if (!r->heads.data || cap == 0)
        return -1;
    size_t nl = strlen(name);
    const char *p = (const char *)r->heads.data;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            const char *e = p + len;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
                e--;
            size_t vl = (size_t)(e - v);
            if (vl + 1 > cap)
                return -1;
            memcpy(buf, v, vl);
            buf[vl] = '\0';
            return 0;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    return -1;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static _Atomic uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t x = atomic_load(&rng_state);
    if (x == 0) {
        if (lr_random_bytes(&x, sizeof x) < 0 || x == 0)
            x = (uint64_t)mono_ms() * 0x9E3779B97F4A7C15ull + 1;
    }
    uint64_t n;
    do {
        n = x;
        n ^= n << 13;
        n ^= n >> 7;
        n ^= n << 17;
    } while (!atomic_compare_exchange_weak(&rng_state, &x, n));
    return n;
}

static const char *month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int64_t lr_http_parse_date(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int ms = 0;
    if (!s)
        return -1;
    if (isdigit((unsigned char)s[0])) {
        int y, mo, d, hh, mi, ss;
        int n = 0;
        if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &hh, &mi, &ss, &n) != 6)
            return -1;
        const char *r = s + n;
        if (*r == '.') {
            r++;
            int digits = 0;
            while (isdigit((unsigned char)*r)) {
                if (digits < 3)
                    ms = ms * 10 + (*r - '0');
                digits++;
                r++;
            }
            while (digits > 0 && digits < 3) {
                ms *= 10;
                digits++;
            }
        }
        if (*r != 'Z' && strcmp(r, "+00:00") != 0)
            return -1;
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = hh;
        tm.tm_min = mi;
        tm.tm_sec = ss;
    } else {
        char wd[4], mon[4], zone[4];
        int d, y, hh, mi, ss;
        if (sscanf(s, "%3s, %d %3s %d %d:%d:%d %3s", wd, &d, mon, &y, &hh, &mi, &ss, zone) != 8)
            return -1;
        if (strcmp(zone, "GMT") != 0 && strcmp(zone, "UTC") != 0)
            return -1;
        int m = -1;
        for (int i = 0; i < 12; i++)
            if (strcmp(mon, month_names[i]) == 0)
                m = i;
        if (m < 0)
            return -1;
        tm.tm_year = y - 1900;
        tm.tm_mon = m;
        tm.tm_mday = d;
        tm.tm_hour = hh;
        tm.tm_min = mi;
        tm.tm_sec = ss;
    }
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    return (int64_t)t * 1000 + ms;
}

void lr_http_now_dates(char rfc1123[32], char amz[17])
{
    char big[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    if (rfc1123) {
        snprintf(big, sizeof big, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
                 tm.tm_mday, month_names[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
                 tm.tm_min, tm.tm_sec);
        memcpy(rfc1123, big, 31);
        rfc1123[31] = '\0';
    }
    if (amz) {
        snprintf(big, sizeof big, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        memcpy(amz, big, 16);
        amz[16] = '\0';
    }
}


int lr_http_parse_duration(const char *s, long *out)
{
    if (!s || !*s)
        return -1;
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || v < 0 || v > 1e9)
        return -1;
    double mul = 1000;
    if (!strcmp(end, "ms"))
        mul = 1;
    else if (!strcmp(end, "s") || !*end)
        mul = 1000;
    else if (!strcmp(end, "m") || !strcmp(end, "min"))
        mul = 60000;
    else
        return -1;
    *out = (long)(v * mul);
    return 0;
}

enum job_state { JOB_WAIT, JOB_RUN, JOB_DONE };

struct job {
    struct lr_http *h;
    const struct lr_http_req *req;
    struct lr_http_resp *resp;
    int *rc;
    struct lr_error *err;
    struct lr_error local_err;
    enum job_state state;
    CURL *easy;
    struct curl_slist *hdrs;
    size_t out_base;
    int64_t deadline;
    int64_t not_before;
    int write_rc;
    long status_seen;
    char errbuf[CURL_ERROR_SIZE];
    char write_msg[256];
};

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct job *j = ud;
    size_t n = size * nmemb;
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0)
        lr_buf_reset(&j->resp->heads);
    if (j->resp->heads.len + n > ERROR_BODY_MAX)
        return n; /* ignore absurd header blocks beyond the cap */
    if (lr_buf_append(&j->resp->heads, data, n, NULL) < 0)
        return 0;
    return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct job *j = ud;
    size_t n = size * nmemb;
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    j->status_seen = status;
    if (status >= 200 && status < 300 && j->req->out) {
        struct lr_error e;
        int rc = lr_buf_append(j->req->out, data, n, &e);
        if (rc < 0) {
            j->write_rc = rc;
            size_t ml = strlen(e.message);
            if (ml >= sizeof j->write_msg)
                ml = sizeof j->write_msg - 1;
            memcpy(j->write_msg, e.message, ml);
            j->write_msg[ml] = '\0';
            return 0;
        }
        return n;
    }
    struct lr_buf *b = &j->resp->body;
    if (status < 200 || status >= 300) {
        if (b->len >= ERROR_BODY_MAX)
            return n;
        size_t take = n < ERROR_BODY_MAX - b->len ? n : ERROR_BODY_MAX - b->len;
        if (lr_buf_append(b, data, take, NULL) < 0)
            return 0;
        return n;
    }
    if (lr_buf_append(b, data, n, NULL) < 0) {
        j->write_rc = LR_ENOMEM;
        snprintf(j->write_msg, sizeof j->write_msg, "out of memory reading a response");
        return 0;
    }
    return n;
}

/* The URL without its query (SAS tokens live there), for logs and messages. */
static void url_for_display(const char *url, char *buf, size_t cap)
{
    const char *q = strchr(url, '?');
    size_t n = q ? (size_t)(q - url) : strlen(url);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, url, n);
    buf[n] = '\0';
}

static bool retryable_status(long st, int extra)
{
    return st == 408 || st == 429 || st == 500 || st == 502 || st == 503 || st == 504 ||
           (extra && st == extra);
}

static bool retryable_curl(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
        return true;
    default:
        return false;
    }
}

static int start_attempt(struct job *j, CURLM *m)
{
    struct lr_http *h = j->h;
    const struct lr_http_req *req = j->req;
    int64_t now = mono_ms();
    int64_t left = j->deadline - now;
    if (left <= 0)
        return lr_error_set(j->err, LR_ETIMEOUT, "%s: deadline passed", req->what);
    j->easy = pool_take(h);
    if (!j->easy)
        return lr_error_set(j->err, LR_ENOMEM, "libcurl could not create a handle");
    lr_buf_reset(&j->resp->body);
    lr_buf_reset(&j->resp->heads);
    if (req->out)
        req->out->len = j->out_base;
    j->write_rc = 0;
    j->status_seen = 0;
    j->errbuf[0] = '\0';
    j->hdrs = NULL;
    if (req->prepare) {
        int rc = req->prepare(req->ctx, req, &j->hdrs, j->err);
        if (rc < 0) {
            curl_slist_free_all(j->hdrs);
            j->hdrs = NULL;
            pool_give(h, j->easy);
            j->easy = NULL;
            return rc;
        }
    }
    bool has_ctype = false;
    for (struct curl_slist *l = j->hdrs; l; l = l->next)
        has_ctype |= strncasecmp(l->data, "Content-Type:", 13) == 0;
    struct curl_slist *more = curl_slist_append(j->hdrs, "Expect:");
    if (more && !has_ctype) /* no form-urlencoded default on bodies we did not type */
        more = curl_slist_append(more, "Content-Type:");
    if (!more) {
        curl_slist_free_all(j->hdrs);
        j->hdrs = NULL;
        pool_give(h, j->easy);
        j->easy = NULL;
        return lr_error_set(j->err, LR_ENOMEM, "out of memory");
    }
    j->hdrs = more;
    CURL *e = j->easy;
    long timeout = h->policy.attempt_timeout_ms < left ? h->policy.attempt_timeout_ms : (long)left;
    long ctimeout = h->policy.connect_timeout_ms < timeout ? h->policy.connect_timeout_ms : timeout;
    curl_easy_setopt(e, CURLOPT_SHARE, h->share);
    curl_easy_setopt(e, CURLOPT_URL, req->url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->ca_bundle)
        curl_easy_setopt(e, CURLOPT_CAINFO, h->ca_bundle);
    if (req->no_proxy)
        curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout > 0 ? timeout : 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ctimeout > 0 ? ctimeout : 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    if (!strcmp(req->method, "HEAD")) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (!strcmp(req->method, "PUT") || !strcmp(req->method, "POST")) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    } else if (strcmp(req->method, "GET") != 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    }
    if (curl_multi_add_handle(m, e) != CURLM_OK) {
        curl_slist_free_all(j->hdrs);
        j->hdrs = NULL;
        pool_give(h, j->easy);
        j->easy = NULL;
        return lr_error_set(j->err, LR_ENET, "%s: libcurl refused the request", req->what);
    }
    j->resp->attempts++;
    j->state = JOB_RUN;
    return 0;
}

static long retry_after_ms(const struct lr_http_resp *r)
{
    char v[64];
    if (lr_http_header(r, "Retry-After", v, sizeof v) < 0)
        return -1;
    int64_t secs;
    if (lr_parse_int64(v, &secs))
        return secs < 0 ? -1 : secs > 3600 ? 3600000L : (long)secs * 1000;
    int64_t at = lr_http_parse_date(v);
    if (at < 0)
        return -1;
    int64_t d = at - (int64_t)time(NULL) * 1000;
    return d < 0 ? 0 : d > 3600000 ? 3600000L : (long)d;
}

static long backoff_ms(const struct lr_http_policy *p, int attempt)
{
    long cap = p->base_delay_ms;
    for (int i = 1; i < attempt && cap < p->max_delay_ms; i++)
        cap *= 2;
    if (cap > p->max_delay_ms)
        cap = p->max_delay_ms;
    if (cap <= 0)
        return 0;
    return (long)(rng_next() % (uint64_t)(cap + 1));
}

static void finish_job(struct job *j, int rc)
{
    j->state = JOB_DONE;
    *j->rc = rc;
}

/* An attempt finished with `cc`: finish the job or schedule the next try. */
static void end_attempt(struct job *j, CURLM *m, CURLcode cc)
{
    struct lr_http *h = j->h;
    const struct lr_http_req *req = j->req;
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(m, j->easy);
    pool_give(h, j->easy);
    j->easy = NULL;
    curl_slist_free_all(j->hdrs);
    j->hdrs = NULL;
    char shown[512];
    url_for_display(req->url, shown, sizeof shown);
    if (j->write_rc < 0) {
        lr_error_set(j->err, j->write_rc, "%s: %s", req->what, j->write_msg);
        finish_job(j, j->write_rc);
        return;
    }
    bool transport = cc != CURLE_OK;
    j->resp->status = transport ? 0 : status;
    LR_DEBUG("http %s %s attempt %d -> %ld%s%s", req->method, shown, j->resp->attempts,
             transport ? 0L : status, transport ? " " : "",
             transport ? curl_easy_strerror(cc) : "");
    bool again = transport ? retryable_curl(cc) : retryable_status(status, req->extra_retry_status);
    if (!again) {
        if (transport) {
            lr_error_set(j->err, LR_ENET, "%s (%s): %s", req->what, shown,
                         j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc));
            finish_job(j, LR_ENET);
        } else {
            finish_job(j, 0);
        }
        return;
    }
    int64_t now = mono_ms();
    long delay = backoff_ms(&h->policy, j->resp->attempts);
    long ra = transport ? -1 : retry_after_ms(j->resp);
    if (ra >= 0)
        delay = ra;
    bool out_of_time = now + delay >= j->deadline;
    if (j->resp->attempts >= h->policy.max_attempts || out_of_time) {
        if (transport) {
            int code = cc == CURLE_OPERATION_TIMEDOUT ? LR_ETIMEOUT : LR_ENET;
            lr_error_set(j->err, code, "%s (%s): %s after %d attempt%s", req->what, shown,
                         j->errbuf[0] ? j->errbuf : curl_easy_strerror(cc), j->resp->attempts,
                         j->resp->attempts == 1 ? "" : "s");
            finish_job(j, code);
        } else {
            finish_job(j, 0); /* the caller reports the final status */
        }
        return;
    }
    if (req->store)
        lr_store_count_retry(req->store);
    j->not_before = now + delay;
    j->state = JOB_WAIT;
}

int lr_http_perform_many(struct lr_http *h, const struct lr_http_req *reqs,
                         struct lr_http_resp *resps, int *rcs, struct lr_error *errs, size_t n,
                         size_t parallel)
{
    if (parallel == 0)
        parallel = 1;
    struct job *jobs = calloc(n ? n : 1, sizeof *jobs);
    CURLM *m = multi_take(h);
    int64_t start = mono_ms();
    for (size_t i = 0; i < n; i++) {
        memset(&resps[i], 0, sizeof resps[i]);
        rcs[i] = LR_ENOMEM;
        if (errs)
            lr_error_clear(&errs[i]);
    }
    if (!jobs || !m) {
        for (size_t i = 0; i < n; i++)
            if (errs)
                lr_error_set(&errs[i], LR_ENOMEM, "out of memory");
        free(jobs);
        if (m)
            multi_give(h, m);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        j->h = h;
        j->req = &reqs[i];
        j->resp = &resps[i];
        j->rc = &rcs[i];
        j->err = errs ? &errs[i] : &j->local_err;
        j->out_base = reqs[i].out ? reqs[i].out->len : 0;
        j->deadline = start + h->policy.deadline_ms;
        j->state = JOB_WAIT;
        lr_buf_init(&resps[i].body, 0);
        lr_buf_init(&resps[i].heads, 0);
    }
    size_t done = 0, running = 0;
    while (done < n) {
        int64_t now = mono_ms();
        for (size_t i = 0; i < n && running < parallel; i++) {
            struct job *j = &jobs[i];
            if (j->state != JOB_WAIT || now < j->not_before)
                continue;
            int rc = start_attempt(j, m);
            if (rc < 0) {
                finish_job(j, rc);
                done++;
            } else {
                running++;
            }
        }
        if (done == n)
            break;
        int still = 0;
        curl_multi_perform(m, &still);
        CURLMsg *msg;
        int q;
        while ((msg = curl_multi_info_read(m, &q)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct job *j = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            if (!j)
                continue;
            CURLcode cc = msg->data.result;
            end_attempt(j, m, cc);
            running--;
            if (j->state == JOB_DONE)
                done++;
        }
        if (done == n)
            break;
        long wait = 1000;
        now = mono_ms();
        for (size_t i = 0; i < n; i++) {
            if (jobs[i].state != JOB_WAIT)
                continue;
            int64_t d = jobs[i].not_before - now;
            if (d < 0)
                d = 0;
            if (d < wait && (running < parallel))
                wait = (long)d;
        }
        if (wait > 0 || running > 0)
            curl_multi_poll(m, NULL, 0, (int)wait, NULL);
    }
    multi_give(h, m); /* every easy handle was removed in end_attempt */
    free(jobs);
    return 0;
}

int lr_http_perform(struct lr_http *h, const struct lr_http_req *req, struct lr_http_resp *resp,
                    struct lr_error *err)
{
    int rc = LR_ENOMEM;
    struct lr_error e;
    lr_error_clear(&e);
    lr_http_perform_many(h, req, resp, &rc, &e, 1, 1);
    if (rc < 0 && err)
        *err = e;
    return rc;
}
