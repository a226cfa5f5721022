// Incoming call answered, the phone hangs up (protocol §4.6, §4.10): after 200/ACK and talk
// ESTABLISHED, sipp sends BYE in the dialog 2 s later -> callgate answers 200 -> the client
// gets one finish FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { webRtcAnswerTo } from '../lib/chromium_offer.mjs';
import {
  assertHealthy, dialogOf, expectSippSuccess, responses, startIncomingTest, startPhone, waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(21);

test('incoming call answered, phone sends BYE -> finish FINISH', async () => {
  const ctx = testContext('incoming_remote_bye');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports);
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_answered_bye.xml' });
    const { callId, notify, offer } = await waitIncomingCall(client);
    client.answer(callId, webRtcAnswerTo(offer).sdp, { notify });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    const tEst = Date.now();

    const fin = await client.waitForTerminal(callId, 10000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);
    assert.ok(Date.now() - tEst > 1000, 'the call ended by the phone BYE, not earlier');

    const r = await expectSippSuccess(phone); // sipp got 200 for its BYE
    assert.ok(responses(r.parsed, 200).some((m) => dialogOf(m.text).cseqMethod === 'BYE'), `200 for the BYE:\n${r.flow}`);
    assert.equal(client.callEvents(callId).filter((e) => ['FINISH', 'FAILED', 'BUSY'].includes(e.status)).length, 1, 'one terminal event');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
