#!/usr/bin/env node
// faultproxy.js - a fault-injecting HTTP reverse proxy for the retry and lost-response tests
// (test-only, node stdlib, loopback only).
//
// Every request to http://127.0.0.1:PORT/... goes to --target with the same method, path, headers
// (Host included, so Shared Key and SigV4 signatures stay valid) and body, except that a seeded
// fraction of them meets one fault:
//   503    answered 503 ServerBusy/SlowDown by the proxy; never forwarded
//   500    answered 500 InternalError by the proxy; never forwarded
//   cut    forwarded; the status line, the headers and half of the body are sent, then the socket is
//          destroyed (a response with no body is cut before its headers: a lost response)
//   reset  the client socket is destroyed at once; never forwarded
//   delay  held for --delay-ms, then forwarded (the client has usually given up by then; the
//          upstream still applies it, as a slow server would)
// and, separately, --lose-put-rate F: that fraction of PUTs is forwarded, the upstream answer read,
// and the client socket destroyed instead of answering (the write happened; the client cannot know).
// The random draws per request are fixed (three), so a seed gives the same fault sequence for the
// same request sequence.
//
// Options: --host H --port P (0) --ready-file F --target URL --target-ca PEM --stats-file F
//          --seed N (1) --rate F (0.1) --kinds 503,500,cut,reset,delay --delay-ms MS (10000)
//          --lose-put-rate F (0) --methods GET,PUT,... (all)
// Control: GET /__control -> {settings, stats}; POST /__control {"rate","kinds","seed","delayMs",
//          "losePutRate","methods","resetStats"} changes them (a new seed restarts the sequence).
// Stats (also written to --stats-file after each request): requests, forwarded, faults per kind,
// lostAfterWrite: [{method, path (no query), kind}] for each write the upstream applied (2xx)
// whose answer the client never received (lost_put, cut, or a delay the client gave up on).
'use strict';

const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');

const KINDS = ['503', '500', 'cut', 'reset', 'delay'];

