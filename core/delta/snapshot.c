/* snapshot.c - building the state of one version: checkpoint + commits replayed in order.
 *
 * Owns: lr_delta_snapshot_open/load/free and the accessors. The reconciliation rules live in
 * replay.c, checkpoint decoding in checkpoint_read.c. Invariants:
 *   (1) commits are replayed strictly in version order, each streamed line by line;
 *   (2) commitInfo of the snapshot is the one in the version's own commit file, else none;
 *   (3) a version without protocol or metaData is not a snapshot (LR_ECORRUPT);
 *   (4) reader features are checked before the snapshot is handed out. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"

static int replay_commit(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                         struct delta_state *s, struct lr_error *err)
{
    struct delta_lines r;
    char *key = delta_log_key(t, f->name);
    if (!key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = delta_lines_open(&r, t->store, key, key, f->size, err);
    free(key);
    if (rc < 0)
        return rc;
    json_decref(s->commit_info);
    s->commit_info = NULL;
    for (;;) {
        json_t *line = NULL;
        rc = delta_lines_next(&r, &line, err);
        if (rc <= 0)
            break;
        rc = delta_state_apply(s, line, false, err);
        json_decref(line);
        if (rc < 0) {
            lr_error_context(err, "%s line %lld", r.name, (long long)r.line_no);
            break;
        }
    }
    delta_lines_close(&r);
    return rc;
}

/* Only the commitInfo line of a commit (normally its first line). */
static int read_commit_info_only(struct lr_delta_table *t, const struct lr_delta_log_file *f,
                                 struct delta_state *s, struct lr_error *err)
{
    struct delta_lines r;
    char *key = delta_log_key(t, f->name);
    if (!key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = delta_lines_open(&r, t->store, key, key, f->size, err);
    free(key);
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

static int file_cmp(const void *a, const void *b)
{
    const struct lr_delta_file *x = a;
    const struct lr_delta_file *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    return strcmp(x->dv_id ? x->dv_id : "", y->dv_id ? y->dv_id : "");
}

static int finalize(struct lr_delta_snapshot *out, struct delta_state *s, struct lr_error *err)
{
    size_t nadd = 0;
    size_t nrem = 0;
    for (size_t i = 0; i < s->files.nbuckets; i++)
        for (struct fentry *e = s->files.buckets[i]; e; e = e->next)
            e->is_add ? nadd++ : nrem++;
    out->files = calloc(nadd ? nadd : 1, sizeof *out->files);
    out->tombstones = calloc(nrem ? nrem : 1, sizeof *out->tombstones);
    if (!out->files || !out->tombstones)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    out->num_records = 0;
    for (size_t i = 0; i < s->files.nbuckets; i++) {
        for (struct fentry *e = s->files.buckets[i]; e; e = e->next) {
            struct lr_delta_file *f = e->is_add ? &out->files[out->num_files++]
                                                : &out->tombstones[out->num_tombstones++];
            if (delta_file_from_action(f, e->action, e->is_add) < 0)
                return lr_error_set(err, LR_ENOMEM, "out of memory");
            if (!e->is_add)
                continue;
            if (f->size > 0)
                out->size_bytes += f->size;
            int64_t rows = lr_delta_file_rows(f);
            if (rows < 0 || out->num_records < 0)
                out->num_records = -1;
            else
                out->num_records += rows;
        }
    }
    qsort(out->files, out->num_files, sizeof *out->files, file_cmp);
    qsort(out->tombstones, out->num_tombstones, sizeof *out->tombstones, file_cmp);
    return 0;
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
    out->metadata = json_incref(s->metadata);
    out->protocol_action = json_incref(s->protocol);
    out->metadata_id = delta_json_str(s->metadata, "id");
    out->schema_string = delta_json_str(s->metadata, "schemaString");
    out->partition_columns = json_object_get(s->metadata, "partitionColumns");
    if (!json_is_array(out->partition_columns)) {
        json_object_set_new(out->metadata, "partitionColumns", json_array());
        out->partition_columns = json_object_get(out->metadata, "partitionColumns");
    }
    out->configuration = json_object_get(s->metadata, "configuration");
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
                const struct lr_delta_segment *seg, bool *checkpoint_failed, struct lr_error *err)
{
    *checkpoint_failed = false;
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
        rc = delta_checkpoint_replay(t, seg, &s, err);
        if (rc < 0) {
            *checkpoint_failed = rc != LR_ENOMEM;
            goto done;
        }
    }
    for (size_t i = 0; i < seg->commit_count; i++) {
        rc = replay_commit(t, &seg->commits[i], &s, err);
        if (rc < 0)
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
    return load(out, t, seg, &cp_failed, err);
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
    rc = load(out, t, &seg, &cp_failed, err);
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
        rc = load(out, t, &seg, &cp_failed, &e2);
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
    for (size_t i = 0; i < s->num_files; i++)
        delta_file_clear(&s->files[i]);
    for (size_t i = 0; i < s->num_tombstones; i++)
        delta_file_clear(&s->tombstones[i]);
    free(s->files);
    free(s->tombstones);
    lr_delta_protocol_free(&s->protocol);
    json_decref(s->metadata);
    json_decref(s->protocol_action);
    json_decref(s->txns);
    json_decref(s->domains);
    json_decref(s->commit_info);
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
    /* Tombstones first: a live file with the same identity replaces them, as in the log. */
    for (size_t i = 0; rc == 0 && i < base->num_tombstones; i++)
        rc = delta_state_apply_file(&s, base->tombstones[i].action, false, err);
    for (size_t i = 0; rc == 0 && i < base->num_files; i++)
        rc = delta_state_apply_file(&s, base->files[i].action, true, err);
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
