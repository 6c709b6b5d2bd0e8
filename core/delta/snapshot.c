/* snapshot.c - building the state of one version: checkpoint + commits replayed in order.
 *
 * Owns: lr_delta_snapshot_open/load/free and the accessors. The reconciliation rules live in
 * replay.c, checkpoint decoding in checkpoint_read.c. Invariants:
 *   (1) commits are replayed strictly in version order, each streamed line by line;
 *   (2) commitInfo of the snapshot is the one in the version's own commit file, else none;
 *   (3) a version without protocol or metaData is not a snapshot (LR_ECORRUPT);
 *   (4) reader features are checked before the snapshot is handed out. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

static int rec_ptr_cmp(const void *a, const void *b)
{
    return delta_rec_cmp(*(struct lr_delta_file *const *)a, *(struct lr_delta_file *const *)b);
}

/* A compacted file must hold reconciled actions: each file identity at most once (order
 * inside it then does not matter). Some writers' files list commits newest first with
 * repeats; those cannot stand in for their commits. */
static int check_reconciled(struct delta_state *s, const char *name, struct lr_error *err)
{
    qsort(s->track, s->ntrack, sizeof *s->track, rec_ptr_cmp);
    for (size_t i = 1; i < s->ntrack; i++)
        if (delta_rec_cmp(s->track[i - 1], s->track[i]) == 0)
            return lr_error_set(err, LR_ECORRUPT, "%s is not reconciled: it names %s twice",
                                name, s->track[i]->path);
    return 0;
}

/* One commit's lines, streamed from the store (r) or parsed ahead (p). */
struct commit_lines {
    struct delta_lines *r;
    struct delta_parsed_commit *p;
    size_t i;
};

static int next_line(struct commit_lines *x, json_t **line, int64_t *line_no,
                     struct lr_error *err)
{
    if (x->r) {
        int rc = delta_lines_next(x->r, line, err);
        *line_no = x->r->line_no;
        return rc;
    }
    if (x->i >= x->p->n)
        return x->p->rc < 0 ? (*err = x->p->err, x->p->rc) : 0;
    *line = x->p->lines[x->i];
    x->p->lines[x->i] = NULL; /* handed over */
    *line_no = x->p->line_no[x->i++];
    return 1;
}

static int apply_commit(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                        const char *name, struct commit_lines *x, struct delta_state *s,
                        struct lr_error *err)
{
    json_decref(s->commit_info);
    s->commit_info = NULL;
    s->tracking = f->kind == LR_DELTA_LOG_COMPACTION;
    s->ntrack = 0;
    int rc;
    for (;;) {
        json_t *line = NULL;
        int64_t line_no = 0;
        rc = next_line(x, &line, &line_no, err);
        if (rc <= 0)
            break;
        rc = delta_state_apply(s, line, false, err);
        json_decref(line);
        if (rc < 0) {
            lr_error_context(err, "%s line %lld", name, (long long)line_no);
            break;
        }
    }
    if (rc >= 0 && s->tracking)
        rc = check_reconciled(s, name, err);
    if (rc >= 0 && f->kind == LR_DELTA_LOG_COMMIT)
        delta_commit_info_remember(t, f, s->commit_info);
    s->tracking = false;
    return rc;
}

/* A commit read while it is applied (one too large to read ahead). */
static int replay_commit(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                         struct delta_state *s, struct lr_error *err)
{
    struct delta_lines r;
    int rc = delta_lines_open_commit(&r, t, f, err);
    if (rc < 0)
        return rc;
    struct commit_lines x = {&r, NULL, 0};
    rc = apply_commit(t, f, r.name, &x, s, err);
    delta_lines_close(&r);
    return rc;
}

/* A window of commits: those the table keeps parsed (commit_cache.c), the others read and
 * parsed now, and then kept. Fails only with LR_ENOMEM (pc then holds nothing). */
