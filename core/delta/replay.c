/* replay.c - action reconciliation (PROTOCOL.md "Action Reconciliation").
 *
 * Owns: the file map keyed by logical file identity, and applying actions in log order:
 *   (1) identity = (path, deletion-vector unique id); the same path with two DVs is two files;
 *   (2) add inserts/replaces its identity as live, remove replaces it with a tombstone;
 *   (3) the latest protocol and metaData win; txn by appId; domainMetadata by domain
 *       (removed:true deletes it);
 *   (4) unknown actions and fields are ignored. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

int64_t delta_json_int(json_t *obj, const char *key, int64_t dflt)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (json_is_integer(v))
        return (int64_t)json_integer_value(v);
    if (json_is_string(v)) {
        int64_t x;
        if (lr_parse_int64(json_string_value(v), &x))
            return x;
    }
    return dflt;
}

const char *delta_json_str(json_t *obj, const char *key)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t delta_now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

int fmap_init(struct fmap *m, size_t nbuckets)
{
    memset(m, 0, sizeof *m);
    if (nbuckets < 64)
        nbuckets = 64;
    m->buckets = calloc(nbuckets, sizeof *m->buckets);
    if (!m->buckets)
        return LR_ENOMEM;
    m->nbuckets = nbuckets;
    return 0;
}

static void free_entry(struct fentry *e)
{
    if (e->key_owned)
        free(e->key);
    json_decref(e->action);
    free(e);
}

void fmap_free(struct fmap *m)
{
    if (!m || !m->buckets)
        return;
    for (size_t i = 0; i < m->nbuckets; i++) {
        struct fentry *e = m->buckets[i];
        while (e) {
            struct fentry *n = e->next;
            free_entry(e);
            e = n;
        }
    }
    free(m->buckets);
    memset(m, 0, sizeof *m);
}

struct fentry *fmap_get(const struct fmap *m, const char *key)
{
    for (struct fentry *e = m->buckets[hash_str(key) % m->nbuckets]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static int grow(struct fmap *m)
{
    size_t nb = m->nbuckets * 4;
    struct fentry **b = calloc(nb, sizeof *b);
    if (!b)
        return LR_ENOMEM;
    for (size_t i = 0; i < m->nbuckets; i++) {
        struct fentry *e = m->buckets[i];
        while (e) {
            struct fentry *n = e->next;
            size_t h = hash_str(e->key) % nb;
            e->next = b[h];
            b[h] = e;
            e = n;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = nb;
    return 0;
}

/* The key of `e` for `action`: borrowed when it is a string held by the action itself. */
static int set_key(struct fentry *e, const char *key, bool key_in_action)
{
    char *k = key_in_action ? (char *)(uintptr_t)key : lr_strdup(key);
    if (!k)
        return LR_ENOMEM;
    if (e->key_owned)
        free(e->key);
    e->key = k;
    e->key_owned = !key_in_action;
    return 0;
}

int fmap_put(struct fmap *m, const char *key, json_t *action, bool is_add, bool key_in_action)
{
    struct fentry *e = fmap_get(m, key);
    if (e) {
        /* a borrowed key lives in the old action: re-point it before dropping that */
        if ((!e->key_owned || key_in_action) && set_key(e, key, key_in_action) < 0)
            return LR_ENOMEM;
        json_incref(action);
        json_decref(e->action);
        e->action = action;
        e->is_add = is_add;
        return 0;
    }
    if (m->count >= m->nbuckets && grow(m) < 0)
        return LR_ENOMEM;
    e = calloc(1, sizeof *e);
    if (!e)
        return LR_ENOMEM;
    if (set_key(e, key, key_in_action) < 0) {
        free(e);
        return LR_ENOMEM;
    }
    e->action = json_incref(action);
    e->is_add = is_add;
    size_t h = hash_str(key) % m->nbuckets;
    e->next = m->buckets[h];
    m->buckets[h] = e;
    m->count++;
    return 0;
}

void fmap_del(struct fmap *m, const char *key)
{
    struct fentry **pp = &m->buckets[hash_str(key) % m->nbuckets];
    while (*pp) {
        if (strcmp((*pp)->key, key) == 0) {
            struct fentry *e = *pp;
            *pp = e->next;
            free_entry(e);
            m->count--;
            return;
        }
        pp = &(*pp)->next;
    }
}

