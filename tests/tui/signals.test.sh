#!/usr/bin/env bash
# Ctrl-C leaves through the normal exit path: the terminal is restored (the alternate screen is
# left, so the shell's screen is back) and the exit status is 0.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_keys C-c
tui_wait_exit
[ "$(tui_display '#{pane_dead_status}')" = "0" ] || tui_fail "exit status not 0 after Ctrl-C"
[ "$(tui_display '#{alternate_on}')" = "0" ] || tui_fail "still on the alternate screen"
