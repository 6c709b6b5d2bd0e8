# duckdb.js: the documented JSON mapping (exact integers up to 2^53-1, larger ones as strings,
# decimals as strings, ISO timestamps, maps as objects), last-statement output, Parquet reading,
# and error / usage exit codes.
. "$(dirname "$0")/lib.sh"
D="node $SUPPORT/duckdb.js"
out=$($D "CREATE TABLE t AS SELECT 1 AS x; SELECT 9007199254740991::BIGINT a, 9007199254740992::BIGINT b,
  -5::BIGINT c, 1.50::DECIMAL(5,2) d, TIMESTAMP '2024-01-02 03:04:05.5' ts, TIMESTAMPTZ '2024-01-02 03:04:05+02' tz,
  DATE '2024-01-02' dt, MAP {'k': 1} m, {'s': [1, 2]} st, NULL n, (SELECT x FROM t) x")
want='{"a":9007199254740991,"b":"9007199254740992","c":-5,"d":"1.50","ts":"2024-01-02T03:04:05.5","tz":"2024-01-02T01:04:05Z","dt":"2024-01-02","m":{"k":1},"st":{"s":[1,2]},"n":null,"x":1}'
[ "$out" = "$want" ] || fail "mapping:
 got  $out
 want $want"
ok "value mapping as documented"
[ "$(printf 'SELECT 2 AS v UNION ALL SELECT 1 ORDER BY v' | $D --threads 2 -)" = '{"v":1}
{"v":2}' ] || fail "stdin / several rows"
ok "SQL from stdin, one line per row"
pq="$LAKEREWIND_CORPUS/parquet/duckdb_multi_rowgroup_zstd.parquet"
if [ -f "$pq" ]; then
  [ "$($D "SELECT count(*) AS n FROM read_parquet('$pq')")" = '{"n":4500}' ] || fail "parquet count"
  ok "reads corpus Parquet"
fi
if err=$($D "SELECT * FROM no_such_table" 2>&1 >/dev/null); then fail "bad SQL exit 0"; else rc=$?; fi
[ "$rc" = 1 ] && grep -q 'no_such_table' <<<"$err" || fail "bad SQL: rc $rc, $err"
if $D >/dev/null 2>&1; then fail "no SQL accepted"; else rc=$?; fi
[ "$rc" = 2 ] || fail "usage exit $rc"
ok "errors exit 1 with DuckDB's message, usage errors exit 2"
