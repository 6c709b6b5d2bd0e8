#!/usr/bin/env bash
# : opens the command prompt on the status line; :log jumps to the log pane, :overview back,
# an unknown command is refused with the list of commands, :q quits.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_keys :
tui_type "lo"
tui_expect_screen command-prompt-typing ":lo"
[ "$(tui_display '#{cursor_y},#{cursor_x}')" = "28,3" ] || tui_fail "cursor not in the prompt"
tui_type "g"
tui_keys Enter
tui_wait_for "Log (1 line)"
# The log pane's time stamps vary: normalise HH:MM:SS.
TUI_NORMALISE='s/^ [0-9][0-9]:[0-9][0-9]:[0-9][0-9] / HH:MM:SS /' \
    tui_expect_screen command-log "Log (1 line)"
tui_keys : ; tui_type "overview"; tui_keys Enter
tui_wait_for "Tables (1)"
tui_keys : ; tui_type "frobnicate"; tui_keys Enter
tui_expect_screen command-unknown "unknown command"
tui_keys : ; tui_type "q"; tui_keys Enter
tui_wait_exit
