// DTMF both ways between the C++ SDK (callgate-phone -i) and a SIP phone (sipp UAS,
// uas_answer_dtmf_sdk_events.xml) whose RTP goes to tests/lib/rtp_probe.mjs (no echo):
//  - `dtmf 123# rfc2833` -> the phone's RTP port receives four RFC 4733 events '1','2','3','#'
//    in order (PT 101, M bit on the first packet, end packets, one event per timestamp);
//  - `dtmf 7 info` -> sipp receives INFO application/dtmf "7" (its scenario checks type and body);
//  - sipp sends INFO dtmf-relay Signal=5 and application/dtmf "B" -> the SDK surfaces them
//    (Call::onDtmf, notifyDtmf asked for by default) and the phone prints
//    "dtmf received 5 INFO_RELAY", "dtmf received B INFO";
//  - the test sends an RFC 4733 event '9' to callgate's RTP port of the call ->
//    "dtmf received 9 RFC2833", once.
// Hangup from each side is covered by client.sdk_sipp_call (BYE at sipp; sipp's BYE -> FINISH).
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { assertRunning, portPlan, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { startInteractivePhone } from '../lib/phone.mjs';
import { startRtpProbe } from '../lib/rtp_probe.mjs';
import { startSipp } from '../lib/sipp.mjs';
import { expectSippSuccess, waitSippMessage } from '../lib/sipp_tests.mjs';

const ports = portPlan(92);

// RFC 4733 2.3 payload after an RFC 3550 header with PT 101: five updates, three end packets.
async function sendDigit(port, event) {
  const sock = dgram.createSocket('udp4');
  const packet = (seq, end, duration, marker) => {
    const b = Buffer.alloc(16);
    b[0] = 0x80;
    b[1] = (marker ? 0x80 : 0) | 101;
    b.writeUInt16BE(seq, 2);
    b.writeUInt32BE(32000, 4);
    b.writeUInt32BE(0x5eed0001, 8);
    b[12] = event;
    b[13] = (end ? 0x80 : 0) | 10;
    b.writeUInt16BE(duration, 14);
    return b;
  };
  const send = (buf) => new Promise((r) => sock.send(buf, port, LOOPBACK, r));
  let seq = 500;
  for (let i = 1; i <= 5; i++) {
    await send(packet(seq++, false, 160 * i, i === 1));
    await sleep(20);
  }
  for (let i = 0; i < 3; i++) await send(packet(seq++, true, 960, false));
  sock.close();
}

test('SDK DTMF: RFC 2833 and INFO reach the SIP phone; INFO and RFC 4733 from the phone reach the SDK', async () => {
  const ctx = testContext('sdk_dtmf');
  await ctx.run(async () => {
    const probe = await startRtpProbe({ eventPt: 101, echo: false });
    ctx.onCleanup(() => probe.close());
    const sipp = await startSipp(ctx.procs, {
      scenario: 'uas_answer_dtmf_sdk_events.xml', port: ports.peer, service: '2000', keys: { probe_port: probe.port },
    });
    const callgate = await startCallgate(ctx.procs, ports);
    const phone = startInteractivePhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK,
      '--port', String(ports.peer), '--register', '0', '--tone', '1000', '--timeout', '10',
    ]);
    await phone.next(/^session ESTABLISHED$/, 8000);
    phone.send('call 2000');
    await phone.next(/^call ESTABLISHED /, 10000);

    // RFC 2833 digits are spliced into the SDK's RTP stream: wait until it flows to the phone.
    const flowing = Date.now() + 5000;
    while (probe.stats.audio < 25 && Date.now() < flowing) await sleep(50);
    const before = probe.stats.audio;
    await sleep(1000);
    console.log(`audio packets at the phone: ${before}, 1 s later ${probe.stats.audio}`);
    // G.711 at the SIP default of 20 ms per packet (50/s), not whole source buffers.
    assert.ok(probe.stats.audio - before >= 40, `audio packets in 1 s: ${probe.stats.audio - before} (want ~50: 20 ms ptime)`);
    phone.send('dtmf 123# rfc2833');
    await phone.next(/^dtmf sent 123# RFC2833$/, 3000);
    const describe = () => JSON.stringify(probe.events());
    const deadline = Date.now() + 8000;
    while (!(probe.events().length >= 4 && probe.events().every((e) => e.endPackets > 0)) && Date.now() < deadline) await sleep(100);
    await sleep(300); // a fifth event would show up now
    assert.equal(probe.digits(), '123#', `RFC 4733 events at the phone: ${describe()}; stats ${JSON.stringify({ ...probe.stats, sources: [...probe.stats.sources] })}`);
    for (const e of probe.events()) {
      assert.ok(e.endPackets >= 1 && e.marker && !e.mixed && e.duration > 0, `event ${e.digit}: ${describe()}`);
    }

    phone.send('dtmf 7 info');
    await phone.next(/^dtmf sent 7 INFO$/, 3000);
    await phone.next(/^dtmf received 5 INFO_RELAY$/, 8000);
    await phone.next(/^dtmf received B INFO$/, 5000);

    const invite = await waitSippMessage(sipp, (m) => m.dir === 'received' && /^INVITE /.test(m.text), 3000);
    const rtpPort = Number(/^m=audio (\d+)/m.exec(invite.text)?.[1]);
    assert.ok(rtpPort > 0, `callgate's RTP port in the INVITE:\n${invite.text}`);
    await sendDigit(rtpPort, 9);
    await phone.next(/^dtmf received 9 RFC2833$/, 5000);
    await sleep(300);
    assert.equal(phone.lines().filter((l) => l.startsWith('dtmf received 9')).length, 1, 'one event per digit');

    phone.send('hangup');
    await phone.next(/^call FINISH /, 8000);
    phone.send('quit');
    const r = await phone.finish(10000);
    assert.equal(r.code, 0, `exit ${r.code}: ${r.result}\n${r.out}`);
    await expectSippSuccess(sipp);
    assert.equal(r.lines.filter((l) => l.startsWith('dtmf received')).length, 3, `only the phone's digits came back:\n${r.out}`);
    assertRunning(callgate);
  });
});
