#!/usr/bin/env bash
# q on the top screen quits: the process is gone and exited 0.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_keys q
tui_wait_exit
[ "$(tui_display '#{pane_dead_status}')" = "0" ] || tui_fail "exit status not 0"
