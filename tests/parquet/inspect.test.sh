#!/usr/bin/env bash
# inspect.test.sh - `lakerewind inspect parquet` end to end: schema / row groups / statistics
# text, JSON lines (exact text for known rows), file:// URIs, column projection, and the
# errors for a missing file, a non-Parquet file and a bad command line.
set -euo pipefail

BIN=${LR_BIN:?LR_BIN not set}
CORPUS=${LAKEREWIND_CORPUS:?LAKEREWIND_CORPUS not set}
PQ=$CORPUS/parquet
TMP=${LR_TEST_TMP:-/tmp}/inspect-parquet.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_line() { # file pattern
    grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "missing line: $2"; }
}

# 1. footer view
"$BIN" inspect parquet "$PQ/duckdb_kv_metadata_uncompressed.parquet" >"$TMP/kv.txt"
expect_line "$TMP/kv.txt" "rows: 1"
expect_line "$TMP/kv.txt" "created_by: DuckDB version v1.5.6 (build 069cc9f9b5)"
expect_line "$TMP/kv.txt" "  delta.writer = parquet-oracle"
expect_line "$TMP/kv.txt" "    OPTIONAL INT32 one (INT_32)  [column 0, max_def 1, max_rep 0]"
expect_line "$TMP/kv.txt" "row group 0: 1 rows, 55 bytes uncompressed, 55 compressed"
expect_line "$TMP/kv.txt" "  one: UNCOMPRESSED, 1 values, 27 bytes (27 uncompressed), encodings PLAIN"
expect_line "$TMP/kv.txt" "    stats: null_count=0 min_value=1 max_value=1 min_exact=true max_exact=true min(old)=1 max(old)=1"

"$BIN" inspect parquet "$PQ/duckdb_checkpoint_snappy.parquet" >"$TMP/cp.txt"
expect_line "$TMP/cp.txt" "group partitionValues (MAP)"
expect_line "$TMP/cp.txt" "REQUIRED BYTE_ARRAY key (UTF8)  [column 4, max_def 3, max_rep 1]"
expect_line "$TMP/cp.txt" "add.path: SNAPPY"

"$BIN" inspect parquet "$PQ/duckdb_flat_types_zstd.parquet" >"$TMP/flat.txt"
expect_line "$TMP/flat.txt" "dec38 (DECIMAL(38,6))"
expect_line "$TMP/flat.txt" "min_value=-1234567890.500000 max_value=1234567890.500000"
expect_line "$TMP/flat.txt" 'min_value="1900-01-01" max_value="9999-12-31"'

# 2. JSON lines: exact text
out=$("$BIN" inspect parquet "$PQ/duckdb_kv_metadata_uncompressed.parquet" --json)
[ "$out" = '{"one":1,"s":"x"}' ] || fail "kv json: $out"

"$BIN" inspect parquet "$PQ/duckdb_flat_types_snappy.parquet" --json >"$TMP/flat.jsonl"
[ "$(wc -l <"$TMP/flat.jsonl")" -eq 10 ] || fail "flat: expected 10 lines"
want='{"id":1,"tiny":1,"small":100,"big":10,"flag":true,"name":"alpha","ts":"2024-01-01T00:00:00.000000Z","tstz":"2024-01-01T12:00:00.000000Z","ts_ms":"2024-01-01T00:00:00.123Z","ts_ns":"2024-01-01T00:00:00.123456789Z","d":"2024-01-01","f":1.5,"dbl":2.25,"dec9":123.45,"dec18":12345.678,"dec38":123456789.123456}'
[ "$(head -1 "$TMP/flat.jsonl")" = "$want" ] || fail "flat row 1: $(head -1 "$TMP/flat.jsonl")"
want='{"id":3,"tiny":-128,"small":-32768,"big":-9223372036854775808,"flag":false,"name":"","ts":"1900-01-01T00:00:00.000000Z","tstz":"1900-01-01T00:00:00.000000Z","ts_ms":"1900-01-01T00:00:00.000Z","ts_ns":"1900-01-01T00:00:00.000000000Z","d":"1900-01-01","f":-1.25,"dbl":-0.5,"dec9":-9999999.99,"dec18":-999999999999999.999,"dec38":-1234567890.500000}'
[ "$(sed -n 3p "$TMP/flat.jsonl")" = "$want" ] || fail "flat row 3: $(sed -n 3p "$TMP/flat.jsonl")"

# nested: null vs empty at every level
want='{"id":2,"l_int":[],"l_str":[],"ll":[],"s":{"a":null,"b":null},"m":{},"m_struct":{},"l_struct":[],"deep":{"l":[]}}'
got=$("$BIN" inspect parquet "$PQ/duckdb_nested_edge_cases_v2_zstd.parquet" --json | sed -n 2p)
[ "$got" = "$want" ] || fail "nested row 2: $got"

# 3. file:// URI and projection
got=$("$BIN" inspect parquet "file://$PQ/duckdb_checkpoint_gzip.parquet" --json \
      --columns add.path,add.partitionValues | sed -n 4p)
want='{"add":{"path":"region=eu/date=2024-01-01/part-00000-aaaa.c000.snappy.parquet","partitionValues":{"region":"eu","date":"2024-01-01"}}}'
[ "$got" = "$want" ] || fail "projection: $got"

# a relative path (parent ".")
(cd "$PQ" && "$BIN" inspect parquet duckdb_kv_metadata_uncompressed.parquet --json) >"$TMP/rel.jsonl"
[ "$(cat "$TMP/rel.jsonl")" = '{"one":1,"s":"x"}' ] || fail "relative path"

# 4. errors
set +e
"$BIN" inspect parquet "$PQ/no-such-file.parquet" >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 1 ] || fail "missing file: exit $rc"
grep -q "no-such-file.parquet" "$TMP/e" || fail "missing file: message $(cat "$TMP/e")"

printf 'this is not parquet at all' >"$TMP/junk.parquet"
"$BIN" inspect parquet "$TMP/junk.parquet" >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 1 ] || fail "junk: exit $rc"
grep -q "junk.parquet: not a Parquet file" "$TMP/e" || fail "junk: message $(cat "$TMP/e")"

"$BIN" inspect parquet "$PQ/duckdb_kv_metadata_uncompressed.parquet" --json --columns nope \
    >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 1 ] || fail "bad column: exit $rc"
grep -q "no column nope" "$TMP/e" || fail "bad column: message $(cat "$TMP/e")"

"$BIN" inspect >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 2 ] || fail "usage: exit $rc"
"$BIN" inspect parquet "$PQ/duckdb_kv_metadata_uncompressed.parquet" --bogus >"$TMP/o" 2>"$TMP/e"; rc=$?
[ $rc -eq 2 ] || fail "unknown option: exit $rc"
set -e

echo "inspect parquet: ok"
