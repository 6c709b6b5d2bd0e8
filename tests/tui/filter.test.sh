#!/usr/bin/env bash
# / filters the overview live as you type; Enter keeps the filter, Esc clears it.
. "$(dirname "$0")/lib.sh"
for t in account contact donation opportunity; do tui_make_table "$T_DIR/lake" "$t"; done
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 4 Delta tables"
tui_keys /
tui_type "on"
tui_expect_screen filter-typing "/on"
tui_keys Enter
tui_expect_screen filter-kept "filter: on"
tui_keys /
tui_type "zz"
tui_keys Enter
tui_wait_for "No table matches 'onzz'."
tui_keys Escape
tui_wait_for "Tables (4)"
