// End to end in callgate's local SIP domain, no PBX: a real softphone, baresip (1001), and a
// Web SDK page (1000) both register to callgate's own registrar (127.0.0.1:5070; the page
// through callgate's gateway). baresip calls the page: INCOMING_CALL (caller 1001), answer,
// two-way audio (browser getStats; baresip decoded the browser's beep), baresip hangs up ->
// FINISH. Then the page calls baresip (auto answer): ESTABLISHED, two-way audio, the page
// hangs up -> baresip CALL_CLOSED. Both INVITEs crossed callgate's proxy after a 407.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, receivedAudioLevel, startBaresip } from '../lib/baresip.mjs';
import {
  assertTwoWayAudio, installCallApi, waitCallEvent, waitCallTerminal, waitIncomingCall, waitPageEvent,
} from '../lib/e2e.mjs';
import { DOMAIN_PROXY, domainAccount, startDomainStack } from '../lib/local_domain.mjs';

const first = (s) => s.split('\r\n')[0];

test('e2e local domain: baresip and a browser registered to callgate call each other', async () => {
  const ctx = testContext('e2e_domain_baresip');
  await ctx.run(async () => {
    const { callgate, page } = await startDomainStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), domainAccount('1000'));
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const phone = await startBaresip(ctx.procs, { user: '1001', proxy: DOMAIN_PROXY });
    ctx.onCleanup(() => phone.close());
    let trace = baresipSipTrace(phone);
    assert.ok(trace.some((m) => m.dir === 'received' && /^SIP\/2\.0 401/.test(m.text)), 'baresip was challenged (401)');

    // 1. baresip calls the browser.
    const dial = await phone.dial('sip:1000@127.0.0.1');
    assert.ok(dial.ok, `baresip dial: ${JSON.stringify(dial)}`);
    const inc = await waitIncomingCall(page, 15000);
    assert.equal(inc.caller, '1001', `INCOMING_CALL caller: ${JSON.stringify(inc)}`);
    await page.evaluate(() => window.cgx.answer());
    await waitCallEvent(page, 'ESTABLISHED', 15000, inc.callId);
    await phone.waitEvent('CALL_ESTABLISHED', 10000);
    await assertTwoWayAudio(page);
    await sleep(1000);
    const rx = receivedAudioLevel(phone);
    console.log(`baresip received audio: ${JSON.stringify(rx)}`);
    assert.ok(rx.peak > 1000 && rx.loudRatio > 0.01, `baresip heard the browser: ${JSON.stringify(rx)}`);
    const hang = await phone.hangup();
    assert.ok(hang.ok, `baresip hangup: ${JSON.stringify(hang)}`);
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await phone.waitEvent('CALL_CLOSED', 5000);

    trace = baresipSipTrace(phone);
    const flow = () => trace.map((m) => `${m.dir}: ${first(m.text)}`).join('\n');
    assert.ok(trace.some((m) => m.dir === 'received' && /^SIP\/2\.0 407/.test(m.text)), `baresip's INVITE was challenged:\n${flow()}`);
    assert.ok(trace.some((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ BYE/im.test(m.text)),
      `baresip's BYE got a 200:\n${flow()}`);

    // 2. The browser calls baresip (auto answer after the first call is over).
    const accepted = phone.eventsOf('CALL_ESTABLISHED').length;
    const outId = await page.evaluate(() => window.cgx.call('1001'));
    const incoming = await phone.waitEvent('CALL_INCOMING', 15000);
    assert.ok(incoming, 'baresip rings');
    const acc = await phone.accept();
    assert.ok(acc.ok, `baresip accept: ${JSON.stringify(acc)}`);
    await waitCallEvent(page, 'ESTABLISHED', 15000, outId);
    await phone.waitEvent('CALL_ESTABLISHED', 10000, accepted + 1);
    await assertTwoWayAudio(page);
    await page.evaluate(() => window.cgx.hangup());
    const term2 = await waitCallTerminal(page, 10000);
    assert.equal(term2.status, 'FINISH', `terminal status ${JSON.stringify(term2)}`);
    await phone.waitEvent('CALL_CLOSED', 5000, 2);

    trace = baresipSipTrace(phone);
    const invite = trace.find((m) => m.dir === 'received' && /^INVITE /.test(m.text));
    assert.ok(invite, `baresip got an INVITE:\n${flow()}`);
    assert.match(invite.text, /^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:5070;branch=z9hG4bKcgld/im, 'the INVITE came through the domain proxy');
    assert.match(callgate.log(), /local SIP domain 127\.0\.0\.1 on 127\.0\.0\.1:5070, 4 users/);
    assertRunning(callgate);
  });
});
