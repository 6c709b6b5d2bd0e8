/* lazy_stats.c - file stats left in the checkpoint until somebody reads them.
 *
 * Owns: the stats source of one whole-read Parquet checkpoint (its bytes, the row-group row
 * offsets, the stats column of add and of remove), decoding the page that holds a row's stats
 * on first use (only that page is decompressed) or, for a batch of files asked for at once
 * (lr_delta_files_stats_prefetch), just their rows,
 * lr_delta_file_stats(), and the one rule for turning a Parquet STRING into record text
 * (delta_text_from_parquet), shared with the eager path of checkpoint_files.c.
 * Why: snapshot, time travel and a restore plan need a file's numRecords, not its stats text;
 * a million-file checkpoint holds ~250 MB of stats text but ~40 MB of compressed file, and
 * copying the text cost more time than the rest of the replay. Only the restore commit (for the
 * files it adds back), checkpoint writing and validation read the text.
 * Invariants: (1) the text handed out equals what the eager path would have copied (same
 * bytes, same U+FFFD replacement, same NUL handling); (2) a row's text is published once,
 * under the source's lock, and never moves or changes afterwards, so callers may hold the
 * pointer as long as the snapshot (a prefetch decodes the pages of several row groups on
 * several threads, each into an arena of its own that the source then adopts); (3) the bytes
 * were decoded once already during replay, so a later decode can only fail for memory. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/parallel.h"
#include "lakerewind/parquet.h"

struct delta_stats_src {
    pthread_mutex_t lock;
    struct lr_store_blob bytes;   /* the checkpoint file (owned) */
    char *key;                    /* for errors */
    struct lr_parquet_file *file; /* over data: opened on the first decode */
    size_t nrg;
    int64_t *rg_start;            /* nrg + 1 entries: the first row of each row group */
    char *column[2];              /* [0] add's, [1] remove's stats leaf path (NULL: none) */
    const char ***texts;          /* nrg * 2: per row, the text or NULL; NULL until decoded */
    struct lr_delta_mem *mem;     /* the decoded text */
};

/* Is p[0..n) plain ASCII without NUL bytes (copied as is)? Eight bytes at a time. */
static bool plain_ascii(const uint8_t *p, size_t n)
{
    const uint64_t lo = 0x0101010101010101ull;
    const uint64_t hi = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if ((w & hi) || ((w - lo) & ~w & hi))
            return false; /* a byte >= 0x80, or a NUL */
    }
    for (; i < n; i++)
        if (p[i] >= 0x80 || p[i] == 0)
            return false;
    return true;
}

const char *delta_text_from_parquet(struct lr_delta_mem *mem, const uint8_t *p, size_t n)
{
    if (plain_ascii(p, n))
        return delta_mem_strndup(mem, (const char *)p, n);
    json_t *j = lr_parquet_string_json(p, n);
    const char *t = j ? delta_mem_strndup(mem, json_string_value(j), json_string_length(j))
                      : NULL;
    json_decref(j);
    return t;
}

