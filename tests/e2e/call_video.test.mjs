// End to end, video: the Web SDK page (Chromium with fake camera and microphone) calls 1001
// with audio + video through callgate and Kamailio.
// 1. The sipp phone answers PCMU + VP8 (the offered VP8 payload type) and echoes RTP on both
//    ports (sipp -rtp_echo: -mp and -mp + 2). The INVITE carries plain RTP/AVP audio and video
//    without WebRTC lines; the browser sends video (outbound packets, frames encoded) and
//    decodes the echoed frames relayed back by callgate (inbound video framesDecoded > 0,
//    i.e. VP8 passes through both ways with PT and SSRC mapping); audio flows too.
// 2. The phone answers audio only (video m-line port 0): the call is ESTABLISHED as audio
//    only, the browser's answer has video rejected, and audio flows both ways.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, e2eAccount, startE2eStack, startVideoCall, videoStats, waitCallTerminal, waitPageEvent, waitVideo,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function invite200(r) {
  const invite = r.parsed.find((m) => m.dir === 'received' && /^INVITE /.test(m.text));
  assert.ok(invite, `the phone got the INVITE:\n${r.flow}`);
  return invite.text.slice(invite.text.search(/\r?\n\r?\n/)).trim();
}

async function hangupAndCheck(page, callee, callgate) {
  await page.evaluate(() => window.cgv.call.hangup());
  const term = await waitCallTerminal(page, 10000);
  assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
  const r = await expectSippSuccess(callee, 10000);
  assertRunning(callgate);
  return r;
}

test('e2e video: audio + VP8 both ways, frames decoded in the browser', async () => {
  const ctx = testContext('e2e_call_video');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: path.join(HERE, 'e2e_uas_video.xml') });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    await startVideoCall(page, '1001');
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);

    const last = await waitVideo(page, 'video sent and echoed frames decoded', 20000);
    assert.match(last.codecIn ?? '', /VP8/i, `inbound video is VP8: ${JSON.stringify(last)}`);
    assert.match(last.remoteVideo ?? '', /^m=video [1-9]/, `video accepted in callgate's answer: ${JSON.stringify(last)}`);
    // Video keeps being decoded (not one keyframe), and audio flows alongside.
    const first = last;
    await new Promise((r) => setTimeout(r, 1500));
    const later = await videoStats(page);
    assert.ok(later.framesDecoded > first.framesDecoded, `frames keep being decoded: ${JSON.stringify(later)}`);
    await assertTwoWayAudio(page);
    console.log(`video stats: ${JSON.stringify(later)}`);

    const log = callgate.log();
    assert.match(log, /m-line 1 video to 127\.0\.0\.1:\d+ codec VP8/, 'callgate relays the video m-line with VP8');

    const r = await hangupAndCheck(page, callee, callgate);
    const sdp = invite200(r);
    assert.match(sdp, /^m=video [1-9]\d* RTP\/AVP /m, `INVITE offers plain RTP video:\n${sdp}`);
    assert.ok(!/transport-cc|goog-remb|a=(fingerprint|ice-ufrag|candidate|extmap)/.test(sdp), `no WebRTC lines to the phone:\n${sdp}`);
  });
});

test('e2e video: the phone rejects video, the call goes on as audio only', async () => {
  const ctx = testContext('e2e_call_video_rejected');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: path.join(HERE, 'e2e_uas_video_rejected.xml') });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    await startVideoCall(page, '1001');
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);
    await assertTwoWayAudio(page);
    const v = await videoStats(page);
    assert.match(v.remoteVideo ?? '', /^m=video 0 /, `video rejected in callgate's answer: ${JSON.stringify(v)}`);
    assert.equal(v.framesDecoded, 0, `no video decoded: ${JSON.stringify(v)}`);
    await hangupAndCheck(page, callee, callgate);
  });
});
