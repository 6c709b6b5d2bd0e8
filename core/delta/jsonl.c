/* jsonl.c - streamed newline-delimited JSON from a store (commit files, V2 JSON checkpoints).
 *
 * Owns: chunked range reads and line splitting with bounded memory (one chunk + one line).
 * Does not own: what the actions mean (replay.c). */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

int delta_lines_open(struct delta_lines *r, struct lr_store *store, const char *key,
                     const char *name, uint64_t size, struct lr_error *err)
{
    memset(r, 0, sizeof *r);
    r->store = store;
    r->key = lr_strdup(key);
    if (!r->key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    r->name = name && name != key ? name : r->key; /* a name equal to the key may be freed */
    r->size = size;
    lr_buf_init(&r->buf, 0);
    return 0;
}

int delta_lines_open_commit(struct delta_lines *r, struct lr_delta_table *t,
                            const struct lr_delta_log_file *f, struct lr_error *err)
{
    char *key = delta_log_key(t, f->name);
    if (!key) {
        memset(r, 0, sizeof *r);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    int rc = delta_lines_open(r, t->store, key, key, f->size, err);
    free(key);
    return rc;
}

void delta_lines_close(struct delta_lines *r)
{
    if (!r)
        return;
    free(r->key);
    lr_buf_free(&r->buf);
    memset(r, 0, sizeof *r);
}

/* Fetch the next chunk, dropping consumed bytes first. */
static int fill(struct delta_lines *r, struct lr_error *err)
{
    if (r->pos > 0) {
        memmove(r->buf.data, r->buf.data + r->pos, r->buf.len - r->pos);
        r->buf.len -= r->pos;
        r->pos = 0;
    }
    if (r->size != UINT64_MAX && r->offset >= r->size) {
        r->eof = true;
        return 0;
    }
    size_t before = r->buf.len;
    uint64_t want = DELTA_LINES_CHUNK;
    if (r->size != UINT64_MAX && r->size - r->offset < want)
        want = r->size - r->offset;
    int rc;
    if (r->size != UINT64_MAX && r->offset == 0 && want == r->size)
        rc = lr_store_get(r->store, r->key, &r->buf, err);
    else
        rc = lr_store_get_range(r->store, r->key, r->offset, want, &r->buf, err);
    if (rc == LR_ERANGE && r->size == UINT64_MAX) {
        r->eof = true;
        return 0;
    }
    if (rc < 0)
        return lr_error_context(err, "%s", r->name);
    size_t got = r->buf.len - before;
    r->offset += got;
    if (got == 0 || (r->size == UINT64_MAX && got < want))
        r->eof = r->size == UINT64_MAX ? got < want : true;
    if (r->size != UINT64_MAX && got == 0 && r->offset < r->size)
        return lr_error_set(err, LR_ECORRUPT, "%s: object shorter than listed (%llu of %llu "
                            "bytes); it changed while being read", r->name,
                            (unsigned long long)r->offset, (unsigned long long)r->size);
    return 0;
}

int delta_lines_next(struct delta_lines *r, json_t **out, struct lr_error *err)
{
    *out = NULL;
    for (;;) {
        char *start = (char *)r->buf.data + r->pos;
        size_t avail = r->buf.len - r->pos;
        char *nl = avail ? memchr(start, '\n', avail) : NULL;
        size_t line_len;
        if (nl) {
            line_len = (size_t)(nl - start);
        } else if (r->eof) {
            if (avail == 0)
                return 0;
            line_len = avail; /* last line without newline */
        } else {
            if (avail > DELTA_LINE_MAX)
                return lr_error_set(err, LR_ELIMIT, "%s line %lld: longer than %u MiB",
                                    r->name, (long long)r->line_no + 1, DELTA_LINE_MAX >> 20);
            int rc = fill(r, err);
            if (rc < 0)
                return rc;
            continue;
        }
        r->line_no++;
        size_t consumed = line_len + (nl ? 1 : 0);
        size_t l = line_len;
        while (l > 0 && (start[l - 1] == '\r' || start[l - 1] == ' ' || start[l - 1] == '\t'))
            l--;
        size_t s = 0;
        while (s < l && (start[s] == ' ' || start[s] == '\t'))
            s++;
        r->pos += consumed;
        if (s == l)
            continue; /* blank line */
        json_error_t jerr;
        json_t *j = json_loadb(start + s, l - s, 0, &jerr);
        if (!j)
            return lr_error_set(err, LR_ECORRUPT, "%s line %lld: invalid JSON (%s at column "
                                "%d)", r->name, (long long)r->line_no, jerr.text, jerr.column);
        if (!json_is_object(j)) {
            json_decref(j);
            return lr_error_set(err, LR_ECORRUPT, "%s line %lld: an action must be a JSON "
                                "object", r->name, (long long)r->line_no);
        }
        *out = j;
        return 1;
    }
}
