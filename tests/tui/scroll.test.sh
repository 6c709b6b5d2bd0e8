#!/usr/bin/env bash
# More tables than rows: the list scrolls with the selection (Down, PgDn, End, Home, g/G), the
# cursor stays on the selected row, and :table NAME finds a table by filter.
. "$(dirname "$0")/lib.sh"
for i in $(seq -w 1 40); do tui_make_table "$T_DIR/lake" "table_$i"; done
tui_start 100 30 -- --lakehouse lake
tui_wait_for "found 40 Delta tables"
tui_keys End
tui_expect_screen scroll-end "table_40  │"
[ "$(tui_display '#{cursor_y}')" = "24" ] || tui_fail "cursor not on the last visible row"
tui_keys PPage
tui_wait_for "table_20  │"
tui_keys g
tui_wait_for "table_01  │"
[ "$(tui_display '#{cursor_y}')" = "4" ] || tui_fail "cursor not on the first row"
tui_keys j j j
tui_wait_for "table_04  │"
[ "$(tui_display '#{cursor_y}')" = "7" ] || tui_fail "cursor did not follow j"
tui_keys : ; tui_type "table 33"; tui_keys Enter
tui_expect_screen scroll-table-command "filter: 33"