static int read_window(struct lr_delta_table *t, const struct lr_delta_log_file *files,
                       size_t n, struct delta_parsed_commit *pc)
{
    size_t *miss = malloc(n * sizeof *miss);
    struct lr_delta_log_file *mf = malloc(n * sizeof *mf);
    struct delta_parsed_commit *mp = calloc(n, sizeof *mp);
    size_t m = 0;
    int rc = miss && mf && mp ? 0 : LR_ENOMEM;
    for (size_t k = 0; k < n && rc >= 0; k++) {
        if (!delta_commit_cache_take(t, &files[k], &pc[k])) {
            miss[m] = k;
            mf[m++] = files[k];
        }
    }
    struct lr_error err;
    if (rc >= 0 && m > 0 && delta_commits_read(t, mf, m, mp, &err) < 0)
        rc = LR_ENOMEM;
    for (size_t j = 0; j < m && rc >= 0; j++) {
        pc[miss[j]] = mp[j];
        delta_commit_cache_put(t, &mf[j], &mp[j]);
    }
    if (rc < 0)
        delta_parsed_commits_free(pc, n);
    free(miss);
    free(mf);
    free(mp);
    return rc;
}

/* The segment's commits, read ahead a window at a time; *failed_at gets the index of the
 * commit that failed. */
static int replay_commits(struct lr_delta_table *t, const struct lr_delta_segment *seg,
                          struct delta_state *s, size_t *failed_at, struct lr_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < seg->commit_count && rc >= 0;) {
        size_t n = delta_commit_window(seg->commits + i, seg->commit_count - i);
        struct delta_parsed_commit *pc = n > 1 ? calloc(n, sizeof *pc) : NULL;
        if (n > 1 && (!pc || read_window(t, seg->commits + i, n, pc) < 0)) {
            free(pc);
            *failed_at = i;
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        }
        for (size_t k = 0; k < n && rc >= 0; k++) {
            const struct lr_delta_log_file *f = &seg->commits[i + k];
            if (!pc || pc[k].streamed) {
                rc = replay_commit(t, f, s, err);
            } else {
                struct commit_lines x = {NULL, &pc[k], 0};
                rc = apply_commit(t, f, pc[k].key, &x, s, err);
            }
            if (rc < 0)
                *failed_at = i + k;
        }
        delta_parsed_commits_free(pc, pc ? n : 0);
        free(pc);
        i += n;
    }
    return rc;
}

/* Only the commitInfo line of a commit (normally its first line). */
static int read_commit_info_only(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                                 struct delta_state *s, struct lr_error *err)
{
    struct delta_lines r;
    int rc = delta_lines_open_commit(&r, t, f, err);
    if (rc < 0)
        return rc;
    for (;;) {
        json_t *line = NULL;
        rc = delta_lines_next(&r, &line, err);
        if (rc <= 0)
            break;
        json_t *ci = json_object_get(line, "commitInfo");
        if (json_is_object(ci)) {
            s->commit_info = json_incref(ci);
            json_decref(line);
            rc = 0;
            break;
        }
        json_decref(line);
    }
    delta_lines_close(&r);
    return rc < 0 ? rc : 0;
}

