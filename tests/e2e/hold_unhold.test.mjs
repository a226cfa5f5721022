// End to end, hold and resume from the Web SDK (protocol 4.7): the page (1000) calls 1001, a
// sipp phone behind Kamailio that echoes RTP and answers re-INVITEs as RFC 3264 8.4 wants
// (a=sendonly offer -> a=recvonly answer, a=sendrecv -> a=sendrecv). After two-way audio:
// call.hold() -> HOLD, and the browser's inbound audio stops (getStats packetsReceived grows by
// at most a couple of in-flight packets over 1.5 s); call.unhold() -> ESTABLISHED again and
// inbound audio with energy flows again; hangup -> FINISH, the phone got the BYE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, audioStats, e2eAccount, installCallApi, pageEvents, startE2eStack, waitCallEvent, waitCallTerminal,
  waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e: hold stops inbound audio, unhold resumes it', async () => {
  const ctx = testContext('e2e_hold_unhold');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: '../e2e/e2e_uas_hold.xml' });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    await waitCallEvent(page, 'ESTABLISHED', 20000, callId);
    await assertTwoWayAudio(page);

    await page.evaluate(() => window.cgx.hold());
    await waitCallEvent(page, 'HOLD', 10000, callId);
    await sleep(500); // packets already in flight
    const h1 = await audioStats(page);
    await sleep(1500);
    const h2 = await audioStats(page);
    const heldDelta = h2.packetsReceived - h1.packetsReceived;
    console.log(`held: inbound ${h1.packetsReceived} -> ${h2.packetsReceived}, outbound ${h1.packetsSent} -> ${h2.packetsSent}`);
    assert.ok(heldDelta <= 2, `no inbound audio while held: ${heldDelta} packets in 1.5 s (${JSON.stringify(h1)} -> ${JSON.stringify(h2)})`);
    let statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.equal(statuses.filter((s) => s === 'ESTABLISHED').length, 1, `still held: ${statuses}`);

    await page.evaluate(() => window.cgx.unhold());
    await waitCallEvent(page, 'ESTABLISHED', 10000, callId, 2);
    const u1 = await audioStats(page);
    const u2 = await waitUntil(async () => {
      const s = await audioStats(page);
      return s.packetsReceived >= u1.packetsReceived + 25 ? s : null;
    }, 8000, 'inbound audio again after unhold', 250).catch(async (err) => {
      throw new Error(`${err.message}; stats ${JSON.stringify(await audioStats(page))} (at unhold ${JSON.stringify(u1)})`);
    });
    console.log(`resumed: inbound ${u1.packetsReceived} -> ${u2.packetsReceived}`);
    assert.ok(u2.totalAudioEnergy > h2.totalAudioEnergy, `echoed audio energy grows again after unhold: ${JSON.stringify(h2)} -> ${JSON.stringify(u2)}`);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const r = await expectSippSuccess(callee, 15000); // hold, unhold re-INVITEs, BYE
    const reinvites = r.parsed.filter((m) => m.dir === 'received' && /^INVITE /.test(m.text)).slice(1);
    assert.equal(reinvites.length, 2, `two re-INVITEs:\n${r.flow}`);
    assert.match(reinvites[0].text, /^a=(sendonly|inactive)\s*$/m, 'hold offer is sendonly (or inactive)');
    assert.match(reinvites[1].text, /^a=sendrecv\s*$/m, 'unhold offer is sendrecv');
    statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.deepEqual(statuses.filter((s) => ['ESTABLISHED', 'HOLD', 'FINISH'].includes(s)), ['ESTABLISHED', 'HOLD', 'ESTABLISHED', 'FINISH'], `call statuses: ${statuses}`);
    assertRunning(callgate);
  });
});
