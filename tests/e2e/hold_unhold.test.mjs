// End to end, hold and resume from the Web SDK (protocol 4.7): the page (1000) calls 1001, a
// sipp phone behind Kamailio that echoes RTP and answers re-INVITEs as RFC 3264 8.4 wants
// (a=sendonly offer -> a=recvonly answer, a=sendrecv -> a=sendrecv). After two-way audio:
// call.hold() -> HOLD, and the browser's inbound audio stops (getStats packetsReceived grows by
// at most a couple of in-flight packets over 1.5 s); call.unhold() -> ESTABLISHED again and
// inbound audio with energy flows again; hangup -> FINISH, the phone got the BYE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, e2eAccount, installCallApi, startE2eStack, waitCallEvent, waitCallTerminal, waitPageEvent,
} from '../lib/e2e.mjs';
import { assertHoldReinvites, assertHoldStatuses, holdAndResume } from '../lib/hold_checks.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e: hold stops inbound audio, unhold resumes it', async () => {
  const ctx = testContext('e2e_hold_unhold');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: '../e2e/e2e_uas_hold.xml' });
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
  });
});
