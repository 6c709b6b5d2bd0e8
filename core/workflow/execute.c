/* execute.c - steps 6 and 7: restore every unblocked table with one Delta commit each, up to
 * `parallel` at a time in worker threads, journaling intent and outcome around each commit
 * (run.c invariants 2-5); then validate every restored table from its new snapshot. In a
 * rehearsal (run.c invariant 9) each commit is built, checked and applied in memory instead,
 * and the validation reads that in-memory state. A cancel request stops the workers taking
 * new tables (invariant 10). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/event.h"
#include "lakerewind/log.h"
#include "lakerewind/nullcount.h"
#include "lakerewind/parallel.h"
#include "workflow/wf_internal.h"

struct queue {
    struct wf_run *run;
    pthread_mutex_t lock;
    size_t next;
    size_t done;
};

static int64_t elapsed(const struct wf_table *w)
{
    return lr_event_mono_ms() - w->started_ms;
}

static void journal_table(struct wf_run *run, enum lr_journal_kind kind, const char *table,
                          int64_t v1, int64_t v2, const char *error, int code)
{
    if (!run->journal)
        return; /* a rehearsal keeps no journal */
    struct lr_journal_entry e = {.kind = kind, .table = (char *)table};
    e.expected_version = v1;
    e.target_version = v2;
    e.version_written = v1;
    e.error = (char *)error;
    e.code = code;
    struct lr_error jerr;
    if (lr_journal_append(run->journal, &e, &jerr) < 0)
        lr_emit_log(run->em, LR_LOG_ERROR, table, "journal: %s", jerr.message);
}

/* The restore commit of one table built, its version checked free and applied in memory. */
static void rehearse_one(struct wf_run *run, struct wf_table *w)
{
    struct lr_table_result *r = w->res;
    lr_emit_table(run->em, r->name, LR_TABLE_RESTORING, elapsed(w), -1, NULL);
    struct lr_delta_commit_options co = {0};
    co.operator_name = run->ctx->operator_name;
    co.run_id = run->run_id;
    int64_t v = -1;
    struct lr_error err;
    int rc = lr_delta_restore_rehearse(w->t, &w->cur, &w->plan, &co, &w->after, &v, &err);
    if (rc == 0) {
        w->has_after = true;
        r->version_rehearsed = v;
        r->state = LR_TABLE_VALIDATING;
        lr_emit_log(run->em, LR_LOG_INFO, r->name, "restore commit built for version %lld "
                    "(%lld files added back, %lld removed) and checked; not written (dry run)",
                    (long long)v, (long long)w->plan.num_restored_files,
                    (long long)w->plan.num_removed_files);
        lr_emit_table_rehearsed(run->em, r->name, LR_TABLE_VALIDATING, elapsed(w), v, NULL);
    } else if (rc == LR_ECONFLICT) {
        r->state = LR_TABLE_SKIPPED;
        r->error = lr_asprintf("changed since the impact analysis, would not be restored: %s",
                               err.message);
        lr_emit_table(run->em, r->name, LR_TABLE_SKIPPED, elapsed(w), -1, r->error);
    } else {
        r->state = LR_TABLE_FAILED;
        r->error = lr_strdup(err.message);
        lr_emit_table(run->em, r->name, LR_TABLE_FAILED, elapsed(w), -1, r->error);
    }
}

