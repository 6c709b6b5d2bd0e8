/* plan_stats.c - the stats of a restore plan's actions, filled in when the commit is written.
 *
 * Owns: the list of actions made without the stats a checkpoint still keeps compressed, and
 * references on the memory of the records they came from (so the snapshots the plan was built
 * on may be freed first). Filling decodes them all in one pass (lr_delta_files_stats_prefetch)
 * and empties the list; the text written is what lr_delta_file_action() would have given. */
#include <stdio.h>
#include <stdlib.h>

#include "delta/internal.h"

static struct delta_plan_stats *stats_of(struct lr_delta_restore_plan *p)
{
    if (!p->kept_stats)
        p->kept_stats = calloc(1, sizeof *p->kept_stats);
    return p->kept_stats;
}

int delta_plan_stats_hold(struct lr_delta_restore_plan *p, const struct lr_delta_snapshot *a,
                          const struct lr_delta_snapshot *b)
{
    struct delta_plan_stats *ps = stats_of(p);
    if (!ps)
        return LR_ENOMEM;
    for (size_t i = 0; i < 2; i++) {
        delta_mem_unref(ps->mem[i]);
        delta_mem_unref(ps->mem[2 + i]);
        ps->mem[i] = delta_mem_ref(a->mem[i]);
        ps->mem[2 + i] = delta_mem_ref(b->mem[i]);
    }
    return 0;
}

int delta_plan_stats_defer(struct lr_delta_restore_plan *p, json_t *action,
                           const struct lr_delta_file *f)
{
    struct delta_plan_stats *ps = stats_of(p);
    if (!ps)
        return LR_ENOMEM;
    if (ps->n == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 64;
        json_t **a = realloc(ps->actions, nc * sizeof *a);
        if (a)
            ps->actions = a;
        const struct lr_delta_file **fs = a ? realloc(ps->files, nc * sizeof *fs) : NULL;
        if (!fs)
            return LR_ENOMEM;
        ps->files = fs;
        ps->cap = nc;
    }
    ps->actions[ps->n] = action;
    ps->files[ps->n] = f;
    ps->n++;
    return 0;
}

static void release_records(struct delta_plan_stats *ps)
{
    for (size_t i = 0; i < 4; i++) {
        delta_mem_unref(ps->mem[i]);
        ps->mem[i] = NULL;
    }
}

int delta_plan_stats_fill(struct delta_plan_stats *ps, struct lr_error *err)
{
    if (!ps || !ps->n)
        return 0;
    int rc = lr_delta_files_stats_prefetch(ps->files, ps->n, err);
    for (size_t i = 0; i < ps->n && rc >= 0; i++) {
        const struct lr_delta_file *f = ps->files[i];
        const char *text = NULL;
        rc = lr_delta_file_stats(f, &text, err);
        if (rc < 0)
            break;
        json_t *v = NULL;
        if (text) {
            v = json_string(text);
        } else if (f->num_records >= 0) {
            /* as the plan does for a typed-stats-only checkpoint row */
            char buf[48];
            snprintf(buf, sizeof buf, "{\"numRecords\":%lld}", (long long)f->num_records);
            v = json_string(buf);
        } else {
            continue;
        }
        if (!v || json_object_set_new(ps->actions[i], "stats", v) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    if (rc < 0)
        return rc;
    ps->n = 0;
    release_records(ps);
    return 0;
}

void delta_plan_stats_free(struct delta_plan_stats *ps)
{
    if (!ps)
        return;
    release_records(ps);
    free(ps->actions);
    free(ps->files);
    free(ps);
}
