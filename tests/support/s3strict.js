#!/usr/bin/env node
// s3strict.js - a small, strict S3 test server (test-only, node stdlib, loopback only).
//
// What it is for: proving lakerewind's S3 client signs every request exactly as AWS expects and
// uses conditional writes correctly. It keeps objects in memory, addresses buckets path-style
// (http://127.0.0.1:PORT/bucket/key), and:
//   - recomputes the AWS Signature V4 of EVERY request (header auth only) with the configured
//     credentials: canonical URI (each segment URI-encoded once, AWS rules), canonical query
//     (decoded, re-encoded, sorted), signed headers (trimmed, sorted; every x-amz-* header must be
//     signed), x-amz-content-sha256 (hex hash checked against the body, or UNSIGNED-PAYLOAD),
//     x-amz-date skew (15 min), credential scope (date/region/s3), x-amz-security-token;
//     a mismatch is 403 SignatureDoesNotMatch with StringToSign and CanonicalRequest in the body;
//   - ListObjectsV2 (prefix, delimiter, start-after, continuation-token, max-keys, encoding-type),
//     ListObjects V1, GetObject/HeadObject with Range (206, 416 InvalidRange), PutObject with
//     If-None-Match: * (412) and If-Match, DeleteObject (204), DeleteObjects, Create/Head/Delete
//     bucket, ListBuckets;
//   - fault injection controlled by flags or POST /__control (see tests/support/README.md).
//
// Options (each also from the environment variable in brackets):
//   --host H (127.0.0.1)  --port P (0 = OS picks)  --ready-file F (JSON {port,...} written when listening)
//   --access-key K [LR_S3STRICT_ACCESS_KEY]  --secret-key S [LR_S3STRICT_SECRET_KEY]
//   --session-token T [LR_S3STRICT_SESSION_TOKEN] (requests must then carry x-amz-security-token T)
//   --region R (us-east-1)  --bucket NAME (lrtest; repeatable)  --max-skew SECONDS (900)
//   --seed N (1)  --fault-rate F (0)  --fault-kinds slowdown,internal,conflict,internal-after
//   --fault-methods GET,PUT,...  --ignore-if-none-match  --ignore-if-match
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');

// ---------------------------------------------------------------------------------------------
// options

function parseArgs(argv) {
    const o = {
        host: '127.0.0.1', port: 0, readyFile: null,
        accessKey: process.env.LR_S3STRICT_ACCESS_KEY || 'LRTESTAKIDEXAMPLE001',
        secretKey: process.env.LR_S3STRICT_SECRET_KEY || 'lrtest/Secret+Key/For/SigV4/Tests0000000',
        sessionToken: process.env.LR_S3STRICT_SESSION_TOKEN || '',
        region: 'us-east-1', buckets: [], maxSkew: 900,
        seed: 1, faultRate: 0, faultKinds: ['slowdown', 'internal', 'conflict'], faultMethods: null,
        ignoreIfNoneMatch: false, ignoreIfMatch: false,
    };
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
        case '--access-key': o.accessKey = need(i); i++; break;
        case '--secret-key': o.secretKey = need(i); i++; break;
        case '--session-token': o.sessionToken = need(i); i++; break;
        case '--region': o.region = need(i); i++; break;
        case '--bucket': o.buckets.push(need(i)); i++; break;
        case '--max-skew': o.maxSkew = Number(need(i)); i++; break;
        case '--seed': o.seed = Number(need(i)); i++; break;
        case '--fault-rate': o.faultRate = Number(need(i)); i++; break;
        case '--fault-kinds': o.faultKinds = need(i).split(','); i++; break;
        case '--fault-methods': o.faultMethods = need(i).toUpperCase().split(','); i++; break;
        case '--ignore-if-none-match': o.ignoreIfNoneMatch = true; break;
        case '--ignore-if-match': o.ignoreIfMatch = true; break;
        default: throw new Error(`unknown option '${a}'`);
        }
    }
    if (!o.buckets.length) o.buckets.push('lrtest');
    if (!(o.faultRate >= 0 && o.faultRate <= 1)) throw new Error('--fault-rate must be within 0..1');
    for (const k of o.faultKinds) {
        if (!FAULT_KINDS.includes(k)) throw new Error(`unknown fault kind '${k}' (${FAULT_KINDS})`);
    }
    return o;
}

const FAULT_KINDS = ['slowdown', 'internal', 'conflict', 'internal-after'];

// Deterministic PRNG (mulberry32) so a seed reproduces the same fault sequence.
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

// ---------------------------------------------------------------------------------------------
// state

