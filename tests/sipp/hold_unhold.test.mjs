// Client-initiated hold and unhold on an established outgoing call (protocol §2.5, §4.7;
// RFC 3264 §8.4): `hold` -> sipp receives a re-INVITE in the dialog (same Call-ID and tags,
// CSeq + 1, Request-URI = the phone Contact) whose SDP has a=sendonly and a higher o= version
// -> 200 OK a=recvonly -> ACK -> the client gets `hold` HOLD; `unhold` -> re-INVITE a=sendrecv
// (CSeq + 1, version + 1) -> 200 -> ACK -> `talk` ESTABLISHED. Then hangup -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { sipBody } from '../lib/sip_checks.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, audioDirection, dialogOf, expectSippSuccess, receivedRequests, responses,
  sdpOrigin, startCallTest,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(25);

test('hold -> re-INVITE sendonly -> HOLD; unhold -> re-INVITE sendrecv -> ESTABLISHED', async () => {
  const ctx = testContext('hold_unhold');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_hold.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    const established = () => client.callEvents(callId).filter((e) => e.status === 'ESTABLISHED').length;
    assert.equal(established(), 1);

    client.hold(callId);
    const held = await client.waitForCall(callId, 'HOLD', 8000);
    assert.equal(held.message, 'hold', 'HOLD comes in `hold`');
    assert.equal(established(), 1, 'no second ESTABLISHED before unhold');

    client.unhold(callId);
    await client.waitFor((m) => m.message === 'talk' && m.data?.[0]?.callId === callId && client.callEvents(callId).filter((e) => e.status === 'ESTABLISHED').length === 2, 8000);
    const ev = client.callEvents(callId).map((e) => e.status);
    assert.deepEqual(ev.filter((s) => ['ESTABLISHED', 'HOLD'].includes(s)), ['ESTABLISHED', 'HOLD', 'ESTABLISHED'], `status order: ${ev}`);
    await sleep(300);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(sipp);
    const invites = receivedRequests(r.parsed, 'INVITE');
    assert.equal(invites.length, 3, `initial INVITE + 2 re-INVITEs:\n${r.flow}`);
    const okInitial = r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('SIP/2.0 200 ') && dialogOf(m.text).cseqMethod === 'INVITE');
    const d0 = dialogOf(invites[0].text);
    const sipTag = dialogOf(okInitial.text).toTag;
    const sdps = invites.map((m) => sipBody(m.text));
    const origins = sdps.map(sdpOrigin);
    for (const [i, want] of [[1, 'sendonly'], [2, 'sendrecv']]) {
      const d = dialogOf(invites[i].text);
      assert.equal(d.callId, d0.callId, `re-INVITE ${i} same Call-ID`);
      assert.equal(d.fromTag, d0.fromTag, `re-INVITE ${i} same From tag`);
      assert.equal(d.toTag, sipTag, `re-INVITE ${i} carries the phone's To tag`);
      assert.equal(d.cseq, d0.cseq + i, `re-INVITE ${i} CSeq = initial + ${i}`);
      assert.match(d.requestUri ?? '', new RegExp(`^sip:2000@127\\.0\\.0\\.1:${ports.peer}\\b`), `re-INVITE ${i} to the phone Contact`);
      assert.equal(audioDirection(sdps[i]), want, `re-INVITE ${i} SDP a=${want}:\n${sdps[i]}`);
      assert.ok(origins[i] && origins[0], 'o= lines parse');
      assert.equal(origins[i].sessId, origins[0].sessId, `re-INVITE ${i} keeps the o= session id`);
      assert.ok(origins[i].version > origins[i - 1].version, `re-INVITE ${i} o= version incremented (RFC 3264 §8): ${origins[i - 1].version} -> ${origins[i].version}`);
    }
    assert.ok(receivedRequests(r.parsed, 'ACK').length >= 3, 'ACK for each 200');
    assert.equal(responses(r.parsed, 200, 'sent').filter((m) => dialogOf(m.text).cseqMethod === 'INVITE').length >= 3, true);
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
