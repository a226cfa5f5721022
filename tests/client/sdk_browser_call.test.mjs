// The C++ client SDK and the official Web SDK (headless Debian Chromium) call each other
// through callgate's local SIP domain (--domain-enabled 1, users 1000-1003): callgate-phone
// registers 1000, the page registers 1001. Chromium's fake microphone plays a generated
// 700 Hz WAV (--use-file-for-fake-audio-capture), so both directions are checked by frequency:
// 1. The browser calls 1000; the SDK (--answer, 1 kHz tone, recording) answers. The page sees
//    ESTABLISHED, packets both ways with energy (getStats), and the spectrum of the remote
//    track (WebAudio AnalyserNode) peaks at 1 kHz; the SDK hangs up after 4 s -> FINISH on
//    both, exit 0; the SDK's recording holds 700 Hz and not its own 1 kHz.
// 2. The SDK calls 1001 (500 Hz tone); the page gets INCOMING_CALL from 1000 and answers; the
//    remote spectrum peaks at 500 Hz; the page hangs up -> the SDK reports FINISH and exits 0
//    long before --duration; its recording holds 700 Hz.
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { assertRunning, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { writeToneWav } from '../lib/baresip.mjs';
import {
  CHROMIUM, CHROMIUM_ARGS, E2E, assertTwoWayAudio, e2eCallgatePorts, installCallApi, openTestPage, startStaticServer,
  waitCallEvent, waitIncomingCall, waitPageEvent,
} from '../lib/e2e.mjs';
import { DOMAIN_PORT, domainAccount, domainCallgateArgs } from '../lib/local_domain.mjs';
import { LOOPBACK, waitForPort } from '../lib/procs.mjs';
import { analyseTone, startPhone } from '../lib/phone.mjs';

const require = createRequire(import.meta.url);
const BROWSER_TONE = 700; // the page's microphone (fake capture file)

const account = (login) => ['--url', `ws://${LOOPBACK}:${E2E.ws}`, '--login', login, '--password', '1234',
  '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK, '--port', String(DOMAIN_PORT), '--register', '1'];

/**
 * Peak frequency of the call's remote audio track in the page, through a WebAudio
 * AnalyserNode: the median over `snapshots` spectra 100 ms apart, with its level in dBFS.
 */
function remotePeak(page, snapshots = 10) {
  return page.evaluate(async (n) => {
    const pcs = window.cgPeerConnections || [];
    const pc = pcs[pcs.length - 1];
    const track = pc && pc.getReceivers().map((r) => r.track).find((t) => t && t.kind === 'audio');
    if (!track) return { error: 'no remote audio track' };
    const ac = new AudioContext();
    await ac.resume();
    const src = ac.createMediaStreamSource(new MediaStream([track]));
    const an = ac.createAnalyser();
    an.fftSize = 8192;
    an.smoothingTimeConstant = 0;
    src.connect(an);
    const bins = new Float32Array(an.frequencyBinCount);
    const peaks = [];
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, 100));
      an.getFloatFrequencyData(bins);
      let best = 1; // skip DC
      for (let k = 2; k < bins.length; k++) if (bins[k] > bins[best]) best = k;
      peaks.push({ hz: (best * ac.sampleRate) / an.fftSize, db: bins[best] });
    }
    await ac.close();
    peaks.sort((a, b) => a.hz - b.hz);
    return { ...peaks[Math.floor(n / 2)], all: peaks.map((p) => Math.round(p.hz)) };
  }, snapshots);
}

async function assertRemotePeak(page, hz) {
  const p = await remotePeak(page);
  console.log(`browser hears: ${JSON.stringify(p)}`);
  assert.ok(!p.error && Math.abs(p.hz - hz) < 20 && p.db > -70, `the browser's remote audio peaks at ${hz} Hz: ${JSON.stringify(p)}`);
}

