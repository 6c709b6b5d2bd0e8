/* store.c - the public store wrappers: key checks, counters, dispatch to a backend by URI.
 * Backends (local.c, azure.c, s3.c) only implement struct lr_store_ops. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "digest.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "lakerewind/sys/store_backend.h"

static lr_store_open_fn opener_for(enum lr_uri_kind kind)
{
    switch (kind) {
    case LR_URI_LOCAL:
        return lr_local_store_open;
    case LR_URI_AZURE:
        return lr_azure_store_open;
    case LR_URI_S3:
        return lr_s3_store_open;
    }
    return NULL;
}

int lr_store_open(struct lr_store **out, const char *uri_text, const struct lr_store_options *opts,
                  struct lr_error *err)
{
    *out = NULL;
    struct lr_uri uri;
    int rc = lr_uri_parse(&uri, uri_text, err);
    if (rc < 0)
        return rc;
    struct lr_store_options none = {NULL, 0, true};
    lr_store_open_fn open_fn = opener_for(uri.kind);
    struct lr_store *s = NULL;
    rc = open_fn(&s, &uri, opts ? opts : &none, err);
    if (rc == 0) {
        /* URIs carry no secrets in the forms we accept (SAS goes in options), but strip any
         * query string defensively before the URI reaches a log or a screen. */
        char *display = lr_strdup(uri_text);
        char *q = display ? strchr(display, '?') : NULL;
        if (q)
            *q = '\0';
        s->display_uri = display;
        if (!display) {
            s->ops->destroy(s);
            s = NULL;
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        } else {
            lr_store_stats_opened(s);
        }
    }
    if (rc < 0)
        lr_error_context(err, "opening store %s", uri_text);
    lr_uri_free(&uri);
    *out = s;
    return rc;
}

void lr_store_close(struct lr_store *s)
{
    if (!s)
        return;
    lr_store_stats_closed(s);
    char *display = s->display_uri;
    s->ops->destroy(s);
    free(display);
}

const char *lr_store_uri(const struct lr_store *s)
{
    return s->display_uri ? s->display_uri : "";
}

const char *lr_store_backend_name(const struct lr_store *s)
{
    return s->ops->name;
}

unsigned lr_store_caps(const struct lr_store *s)
{
    return s->caps;
}

int lr_store_identity(struct lr_store *s, char **out, struct lr_error *err)
{
    *out = NULL;
    if (!s->ops->identity)
        return 0;
    int rc = s->ops->identity(s, out, err);
    if (rc < 0)
        lr_error_context(err, "finding who the %s credential names", s->ops->name);
    return rc;
}

int lr_store_key_check(const char *key, struct lr_error *err)
{
    if (!key || !*key)
        return lr_error_set(err, LR_EINVAL, "empty object key");
    if (key[0] == '/')
        return lr_error_set(err, LR_EINVAL, "object key '%s' must be relative (no leading '/')",
                            key);
    const char *seg = key;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return lr_error_set(err, LR_EINVAL,
                                "object key '%s' has an empty, '.' or '..' path segment", key);
        if (!end)
            break;
        seg = end + 1;
    }
    return 0;
}

static int prefix_check(const char *prefix, struct lr_error *err)
{
    if (!prefix || !*prefix)
        return 0;
    if (prefix[0] == '/' || strstr(prefix, "/../") || strncmp(prefix, "../", 3) == 0 ||
        strcmp(prefix, "..") == 0)
        return lr_error_set(err, LR_EINVAL, "list prefix '%s' must be relative, without '..'",
                            prefix);
    return 0;
}

static int finish(struct lr_store *s, int rc, const char *what, const char *key,
                  struct lr_error *err)
{
    if (rc < 0 && rc != LR_ENOTFOUND && rc != LR_EEXISTS)
        atomic_fetch_add(&s->counters.errors, 1);
    if (rc < 0 && rc != LR_EEXISTS)
        lr_error_context(err, "%s %s", what, key);
    return rc;
}

int lr_store_get(struct lr_store *s, const char *key, struct lr_buf *out, struct lr_error *err)
{
    int rc = lr_store_key_check(key, err);
    if (rc < 0)
        return rc;
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.gets, 1);
    size_t before = out->len;
    rc = s->ops->get(s, key, true, 0, 0, out, err);
    if (rc == 0)
        atomic_fetch_add(&s->counters.bytes_read, out->len - before);
    return finish(s, rc, "reading", key, err);
}

