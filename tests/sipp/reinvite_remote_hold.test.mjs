// The phone puts callgate on hold and resumes (protocol §3.7 "also when the SIP peer puts us on
// hold", RFC 3264 §8.4): on an established outgoing call sipp sends a re-INVITE with a=sendonly
// -> callgate answers 200 OK whose SDP has a=recvonly (RTP/AVP, c=127.0.0.1) -> ACK -> the
// client gets `hold` HOLD; then a re-INVITE with a=sendrecv -> 200 with a=sendrecv -> `talk`
// ESTABLISHED. Then the client hangs up -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertSipSdp, sipBody } from '../lib/sip_checks.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, audioDirection, dialogOf, expectSippSuccess, receivedRequests, responses,
  startCallTest,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(27);

test('phone re-INVITE sendonly -> 200 recvonly, HOLD; sendrecv -> ESTABLISHED', async () => {
  const ctx = testContext('reinvite_remote_hold');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_reinvite_hold.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    const held = await client.waitForCall(callId, 'HOLD', 8000);
    assert.equal(held.message, 'hold', 'HOLD comes in `hold`');
    await client.waitFor(() => client.callEvents(callId).filter((e) => e.status === 'ESTABLISHED').length === 2, 8000);
    const ev = client.callEvents(callId).map((e) => e.status);
    assert.deepEqual(ev.filter((s) => ['ESTABLISHED', 'HOLD'].includes(s)), ['ESTABLISHED', 'HOLD', 'ESTABLISHED'], `status order: ${ev}`);
    assert.equal(client.callEvents(callId).filter((e) => e.status === 'ESTABLISHED').at(-1).message, 'talk', 'resume comes in `talk`');
    await sleep(300);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(sipp);
    const oks = responses(r.parsed, 200).filter((m) => dialogOf(m.text).cseqMethod === 'INVITE');
    assert.ok(oks.length >= 2, `200 for both re-INVITEs:\n${r.flow}`);
    const first = oks.find((m) => dialogOf(m.text).cseq === 1);
    const second = oks.find((m) => dialogOf(m.text).cseq === 2);
    assertSipSdp(sipBody(first.text));
    assert.equal(audioDirection(sipBody(first.text)), 'recvonly', `answer to sendonly is recvonly:\n${sipBody(first.text)}`);
    assertSipSdp(sipBody(second.text));
    assert.equal(audioDirection(sipBody(second.text)), 'sendrecv', `answer to sendrecv is sendrecv:\n${sipBody(second.text)}`);
    assert.equal(receivedRequests(r.parsed, 'INVITE').length, 1, 'callgate sent no re-INVITE of its own');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    assert.equal(client.remoteSdps(callId).length, 1, 'the browser never gets a second setRemoteSDP (protocol §3.3)');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
