// Re-INVITE glare (RFC 3261 §14.2): the client puts an established outgoing call on hold; sipp
// answers callgate's re-INVITE only with 100 and sends its own re-INVITE in the same dialog ->
// callgate must answer it 491 Request Pending (sipp ACKs). sipp then accepts the hold (200
// a=recvonly) -> ACK -> the client gets `hold` HOLD; hangup -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, receivedRequests, responses, startCallTest,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(29);

test('phone re-INVITE while our hold re-INVITE is pending -> 491', async () => {
  const ctx = testContext('reinvite_glare');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_reinvite_glare.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    client.hold(callId);
    const held = await client.waitForCall(callId, 'HOLD', 10000);
    assert.equal(held.message, 'hold');
    await sleep(300);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(sipp);
    const glare = responses(r.parsed, 491).filter((m) => dialogOf(m.text).cseqMethod === 'INVITE');
    assert.ok(glare.length >= 1, `491 Request Pending for the phone's re-INVITE:\n${r.flow}`);
    assert.equal(responses(r.parsed, 200).filter((m) => dialogOf(m.text).cseqMethod === 'INVITE').length, 0, 'the phone re-INVITE was not accepted');
    assert.equal(receivedRequests(r.parsed, 'INVITE').length, 2, 'INVITE + one hold re-INVITE');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    const statuses = client.callEvents(callId).map((e) => e.status);
    assert.ok(!statuses.includes('FAILED'), `no failure reported: ${statuses}`);
    assertHealthy(client, callgate);
  });
});