int lr_store_get_blob(struct lr_store *s, const char *key, size_t limit, bool map_only,
                      struct lr_store_blob *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    lr_buf_init(&out->buf, limit);
    int rc = lr_store_key_check(key, err);
    if (rc < 0)
        return rc;
    rc = s->ops->map ? s->ops->map(s, key, &out->map, &out->map_len, err) : LR_EUNSUPPORTED;
    if (rc == LR_EUNSUPPORTED && map_only) /* nothing fetched: no request */
        return lr_error_set(err, LR_EUNSUPPORTED, "%s cannot be mapped from this store", key);
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.gets, 1);
    if (rc == 0 && limit && out->map_len > limit) {
        lr_store_blob_release(out);
        rc = lr_error_set(err, LR_ELIMIT, "the object is larger than %zu bytes", limit);
    } else if (rc == 0) {
        out->data = out->map;
        out->len = out->map_len;
    } else if (rc == LR_EUNSUPPORTED) {
        rc = s->ops->get(s, key, true, 0, 0, &out->buf, err);
        out->data = out->buf.data;
        out->len = out->buf.len;
    }
    if (rc == 0)
        atomic_fetch_add(&s->counters.bytes_read, out->len);
    else
        lr_store_blob_release(out); /* a failed read leaves nothing behind */
    return finish(s, rc, "reading", key, err);
}

void lr_store_blob_adopt(struct lr_store_blob *b, struct lr_buf *buf)
{
    lr_store_blob_release(b);
    b->buf = *buf;
    lr_buf_init(buf, buf->limit);
    b->data = b->buf.data;
    b->len = b->buf.len;
}

bool lr_store_blob_mapped(const struct lr_store_blob *b)
{
    return b->map != NULL;
}

void lr_store_blob_release(struct lr_store_blob *b)
{
    if (b->map)
        munmap(b->map, b->map_len);
    lr_buf_free(&b->buf);
    memset(b, 0, sizeof *b);
}

int lr_store_get_range(struct lr_store *s, const char *key, uint64_t offset, uint64_t length,
                       struct lr_buf *out, struct lr_error *err)
{
    int rc = lr_store_key_check(key, err);
    if (rc < 0)
        return rc;
    if (length == 0)
        return 0;
    if (offset > UINT64_MAX - length)
        return lr_error_set(err, LR_ERANGE, "byte range overflows at offset %llu of %s",
                            (unsigned long long)offset, key);
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.gets, 1);
    size_t before = out->len;
    rc = s->ops->get(s, key, false, offset, length, out, err);
    if (rc == 0)
        atomic_fetch_add(&s->counters.bytes_read, out->len - before);
    return finish(s, rc, "reading a range of", key, err);
}

int lr_store_get_many(struct lr_store *s, struct lr_store_read *reads, size_t n, size_t parallel,
                      struct lr_error *err)
{
    size_t *base = calloc(n ? n : 1, sizeof *base);
    if (!base)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        struct lr_store_read *r = &reads[i];
        lr_error_clear(&r->err);
        base[i] = r->out->len;
        r->rc = lr_store_key_check(r->key, &r->err);
        if (r->rc < 0)
            continue;
        if (!r->whole && r->length == 0)
            continue;
        if (!r->whole && r->offset > UINT64_MAX - r->length) {
            r->rc = lr_error_set(&r->err, LR_ERANGE, "byte range overflows at offset %llu of %s",
                                 (unsigned long long)r->offset, r->key);
            continue;
        }
        atomic_fetch_add(&s->counters.requests, 1);
        atomic_fetch_add(&s->counters.gets, 1);
        r->rc = 1; /* pending */
    }
    if (s->ops->get_many) {
        s->ops->get_many(s, reads, n, parallel ? parallel : 16);
    } else {
        for (size_t i = 0; i < n; i++)
            if (reads[i].rc == 1)
                reads[i].rc = s->ops->get(s, reads[i].key, reads[i].whole, reads[i].offset,
                                          reads[i].length, reads[i].out, &reads[i].err);
    }
    int first = 0;
    for (size_t i = 0; i < n; i++) {
        struct lr_store_read *r = &reads[i];
        if (r->rc == 1) /* a backend that skipped one: never report success for it */
            r->rc = lr_error_set(&r->err, LR_EIO, "read of %s was not run", r->key);
        if (r->rc == 0)
            atomic_fetch_add(&s->counters.bytes_read, r->out->len - base[i]);
        else
            finish(s, r->rc, r->whole ? "reading" : "reading a range of", r->key, &r->err);
        if (r->rc < 0 && first == 0) {
            first = r->rc;
            if (err)
                *err = r->err;
        }
    }
    free(base);
    return first;
}

