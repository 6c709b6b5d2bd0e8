#!/usr/bin/env bash
# Shrinking the terminal to 60x20 replaces the console with a clear "too small" message (the
# mode banner stays); growing it back redraws the overview exactly as before.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact
tui_start 100 30 -- --lakehouse lake
tui_expect_screen resize-before "found 2 Delta tables"
tmux -L "$TUI_SOCK" resize-window -t main -x 60 -y 20
tui_expect_screen resize-small "too small"
tmux -L "$TUI_SOCK" resize-window -t main -x 100 -y 30
tui_expect_screen resize-before
# Exactly 80x24 is enough.
tmux -L "$TUI_SOCK" resize-window -t main -x 80 -y 24
tui_expect_screen resize-80x24 "Tables (2)"
