// End to end, media relayed by the SIP server: Web SDK in headless Chromium -> callgate ->
// Kamailio (rtpengine module) -> sipp callee 1001 with RTP echo, with media anchored in
// Debian's rtpengine daemon (userspace). REGISTERED, call 1001: TRYING/RING, ESTABLISHED;
// audio flows both ways through rtpengine (getStats: packets sent, packets received, inbound
// energy > 0 from the echo); hangup -> FINISH and the callee receives the BYE. The SDP the
// phone received points at rtpengine's port range, not at callgate's, so the echo can only
// have come back through the relay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { E2E, e2eAccount, pageEvents, waitCallTerminal, waitPageEvent, waitUntil, assertTwoWayAudio } from '../lib/e2e.mjs';
import { RTPE, rtpengineFinalStats, sdpAudioAddress, startE2eRtpengineStack } from '../lib/rtpengine.mjs';
import { parseSippMessages } from '../lib/sipp.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e via rtpengine: register, call, two-way audio through the relay, hangup', async () => {
  const ctx = testContext('e2e_call_audio_rtpengine');
  await ctx.run(async () => {
    const { callee, callgate, rtpengine, page } = await startE2eRtpengineStack(ctx, { calleeScenario: 'uas_answer.xml' });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await waitPageEvent(page, 'session', 'ESTABLISHED', 10000);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    await page.evaluate(() => window.cg.call('1001'));
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);
    const before = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.ok(before.includes('TRYING') || before.includes('RING'), `TRYING or RING before ESTABLISHED: ${before}`);

    // The offer the phone got was rewritten by rtpengine: its address and port, not callgate's.
    const invite = parseSippMessages(callee.messages()).find((m) => m.dir === 'received' && /^INVITE /.test(m.text));
    assert.ok(invite, 'the phone received an INVITE');
    const sdp = invite.text.slice(invite.text.search(/\r?\n\r?\n/)).trim();
    const media = sdpAudioAddress(sdp);
    assert.equal(media.ip, '127.0.0.1', `c= of the offer at the phone:\n${sdp}`);
    assert.ok(media.port >= RTPE.portMin && media.port <= RTPE.portMax,
      `m=audio port ${media.port} of the offer at the phone is in rtpengine's range ${RTPE.portMin}-${RTPE.portMax}:\n${sdp}`);
    assert.ok(!(media.port >= E2E.rtpMin && media.port <= E2E.rtpMax),
      `m=audio port ${media.port} is not in callgate's RTP range ${E2E.rtpMin}-${E2E.rtpMax}`);
    for (const line of sdp.split(/\r?\n/).filter((l) => /^[cm]=/.test(l))) {
      const port = /^m=\S+ (\d+)/.exec(line)?.[1];
      if (port) assert.ok(Number(port) >= RTPE.portMin && Number(port) <= RTPE.portMax, `every m= line at the phone is rtpengine's: ${line}`);
      else assert.match(line, /^c=IN IP4 127\.0\.0\.1\s*$/, 'every c= line at the phone is rtpengine\'s address');
    }

    await assertTwoWayAudio(page);

    await page.evaluate(() => window.cg.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await expectSippSuccess(callee, 10000); // the callee got the BYE and answered it
    assertRunning(callgate);

    // rtpengine deleted the call on the BYE and counted the RTP it forwarded on both legs:
    // towards the phone (its media port) and towards callgate (a port of callgate's range).
    const stats = await waitUntil(() => {
      const s = rtpengineFinalStats(rtpengine.log()).filter((p) => !p.rtcp);
      return s.length >= 2 ? s : null;
    }, 5000, 'rtpengine final packet stats after the BYE');
    const portOf = (a) => Number(a.split(':').pop());
    const phoneLeg = stats.find((p) => portOf(p.peer) === E2E.calleeMedia);
    const gateLeg = stats.find((p) => portOf(p.peer) >= E2E.rtpMin && portOf(p.peer) <= E2E.rtpMax);
    assert.ok(phoneLeg && phoneLeg.packets > 0, `rtpengine forwarded RTP with the phone: ${JSON.stringify(stats)}`);
    assert.ok(gateLeg && gateLeg.packets > 0, `rtpengine forwarded RTP with callgate: ${JSON.stringify(stats)}`);
    for (const leg of [phoneLeg, gateLeg]) {
      const local = portOf(leg.local);
      assert.ok(local >= RTPE.portMin && local <= RTPE.portMax, `relay port ${leg.local} in rtpengine's range`);
    }
    assert.ok(rtpengine.running, `rtpengine still running: ${JSON.stringify(rtpengine.exitInfo)}`);
  });
});
