# Retries through the fault-injecting proxy in front of Azurite. Phase 1: 10% of requests are
# answered 503 or 500, cut mid-body or reset, and 5% of PUTs lose their answer after the write
# happened; the whole conformance suite passes, and 200 rounds of two processes racing to create
# the same commit end with exactly one winner whose bytes are stored (a create whose answer was
# lost is recognised as ours). Phase 2: 10% of reads are held past the client's 1 s timeout.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite
load_env proxy
unset AZURE_STORAGE_SAS_TOKEN
export AZURITE_BLOB_STORAGE_URL="$LR_PROXY_URL"
export AZURE_TIMEOUT=1s AZURE_MAX_RETRIES=6
seed=$(( $$ % 10000 + 1 ))
echo "fault seed $seed"
control "$LR_PROXY_CONTROL_URL" "{\"rate\":0.1,\"kinds\":[\"503\",\"500\",\"cut\",\"reset\"],\"losePutRate\":0.05,\"seed\":$seed,\"resetStats\":true}"
export LR_STORE_URI="az://$LR_AZURITE_CONTAINER/faults-$$"
LR_RACE_ROUNDS=200 "$CONFORMANCE"
stats=$(curl -sS "$LR_PROXY_CONTROL_URL")
echo "proxy after phase 1: $stats"
for k in 503 500 cut reset; do
  echo "$stats" | grep -q "\"$k\":[1-9]" || fail "no '$k' fault was injected: $stats"
done
echo "$stats" | grep -q '"lost_put":[1-9]' || fail "no PUT answer was lost: $stats"
ok "conformance and 200 commit races pass with 10% injected failures"

control "$LR_PROXY_CONTROL_URL" "{\"rate\":0.1,\"kinds\":[\"delay\"],\"delayMs\":2500,\"losePutRate\":0,\"methods\":[\"GET\",\"HEAD\"],\"seed\":$seed,\"resetStats\":true}"
LR_RACE_ROUNDS=30 "$CONFORMANCE"
stats=$(curl -sS "$LR_PROXY_CONTROL_URL")
echo "proxy after phase 2: $stats"
echo "$stats" | grep -q '"delay":[1-9]' || fail "no request was delayed: $stats"
ok "reads held past the timeout are retried and give the right bytes"
control "$LR_PROXY_CONTROL_URL" '{"rate":0,"losePutRate":0,"methods":null,"resetStats":true}'
