// SIGTERM with a call established: callgate ends the call (BYE, answered 200 by sipp) and
// exits with status 0 within 5 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(13);

test('SIGTERM ends open calls with BYE and exits 0', async () => {
  const ctx = testContext('sigterm');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer.xml' });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    process.kill(callgate.pid, 'SIGTERM');
    const exit = await callgate.waitExit(5000);
    assert.equal(exit.code, 0, `exit status 0 (got ${JSON.stringify(exit)})`);
    const r = await expectSippSuccess(sipp, 5000);
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE sent on shutdown');
    await client.waitClosed(3000);
  });
});
