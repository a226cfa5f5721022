// End to end, the phone puts the browser on hold (protocol 3.7 "also when the SIP peer puts us
// on hold"): the page (1000) calls 1001, a sipp phone behind Kamailio that echoes RTP; 4 s
// after the ACK the phone re-INVITEs with a=sendonly through Kamailio's route set -> callgate
// answers a=recvonly and the page gets HOLD; 4 s later a=sendrecv -> ESTABLISHED again and the
// browser receives audio again; the page hangs up -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, audioStats, e2eAccount, installCallApi, pageEvents, startE2eStack, waitCallEvent, waitCallTerminal,
  waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e: phone holds and resumes -> HOLD, ESTABLISHED in the Web SDK', async () => {
  const ctx = testContext('e2e_hold_remote');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: '../e2e/e2e_uas_remote_hold.xml' });
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    await waitCallEvent(page, 'ESTABLISHED', 20000, callId);
    await waitCallEvent(page, 'HOLD', 15000, callId);
    await waitCallEvent(page, 'ESTABLISHED', 15000, callId, 2);
    const u1 = await audioStats(page);
    await waitUntil(async () => (await audioStats(page)).packetsReceived >= u1.packetsReceived + 25, 8000, 'inbound audio after the phone resumed', 250)
      .catch(async (err) => {
        throw new Error(`${err.message}; stats ${JSON.stringify(await audioStats(page))} (at resume ${JSON.stringify(u1)})`);
      });
    await assertTwoWayAudio(page);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const r = await expectSippSuccess(callee, 15000); // recvonly then sendrecv answers, BYE
    const oks = r.parsed.filter((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text));
    assert.equal(oks.length, 2, `200s for the phone's two re-INVITEs:\n${r.flow}`);
    assert.match(oks[0].text, /^a=recvonly\s*$/m, 'hold answered recvonly');
    assert.match(oks[1].text, /^a=sendrecv\s*$/m, 'resume answered sendrecv');
    const statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.deepEqual(statuses.filter((s) => ['ESTABLISHED', 'HOLD', 'FINISH'].includes(s)), ['ESTABLISHED', 'HOLD', 'ESTABLISHED', 'FINISH'], `call statuses: ${statuses}`);
    assertRunning(callgate);
  });
});
