// Self-test of the e2e infrastructure, no callgate needed: Debian Chromium starts headless
// inside the namespace via playwright-core, loads the test page with the Web SDK, gets a
// fake microphone, produces a WebRTC audio offer (opus, G722, PCMU, PCMA, telephone-event),
// and a session to a WebSocket port where nothing listens fails cleanly (FAILED or
// DISCONNECTED, no page error).
// Run: tests/netns_run.sh node --test tests/e2e/browser_selftest.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { testContext } from '../lib/callgate.mjs';
import { E2E, e2eAccount, openTestPage, startStaticServer, waitUntil } from '../lib/e2e.mjs';

test('Chromium + Web SDK page load, offer, clean WS failure', async () => {
  const ctx = testContext('browser_selftest');
  await ctx.run(async () => {
    const http = await startStaticServer(E2E.http);
    ctx.onCleanup(() => http.close());
    const b = await openTestPage(ctx.dir, http.url);
    ctx.onCleanup(() => b.close());
    const { page } = b;

    assert.equal(await page.evaluate(() => typeof Flashphoner.createSession), 'function', 'Web SDK loaded');
    const offer = await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      const pc = new RTCPeerConnection();
      stream.getTracks().forEach((t) => pc.addTrack(t, stream));
      const o = await pc.createOffer();
      pc.close();
      stream.getTracks().forEach((t) => t.stop());
      return { sdp: o.sdp, captured: window.cgPeerConnections.length };
    });
    assert.ok(offer.captured >= 1, 'RTCPeerConnection capture works');
    for (const codec of ['opus/48000/2', 'G722/8000', 'PCMU/8000', 'PCMA/8000', 'telephone-event/8000']) {
      assert.ok(offer.sdp.includes(codec), `browser offers ${codec}`);
    }

    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    const ev = await waitUntil(
      () => page.evaluate(() => window.cg.events.find((e) => e.kind === 'session' && ['FAILED', 'DISCONNECTED'].includes(e.status))),
      10000,
      'session FAILED/DISCONNECTED without a server',
    );
    assert.ok(ev, 'WS failure reported');
    const log = fs.existsSync(b.logFile) ? fs.readFileSync(b.logFile, 'utf8') : '';
    assert.ok(!/pageerror/.test(log), `no page errors:\n${log}`);
  });
});
