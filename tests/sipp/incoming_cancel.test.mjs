// Incoming call cancelled by the caller (protocol §4.6 "Caller gives up", RFC 3261 §9.2): the
// phone sends CANCEL 1.5 s after the 180 -> 200 OK to the CANCEL and 487 to the INVITE (ACKed)
// -> the client gets one finish FINISH after its ring.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import {
  assertHealthy, dialogOf, expectSippSuccess, responses, startIncomingTest, startPhone, statusIndex, waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(23);

test('incoming call CANCELled by the phone -> 200 + 487, finish FINISH', async () => {
  const ctx = testContext('incoming_cancel');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports);
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_cancel.xml' });
    const { callId } = await waitIncomingCall(client);
    const fin = await client.waitForTerminal(callId, 10000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);

    const r = await expectSippSuccess(phone);
    assert.ok(responses(r.parsed, 200).some((m) => dialogOf(m.text).cseqMethod === 'CANCEL'), `200 for the CANCEL:\n${r.flow}`);
    assert.ok(responses(r.parsed, 487).some((m) => dialogOf(m.text).cseqMethod === 'INVITE'), `487 for the INVITE:\n${r.flow}`);
    const ev = client.callEvents(callId);
    assert.ok(statusIndex(ev, 'RING') < statusIndex(ev, 'FINISH'), 'RING before FINISH');
    assert.equal(statusIndex(ev, 'ESTABLISHED'), -1, 'never ESTABLISHED');
    await sleep(300);
    assert.equal(client.callEvents(callId).filter((e) => e.status === 'FINISH').length, 1, 'one finish');
    assertHealthy(client, callgate);
  });
});