int delta_page_strings(const struct lr_parquet_column *c, size_t first, int64_t rows,
                       delta_page_string_fn fn, void *ctx, struct lr_error *err)
{
    if ((int64_t)(first + c->num_entries) > rows)
        return lr_error_set(err, LR_ECORRUPT, "column %s: more entries than rows",
                            c->leaf->path);
    size_t v = 0;
    for (size_t e = 0; e < c->num_entries; e++) {
        bool present = !c->def_levels || c->def_levels[e] == c->leaf->max_def;
        if (present && v >= c->num_values)
            return lr_error_set(err, LR_ECORRUPT, "column %s: fewer values than levels",
                                c->leaf->path);
        int rc = fn(ctx, first + e, present ? &c->byte_arrays[v++] : NULL, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int delta_stats_src_new(struct delta_stats_src **out, struct lr_store_blob *bytes,
                        const char *key, struct lr_error *err)
{
    *out = NULL;
    struct delta_stats_src *s = calloc(1, sizeof *s);
    if (!s || !(s->key = lr_strdup(key)) || !(s->mem = delta_mem_new())) {
        if (s) {
            free(s->key);
            free(s);
        }
        lr_store_blob_release(bytes);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&s->lock, NULL);
    s->bytes = *bytes;
    memset(bytes, 0, sizeof *bytes);
    *out = s;
    return 0;
}

void delta_stats_src_release(void *p)
{
    struct delta_stats_src *s = p;
    if (!s)
        return;
    lr_parquet_close(s->file);
    lr_store_blob_release(&s->bytes);
    free(s->key);
    free(s->rg_start);
    free(s->column[0]);
    free(s->column[1]);
    free(s->texts);
    delta_mem_unref(s->mem);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int delta_stats_src_keep(struct delta_stats_src *src, struct lr_delta_mem *m)
{
    if (delta_mem_keep(m, delta_stats_src_release, src) < 0) {
        delta_stats_src_release(src);
        return LR_ENOMEM;
    }
    return 0;
}

static int nomem(struct lr_error *err)
{
    return lr_error_set(err, LR_ENOMEM, "out of memory");
}

int delta_stats_src_plan(struct delta_stats_src *s, struct lr_parquet_file *f,
                         struct lr_error *err)
{
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    s->nrg = m->num_row_groups;
    s->rg_start = calloc(s->nrg + 1, sizeof *s->rg_start);
    s->texts = calloc(s->nrg ? s->nrg * 2 : 1, sizeof *s->texts);
    if (!s->rg_start || !s->texts)
        return nomem(err);
    for (size_t rg = 0; rg < s->nrg; rg++)
        s->rg_start[rg + 1] = s->rg_start[rg] + m->row_groups[rg].num_rows;
    if (s->rg_start[s->nrg] >= (int64_t)UINT32_MAX)
        return lr_error_set(err, LR_ELIMIT, "%s: too many rows to keep stats by row", s->key);
    for (size_t i = 0; i < m->root->num_children; i++) {
        const struct lr_parquet_node *top = m->root->children[i];
        int t = strcmp(top->name, "add") == 0 ? 0 : strcmp(top->name, "remove") == 0 ? 1 : -1;
        for (size_t k = 0; t >= 0 && !s->column[t] && k < top->num_children; k++)
            if (strcmp(top->children[k]->name, "stats") == 0 &&
                !(s->column[t] = lr_strdup(top->children[k]->path)))
                return nomem(err);
    }
    return 0;
}

bool delta_stats_src_refer(struct delta_stats_src *s, struct lr_delta_file *rec, size_t rg,
                           int64_t row)
{
    if (!s || rg >= s->nrg || !s->column[rec->is_add ? 0 : 1])
        return false;
    rec->stats = s;
    rec->stats_kept = true;
    rec->stats_row = (uint32_t)(s->rg_start[rg] + row);
    return true;
}

/* A slot of s->texts not decoded yet (NULL means "no stats"). */
static const char not_decoded[] = "";

struct decode_ctx {
    struct lr_delta_mem *mem; /* where the text goes */
    const char **texts;
    int64_t rows;
    const uint32_t *wanted; /* sorted rows (in the row group) asked for */
    size_t nwanted;
    bool whole_pages;       /* keep every row of a decoded page, not only the wanted ones */
    size_t k;               /* decode_page: the next wanted row's index */
};

/* The first wanted row at or after `row`. */
static size_t lower_bound(const struct decode_ctx *x, size_t row)
{
    size_t lo = 0, hi = x->nwanted;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->wanted[mid] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool page_has_wanted(void *ctx, size_t first, size_t n)
{
    const struct decode_ctx *x = ctx;
    size_t k = lower_bound(x, first);
    return k < x->nwanted && x->wanted[k] - first < n;
}

static int keep_row(void *ctx, size_t row, const struct lr_parquet_slice *p,
                    struct lr_error *err)
{
    struct decode_ctx *x = ctx;
    bool wanted = x->k < x->nwanted && x->wanted[x->k] == row;
    x->k += wanted;
    if ((!wanted && !x->whole_pages) || x->texts[row] != not_decoded)
        return 0;
    x->texts[row] = p ? delta_text_from_parquet(x->mem, p->p, p->len) : NULL;
    return p && !x->texts[row] ? nomem(err) : 0;
}

static int decode_page(void *ctx, const struct lr_parquet_column *c, size_t first,
                       struct lr_error *err)
{
    struct decode_ctx *x = ctx;
    x->k = lower_bound(x, first);
    return delta_page_strings(c, first, x->rows, keep_row, x, err);
}

static int open_file(struct delta_stats_src *s, struct lr_error *err)
{
    return s->file ? 0 : lr_parquet_open_buffer(&s->file, s->bytes.data, s->bytes.len, s->key, err);
}

static const char **new_texts(struct lr_delta_mem *mem, int64_t rows)
{
    const char **texts = mem ? delta_mem_alloc(mem, (rows ? (size_t)rows : 1) * sizeof *texts,
                                               _Alignof(const char *))
                             : malloc((rows ? (size_t)rows : 1) * sizeof *texts);
    for (int64_t r = 0; texts && r < rows; r++)
        texts[r] = not_decoded;
    return texts;
}

/* Decode the stats of `wanted` rows (sorted, in row group rg) for action t (0 add, 1 remove)
 * into texts (one per row of rg), the text in mem. Only pages holding a wanted row are
 * decompressed; `whole_pages` keeps every row of them (one file asked for: later files of the
 * same page, as a checkpoint write or a validation reads them all, cost nothing more), else
 * only the wanted rows are copied (a restore plan asks for its files at once: a few hundred
 * rows spread over a million-file checkpoint cost their text, not their pages'). Needs
 * s->file open; takes no lock (several may run at once on one source). */
static int decode_into(struct delta_stats_src *s, size_t rg, int t, const char **texts,
                       struct lr_delta_mem *mem, const uint32_t *wanted, size_t nwanted,
                       bool whole_pages, struct lr_error *err)
{
    int64_t rows = s->rg_start[rg + 1] - s->rg_start[rg];
    struct decode_ctx x = {mem, texts, rows, wanted, nwanted, whole_pages, 0};
    int rc = lr_parquet_column_scan(s->file, rg, s->column[t], page_has_wanted, decode_page,
                                    &x, err);
    for (size_t k = 0; rc >= 0 && k < nwanted; k++)
        if (texts[wanted[k]] == not_decoded)
            rc = lr_error_set(err, LR_ECORRUPT, "%s: column %s: no page holds row %u of row "
                              "group %zu", s->key, s->column[t], wanted[k], rg);
    return rc;
}

/* The source's texts of slot rg * 2 + t, made on first use; NULL on ENOMEM. The lock is
 * held. */
static const char **slot_texts(struct delta_stats_src *s, size_t slot)
{
    size_t rg = slot / 2;
    if (!s->texts[slot])
        s->texts[slot] = new_texts(s->mem, s->rg_start[rg + 1] - s->rg_start[rg]);
    return s->texts[slot];
}

/* decode_into the source's own texts. The lock is held. */
static int decode(struct delta_stats_src *s, size_t rg, int t, const uint32_t *wanted,
                  size_t nwanted, bool whole_pages, struct lr_error *err)
{
    int rc = open_file(s, err);
    if (rc < 0)
        return rc;
    const char **texts = slot_texts(s, rg * 2 + (size_t)t);
    return texts ? decode_into(s, rg, t, texts, s->mem, wanted, nwanted, whole_pages, err)
                 : nomem(err);
}

/* The row group of a record's row: the last one starting at or before it. */
static size_t rg_of(const struct delta_stats_src *s, uint32_t row)
{
    size_t lo = 0, hi = s->nrg;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->rg_start[mid] <= (int64_t)row)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

struct want_item {
    struct delta_stats_src *s;
    size_t slot;  /* rg * 2 + t */
    uint32_t row; /* in the row group */
};

static int item_cmp(const void *a, const void *b)
{
    const struct want_item *x = a, *y = b;
    if (x->s != y->s)
        return (uintptr_t)x->s < (uintptr_t)y->s ? -1 : 1;
    if (x->slot != y->slot)
        return x->slot < y->slot ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* One (source, row group, action) of a prefetch: its rows decoded on a worker thread into an
 * arena and texts of its own, then published under the source's lock. */
struct pf_job {
    struct delta_stats_src *s;
    size_t slot;          /* rg * 2 + t */
    const uint32_t *rows; /* sorted, not yet decoded when the job was made */
    size_t nrows;
    struct lr_delta_mem *mem;
    const char **texts;
    int rc;
    struct lr_error err;
};

static void pf_run(size_t i, void *payload)
{
    struct pf_job *j = &((struct pf_job *)payload)[i];
    size_t rg = j->slot / 2;
    j->mem = delta_mem_new();
    j->texts = new_texts(NULL, j->s->rg_start[rg + 1] - j->s->rg_start[rg]);
    j->rc = j->mem && j->texts ? decode_into(j->s, rg, (int)(j->slot % 2), j->texts, j->mem,
                                             j->rows, j->nrows, false, &j->err)
                               : nomem(&j->err);
}

/* A job's texts into its source (rows decoded meanwhile by another caller keep theirs). */
static int pf_publish(struct pf_job *j, struct lr_error *err)
{
    struct delta_stats_src *s = j->s;
    pthread_mutex_lock(&s->lock);
    const char **texts = slot_texts(s, j->slot);
    int rc = texts ? delta_mem_adopt(s->mem, j->mem) : LR_ENOMEM;
    for (size_t k = 0; rc >= 0 && k < j->nrows; k++)
        if (texts[j->rows[k]] == not_decoded)
            texts[j->rows[k]] = j->texts[j->rows[k]];
    pthread_mutex_unlock(&s->lock);
    return rc < 0 ? nomem(err) : 0;
}

/* The jobs of a prefetch on delta_threads() threads; each source's file is opened first. */
static int pf_parallel(struct pf_job *jobs, size_t njobs, struct lr_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < njobs && rc >= 0; i++) {
        pthread_mutex_lock(&jobs[i].s->lock);
        rc = open_file(jobs[i].s, err);
        pthread_mutex_unlock(&jobs[i].s->lock);
    }
    if (rc >= 0)
        lr_parallel_for(njobs, delta_threads(), pf_run, jobs);
    for (size_t i = 0; i < njobs; i++) {
        if (rc >= 0 && jobs[i].rc < 0) {
            *err = jobs[i].err;
            rc = jobs[i].rc;
        }
        if (rc >= 0 && jobs[i].mem)
            rc = pf_publish(&jobs[i], err);
        delta_mem_unref(jobs[i].mem);
        free(jobs[i].texts);
    }
    return rc;
}

int lr_delta_files_stats_prefetch(const struct lr_delta_file *const *files, size_t n,
                                  struct lr_error *err)
{
    struct want_item *items = malloc((n ? n : 1) * sizeof *items);
    uint32_t *rows = malloc((n ? n : 1) * sizeof *rows);
    struct pf_job *jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!items || !rows || !jobs) {
        free(items);
        free(rows);
        free(jobs);
        return nomem(err);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const struct lr_delta_file *f = files[i];
        struct delta_stats_src *s = delta_rec_stats_src(f);
        if (!s)
            continue;
        size_t rg = rg_of(s, f->stats_row);
        items[m++] = (struct want_item){s, rg * 2 + (f->is_add ? 0 : 1),
                                        f->stats_row - (uint32_t)s->rg_start[rg]};
    }
    qsort(items, m, sizeof *items, item_cmp);
    /* one job per (source, row group, action) with rows still to decode */
    size_t njobs = 0, nrows = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        struct delta_stats_src *s = items[i].s;
        size_t slot = items[i].slot;
        size_t first = nrows;
        pthread_mutex_lock(&s->lock);
        const char **texts = s->texts[slot];
        for (; j < m && items[j].s == s && items[j].slot == slot; j++)
            if ((!texts || texts[items[j].row] == not_decoded) &&
                (nrows == first || rows[nrows - 1] != items[j].row))
                rows[nrows++] = items[j].row;
        pthread_mutex_unlock(&s->lock);
        if (nrows > first)
            jobs[njobs++] = (struct pf_job){s, slot, rows + first, nrows - first, NULL, NULL, 0,
                                            {0}};
        i = j;
    }
    int rc = 0;
    if (njobs > 1 && delta_threads() > 1) {
        rc = pf_parallel(jobs, njobs, err); /* pages of several row groups: share them out */
    } else {
        for (size_t i = 0; i < njobs && rc >= 0; i++) {
            pthread_mutex_lock(&jobs[i].s->lock);
            rc = decode(jobs[i].s, jobs[i].slot / 2, (int)(jobs[i].slot % 2), jobs[i].rows,
                        jobs[i].nrows, false, err);
            pthread_mutex_unlock(&jobs[i].s->lock);
        }
    }
    free(items);
    free(rows);
    free(jobs);
    return rc < 0 ? rc : 0;
}

int lr_delta_file_stats(const struct lr_delta_file *f, const char **out, struct lr_error *err)
{
    *out = delta_rec_stats_text(f);
    struct delta_stats_src *s = delta_rec_stats_src(f);
    if (!s)
        return 0;
    int t = f->is_add ? 0 : 1;
    size_t lo = rg_of(s, f->stats_row);
    uint32_t row = f->stats_row - (uint32_t)s->rg_start[lo];
    pthread_mutex_lock(&s->lock);
    const char **texts = s->texts[lo * 2 + (size_t)t];
    int rc = texts && texts[row] != not_decoded ? 0 : decode(s, lo, t, &row, 1, true, err);
    if (rc >= 0)
        *out = s->texts[lo * 2 + (size_t)t][row];
    pthread_mutex_unlock(&s->lock);
    if (rc < 0)
        lr_error_context(err, "stats of %s", f->path);
    return rc < 0 ? rc : 0;
}
