/* cloud_request.c - the object requests the Azure and S3 backends share: get (one or many at
 * once), head, put (with the lost-answer check of a create) and delete. A backend only builds
 * its URLs, signs each attempt and names its operations (struct lr_cloud_backend). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_common.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"

void lr_cloud_call_free(struct lr_cloud_call *c)
{
    free(c->path);
    free(c->query);
    c->path = c->query = NULL;
}

int lr_cloud_add_header(struct curl_slist **h, const char *name, const char *value,
                        struct lr_error *err)
{
    char *line = lr_asprintf("%s: %s", name, value);
    if (!line)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct curl_slist *n = curl_slist_append(*h, line);
    memset(line, 0, strlen(line));
    free(line);
    if (!n)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    *h = n;
    return 0;
}

static bool status_in(long status, const long *list)
{
    for (; list && *list; list++)
        if (*list == status)
            return true;
    return false;
}

int lr_cloud_fail(const struct lr_cloud_store *s, const struct lr_http_resp *r, const char *what,
                  struct lr_error *err)
{
    char code[128], msg[512];
    s->backend->service_error(r, code, sizeof code, msg, sizeof msg);
    return lr_cloud_status_error(err, r->status, code, msg, s->backend->service, what);
}

static void request_init(struct lr_cloud_store *s, struct lr_cloud_call *c, const char *url,
                         const char *what, struct lr_buf *out, struct lr_http_req *req)
{
    memset(req, 0, sizeof *req);
    req->method = c->method;
    req->url = url;
    req->body = c->body;
    req->body_len = c->body_len;
    req->prepare = s->backend->prepare;
    req->ctx = c;
    req->out = out;
    req->store = &s->base;
    req->what = what;
}

int lr_cloud_do(struct lr_cloud_store *s, struct lr_cloud_call *c, const char *url,
                const char *what, struct lr_buf *out, int extra_retry_status,
                struct lr_http_resp *resp, struct lr_error *err)
{
    struct lr_http_req req;
    request_init(s, c, url, what, out, &req);
    req.extra_retry_status = extra_retry_status;
    return lr_http_perform(s->http, &req, resp, err);
}

/* One read: begin builds the call and the HTTP request, end maps the answer. */
struct cloud_read {
    struct lr_cloud_call c;
    char *url;
    size_t base;
};

static int get_begin(struct lr_cloud_store *s, struct cloud_read *r, const char *key,
                     bool whole, uint64_t offset, uint64_t length, struct lr_buf *out,
                     struct lr_http_req *req, struct lr_error *err)
{
    memset(r, 0, sizeof *r);
    int rc = s->backend->build(&s->base, &r->c, "GET", key, NULL, &r->url, err);
    if (rc < 0)
        return rc;
    r->base = out->len;
    if (!whole)
        snprintf(r->c.range, sizeof r->c.range, "bytes=%llu-%llu", (unsigned long long)offset,
                 (unsigned long long)(offset + length - 1));
    request_init(s, &r->c, r->url, s->backend->get_what, out, req);
    return 0;
}

static int get_end(struct lr_cloud_store *s, struct cloud_read *r, int rc,
                   struct lr_http_resp *resp, const char *key, bool whole, uint64_t offset,
                   uint64_t length, struct lr_buf *out, struct lr_error *err)
{
    if (rc == 0 && resp->status != 200 && resp->status != 206) {
        if (resp->status == 416)
            rc = lr_error_set(err, LR_ERANGE, "offset %llu is at or past the end of %s",
                              (unsigned long long)offset, key);
        else
            rc = lr_cloud_fail(s, resp, s->backend->get_what, err);
    } else if (rc == 0 && !whole) {
        rc = lr_cloud_check_range(resp, out, r->base, offset, length, key, err);
    }
    lr_http_resp_free(resp);
    lr_cloud_call_free(&r->c);
    free(r->url);
    r->url = NULL;
    return rc;
}

int lr_cloud_get(struct lr_store *st, const char *key, bool whole, uint64_t offset,
                 uint64_t length, struct lr_buf *out, struct lr_error *err)
{
    struct lr_cloud_store *s = (struct lr_cloud_store *)st;
    struct cloud_read r;
    struct lr_http_req req;
    int rc = get_begin(s, &r, key, whole, offset, length, out, &req, err);
    if (rc < 0)
        return rc;
    struct lr_http_resp resp;
    rc = lr_http_perform(s->http, &req, &resp, err);
    return get_end(s, &r, rc, &resp, key, whole, offset, length, out, err);
}

void lr_cloud_get_many(struct lr_store *st, struct lr_store_read *reads, size_t n,
                       size_t parallel)
{
    struct lr_cloud_store *s = (struct lr_cloud_store *)st;
    struct cloud_read *rs = calloc(n ? n : 1, sizeof *rs);
    struct lr_http_req *reqs = calloc(n ? n : 1, sizeof *reqs);
    struct lr_http_resp *resps = calloc(n ? n : 1, sizeof *resps);
    int *rcs = calloc(n ? n : 1, sizeof *rcs);
    struct lr_error *errs = calloc(n ? n : 1, sizeof *errs);
    size_t *idx = calloc(n ? n : 1, sizeof *idx);
    if (!rs || !reqs || !resps || !rcs || !errs || !idx) {
        for (size_t i = 0; i < n; i++)
            if (reads[i].rc == 1)
                reads[i].rc = lr_error_set(&reads[i].err, LR_ENOMEM, "out of memory");
        goto done;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        struct lr_store_read *r = &reads[i];
        if (r->rc != 1)
            continue;
        int rc = get_begin(s, &rs[m], r->key, r->whole, r->offset, r->length, r->out, &reqs[m],
                           &r->err);
        if (rc < 0) {
            r->rc = rc;
            continue;
        }
        idx[m++] = i;
    }
    lr_http_perform_many(s->http, reqs, resps, rcs, errs, m, parallel);
    for (size_t k = 0; k < m; k++) {
        struct lr_store_read *r = &reads[idx[k]];
        if (rcs[k] < 0)
            r->err = errs[k];
        r->rc = get_end(s, &rs[k], rcs[k], &resps[k], r->key, r->whole, r->offset, r->length,
                        r->out, &r->err);
    }
done:
    free(rs);
    free(reqs);
    free(resps);
    free(rcs);
    free(errs);
    free(idx);
}

