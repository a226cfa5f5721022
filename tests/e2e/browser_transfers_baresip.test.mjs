// End to end, blind transfer initiated by the browser with a real phone as the transferee
// (RFC 3515, RFC 5589 §6): the page (1000) calls 1001, a baresip registered at Kamailio, which
// answers. The page calls transfer('1002') -> callgate REFERs baresip (Refer-To 1002 at the
// page's domain); baresip answers 202, calls 1002 (a sipp phone registered at Kamailio,
// echoing RTP) and NOTIFYs the outcome; on "200 OK" callgate tells the page (the Web SDK gets
// notifyTransferEvent COMPLETED) and ends the page's call: FINISH, BYE to baresip. baresip and
// 1002 are left in a call of their own; baresip hangs it up -> 1002 gets the BYE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, startBaresip } from '../lib/baresip.mjs';
import {
  assertTwoWayAudio, e2eAccount, installCallApi, pageEvents, startE2eStack, startTransferTarget, waitCallEvent,
  waitCallTerminal, waitPageEvent,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e baresip: the browser transfers a real phone to a third phone (REFER/NOTIFY)', async () => {
  const ctx = testContext('e2e_browser_transfers_baresip');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    const phone = await startBaresip(ctx.procs, { user: '1001', answermode: 'manual' });
    ctx.onCleanup(() => phone.close());
    const target = await startTransferTarget(ctx.procs);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const callId = await page.evaluate(() => window.cgx.call('1001'));
    await phone.waitEvent('CALL_INCOMING', 15000);
    const acc = await phone.accept();
    assert.ok(acc.ok, `baresip accept: ${JSON.stringify(acc)}`);
    await waitCallEvent(page, 'ESTABLISHED', 15000, callId);
    await assertTwoWayAudio(page);

    await page.evaluate(() => window.cgx.transfer('1002'));
    const term = await waitCallTerminal(page, 20000).catch((err) => {
      throw new Error(`${err.message}\nbaresip events: ${phone.eventSummary()}`);
    });
    assert.equal(term.status, 'FINISH', `the page's call ends once the transfer completed: ${JSON.stringify(term)}`);

    // baresip placed the new call to 1002 and is in it.
    const est = await phone.waitEvent('CALL_ESTABLISHED', 15000, 2).catch((err) => {
      throw new Error(`${err.message}\nbaresip events: ${phone.eventSummary()}`);
    });
    assert.match(est.peeruri ?? '', /^sip:1002@/, `baresip's second call is to 1002: ${JSON.stringify(est)}`);

    const trace = baresipSipTrace(phone);
    const flow = trace.map((m) => `${m.dir}: ${m.text.split('\r\n')[0]}`).join('\n');
    const refer = trace.find((m) => m.dir === 'received' && /^REFER /.test(m.text));
    assert.ok(refer, `baresip got a REFER:\n${flow}`);
    assert.match(refer.text, /^Refer-To:\s*<?sip:1002@127\.0\.0\.1/im, `Refer-To names 1002:\n${refer.text}`);
    assert.ok(trace.some((m) => m.dir === 'sent' && /^SIP\/2\.0 202/.test(m.text) && /^CSeq:\s*\d+ REFER/im.test(m.text)),
      `baresip accepted the REFER with 202:\n${flow}`);
    // baresip's trace leaves out bodies: the sipfrag is checked in callgate's log.
    const notifies = trace.filter((m) => m.dir === 'sent' && /^NOTIFY /.test(m.text));
    assert.ok(notifies.some((m) => /^Subscription-State:\s*terminated/im.test(m.text)),
      `baresip ended the refer subscription with a final NOTIFY:\n${flow}`);
    assert.ok(trace.some((m) => m.dir === 'sent' && /^INVITE sip:1002@/.test(m.text)), `baresip INVITEd 1002:\n${flow}`);

    const events = await pageEvents(page);
    const statuses = events.filter((e) => e.kind === 'call').map((e) => e.status);
    assert.equal(statuses.filter((s) => s === 'FINISH').length, 1, `one FINISH: ${statuses}`);
    assert.ok(!statuses.includes('FAILED'), `no FAILED: ${statuses}`);
    assert.match(callgate.log(), /transfer progress 200 OK \(final\)/, 'the final NOTIFY carried 200 OK (callgate log)');

    // baresip ends its call with 1002: the target got INVITE, ACK and BYE.
    await phone.hangup();
    const r = await expectSippSuccess(target, 15000);
    const invite = r.parsed.find((m) => m.dir === 'received' && /^INVITE /.test(m.text));
    assert.match(invite.text, /^From:.*sip:1001@/im, `the target's INVITE comes from baresip (1001):\n${invite.text}`);
    assertRunning(callgate);
  });
});
