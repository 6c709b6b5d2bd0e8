/* logname.c - the _delta_log/ file-name grammar and log-segment selection (pure, no I/O).
 *
 * Owns: parsing names into struct lr_delta_log_file, ordering a listing, choosing the newest
 * complete checkpoint at or below a version plus the contiguous commits after it.
 * Invariants the tests cite:
 *   (1) a name is a log file only if its version field is exactly 20 digits;
 *   (2) a checkpoint is usable only when complete (all parts, size > 0);
 *   (3) the commits of a segment are exactly checkpoint+1 .. version, no gap. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/delta.h"

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int64_t parse_digits(const char *s, size_t n)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool is_uuid(const char *s, size_t n)
{
    if (n != 36)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char c = s[i];
        if (dash ? c != '-'
                 : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

int lr_delta_log_name_parse(const char *name, struct lr_delta_log_file *out)
{
    memset(out, 0, sizeof *out);
    out->mtime_ms = -1;
    size_t n = strlen(name);
    if (n < 21 || !digits(name, 20) || name[20] != '.' || strchr(name, '/'))
        return 0;
    int64_t v = parse_digits(name, 20);
    if (v < 0)
        return 0;
    out->version = v;
    out->end_version = v;
    const char *rest = name + 21;
    size_t rn = n - 21;
    if (strcmp(rest, "json") == 0) {
        out->kind = LR_DELTA_LOG_COMMIT;
        return 1;
    }
    if (strcmp(rest, "crc") == 0) {
        out->kind = LR_DELTA_LOG_CRC;
        return 1;
    }
    if (strcmp(rest, "checkpoint.parquet") == 0) {
        out->kind = LR_DELTA_LOG_CHECKPOINT;
        return 1;
    }
    /* %020d.%020d.compacted.json */
    if (rn == 20 + strlen(".compacted.json") && digits(rest, 20) &&
        strcmp(rest + 20, ".compacted.json") == 0) {
        int64_t e = parse_digits(rest, 20);
        if (e <= v)
            return 0;
        out->kind = LR_DELTA_LOG_COMPACTION;
        out->end_version = e;
        return 1;
    }
    if (strncmp(rest, "checkpoint.", 11) != 0)
        return 0;
    const char *c = rest + 11;
    size_t cn = rn - 11;
    /* %010d.%010d.parquet */
    if (cn == 10 + 1 + 10 + 8 && digits(c, 10) && c[10] == '.' && digits(c + 11, 10) &&
        strcmp(c + 21, ".parquet") == 0) {
        int64_t part = parse_digits(c, 10);
        int64_t parts = parse_digits(c + 11, 10);
        if (part < 1 || parts < 1 || part > parts || parts > 1000000)
            return 0;
        out->kind = LR_DELTA_LOG_CHECKPOINT_PART;
        out->part = (int)part;
        out->parts = (int)parts;
        return 1;
    }
    /* <uuid>.json | <uuid>.parquet */
    if (cn == 36 + 5 && is_uuid(c, 36) && strcmp(c + 36, ".json") == 0) {
        out->kind = LR_DELTA_LOG_CHECKPOINT_V2;
        out->is_json = true;
        return 1;
    }
    if (cn == 36 + 8 && is_uuid(c, 36) && strcmp(c + 36, ".parquet") == 0) {
        out->kind = LR_DELTA_LOG_CHECKPOINT_V2;
        return 1;
    }
    return 0;
}

static int file_cmp(const void *a, const void *b)
{
    const struct lr_delta_log_file *x = a;
    const struct lr_delta_log_file *y = b;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

void delta_listing_sort(struct lr_delta_listing *l)
{
    if (l->count > 1)
        qsort(l->files, l->count, sizeof l->files[0], file_cmp);
    l->latest_version = -1;
    for (size_t i = 0; i < l->count; i++) {
        const struct lr_delta_log_file *f = &l->files[i];
        bool counts = f->kind == LR_DELTA_LOG_COMMIT || f->kind == LR_DELTA_LOG_CHECKPOINT ||
                      f->kind == LR_DELTA_LOG_CHECKPOINT_V2 ||
                      f->kind == LR_DELTA_LOG_CHECKPOINT_PART;
        if (counts && f->version > l->latest_version)
            l->latest_version = f->version;
    }
}

void lr_delta_listing_free(struct lr_delta_listing *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        free(l->files[i].name);
    free(l->files);
    memset(l, 0, sizeof *l);
    l->latest_version = -1;
}

void lr_delta_segment_free(struct lr_delta_segment *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->checkpoint_count; i++)
        free(s->checkpoint[i].name);
    for (size_t i = 0; i < s->commit_count; i++)
        free(s->commits[i].name);
    free(s->version_commit.name);
    free(s->checkpoint);
    free(s->commits);
    memset(s, 0, sizeof *s);
    s->checkpoint_version = -1;
}

