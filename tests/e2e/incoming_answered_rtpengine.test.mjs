// End to end, incoming call with media relayed by the SIP server: like incoming_answered, but
// Kamailio runs the rtpengine config (tests/kamailio/kamailio-rtpengine.cfg), so the phone's
// offer reaches callgate rewritten to rtpengine's address and callgate's 200 reaches the phone
// rewritten too: media goes phone <-> rtpengine <-> callgate <-> browser. The page (1000) gets
// INCOMING_CALL from 1001, answers -> ESTABLISHED; two-way audio (the phone echoes through the
// relay); the SDP the phone got points at rtpengine's range, not callgate's; the page hangs up
// -> FINISH, the phone gets the BYE, and rtpengine counted RTP on both legs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, startCallgate, testContext } from '../lib/callgate.mjs';
import {
  E2E, assertTwoWayAudio, e2eAccount, e2eCallgatePorts, installCallApi, openTestPage, routeSetProblem, startCallingPhone,
  startStaticServer, waitCallEvent, waitCallTerminal, waitIncomingCall, waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';
import { RTPE, rtpengineFinalStats, sdpAudioAddress, startKamailioRtpengine, startRtpengine } from '../lib/rtpengine.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e incoming via rtpengine: phone calls the page, answer, audio through the relay, hangup', async () => {
  const ctx = testContext('e2e_incoming_answered_rtpengine');
  await ctx.run(async () => {
    const rtpengine = await startRtpengine(ctx.procs);
    await startKamailioRtpengine(ctx.procs);
    const callgate = await startCallgate(ctx.procs, e2eCallgatePorts());
    const http = await startStaticServer(E2E.http);
    ctx.onCleanup(() => http.close());
    const b = await openTestPage(ctx.dir, http.url);
    ctx.onCleanup(() => b.close());
    const { page } = b;

    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const phone = await startCallingPhone(ctx.procs, { scenario: 'e2e_uac_call_answered.xml' });
    const inc = await waitIncomingCall(page, 15000);
    assert.equal(inc.caller, '1001', `INCOMING_CALL caller: ${JSON.stringify(inc)}`);
    await waitCallEvent(page, 'RING', 10000, inc.callId);
    await page.evaluate(() => window.cgx.answer());
    await waitCallEvent(page, 'ESTABLISHED', 15000, inc.callId).catch((err) => {
      throw new Error(`${err.message}\n${routeSetProblem(phone)}`);
    });

    await assertTwoWayAudio(page);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const r = await expectSippSuccess(phone, 15000);

    // The answer the phone got was rewritten by rtpengine.
    const ok = r.parsed.find((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*2 INVITE/im.test(m.text));
    assert.ok(ok, `the phone got a 200:\n${r.flow}`);
    const sdp = ok.text.slice(ok.text.search(/\r?\n\r?\n/)).trim();
    const media = sdpAudioAddress(sdp);
    assert.equal(media.ip, '127.0.0.1', `c= of the answer at the phone:\n${sdp}`);
    assert.ok(media.port >= RTPE.portMin && media.port <= RTPE.portMax,
      `m=audio port ${media.port} of the answer at the phone is in rtpengine's range ${RTPE.portMin}-${RTPE.portMax}:\n${sdp}`);

    // rtpengine deleted the call on the BYE and forwarded RTP on both legs.
    const stats = await waitUntil(() => {
      const s = rtpengineFinalStats(rtpengine.log()).filter((p) => !p.rtcp);
      return s.length >= 2 ? s : null;
    }, 5000, 'rtpengine final packet stats after the BYE');
    const portOf = (a) => Number(a.split(':').pop());
    const phoneLeg = stats.find((p) => portOf(p.peer) === E2E.calleeMedia);
    const gateLeg = stats.find((p) => portOf(p.peer) >= E2E.rtpMin && portOf(p.peer) <= E2E.rtpMax);
    assert.ok(phoneLeg && phoneLeg.packets > 0, `rtpengine forwarded RTP with the phone: ${JSON.stringify(stats)}`);
    assert.ok(gateLeg && gateLeg.packets > 0, `rtpengine forwarded RTP with callgate: ${JSON.stringify(stats)}`);
    assertRunning(callgate);
  });
});
