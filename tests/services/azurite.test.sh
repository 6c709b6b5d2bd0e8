# Azurite via svc: starts on a free loopback port, the test container exists, Shared Key and the
# minted SAS tokens work as documented, strict API version check is on, stop leaves no process.
. "$(dirname "$0")/lib.sh"
A="$T-az"
svc_start azurite "$A"
load_env "$A"
port=$(fact "$A.port")
[ "$port" -gt 0 ] || fail "no port"
case "$LR_AZURITE_BLOB_URL" in http://127.0.0.1:"$port"/devstoreaccount1) ;; *) fail "url $LR_AZURITE_BLOB_URL";; esac
C="$LR_AZURITE_BLOB_URL/$LR_AZURITE_CONTAINER"

code=$(curl -s -o /dev/null -w '%{http_code}' -H 'x-ms-version: 2023-11-03' "$C?restype=container&comp=list&$LR_AZURITE_SAS")
[ "$code" = 200 ] || fail "list with account SAS: $code"; ok "container listed with account SAS"

code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'x-ms-blob-type: BlockBlob' -H 'x-ms-version: 2023-11-03' \
  -H 'If-None-Match: *' --data-binary 'hello' "$C/a/b.json?$LR_AZURITE_SAS")
[ "$code" = 201 ] || fail "create-only put: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'x-ms-blob-type: BlockBlob' -H 'x-ms-version: 2023-11-03' \
  -H 'If-None-Match: *' --data-binary 'again' "$C/a/b.json?$LR_AZURITE_SAS")
[ "$code" = 409 ] || fail "second create-only put: $code (want 409)"; ok "If-None-Match: * gives 201 then 409"

code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'x-ms-blob-type: BlockBlob' --data-binary x \
  "$C/ro.json?$LR_AZURITE_SAS_RO")
[ "$code" = 403 ] || fail "put with read-only SAS: $code"
body=$(curl -s "$C/a/b.json?$LR_AZURITE_SAS_RO")
[ "$body" = hello ] || fail "get with read-only SAS: '$body'"; ok "read-only SAS reads, cannot write"

# Shared Key, signed independently by azsign.js
out=$(node -e '
const az = require(process.argv[1]);
az.signedRequest("GET", process.argv[2], az.EMULATOR_ACCOUNT, az.EMULATOR_KEY, { Range: "bytes=1-3" })
  .then((r) => console.log(r.status, r.body.toString()));' "$SUPPORT/azsign.js" "$C/a/b.json")
[ "$out" = "206 ell" ] || fail "Shared Key ranged get: $out"; ok "Shared Key ranged get"

code=$(curl -s -o /dev/null -w '%{http_code}' -H 'x-ms-version: 2099-01-01' "$C?restype=container&comp=list&$LR_AZURITE_SAS")
[ "$code" = 400 ] || fail "strict mode should refuse x-ms-version 2099-01-01: $code"; ok "strict API version check"

svc_stop_checked "$A"
