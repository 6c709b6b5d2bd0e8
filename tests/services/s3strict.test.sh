# s3strict: SigV4 verification (curl-signed and independently node-signed requests accepted; wrong
# secret, tampered replay, unsigned x-amz header, bad payload hash, skew, session token refused),
# conditional puts, ListObjectsV2 paging, ranges, fault injection, clean stop.
. "$(dirname "$0")/lib.sh"
S="$T-s3"
svc_start s3strict "$S"
load_env "$S"
U="$AWS_ENDPOINT_URL/$LR_S3_BUCKET"
SIG=(--aws-sigv4 "aws:amz:$AWS_REGION:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY")
tmp=$(mktemp -d); trap 'cleanup; rm -rf "$tmp"' EXIT

# curl 7.88 signs these correctly (object-store-notes V.4): PUT with the real payload hash, plain GET.
printf 'hello world' > "$tmp/body"
H=$(sha256sum "$tmp/body" | cut -d' ' -f1)
code=$(curl -s -o /dev/null -w '%{http_code}' "${SIG[@]}" -X PUT -H "x-amz-content-sha256: $H" \
  --data-binary @"$tmp/body" "$U/t1/_delta_log/00000000000000000000.json")
[ "$code" = 200 ] || fail "curl-signed PUT: $code"
body=$(curl -s "${SIG[@]}" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$U/t1/_delta_log/00000000000000000000.json")
[ "$body" = 'hello world' ] || fail "curl-signed GET: $body"; ok "curl --aws-sigv4 PUT and GET accepted"

out=$(curl -s -w ' %{http_code}' --aws-sigv4 "aws:amz:$AWS_REGION:s3" --user "$AWS_ACCESS_KEY_ID:not-the-secret" \
  -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$U/t1/_delta_log/00000000000000000000.json")
case "$out" in *'<Code>SignatureDoesNotMatch</Code>'*'<CanonicalRequest>GET'*' 403') ;; *) fail "wrong secret: $out";; esac
ok "wrong secret: 403 SignatureDoesNotMatch with the canonical request"

code=$(curl -s -o /dev/null -w '%{http_code}' "$U/t1/_delta_log/00000000000000000000.json")
[ "$code" = 403 ] || fail "anonymous GET: $code"; ok "anonymous request refused"

