// End to end, incoming video: a sipp phone (1001, RTP echo on both ports) calls the page (1000)
// through Kamailio offering PCMU + VP8 on plain RTP/AVP. The page gets INCOMING_CALL with the
// video offer mapped to WebRTC, answers with camera and microphone; the phone gets a 200 whose
// SDP accepts video with VP8 on RTP/AVP; the browser sends VP8 and decodes the frames the phone
// echoes back through callgate (framesDecoded > 0 and growing); audio flows both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, audioStats, e2eAccount, installCallApi, routeSetProblem, startCallingPhone, startE2eStack, videoStats,
  waitCallEvent, waitCallTerminal, waitIncomingCall, waitPageEvent, waitUntil, waitVideo,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e incoming video: phone offers VP8, page answers with video, frames decoded both ways', async () => {
  const ctx = testContext('e2e_incoming_video');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const phone = await startCallingPhone(ctx.procs, { scenario: 'e2e_uac_call_video.xml' });
    const inc = await waitIncomingCall(page, 15000);
    await waitCallEvent(page, 'RING', 10000, inc.callId);
    await page.evaluate(() => window.cgx.answer(true));
    await waitCallEvent(page, 'ESTABLISHED', 20000, inc.callId).catch((err) => {
      throw new Error(`${err.message}\n${routeSetProblem(phone)}`);
    });

    const last = await waitVideo(page, 'video sent and echoed frames decoded', 20000);
    assert.match(last.codecIn ?? '', /VP8/i, `inbound video is VP8: ${JSON.stringify(last)}`);
    assert.match(last.remoteVideo ?? '', /^m=video [1-9]\d* UDP\/TLS\/RTP\/SAVPF /, `the browser got a WebRTC video offer: ${JSON.stringify(last)}`);
    assert.match(last.localVideo ?? '', /^m=video [1-9]/, `the browser accepted video: ${JSON.stringify(last)}`);
    const first = last;
    await new Promise((r) => setTimeout(r, 1500));
    const later = await videoStats(page);
    assert.ok(later.framesDecoded > first.framesDecoded, `frames keep being decoded: ${JSON.stringify(later)}`);
    await assertTwoWayAudio(page);
    console.log(`video stats: ${JSON.stringify(later)}`);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const r = await expectSippSuccess(phone, 15000);
    const ok = r.parsed.find((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /CSeq:\s*2 INVITE/i.test(m.text));
    assert.ok(ok, `the phone got a 200 for its INVITE:\n${r.flow}`);
    const sdp = ok.text.slice(ok.text.search(/\r?\n\r?\n/)).trim();
    assert.match(sdp, /^m=video [1-9]\d* RTP\/AVP 96\b/m, `200 accepts VP8 video on plain RTP:\n${sdp}`);
    assert.match(sdp, /^a=rtpmap:96 VP8\/90000/m, `200 keeps the phone's VP8 payload type:\n${sdp}`);
    assertRunning(callgate);
  });
});

test('e2e incoming video answered without camera: the SIP answer takes video receive-only', async () => {
  // receiveVideo with no camera: the browser answers video recvonly, so callgate's 200 tells
  // the phone a=recvonly (it may send video, nothing comes back) and audio flows both ways.
  const ctx = testContext('e2e_incoming_video_audio_answer');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const phone = await startCallingPhone(ctx.procs, { scenario: 'e2e_uac_call_video.xml' });
    const inc = await waitIncomingCall(page, 15000);
    await waitCallEvent(page, 'RING', 10000, inc.callId);
    await page.evaluate(() => window.cgx.answer(false));
    await waitCallEvent(page, 'ESTABLISHED', 20000, inc.callId);
    // Packets both ways (the phone echoes the browser's audio). The fake microphone's energy is
    // not checked here: Chromium does not play the remote audio of a <video> element whose
    // video track never gets a frame, and inbound energy is measured at playout.
    const a1 = await audioStats(page);
    const a2 = await waitUntil(async () => {
      const s = await audioStats(page);
      return s.packetsSent > a1.packetsSent + 25 && s.packetsReceived > a1.packetsReceived + 25 ? s : null;
    }, 8000, 'audio packets both ways', 250);
    const v = await videoStats(page);
    assert.match(v.localVideo ?? '', /^m=video [1-9]\d* /, `the browser kept the video m-line: ${JSON.stringify(v)}`);
    assert.equal(v.packetsSent, 0, `no camera, no video sent: ${JSON.stringify(v)}`);
    console.log(`audio ${JSON.stringify(a2)}; video ${JSON.stringify(v)}`);

    await page.evaluate(() => window.cgx.hangup());
    await waitCallTerminal(page, 10000);
    const r = await expectSippSuccess(phone, 15000);
    const ok = r.parsed.find((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /CSeq:\s*2 INVITE/i.test(m.text));
    assert.ok(ok, `the phone got a 200:\n${r.flow}`);
    const sdp = ok.text.slice(ok.text.search(/\r?\n\r?\n/)).trim();
    const video = sdp.slice(sdp.search(/^m=video/m));
    assert.match(video, /^m=video [1-9]\d* RTP\/AVP 96\b/m, `video accepted on RTP/AVP:\n${sdp}`);
    assert.match(video, /^a=recvonly\s*$/m, `video receive-only toward the phone:\n${sdp}`);
    assert.match(sdp.slice(0, sdp.search(/^m=video/m)), /^a=sendrecv\s*$/m, `audio sendrecv:\n${sdp}`);
    assertRunning(callgate);
  });
});
