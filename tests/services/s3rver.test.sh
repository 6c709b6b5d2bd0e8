# s3rver (pinned 3.7.1): starts with the legacy OpenSSL provider (needed for its V2 paging tokens),
# pages ListObjectsV2, and - the reason it is here - ignores If-None-Match: * on PUT, so it stands
# for "a store without conditional create" in the refusal-path tests.
. "$(dirname "$0")/lib.sh"
R="$T-s3rver"
svc_start s3rver "$R"
load_env "$R"
U="$AWS_ENDPOINT_URL/$LR_S3_BUCKET"
SIG=(--aws-sigv4 "aws:amz:$AWS_REGION:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
for i in 1 2 3; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${SIG[@]}" -X PUT -H 'If-None-Match: *' --data-binary "v$i" "$U/k$i")
  [ "$code" = 200 ] || fail "put k$i: $code"
done
code=$(curl -s -o /dev/null -w '%{http_code}' "${SIG[@]}" -X PUT -H 'If-None-Match: *' --data-binary "again" "$U/k1")
body=$(curl -s "${SIG[@]}" "$U/k1")
[ "$code" = 200 ] && [ "$body" = again ] || fail "expected s3rver to overwrite despite If-None-Match: $code $body"
ok "s3rver ignores If-None-Match: * (overwrites with 200)"
page=$(curl -s "${SIG[@]}" "$U?list-type=2&max-keys=2")
case "$page" in *'<NextContinuationToken>'*'<IsTruncated>true</IsTruncated>'*) ;; *) fail "paging: $page";; esac
ok "ListObjectsV2 paging works (legacy provider on)"
svc_stop_checked "$R"
