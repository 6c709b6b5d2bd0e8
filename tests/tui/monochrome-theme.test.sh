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
tui_stop
# :theme switches at run time; an unknown theme is an error and the current theme stays.
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 2 Delta tables"
tui_has_colour_sgr || tui_fail "the default theme drew no colour"
tui_keys : ; tui_type "theme monochrome"; tui_keys Enter
tui_wait_for "theme: monochrome"
if tui_has_colour_sgr; then
    tui_fail "colour left after :theme monochrome"
fi
tui_keys : ; tui_type "theme nosuch"; tui_keys Enter
tui_wait_for "error: theme: no theme named 'nosuch'"
if tui_has_colour_sgr; then
    tui_fail "a failed :theme changed the theme"
fi
