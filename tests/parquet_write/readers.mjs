#!/usr/bin/env node
// readers.mjs - read a Parquet file with an independent reader and print its rows as JSON lines
// (test-only; the writer tests compare them with the rows written).
//
//   node tests/parquet_write/readers.mjs arrow-rs|hyparquet FILE
//
// arrow-rs is the Rust parquet crate delta-rs reads checkpoints with (npm parquet-wasm, rows
// through apache-arrow); hyparquet is a pure JavaScript reader. Both come pinned from
// tests/support/package-lock.json. Value forms: 64-bit integers as decimal strings, maps and
// structs as objects, lists as arrays, null as null; arrow-rs top-level DATE columns as
// "YYYY-MM-DD" and TIMESTAMP columns as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (hyparquet turns both into
// millisecond JS Dates, so use it for files without them). Exit 1 on a read error, 2 on usage.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const support = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'package.json');
const require = createRequire(support);

async function load(name) {
    try {
        return await import(pathToFileURL(require.resolve(name)).href);
    } catch (e) {
        process.stderr.write(`readers.mjs: ${name} is not installed: run ./dev deps`
            + ` (${e.message})\n`);
        process.exit(1);
    }
}

function plain(v) {
    if (typeof v === 'bigint') return v.toString();
    if (v === null || v === undefined) return null;
    if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v, plain);
    if (typeof v === 'object' && typeof v.toJSON === 'function') return plain(v.toJSON());
    if (typeof v === 'object') {
        const o = {};
        for (const [k, x] of Object.entries(v)) o[k] = plain(x);
        return o;
    }
    return v;
}

const [which, file] = process.argv.slice(2);
if (!file || (which !== 'arrow-rs' && which !== 'hyparquet')) {
    process.stderr.write('usage: node readers.mjs arrow-rs|hyparquet FILE\n');
    process.exit(2);
}
try {
    const buf = readFileSync(file);
    let rows;
    if (which === 'arrow-rs') {
        const pw = await load('parquet-wasm');
        const arrow = await load('apache-arrow');
        const table = arrow.tableFromIPC(pw.readParquet(new Uint8Array(buf)).intoIPCStream());
        rows = table.toArray().map((r) => plain(r.toJSON()));
        for (const f of table.schema.fields) {
            const isDate = arrow.DataType.isDate(f.type);
            const isTs = arrow.DataType.isTimestamp(f.type);
            if (!isDate && !isTs) continue;
            for (const r of rows) {
                if (r[f.name] === null) continue;
                const ms = Number(r[f.name]);
                if (isDate) {
                    r[f.name] = new Date(ms).toISOString().slice(0, 10);
                } else {
                    const us = BigInt(Math.round(ms * 1000));
                    const sec = us / 1000000n - (us % 1000000n < 0n ? 1n : 0n);
                    const frac = us - sec * 1000000n;
                    const iso = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
                    r[f.name] = `${iso}.${frac.toString().padStart(6, '0')}Z`;
                }
            }
        }
    } else {
        const hy = await load('hyparquet');
        const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
        rows = (await hy.parquetReadObjects({ file: ab })).map(plain);
    }
    process.stdout.write(rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
} catch (e) {
    process.stderr.write(`readers.mjs: ${which}: ${e && e.message ? e.message : e}\n`);
    process.exit(1);
}
