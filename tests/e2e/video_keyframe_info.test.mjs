// End to end, keyframe requests with a video phone that has no RTCP feedback (RFC 5168): the
// page (1000) calls 1001 with camera and microphone; the sipp phone answers VP8 without any
// a=rtcp-fb, its video port is a tests/lib/rtp_probe.mjs echo that drops the first packets, so
// the browser's echoed stream starts without its keyframe and cannot be decoded.
// 1. The browser asks for a keyframe (RTCP PLI); callgate also sends the phone a SIP INFO
//    application/media_control+xml <picture_fast_update/> (sipp checks type and body).
// 2. The phone sends its own picture_fast_update INFO; callgate turns it into an RTCP PLI to
//    the browser (its outbound-rtp pliCount grows), whose encoder sends a keyframe that the
//    probe echoes: frames are decoded (framesDecoded > 0). Without the INFO -> PLI step the
//    browser would never get a keyframe: nothing else asks its encoder for one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { e2eAccount, startE2eStack, startVideoCall, waitCallTerminal, waitPageEvent, waitVideo } from '../lib/e2e.mjs';
import { startRtpProbe } from '../lib/rtp_probe.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

const PROBE_PORT = 6100;

test('e2e video: keyframe requests cross as SIP INFO picture_fast_update both ways', async () => {
  const ctx = testContext('e2e_video_keyframe_info');
  await ctx.run(async () => {
    const probe = await startRtpProbe({ port: PROBE_PORT, eventPt: -1, dropFirst: 40 });
    ctx.onCleanup(() => probe.close());
    const { callee, callgate, page } = await startE2eStack(ctx, {
      calleeScenario: '../e2e/e2e_uas_video_info.xml',
      calleeKeys: { probe_port: probe.port },
    });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    await startVideoCall(page, '1001');
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);

    const last = await waitVideo(page, 'a PLI reached the browser and echoed frames are decoded', 25000,
      (s) => s.framesDecoded > 0 && s.pliReceived > 0).catch((err) => {
      throw new Error(`${err.message}; probe ${JSON.stringify({ ...probe.stats, sources: [...probe.stats.sources] })}`);
    });
    console.log(`video stats: ${JSON.stringify(last)}; probe dropped ${probe.stats.dropped}, echoed ${probe.stats.echoed}`);
    assert.equal(probe.stats.dropped, 40, 'the probe dropped the start of the stream');
    assert.ok(last.pliSent > 0, `the browser asked for a keyframe: ${JSON.stringify(last)}`);

    const log = callgate.log();
    assert.match(log, /the browser wants a keyframe: SIP INFO picture_fast_update/, 'callgate sent picture_fast_update');
    assert.match(log, /the SIP side wants a keyframe \(INFO picture_fast_update\): PLI sent to the browser/,
      'callgate turned the phone\'s INFO into a PLI');

    await page.evaluate(() => window.cgv.call.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const r = await expectSippSuccess(callee, 15000); // INFO checked, own INFO answered, BYE
    const infos = r.parsed.filter((m) => m.dir === 'received' && /^INFO /.test(m.text));
    assert.ok(infos.length >= 1 && infos.length <= 30, `callgate's INFOs are rate limited (${infos.length}):\n${r.flow}`);
    assertRunning(callgate);
  });
});
