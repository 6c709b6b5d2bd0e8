#!/usr/bin/env bash
# The runs / audit browser at 80x24 on the demo lakehouse after a headless rollback of two
# tables: r on the overview lists the run (kind, checkpoint, operator, status, tables); Enter
# opens its per-table outcome from the journal and its steps from SyncAuditLog; Tab moves to
# the steps. u in dry-run mode asks for the workflow's UNDO phrase, refuses a wrong one and
# writes nothing on the right one; in LIVE mode the same u runs the undo through progress to its
# result, and the runs list then shows the undo as a run of its own. `:runs` jumps there too.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
# (a dry run exits 5: the pipeline's status is not the point here)
phrase=$("$LR_BIN" --lakehouse "$T_DIR/lake" rollback before-nightly-sync --tables account,contact \
    --dry-run --json 2>/dev/null | sed -n 's/.*"confirmation_phrase": "\(.*\)".*/\1/p' || true)
[ -n "$phrase" ] || tui_fail "no phrase from the headless dry run"
"$LR_BIN" --lakehouse "$T_DIR/lake" rollback before-nightly-sync --tables account,contact \
    --execute --confirm "$phrase" >/dev/null 2>&1 || tui_fail "the headless rollback failed"
run=$("$LR_BIN" --lakehouse "$T_DIR/lake" runs --json | sed -n 's/.*"run_id": "\(.*\)".*/\1/p' |
      head -1)
[ -n "$run" ] || tui_fail "no run id"
# Run ids, clock times and durations differ per run.
TUI_NORMALISE='s/^ [0-9T:-]*Z run [0-9a-f-]* finished: \([a-z-]*\).*/ <time> run <id> finished: \1/'
TUI_NORMALISE+='; s/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/<run-id>/g'
TUI_NORMALISE+='; s/\<[0-9a-f]\{8\}\>/<run>/g'
TUI_NORMALISE+='; s/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]\{8\}Z/<time>/g'
TUI_NORMALISE+='; s/[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]/MM-DD hh:mm/g'
TUI_NORMALISE+='; s/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/hh:mm:ss/g'
TUI_NORMALISE+='; s/ *[0-9][0-9.]*m\{0,1\}s\( \|$\)/ <t>\1/g'
# Steps that start in the same millisecond have no order of their own: the step rows of the
# run screen (from its STEP header to the rule under them) are compared as a sorted set.
tui_screen_text() {
    local text first last
    text=$(tui_capture | sed -e "$TUI_NORMALISE")
    first=$(printf '%s\n' "$text" | grep -n '^ STEP ' | head -1 | cut -d: -f1 || true)
    if [ -z "$first" ]; then
        printf '%s\n' "$text"
        return
    fi
    last=$(printf '%s\n' "$text" | tail -n "+$((first + 1))" | grep -n '^ ─' | head -1 |
           cut -d: -f1 || true)
    last=$((first + ${last:-1}))
    printf '%s\n' "$text" | head -n "$first"
    printf '%s\n' "$text" | sed -n "$((first + 1)),$((last - 1))p" | LC_ALL=C sort
    printf '%s\n' "$text" | tail -n "+$last"
}

tui_start 80 24 -- --lakehouse lake
tui_wait_for "found 20 Delta tables"
tui_keys r
tui_wait_for "Runs (1)"
tui_expect_screen runs-list "Runs (1)"
tui_keys Enter
tui_wait_for "CheckpointValidation"
tui_expect_screen runs-run "CheckpointValidation"
[ "$(tui_display '#{cursor_y}')" = "6" ] || tui_fail "cursor not on the first table row"
tui_keys Tab
tui_wait_for "(steps)"
[ "$(tui_display '#{cursor_y}')" = "10" ] || tui_fail "cursor not on the first step"
# Undo in dry-run mode: a wrong phrase is refused, the right one rehearses the undo through
# every step (progress, then a DRY RUN result) and writes nothing.
tui_keys u
tui_wait_for "Undo (dry run)"
undo=$(tui_capture | grep -o 'UNDO 2 TABLES OF RUN [0-9a-f]* [0-9a-f]*' | head -1)
[ -n "$undo" ] || tui_fail "no UNDO phrase in the dialog"
tui_type "UNDO 2 TABLES"
tui_keys Enter
tui_wait_for "Undo (dry run)"
tui_wait_for "Refused:"
tui_keys C-u
tui_type "$undo"
tui_keys Enter
tui_wait_for "DRY RUN result of the undo of run"
tui_wait_for "NOTHING was written"
[ ! -e "$T_DIR/lake/Tables/account/_delta_log/00000000000000000034.json" ] ||
    tui_fail "a dry-run undo wrote account v34"
tui_keys : ; tui_type "q"; tui_keys Enter
tui_wait_exit
[ "$TUI_EXIT_STATUS" = 0 ] || tui_fail "the console exited with $TUI_EXIT_STATUS"

# LIVE: u on the runs list runs the undo and the list then shows it.
tui_start 80 24 -- --lakehouse lake --live
tui_wait_for "found 20 Delta tables"
tui_keys : ; tui_type "runs"; tui_keys Enter
tui_wait_for "Runs (1)"
tui_keys u
tui_wait_for "Undo (LIVE)"
tui_type "$undo"
tui_keys Enter
tui_wait_for "Result of the undo of run"
[ -e "$T_DIR/lake/Tables/account/_delta_log/00000000000000000034.json" ] ||
    tui_fail "the undo did not write account v34"
tui_keys Escape
tui_wait_for "Runs (2)"
tui_expect_screen runs-after-undo "Runs (2)"
tui_keys Escape
tui_wait_for "Tables (20)"
tui_keys q
tui_wait_exit
[ "$TUI_EXIT_STATUS" = 0 ] || tui_fail "the console exited with $TUI_EXIT_STATUS"
