// End-to-end helpers: the static HTTP server for tests/e2e/page + the Web SDK, headless
// Debian Chromium through playwright-core (never a downloaded browser), and the SIP side
// (Kamailio + a sipp callee registered as 1001).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startKamailio } from './kamailio.mjs';
import { LOOPBACK, REPO_ROOT, TESTS_DIR, waitUntil } from './procs.mjs';
import { parseSippMessages, sipHeader, startSipp } from './sipp.mjs';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CALLGATE_CHROMIUM || '/usr/bin/chromium';
export const PAGE_DIR = path.join(TESTS_DIR, 'e2e', 'page');
export const WEBSDK_DIR = path.join(REPO_ROOT, 'node_modules', '@flashphoner', 'websdk');

/** Fixed e2e layout (each e2e test runs in its own namespace). */
export const E2E = {
  kamailio: 5060,
  callgateSip: 5080,
  ws: 8080,
  http: 8090,
  calleeRegister: 5071, // sipp UAC that registers 1001
  callee: 5072, // sipp UAS that answers (Contact of 1001)
  calleeMedia: 6000,
  rtpMin: 20000,
  rtpMax: 20099,
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Serves the test page at / and the Web SDK at /websdk/ on 127.0.0.1:port. */
export async function startStaticServer(port) {
  if (!fs.existsSync(path.join(WEBSDK_DIR, 'flashphoner.js'))) {
    throw new Error(`${WEBSDK_DIR}/flashphoner.js missing: run npm ci in the repo root`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, `http://${LOOPBACK}`);
    let root = PAGE_DIR;
    let rel = decodeURIComponent(url.pathname);
    if (rel.startsWith('/websdk/')) {
      root = WEBSDK_DIR;
      rel = rel.slice('/websdk'.length);
    }
    if (rel === '/') rel = '/index.html';
    const file = path.resolve(root, '.' + rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, resolve);
  });
  return {
    url: `http://${LOOPBACK}:${port}/`,
    close: () => new Promise((r) => {
      server.closeAllConnections?.();
      server.close(() => r());
    }),
  };
}

/**
 * Launches headless Chromium (Debian package) with a fresh profile and opens the test page.
 * Console output and page errors go to <dir>/browser.log. Returns {browser, page, close()}.
 */