static void restore_one(struct wf_run *run, struct wf_table *w)
{
    struct lr_table_result *r = w->res;
    if (!w->started_ms)
        w->started_ms = lr_event_mono_ms();
    if (r->state == LR_TABLE_VALIDATING) {
        /* resume: restored before the interruption, only validation is left */
        lr_emit_table(run->em, r->name, LR_TABLE_VALIDATING, 0, r->version_written, NULL);
        return;
    }
    if (w->blockers.count > 0) {
        r->state = LR_TABLE_SKIPPED;
        r->error = lr_strdup(w->blockers.items[0]);
        journal_table(run, LR_J_TABLE_SKIPPED, r->name, 0, 0, r->error, 0);
        lr_emit_table(run->em, r->name, LR_TABLE_SKIPPED, 0, -1, r->error);
        return;
    }
    if (w->is_noop) {
        r->state = LR_TABLE_DONE;
        r->version_written = -1;
        lr_emit_table(run->em, r->name, LR_TABLE_DONE, 0, -1, NULL);
        return;
    }
    if (run->is_rehearsal) {
        rehearse_one(run, w);
        return;
    }
    lr_emit_table(run->em, r->name, LR_TABLE_RESTORING, 0, -1, NULL);
    journal_table(run, LR_J_TABLE_INTENT, r->name, w->cur.version, w->tgt.version, NULL, 0);
    struct lr_delta_commit_options co = {0};
    co.operator_name = run->ctx->operator_name;
    co.run_id = run->run_id;
    int64_t v = -1;
    struct lr_error err;
    int rc = lr_delta_restore_commit(w->t, &w->plan, &co, &v, &err);
    if (rc == 0) {
        r->version_written = v;
        r->state = LR_TABLE_VALIDATING;
        journal_table(run, LR_J_TABLE_RESTORED, r->name, v, 0, NULL, 0);
        lr_emit_table(run->em, r->name, LR_TABLE_VALIDATING, elapsed(w), v, NULL);
    } else if (rc == LR_ECONFLICT) {
        /* Invariant (3): another writer committed since the analysis; never restore over it. */
        r->state = LR_TABLE_SKIPPED;
        r->error = lr_asprintf("changed since the impact analysis, not restored: %s",
                               err.message);
        journal_table(run, LR_J_TABLE_SKIPPED, r->name, 0, 0, r->error, 0);
        lr_emit_table(run->em, r->name, LR_TABLE_SKIPPED, elapsed(w), -1, r->error);
    } else {
        r->state = LR_TABLE_FAILED;
        r->error = lr_strdup(err.message);
        journal_table(run, LR_J_TABLE_FAILED, r->name, 0, 0, r->error, rc);
        lr_emit_table(run->em, r->name, LR_TABLE_FAILED, elapsed(w), -1, r->error);
    }
}

static void *worker(void *arg)
{
    struct queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        bool is_cancelled = q->run->cancel && atomic_load(q->run->cancel);
        size_t i = q->next < q->run->count && !is_cancelled ? q->next++ : q->run->count;
        pthread_mutex_unlock(&q->lock);
        if (i >= q->run->count)
            return NULL;
        restore_one(q->run, &q->run->tables[i]);
        pthread_mutex_lock(&q->lock);
        q->done++;
        struct lr_event ev = {.kind = LR_EV_PROGRESS};
        ev.u.progress.tables_total = q->run->count;
        ev.u.progress.tables_done = q->done;
        pthread_mutex_unlock(&q->lock);
        lr_emit(q->run->em, &ev);
    }
}

void wf_restore_all(struct wf_run *run)
{
    struct queue q = {run, PTHREAD_MUTEX_INITIALIZER, 0, 0};
    size_t n = run->cfg->parallel > 0 ? (size_t)run->cfg->parallel : 4;
    if (n > run->count)
        n = run->count;
    pthread_t th[64];
    if (n > 64)
        n = 64;
    size_t started = 0;
    for (size_t i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, worker, &q) == 0)
            started++;
    if (started == 0)
        worker(&q); /* no thread available: do it here */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&q.lock);
}

/* ---- validation ---- */

