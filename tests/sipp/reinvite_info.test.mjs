// In-dialog INFO from the phone (RFC 6086 §4.2: a UAS that receives an INFO in a dialog answers
// it): on an established outgoing call sipp sends INFO application/dtmf-relay "Signal=5" ->
// callgate answers 200 OK; the call stays up until the client hangs up -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, receivedRequests, startCallTest, waitSippMessage,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(30);

test('INFO dtmf-relay from the phone -> 200 OK, call stays up', async () => {
  const ctx = testContext('reinvite_info');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_reinvite_info.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    const ok = await waitSippMessage(sipp, (m) => m.dir === 'received' && /^SIP\/2\.0 [2-6]\d\d /.test(m.text) && dialogOf(m.text).cseqMethod === 'INFO', 10000);
    assert.match(ok.text.split('\n')[0], /^SIP\/2\.0 200 /, `INFO answered 200: ${ok.text.split('\n')[0]}`);
    await sleep(500);
    const statuses = client.callEvents(callId).map((e) => e.status);
    assert.ok(!statuses.some((s) => ['FINISH', 'FAILED', 'BUSY'].includes(s)), `call still up: ${statuses}`);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);
    const r = await expectSippSuccess(sipp);
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    assertHealthy(client, callgate);
  });
});