function assertSdkHeard(wav, own) {
  const a = analyseTone(wav, BROWSER_TONE);
  console.log(`SDK recording: ${JSON.stringify(a)}`);
  assert.ok(a.seconds >= 2, `the SDK recorded ${a.seconds} s: ${JSON.stringify(a)}`);
  assert.ok(a.toneBlocks >= a.blocks * 0.5, `the SDK hears the browser's ${BROWSER_TONE} Hz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);
  const self = analyseTone(wav, own);
  assert.ok(self.medianShare < 0.05, `the SDK does not hear its own ${own} Hz: ${JSON.stringify(self)}`);
}

test('SDK <-> browser through the local domain: calls both ways, audio checked by frequency on both ends', async () => {
  const ctx = testContext('sdk_browser_call');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, e2eCallgatePorts(), domainCallgateArgs());
    await waitForPort('udp', DOMAIN_PORT, 5000, callgate);
    const http = await startStaticServer(E2E.http);
    ctx.onCleanup(() => http.close());
    const mic = path.join(ctx.dir, 'browser-mic.wav');
    writeToneWav(mic, { seconds: 10, rate: 48000, freq: BROWSER_TONE, amplitude: 16000 });
    const { chromium } = require('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 30000,
      args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${mic}`] });
    ctx.onCleanup(() => browser.close().catch(() => {}));
    const { page } = await openTestPage(ctx.dir, http.url, { browser });

    const sdk1 = startPhone(ctx.procs, [...account('1000'), '--answer', '--tone', '1000', '--record',
      path.join(ctx.dir, 'sdk-1.wav'), '--duration', '4', '--timeout', '20'], { name: 'phone-answer' });
    await page.evaluate((o) => window.cg.connect(o), domainAccount('1001'));
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);
    await sdk1.waitLine(/^session REGISTERED/, 10000);

    // 1. Browser -> SDK; the SDK hangs up.
    const outId = await page.evaluate(() => window.cgx.call('1000'));
    await waitCallEvent(page, 'ESTABLISHED', 15000, outId);
    await sdk1.waitLine(/^incoming call from '1001'/, 1000);
    await assertTwoWayAudio(page);
    await assertRemotePeak(page, 1000);
    const end1 = await waitCallEvent(page, 'FINISH', 8000, outId);
    const r1 = await sdk1.finish(5000);
    assert.equal(r1.code, 0, `SDK (answer) exit ${r1.code}: ${r1.result}\n${r1.out}`);
    assert.ok(r1.lines.includes('hangup'), `the SDK hung up: ${r1.out}`);
    console.log(`page FINISH: ${JSON.stringify(end1)}`);
    assertSdkHeard(path.join(ctx.dir, 'sdk-1.wav'), 1000);

    // 2. SDK -> browser; the browser hangs up.
    const wav2 = path.join(ctx.dir, 'sdk-2.wav');
    const sdk2 = startPhone(ctx.procs, [...account('1000'), '--call', '1001', '--tone', '500', '--record', wav2,
      '--duration', '30', '--timeout', '15'], { name: 'phone-call' });
    const inc = await waitIncomingCall(page, 15000);
    assert.equal(inc.caller, '1000', `INCOMING_CALL caller: ${JSON.stringify(inc)}`);
    await page.evaluate(() => window.cgx.answer());
    await waitCallEvent(page, 'ESTABLISHED', 15000, inc.callId);
    await sdk2.waitLine(/^call ESTABLISHED/, 10000);
    await assertRemotePeak(page, 500);
    await sleep(1500);
    const t0 = Date.now();
    await page.evaluate(() => window.cgx.hangup());
    await waitCallEvent(page, 'FINISH', 5000, inc.callId);
    const r2 = await sdk2.finish(8000);
    assert.equal(r2.code, 0, `SDK (call) exit ${r2.code}: ${r2.result}\n${r2.out}`);
    assert.ok(Date.now() - t0 < 5000, `the SDK ended ${Date.now() - t0} ms after the browser's hangup`);
    assert.match(r2.result, /^result 0 FINISH /, r2.out);
    assert.ok(!r2.lines.includes('hangup'), `the SDK did not hang up itself: ${r2.out}`);
    const statuses = r2.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    assert.ok(statuses.includes('RING') && statuses.includes('ESTABLISHED'), r2.out);
    assertSdkHeard(wav2, 500);
    assertRunning(callgate);
  });
});
