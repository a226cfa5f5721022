// End to end: wrong SIP password -> Kamailio refuses the REGISTER (403) -> the Web SDK fires
// WARN for the `fail` RegistrationStatusEvent (info with the SIP status); never REGISTERED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { e2eAccount, pageEvents, startE2eStack, waitPageEvent } from '../lib/e2e.mjs';

test('e2e: wrong password -> registration failure reported', async () => {
  const ctx = testContext('e2e_wrong_password');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount({ password: 'wrong' }));
    await waitPageEvent(page, 'session', 'ESTABLISHED', 10000);
    const warn = await waitPageEvent(page, 'session', 'WARN', 15000);
    assert.equal(warn.apiMethod, 'RegistrationStatusEvent', `WARN is about registration: ${JSON.stringify(warn)}`);
    assert.match(String(warn.info ?? ''), /403/, `info carries the SIP status: ${JSON.stringify(warn)}`);
    const ev = await pageEvents(page);
    assert.ok(!ev.some((e) => e.status === 'REGISTERED'), 'never REGISTERED');
    assert.match(await page.textContent('#error'), /403/, 'error visible on the page');
    assertRunning(callgate);
  });
});
