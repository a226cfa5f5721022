// CANCEL racing the answer (RFC 3261 §9.2: a CANCEL for an INVITE that already got its final
// response has no effect; the CANCEL itself is answered 200, the INVITE gets no 487): the
// client answers; right after the 200 the phone sends CANCEL -> 200 for the CANCEL, no 487 ->
// the phone ACKs the 200 -> ESTABLISHED -> 1 s later the phone BYEs -> 200 -> FINISH. Exactly
// one terminal status, callgate alive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { webRtcAnswerTo } from '../lib/chromium_offer.mjs';
import {
  assertHealthy, dialogOf, expectSippSuccess, responses, startIncomingTest, startPhone, waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(46);
const TERMINAL = ['FINISH', 'FAILED', 'BUSY'];

test('CANCEL right after the 200 -> 200 to the CANCEL, no 487; ACK, BYE -> ESTABLISHED then FINISH', async () => {
  const ctx = testContext('cancel_after_answer');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports);
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_cancel_after_200.xml' });
    const { callId, notify, offer } = await waitIncomingCall(client);
    client.answer(callId, webRtcAnswerTo(offer).sdp, { notify });

    const finFrame = await client.waitFor((m) => m.message !== 'fail' && m.data?.[0]?.callId === callId && TERMINAL.includes(m.data[0].status), 10000);
    assert.equal(finFrame.message, 'finish', 'terminal status in `finish`');
    assert.equal(finFrame.data[0].status, 'FINISH', `terminal status: ${JSON.stringify(finFrame.data[0])}`);

    const r = await expectSippSuccess(phone);
    const cancelOk = responses(r.parsed, 200).filter((m) => dialogOf(m.text).cseqMethod === 'CANCEL');
    assert.ok(cancelOk.length >= 1, `200 for the CANCEL:\n${r.flow}`);
    assert.equal(responses(r.parsed, 487).length, 0, `no 487 (the INVITE was already answered):\n${r.flow}`);
    assert.ok(responses(r.parsed, 200).some((m) => dialogOf(m.text).cseqMethod === 'BYE'), `200 for the BYE:\n${r.flow}`);

    await sleep(500);
    const statuses = client.callEvents(callId).filter((e) => e.message !== 'fail').map((e) => e.status);
    assert.deepEqual(statuses.filter((s) => s === 'ESTABLISHED' || TERMINAL.includes(s)), ['ESTABLISHED', 'FINISH'], `ESTABLISHED then FINISH, once each: ${statuses}`);
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
