#!/usr/bin/env node
// deltacmp.js - comparisons of `lakerewind table show --json --files` outputs for the cloud Delta
// tests (test-only, node stdlib).
//   deltacmp.js versions DIR V...   DIR/local.V.json and DIR/remote.V.json are the same snapshot
//                                   for every V ("timestamp" keys ignored: an upload gives every
//                                   file a new modification time)
//   deltacmp.js restored NEW TARGET W  NEW (latest after a restore) is version W and holds exactly
//                                   TARGET's live files (path, size, rows, partition values,
//                                   deletion vector), file count, bytes and rows
//   deltacmp.js manifest FILE TABLE  print the versions the corpus MANIFEST lists for TABLE
// Exit 1 with the difference on stderr.
'use strict';
const fs = require('node:fs');

const strip = (v) => (Array.isArray(v) ? v.map(strip)
    : (v && typeof v === 'object')
        ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'timestamp')
            .map(([k, x]) => [k, strip(x)]))
        : v);
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const fileKey = (f) => JSON.stringify([f.path, f.deletion_vector]);
const sortFiles = (a) => [...a].sort((x, y) => (fileKey(x) < fileKey(y) ? -1 : fileKey(x) > fileKey(y) ? 1 : 0));
const die = (msg) => {
    process.stderr.write(`${msg}\n`);
    process.exit(1);
};

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'versions') {
    const [dir, ...versions] = args;
    for (const v of versions) {
        const a = JSON.stringify(strip(read(`${dir}/local.${v}.json`)));
        const b = JSON.stringify(strip(read(`${dir}/remote.${v}.json`)));
        if (a !== b) die(`version ${v} differs:\nlocal:  ${a.slice(0, 800)}\nremote: ${b.slice(0, 800)}`);
    }
} else if (cmd === 'restored') {
    const [newFile, targetFile, w] = args;
    const n = read(newFile);
    const t = read(targetFile);
    if (n.version !== Number(w)) die(`latest version is ${n.version}, the restore wrote ${w}`);
    if (!Array.isArray(n.files) || !Array.isArray(t.files)) die('no "files" (use --files)');
    const a = JSON.stringify(sortFiles(n.files));
    const b = JSON.stringify(sortFiles(t.files));
    if (a !== b) die(`file set after the restore differs from version ${t.version}:\nafter:  ${a.slice(0, 800)}\ntarget: ${b.slice(0, 800)}`);
    for (const k of ['num_files', 'size_bytes', 'num_records']) {
        if (n[k] !== t[k]) die(`${k}: ${n[k]} after the restore, ${t[k]} at version ${t.version}`);
    }
} else if (cmd === 'manifest') {
    const [file, table] = args;
    const m = read(file).tables[table];
    if (!m) die(`table ${table} is not in ${file}`);
    process.stdout.write(`${m.versions.map((v) => v.version).join(' ')}\n`);
} else {
    die('usage: deltacmp.js versions DIR V... | restored NEW TARGET W | manifest FILE TABLE');
}
