# End to end: corpus Delta tables uploaded to Azurite read the same as from the local folder:
# `lakerewind table show --json` (latest and an older version) and `table history --json`
# compared with the local result, ignoring only the timestamps that come from file modification
# times (an upload gives every file a new one).
. "$(dirname "$0")/lib.sh"
clear_cloud_env
load_env azurite
unset AZURE_STORAGE_SAS_TOKEN
LR="${LR_BIN:?}"
CORPUS="${LAKEREWIND_CORPUS:?}/delta"
compare() { # compare LOCAL_JSON REMOTE_JSON WHAT
  node -e '
    const fs = require("fs");
    const strip = (v) => Array.isArray(v) ? v.map(strip) : (v && typeof v === "object")
      ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== "timestamp").map(([k, x]) => [k, strip(x)]))
      : v;
    const parse = (f) => fs.readFileSync(f, "utf8").trim().split("\n").filter(Boolean).map((l) => strip(JSON.parse(l)));
    const a = JSON.stringify(parse(process.argv[1])), b = JSON.stringify(parse(process.argv[2]));
    if (a !== b) { console.error("local:  " + a.slice(0, 600) + "\nazure:  " + b.slice(0, 600)); process.exit(1); }
  ' "$1" "$2" || fail "$3 differs between the local folder and Azurite"
}
for t in delta-rs-simple_table_with_checkpoint delta-rs-delta-0.8.0-partitioned delta-rs-checkpoint-v2-table; do
  [ -d "$CORPUS/$t" ] || { echo "skip $t (not in the corpus)"; continue; }
  U="az://$LR_AZURITE_CONTAINER/e2e-$$/$t"
  "$TOOL" "$U" upload "$CORPUS/$t"
  "$LR" table show "$CORPUS/$t" --json > "$WORK/$t.local.json"
  "$LR" --stats table show "$U" --json > "$WORK/$t.azure.json" 2> "$WORK/$t.azure.err" ||
    fail "table show on Azurite: $(cat "$WORK/$t.azure.err")"
  compare "$WORK/$t.local.json" "$WORK/$t.azure.json" "table show $t"
  "$LR" table history "$CORPUS/$t" --json > "$WORK/$t.hl.json"
  "$LR" table history "$U" --json > "$WORK/$t.ha.json"
  compare "$WORK/$t.hl.json" "$WORK/$t.ha.json" "table history $t"
  if "$LR" table show "$CORPUS/$t" --version 1 --json > "$WORK/$t.v1l.json" 2>/dev/null; then
    "$LR" table show "$U" --version 1 --json > "$WORK/$t.v1a.json"
    compare "$WORK/$t.v1l.json" "$WORK/$t.v1a.json" "table show --version 1 $t"
  fi
  ok "$t reads the same from Azurite as from the local folder"
done
