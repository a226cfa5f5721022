// The C++ client SDK's failure paths, through callgate-phone, each bounded in time:
//  - a bad URL: exit 2 at once with the reason (no network);
//  - nothing listening: exit 2, "Connection refused";
//  - registration refused (sipp registrar answers 403): session FAILED with the SIP reason,
//    exit 3;
//  - --call with --answer: usage error, exit 1; --answer with nobody calling: exit 7 after
//    --timeout;
//  - a call to a phone that answers 486: BUSY, exit 5.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { runPhone } from '../lib/phone.mjs';
import { startSipp } from '../lib/sipp.mjs';

const ports = portPlan(83);

test('SDK failure paths: bad URL, refused, registration 403, busy', async () => {
  const ctx = testContext('sdk_failures');
  await ctx.run(async () => {
    const badUrl = await runPhone(ctx.procs, ['--url', 'http://127.0.0.1:1', '--login', '1000', '--domain', LOOPBACK], { name: 'phone-badurl', timeoutMs: 5000 });
    assert.equal(badUrl.code, 2, badUrl.out);
    assert.match(badUrl.result, /Invalid server URL .*ws:\/\/ or wss:\/\//, badUrl.out);

    const refused = await runPhone(ctx.procs, ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK], { name: 'phone-refused', timeoutMs: 5000 });
    assert.equal(refused.code, 2, refused.out);
    assert.match(refused.result, /Connection refused by 127\.0\.0\.1:\d+/, refused.out);
    assert.ok(refused.elapsedMs < 3000, `refused within ${refused.elapsedMs} ms`);

    const registrar = await startSipp(ctx.procs, { scenario: 'cg_register_403.xml', port: ports.peer });
    const callgate = await startCallgate(ctx.procs, ports);
    const account = ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--password', 'wrong',
      '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK, '--port', String(ports.peer)];
    const forbidden = await runPhone(ctx.procs, [...account, '--register', '1', '--timeout', '10'], { name: 'phone-403', timeoutMs: 15000 });
    assert.equal(forbidden.code, 3, forbidden.out);
    assert.match(forbidden.result, /SIP registration failed: .*403/, forbidden.out);
    assert.ok(forbidden.lines.includes('session ESTABLISHED'), forbidden.out);
    await registrar.result(10000);

    const usage = await runPhone(ctx.procs, ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--call', '1', '--answer'], { name: 'phone-usage', timeoutMs: 5000 });
    assert.equal(usage.code, 1, usage.out);
    assert.match(usage.out, /--call and --answer exclude each other/, usage.out);

    const nobody = await runPhone(ctx.procs, ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK,
      '--register', '0', '--answer', '--timeout', '1'], { name: 'phone-nocall', timeoutMs: 5000 });
    assert.equal(nobody.code, 7, nobody.out);
    assert.ok(nobody.elapsedMs < 4000, `gave up after ${nobody.elapsedMs} ms`);

    const busyPhone = await startSipp(ctx.procs, { scenario: 'uas_busy.xml', port: ports.peer2, service: '2000' });
    const busy = await runPhone(ctx.procs, ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK,
      '--outbound-proxy', LOOPBACK, '--port', String(ports.peer2), '--register', '0', '--call', '2000', '--silence', '--timeout', '10'], { name: 'phone-busy', timeoutMs: 15000 });
    assert.equal(busy.code, 5, busy.out);
    assert.match(busy.result, /^result 5 BUSY 486/, busy.out);
    await busyPhone.result(10000);
    assertRunning(callgate);
  });
});
