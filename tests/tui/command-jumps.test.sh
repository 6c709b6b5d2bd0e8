#!/usr/bin/env bash
# The `:` prompt jumps at 80x24: :runs (no runs yet says so), :checkpoints, :overview,
# :history NAME, :help (the overlay), a table's name (the overview with that table selected),
# and refuses an unknown command, :history of an unknown table and :impact without a
# checkpoint, each with the reason.
. "$(dirname "$0")/lib.sh"
for t in account contact donation; do tui_make_table "$T_DIR/lake" "$t"; done
run() { # run COMMAND: type it at the prompt
    tui_keys :
    tui_type "$1"
    tui_keys Enter
}
tui_start 80 24 -- --lakehouse lake
tui_wait_for "found 3 Delta tables"
run runs
tui_wait_for "No executed runs yet."
tui_expect_screen command-runs-empty "Runs (0)"
run checkpoints
tui_wait_for "No named checkpoints in this lakehouse yet."
run overview
tui_wait_for "Tables (3)"
run "history contact"
tui_wait_for "History of contact  versions 0-0  page 1"
run help
tui_wait_for "Keys on this screen (history)"
tui_keys Escape
tui_wait_gone "Keys on this screen"
run donation
tui_wait_for "donation  │  lake/Tables/donation"
tui_expect_screen command-table-name "lake/Tables/donation"
[ "$(tui_display '#{cursor_y}')" = "6" ] || tui_fail "the cursor is not on donation's row"
run frobnicate
tui_wait_for "unknown command 'frobnicate' (? lists the commands)"
run "history nosuch"
tui_wait_for "no table 'nosuch' in this lakehouse (the overview lists them)"
run impact
tui_wait_for ":impact needs a checkpoint name"
run q
tui_wait_exit
[ "$TUI_EXIT_STATUS" = 0 ] || tui_fail "exit status $TUI_EXIT_STATUS"
