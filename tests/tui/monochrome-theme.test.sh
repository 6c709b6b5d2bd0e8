#!/usr/bin/env bash
# The monochrome theme: attributes only, no colour; the text is the same screen as default.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact
tui_start 100 30 LAKEREWIND_THEME=monochrome -- --lakehouse lake
tui_expect_screen no-color "found 2 Delta tables"
if tui_has_colour_sgr; then
    tui_capture_e | cat -v >&2
    tui_fail "colour SGR sequences drawn by the monochrome theme"
fi
tui_capture_e | grep -qE $'\e\\[([0-9;]*;)?1(;[0-9;]*)?m' || tui_fail "no bold left"
