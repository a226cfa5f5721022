// Re-INVITE without a body from the phone (RFC 3261 §14.2, RFC 3264 §5: callgate makes the
// offer in the 200 OK): on an established outgoing call sipp sends a bodyless re-INVITE ->
// 200 OK with an SDP offer (RTP/AVP, c=127.0.0.1, sendrecv, same o= session id) -> sipp ACKs
// with its SDP answer; the call stays up (no terminal status, no HOLD) until the client hangs
// up -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertSipSdp, sipBody } from '../lib/sip_checks.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, audioDirection, dialogOf, expectSippSuccess, receivedRequests, responses,
  sdpOrigin, startCallTest, waitSippMessage,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(28);

test('bodyless re-INVITE -> 200 with an offer, ACK with the answer, call stays up', async () => {
  const ctx = testContext('reinvite_no_sdp');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_reinvite_nosdp.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    await waitSippMessage(sipp, (m) => m.dir === 'sent' && m.text.startsWith('ACK ') && /application\/sdp/i.test(m.text), 10000);
    await sleep(1000);
    const statuses = client.callEvents(callId).map((e) => e.status);
    assert.ok(!statuses.some((s) => ['FINISH', 'FAILED', 'BUSY', 'HOLD'].includes(s)), `call still up and not held: ${statuses}`);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(sipp);
    const ok = responses(r.parsed, 200).find((m) => dialogOf(m.text).cseqMethod === 'INVITE');
    assert.ok(ok, `200 for the re-INVITE:\n${r.flow}`);
    const offer = sipBody(ok.text);
    assertSipSdp(offer);
    assert.match(offer, /^m=audio [1-9]\d* RTP\/AVP( \d+)* (0|8)\b/m, 'offer includes PCMU or PCMA');
    assert.equal(audioDirection(offer), 'sendrecv', `offer is sendrecv:\n${offer}`);
    const initial = receivedRequests(r.parsed, 'INVITE')[0];
    assert.equal(sdpOrigin(offer)?.sessId, sdpOrigin(sipBody(initial.text))?.sessId, 'same o= session id as the initial offer');
    assert.ok(sdpOrigin(offer).version >= sdpOrigin(sipBody(initial.text)).version, 'o= version not lower');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
