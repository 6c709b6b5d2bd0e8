# Bearer tokens against Azurite started with --oauth basic over HTTPS (self-signed certificate,
# passed as ca_bundle), issued by the local token endpoint: the client-credentials request,
# caching (one token for many requests), refresh before expiry (a token inside the refresh
# margin is replaced), a failing token request retried, workload identity, managed identity, a
# static token, TLS verification, and a wrong secret reported without the secret.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite-oauth
load_env token
unset AZURE_STORAGE_ACCOUNT_KEY AZURE_STORAGE_USE_EMULATOR AZURE_STORAGE_ACCOUNT_NAME
FED="$AZURE_FEDERATED_TOKEN_FILE" IE="$IDENTITY_ENDPOINT" IH="$IDENTITY_HEADER"
unset AZURE_FEDERATED_TOKEN_FILE AZURE_MSI_ENDPOINT IDENTITY_ENDPOINT IDENTITY_HEADER
CID="$AZURE_CLIENT_ID" CSECRET="$AZURE_CLIENT_SECRET"
U="az://$LR_AZURITE_CONTAINER/bearer-$$"
O=(--opt "azure_endpoint=$LR_AZURITE_BLOB_URL" --opt azure_storage_account_name=devstoreaccount1
   --opt "ca_bundle=$LR_AZURITE_CA")
tstats() { curl -sS "$LR_TOKEN_CONTROL_URL"; }
issued() { tstats | sed -n 's/.*"issued":\([0-9]*\).*/\1/p'; }

control "$LR_TOKEN_CONTROL_URL" '{"resetStats":true,"lifetime":3600}'
"$TOOL" "${O[@]}" "$U" put a.json hello
out=$("$TOOL" "${O[@]}" "$U" tokens 20 a.json)
[ "$out" = "tokens=1" ] || fail "20 reads should share one token: $out"
[ "$(issued)" = 2 ] || fail "token endpoint issued $(issued) tokens for 2 store opens: $(tstats)"
tstats | grep -q '"client_credentials":2\|"clientCredentials":2\|"client-credentials":2' ||
  fail "not the client-credentials flow: $(tstats)"
ok "client credentials: one token per store, cached across 20 requests"

control "$LR_TOKEN_CONTROL_URL" '{"resetStats":true,"lifetime":120}'
out=$("$TOOL" "${O[@]}" "$U" tokens 5 a.json)
[ "$out" = "tokens=5" ] || fail "a token inside the 300 s margin must be refreshed each time: $out"
out=$("$TOOL" "${O[@]}" --opt azure_token_refresh_margin=60s "$U" tokens 5 a.json)
[ "$out" = "tokens=1" ] || fail "with a 60 s margin a 120 s token is reused: $out"
ok "tokens are refreshed before they expire (margin honoured)"

control "$LR_TOKEN_CONTROL_URL" '{"resetStats":true,"lifetime":3600,"failNext":1}'
"$TOOL" "${O[@]}" "$U" get a.json | grep -qx hello || fail "read after a failed token request"
tstats | grep -q '"failedInjected":1' || fail "no token failure was injected: $(tstats)"
ok "a token request answered 500 is retried"

out=$(AZURE_FEDERATED_TOKEN_FILE="$FED" "$TOOL" "${O[@]}" "$U" get a.json)
[ "$out" = hello ] || fail "workload identity: $out"
unset AZURE_CLIENT_ID AZURE_CLIENT_SECRET
out=$(IDENTITY_ENDPOINT="$IE" IDENTITY_HEADER="$IH" "$TOOL" "${O[@]}" "$U" get a.json)
[ "$out" = hello ] || fail "managed identity (IDENTITY_ENDPOINT): $out"
out=$(AZURE_MSI_ENDPOINT="$LR_IMDS_URL" "$TOOL" "${O[@]}" "$U" get a.json)
[ "$out" = hello ] || fail "managed identity (IMDS): $out"
tstats | grep -q '"issued":[3-9]' || fail "token endpoint saw too few requests: $(tstats)"
ok "workload identity and managed identity (IMDS and App Service style) work"

TOKEN=$(curl -sS -X POST --data-urlencode "client_id=$CID" --data-urlencode "client_secret=$CSECRET" \
  --data-urlencode "scope=https://storage.azure.com/.default" --data-urlencode grant_type=client_credentials \
  "$LR_TOKEN_URL" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || fail "no token from the endpoint"
out=$(AZURE_STORAGE_TOKEN="$TOKEN" "$TOOL" "${O[@]}" "$U" get a.json)
[ "$out" = hello ] || fail "static token: $out"
ok "a static bearer token (AZURE_STORAGE_TOKEN) works"

export AZURE_CLIENT_ID="$CID" AZURE_CLIENT_SECRET="$CSECRET"
if "$TOOL" --opt "azure_endpoint=$LR_AZURITE_BLOB_URL" --opt azure_storage_account_name=devstoreaccount1 \
    "$U" get a.json 2> "$WORK/tls"; then
  fail "a self-signed certificate was accepted without ca_bundle"
fi
grep -qi "certificate" "$WORK/tls" || fail "unclear TLS error: $(cat "$WORK/tls")"
ok "TLS verification stays on: $(cat "$WORK/tls")"

if AZURE_CLIENT_SECRET="not-the-secret-4f9c2e7a1b" "$TOOL" --log "$WORK/debug.log" "${O[@]}" \
    "$U" get a.json > "$WORK/out" 2> "$WORK/err"; then
  fail "a wrong client secret was accepted"
fi
grep -q EAUTH "$WORK/err" || fail "unclear error: $(cat "$WORK/err")"
grep -q invalid_client "$WORK/err" || fail "no AAD error code: $(cat "$WORK/err")"
if grep -rq "not-the-secret-4f9c2e7a1b" "$WORK"; then fail "the client secret leaked"; fi
ok "a wrong client secret: $(cat "$WORK/err")"
