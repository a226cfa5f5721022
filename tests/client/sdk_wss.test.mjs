// The C++ client SDK over wss: callgate serves wss with a self-signed certificate for
// 127.0.0.1 (made here with openssl). Certificate verification is on by default:
//  - without trusting the certificate the session FAILS at once with the TLS reason, exit 2;
//  - with --trust-cert cert.pem the session comes up and a call to echo is ESTABLISHED and
//    ends with FINISH, exit 0;
//  - trusting some other certificate does not make callgate's acceptable.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, waitForPort } from '../lib/procs.mjs';
import { runPhone } from '../lib/phone.mjs';

const ports = portPlan(84);
const WSS_PORT = ports.ws + 400;

function makeCert(dir, name, san) {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${san.split(':')[1]}`, '-addext', `subjectAltName=${san}`],
  { stdio: 'ignore' });
  return { cert, key };
}

test('SDK over wss: verification on by default, --trust-cert, another trusted cert does not help', async () => {
  const ctx = testContext('sdk_wss');
  await ctx.run(async () => {
    const good = makeCert(ctx.dir, 'server', `IP:${LOOPBACK}`);
    const other = makeCert(ctx.dir, 'other', 'DNS:other.example');
    const callgate = await startCallgate(ctx.procs, ports, ['--wss-port', String(WSS_PORT), '--tls-cert', good.cert, '--tls-key', good.key]);
    await waitForPort('tcp', WSS_PORT, 5000, callgate);
    const account = ['--url', `wss://${LOOPBACK}:${WSS_PORT}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0', '--timeout', '8'];

    const untrusted = await runPhone(ctx.procs, [...account, '--duration', '0'], { name: 'phone-untrusted', timeoutMs: 10000 });
    assert.equal(untrusted.code, 2, untrusted.out);
    assert.match(untrusted.result, /TLS handshake with 127\.0\.0\.1:\d+ failed: .*certificate verify failed \(self-signed certificate\)/, untrusted.out);

    const wrongName = await runPhone(ctx.procs, [...account, '--trust-cert', other.cert, '--duration', '0'], { name: 'phone-wrongname', timeoutMs: 10000 });
    assert.equal(wrongName.code, 2, wrongName.out);
    assert.match(wrongName.result, /TLS handshake.*certificate verify failed/, wrongName.out);

    const trusted = await runPhone(ctx.procs, [...account, '--trust-cert', good.cert, '--call', 'echo', '--duration', '1'], { name: 'phone-trusted', timeoutMs: 15000 });
    assert.equal(trusted.code, 0, trusted.out);
    const statuses = trusted.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    assert.ok(statuses.includes('ESTABLISHED'), trusted.out);
    assert.equal(statuses.at(-1), 'FINISH', trusted.out);
    assertRunning(callgate);
  });
});
