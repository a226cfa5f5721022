// End to end, hold and resume with media relayed by rtpengine (the mission's first deployment):
// as hold_unhold, but Kamailio runs the rtpengine config, so the phone's re-INVITE answers and
// the media pass through rtpengine. call.hold() -> re-INVITE a=sendonly through Kamailio and
// rtpengine -> HOLD, the browser's inbound audio stops; call.unhold() -> ESTABLISHED and audio
// resumes; hangup -> FINISH, and rtpengine counted RTP on both legs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, e2eAccount, installCallApi, waitCallEvent, waitCallTerminal, waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';
import { assertHoldReinvites, assertHoldStatuses, holdAndResume } from '../lib/hold_checks.mjs';
import { rtpengineFinalStats, startE2eRtpengineStack } from '../lib/rtpengine.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e via rtpengine: hold stops inbound audio, unhold resumes it', async () => {
  const ctx = testContext('e2e_hold_unhold_rtpengine');
  await ctx.run(async () => {
    const { callee, callgate, rtpengine, page } = await startE2eRtpengineStack(ctx, { calleeScenario: '../e2e/e2e_uas_hold.xml' });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    await waitCallEvent(page, 'ESTABLISHED', 20000, callId);
    await assertTwoWayAudio(page);

    await holdAndResume(page, callId);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const r = await expectSippSuccess(callee, 15000); // hold, unhold re-INVITEs, BYE
    assertHoldReinvites(r);
    await assertHoldStatuses(page);
    assertRunning(callgate);
    const legs = await waitUntil(() => {
      const s = rtpengineFinalStats(rtpengine.log()).filter((p) => !p.rtcp && p.packets > 0);
      return s.length >= 2 ? s : null;
    }, 5000, 'rtpengine final packet stats after the BYE (RTP on both legs)');
    console.log(`rtpengine legs: ${JSON.stringify(legs)}`);
  });
});
