// End to end with a real SIP phone: the Web SDK page (1000, registered through callgate)
// calls 1001, a baresip registered at Kamailio (manual answer mode). baresip reports
// CALL_INCOMING from 1000 and accepts through its control channel; the page gets ESTABLISHED
// and baresip CALL_ESTABLISHED; audio flows both ways: the browser receives packets with
// energy (baresip's 440 Hz tone) and sends packets, and the audio baresip decoded (sndfile
// dump) is not silence (Chromium's fake microphone beeps). The page hangs up -> FINISH,
// baresip gets the BYE (CALL_CLOSED) and answers it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, receivedAudioLevel, startBaresip } from '../lib/baresip.mjs';
import {
  assertTwoWayAudio, e2eAccount, installCallApi, pageEvents, startE2eStack, waitCallEvent, waitCallTerminal, waitPageEvent,
} from '../lib/e2e.mjs';

test('e2e baresip: the browser calls a real phone, two-way audio, the browser hangs up', async () => {
  const ctx = testContext('e2e_browser_calls_baresip');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    const phone = await startBaresip(ctx.procs, { user: '1001', answermode: 'manual' });
    ctx.onCleanup(() => phone.close());
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    const inc = await phone.waitEvent('CALL_INCOMING', 15000);
    assert.match(inc.peeruri ?? '', /^sip:1000@127\.0\.0\.1\b/, `baresip sees the call from 1000: ${JSON.stringify(inc)}`);
    await waitCallEvent(page, 'RING', 10000, callId); // baresip sent 180
    const acc = await phone.accept();
    assert.ok(acc.ok, `baresip accept: ${JSON.stringify(acc)}`);
    await waitCallEvent(page, 'ESTABLISHED', 15000, callId);
    const est = await phone.waitEvent('CALL_ESTABLISHED', 10000);
    assert.equal(est.direction, 'incoming', `baresip's call is incoming: ${JSON.stringify(est)}`);

    await assertTwoWayAudio(page);
    await sleep(1000);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const closed = await phone.waitEvent('CALL_CLOSED', 5000);
    console.log(`baresip CALL_CLOSED: ${JSON.stringify(closed)}`);

    const trace = baresipSipTrace(phone);
    const flow = trace.map((m) => `${m.dir}: ${m.text.split('\r\n')[0]}`).join('\n');
    assert.ok(trace.some((m) => m.dir === 'received' && /^BYE /.test(m.text)), `baresip got a BYE:\n${flow}`);
    assert.ok(trace.some((m) => m.dir === 'sent' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ BYE/im.test(m.text)),
      `baresip answered the BYE 200:\n${flow}`);
    // The INVITE baresip got is plain RTP/AVP with PCMU from callgate (no WebRTC attributes).
    const invite = trace.find((m) => m.dir === 'received' && /^INVITE /.test(m.text));
    assert.ok(invite, `baresip got an INVITE:\n${flow}`);
    assert.match(invite.text, /^m=audio [1-9]\d* RTP\/AVP( \d+)* 0\b/m, `INVITE offers PCMU on plain RTP:\n${invite.text}`);
    assert.ok(!/a=(fingerprint|ice-ufrag|candidate)/.test(invite.text), `no WebRTC attributes toward the phone:\n${invite.text}`);

    const rx = receivedAudioLevel(phone);
    console.log(`baresip received audio: ${JSON.stringify(rx)}`);
    assert.ok(rx.samples >= 8000 * 2, `baresip decoded at least 2 s of audio: ${JSON.stringify(rx)}`);
    assert.ok(rx.peak > 1000 && rx.loudRatio > 0.01, `baresip received audible audio from the browser: ${JSON.stringify(rx)}`);

    const statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.equal(statuses.filter((s) => s === 'FINISH').length, 1, `one FINISH: ${statuses}`);
    assertRunning(callgate);
  });
});
