// The client's WebSocket closes during an established call (no keepAlive): callgate ends
// the call with BYE (sipp answers 200) and stays healthy (issue 2: "A closed WebSocket ends
// its calls and its registration").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, portPlan, testContext } from '../lib/callgate.mjs';
import { expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(14);

test('WebSocket closed during a call -> BYE to the SIP side', async () => {
  const ctx = testContext('ws_close_in_call');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer.xml' });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    await client.close();
    const r = await expectSippSuccess(sipp);
    assert.equal(receivedRequests(r.parsed, 'BYE').length >= 1, true, `BYE after the socket closed:\n${r.flow}`);
    assertRunning(callgate);
  });
});
