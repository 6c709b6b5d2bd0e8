#!/usr/bin/env node
// tokensvc.js - a local Microsoft Entra ID look-alike for the bearer-token tests (test-only, node
// stdlib, loopback only). It issues JWTs that Azurite started with `--oauth basic` accepts
// (v1 issuer https://sts.windows.net/{tenant}/, audience from the scope/resource, nbf/iat/exp;
// Azurite does not check signatures, these are HS256-signed with a per-run key anyway).
//
// Endpoints
//   POST /{tenant}/oauth2/v2.0/token   client credentials (form: grant_type=client_credentials,
//        client_id, scope=<resource>/.default, and client_secret or client_assertion_type=
//        urn:ietf:params:oauth:client-assertion-type:jwt-bearer + client_assertion)
//        -> {"token_type":"Bearer","expires_in":N,"ext_expires_in":N,"access_token":"..."}
//   POST /{tenant}/oauth2/token        the v1 form (resource= instead of scope=), adds expires_on
//   GET  /metadata/identity/oauth2/token?api-version=...&resource=...   (header Metadata: true)
//        Azure VM managed identity (IMDS) -> expires_in/expires_on as strings, like IMDS
//   GET  /msi/token?api-version=2019-08-01&resource=...   (header X-IDENTITY-HEADER: <secret>)
//        App Service / Container Apps style (IDENTITY_ENDPOINT / IDENTITY_HEADER)
//   GET  /__control -> {settings, stats}; POST /__control {"lifetime":S, "failNext":N,
//        "resetStats":true} (lifetime may be negative to mint already-expired tokens; failNext
//        answers the next N token requests with 500)
// Errors are AAD-shaped JSON ({"error":"invalid_client","error_description":"AADSTS7000215: ..."}).
// Stats (also in --stats-file after each request): issued, byFlow, refused, failedInjected, tokens
// [{flow, iat, exp}].
//
// Options: --host --port --ready-file --stats-file --tenant T --client-id C --client-secret S
//          --assertion A (the federated token expected from workload identity) --lifetime S (3600)
//          --identity-header H --mi-client-id C
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');

function parseArgs(argv) {
    const o = { host: '127.0.0.1', port: 0, readyFile: null, statsFile: null,
        tenant: '72f988bf-0000-4000-8000-00000000c0de',
        clientId: '5a1e0000-1111-4222-8333-4444c11e0001',
        clientSecret: 'lrtest~ClientSecret.Value_0001',
        assertion: 'lrtest-federated-token', lifetime: 3600,
        identityHeader: crypto.randomBytes(12).toString('hex'),
        miClientId: '5a1e0000-1111-4222-8333-4444c11e0002' };
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
        case '--stats-file': o.statsFile = need(i); i++; break;
        case '--tenant': o.tenant = need(i); i++; break;
        case '--client-id': o.clientId = need(i); i++; break;
        case '--client-secret': o.clientSecret = need(i); i++; break;
        case '--assertion': o.assertion = need(i); i++; break;
        case '--lifetime': o.lifetime = Number(need(i)); i++; break;
        case '--identity-header': o.identityHeader = need(i); i++; break;
        case '--mi-client-id': o.miClientId = need(i); i++; break;
        default: throw new Error(`unknown option '${a}'`);
        }
    }
    if (!Number.isFinite(o.lifetime)) throw new Error('--lifetime needs a number of seconds');
    return o;
}

let opts;
let stats;
let failNext = 0;
const signingKey = crypto.randomBytes(32);

function resetStats() {
    stats = { issued: 0, byFlow: {}, refused: 0, failedInjected: 0, tokens: [] };
}

function saveStats() {
    if (!opts.statsFile) return;
    fs.writeFileSync(`${opts.statsFile}.tmp`, `${JSON.stringify(stats)}\n`);
    fs.renameSync(`${opts.statsFile}.tmp`, opts.statsFile);
}

const b64url = (b) => Buffer.from(b).toString('base64url');

