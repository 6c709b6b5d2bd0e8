# faultproxy in front of s3strict: signed requests pass through untouched; with rate 0.1 and a seed,
# 200 GETs see roughly 10% faults of every kind, the stats file agrees with what the client saw,
# the same seed replays the same sequence; lose-put mode applies the PUT and drops its answer.
. "$(dirname "$0")/lib.sh"
S="$T-ps3"; P="$T-proxy"
svc_start s3strict "$S"
svc_start proxy "$P" --target-service "$S" --rate 0.1 --seed 42 --delay-ms 3000
load_env "$S"
export LR_PROXY_URL=$(fact "$P.url") DIRECT_URL="$AWS_ENDPOINT_URL" STATS="$LR_SVC_DIR/$P.stats"

SUPPORT="$SUPPORT" node - <<'JS' || fail "proxy checks (see above)"
const http = require('node:http');
const fs = require('node:fs');
const s3 = require(`${process.env.SUPPORT}/../services/s3client.js`);
const creds = s3.credsFromEnv();
const bucket = process.env.LR_S3_BUCKET;
const proxy = process.env.LR_PROXY_URL;
let failed = 0;
const expect = (what, cond, detail) => {
    if (cond) console.log(`ok - ${what}`);
    else { failed++; console.log(`not ok - ${what}: ${detail}`); }
};
const body = Buffer.alloc(1000, 'x');
// One GET through the proxy with a 1.5 s timeout; classify what the client saw.
function get(url) {
    return new Promise((resolve) => {
        const headers = s3.sign({ method: 'GET', url, creds });
        const req = http.request(url, { headers, agent: false }, (res) => {
            let n = 0;
            res.on('data', (c) => { n += c.length; });
            res.on('end', () => resolve(res.statusCode === 200 ? (n === 1000 ? 'ok' : 'short')
                : String(res.statusCode)));
            res.on('error', () => resolve('cut'));
            res.on('aborted', () => resolve('cut'));
        });
        req.setTimeout(1500, () => { req.destroy(new Error('timeout')); resolve('timeout'); });
        req.on('error', (e) => resolve(/hang up|ECONNRESET/.test(e.message) ? 'reset' : e.message));
        req.end();
    });
}
const ctl = (o) => s3.raw('POST', `${proxy}/__control`, { 'content-type': 'application/json' },
    Buffer.from(JSON.stringify(o)));
(async () => {
    let r = await s3.send({ method: 'PUT', url: `${process.env.DIRECT_URL}/${bucket}/obj`, body, creds });
    expect('object stored directly', r.status === 200, r.status);
    const run = async () => {
        const seen = [];
        for (let i = 0; i < 200; i++) seen.push(await get(`${proxy}/${bucket}/obj`));
        return seen;
    };
    const a = await run();
    const stats = JSON.parse(fs.readFileSync(process.env.STATS, 'utf8'));
    const count = (k) => a.filter((x) => x === k).length;
    const faults = a.filter((x) => x !== 'ok').length;
    console.log(`outcomes: ok ${count('ok')} 503 ${count('503')} 500 ${count('500')} cut ${count('cut')} `
        + `reset ${count('reset')} timeout ${count('timeout')}; proxy stats ${JSON.stringify(stats.faults)}`);
    expect('every outcome is ok or a known fault', a.every((x) => ['ok', '503', '500', 'cut', 'reset', 'timeout'].includes(x)),
        a.filter((x) => !['ok', '503', '500', 'cut', 'reset', 'timeout'].includes(x)));
    expect(`about 10% faults over 200 requests (${faults})`, faults >= 10 && faults <= 35, faults);
    expect('stats file counts what the client saw', stats.requests === 200
        && stats.faults['503'] === count('503') && stats.faults['500'] === count('500')
        && stats.faults.cut === count('cut') && stats.faults.reset === count('reset')
        && stats.faults.delay === count('timeout'), JSON.stringify(stats));
    expect('every fault kind occurred', ['503', '500', 'cut', 'reset', 'timeout'].every((k) => count(k) > 0),
        JSON.stringify(stats.faults));
    await ctl({ seed: 42, resetStats: true });
    const b = await run();
    expect('the same seed replays the same fault sequence', a.join() === b.join(), `${a.join()} vs ${b.join()}`);

    await ctl({ rate: 0, losePutRate: 1 });
    const putUrl = `${proxy}/${bucket}/lost.json`;
    const outcome = await new Promise((resolve) => {
        const h = s3.sign({ method: 'PUT', url: putUrl, body: Buffer.from('mine'), creds,
            headers: { 'If-None-Match': '*' } });
        h['content-length'] = '4';
        const req = http.request(putUrl, { method: 'PUT', headers: h, agent: false },
            (res) => resolve(`answered ${res.statusCode}`));
        req.on('error', (e) => resolve(`error ${e.message}`));
        req.end('mine');
    });
    r = await s3.send({ method: 'GET', url: `${process.env.DIRECT_URL}/${bucket}/lost.json`, creds });
    expect('lose-put: the client gets no answer but the object was written',
        outcome.startsWith('error') && r.status === 200 && r.body === 'mine', `${outcome}; ${r.status} ${r.body}`);
    const st = await s3.raw('GET', `${proxy}/__control`, {});
    expect('control endpoint reports lost_put', JSON.parse(st.body).stats.faults.lost_put === 1, st.body);
    process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(e.stack); process.exit(1); });
JS

svc_stop_checked "$P"
svc_stop_checked "$S"
