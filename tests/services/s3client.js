// s3client.js - a tiny SigV4 signer and request runner written for the service tests, independent
// of s3strict.js (so a bug in one is not mirrored in the other). Not a test itself.
//   const s3 = require('./s3client.js');
//   await s3.send({method, url, body, headers, creds:{accessKey, secretKey, token, region}, tamper})
'use strict';
const crypto = require('node:crypto');
const http = require('node:http');

const sha = (d) => crypto.createHash('sha256').update(d).digest('hex');
const mac = (k, d) => crypto.createHmac('sha256', k).update(d).digest();
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// Sign per the AWS SigV4 documentation. url must already be encoded the way it will be sent.
function sign({ method, url, body = Buffer.alloc(0), headers = {}, creds, payload, now = new Date() }) {
    const u = new URL(url);
    const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const h = { host: u.host, 'x-amz-date': amzDate,
        'x-amz-content-sha256': payload || sha(body) };
    if (creds.token) h['x-amz-security-token'] = creds.token;
    for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = String(v);
    const names = Object.keys(h).sort();
    const query = [...u.searchParams].map(([k, v]) => [enc(k), enc(v)])
        .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : (a[0] < b[0] ? -1 : 1)))
        .map(([k, v]) => `${k}=${v}`).join('&');
    const path = u.pathname.split('/').map((s) => enc(decodeURIComponent(s))).join('/');
    const creq = [method, path, query, names.map((n) => `${n}:${h[n].trim()}\n`).join(''),
        names.join(';'), h['x-amz-content-sha256']].join('\n');
    const scope = `${day}/${creds.region}/s3/aws4_request`;
    const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha(creq)}`;
    const key = mac(mac(mac(mac(`AWS4${creds.secretKey}`, day), creds.region), 's3'), 'aws4_request');
    const sig = crypto.createHmac('sha256', key).update(sts).digest('hex');
    h.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKey}/${scope}, `
        + `SignedHeaders=${names.join(';')}, Signature=${sig}`;
    return h;
}

function raw(method, url, headers, body) {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end(body && body.length ? body : undefined);
    });
}

async function send(o) {
    const body = o.body ? Buffer.from(o.body) : Buffer.alloc(0);
    const h = sign({ ...o, body });
    if (o.method === 'PUT' || body.length) h['content-length'] = String(body.length);
    if (o.tamper) o.tamper(h);
    return raw(o.method, o.url, h, body);
}

function credsFromEnv() {
    return { accessKey: process.env.AWS_ACCESS_KEY_ID, secretKey: process.env.AWS_SECRET_ACCESS_KEY,
        token: process.env.AWS_SESSION_TOKEN, region: process.env.AWS_REGION || 'us-east-1' };
}

module.exports = { sign, send, raw, credsFromEnv };
