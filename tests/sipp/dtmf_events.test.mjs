// DTMF from the SIP side reaches the client as a callgate event (notifyDtmf, opt-in with
// connection custom.callgateEvents ["dtmf"]; the Web SDK would only log an unknown message):
// on an established outgoing call sipp (answering PCMU + telephone-event 101) sends INFO
// application/dtmf-relay Signal=5 -> notifyDtmf {callId, dtmf "5", type INFO_RELAY}; then the
// test sends an RFC 4733 event for '9' (PT 101, three end packets) from a UDP socket to
// callgate's RTP port of that call -> notifyDtmf {dtmf "9", type RFC2833}, reported once.
// A second call whose client did not opt in gets no notifyDtmf for the same INFO.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, startCallTest, waitSippMessage,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(47);

// RFC 4733 §2.3: event, E|R|volume, duration; RFC 3550 header with PT 101.
function telephoneEvent({ seq, ts, ssrc, event, end, duration, marker }) {
  const b = Buffer.alloc(16);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | 101;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(ts, 4);
  b.writeUInt32BE(ssrc, 8);
  b[12] = event;
  b[13] = (end ? 0x80 : 0) | 10;
  b.writeUInt16BE(duration, 14);
  return b;
}

async function sendDigit(port, event) {
  const sock = dgram.createSocket('udp4');
  const send = (buf) => new Promise((r) => sock.send(buf, port, LOOPBACK, r));
  const base = { ts: 16000, ssrc: 0x1234abcd, event };
  let seq = 100;
  for (let i = 1; i <= 5; i++) {
    await send(telephoneEvent({ ...base, seq: seq++, end: false, duration: 160 * i, marker: i === 1 }));
    await sleep(20);
  }
  for (let i = 0; i < 3; i++) await send(telephoneEvent({ ...base, seq: seq++, end: true, duration: 960, marker: false }));
  sock.close();
}

test('DTMF from the phone (INFO and RFC 4733) -> notifyDtmf to a client that asked for it', async () => {
  const ctx = testContext('dtmf_events');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, {
      scenario: 'uas_answer_reinvite_info.xml', callgateArgs: NO_BROWSER_ARGS,
      account: { custom: { callgateEvents: ['dtmf'] } },
    });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);

    const info = await client.waitFor({ message: 'notifyDtmf' }, 10000);
    assert.deepEqual(info.data?.[0], { callId, dtmf: '5', type: 'INFO_RELAY' }, `notifyDtmf for the INFO: ${JSON.stringify(info.data)}`);

    const invite = await waitSippMessage(sipp, (m) => m.dir === 'received' && dialogOf(m.text).cseqMethod === 'INVITE' && /^INVITE /.test(m.text), 5000);
    const port = Number(/^m=audio (\d+)/m.exec(invite.text)?.[1]);
    assert.ok(port > 0, `callgate's RTP port in the INVITE:\n${invite.text}`);
    await sendDigit(port, 9);
    const rtp = await client.waitFor((m) => m.message === 'notifyDtmf' && m.data?.[0]?.type === 'RFC2833', 5000);
    assert.deepEqual(rtp.data?.[0], { callId, dtmf: '9', type: 'RFC2833' }, `notifyDtmf for the RFC 4733 event: ${JSON.stringify(rtp.data)}`);
    await sleep(300);
    assert.equal(client.messages('notifyDtmf').length, 2, `one notifyDtmf per digit: ${client.summary()}`);

    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);
    await expectSippSuccess(sipp);
    assertHealthy(client, callgate);
  });
});

test('no notifyDtmf without custom.callgateEvents', async () => {
  const ctx = testContext('dtmf_events_off');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_reinvite_info.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    await waitSippMessage(sipp, (m) => m.dir === 'received' && /^SIP\/2\.0 200 /.test(m.text) && dialogOf(m.text).cseqMethod === 'INFO', 10000);
    await sleep(300);
    assert.equal(client.messages('notifyDtmf').length, 0, `no notifyDtmf: ${client.summary()}`);
    assert.match(callgate.log(), /the SIP side sent DTMF '5' \(SIP INFO\)/, 'the digit is still logged');
    client.hangup(callId);
    await client.waitForCall(callId, 'FINISH', 5000);
    await expectSippSuccess(sipp);
    assertHealthy(client, callgate);
  });
});
