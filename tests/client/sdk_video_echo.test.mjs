// Video through the C++ client SDK: callgate-phone --video sends a VP8 test pattern and a
// 1 kHz tone to callgate's echo endpoint (video relayed to SIP as VP8, echoed back). Checks,
// from the phone's "media" summary lines: VP8/90000 negotiated, frames encoded and more than
// 30 decoded frames received in a 5 s call, the tone in the recording. Key frames: the encoder
// makes none on its own after the first (no periodic key frames), and --keyframe-request 2.5
// sends an RTCP PLI for the echoed stream; the echo turns it around to our sender
// (src/echo/key_frame_requests.hpp), webrtcbin hands it to the encoder as a key unit request
// and a second key frame goes out: requests-out >= 1, requests-in >= 1 and key >= 2. The
// same call with H.264 (openh264) when --video-codec h264 is asked for. --video-record writes
// the received stream to a Matroska file: EBML header, the codec's id, tens of KB.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { analyseTone, runPhone } from '../lib/phone.mjs';

const ports = portPlan(90);

function assertMatroska(file, codecId) {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(0, 4).toString('hex'), '1a45dfa3', `${file}: not Matroska (EBML)`);
  assert.ok(b.includes(codecId), `${file}: no ${codecId} track`);
  assert.ok(b.length > 20000, `${file}: only ${b.length} bytes`);
}

function videoStats(r) {
  const line = r.lines.find((l) => l.startsWith('media video '));
  assert.ok(line, `no "media video" summary line:\n${r.out}`);
  const m = line.match(/^media video (\S+) sent (\d+) key (\d+) requests-in (\d+) received (\d+) requests-out (\d+)$/);
  assert.ok(m, line);
  return { codec: m[1], sent: +m[2], key: +m[3], requestsIn: +m[4], received: +m[5], requestsOut: +m[6], line };
}

test('SDK: VP8 video to echo, frames come back, a PLI gets a key frame, tone still ok', async () => {
  const ctx = testContext('sdk_video_echo');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const base = ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--call', 'echo', '--tone', '1000', '--duration', '5', '--timeout', '10', '--video'];

    const wav = path.join(ctx.dir, 'vp8.wav');
    const mkv = path.join(ctx.dir, 'vp8.mkv');
    const r = await runPhone(ctx.procs, [...base, '--record', wav, '--keyframe-request', '2.5', '--video-record', mkv],
      { name: 'phone-vp8' });
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const v = videoStats(r);
    assert.equal(v.codec, 'VP8/90000', v.line);
    assert.ok(v.sent >= 50, `encoded frames ${v.sent} (15 fps for 5 s): ${v.line}`);
    assert.ok(v.received > 30, `decoded frames received ${v.received}: ${v.line}`);
    assert.ok(v.requestsOut >= 1, `key frame requests sent: ${v.line}`);
    assert.ok(v.requestsIn >= 1, `the echoed PLI reached our encoder: ${v.line}`);
    assert.ok(v.key >= 2, `a key frame answered the request (first + requested): ${v.line}`);
    assert.match(r.lines.find((l) => l.startsWith('media audio')) ?? '', /^media audio OPUS\/48000\/2 received OPUS/);
    // Control: no key frames but the first and the requested ones, so the second one above
    // is the answer to the PLI.
    assert.ok(v.key <= 1 + v.requestsIn, `key frames only on request: ${v.line}`);
    assertMatroska(mkv, 'V_VP8');
    const a = analyseTone(wav, 1000);
    assert.ok(a.toneBlocks >= a.blocks * 0.6, `1 kHz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);

    const mkvH264 = path.join(ctx.dir, 'h264.mkv');
    const h = await runPhone(ctx.procs, [...base, '--video-codec', 'h264', '--duration', '3', '--video-record', mkvH264],
      { name: 'phone-h264' });
    assert.equal(h.code, 0, `callgate-phone --video-codec h264 exit ${h.code}: ${h.result}\n${h.out}`);
    const hv = videoStats(h);
    assert.equal(hv.codec, 'H264/90000', hv.line);
    assert.ok(hv.received > 15, `H.264 frames received ${hv.received}: ${hv.line}`);
    assertMatroska(mkvH264, 'V_MPEG4/ISO/AVC');

    // Control for the PLI check: the same VP8 call without a request has one key frame.
    const c = await runPhone(ctx.procs, [...base, '--duration', '3'], { name: 'phone-vp8-no-pli' });
    assert.equal(c.code, 0, `callgate-phone exit ${c.code}: ${c.result}\n${c.out}`);
    const cv = videoStats(c);
    assert.ok(cv.received > 15, cv.line);
    assert.equal(cv.key, 1 + cv.requestsIn, `one key frame, plus one per request that arrived: ${cv.line}`);
    assertRunning(callgate);
  });
});
