#!/usr/bin/env bash
# man.test.sh - every man page formats without a warning (groff -man -ww -z, and mandoc -Tlint
# when installed), and lakerewind(1) documents every global option and command that
# `lakerewind --help` shows and every exit code of tui/cli/cli.h.
set -euo pipefail
SRC=${LR_SOURCE_DIR:?} BIN=${LR_BIN:?}
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=${LR_TEST_TMP:-/tmp} XDG_CONFIG_HOME=${LR_TEST_TMP:-/tmp}/no-such-xdg

n=0
for page in "$SRC"/man/*.[1-8]; do
  [ -e "$page" ] || continue
  n=$((n + 1))
  out=$(groff -man -ww -z "$page" 2>&1) || fail "groff failed on $page: $out"
  [ -z "$out" ] || fail "groff warnings in $page:
$out"
  if command -v mandoc >/dev/null; then
    out=$(mandoc -Tlint -W warning "$page" 2>&1) || fail "mandoc -Tlint on $page:
$out"
  fi
done
[ "$n" -gt 0 ] || fail "no man pages under $SRC/man"

PAGE=$SRC/man/lakerewind.1
[ -f "$PAGE" ] || fail "man/lakerewind.1 missing"
# The man source writes '-' as '\-'; compare on the rendered text.
TEXT=$(groff -man -Tutf8 -P -cbou "$PAGE" 2>/dev/null | sed 's/\xe2\x80\x90/-/g')
"$BIN" --help >"${LR_TEST_TMP:-/tmp}/help.$$"
while read -r opt; do
  grep -qF -- "$opt" <<<"$TEXT" || fail "lakerewind.1 does not document $opt"
done < <(grep -oE '^  --[a-z-]+' "${LR_TEST_TMP:-/tmp}/help.$$" | sed 's/^  //')
while read -r cmd; do
  grep -qE -- "(^| )$cmd( |$)" <<<"$TEXT" || fail "lakerewind.1 does not document command $cmd"
done < <(sed -n '/^commands:/,$p' "${LR_TEST_TMP:-/tmp}/help.$$" | grep -oE '^  [a-z]+' | sed 's/^  //')
# Subcommand options too (each subcommand's --help), e.g. rollback --rehearse.
for sub in rollback undo; do
  "$BIN" "$sub" --help >"${LR_TEST_TMP:-/tmp}/help.$$" 2>&1 || true
  while read -r opt; do
    grep -qF -- "$opt" <<<"$TEXT" || fail "lakerewind.1 does not document $sub $opt"
  done < <(grep -oE -- '--[a-z][a-z-]+' "${LR_TEST_TMP:-/tmp}/help.$$" | sort -u)
done
rm -f "${LR_TEST_TMP:-/tmp}/help.$$"
EXIT=$(sed -n '/^EXIT STATUS/,/^[A-Z]/p' <<<"$TEXT")
while read -r code; do
  grep -qE "^ +$code( |\$)" <<<"$EXIT" || fail "lakerewind.1 does not list exit code $code"
done < <(grep -oE 'TUI_EXIT_[A-Z_]+ = [0-9]+' "$SRC/tui/cli/cli.h" | grep -oE '[0-9]+$')
echo "man: ok ($n page(s))"
