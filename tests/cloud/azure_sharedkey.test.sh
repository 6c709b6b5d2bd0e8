# The store conformance suite on Azurite with Shared Key (the well-known emulator key), including
# 1,000 rounds of two processes racing to create the same commit.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite
unset AZURE_STORAGE_SAS_TOKEN
[ -n "$AZURE_STORAGE_ACCOUNT_KEY" ] || fail "azurite published no key"
export LR_STORE_URI="az://$LR_AZURITE_CONTAINER/conformance-sk"
export LR_RACE_ROUNDS="${LR_RACE_ROUNDS:-1000}"
start=$(date +%s%N)
"$CONFORMANCE"
echo "conformance on Azurite (Shared Key, $LR_RACE_ROUNDS race rounds): $(( ($(date +%s%N) - start) / 1000000 )) ms"
ok "store conformance passes on Azurite with Shared Key"
