# No secret appears in any output, debug log or error of failing runs: a wrong account key, a
# tampered SAS signature and a bogus bearer token against Azurite, each run with a debug log.
# The log must exist and hold the requests (so the check cannot pass by logging nothing).
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite
unset AZURE_STORAGE_ACCOUNT_KEY
U="az://$LR_AZURITE_CONTAINER/secrets-$$"
KEY="bGFrZXJld2luZC13cm9uZy1rZXktc2hvdWxkLW5ldmVyLWxlYWstMDEyMzQ1Njc4OQ=="
SIG="Zm9yZ2VkU2lnbmF0dXJlVGhhdE11c3ROb3RMZWFrMDAwMDA%3D"
SAS="sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2099-01-01T00%3A00%3A00Z&sig=$SIG"
TOKEN="eyJhbGciOiJub25lIn0.eyJsZWFrIjoibm8ifQ.bogus-bearer-token-value-0123456789"
run() { # run NAME VAR=value...: a failing get with a debug log; every output kept in $WORK
  local name=$1; shift
  if env "$@" "$TOOL" --log "$WORK/$name.log" "$U" get a.json > "$WORK/$name.out" 2> "$WORK/$name.err"; then
    fail "$name: the request succeeded"
  fi
  grep -q "EAUTH" "$WORK/$name.err" || fail "$name: unclear error: $(cat "$WORK/$name.err")"
  grep -q "http GET" "$WORK/$name.log" || fail "$name: the debug log holds no request"
  echo "  $name: $(cat "$WORK/$name.err")"
}
run key AZURE_STORAGE_ACCOUNT_KEY="$KEY"
run sas AZURE_STORAGE_SAS_TOKEN="$SAS"
run token AZURE_STORAGE_TOKEN="$TOKEN" AZURE_ALLOW_HTTP=true
for secret in "$KEY" "$SIG" "${SIG%\%3D}" "$TOKEN" "SharedKey devstoreaccount1:" "Bearer ey"; do
  if grep -rqF -- "$secret" "$WORK"; then
    fail "secret '$secret' found in: $(grep -rlF -- "$secret" "$WORK")"
  fi
done
ok "no key, SAS signature, token or Authorization value in any output, log or error"
