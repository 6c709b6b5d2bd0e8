// azsign.js - Azure Blob request signing for the test services (Shared Key, account SAS, service
// SAS). Test-only, node stdlib. Used by `svc` to create the test container and mint SAS tokens
// for Azurite, and usable by tests (`require('.../azsign.js')`) to make independent requests.
// Rules: Shared Key string-to-sign for Blob versions >= 2015-02-21; SAS string-to-sign for
// sv >= 2020-12-06 (see docs/object-store-notes.md 1.4-1.5 and the Azure REST reference).
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

const EMULATOR_ACCOUNT = 'devstoreaccount1';
const EMULATOR_KEY =
    'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const API_VERSION = '2023-11-03';
const SAS_VERSION = '2022-11-02';

function hmac(keyB64, text) {
    return crypto.createHmac('sha256', Buffer.from(keyB64, 'base64')).update(text, 'utf8')
        .digest('base64');
}

// Shared Key: returns the Authorization header value for method/url/headers (header names any case).
function sharedKey(method, url, headers, account, keyB64) {
    const u = new URL(url);
    const h = {};
    for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = String(v);
    const len = h['content-length'];
    const std = [
        method.toUpperCase(),
        h['content-encoding'] || '', h['content-language'] || '',
        (len === undefined || len === '0') ? '' : len,
        h['content-md5'] || '', h['content-type'] || '',
        h['x-ms-date'] ? '' : (h.date || ''),
        h['if-modified-since'] || '', h['if-match'] || '', h['if-none-match'] || '',
        h['if-unmodified-since'] || '', h.range || '',
    ];
    const xms = Object.keys(h).filter((k) => k.startsWith('x-ms-')).sort()
        .map((k) => `${k}:${h[k].trim().replace(/\s+/g, ' ')}\n`).join('');
    let res = `/${account}${u.pathname}`;
    const q = {};
    for (const [k, v] of u.searchParams) (q[k.toLowerCase()] ||= []).push(v);
    for (const k of Object.keys(q).sort()) res += `\n${k}:${q[k].sort().join(',')}`;
    const sts = std.join('\n') + '\n' + xms + res;
    return `SharedKey ${account}:${hmac(keyB64, sts)}`;
}

function isoNoMs(d) {
    return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Account SAS (blob service). perms e.g. 'rwdlac', resourceTypes 'sco'. Returns the query string.
function accountSas(account, keyB64, { perms = 'rwdlac', resourceTypes = 'sco',
    start = new Date(Date.now() - 5 * 60e3), expiry = new Date(Date.now() + 2 * 86400e3),
    protocol = '' } = {}) {
    const st = isoNoMs(start);
    const se = isoNoMs(expiry);
    const sts = [account, perms, 'b', resourceTypes, st, se, '', protocol, SAS_VERSION, ''].join('\n')
        + '\n';
    const p = new URLSearchParams({ sv: SAS_VERSION, ss: 'b', srt: resourceTypes, sp: perms, st, se });
    if (protocol) p.set('spr', protocol);
    p.set('sig', hmac(keyB64, sts));
    return p.toString();
}

// Service SAS for one container (sr=c). perms e.g. 'rl' or 'racwdl'.
function containerSas(account, keyB64, container, { perms = 'rl',
    start = new Date(Date.now() - 5 * 60e3), expiry = new Date(Date.now() + 2 * 86400e3) } = {}) {
    const st = isoNoMs(start);
    const se = isoNoMs(expiry);
    const sts = [perms, st, se, `/blob/${account}/${container}`, '', '', '', SAS_VERSION, 'c', '',
        '', '', '', '', '', ''].join('\n');
    const p = new URLSearchParams({ sv: SAS_VERSION, sr: 'c', sp: perms, st, se });
    p.set('sig', hmac(keyB64, sts));
    return p.toString();
}

// One request; resolves {status, headers, body(Buffer)}. opts: {ca, timeoutMs}.
function request(method, url, headers = {}, body = null, opts = {}) {
    return new Promise((resolve, reject) => {
        const u = new URL(url);
        const mod = u.protocol === 'https:' ? https : http;
        const req = mod.request(u, { method, headers, ca: opts.ca, timeout: opts.timeoutMs || 10000 },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                    body: Buffer.concat(chunks) }));
                res.on('error', reject);
            });
        req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
        req.on('error', reject);
        if (body) req.end(body); else req.end();
    });
}

// Signed request with Shared Key; adds x-ms-date / x-ms-version.
function signedRequest(method, url, account, keyB64, headers = {}, body = null, opts = {}) {
    const h = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': API_VERSION, ...headers };
    if (body !== null || method === 'PUT') h['Content-Length'] = String(body ? body.length : 0);
    h.Authorization = sharedKey(method, url, h, account, keyB64);
    return request(method, url, h, body, opts);
}

module.exports = { EMULATOR_ACCOUNT, EMULATOR_KEY, API_VERSION, SAS_VERSION, sharedKey, accountSas,
    containerSas, request, signedRequest };
