/* journal_replay.c - folding a run's journal entries into its state, and deciding what resume or
 * undo must do with each table given what its log shows now. Pure: no store, no clock.
 *
 * The recovery rules (P = pre-rollback version, T = target, C = current version observed,
 * V = a version in the log written by this run, -1 when none):
 *
 *   resume  RESTORED/VALIDATED at v:  C == v -> VALIDATE (or NONE when validated);
 *                                     C != v -> NONE, warn: another writer committed after us
 *           PENDING/INTENT/FAILED:    V >= 0 -> RECORD V (the commit landed, the journal missed
 *                                               it; then validate)
 *                                     C == P -> RESTORE to T expecting P
 *                                     else   -> SKIP: moved by another writer, never restored
 *                                               over unseen commits
 *           SKIPPED:                  NONE (it needs a new impact analysis and confirmation)
 *   undo    restored at v (journal or V): C == v -> RESTORE to P expecting v
 *                                         C != v -> SKIP: another writer committed after us
 *           never restored:               NONE (the run did not change it)
 */
#include "lakerewind/journal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"

void lr_run_state_free(struct lr_run_state *st)
{
    if (!st)
        return;
    free(st->checkpoint);
    free(st->of_run);
    free(st->operator_name);
    free(st->plan_digest);
    for (size_t i = 0; i < st->table_count; i++) {
        free(st->tables[i].name);
        free(st->tables[i].error);
    }
    free(st->tables);
    memset(st, 0, sizeof *st);
}

static struct lr_jtable *find_table(struct lr_run_state *st, const char *name)
{
    for (size_t i = 0; name && i < st->table_count; i++)
        if (strcmp(st->tables[i].name, name) == 0)
            return &st->tables[i];
    return NULL;
}

static int start(struct lr_run_state *st, const struct lr_journal_entry *e,
                 const char *run_id, struct lr_error *err)
{
    st->kind = e->run_kind;
    st->checkpoint = lr_strdup(e->checkpoint);
    st->of_run = lr_strdup(e->of_run);
    st->operator_name = lr_strdup(e->operator_name);
    st->plan_digest = lr_strdup(e->plan_digest);
    st->is_dry_run = e->is_dry_run;
    st->started_ms = e->time_ms;
    st->tables = calloc(e->table_count ? e->table_count : 1, sizeof *st->tables);
    if (!st->tables)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; i < e->table_count; i++) {
        struct lr_jtable *t = &st->tables[i];
        t->name = lr_strdup(e->tables[i].name);
        t->pre_version = e->tables[i].pre_version;
        t->target_version = e->tables[i].target_version;
        t->version_written = -1;
        st->table_count = i + 1;
        if (!t->name)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    (void)run_id;
    return 0;
}

static int set_error(struct lr_jtable *t, const char *error, struct lr_error *err)
{
    free(t->error);
    t->error = lr_strdup(error ? error : "");
    return t->error ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
}

static int apply(struct lr_run_state *st, const struct lr_journal_entry *e, struct lr_error *err)
{
    struct lr_jtable *t = NULL;
    if (e->kind >= LR_J_TABLE_INTENT && e->kind <= LR_J_TABLE_VALIDATED) {
        t = find_table(st, e->table);
        if (!t)
            return lr_error_set(err, LR_ECORRUPT, "journal entry %llu names table %s, which is "
                                                  "not in the run",
                                (unsigned long long)e->seq, e->table ? e->table : "(none)");
    }
    switch (e->kind) {
    case LR_J_RUN_STARTED:
        return lr_error_set(err, LR_ECORRUPT, "journal entry %llu: a second run_started",
                            (unsigned long long)e->seq);
    case LR_J_STEP:
        st->last_step = e->step;
        break;
    case LR_J_TABLE_INTENT:
        if (t->state == LR_JT_PENDING || t->state == LR_JT_FAILED)
            t->state = LR_JT_INTENT;
        break;
    case LR_J_TABLE_RESTORED:
        t->state = LR_JT_RESTORED;
        t->version_written = e->version_written;
        break;
    case LR_J_TABLE_FAILED:
        t->state = LR_JT_FAILED;
        return set_error(t, e->error, err);
    case LR_J_TABLE_SKIPPED:
        t->state = LR_JT_SKIPPED;
        return set_error(t, e->error, err);
    case LR_J_TABLE_VALIDATED:
        /* A table already at the checkpoint's version is validated without being restored. */
        if (t->state == LR_JT_PENDING && t->pre_version == t->target_version) {
            t->state = LR_JT_VALIDATED;
            t->passed = e->passed;
            t->quality_score = e->quality_score;
            break;
        }
        if (t->state != LR_JT_RESTORED && t->state != LR_JT_VALIDATED)
            return lr_error_set(err, LR_ECORRUPT, "journal entry %llu validates table %s, which "
                                                  "was not restored",
                                (unsigned long long)e->seq, t->name);
        t->state = LR_JT_VALIDATED;
        t->passed = e->passed;
        t->quality_score = e->quality_score;
        break;
    case LR_J_RUN_RESUMED:
        st->resumed++;
        break;
    case LR_J_RUN_FINISHED:
        st->is_finished = true;
        st->status = e->status;
        break;
    }
    return 0;
}

