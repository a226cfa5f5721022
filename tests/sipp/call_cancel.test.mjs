// Client hangs up while the call rings: CANCEL (sipp: 200 + 487, callgate ACKs the 487)
// -> finish FINISH (protocol 4.5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(9);

test('hangup while ringing -> CANCEL -> finish FINISH', async () => {
  const ctx = testContext('call_cancel');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_ring_noanswer.xml' });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'RING', 5000);
    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 8000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);
    const r = await expectSippSuccess(sipp);
    const inv = receivedRequests(r.parsed, 'INVITE')[0].text;
    const can = receivedRequests(r.parsed, 'CANCEL')[0].text;
    const branch = (t) => /branch=([^;,\s]+)/.exec(sipHeader(t, 'Via') ?? '')?.[1];
    assert.equal(branch(can), branch(inv), 'CANCEL has the INVITE branch (RFC 3261 9.1)');
    assert.equal(parseInt(sipHeader(can, 'CSeq'), 10), parseInt(sipHeader(inv, 'CSeq'), 10), 'CANCEL CSeq number = INVITE');
    assertHealthy(client, callgate);
  });
});
