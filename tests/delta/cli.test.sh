# cli.test.sh - `lakerewind table show|history|restore` end to end on a local table written by
# hand: the JSON shape of docs/product.md, local paths and file:// URIs, time travel by
# version and timestamp, history, a dry run (exit 5, nothing written), an executed restore that
# lands on version 10 and so writes a Parquet checkpoint + _last_checkpoint, which must read back
# identically in our reader (with and without the hint) and in DuckDB.
set -euo pipefail
BIN=${LR_BIN:?LR_BIN not set}
SRC=${LR_SOURCE_DIR:?}
TMP=$(mktemp -d "${LR_TEST_TMP:-/tmp}/delta-cli-XXXXXX")
T=$TMP/tbl
LOG=$T/_delta_log
mkdir -p "$LOG" "$T/region=EU"
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
pad() { printf '%020d' "$1"; }

add() { # add NAME SIZE ROWS
  head -c "$2" /dev/zero > "$T/$1"
  printf '{"add":{"path":"%s","partitionValues":{"region":"EU"},"size":%d,"modificationTime":1700000000000,"dataChange":true,"stats":"{\\"numRecords\\":%d}"}}\n' "$1" "$2" "$3"
}
{
  printf '{"commitInfo":{"timestamp":1700000000000,"operation":"CREATE TABLE","engineInfo":"hand"}}\n'
  printf '{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}\n'
  printf '{"metaData":{"id":"cli-1","format":{"provider":"parquet","options":{}},"schemaString":"{\\"type\\":\\"struct\\",\\"fields\\":[]}","partitionColumns":["region"],"configuration":{"delta.appendOnly":"false"},"createdTime":1700000000000}}\n'
  add "region=EU/f0.parquet" 100 10
} > "$LOG/$(pad 0).json"
for v in 1 2 3 4 5 6 7 8; do
  { printf '{"commitInfo":{"timestamp":%d,"operation":"WRITE"}}\n' $((1700000000000 + v * 1000))
    add "region=EU/f$v.parquet" $((100 + v)) $v; } > "$LOG/$(pad $v).json"
done
{ printf '{"commitInfo":{"timestamp":1700000009000,"operation":"DELETE"}}\n'
  printf '{"remove":{"path":"region=EU/f0.parquet","deletionTimestamp":1700000009000,"dataChange":true}}\n'
} > "$LOG/$(pad 9).json"
for v in $(seq 0 9); do touch -d "@$((1700000000 + v * 60))" "$LOG/$(pad $v).json"; done

