#!/usr/bin/env bash
# ? opens the help overlay generated from the key tables (screen keys, global keys, commands);
# ? again closes it, Esc closes it too, and the overview is back unchanged.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" contact
tui_start 100 30 -- --lakehouse lake
tui_expect_screen help-before "found 2 Delta tables"
tui_keys '?'
tui_expect_screen help-overlay "Keys on this screen"
tui_keys '?'
tui_expect_screen help-before
tui_keys '?'
tui_wait_for "Keys on this screen"
tui_keys Escape
tui_expect_screen help-before
