/* s3.c - the S3 (and S3-compatible) backend, signed with our own SigV4 signer (sigv4.c).
 *
 * Configuration: store options or environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL,
 * AWS_ALLOW_HTTP), then the shared credentials file (AWS_SHARED_CREDENTIALS_FILE or
 * ~/.aws/credentials, profile AWS_PROFILE or "default") and its config file for the region.
 * A custom endpoint is addressed path-style; AWS itself virtual-hosted style. Conditional
 * create is If-None-Match: * (412 = exists, 409 = a racing write: retried); whether the store
 * really honours it is probed before the first create (store.c, lr_store_probe). */
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cloud_common.h"
#include "digest.h"
#include "http.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "sigv4.h"
#include "xml.h"

struct s3_store {
    struct lr_cloud_store cloud; /* first */
    char *base_url;  /* scheme://host[:port] */
    char *host;      /* Host header value */
    char *path_pre;  /* "/bucket" (path style) or "" (virtual hosted) */
    char *bucket;
    char *root;
    char *region;
    char *access_key;
    char *secret_key;
    char *session_token;
    bool unsigned_requests;
};

static int s3_prepare(void *ctx, const struct lr_http_req *req, struct curl_slist **hdrs,
                      struct lr_error *err)
{
    (void)req;
    struct lr_cloud_call *c = ctx;
    struct s3_store *s = (struct s3_store *)c->store;
    char amz[17];
    lr_http_now_dates(NULL, amz);
    char hash[65];
    lr_sha256_hex(c->body ? c->body : "", c->body_len, hash);
    struct lr_sigv4_header h[8];
    size_t n = 0;
    h[n++] = (struct lr_sigv4_header){"host", s->host};
    h[n++] = (struct lr_sigv4_header){"x-amz-date", amz};
    h[n++] = (struct lr_sigv4_header){"x-amz-content-sha256", hash};
    if (s->session_token)
        h[n++] = (struct lr_sigv4_header){"x-amz-security-token", s->session_token};
    if (c->range[0])
        h[n++] = (struct lr_sigv4_header){"range", c->range};
    if (c->if_none_match)
        h[n++] = (struct lr_sigv4_header){"if-none-match", "*"};
    if (!strcmp(c->method, "PUT"))
        h[n++] = (struct lr_sigv4_header){"content-type", "application/octet-stream"};
    int rc = 0;
    for (size_t i = 1; rc == 0 && i < n; i++) /* curl sends Host itself */
        rc = lr_cloud_add_header(hdrs, h[i].name, h[i].value, err);
    if (rc < 0 || s->unsigned_requests)
        return rc;
    struct lr_sigv4_input in = {
        .method = c->method,
        .path = c->path,
        .query = c->query,
        .headers = h,
        .header_count = n,
        .payload_hash = hash,
        .amz_date = amz,
        .region = s->region,
        .service = "s3",
        .access_key = s->access_key,
        .secret_key = s->secret_key,
    };
    char *auth = NULL;
    rc = lr_sigv4_sign(&in, &auth, NULL, NULL, err);
    if (rc == 0)
        rc = lr_cloud_add_header(hdrs, "Authorization", auth, err);
    free(auth);
    return rc;
}

