/* table.c - opening a table, listing _delta_log/, the _last_checkpoint hint, and finding the
 * log segment of a version with as few requests as the layout allows.
 *
 * Request budget for the latest snapshot: one GET of _last_checkpoint + one listing (paged)
 * from the hinted checkpoint onward. A hint that is missing, torn, newer than the wanted
 * version, or names a checkpoint that is gone costs one more listing from version 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

int lr_delta_table_open(struct lr_delta_table **out, struct lr_store *store, const char *prefix,
                        struct lr_error *err)
{
    *out = NULL;
    struct lr_delta_table *t = calloc(1, sizeof *t);
    if (!t)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    t->store = store;
    pthread_mutex_init(&t->lock, NULL);
    size_t n = prefix ? strlen(prefix) : 0;
    while (n > 0 && prefix[n - 1] == '/')
        n--;
    t->prefix = n ? lr_asprintf("%.*s/", (int)n, prefix) : lr_strdup("");
    t->log_prefix = t->prefix ? lr_asprintf("%s_delta_log/", t->prefix) : NULL;
    const char *uri = lr_store_uri(store);
    size_t ul = uri ? strlen(uri) : 0;
    while (ul > 0 && uri[ul - 1] == '/')
        ul--;
    t->name = lr_asprintf("%.*s%s%.*s", (int)ul, uri ? uri : "", n ? "/" : "", (int)n,
                          n ? prefix : "");
    if (!t->prefix || !t->log_prefix || !t->name) {
        lr_delta_table_close(t);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    *out = t;
    return 0;
}

void lr_delta_table_close(struct lr_delta_table *t)
{
    if (!t)
        return;
    delta_base_unref(t->cache);
    json_decref(t->commit_infos);
    delta_commit_cache_clear(t);
    lr_delta_table_unpin_listing(t);
    pthread_mutex_destroy(&t->lock);
    free(t->prefix);
    free(t->log_prefix);
    free(t->name);
    free(t);
}

struct lr_store *lr_delta_table_store(const struct lr_delta_table *t)
{
    return t->store;
}

const char *lr_delta_table_prefix(const struct lr_delta_table *t)
{
    return t->prefix;
}

char *delta_log_key(const struct lr_delta_table *t, const char *name)
{
    return lr_asprintf("%s%s", t->log_prefix, name);
}

static int list_store(struct lr_delta_table *t, int64_t start_version,
                      struct lr_delta_listing *out, struct lr_error *err);

/* A copy of the pinned listing's entries from start_version on. */
static int list_pinned(const struct lr_delta_listing *p, int64_t start_version,
                       struct lr_delta_listing *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->start_version = start_version > 0 ? start_version : 0;
    out->latest_version = -1;
    out->files = calloc(p->count + 1, sizeof *out->files);
    if (!out->files)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->count; i++) {
        if (p->files[i].version < out->start_version)
            continue;
        struct lr_delta_log_file f = p->files[i];
        f.name = lr_strdup(p->files[i].name);
        if (!f.name) {
            lr_delta_listing_free(out);
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        }
        out->files[out->count++] = f;
    }
    delta_listing_sort(out);
    return 0;
}

int lr_delta_table_pin_listing(struct lr_delta_table *t, struct lr_error *err)
{
    lr_delta_table_unpin_listing(t);
    struct lr_delta_listing *l = calloc(1, sizeof *l);
    if (!l)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = list_store(t, 0, l, err);
    if (rc < 0) {
        free(l);
        return rc;
    }
    t->pinned = l;
    return 0;
}

void lr_delta_table_unpin_listing(struct lr_delta_table *t)
{
    if (!t || !t->pinned)
        return;
    lr_delta_listing_free(t->pinned);
    free(t->pinned);
    t->pinned = NULL;
}

int lr_delta_list(struct lr_delta_table *t, int64_t start_version, struct lr_delta_listing *out,
                  struct lr_error *err)
{
    if (t->pinned)
        return list_pinned(t->pinned, start_version, out, err);
    return list_store(t, start_version, out, err);
}

static int list_store(struct lr_delta_table *t, int64_t start_version,
                      struct lr_delta_listing *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->latest_version = -1;
    out->start_version = start_version > 0 ? start_version : 0;
    int rc = 0;
    char *start_after = NULL;
    struct lr_store_page page = {0};
    size_t cap = 0;
    size_t plen = strlen(t->log_prefix);
    /* every name of version s is longer than its 20 digits, so starting strictly after the
     * 20-digit string of version s lists version s and everything newer */
    if (out->start_version > 0) {
        start_after = lr_asprintf("%s%020lld", t->log_prefix, (long long)out->start_version);
        if (!start_after) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
    }
    const char *token = NULL;
    char *tok_owned = NULL;
    /* pages as large as the backend allows (S3 1,000 keys, Azure 5,000, local: all) */
    for (;;) {
        rc = lr_store_list_page(t->store, t->log_prefix, start_after, token, 0, &page, err);
        if (rc < 0) {
            lr_error_context(err, "listing %s", t->log_prefix);
            free(tok_owned);
            goto done;
        }
        bool stop = false;
        for (size_t i = 0; i < page.count; i++) {
            const char *name = page.entries[i].key + plen;
            if ((unsigned char)name[0] > '9') {
                stop = true; /* _last_checkpoint, _sidecars/, _staged_commits/ ... */
                break;
            }
            struct lr_delta_log_file f;
            if (!lr_delta_log_name_parse(name, &f))
                continue;
            if (out->count == cap) {
                size_t nc = cap ? cap * 2 : 64;
                struct lr_delta_log_file *nf = realloc(out->files, nc * sizeof *nf);
                if (!nf) {
                    rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                    free(tok_owned);
                    goto done;
                }
                out->files = nf;
                cap = nc;
            }
            f.name = lr_strdup(name);
            if (!f.name) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                free(tok_owned);
                goto done;
            }
            f.size = page.entries[i].size;
            f.mtime_ms = page.entries[i].mtime_ms;
            out->files[out->count++] = f;
        }
        free(tok_owned);
        tok_owned = page.next_token;
        page.next_token = NULL;
        lr_store_page_free(&page);
        if (stop || !tok_owned)
            break;
        token = tok_owned;
    }
    free(tok_owned);
    delta_listing_sort(out);
