# tokensvc + azurite-oauth: client-credentials, v1, workload-identity, IMDS and App Service tokens
# are issued and counted; wrong secrets are refused AAD-style; Azurite over HTTPS (self-signed cert
# from the state dir as CA bundle) accepts the issued bearer token and refuses an expired one.
. "$(dirname "$0")/lib.sh"
K="$T-token"; A="$T-azo"
svc_start token "$K"
svc_start azurite-oauth "$A"
load_env "$K"
CA=$(fact "$A.cert")
BLOB=$(fact "$A.url")/$(fact "$A.container")
[ -s "$CA" ] || fail "no CA bundle at $CA"
case "$BLOB" in https://127.0.0.1:*) ;; *) fail "azurite-oauth url $BLOB";; esac

cc() { # cc SECRET -> response body (and status on the last line)
  curl -s -w '\n%{http_code}' -X POST "$LR_TOKEN_URL" -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$AZURE_CLIENT_ID" \
    --data-urlencode "client_secret=$1" --data-urlencode 'scope=https://storage.azure.com/.default'
}
jget() { node -e 'const o=JSON.parse(require("fs").readFileSync(0,"utf8")); console.log(o[process.argv[1]]);' "$1"; }

out=$(cc "$AZURE_CLIENT_SECRET"); [ "$(tail -n1 <<<"$out")" = 200 ] || fail "client credentials: $out"
TOKEN=$(head -n -1 <<<"$out" | jget access_token)
[ "$(head -n -1 <<<"$out" | jget token_type)" = Bearer ] || fail "token_type"
ok "client-credentials token issued"
out=$(cc wrong-secret); [ "$(tail -n1 <<<"$out")" = 401 ] || fail "wrong secret: $out"
head -n -1 <<<"$out" | grep -q AADSTS7000215 || fail "wrong secret error body: $out"; ok "wrong secret refused (401 AADSTS7000215)"

code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA" -X PUT -H "Authorization: Bearer $TOKEN" \
  -H 'x-ms-version: 2023-11-03' -H 'x-ms-blob-type: BlockBlob' -H 'If-None-Match: *' --data-binary 'tok' "$BLOB/bearer.txt")
[ "$code" = 201 ] || fail "bearer PUT to azurite-oauth: $code"
body=$(curl -s --cacert "$CA" -H "Authorization: Bearer $TOKEN" -H 'x-ms-version: 2023-11-03' "$BLOB/bearer.txt")
[ "$body" = tok ] || fail "bearer GET: $body"; ok "Azurite (--oauth basic, HTTPS) accepts the issued token"

curl -s -o /dev/null -X POST -d '{"lifetime":-60}' "$LR_TOKEN_CONTROL_URL"
EXPIRED=$(cc "$AZURE_CLIENT_SECRET" | head -n -1 | jget access_token)
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA" -H "Authorization: Bearer $EXPIRED" \
  -H 'x-ms-version: 2023-11-03' "$BLOB/bearer.txt")
[ "$code" = 403 ] || fail "expired token should be refused: $code"; ok "expired token refused by Azurite"
curl -s -o /dev/null -X POST -d '{"lifetime":3600}' "$LR_TOKEN_CONTROL_URL"

out=$(curl -s -w '\n%{http_code}' -X POST "$AZURE_AUTHORITY_HOST/$AZURE_TENANT_ID/oauth2/token" \
  --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$AZURE_CLIENT_ID" \
  --data-urlencode "client_secret=$AZURE_CLIENT_SECRET" --data-urlencode 'resource=https://storage.azure.com')
[ "$(tail -n1 <<<"$out")" = 200 ] && head -n -1 <<<"$out" | grep -q '"expires_on":"' || fail "v1 token: $out"
out=$(curl -s -w '\n%{http_code}' -X POST "$LR_TOKEN_URL" \
  --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$AZURE_CLIENT_ID" \
  --data-urlencode client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
  --data-urlencode "client_assertion=$(cat "$AZURE_FEDERATED_TOKEN_FILE")" \
  --data-urlencode 'scope=https://storage.azure.com/.default')
[ "$(tail -n1 <<<"$out")" = 200 ] || fail "workload identity: $out"
code=$(curl -s -o /dev/null -w '%{http_code}' "$AZURE_MSI_ENDPOINT?api-version=2019-08-01&resource=https://storage.azure.com")
[ "$code" = 400 ] || fail "IMDS without Metadata header: $code"
out=$(curl -s -H 'Metadata: true' "$AZURE_MSI_ENDPOINT?api-version=2019-08-01&resource=https://storage.azure.com")
MI=$(jget access_token <<<"$out"); [ "$(jget expires_on <<<"$out" | tr -d 0-9)" = "" ] || fail "IMDS expires_on: $out"
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA" -H "Authorization: Bearer $MI" -H 'x-ms-version: 2023-11-03' "$BLOB/bearer.txt")
[ "$code" = 200 ] || fail "managed-identity token refused by Azurite: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-IDENTITY-HEADER: $IDENTITY_HEADER" "$IDENTITY_ENDPOINT?api-version=2019-08-01&resource=https://storage.azure.com")
[ "$code" = 200 ] || fail "App Service identity endpoint: $code"
ok "v1, workload identity, IMDS and App Service tokens issued"

stats=$(curl -s "$LR_TOKEN_CONTROL_URL")
issued=$(node -e 'const s=JSON.parse(process.argv[1]).stats; console.log(s.issued, s.byFlow.client_credentials, s.refused)' "$stats")
[ "$issued" = "6 2 2" ] || fail "token counts (issued, client_credentials, refused) = $issued: $stats"
[ "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).issued)' "$LR_SVC_DIR/$K.stats")" = 6 ] \
  || fail "stats file"
ok "issued tokens counted (control endpoint and $K.stats)"

svc_stop_checked "$A"
svc_stop_checked "$K"
