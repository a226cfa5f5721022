// The C++ client SDK through callgate to a SIP phone: callgate-phone (no registration,
// outbound proxy = a sipp UAS on ports.peer) calls 2000; sipp rings, answers with PCMU and
// echoes RTP (-rtp_echo); the phone sends a 1 kHz tone and RFC 2833 DTMF, hangs up after
// 3 s. Checks: RING then ESTABLISHED then FINISH, exit 0, sipp saw INVITE/ACK/BYE (its
// scenario passes), and the tone came back through sipp's echo (Goertzel on the recording).
// Second test: --dtmf 4# --dtmf-type info gives two in-dialog INFOs application/dtmf "4", "#"
// in that order (uas_answer_dtmf_info_sdk.xml checks type, body and order). Third: the
// phone hangs up (uas_answer_then_bye.xml) -> FINISH and exit 0 before --duration.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { analyseTone, runPhone } from '../lib/phone.mjs';
import { startSipp } from '../lib/sipp.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

const ports = portPlan(82);

test('SDK: call through a sipp phone that echoes RTP; RING, ESTABLISHED, tone back, FINISH', async () => {
  const ctx = testContext('sdk_sipp_call');
  await ctx.run(async () => {
    const sipp = await startSipp(ctx.procs, {
      scenario: 'uas_answer.xml', port: ports.peer, mediaPort: ports.media, rtpEcho: true, service: '2000',
    });
    const callgate = await startCallgate(ctx.procs, ports);
    const wav = path.join(ctx.dir, 'sipp-received.wav');
    const r = await runPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`,
      '--login', '1000', '--password', '1234', '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK,
      '--port', String(ports.peer), '--register', '0',
      '--call', '2000', '--tone', '1000', '--record', wav, '--dtmf', '12#', '--duration', '3', '--timeout', '10',
    ]);
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const statuses = r.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    assert.ok(statuses.indexOf('RING') >= 0 && statuses.indexOf('RING') < statuses.indexOf('ESTABLISHED'), r.out);
    assert.equal(statuses.at(-1), 'FINISH', r.out);
    assert.ok(r.lines.includes('dtmf 12#'), r.out);
    assert.match(callgate.log(), /<- sendDtmf/, 'callgate received sendDtmf');

    const s = await expectSippSuccess(sipp);
    assert.match(s.flow, /^<- BYE /m, `sipp got the BYE:\n${s.flow}`);

    const a = analyseTone(wav, 1000);
    assert.ok(a.toneBlocks >= a.blocks * 0.5, `1 kHz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);
    assert.ok(a.otherShare < 0.05, `control 1.5 kHz share ${a.otherShare}: ${JSON.stringify(a)}`);
    assertRunning(callgate);
  });
});

test('SDK: DTMF as SIP INFO reaches the phone in order', async () => {
  const ctx = testContext('sdk_sipp_dtmf_info');
  await ctx.run(async () => {
    const sipp = await startSipp(ctx.procs, {
      scenario: 'uas_answer_dtmf_info_sdk.xml', port: ports.peer, mediaPort: ports.media, service: '2000',
    });
    const callgate = await startCallgate(ctx.procs, ports);
    const r = await runPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK,
      '--port', String(ports.peer), '--register', '0', '--call', '2000', '--silence',
      '--dtmf', '4#', '--dtmf-type', 'info', '--duration', '2.5', '--timeout', '10',
    ]);
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const s = await expectSippSuccess(sipp);
    assert.equal((s.flow.match(/^<- INFO /gm) ?? []).length, 2, `two INFOs:\n${s.flow}`);
    assertRunning(callgate);
  });
});

test('SDK: the phone hangs up (BYE) -> FINISH long before --duration, exit 0', async () => {
  const ctx = testContext('sdk_sipp_remote_bye');
  await ctx.run(async () => {
    const sipp = await startSipp(ctx.procs, {
      scenario: 'uas_answer_then_bye.xml', port: ports.peer, mediaPort: ports.media, rtpEcho: true, service: '2000',
    });
    const callgate = await startCallgate(ctx.procs, ports);
    const r = await runPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK,
      '--port', String(ports.peer), '--register', '0', '--call', '2000', '--silence', '--duration', '30', '--timeout', '10',
    ]);
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    assert.match(r.result, /^result 0 FINISH/, r.out);
    assert.ok(!r.lines.includes('hangup'), 'the phone did not hang up itself');
    assert.ok(r.elapsedMs < 10000, `ended after ${r.elapsedMs} ms (sipp hangs up 3 s after answering)`);
    await expectSippSuccess(sipp);
    assertRunning(callgate);
  });
});