static int copy_file(struct lr_delta_log_file *dst, const struct lr_delta_log_file *src)
{
    *dst = *src;
    dst->name = lr_strdup(src->name);
    return dst->name || !src->name ? 0 : LR_ENOMEM;
}

/* Rank of a complete checkpoint candidate at one version: higher wins. */
struct cp_choice {
    size_t first; /* index of the first file (for parts: of part 1 of the chosen set) */
    int kind;     /* 3 = V2 uuid, 2 = multi-part, 1 = classic */
    int parts;
};

/* Best complete checkpoint among files[lo..hi) (all of one version); returns false if none. */
static bool best_checkpoint(const struct lr_delta_listing *l, size_t lo, size_t hi,
                            struct cp_choice *out)
{
    bool found = false;
    for (size_t i = lo; i < hi; i++) {
        const struct lr_delta_log_file *f = &l->files[i];
        struct cp_choice c = {i, 0, 0};
        if (f->kind == LR_DELTA_LOG_CHECKPOINT_V2 && f->size > 0) {
            c.kind = 3;
        } else if (f->kind == LR_DELTA_LOG_CHECKPOINT && f->size > 0) {
            c.kind = 1;
        } else if (f->kind == LR_DELTA_LOG_CHECKPOINT_PART && f->part == 1) {
            /* complete when parts 1..p of this p are all present and non-empty */
            int have = 0;
            for (size_t j = lo; j < hi; j++) {
                const struct lr_delta_log_file *g = &l->files[j];
                if (g->kind == LR_DELTA_LOG_CHECKPOINT_PART && g->parts == f->parts &&
                    g->size > 0 && g->part == have + 1)
                    have++;
            }
            if (have != f->parts)
                continue;
            c.kind = 2;
            c.parts = f->parts;
        } else {
            continue;
        }
        bool better = !found || c.kind > out->kind ||
                      (c.kind == out->kind && c.kind == 2 && c.parts > out->parts) ||
                      (c.kind == out->kind && c.kind != 2 &&
                       strcmp(f->name ? f->name : "", l->files[out->first].name
                                                          ? l->files[out->first].name : "") > 0);
        if (better) {
            *out = c;
            found = true;
        }
    }
    return found;
}

/* Log compaction files (PROTOCOL.md "Log Compaction Files"): a run of commits x..y (all
 * present, y below the wanted version so that the version's own commit stays the last file
 * read: its commitInfo and timestamp) is replaced by x.y.compacted.json, the longest one
 * starting at x. One whose range is not fully inside the run of commits needed is ignored. */
static int use_compactions(struct lr_delta_segment *out, const struct lr_delta_listing *l,
                           struct lr_error *err)
{
    size_t ncand = 0;
    for (size_t i = 0; i < l->count; i++)
        ncand += l->files[i].kind == LR_DELTA_LOG_COMPACTION;
    if (ncand == 0 || out->commit_count < 3)
        return 0;
    int64_t first = out->commits[0].version;
    int64_t last = out->commits[out->commit_count - 1].version;
    struct lr_delta_log_file *n = calloc(out->commit_count, sizeof *n);
    if (!n)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t k = 0;
    size_t c = 0; /* listing cursor: files are sorted by version */
    for (size_t i = 0; i < out->commit_count;) {
        int64_t v = out->commits[i].version;
        while (c < l->count && l->files[c].version < v)
            c++;
        const struct lr_delta_log_file *best = NULL;
        for (size_t j = c; j < l->count && l->files[j].version == v; j++) {
            const struct lr_delta_log_file *f = &l->files[j];
            if (f->kind == LR_DELTA_LOG_COMPACTION && f->size > 0 && f->end_version > v &&
                f->version >= first && f->end_version < last &&
                (!best || f->end_version > best->end_version))
                best = f;
        }
        if (!best) {
            n[k++] = out->commits[i];
            out->commits[i].name = NULL;
            i++;
            continue;
        }
        if (copy_file(&n[k++], best) < 0) {
            for (size_t j = 0; j < k; j++)
                free(n[j].name);
            free(n);
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        }
        i += (size_t)(best->end_version - v + 1);
    }
    for (size_t i = 0; i < out->commit_count; i++)
        free(out->commits[i].name);
    free(out->commits);
    out->commits = n;
    out->commit_count = k;
    return 0;
}

