#!/usr/bin/env bash
# A table whose name holds escape sequences (OSC set-title ... BEL, CSI colour) is shown with
# visible stand-ins; nothing reaches the terminal: the pane title is untouched and no red
# appears on the row.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" $'evil\e]0;pwned\a\e[31mred'
tui_make_table "$T_DIR/lake" $'tab\there'
tui_start 100 30 -- --lakehouse lake
tui_expect_screen hostile-name "found 3 Delta tables"
[ "$(tui_display '#{pane_title}')" != "pwned" ] || tui_fail "the OSC sequence set the title"
if tui_capture_e | grep -F 'evil' | grep -qF $'\e[31m'; then
    tui_fail "the CSI colour sequence reached the terminal"
fi
