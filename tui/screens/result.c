/* result.c - a finished restore: the run's status, per table the state, the version written,
 * rows before / after, the quality score and whether every validation passed, the failed
 * checks of the selected table, and the post-rollback checkpoint. Opened by the impact screen
 * when a confirmed run ends; Esc goes back. A dry run through every step (core's rehearsal) is
 * titled as such: what the run would have ended as, the version each commit would have taken
 * (in parentheses), the validation of the would-be state, and that nothing was written. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "undoflow.h"

enum { COL_NAME, COL_STATE, COL_VERSION, COL_BEFORE, COL_AFTER, COL_QUALITY, COL_CHECKS, NCOLS };

static const struct tui_column columns[NCOLS] = {
    [COL_NAME] = {"TABLE", 10, 1, false},   [COL_STATE] = {"STATE", 8, 0, false},
    [COL_VERSION] = {"VERSION", 12, 0, false}, [COL_BEFORE] = {"ROWS BEFORE", 11, 0, true},
    [COL_AFTER] = {"ROWS AFTER", 10, 0, true}, [COL_QUALITY] = {"QUALITY", 7, 0, true},
    [COL_CHECKS] = {"CHECKS", 12, 0, false},
};

static const struct tui_key_binding default_keys[] = {
    {'u', TUI_ACT_UNDO, "undo", false},
};

static struct tui_keymap keys;

struct resscreen {
    struct lr_run_result *run;
    struct tui_undo_flow undo; /* u: analysis, typed confirmation, execution */
    struct tui_table_state st;
    int visible;
};

int tui_result_open(struct tui_app *app, struct lr_run_result *run)
{
    return tui_app_push(app, &tui_screen_result, (const char *)(const void *)run);
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)app;
    struct lr_run_result *run = (struct lr_run_result *)(void *)(uintptr_t)arg;
    struct resscreen *r = run ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        if (run) {
            lr_run_result_free(run);
            free(run);
        }
        return run ? LR_ENOMEM : LR_EINVAL;
    }
    r->run = run;
    r->st.sort_column = -1;
    r->visible = 10;
    tui_table_set_count(&r->st, run->table_count, r->visible);
    *state = r;
    return 0;
}

static void close_screen(void *state)
{
    struct resscreen *r = state;
    if (!r)
        return;
    lr_run_result_free(r->run);
    free(r->run);
    tui_undo_flow_free(&r->undo);
    free(r);
}

static void run_done(struct tui_app *app, void *state, struct tui_event *ev)
{
    struct resscreen *r = state;
    tui_undo_flow_run_done(&r->undo, app, ev);
}

/* A dry run's result has nothing to undo: u is left out of the footer and the help there. */
static bool key_works(void *state, enum tui_action a)
{
    const struct resscreen *r = state;
    return a != TUI_ACT_UNDO || !r->run->is_rehearsal;
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct resscreen *r = state;
    if (tui_table_navigate(&r->st, a, r->visible))
        return true;
    switch (a) {
    case TUI_ACT_UNDO:
        if (r->run->status != LR_RUN_SUCCEEDED && r->run->status != LR_RUN_PARTIAL)
            tui_app_log(app, TUI_LOG_WARN, "nothing to undo: the run %s",
                        lr_run_status_name(r->run->status));
        else
            tui_undo_flow_start(&r->undo, app, r->run->run_id);
        return true;
    default: return false;
    }
}

