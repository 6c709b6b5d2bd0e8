#!/usr/bin/env bash
# The guided walkthrough (`lakerewind --guided`): a panel beside the screen (>= 120 columns)
# explains each step -- the lakehouse, what a checkpoint is, why the selected table has its
# risk (the impact's own reasons) and what RESTORE will and will not do, the typed
# confirmation and why a dry run comes first, the dry run step by step -- and ends with a
# summary of what would have happened. --live is overridden: the walkthrough writes nothing.
# At 80x24 the panel sits under the screen; w turns it off and on.
. "$(dirname "$0")/lib.sh"
"$LR_BIN" demo "$T_DIR/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
GOOD='ROLLBACK 19 TABLES TO before-nightly-sync 11fe30'
TUI_NORMALISE='s/^ [0-9T:-]*Z run [0-9a-f-]* finished: .*$/ <time> run <id> finished/; s/ [0-9.]*s  *(v[0-9]*) *$/ <t> (v)/; s/ [0-9.]*s *$/ <t>/; s/ [0-9.]*s *│/ <t>  │/'

tui_start 130 36 -- --lakehouse lake --guided --live
tui_wait_for "found 20 Delta tables"
tui_wait_for "Guide 1/6: the lakehouse"
tui_expect_screen guided-overview "press c for the"
tui_keys c
tui_wait_for "Guide 2/6: what a checkpoint is"
tui_expect_screen guided-checkpoints "Pick the last good"
tui_keys Enter
tui_wait_for "TOTAL 20 of 20"
tui_wait_for "Why account is"
tui_expect_screen guided-impact "Why a dry run first"
# activitypointer (High) out of scope, then back to account
tui_keys j
tui_wait_for "Why activitypointer is High risk"
tui_keys Space
tui_wait_for "phrase: $GOOD"
tui_keys k
tui_keys R
tui_wait_for "Type exactly:"
tui_wait_for "Guide 4/6: the typed confirmation"
tui_expect_screen guided-confirm "why a dry run"
tui_type "$GOOD"
tui_keys Enter
tui_wait_for "Guide 6/6: what would have happened"
tui_wait_for "NOTHING was written: no"
tui_expect_screen guided-summary "Summary of the dry run"
[ ! -e "$T_DIR/lake/Tables/account/_delta_log/00000000000000000033.json" ] ||
    tui_fail "the guided walkthrough wrote a table"
# :live is refused while guided
tui_keys : ; tui_type "live"; tui_keys Enter
tui_wait_for "the guided walkthrough is a dry run"
tui_stop

# 80x24: the panel under the screen still fits; w ends the guide and starts it again.
tui_start 80 24 -- --lakehouse lake --guided
tui_wait_for "found 20 Delta tables"
tui_keys c
tui_wait_for "before-nightly-sync"
tui_keys Enter
tui_wait_for "Why account is"
tui_expect_screen guided-impact-80x24 "Next: R."
tui_keys w
tui_wait_gone "Guide 3/6"
tui_keys w
tui_wait_for "Guide 3/6"
