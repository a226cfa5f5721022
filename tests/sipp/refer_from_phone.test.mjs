// A REFER from the SIP side (the phone asks callgate to transfer itself, RFC 3515) when callgate
// runs with `--accept-refer 0` (sip.accept_refer; the default honours it): on an established
// outgoing call the phone sends an in-dialog REFER with Refer-To <sip:4000@127.0.0.1> -> 603
// Decline with a Warning header (RFC 3261 §20.43) naming the setting, no 202, no NOTIFY,
// nothing is called, the client sees no change; its hangup -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, receivedRequests, responses, startCallTest,
  waitSippMessage,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(42);
const TERMINAL = ['FINISH', 'FAILED', 'BUSY'];

test('--accept-refer 0: REFER from the phone -> 603 Decline with Warning, call stays up', async () => {
  const ctx = testContext('refer_from_phone');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_refer_from_phone.xml', callgateArgs: [...NO_BROWSER_ARGS, '--accept-refer', '0'] });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    await waitSippMessage(sipp, (m) => m.dir === 'received' && /^SIP\/2\.0 [2-6]\d\d /.test(m.text) && dialogOf(m.text).cseqMethod === 'REFER', 10000);
    await sleep(1000);
    const statuses = client.callEvents(callId).map((e) => e.status);
    assert.ok(!statuses.some((s) => TERMINAL.includes(s)), `call still up after the REFER: ${statuses}`);
    assert.deepEqual(statuses.filter((s) => ['ESTABLISHED', 'HOLD'].includes(s)), ['ESTABLISHED'], `one ESTABLISHED, no HOLD: ${statuses}`);

    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 5000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);

    const r = await expectSippSuccess(sipp);
    const finals = r.parsed.filter((m) => m.dir === 'received' && /^SIP\/2\.0 [2-6]\d\d /.test(m.text) && dialogOf(m.text).cseqMethod === 'REFER');
    assert.ok(finals.length >= 1, `a final response to the REFER:\n${r.flow}`);
    assert.ok(finals.every((m) => m.text.startsWith('SIP/2.0 603 ')), `REFER declined 603 (no 202):\n${r.flow}`);
    const decline = finals[0].text;
    const warning = sipHeader(decline, 'Warning') ?? '';
    assert.match(warning, /^399 \S+ ".+"$/, `Warning: 399 agent "text" (RFC 3261 §20.43): ${warning}`);
    assert.match(warning, /accept_refer/, `Warning names the setting: ${warning}`);
    const refer = r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('REFER '));
    assert.equal(dialogOf(decline).toTag, dialogOf(refer.text).toTag, '603 To tag = callgate tag');
    assert.equal(responses(r.parsed, 202).length, 0, 'no 202 Accepted');
    assert.equal(r.parsed.filter((m) => m.dir === 'received' && m.text.startsWith('NOTIFY ')).length, 0, 'no NOTIFY (no subscription)');
    assert.equal(receivedRequests(r.parsed, 'INVITE').length, 1, 'no re-INVITE or new INVITE toward the target');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'one BYE after hangup');
    await sleep(300);
    assert.equal(client.callEvents(callId).filter((e) => TERMINAL.includes(e.status)).length, 1, 'one terminal status');
    assert.equal(client.messages('notifyTransferEvent').length, 0, 'no notifyTransferEvent toward the client');
    assertHealthy(client, callgate);
  });
});
