/* cloud_common.c - option lookup, HTTP policy, page building and status mapping shared by the
 * Azure and S3 backends. */
#include "cloud_common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lakerewind/log.h"
#include "lakerewind/str.h"

const char *lr_cloud_opt(const struct lr_store_options *opts, const char *const *keys,
                         const char *const *envs)
{
    for (size_t i = 0; keys && keys[i]; i++) {
        const char *v = lr_store_option(opts, keys[i], NULL);
        if (v)
            return v;
    }
    for (size_t i = 0; envs && envs[i]; i++) {
        if (opts && !opts->use_env)
            break;
        const char *v = getenv(envs[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

bool lr_cloud_truthy(const char *v)
{
    return v && (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes") ||
                 !strcasecmp(v, "on"));
}

static int duration_opt(const struct lr_store_options *opts, const char *prefix,
                        const char *key, long *out, struct lr_error *err)
{
    char env[64];
    snprintf(env, sizeof env, "%s_%s", prefix, key);
    for (char *c = env; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    const char *v = lr_store_option(opts, key, env);
    if (!v)
        return 0;
    if (lr_http_parse_duration(v, out) < 0)
        return lr_error_set(err, LR_EINVAL,
                            "store option %s='%s' is not a duration (use e.g. 30s or 500ms)",
                            key, v);
    return 0;
}

int lr_cloud_policy(const struct lr_store_options *opts, const char *prefix,
                    struct lr_http_policy *p, struct lr_error *err)
{
    lr_http_policy_default(p);
    int rc = duration_opt(opts, prefix, "timeout", &p->attempt_timeout_ms, err);
    if (rc == 0)
        rc = duration_opt(opts, prefix, "connect_timeout", &p->connect_timeout_ms, err);
    if (rc == 0)
        rc = duration_opt(opts, prefix, "retry_timeout", &p->deadline_ms, err);
    if (rc == 0)
        rc = duration_opt(opts, prefix, "retry_max_backoff", &p->max_delay_ms, err);
    if (rc == 0)
        rc = duration_opt(opts, prefix, "retry_init_backoff", &p->base_delay_ms, err);
    if (rc < 0)
        return rc;
    char env[64];
    snprintf(env, sizeof env, "%s_MAX_RETRIES", prefix);
    const char *mr = lr_store_option(opts, "max_retries", env);
    if (mr) {
        int64_t n;
        if (!lr_parse_int64(mr, &n) || n < 0 || n > 100)
            return lr_error_set(err, LR_EINVAL,
                                "store option max_retries='%s' must be a number from 0 to 100",
                                mr);
        p->max_attempts = (int)n + 1;
    }
    return 0;
}

char *lr_cloud_join(const char *root, const char *key)
{
    if (!root || !*root)
        return lr_strdup(key);
    if (!key || !*key)
        return lr_asprintf("%s/", root);
    return lr_asprintf("%s/%s", root, key);
}

int lr_cloud_page_push(struct lr_store_page *p, size_t *cap, const char *key, uint64_t size,
                       int64_t mtime_ms, struct lr_error *err)
{
    if (p->count == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct lr_store_entry *e = realloc(p->entries, nc * sizeof *e);
        if (!e)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        p->entries = e;
        *cap = nc;
    }
    char *k = lr_strdup(key);
    if (!k)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    p->entries[p->count].key = k;
    p->entries[p->count].size = size;
    p->entries[p->count].mtime_ms = mtime_ms;
    p->count++;
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct lr_store_entry *x = a, *y = b;
    return strcmp(x->key, y->key);
}

void lr_cloud_page_sort(struct lr_store_page *p)
{
    if (p->count > 1)
        qsort(p->entries, p->count, sizeof *p->entries, cmp_entry);
}

int lr_cloud_status_error(struct lr_error *err, long status, const char *code, const char *msg,
                          const char *service, const char *what)
{
    int rc;
    const char *hint = "";
    if (status == 401 || status == 403) {
        rc = LR_EAUTH;
        hint = strstr(code, "Permission") || !strcmp(code, "AccessDenied")
                   ? ": the credentials lack permission for this operation"
                   : ": check the account name and credentials (key, SAS or token)";
        if (strstr(code, "Permission"))
            rc = LR_EPERM;
    } else if (status == 404) {
        rc = LR_ENOTFOUND;
        if (!strcmp(code, "ContainerNotFound") || !strcmp(code, "NoSuchBucket"))
            hint = ": the container or bucket does not exist";
    } else if (status == 416) {
        rc = LR_ERANGE;
    } else if (status == 409 || status == 412) {
        rc = LR_ECONFLICT;
    } else if (status == 400) {
        rc = LR_EINVAL;
    } else {
        rc = LR_ENET;
    }
    char m[512];
    snprintf(m, sizeof m, "%s", msg ? msg : "");
    char *nl = strpbrk(m, "\r\n");
    if (nl)
        *nl = '\0';
    lr_redact(m, sizeof m);
    return lr_error_set(err, rc, "%s: %s answered HTTP %ld%s%s%s%s%s%s", what, service, status,
                        code && *code ? " " : "", code ? code : "", *m ? " (" : "", m,
                        *m ? ")" : "", hint);
}

int lr_cloud_check_range(const struct lr_http_resp *r, struct lr_buf *out, size_t base,
                         uint64_t offset, uint64_t length, const char *key,
                         struct lr_error *err)
{
    char v[128];
    size_t got = out->len - base;
    if (r->status == 200) {
        /* the whole object came back (a server that ignores Range): cut our range out */
        if (offset >= got)
            return lr_error_set(err, LR_ERANGE, "offset %llu is at or past the end of %s "
                                "(%zu bytes)", (unsigned long long)offset, key, got);
        uint64_t n = got - offset < length ? got - offset : length;
        memmove(out->data + base, out->data + base + offset, (size_t)n);
        out->len = base + (size_t)n;
        out->data[out->len] = '\0';
        return 0;
    }
    unsigned long long a, b, total;
    if (lr_http_header(r, "Content-Range", v, sizeof v) == 0) {
        if (sscanf(v, "bytes %llu-%llu/%llu", &a, &b, &total) == 3) {
            if (offset >= total) /* Azurite: "bytes 10-9/10" and no body at the end */
                return lr_error_set(err, LR_ERANGE,
                                    "offset %llu is at or past the end of %s (%llu bytes)",
                                    (unsigned long long)offset, key, total);
            if (a != offset || b < a || got != b - a + 1)
                return lr_error_set(err, LR_ECORRUPT,
                                    "%s: asked for bytes from %llu, got '%s' with %zu bytes",
                                    key, (unsigned long long)offset, v, got);
            return 0;
        }
        if (sscanf(v, "bytes */%llu", &total) == 1 || strstr(v, "/"))
            return lr_error_set(err, LR_ERANGE, "offset %llu is at or past the end of %s",
                                (unsigned long long)offset, key);
    }
    if (got == 0)
        return lr_error_set(err, LR_ERANGE, "offset %llu is at or past the end of %s",
                            (unsigned long long)offset, key);
    return 0;
}
