// End to end through callgate's built-in echo endpoint (no Kamailio, no phone): the Web SDK in
// headless Chromium connects without registering (sipRegisterRequired false, a domain nobody
// resolves) and calls `echo`. callgate sends the INVITE to its own echo endpoint over real
// SIP on loopback, so WebSocket, SIP, ICE, DTLS-SRTP and RTP are all exercised:
// ESTABLISHED, the browser receives audio packets with audio level > 0 (its fake microphone's
// tone, echoed), hangup -> FINISH and the echo endpoint sees the BYE.
// A second call with camera and microphone: the browser decodes its own VP8 video, echoed.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, readText, startCallgate, testContext } from '../lib/callgate.mjs';
import {
  E2E, assertTwoWayAudio, e2eAccount, e2eCallgatePorts, openTestPage, startStaticServer, startVideoCall,
  waitCallTerminal, waitPageEvent, waitUntil, waitVideo,
} from '../lib/e2e.mjs';

test('e2e: call echo without registering: ESTABLISHED, own audio comes back, hangup FINISH', async () => {
  const ctx = testContext('e2e_echo_call');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, e2eCallgatePorts());
    const http = await startStaticServer(E2E.http);
    ctx.onCleanup(() => http.close());
    const b = await openTestPage(ctx.dir, http.url);
    ctx.onCleanup(() => b.close());
    const page = b.page;

    await page.evaluate((o) => window.cg.connect(o),
      e2eAccount({ register: false, domain: 'pbx.invalid', proxy: 'pbx.invalid', port: 5060 }));
    await waitPageEvent(page, 'session', 'ESTABLISHED', 10000);

    await page.evaluate(() => window.cg.call('echo'));
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);

    await assertTwoWayAudio(page);
    let stats = null;
    try {
      await waitUntil(async () => {
        stats = await page.evaluate(() => window.cg.stats());
        return stats.packetsReceived > 0 && stats.audioLevel > 0;
      }, 10000, 'inbound audio level > 0', 200);
    } catch (err) {
      throw new Error(`${err.message}; last stats: ${JSON.stringify(stats)}`);
    }

    await page.evaluate(() => window.cg.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);

    const logFile = path.join(ctx.dir, 'callgate.log');
    await waitUntil(() => /echo: call \d+ .*finished: caller hung up/.test(readText(logFile)), 5000,
      'the echo endpoint got the BYE');
    const log = readText(logFile);
    assert.match(log, /call to echo: INVITE to the echo endpoint at 127\.0\.0\.1:\d+/);
    assert.match(log, /INVITE sip:echo@pbx\.invalid/, 'Request-URI sip:echo@<client domain>');
    const echoed = Number(/finished: caller hung up \((\d+) packets echoed\)/.exec(log)?.[1] ?? 0);
    assert.ok(echoed > 50, `the echo endpoint echoed the call's RTP (${echoed} packets)`);
    assertRunning(callgate);
  });
});

test('e2e: video call to echo: the browser decodes its own VP8 video', async () => {
  const ctx = testContext('e2e_echo_video');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, e2eCallgatePorts());
    const http = await startStaticServer(E2E.http);
    ctx.onCleanup(() => http.close());
    const b = await openTestPage(ctx.dir, http.url);
    ctx.onCleanup(() => b.close());
    const page = b.page;
    await page.evaluate((o) => window.cg.connect(o), e2eAccount({ register: false, domain: 'pbx.invalid', proxy: 'pbx.invalid' }));
    await waitPageEvent(page, 'session', 'ESTABLISHED', 10000);

    await startVideoCall(page, 'echo');
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);
    const v = await waitVideo(page, 'echoed video frames decoded', 20000, (s) => s.framesDecoded > 10);
    assert.match(v.codecIn ?? '', /VP8/i, `inbound video is VP8: ${JSON.stringify(v)}`);
    console.log(`echoed video: ${JSON.stringify(v)}`);

    await page.evaluate(() => window.cgv.call.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    assert.match(readText(path.join(ctx.dir, 'callgate.log')), /echo: call \d+ .* answered, 2 m-line\(s\) echoed/);
    assertRunning(callgate);
  });
});
