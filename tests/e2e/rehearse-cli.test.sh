#!/usr/bin/env bash
# rehearse-cli.test.sh - `lakerewind rollback CHECKPOINT --rehearse` through the binary on the
# demo lakehouse: exit 5 (dry run), the JSON says rehearsal and what the run would have ended
# as, with the version each restore commit would have taken; no file changes outside the audit
# log (no table commit, no journal, no checkpoint row); a wrong phrase is refused (exit 3);
# --rehearse with --execute is a usage error (exit 2).
set -euo pipefail
BIN=${LR_BIN:?}
fail() { echo "FAIL: $*" >&2; exit 1; }
D=$(mktemp -d "${LR_TEST_TMP:-/tmp}/rehearse.XXXXXX")
trap 'rm -rf "$D"' EXIT
export HOME=$D XDG_CONFIG_HOME=$D/no-config
"$BIN" demo "$D/lake" --no-tui --as-of 2026-11-26 --scale 5 >/dev/null
listing() { (cd "$D/lake" && find . -type f ! -path './Tables/metadata/SyncAuditLog/*' | sort); }
listing >"$D/before"
audit_before=$(ls "$D/lake/Tables/metadata/SyncAuditLog/_delta_log" | wc -l)

set +e
"$BIN" --lakehouse "$D/lake" rollback before-nightly-sync --rehearse --json >"$D/out.json" \
    2>"$D/err"
rc=$?
set -e
[ "$rc" = 5 ] || fail "exit $rc, not 5: $(cat "$D/err")"
grep -q '"rehearsal": true' "$D/out.json" || fail "no rehearsal flag: $(cat "$D/out.json")"
grep -q '"would_end": "succeeded"' "$D/out.json" || fail "would_end"
grep -q '"status": "dry-run"' "$D/out.json" || fail "status"
grep -q '"would_write_version": 33' "$D/out.json" || fail "account would write v33"
grep -q '"post_rollback_checkpoint": null' "$D/out.json" || fail "a post-rollback checkpoint"
listing >"$D/after"
diff -u "$D/before" "$D/after" || fail "a rehearsal changed files outside the audit log"
audit_after=$(ls "$D/lake/Tables/metadata/SyncAuditLog/_delta_log" | wc -l)
[ "$audit_after" -gt "$audit_before" ] || fail "no audit rows written"
# The audit log records it as a dry run (operation DryRun, IsDryRun, rehearsal in Details).
for f in "$D"/lake/Tables/metadata/SyncAuditLog/*.parquet; do
    "$BIN" inspect parquet "$f" --json
done >"$D/audit.jsonl"
grep '"Operation":"DryRun"' "$D/audit.jsonl" | grep -q '"IsDryRun":true' ||
    fail "no DryRun audit row with IsDryRun"
grep '"Operation":"DryRun"' "$D/audit.jsonl" | grep -q 'rehearsal' ||
    fail "the DryRun audit row does not say rehearsal"

# Events: the same steps as an execution (5, 6, 7, 8) and per-table states.
set +e
"$BIN" --lakehouse "$D/lake" rollback before-nightly-sync --rehearse --events >"$D/ev" 2>&1
set -e
for step in pre_rollback_snapshot restore post_validation report; do
  grep -q "\"step\":\"$step\"" "$D/ev" || fail "no $step step event"
done
grep -q '"table":"account","state":"snapshotting"' "$D/ev" || fail "account snapshotting"
grep -q '"would_write_version":33' "$D/ev" || fail "account would_write_version event"

set +e
"$BIN" --lakehouse "$D/lake" rollback before-nightly-sync --rehearse \
    --confirm 'ROLLBACK 1 TABLES TO before-nightly-sync 000000' >/dev/null 2>&1
rc=$?
"$BIN" --lakehouse "$D/lake" rollback before-nightly-sync --rehearse --execute \
    --confirm x >/dev/null 2>&1
rc2=$?
set -e
[ "$rc" = 3 ] || fail "a wrong phrase: exit $rc, not 3"
[ "$rc2" = 2 ] || fail "--rehearse --execute: exit $rc2, not 2"
listing >"$D/after"
diff -u "$D/before" "$D/after" || fail "files changed"
echo "rehearse-cli: ok"