SUPPORT="$SUPPORT" node - <<'JS' || fail "node checks (see above)"
const s3 = require(`${process.env.SUPPORT}/../services/s3client.js`);
const creds = s3.credsFromEnv();
const base = `${process.env.AWS_ENDPOINT_URL}/${process.env.LR_S3_BUCKET}`;
let failed = 0;
const expect = (what, cond, detail) => {
    if (cond) console.log(`ok - ${what}`);
    else { failed++; console.log(`not ok - ${what}: ${detail}`); }
};
const code = (r) => (/<Code>([^<]*)</.exec(r.body) || [])[1];
(async () => {
    const key = `${base}/t1/_delta_log/00000000000000000001.json`;
    let r = await s3.send({ method: 'PUT', url: key, body: '{"commitInfo":{}}', creds,
        headers: { 'If-None-Match': '*' } });
    expect('conditional create of a new key -> 200', r.status === 200, `${r.status} ${r.body}`);
    const etag = r.headers.etag;
    r = await s3.send({ method: 'PUT', url: key, body: 'other', creds, headers: { 'If-None-Match': '*' } });
    expect('conditional create of an existing key -> 412 PreconditionFailed',
        r.status === 412 && code(r) === 'PreconditionFailed', `${r.status} ${r.body}`);
    r = await s3.send({ method: 'PUT', url: key, body: 'x', creds, headers: { 'If-Match': '"0000"' } });
    expect('If-Match with a stale etag -> 412', r.status === 412, `${r.status}`);
    r = await s3.send({ method: 'PUT', url: key, body: '{"commitInfo":{}}', creds, headers: { 'If-Match': etag } });
    expect('If-Match with the current etag -> 200', r.status === 200, `${r.status} ${r.body}`);
    r = await s3.send({ method: 'PUT', url: `${base}/nokey`, body: 'x', creds, headers: { 'If-Match': etag } });
    expect('If-Match on a missing key -> 404', r.status === 404, `${r.status}`);

    // Replay: the same signed headers are accepted again; any change to a signed header is not.
    const hdrs = s3.sign({ method: 'GET', url: key, creds, headers: { Range: 'bytes=0-3' } });
    r = await s3.raw('GET', key, hdrs);
    expect('signed ranged GET -> 206', r.status === 206 && r.body === '{"co', `${r.status} ${r.body}`);
    r = await s3.raw('GET', key, hdrs);
    expect('identical replay -> 206', r.status === 206, `${r.status}`);
    r = await s3.raw('GET', key, { ...hdrs, range: 'bytes=0-9' });
    expect('replay with a modified signed header -> 403 SignatureDoesNotMatch',
        r.status === 403 && code(r) === 'SignatureDoesNotMatch', `${r.status} ${r.body}`);
    r = await s3.raw('GET', `${key}?x-id=GetObject`, hdrs);
    expect('replay with an added query parameter -> 403', r.status === 403, `${r.status}`);
    r = await s3.raw('GET', key, { ...hdrs, 'x-amz-meta-extra': '1' });
    expect('unsigned x-amz-* header -> 403 AccessDenied', r.status === 403 && code(r) === 'AccessDenied',
        `${r.status} ${r.body}`);

    r = await s3.send({ method: 'PUT', url: `${base}/p`, body: 'abc', creds,
        tamper: (h) => { h['x-amz-content-sha256'] = '0'.repeat(64); } });
    expect('payload hash mismatch -> 400 XAmzContentSHA256Mismatch', r.status === 400
        && code(r) === 'XAmzContentSHA256Mismatch', `${r.status} ${r.body}`);
    r = await s3.send({ method: 'PUT', url: `${base}/p`, body: 'abc', creds, payload: 'UNSIGNED-PAYLOAD' });
    expect('UNSIGNED-PAYLOAD put -> 200', r.status === 200, `${r.status} ${r.body}`);
    r = await s3.send({ method: 'GET', url: `${base}/p`, creds, now: new Date(Date.now() - 20 * 60e3) });
    expect('20-minute-old x-amz-date -> 403 RequestTimeTooSkewed',
        r.status === 403 && code(r) === 'RequestTimeTooSkewed', `${r.status} ${r.body}`);
    r = await s3.send({ method: 'GET', url: `${base}/p`, creds: { ...creds, token: 'bogus' } });
    expect('unexpected session token -> 403 InvalidToken', r.status === 403 && code(r) === 'InvalidToken',
        `${r.status}`);
    r = await s3.send({ method: 'GET', url: `${base}/p`, creds: { ...creds, region: 'eu-west-1' } });
    expect('wrong region -> 400 AuthorizationHeaderMalformed', r.status === 400, `${r.status}`);

    // Ranges.
    r = await s3.send({ method: 'GET', url: `${base}/p`, creds, headers: { Range: 'bytes=-2' } });
    expect('suffix range -> 206 last 2 bytes', r.status === 206 && r.body === 'bc'
        && r.headers['content-range'] === 'bytes 1-2/3', `${r.status} ${r.body} ${r.headers['content-range']}`);
    r = await s3.send({ method: 'GET', url: `${base}/p`, creds, headers: { Range: 'bytes=5-9' } });
    expect('range past the end -> 416 InvalidRange', r.status === 416 && code(r) === 'InvalidRange', `${r.status}`);
    r = await s3.send({ method: 'HEAD', url: `${base}/p`, creds });
    expect('HEAD -> 200 with Content-Length 3', r.status === 200 && r.headers['content-length'] === '3', `${r.status}`);

    // ListObjectsV2 paging.
    for (let i = 2; i <= 6; i++) {
        const k = `${base}/t1/_delta_log/${String(i).padStart(20, '0')}.json`;
        await s3.send({ method: 'PUT', url: k, body: `{"v":${i}}`, creds });
    }
    const all = [];
    let token = null;
    let pages = 0;
    for (;;) {
        let q = `list-type=2&prefix=${encodeURIComponent('t1/_delta_log/')}&max-keys=3`;
        if (token) q += `&continuation-token=${encodeURIComponent(token)}`;
        r = await s3.send({ method: 'GET', url: `${base}?${q}`, creds });
        if (r.status !== 200) { expect('list page', false, `${r.status} ${r.body}`); break; }
        pages++;
        all.push(...[...r.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]));
        const kc = Number(/<KeyCount>(\d+)/.exec(r.body)[1]);
        const trunc = /<IsTruncated>true</.test(r.body);
        const next = /<NextContinuationToken>([^<]*)</.exec(r.body);
        if (kc !== 3 && trunc) expect('KeyCount on a full page', false, r.body);
        if (!trunc) { if (next) expect('no token on the last page', false, r.body); break; }
        token = next[1];
    }
    expect('ListObjectsV2 pages 7 keys as 3+3+1 in order', pages === 3 && all.length === 7
        && all.every((k, i) => i === 0 || k > all[i - 1]), `${pages} pages ${all}`);
    r = await s3.send({ method: 'GET', url: `${base}?list-type=2&prefix=t1%2F&start-after=${encodeURIComponent(all[4])}`, creds });
    expect('start-after skips through the given key', (r.body.match(/<Key>/g) || []).length === 2, r.body);
    r = await s3.send({ method: 'GET', url: `${base}?list-type=2&delimiter=%2F`, creds });
    expect('delimiter gives common prefixes', /<CommonPrefixes><Prefix>t1\/<\/Prefix>/.test(r.body), r.body);

    // Fault injection through the control endpoint (scoped to a bucket of its own).
    const ctl = (o) => s3.raw('POST', `${process.env.AWS_ENDPOINT_URL}/__control`,
        { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(o)));
    r = await ctl({ createBucket: 'faults', bucket: 'faults', ignoreIfNoneMatch: true });
    expect('control accepted', r.status === 200, r.body);
    const fk = `${process.env.AWS_ENDPOINT_URL}/faults/k`;
    await s3.send({ method: 'PUT', url: fk, body: 'one', creds, headers: { 'If-None-Match': '*' } });
    r = await s3.send({ method: 'PUT', url: fk, body: 'two', creds, headers: { 'If-None-Match': '*' } });
    const got = await s3.send({ method: 'GET', url: fk, creds });
    expect('ignoreIfNoneMatch mode overwrites (like s3rver)', r.status === 200 && got.body === 'two',
        `${r.status} ${got.body}`);
    r = await s3.send({ method: 'PUT', url: key, body: 'x', creds, headers: { 'If-None-Match': '*' } });
    expect('other buckets keep honouring If-None-Match', r.status === 412, `${r.status}`);
    await ctl({ bucket: 'faults', failNext: [{ kind: 'slowdown', count: 1 }, { kind: 'conflict', count: 1, method: 'PUT' }] });
    r = await s3.send({ method: 'GET', url: fk, creds });
    expect('failNext slowdown -> 503 SlowDown', r.status === 503 && code(r) === 'SlowDown', `${r.status}`);
    r = await s3.send({ method: 'PUT', url: fk, body: 'z', creds, headers: { 'If-None-Match': '*' } });
    expect('failNext conflict -> 409 ConditionalRequestConflict', r.status === 409
        && code(r) === 'ConditionalRequestConflict', `${r.status}`);
    await ctl({ bucket: 'faults', failNext: { kind: 'internal-after', count: 1, method: 'PUT' } });
    r = await s3.send({ method: 'PUT', url: `${process.env.AWS_ENDPOINT_URL}/faults/after`, body: 'kept', creds });
    const after = await s3.send({ method: 'GET', url: `${process.env.AWS_ENDPOINT_URL}/faults/after`, creds });
    expect('internal-after: 500 but the write happened', r.status === 500 && after.body === 'kept',
        `${r.status} ${after.status}`);
    const rate = async (seed) => {
        await ctl({ bucket: 'faults', faultRate: 0.1, seed, faultKinds: ['slowdown', 'internal'] });
        const seq = [];
        for (let i = 0; i < 200; i++) {
            seq.push((await s3.send({ method: 'GET', url: fk, creds })).status);
        }
        await ctl({ bucket: 'faults', faultRate: 0 });
        return seq;
    };
    const a = await rate(7);
    const b = await rate(7);
    const n = a.filter((s) => s !== 200).length;
    expect(`fault rate 0.1 over 200 requests injects ${n} (10..35), same sequence for the same seed`,
        n >= 10 && n <= 35 && a.join() === b.join(), `${n} ${a.join() === b.join()}`);
    process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(e.stack); process.exit(1); });
