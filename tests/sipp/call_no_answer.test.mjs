// (g) No answer: sipp rings (180) forever; callgate started with --no-answer-timeout 3 sends
// CANCEL after ~3 s (sipp: 200 + 487, callgate ACKs) -> finish FAILED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(8);

test('no answer -> CANCEL after --no-answer-timeout -> finish FAILED', async () => {
  const ctx = testContext('call_no_answer');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, {
      scenario: 'uas_ring_noanswer.xml',
      callgateArgs: ['--no-answer-timeout', '3'],
    });
    const t0 = Date.now();
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'RING', 5000);
    const fin = await client.waitForTerminal(callId, 15000);
    const elapsed = Date.now() - t0;
    assert.equal(fin.status, 'FAILED', `terminal status: ${JSON.stringify(fin)}`);
    assert.ok(elapsed >= 2500 && elapsed <= 10000, `ended by the 3 s no-answer timer (after ${elapsed} ms)`);
    const r = await expectSippSuccess(sipp);
    assert.equal(receivedRequests(r.parsed, 'CANCEL').length >= 1, true, 'CANCEL sent');
    assertHealthy(client, callgate);
  });
});