static int s3_build(struct lr_store *st, struct lr_cloud_call *c, const char *method,
                    const char *key, const char *query, char **url, struct lr_error *err)
{
    struct s3_store *s = (struct s3_store *)st;
    memset(c, 0, sizeof *c);
    c->store = st;
    c->method = method;
    char *enc = NULL;
    if (key) {
        char *full = lr_cloud_join(s->root, key);
        enc = full ? lr_url_encode(full, 1) : NULL;
        free(full);
        if (!enc)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    c->path = key ? lr_asprintf("%s/%s", s->path_pre, enc)
                  : lr_strdup(*s->path_pre ? s->path_pre : "/");
    free(enc);
    c->query = query ? lr_strdup(query) : NULL;
    *url = c->path ? lr_asprintf("%s%s%s%s", s->base_url, c->path, query ? "?" : "",
                                 query ? query : "")
                   : NULL;
    if (!c->path || !*url || (query && !c->query)) {
        free(*url);
        *url = NULL;
        lr_cloud_call_free(c);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    return 0;
}

static void s3_service_error(const struct lr_http_resp *r, char *code, size_t ccap, char *msg,
                             size_t mcap)
{
    code[0] = msg[0] = '\0';
    if (r->body.len) {
        lr_xml_first_text((const char *)r->body.data, r->body.len, "Code", code, ccap);
        lr_xml_first_text((const char *)r->body.data, r->body.len, "Message", msg, mcap);
    }
}

struct list_ctx {
    struct lr_store_page *page;
    size_t cap;
    const char *root_prefix;
    const char *start_after;
    char key[2048];
    uint64_t size;
    int64_t mtime;
    bool truncated;
    char *next;
    struct lr_error *err;
};

static int list_open(void *ctx, const char *path, const char *attrs, size_t alen)
{
    (void)attrs;
    (void)alen;
    struct list_ctx *l = ctx;
    if (!strcmp(path, "ListBucketResult/Contents")) {
        l->key[0] = '\0';
        l->size = 0;
        l->mtime = -1;
    }
    return 0;
}

static int list_close(void *ctx, const char *path, const char *text, size_t len)
{
    struct list_ctx *l = ctx;
    if (!strcmp(path, "ListBucketResult/Contents/Key")) {
        if (len >= sizeof l->key)
            return lr_error_set(l->err, LR_ELIMIT, "an object key in the listing is too long");
        memcpy(l->key, text, len);
        l->key[len] = '\0';
    } else if (!strcmp(path, "ListBucketResult/Contents/Size")) {
        if (!lr_parse_uint64(text, &l->size))
            return lr_error_set(l->err, LR_ECORRUPT, "bad Size '%s' in a listing", text);
    } else if (!strcmp(path, "ListBucketResult/Contents/LastModified")) {
        l->mtime = lr_http_parse_date(text);
    } else if (!strcmp(path, "ListBucketResult/Contents")) {
        size_t rl = strlen(l->root_prefix);
        if (strncmp(l->key, l->root_prefix, rl) != 0)
            return 0;
        const char *rel = l->key + rl;
        if (!*rel || rel[strlen(rel) - 1] == '/' ||
            (l->start_after && strcmp(rel, l->start_after) <= 0))
            return 0;
        return lr_cloud_page_push(l->page, &l->cap, rel, l->size, l->mtime, l->err);
    } else if (!strcmp(path, "ListBucketResult/IsTruncated")) {
        l->truncated = !strcmp(text, "true");
    } else if (!strcmp(path, "ListBucketResult/NextContinuationToken")) {
        free(l->next);
        l->next = len ? lr_strndup(text, len) : NULL;
        if (len && !l->next)
            return lr_error_set(l->err, LR_ENOMEM, "out of memory");
    }
    return 0;
}

static int s3_list_page(struct lr_store *st, const char *prefix, const char *start_after,
                        const char *token, size_t max_keys, struct lr_store_page *out,
                        struct lr_error *err)
{
    struct s3_store *s = (struct s3_store *)st;
    char *root_prefix = *s->root ? lr_asprintf("%s/", s->root) : lr_strdup("");
    char *full_prefix = root_prefix ? lr_asprintf("%s%s", root_prefix, prefix) : NULL;
    char *full_after = NULL;
    char *ep = full_prefix ? lr_url_encode(full_prefix, 0) : NULL;
    char *et = token ? lr_url_encode(token, 0) : NULL;
    char *ea = NULL;
    int rc = 0;
    if (start_after && !token) {
        full_after = root_prefix ? lr_asprintf("%s%s", root_prefix, start_after) : NULL;
        ea = full_after ? lr_url_encode(full_after, 0) : NULL;
    }
    if (max_keys == 0 || max_keys > 1000)
        max_keys = 1000;
    /* parameters in canonical (sorted) order, as signed */
    char *q = (ep && (!token || et) && (!start_after || token || ea))
                  ? lr_asprintf("%s%s%slist-type=2&max-keys=%zu&prefix=%s%s%s",
                                et ? "continuation-token=" : "", et ? et : "", et ? "&" : "",
                                max_keys, ep, ea ? "&start-after=" : "", ea ? ea : "")
                  : NULL;
    struct lr_cloud_call c;
    char *url = NULL;
    struct lr_http_resp resp;
    memset(&resp, 0, sizeof resp);
    if (!q) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = s3_build(st, &c, "GET", NULL, q, &url, err)) < 0)
        goto done;
    rc = lr_cloud_do(&s->cloud, &c, url, "ListObjectsV2", NULL, 0, &resp, err);
    if (rc == 0 && resp.status != 200)
        rc = lr_cloud_fail(&s->cloud, &resp, "ListObjectsV2", err);
    if (rc == 0) {
        struct list_ctx l;
        memset(&l, 0, sizeof l);
        l.page = out;
        l.root_prefix = root_prefix;
        l.start_after = start_after;
        l.err = err;
        struct lr_xml_handler h = {list_open, list_close, &l};
        rc = lr_xml_scan((const char *)resp.body.data, resp.body.len, &h,
                         "a ListObjectsV2 answer", err);
        if (rc == 0 && l.truncated && !l.next)
            rc = lr_error_set(err, LR_ECORRUPT,
                              "ListObjectsV2: a truncated page without NextContinuationToken");
        if (rc == 0) {
            lr_cloud_page_sort(out);
            out->next_token = l.truncated ? l.next : NULL;
            if (!l.truncated)
                free(l.next);
        } else {
            free(l.next);
        }
    }
    lr_cloud_call_free(&c);
done:
    lr_http_resp_free(&resp);
    free(url);
    free(q);
    free(ep);
    free(et);
    free(ea);
    free(full_after);
    free(root_prefix);
    free(full_prefix);
    return rc;
}

