// Hold and unhold from the C++ SDK on a call to callgate's echo endpoint: callgate-phone
// sends a 1 kHz tone, holds 1.5 s after ESTABLISHED for 2 s (callgate re-INVITEs the echo
// with a=sendonly; the echo stops returning audio), unholds, hangs up at 6 s. Checks: the
// statuses go ESTABLISHED -> HOLD -> ESTABLISHED -> FINISH, and the recording (gaps written
// as silence) is tone, then at least 1.2 s of silence, then tone again.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { runPhone, toneTimeline } from '../lib/phone.mjs';

const ports = portPlan(87);

test('SDK hold/unhold on an echo call: silence while held, tone before and after', async () => {
  const ctx = testContext('sdk_hold');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const wav = path.join(ctx.dir, 'hold-received.wav');
    const r = await runPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--call', 'echo', '--tone', '1000', '--record', wav, '--hold', '2', '--duration', '6', '--timeout', '10',
    ]);
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const statuses = r.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    const held = statuses.indexOf('HOLD');
    assert.ok(held > statuses.indexOf('ESTABLISHED'), `HOLD after ESTABLISHED: ${statuses}`);
    assert.equal(statuses[held + 1], 'ESTABLISHED', `ESTABLISHED again after unhold: ${statuses}`);
    assert.equal(statuses.at(-1), 'FINISH', `${statuses}`);

    const timeline = toneTimeline(wav, 1000);
    const m = /(T{5,})[^S]{0,3}(S{12,})[^T]{0,5}(T{10,})/.exec(timeline);
    assert.ok(m, `tone, >= 1.2 s silence, tone again in the recording (T tone, S silence per 100 ms): ${timeline}`);
    assertRunning(callgate);
  });
});
