// callgate's built-in echo endpoint (src/echo) on its SIP side, driven by sipp phones that
// call it directly at --echo-port (no WebSocket client involved):
//  - OPTIONS -> 200 with Allow (the health check);
//  - INVITE offering PCMA, PCMU, telephone-event -> 200 answering `RTP/AVP 8 101`,
//    c=127.0.0.1, sendrecv, Contact sip:echo@127.0.0.1; ACK;
//  - an RTP packet sent (from node) to the answered port comes back to its sender from that
//    port: same sequence number, timestamp and payload, the echo's own SSRC;
//  - with --echo-max-calls 1 a second INVITE meanwhile gets 503 with Retry-After (ACKed);
//  - BYE -> 200, and callgate logs the call's end with the packet count.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, readText, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, waitForPort, waitUntil } from '../lib/procs.mjs';
import { startSipp } from '../lib/sipp.mjs';
import { expectSippSuccess, waitSippMessage } from '../lib/sipp_tests.mjs';

const ports = portPlan(77);
const ECHO_PORT = ports.sip + 8;

function rtpPacket(seq, ts, ssrc) {
  const p = Buffer.alloc(12 + 160);
  p[0] = 0x80;
  p[1] = 8; // PCMA
  p.writeUInt16BE(seq, 2);
  p.writeUInt32BE(ts, 4);
  p.writeUInt32BE(ssrc, 8);
  for (let i = 12; i < p.length; i++) p[i] = i & 0xff;
  return p;
}

async function echoOnce(port) {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, LOOPBACK, r));
  try {
    const sent = rtpPacket(4711, 160000, 0x11223344);
    const reply = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no RTP came back from ${LOOPBACK}:${port} within 3 s`)), 3000);
      sock.on('message', (msg, rinfo) => {
        clearTimeout(timer);
        resolve({ msg, rinfo });
      });
    });
    sock.send(sent, port, LOOPBACK);
    const { msg, rinfo } = await reply;
    return { sent, msg, rinfo };
  } finally {
    sock.close();
  }
}

test('echo endpoint: OPTIONS 200, INVITE answered with the first codec + telephone-event, RTP echoed, 503 above max calls, BYE', async () => {
  const ctx = testContext('echo_endpoint');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, ['--echo-port', String(ECHO_PORT), '--echo-max-calls', '1']);
    await waitForPort('udp', ECHO_PORT, 5000, callgate);

    const phone = await startSipp(ctx.procs, {
      scenario: 'echo_uac_call.xml', port: ports.peer, mediaPort: ports.media,
      remote: `${LOOPBACK}:${ECHO_PORT}`, service: 'echo',
    });
    const ok = await waitSippMessage(phone, (m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /m=audio/.test(m.text));
    const port = Number(/m=audio (\d+) /.exec(ok.text)[1]);

    const { sent, msg, rinfo } = await echoOnce(port);
    assert.equal(rinfo.port, port, 'the echo comes from the answered port (symmetric RTP)');
    assert.equal(msg.length, sent.length, 'same size');
    assert.equal(msg.readUInt16BE(2), 4711, 'same sequence number');
    assert.equal(msg.readUInt32BE(4), 160000, 'same timestamp');
    assert.equal(msg[1] & 0x7f, 8, 'same payload type');
    assert.notEqual(msg.readUInt32BE(8), 0x11223344, "the echo's own SSRC");
    assert.ok(msg.subarray(12).equals(sent.subarray(12)), 'same payload');

    const second = await startSipp(ctx.procs, {
      scenario: 'echo_uac_refused.xml', port: ports.peer2, mediaPort: ports.media + 6, // sipp also binds mediaPort + 2
      remote: `${LOOPBACK}:${ECHO_PORT}`, service: 'echo',
    });
    await expectSippSuccess(second, 15000); // 503 with Retry-After, ACKed

    await expectSippSuccess(phone, 20000); // ... ACK, BYE -> 200
    const logFile = path.join(ctx.dir, 'callgate.log');
    await waitUntil(() => /echo: call \d+ .*finished: caller hung up \(1 packets echoed\)/.test(readText(logFile)), 5000,
      'the echo call ended after the BYE with one packet echoed');
    assertRunning(callgate);
  });
});