void lr_store_entry_free(struct lr_store_entry *e)
{
    if (!e)
        return;
    free(e->key);
    e->key = NULL;
}

int lr_store_head(struct lr_store *s, const char *key, struct lr_store_entry *out,
                  struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = lr_store_key_check(key, err);
    if (rc < 0)
        return rc;
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.heads, 1);
    rc = s->ops->head(s, key, out, err);
    return finish(s, rc, "checking", key, err);
}

void lr_store_page_free(struct lr_store_page *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->count; i++)
        free(p->entries[i].key);
    free(p->entries);
    free(p->next_token);
    memset(p, 0, sizeof *p);
}

int lr_store_list_page(struct lr_store *s, const char *prefix, const char *start_after,
                       const char *token, size_t max_keys, struct lr_store_page *out,
                       struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = prefix_check(prefix, err);
    if (rc < 0)
        return rc;
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.lists, 1);
    rc = s->ops->list_page(s, prefix ? prefix : "", start_after, token, max_keys, out, err);
    if (rc < 0)
        lr_store_page_free(out);
    return finish(s, rc, "listing", prefix && *prefix ? prefix : "(root)", err);
}

int lr_store_list(struct lr_store *s, const char *prefix, const char *start_after,
                  struct lr_store_page *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    char *token = NULL;
    int rc = 0;
    for (;;) {
        struct lr_store_page page;
        rc = lr_store_list_page(s, prefix, start_after, token, 0, &page, err);
        free(token);
        token = NULL;
        if (rc < 0)
            break;
        if (out->count + page.count > cap) {
            size_t ncap = cap ? cap : 64;
            while (ncap < out->count + page.count)
                ncap *= 2;
            struct lr_store_entry *e = realloc(out->entries, ncap * sizeof *e);
            if (!e) {
                lr_store_page_free(&page);
                rc = lr_error_set(err, LR_ENOMEM, "out of memory listing %s", prefix);
                break;
            }
            out->entries = e;
            cap = ncap;
        }
        if (page.count)
            memcpy(out->entries + out->count, page.entries, page.count * sizeof *page.entries);
        out->count += page.count;
        free(page.entries);
        token = page.next_token;
        if (!token)
            break;
    }
    if (rc < 0)
        lr_store_page_free(out);
    return rc;
}

int lr_store_put(struct lr_store *s, const char *key, const void *data, size_t len,
                 struct lr_error *err)
{
    int rc = lr_store_key_check(key, err);
    if (rc < 0)
        return rc;
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.puts, 1);
    rc = s->ops->put(s, key, data, len, false, err);
    if (rc == 0)
        atomic_fetch_add(&s->counters.bytes_written, len);
    return finish(s, rc, "writing", key, err);
}

int lr_store_probe(struct lr_store *s, struct lr_error *err)
{
    if (atomic_load(&s->probe_state) != 1)
        return (int)s->caps;
    uint8_t rnd[8];
    char hex[17], key[64];
    if (lr_random_bytes(rnd, sizeof rnd) < 0)
        return lr_error_set(err, LR_EIO, "no random bytes for the conditional-create probe");
    lr_hex_lower(rnd, sizeof rnd, hex);
    snprintf(key, sizeof key, ".lakerewind-probe-%s", hex);
    atomic_fetch_add(&s->counters.requests, 3);
    atomic_fetch_add(&s->counters.puts, 2);
    atomic_fetch_add(&s->counters.deletes, 1);
    int rc = s->ops->put(s, key, "probe-1", 7, true, err);
    if (rc < 0)
        return lr_error_context(err, "checking that %s honours conditional create (writing %s)",
                                lr_store_uri(s), key);
    struct lr_error e2;
    lr_error_clear(&e2);
    int rc2 = s->ops->put(s, key, "probe-2", 7, true, &e2);
    struct lr_error e3;
    s->ops->del(s, key, &e3);
    if (rc2 < 0 && rc2 != LR_EEXISTS) {
        if (err)
            *err = e2;
        return lr_error_context(err, "checking that %s honours conditional create",
                                lr_store_uri(s));
    }
    if (rc2 == 0) {
        if (s->single_writer) {
            s->emulate_create = true;
            LR_WARN("store %s ignores If-None-Match on create; the options declare a single "
                    "writer, so commits check for an existing file first",
                    lr_store_uri(s));
        } else {
            s->caps &= ~LR_STORE_CAP_ATOMIC_CREATE;
            LR_WARN("store %s ignores If-None-Match on create: commits are refused",
                    lr_store_uri(s));
        }
    }
    atomic_store(&s->probe_state, 0);
    return (int)s->caps;
}

