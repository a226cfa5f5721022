// Blind transfer refused (protocol §4.9 "Transfer failure => call stays"): on an established
// outgoing call, `transfer` with target "bad target" -> `fail` {apiMethod transfer, info
// "Invalid transfer target: character ' ' not allowed by RFC 3261"} and no REFER leaves; then
// `transfer` to 3000 -> REFER -> the phone answers 403 -> `fail` {apiMethod transfer, info with
// "403"}, no notifyTransferEvent, the call stays ESTABLISHED; the client's hangup -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { parseSippMessages } from '../lib/sipp.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, receivedRequests, startCallTest,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(41);
const TERMINAL = ['FINISH', 'FAILED', 'BUSY'];
// Call status events (a `fail` frame also carries callId and status FAILED: not a call status).
const callStatuses = (client, callId) => client.callEvents(callId).filter((e) => e.message !== 'fail').map((e) => e.status);

test('invalid target -> fail, no REFER; REFER 403 -> fail transfer, call stays up', async () => {
  const ctx = testContext('transfer_refused');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_refer_403.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);

    // 1. An invalid target never reaches SIP.
    client.send('transfer', { callId, target: 'bad target' });
    const bad = await client.waitFor({ message: 'fail', apiMethod: 'transfer' }, 5000);
    assert.equal(bad.data[0].info, "Invalid transfer target: character ' ' not allowed by RFC 3261", `fail info: ${JSON.stringify(bad.data[0])}`);
    assert.equal(bad.data[0].callId, callId, 'fail names the call');
    assert.equal(bad.data[0].status, 'FAILED', 'fail status FAILED (protocol §3.11)');
    await sleep(700);
    assert.equal(receivedRequests(parseSippMessages(sipp.messages()), 'REFER').length, 0, 'no REFER for an invalid target');

    // 2. A REFER the phone refuses.
    client.send('transfer', { callId, target: '3000' });
    const refused = await client.waitFor((m) => m.message === 'fail' && m.data?.[0]?.apiMethod === 'transfer' && m !== bad, 8000);
    assert.match(refused.data[0].info ?? '', /403/, `fail info mentions 403: ${JSON.stringify(refused.data[0])}`);
    assert.equal(refused.data[0].callId, callId, 'fail names the call');
    await sleep(1000);
    const statuses = callStatuses(client, callId);
    assert.ok(!statuses.some((s) => TERMINAL.includes(s)), `call still up after the refused transfer: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 'ESTABLISHED').length, 1, `one ESTABLISHED: ${statuses}`);
    assert.equal(client.messages('notifyTransferEvent').length, 0, `no notifyTransferEvent: ${client.summary()}`);

    client.hangup(callId);
    const finFrame = await client.waitFor((m) => m.message !== 'fail' && m.data?.[0]?.callId === callId && TERMINAL.includes(m.data[0].status), 5000);
    const fin = finFrame.data[0];
    assert.equal(finFrame.message, 'finish', 'terminal status in `finish`');
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);

    const r = await expectSippSuccess(sipp);
    const refers = receivedRequests(r.parsed, 'REFER');
    assert.equal(refers.length, 1, `exactly one REFER:\n${r.flow}`);
    const byes = receivedRequests(r.parsed, 'BYE');
    assert.equal(byes.length, 1, `one BYE after hangup:\n${r.flow}`);
    assert.ok(dialogOf(byes[0].text).cseq > dialogOf(refers[0].text).cseq, 'BYE CSeq above the REFER');
    await sleep(300);
    assert.equal(callStatuses(client, callId).filter((s) => TERMINAL.includes(s)).length, 1, `one terminal status: ${client.summary()}`);
    assert.equal(client.messages('fail').length, 2, `exactly the two transfer fails: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