/* Max of stats.maxValues[col] (a timestamp) over the live files; -1 when unknown. */
static int64_t max_time(const struct lr_delta_snapshot *s, const char *col)
{
    int64_t best = -1;
    for (size_t i = 0; i < s->num_files; i++) {
        const char *text = NULL;
        struct lr_error err;
        if (lr_delta_file_stats(s->files[i], &text, &err) < 0)
            return -1; /* out of memory: the check reports the bound unknown */
        json_t *stats = text ? json_loads(text, 0, NULL) : NULL;
        const char *v = json_string_value(json_object_get(json_object_get(stats, "maxValues"),
                                                          col));
        int64_t ms = -1;
        if (!v || lr_delta_parse_timestamp(v, &ms, NULL) < 0)
            ms = -2;
        json_decref(stats);
        if (ms == -2)
            return -1;
        if (ms > best)
            best = ms;
    }
    return best;
}

static const struct lr_table_columns *pk_of(const struct lr_rollback_config *cfg,
                                            const char *table)
{
    for (size_t i = 0; i < cfg->primary_key_count; i++)
        if (strcmp(cfg->primary_keys[i].table, table) == 0)
            return &cfg->primary_keys[i];
    return NULL;
}

static void validate_one(struct wf_run *run, struct wf_table *w)
{
    struct lr_table_result *r = w->res;
    struct lr_delta_snapshot opened;
    struct lr_error err;
    /* A rehearsal validates the state its commit would produce (or the table as it is when it
     * is already at the checkpoint); an execution reads the table back. */
    const struct lr_delta_snapshot *rehearsed = w->has_after ? &w->after
                                                : run->is_rehearsal && w->has_cur ? &w->cur
                                                                                  : NULL;
    memset(&opened, 0, sizeof opened);
    if (!rehearsed && lr_delta_snapshot_open(&opened, w->t, -1, &err) < 0) {
        r->state = LR_TABLE_FAILED;
        r->error = lr_asprintf("restored, but the new snapshot cannot be read: %s", err.message);
        lr_emit_table(run->em, r->name, LR_TABLE_FAILED, elapsed(w), r->version_written,
                      r->error);
        return;
    }
    const struct lr_delta_snapshot *post = rehearsed ? rehearsed : &opened;
    const char **live = calloc(post->num_files + 1, sizeof *live);
    const char **then = calloc(w->tgt.num_files + 1, sizeof *then);
    const struct lr_table_columns *pk = pk_of(run->cfg, r->name);
    size_t npk = pk ? pk->count : 0;
    size_t ntr = run->cfg->tracking_column_count;
    struct lr_column_fact *pks = calloc(npk + 1, sizeof *pks);
    struct lr_column_fact *trs = calloc(ntr + 1, sizeof *trs);
    char **sources = calloc(npk + 1, sizeof *sources);
    if (!live || !then || !pks || !trs || !sources)
        goto done;
    for (size_t i = 0; i < post->num_files; i++)
        live[i] = post->files[i]->path;
    for (size_t i = 0; i < w->tgt.num_files; i++)
        then[i] = w->tgt.files[i]->path;
    for (size_t i = 0; i < npk; i++) {
        pks[i].column = pk->columns[i];
        pks[i].max_ms = -1;
        struct lr_null_count nc;
        struct lr_error nerr;
        if (lr_null_count_read(&nc, w->t, post, pk->columns[i], &nerr) < 0) {
            pks[i].null_count = -1;
            sources[i] = lr_strdup(nerr.message);
        } else {
            pks[i].null_count = nc.nulls;
            sources[i] = lr_asprintf("counted from stats in %zu file%s, Parquet footers of "
                                     "%zu, the column read in %zu, partition values of %zu",
                                     nc.from_stats, nc.from_stats == 1 ? "" : "s",
                                     nc.from_footer, nc.from_data, nc.from_partition);
        }
        pks[i].source = sources[i];
    }
    size_t nt = 0;
    for (size_t i = 0; i < ntr; i++) {
        const char *col = run->cfg->tracking_columns[i];
        char needle[256];
        snprintf(needle, sizeof needle, "\"name\":\"%s\"", col);
        if (!strstr(post->schema_string ? post->schema_string : "", needle))
            continue; /* not a (top-level, compactly written) column of this table */
        trs[nt].column = col;
        trs[nt].null_count = -1;
        trs[nt].max_ms = max_time(post, col);
        nt++;
    }
    struct lr_validation_facts f = {0};
    f.record_count = post->num_records;
    f.checkpoint_record_count = w->cpt->record_count;
    f.live_files = live;
    f.live_file_count = post->num_files;
    f.checkpoint_files = then;
    f.checkpoint_file_count = w->tgt.num_files;
    f.has_file_sets = true;
    f.schema_now = post->schema_string;
    f.schema_checkpoint = w->tgt.schema_string;
    f.primary_keys = pks;
    f.primary_key_count = npk;
    f.tracking = trs;
    f.tracking_count = nt;
    f.checkpoint_time_ms = w->tgt.timestamp_ms;
    r->rows_after = post->num_records;
    if (lr_validate_table(&r->validation, r->name, &f, &err) == 0) {
        r->has_validation = true;
        struct lr_journal_entry e = {.kind = LR_J_TABLE_VALIDATED, .table = r->name};
        if (!run->journal)
            goto done;
        e.passed = r->validation.passed;
        e.quality_score = r->validation.quality_score;
        struct lr_error jerr;
        if (lr_journal_append(run->journal, &e, &jerr) < 0)
            lr_emit_log(run->em, LR_LOG_ERROR, r->name, "journal: %s", jerr.message);
    }
done:
    r->state = LR_TABLE_DONE;
    const char *why = r->has_validation && !r->validation.passed ? "validation failed" : NULL;
    if (run->is_rehearsal)
        lr_emit_table_rehearsed(run->em, r->name, LR_TABLE_DONE, elapsed(w),
                                r->version_rehearsed > 0 ? r->version_rehearsed : 0, why);
    else
        lr_emit_table(run->em, r->name, LR_TABLE_DONE, elapsed(w), r->version_written, why);
    free(live);
    free(then);
    for (size_t i = 0; sources && i < npk; i++)
        free(sources[i]);
    free(sources);
    free(pks);
    free(trs);
    if (!rehearsed) {
        /* Kept for the PostRollback state snapshot rows (report.c), freed with the table. */
        if (w->has_post)
            lr_delta_snapshot_free(&w->post);
        w->post = opened;
        w->has_post = true;
    }
}

