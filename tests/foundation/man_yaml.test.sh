#!/usr/bin/env bash
# man_yaml.test.sh - lakerewind.yaml(5) documents every configuration key the binary knows
# (`lakerewind config keys --json`), so the page cannot fall behind the key table.
set -euo pipefail
SRC=${LR_SOURCE_DIR:?} BIN=${LR_BIN:?}
export HOME=${LR_TEST_TMP:-/tmp} XDG_CONFIG_HOME=${LR_TEST_TMP:-/tmp}/no-such-xdg
PAGE=$SRC/man/lakerewind.yaml.5
[ -f "$PAGE" ] || { echo "FAIL: man/lakerewind.yaml.5 missing" >&2; exit 1; }
TEXT=$(groff -man -Tutf8 -P -cbou "$PAGE" 2>/dev/null | sed 's/\xe2\x80\x90/-/g')
keys=$("$BIN" config keys --json | grep -o '"path": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$keys" ] || { echo "FAIL: config keys --json listed nothing" >&2; exit 1; }
n=0
for k in $keys; do
  n=$((n + 1))
  grep -qF -- "$k" <<<"$TEXT" || { echo "FAIL: lakerewind.yaml.5 does not document $k" >&2; exit 1; }
done
echo "man_yaml: ok ($n keys)"
