#!/usr/bin/env bash
# The impact screen on a generated demo lakehouse: checkpoints -> Enter runs the workflow's dry
# run and lists every table with versions, rows, files, bytes, commits undone and the risk
# (Medium / High / Low as symbol + word); Space takes the High-risk table out of scope and the
# dry run is redone (totals and the phrase change); Tab shows a table's undone commits.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
# Ages, expiry and retention health are judged at a fixed hour of the demo's day.
export LAKEREWIND_NOW=2026-11-26T19:30Z
# Run ids and clock times in the log line differ per run.
TUI_NORMALISE='s/^ [0-9T:-]*Z run [0-9a-f-]* finished: dry-run ([0-9]* ms) *$/ <time> run <id> finished: dry-run/'
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 20 Delta tables"
tui_keys c
tui_wait_for "before-nightly-sync"
tui_keys Enter
tui_wait_for "TOTAL 20 of 20"
tui_expect_screen impact "TOTAL 20 of 20"
# activitypointer (the High one) out of scope: 19 tables, no high-risk words in the phrase.
tui_keys j Space
tui_wait_for "TOTAL 19 of 20"
tui_expect_screen impact-scoped "TOTAL 19 of 20"
tui_keys k Tab
tui_wait_for "By operation"
tui_expect_screen impact-detail "By operation"
tui_keys Escape
tui_wait_for "TOTAL 19 of 20"