# show --json: exactly the keys of product.md, in that order
out=$("$BIN" table show "$T" --json --files)
keys=$(node -e 'const o=JSON.parse(require("fs").readFileSync(0));console.log(Object.keys(o).join(","),Object.keys(o.protocol).join(","),Object.keys(o.metadata).join(","),Object.keys(o.files[0]).join(","))' <<<"$out")
[ "$keys" = "version,timestamp,num_files,size_bytes,num_records,protocol,metadata,files min_reader_version,min_writer_version,reader_features,writer_features id,partition_columns,configuration,schema_string path,size,num_records,partition_values,deletion_vector" ] || fail "keys: $keys"
node -e '
const o=JSON.parse(require("fs").readFileSync(0));
const want={version:9,num_files:8,size_bytes:836,num_records:36,timestamp:"2023-11-14T22:22:20.000Z"};
for (const k in want) if (o[k]!==want[k]) { console.error(k, o[k]); process.exit(1); }
if (o.files[0].path!=="region=EU/f1.parquet"||o.files[0].partition_values.region!=="EU"||o.files[0].deletion_vector!==null) process.exit(1);
if (o.metadata.partition_columns[0]!=="region") process.exit(1);' <<<"$out" || fail "show values: $out"
ok "table show --json --files has product.md's shape and the right values"
[ "$("$BIN" table show "file://$T" --json)" = "$("$BIN" table show "$T" --json)" ] || fail "file:// differs"
ok "file:// URI reads the same table"
v3=$("$BIN" table show "$T" --version 3 --json | node -e 'const o=JSON.parse(require("fs").readFileSync(0));console.log(o.version,o.num_files,o.num_records)')
[ "$v3" = "3 4 16" ] || fail "version 3: $v3"
ts=$("$BIN" table show "$T" --timestamp 2023-11-14T22:17:30Z --json | node -e 'const o=JSON.parse(require("fs").readFileSync(0));console.log(o.version)')
[ "$ts" = 4 ] || fail "timestamp resolved to $ts"
if "$BIN" table show "$T" --timestamp 2001-01-01 --json >/dev/null 2>"$TMP/err"; then fail "early timestamp"; fi
grep -q "before the earliest" "$TMP/err" || fail "early timestamp message: $(cat "$TMP/err")"
if "$BIN" table show "$T" --version 99 >/dev/null 2>"$TMP/err"; then fail "version 99"; fi
grep -q "latest version is 9" "$TMP/err" || fail "version 99 message"
ok "time travel by version and timestamp, clear errors outside the log"

h=$("$BIN" table history "$T" --limit 3 --json | node -e 'const a=JSON.parse(require("fs").readFileSync(0));console.log(a.map(e=>e.version+":"+e.operation).join(" "))')
[ "$h" = "9:DELETE 8:WRITE 7:WRITE" ] || fail "history: $h"
ok "history --limit --json"

# dry run: exit 5, nothing written
set +e; "$BIN" table restore "$T" --version 2 > "$TMP/dry"; rc=$?; set -e
[ "$rc" = 5 ] || fail "dry run exit $rc"
[ ! -e "$LOG/$(pad 10).json" ] || fail "dry run wrote"
grep -q "files to add back  1" "$TMP/dry" && grep -q "files to remove    6" "$TMP/dry" || fail "$(cat "$TMP/dry")"
ok "restore dry run prints the plan, exit 5, writes nothing"

# execute: version 10, checkpoint + _last_checkpoint
"$BIN" table restore "$T" --version 2 --execute --json > "$TMP/exec"
node -e 'const o=JSON.parse(require("fs").readFileSync(0));if(o.version_written!==10||o.metrics.numRestoredFiles!=="1"||o.rows_after!==13)process.exit(1)' < "$TMP/exec" || fail "exec: $(cat "$TMP/exec")"
[ -s "$LOG/$(pad 10).checkpoint.parquet" ] || fail "no checkpoint written"
grep -q '"version":10' "$LOG/_last_checkpoint" || fail "_last_checkpoint: $(cat "$LOG/_last_checkpoint")"
ok "executed restore wrote version 10, its checkpoint and _last_checkpoint"

with_cp=$("$BIN" table show "$T" --json --files)
[ "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(0)).num_records)' <<<"$with_cp")" = 13 ] || fail "rows after restore"
mkdir "$TMP/hide"; mv "$LOG/_last_checkpoint" "$LOG/$(pad 10).checkpoint.parquet" "$TMP/hide/"
without=$("$BIN" table show "$T" --json --files)
mv "$TMP/hide/"* "$LOG/"
[ "$with_cp" = "$without" ] || fail "checkpoint read differs from JSON replay:
$with_cp
$without"
ok "our checkpoint reads back identically to replaying the JSON commits"

if [ -f "$SRC/tests/support/node_modules/@duckdb/node-api/package.json" ]; then
  duck=$(node "$SRC/tests/support/duckdb.js" "SELECT add.path AS p, add.size AS s, add.partitionValues AS pv FROM read_parquet('$LOG/$(pad 10).checkpoint.parquet') WHERE add IS NOT NULL ORDER BY p")
  ours=$(node -e 'const o=JSON.parse(require("fs").readFileSync(0));for(const f of o.files)console.log(JSON.stringify({p:f.path,s:f.size,pv:f.partition_values}))' <<<"$with_cp")
  [ "$duck" = "$ours" ] || fail "DuckDB reads our checkpoint differently:
$duck
---
$ours"
  meta=$(node "$SRC/tests/support/duckdb.js" "SELECT metaData.id AS id, protocol.minWriterVersion AS w FROM read_parquet('$LOG/$(pad 10).checkpoint.parquet') WHERE metaData IS NOT NULL OR protocol IS NOT NULL ORDER BY id NULLS LAST")
  [ "$meta" = '{"id":"cli-1","w":null}
{"id":null,"w":2}' ] || fail "DuckDB metadata rows: $meta"
  ok "DuckDB reads our checkpoint with the same adds, metaData and protocol"
else
  fail "DuckDB (npm @duckdb/node-api) is not installed: run ./dev deps"
fi

# a restore to the current version is nothing to do (exit 0)
"$BIN" table restore "$T" --version 10 > "$TMP/none"
grep -q "nothing to restore" "$TMP/none" || fail "nothing to do: $(cat "$TMP/none")"
ok "restore to the current version reports nothing to do"
rm -rf "$TMP"
