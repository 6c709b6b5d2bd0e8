/* score.c - scoring a drill from the sandbox's audit trail: which runs the trainee executed
 * after the DrillStarted row (SyncAuditLog), which tables they restored and to which checkpoint
 * (TableRestore rows), whether a dry run came before the first execution attempt, whether the
 * validations passed (DataValidation), undo/resume where needed, and for the retention drill
 * the new checkpoint (CheckpointHistory). What the trainee says is never an input. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/drill.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"

struct exec_run {
    const char *run_id;
    const char *checkpoint;
    const char *final_op;   /* RollbackCompleted, RollbackPartial, RollbackFailed or
                               RollbackUndone */
    int64_t start_ms;
    bool resumed;
    struct lr_strvec tables; /* TableRestore Succeeded rows (over the run's whole life) */
};

struct trail {
    json_t *audit;
    struct exec_run *runs;   /* executed (finished) runs after the start, in time order */
    size_t nruns;
    int64_t first_ms, last_ms;
    int64_t first_dry_ms, first_exec_attempt_ms;
    size_t refused_execs;
    struct lr_strvec refusals;
};

static const char *cs(json_t *row, const char *k)
{
    return json_string_value(json_object_get(row, k));
}

static int64_t ct(json_t *row, const char *k)
{
    return lr_md_time_ms(json_object_get(row, k));
}

static bool is_op(json_t *row, const char *op)
{
    const char *o = cs(row, "Operation");
    return o && strcmp(o, op) == 0;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (list[i] && strcmp(list[i], s) == 0)
            return true;
    return false;
}

static void trail_free(struct trail *t)
{
    for (size_t i = 0; i < t->nruns; i++)
        lr_strvec_free(&t->runs[i].tables);
    free(t->runs);
    lr_strvec_free(&t->refusals);
    json_decref(t->audit);
}

static int read_trail(struct lr_store *store, const char *md, const struct lr_drill_sandbox *sb,
                      struct trail *t, struct lr_error *err)
{
    memset(t, 0, sizeof *t);
    t->first_ms = t->last_ms = t->first_dry_ms = t->first_exec_attempt_ms = -1;
    int rc = lr_md_read(store, md, LR_MD_SYNC_AUDIT_LOG, &t->audit, err);
    if (rc < 0)
        return rc;
    size_t i;
    json_t *row;
    json_array_foreach(t->audit, i, row) {
        int64_t s = ct(row, "StartTime"), e = ct(row, "EndTime");
        const char *op = cs(row, "Operation");
        if (!op || s < sb->started_ms || !strncmp(op, "Drill", 5))
            continue;
        if (t->first_ms < 0 || s < t->first_ms)
            t->first_ms = s;
        if (e > t->last_ms)
            t->last_ms = e;
        bool dry = json_is_true(json_object_get(row, "IsDryRun"));
        const char *status = cs(row, "Status");
        bool dry_run = is_op(row, "DryRun") || (dry && status && !strcmp(status, "Refused"));
        if (dry_run && (t->first_dry_ms < 0 || s < t->first_dry_ms))
            t->first_dry_ms = s;
        bool attempt = !dry && (is_op(row, "ApprovalGranted") || is_op(row, "ApprovalRejected") ||
                                (status && !strcmp(status, "Refused")));
        if (attempt && (t->first_exec_attempt_ms < 0 || s < t->first_exec_attempt_ms))
            t->first_exec_attempt_ms = s;
        if (!dry && status && !strcmp(status, "Refused"))
            t->refused_execs++;
        const char *why = cs(row, "ErrorMessage");
        if (status && !strcmp(status, "Refused") && why && t->refusals.count < 5 &&
            !in_list((const char *const *)t->refusals.items, t->refusals.count, why) &&
            lr_strvec_push(&t->refusals, why) < 0)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        if (!(is_op(row, "RollbackCompleted") || is_op(row, "RollbackPartial") ||
              is_op(row, "RollbackFailed") || is_op(row, "RollbackUndone")))
            continue;
        struct exec_run *grown = realloc(t->runs, (t->nruns + 1) * sizeof *grown);
        if (!grown)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        t->runs = grown;
        struct exec_run *r = &t->runs[t->nruns++];
        memset(r, 0, sizeof *r);
        r->run_id = cs(row, "PipelineRunId");
        r->checkpoint = cs(row, "CheckpointName");
        r->final_op = op;
        r->start_ms = s;
    }
    /* in time order */
    for (size_t a = 1; a < t->nruns; a++)
        for (size_t b = a; b > 0 && t->runs[b].start_ms < t->runs[b - 1].start_ms; b--) {
            struct exec_run tmp = t->runs[b];
            t->runs[b] = t->runs[b - 1];
            t->runs[b - 1] = tmp;
        }
    for (size_t k = 0; k < t->nruns; k++) {
        struct exec_run *r = &t->runs[k];
        int64_t cp_ms = -1;
        json_array_foreach(t->audit, i, row) {
            const char *id = cs(row, "PipelineRunId");
            if (!id || !r->run_id || strcmp(id, r->run_id) != 0)
                continue;
            if (is_op(row, "RunResumed") && ct(row, "StartTime") >= sb->started_ms)
                r->resumed = true;
            const char *st = cs(row, "Status");
            const char *table = cs(row, "TableName");
            if (is_op(row, "TableRestore") && st && !strcmp(st, "Succeeded") && table &&
                !in_list((const char *const *)r->tables.items, r->tables.count, table) &&
                lr_strvec_push(&r->tables, table) < 0)
                return lr_error_set(err, LR_ENOMEM, "out of memory");
            /* the checkpoint is named by the run's first analysis row (undo and resume rows
             * after it name the original run instead) */
            int64_t at = ct(row, "StartTime");
            if ((is_op(row, "CheckpointValidation") || is_op(row, "ImpactAnalysis")) &&
                cs(row, "CheckpointName") && (cp_ms < 0 || at < cp_ms)) {
                r->checkpoint = cs(row, "CheckpointName");
                cp_ms = at;
            }
        }
        lr_strvec_sort(&r->tables);
    }
    return 0;
}

