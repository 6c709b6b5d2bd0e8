# 200 full-table restores (a small table with deletion vectors restored back and forth between
# two versions) through the fault proxy in front of Azurite: 10% of requests are answered 503 or
# 500, cut mid-body, reset, or held past the client's timeout, and 5% of PUTs are applied but
# their answer dropped. After each restore, read again straight from Azurite: exactly one new
# commit (N+1 exists, N+2 does not), carrying the round's run id, with the target's file set
# (tests/cloud/restore_loop.c). Then, from the proxy's record of writes whose answer was lost,
# at least a few commit PUTs were among them, and for each the debug log shows the store
# recognised the taken name as holding our own bytes (so the restore counted it as its commit;
# the engine's run-id check in core/delta/restore_commit.c is the fallback behind it). Every tenth
# round sends its commit again with other bytes, as a restarted run would: the engine's run-id
# check takes the version as its own, and another run id gets a conflict, through the faults.
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite
load_env proxy
unset AZURE_STORAGE_SAS_TOKEN
CORPUS="${LAKEREWIND_CORPUS:?}/delta"
ROUNDS=${LR_FAULT_RESTORE_ROUNDS:-200}
# 200 rounds lose ~10 commit answers (5% of PUTs); a shortened run (for a quick check) needs none
LEAST_LOST=$(( ROUNDS >= 200 ? 3 : 0 ))
T=delta-rs-table-with-dv-small
U="az://$LR_AZURITE_CONTAINER/fault-restore-$$/$T"
trap 'control "$LR_PROXY_CONTROL_URL" "{\"rate\":0,\"losePutRate\":0,\"methods\":null,\"resetStats\":true}" || true' EXIT
"$TOOL" "$U" upload "$CORPUS/$T" > /dev/null

seed=$(( $$ % 10000 + 1 ))
echo "fault seed $seed"
control "$LR_PROXY_CONTROL_URL" "{\"rate\":0.1,\"kinds\":[\"503\",\"500\",\"cut\",\"reset\",\"delay\"],\"delayMs\":700,\"losePutRate\":0.05,\"methods\":null,\"seed\":$seed,\"resetStats\":true}"
start=$(date +%s%N)
"$LR_BUILD_DIR/tests/lr_restore_loop" --log "$WORK/debug.log" \
  --opt "azurite_blob_storage_url=$LR_PROXY_URL" --opt timeout=300ms --opt max_retries=12 \
  --opt retry_init_backoff=5ms --opt retry_max_backoff=40ms \
  "$U" "$ROUNDS" 0 1 > "$WORK/rounds" 2> "$WORK/err" || fail "$(tail -5 "$WORK/err")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
curl -sS "$LR_PROXY_CONTROL_URL" > "$WORK/proxy.json"
tail -1 "$WORK/rounds"
[ "$(grep -c '^round ' "$WORK/rounds")" = "$ROUNDS" ] || fail "not every round reported"
[ "$(grep -c ' replayed$' "$WORK/rounds")" = $((ROUNDS / 10)) ] || fail "not every tenth round replayed"
node -e '
  const fs = require("fs");
  const st = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).stats;
  const written = new Set(fs.readFileSync(process.argv[2], "utf8").split("\n")
    .map((l) => /^round \d+: \d+ -> (\d+)/.exec(l)).filter(Boolean).map((m) => Number(m[1])));
  const commits = st.lostAfterWrite.filter((w) => w.method === "PUT")
    .map((w) => /\/_delta_log\/(\d{20})\.json$/.exec(w.path)).filter(Boolean)
    .map((m) => Number(m[1])).filter((v, i, a) => written.has(v) && a.indexOf(v) === i);
  // the store says so when a create found the name taken by our own bytes
  const ours = new Set(fs.readFileSync(process.argv[3], "utf8").split("\n")
    .map((l) => /create of _delta_log\/(\d{20})\.json was retried and the blob holds our bytes/.exec(l))
    .filter(Boolean).map((m) => Number(m[1])));
  const missed = commits.filter((v) => !ours.has(v));
  if (missed.length) { console.error(`lost commit answers not recognised as ours: ${missed}`); process.exit(1); }
  const f = st.faults;
  console.log(`proxy: ${st.requests} requests, faults ${JSON.stringify(f)}, ` +
    `${st.lostAfterWrite.length} writes whose answer was lost, ${commits.length} of them commits ` +
    `(versions ${commits.join(", ")}); ${ours.size} commits recognised as ours`);
  for (const k of ["503", "500", "cut", "reset", "delay", "lost_put"])
    if (!(f[k] > 0)) { console.error(`no "${k}" fault was injected`); process.exit(1); }
  const least = Number(process.argv[4]);
  if (commits.length < least) { console.error(`fewer than ${least} commit PUTs lost their answer`); process.exit(1); }
' "$WORK/proxy.json" "$WORK/rounds" "$WORK/debug.log" "$LEAST_LOST" || fail "proxy record: $(head -c 600 "$WORK/proxy.json")"
ok "$ROUNDS restores through 10% faults in $ms ms: each one new commit with the right files; lost commit answers recognised as ours"
rm -rf "$WORK"
