// (f) The SIP side hangs up: 200 OK, then (3 s later) BYE from sipp -> callgate answers 200 and
// the client gets finish FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(7);

test('remote BYE after 200 -> finish FINISH', async () => {
  const ctx = testContext('call_remote_bye');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_then_bye.xml' });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    const tEst = Date.now();
    const fin = await client.waitForTerminal(callId, 10000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);
    assert.ok(Date.now() - tEst > 1500, 'the call ended by the remote BYE, not earlier');
    await expectSippSuccess(sipp); // sipp got 200 for its BYE
    assertHealthy(client, callgate);
  });
});
