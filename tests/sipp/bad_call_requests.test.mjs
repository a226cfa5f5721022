// Bad `call` requests (protocol §6.2): each gets no TRYING, exactly one terminal
// finish FAILED with a specific info, and a `fail` CallStatusEvent carrying the same text;
// nothing reaches the SIP side and callgate stays healthy. Then a good call still works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(15);

const cases = [
  { what: 'callee with a space', call: { callee: 'bad callee' }, info: /callee/i },
  { what: 'callee with angle brackets', call: { callee: '<1001>' }, info: /callee/i },
  { what: 'INVITE parameter with CR/LF', call: { callee: '2000', inviteParameters: { 'X-Evil': 'a\r\nVia: x' } }, info: /INVITE parameter/ },
  { what: 'INVITE parameter name that is not a token', call: { callee: '2000', inviteParameters: { 'Bad Name': 'v' } }, info: /INVITE parameter name/ },
  { what: 'SDP that is not SDP', call: { callee: '2000', sdp: 'hello' }, info: /SDP/ },
];

test('bad call requests fail clearly and send nothing to SIP', async () => {
  const ctx = testContext('bad_call_requests');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer.xml' });
    for (const c of cases) {
      const { callId } = client.call(c.call);
      const fin = await client.waitForTerminal(callId, 5000);
      assert.equal(fin.status, 'FAILED', `${c.what}: ${JSON.stringify(fin)}`);
      assert.match(fin.info ?? '', c.info, `${c.what}: info names the problem: ${fin.info}`);
      const fail = await client.waitFor((m) => m.message === 'fail' && m.data?.[0]?.callId === callId, 2000);
      assert.equal(fail.data[0].apiMethod, 'CallStatusEvent', c.what);
      assert.equal(fail.data[0].info, fin.info, `${c.what}: fail carries the same text`);
      assert.equal(client.callEvents(callId).filter((e) => e.status === 'TRYING').length, 0, `${c.what}: no TRYING`);
    }
    // A good call afterwards reaches sipp, which is answered and hung up.
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    client.hangup(callId);
    await client.waitForTerminal(callId, 5000);
    const r = await expectSippSuccess(sipp);
    assert.equal(receivedRequests(r.parsed, 'INVITE').length, 1, `only the good call sent an INVITE:\n${r.flow}`);
    await sleep(100);
    assertHealthy(client, callgate);
  });
});
