/* commit_batch.c - the JSON commits of a log segment, read ahead a window at a time.
 *
 * Owns: fetching a window of commit files at once (lr_store_get_many: several requests in
 * flight on a cloud store) and parsing them on delta_threads() threads into their action
 * lines; replay (snapshot.c) then applies them in log order.
 * Why: a snapshot replays the commits after its checkpoint (up to a checkpoint interval's
 * worth, and every commit of a table without one); one GET and one parse after another made
 * each commit a round trip to the store.
 * Invariants: (1) the lines, their order and every error (file name, line number, the same
 * words) are those of the streamed read (jsonl.c), which parses the fetched bytes here too;
 * (2) a commit larger than BATCH_FILE_MAX is not fetched here: replay streams it, so memory
 * stays bounded by the window (BATCH_BYTES) plus one streamed chunk. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/parallel.h"
#include "lakerewind/str.h"

/* Parsed JSON takes several times its text: a window of BATCH_BYTES of commits holds about
 * a hundred MB of trees at most. */
#define BATCH_FILE_MAX ((uint64_t)2 << 20)
#define BATCH_FILES 64
#define BATCH_BYTES ((uint64_t)16 << 20)
#define PARALLEL_PARSE_MIN ((uint64_t)256 << 10) /* less: threads cost more than they save */

size_t delta_commit_window(const struct lr_delta_log_file *files, size_t n)
{
    size_t k = 0;
    uint64_t bytes = 0;
    for (; k < n && k < BATCH_FILES; k++) {
        uint64_t size = files[k].size <= BATCH_FILE_MAX ? files[k].size : 0;
        if (k > 0 && bytes + size > BATCH_BYTES)
            break;
        bytes += size;
    }
    return k ? k : (n ? 1 : 0);
}

static bool fetched(const struct lr_delta_log_file *f)
{
    return f->size <= BATCH_FILE_MAX;
}

static int push_line(struct delta_parsed_commit *c, json_t *line, int64_t line_no)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        json_t **l = realloc(c->lines, nc * sizeof *l);
        if (!l)
            return LR_ENOMEM;
        c->lines = l;
        int64_t *no = realloc(c->line_no, nc * sizeof *no);
        if (!no)
            return LR_ENOMEM;
        c->line_no = no;
        c->cap = nc;
    }
    c->lines[c->n] = line;
    c->line_no[c->n++] = line_no;
    return 0;
}

struct parse_job {
    const struct lr_delta_log_file *files;
    struct delta_parsed_commit *out;
    struct lr_buf *bufs;
};

/* Commit i's fetched bytes into lines, through the streamed reader's own line splitter. */
static void parse_one(size_t i, void *payload)
{
    struct parse_job *p = payload;
    struct delta_parsed_commit *c = &p->out[i];
    const struct lr_delta_log_file *f = &p->files[i];
    if (c->streamed || c->rc < 0)
        return;
    struct delta_lines r;
    if (delta_lines_open(&r, NULL, c->key, c->key, f->size, &c->err) < 0) {
        c->rc = LR_ENOMEM;
        return;
    }
    r.buf = p->bufs[i];
    memset(&p->bufs[i], 0, sizeof p->bufs[i]); /* the reader owns the bytes now */
    r.offset = r.buf.len;
    r.eof = true;
    if (r.buf.len < f->size) {
        c->rc = lr_error_set(&c->err, LR_ECORRUPT, "%s: object shorter than listed (%zu of "
                             "%llu bytes); it changed while being read", r.name, r.buf.len,
                             (unsigned long long)f->size);
    }
    while (c->rc >= 0) {
        json_t *line = NULL;
        int rc = delta_lines_next(&r, &line, &c->err);
        if (rc <= 0) {
            c->rc = rc;
            break;
        }
        if (push_line(c, line, r.line_no) < 0) {
            json_decref(line);
            c->rc = lr_error_set(&c->err, LR_ENOMEM, "out of memory");
        }
    }
    delta_lines_close(&r);
}

int delta_commits_read(struct lr_delta_table *t, const struct lr_delta_log_file *files,
                       size_t n, struct delta_parsed_commit *out, struct lr_error *err)
{
    memset(out, 0, n * sizeof *out);
    struct lr_store_read *reads = calloc(n ? n : 1, sizeof *reads);
    struct lr_buf *bufs = calloc(n ? n : 1, sizeof *bufs);
    size_t *which = calloc(n ? n : 1, sizeof *which);
    int rc = reads && bufs && which ? 0 : LR_ENOMEM;
    size_t nreads = 0;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        out[i].key = delta_log_key(t, files[i].name);
        if (!out[i].key) {
            rc = LR_ENOMEM;
            break;
        }
        out[i].streamed = !fetched(&files[i]);
        if (out[i].streamed)
            continue;
        lr_buf_init(&bufs[i], 0);
        reads[nreads] = (struct lr_store_read){out[i].key, true, 0, 0, &bufs[i], 0, {0}};
        which[nreads++] = i;
    }
    if (rc >= 0 && nreads > 0) {
        struct lr_error ignored;
        (void)lr_store_get_many(t->store, reads, nreads, 0, &ignored); /* per read below */
        for (size_t k = 0; k < nreads; k++) {
            if (reads[k].rc >= 0)
                continue;
            struct delta_parsed_commit *c = &out[which[k]];
            c->rc = reads[k].rc;
            c->err = reads[k].err;
            lr_error_context(&c->err, "%s", c->key);
        }
        uint64_t bytes = 0;
        for (size_t i = 0; i < n; i++)
            bytes += bufs[i].len;
        struct parse_job job = {files, out, bufs};
        lr_parallel_for(n, bytes >= PARALLEL_PARSE_MIN ? delta_threads() : 1, parse_one, &job);
    }
    for (size_t i = 0; bufs && i < n; i++)
        lr_buf_free(&bufs[i]);
    free(reads);
    free(bufs);
    free(which);
    if (rc < 0) {
        delta_parsed_commits_free(out, n);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    return 0;
}

void delta_parsed_commits_free(struct delta_parsed_commit *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        for (size_t k = 0; k < c[i].n; k++)
            json_decref(c[i].lines[k]);
        free(c[i].lines);
        free(c[i].line_no);
        free(c[i].key);
        memset(&c[i], 0, sizeof c[i]);
    }
}