function oidFor(id) {
    const h = crypto.createHash('sha256').update(`oid:${id}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function mint(flow, resource, appid, extra = {}) {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + opts.lifetime;
    const iss = `https://sts.windows.net/${opts.tenant}/`;
    const claims = { aud: resource, iss, iat: now, nbf: now, exp, appid, appidacr: '1', idp: iss,
        oid: oidFor(appid), sub: oidFor(appid), tid: opts.tenant, uti: crypto.randomBytes(8).toString('base64url'),
        ver: '1.0', ...extra };
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'lrtest-tokensvc' }));
    const body = b64url(JSON.stringify(claims));
    const sig = crypto.createHmac('sha256', signingKey).update(`${head}.${body}`).digest('base64url');
    stats.issued++;
    stats.byFlow[flow] = (stats.byFlow[flow] || 0) + 1;
    stats.tokens.push({ flow, iat: now, exp });
    return { token: `${head}.${body}.${sig}`, now, exp };
}

function reply(res, status, obj) {
    const b = Buffer.from(JSON.stringify(obj));
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': b.length,
        'Cache-Control': 'no-store, no-cache' });
    res.end(b);
}

function aadError(res, status, error, code, desc) {
    stats.refused++;
    reply(res, status, { error, error_description: `${code}: ${desc}\r\nTrace ID: ${crypto.randomUUID()}`
        + `\r\nTimestamp: ${new Date().toISOString()}`, error_codes: [Number(code.slice(5))],
    timestamp: new Date().toISOString(), trace_id: crypto.randomUUID() });
}

function injectFailure(res) {
    if (failNext <= 0) return false;
    failNext--;
    stats.failedInjected++;
    reply(res, 500, { error: 'temporarily_unavailable', error_description: 'Injected by tokensvc.' });
    return true;
}

function tokenEndpoint(req, res, body, tenant, v2) {
    if (req.method !== 'POST') return aadError(res, 405, 'invalid_request', 'AADSTS900561', 'The endpoint only accepts POST requests.');
    if (!/application\/x-www-form-urlencoded/.test(req.headers['content-type'] || '')) {
        return aadError(res, 400, 'invalid_request', 'AADSTS900144', 'The request body must contain the '
            + "following parameter: 'grant_type'. (Content-Type must be application/x-www-form-urlencoded)");
    }
    if (tenant !== opts.tenant) {
        return aadError(res, 400, 'invalid_request', 'AADSTS90002', `Tenant '${tenant}' not found.`);
    }
    const f = new URLSearchParams(body.toString('utf8'));
    if (f.get('grant_type') !== 'client_credentials') {
        return aadError(res, 400, 'unsupported_grant_type', 'AADSTS70003', 'The app requested an '
            + `unsupported grant type '${f.get('grant_type')}'.`);
    }
    const clientId = f.get('client_id');
    if (!clientId) return aadError(res, 400, 'invalid_request', 'AADSTS900144', "The request body must contain the following parameter: 'client_id'.");
    if (clientId !== opts.clientId) {
        return aadError(res, 400, 'unauthorized_client', 'AADSTS700016', `Application with identifier `
            + `'${clientId}' was not found in the directory '${tenant}'.`);
    }
    let resource;
    if (v2) {
        const scope = f.get('scope') || '';
        if (!scope.endsWith('/.default')) {
            return aadError(res, 400, 'invalid_scope', 'AADSTS1002012', `The provided value for scope `
                + `'${scope}' is not valid. Client credential flows must have a scope value with /.default `
                + 'suffixed to the resource identifier (application ID URI).');
        }
        resource = scope.slice(0, -'/.default'.length);
    } else {
        resource = f.get('resource');
        if (!resource) return aadError(res, 400, 'invalid_request', 'AADSTS900144', "The request body must contain the following parameter: 'resource'.");
    }
    let flow;
    if (f.has('client_assertion') || f.has('client_assertion_type')) {
        if (f.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
            return aadError(res, 400, 'invalid_request', 'AADSTS50027', 'Invalid client_assertion_type.');
        }
        if (f.get('client_assertion') !== opts.assertion) {
            return aadError(res, 400, 'invalid_client', 'AADSTS700024', 'Client assertion is not within its valid time range or is not the expected federated token.');
        }
        flow = 'workload_identity';
    } else {
        if (f.get('client_secret') !== opts.clientSecret) {
            return aadError(res, 401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided. '
                + `Ensure the secret being sent in the request is the client secret value, not the client `
                + `secret ID, for a secret added to app '${clientId}'.`);
        }
        flow = 'client_credentials';
    }
    if (injectFailure(res)) return undefined;
    const t = mint(v2 ? flow : `${flow}_v1`, resource, clientId);
    const out = { token_type: 'Bearer', expires_in: opts.lifetime, ext_expires_in: opts.lifetime,
        access_token: t.token };
    if (!v2) Object.assign(out, { expires_on: String(t.exp), not_before: String(t.now), resource });
    return reply(res, 200, out);
}

