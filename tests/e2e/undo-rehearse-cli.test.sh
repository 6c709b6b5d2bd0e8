#!/usr/bin/env bash
# undo-rehearse-cli.test.sh - `lakerewind undo RUN_ID --rehearse` through the binary after a real
# one-table rollback of the demo lakehouse: exit 5 (dry run), the JSON says rehearsal, what the
# undo would have ended as and the version its restore commit would have taken; no file changes
# outside the audit log; the audit rows it wrote are dry-run rows; a wrong phrase is refused
# (exit 3); --rehearse with --execute is a usage error (exit 2).
set -euo pipefail
BIN=${LR_BIN:?}
fail() { echo "FAIL: $*" >&2; exit 1; }
D=$(mktemp -d "${LR_TEST_TMP:-/tmp}/undo-rehearse.XXXXXX")
trap 'rm -rf "$D"' EXIT
export HOME=$D XDG_CONFIG_HOME=$D/no-config
"$BIN" demo "$D/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
LR() { "$BIN" --lakehouse "$D/lake" "$@"; }
set +e
LR rollback before-nightly-sync --tables account --json >"$D/dry.json" 2>/dev/null
set -e
phrase=$(sed -n 's/.*"confirmation_phrase": *"\([^"]*\)".*/\1/p' "$D/dry.json")
LR rollback before-nightly-sync --tables account --execute --confirm "$phrase" --json \
    >"$D/run.json" 2>/dev/null || fail "rollback --execute"
run=$(sed -n 's/.*"run_id": *"\([^"]*\)".*/\1/p' "$D/run.json" | head -1)
[ -n "$run" ] || fail "no run id"

listing() { (cd "$D/lake" && find . -type f ! -path './Tables/metadata/SyncAuditLog/*' | sort); }
listing >"$D/before"
audit_before=$(ls "$D/lake/Tables/metadata/SyncAuditLog/_delta_log" | wc -l)
set +e
LR undo "$run" --rehearse --json >"$D/out.json" 2>"$D/err"
rc=$?
set -e
[ "$rc" = 5 ] || fail "exit $rc, not 5: $(cat "$D/err")"
grep -q '"rehearsal": true' "$D/out.json" || fail "no rehearsal flag: $(cat "$D/out.json")"
grep -q '"would_end": "succeeded"' "$D/out.json" || fail "would_end"
grep -q '"would_write_version": 34' "$D/out.json" || fail "account would write v34"
listing >"$D/after"
diff -u "$D/before" "$D/after" || fail "an undo rehearsal changed files outside the audit log"
audit_after=$(ls "$D/lake/Tables/metadata/SyncAuditLog/_delta_log" | wc -l)
[ "$audit_after" -gt "$audit_before" ] || fail "no audit rows written"
undo_run=$(sed -n 's/.*"run_id": *"\([^"]*\)".*/\1/p' "$D/out.json" | head -1)
for f in "$D"/lake/Tables/metadata/SyncAuditLog/*.parquet; do
    "$BIN" inspect parquet "$f" --json
done | grep "\"PipelineRunId\":\"$undo_run\"" >"$D/audit.jsonl" || fail "no audit row of the undo"
if grep -q '"IsDryRun":false' "$D/audit.jsonl"; then fail "a non-dry-run audit row"; fi
grep '"Operation":"DryRun"' "$D/audit.jsonl" | grep -q 'rehearsal' ||
    fail "no DryRun audit row saying rehearsal"

set +e
LR undo "$run" --rehearse --confirm "UNDO 9 TABLES OF RUN ${run:0:8} 000000" >/dev/null 2>&1
rc=$?
LR undo "$run" --rehearse --execute --confirm x >/dev/null 2>&1
rc2=$?
set -e
[ "$rc" = 3 ] || fail "a wrong phrase exited $rc, not 3"
[ "$rc2" = 2 ] || fail "--rehearse --execute exited $rc2, not 2"
listing >"$D/after2"
diff -u "$D/before" "$D/after2" || fail "a refused rehearsal changed files"
echo ok