let opts;
const buckets = new Map(); // name -> Map(key -> {body, etag, lastModified, contentType})
const stats = { requests: 0, byMethod: {}, byStatus: {}, faults: {}, authFailures: {},
    preconditionFailed: 0, ignoredConditions: 0 };
// Fault/mode settings: one global scope, optionally overridden per bucket.
const scopes = { global: null, buckets: {} };
let requestSeq = 0;

function newScope(from) {
    const s = { faultRate: from.faultRate || 0, faultKinds: [...(from.faultKinds || FAULT_KINDS)],
        faultMethods: from.faultMethods || null, seed: from.seed || 1,
        ignoreIfNoneMatch: !!from.ignoreIfNoneMatch, ignoreIfMatch: !!from.ignoreIfMatch,
        failNext: [] };
    s.random = rng(s.seed);
    return s;
}

function scopeFor(bucket) {
    return (bucket && scopes.buckets[bucket]) || scopes.global;
}

// ---------------------------------------------------------------------------------------------
// helpers

const sha256hex = (b) => crypto.createHash('sha256').update(b).digest('hex');
const hmac = (k, s) => crypto.createHmac('sha256', k).update(s, 'utf8').digest();

function xmlEscape(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;',
        '"': '&quot;', "'": '&apos;' }[c]));
}

// AWS URI encoding: unreserved characters stay, every other byte is %XX (uppercase hex).
function awsEncode(s, keepSlash) {
    let out = '';
    for (const byte of Buffer.from(s, 'utf8')) {
        const c = String.fromCharCode(byte);
        if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
        else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}

// Percent-decoding only ('+' stays '+', as AWS treats it). Returns null on malformed input.
function pctDecode(s) {
    try {
        return decodeURIComponent(s);
    } catch (e) {
        return null;
    }
}

function requestId() {
    return crypto.randomBytes(8).toString('hex').toUpperCase();
}

function sendXml(res, status, xml, extraHeaders = {}) {
    const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, 'utf8');
    res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': body.length,
        ...extraHeaders });
    res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendError(res, status, code, message, extra = {}, headers = {}) {
    let xml = `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>`;
    for (const [k, v] of Object.entries(extra)) xml += `<${k}>${xmlEscape(v)}</${k}>`;
    xml += `<RequestId>${res.getHeader('x-amz-request-id')}</RequestId><HostId>s3strict</HostId></Error>`;
    sendXml(res, status, xml, headers);
    res.lrError = code;
}

function sendEmpty(res, status, headers = {}) {
    res.writeHead(status, { 'Content-Length': 0, ...headers });
    res.end();
}

function httpDate(d) {
    return d.toUTCString();
}

function isoDate(d) {
    return d.toISOString();
}

// ---------------------------------------------------------------------------------------------
// SigV4 verification. Returns null when the request is authentic, else it has answered already.

