#!/usr/bin/env node
// webhook.js - an incoming-webhook receiver (Teams / Slack style) for the notification tests
// (test-only, node stdlib, loopback only).
//   POST any path (e.g. /hook) with a JSON body -> 200 "1"; the body is appended, re-serialised
//        as one line of JSON, to --out. A body that is not JSON -> 400 (Slack: invalid_payload),
//        nothing recorded.
//   --fail (or control {"mode":"fail"}) -> every POST is answered 500 and not recorded, to prove
//        delivery failures are not fatal; control {"failNext":N} fails only the next N.
//   GET /__control -> {mode, failNext, stats:{received, recorded, failed, invalid}}
//   POST /__control {"mode":"ok"|"fail", "failNext":N, "resetStats":true}
// Options: --host --port --ready-file --out FILE --fail
'use strict';

const http = require('node:http');
const fs = require('node:fs');

const o = { host: '127.0.0.1', port: 0, readyFile: null, out: null, mode: 'ok' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--fail') { o.mode = 'fail'; continue; }
    if (!['--host', '--port', '--ready-file', '--out'].includes(a) || v === undefined) {
        process.stderr.write(`webhook: unknown option or missing value '${a}'\n`);
        process.exit(2);
    }
    o[{ '--host': 'host', '--port': 'port', '--ready-file': 'readyFile', '--out': 'out' }[a]] = v;
    i++;
}
if (!o.out) {
    process.stderr.write('webhook: --out FILE is required\n');
    process.exit(2);
}
let failNext = 0;
let stats = { received: 0, recorded: 0, failed: 0, invalid: 0 };

function reply(res, status, text, type = 'text/plain') {
    const b = Buffer.from(text);
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': b.length });
    res.end(b);
}

function control(req, res, body) {
    if (req.method === 'GET') return reply(res, 200, JSON.stringify({ mode: o.mode, failNext, stats }), 'application/json');
    let c;
    try {
        c = JSON.parse(body.toString('utf8') || '{}');
    } catch (e) {
        return reply(res, 400, `body is not JSON: ${e.message}`);
    }
    if (c.mode !== undefined) {
        if (!['ok', 'fail'].includes(c.mode)) return reply(res, 400, 'mode must be ok or fail');
        o.mode = c.mode;
    }
    if (c.failNext !== undefined) failNext = Number(c.failNext);
    if (c.resetStats) stats = { received: 0, recorded: 0, failed: 0, invalid: 0 };
    return reply(res, 200, JSON.stringify({ ok: true, mode: o.mode, failNext }), 'application/json');
}

const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        const body = Buffer.concat(chunks);
        process.stdout.write(`${new Date().toISOString()} ${req.method} ${req.url} ${body.length} bytes\n`);
        if (req.url === '/__control') return control(req, res, body);
        if (req.method !== 'POST') return reply(res, 405, 'POST only');
        stats.received++;
        if (o.mode === 'fail' || failNext > 0) {
            if (failNext > 0) failNext--;
            stats.failed++;
            return reply(res, 500, 'webhook: failing on purpose (mode fail)');
        }
        let parsed;
        try {
            parsed = JSON.parse(body.toString('utf8'));
        } catch (e) {
            stats.invalid++;
            return reply(res, 400, 'invalid_payload');
        }
        fs.appendFileSync(o.out, `${JSON.stringify(parsed)}\n`);
        stats.recorded++;
        return reply(res, 200, '1');
    });
});
server.listen(Number(o.port), o.host, () => {
    const { port } = server.address();
    process.stdout.write(`webhook listening on ${o.host}:${port}, recording to ${o.out}\n`);
    fs.closeSync(fs.openSync(o.out, 'a'));
    if (o.readyFile) {
        fs.writeFileSync(`${o.readyFile}.tmp`, JSON.stringify({ port, out: o.out }));
        fs.renameSync(`${o.readyFile}.tmp`, o.readyFile);
    }
});
const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
