#!/usr/bin/env node
// duckdb.js - run SQL in an in-memory DuckDB and print the result as JSON lines (test-only tool).
//
//   node tests/support/duckdb.js [--threads N] [--time] "SQL"      (SQL "-" reads it from stdin)
//
// --time prints "duckdb.js: statements took N ms" on stderr: the statements alone, without
// node's start-up, loading DuckDB or opening the database (benchmarks compare against it).
//
// Several statements may be given separated by ';'; they run in order and the rows of the LAST one
// are printed, one JSON object per line, keys in column order. The session time zone is UTC.
// Value mapping (stable; tests rely on it):
//   integers (TINYINT..BIGINT, UBIGINT, HUGEINT, UHUGEINT)  JSON integer when |v| <= 2^53-1,
//                                                         else a decimal string ("9223372036854775807")
//   FLOAT / DOUBLE        JSON number (NaN/Infinity as strings "NaN", "Infinity", "-Infinity")
//   DECIMAL               string with the exact digits ("1.50")
//   BOOLEAN / VARCHAR     JSON boolean / string
//   DATE                  "2024-01-02"
//   TIMESTAMP(_S/_MS/_NS) "2024-01-02T03:04:05.123456" (no zone; fraction only when non-zero)
//   TIMESTAMPTZ           "2024-01-02T03:04:05.123456Z" (UTC)
//   TIME                  "03:04:05"
//   STRUCT                JSON object; LIST / ARRAY: JSON array
//   MAP                   JSON object, keys turned into strings
//   BLOB                  DuckDB's escaped text ("ab\x00")
//   anything else         DuckDB's own JSON form for the type (INTERVAL {"months","days","micros"}, UUID string, ...)
//   NULL                  null
// Exit status: 0 on success, 1 on an SQL/IO error (message on stderr), 2 on a usage error.
'use strict';

const path = require('node:path');
const fs = require('node:fs');

function usage(msg) {
    if (msg) process.stderr.write(`duckdb.js: ${msg}\n`);
    process.stderr.write('usage: node duckdb.js [--threads N] [--time] "SQL"   (SQL "-" reads stdin)\n');
    process.exit(2);
}

function parseArgs(argv) {
    let threads = 1;
    let time = false;
    let sql = null;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--threads') {
            const v = argv[++i];
            if (!v || !/^[1-9][0-9]*$/.test(v)) usage('--threads needs a positive integer');
            threads = Number(v);
        } else if (a.startsWith('--threads=')) {
            const v = a.slice('--threads='.length);
            if (!/^[1-9][0-9]*$/.test(v)) usage('--threads needs a positive integer');
            threads = Number(v);
        } else if (a === '--time') {
            time = true;
        } else if (a === '-h' || a === '--help') {
            usage();
        } else if (sql === null) {
            sql = a;
        } else {
            usage(`unexpected argument '${a}' (quote the whole SQL as one argument)`);
        }
    }
    if (sql === null) usage('missing SQL');
    if (sql === '-') sql = fs.readFileSync(0, 'utf8');
    if (sql.trim() === '') usage('empty SQL');
    return { threads, time, sql };
}

let duckdb;
try {
    duckdb = require(path.join(__dirname, 'node_modules', '@duckdb', 'node-api'));
} catch (e) {
    process.stderr.write('duckdb.js: @duckdb/node-api is not installed: run ./dev deps '
        + `(npm ci in tests/support). (${e.message})\n`);
    process.exit(1);
}
const T = duckdb.DuckDBTypeId;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function intValue(v) {
    if (typeof v === 'number') return v;
    if (typeof v !== 'string' || !/^-?[0-9]+$/.test(v)) return v;
    const b = BigInt(v);
    return (b <= MAX_SAFE && b >= -MAX_SAFE) ? Number(b) : v;
}

function isoTimestamp(v, withZone) {
    if (typeof v !== 'string') return v;
    // DuckDB text: "2024-01-02 03:04:05[.ffffff][+00[:00]]"; leave infinity and BC dates alone.
    const m = /^(-?\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2}(?::?\d{2})?)?$/.exec(v);
    if (!m) return v;
    let s = `${m[1]}T${m[2]}`;
    if (withZone) {
        const z = m[3] || '+00';
        s += (z === '+00' || z === '+00:00' || z === '+0000') ? 'Z' : z;
    }
    return s;
}

function fix(v, type) {
    if (v === null || v === undefined) return null;
    switch (type.typeId) {
    case T.TINYINT: case T.SMALLINT: case T.INTEGER: case T.BIGINT:
    case T.UTINYINT: case T.USMALLINT: case T.UINTEGER: case T.UBIGINT:
    case T.HUGEINT: case T.UHUGEINT:
        return intValue(v);
    case T.FLOAT: case T.DOUBLE:
        if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
        return v;
    case T.TIMESTAMP: case T.TIMESTAMP_S: case T.TIMESTAMP_MS: case T.TIMESTAMP_NS:
        return isoTimestamp(v, false);
    case T.TIMESTAMP_TZ:
        return isoTimestamp(v, true);
    case T.STRUCT: {
        if (typeof v !== 'object') return v;
        const out = {};
        type.entryNames.forEach((name, i) => { out[name] = fix(v[name], type.entryTypes[i]); });
        return out;
    }
    case T.LIST: case T.ARRAY:
        return Array.isArray(v) ? v.map((x) => fix(x, type.valueType)) : v;
    case T.MAP: {
        if (!Array.isArray(v)) return v;
        const out = {};
        for (const e of v) {
            const k = fix(e.key, type.keyType);
            out[typeof k === 'string' ? k : JSON.stringify(k)] = fix(e.value, type.valueType);
        }
        return out;
    }
    case T.UNION: {
        // DuckDB's JSON for a union is {"tag": ..., "value": ...}; convert the value by its member type.
        if (v && typeof v === 'object' && 'tag' in v) {
            const idx = type.tagMemberIndexes[v.tag];
            return { tag: v.tag, value: idx === undefined ? v.value : fix(v.value, type.memberTypes[idx]) };
        }
        return v;
    }
    default:
        return v;
    }
}

async function main() {
    const { threads, time, sql } = parseArgs(process.argv.slice(2));
    const instance = await duckdb.DuckDBInstance.create(':memory:', { threads: String(threads) });
    const conn = await instance.connect();
    try {
        await conn.run("SET TimeZone = 'UTC'");
    } catch (e) {
        // Builds without ICU have no TimeZone setting; timestamps are then UTC already.
    }
    const t0 = process.hrtime.bigint();
    const extracted = await conn.extractStatements(sql);
    if (extracted.count === 0) usage('no SQL statement found');
    let reader = null;
    for (let i = 0; i < extracted.count; i++) {
        const stmt = await extracted.prepare(i);
        reader = await stmt.runAndReadAll();
    }
    if (time) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        process.stderr.write(`duckdb.js: statements took ${ms.toFixed(1)} ms\n`);
    }
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const rows = reader.getRowsJson();
    const out = [];
    for (const row of rows) {
        const obj = {};
        names.forEach((n, i) => { obj[n] = fix(row[i], types[i]); });
        out.push(JSON.stringify(obj));
    }
    if (out.length) process.stdout.write(out.join('\n') + '\n');
    conn.closeSync();
    instance.closeSync();
}

main().then(() => {
    process.exitCode = 0;
}, (e) => {
    process.stderr.write(`duckdb.js: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
});
