// The C++ client SDK's codec choice against callgate's echo endpoint. The SDK offers
// Opus/48000/2 first, then PCMU and PCMA (+ telephone-event); callgate relays Opus to SIP
// unchanged (sdp/codec.hpp isSipCompatible) and the echo answers the first codec offered, so
// the call runs Opus both ways. Checks, from callgate-phone's "media audio" summary: the
// answer chose OPUS/48000/2 and the stream that came back was OPUS/48000/2 (decoded samples
// counted); the 1 kHz tone is in the 8 kHz recording (Goertzel, as sdk_echo_call) and, with
// --wav-rate 48000, in a 48 kHz recording too (the recording is resampled, not mislabelled).
// Controls: --codec pcmu and --codec pcma negotiate G.711 (so the Opus result is the
// preference at work, not a fixed codec) and still carry the tone.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { analyseTone, readWav, runPhone } from '../lib/phone.mjs';

const ports = portPlan(89);

function mediaLine(r, kind) {
  const line = r.lines.find((l) => l.startsWith(`media ${kind} `));
  assert.ok(line, `no "media ${kind}" summary line:\n${r.out}`);
  return line;
}

function assertTone(wav, hz) {
  const a = analyseTone(wav, hz);
  assert.ok(a.seconds >= 2, `recorded ${a.seconds} s: ${JSON.stringify(a)}`);
  assert.ok(a.toneBlocks >= a.blocks * 0.6, `${hz} Hz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);
  assert.ok(a.medianShare > 0.8, `median ${hz} Hz energy share ${a.medianShare}: ${JSON.stringify(a)}`);
  assert.ok(a.otherShare < 0.05, `control ${hz * 1.5} Hz share ${a.otherShare}: ${JSON.stringify(a)}`);
  return a;
}

test('SDK: Opus negotiated with the echo by default, tone comes back; --codec pcmu/pcma choose G.711', async () => {
  const ctx = testContext('sdk_opus_echo');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const base = ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--call', 'echo', '--tone', '1000', '--duration', '3', '--timeout', '10'];

    const wav = path.join(ctx.dir, 'opus-8k.wav');
    const r = await runPhone(ctx.procs, [...base, '--record', wav], { name: 'phone-opus' });
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const m = mediaLine(r, 'audio').match(/^media audio (\S+) received (\S+) samples (\d+)/);
    assert.ok(m, r.out);
    assert.equal(m[1], 'OPUS/48000/2', `answered codec: ${r.out}`);
    assert.equal(m[2], 'OPUS/48000/2', `received codec: ${r.out}`);
    assert.ok(Number(m[3]) > 48000, `decoded samples ${m[3]} (want > 1 s at 48 kHz)`);
    assertTone(wav, 1000);
    assert.equal(readWav(wav).rate, 8000);

    // The same Opus call recorded at 48 kHz: the tone is still at 1 kHz.
    const wav48 = path.join(ctx.dir, 'opus-48k.wav');
    const r48 = await runPhone(ctx.procs, [...base, '--tone', '1200', '--record', wav48, '--wav-rate', '48000'],
      { name: 'phone-opus-48k' });
    assert.equal(r48.code, 0, `callgate-phone exit ${r48.code}: ${r48.result}\n${r48.out}`);
    assert.match(mediaLine(r48, 'audio'), /^media audio OPUS\/48000\/2 received OPUS\/48000\/2 /);
    assert.equal(readWav(wav48).rate, 48000);
    assertTone(wav48, 1200);
    assert.ok(analyseTone(wav48, 1000).medianShare < 0.05, 'no 1 kHz in the 1.2 kHz call');

    for (const [codec, name] of [['pcmu', 'PCMU/8000'], ['pcma', 'PCMA/8000']]) {
      const w = path.join(ctx.dir, `${codec}.wav`);
      const rc = await runPhone(ctx.procs, [...base, '--codec', codec, '--record', w], { name: `phone-${codec}` });
      assert.equal(rc.code, 0, `callgate-phone --codec ${codec} exit ${rc.code}: ${rc.result}\n${rc.out}`);
      assert.equal(mediaLine(rc, 'audio').split(' ').slice(2, 5).join(' '), `${name} received ${name}`, rc.out);
      assertTone(w, 1000);
    }

    const bad = await runPhone(ctx.procs, [...base, '--codec', 'g729'], { name: 'phone-bad-codec' });
    assert.equal(bad.code, 1, `--codec g729 is a usage error: ${bad.out}`);
    assertRunning(callgate);
  });
});
