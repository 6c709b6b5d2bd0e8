# identity_story.sh - sourced by operator_identity_*.test.sh (after lib.sh): one checkpoint and
# one executed rollback on a lakehouse in a cloud store, then every audit row of the run and
# the checkpoint's CreatedBy must name the credential's identity, and no output may hold a
# bearer token (a JWT starts "eyJ").
# identity_story URI WANT
identity_story() {
  local uri=$1 want=$2 lr="${LR_BIN:?}" src="${LAKEREWIND_CORPUS:?}/delta/delta-rs-simple_table"
  [ -d "$src" ] || fail "corpus table $src missing"
  local s1="$WORK/stage1/Tables/account" s2="$WORK/stage2/Tables/account"
  mkdir -p "$s1" "$s2/_delta_log"
  cp -r "$src"/. "$s1"/
  # the checkpoint sees versions 0..2; versions 3 and 4 come after it (the "bad sync")
  mv "$s1/_delta_log/00000000000000000003.json" "$s1/_delta_log/00000000000000000004.json" \
    "$s2/_delta_log/"
  rm -f "$s1/_delta_log/_last_checkpoint"
  export XDG_CONFIG_HOME="$WORK/no-config"
  "$TOOL" "$uri" upload "$WORK/stage1" >/dev/null
  "$lr" --lakehouse "$uri" checkpoints create cp-id --type Manual --json >"$WORK/cp.json" \
    2>"$WORK/cp.err" || fail "checkpoints create: $(cat "$WORK/cp.err")"
  "$TOOL" "$uri" upload "$WORK/stage2" >/dev/null
  local rc=0
  "$lr" --lakehouse "$uri" rollback cp-id --json >"$WORK/dry.json" 2>"$WORK/dry.err" || rc=$?
  [ "$rc" = 5 ] || fail "dry run exit $rc: $(cat "$WORK/dry.err")"
  local phrase run
  phrase=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).confirmation_phrase)' "$WORK/dry.json")
  "$lr" --log "$WORK/debug.log" --lakehouse "$uri" rollback cp-id --execute --confirm "$phrase" \
    --json >"$WORK/run.json" 2>"$WORK/run.err" || fail "rollback: $(cat "$WORK/run.err")"
  run=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).run_id)' "$WORK/run.json")
  "$lr" --lakehouse "$uri" runs show "$run" --json >"$WORK/show.json" 2>"$WORK/show.err" ||
    fail "runs show: $(cat "$WORK/show.err")"
  "$lr" --lakehouse "$uri" checkpoints show cp-id --json >"$WORK/cpshow.json"
  node -e '
    const fs = require("fs");
    const [cpFile, showFile, want] = process.argv.slice(1);
    const cp = JSON.parse(fs.readFileSync(cpFile));
    if (cp.created_by !== want) { console.error(`CreatedBy ${cp.created_by}, wanted ${want}`); process.exit(1); }
    const audit = JSON.parse(fs.readFileSync(showFile)).audit;
    if (audit.length < 3) { console.error(`only ${audit.length} audit rows`); process.exit(1); }
    for (const r of audit) {
      if (r.ExecutedBy !== want) { console.error(`${r.Operation}: ExecutedBy ${r.ExecutedBy}, wanted ${want}`); process.exit(1); }
    }
    console.log(`${audit.length} audit rows by ${want}`);
  ' "$WORK/cpshow.json" "$WORK/show.json" "$want" || fail "the operator is not the credential's identity"
  if grep -l "eyJ" "$WORK"/*.json "$WORK"/*.err "$WORK/debug.log" 2>/dev/null; then
    fail "a bearer token appears in the output above"
  fi
}
