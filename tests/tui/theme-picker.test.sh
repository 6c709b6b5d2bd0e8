#!/usr/bin/env bash
# :theme with no name opens a choice dialog of the shipped themes (current one highlighted,
# cursor on it): Down + Enter picks, a digit picks directly, Esc cancels.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 1 Delta table"
tui_keys : ; tui_type "theme"; tui_keys Enter
tui_expect_screen theme-picker "4  monochrome"
[ "$(tui_display '#{cursor_y}')" = "14" ] || tui_fail "cursor not on the current theme"
tui_keys Down Down
tui_wait_for "▶ 3  colorblind"
[ "$(tui_display '#{cursor_y}')" = "16" ] || tui_fail "cursor did not follow the choice"
tui_keys Enter
tui_wait_for "theme: colorblind"
# colorblind draws risk and error in orange (256-colour 208), never red.
tui_keys : ; tui_type "nosuchcommand"; tui_keys Enter
tui_wait_for "error: unknown command"
tui_capture_e | grep -qF $'\e[38;5;208m' || tui_fail "no orange after picking colorblind"
tui_keys : ; tui_type "theme"; tui_keys Enter
tui_wait_for "▶ 3  colorblind"
tui_keys 4
tui_wait_for "theme: monochrome"
if tui_has_colour_sgr; then tui_fail "colour left after picking monochrome"; fi
tui_keys : ; tui_type "theme"; tui_keys Enter
tui_wait_for "▶ 4  monochrome"
tui_keys Escape
tui_wait_for "cancelled: Theme"