/* ---- points ---------------------------------------------------------------------------- */

static int add_point(struct lr_drill_score *s, const char *name, int earned, int possible,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int add_point(struct lr_drill_score *s, const char *name, int earned, int possible,
                     const char *fmt, ...)
{
    struct lr_drill_point *grown = realloc(s->points, (s->point_count + 1) * sizeof *grown);
    if (!grown)
        return LR_ENOMEM;
    s->points = grown;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    struct lr_drill_point *p = &s->points[s->point_count];
    p->name = lr_strdup(name);
    p->text = lr_strdup(text);
    if (!p->name || !p->text) {
        free(p->name);
        free(p->text);
        return LR_ENOMEM;
    }
    p->earned = earned;
    p->possible = possible;
    s->point_count++;
    s->score += earned;
    return 0;
}

static void join(char *buf, size_t size, const char *const *items, size_t n)
{
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n && items[i]; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", items[i]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    if (!buf[0])
        snprintf(buf, size, "(none)");
}

static size_t scope_count(const struct lr_drill_scenario *sc)
{
    size_t n = 0;
    while (n < LR_DRILL_MAX_TABLES && sc->scope[n])
        n++;
    return n;
}

static int score_rollback(const struct lr_lakehouse_ctx *ctx, const struct lr_drill_scenario *sc,
                          const struct lr_drill_sandbox *sb, struct trail *t,
                          struct lr_drill_score *s, struct lr_error *err)
{
    (void)err;
    /* the decisive run: the last executed run that is not an undo */
    const struct exec_run *d = NULL, *undo = NULL;
    for (size_t i = 0; i < t->nruns; i++) {
        if (!strcmp(t->runs[i].final_op, "RollbackUndone")) {
            if (!d)
                undo = &t->runs[i];
        } else {
            d = &t->runs[i];
        }
    }
    if (d && d->checkpoint)
        s->checkpoint_used = lr_strdup(d->checkpoint);
    for (size_t i = 0; d && i < d->tables.count; i++)
        lr_strvec_push(&s->tables_restored, d->tables.items[i]);
    char want[256], got[256];
    join(want, sizeof want, sc->scope, scope_count(sc));
    join(got, sizeof got, (const char *const *)s->tables_restored.items,
         s->tables_restored.count);
    int rc;
    /* checkpoint */
    if (!d)
        rc = add_point(s, "checkpoint", 0, 30, "no rollback was executed after the drill "
                       "started: the damage is still there. The right checkpoint was %s.",
                       sb->checkpoint);
    else if (d->checkpoint && !strcmp(d->checkpoint, sb->checkpoint))
        rc = add_point(s, "checkpoint", 30, 30, "you rolled back to %s, the newest valid "
                       "checkpoint before the incident.", sb->checkpoint);
    else
        rc = add_point(s, "checkpoint", 0, 30, "you rolled back to %s, but the right "
                       "checkpoint was %s (the newest active, validated checkpoint taken "
                       "before the incident; an older one throws away good syncs).",
                       d->checkpoint ? d->checkpoint : "?", sb->checkpoint);
    /* scope */
    size_t missing = 0, extra = 0;
    for (size_t i = 0; i < scope_count(sc); i++)
        missing += !in_list((const char *const *)s->tables_restored.items,
                            s->tables_restored.count, sc->scope[i]);
    for (size_t i = 0; i < s->tables_restored.count; i++)
        extra += !in_list(sc->scope, scope_count(sc), s->tables_restored.items[i]);
    if (rc == 0 && !d)
        rc = add_point(s, "scope", 0, 25, "nothing was restored; the right scope was %s.",
                       want);
    else if (rc == 0 && !missing && !extra)
        rc = add_point(s, "scope", 25, 25, "you restored exactly the damaged tables: %s.",
                       want);
    else if (rc == 0)
        rc = add_point(s, "scope", missing ? 0 : 10, 25,
                       "you restored %s; the right scope was %s. %s%s", got, want,
                       extra ? "The tables outside the damage lost their good commits since "
                               "the checkpoint (narrow the run with --tables). " : "",
                       missing ? "A damaged table was left broken." : "");
    /* dry run first */
    bool dry_first = t->first_exec_attempt_ms < 0 ||
                     (t->first_dry_ms >= 0 && t->first_dry_ms <= t->first_exec_attempt_ms);
    /* a resume's dry run is not audited, but its phrase comes only from that dry run */
    bool resumed_ok = sc->move == LR_DRILL_RESUME && d && d->resumed && !t->refused_execs;
    if (resumed_ok && t->first_dry_ms < 0) {
        t->first_dry_ms = t->first_exec_attempt_ms;
        dry_first = true;
    }
    if (rc == 0)
        rc = add_point(s, "dry-run-first", dry_first && t->first_dry_ms >= 0 ? 20 : 0, 20, "%s",
                       t->first_dry_ms < 0
                           ? "no dry run was recorded: always read the impact (rows, commits "
                             "undone, risk, blockers) before you confirm."
                       : dry_first ? "you reviewed the impact with a dry run before the first "
                                     "execution."
                                   : "you tried to execute before any dry run; the phrase is "
                                     "bound to the reviewed plan, so read the impact first.");
    /* validations */
    size_t vrows = 0, vfail = 0;
    json_t *vals = NULL;
    if (rc == 0 && d && lr_md_read(ctx->store, ctx->metadata_location, LR_MD_DATA_VALIDATION,
                                   &vals, err) == 0) {
        size_t i;
        json_t *row;
        json_array_foreach(vals, i, row) {
            const char *id = cs(row, "PipelineRunId");
            if (!id || strcmp(id, d->run_id) != 0 || ct(row, "ValidatedAt") < sb->started_ms)
                continue;
            vrows++;
            vfail += !json_is_true(json_object_get(row, "Passed"));
        }
    }
    json_decref(vals);
    bool run_ok = d && !strcmp(d->final_op, "RollbackCompleted");
    char vtext[256];
    if (!d)
        snprintf(vtext, sizeof vtext, "no executed run, so nothing was validated.");
    else if (!run_ok)
        snprintf(vtext, sizeof vtext, "the run did not complete (%s): check `runs show`.",
                 d->final_op);
    else if (!vrows)
        snprintf(vtext, sizeof vtext, "the run recorded no validations.");
    else if (vfail)
        snprintf(vtext, sizeof vtext, "%zu validation(s) failed: read DataValidation and fix "
                 "before closing the incident.", vfail);
    else
        snprintf(vtext, sizeof vtext, "every post-rollback validation passed (%zu checks).",
                 vrows);
    if (rc == 0)
        rc = add_point(s, "validations", run_ok && vrows && !vfail ? 10 : 0, 10, "%s", vtext);
    /* the move */
    if (rc != 0)
        return rc;
    switch (sc->move) {
    case LR_DRILL_ROLLBACK:
    case LR_DRILL_PARTIAL: {
        size_t execs = 0;
        for (size_t i = 0; i < t->nruns; i++)
            execs++;
        bool clean = d && execs == 1 && run_ok;
        if (sc->writer)
            rc = add_point(s, "move", run_ok ? 15 : 0, 15, "%s",
                           !run_ok ? "no successful rollback after the writer's commit."
                           : t->refused_execs
                               ? "an execution was refused because the plan changed after "
                                 "your dry run (the running writer committed): that is the "
                                 "safeguard; you re-ran the dry run and executed the fresh plan."
                               : "the rollback ran on a plan that included the writer's "
                                 "commits.");
        else if (sc->move == LR_DRILL_PARTIAL)
            rc = add_point(s, "move", run_ok && !in_list((const char *const *)
                                                             s->tables_restored.items,
                                                         s->tables_restored.count,
                                                         sc->vacuumed_table) ? 15 : 0, 15,
                           "%s was vacuumed: a run that keeps it in scope ends partial with "
                           "it failed, so the right move is to leave it out (a clean partial "
                           "rollback of the other tables) and reload %s from the source.",
                           sc->vacuumed_table,
                           sc->vacuumed_table);
        else
            rc = add_point(s, "move", clean ? 15 : execs > 1 ? 5 : 0, 15, "%s",
                           clean ? "one clean, confirmed run."
                           : execs > 1 ? "more than one run was executed: each extra run adds "
                                         "restore commits; get the scope right in the dry run."
                                       : "no run completed.");
        break;
    }
    case LR_DRILL_UNDO_THEN_ROLLBACK: {
        bool undone = undo && undo->checkpoint && sc->wrong_checkpoint &&
                      !strcmp(undo->checkpoint, sc->wrong_checkpoint);
        rc = add_point(s, "undo", undone ? 15 : 0, 15, "%s",
                       undone ? "you undid the wrong run before rolling back again, so the "
                                "journal and audit trail show the mistake reversed."
                              : "the wrong run was not undone (`lakerewind undo RUN_ID`): "
                                "undo it first, its journal knows every table's "
                                "pre-rollback version.");
        break;
    }
    case LR_DRILL_RESUME: {
        bool resumed = d && d->resumed && d->run_id && !strcmp(d->run_id, sb->setup_run);
        rc = add_point(s, "resume", resumed ? 15 : 0, 15, "%s",
                       resumed ? "you resumed the interrupted run under its own id: its "
                                 "journal is closed and every table validated."
                               : "the interrupted run was not resumed (`lakerewind rollback "
                                 "--resume RUN_ID`): a new rollback leaves it open in `runs`.");
        break;
    }
    case LR_DRILL_RETAIN:
        break;
    }
    return rc;
}

static int score_retain(const struct lr_lakehouse_ctx *ctx, const struct lr_drill_scenario *sc,
                        const struct lr_drill_sandbox *sb, struct trail *t,
                        struct lr_drill_score *s, struct lr_error *err)
{
    struct lr_checkpoint_list list = {0};
    int rc = lr_checkpoint_list(ctx, &list, err);
    if (rc < 0)
        return rc;
    const struct lr_checkpoint *old = lr_checkpoint_find(&list, sc->expiring_checkpoint);
    const struct lr_checkpoint *best = NULL;
    for (size_t i = 0; i < list.count; i++) {
        const struct lr_checkpoint *c = &list.items[i];
        if (c->created_ms < sb->started_ms || !c->is_active ||
            (c->type && !strcmp(c->type, "PostRollback")))
            continue; /* a rollback's own checkpoint is not a retention fix */
        if (!best || (c->retention_days >= 14 && best->retention_days < 14))
            best = c;
    }
    if (best)
        s->checkpoint_used = lr_strdup(best->name);
    if (!best)
        rc = add_point(s, "retention", 0, 30, "no new checkpoint was taken: %s still expires "
                       "within a day.", sc->expiring_checkpoint);
    else if (best->retention_days >= 14 && best->retention_days <= 30)
        rc = add_point(s, "retention", 30, 30, "%s keeps today's state for %lld days.",
                       best->name, (long long)best->retention_days);
    else
        rc = add_point(s, "retention", best->retention_days > 30 ? 15 : 0, 30,
                       "%s has a %lld-day retention; it must cover the 14-day window%s.",
                       best->name, (long long)best->retention_days,
                       best->retention_days > 30 ? " but not outlive the tables' 30-day log "
                                                   "retention (the versions would no longer be "
                                                   "reconstructable)" : "");
    /* same versions as the expiring checkpoint, every table */
    size_t same = 0;
    for (size_t i = 0; best && old && i < old->table_count; i++)
        for (size_t k = 0; k < best->table_count; k++)
            if (!strcmp(old->tables[i].name, best->tables[k].name) &&
                old->tables[i].version == best->tables[k].version)
                same++;
    for (size_t k = 0; best && k < best->table_count; k++)
        lr_strvec_push(&s->tables_restored, best->tables[k].name);
    if (rc == 0)
        rc = add_point(s, "scope", best && old && same == old->table_count ? 25 : 0, 25,
                       best && old && same == old->table_count
                           ? "the new checkpoint covers every table at the same versions as %s."
                           : "the new checkpoint must cover every table at the versions of %s "
                             "(take it before anything else changes).",
                       sc->expiring_checkpoint);
    if (rc == 0)
        rc = add_point(s, "no-rollback", t->nruns == 0 ? 20 : 0, 20, "%s",
                       t->nruns == 0 ? "you rolled nothing back: there was no incident."
                                     : "a rollback was executed although nothing was damaged.");
    if (rc == 0)
        rc = add_point(s, "validations", best && best->validation_status &&
                                             !strcmp(best->validation_status, "Validated")
                                         ? 10 : 0, 10, "%s",
                       best && best->validation_status &&
                               !strcmp(best->validation_status, "Validated")
                           ? "the new checkpoint is Validated (every version reconstructable)."
                           : "the new checkpoint is not Validated.");
    if (rc == 0)
        rc = add_point(s, "type", best && best->type && !strcmp(best->type, "PreDeployment")
                                      ? 15 : best ? 5 : 0, 15,
                       "a checkpoint guarding a release is of type PreDeployment (yours: %s). "
                       "lakerewind has no command to extend an existing checkpoint; the drill "
                       "accepts a new one, and the tables' delta.logRetentionDuration (30 days "
                       "here; set with ALTER TABLE ... SET TBLPROPERTIES in Spark) bounds any "
                       "retention.", best && best->type ? best->type : "none");
    lr_checkpoint_list_free(&list);
    return rc;
}

static int build_debrief(const struct lr_drill_scenario *sc, struct lr_drill_score *s)
{
    size_t cap = 4096 + s->point_count * 1200 + s->refusals.count * (LR_ERROR_MAX + 8), used = 0;
    char *buf = malloc(cap);
    if (!buf)
        return LR_ENOMEM;
    used += (size_t)snprintf(buf, cap, "Drill %s: %s\nScore %d/100 (%s)", sc->id, sc->title,
                             s->score, s->passed ? "passed" : "not passed");
    if (s->duration_ms >= 0)
        used += (size_t)snprintf(buf + used, cap - used, ", time taken %lld s",
                                 (long long)(s->duration_ms / 1000));
    used += (size_t)snprintf(buf + used, cap - used, "\n\n");
    for (size_t i = 0; i < s->point_count && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "  [%2d/%2d] %-14s %s\n",
                                 s->points[i].earned, s->points[i].possible,
                                 s->points[i].name, s->points[i].text);
    if (s->refusals.count && used < cap)
        used += (size_t)snprintf(buf + used, cap - used, "\nWhat the workflow refused:\n");
    for (size_t i = 0; i < s->refusals.count && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "  - %s\n", s->refusals.items[i]);
    if (used < cap)
        snprintf(buf + used, cap - used, "\nThe right move (%s): %s.\n",
                 lr_drill_move_name(sc->move), sc->answer);
    s->debrief = buf;
    return 0;
}

int lr_drill_score(const struct lr_lakehouse_ctx *ctx, const struct lr_drill_scenario *sc,
                   const struct lr_drill_sandbox *sb, struct lr_drill_score *out,
                   struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->scenario = sc;
    snprintf(out->drill_id, sizeof out->drill_id, "%s", sb->drill_id);
    struct trail t;
    int rc = read_trail(ctx->store, ctx->metadata_location, sb, &t, err);
    if (rc == 0)
        rc = sc->move == LR_DRILL_RETAIN ? score_retain(ctx, sc, sb, &t, out, err)
                                         : score_rollback(ctx, sc, sb, &t, out, err);
    if (rc == LR_ENOMEM)
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    out->runs = t.nruns;
    for (size_t i = 0; i < t.refusals.count; i++)
        lr_strvec_push(&out->refusals, t.refusals.items[i]);
    out->duration_ms = t.first_ms >= 0 ? t.last_ms - t.first_ms : -1;
    /* passing needs the points that matter most, not only the total */
    bool critical = true;
    for (size_t i = 0; i < out->point_count; i++) {
        const char *n = out->points[i].name;
        if ((!strcmp(n, "checkpoint") || !strcmp(n, "scope") || !strcmp(n, "dry-run-first") ||
             !strcmp(n, "retention") || !strcmp(n, "undo") || !strcmp(n, "resume")) &&
            out->points[i].earned < out->points[i].possible)
            critical = false;
    }
    out->passed = out->score >= 80 && critical;
    if (rc == 0 && build_debrief(sc, out) < 0)
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    trail_free(&t);
    if (rc < 0)
        lr_error_context(err, "scoring drill %s", sc->id);
    return rc;
}

void lr_drill_score_free(struct lr_drill_score *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->point_count; i++) {
        free(s->points[i].name);
        free(s->points[i].text);
    }
    free(s->points);
    free(s->checkpoint_used);
    free(s->debrief);
    lr_strvec_free(&s->tables_restored);
    lr_strvec_free(&s->refusals);
    memset(s, 0, sizeof *s);
}

json_t *lr_drill_score_json(const struct lr_drill_score *s)
{
    json_t *tables = json_array(), *points = json_array();
    for (size_t i = 0; tables && i < s->tables_restored.count; i++)
        json_array_append_new(tables, json_string(s->tables_restored.items[i]));
    for (size_t i = 0; points && i < s->point_count; i++)
        json_array_append_new(points, json_pack("{s:s, s:i, s:i, s:s}", "name",
                                                s->points[i].name, "earned", s->points[i].earned,
                                                "possible", s->points[i].possible, "text",
                                                s->points[i].text));
    return json_pack("{s:s, s:s, s:i, s:b, s:I, s:s?, s:o, s:o, s:s?}", "drill_id", s->drill_id,
                     "scenario", s->scenario ? s->scenario->id : "", "score", s->score,
                     "passed", s->passed, "duration_ms", (json_int_t)s->duration_ms,
                     "checkpoint_used", s->checkpoint_used, "tables_restored", tables, "points",
                     points, "debrief", s->debrief);
}
