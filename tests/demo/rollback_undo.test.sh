#!/usr/bin/env bash
# rollback_undo.test.sh - the demo's story through the real binary: roll the whole lakehouse back
# to the last good checkpoint (most tables have nothing to do), then undo that run: every table
# the rollback touched is back at its bad-sync content, and the untouched ones never moved.
set -euo pipefail
BIN=${LR_BIN:?}
T=$(mktemp -d "${LR_TEST_TMP:-/tmp}/demo-undo-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$T XDG_CONFIG_HOME=$T/no-config
json() { node -e 'const d=JSON.parse(require("fs").readFileSync(0,"utf8"));
  console.log(process.argv[1].split(".").reduce((o,k)=>o[k],d))' "$1"; }
paths() { "$BIN" table show "$T/lake/Tables/$1" --files --json |
  node -e 'const d=JSON.parse(require("fs").readFileSync(0,"utf8"));
    console.log(d.files.map(f=>f.path).sort().join("\n"))'; }

"$BIN" demo "$T/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
for t in account donation appointment; do paths $t >"$T/$t.bad"; done

set +e
"$BIN" --lakehouse "$T/lake" rollback before-nightly-sync --json >"$T/impact.json"; rc=$?
set -e
[ $rc -eq 5 ] || fail "dry run exit $rc"
phrase=$(json confirmation_phrase <"$T/impact.json")
"$BIN" --lakehouse "$T/lake" rollback before-nightly-sync --execute --confirm "$phrase" --json \
  >"$T/run.json" 2>"$T/run.err" || fail "rollback: $(tail -3 "$T/run.err")"
[ "$(json status <"$T/run.json")" = succeeded ] || fail "rollback status: $(cat "$T/run.json")"
run=$(json run_id <"$T/run.json")
paths account >"$T/account.good"
cmp -s "$T/account.bad" "$T/account.good" && fail "the rollback did not change account"

set +e
"$BIN" --lakehouse "$T/lake" undo "$run" --json >"$T/undo-impact.json" 2>"$T/undo.err"; rc=$?
set -e
[ $rc -eq 5 ] || fail "undo dry run exit $rc: $(tail -3 "$T/undo.err")"
uphrase=$(json confirmation_phrase <"$T/undo-impact.json")
"$BIN" --lakehouse "$T/lake" undo "$run" --execute --confirm "$uphrase" --json \
  >"$T/undo.json" 2>"$T/undo.err" || fail "undo: $(tail -3 "$T/undo.err")"
[ "$(json status <"$T/undo.json")" = succeeded ] || fail "undo status: $(cat "$T/undo.json")"
# Tables the rollback found already at the checkpoint are not warned about (nothing to undo).
grep -q "appointment" "$T/undo.err" "$T/undo-impact.json" &&
  fail "undo warns about appointment, which the rollback never touched"
for t in account donation appointment; do
  paths $t >"$T/$t.after"
  cmp -s "$T/$t.bad" "$T/$t.after" || fail "$t is not back at its pre-rollback files"
done
echo "rollback_undo: ok"
