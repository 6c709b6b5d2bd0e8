#!/usr/bin/env bash
# Undo from the result screen (LIVE): restore 4 changed tables of the demo lakehouse (the
# others are taken out of scope with Space, one dry run each), then u analyses the undo, the
# typed confirmation takes the workflow's UNDO phrase, and the undo runs through the progress
# screen to its own result: every table back at its version before the restore.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
# Ages, expiry and retention health are judged at a fixed hour of the demo's day.
export LAKEREWIND_NOW=2026-11-26T19:30Z
TUI_NORMALISE='s/^ [0-9T:-]*Z run [0-9a-f-]* finished: \([a-z-]*\) ([0-9]* ms) *$/ <time> run <id> finished: \1/; s/-post-[0-9a-f]\{8\}/-post-<run>/g; s/undo of run [0-9a-f]\{8\}/undo of run <run>/; s/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/<run-id>/g'

tui_start 100 30 -- --lakehouse lake --live
tui_wait_for "found 20 Delta tables"
tui_keys c
tui_wait_for "before-nightly-sync"
tui_keys Enter
tui_wait_for "TOTAL 20 of 20"
# Keep account (0), contact (6), donation (7), opportunity (12): the tables the bad sync changed
# at Low or Medium risk. Every other row goes out of scope.
n=20
for i in $(seq 1 19); do
    tui_keys j
    case $i in 6 | 7 | 12) continue ;; esac
    tui_keys Space
    n=$((n - 1))
    tui_wait_for "TOTAL $n of 20"
done
phrase=$(tui_capture | grep -o 'phrase: ROLLBACK 4 TABLES TO before-nightly-sync [0-9a-f]*' |
         sed 's/^phrase: //')
[ -n "$phrase" ] || tui_fail "no 4-table phrase on the impact screen"
tui_keys R
tui_wait_for "Type exactly:"
tui_type "$phrase"
tui_keys Enter
tui_wait_for "u undoes it"
tui_keys u
tui_wait_for "Undo (LIVE)"
undo=$(tui_capture | grep -o 'UNDO 4 TABLES OF RUN [0-9a-f]* [0-9a-f]*' | head -1)
[ -n "$undo" ] || tui_fail "no UNDO phrase in the dialog"
tui_type "$undo"
tui_keys Enter
# The undo's own result screen (its title says so); waiting for the first result's text to go
# would race with a fast undo that is already back on a result screen.
tui_wait_for "Result of the undo of run"
tui_expect_screen undo-result "post-rollback"
[ -e "$T_DIR/lake/Tables/account/_delta_log/00000000000000000034.json" ] ||
    tui_fail "the undo did not write account v34"