int lr_cloud_head(struct lr_store *st, const char *key, struct lr_store_entry *out,
                  struct lr_error *err)
{
    struct lr_cloud_store *s = (struct lr_cloud_store *)st;
    const char *what = s->backend->head_what;
    struct lr_cloud_call c;
    char *url = NULL;
    int rc = s->backend->build(st, &c, "HEAD", key, NULL, &url, err);
    if (rc < 0)
        return rc;
    struct lr_http_resp resp;
    rc = lr_cloud_do(s, &c, url, what, NULL, 0, &resp, err);
    if (rc == 0 && resp.status == 200) {
        char v[64];
        uint64_t size = 0;
        if (lr_http_header(&resp, "Content-Length", v, sizeof v) < 0 ||
            !lr_parse_uint64(v, &size)) {
            rc = lr_error_set(err, LR_ECORRUPT, "%s: no Content-Length", what);
        } else {
            out->size = size;
            out->mtime_ms = lr_http_header(&resp, "Last-Modified", v, sizeof v) == 0
                                ? lr_http_parse_date(v)
                                : -1;
            out->key = lr_strdup(key);
            if (!out->key)
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        }
    } else if (rc == 0) {
        rc = lr_cloud_fail(s, &resp, what, err);
    }
    lr_http_resp_free(&resp);
    lr_cloud_call_free(&c);
    free(url);
    return rc;
}

/* After a create found `key` taken: 0 when it holds exactly our bytes, else LR_EEXISTS. */
static int taken_by_us(struct lr_store *st, const char *key, const void *data, size_t len,
                       struct lr_error *err)
{
    const struct lr_cloud_backend *b = ((struct lr_cloud_store *)st)->backend;
    /* Always check whose bytes are there: an earlier attempt of ours may have landed and lost
     * its answer, and libcurl itself silently resends a request once when a reused connection
     * dies before any answer, so attempts == 1 proves nothing. (Two writers offering
     * byte-identical commits would both see success; Delta commits carry timestamps and ids,
     * so they differ.) */
    struct lr_buf cur = LR_BUF_INIT;
    lr_buf_init(&cur, len + 1);
    struct lr_error e2;
    int rc = LR_EEXISTS;
    if (lr_cloud_get(st, key, true, 0, 0, &cur, &e2) == 0 && cur.len == len &&
        (len == 0 || memcmp(cur.data, data, len) == 0)) {
        rc = 0;
        LR_INFO("%s: create of %s was retried and the %s holds our bytes: the earlier attempt "
                "succeeded", b->name, key, b->object);
    }
    lr_buf_free(&cur);
    if (rc == LR_EEXISTS)
        lr_error_set(err, LR_EEXISTS, "%s already exists", key);
    return rc;
}

int lr_cloud_put(struct lr_store *st, const char *key, const void *data, size_t len,
                 bool if_absent, struct lr_error *err)
{
    struct lr_cloud_store *s = (struct lr_cloud_store *)st;
    const struct lr_cloud_backend *b = s->backend;
    struct lr_cloud_call c;
    char *url = NULL;
    int rc = b->build(st, &c, "PUT", key, NULL, &url, err);
    if (rc < 0)
        return rc;
    c.put = true;
    c.if_none_match = if_absent;
    c.body = data;
    c.body_len = len;
    struct lr_http_resp resp;
    rc = lr_cloud_do(s, &c, url, if_absent ? b->create_what : b->put_what, NULL,
                     if_absent ? b->create_retry_status : 0, &resp, err);
    if (rc == 0 && !status_in(resp.status, b->put_ok)) {
        if (if_absent && status_in(resp.status, b->taken))
            rc = taken_by_us(st, key, data, len, err);
        else
            rc = lr_cloud_fail(s, &resp, b->put_what, err);
    }
    lr_http_resp_free(&resp);
    lr_cloud_call_free(&c);
    free(url);
    return rc;
}

int lr_cloud_del(struct lr_store *st, const char *key, struct lr_error *err)
{
    struct lr_cloud_store *s = (struct lr_cloud_store *)st;
    struct lr_cloud_call c;
    char *url = NULL;
    int rc = s->backend->build(st, &c, "DELETE", key, NULL, &url, err);
    if (rc < 0)
        return rc;
    struct lr_http_resp resp;
    rc = lr_cloud_do(s, &c, url, s->backend->del_what, NULL, 0, &resp, err);
    if (rc == 0 && resp.status != 200 && resp.status != 202 && resp.status != 204 &&
        resp.status != 404)
        rc = lr_cloud_fail(s, &resp, s->backend->del_what, err);
    lr_http_resp_free(&resp);
    lr_cloud_call_free(&c);
    free(url);
    return rc;
}
