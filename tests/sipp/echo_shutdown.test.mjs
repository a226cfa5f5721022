// Calls to `echo` from a WCS client (node, no browser, not registered) go to callgate's own
// echo endpoint, and shutdown is orderly with echo calls open:
//  - call `echo` -> TRYING, ESTABLISHED (answered by the echo endpoint over SIP on loopback);
//    the client's hangup -> FINISH, and the echo endpoint saw the BYE;
//  - a second call to `echo`, then SIGTERM -> callgate exits 0 within 5 s, and the echo
//    endpoint answered the worker's BYE before it stopped (its call ended "caller hung up").
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { portPlan, readText, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, waitUntil } from '../lib/procs.mjs';
import { NO_BROWSER_ARGS, sipAccount } from '../lib/sipp_tests.mjs';
import { WcsClient } from '../lib/wcs_client.mjs';

const ports = portPlan(78);
const ended = (log) => (log.match(/echo: call \d+ .*finished: caller hung up/g) ?? []).length;

test('calls to echo reach the echo endpoint; SIGTERM with an echo call open exits 0', async () => {
  const ctx = testContext('echo_shutdown');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, NO_BROWSER_ARGS);
    const logFile = path.join(ctx.dir, 'callgate.log');
    const client = await WcsClient.openWhenReady(`ws://${LOOPBACK}:${ports.ws}`, 10000);
    ctx.onCleanup(() => client.close());
    // The outbound proxy is a port where nobody listens: only the echo routing can answer.
    client.sendConnection(sipAccount(ports, { sipDomain: 'example.com', sipPort: String(ports.peer) }));
    await client.waitFor({ message: 'getUserData' }, 5000);

    const first = client.call({ callee: 'echo' });
    await client.waitForCall(first.callId, 'ESTABLISHED', 8000);
    client.hangup(first.callId);
    const term = await client.waitForTerminal(first.callId, 5000);
    assert.equal(term.status, 'FINISH', `FINISH after hangup: ${client.summary()}`);
    await waitUntil(() => ended(readText(logFile)) === 1, 5000, 'the echo endpoint saw the BYE');
    assert.match(readText(logFile), /call to echo: INVITE to the echo endpoint at 127\.0\.0\.1:\d+/);
    assert.match(readText(logFile), /INVITE sip:echo@example\.com/);

    const second = client.call({ callee: 'echo' });
    await client.waitForCall(second.callId, 'ESTABLISHED', 8000);
    process.kill(callgate.pid, 'SIGTERM');
    const exit = await callgate.waitExit(5000);
    assert.equal(exit.code, 0, `exit status 0 (got ${JSON.stringify(exit)})`);
    assert.equal(ended(readText(logFile)), 2, 'the echo endpoint answered the BYE sent at shutdown');
  });
});
