#!/usr/bin/env bash
# The console's layering rules, checked in the source: curses only in tui/term.c; nothing in
# core/ includes curses; tui/ never includes libcurl, a store backend's private header or
# Parquet/Delta internals (it calls core/ APIs only); the console (tui/ outside the headless
# commands in tui/cli/, which print JSON) does not include jansson either.
set -euo pipefail
: "${LR_SOURCE_DIR:?}"
cd "$LR_SOURCE_DIR"
status=0
curses=$(grep -rlE '#include[[:space:]]*<n?curses(w)?\.h>|#include[[:space:]]*<ncursesw/' \
    tui core | grep -v '^tui/term\.c$' || true)
if [ -n "$curses" ]; then
    echo "curses included outside tui/term.c:" >&2
    echo "$curses" >&2
    status=1
fi
internal='(curl/|lakerewind/sys/|(core/)?(store|parquet|delta)/)'
banned=$(grep -rnE "#include[[:space:]]*[<\"]$internal" tui || true)
banned+=$(grep -rnE '#include[[:space:]]*<jansson\.h>' tui --exclude-dir=cli || true)
if [ -n "$banned" ]; then
    echo "tui/ includes what only core/ may use:" >&2
    echo "$banned" >&2
    status=1
fi
exit $status