char *delta_dv_unique_id(json_t *dv)
{
    if (!json_is_object(dv))
        return NULL;
    const char *st = delta_json_str(dv, "storageType");
    const char *p = delta_json_str(dv, "pathOrInlineDv");
    if (!st || !p)
        return NULL;
    json_t *off = json_object_get(dv, "offset");
    if (json_is_integer(off))
        return lr_asprintf("%s%s@%lld", st, p, (long long)json_integer_value(off));
    return lr_asprintf("%s%s", st, p);
}

char *delta_file_key(json_t *action, char **dv_id_out)
{
    if (dv_id_out)
        *dv_id_out = NULL;
    const char *path = delta_json_str(action, "path");
    if (!path)
        return NULL;
    json_t *dv = json_object_get(action, "deletionVector");
    char *id = json_is_object(dv) ? delta_dv_unique_id(dv) : NULL;
    char *key = id ? lr_asprintf("%s\x1f%s", path, id) : lr_strdup(path);
    if (dv_id_out)
        *dv_id_out = id;
    else
        free(id);
    return key;
}

int delta_state_init(struct delta_state *s)
{
    memset(s, 0, sizeof *s);
    s->txns = json_object();
    s->domains = json_object();
    if (!s->txns || !s->domains || fmap_init(&s->files, 1024) < 0) {
        delta_state_free(s);
        return LR_ENOMEM;
    }
    return 0;
}

void delta_state_free(struct delta_state *s)
{
    if (!s)
        return;
    json_decref(s->protocol);
    json_decref(s->metadata);
    json_decref(s->txns);
    json_decref(s->domains);
    json_decref(s->commit_info);
    fmap_free(&s->files);
    memset(s, 0, sizeof *s);
}

static void replace(json_t **slot, json_t *v)
{
    json_incref(v);
    json_decref(*slot);
    *slot = v;
}

