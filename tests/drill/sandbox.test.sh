#!/usr/bin/env bash
# sandbox.test.sh - drill sandboxes are deterministic (two builds of a scenario with the same
# --as-of/--seed/--scale give byte-identical table files for every table the setup does not
# touch with real-time commits), carry the scenario's variation (the incident only where the
# story says, the deployment's schema change), print the incident, and score 0 (not passed)
# when the trainee has done nothing.
set -euo pipefail
BIN=${LR_BIN:?}
BASE=${LR_TEST_TMP:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && BASE=/dev/shm
T=$(mktemp -d "$BASE/drill-sandbox-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$T XDG_CONFIG_HOME=$T/no-config

"$BIN" drill run schema-change --dir "$T/a" --as-of 2026-03-01 --scale 2 >"$T/a.out"
"$BIN" drill run schema-change --dir "$T/b" --as-of 2026-03-01 --scale 2 >"$T/b.out"
grep -q 'Incident:' "$T/a.out" || fail "no incident printed: $(cat "$T/a.out")"
grep -q 'deploymentscore' "$T/a.out" || fail "story lacks the new column"
grep -q "drill score schema-change --dir $T/a" "$T/a.out" || fail "no score command printed"

# account and campaign get real-time sync batches after the incident; the rest is generated
for t in contact donation opportunity lead; do
  (cd "$T/a/Tables/$t" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$T/a.$t"
  (cd "$T/b/Tables/$t" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$T/b.$t"
  [ -s "$T/a.$t" ] || fail "$t: no files"
  diff -q "$T/a.$t" "$T/b.$t" >/dev/null || fail "$t differs between two builds"
done
[ "$(ls "$T/a/Tables" | grep -v metadata | sort | tr '\n' ' ')" = \
  "account campaign contact donation lead opportunity " ] || fail "tables: $(ls "$T/a/Tables")"

# the variation: the schema change is the newest commit of opportunity, and only opportunity
# had a bad sync (account's last generated commit is an ordinary sync, then the later batch)
"$BIN" table history "$T/a/Tables/opportunity" --json >"$T/opp.json"
[ "$(jq -r '.[0].operation' "$T/opp.json")" = "ADD COLUMNS" ] || fail "opportunity: $(jq -c '.[0]' "$T/opp.json")"
"$BIN" table show "$T/a/Tables/opportunity" --json | jq -e '.metadata.schema_string | test("deploymentscore")' \
  >/dev/null || fail "opportunity schema lacks deploymentscore"
"$BIN" table history "$T/a/Tables/contact" --json | jq -e '[.[] | select(.timestamp != null)] | length > 20' \
  >/dev/null || fail "contact history too short"

# nothing done yet: score 0, not passed, and the debrief says why
"$BIN" drill score schema-change --dir "$T/a" --json >"$T/score.json"
[ "$(jq -r .score "$T/score.json")" = 0 ] || fail "idle score: $(jq -r .debrief "$T/score.json")"
[ "$(jq -r .passed "$T/score.json")" = false ] || fail "idle drill passed"
jq -e '.debrief | test("no rollback was executed")' "$T/score.json" >/dev/null ||
  fail "debrief: $(jq -r .debrief "$T/score.json")"
# a second sandbox into the same folder is refused
if "$BIN" drill run schema-change --dir "$T/a" --scale 2 >/dev/null 2>"$T/err"; then
  fail "a sandbox was built over an existing one"
fi
grep -q 'already holds' "$T/err" || fail "error: $(cat "$T/err")"
echo "ok drill sandboxes"

# Interactive writer-running: the background writer commits to account once the trainee's first
# dry run is in the audit log (waited for by polling the table's history, at most 60 s).
"$BIN" drill run writer-running --dir "$T/w" --scale 2 >"$T/w.out"
grep -q 'A sync writer is still running' "$T/w.out" || fail "no writer announced: $(cat "$T/w.out")"
before=$("$BIN" table history "$T/w/Tables/account" --json | jq length)
"$BIN" --lakehouse "$T/w" rollback before-nightly-sync --tables account >/dev/null 2>&1 || true
for _ in $(seq 1 120); do
  now=$("$BIN" table history "$T/w/Tables/account" --json | jq length)
  [ "$now" -gt "$before" ] && break
  sleep 0.5
done
[ "$now" -gt "$before" ] || fail "the writer did not commit after the dry run"
"$BIN" table history "$T/w/Tables/account" --json | jq -e '.[0].user_name | test("still running")' \
  >/dev/null || fail "newest account commit is not the writer's"
echo "ok interactive writer"