static int finalize(struct lr_delta_snapshot *out, struct delta_state *s, struct lr_error *err)
{
    struct delta_totals live;
    if (delta_state_files(s, &out->files, &out->num_files, &out->tombstones,
                          &out->num_tombstones, &live) < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    out->is_sorted = true;
    out->mem[0] = delta_mem_ref(s->mem);
    out->mem[1] = s->base ? delta_mem_ref(s->base->mem) : NULL;
    /* from the base's totals and the overlay: a million-file snapshot is not walked again */
    out->size_bytes = live.bytes;
    out->num_records = live.unknown ? -1 : live.rows;
    return 0;
}

/* What identifies a checkpoint's content for the table's cache: its files and sizes. */
static char *checkpoint_ident(const struct lr_delta_segment *seg)
{
    struct lr_buf b;
    lr_buf_init(&b, 0);
    for (size_t i = 0; i < seg->checkpoint_count; i++)
        if (lr_buf_printf(&b, NULL, "%s:%llu;", seg->checkpoint[i].name,
                          (unsigned long long)seg->checkpoint[i].size) < 0) {
            lr_buf_free(&b);
            return NULL;
        }
    char *s = lr_strndup(b.data ? (const char *)b.data : "", b.len);
    lr_buf_free(&b);
    return s;
}

static struct delta_base *cache_get(struct lr_delta_table *t, int64_t version, const char *ident)
{
    struct delta_base *b = NULL;
    pthread_mutex_lock(&t->lock);
    if (t->cache && t->cache->version == version && strcmp(t->cache->ident, ident) == 0) {
        b = t->cache;
        atomic_fetch_add(&b->refs, 1);
    }
    pthread_mutex_unlock(&t->lock);
    return b;
}

static void cache_put(struct lr_delta_table *t, struct delta_base *b)
{
    atomic_fetch_add(&b->refs, 1);
    pthread_mutex_lock(&t->lock);
    struct delta_base *old = t->cache;
    t->cache = b;
    pthread_mutex_unlock(&t->lock);
    delta_base_unref(old);
}

/* The checkpoint part of the state: from the table's cache, else read and sorted once. */
static int replay_checkpoint(struct lr_delta_table *t, const struct lr_delta_segment *seg,
                             struct delta_state *s, struct lr_error *err)
{
    char *ident = checkpoint_ident(seg);
    if (!ident)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct delta_base *b = cache_get(t, seg->checkpoint_version, ident);
    int rc;
    if (b) {
        rc = delta_state_use_base(s, b, err);
        delta_base_unref(b);
    } else {
        s->collecting = true;
        rc = delta_checkpoint_replay(t, seg, s, err);
        if (rc >= 0)
            rc = delta_state_seal_base(s, seg->checkpoint_version, ident, err);
        if (rc >= 0)
            cache_put(t, s->base);
    }
    free(ident);
    return rc;
}

const char *lr_delta_snapshot_config(const struct lr_delta_snapshot *s, const char *key)
{
    return delta_json_str(s->configuration, key);
}

char *lr_delta_snapshot_logical_name(const struct lr_delta_snapshot *s, const char *physical)
{
    const char *mode = lr_delta_snapshot_config(s, "delta.columnMapping.mode");
    if (!mode || strcmp(mode, "none") == 0 || !s->schema_string)
        return lr_strdup(physical);
    json_t *schema = json_loads(s->schema_string, 0, NULL);
    char *out = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(schema, "fields"), i, f) {
        const char *pn = delta_json_str(json_object_get(f, "metadata"),
                                        "delta.columnMapping.physicalName");
        if (pn && strcmp(pn, physical) == 0) {
            out = lr_strdup(delta_json_str(f, "name"));
            break;
        }
    }
    json_decref(schema);
    return out ? out : lr_strdup(physical);
}

json_t *lr_delta_snapshot_partition_values(const struct lr_delta_snapshot *s,
                                           json_t *partition_values)
{
    json_t *out = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(partition_values, k, v) {
        char *name = lr_delta_snapshot_logical_name(s, k);
        json_object_set(out, name ? name : k, v);
        free(name);
    }
    return out;
}

bool lr_delta_snapshot_has_ict(const struct lr_delta_snapshot *s)
{
    const char *v = lr_delta_snapshot_config(s, "delta.enableInCommitTimestamps");
    return v && strcmp(v, "true") == 0 &&
           lr_delta_protocol_has(&s->protocol, "inCommitTimestamp", false);
}

/* The snapshot fields from a replayed state (invariants 3 and 4). */
static int from_state(struct lr_delta_snapshot *out, struct delta_state *s, int64_t version,
                      struct lr_error *err)
{
    if (!s->protocol || !s->metadata)
        return lr_error_set(err, LR_ECORRUPT, "version %lld is not a valid table state: the log "
                            "up to it holds no %s action", (long long)version,
                            s->protocol ? "metaData" : "protocol");
    int rc = delta_protocol_from_json(&out->protocol, s->protocol, err);
    if (rc < 0)
        return rc;
    rc = lr_delta_protocol_check_read(&out->protocol, err);
    if (rc < 0)
        return rc;
    /* the metaData object may be shared with other snapshots: complete a copy of it */
    if (!json_is_array(json_object_get(s->metadata, "partitionColumns")) ||
        !json_is_object(json_object_get(s->metadata, "configuration")))
        out->metadata = json_copy(s->metadata);
    else
        out->metadata = json_incref(s->metadata);
    if (!out->metadata)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    out->protocol_action = json_incref(s->protocol);
    out->metadata_id = delta_json_str(out->metadata, "id");
    out->schema_string = delta_json_str(out->metadata, "schemaString");
    out->partition_columns = json_object_get(out->metadata, "partitionColumns");
    if (!json_is_array(out->partition_columns)) {
        json_object_set_new(out->metadata, "partitionColumns", json_array());
        out->partition_columns = json_object_get(out->metadata, "partitionColumns");
    }
    out->configuration = json_object_get(out->metadata, "configuration");
    if (!json_is_object(out->configuration)) {
        json_object_set_new(out->metadata, "configuration", json_object());
        out->configuration = json_object_get(out->metadata, "configuration");
    }
    out->txns = json_incref(s->txns);
    out->domains = json_incref(s->domains);
    out->commit_info = json_incref(s->commit_info);
    return finalize(out, s, err);
}

