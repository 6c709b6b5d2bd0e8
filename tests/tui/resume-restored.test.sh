#!/usr/bin/env bash
# Resuming a run that had already restored (and validated) its table when it was interrupted:
# the recover screen shows the table as restored at its current version with only validation
# left (0 commits undone, Low, the reason), not as commits to undo; the phrase keeps its
# RESUME format. The run is a real one-table rollback (headless) whose last journal entry
# (run_finished) is removed.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
# Ages, expiry and retention health are judged at a fixed hour of the demo's day.
export LAKEREWIND_NOW=2026-11-26T19:30Z
TUI_NORMALISE='s/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/<run-id>/g; s/OF RUN [0-9a-f]\{8\} [0-9a-f]\{6\}/OF RUN <run> <digest>/g; s/ by [a-z0-9_.-]*: / by <op>: /; s/^ [0-9T:-]*Z / <time> /; s/([0-9]* ms)/(<ms>)/g'
(cd "$T_DIR" && "$LR_BIN" --lakehouse lake rollback before-nightly-sync --tables account \
    --json) >"$T_DIR/dry.json" || [ $? -eq 5 ] || tui_fail "rollback dry run"
phrase=$(sed -n 's/.*"confirmation_phrase": *"\([^"]*\)".*/\1/p' "$T_DIR/dry.json")
(cd "$T_DIR" && "$LR_BIN" --lakehouse lake rollback before-nightly-sync --tables account \
    --execute --confirm "$phrase") >"$T_DIR/run.out" 2>&1 ||
    { cat "$T_DIR/run.out" >&2; tui_fail "rollback --execute"; }
last=$(ls "$T_DIR"/lake/Files/_lakerewind/runs/*/journal-*.json | sort | tail -1)
rm "$last"

tui_start 100 30 -- --lakehouse lake
tui_wait_for "An interrupted run was found"
tui_keys Enter # Resume it
tui_wait_for "phrase: RESUME 1 TABLE OF RUN"
tui_expect_screen resume-restored "restored at v33"
tui_capture | grep -q "account .*restored at v33 (= v31), validate  already restored at v33" ||
    tui_fail "account is not shown as already restored"
