// End to end with a real SIP phone, incoming calls that are never answered: the page (1000)
// is registered through callgate, baresip is 1001 at Kamailio.
// 1. baresip dials 1000; the page gets INCOMING_CALL (caller 1001) and RING and rejects with
//    call.hangup() -> baresip gets 486 Busy Here (its CALL_CLOSED says so, the trace shows one
//    final response, ACKed by its stack); the page's call ends with FINISH, never ESTABLISHED.
// 2. baresip dials again and hangs up while it rings (CANCEL) -> baresip gets 200 for the CANCEL
//    and 487 for the INVITE; the page's second call ends with FINISH without any page action.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, startBaresip } from '../lib/baresip.mjs';
import {
  e2eAccount, installCallApi, pageEvents, startE2eStack, waitCallEvent, waitIncomingCall, waitPageEvent,
} from '../lib/e2e.mjs';

const firstLine = (m) => m.text.split('\r\n')[0];
const cseqOf = (m) => (/^CSeq:\s*(\d+) (\w+)/im.exec(m.text) ?? []).slice(1).join(' ');
const callIdOf = (m) => (/^(?:Call-ID|i):\s*(\S+)/im.exec(m.text) ?? [])[1];

test('e2e baresip: page rejects -> 486 at the phone; phone cancels -> FINISH', async () => {
  const ctx = testContext('e2e_baresip_reject_cancel');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);
    const phone = await startBaresip(ctx.procs, { user: '1001' });
    ctx.onCleanup(() => phone.close());
    const flow = () => baresipSipTrace(phone).map((m) => `${m.dir}: ${firstLine(m)} (${cseqOf(m)})`).join('\n');

    // 1. Reject.
    await phone.dial('sip:1000@127.0.0.1');
    const inc1 = await waitIncomingCall(page, 15000);
    assert.equal(inc1.caller, '1001', `INCOMING_CALL caller: ${JSON.stringify(inc1)}`);
    await waitCallEvent(page, 'RING', 10000, inc1.callId);
    await phone.waitEvent('CALL_RINGING', 5000);
    await page.evaluate(() => window.cgx.hangup());
    const closed1 = await phone.waitEvent('CALL_CLOSED', 10000);
    assert.match(closed1.param ?? '', /486/, `baresip's call closed with 486: ${JSON.stringify(closed1)}\n${flow()}`);
    const end1 = await waitCallEvent(page, 'FINISH', 10000, inc1.callId);
    assert.equal(end1.incoming, true);
    await sleep(300);
    let trace = baresipSipTrace(phone);
    const invite1 = trace.find((m) => m.dir === 'sent' && /^INVITE /.test(m.text) && /\r\n\r\nv=0/.test(m.text));
    const call1 = callIdOf(invite1);
    const finals1 = trace.filter((m) => m.dir === 'received' && callIdOf(m) === call1 && /^SIP\/2\.0 [2-6]\d\d/.test(m.text) && /INVITE$/.test(cseqOf(m)));
    const codes1 = [...new Set(finals1.map((m) => firstLine(m).split(' ')[1]))];
    assert.deepEqual(codes1.filter((c) => c !== '407'), ['486'], `final response 486 (after Kamailio's 407):\n${flow()}`);
    let calls = (await pageEvents(page)).filter((e) => e.kind === 'call' && e.callId === inc1.callId).map((e) => e.status);
    assert.ok(!calls.includes('ESTABLISHED'), `rejected call never ESTABLISHED: ${calls}`);

    // 2. Cancel while ringing.
    await phone.dial('sip:1000@127.0.0.1');
    const inc2 = await waitIncomingCall(page, 15000, 2);
    assert.notEqual(inc2.callId, inc1.callId, 'a new call id');
    await waitCallEvent(page, 'RING', 10000, inc2.callId);
    await phone.waitEvent('CALL_RINGING', 5000, 2);
    await sleep(1000);
    await phone.hangup();
    await phone.waitEvent('CALL_CLOSED', 10000, 2);
    const end2 = await waitCallEvent(page, 'FINISH', 10000, inc2.callId);
    assert.equal(end2.incoming, true);
    await sleep(500);
    trace = baresipSipTrace(phone);
    const invites = trace.filter((m) => m.dir === 'sent' && /^INVITE /.test(m.text));
    const call2 = callIdOf(invites[invites.length - 1]);
    assert.notEqual(call2, call1, `second call has its own Call-ID:\n${flow()}`);
    const mine = trace.filter((m) => callIdOf(m) === call2);
    assert.ok(mine.some((m) => m.dir === 'sent' && /^CANCEL /.test(m.text)), `baresip sent CANCEL:\n${flow()}`);
    assert.ok(mine.some((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /CANCEL$/.test(cseqOf(m))), `200 for the CANCEL:\n${flow()}`);
    assert.ok(mine.some((m) => m.dir === 'received' && /^SIP\/2\.0 487/.test(m.text) && /INVITE$/.test(cseqOf(m))), `487 for the INVITE:\n${flow()}`);
    calls = (await pageEvents(page)).filter((e) => e.kind === 'call' && e.callId === inc2.callId).map((e) => e.status);
    assert.deepEqual(calls.filter((s) => ['ESTABLISHED', 'FAILED', 'BUSY'].includes(s)), [], `cancelled call: no ESTABLISHED/FAILED/BUSY: ${calls}`);
    assertRunning(callgate);
  });
});
