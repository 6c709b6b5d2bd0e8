#!/usr/bin/env bash
# Restore from the impact screen on a generated demo lakehouse: R opens the typed confirmation
# with the workflow's phrase; a wrong phrase is refused with the workflow's reason; in dry-run
# mode the right phrase runs the whole flow (progress through every step, a result titled DRY
# RUN) and writes no table, no journal; with --live it executes and the result
# screen shows every table's state, version written, rows, quality and checks, and the
# post-rollback checkpoint.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
GOOD='ROLLBACK 19 TABLES TO before-nightly-sync 11fe30'
TUI_NORMALISE='s/^ [0-9T:-]*Z run [0-9a-f-]* finished: \([a-z-]*\) ([0-9]* ms) *$/ <time> run <id> finished: \1/; s/-post-[0-9a-f]\{8\}/-post-<run>/; s/run [0-9a-f-]\{36\}  (u undoes/run <id>  (u undoes/'

open_impact() {
    tui_wait_for "found 20 Delta tables"
    tui_keys c
    tui_wait_for "before-nightly-sync"
    tui_keys Enter
    tui_wait_for "TOTAL 20 of 20"
    tui_keys j Space # activitypointer (High) out of scope
    tui_wait_for "TOTAL 19 of 20"
    tui_wait_for "phrase: $GOOD"
}

# Dry-run mode: wrong phrase refused with the reason, Esc cancels, the right one writes nothing.
tui_start 100 30 -- --lakehouse lake
open_impact
tui_keys R
tui_wait_for "Type exactly:"
tui_type "ROLLBACK 20 TABLES TO before-nightly-sync 11fe30"
tui_keys Enter
tui_wait_for "Refused: the phrase says 20 tables"
tui_expect_screen restore-refused "Refused:"
tui_keys Escape
tui_wait_gone "Type exactly:"
tui_keys R
tui_wait_for "Type exactly:"
tui_type "$GOOD"
tui_keys Enter
tui_wait_gone "Type exactly:"
# The whole flow runs (core's rehearsal) and the result is titled as a dry run.
tui_wait_for "DRY RUN result of the restore to before-nightly-sync"
tui_expect_screen restore-dry-result "NOTHING was written"
# Esc: the progress screen under it went through every step, every table done.
tui_keys Escape
tui_wait_for "finished: Post-rollback checkpoint and report"
screen_has "DRY RUN: restoring to before-nightly-sync  (19 of 19 tables)" ||
    tui_fail "dry-run progress title"
tui_capture | grep -qE '^ account +\+ done +[0-9.]+s +\(v33\) *$' || tui_fail "account row"
tui_stop
[ ! -e "$T_DIR/lake/Tables/account/_delta_log/00000000000000000033.json" ] ||
    tui_fail "a dry-run confirmation wrote a table"
[ ! -e "$T_DIR/lake/Files/_lakerewind/runs" ] || tui_fail "a dry run wrote a run journal"

# LIVE: the same plan executes; the result screen shows it.
tui_start 100 30 -- --lakehouse lake --live
open_impact
tui_keys R
tui_wait_for "Type exactly:"
tui_type "$GOOD"
tui_keys Enter
tui_wait_for "post-rollback checkpoint: before-nightly-sync-post-"
tui_expect_screen restore-result "post-rollback"
[ -e "$T_DIR/lake/Tables/account/_delta_log/00000000000000000033.json" ] ||
    tui_fail "the live restore did not write account v33"
# Esc: the progress screen under it, finished, every table done with the version written.
tui_keys Escape
tui_wait_for "finished: Post-rollback checkpoint and report"
screen_has "Restoring to before-nightly-sync  (19 of 19 tables)" || tui_fail "progress title"
tui_capture | grep -qE '^ account +\+ done +[0-9.]+s +v33 *$' || tui_fail "account row"
tui_capture | grep -qE '^ appointment +\+ done +[0-9.]+s *$' || tui_fail "appointment row"
screen_lacks "activitypointer" || tui_fail "an out-of-scope table was restored"
