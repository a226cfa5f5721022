// End to end, browser to browser: two Web SDK pages (one Chromium, two contexts) register 1000
// and 1001 through the same callgate at Kamailio. Page 1000 calls 1001: the INVITE leaves
// callgate, is authenticated and routed by Kamailio, and comes back into callgate as an
// incoming call for page 1001 (INCOMING_CALL, caller 1000), which answers -> ESTABLISHED on
// both pages; each page hears the other's fake microphone (getStats packets both ways, inbound
// energy > 0 on both); page 1000 hangs up -> FINISH on both pages. The ACK and the BYE follow
// Kamailio's Record-Route (they must pass through Kamailio, not go straight back into callgate).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import path from 'node:path';
import { assertRunning, readText, testContext } from '../lib/callgate.mjs';
import {
  E2E, assertTwoWayAudio, e2eAccount, installCallApi, openTestPage, startE2eStack, waitCallEvent, waitCallTerminal,
  waitIncomingCall, waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';
import { LOOPBACK } from '../lib/procs.mjs';

test('e2e: two Web SDK clients on one callgate call each other through Kamailio', async () => {
  const ctx = testContext('e2e_two_clients');
  await ctx.run(async () => {
    const { callgate, page: a } = await startE2eStack(ctx);
    const second = await openTestPage(ctx.dir, `http://${LOOPBACK}:${E2E.http}/`, { browser: a.context().browser(), logName: 'browser-1001.log' });
    ctx.onCleanup(() => second.close());
    const b = second.page;

    await a.evaluate((o) => window.cg.connect(o), e2eAccount());
    await b.evaluate((o) => window.cg.connect(o), e2eAccount({ login: '1001', authName: '1001' }));
    await installCallApi(a);
    await installCallApi(b);
    await waitPageEvent(a, 'session', 'REGISTERED', 10000);
    await waitPageEvent(b, 'session', 'REGISTERED', 10000);

    const outId = await a.evaluate(() => window.cgx.call('1001'));
    const inc = await waitIncomingCall(b, 15000);
    assert.equal(inc.caller, '1000', `INCOMING_CALL caller: ${JSON.stringify(inc)}`);
    await waitCallEvent(b, 'RING', 10000, inc.callId);
    await waitCallEvent(a, 'RING', 10000, outId);
    await b.evaluate(() => window.cgx.answer());
    await waitCallEvent(b, 'ESTABLISHED', 15000, inc.callId);
    await waitCallEvent(a, 'ESTABLISHED', 15000, outId);

    console.log('caller 1000:');
    await assertTwoWayAudio(a);
    console.log('callee 1001:');
    await assertTwoWayAudio(b);

    await a.evaluate(() => window.cgx.hangup());
    const ta = await waitCallTerminal(a, 10000);
    assert.equal(ta.status, 'FINISH', `caller terminal status ${JSON.stringify(ta)}`);
    const tb = await waitCallTerminal(b, 10000);
    assert.equal(tb.status, 'FINISH', `callee terminal status ${JSON.stringify(tb)}`);

    // Kamailio record-routed the INVITE, so the in-dialog ACK and BYE must go through it too
    // (RFC 3261 12.1.1 / 12.2.1.1), not straight from callgate to its own Contact.
    const kamLog = () => readText(path.join(ctx.dir, 'kamailio.log'));
    await waitUntil(() => /request BYE sip:\S+ from 127\.0\.0\.1:5080/.test(kamLog()), 3000, 'the BYE through Kamailio').catch((err) => {
      throw new Error(`${err.message}; Kamailio saw: ${kamLog().split('\n').filter((l) => l.includes('request ')).map((l) => l.replace(/.*<script>: /, '')).join(' | ')}`);
    });
    assert.match(kamLog(), /request ACK sip:\S+ from 127\.0\.0\.1:5080/, 'the ACK went through Kamailio (route set)');
    assertRunning(callgate);
  });
});