static void s3_destroy(struct lr_store *st)
{
    struct s3_store *s = (struct s3_store *)st;
    lr_http_free(s->cloud.http);
    free(s->base_url);
    free(s->host);
    free(s->path_pre);
    free(s->bucket);
    free(s->root);
    free(s->region);
    free(s->access_key);
    if (s->secret_key)
        memset(s->secret_key, 0, strlen(s->secret_key));
    free(s->secret_key);
    if (s->session_token)
        memset(s->session_token, 0, strlen(s->session_token));
    free(s->session_token);
    free(s);
}

/* "aws:<access key id>": see lr_store_identity() for why not a profile or session name. */
static int s3_identity(struct lr_store *st, char **out, struct lr_error *err)
{
    struct s3_store *s = (struct s3_store *)st;
    *out = NULL;
    if (s->unsigned_requests || !s->access_key || !*s->access_key)
        return 0;
    *out = lr_asprintf("aws:%s", s->access_key);
    return *out ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
}

static const long s3_put_ok[] = {200, 201, 204, 0};
/* 412 PreconditionFailed; 304 from some S3-compatible stores */
static const long s3_taken[] = {412, 304, 0};

static const struct lr_cloud_backend s3_backend = {
    .name = "s3",
    .service = "S3",
    .object = "object",
    .get_what = "GetObject",
    .head_what = "HeadObject",
    .put_what = "PutObject",
    .create_what = "PutObject (create only)",
    .del_what = "DeleteObject",
    .put_ok = s3_put_ok,
    .taken = s3_taken,
    .create_retry_status = 409, /* ConditionalRequestConflict: a racing write; retry */
    .build = s3_build,
    .prepare = s3_prepare,
    .service_error = s3_service_error,
};

static const struct lr_store_ops s3_ops = {
    .version = LR_STORE_OPS_VERSION,
    .name = "s3",
    .get = lr_cloud_get,
    .get_many = lr_cloud_get_many,
    .head = lr_cloud_head,
    .list_page = s3_list_page,
    .put = lr_cloud_put,
    .del = lr_cloud_del,
    .identity = s3_identity,
    .destroy = s3_destroy,
};

#define K(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Read `key` from section `section` of an INI file; malloc'd value or NULL. */
static char *ini_get(const char *path, const char *section, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char line[4096];
    bool in = false;
    char *val = NULL;
    while (!val && fgets(line, sizeof line, f)) {
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        size_t n = strlen(p);
        while (n > 0 && isspace((unsigned char)p[n - 1]))
            p[--n] = '\0';
        if (*p == '#' || *p == ';' || !*p)
            continue;
        if (*p == '[') {
            char *e = strchr(p, ']');
            if (e)
                *e = '\0';
            char *name = p + 1;
            while (isspace((unsigned char)*name))
                name++;
            in = strcmp(name, section) == 0;
            continue;
        }
        if (!in)
            continue;
        char *eq = strchr(p, '=');
        if (!eq)
            continue;
        char *ke = eq;
        while (ke > p && isspace((unsigned char)ke[-1]))
            ke--;
        if ((size_t)(ke - p) == strlen(key) && strncasecmp(p, key, (size_t)(ke - p)) == 0) {
            char *v = eq + 1;
            while (isspace((unsigned char)*v))
                v++;
            val = lr_strdup(v);
        }
    }
    fclose(f);
    return val;
}

