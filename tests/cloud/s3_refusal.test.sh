# A store that ignores If-None-Match: * is detected (the probe creates a key twice) and commits
# are refused with a clear message, unless the options declare a single writer; then creates
# still report "exists" by checking first.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env s3strict
B="lrnoinm$$"
control "$LR_S3_CONTROL_URL" "{\"createBucket\":\"$B\",\"bucket\":\"$B\",\"ignoreIfNoneMatch\":true}"
U="s3://$B/lake"
"$TOOL" "$U" caps | grep -qx "atomic_create=0" || fail "probe did not notice the ignored condition"
ok "probe detects a store that ignores conditional create"
if "$TOOL" "$U" create _delta_log/00000000000000000000.json '{}' 2> "$WORK/err"; then
  fail "a commit was written to a store without conditional create"
fi
grep -q "EUNSUPPORTED" "$WORK/err" || fail "wrong refusal: $(cat "$WORK/err")"
grep -q "single_writer" "$WORK/err" || fail "the refusal does not say how to proceed: $(cat "$WORK/err")"
ok "commit refused: $(cat "$WORK/err")"
"$TOOL" --opt single_writer=true "$U" create _delta_log/00000000000000000000.json first
set +e
"$TOOL" --opt single_writer=true "$U" create _delta_log/00000000000000000000.json second 2>/dev/null
rc=$?
set -e
[ $rc = 3 ] || fail "single-writer second create: exit $rc, want 3 (exists)"
[ "$("$TOOL" "$U" get _delta_log/00000000000000000000.json)" = first ] || fail "overwritten"
ok "single_writer=true: creates go through, a taken name still reports exists"
