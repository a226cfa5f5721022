// End to end, DTMF from the Web SDK (protocol 4.8): the page (1000) calls 1001, a sipp phone
// behind Kamailio that answers with PCMU + telephone-event/8000 (PT 101) on the port of
// tests/lib/rtp_probe.mjs (echoes RTP, so the browser still hears audio; decodes RFC 4733).
// call.sendDTMF('123#', 'RFC2833') -> the phone's RTP port receives exactly four events, one
// per RTP timestamp, '1','2','3','#' in order, each with end packets (E bit), PT 101 and the M
// bit on its first packet (RFC 4733 2.5.1.3). Audio keeps flowing. Then
// call.sendDTMF('4*', 'INFO_RELAY') -> the phone gets two SIP INFOs application/dtmf-relay
// Signal=4, Signal=* (sipp checks), and no further RTP events. The browser's own
// insertDTMF('7') reaches the probe as an RFC 4733 event with PT 101. Hangup -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, e2eAccount, installCallApi, startE2eStack, waitCallEvent, waitCallTerminal, waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';
import { startRtpProbe } from '../lib/rtp_probe.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

const PROBE_PORT = 6100;

test('e2e: sendDTMF RFC2833 reaches the phone as RFC 4733 events; INFO_RELAY as SIP INFO', async () => {
  const ctx = testContext('e2e_dtmf_rfc2833');
  await ctx.run(async () => {
    const probe = await startRtpProbe({ port: PROBE_PORT, eventPt: 101 });
    ctx.onCleanup(() => probe.close());
    const { callee, callgate, page } = await startE2eStack(ctx, {
      calleeScenario: '../e2e/e2e_uas_dtmf.xml',
      calleeKeys: { probe_port: probe.port },
    });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    await waitCallEvent(page, 'ESTABLISHED', 20000, callId);
    await assertTwoWayAudio(page); // through the probe's echo
    assert.ok(probe.stats.audio > 0, `the probe got audio: ${JSON.stringify({ ...probe.stats, sources: [...probe.stats.sources] })}`);
    assert.equal(probe.events().length, 0, 'no events before sendDTMF');

    await page.evaluate(() => window.cgx.sendDTMF('123#', 'RFC2833'));
    const describe = () => JSON.stringify(probe.events());
    await waitUntil(() => probe.events().length >= 4 && probe.events().every((e) => e.endPackets > 0), 10000,
      'four complete RFC 4733 events at the phone', 100).catch((err) => {
      throw new Error(`${err.message}; digits '${probe.digits()}', events ${describe()}, stats ${JSON.stringify({ ...probe.stats, sources: [...probe.stats.sources] })}`);
    });
    await sleep(500); // anything extra (a fifth event) would show up now
    const events = probe.events();
    console.log(`RFC 4733 events at the phone: ${describe()}`);
    assert.equal(probe.digits(), '123#', `digits in order, one event per timestamp: ${describe()}`);
    for (const e of events) {
      assert.ok(e.endPackets >= 1, `event ${e.digit} has an end packet (E bit): ${describe()}`);
      assert.ok(!e.mixed, `one event per timestamp: ${describe()}`);
      assert.ok(e.marker, `first packet of event ${e.digit} has the M bit (RFC 4733 2.5.1.3): ${describe()}`);
      assert.ok(e.duration > 0, `event ${e.digit} has a duration: ${describe()}`);
      assert.ok(probe.stats.audioSsrcs.has(e.ssrc), `event ${e.digit} is in the audio's RTP stream (same SSRC, RFC 4733 2.1): ${describe()} vs audio SSRCs ${[...probe.stats.audioSsrcs]}`);
    }
    const ts = events.map((e) => e.ts);
    for (let i = 1; i < ts.length; i++) assert.ok(((ts[i] - ts[i - 1]) >>> 0) < 0x80000000 && ts[i] !== ts[i - 1], `timestamps advance: ${ts}`);
    assert.equal(probe.stats.bad, 0, 'no truncated event payloads');

    // Audio still flows after the digits.
    const audioBefore = probe.stats.audio;
    await sleep(1000);
    assert.ok(probe.stats.audio > audioBefore + 10, `audio to the phone continues after DTMF (${audioBefore} -> ${probe.stats.audio})`);

    await page.evaluate(() => window.cgx.sendDTMF('4*', 'INFO_RELAY'));
    await sleep(1500); // two INFO transactions
    assert.equal(probe.digits(), '123#', `INFO_RELAY digits do not go into RTP: ${describe()}`);

    // The browser's own DTMF (RTCRtpSender.dtmf.insertDTMF, telephone-event it negotiated with
    // callgate) is relayed to the phone with the payload type mapped to the phone's 101.
    const inserted = await page.evaluate(() => {
      const pcs = window.cgPeerConnections || [];
      const sender = pcs[pcs.length - 1]?.getSenders().find((s) => s.track && s.track.kind === 'audio');
      if (!sender || !sender.dtmf || !sender.dtmf.canInsertDTMF) return false;
      sender.dtmf.insertDTMF('7', 120, 70);
      return true;
    });
    assert.ok(inserted, 'the browser can insert DTMF (it negotiated telephone-event)');
    await waitUntil(() => probe.digits() === '123#7' && probe.events()[4].endPackets > 0, 5000,
      "the browser's own '7' at the phone as PT 101", 100).catch((err) => {
      throw new Error(`${err.message}; digits '${probe.digits()}', events ${describe()}`);
    });

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await expectSippSuccess(callee, 15000); // the INFOs (Signal=4, Signal=*) and the BYE
    assertRunning(callgate);
  });
});
