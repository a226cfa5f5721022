// Hold refused by the phone (protocol §4.7): the hold re-INVITE (a=sendonly) gets 488 ->
// callgate ACKs it, the client gets `fail` {apiMethod CallStatusEvent, callId} and no `hold`;
// the call stays ESTABLISHED (no terminal status) and a later hangup still BYEs -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { NO_BROWSER_ARGS, assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(26);

test('hold re-INVITE answered 488 -> fail CallStatusEvent, call stays up', async () => {
  const ctx = testContext('hold_rejected');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_hold_488.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);

    client.hold(callId);
    const fail = await client.waitFor({ message: 'fail', apiMethod: 'CallStatusEvent' }, 8000);
    assert.equal(fail.data[0].callId ?? fail.data[0].id, callId, `fail names the call: ${JSON.stringify(fail.data[0])}`);
    await sleep(1000);
    assert.equal(client.messages('hold').length, 0, `no hold frame: ${client.summary()}`);
    const statuses = client.callEvents(callId).filter((e) => e.message !== 'fail').map((e) => e.status);
    assert.ok(!statuses.includes('HOLD'), `never HOLD: ${statuses}`);
    assert.ok(!statuses.some((s) => ['FINISH', 'FAILED', 'BUSY'].includes(s)), `call not ended: ${statuses}`);
    assert.equal(statuses[statuses.length - 1], 'ESTABLISHED', `last status still ESTABLISHED: ${statuses}`);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(sipp);
    assert.equal(receivedRequests(r.parsed, 'INVITE').length, 2, `INVITE + hold re-INVITE:\n${r.flow}`);
    assert.ok(receivedRequests(r.parsed, 'ACK').length >= 2, 'ACK for the 200 and for the 488');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    assertHealthy(client, callgate);
  });
});