function parseAuthorization(h) {
    const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(h);
    if (!m) return null;
    const parts = {};
    for (const p of m[1].split(',')) {
        const kv = p.trim();
        const eq = kv.indexOf('=');
        if (eq < 0) return null;
        parts[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    if (!parts.Credential || !parts.SignedHeaders || !parts.Signature) return null;
    return parts;
}

function canonicalQuery(rawQuery) {
    if (!rawQuery) return '';
    const pairs = [];
    for (const p of rawQuery.split('&')) {
        if (p === '') continue;
        const eq = p.indexOf('=');
        const k = pctDecode(eq < 0 ? p : p.slice(0, eq));
        const v = pctDecode(eq < 0 ? '' : p.slice(eq + 1));
        if (k === null || v === null) return null;
        pairs.push([awsEncode(k, false), awsEncode(v, false)]);
    }
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
    return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

// Headers by lower-case name, repeated headers joined with ',' (as AWS canonicalises them).
function headerMap(req) {
    const h = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i].toLowerCase();
        const value = req.rawHeaders[i + 1].trim().replace(/\s+/g, ' ');
        h[name] = name in h ? `${h[name]},${value}` : value;
    }
    return h;
}

function parseAmzDate(s) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
    if (!m) return null;
    return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function verifySigV4(req, res, body, pathRaw, queryRaw) {
    const h = headerMap(req);
    const fail = (status, code, msg, extra) => {
        stats.authFailures[code] = (stats.authFailures[code] || 0) + 1;
        sendError(res, status, code, msg, extra);
        return false;
    };
    if (!h.authorization) {
        if (/(^|&)X-Amz-Signature=/i.test(queryRaw || '')) {
            return fail(403, 'AccessDenied', 's3strict does not accept presigned (query-string) '
                + 'authentication; sign with the Authorization header');
        }
        return fail(403, 'AccessDenied', 'Access Denied (anonymous requests are refused)');
    }
    const auth = parseAuthorization(h.authorization);
    if (!auth) {
        return fail(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; '
            + 'expected AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...');
    }
    const cred = auth.Credential.split('/');
    if (cred.length !== 5 || cred[4] !== 'aws4_request') {
        return fail(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the `
            + `Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
    }
    const [akid, credDate, region, service] = cred;
    if (akid !== opts.accessKey) {
        return fail(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in '
            + 'our records.', { AWSAccessKeyId: akid });
    }
    const amzDateStr = h['x-amz-date'];
    const amzDate = parseAmzDate(amzDateStr);
    if (!amzDate) {
        return fail(403, 'AccessDenied', 'AWS authentication requires a valid x-amz-date header '
            + '(YYYYMMDDTHHMMSSZ)');
    }
    const skew = Math.abs(Date.now() - amzDate.getTime()) / 1000;
    if (skew > opts.maxSkew) {
        return fail(403, 'RequestTimeTooSkewed', 'The difference between the request time and the '
            + 'current time is too large.', { RequestTime: amzDateStr,
            ServerTime: new Date().toISOString(), MaxAllowedSkewMilliseconds: opts.maxSkew * 1000 });
    }
    if (credDate !== amzDateStr.slice(0, 8)) {
        return fail(403, 'SignatureDoesNotMatch', `Credential date '${credDate}' does not match the `
            + `x-amz-date '${amzDateStr}'`);
    }
    if (region !== opts.region) {
        return fail(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the `
            + `region '${region}' is wrong; expecting '${opts.region}'`, { Region: opts.region });
    }
    if (service !== 's3') {
        return fail(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; `
            + `incorrect service '${service}'. This endpoint belongs to 's3'.`);
    }
    const signed = auth.SignedHeaders.split(';');
    if (!signed.includes('host')) {
        return fail(403, 'AccessDenied', 'SignedHeaders must include host');
    }
    const unsigned = Object.keys(h).filter((k) => k.startsWith('x-amz-') && !signed.includes(k));
    if (unsigned.length) {
        return fail(403, 'AccessDenied', 'There were headers present in the request which were not '
            + 'signed', { HeadersNotSigned: unsigned.join(', ') });
    }
    const payload = h['x-amz-content-sha256'];
    if (!payload) {
        return fail(400, 'InvalidRequest', 'Missing required header for this request: '
            + 'x-amz-content-sha256');
    }
    if (payload.startsWith('STREAMING-')) {
        return fail(501, 'NotImplemented', `s3strict does not implement ${payload} (aws-chunked) uploads`);
    }
    if (payload !== 'UNSIGNED-PAYLOAD') {
        if (!/^[0-9a-f]{64}$/.test(payload)) {
            return fail(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, '
                + 'STREAMING-..., or a valid sha256 value.');
        }
        const actual = sha256hex(body);
        if (actual !== payload) {
            return fail(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header "
                + 'does not match what was computed.', { ClientComputedContentSHA256: payload,
                S3ComputedContentSHA256: actual });
        }
    }
    const token = h['x-amz-security-token'];
    if ((opts.sessionToken || token) && token !== opts.sessionToken) {
        return fail(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    }
    // Canonical request.
    const segs = pathRaw.split('/').map((seg) => pctDecode(seg));
    if (segs.some((s) => s === null)) return fail(400, 'InvalidURI', 'Could not parse the specified URI.');
    const canonUri = segs.map((s) => awsEncode(s, false)).join('/') || '/';
    const canonQuery = canonicalQuery(queryRaw);
    if (canonQuery === null) return fail(400, 'InvalidURI', 'Could not parse the specified URI.');
    const sortedSigned = [...signed].sort();
    const canonHeaders = sortedSigned.map((k) => `${k}:${h[k] === undefined ? '' : h[k]}\n`).join('');
    const canonicalRequest = [req.method, canonUri, canonQuery, canonHeaders, sortedSigned.join(';'),
        payload].join('\n');
    const scope = `${credDate}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDateStr, scope, sha256hex(canonicalRequest)].join('\n');
    let k = hmac(`AWS4${opts.secretKey}`, credDate);
    k = hmac(k, region);
    k = hmac(k, service);
    k = hmac(k, 'aws4_request');
    const expected = crypto.createHmac('sha256', k).update(stringToSign, 'utf8').digest('hex');
    const provided = auth.Signature;
    const ok = provided.length === expected.length
        && crypto.timingSafeEqual(Buffer.from(provided), Buffer.from(expected));
    if (!ok) {
        const bytes = (s) => Buffer.from(s, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
        return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not '
            + 'match the signature you provided. Check your key and signing method.', {
            AWSAccessKeyId: akid, StringToSign: stringToSign, SignatureProvided: provided,
            StringToSignBytes: bytes(stringToSign), CanonicalRequest: canonicalRequest,
            CanonicalRequestBytes: bytes(canonicalRequest) });
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// fault injection

function pickFault(req, bucket, conditionalPut) {
    const s = scopeFor(bucket);
    const method = req.method;
    for (let i = 0; i < s.failNext.length; i++) {
        const f = s.failNext[i];
        if (f.method && f.method !== method) continue;
        if (f.kind === 'conflict' && !conditionalPut) continue;
        f.count--;
        if (f.count <= 0) s.failNext.splice(i, 1);
        return f.kind;
    }
    if (s.faultRate <= 0) return null;
    if (s.faultMethods && !s.faultMethods.includes(method)) return null;
    const draw = s.random();
    const pick = s.random();
    if (draw >= s.faultRate) return null;
    const kinds = s.faultKinds.filter((k) => (k !== 'conflict' || conditionalPut)
        && (k !== 'internal-after' || method === 'PUT' || method === 'DELETE'));
    if (!kinds.length) return null;
    return kinds[Math.floor(pick * kinds.length)];
}

function sendFault(res, kind) {
    stats.faults[kind] = (stats.faults[kind] || 0) + 1;
    if (kind === 'slowdown') {
        return sendError(res, 503, 'SlowDown', 'Please reduce your request rate.', {}, { 'Retry-After': '1' });
    }
    if (kind === 'conflict') {
        return sendError(res, 409, 'ConditionalRequestConflict', 'A conflicting conditional '
            + 'operation is currently in progress against this resource. Please try again.');
    }
    return sendError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
}

// ---------------------------------------------------------------------------------------------
// S3 operations

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function cmpKey(a, b) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function objectHeaders(o) {
    return { ETag: o.etag, 'Last-Modified': httpDate(o.lastModified), 'Content-Type': o.contentType,
        'Accept-Ranges': 'bytes' };
}

function etagMatches(cond, etag) {
    return cond.split(',').map((x) => x.trim()).some((c) => c === '*' || c === etag
        || `"${c}"` === etag || c === `W/${etag}`);
}

function encodeToken(key) {
    return Buffer.from(`s3strict:${key}`, 'utf8').toString('base64');
}

function decodeToken(tok) {
    const t = Buffer.from(tok, 'base64').toString('utf8');
    return t.startsWith('s3strict:') ? t.slice('s3strict:'.length) : null;
}

function listObjects(res, bucketName, store, q, v2) {
    const prefix = q.get('prefix') || '';
    const delimiter = q.get('delimiter') || '';
    const encodingType = q.get('encoding-type');
    if (encodingType !== null && encodingType !== 'url') {
        return sendError(res, 400, 'InvalidArgument', 'Invalid Encoding Method specified in Request',
            { ArgumentName: 'encoding-type', ArgumentValue: encodingType });
    }
    let maxKeys = 1000;
    if (q.has('max-keys')) {
        const mk = q.get('max-keys');
        if (!/^[0-9]+$/.test(mk)) {
            return sendError(res, 400, 'InvalidArgument', 'Provided max-keys not an integer or within '
                + 'integer range', { ArgumentName: 'max-keys', ArgumentValue: mk });
        }
        maxKeys = Math.min(Number(mk), 1000);
    }
    let after = '';
    const contToken = v2 ? q.get('continuation-token') : null;
    const startAfter = v2 ? q.get('start-after') : null;
    const marker = v2 ? null : q.get('marker');
    if (contToken !== null) {
        const k = decodeToken(contToken);
        if (k === null || contToken === '') {
            return sendError(res, 400, 'InvalidArgument', 'The continuation token provided is incorrect',
                { ArgumentName: 'continuation-token' });
        }
        after = k;
    } else if (startAfter) {
        after = startAfter;
    } else if (marker) {
        after = marker;
    }
    const keys = [...store.keys()].filter((k) => k.startsWith(prefix) && cmpKey(k, after) > 0)
        .sort(cmpKey);
    const contents = [];
    const prefixes = [];
    let truncated = false;
    let lastReturned = null;
    for (const k of keys) {
        let cp = null;
        if (delimiter) {
            const i = k.indexOf(delimiter, prefix.length);
            if (i >= 0) cp = k.slice(0, i + delimiter.length);
        }
        if (cp !== null && prefixes.length && prefixes[prefixes.length - 1] === cp) continue;
        if (contents.length + prefixes.length >= maxKeys) {
            truncated = true;
            break;
        }
        if (cp !== null) {
            prefixes.push(cp);
            lastReturned = cp;
        } else {
            contents.push(k);
            lastReturned = k;
        }
    }
    // A common prefix is returned once: resume after every key it covers.
    if (truncated && lastReturned && delimiter && lastReturned.endsWith(delimiter)
        && prefixes.includes(lastReturned)) {
        lastReturned = `${lastReturned}\u{10FFFF}`;
    }
    // encoding-type=url: form-style, as AWS answers it ('/' kept, space as '+').
    const enc = (s) => xmlEscape(encodingType === 'url' ? awsEncode(s, true).replace(/%20/g, '+') : s);
    let xml = '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
    xml += `<Name>${xmlEscape(bucketName)}</Name><Prefix>${enc(prefix)}</Prefix>`;
    if (v2) {
        if (contToken !== null) xml += `<ContinuationToken>${xmlEscape(contToken)}</ContinuationToken>`;
        if (truncated) {
            xml += `<NextContinuationToken>${xmlEscape(encodeToken(lastReturned))}</NextContinuationToken>`;
        }
        xml += `<KeyCount>${contents.length + prefixes.length}</KeyCount>`;
    } else {
        xml += `<Marker>${enc(marker || '')}</Marker>`;
        if (truncated && delimiter) xml += `<NextMarker>${enc(lastReturned)}</NextMarker>`;
    }
    xml += `<MaxKeys>${maxKeys}</MaxKeys>`;
    if (delimiter) xml += `<Delimiter>${enc(delimiter)}</Delimiter>`;
    if (encodingType) xml += '<EncodingType>url</EncodingType>';
    xml += `<IsTruncated>${truncated}</IsTruncated>`;
    if (v2 && startAfter !== null) xml += `<StartAfter>${enc(startAfter)}</StartAfter>`;
    for (const k of contents) {
        const o = store.get(k);
        xml += `<Contents><Key>${enc(k)}</Key><LastModified>${isoDate(o.lastModified)}</LastModified>`
            + `<ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size>`
            + '<StorageClass>STANDARD</StorageClass></Contents>';
    }
    for (const p of prefixes) xml += `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`;
    xml += '</ListBucketResult>';
    return sendXml(res, 200, xml);
}

function parseRange(h, size) {
    // Returns null (ignore, serve whole), {start,end}, or 'unsatisfiable'.
    const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
    if (!m || (m[1] === '' && m[2] === '')) return null;
    if (m[1] === '') {
        const n = Number(m[2]);
        if (n === 0 || size === 0) return 'unsatisfiable';
        return { start: Math.max(0, size - n), end: size - 1 };
    }
    const start = Number(m[1]);
    let end = m[2] === '' ? size - 1 : Number(m[2]);
    if (m[2] !== '' && end < start) return null;
    if (start >= size) return 'unsatisfiable';
    if (end >= size) end = size - 1;
    return { start, end };
}

function getObject(req, res, store, key) {
    const o = store.get(key);
    if (!o) {
        return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    }
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifMatch !== undefined && !etagMatches(ifMatch, o.etag)) {
        return sendError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you '
            + 'specified did not hold', { Condition: 'If-Match' });
    }
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, o.etag)) {
        return sendEmpty(res, 304, { ETag: o.etag });
    }
    const size = o.body.length;
    const range = req.headers.range !== undefined ? parseRange(req.headers.range, size) : null;
    if (range === 'unsatisfiable') {
        return sendError(res, 416, 'InvalidRange', 'The requested range is not satisfiable',
            { RangeRequested: req.headers.range, ActualObjectSize: size },
            { 'Content-Range': `bytes */${size}` });
    }
    const headers = objectHeaders(o);
    if (range) {
        const part = o.body.subarray(range.start, range.end + 1);
        res.writeHead(206, { ...headers, 'Content-Length': part.length,
            'Content-Range': `bytes ${range.start}-${range.end}/${size}` });
        return res.end(req.method === 'HEAD' ? undefined : part);
    }
    res.writeHead(200, { ...headers, 'Content-Length': size });
    return res.end(req.method === 'HEAD' ? undefined : o.body);
}

// Returns true when the request may proceed, else it has answered already.
function putPreconditions(req, res, scope, store, key) {
    const ifNoneMatch = req.headers['if-none-match'];
    const ifMatch = req.headers['if-match'];
    const existing = store.get(key);
    if (ifNoneMatch !== undefined) {
        if (ifNoneMatch.trim() !== '*') {
            sendError(res, 501, 'NotImplemented', 'A header you provided implies functionality that '
                + 'is not implemented', { Header: 'If-None-Match' });
            return false;
        }
        if (scope.ignoreIfNoneMatch) {
            stats.ignoredConditions++;
        } else if (existing) {
            stats.preconditionFailed++;
            sendError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you '
                + 'specified did not hold', { Condition: 'If-None-Match' });
            return false;
        }
    }
    if (ifMatch !== undefined) {
        if (scope.ignoreIfMatch) {
            stats.ignoredConditions++;
        } else if (!existing) {
            sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
            return false;
        } else if (!etagMatches(ifMatch, existing.etag)) {
            stats.preconditionFailed++;
            sendError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you '
                + 'specified did not hold', { Condition: 'If-Match' });
            return false;
        }
    }
    return true;
}

function putObject(req, res, store, key, body) {
    const md5 = req.headers['content-md5'];
    const digest = crypto.createHash('md5').update(body).digest();
    if (md5 !== undefined) {
        const given = Buffer.from(md5, 'base64');
        if (given.length !== 16) return sendError(res, 400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
        if (!given.equals(digest)) {
            return sendError(res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what '
                + 'we received.');
        }
    }
    const o = { body, etag: `"${digest.toString('hex')}"`, lastModified: new Date(),
        contentType: req.headers['content-type'] || 'binary/octet-stream' };
    store.set(key, o);
    return o;
}

function deleteObjects(res, store, body) {
    const xml = body.toString('utf8');
    const keys = [...xml.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => m[1]
        .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'));
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(xml);
    let out = '<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
    for (const k of keys) {
        store.delete(k);
        if (!quiet) out += `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`;
    }
    out += '</DeleteResult>';
    return sendXml(res, 200, out);
}

const UNSUPPORTED_SUBRESOURCES = ['uploads', 'uploadId', 'partNumber', 'acl', 'versioning', 'versions',
    'tagging', 'policy', 'lifecycle', 'cors', 'website', 'notification', 'replication', 'encryption',
    'object-lock', 'retention', 'legal-hold', 'torrent', 'restore', 'select', 'attributes', 'logging',
    'accelerate', 'analytics', 'inventory', 'metrics', 'ownershipControls', 'publicAccessBlock',
    'requestPayment', 'intelligent-tiering'];

function handleS3(req, res, body, pathRaw, queryRaw) {
    const q = new URLSearchParams(queryRaw || '');
    const decodedPath = pctDecode(pathRaw);
    const slash = decodedPath.indexOf('/', 1);
    const bucketName = slash < 0 ? decodedPath.slice(1) : decodedPath.slice(1, slash);
    const key = slash < 0 ? '' : decodedPath.slice(slash + 1);
    const m = req.method;
    for (const sub of UNSUPPORTED_SUBRESOURCES) {
        if (q.has(sub)) {
            return sendError(res, 501, 'NotImplemented', `s3strict does not implement the '${sub}' `
                + 'subresource');
        }
    }
    if (bucketName === '') {
        if (m !== 'GET') return sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
        let xml = '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            + '<Owner><ID>s3strict</ID><DisplayName>s3strict</DisplayName></Owner><Buckets>';
        for (const b of [...buckets.keys()].sort()) {
            xml += `<Bucket><Name>${xmlEscape(b)}</Name><CreationDate>${isoDate(new Date())}`
                + '</CreationDate></Bucket>';
        }
        return sendXml(res, 200, `${xml}</Buckets></ListAllMyBucketsResult>`);
    }
    const store = buckets.get(bucketName);
    const scope = scopeFor(bucketName);
    if (key === '') {
        if (m === 'PUT') {
            if (!BUCKET_RE.test(bucketName)) {
                return sendError(res, 400, 'InvalidBucketName', 'The specified bucket is not valid.',
                    { BucketName: bucketName });
            }
            if (store) {
                return sendError(res, 409, 'BucketAlreadyOwnedByYou', 'Your previous request to '
                    + 'create the named bucket succeeded and you already own it.', { BucketName: bucketName });
            }
            buckets.set(bucketName, new Map());
            return sendEmpty(res, 200, { Location: `/${bucketName}` });
        }
        if (!store) {
            return sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist',
                { BucketName: bucketName });
        }
        if (m === 'HEAD') return sendEmpty(res, 200, { 'x-amz-bucket-region': opts.region });
        if (m === 'DELETE') {
            if (store.size) {
                return sendError(res, 409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty',
                    { BucketName: bucketName });
            }
            buckets.delete(bucketName);
            return sendEmpty(res, 204);
        }
        if (m === 'GET') {
            if (q.has('location')) {
                return sendXml(res, 200, '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/'
                    + `2006-03-01/">${opts.region === 'us-east-1' ? '' : opts.region}</LocationConstraint>`);
            }
            return listObjects(res, bucketName, store, q, q.get('list-type') === '2');
        }
        if (m === 'POST' && q.has('delete')) return deleteObjects(res, store, body);
        return sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    if (!store) {
        return sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist',
            { BucketName: bucketName });
    }
    if (Buffer.byteLength(key, 'utf8') > 1024) {
        return sendError(res, 400, 'KeyTooLongError', 'Your key is too long');
    }
    if (m === 'GET' || m === 'HEAD') return getObject(req, res, store, key);
    if (m === 'DELETE') {
        store.delete(key);
        if (res.lrFaultAfter) return sendFault(res, 'internal-after');
        return sendEmpty(res, 204);
    }
    if (m === 'PUT') {
        if (req.headers['x-amz-copy-source']) {
            return sendError(res, 501, 'NotImplemented', 's3strict does not implement CopyObject');
        }
        if (!putPreconditions(req, res, scope, store, key)) return undefined;
        const o = putObject(req, res, store, key, body);
        if (res.headersSent) return undefined;
        if (res.lrFaultAfter) return sendFault(res, 'internal-after');
        return sendEmpty(res, 200, { ETag: o.etag });
    }
    return sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}

