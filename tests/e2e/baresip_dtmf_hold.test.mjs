// End to end with a real SIP phone, mid-call features: the Web SDK page (1000) calls 1001, a
// baresip behind Kamailio in auto-answer mode. After two-way audio:
// - call.sendDTMF('12#', 'RFC2833') -> baresip decodes RFC 4733 telephone-events and reports
//   CALL_DTMF_START '1', '2', '#' in order (one per digit);
// - call.hold() -> HOLD; baresip gets a re-INVITE whose SDP is a=sendonly (or inactive), reports
//   the new remote offer, answers 200 with a=recvonly (or inactive), and the browser's inbound
//   audio stops;
// - call.unhold() -> ESTABLISHED again; baresip gets a=sendrecv and inbound audio flows again;
// - hangup -> FINISH, baresip CALL_CLOSED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, startBaresip } from '../lib/baresip.mjs';
import {
  assertTwoWayAudio, audioStats, e2eAccount, installCallApi, startE2eStack, waitCallEvent, waitCallTerminal, waitPageEvent,
  waitUntil,
} from '../lib/e2e.mjs';

const sdpOf = (m) => m.text.slice(m.text.search(/\r\n\r\n/) + 4);
const dirOf = (sdp) => (/^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp) ?? [null, 'sendrecv'])[1];

test('e2e baresip: RFC 2833 DTMF reaches a real phone; hold and unhold', async () => {
  const ctx = testContext('e2e_baresip_dtmf_hold');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    const phone = await startBaresip(ctx.procs, { user: '1001', answermode: 'auto' });
    ctx.onCleanup(() => phone.close());
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    await waitCallEvent(page, 'ESTABLISHED', 20000, callId);
    await phone.waitEvent('CALL_ESTABLISHED', 10000);
    await assertTwoWayAudio(page);

    // DTMF: RFC 4733 events through callgate to the phone.
    assert.equal(phone.eventsOf('CALL_DTMF_START').length, 0, 'no DTMF before sendDTMF');
    await page.evaluate(() => window.cgx.sendDTMF('12#', 'RFC2833'));
    const digits = () => phone.eventsOf('CALL_DTMF_START').map((e) => e.param).join('');
    await waitUntil(() => phone.eventsOf('CALL_DTMF_START').length >= 3, 10000, 'three DTMF digits at baresip', 100)
      .catch((err) => {
        throw new Error(`${err.message}; digits '${digits()}'; events ${phone.eventSummary()}`);
      });
    await sleep(500); // a duplicate digit would show up now
    console.log(`baresip DTMF: '${digits()}'`);
    assert.equal(digits(), '12#', `baresip received the digits in order, once each: ${phone.eventSummary()}`);

    // Hold.
    const remoteSdpBefore = phone.eventsOf('CALL_REMOTE_SDP').length;
    await page.evaluate(() => window.cgx.hold());
    await waitCallEvent(page, 'HOLD', 10000, callId);
    await phone.waitEvent('CALL_REMOTE_SDP', 5000, remoteSdpBefore + 1);
    await sleep(500); // packets in flight
    const h1 = await audioStats(page);
    await sleep(1500);
    const h2 = await audioStats(page);
    let trace = baresipSipTrace(phone);
    const flow = () => trace.map((m) => `${m.dir}: ${m.text.split('\r\n')[0]}${/^INVITE|^SIP\/2\.0 200.*\r\n[\s\S]*CSeq:\s*\d+ INVITE/.test(m.text) ? ' [' + dirOf(sdpOf(m)) + ']' : ''}`).join('\n');
    const invites = trace.filter((m) => m.dir === 'received' && /^INVITE /.test(m.text));
    assert.equal(invites.length, 2, `initial INVITE and the hold re-INVITE:\n${flow()}`);
    assert.match(dirOf(sdpOf(invites[1])), /^(sendonly|inactive)$/, `hold offer:\n${sdpOf(invites[1])}`);
    const okInvite = trace.filter((m) => m.dir === 'sent' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text));
    assert.equal(okInvite.length, 2, `baresip answered both INVITEs 200:\n${flow()}`);
    assert.match(dirOf(sdpOf(okInvite[1])), /^(recvonly|inactive)$/, `baresip's hold answer:\n${sdpOf(okInvite[1])}`);
    const heldDelta = h2.packetsReceived - h1.packetsReceived;
    console.log(`held: inbound ${h1.packetsReceived} -> ${h2.packetsReceived}, outbound ${h1.packetsSent} -> ${h2.packetsSent}`);
    assert.ok(heldDelta <= 2, `no inbound audio while held: ${heldDelta} packets in 1.5 s (${JSON.stringify(h1)} -> ${JSON.stringify(h2)})`);

    // Unhold.
    await page.evaluate(() => window.cgx.unhold());
    await waitCallEvent(page, 'ESTABLISHED', 10000, callId, 2);
    const u1 = await audioStats(page);
    const u2 = await waitUntil(async () => {
      const s = await audioStats(page);
      return s.packetsReceived >= u1.packetsReceived + 25 ? s : null;
    }, 8000, 'inbound audio again after unhold', 250).catch(async (err) => {
      throw new Error(`${err.message}; stats ${JSON.stringify(await audioStats(page))} (at unhold ${JSON.stringify(u1)})`);
    });
    assert.ok(u2.totalAudioEnergy > h2.totalAudioEnergy, `the tone's energy grows again after unhold: ${JSON.stringify(h2)} -> ${JSON.stringify(u2)}`);
    trace = baresipSipTrace(phone);
    const invites2 = trace.filter((m) => m.dir === 'received' && /^INVITE /.test(m.text));
    assert.equal(invites2.length, 3, `unhold re-INVITE:\n${flow()}`);
    assert.equal(dirOf(sdpOf(invites2[2])), 'sendrecv', `unhold offer:\n${sdpOf(invites2[2])}`);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await phone.waitEvent('CALL_CLOSED', 5000);
    assertRunning(callgate);
  });
});