static int load(struct lr_delta_snapshot *out, struct lr_delta_table *t,
                const struct lr_delta_segment *seg, bool *checkpoint_failed,
                bool *compaction_failed, struct lr_error *err)
{
    *checkpoint_failed = false;
    *compaction_failed = false;
    memset(out, 0, sizeof *out);
    out->version = seg->version;
    out->checkpoint_version = seg->checkpoint_version;
    out->timestamp_ms = -1;
    struct delta_state s;
    int rc = delta_state_init(&s);
    if (rc < 0) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    if (seg->checkpoint_count > 0) {
        rc = replay_checkpoint(t, seg, &s, err);
        if (rc < 0) {
            *checkpoint_failed = rc != LR_ENOMEM;
            goto done;
        }
    }
    size_t failed_at = 0;
    rc = replay_commits(t, seg, &s, &failed_at, err);
    if (rc < 0) {
        *compaction_failed = seg->commits[failed_at].kind == LR_DELTA_LOG_COMPACTION &&
                             rc != LR_ENOMEM;
        goto done;
    }
    if (seg->commit_count == 0 && seg->version_commit.name) {
        /* checkpoint at V: V's own commit file still holds its commitInfo */
        struct delta_state ci;
        rc = delta_state_init(&ci);
        if (rc == 0)
            rc = read_commit_info_only(t, &seg->version_commit, &ci, err);
        if (rc == 0 && ci.commit_info)
            s.commit_info = json_incref(ci.commit_info);
        delta_state_free(&ci);
        if (rc < 0)
            goto done;
    }
    rc = from_state(out, &s, seg->version, err);
    if (rc < 0)
        goto done;
    out->timestamp_ms = seg->commit_mtime_ms;
    if (lr_delta_snapshot_has_ict(out)) {
        int64_t ict = delta_json_int(out->commit_info, "inCommitTimestamp", -1);
        if (ict >= 0)
            out->timestamp_ms = ict;
    }
done:
    delta_state_free(&s);
    if (rc < 0)
        lr_delta_snapshot_free(out);
    return rc;
}

int lr_delta_snapshot_load(struct lr_delta_snapshot *out, struct lr_delta_table *t,
                           const struct lr_delta_segment *seg, struct lr_error *err)
{
    bool cp_failed;
    bool cf_failed;
    return load(out, t, seg, &cp_failed, &cf_failed, err);
}

/* Mark every checkpoint file of `version` unusable (size 0) so selection skips it. */
static void drop_checkpoint(struct lr_delta_listing *l, int64_t version)
{
    for (size_t i = 0; i < l->count; i++) {
        enum lr_delta_log_kind k = l->files[i].kind;
        if (l->files[i].version == version &&
            (k == LR_DELTA_LOG_CHECKPOINT || k == LR_DELTA_LOG_CHECKPOINT_PART ||
             k == LR_DELTA_LOG_CHECKPOINT_V2))
            l->files[i].size = 0;
    }
}

