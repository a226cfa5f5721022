// The SDK re-attaches after a lost link (docs/client-sdk.md "Reconnect"): callgate-phone
// --keep-alive registers 1000 at a sipp registrar through callgate, reached via a small TCP
// proxy. The test cuts the proxy's connections (both sides destroyed: what a dropped link
// looks like to each end). The phone must report PENDING "Reconnecting (attempt 1 of 5)",
// then ESTABLISHED "Re-attached to the kept session" and REGISTERED, and still be REGISTERED
// when it exits (code 0). It fails without a re-attach: callgate logs the re-attach by
// authToken, the registrar sees exactly one REGISTER while the phone runs (a fresh login
// would REGISTER again), and the un-REGISTER only comes after the phone left plus the grace.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { portPlan, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { startPhone } from '../lib/phone.mjs';
import { parseSippMessages, startSipp } from '../lib/sipp.mjs';
import { expectSippSuccess, receivedRequests, waitSippMessage } from '../lib/sipp_tests.mjs';

const ports = portPlan(65);
const PROXY_PORT = ports.ws + 1000;
const GRACE_S = 3;

/** TCP relay LOOPBACK:listenPort -> LOOPBACK:targetPort; cut() destroys every live pair. */
async function startProxy(listenPort, targetPort) {
  const pairs = new Set();
  let accepted = 0;
  const server = net.createServer((down) => {
    accepted += 1;
    const up = net.connect(targetPort, LOOPBACK);
    const pair = { down, up };
    pairs.add(pair);
    const drop = () => {
      down.destroy();
      up.destroy();
      pairs.delete(pair);
    };
    down.on('error', drop).on('close', drop);
    up.on('error', drop).on('close', drop);
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(listenPort, LOOPBACK, resolve));
  return {
    accepted: () => accepted,
    live: () => pairs.size,
    cut() {
      for (const { down, up } of [...pairs]) {
        down.destroy();
        up.destroy();
      }
      pairs.clear();
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

test('SDK: link cut -> automatic re-attach by authToken, registration kept', async () => {
  const ctx = testContext('sdk_reattach');
  await ctx.run(async () => {
    const registrar = await startSipp(ctx.procs, {
      name: 'sipp-registrar', scenario: 'cg_register_unregister.xml', port: ports.peer, mediaPort: ports.media,
      service: '1000',
    });
    const callgate = await startCallgate(ctx.procs, ports, ['--keepalive-grace-s', String(GRACE_S)]);
    const proxy = await startProxy(PROXY_PORT, ports.ws);
    ctx.onCleanup(() => proxy.close());

    const phone = startPhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${PROXY_PORT}`, '--login', '1000', '--password', '1234', '--domain', LOOPBACK,
      '--outbound-proxy', LOOPBACK, '--port', String(ports.peer), '--register', '1',
      '--keep-alive', '--reconnect-interval', '0.5', '--duration', '5', '--timeout', '10',
    ]);
    await phone.waitLine(/^session REGISTERED/, 10000);
    const tokenLine = await phone.waitLine(/^auth token \S+/, 2000);
    assert.ok(tokenLine.length > 'auth token '.length + 40, `a long authToken: ${tokenLine}`);
    assert.equal(proxy.live(), 1, 'the phone is connected through the proxy');

    const cutAt = Date.now();
    proxy.cut();
    await phone.waitLine(/^session PENDING Reconnecting \(attempt 1 of 5\)/, 3000);
    await phone.waitLine(/^session ESTABLISHED Re-attached to the kept session/, 5000);
    const afterCut = () => phone.lines().slice(phone.lines().findIndex((l) => l.startsWith('session PENDING Reconnecting')));
    await sleep(300);
    assert.ok(afterCut().some((l) => /^session REGISTERED/.test(l)), `REGISTERED again after the re-attach:\n${phone.lines().join('\n')}`);
    assert.equal(proxy.accepted(), 2, 'one new connection for the re-attach');
    assert.ok(Date.now() - cutAt < 4000, 're-attached within the first attempts');
    assert.match(callgate.log(), /re-attached by authToken/, 'callgate re-attached the kept session');
    assert.doesNotMatch(callgate.log(), /connection refused/, 'no refused re-attach');

    const r = await phone.finish(10000);
    assert.equal(r.code, 0, `phone exit ${r.code}: ${r.result}\n${r.out}`);
    assert.match(r.result, /^result 0 session only/, r.out);
    const regs = receivedRequests(parseSippMessages(registrar.messages()), 'REGISTER');
    assert.equal(regs.length, 1, 'one REGISTER while the phone ran: the registration was kept, not redone');

    // The phone's disconnect() closes a keepAlive socket: the server keeps the session for the
    // grace, then un-REGISTERs.
    const leftAt = Date.now();
    await waitSippMessage(registrar, () => receivedRequests(parseSippMessages(registrar.messages()), 'REGISTER').length >= 2,
      GRACE_S * 1000 + 6000);
    assert.ok(Date.now() - leftAt >= GRACE_S * 1000 - 700, 'un-REGISTER only after the grace');
    await expectSippSuccess(registrar, 10000);
  });
});
