// (d) 486 Busy Here -> finish BUSY (sipStatus 486 when given); callgate ACKs the 486.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(5);

test('486 -> finish BUSY', async () => {
  const ctx = testContext('call_busy');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_busy.xml' });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'TRYING', 2000);
    const fin = await client.waitForTerminal(callId, 8000);
    assert.equal(fin.status, 'BUSY', `terminal status: ${JSON.stringify(fin)}`);
    if (fin.sipStatus !== undefined) assert.equal(Number(fin.sipStatus), 486);
    const ev = client.callEvents(callId).map((e) => e.status);
    assert.ok(!ev.includes('ESTABLISHED'), `never ESTABLISHED: ${ev}`);
    await expectSippSuccess(sipp); // includes the ACK for the 486
    await sleep(300);
    assert.equal(client.callEvents(callId).filter((e) => ['BUSY', 'FINISH', 'FAILED'].includes(e.status)).length, 1, 'one terminal status');
    assertHealthy(client, callgate);
  });
});
