// callgate's ws port answers plain HTTP with the phone page (src/api/server/static_files.*),
// safely: the page, the pinned Web SDK with the JavaScript content type, /config.json, HEAD;
// traversal in any spelling (raw '..', %2e%2e, an encoded '/') -> 400 and never a file from
// outside; missing files -> 404; POST -> 405 with Allow; every answer has no-cache and nosniff.
// A keep-alive connection can still turn into the WebSocket after a page request. With
// --web-root '' the page is off (404) while /websdk/ still works. The wss port serves the same
// over https (self-signed certificate).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, REPO_ROOT } from '../lib/procs.mjs';

const WEBSDK = path.join(REPO_ROOT, 'node_modules', '@flashphoner', 'websdk', 'flashphoner.js');

/** Sends raw request text on a new TCP connection; resolves with everything until close/timeout. */
function raw(port, text, { waitMs = 3000, until = null } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, LOOPBACK);
    let data = Buffer.alloc(0);
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(data.toString('latin1'));
    };
    const timer = setTimeout(done, waitMs);
    sock.on('connect', () => sock.write(text));
    sock.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (until && until(data.toString('latin1'))) done();
    });
    sock.on('end', done);
    sock.on('error', (e) => (data.length ? done() : reject(e)));
  });
}

function parse(response) {
  const head = response.slice(0, response.indexOf('\r\n\r\n'));
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: response.slice(head.length + 4) };
}

const get = (port, target, method = 'GET') =>
  raw(port, `${method} ${target} HTTP/1.1\r\nHost: ${LOOPBACK}:${port}\r\nConnection: close\r\n\r\n`).then(parse);

test('static files on the ws port: page, SDK, config, safe paths', async () => {
  const ctx = testContext('sipp_static_files');
  await ctx.run(async () => {
    const ports = portPlan(70);
    const callgate = await startCallgate(ctx.procs, ports);
    const base = `http://${LOOPBACK}:${ports.ws}`;

    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const html = await page.text();
    assert.match(html, /callgate phone/);
    assert.equal(Number(page.headers.get('content-length')), Buffer.byteLength(html));
    for (const f of ['phone.js', 'phone.css', 'wcs_tap.js']) {
      const r = await fetch(`${base}/${f}`);
      assert.equal(r.status, 200, f);
      await r.arrayBuffer();
    }

    const sdk = await fetch(`${base}/websdk/flashphoner.js`);
    assert.equal(sdk.status, 200);
    assert.equal(sdk.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const sdkBody = Buffer.from(await sdk.arrayBuffer());
    assert.equal(sdkBody.length, fs.statSync(WEBSDK).size, 'the whole SDK bundle');

    const config = await fetch(`${base}/config.json`);
    assert.equal(config.headers.get('content-type'), 'application/json');
    const defaults = await config.json();
    assert.equal(defaults.registerRequired, true, JSON.stringify(defaults));

    const head = await get(ports.ws, '/websdk/flashphoner.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), sdkBody.length);
    assert.equal(head.body, '', 'HEAD has no body');

    // Traversal, raw (fetch would normalise these away) and encoded.
    for (const target of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/websdk/..%2f..%2fpackage.json',
      '/websdk/../../../etc/passwd', '/%2E%2E%5c%2E%2E%5cetc%5cpasswd', '/index.html%00.js']) {
      const r = await get(ports.ws, target);
      assert.equal(r.status, 400, `${target} -> ${r.status} ${r.body}`);
      assert.ok(!/root:/.test(r.body), `no file content for ${target}`);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
    for (const target of ['/etc/passwd', '/nope.js', '/websdk/', '/websdk/nope.js', '/.git/config']) {
      const r = await get(ports.ws, target);
      assert.equal(r.status, 404, `${target} -> ${r.status}`);
      assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    }
    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    await post.text();

    // Keep-alive: a page request, then the WebSocket upgrade on the same connection.
    const both = await raw(ports.ws,
      `GET /config.json HTTP/1.1\r\nHost: x\r\n\r\n` +
      `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      { until: (t) => /101 Switching Protocols[\s\S]*\r\n\r\n/.test(t) });
    assert.match(both, /^HTTP\/1\.1 200 OK/, both);
    assert.match(both, /HTTP\/1\.1 101 Switching Protocols/, `upgrade after a page request: ${both}`);
    assertRunning(callgate);
  });
});

test('static files: --web-root "" turns the page off', async () => {
  const ctx = testContext('sipp_static_files_off');
  await ctx.run(async () => {
    const ports = portPlan(71);
    const callgate = await startCallgate(ctx.procs, ports, ['--web-root', '']);
    const off = await get(ports.ws, '/');
    assert.equal(off.status, 404);
    assert.match(off.body, /web_root/);
    assert.equal((await get(ports.ws, '/websdk/flashphoner.js', 'HEAD')).status, 200);
    assertRunning(callgate);
  });
});

/** GET over https without checking the (self-signed) certificate. */
function httpsGet(port, target, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: LOOPBACK, port, path: target, method, rejectUnauthorized: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('https timeout')));
    req.end();
  });
}

test('static files over https on the wss port', async () => {
  const ctx = testContext('sipp_static_files_https');
  await ctx.run(async () => {
    const ports = portPlan(72);
    const wss = 8472;
    const callgate = await startCallgate(ctx.procs, ports, ['--wss-port', String(wss), '--data-dir', ctx.dir]);
    const page = await httpsGet(wss, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(page.body, /callgate phone/);
    const sdk = await httpsGet(wss, '/websdk/flashphoner.js', 'HEAD');
    assert.equal(sdk.status, 200);
    assert.equal(Number(sdk.headers['content-length']), fs.statSync(WEBSDK).size);
    assert.equal((await httpsGet(wss, '/%2e%2e/%2e%2e/etc/passwd')).status, 400);
    assertRunning(callgate);
  });
});
