// The device paths of the C++ client SDK's media engine, run with stand-in elements because
// the test machines have no sound card, PulseAudio server or camera: the "microphone" is
// `audiotestsrc` (1 kHz, live) and the "loudspeaker" writes raw 8 kHz S16LE to a file.
// Checks against callgate's echo endpoint: with both devices the echo cancellation chain
// (webrtcdsp on the capture side, webrtcechoprobe on the playback side) runs — the phone's
// summary says "aec" — and the echoed 1 kHz tone reaches the loudspeaker file; --no-aec
// runs without it; an element that does not exist fails the call at once with its name
// (exit 8, "GStreamer element 'nosuchsrc' missing ...").
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { runPhone, toneShare } from '../lib/phone.mjs';

const ports = portPlan(92);

/** Share of 100 ms blocks of a raw 8 kHz S16LE file that hold the tone. */
function rawToneBlocks(file, hz) {
  const b = fs.readFileSync(file);
  const s = new Int16Array(b.buffer, b.byteOffset, Math.floor(b.length / 2));
  let tone = 0;
  let blocks = 0;
  for (let off = 0; off + 800 <= s.length; off += 800, blocks++) {
    const t = toneShare(s.subarray(off, off + 800), 8000, hz);
    if (t.share > 0.5 && t.rms > 500) tone++;
  }
  return { tone, blocks };
}

test('SDK device paths with stand-in elements: echo cancellation chain runs, tone comes back', async () => {
  const ctx = testContext('sdk_devices');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const base = ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--call', 'echo', '--duration', '3', '--timeout', '10',
      '--mic-element', 'audiotestsrc is-live=true freq=1000 volume=0.3'];
    const speaker = (file) => ['--speaker-element',
      `capsfilter caps=audio/x-raw,format=S16LE,rate=8000,channels=1 ! filesink location=${file}`];

    const raw = path.join(ctx.dir, 'speaker.raw');
    const r = await runPhone(ctx.procs, [...base, ...speaker(raw)], { name: 'phone-aec' });
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const line = r.lines.find((l) => l.startsWith('media audio ')) ?? '';
    assert.match(line, /^media audio OPUS\/48000\/2 received OPUS\/48000\/2 samples \d+ aec$/, r.out);
    const t = rawToneBlocks(raw, 1000);
    assert.ok(t.blocks >= 20 && t.tone >= t.blocks * 0.6, `1 kHz at the loudspeaker in ${t.tone}/${t.blocks} blocks`);

    const raw2 = path.join(ctx.dir, 'speaker-no-aec.raw');
    const n = await runPhone(ctx.procs, [...base, ...speaker(raw2), '--no-aec'], { name: 'phone-no-aec' });
    assert.equal(n.code, 0, `callgate-phone exit ${n.code}: ${n.result}\n${n.out}`);
    assert.match(n.lines.find((l) => l.startsWith('media audio ')) ?? '', /samples \d+$/, 'no "aec" with --no-aec');
    const t2 = rawToneBlocks(raw2, 1000);
    assert.ok(t2.tone >= t2.blocks * 0.6, `1 kHz at the loudspeaker in ${t2.tone}/${t2.blocks} blocks (no AEC)`);

    const bad = await runPhone(ctx.procs, [...base.slice(0, -2), '--mic-element', 'nosuchsrc'], { name: 'phone-bad' });
    assert.equal(bad.code, 8, `exit ${bad.code}: ${bad.out}`);
    assert.match(bad.result, /GStreamer element 'nosuchsrc' missing/, bad.out);
    assertRunning(callgate);
  });
});