int lr_delta_snapshot_open(struct lr_delta_snapshot *out, struct lr_delta_table *t,
                           int64_t version, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct lr_delta_segment seg;
    struct lr_delta_listing l;
    int rc = lr_delta_find_segment(t, version, &seg, &l, err);
    if (rc < 0)
        return lr_error_context(err, "table %s", t->name);
    int64_t v = seg.version;
    bool cp_failed = false;
    bool cf_failed = false;
    rc = load(out, t, &seg, &cp_failed, &cf_failed, err);
    if (rc < 0 && cf_failed) {
        /* compacted files are optional: an unusable one leaves its commits to be read */
        struct lr_error e2;
        for (size_t i = 0; i < l.count; i++)
            if (l.files[i].kind == LR_DELTA_LOG_COMPACTION)
                l.files[i].size = 0;
        lr_delta_segment_free(&seg);
        if (lr_delta_segment_select(&seg, &l, v, &e2) == 0)
            rc = load(out, t, &seg, &cp_failed, &cf_failed, err);
    }
    /* A checkpoint that cannot be read (torn, truncated, a sidecar gone) is skipped for an
     * older one, or commit 0, when the log still has the commits: readers must not depend on
     * any one checkpoint. The first error is kept if no fallback works. */
    while (rc < 0 && cp_failed) {
        struct lr_error first = *err;
        int64_t bad = seg.checkpoint_version;
        lr_delta_segment_free(&seg);
        if (l.start_version > 0) {
            lr_delta_listing_free(&l);
            if (lr_delta_list(t, 0, &l, err) < 0)
                break;
        }
        drop_checkpoint(&l, bad);
        struct lr_error e2;
        if (lr_delta_segment_select(&seg, &l, v, &e2) < 0) {
            *err = first;
            break;
        }
        rc = load(out, t, &seg, &cp_failed, &cf_failed, &e2);
        if (rc < 0 && !cp_failed)
            *err = e2;
        else if (rc < 0)
            *err = first;
    }
    lr_delta_segment_free(&seg);
    lr_delta_listing_free(&l);
    if (rc < 0)
        lr_error_context(err, "table %s, version %lld", t->name, (long long)v);
    return rc;
}

void lr_delta_snapshot_free(struct lr_delta_snapshot *s)
{
    if (!s)
        return;
    free(s->files);
    free(s->tombstones);
    lr_delta_protocol_free(&s->protocol);
    json_decref(s->metadata);
    json_decref(s->protocol_action);
    json_decref(s->txns);
    json_decref(s->domains);
    json_decref(s->commit_info);
    delta_mem_unref(s->mem[0]);
    delta_mem_unref(s->mem[1]);
    memset(s, 0, sizeof *s);
}

int lr_delta_snapshot_apply(struct lr_delta_snapshot *out, const struct lr_delta_snapshot *base,
                            const char *text, size_t len, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct delta_state s;
    if (delta_state_init(&s) < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = 0;
    json_decref(s.txns);
    json_decref(s.domains);
    s.protocol = json_deep_copy(base->protocol_action);
    s.metadata = json_deep_copy(base->metadata);
    s.txns = base->txns ? json_deep_copy(base->txns) : json_object();
    s.domains = base->domains ? json_deep_copy(base->domains) : json_object();
    if (!s.protocol || !s.metadata || !s.txns || !s.domains) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    /* The base's records are shared, not copied (the new snapshot's memory keeps the base's
     * alive). Tombstones first: a live file with the same identity replaces them. */
    for (size_t i = 0; rc == 0 && i < 2; i++)
        if (base->mem[i] && delta_mem_adopt(s.mem, base->mem[i]) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < base->num_tombstones; i++)
        rc = delta_state_put(&s, base->tombstones[i], err);
    for (size_t i = 0; rc == 0 && i < base->num_files; i++)
        rc = delta_state_put(&s, base->files[i], err);
    size_t line_no = 0;
    for (size_t pos = 0; rc == 0 && pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        line_no++;
        if (end > pos) {
            json_error_t jerr;
            json_t *line = json_loadb(text + pos, end - pos, 0, &jerr);
            if (!json_is_object(line))
                rc = lr_error_set(err, LR_ECORRUPT, "commit line %zu is not a JSON object: %s",
                                  line_no, jerr.text);
            else
                rc = delta_state_apply(&s, line, false, err);
            json_decref(line);
        }
        pos = end + 1;
    }
    if (rc < 0)
        goto done;
    rc = from_state(out, &s, base->version + 1, err);
    if (rc < 0)
        goto done;
    out->version = base->version + 1;
    out->checkpoint_version = -1;
    out->timestamp_ms = delta_json_int(out->commit_info, "inCommitTimestamp",
                                       delta_json_int(out->commit_info, "timestamp", -1));
done:
    delta_state_free(&s);
    if (rc < 0)
        lr_delta_snapshot_free(out);
    return rc;
}
