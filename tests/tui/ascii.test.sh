#!/usr/bin/env bash
# Without a UTF-8 locale (or with ui.ascii, LAKEREWIND_ASCII=1) the console draws with ASCII
# only: lines, sort arrow, loading marks, ellipses. A non-ASCII name shows as \u00e9 in a
# non-UTF-8 locale (the locale cannot say it is printable) and as '?' with LAKEREWIND_ASCII=1.
. "$(dirname "$0")/lib.sh"
tui_make_table "$T_DIR/lake" account
tui_make_table "$T_DIR/lake" $'caf\xc3\xa9'
tui_start 100 30 LANG=C LC_ALL=C -- --lakehouse lake
tui_expect_screen ascii "found 2 Delta tables"
if tui_capture | LC_ALL=C grep -q $'[\x80-\xff]'; then
    tui_fail "non-ASCII bytes on an ASCII screen"
fi
tui_keys '?'
tui_wait_for "+- Help - Esc or ? closes -"
tui_stop
tui_start 100 30 LAKEREWIND_ASCII=1 -- --lakehouse lake
tui_expect_screen ascii-forced "found 2 Delta tables"
