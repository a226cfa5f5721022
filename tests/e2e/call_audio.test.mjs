// End to end: Web SDK in headless Chromium -> callgate -> Kamailio -> sipp callee 1001 with
// RTP echo. REGISTERED, call 1001: TRYING/RING, ESTABLISHED; audio flows both ways
// (getStats: packets sent, packets received, inbound audio level/energy > 0 from the echo);
// hangup -> FINISH and the callee receives the BYE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { e2eAccount, pageEvents, startE2eStack, waitCallTerminal, waitPageEvent, assertTwoWayAudio } from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e: register, call, two-way audio, hangup', async () => {
  const ctx = testContext('e2e_call_audio');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: 'uas_answer.xml' });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await waitPageEvent(page, 'session', 'ESTABLISHED', 10000);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    await page.evaluate(() => window.cg.call('1001'));
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);
    const before = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.ok(before.includes('TRYING') || before.includes('RING'), `TRYING or RING before ESTABLISHED: ${before}`);

    await assertTwoWayAudio(page);

    await page.evaluate(() => window.cg.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await expectSippSuccess(callee, 10000); // the callee got the BYE and answered it
    assertRunning(callgate);
  });
});
