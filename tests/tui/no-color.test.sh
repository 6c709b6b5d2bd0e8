#!/usr/bin/env bash
# NO_COLOR: no colour in any SGR sequence, while attributes (reverse for the selection and the
# banner) still tell the roles apart; the same screen with colours does use colour (so the
# check can fail).
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 2 Delta tables"
tui_has_colour_sgr || tui_fail "the default theme drew no colour at all"
tui_stop
tui_start 100 30 NO_COLOR=1 -- --lakehouse lake
tui_expect_screen no-color "found 2 Delta tables"
if tui_has_colour_sgr; then
    tui_capture_e | cat -v >&2
    tui_fail "colour SGR sequences drawn under NO_COLOR"
fi
tui_capture_e | grep -qE $'\e\\[([0-9;]*;)?7(;[0-9;]*)?m' || tui_fail "no reverse video left"
