// End to end: SIP login "Ralf C" (space, outside RFC 3261 user) -> callgate refuses the
// connection with the specific error, which the page shows (WARN), then DISCONNECTED.
// Never left PENDING (the reference server's known problem).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { e2eAccount, pageEvents, startE2eStack, waitPageEvent } from '../lib/e2e.mjs';

test('e2e: invalid login "Ralf C" -> specific error, disconnected', async () => {
  const ctx = testContext('e2e_invalid_login');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount({ login: 'Ralf C', authName: 'Ralf C' }));
    const warn = await waitPageEvent(page, 'session', 'WARN', 10000);
    assert.equal(warn.apiMethod, 'ConnectionStatusEvent', JSON.stringify(warn));
    assert.match(String(warn.info), /Invalid SIP login.*' '.*RFC 3261/, `specific error: ${JSON.stringify(warn)}`);
    await waitPageEvent(page, 'session', 'DISCONNECTED', 10000);
    assert.match(await page.textContent('#error'), /Invalid SIP login/, 'error text visible on the page');
    const ev = await pageEvents(page);
    assert.ok(!ev.some((e) => e.status === 'REGISTERED' || e.status === 'ESTABLISHED'), `not established: ${ev.map((e) => e.status)}`);
    assertRunning(callgate);
  });
});
