// A WAV source and a server that dies mid-call: callgate-phone calls echo playing a generated
// 16 kHz WAV with an 800 Hz tone (resampled to 8 kHz by the SDK); 2 s after ESTABLISHED
// callgate is killed (SIGKILL). Checks: the phone reports the session lost (exit 9, call
// FAILED "Session disconnected: ...") within 3 s, and the recording — completed when the call
// failed — holds the 800 Hz tone that came back before the kill.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { portPlan, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { analyseTone, startPhone } from '../lib/phone.mjs';

const ports = portPlan(88);

function writeToneWav(file, hz, seconds, rate) {
  const n = Math.round(seconds * rate);
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + 2 * i);
  fs.writeFileSync(file, b);
}

test('SDK: WAV source to echo, callgate killed mid-call -> call FAILED, exit 9, recording complete', async () => {
  const ctx = testContext('sdk_server_killed');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const input = path.join(ctx.dir, 'in-800.wav');
    writeToneWav(input, 800, 10, 16000);
    const wav = path.join(ctx.dir, 'received.wav');
    const phone = startPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--call', 'echo', '--play', input, '--record', wav, '--duration', '30', '--timeout', '10',
    ]);
    await phone.waitLine(/^call ESTABLISHED/, 8000);
    await sleep(2000);
    process.kill(callgate.pid, 'SIGKILL');
    const t0 = Date.now();
    const r = await phone.finish(10000);
    const elapsed = Date.now() - t0;
    assert.equal(r.code, 9, `exit ${r.code}: ${r.result}\n${r.out}`);
    assert.match(r.result, /FAILED 0 Session disconnected: /, r.out);
    assert.ok(elapsed < 3000, `phone noticed within ${elapsed} ms`);

    const a = analyseTone(wav, 800);
    assert.ok(a.seconds >= 1.5, `recorded ${a.seconds} s: ${JSON.stringify(a)}`);
    assert.ok(a.toneBlocks >= a.blocks * 0.6, `800 Hz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);
  });
});
