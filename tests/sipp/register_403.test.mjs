// (a) REGISTER refused with 403 -> `fail` {apiMethod: RegistrationStatusEvent, status FAILED,
// info containing 403}; no `registered`; the WebSocket stays open (protocol 4.3).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(2);

test('REGISTER answered 403 -> fail RegistrationStatusEvent with the SIP status', async () => {
  const ctx = testContext('register_403');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, {
      scenario: 'cg_register_403.xml',
      account: { sipRegisterRequired: true },
    });
    const fail = await client.waitFor({ message: 'fail', apiMethod: 'RegistrationStatusEvent' }, 10000);
    const d = fail.data[0];
    assert.equal(d.status, 'FAILED');
    assert.match(String(d.info ?? ''), /403/, `info carries the SIP status: ${JSON.stringify(d)}`);
    await expectSippSuccess(sipp);
    await sleep(1000);
    assert.equal(client.messages('registered').length, 0, 'never registered');
    assert.equal(client.closeInfo, null, 'WebSocket stays open after a registration failure');
    assertHealthy(client, callgate);
  });
});