done:
    lr_store_page_free(&page);
    free(start_after);
    if (rc < 0)
        lr_delta_listing_free(out);
    return rc;
}

void lr_delta_last_checkpoint_free(struct lr_delta_last_checkpoint *c)
{
    if (!c)
        return;
    free(c->v2_path);
    memset(c, 0, sizeof *c);
}

int lr_delta_read_last_checkpoint(struct lr_delta_table *t, struct lr_delta_last_checkpoint *out,
                                  struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->version = -1;
    out->size = -1;
    struct lr_buf b;
    lr_buf_init(&b, 1u << 20);
    char *key = delta_log_key(t, "_last_checkpoint");
    int rc = 0;
    if (!key) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    struct lr_error e2;
    lr_error_clear(&e2);
    rc = lr_store_get(t->store, key, &b, &e2);
    if (rc == LR_ENOTFOUND || rc == LR_ELIMIT) {
        rc = 0;
        goto done;
    }
    if (rc < 0) {
        *err = e2;
        lr_error_context(err, "reading %s", key);
        goto done;
    }
    json_t *j = json_loadb((const char *)b.data, b.len, 0, NULL);
    json_t *v = j ? json_object_get(j, "version") : NULL;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        out->version = (int64_t)json_integer_value(v);
        out->size = delta_json_int(j, "size", -1);
        out->parts = (int)delta_json_int(j, "parts", 0);
        json_t *v2 = json_object_get(j, "v2Checkpoint");
        const char *p = delta_json_str(v2, "path");
        if (p)
            out->v2_path = lr_strdup(p);
        rc = 1;
    }
    json_decref(j);
done:
    free(key);
    lr_buf_free(&b);
    return rc;
}

int lr_delta_find_segment(struct lr_delta_table *t, int64_t version, struct lr_delta_segment *out,
                          struct lr_delta_listing *listing_out, struct lr_error *err)
{
    struct lr_delta_last_checkpoint hint;
    memset(&hint, 0, sizeof hint);
    struct lr_delta_listing l;
    memset(&l, 0, sizeof l);
    /* a pinned listing names every checkpoint: no hint needed */
    int rc = t->pinned ? 0 : lr_delta_read_last_checkpoint(t, &hint, err);
    if (rc < 0)
        return rc;
    int64_t start = 0;
    if (rc == 1 && (version < 0 || hint.version <= version))
        start = hint.version;
    if (rc == 1)
        lr_delta_last_checkpoint_free(&hint);
    for (;;) {
        rc = lr_delta_list(t, start, &l, err);
        if (rc < 0)
            return rc;
        struct lr_error e2;
        lr_error_clear(&e2);
        rc = lr_delta_segment_select(out, &l, version, &e2);
        if (rc < 0 && start > 0) {
            /* stale or broken hint: the checkpoint it names is gone; list everything */
            lr_delta_listing_free(&l);
            start = 0;
            continue;
        }
        if (rc < 0)
            *err = e2;
        break;
    }
    if (rc < 0 || !listing_out)
        lr_delta_listing_free(&l);
    else
        *listing_out = l;
    return rc;
}

/* Commits are immutable once written, so a commit file's name and size identify its content. */
static char *commit_info_key(const struct lr_delta_log_file *f)
{
    return lr_asprintf("%s@%llu", f->name, (unsigned long long)f->size);
}

void delta_commit_info_remember(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                                json_t *commit_info)
{
    char *key = commit_info_key(f);
    if (!key)
        return;
    pthread_mutex_lock(&t->lock);
    if (!t->commit_infos)
        t->commit_infos = json_object();
    if (t->commit_infos && json_object_size(t->commit_infos) < DELTA_COMMIT_INFO_CACHE)
        json_object_set(t->commit_infos, key, commit_info ? commit_info : json_null());
    pthread_mutex_unlock(&t->lock);
    free(key);
}

int delta_commit_info_recall(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                             json_t **out)
{
    *out = NULL;
    char *key = commit_info_key(f);
    if (!key)
        return 0;
    pthread_mutex_lock(&t->lock);
    json_t *v = t->commit_infos ? json_object_get(t->commit_infos, key) : NULL;
    int found = v != NULL;
    if (v && json_is_object(v))
        *out = json_incref(v);
    pthread_mutex_unlock(&t->lock);
    free(key);
    return found;
}