int lr_store_put_if_absent(struct lr_store *s, const char *key, const void *data, size_t len,
                           struct lr_error *err)
{
    int rc = lr_store_key_check(key, err);
    if (rc < 0)
        return rc;
    rc = lr_store_probe(s, err);
    if (rc < 0)
        return rc;
    if (!(s->caps & LR_STORE_CAP_ATOMIC_CREATE))
        return lr_error_set(err, LR_EUNSUPPORTED,
                            "store %s cannot create %s exclusively (it accepted a second "
                            "create of the same key), so a commit could overwrite another "
                            "writer's; declare the lakehouse single-writer in the config "
                            "(single_writer: true) to write anyway",
                            lr_store_uri(s), key);
    if (s->emulate_create) {
        struct lr_store_entry e;
        atomic_fetch_add(&s->counters.requests, 1);
        atomic_fetch_add(&s->counters.heads, 1);
        rc = s->ops->head(s, key, &e, err);
        if (rc == 0) {
            lr_store_entry_free(&e);
            return lr_error_set(err, LR_EEXISTS, "%s already exists", key);
        }
        if (rc != LR_ENOTFOUND)
            return finish(s, rc, "checking", key, err);
    }
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.puts, 1);
    rc = s->ops->put(s, key, data, len, true, err);
    if (rc == 0)
        atomic_fetch_add(&s->counters.bytes_written, len);
    if (rc == LR_EEXISTS && err && !err->message[0])
        lr_error_set(err, LR_EEXISTS, "%s already exists", key);
    return finish(s, rc, "creating", key, err);
}

int lr_store_delete(struct lr_store *s, const char *key, struct lr_error *err)
{
    int rc = lr_store_key_check(key, err);
    if (rc < 0)
        return rc;
    atomic_fetch_add(&s->counters.requests, 1);
    atomic_fetch_add(&s->counters.deletes, 1);
    rc = s->ops->del(s, key, err);
    return finish(s, rc, "deleting", key, err);
}

void lr_store_count_retry(struct lr_store *s)
{
    atomic_fetch_add(&s->counters.retries, 1);
    atomic_fetch_add(&s->counters.requests, 1);
}

void lr_store_stats_get(const struct lr_store *s, struct lr_store_stats *out)
{
    struct lr_store_counters *c = (struct lr_store_counters *)&s->counters;
    out->requests = atomic_load(&c->requests);
    out->gets = atomic_load(&c->gets);
    out->heads = atomic_load(&c->heads);
    out->lists = atomic_load(&c->lists);
    out->puts = atomic_load(&c->puts);
    out->deletes = atomic_load(&c->deletes);
    out->retries = atomic_load(&c->retries);
    out->errors = atomic_load(&c->errors);
    out->bytes_read = atomic_load(&c->bytes_read);
    out->bytes_written = atomic_load(&c->bytes_written);
}

const char *lr_store_option(const struct lr_store_options *opts, const char *key,
                            const char *env_name)
{
    if (opts) {
        for (size_t i = 0; i < opts->kv_count; i++)
            if (opts->kv[i].key && strcasecmp(opts->kv[i].key, key) == 0)
                return opts->kv[i].value;
    }
    if ((!opts || opts->use_env) && env_name) {
        const char *v = getenv(env_name);
        if (v && *v)
            return v;
    }
    return NULL;
}
