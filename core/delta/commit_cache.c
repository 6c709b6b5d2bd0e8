/* commit_cache.c - parsed commits kept on the table handle for the snapshots that replay them
 * again.
 *
 * Owns: the table's cache of commit files already read and parsed by replay (their action
 * lines), so that time travel after the latest version, or a rollback's analysis at several
 * versions of one table, parses each commit once. Why: the 50 commits of a time travel were
 * fetched and parsed a second time right after the latest snapshot had done so.
 * Invariants: (1) a commit is keyed by its file name and size (Delta never rewrites a commit);
 * (2) the cache holds at most DELTA_COMMIT_CACHE_BYTES (1 MB) of commit text (when full, it
 * starts over); (3) the lines are shared read-only (replay never changes an action line; jansson's
 * reference counts are atomic), each taker gets references of its own. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

struct delta_commit_cached {
    char *name;
    uint64_t size;
    json_t **lines;
    int64_t *line_no;
    size_t n;
};

static void entry_free(struct delta_commit_cached *e)
{
    for (size_t k = 0; k < e->n; k++)
        json_decref(e->lines[k]);
    free(e->lines);
    free(e->line_no);
    free(e->name);
}

void delta_commit_cache_clear(struct lr_delta_table *t)
{
    for (size_t i = 0; i < t->ncommits; i++)
        entry_free(&t->commits[i]);
    free(t->commits);
    t->commits = NULL;
    t->ncommits = t->capcommits = 0;
    t->commit_bytes = 0;
}

/* The index of `name` in the sorted entries, or where it would go (*found says which). */
static size_t find(const struct lr_delta_table *t, const char *name, bool *found)
{
    size_t lo = 0, hi = t->ncommits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->commits[mid].name, name);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

bool delta_commit_cache_take(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                             struct delta_parsed_commit *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&t->lock);
    bool found;
    size_t i = find(t, f->name, &found);
    const struct delta_commit_cached *e = found ? &t->commits[i] : NULL;
    bool ok = e && e->size == f->size;
    if (ok) {
        out->key = delta_log_key(t, f->name);
        out->lines = malloc((e->n ? e->n : 1) * sizeof *out->lines);
        out->line_no = malloc((e->n ? e->n : 1) * sizeof *out->line_no);
        ok = out->key && out->lines && out->line_no;
    }
    if (ok) {
        for (size_t k = 0; k < e->n; k++)
            out->lines[k] = json_incref(e->lines[k]);
        memcpy(out->line_no, e->line_no, e->n * sizeof *out->line_no);
        out->n = out->cap = e->n;
    }
    pthread_mutex_unlock(&t->lock);
    if (!ok)
        delta_parsed_commits_free(out, 1);
    return ok;
}

void delta_commit_cache_put(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                            const struct delta_parsed_commit *c)
{
    if (c->rc < 0 || c->streamed || f->size > DELTA_COMMIT_CACHE_BYTES)
        return;
    struct delta_commit_cached e = {lr_strdup(f->name), f->size,
                                    malloc((c->n ? c->n : 1) * sizeof *e.lines),
                                    malloc((c->n ? c->n : 1) * sizeof *e.line_no), c->n};
    if (!e.name || !e.lines || !e.line_no) {
        e.n = 0;
        entry_free(&e);
        return; /* a cache: no memory means nothing kept */
    }
    for (size_t k = 0; k < c->n; k++)
        e.lines[k] = json_incref(c->lines[k]);
    memcpy(e.line_no, c->line_no, c->n * sizeof *e.line_no);
    pthread_mutex_lock(&t->lock);
    if (t->commit_bytes + f->size > DELTA_COMMIT_CACHE_BYTES)
        delta_commit_cache_clear(t);
    bool found;
    size_t i = find(t, f->name, &found);
    if (!found && t->ncommits == t->capcommits) {
        size_t nc = t->capcommits ? t->capcommits * 2 : 64;
        struct delta_commit_cached *p = realloc(t->commits, nc * sizeof *p);
        if (p) {
            t->commits = p;
            t->capcommits = nc;
        }
    }
    if (!found && t->ncommits < t->capcommits) {
        memmove(t->commits + i + 1, t->commits + i, (t->ncommits - i) * sizeof *t->commits);
        t->commits[i] = e;
        t->ncommits++;
        t->commit_bytes += f->size;
        e.n = 0;
        e.name = NULL;
        e.lines = NULL;
        e.line_no = NULL;
    }
    pthread_mutex_unlock(&t->lock);
    entry_free(&e); /* already kept, or no room for it */
}
