// End to end, incoming calls that never get answered (protocol 4.6): the Web SDK page registers
// 1000 through callgate at Kamailio.
// 1. A sipp phone (1001) calls 1000; the page gets INCOMING_CALL (caller 1001) and RING and
//    rejects with call.hangup() -> the phone gets 486 Busy Here through Kamailio (and ACKs it);
//    the page's call ends with FINISH.
// 2. The phone calls again and CANCELs 3 s after the 180 -> 200/487 at the phone, FINISH on the
//    page without any page action.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, testContext } from '../lib/callgate.mjs';
import {
  e2eAccount, installCallApi, pageEvents, startCallingPhone, startE2eStack, waitCallEvent, waitIncomingCall, waitPageEvent,
} from '../lib/e2e.mjs';
import { expectSippSuccess } from '../lib/sipp_tests.mjs';

test('e2e incoming: page rejects -> 486; phone cancels -> FINISH', async () => {
  const ctx = testContext('e2e_incoming_rejected_and_cancelled');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    // 1. Rejected while ringing.
    const phone1 = await startCallingPhone(ctx.procs, { scenario: 'e2e_uac_call_rejected.xml', name: 'sipp-phone-reject' });
    const inc1 = await waitIncomingCall(page, 15000, 1);
    assert.equal(inc1.caller, '1001', `INCOMING_CALL caller: ${JSON.stringify(inc1)}`);
    await waitCallEvent(page, 'RING', 10000, inc1.callId);
    await page.evaluate(() => window.cgx.hangup());
    const r1 = await expectSippSuccess(phone1, 15000); // 180 then 486, ACKed
    const finals = r1.parsed.filter((m) => m.dir === 'received' && /^SIP\/2\.0 [2-6]\d\d/.test(m.text) && /^CSeq:\s*2 INVITE/im.test(m.text));
    assert.deepEqual(finals.map((m) => m.text.split('\n')[0].trim().split(' ')[1]), ['486'], `one final response, 486:\n${r1.flow}`);
    const end1 = await waitCallEvent(page, 'FINISH', 10000, inc1.callId);
    assert.equal(end1.incoming, true);
    let calls = (await pageEvents(page)).filter((e) => e.kind === 'call' && e.callId === inc1.callId).map((e) => e.status);
    assert.ok(!calls.includes('ESTABLISHED'), `rejected call never ESTABLISHED: ${calls}`);

    // 2. The phone gives up (CANCEL) while the page rings.
    const phone2 = await startCallingPhone(ctx.procs, { scenario: 'e2e_uac_call_cancel.xml', name: 'sipp-phone-cancel' });
    const inc2 = await waitIncomingCall(page, 15000, 2);
    assert.notEqual(inc2.callId, inc1.callId, 'a new call id');
    assert.equal(inc2.caller, '1001');
    await waitCallEvent(page, 'RING', 10000, inc2.callId);
    const end2 = await waitCallEvent(page, 'FINISH', 15000, inc2.callId);
    assert.equal(end2.status, 'FINISH');
    await expectSippSuccess(phone2, 15000); // 200 to CANCEL, 487 ACKed
    calls = (await pageEvents(page)).filter((e) => e.kind === 'call' && e.callId === inc2.callId).map((e) => e.status);
    assert.deepEqual(calls.filter((s) => ['ESTABLISHED', 'FAILED', 'BUSY'].includes(s)), [], `cancelled call: no ESTABLISHED/FAILED/BUSY: ${calls}`);
    assertRunning(callgate);
  });
});
