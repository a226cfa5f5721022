// End to end: the callee answers and hangs up 3 s later (BYE through Kamailio's route set)
// -> FINISH in the Web SDK without any client action.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { e2eAccount, startE2eStack, waitCallTerminal, waitPageEvent } from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e: callee hangs up -> FINISH', async () => {
  const ctx = testContext('e2e_callee_hangup');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: 'uas_answer_then_bye.xml' });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);
    await page.evaluate(() => window.cg.call('1001'));
    await waitPageEvent(page, 'call', 'ESTABLISHED', 20000);
    const term = await waitCallTerminal(page, 15000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await expectSippSuccess(callee, 10000); // its BYE got 200
    assertRunning(callgate);
  });
});
