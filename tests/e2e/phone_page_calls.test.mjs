// End to end, the phone page callgate serves itself (web/), driven only through its own
// fields and buttons in headless Chromium on a phone-sized screen, loaded from callgate's ws
// port (http://127.0.0.1:8080/):
//   disconnected (server URL prefilled with callgate's own) -> Connect -> REGISTERED;
//   Call 1001 with INVITE parameters {"X-Page": "yes"} (the phone checks the header) -> RING
//   (the phone rings 2.5 s) -> ESTABLISHED, the remote audio meter moves (echoed audio);
//   DTMF pad 1 2 # -> the phone's RTP port decodes exactly "12#" (RFC 4733);
//   Mute -> the microphone meter drops to silence, Unmute; Hold -> HOLD, Unhold -> ESTABLISHED;
//   Hangup -> FINISH. Then a phone calls 1000: "Incoming call from '1001'" -> Answer ->
//   ESTABLISHED with remote audio -> Hangup; and again -> Hangup on the prompt -> 486 at the phone.
// Screenshots of disconnected, registered, ringing, in call and incoming call go into the
// test's folder, each checked (PNG with content, the expected text visible).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { E2E, e2eCallgatePorts, startCallingPhone, startRegisteredCallee, waitUntil } from '../lib/e2e.mjs';
import { startKamailio } from '../lib/kamailio.mjs';
import {
  PAGE_URL, docsImage, fillFields, maxLevel, openPhonePage, pageAccount, screenshotState, waitText,
} from '../lib/phone_page.mjs';
import { startRtpProbe } from '../lib/rtp_probe.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('phone page: register, call with hold/DTMF/mute, incoming answer and reject', async () => {
  const ctx = testContext('e2e_phone_page_calls');
  await ctx.run(async () => {
    const probe = await startRtpProbe({ port: 6100, eventPt: 101 });
    ctx.onCleanup(() => probe.close());
    await startKamailio(ctx.procs, E2E.kamailio);
    const callee = await startRegisteredCallee(ctx.procs, '../e2e/e2e_uas_phone_page.xml', { keys: { probe_port: probe.port } });
    const callgate = await startCallgate(ctx.procs, e2eCallgatePorts());
    const { page, pageErrors } = await openPhonePage(ctx);

    // Disconnected: the server URL is callgate's own, nothing to press but Connect.
    assert.equal(await page.inputValue('#urlServer'), `ws://127.0.0.1:${E2E.ws}`, 'server URL prefilled from the page location');
    assert.ok(await page.isEnabled('#connectBtn') && await page.isDisabled('#callBtn'), 'only Connect is possible');
    await fillFields(page, { ...pageAccount(), visibleName: 'Alice Page', callee: '1001' });
    await screenshotState(ctx, page, 'disconnected', { connectionStatus: /DISCONNECTED/, connectBtn: /Connect/ });

    await page.click('#connectBtn');
    await waitText(page, 'registrationStatus', /^REGISTERED$/, 10000);
    await waitText(page, 'connectionStatus', /ESTABLISHED/);
    assert.ok(await page.isEnabled('#callBtn'), 'Call enabled once registered');
    assert.ok(await page.isDisabled('#sipLogin'), 'account fields locked while connected');
    await screenshotState(ctx, page, 'registered', { registrationStatus: /REGISTERED/ });

    // Outgoing call with an INVITE parameter (the phone's scenario requires X-Page: yes).
    await page.click('#callOptions > summary');
    await page.fill('#inviteParams', '{"X-Page": "yes"}');
    assert.equal(await page.textContent('#inviteParamsError'), '', 'valid JSON: no complaint');
    await page.click('#callBtn');
    await waitText(page, 'callStatus', /^RING/, 10000);
    await screenshotState(ctx, page, 'ringing', { callStatus: /RING/, hangupBtn: /Hangup/ });
    await waitText(page, 'callStatus', /^ESTABLISHED$/, 15000);
    await waitUntil(() => page.evaluate(() => window.phone.levels.remotePeak > 0.003), 15000, 'the remote audio meter moves (echoed audio)', 200)
      .catch(async (err) => { throw new Error(`${err.message}: ${JSON.stringify(await page.evaluate(() => window.phone.levels))}`); });
    assert.ok(await page.evaluate(() => Number(document.getElementById('remoteLevel').value) > 0 || window.phone.levels.remotePeak > 0), 'remote meter shows a level');
    await page.click('#callOptions > summary'); // fold the options again for the picture
    await screenshotState(ctx, page, 'in-call', { callStatus: /^ESTABLISHED$/, holdBtn: /^Hold$/, muteBtn: /^Mute$/ },
      { copyTo: docsImage('phone-in-call.png') });

    // DTMF pad -> RFC 4733 events at the phone's RTP port.
    for (const d of ['1', '2', '#']) {
      await page.click(`#dtmfPad button[data-digit="${d}"]`);
      await sleep(400);
    }
    await waitUntil(() => probe.digits() === '12#' && probe.events().every((e) => e.endPackets > 0), 8000,
      'digits 1 2 # at the phone', 100).catch((err) => { throw new Error(`${err.message}; got '${probe.digits()}'`); });
    assert.equal(await page.textContent('#dtmfSent'), '12#');

    // Mute: the microphone meter (WebAudio on the local stream) goes silent; unmute.
    const before = await maxLevel(page, 'local', 2000);
    assert.ok(before > 0.001, `microphone meter moves before mute (${before})`);
    await page.click('#muteBtn');
    assert.equal(await page.getAttribute('#muteBtn', 'aria-pressed'), 'true');
    assert.equal((await page.textContent('#muteBtn')).trim(), 'Unmute');
    await sleep(300);
    const muted = await maxLevel(page, 'local', 2000);
    assert.ok(muted < 0.0005, `microphone meter silent while muted (${muted}, was ${before})`);
    await page.click('#muteBtn');
    assert.equal(await page.getAttribute('#muteBtn', 'aria-pressed'), 'false');

    // Hold / unhold through the phone's re-INVITE answers.
    await page.click('#holdBtn');
    await waitText(page, 'callStatus', /^HOLD$/, 10000);
    await waitText(page, 'holdBtn', /^Unhold$/);
    await page.click('#holdBtn');
    await waitText(page, 'callStatus', /^ESTABLISHED$/, 10000);
    await waitText(page, 'holdBtn', /^Hold$/);

    await page.click('#hangupBtn');
    await waitText(page, 'callStatus', /^FINISH/, 10000);
    await expectSippSuccess(callee, 15000); // X-Page seen, hold + unhold re-INVITEs, BYE
    assert.ok(await page.isEnabled('#callBtn'), 'ready for the next call');

    // Incoming call: the prompt, Answer, audio, Hangup.
    const phone = await startCallingPhone(ctx.procs, { scenario: 'e2e_uac_call_answered.xml', mediaPort: 6200 });
    await waitText(page, 'incomingText', /^Incoming call from '1001'/, 15000);
    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 5000 });
    await screenshotState(ctx, page, 'incoming', { incomingText: /Incoming call from '1001'/, answerBtn: /Answer/, rejectBtn: /Hangup/ });
    await page.click('#answerBtn');
    await waitText(page, 'callStatus', /^ESTABLISHED$/, 15000);
    assert.ok(await page.locator('#incoming').isHidden(), 'the prompt goes away once answered');
    await waitUntil(() => page.evaluate(() => window.phone.levels.remotePeak > 0.003), 15000, 'remote audio on the incoming call', 200);
    await page.click('#hangupBtn');
    await waitText(page, 'callStatus', /^FINISH/, 10000);
    await expectSippSuccess(phone, 15000);

    // Incoming call rejected from the prompt -> 486 at the phone.
    const rejected = await startCallingPhone(ctx.procs, { scenario: 'e2e_uac_call_rejected.xml', name: 'sipp-phone-reject', mediaPort: 6200 });
    await waitText(page, 'incomingText', /^Incoming call from '1001'/, 15000);
    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 5000 });
    await page.click('#rejectBtn');
    await waitText(page, 'callStatus', /^FINISH/, 10000);
    assert.ok(await page.locator('#incoming').isHidden(), 'the prompt goes away once rejected');
    await expectSippSuccess(rejected, 15000); // got 486 Busy Here, ACKed

    await page.click('#disconnectBtn');
    await waitText(page, 'connectionStatus', /DISCONNECTED/, 10000);
    assert.deepEqual(pageErrors, [], 'no page errors');
    assert.ok(PAGE_URL.endsWith(`:${E2E.ws}/`));
    assertRunning(callgate);
  });
});
