// Two SDK phones through callgate's local SIP domain (--domain-enabled 1, users 1000/1001):
// 1000 registers and waits (--answer), 1001 registers and calls 1000. The incoming call
// reaches 1000's SDK (notifyIncomingCall), which answers callgate's ICE-lite WebRTC offer
// with webrtcbin. 1000 sends 600 Hz, 1001 sends 1000 Hz; each records the other. Checks:
// both REGISTERED, the caller sees RING and ESTABLISHED, the callee gets the incoming call
// from 1001 and is ESTABLISHED, the caller hangs up after 3 s and both end with FINISH
// (exit 0), and each recording holds the other side's tone, not its own.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, waitForPort } from '../lib/procs.mjs';
import { analyseTone, startPhone } from '../lib/phone.mjs';

const ports = portPlan(86);
const DOMAIN_PORT = ports.sip + 5;

test('SDK to SDK through the local domain: incoming call answered, two-way audio', async () => {
  const ctx = testContext('sdk_phone_to_phone');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, ['--domain-enabled', '1', '--domain-port', String(DOMAIN_PORT),
      '--domain-users', '1000:1234,1001:1234']);
    await waitForPort('udp', DOMAIN_PORT, 5000, callgate);
    const account = (login) => ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', login, '--password', '1234',
      '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK, '--port', String(DOMAIN_PORT), '--register', '1'];
    const calleeWav = path.join(ctx.dir, 'callee-received.wav');
    const callerWav = path.join(ctx.dir, 'caller-received.wav');

    const callee = startPhone(ctx.procs, [...account('1000'), '--answer', '--tone', '600', '--record', calleeWav,
      '--duration', '20', '--timeout', '15'], { name: 'phone-1000' });
    await callee.waitLine(/^session REGISTERED/, 8000);
    const caller = startPhone(ctx.procs, [...account('1001'), '--call', '1000', '--tone', '1000', '--record', callerWav,
      '--duration', '3', '--timeout', '10'], { name: 'phone-1001' });

    const a = await caller.finish(20000);
    assert.equal(a.code, 0, `caller exit ${a.code}: ${a.result}\n${a.out}`);
    const b = await callee.finish(10000);
    assert.equal(b.code, 0, `callee exit ${b.code}: ${b.result}\n${b.out}`);
    const callerStatuses = a.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    assert.ok(callerStatuses.includes('RING') && callerStatuses.includes('ESTABLISHED'), a.out);
    assert.ok(b.lines.includes("incoming call from '1001'"), b.out);
    const calleeStatuses = b.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    assert.ok(calleeStatuses.includes('ESTABLISHED'), b.out);
    assert.equal(calleeStatuses.at(-1), 'FINISH', b.out);

    const atCallee = analyseTone(calleeWav, 1000);
    assert.ok(atCallee.toneBlocks >= atCallee.blocks * 0.5, `callee hears 1 kHz in ${atCallee.toneBlocks}/${atCallee.blocks} blocks: ${JSON.stringify(atCallee)}`);
    assert.ok(analyseTone(calleeWav, 600).medianShare < 0.05, 'callee does not hear its own 600 Hz');
    const atCaller = analyseTone(callerWav, 600);
    assert.ok(atCaller.toneBlocks >= atCaller.blocks * 0.5, `caller hears 600 Hz in ${atCaller.toneBlocks}/${atCaller.blocks} blocks: ${JSON.stringify(atCaller)}`);
    assert.ok(analyseTone(callerWav, 1000).medianShare < 0.05, 'caller does not hear its own 1 kHz');
    assertRunning(callgate);
  });
});