static char *home_file(const char *rel)
{
    const char *home = getenv("HOME");
    return home ? lr_asprintf("%s/%s", home, rel) : NULL;
}

int lr_s3_store_open(struct lr_store **out, const struct lr_uri *uri,
                     const struct lr_store_options *o, struct lr_error *err)
{
    *out = NULL;
    struct s3_store *s = calloc(1, sizeof *s);
    if (!s)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    s->cloud.base.ops = &s3_ops;
    s->cloud.backend = &s3_backend;
    s->cloud.base.caps = LR_STORE_CAP_ATOMIC_CREATE | LR_STORE_CAP_MTIME;
    int rc = 0;
    char *cred_file = NULL, *conf_file = NULL, *prof_section = NULL;
    s->bucket = lr_strdup(uri->container);
    s->root = lr_strdup(uri->path ? uri->path : "");
    const char *profile = lr_cloud_opt(o, K("aws_profile", "profile"), K("AWS_PROFILE"));
    if (!profile)
        profile = "default";
    const char *cf = lr_cloud_opt(o, K("aws_shared_credentials_file"),
                                  K("AWS_SHARED_CREDENTIALS_FILE"));
    cred_file = cf ? lr_strdup(cf) : home_file(".aws/credentials");
    const char *cfg = lr_cloud_opt(o, K("aws_config_file"), K("AWS_CONFIG_FILE"));
    conf_file = cfg ? lr_strdup(cfg) : home_file(".aws/config");
    prof_section = strcmp(profile, "default") == 0 ? lr_strdup("default")
                                                   : lr_asprintf("profile %s", profile);

    const char *v = lr_cloud_opt(o, K("aws_access_key_id", "access_key_id"),
                                 K("AWS_ACCESS_KEY_ID"));
    const char *sk = lr_cloud_opt(o, K("aws_secret_access_key", "secret_access_key"),
                                  K("AWS_SECRET_ACCESS_KEY"));
    const char *tok = lr_cloud_opt(o, K("aws_session_token", "session_token", "aws_token",
                                        "token"),
                                   K("AWS_SESSION_TOKEN", "AWS_TOKEN"));
    if (v && sk) {
        s->access_key = lr_strdup(v);
        s->secret_key = lr_strdup(sk);
        s->session_token = tok ? lr_strdup(tok) : NULL;
    } else if (cred_file) {
        s->access_key = ini_get(cred_file, profile, "aws_access_key_id");
        s->secret_key = ini_get(cred_file, profile, "aws_secret_access_key");
        s->session_token = ini_get(cred_file, profile, "aws_session_token");
    }
    s->unsigned_requests = lr_cloud_truthy(lr_cloud_opt(o, K("aws_skip_signature",
                                                             "skip_signature"),
                                                        K("AWS_SKIP_SIGNATURE")));
    if ((!s->access_key || !s->secret_key) && !s->unsigned_requests) {
        rc = lr_error_set(err, LR_EAUTH,
                          "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                          "or AWS_PROFILE with a profile in %s",
                          cred_file ? cred_file : "~/.aws/credentials");
        goto fail;
    }
    lr_redact_register(s->secret_key);
    lr_redact_register(s->session_token);
    const char *region = lr_cloud_opt(o, K("aws_region", "region", "aws_default_region"),
                                      K("AWS_REGION", "AWS_DEFAULT_REGION"));
    if (region)
        s->region = lr_strdup(region);
    else if (conf_file)
        s->region = ini_get(conf_file, prof_section ? prof_section : "default", "region");
    if (!s->region)
        s->region = lr_strdup("us-east-1");
    const char *endpoint = lr_cloud_opt(o, K("aws_endpoint_url", "aws_endpoint", "endpoint",
                                             "endpoint_url"),
                                        K("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL",
                                          "AWS_ENDPOINT"));
    bool vhost = lr_cloud_truthy(lr_cloud_opt(o, K("aws_virtual_hosted_style_request",
                                                   "virtual_hosted_style_request"),
                                              K("AWS_VIRTUAL_HOSTED_STYLE_REQUEST")));
    bool allow_http = lr_cloud_truthy(lr_cloud_opt(o, K("allow_http", "aws_allow_http"),
                                                   K("AWS_ALLOW_HTTP")));
    if (!s->bucket || !s->root || !s->region) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto fail;
    }
    if (endpoint) {
        s->base_url = lr_strdup(endpoint);
        size_t n = s->base_url ? strlen(s->base_url) : 0;
        while (n > 0 && s->base_url[n - 1] == '/')
            s->base_url[--n] = '\0';
        s->path_pre = lr_asprintf("/%s", s->bucket);
    } else if (vhost && !strchr(s->bucket, '.')) {
        s->base_url = lr_asprintf("https://%s.s3.%s.amazonaws.com", s->bucket, s->region);
        s->path_pre = lr_strdup("");
    } else {
        s->base_url = lr_asprintf("https://s3.%s.amazonaws.com", s->region);
        s->path_pre = lr_asprintf("/%s", s->bucket);
    }
    if (!s->base_url || !s->path_pre) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto fail;
    }
    bool https = strncmp(s->base_url, "https://", 8) == 0;
    if (!https && strncmp(s->base_url, "http://", 7) != 0) {
        rc = lr_error_set(err, LR_EINVAL, "S3 endpoint '%s' must start with https://",
                          s->base_url);
        goto fail;
    }
    if (!https && !allow_http) {
        rc = lr_error_set(err, LR_EINVAL,
                          "refusing to send AWS credentials over plain HTTP to %s: use https, "
                          "or set AWS_ALLOW_HTTP=true (allow_http) for a test endpoint",
                          s->base_url);
        goto fail;
    }
    /* Host header as curl sends it: authority without a default port, and no path */
    const char *auth = strstr(s->base_url, "://") + 3;
    const char *slash = strchr(auth, '/');
    if (slash) {
        /* an endpoint with a path: keep it in front of the bucket */
        char *pp = lr_asprintf("%s%s", slash, s->path_pre);
        free(s->path_pre);
        s->path_pre = pp;
        s->base_url[slash - s->base_url] = '\0';
        if (!pp) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto fail;
        }
    }
    s->host = lr_strdup(auth);
    if (!s->host) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto fail;
    }
    size_t hl = strlen(s->host);
    if (https && hl > 4 && !strcmp(s->host + hl - 4, ":443"))
        s->host[hl - 4] = '\0';
    if (!https && hl > 3 && !strcmp(s->host + hl - 3, ":80"))
        s->host[hl - 3] = '\0';
    struct lr_http_policy pol;
    if ((rc = lr_cloud_policy(o, "AWS", &pol, err)) < 0)
        goto fail;
    const char *ca = lr_cloud_opt(o, K("ca_bundle", "aws_ca_bundle"), K("AWS_CA_BUNDLE"));
    if ((rc = lr_http_new(&s->cloud.http, ca, &pol, err)) < 0)
        goto fail;
    s->cloud.base.probe_state = 1;
    s->cloud.base.single_writer = lr_cloud_truthy(lr_cloud_opt(o, K("single_writer"), NULL));
    LR_DEBUG("s3: %s%s region %s root '%s'", s->base_url, s->path_pre, s->region, s->root);
    free(cred_file);
    free(conf_file);
    free(prof_section);
    *out = &s->cloud.base;
    return 0;
fail:
    free(cred_file);
    free(conf_file);
    free(prof_section);
    s3_destroy(&s->cloud.base);
    return rc;
}

int lr_s3_create_bucket(struct lr_store *st, struct lr_error *err)
{
    if (st->ops != &s3_ops)
        return lr_error_set(err, LR_EINVAL, "not an S3 store");
    struct s3_store *s = (struct s3_store *)st;
    struct lr_cloud_call c;
    char *url = NULL;
    int rc = s3_build(st, &c, "PUT", NULL, NULL, &url, err);
    if (rc < 0)
        return rc;
    struct lr_http_resp resp;
    rc = lr_cloud_do(&s->cloud, &c, url, "CreateBucket", NULL, 0, &resp, err);
    if (rc == 0 && resp.status != 200 && resp.status != 409)
        rc = lr_cloud_fail(&s->cloud, &resp, "CreateBucket", err);
    lr_http_resp_free(&resp);
    lr_cloud_call_free(&c);
    free(url);
    return rc;
}
