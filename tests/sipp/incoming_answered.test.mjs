// Incoming call answered, the client hangs up (protocol §4.6, §2.3): callgate is registered as
// 1000 (sipp registrar); a sipp phone INVITEs sip:1000@127.0.0.1:<sip port> with PCMU/PCMA/
// telephone-event -> 100, 180 with a To tag; the client gets setRemoteSDP [callId, WebRTC offer,
// false], notifyIncomingCall {incoming, caller 2000, callee 1000}, ring RING in that order;
// `answer` -> 200 OK with a plain RTP answer -> ACK -> talk ESTABLISHED; `hangup` -> BYE in the
// dialog -> one finish FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { webRtcAnswerTo } from '../lib/chromium_offer.mjs';
import { assertSipSdp, sipBody } from '../lib/sip_checks.mjs';
import { parseSippMessages, sipHeader } from '../lib/sipp.mjs';
import {
  assertHealthy, assertWebRtcOffer, dialogOf, expectSippSuccess, receivedRequests, responses, startIncomingTest,
  startPhone, statusIndex, waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(20);

test('incoming call answered, client hangs up', async () => {
  const ctx = testContext('incoming_answered');
  await ctx.run(async () => {
    const { registrar, callgate, client } = await startIncomingTest(ctx, ports);
    const reg = receivedRequests(parseSippMessages(registrar.messages()), 'REGISTER')[0];
    assert.ok(reg, 'callgate registered at the sipp registrar');
    assert.match(sipHeader(reg.text, 'Contact') ?? sipHeader(reg.text, 'm') ?? '', new RegExp(`<sip:1000@127\\.0\\.0\\.1:${ports.sip}\\b`), 'Contact sip:1000@127.0.0.1:<sip port>');

    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_answered.xml' });
    const { callId, notify, offer } = await waitIncomingCall(client);
    assertWebRtcOffer(offer);
    assert.equal(notify.incoming, true, 'notifyIncomingCall incoming:true');
    assert.equal(notify.caller, '2000', 'caller is the From user');
    assert.equal(notify.callee, '1000', 'callee is our login');
    assert.equal(typeof notify.visibleName, 'string', 'visibleName present');
    assert.ok(typeof notify.status === 'string', 'status present');
    assert.equal(client.messages('notifyIncomingCall').length, 1, 'one notifyIncomingCall');

    const { sdp: answer } = webRtcAnswerTo(offer);
    client.answer(callId, answer, { notify });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    const talk = client.callEvents(callId).find((e) => e.status === 'ESTABLISHED');
    assert.equal(talk.message, 'talk', 'ESTABLISHED comes in `talk`');
    await sleep(300);
    assert.equal(client.remoteSdps(callId).length, 1, 'still exactly one setRemoteSDP');
    assert.equal(statusIndex(client.callEvents(callId), 'FINISH'), -1, 'not finished yet');

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(phone);
    const invite = r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('INVITE '));
    const ringing = responses(r.parsed, 180);
    assert.equal(ringing.length >= 1, true, `180 Ringing:\n${r.flow}`);
    const trying = responses(r.parsed, 100);
    assert.ok(trying.length >= 1 && r.parsed.indexOf(trying[0]) < r.parsed.indexOf(ringing[0]), `100 Trying before 180:\n${r.flow}`);
    const ok = responses(r.parsed, 200).find((m) => dialogOf(m.text).cseqMethod === 'INVITE');
    assert.ok(ok, `200 OK for the INVITE:\n${r.flow}`);
    assertSipSdp(sipBody(ok.text));
    assert.match(sipBody(ok.text), /^m=audio [1-9]\d* RTP\/AVP( \d+)* (0|8)\b/m, 'answer with PCMU or PCMA');
    assert.match(sipHeader(ok.text, 'Contact') ?? sipHeader(ok.text, 'm') ?? '', new RegExp(`127\\.0\\.0\\.1:${ports.sip}\\b`), '200 Contact at callgate');
    const inv = dialogOf(invite.text);
    const okd = dialogOf(ok.text);
    assert.ok(okd.toTag, '200 has a To tag');
    assert.equal(dialogOf(ringing[0].text).toTag, okd.toTag, '180 and 200 carry the same To tag (one dialog)');

    const byes = receivedRequests(r.parsed, 'BYE');
    assert.equal(byes.length, 1, 'one BYE after hangup');
    const bye = dialogOf(byes[0].text);
    assert.equal(bye.callId, inv.callId, 'BYE in the call (Call-ID)');
    assert.equal(bye.fromTag, okd.toTag, 'BYE From tag = callgate tag');
    assert.equal(bye.toTag, inv.fromTag, 'BYE To tag = phone tag');
    assert.match(bye.requestUri, new RegExp(`^sip:2000@127\\.0\\.0\\.1:${ports.peer2}\\b`), 'BYE to the phone Contact');
    assert.equal(client.callEvents(callId).filter((e) => e.status === 'FINISH').length, 1, 'one finish');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
