// The demo configuration scripts/run.sh starts (config/demo.toml), with this test's ports on
// top (flags win over the file): the local SIP domain is on with the four demo users, the echo
// endpoint is up and routed in the domain, and the phone page's /config.json prefills the
// domain, its port as outbound proxy port and `echo` — so a new user's first call works. A
// softphone (sipp) registers as 1001 / demo1001 (401, then 200).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, REPO_ROOT } from '../lib/procs.mjs';
import { startSipp } from '../lib/sipp.mjs';

const ports = portPlan(48);
const DOMAIN_PORT = ports.sip + 7;

test('config/demo.toml: local domain with demo users, echo, page defaults', async () => {
  const ctx = testContext('demo_config');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, [
      '--config', path.join(REPO_ROOT, 'config', 'demo.toml'), '--domain-port', String(DOMAIN_PORT)]);
    const log = callgate.log();
    assert.match(log, new RegExp(`local SIP domain 127\\.0\\.0\\.1 on 127\\.0\\.0\\.1:${DOMAIN_PORT}, 4 users`), 'the demo domain is on');
    assert.match(log, /local SIP domain 127\.0\.0\.1: user 'echo' routed to 127\.0\.0\.1:\d+/, 'echo is routed in the domain');

    const res = await fetch(`http://${LOOPBACK}:${ports.ws}/config.json`);
    assert.equal(res.status, 200);
    const defaults = await res.json();
    assert.deepEqual(defaults, {
      echoName: 'echo', registerRequired: true, sipDomain: '127.0.0.1', sipOutboundProxy: '127.0.0.1', sipPort: DOMAIN_PORT,
    }, `page defaults: ${JSON.stringify(defaults)}`);

    const reg = await startSipp(ctx.procs, {
      scenario: 'kam_register.xml',
      name: 'sipp-register-1001',
      port: ports.peer,
      remote: `${LOOPBACK}:${DOMAIN_PORT}`,
      service: '1001',
      auth: { user: '1001', password: 'demo1001' },
      keys: { contact: `${LOOPBACK}:${ports.peer2}` },
      timeoutSec: 10,
    });
    const r = await reg.result(15000);
    assert.equal(r.code, 0, `demo user 1001 registers to the demo domain (401 then 200):\n${r.errors}`);
    assertRunning(callgate);
  });
});
