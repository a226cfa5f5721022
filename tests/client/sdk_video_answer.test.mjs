// The answering side of the C++ client SDK's media engine: two SDK phones through callgate's
// local SIP domain (as sdk_phone_to_phone), both with --video. The callee (1000) prefers
// PCMA (--codec pcma,opus) while the caller offers Opus first: the callee's SDK picks its
// own first preference that callgate's offer lists and answers it, so both sides run PCMA
// (each phone's "media audio" summary names PCMA/8000 sent and received). Video: VP8 both
// ways, more than 20 decoded frames received on each side. Each recording holds the other
// side's tone.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, waitForPort } from '../lib/procs.mjs';
import { analyseTone, startPhone } from '../lib/phone.mjs';

const ports = portPlan(91);
const DOMAIN_PORT = ports.sip + 5;

function summary(r, kind) {
  const line = r.lines.find((l) => l.startsWith(`media ${kind} `));
  assert.ok(line, `no "media ${kind}" line:\n${r.out}`);
  return line;
}

test('SDK answers with its preferred codec and two-way VP8 video', async () => {
  const ctx = testContext('sdk_video_answer');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, ['--domain-enabled', '1', '--domain-port', String(DOMAIN_PORT),
      '--domain-users', '1000:1234,1001:1234']);
    await waitForPort('udp', DOMAIN_PORT, 5000, callgate);
    const account = (login) => ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', login, '--password', '1234',
      '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK, '--port', String(DOMAIN_PORT), '--register', '1', '--video'];
    const calleeWav = path.join(ctx.dir, 'callee-received.wav');
    const callerWav = path.join(ctx.dir, 'caller-received.wav');

    const callee = startPhone(ctx.procs, [...account('1000'), '--answer', '--codec', 'pcma,opus', '--tone', '600',
      '--record', calleeWav, '--duration', '20', '--timeout', '15'], { name: 'phone-1000' });
    await callee.waitLine(/^session REGISTERED/, 8000);
    const caller = startPhone(ctx.procs, [...account('1001'), '--call', '1000', '--tone', '1000', '--record', callerWav,
      '--duration', '4', '--timeout', '10'], { name: 'phone-1001' });

    const a = await caller.finish(20000);
    assert.equal(a.code, 0, `caller exit ${a.code}: ${a.result}\n${a.out}`);
    const b = await callee.finish(10000);
    assert.equal(b.code, 0, `callee exit ${b.code}: ${b.result}\n${b.out}`);

    assert.match(summary(b, 'audio'), /^media audio PCMA\/8000 received PCMA\/8000 /, b.out);
    assert.match(summary(a, 'audio'), /^media audio PCMA\/8000 received PCMA\/8000 /, a.out);
    for (const [who, r] of [['caller', a], ['callee', b]]) {
      const m = summary(r, 'video').match(/^media video VP8\/90000 sent (\d+) key \d+ requests-in \d+ received (\d+) /);
      assert.ok(m, `${who}: ${summary(r, 'video')}`);
      assert.ok(Number(m[2]) > 20, `${who} decoded ${m[2]} frames: ${summary(r, 'video')}`);
    }
    const atCallee = analyseTone(calleeWav, 1000);
    assert.ok(atCallee.toneBlocks >= atCallee.blocks * 0.5, `callee hears 1 kHz: ${JSON.stringify(atCallee)}`);
    const atCaller = analyseTone(callerWav, 600);
    assert.ok(atCaller.toneBlocks >= atCaller.blocks * 0.5, `caller hears 600 Hz: ${JSON.stringify(atCaller)}`);
    assertRunning(callgate);
  });
});
