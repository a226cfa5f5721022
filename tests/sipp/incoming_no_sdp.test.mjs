// Incoming call with a delayed offer (RFC 3261 §13.2.1, RFC 3264; docs/architecture.md "Call
// flow (incoming)" 4): the phone INVITEs without a body -> the client still gets setRemoteSDP
// [callId, WebRTC offer with audio, false], notifyIncomingCall, ring RING; `answer` -> the phone
// gets a 200 OK carrying callgate's SDP OFFER (RTP/AVP, c=127.0.0.1, only codecs the browser's
// answer kept, from PCMU/PCMA/G722/telephone-event) -> the phone ACKs with its SDP answer ->
// `talk` ESTABLISHED; hangup -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { webRtcAnswerTo } from '../lib/chromium_offer.mjs';
import { assertSipSdp, sipBody } from '../lib/sip_checks.mjs';
import {
  assertHealthy, assertWebRtcOffer, audioDirection, dialogOf, expectSippSuccess, receivedRequests, responses,
  startIncomingTest, startPhone, waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(43);

/** {pt: codecName} of the first m=audio section (static PTs named per RFC 3551 when no rtpmap). */
function audioCodecs(sdp) {
  const lines = sdp.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('m=audio'));
  if (start < 0) return null;
  const pts = lines[start].trim().split(' ').slice(3);
  const staticNames = { 0: 'PCMU', 8: 'PCMA', 9: 'G722' };
  const out = {};
  for (const pt of pts) out[pt] = staticNames[pt] ?? null;
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('m='); i++) {
    const m = /^a=rtpmap:(\d+) ([^/\s]+)\//.exec(lines[i]);
    if (m && m[1] in out) out[m[1]] = m[2];
  }
  return out;
}

test('INVITE without SDP -> WebRTC offer to the client; answer -> 200 with SDP offer, answer in ACK', async () => {
  const ctx = testContext('incoming_no_sdp');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports);
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_nosdp.xml' });
    const { callId, notify, offer } = await waitIncomingCall(client);
    assertWebRtcOffer(offer);
    const browserOfferCodecs = Object.values(audioCodecs(offer)).map((n) => n?.toUpperCase());
    assert.ok(browserOfferCodecs.includes('PCMU'), `WebRTC offer from our default codecs has PCMU:\n${offer}`);
    assert.equal(audioDirection(offer), 'sendrecv', `WebRTC offer is sendrecv (nobody holds):\n${offer}`);
    assert.equal(notify.caller, '2000', 'caller is the From user');

    const { sdp: answer } = webRtcAnswerTo(offer);
    const allowed = new Set(Object.values(audioCodecs(answer)).map((n) => n?.toUpperCase()));
    client.answer(callId, answer, { notify });
    const talk = await client.waitForCall(callId, 'ESTABLISHED', 8000);
    assert.equal(talk.message, 'talk', 'ESTABLISHED comes in `talk`');
    await sleep(300);
    assert.equal(client.remoteSdps(callId).length, 1, 'still exactly one setRemoteSDP');

    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 5000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);

    const r = await expectSippSuccess(phone);
    const invite = r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('INVITE '));
    assert.equal(sipBody(invite.text).trim(), '', 'the INVITE had no body');
    const ok = responses(r.parsed, 200).find((m) => dialogOf(m.text).cseqMethod === 'INVITE');
    assert.ok(ok, `200 OK for the INVITE:\n${r.flow}`);
    const sipOffer = sipBody(ok.text);
    assertSipSdp(sipOffer);
    assert.match(sipOffer, /^m=audio [1-9]\d* RTP\/AVP( \d+)+\s*$/m, `offer m=audio RTP/AVP:\n${sipOffer}`);
    assert.match(sipOffer, /^c=IN IP4 127\.0\.0\.1\s*$/m, 'c=127.0.0.1');
    assert.equal(audioDirection(sipOffer), 'sendrecv', `SIP offer is sendrecv (the browser answered sendrecv; recvonly would keep callgate's audio from the phone):\n${sipOffer}`);
    const offered = audioCodecs(sipOffer);
    const names = Object.values(offered).map((n) => n?.toUpperCase());
    assert.ok(names.includes('PCMU'), `SIP offer has PCMU (the browser answered PCMU):\n${sipOffer}`);
    for (const n of names) {
      assert.ok(['PCMU', 'PCMA', 'G722', 'TELEPHONE-EVENT'].includes(n), `codec ${n} from the default set:\n${sipOffer}`);
      assert.ok(allowed.has(n), `codec ${n} was allowed by the browser's answer (${[...allowed]}):\n${sipOffer}`);
    }
    assert.doesNotMatch(sipOffer, /a=(ice-|fingerprint|setup|candidate|rtcp-mux)/, 'no ICE/DTLS attributes toward SIP');
    const acks = receivedRequests(r.parsed, 'ACK');
    assert.equal(acks.length, 0, 'sipp sent the ACK (nothing received)');
    const ack = r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('ACK '));
    assert.match(sipBody(ack.text), /^m=audio \d+ RTP\/AVP \d+/m, 'the ACK carried the SDP answer');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'one BYE after hangup');
    assert.equal(client.callEvents(callId).filter((e) => e.status === 'FINISH').length, 1, 'one finish');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
