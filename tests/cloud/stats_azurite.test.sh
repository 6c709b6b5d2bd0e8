# `lakerewind --stats` against Azurite, counted independently by a private fault proxy in front:
# the requests the line reports are exactly the HTTP requests the proxy received; with injected
# 503/500 answers the retries equal the faults and the operation still ends without error; a
# restore's bytes out are the new commit's size; neither the account key nor a SAS signature
# ever appears in the output.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite
# a private proxy, so no other test's request is counted with ours
PROXY="cloud-stats-$$"
SVC=(node "$LR_SOURCE_DIR/tests/support/svc")
"${SVC[@]}" start proxy --name "$PROXY" --target-service azurite --rate 0 > /dev/null
trap '"${SVC[@]}" stop "$PROXY" > /dev/null || true' EXIT
load_env "$PROXY"
unset AZURE_STORAGE_SAS_TOKEN
LR="${LR_BIN:?}"
CORPUS="${LAKEREWIND_CORPUS:?}/delta"
export HOME="$WORK" XDG_CONFIG_HOME="$WORK/no-xdg"
KEY="$AZURE_STORAGE_ACCOUNT_KEY"
SIG=$(sed -n 's/.*sig=\([^&]*\).*/\1/p' <<<"$LR_AZURITE_SAS")
field() { # as in stats_local.test.sh
  local v
  v=$(sed -n "s/.*[ (]\([0-9]*\) $1[,) ].*/\1/p" <<<"$2 ")
  [ -n "$v" ] || v=$(sed -n "s/.*[ (]$1 \([0-9]*\)[,)].*/\1/p" <<<"$2")
  echo "$v"
}
proxied() { grep -o "\"$1\":[0-9]*" <<<"$(curl -sS "$LR_PROXY_CONTROL_URL")" | head -1 | cut -d: -f2; }
stats_line() { grep '^lakerewind: stats: ' "$1"; }

T=delta-rs-simple_table_with_checkpoint
U="az://$LR_AZURITE_CONTAINER/stats-$$/$T"
"$TOOL" "$U" upload "$CORPUS/$T" > /dev/null

control "$LR_PROXY_CONTROL_URL" '{"rate":0,"losePutRate":0,"methods":null,"resetStats":true}'
AZURITE_BLOB_STORAGE_URL="$LR_PROXY_URL" "$LR" --stats table show "$U" --json \
  > "$WORK/show.out" 2> "$WORK/show.err" || fail "table show: $(cat "$WORK/show.err")"
line=$(stats_line "$WORK/show.err")
echo "  $line"
[ "$(grep -c '^lakerewind: stats: ' "$WORK/show.err")" = 1 ] || fail "want one line"
grep -qF "stats: azure $U: " <<<"$line" || fail "store not named: $line"
[ "$(field requests "$line")" = "$(proxied requests)" ] ||
  fail "reported $(field requests "$line") requests, the proxy saw $(proxied requests)"
[ "$(field 'bytes in' "$line")" -gt 0 ] && [ "$(field retries "$line")" = 0 ] &&
  [ "$(field errors "$line")" = 0 ] || fail "counts: $line"
ok "table show: the reported requests are the ones the proxy saw ($(proxied requests))"

control "$LR_PROXY_CONTROL_URL" '{"rate":0.25,"kinds":["503","500"],"seed":7,"losePutRate":0,"methods":null,"resetStats":true}'
AZURITE_BLOB_STORAGE_URL="$LR_PROXY_URL" AZURE_RETRY_INIT_BACKOFF=5ms AZURE_MAX_RETRIES=10 \
  "$LR" --stats table restore "$U" --version 3 --execute > "$WORK/r.out" 2> "$WORK/r.err" ||
  fail "restore through faults: $(cat "$WORK/r.err")"
line=$(stats_line "$WORK/r.err")
echo "  $line"
faults=$(( $(proxied 503) + $(proxied 500) ))
[ "$faults" -gt 0 ] || fail "no fault was injected"
[ "$(field retries "$line")" = "$faults" ] || fail "retries: want $faults (injected faults): $line"
[ "$(field requests "$line")" = "$(proxied requests)" ] ||
  fail "reported $(field requests "$line") requests, the proxy saw $(proxied requests)"
[ "$(field errors "$line")" = 0 ] || fail "a retried operation counted as an error: $line"
v=$(sed -n 's/^restored: wrote version \([0-9]*\).*/\1/p' "$WORK/r.out")
[ -n "$v" ] || fail "no version written: $(cat "$WORK/r.out")"
name=$(printf '_delta_log/%020d.json' "$v")
size=$("$TOOL" "$U" get "$name" | wc -c)
puts=$(field put "$line")
if [ "$(( v % 10 ))" != 0 ]; then
  [ "$(field 'bytes out' "$line")" = "$size" ] || fail "bytes out: want $size ($name): $line"
fi
[ "$puts" -ge 1 ] || fail "no put: $line"
ok "restore through $faults injected 503/500: retries = faults, requests = what the proxy saw"

control "$LR_PROXY_CONTROL_URL" '{"rate":0,"losePutRate":0,"methods":null,"resetStats":true}'
"$LR" --stats table show "$U" > /dev/null 2> "$WORK/sk.err"
AZURE_STORAGE_ACCOUNT_KEY='' AZURE_STORAGE_SAS_TOKEN="$LR_AZURITE_SAS" \
  "$LR" --stats table history "$U" > /dev/null 2> "$WORK/sas.err" || fail "SAS: $(cat "$WORK/sas.err")"
AZURE_STORAGE_ACCOUNT_KEY='' AZURE_STORAGE_SAS_TOKEN="sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2099-01-01T00%3A00%3A00Z&sig=Zm9yZ2VkU2ln" \
  "$LR" --stats table show "$U" > /dev/null 2> "$WORK/bad.err" && fail "a forged SAS was accepted"
for f in sk sas bad; do
  stats_line "$WORK/$f.err" > /dev/null || fail "$f: no stats line: $(cat "$WORK/$f.err")"
done
grep -q "[1-9][0-9]* errors" "$WORK/bad.err" || fail "the refused request is not an error: $(cat "$WORK/bad.err")"
for s in "$KEY" "$SIG" "Zm9yZ2VkU2ln" "sig=" "SharedKey"; do
  if grep -rqF -- "$s" "$WORK"/*.err; then fail "secret '$s' printed: $(grep -rlF -- "$s" "$WORK")"; fi
done
ok "Shared Key, SAS and a refused SAS: stats lines without any secret"
rm -rf "$WORK"
