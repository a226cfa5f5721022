// End to end, incoming call: the Web SDK page registers 1000 through callgate at Kamailio; a
// sipp phone (1001, digest for Kamailio's 407, RTP echo) calls 1000 through Kamailio. The page
// gets INCOMING_CALL with caller 1001 and RING, answers with call.answer() -> ESTABLISHED, the
// phone gets the 200 (plain RTP/AVP answer with PCMU) and ACKs; audio flows both ways (getStats:
// packets sent and received, inbound energy from the phone's echo); the page hangs up -> BYE to
// the phone through the route set -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, e2eAccount, installCallApi, pageEvents, startCallingPhone, startE2eStack, waitCallEvent, waitCallTerminal,
  routeSetProblem, waitIncomingCall, waitPageEvent,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e incoming: phone calls the page, answer, two-way audio, page hangs up', async () => {
  const ctx = testContext('e2e_incoming_answered');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
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
    const r = await expectSippSuccess(phone, 15000); // got the 200, ACKed, got the BYE
    const ok = r.parsed.find((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /CSeq:\s*2 INVITE/i.test(m.text));
    assert.ok(ok, `the phone got a 200 for its INVITE:\n${r.flow}`);
    const sdp = ok.text.slice(ok.text.search(/\r?\n\r?\n/)).trim();
    assert.match(sdp, /^m=audio [1-9]\d* RTP\/AVP( \d+)* 0\b/m, `200 answers PCMU on plain RTP:\n${sdp}`);
    assert.match(sdp, /^c=IN IP4 127\.0\.0\.1/m, 'answer c= is callgate\'s address');
    assert.ok(!/a=(fingerprint|ice-ufrag|candidate)/.test(sdp), 'no WebRTC attributes toward the phone');
    const statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.equal(statuses.filter((s) => s === 'FINISH').length, 1, `one FINISH: ${statuses}`);
    assertRunning(callgate);
  });
});