function managedIdentity(req, res, q, flow) {
    if (req.method !== 'GET') return reply(res, 405, { error: 'invalid_request', error_description: 'use GET' });
    if (flow === 'imds') {
        if ((req.headers.metadata || '').toLowerCase() !== 'true') {
            stats.refused++;
            return reply(res, 400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
        }
    } else if (req.headers['x-identity-header'] !== opts.identityHeader) {
        stats.refused++;
        return reply(res, 401, { statusCode: 401, message: 'Unauthorized: X-IDENTITY-HEADER missing or wrong' });
    }
    if (!q.get('api-version')) {
        stats.refused++;
        return reply(res, 400, { error: 'invalid_request', error_description: 'Required query variable \'api-version\' is missing' });
    }
    const resource = q.get('resource');
    if (!resource) {
        stats.refused++;
        return reply(res, 400, { error: 'invalid_request', error_description: 'Required query variable \'resource\' is missing' });
    }
    if (injectFailure(res)) return undefined;
    const clientId = q.get('client_id') || opts.miClientId;
    const t = mint(flow, resource.replace(/\/$/, ''), clientId,
        { xms_mirid: `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/lrtest/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${clientId}` });
    const out = { access_token: t.token, client_id: clientId, expires_in: String(opts.lifetime),
        expires_on: String(t.exp), ext_expires_in: String(opts.lifetime), not_before: String(t.now),
        resource, token_type: 'Bearer' };
    return reply(res, 200, out);
}

function control(req, res, body) {
    if (req.method === 'GET') {
        return reply(res, 200, { settings: { tenant: opts.tenant, clientId: opts.clientId,
            lifetime: opts.lifetime, failNext }, stats });
    }
    let c;
    try {
        c = JSON.parse(body.toString('utf8') || '{}');
    } catch (e) {
        return reply(res, 400, { error: `body is not JSON: ${e.message}` });
    }
    for (const k of Object.keys(c)) {
        if (!['lifetime', 'failNext', 'resetStats'].includes(k)) return reply(res, 400, { error: `unknown field '${k}'` });
    }
    if (c.lifetime !== undefined) opts.lifetime = Number(c.lifetime);
    if (c.failNext !== undefined) failNext = Number(c.failNext);
    if (c.resetStats) resetStats();
    saveStats();
    return reply(res, 200, { ok: true, lifetime: opts.lifetime, failNext });
}

function handle(req, res, body) {
    const u = new URL(req.url, 'http://localhost');
    process.stdout.write(`${new Date().toISOString()} ${req.method} ${u.pathname}\n`);
    if (u.pathname === '/__control') return control(req, res, body);
    const m = /^\/([^/]+)\/oauth2\/(v2\.0\/)?token$/.exec(u.pathname);
    if (m) return tokenEndpoint(req, res, body, m[1], !!m[2]);
    if (u.pathname === '/metadata/identity/oauth2/token') return managedIdentity(req, res, u.searchParams, 'imds');
    if (u.pathname === '/msi/token') return managedIdentity(req, res, u.searchParams, 'appservice');
    return reply(res, 404, { error: 'not_found', error_description: `tokensvc has no ${u.pathname}` });
}

function main() {
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`tokensvc: ${e.message}\n`);
        process.exit(2);
    }
    resetStats();
    const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
            try {
                handle(req, res, Buffer.concat(chunks));
            } catch (e) {
                process.stderr.write(`tokensvc: ${e.stack}\n`);
                if (!res.headersSent) reply(res, 500, { error: 'server_error', error_description: e.message });
            }
            saveStats();
        });
    });
    server.listen(opts.port, opts.host, () => {
        const { port } = server.address();
        process.stdout.write(`tokensvc listening on ${opts.host}:${port}\n`);
        saveStats();
        if (opts.readyFile) {
            fs.writeFileSync(`${opts.readyFile}.tmp`, JSON.stringify({ port, tenant: opts.tenant,
                clientId: opts.clientId, clientSecret: opts.clientSecret, identityHeader: opts.identityHeader }));
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
