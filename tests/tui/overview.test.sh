#!/usr/bin/env bash
# The overview of a generated local lakehouse: every table listed by name, facts not known yet
# shown as loading marks, the dry-run banner, the footer from the key table, and the terminal
# cursor on the selected row (what screen readers follow).
. "$(dirname "$0")/lib.sh"
for t in account contact donation activitypointer opportunity; do
    tui_make_table "$T_DIR/lake" "$t"
done
tui_start 100 30 -- --lakehouse lake
tui_expect_screen overview "found 5 Delta tables"
[ "$(tui_display '#{cursor_y}')" = "4" ] || tui_fail "cursor not on the selected row (row 4)"
tui_keys Down Down
tui_wait_for "contact  │"
[ "$(tui_display '#{cursor_y}')" = "6" ] || tui_fail "cursor did not follow the selection"
tui_keys S
tui_expect_screen overview-sorted-desc "TABLE▼"
