// End to end with a real SIP phone: baresip (1001, registered at Kamailio, PCMU, plays a
// 440 Hz tone) dials 1000, whose Web SDK page is registered through callgate. The page gets
// INCOMING_CALL (caller 1001) and answers; baresip reports CALL_ESTABLISHED; audio flows both
// ways: the browser receives packets with energy (baresip's tone) and sends packets, and the
// audio baresip decoded (sndfile dump) is not silence (Chromium's fake microphone beeps).
// baresip hangs up -> the page gets FINISH, baresip CALL_CLOSED, and baresip's BYE got a 200.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, receivedAudioLevel, startBaresip } from '../lib/baresip.mjs';
import {
  assertTwoWayAudio, e2eAccount, installCallApi, pageEvents, startE2eStack, waitCallEvent, waitCallTerminal,
  waitIncomingCall, waitPageEvent,
} from '../lib/e2e.mjs';

test('e2e baresip: a real phone calls the browser, two-way audio, the phone hangs up', async () => {
  const ctx = testContext('e2e_baresip_calls_browser');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const phone = await startBaresip(ctx.procs, { user: '1001' });
    ctx.onCleanup(() => phone.close());
    const dial = await phone.dial('sip:1000@127.0.0.1');
    assert.ok(dial.ok, `baresip dial: ${JSON.stringify(dial)}`);

    const inc = await waitIncomingCall(page, 15000);
    assert.equal(inc.caller, '1001', `INCOMING_CALL caller: ${JSON.stringify(inc)}`);
    await page.evaluate(() => window.cgx.answer());
    await waitCallEvent(page, 'ESTABLISHED', 15000, inc.callId);
    const est = await phone.waitEvent('CALL_ESTABLISHED', 10000);
    assert.equal(est.direction, 'outgoing', `baresip's call is outgoing: ${JSON.stringify(est)}`);

    // Browser side: packets both ways, inbound energy (the tone), still flowing 1.5 s later.
    await assertTwoWayAudio(page);
    await sleep(1000);

    const closedBefore = phone.eventsOf('CALL_CLOSED').length;
    assert.equal(closedBefore, 0, `baresip call still up: ${phone.eventSummary()}`);
    const hang = await phone.hangup();
    assert.ok(hang.ok, `baresip hangup: ${JSON.stringify(hang)}`);
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await phone.waitEvent('CALL_CLOSED', 5000);

    // The phone's BYE was answered 200 (through Kamailio's route set).
    await sleep(300);
    const trace = baresipSipTrace(phone);
    const byeAnswered = trace.some((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ BYE/im.test(m.text));
    assert.ok(byeAnswered, `baresip's BYE got a 200:\n${trace.map((m) => `${m.dir}: ${m.text.split('\r\n')[0]}`).join('\n')}`);

    // Phone side: what baresip decoded from callgate is the browser's beep, not silence.
    const rx = receivedAudioLevel(phone);
    console.log(`baresip received audio: ${JSON.stringify(rx)}`);
    assert.ok(rx.samples >= 8000 * 2, `baresip decoded at least 2 s of audio: ${JSON.stringify(rx)}`);
    assert.ok(rx.peak > 1000 && rx.loudRatio > 0.01, `baresip received audible audio from the browser: ${JSON.stringify(rx)}`);

    const statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.equal(statuses.filter((s) => s === 'FINISH').length, 1, `one FINISH: ${statuses}`);
    assertRunning(callgate);
  });
});
