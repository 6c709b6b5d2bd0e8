#!/usr/bin/env bash
# drills.test.sh - every training drill from start to its scored end, headless: each scenario's
# sandbox is built, a scripted good answer (tests/drill/answers/SCENARIO.good) is executed for
# real against it and must pass with full marks; a scripted wrong answer (wrong checkpoint, no
# dry run, wrong scope, no undo, no resume, ...) must fail on the named debrief point. Results
# must land in the DrillResults table and read back. Sandboxes are built small (--scale 2).
set -euo pipefail
BIN=${LR_BIN:?}
HERE=$(cd "$(dirname "$0")" && pwd)
# Sandboxes are many small fsynced files: on a memory file system when there is one.
BASE=${LR_TEST_TMP:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && BASE=/dev/shm
T=$(mktemp -d "$BASE/drill-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$T XDG_CONFIG_HOME=$T/no-config

# field FILE EXPR: one value out of a score document
field() { jq -r "$2" "$1"; }

# The catalog has at least ten scenarios, each with a good and a wrong scripted answer.
"$BIN" drill list --json >"$T/list.json"
n=$(jq length "$T/list.json")
[ "$n" -ge 10 ] || fail "only $n scenarios"
"$BIN" drill list | grep -q '^bad-sync-three' || fail "drill list (text) lacks bad-sync-three"

# wrong answer -> the debrief point that must be lost
declare -A LOST=(
  [bad-sync-three.wrong-scope]=scope
  [purge-donation.wrong-checkpoint]=checkpoint
  [schema-change.no-dry-run]=dry-run-first
  [vacuumed.wrong-scope]=move
  [expired-checkpoint.wrong-checkpoint]=checkpoint
  [writer-running.gave-up]=checkpoint
  [wrong-checkpoint.no-undo]=undo
  [related-tables.wrong-scope]=scope
  [interrupted.new-rollback]=resume
  [expiring-retention.rolled-back]=no-rollback
)

for id in $(jq -r '.[].id' "$T/list.json"); do
  good=$HERE/answers/$id.good
  [ -f "$good" ] || fail "$id: no scripted good answer"
  "$BIN" drill run "$id" --dir "$T/$id.good" --scale 2 --answers "$good" --json \
    >"$T/$id.good.json" 2>"$T/$id.good.log" || fail "$id good: exit $?: $(tail -5 "$T/$id.good.log")"
  score=$(field "$T/$id.good.json" .score)
  [ "$score" = 100 ] && [ "$(field "$T/$id.good.json" .passed)" = true ] ||
    fail "$id: the good answer scored $score: $(field "$T/$id.good.json" .debrief)"
  jq -e '.debrief | test("The right move")' "$T/$id.good.json" >/dev/null ||
    fail "$id: debrief without the right move"
  # the result is in the lakehouse, for the trainer
  "$BIN" drill results --dir "$T/$id.good" --json >"$T/$id.results.json"
  [ "$(jq length "$T/$id.results.json")" = 1 ] || fail "$id: DrillResults rows: $(cat "$T/$id.results.json")"
  [ "$(jq -r '.[0].Scenario' "$T/$id.results.json")" = "$id" ] || fail "$id: DrillResults scenario"
  [ "$(jq -r '.[0].Score' "$T/$id.results.json")" = 100 ] || fail "$id: DrillResults score"
  echo "ok $id: good answer 100 ($(field "$T/$id.good.json" .duration_ms) ms of drill)"
done

for key in "${!LOST[@]}"; do
  id=${key%%.*}
  point=${LOST[$key]}
  "$BIN" drill run "$id" --dir "$T/$key" --scale 2 --answers "$HERE/answers/$key" --json \
    >"$T/$key.json" 2>"$T/$key.log" || fail "$key: exit $?: $(tail -5 "$T/$key.log")"
  [ "$(field "$T/$key.json" .passed)" = false ] ||
    fail "$key passed: $(field "$T/$key.json" .debrief)"
  earned=$(jq -r --arg p "$point" '.points[] | select(.name == $p) | .earned' "$T/$key.json")
  possible=$(jq -r --arg p "$point" '.points[] | select(.name == $p) | .possible' "$T/$key.json")
  [ -n "$earned" ] && [ "$earned" -lt "$possible" ] ||
    fail "$key: point $point earned $earned of $possible: $(field "$T/$key.json" .debrief)"
  score=$(field "$T/$key.json" .score)
  [ "$score" -lt 100 ] || fail "$key: score $score"
  echo "ok $key: $score, lost $point"
done

# Scoring twice appends a second result; the first stays.
"$BIN" drill score bad-sync-three --dir "$T/bad-sync-three.good" --json >/dev/null
[ "$(jq length < <("$BIN" drill results --dir "$T/bad-sync-three.good" --json))" = 2 ] ||
  fail "a second score did not append a result"

# Scoring a sandbox of another scenario is refused by name.
if "$BIN" drill score purge-donation --dir "$T/bad-sync-three.good" 2>"$T/err"; then
  fail "scoring the wrong scenario succeeded"
fi
grep -q 'holds drill bad-sync-three, not purge-donation' "$T/err" || fail "error: $(cat "$T/err")"
"$BIN" drill run no-such-drill --dir "$T/x" 2>"$T/err" && fail "unknown scenario accepted"
grep -q 'no scenario named "no-such-drill"' "$T/err" || fail "error: $(cat "$T/err")"
echo "ok drills"
