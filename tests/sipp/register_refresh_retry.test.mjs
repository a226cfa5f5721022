// A registration that was up and then fails to refresh (503) is reported to the client
// (`fail` RegistrationStatusEvent) and retried by callgate on its own; when the registrar
// accepts again, the client gets `registered` again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(16);

test('failed refresh -> fail reported -> re-registered by callgate', async () => {
  const ctx = testContext('register_refresh_retry');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, {
      scenario: 'cg_register_refresh_retry.xml',
      account: { sipRegisterRequired: true },
    });
    await client.waitFor({ message: 'registered' }, 5000);
    const fail = await client.waitFor({ message: 'fail' }, 8000);
    assert.equal(fail.data[0].apiMethod, 'RegistrationStatusEvent');
    assert.match(fail.data[0].info, /503/, `info carries the SIP status: ${fail.data[0].info}`);
    await client.waitFor((m) => m.message === 'registered' && client.messages('registered').length >= 2, 15000);
    const r = await expectSippSuccess(sipp);
    assert.equal(receivedRequests(r.parsed, 'REGISTER').length, 3, `register, refresh, retry:\n${r.flow}`);
    assertHealthy(client, callgate);
  });
});
