#!/usr/bin/env bash
# On an 8-colour terminal (TERM=screen) the theme's bright and 256-colour values are reduced
# to the 8 basic colours: no bright (90-97, 100-107) or 256-colour (38;5 / 48;5) SGR codes.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_start 100 30 TERM=screen -- --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_has_colour_sgr || tui_fail "no colour at all on an 8-colour terminal"
if tui_capture_e | grep -qE $'\e\\[([0-9;]*;)?(9[0-7]|10[0-7]|38;5|48;5)(;[0-9;]*)?m'; then
    tui_capture_e | cat -v | head -5 >&2
    tui_fail "bright or 256-colour codes on an 8-colour terminal"
fi
tui_stop
# The same theme on a 256-colour terminal does use bright colours (so the check can fail).
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_capture_e | grep -qE $'\e\\[([0-9;]*;)?(9[0-7]|38;5)(;[0-9;]*)?m' ||
    tui_fail "no bright colour on a 256-colour terminal"
