#!/usr/bin/env bash
# local_errors.test.sh - the local backend's errors as an operator meets them through the real
# binary: a missing lakehouse folder, a file where a folder is expected, and a full disk (a
# 64 KiB tmpfs: needs root to mount; skipped, with ctest's skip code, where that is refused).
set -euo pipefail
BIN=${LR_BIN:?}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/local-errors-XXXXXX")
cleanup() { umount "$T/full" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$T XDG_CONFIG_HOME=$T/no-config

set +e
out=$("$BIN" table show "$T/no-such-table" 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "a missing table folder succeeded"
grep -q "does not exist" <<<"$out" || fail "missing folder: $out"

echo x >"$T/plain-file"
set +e
out=$("$BIN" --lakehouse "$T/plain-file" checkpoints list 2>&1); rc=$?
set -e
[ $rc -ne 0 ] || fail "a file as lakehouse succeeded"
grep -q "is not a folder" <<<"$out" || fail "file as folder: $out"

mkdir -p "$T/full"
if ! mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null; then
  echo "local_errors: cannot mount a small tmpfs here (not root?): disk-full case skipped"
  exit 77
fi
set +e
out=$("$BIN" demo "$T/full/lake" --no-tui --as-of 2026-11-26 --scale 5 2>&1); rc=$?
set -e
[ $rc -eq 1 ] || fail "demo on a full disk: exit $rc, want 1: $out"
grep -q "No space left on device (free disk space or quota, then retry)" <<<"$out" ||
  fail "disk full message: $out"
echo "local_errors: ok"
