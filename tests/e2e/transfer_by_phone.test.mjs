// End to end, the phone transfers the browser (callgate is the transferee, RFC 3515/5589):
// the page (1000) calls 1001, a sipp phone behind Kamailio; 3 s after the ACK 1001 REFERs the
// call to 1002 (another sipp phone registered at Kamailio, echoing RTP). callgate answers 202,
// NOTIFYs "100 Trying", INVITEs 1002 through Kamailio with its current SIP-side SDP, and once
// 1002 answers NOTIFYs "200 OK" and BYEs 1001. The page sees ESTABLISHED again (callgate's
// info says "Transferred to ..."; the Web SDK does not expose it), without renegotiation, and
// hears 1002's echo: inbound audio keeps growing although 1001 (whose echo only returns what
// callgate sends it) gets nothing any more. The page hangs up -> BYE to 1002, FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  assertTwoWayAudio, audioStats, e2eAccount, installCallApi, pageEvents, startE2eStack, startTransferTarget,
  waitCallEvent, waitCallTerminal, waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e: the phone transfers the browser to another phone (REFER honoured)', async () => {
  const ctx = testContext('e2e_transfer_by_phone');
  await ctx.run(async () => {
    const { callee, callgate, page } = await startE2eStack(ctx, { calleeScenario: '../e2e/e2e_uas_refer.xml' });
    const target = await startTransferTarget(ctx.procs);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    await waitCallEvent(page, 'ESTABLISHED', 20000, callId);
    await assertTwoWayAudio(page);

    // The transfer: 1001's dialog is done (REFER, NOTIFY 100 and 200, our BYE) ...
    const r1 = await expectSippSuccess(callee, 25000);
    assert.equal(r1.parsed.filter((m) => m.dir === 'received' && /^NOTIFY /.test(m.text)).length, 2, `two NOTIFYs:\n${r1.flow}`);
    // ... and the page is told, with the same call and no new SDP.
    await waitCallEvent(page, 'ESTABLISHED', 10000, callId, 2);
    const events = (await pageEvents(page)).filter((e) => e.kind === 'call');

    // Audio now comes from 1002's echo only.
    const before = await audioStats(page);
    await waitUntil(async () => (await audioStats(page)).packetsReceived >= before.packetsReceived + 50, 8000,
      'inbound audio from the transfer target', 250)
      .catch(async (err) => {
        throw new Error(`${err.message}; stats ${JSON.stringify(await audioStats(page))} (after transfer ${JSON.stringify(before)})`);
      });
    await assertTwoWayAudio(page);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    const r2 = await expectSippSuccess(target, 15000); // INVITE from callgate, ACK, BYE
    const invite = r2.parsed.find((m) => m.dir === 'received' && /^INVITE /.test(m.text));
    assert.match(invite.text, /^m=audio [1-9]\d* RTP\/AVP/m, 'callgate offered plain RTP to the target');
    const statuses = events.map((e) => e.status).concat(['FINISH']);
    assert.deepEqual(statuses.filter((s) => ['ESTABLISHED', 'HOLD', 'FINISH', 'FAILED'].includes(s)),
      ['ESTABLISHED', 'ESTABLISHED', 'FINISH'], `call statuses: ${statuses}`);
    assertRunning(callgate);
  });
});
