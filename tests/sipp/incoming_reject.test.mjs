// Incoming call rejected (protocol §4.6 "Reject"): while it rings, the client sends `hangup`
// -> the phone gets 486 Busy Here (and ACKs it) -> the client gets one finish FINISH; no 200.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, responses, startIncomingTest, startPhone, statusIndex, waitIncomingCall } from '../lib/sipp_tests.mjs';

const ports = portPlan(22);

test('incoming call rejected while ringing -> 486, finish FINISH', async () => {
  const ctx = testContext('incoming_reject');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports);
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_rejected.xml' });
    const { callId } = await waitIncomingCall(client);
    await sleep(300);
    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 5000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);

    const r = await expectSippSuccess(phone);
    assert.equal(responses(r.parsed, 486).length >= 1, true, `486 Busy Here:\n${r.flow}`);
    assert.equal(responses(r.parsed, 200).length, 0, 'no 200 OK');
    assert.equal(statusIndex(client.callEvents(callId), 'ESTABLISHED'), -1, 'never ESTABLISHED');
    await sleep(300);
    assert.equal(client.callEvents(callId).filter((e) => e.status === 'FINISH').length, 1, 'one finish');
    assertHealthy(client, callgate);
  });
});