static void cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                 void *payload)
{
    const struct resscreen *r = payload;
    const struct lr_table_result *t = &r->run->tables[row];
    char *clean;
    switch (col) {
    case COL_NAME:
        clean = tui_sanitize_str(t->name, false);
        snprintf(buf, cap, "%s", clean ? clean : "");
        free(clean);
        return;
    case COL_STATE:
        snprintf(buf, cap, "%s %s",
                 t->state == LR_TABLE_DONE ? "+" : t->state == LR_TABLE_FAILED ? "x" : "-",
                 lr_table_state_name(t->state));
        *role = t->state == LR_TABLE_DONE     ? ROLE_OK
                : t->state == LR_TABLE_FAILED ? ROLE_ERROR
                                              : ROLE_WARN;
        return;
    case COL_VERSION:
        if (t->version_rehearsed >= 0)
            snprintf(buf, cap, "%lld -> (%lld)", (long long)t->pre_version,
                     (long long)t->version_rehearsed);
        else if (t->version_written >= 0)
            snprintf(buf, cap, "%lld -> %lld", (long long)t->pre_version,
                     (long long)t->version_written);
        else
            snprintf(buf, cap, "%lld", (long long)t->pre_version);
        return;
    case COL_BEFORE:
        if (t->rows_before >= 0)
            tui_format_count(buf, cap, t->rows_before);
        else
            snprintf(buf, cap, "?");
        return;
    case COL_AFTER:
        if (t->rows_after >= 0)
            tui_format_count(buf, cap, t->rows_after);
        else
            snprintf(buf, cap, "?");
        return;
    case COL_QUALITY:
        if (t->has_validation)
            snprintf(buf, cap, "%.0f", t->validation.quality_score);
        return;
    case COL_CHECKS: {
        if (!t->has_validation)
            return;
        size_t failed = 0;
        for (size_t i = 0; i < t->validation.count; i++)
            failed += !t->validation.items[i].passed;
        if (failed)
            snprintf(buf, cap, "x %zu of %zu", failed, t->validation.count);
        else
            snprintf(buf, cap, "+ %zu passed", t->validation.count);
        *role = failed ? ROLE_ERROR : ROLE_OK;
        return;
    }
    default: return;
    }
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct resscreen *r = state;
    const struct lr_run_result *run = r->run;
    char text[1024];
    int y = body.y;
    bool is_ok = run->status == LR_RUN_SUCCEEDED ||
                 (run->is_rehearsal && run->rehearsal_outcome == LR_RUN_SUCCEEDED);
    bool is_undo = run->has_impact && run->impact.kind == LR_PLAN_UNDO;
    if (run->is_rehearsal) {
        snprintf(text, sizeof text, "%s DRY RUN: the %s would have %s  overall quality "
                 "%.0f", is_ok ? "+" : "x", is_undo ? "undo" : "restore",
                 lr_run_status_name(run->rehearsal_outcome), run->quality_score);
        y = tui_body_line(body, y, is_ok ? ROLE_OK : ROLE_ERROR, text);
        y = tui_body_line(body, y, ROLE_BANNER_DRYRUN,
                 "NOTHING was written: no table commit, no journal, no post-rollback "
                 "checkpoint; audit log: DryRun");
    } else {
        snprintf(text, sizeof text, "%s %s  overall quality %.0f", is_ok ? "+" : "x",
                 lr_run_status_name(run->status), run->quality_score);
        y = tui_body_line(body, y, is_ok ? ROLE_OK : ROLE_ERROR, text);
    }
    if (run->refusal) {
        snprintf(text, sizeof text, "refused: %s", run->refusal);
        y = tui_body_line(body, y, ROLE_ERROR, text);
    }
    struct tui_rect list = body;
    list.y = y + 1;
    list.h = body.h - (list.y - body.y) - 6;
    r->visible = tui_app_table(app, list, columns, NCOLS, &r->st, cell, r);
    y = body.y + body.h - 6;
    tui_term_hline(y++, body.x, body.w, ROLE_BORDER);
    if (run->is_rehearsal)
        snprintf(text, sizeof text, "(vN): the version the restore commit would have taken; "
                 ":live, then %s, executes it", is_undo ? "u on the run" : "R");
    else
        snprintf(text, sizeof text, "post-rollback checkpoint: %s",
                 run->post_rollback_checkpoint ? run->post_rollback_checkpoint : "(none)");
    y = tui_body_line(body, y, run->post_rollback_checkpoint || run->is_rehearsal ? ROLE_NORMAL
                                                                          : ROLE_WARN, text);
    if (run->table_count) {
        const struct lr_table_result *t = &run->tables[r->st.selected];
        if (t->error) {
            snprintf(text, sizeof text, "%s: %s", t->name, t->error);
            y = tui_body_line(body, y, ROLE_ERROR, text);
        }
        for (size_t i = 0; t->has_validation && i < t->validation.count; i++) {
            const struct lr_validation *v = &t->validation.items[i];
            if (v->passed)
                continue;
            snprintf(text, sizeof text, "%s: check %s failed", t->name,
                     lr_validation_type_name(v->type));
            y = tui_body_line(body, y, ROLE_ERROR, text);
        }
    }
    for (size_t i = 0; i < run->warnings.count; i++)
        y = tui_body_line(body, y, ROLE_WARN, run->warnings.items[i]);
    if (r->undo.is_analysing) {
        snprintf(text, sizeof text, "analysing the undo %s", tui_term_glyph(GLYPH_ELLIPSIS));
        tui_body_line(body, body.y + body.h - 1, ROLE_DIM, text);
    } else if ((run->status == LR_RUN_SUCCEEDED || run->status == LR_RUN_PARTIAL) &&
               tui_app_allows(app, TUI_ACT_UNDO)) {
        snprintf(text, sizeof text, "run %s  (u undoes it, with a typed confirmation)",
                 run->run_id);
        tui_body_line(body, body.y + body.h - 1, ROLE_DIM, text);
    }
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    (void)app;
    struct resscreen *r = state;
    char *cp = tui_sanitize_str(r->run->checkpoint ? r->run->checkpoint : "", false);
    bool is_undo = r->run->has_impact && r->run->impact.kind == LR_PLAN_UNDO;
    if (r->run->is_rehearsal && is_undo && r->run->impact.checkpoint)
        snprintf(buf, cap, "DRY RUN result of the undo of run %.8s (nothing written)",
                 r->run->impact.checkpoint);
    else if (r->run->is_rehearsal)
        snprintf(buf, cap, "DRY RUN result of the restore to %s (nothing written)",
                 cp ? cp : "");
    else if (is_undo && r->run->has_impact && r->run->impact.checkpoint)
        snprintf(buf, cap, "Result of the undo of run %.8s", r->run->impact.checkpoint);
    else
        snprintf(buf, cap, "Result of the %s to %s", is_undo ? "undo" : "restore",
                 cp ? cp : "");
    free(cp);
}