static void validate_item(size_t i, void *payload)
{
    struct wf_run *run = payload;
    struct wf_table *w = &run->tables[i];
    if (w->res->state == LR_TABLE_VALIDATING)
        validate_one(run, w);
    else if (w->res->state == LR_TABLE_DONE && w->is_noop && w->has_tgt)
        validate_one(run, w);
}

void wf_tally(struct lr_run_result *out, struct wf_tally *t)
{
    memset(t, 0, sizeof *t);
    size_t validated = 0;
    double score_sum = 0;
    for (size_t i = 0; i < out->table_count; i++) {
        const struct lr_table_result *r = &out->tables[i];
        t->done += r->state == LR_TABLE_DONE;
        t->failed += r->state == LR_TABLE_FAILED;
        t->skipped += r->state == LR_TABLE_SKIPPED;
        if (r->has_validation) {
            validated++;
            score_sum += r->validation.quality_score;
            t->invalid += !r->validation.passed;
        }
        if (r->rows_after >= 0 && r->rows_before >= 0)
            t->rows_changed += r->rows_after > r->rows_before ? r->rows_after - r->rows_before
                                                              : r->rows_before - r->rows_after;
    }
    out->quality_score = validated ? score_sum / (double)validated : 0.0;
}

void wf_validate_all(struct wf_run *run)
{
    /* Each table reads its own new snapshot; the journal serialises its appends. */
    lr_parallel_for(run->count, run->cfg->parallel > 0 ? (size_t)run->cfg->parallel : 4,
                    validate_item, run);
}