function rng(seed) {
    let a = (seed >>> 0) || 1;
    return () => {
        a = (a + 0x6D2B79F5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function parseArgs(argv) {
    const o = { host: '127.0.0.1', port: 0, readyFile: null, target: null, targetCa: null,
        statsFile: null, seed: 1, rate: 0.1, kinds: [...KINDS], delayMs: 10000, losePutRate: 0,
        methods: null };
    const need = (i) => {
        if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
        return argv[i + 1];
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        switch (a) {
        case '--host': o.host = need(i); i++; break;
        case '--port': o.port = Number(need(i)); i++; break;
        case '--ready-file': o.readyFile = need(i); i++; break;
        case '--target': o.target = need(i); i++; break;
        case '--target-ca': o.targetCa = fs.readFileSync(need(i)); i++; break;
        case '--stats-file': o.statsFile = need(i); i++; break;
        case '--seed': o.seed = Number(need(i)); i++; break;
        case '--rate': o.rate = Number(need(i)); i++; break;
        case '--kinds': o.kinds = need(i).split(','); i++; break;
        case '--delay-ms': o.delayMs = Number(need(i)); i++; break;
        case '--lose-put-rate': o.losePutRate = Number(need(i)); i++; break;
        case '--methods': o.methods = need(i).toUpperCase().split(','); i++; break;
        default: throw new Error(`unknown option '${a}'`);
        }
    }
    if (!o.target) throw new Error('--target URL is required');
    o.targetUrl = new URL(o.target);
    if (!(o.rate >= 0 && o.rate <= 1)) throw new Error('--rate must be within 0..1');
    if (!(o.losePutRate >= 0 && o.losePutRate <= 1)) throw new Error('--lose-put-rate must be within 0..1');
    for (const k of o.kinds) if (!KINDS.includes(k)) throw new Error(`unknown fault kind '${k}' (${KINDS})`);
    return o;
}

let opts;
let random;
let stats;

function resetStats() {
    stats = { requests: 0, forwarded: 0, faults: { 503: 0, 500: 0, cut: 0, reset: 0, delay: 0,
        lost_put: 0 }, upstreamErrors: 0, lostAfterWrite: [] };
}

// A write the upstream applied whose answer the client never got (lost_put, a cut bodyless
// answer, or a delayed request the client had given up on): the lost-response tests look for
// their own keys here. Bounded to the last LOST_MAX.
const LOST_MAX = 2000;
function noteLostWrite(req, kind) {
    if (req.method !== 'PUT' && req.method !== 'DELETE' && req.method !== 'POST') return;
    stats.lostAfterWrite.push({ method: req.method, path: req.url.split('?')[0], kind });
    if (stats.lostAfterWrite.length > LOST_MAX) stats.lostAfterWrite.shift();
}

function saveStats() {
    if (!opts.statsFile) return;
    const tmp = `${opts.statsFile}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(stats)}\n`);
    fs.renameSync(tmp, opts.statsFile);
}

function settings() {
    return { target: opts.target, seed: opts.seed, rate: opts.rate, kinds: opts.kinds,
        delayMs: opts.delayMs, losePutRate: opts.losePutRate, methods: opts.methods };
}

function log(line) {
    process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

// Forward the buffered request upstream; resolves {status, headers, body} or rejects.
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': null };
function forward(req, body) {
    return new Promise((resolve, reject) => {
        const t = opts.targetUrl;
        const mod = t.protocol === 'https:' ? https : http;
        if (t.protocol === 'https:' && !agents['https:']) {
            agents['https:'] = new https.Agent({ keepAlive: true, ca: opts.targetCa || undefined,
                rejectUnauthorized: !!opts.targetCa });
        }
        const headers = { ...req.headers };
        delete headers.connection;
        const up = mod.request({ protocol: t.protocol, hostname: t.hostname, port: t.port,
            method: req.method, path: req.url, headers, agent: agents[t.protocol] }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
            res.on('error', reject);
        });
        up.on('error', reject);
        up.end(body.length ? body : undefined);
    });
}

function answerError(res, status) {
    const azure = !!res.req.headers['x-ms-version'] || /^SharedKey|^Bearer/.test(res.req.headers.authorization || '');
    const code = status === 503 ? (azure ? 'ServerBusy' : 'SlowDown') : 'InternalError';
    const msg = status === 503 ? 'Injected by faultproxy: the server is busy.'
        : 'Injected by faultproxy: internal error.';
    const body = Buffer.from(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code>`
        + `<Message>${msg}</Message></Error>`);
    const headers = { 'Content-Type': 'application/xml', 'Content-Length': body.length };
    if (azure) headers['x-ms-error-code'] = code;
    res.writeHead(status, headers);
    res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendUpstream(res, u, req) {
    // Pass headers as received (raw pairs keep duplicates), minus hop-by-hop ones.
    const hop = new Set(['connection', 'keep-alive', 'transfer-encoding']);
    const pairs = [];
    for (let i = 0; i < u.rawHeaders.length; i += 2) {
        if (!hop.has(u.rawHeaders[i].toLowerCase())) pairs.push([u.rawHeaders[i], u.rawHeaders[i + 1]]);
    }
    if (u.headers['content-length'] === undefined && req.method !== 'HEAD') {
        pairs.push(['Content-Length', String(u.body.length)]);
    }
    res.writeHead(u.status, pairs.flat());
    res.end(req.method === 'HEAD' ? undefined : u.body);
}

function control(req, res, body) {
    const reply = (status, obj) => {
        const b = Buffer.from(`${JSON.stringify(obj)}\n`);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': b.length });
        res.end(b);
    };
    if (req.method === 'GET') return reply(200, { settings: settings(), stats });
    if (req.method !== 'POST') return reply(405, { error: 'use GET or POST' });
    let c;
    try {
        c = JSON.parse(body.toString('utf8') || '{}');
    } catch (e) {
        return reply(400, { error: `body is not JSON: ${e.message}` });
    }
    const known = ['rate', 'kinds', 'seed', 'delayMs', 'losePutRate', 'methods', 'resetStats'];
    for (const k of Object.keys(c)) if (!known.includes(k)) return reply(400, { error: `unknown field '${k}'`, known });
    if (c.kinds !== undefined) {
        if (!Array.isArray(c.kinds) || c.kinds.some((k) => !KINDS.includes(String(k)))) {
            return reply(400, { error: `kinds must be a list of ${KINDS}` });
        }
        opts.kinds = c.kinds.map(String);
    }
    if (c.rate !== undefined) {
        if (!(c.rate >= 0 && c.rate <= 1)) return reply(400, { error: 'rate within 0..1' });
        opts.rate = c.rate;
    }
    if (c.losePutRate !== undefined) {
        if (!(c.losePutRate >= 0 && c.losePutRate <= 1)) return reply(400, { error: 'losePutRate within 0..1' });
        opts.losePutRate = c.losePutRate;
    }
    if (c.delayMs !== undefined) opts.delayMs = Number(c.delayMs);
    if (c.methods !== undefined) opts.methods = c.methods ? c.methods.map((m) => m.toUpperCase()) : null;
    if (c.seed !== undefined) {
        opts.seed = Number(c.seed);
        random = rng(opts.seed);
    }
    if (c.resetStats) resetStats();
    saveStats();
    return reply(200, { ok: true, settings: settings() });
}

async function handle(req, res, body) {
    if (req.url === '/__control') return control(req, res, body);
    stats.requests++;
    const n = stats.requests;
    const draw = random();
    const pick = random();
    const lose = random();
    const eligible = !opts.methods || opts.methods.includes(req.method);
    let fault = null;
    if (eligible && opts.kinds.length && draw < opts.rate) {
        fault = opts.kinds[Math.floor(pick * opts.kinds.length)];
    }
    if (!fault && req.method === 'PUT' && lose < opts.losePutRate) fault = 'lost_put';
    if (fault) stats.faults[fault]++;
    saveStats();
    log(`#${n} ${req.method} ${req.url}${fault ? ` FAULT ${fault}` : ''}`);
    if (fault === '503' || fault === '500') return answerError(res, Number(fault));
    if (fault === 'reset') return req.socket.destroy();
    if (fault === 'delay') await new Promise((r) => setTimeout(r, opts.delayMs));
    let u;
    try {
        u = await forward(req, body);
        stats.forwarded++;
    } catch (e) {
        stats.upstreamErrors++;
        saveStats();
        log(`#${n} upstream error: ${e.message}`);
        if (!res.destroyed && !res.headersSent) {
            const b = Buffer.from(`faultproxy: upstream ${opts.target} failed: ${e.message}\n`);
            res.writeHead(502, { 'Content-Type': 'text/plain', 'Content-Length': b.length });
            res.end(b);
        }
        return undefined;
    }
    if (res.destroyed || req.socket.destroyed) {
        if (u.status < 300) noteLostWrite(req, fault || 'client-gone');
        saveStats();
        return undefined;
    }
    if (fault === 'lost_put') {
        if (u.status < 300) noteLostWrite(req, fault);
        saveStats();
        return req.socket.destroy();
    }
    saveStats();
    if (fault === 'cut') {
        const half = Math.floor(u.body.length / 2);
        if (req.method === 'HEAD' || u.body.length === 0) {
            if (u.status < 300) noteLostWrite(req, fault);
            saveStats();
            return req.socket.destroy();
        }
        const hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);
        const pairs = [];
        for (let i = 0; i < u.rawHeaders.length; i += 2) {
            if (!hop.has(u.rawHeaders[i].toLowerCase())) pairs.push([u.rawHeaders[i], u.rawHeaders[i + 1]]);
        }
        pairs.push(['Content-Length', String(u.body.length)]);
        res.writeHead(u.status, pairs.flat());
        res.write(u.body.subarray(0, half), () => setImmediate(() => req.socket.destroy()));
        return undefined;
    }
    return sendUpstream(res, u, req);
}

function main() {
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`faultproxy: ${e.message}\n`);
        process.exit(2);
    }
    random = rng(opts.seed);
    resetStats();
    const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            handle(req, res, Buffer.concat(chunks)).catch((e) => {
                log(`internal error: ${e.stack}`);
                if (!res.headersSent) {
                    res.writeHead(500);
                    res.end();
                }
            });
        });
    });
    server.listen(opts.port, opts.host, () => {
        const { port } = server.address();
        log(`faultproxy listening on ${opts.host}:${port} -> ${opts.target} (${JSON.stringify(settings())})`);
        saveStats();
        if (opts.readyFile) {
            fs.writeFileSync(`${opts.readyFile}.tmp`, JSON.stringify({ port, target: opts.target }));
            fs.renameSync(`${opts.readyFile}.tmp`, opts.readyFile);
        }
    });
    const stop = () => {
        server.close();
        server.closeAllConnections();
        process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

main();