JS

# AWS's published SigV4 example (S3 GetObject, "Example: GET Object"): s3strict must accept the
# exact headers and signature from the AWS documentation.
E="$T-s3aws"
svc_start s3strict "$E" --access-key AKIAIOSFODNN7EXAMPLE \
  --secret-key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY --max-skew 9999999999
EP=$(fact "$E.port")
aws_get() { # aws_get SIGNATURE -> http status
  curl -s -o "$tmp/aws.out" -w '%{http_code}' "http://127.0.0.1:$EP/test.txt" \
    -H 'Host: examplebucket.s3.amazonaws.com' -H 'Range: bytes=0-9' \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
    -H 'x-amz-date: 20130524T000000Z' \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=$1"
}
code=$(aws_get f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41)
# Authentic: it passes the signature check and reaches routing (no bucket 'test.txt' here: 404).
[ "$code" = 404 ] || fail "AWS example signature refused: $code $(cat "$tmp/aws.out")"
code=$(aws_get f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42)
[ "$code" = 403 ] || fail "altered AWS example signature: $code"
ok "AWS documentation's GetObject example signature accepted; one changed digit refused"

# A session token, once configured, is required and checked.
curl -s -o /dev/null -X POST -d '{"sessionToken":"tok123"}' "http://127.0.0.1:$(fact "$S.port")/__control"
SUPPORT="$SUPPORT" node - <<'JS' || fail "session token checks"
const s3 = require(`${process.env.SUPPORT}/../services/s3client.js`);
const creds = s3.credsFromEnv();
const url = `${process.env.AWS_ENDPOINT_URL}/${process.env.LR_S3_BUCKET}/p`;
(async () => {
    const a = await s3.send({ method: 'GET', url, creds });
    const b = await s3.send({ method: 'GET', url, creds: { ...creds, token: 'tok123' } });
    const c = await s3.send({ method: 'GET', url, creds: { ...creds, token: 'tok124' } });
    console.log(`session token: none ${a.status}, right ${b.status}, wrong ${c.status}`);
    process.exit(a.status === 403 && b.status === 200 && c.status === 403 ? 0 : 1);
})();
JS
ok "session token required and checked"

svc_stop_checked "$E"
svc_stop_checked "$S"