// ---------------------------------------------------------------------------------------------
// control endpoint: GET /__control -> state; POST /__control {json} -> change modes

function describe(s) {
    const { random, ...rest } = s;
    return rest;
}

function control(req, res, body) {
    const reply = (status, obj) => {
        const b = Buffer.from(`${JSON.stringify(obj)}\n`);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': b.length });
        res.end(b);
    };
    if (req.method === 'GET') {
        const bs = {};
        for (const [name, store] of buckets) bs[name] = store.size;
        const sc = {};
        for (const [name, s] of Object.entries(scopes.buckets)) sc[name] = describe(s);
        return reply(200, { global: describe(scopes.global), bucketScopes: sc, buckets: bs, stats });
    }
    if (req.method !== 'POST') return reply(405, { error: 'use GET or POST' });
    let c;
    try {
        c = JSON.parse(body.toString('utf8') || '{}');
    } catch (e) {
        return reply(400, { error: `body is not JSON: ${e.message}` });
    }
    if (c.createBucket) {
        if (!BUCKET_RE.test(c.createBucket)) return reply(400, { error: 'invalid bucket name' });
        if (!buckets.has(c.createBucket)) buckets.set(c.createBucket, new Map());
    }
    if (c.reset) {
        for (const store of buckets.values()) store.clear();
        for (const k of Object.keys(stats.byMethod)) delete stats.byMethod[k];
        Object.assign(stats, { requests: 0, byStatus: {}, faults: {}, authFailures: {},
            preconditionFailed: 0, ignoredConditions: 0 });
        scopes.global = newScope(opts);
        scopes.buckets = {};
    }
    let target = scopes.global;
    if (c.bucket) {
        if (!scopes.buckets[c.bucket]) scopes.buckets[c.bucket] = newScope(describe(scopes.global));
        target = scopes.buckets[c.bucket];
    }
    const keys = ['faultRate', 'faultKinds', 'faultMethods', 'seed', 'ignoreIfNoneMatch',
        'ignoreIfMatch', 'failNext', 'maxSkew', 'sessionToken'];
    for (const k of Object.keys(c)) {
        if (!['bucket', 'reset', 'createBucket', ...keys].includes(k)) {
            return reply(400, { error: `unknown control field '${k}'`, known: keys });
        }
    }
    if (c.faultKinds !== undefined) {
        if (!Array.isArray(c.faultKinds) || c.faultKinds.some((k) => !FAULT_KINDS.includes(k))) {
            return reply(400, { error: `faultKinds must be a list of ${FAULT_KINDS}` });
        }
        target.faultKinds = c.faultKinds;
    }
    if (c.faultRate !== undefined) {
        if (!(c.faultRate >= 0 && c.faultRate <= 1)) return reply(400, { error: 'faultRate within 0..1' });
        target.faultRate = c.faultRate;
    }
    if (c.faultMethods !== undefined) {
        target.faultMethods = c.faultMethods ? c.faultMethods.map((x) => x.toUpperCase()) : null;
    }
    if (c.seed !== undefined) {
        target.seed = Number(c.seed);
        target.random = rng(target.seed);
    }
    if (c.ignoreIfNoneMatch !== undefined) target.ignoreIfNoneMatch = !!c.ignoreIfNoneMatch;
    if (c.ignoreIfMatch !== undefined) target.ignoreIfMatch = !!c.ignoreIfMatch;
    if (c.maxSkew !== undefined) opts.maxSkew = Number(c.maxSkew);
    if (c.sessionToken !== undefined) opts.sessionToken = String(c.sessionToken || '');
    if (c.failNext !== undefined) {
        const list = Array.isArray(c.failNext) ? c.failNext : [c.failNext];
        for (const f of list) {
            if (!FAULT_KINDS.includes(f.kind) || !(f.count >= 1)) {
                return reply(400, { error: `failNext needs {kind: one of ${FAULT_KINDS}, count >= 1, `
                    + 'method?}' });
            }
            target.failNext.push({ kind: f.kind, count: f.count, method: f.method ? f.method.toUpperCase() : null });
        }
    }
    return reply(200, { ok: true, scope: c.bucket || 'global', settings: describe(target) });
}

