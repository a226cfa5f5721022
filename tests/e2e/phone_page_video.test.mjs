// End to end, the phone page (web/, served by callgate) with video and device choice, driven
// through its own controls: the microphone and camera lists are filled from the browser's
// devices (Chromium's fake ones); the Video option with a chosen camera calls 1001 (a sipp
// phone answering PCMU + VP8 and echoing both, e2e_uas_video.xml) -> ESTABLISHED, the video
// tiles appear and the remote tile plays the echoed video (frames of real size, time
// advancing); switching the microphone in the call keeps the microphone meter moving and shows
// no error; Hangup -> FINISH, the tiles go away. Screenshot of the video call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { E2E, e2eCallgatePorts, startRegisteredCallee, waitUntil } from '../lib/e2e.mjs';
import { startKamailio } from '../lib/kamailio.mjs';
import { fillFields, maxLevel, openPhonePage, pageAccount, screenshotState, waitText } from '../lib/phone_page.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('phone page: video call with chosen camera and microphone, video tiles', async () => {
  const ctx = testContext('e2e_phone_page_video');
  await ctx.run(async () => {
    await startKamailio(ctx.procs, E2E.kamailio);
    const callee = await startRegisteredCallee(ctx.procs, '../e2e/e2e_uas_video.xml');
    const callgate = await startCallgate(ctx.procs, e2eCallgatePorts());
    const { page, pageErrors } = await openPhonePage(ctx);

    await page.click('#callOptions > summary');
    await waitUntil(() => page.evaluate(() => document.getElementById('micSelect').options.length > 0 &&
      document.getElementById('camSelect').options.length > 0), 10000, 'device lists filled', 200);
    const mics = await page.evaluate(() => [...document.getElementById('micSelect').options].map((o) => o.value));
    const cams = await page.evaluate(() => [...document.getElementById('camSelect').options].map((o) => o.value));
    const labels = await page.evaluate(() => [...document.querySelectorAll('#micSelect option, #camSelect option')].map((o) => o.textContent));
    console.log(`microphones ${mics.length}, cameras ${cams.length}: ${labels.join(', ')}`);
    assert.ok(!labels.some((l) => /output/i.test(l)), `no speakers among microphones and cameras: ${labels}`);
    await page.selectOption('#camSelect', cams[cams.length - 1]);
    await page.selectOption('#micSelect', mics[0]);
    await fillFields(page, { ...pageAccount(), callee: '1001', videoCall: true });

    await page.click('#connectBtn');
    await waitText(page, 'registrationStatus', /^REGISTERED$/, 10000);
    await page.click('#callBtn');
    await waitText(page, 'callStatus', /^ESTABLISHED$/, 20000);

    await page.locator('#videoTiles').waitFor({ state: 'visible', timeout: 10000 });
    const remoteVideo = () => page.evaluate(() => {
      const v = document.querySelector('#remoteVideo video');
      return v ? { w: v.videoWidth, h: v.videoHeight, t: v.currentTime } : null;
    });
    let first = null;
    await waitUntil(async () => {
      first = await remoteVideo();
      return first && first.w > 0 && first.h > 0 && first.t > 0;
    }, 20000, 'the remote tile plays video', 300).catch((err) => { throw new Error(`${err.message}: ${JSON.stringify(first)}`); });
    await sleep(1000);
    const later = await remoteVideo();
    assert.ok(later.t > first.t, `remote video keeps playing: ${JSON.stringify(first)} -> ${JSON.stringify(later)}`);
    const localTrack = await page.evaluate(() => {
      const v = document.querySelector('#localVideo video');
      const t = v && v.srcObject && v.srcObject.getVideoTracks()[0];
      return t ? t.getSettings().deviceId : null;
    });
    assert.equal(localTrack, cams[cams.length - 1], 'the chosen camera is used');
    await page.click('#callOptions > summary'); // fold for the picture
    await screenshotState(ctx, page, 'video', { callStatus: /^ESTABLISHED$/, videoTiles: /^\s*$/ });

    // Switch the microphone in the call (the last one offered; the same one if only one).
    await page.click('#callOptions > summary');
    await page.selectOption('#micSelect', mics[mics.length - 1]);
    await sleep(500);
    const level = await maxLevel(page, 'local', 2500);
    assert.ok(level > 0.001, `microphone meter moves after switching (${level})`);
    assert.equal(await page.textContent('#message'), '', 'no error after switching the microphone');

    await page.click('#hangupBtn');
    await waitText(page, 'callStatus', /^FINISH/, 10000);
    await page.locator('#videoTiles').waitFor({ state: 'hidden', timeout: 5000 });
    await expectSippSuccess(callee, 15000);
    assert.deepEqual(pageErrors, [], 'no page errors');
    assertRunning(callgate);
  });
});
