// (h) Credentials outside the RFC 3261 user grammar are refused at `connection` (mission
// "Known problem", protocol §6): `fail` {apiMethod: ConnectionStatusEvent, status: FAILED,
// info naming the field and the character}, then the server closes the socket. No
// getUserData, no SIP traffic.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { assertRunning, portPlan, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { sipAccount } from '../lib/sipp_tests.mjs';
import { WcsClient } from '../lib/wcs_client.mjs';

const ports = portPlan(10);

const CASES = [
  { name: 'login with a space', account: { sipLogin: 'Ralf C', sipAuthenticationName: 'Ralf C' }, info: /Invalid SIP login.*' '.*RFC 3261/i },
  { name: 'login with angle brackets', account: { sipLogin: '<1000>', sipAuthenticationName: '1000' }, info: /Invalid SIP login.*'<'/i },
  { name: 'auth name with a space', account: { sipLogin: '1000', sipAuthenticationName: 'Ralf C' }, info: /auth.*' '/i },
  { name: 'login "Ralf C12441@host.com"', account: { sipLogin: 'Ralf C12441@host.com' }, info: /Invalid SIP login/i },
];

test('invalid SIP identities are refused at connection', async () => {
  const ctx = testContext('invalid_login');
  await ctx.run(async () => {
    // Stand-in for the outbound proxy: must not receive anything.
    const sipPackets = [];
    const sock = dgram.createSocket('udp4');
    sock.on('message', (msg) => sipPackets.push(msg.toString()));
    await new Promise((r) => sock.bind(ports.peer, LOOPBACK, r));
    ctx.onCleanup(() => new Promise((r) => sock.close(r)));

    const callgate = await startCallgate(ctx.procs, ports);
    for (const c of CASES) {
      const client = await WcsClient.openWhenReady(`ws://${LOOPBACK}:${ports.ws}`, 10000);
      ctx.onCleanup(() => client.close());
      client.sendConnection(sipAccount(ports, { sipRegisterRequired: true, ...c.account }));
      const fail = await client.waitFor({ message: 'fail', apiMethod: 'ConnectionStatusEvent' }, 5000, { allowClosed: true });
      const d = fail.data[0];
      assert.equal(d.status, 'FAILED', `${c.name}: status`);
      assert.match(String(d.info ?? ''), c.info, `${c.name}: info names the problem: ${JSON.stringify(d.info)}`);
      await client.waitClosed(3000);
      assert.equal(client.messages('getUserData').length, 0, `${c.name}: no getUserData for a refused connection`);
      assert.equal(client.messages('registered').length, 0, `${c.name}: never registered`);
      assert.deepEqual(client.protocolErrors, []);
    }
    await sleep(500);
    assert.deepEqual(sipPackets, [], 'no SIP request was sent for refused credentials');

    // A display name with spaces is fine (it is not the login): connection is accepted.
    const ok = await WcsClient.openWhenReady(`ws://${LOOPBACK}:${ports.ws}`, 5000);
    ctx.onCleanup(() => ok.close());
    ok.sendConnection(sipAccount(ports, { sipRegisterRequired: false, sipVisibleName: 'Ralf C' }));
    await ok.waitFor({ message: 'getUserData' }, 5000);
    assertRunning(callgate);
  });
});