static int apply_file(struct delta_state *s, json_t *a, bool is_add, bool in_checkpoint,
                      struct lr_error *err)
{
    if (!json_is_object(a))
        return lr_error_set(err, LR_ECORRUPT, "%s action is not an object",
                            is_add ? "add" : "remove");
    if (!delta_json_str(a, "path"))
        return lr_error_set(err, LR_ECORRUPT, "%s action without a string \"path\"",
                            is_add ? "add" : "remove");
    if (in_checkpoint) {
        /* a checkpoint row has every column; absent fields come as null: keep them absent */
        const char *k;
        void *tmp;
        json_t *v;
        json_object_foreach_safe(a, tmp, k, v) if (json_is_null(v)) json_object_del(a, k);
    }
    if (!json_is_object(json_object_get(a, "deletionVector"))) {
        /* identity = path: the key is the action's own path string, not a copy */
        if (fmap_put(&s->files, delta_json_str(a, "path"), a, is_add, true) < 0)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        return 0;
    }
    char *key = delta_file_key(a, NULL);
    if (!key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = fmap_put(&s->files, key, a, is_add, false);
    free(key);
    return rc < 0 ? lr_error_set(err, LR_ENOMEM, "out of memory") : 0;
}

int delta_state_apply_file(struct delta_state *s, json_t *a, bool is_add, struct lr_error *err)
{
    return apply_file(s, a, is_add, false, err);
}

int delta_state_apply(struct delta_state *s, json_t *line, bool in_checkpoint,
                      struct lr_error *err)
{
    const char *name;
    json_t *a;
    json_object_foreach(line, name, a) {
        if (json_is_null(a))
            continue; /* checkpoint rows: every other action column is null */
        int rc = 0;
        if (strcmp(name, "add") == 0) {
            rc = apply_file(s, a, true, in_checkpoint, err);
        } else if (strcmp(name, "remove") == 0) {
            rc = apply_file(s, a, false, in_checkpoint, err);
        } else if (strcmp(name, "metaData") == 0) {
            if (!json_is_object(a) || !delta_json_str(a, "id"))
                return lr_error_set(err, LR_ECORRUPT, "metaData action without a string \"id\"");
            replace(&s->metadata, a);
        } else if (strcmp(name, "protocol") == 0) {
            if (!json_is_object(a) || !json_is_integer(json_object_get(a, "minReaderVersion")) ||
                !json_is_integer(json_object_get(a, "minWriterVersion")))
                return lr_error_set(err, LR_ECORRUPT, "protocol action without integer "
                                    "minReaderVersion/minWriterVersion");
            replace(&s->protocol, a);
        } else if (strcmp(name, "txn") == 0) {
            const char *app = delta_json_str(a, "appId");
            if (!app)
                return lr_error_set(err, LR_ECORRUPT, "txn action without a string \"appId\"");
            if (json_object_set(s->txns, app, a) < 0)
                return lr_error_set(err, LR_ENOMEM, "out of memory");
        } else if (strcmp(name, "domainMetadata") == 0) {
            const char *d = delta_json_str(a, "domain");
            if (!d)
                return lr_error_set(err, LR_ECORRUPT, "domainMetadata without a string "
                                    "\"domain\"");
            if (json_is_true(json_object_get(a, "removed")))
                json_object_del(s->domains, d);
            else if (json_object_set(s->domains, d, a) < 0)
                return lr_error_set(err, LR_ENOMEM, "out of memory");
        } else if (strcmp(name, "commitInfo") == 0 && !in_checkpoint) {
            replace(&s->commit_info, a);
        }
        /* cdc, checkpointMetadata, sidecar and unknown actions do not change the state */
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* stats.numRecords without building a JSON tree: scan the text for the key at depth 1
 * (a column named numRecords inside minValues is at depth 2). -1 when absent or not an int. */
static int64_t scan_num_records(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (*p == '"') {
            const char *start = ++p;
            while (*p && *p != '"')
                p += (*p == '\\' && p[1]) ? 2 : 1;
            if (!*p)
                return -1;
            if (depth == 1 && p - start == 10 && memcmp(start, "numRecords", 10) == 0) {
                const char *q = p + 1;
                while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
                    q++;
                if (*q != ':')
                    continue;
                q++;
                while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
                    q++;
                int64_t n = 0;
                int digits = 0;
                while (*q >= '0' && *q <= '9' && digits < 18) {
                    n = n * 10 + (*q++ - '0');
                    digits++;
                }
                bool ends = *q == ',' || *q == '}' || *q == ' ' || *q == '\t' || *q == '\n' ||
                            *q == '\r';
                return digits > 0 && ends ? n : -1;
            }
        }
    }
    return -1;
}

static int64_t stats_num_records(json_t *action)
{
    const char *stats = delta_json_str(action, "stats");
    if (stats) {
        int64_t n = scan_num_records(stats);
        if (n >= 0)
            return n;
    }
    json_t *sp = json_object_get(action, "stats_parsed");
    return delta_json_int(sp, "numRecords", -1);
}

int delta_file_from_action(struct lr_delta_file *out, json_t *action, bool is_add)
{
    memset(out, 0, sizeof *out);
    out->action = json_incref(action);
    out->path = delta_json_str(action, "path");
    out->size = delta_json_int(action, "size", -1);
    out->modification_time =
        delta_json_int(action, is_add ? "modificationTime" : "deletionTimestamp", -1);
    out->num_records = stats_num_records(action);
    json_t *dv = json_object_get(action, "deletionVector");
    if (json_is_object(dv)) {
        out->dv_id = delta_dv_unique_id(dv);
        out->dv_cardinality = delta_json_int(dv, "cardinality", 0);
        if (!out->dv_id && delta_json_str(dv, "storageType") &&
            delta_json_str(dv, "pathOrInlineDv"))
            return LR_ENOMEM;
    }
    return 0;
}

void delta_file_clear(struct lr_delta_file *f)
{
    if (!f)
        return;
    free(f->dv_id);
    json_decref(f->action);
    memset(f, 0, sizeof *f);
}

int64_t lr_delta_file_rows(const struct lr_delta_file *f)
{
    if (f->num_records < 0)
        return -1;
    return f->num_records - f->dv_cardinality;
}
