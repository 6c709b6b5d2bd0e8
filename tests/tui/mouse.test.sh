#!/usr/bin/env bash
# Optional mouse (ui.mouse: true) at 80x24. The pane's input gets the xterm mouse reports the
# terminal would send (X10 encoding, as tmux-256color's kmous asks): a press on a row selects
# it, a press on the selected row opens the table's history, a double press opens at once, the
# wheel moves the selection three rows. Without ui.mouse the console never asks the terminal for
# mouse reports, and the same bytes select nothing.
. "$(dirname "$0")/lib.sh"
for t in account contact donation email incident invoice lead opportunity; do
    tui_make_table "$T_DIR/lake" "$t"
done
cat >"$T_DIR/mouse.yaml" <<'YAML'
ui:
  mouse: true
YAML
# mouse_bytes BUTTON X Y: one X10 report (button, column, row; 0-based) for send-keys -l.
mouse_bytes() {
    printf "\\033[M\\$(printf %03o $((32 + $1)))\\$(printf %03o $((33 + $2)))\\$(printf %03o $((33 + $3)))"
}
press() { # press X Y: button 1 down and up
    tui_type "$(mouse_bytes 0 "$1" "$2")$(mouse_bytes 3 "$1" "$2")"
}
cursor_at() {
    [ "$(tui_display '#{cursor_y}')" = "$1" ]
}

tui_start 80 24 -- --config mouse.yaml --lakehouse lake
tui_wait_for "found 8 Delta tables"
[ "$(tui_display '#{mouse_any_flag}')" = "1" ] || tui_fail "ui.mouse did not turn mouse reports on"
tui_poll cursor_at 4 || tui_fail "the cursor is not on the first row"
press 10 5
tui_poll cursor_at 5 || tui_fail "a press on contact did not select it"
tui_expect_screen mouse-selected "lake/Tables/contact"
press 10 5
tui_wait_for "History of contact"
tui_keys Escape
tui_wait_for "Tables (8)"
tui_type "$(mouse_bytes 0 10 7)$(mouse_bytes 3 10 7)$(mouse_bytes 0 10 7)$(mouse_bytes 3 10 7)"
tui_wait_for "History of email"
tui_keys Escape
tui_wait_for "Tables (8)"
tui_poll cursor_at 7 || tui_fail "back on the overview, email is not selected"
tui_type "$(mouse_bytes 65 10 7)"
tui_poll cursor_at 10 || tui_fail "the wheel did not move the selection down three rows"
tui_type "$(mouse_bytes 64 10 7)$(mouse_bytes 64 10 7)"
tui_poll cursor_at 4 || tui_fail "the wheel did not move the selection back up"
# A press on the header or under the list does nothing.
press 10 3
press 10 20
tui_poll cursor_at 4 || tui_fail "a press outside the rows moved the selection"
tui_stop

tui_start 80 24 -- --lakehouse lake
tui_wait_for "found 8 Delta tables"
[ "$(tui_display '#{mouse_any_flag}')" = "0" ] || tui_fail "mouse reports are on by default"
press 10 5
tui_keys j k
tui_poll cursor_at 4 || tui_fail "without ui.mouse a press moved the selection"
tui_expect_screen mouse-off "lake/Tables/account"
tui_keys q
tui_wait_exit
[ "$TUI_EXIT_STATUS" = 0 ] || tui_fail "the console exited with $TUI_EXIT_STATUS"