/* The walkthrough's last step: what the dry run says would have happened. */
static void guide(struct tui_app *app, void *state, bool is_compact, char *buf, size_t cap)
{
    (void)app;
    const struct resscreen *r = state;
    const struct lr_run_result *run = r->run;
    size_t restored = 0, unchanged = 0, failed = 0, invalid = 0;
    int64_t rows = 0;
    for (size_t i = 0; i < run->table_count; i++) {
        const struct lr_table_result *t = &run->tables[i];
        bool is_restore = t->version_rehearsed >= 0 || t->version_written >= 0;
        restored += t->state == LR_TABLE_DONE && is_restore;
        unchanged += t->state == LR_TABLE_DONE && !is_restore;
        failed += t->state == LR_TABLE_FAILED || t->state == LR_TABLE_SKIPPED;
        invalid += t->has_validation && !t->validation.passed;
        if (is_restore && t->rows_after >= 0 && t->rows_before >= 0)
            rows += t->rows_after - t->rows_before;
    }
    const struct lr_impact_totals *tot = run->has_impact ? &run->impact.totals : NULL;
    int n = snprintf(buf, cap, "%s: %zu table%s would be restored (one RESTORE commit each), "
                     "%zu already at the checkpoint, %zu could not be; rows %+lld",
                     run->is_rehearsal ? "Summary of the dry run" : "Summary of the run",
                     restored, restored == 1 ? "" : "s", unchanged, failed, (long long)rows);
    if (n < 0 || (size_t)n >= cap)
        return;
    size_t used = (size_t)n;
    if (tot)
        used += (size_t)snprintf(buf + used, cap - used, ", files +%lld -%lld; risk %zu High, "
                                 "%zu Medium, %zu Low; %lld commits undone",
                                 (long long)tot->files_to_add, (long long)tot->files_to_remove,
                                 tot->high, tot->medium, tot->low,
                                 (long long)tot->commits_undone);
    if (used >= cap)
        return;
    used += (size_t)snprintf(buf + used, cap - used, ".\nValidation of the result: %s "
                             "(quality %.0f).", invalid ? "some checks FAILED" : "every check "
                             "passed", run->quality_score);
    if (used >= cap)
        return;
    if (run->is_rehearsal)
        snprintf(buf + used, cap - used, "%sThe run would have %s. NOTHING was written: no "
                 "table, no journal, no post-rollback checkpoint; the audit log records a "
                 "DryRun.%s", is_compact ? " " : "\n\n",
                 lr_run_status_name(run->rehearsal_outcome),
                 is_compact ? " For real: w, :live, R."
                            : "\n\nTo do it for real: end the guide (w), switch to LIVE "
                              "(:live, typed), and press R on the impact again.");
}

const struct tui_screen_ops tui_screen_result = {
    .name = "result",
    .summary = "a finished restore",
    .keys = &keys,
    .default_keys = default_keys,
    .default_key_count = sizeof default_keys / sizeof default_keys[0],
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
    .title = title,
    .run_done = run_done,
    .guide = guide,
    .key_works = key_works,
};
