# s3rver accepts If-None-Match: * and overwrites anyway: the probe must catch it and refuse.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env s3rver
U="s3://$LR_S3_BUCKET/lake$$"
"$TOOL" "$U" caps | grep -qx "atomic_create=0" || fail "probe did not notice s3rver ignores the condition"
if "$TOOL" "$U" create _delta_log/00000000000000000000.json '{}' 2> "$WORK/err"; then
  fail "a commit was written to s3rver"
fi
grep -q "EUNSUPPORTED" "$WORK/err" || fail "wrong refusal: $(cat "$WORK/err")"
ok "s3rver detected and refused: $(cat "$WORK/err")"
