// End to end in callgate's local SIP domain, no PBX: two Web SDK pages register 1000 and 1001
// to callgate's own registrar (through callgate's gateway, sipPort 5070). 1000 calls 1001: the
// INVITE leaves callgate's gateway, is challenged (407) and forwarded by callgate's proxy to
// 1001's binding — callgate's gateway again — which rings page 1001 (INCOMING_CALL, caller
// 1000); answer -> ESTABLISHED on both, audio both ways; hold from 1000 -> HOLD, unhold ->
// ESTABLISHED; DTMF 1000 -> 1001 as RFC 4733 events (logged per digit on 1001's call) and as
// SIP INFO; 1000 hangs up -> FINISH on both. SIGTERM then un-REGISTERs both at the domain and
// callgate exits 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, installCallApi, openTestPage, waitCallEvent, waitCallTerminal, waitIncomingCall, waitPageEvent,
  waitUntil,
} from '../lib/e2e.mjs';
import { domainAccount, startDomainStack } from '../lib/local_domain.mjs';

test('e2e local domain: two browsers registered to callgate call each other', async () => {
  const ctx = testContext('e2e_domain_two_clients');
  await ctx.run(async () => {
    const { callgate, page: a, http } = await startDomainStack(ctx);
    const second = await openTestPage(ctx.dir, http.url, { browser: a.context().browser(), logName: 'browser-1001.log' });
    ctx.onCleanup(() => second.close());
    const b = second.page;

    await a.evaluate((o) => window.cg.connect(o), domainAccount('1000'));
    await b.evaluate((o) => window.cg.connect(o), domainAccount('1001'));
    await installCallApi(a);
    await installCallApi(b);
    await waitPageEvent(a, 'session', 'REGISTERED', 10000);
    await waitPageEvent(b, 'session', 'REGISTERED', 10000);

    const outId = await a.evaluate(() => window.cgx.call('1001'));
    const inc = await waitIncomingCall(b, 15000);
    assert.equal(inc.caller, '1000', `INCOMING_CALL caller: ${JSON.stringify(inc)}`);
    await waitCallEvent(a, 'RING', 10000, outId);
    await b.evaluate(() => window.cgx.answer());
    await waitCallEvent(b, 'ESTABLISHED', 15000, inc.callId);
    await waitCallEvent(a, 'ESTABLISHED', 15000, outId);
    console.log('caller 1000:');
    await assertTwoWayAudio(a);
    console.log('callee 1001:');
    await assertTwoWayAudio(b);

    // Hold and unhold from the caller (re-INVITEs go UA to UA: no Record-Route).
    await a.evaluate(() => window.cgx.hold());
    await waitCallEvent(a, 'HOLD', 10000, outId);
    await a.evaluate(() => window.cgx.unhold());
    await waitCallEvent(a, 'ESTABLISHED', 10000, outId, 2);
    await assertTwoWayAudio(b);

    // DTMF: RFC 4733 events reach 1001's SIP leg (logged per digit), then SIP INFO.
    await a.evaluate(() => window.cgx.sendDTMF('12#', 'RFC2833'));
    const rfc4733 = (d) => `call ${inc.callId}: DTMF '${d}' from SIP (RFC 4733)`;
    await waitUntil(() => ['1', '2', '#'].every((d) => callgate.log().includes(rfc4733(d))), 10000,
      'the callee leg saw DTMF 1, 2, # (RFC 4733)', 200);
    await a.evaluate(() => window.cgx.sendDTMF('5', 'INFO'));
    await waitUntil(() => callgate.log().includes(`call ${inc.callId}: the SIP side sent DTMF '5' (SIP INFO)`), 10000,
      'the callee leg got DTMF 5 as SIP INFO', 200);

    await a.evaluate(() => window.cgx.hangup());
    const ta = await waitCallTerminal(a, 10000);
    assert.equal(ta.status, 'FINISH', `caller terminal status ${JSON.stringify(ta)}`);
    const tb = await waitCallTerminal(b, 10000);
    assert.equal(tb.status, 'FINISH', `callee terminal status ${JSON.stringify(tb)}`);
    await sleep(200);
    assert.match(callgate.log(), /localdomain: forward INVITE sip:1001@127\.0\.0\.1:5080/, 'the INVITE crossed the domain proxy');
    assertRunning(callgate);

    // SIGTERM: the workers un-REGISTER both pages at the local domain, which stops last and
    // still answers them, so callgate exits 0 at once.
    process.kill(callgate.pid, 'SIGTERM');
    const exit = await callgate.waitExit(5000);
    assert.equal(exit.code, 0, `exit status 0 (got ${JSON.stringify(exit)})`);
    for (const user of ['1000', '1001']) {
      assert.match(callgate.log(), new RegExp(`REGISTER <sip:${user}@127\\.0\\.0\\.1> from 127\\.0\\.0\\.1:5080: 0 binding`),
        `${user} un-REGISTERed at the domain on shutdown`);
    }
  });
});
