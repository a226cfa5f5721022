// End to end: the callee answers 486 Busy Here -> the call ends BUSY in the Web SDK.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { e2eAccount, pageEvents, startE2eStack, waitCallTerminal, waitPageEvent } from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e: busy callee -> BUSY', async () => {
  const ctx = testContext('e2e_busy');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: 'uas_busy.xml' });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);
    await page.evaluate(() => window.cg.call('1001'));
    const term = await waitCallTerminal(page, 15000);
    assert.equal(term.status, 'BUSY', `terminal status ${JSON.stringify(term)}`);
    const calls = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.ok(!calls.includes('ESTABLISHED'), `never ESTABLISHED: ${calls}`);
    await expectSippSuccess(callee, 10000);
    assertRunning(callgate);
  });
});
