#!/usr/bin/env bash
# cli.test.sh - the command line's own behaviour: --help, --version, help COMMAND, unknown
# commands and options, options missing their value; exit codes from tui/cli/cli.h
# (0 ok, 2 usage).
set -euo pipefail
BIN=${LR_BIN:?LR_BIN not set}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/cli-XXXXXX")
export HOME=$T XDG_CONFIG_HOME=$T/xdg   # no user configuration leaks in
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "expected '$2' in $1"; }; }
# run CODE ARGS...: run the binary, expect exit CODE; stdout in $T/out, stderr in $T/err.
run() {
  local want=$1; shift
  local got=0
  "$BIN" "$@" >"$T/out" 2>"$T/err" </dev/null || got=$?
  [ "$got" -eq "$want" ] || { cat "$T/out" "$T/err"; fail "lakerewind $* exited $got, want $want"; }
}

run 0 --help
has "$T/out" "usage: lakerewind [global options]"
for opt in --config --profile --lakehouse --read-only --live --guided --log --stats --version --help; do
  has "$T/out" "  $opt"
done
# Every command of the table is listed with its usage line.
for cmd in config version; do
  grep -qE "^  $cmd( |$)" "$T/out" || fail "--help does not list $cmd"
done
[ ! -s "$T/err" ] || fail "--help wrote to stderr"
cp "$T/out" "$T/help"
run 0 -h
cmp -s "$T/out" "$T/help" || fail "-h differs from --help"
run 0 help
cmp -s "$T/out" "$T/help" || fail "help differs from --help"

run 0 --version
grep -qE '^lakerewind [0-9]+\.[0-9]+\.[0-9]+' "$T/out" || fail "--version: $(cat "$T/out")"
cp "$T/out" "$T/version"
run 0 version
cmp -s "$T/out" "$T/version" || fail "version differs from --version"

run 0 help config
has "$T/out" "usage: lakerewind [global options] config check|paths|keys [--json]"
run 0 config --help
has "$T/out" "config check|paths|keys"
run 2 help nosuch
has "$T/err" "lakerewind: no command 'nosuch' (see lakerewind --help)"

run 2 frobnicate
has "$T/err" "lakerewind: unknown command 'frobnicate' (see lakerewind --help)"
[ ! -s "$T/out" ] || fail "unknown command wrote to stdout"
run 2 --frob
has "$T/err" "lakerewind: unknown option --frob (see lakerewind --help)"
run 2 config
has "$T/err" "missing subcommand (expected check, paths or keys"
run 2 config frob
has "$T/err" "unknown subcommand"
run 2 config check --bogus
has "$T/err" "unknown option --bogus"

for opt in --config --profile --lakehouse --log; do
  run 2 "$opt"
  has "$T/err" "lakerewind: $opt needs a value (see lakerewind --help)"
done
run 2 --config --profile dev config check
has "$T/err" "--config needs a value"
# --opt=value works like --opt value.
run 1 --config="$T/missing.yaml" config paths
has "$T/err" "$T/missing.yaml (from --config)"
run 0 --profile=dev --lakehouse="$T" version
# LAKEREWIND_NOW that cannot be read is said, not silently ignored; a good one is quiet.
LAKEREWIND_NOW=yesterday run 0 version
has "$T/err" "LAKEREWIND_NOW=yesterday is not YYYY-MM-DD"
LAKEREWIND_NOW=2026-11-26T19:30Z run 0 version
[ ! -s "$T/err" ] || { cat "$T/err"; fail "a valid LAKEREWIND_NOW printed a warning"; }
echo "cli: ok"