export async function openTestPage(dir, pageUrl, { browser: shared = null, logName = 'browser.log' } = {}) {
  const { chromium } = require('playwright-core');
  const logFile = path.join(dir, logName);
  const log = (line) => fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  // opts.browser: open the page in a new context of an already running Chromium (several
  // phones in one test); close() then closes only that context.
  const browser = shared ?? await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30000,
  });
  const context = await browser.newContext({ permissions: ['microphone', 'camera'] });
  const page = await context.newPage();
  page.on('console', (m) => log(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log(`pageerror: ${e.stack ?? e}`));
  page.on('requestfailed', (r) => log(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(pageUrl, { waitUntil: 'load', timeout: 15000 });
  await page.waitForFunction(() => window.cg && window.Flashphoner, null, { timeout: 10000 });
  return {
    browser,
    page,
    logFile,
    async close() {
      try {
        if (shared) await context.close();
        else await browser.close();
      } catch {
        /* already gone */
      }
    },
  };
}

/** Events recorded by the page ({kind, status, info, apiMethod}). */
export function pageEvents(page) {
  return page.evaluate(() => window.cg.events);
}

/** Waits until the page recorded an event of kind with status; returns it. */
export async function waitPageEvent(page, kind, status, timeoutMs) {
  const handle = await page
    .waitForFunction(
      ([k, s]) => window.cg.events.find((e) => e.kind === k && e.status === s),
      [kind, status],
      { timeout: timeoutMs, polling: 100 },
    )
    .catch(async (err) => {
      const ev = await pageEvents(page).catch(() => []);
      throw new Error(`timeout after ${timeoutMs} ms waiting for ${kind} ${status}; page events: ${ev.map((e) => `${e.kind}:${e.status}${e.info ? '(' + e.info + ')' : ''}`).join(', ')} (${err.message.split('\n')[0]})`);
    });
  return handle.jsonValue();
}

/** Waits for the first terminal call status (FINISH/FAILED/BUSY). */
export async function waitCallTerminal(page, timeoutMs) {
  const handle = await page
    .waitForFunction(() => window.cg.events.find((e) => e.kind === 'call' && ['FINISH', 'FAILED', 'BUSY'].includes(e.status)), null, {
      timeout: timeoutMs,
      polling: 100,
    })
    .catch(async () => {
      const ev = await pageEvents(page).catch(() => []);
      throw new Error(`no terminal call status within ${timeoutMs} ms; page events: ${ev.map((e) => `${e.kind}:${e.status}`).join(', ')}`);
    });
  return handle.jsonValue();
}

/**
 * SIP side of the e2e tests: Kamailio on 127.0.0.1:5060, sipp registers 1001 (Contact
 * 127.0.0.1:5072 with digest auth), then a sipp UAS with `calleeScenario` listens on 5072 with
 * RTP echo on 6000. Returns {callee} (the UAS handle).
 */
export async function startSipSide(procs, calleeScenario, calleeOpts = {}) {
  await startKamailio(procs, E2E.kamailio);
  return { callee: await startRegisteredCallee(procs, calleeScenario, calleeOpts) };
}

/**
 * The phone behind whichever SIP server listens on E2E.kamailio: sipp registers 1001 there
 * (Contact 127.0.0.1:E2E.callee, digest auth), then a sipp UAS with `calleeScenario` listens
 * on E2E.callee with RTP echo on E2E.calleeMedia. Returns the UAS handle.
 * calleeOpts.keys: extra sipp -key values for the UAS scenario (e.g. {probe_port: 6100}).
 */
export async function startRegisteredCallee(procs, calleeScenario, calleeOpts = {}) {
  const reg = await startSipp(procs, {
    scenario: 'kam_register.xml',
    name: 'sipp-register-1001',
    port: E2E.calleeRegister,
    remote: `${LOOPBACK}:${E2E.kamailio}`,
    service: '1001',
    auth: { user: '1001', password: '1234' },
    keys: { contact: `${LOOPBACK}:${E2E.callee}` },
    timeoutSec: 10,
  });
  const r = await reg.result(15000);
  if (r.code !== 0) throw new Error(`sipp could not register 1001 at Kamailio (exit ${r.code}):\n${r.errors}`);
  const callee = await startSipp(procs, {
    scenario: calleeScenario,
    name: 'sipp-callee-1001',
    port: E2E.callee,
    mediaPort: E2E.calleeMedia,
    rtpEcho: true,
    service: '1001',
    keys: calleeOpts.keys ?? {},
    timeoutSec: 90,
  });
  return callee;
}

/** callgate flags for the e2e layout. */
export function e2eCallgatePorts() {
  return { ws: E2E.ws, sip: E2E.callgateSip, rtpMin: E2E.rtpMin, rtpMax: E2E.rtpMax };
}

/** Options for cg.connect() in the page: account 1000 at Kamailio. */
export function e2eAccount(overrides = {}) {
  return {
    url: `ws://${LOOPBACK}:${E2E.ws}`,
    login: '1000',
    authName: '1000',
    password: '1234',
    domain: LOOPBACK,
    proxy: LOOPBACK,
    port: E2E.kamailio,
    register: true,
    ...overrides,
  };
}

export { waitUntil };

/**
 * Whole e2e stack in the current namespace: Kamailio, sipp callee 1001 (`calleeScenario`,
 * or none), callgate (--sip-port 5080 --ws-port 8080 --wss-port 0 on 127.0.0.1), the static
 * server and Chromium with the test page. Returns {callee, callgate, page, browserLog}.
 */
export async function startE2eStack(ctx, { calleeScenario = null, callgateArgs = [], calleeKeys = {} } = {}) {
  const { startCallgate } = await import('./callgate.mjs');
  let callee = null;
  if (calleeScenario) {
    ({ callee } = await startSipSide(ctx.procs, calleeScenario, { keys: calleeKeys }));
  } else {
    await startKamailio(ctx.procs, E2E.kamailio);
  }
  const callgate = await startCallgate(ctx.procs, e2eCallgatePorts(), callgateArgs);
  const http = await startStaticServer(E2E.http);
  ctx.onCleanup(() => http.close());
  const b = await openTestPage(ctx.dir, http.url);
  ctx.onCleanup(() => b.close());
  return { callee, callgate, page: b.page, browserLog: b.logFile };
}

/**
 * Asserts two-way audio on the call's PeerConnection (getStats through the page's capture
 * hook): packets both ways and inbound audio energy (an echoing callee), then that audio
 * keeps flowing 1.5 s later. Returns the later stats.
 */
export async function assertTwoWayAudio(page) {
  let last = null;
  try {
    await waitUntil(async () => {
      last = await page.evaluate(() => window.cg.stats());
      return last.packetsSent > 0 && last.packetsReceived > 0 && (last.audioLevel > 0 || last.totalAudioEnergy > 0);
    }, 15000, 'two-way audio in getStats', 500);
  } catch (err) {
    throw new Error(`${err.message}; last stats: ${JSON.stringify(last)}`);
  }
  // Audio keeps flowing (not a single burst).
  const first = last;
  await new Promise((r) => setTimeout(r, 1500));
  const later = await page.evaluate(() => window.cg.stats());
  assert.ok(later.packetsSent > first.packetsSent, `outbound audio keeps flowing: ${JSON.stringify(later)}`);
  assert.ok(later.packetsReceived > first.packetsReceived, `inbound audio keeps flowing: ${JSON.stringify(later)}`);
  assert.ok(later.totalAudioEnergy > 0, `echoed audio has energy: ${JSON.stringify(later)}`);
  console.log(`audio stats: ${JSON.stringify(later)}`);
  return later;
}

/**
 * An outgoing call with camera and microphone, statuses into cg.events like the page's own
 * calls (so waitPageEvent/waitCallTerminal work); window.cgv.call is the call object.
 */
export function startVideoCall(page, callee) {
  return page.evaluate((to) => {
    const CALL_STATUS = Flashphoner.constants.CALL_STATUS;
    const el = (id) => document.getElementById(id);
    const call = window.cg.session().createCall({
      callee: to,
      localVideoDisplay: el('localDisplay'), remoteVideoDisplay: el('remoteDisplay'),
      constraints: { audio: true, video: { width: 320, height: 240 } }, receiveAudio: true, receiveVideo: true,
    });
    window.cgv = { call };
    Object.keys(CALL_STATUS).forEach((k) => {
      call.on(CALL_STATUS[k], (c) => window.cg.events.push({ t: Date.now(), kind: 'call', status: CALL_STATUS[k],
        info: c && c.getInfo ? c.getInfo() : undefined }));
    });
    call.call();
  }, callee);
}

/**
 * Video figures of the newest PeerConnection (packets/frames each way, codecs, PLIs sent), and
 * the m=video line of each description.
 */
export function videoStats(page) {
  return page.evaluate(async () => {
    const pcs = window.cgPeerConnections || [];
    const pc = pcs[pcs.length - 1];
    const out = { packetsSent: 0, framesEncoded: 0, keyFramesEncoded: 0, pliReceived: 0, packetsReceived: 0, framesDecoded: 0,
      codecIn: null, codecOut: null, pliSent: 0, localVideo: null, remoteVideo: null };
    if (!pc) return out;
    const mline = (d) => (d && d.sdp.match(/^m=video.*$/m) || [null])[0];
    out.localVideo = mline(pc.localDescription);
    out.remoteVideo = mline(pc.remoteDescription);
    const report = await pc.getStats();
    const codecs = {};
    report.forEach((r) => { if (r.type === 'codec') codecs[r.id] = r.mimeType; });
    report.forEach((r) => {
      if (r.kind !== 'video') return;
      if (r.type === 'outbound-rtp') {
        out.packetsSent += r.packetsSent || 0;
        out.framesEncoded += r.framesEncoded || 0;
        out.keyFramesEncoded += r.keyFramesEncoded || 0;
        out.pliReceived += r.pliCount || 0;
        out.codecOut = codecs[r.codecId] || out.codecOut;
      } else if (r.type === 'inbound-rtp') {
        out.packetsReceived += r.packetsReceived || 0;
        out.framesDecoded += r.framesDecoded || 0;
        out.pliSent += r.pliCount || 0;
        out.codecIn = codecs[r.codecId] || out.codecIn;
      }
    });
    return out;
  });
}

/**
 * Waits until videoStats(page) satisfies `done` (default: video sent and echoed frames
 * decoded); returns the stats. The error names the last stats seen.
 */
export async function waitVideo(page, what = 'video sent and echoed frames decoded', timeoutMs = 20000,
  done = (s) => s.packetsSent > 0 && s.framesEncoded > 0 && s.packetsReceived > 0 && s.framesDecoded > 0) {
  let last = null;
  try {
    await waitUntil(async () => {
      last = await videoStats(page);
      return done(last);
    }, timeoutMs, what, 500);
  } catch (err) {
    throw new Error(`${err.message}; last video stats: ${JSON.stringify(last)}`);
  }
  return last;
}

/**
 * Adds window.cgx to the test page (the page itself only knows outgoing calls and keeps its
 * call object private): Web SDK calls the test can drive — incoming calls (session
 * INCOMING_CALL), answer, hangup, hold/unhold, sendDTMF — on the session made by cg.connect().
 * Call statuses go to window.cg.events as {kind:'call', status, callId, incoming}, so
 * waitPageEvent/waitCallTerminal keep working; each INCOMING_CALL adds
 * {kind:'incoming', status:'INCOMING_CALL', callId, caller, callee, visibleName}.
 * Call after cg.connect() (the session must exist), before the first incoming INVITE.
 */
export async function installCallApi(page) {
  await page.evaluate(() => {
    if (window.cgx) return;
    const CALL_STATUS = Flashphoner.constants.CALL_STATUS;
    const SESSION_STATUS = Flashphoner.constants.SESSION_STATUS;
    const el = (id) => document.getElementById(id);
    const cgx = { calls: [], current: null };
    window.cgx = cgx;
    const push = (e) => window.cg.events.push({ t: Date.now(), ...e });
    function track(call, incoming) {
      cgx.calls.push(call);
      cgx.current = call;
      Object.keys(CALL_STATUS).forEach((k) => {
        const st = CALL_STATUS[k];
        call.on(st, (c) => push({ kind: 'call', status: st, callId: call.id(), incoming,
          info: c && c.getInfo ? c.getInfo() : undefined }));
      });
    }
    const session = window.cg.session();
    if (!session) throw new Error('installCallApi: cg.connect() first');
    session.on(SESSION_STATUS.INCOMING_CALL, (call) => {
      track(call, true);
      push({ kind: 'incoming', status: 'INCOMING_CALL', callId: call.id(), caller: call.caller(),
        callee: call.callee(), visibleName: call.visibleName() });
    });
    const cur = () => {
      if (!cgx.current) throw new Error('no call');
      return cgx.current;
    };
    cgx.call = (callee) => {
      const call = session.createCall({
        callee,
        localVideoDisplay: el('localDisplay'), remoteVideoDisplay: el('remoteDisplay'),
        constraints: { audio: true, video: false }, receiveVideo: false,
      });
      track(call, false);
      call.call();
      return call.id();
    };
    cgx.answer = (withVideo = false) => {
      cur().answer({ localVideoDisplay: el('localDisplay'), remoteVideoDisplay: el('remoteDisplay'),
        constraints: { audio: true, video: withVideo ? { width: 320, height: 240 } : false },
        ...(withVideo ? { receiveVideo: true } : {}) });
      return cur().id();
    };
    cgx.status = () => (cgx.current ? cgx.current.status() : null);
    cgx.hangup = () => cur().hangup();
    cgx.hold = () => cur().hold();
    cgx.unhold = () => cur().unhold();
    cgx.sendDTMF = (digits, type) => cur().sendDTMF(digits, type);
    cgx.transfer = (target) => cur().transfer(target);
  });
}

/**
 * Waits for the nth (1-based) call event {kind:'call', status} (of callId if given) recorded by
 * installCallApi; returns it.
 */
export async function waitCallEvent(page, status, timeoutMs, callId = null, nth = 1) {
  const handle = await page
    .waitForFunction(
      ([s, id, n]) => window.cg.events.filter((e) => e.kind === 'call' && e.status === s && (!id || e.callId === id))[n - 1],
      [status, callId, nth],
      { timeout: timeoutMs, polling: 100 },
    )
    .catch(async (err) => {
      const ev = await pageEvents(page).catch(() => []);
      throw new Error(`timeout after ${timeoutMs} ms waiting for call ${status}${nth > 1 ? ' #' + nth : ''}${callId ? ' of ' + callId : ''}; page events: ${ev.map((e) => `${e.kind}:${e.status}${e.callId ? '[' + e.callId.slice(0, 8) + ']' : ''}${e.info ? '(' + e.info + ')' : ''}`).join(', ')} (${err.message.split('\n')[0]})`);
    });
  return handle.jsonValue();
}

/** Waits for the n-th (1-based) INCOMING_CALL recorded by installCallApi; returns it. */
export async function waitIncomingCall(page, timeoutMs, n = 1) {
  const handle = await page
    .waitForFunction((k) => window.cg.events.filter((e) => e.kind === 'incoming')[k - 1], n, { timeout: timeoutMs, polling: 100 })
    .catch(async (err) => {
      const ev = await pageEvents(page).catch(() => []);
      throw new Error(`no INCOMING_CALL #${n} within ${timeoutMs} ms; page events: ${ev.map((e) => `${e.kind}:${e.status}`).join(', ')} (${err.message.split('\n')[0]})`);
    });
  return handle.jsonValue();
}

/** Browser audio counters now (cg.stats of the newest PeerConnection). */
export function audioStats(page) {
  return page.evaluate(() => window.cg.stats());
}

/**
 * A sipp phone calling a browser through Kamailio: UAC `scenario` (tests/e2e/ file name or
 * absolute path) as `caller` (digest credentials for Kamailio's 407, password 1234) to
 * `callee`, SIP port `port`, RTP on `mediaPort` with sipp's RTP echo. Returns the sipp handle.
 */
export function startCallingPhone(procs, { scenario, name, port = 5073, caller = '1001', callee = '1000', mediaPort = E2E.calleeMedia, keys = {}, timeoutSec = 90 }) {
  return startSipp(procs, {
    scenario: path.isAbsolute(scenario) ? scenario : path.join(TESTS_DIR, 'e2e', scenario),
    name: name ?? `sipp-phone-${caller}`,
    port,
    remote: `${LOOPBACK}:${E2E.kamailio}`,
    mediaPort,
    rtpEcho: true,
    service: callee,
    auth: { user: caller, password: '1234' },
    keys: { caller, ...keys },
    timeoutSec,
  });
}

/** Ports of the transfer target phone 1002: its REGISTER, its UAS and its RTP echo. */
export const TRANSFER_TARGET = { register: 5075, uas: 5076, media: 6010 };

/**
 * The transfer target 1002: sipp registers it at Kamailio (Contact 127.0.0.1:5076), then a
 * sipp UAS there (e2e_uas_transfer_target.xml, RTP echo) answers one INVITE and waits for BYE.
 */
export async function startTransferTarget(procs) {
  const TARGET = TRANSFER_TARGET;
  const reg = await startSipp(procs, {
    scenario: 'kam_register.xml',
    name: 'sipp-register-1002',
    port: TARGET.register,
    remote: `${LOOPBACK}:${E2E.kamailio}`,
    service: '1002',
    auth: { user: '1002', password: '1234' },
    keys: { contact: `${LOOPBACK}:${TARGET.uas}` },
    timeoutSec: 10,
  });
  const r = await reg.result(15000);
  if (r.code !== 0) throw new Error(`sipp could not register 1002 at Kamailio (exit ${r.code}):\n${r.errors}`);
  return startSipp(procs, {
    scenario: '../e2e/e2e_uas_transfer_target.xml',
    name: 'sipp-target-1002',
    port: TARGET.uas,
    mediaPort: TARGET.media,
    rtpEcho: true,
    service: '1002',
    timeoutSec: 90,
  });
}

/**
 * Explains a call that never got its ACK through Kamailio: RFC 3261 12.1.1 makes the UAS copy
 * the INVITE's Record-Route into its 2xx; without it the caller's ACK/BYE carry no Route and
 * Kamailio (loose_route) drops them. Returns a sentence for an error message ('' if fine).
 */
export function routeSetProblem(phone) {
  const parsed = parseSippMessages(phone.messages());
  const ok = parsed.find((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text));
  if (!ok) return 'the phone got no 200 for its INVITE';
  if (!sipHeader(ok.text, 'Record-Route')) {
    return 'the 200 OK the phone got has no Record-Route (RFC 3261 12.1.1: the UAS copies the INVITE\'s Record-Route), so its ACK carries no Route and Kamailio drops it:\n' + ok.text.split(/\r?\n\r?\n/)[0];
  }
  return '';
}
