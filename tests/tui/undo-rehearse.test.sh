#!/usr/bin/env bash
# Undo in dry-run mode is rehearsed like a dry-run restore: after a real one-table rollback
# (headless), the console (dry run) opens the run from the runs browser, u analyses the undo,
# the dialog says it will be rehearsed, the UNDO phrase starts it, the progress screen runs the
# steps and the result is a DRY RUN titled as the undo's, saying what the undo would have ended
# as. Nothing is written: account stays at the version the rollback wrote.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
# Ages, expiry and retention health are judged at a fixed hour of the demo's day.
export LAKEREWIND_NOW=2026-11-26T19:30Z
TUI_NORMALISE='s/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/<run-id>/g; s/undo of run [0-9a-f]\{8\}/undo of run <run>/g; s/run [0-9a-f]\{8\}/run <run>/g; s/UNDO 1 TABLE OF RUN [0-9a-f]* [0-9a-f]*/UNDO 1 TABLE OF RUN <run> <digest>/; s/^ [0-9T:-]*Z / <time> /; s/([0-9]* ms)/(<ms>)/g; s/ [0-9.]*s *$/ <t>/; s/ [0-9.]*s *│/ <t>  │/'
(cd "$T_DIR" && "$LR_BIN" --lakehouse lake rollback before-nightly-sync --tables account \
    --json) >"$T_DIR/dry.json" || [ $? -eq 5 ] || tui_fail "rollback dry run"
phrase=$(sed -n 's/.*"confirmation_phrase": *"\([^"]*\)".*/\1/p' "$T_DIR/dry.json")
(cd "$T_DIR" && "$LR_BIN" --lakehouse lake rollback before-nightly-sync --tables account \
    --execute --confirm "$phrase") >"$T_DIR/run.out" 2>&1 ||
    { cat "$T_DIR/run.out" >&2; tui_fail "rollback --execute"; }
log="$T_DIR/lake/Tables/account/_delta_log"
[ -e "$log/00000000000000000033.json" ] || tui_fail "the rollback did not write account v33"

tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 20 Delta tables"
tui_keys : ; tui_type "runs"; tui_keys Enter
tui_wait_for "+ succeeded"
tui_keys u
tui_wait_for "Undo (dry run)"
tui_wait_for "rehearsed through every step"
undo=$(tui_capture | grep -o 'UNDO 1 TABLE OF RUN [0-9a-f]* [0-9a-f]*' | head -1)
[ -n "$undo" ] || tui_fail "no UNDO phrase in the dialog"
tui_type "$undo"
tui_keys Enter
tui_wait_for "DRY RUN result of the undo of run"
tui_expect_screen undo-rehearse-result "DRY RUN"
[ ! -e "$log/00000000000000000034.json" ] || tui_fail "the rehearsed undo wrote account v34"