int lr_run_state_replay(struct lr_run_state *out, const struct lr_journal_entries *entries,
                        struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    if (entries->count == 0 || entries->items[0].kind != LR_J_RUN_STARTED)
        return lr_error_set(err, LR_ECORRUPT, "a journal must start with run_started");
    snprintf(out->run_id, sizeof out->run_id, "%s", entries->run_id);
    int rc = start(out, &entries->items[0], NULL, err);
    for (size_t i = 1; i < entries->count && rc == 0; i++) {
        const struct lr_journal_entry *e = &entries->items[i];
        if (out->is_finished) {
            rc = lr_error_set(err, LR_ECORRUPT, "journal entry %llu follows run_finished",
                              (unsigned long long)e->seq);
            break;
        }
        rc = apply(out, e, err);
    }
    if (rc == 0) {
        const struct lr_journal_entry *last = &entries->items[entries->count - 1];
        out->last_seq = last->seq;
        out->last_ms = last->time_ms;
    }
    if (rc < 0)
        lr_run_state_free(out);
    return rc;
}

bool lr_run_state_is_interrupted(const struct lr_run_state *st)
{
    return !st->is_finished && !st->is_dry_run;
}

static const struct lr_table_observation *find_obs(const struct lr_table_observation *obs,
                                                   size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (obs[i].name && strcmp(obs[i].name, name) == 0)
            return &obs[i];
    return NULL;
}

static void step_set(struct lr_recovery_step *s, enum lr_recovery_action a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void step_set(struct lr_recovery_step *s, enum lr_recovery_action a, const char *fmt, ...)
{
    s->action = a;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->reason, sizeof s->reason, fmt, ap);
    va_end(ap);
}

static void plan_resume(const struct lr_jtable *t, const struct lr_table_observation *o,
                        struct lr_recovery_step *s)
{
    long long c = (long long)o->current_version;
    if (t->pre_version == t->target_version && t->version_written < 0 &&
        (t->state == LR_JT_PENDING || t->state == LR_JT_VALIDATED)) {
        step_set(s, LR_RA_NONE, "already at the checkpoint's version %lld: nothing to restore",
                 (long long)t->target_version);
        return;
    }
    switch (t->state) {
    case LR_JT_RESTORED:
    case LR_JT_VALIDATED:
        s->recorded_version = t->version_written;
        if (o->current_version == t->version_written && t->state == LR_JT_RESTORED)
            step_set(s, LR_RA_VALIDATE, "restored at version %lld; post-validation still to do",
                     c);
        else if (o->current_version == t->version_written)
            step_set(s, LR_RA_NONE, "restored at version %lld and validated", c);
        else
            step_set(s, LR_RA_NONE, "restored at version %lld, but another writer has since "
                                    "committed up to version %lld",
                     (long long)t->version_written, c);
        return;
    case LR_JT_SKIPPED:
        step_set(s, LR_RA_NONE, "skipped by the run (%s); it needs a new impact analysis",
                 t->error ? t->error : "changed since the analysis");
        return;
    default:
        break;
    }
    if (o->version_by_run >= 0) {
        s->recorded_version = o->version_by_run;
        step_set(s, LR_RA_RECORD, "this run's restore landed as version %lld before the "
                                  "interruption; recording it",
                 (long long)o->version_by_run);
    } else if (o->current_version == t->pre_version) {
        s->expect_version = t->pre_version;
        s->restore_to = t->target_version;
        step_set(s, LR_RA_RESTORE, "still at its pre-rollback version %lld: restore to %lld", c,
                 (long long)t->target_version);
    } else {
        step_set(s, LR_RA_SKIP, "moved from version %lld to %lld by another writer since the "
                                "run began: not restored over unseen commits",
                 (long long)t->pre_version, c);
    }
}

static void plan_undo(const struct lr_jtable *t, const struct lr_table_observation *o,
                      struct lr_recovery_step *s)
{
    int64_t ours = -1;
    if (t->state == LR_JT_RESTORED || t->state == LR_JT_VALIDATED)
        ours = t->version_written;
    else if (o->version_by_run >= 0)
        ours = o->version_by_run;
    if (ours < 0) {
        step_set(s, LR_RA_NONE, "the run never restored it: it stays at version %lld",
                 (long long)o->current_version);
        return;
    }
    s->recorded_version = ours;
    if (o->current_version == ours) {
        s->expect_version = ours;
        s->restore_to = t->pre_version;
        step_set(s, LR_RA_RESTORE, "restored by the run at version %lld: put back at its "
                                   "pre-rollback version %lld",
                 (long long)ours, (long long)t->pre_version);
    } else {
        step_set(s, LR_RA_SKIP, "another writer committed after the run's restore (version %lld, "
                                "now %lld): undoing would discard those commits",
                 (long long)ours, (long long)o->current_version);
    }
}

int lr_recovery_plan(const struct lr_run_state *st, const struct lr_table_observation *obs,
                     size_t obs_count, enum lr_recovery_mode mode, struct lr_recovery_step *out,
                     struct lr_error *err)
{
    for (size_t i = 0; i < st->table_count; i++) {
        const struct lr_jtable *t = &st->tables[i];
        struct lr_recovery_step *s = &out[i];
        memset(s, 0, sizeof *s);
        s->table = t->name;
        s->expect_version = -1;
        s->restore_to = -1;
        s->recorded_version = -1;
        const struct lr_table_observation *o = find_obs(obs, obs_count, t->name);
        if (!o)
            return lr_error_set(err, LR_EINVAL, "run %s: no observation of table %s", st->run_id,
                                t->name);
        if (mode == LR_RECOVER_UNDO)
            plan_undo(t, o, s);
        else
            plan_resume(t, o, s);
    }
    return 0;
}

const char *lr_jtable_state_name(enum lr_jtable_state s)
{
    static const char *n[] = {"pending", "intent", "restored", "validated", "failed", "skipped"};
    return (size_t)s < 6 ? n[s] : "unknown";
}

const char *lr_recovery_action_name(enum lr_recovery_action a)
{
    static const char *n[] = {"none", "restore", "record", "validate", "skip"};
    return (size_t)a < 5 ? n[a] : "unknown";
}
