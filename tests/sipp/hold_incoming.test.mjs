// Client-initiated hold and unhold on an answered *incoming* call (protocol §4.7; RFC 3264
// §8.4): callgate (the callee, UAS of the dialog) sends the re-INVITEs: same Call-ID, From tag
// = its own tag from the 200, To tag = the phone's tag, Request-URI = the phone Contact, CSeq
// increasing, a=sendonly then a=sendrecv, o= version above its 200's answer -> `hold` HOLD, then
// `talk` ESTABLISHED. Then hangup -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { webRtcAnswerTo } from '../lib/chromium_offer.mjs';
import { sipBody } from '../lib/sip_checks.mjs';
import {
  assertHealthy, audioDirection, dialogOf, expectSippSuccess, receivedRequests, responses, sdpOrigin,
  startIncomingTest, startPhone, waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(31);

test('hold/unhold on an incoming call -> re-INVITEs from the callee side', async () => {
  const ctx = testContext('hold_incoming');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports);
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_answered_hold.xml' });
    const { callId, notify, offer } = await waitIncomingCall(client);
    client.answer(callId, webRtcAnswerTo(offer).sdp, { notify });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);

    client.hold(callId);
    const held = await client.waitForCall(callId, 'HOLD', 8000);
    assert.equal(held.message, 'hold', 'HOLD comes in `hold`');
    client.unhold(callId);
    await client.waitFor(() => client.callEvents(callId).filter((e) => e.status === 'ESTABLISHED').length === 2, 8000);
    const ev = client.callEvents(callId).map((e) => e.status);
    assert.deepEqual(ev.filter((s) => ['ESTABLISHED', 'HOLD'].includes(s)), ['ESTABLISHED', 'HOLD', 'ESTABLISHED'], `status order: ${ev}`);
    await sleep(300);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(phone);
    const invite = dialogOf(r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('INVITE ')).text);
    const ok = responses(r.parsed, 200).find((m) => dialogOf(m.text).cseqMethod === 'INVITE');
    const cgTag = dialogOf(ok.text).toTag;
    const reinvites = receivedRequests(r.parsed, 'INVITE');
    assert.equal(reinvites.length, 2, `two re-INVITEs from callgate:\n${r.flow}`);
    const sdps = [sipBody(ok.text), ...reinvites.map((m) => sipBody(m.text))];
    const origins = sdps.map(sdpOrigin);
    reinvites.forEach((m, i) => {
      const d = dialogOf(m.text);
      assert.equal(d.callId, invite.callId, 'same Call-ID');
      assert.equal(d.fromTag, cgTag, 'From tag = callgate tag');
      assert.equal(d.toTag, invite.fromTag, 'To tag = phone tag');
      assert.match(d.requestUri ?? '', new RegExp(`^sip:2000@127\\.0\\.0\\.1:${ports.peer2}\\b`), 'to the phone Contact');
      assert.equal(audioDirection(sdps[i + 1]), i === 0 ? 'sendonly' : 'sendrecv');
      assert.equal(origins[i + 1]?.sessId, origins[0]?.sessId, 'same o= session id as the 200 answer');
      assert.ok(origins[i + 1].version > origins[i].version, `o= version incremented: ${origins[i].version} -> ${origins[i + 1].version}`);
    });
    assert.equal(dialogOf(reinvites[1].text).cseq, dialogOf(reinvites[0].text).cseq + 1, 'CSeq + 1');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    assert.ok(dialogOf(receivedRequests(r.parsed, 'BYE')[0].text).cseq > dialogOf(reinvites[1].text).cseq, 'BYE CSeq above the re-INVITEs');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