// ---------------------------------------------------------------------------------------------
// server

function handle(req, res, body) {
    const seq = ++requestSeq;
    res.setHeader('x-amz-request-id', requestId());
    res.setHeader('x-amz-id-2', 's3strict');
    res.setHeader('Server', 's3strict');
    const q = req.url.indexOf('?');
    const pathRaw = q < 0 ? req.url : req.url.slice(0, q);
    const queryRaw = q < 0 ? '' : req.url.slice(q + 1);
    if (pathRaw === '/__control') return control(req, res, body);
    stats.requests++;
    stats.byMethod[req.method] = (stats.byMethod[req.method] || 0) + 1;
    res.on('finish', () => {
        stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] || 0) + 1;
        process.stdout.write(`${new Date().toISOString()} #${seq} ${req.method} ${req.url} `
            + `${res.statusCode}${res.lrError ? ` ${res.lrError}` : ''}\n`);
    });
    if (!pathRaw.startsWith('/')) return sendError(res, 400, 'InvalidURI', 'Could not parse the specified URI.');
    if (!verifySigV4(req, res, body, pathRaw, queryRaw)) return undefined;
    if (req.method === 'PUT' && req.headers['content-length'] === undefined) {
        return sendError(res, 411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
    }
    const decoded = pctDecode(pathRaw);
    if (decoded === null) return sendError(res, 400, 'InvalidURI', 'Could not parse the specified URI.');
    const slash = decoded.indexOf('/', 1);
    const bucket = slash < 0 ? decoded.slice(1) : decoded.slice(1, slash);
    const isObject = slash >= 0 && slash < decoded.length - 1;
    const conditionalPut = req.method === 'PUT' && isObject
        && (req.headers['if-none-match'] !== undefined || req.headers['if-match'] !== undefined);
    const fault = pickFault(req, bucket, conditionalPut);
    if (fault === 'internal-after') {
        res.lrFaultAfter = true;
    } else if (fault) {
        return sendFault(res, fault);
    }
    handleS3(req, res, body, pathRaw, queryRaw);
    if (res.lrFaultAfter && !res.headersSent) sendFault(res, 'internal-after');
    return undefined;
}

function main() {
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`s3strict: ${e.message}\n`);
        process.exit(2);
    }
    for (const b of opts.buckets) {
        if (!BUCKET_RE.test(b)) {
            process.stderr.write(`s3strict: invalid bucket name '${b}'\n`);
            process.exit(2);
        }
        buckets.set(b, new Map());
    }
    scopes.global = newScope(opts);
    const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            try {
                handle(req, res, Buffer.concat(chunks));
            } catch (e) {
                process.stderr.write(`s3strict: internal error: ${e.stack}\n`);
                if (!res.headersSent) sendError(res, 500, 'InternalError', `s3strict bug: ${e.message}`);
            }
        });
    });
    server.keepAliveTimeout = 30000;
    server.listen(opts.port, opts.host, () => {
        const { port } = server.address();
        process.stdout.write(`s3strict listening on ${opts.host}:${port}\n`);
        if (opts.readyFile) {
            const info = { port, bucket: opts.buckets[0], accessKey: opts.accessKey,
                secretKey: opts.secretKey, sessionToken: opts.sessionToken, region: opts.region };
            fs.writeFileSync(`${opts.readyFile}.tmp`, JSON.stringify(info));
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
