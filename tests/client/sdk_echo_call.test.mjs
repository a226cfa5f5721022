// The C++ client SDK end to end against a real callgate: callgate-phone calls callgate's
// built-in echo endpoint (callee `echo`, no registration) over ws, sends a 1 kHz tone
// through GStreamer webrtcbin (ICE, DTLS-SRTP, PCMU), records what comes back, and hangs up
// after 4 s. Checks: statuses in order up to ESTABLISHED, FINISH after the hangup, exit 0,
// and a Goertzel check of the recording: most 100 ms blocks hold the 1 kHz tone (energy
// share > 0.5, RMS > 500), not a 1.5 kHz control tone; a second call with 600 Hz records
// 600 Hz and no 1 kHz (the recording is what went out and came back).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { analyseTone, runPhone } from '../lib/phone.mjs';

const ports = portPlan(81);

test('SDK: call to echo, 1 kHz tone comes back, hangup -> FINISH', async () => {
  const ctx = testContext('sdk_echo_call');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const wav = path.join(ctx.dir, 'echo-received.wav');
    const r = await runPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`,
      '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--call', 'echo', '--tone', '1000', '--record', wav, '--duration', '4', '--timeout', '10',
    ]);
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const statuses = r.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    assert.deepEqual(statuses.filter((s) => s !== 'RING'), ['PENDING', 'TRYING', 'ESTABLISHED', 'FINISH'], r.out);
    assert.ok(r.lines.includes('session ESTABLISHED'), r.out);

    const a = analyseTone(wav, 1000);
    assert.ok(a.seconds >= 2.5, `recorded ${a.seconds} s (want >= 2.5 s of the 4 s call): ${JSON.stringify(a)}`);
    assert.ok(a.toneBlocks >= a.blocks * 0.6, `1 kHz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);
    assert.ok(a.medianShare > 0.8, `median 1 kHz energy share ${a.medianShare}: ${JSON.stringify(a)}`);
    assert.ok(a.otherShare < 0.05, `control 1.5 kHz share ${a.otherShare}: ${JSON.stringify(a)}`);

    // Control: what the recording holds is what went out — a 600 Hz tone comes back as 600 Hz.
    const wav2 = path.join(ctx.dir, 'echo-received-600.wav');
    const r2 = await runPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--call', 'echo', '--tone', '600', '--record', wav2, '--duration', '2', '--timeout', '10',
    ], { name: 'phone-600' });
    assert.equal(r2.code, 0, `callgate-phone exit ${r2.code}: ${r2.result}\n${r2.out}`);
    const b = analyseTone(wav2, 600);
    assert.ok(b.toneBlocks >= b.blocks * 0.6, `600 Hz in ${b.toneBlocks}/${b.blocks} blocks: ${JSON.stringify(b)}`);
    assert.ok(analyseTone(wav2, 1000).medianShare < 0.05, 'no 1 kHz in the 600 Hz call');
    assertRunning(callgate);
  });
});