int lr_delta_segment_select(struct lr_delta_segment *out, const struct lr_delta_listing *l,
                            int64_t version, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->checkpoint_version = -1;
    out->commit_mtime_ms = -1;
    int rc = 0;
    if (l->latest_version < 0)
        return lr_error_set(err, LR_ENOTFOUND, "no Delta log: _delta_log/ holds no commit or "
                            "checkpoint (is this the table root?)");
    if (version < 0)
        version = l->latest_version;
    if (version > l->latest_version)
        return lr_error_set(err, LR_ENOTFOUND, "version %lld does not exist: the latest "
                            "version is %lld", (long long)version, (long long)l->latest_version);
    out->version = version;

    /* newest complete checkpoint <= version */
    struct cp_choice best = {0, 0, 0};
    bool have_cp = false;
    size_t hi = l->count;
    while (hi > 0) {
        size_t lo = hi - 1;
        int64_t v = l->files[lo].version;
        while (lo > 0 && l->files[lo - 1].version == v)
            lo--;
        if (v <= version && best_checkpoint(l, lo, hi, &best)) {
            have_cp = true;
            break;
        }
        hi = lo;
    }
    int64_t first_commit = 0;
    if (have_cp) {
        const struct lr_delta_log_file *f = &l->files[best.first];
        out->checkpoint_version = f->version;
        first_commit = f->version + 1;
        size_t n = best.kind == 2 ? (size_t)best.parts : 1;
        out->checkpoint = calloc(n, sizeof *out->checkpoint);
        if (!out->checkpoint) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        if (best.kind == 2) {
            for (size_t j = 0; j < l->count && out->checkpoint_count < n; j++) {
                const struct lr_delta_log_file *g = &l->files[j];
                if (g->version == f->version && g->kind == LR_DELTA_LOG_CHECKPOINT_PART &&
                    g->parts == best.parts && g->part == (int)out->checkpoint_count + 1) {
                    if (copy_file(&out->checkpoint[out->checkpoint_count], g) < 0) {
                        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                        goto done;
                    }
                    out->checkpoint_count++;
                }
            }
        } else {
            if (copy_file(&out->checkpoint[0], f) < 0) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                goto done;
            }
            out->checkpoint_count = 1;
        }
        out->commit_mtime_ms = f->mtime_ms;
    } else if (l->start_version > 0) {
        rc = lr_error_set(err, LR_ENOTFOUND, "no complete checkpoint at or below version %lld "
                          "in the listing from version %lld", (long long)version,
                          (long long)l->start_version);
        goto done;
    }

    /* commits first_commit..version, contiguous */
    size_t want = (size_t)(version - first_commit + 1);
    if (version >= first_commit) {
        out->commits = calloc(want, sizeof *out->commits);
        if (!out->commits) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
    }
    int64_t next = first_commit;
    for (size_t i = 0; i < l->count && next <= version; i++) {
        const struct lr_delta_log_file *f = &l->files[i];
        if (f->kind != LR_DELTA_LOG_COMMIT || f->version < first_commit)
            continue;
        if (f->version > version)
            break;
        if (f->version != next)
            break;
        if (copy_file(&out->commits[out->commit_count++], f) < 0) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        next++;
    }
    if (next <= version) {
        if (!have_cp && next == 0)
            rc = lr_error_set(err, LR_ENOTFOUND, "version %lld is not reconstructable: commit 0 "
                              "is gone and no checkpoint at or below it remains (log cleanup)",
                              (long long)version);
        else
            rc = lr_error_set(err, LR_ECORRUPT, "versions are not contiguous: commit %020lld.json"
                              " is missing (needed to reconstruct version %lld from %s)",
                              (long long)next, (long long)version,
                              have_cp ? "the checkpoint" : "commit 0");
        goto done;
    }
    if (out->commit_count > 0) {
        out->commit_mtime_ms = out->commits[out->commit_count - 1].mtime_ms;
        rc = use_compactions(out, l, err);
        if (rc < 0)
            goto done;
    } else {
        for (size_t i = 0; i < l->count; i++) {
            const struct lr_delta_log_file *f = &l->files[i];
            if (f->kind == LR_DELTA_LOG_COMMIT && f->version == version) {
                if (copy_file(&out->version_commit, f) < 0) {
                    rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                    goto done;
                }
                out->commit_mtime_ms = f->mtime_ms;
            }
        }
    }
done:
    if (rc < 0)
        lr_delta_segment_free(out);
    return rc;
}
