// A closed WebSocket ends its registration: after `registered`, the client closes its socket
// and callgate must send REGISTER with expiry 0 (Expires: 0 or ;expires=0) on the same Call-ID.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(12);

test('closing the WebSocket un-REGISTERs', async () => {
  const ctx = testContext('register_unregister');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, {
      scenario: 'cg_register_unregister.xml',
      account: { sipRegisterRequired: true },
    });
    await client.waitFor({ message: 'registered' }, 10000);
    await client.close();
    const r = await expectSippSuccess(sipp, 20000);
    const regs = receivedRequests(r.parsed, 'REGISTER');
    assert.ok(regs.length >= 2, 'a second REGISTER after the socket closed');
    const last = regs[regs.length - 1].text;
    const expires = sipHeader(last, 'Expires');
    const contact = sipHeader(last, 'Contact') ?? sipHeader(last, 'm') ?? '';
    assert.ok(
      (expires !== null && Number(expires) === 0) || /;\s*expires\s*=\s*0\b/i.test(contact) || contact.trim() === '*',
      `un-REGISTER has expiry 0 (Expires: ${expires}, Contact: ${contact})`,
    );
    assertHealthy(client, callgate);
  });
});
