// Blind transfer, client initiated (protocol §2.7, §3.10, §4.9; RFC 3515): on an established
// outgoing call the client sends `transfer` {callId, target:"3000"} -> the phone receives a
// REFER in the dialog (same Call-ID and tags, Request-URI = its Contact) with
// Refer-To <sip:3000@127.0.0.1> (the connection's sipDomain) and Referred-By
// <sip:1000@127.0.0.1>, answers 202, then NOTIFY active "SIP/2.0 100 Trying" and NOTIFY
// terminated "SIP/2.0 200 OK" (message/sipfrag), each answered 200 by callgate -> the client
// gets notifyTransferEvent [{callId, status:"COMPLETED"}] and then `finish` FINISH; the phone
// gets a BYE.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, receivedRequests, responses, startCallTest,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(40);

test('transfer -> REFER 202, NOTIFY 100/200 -> notifyTransferEvent COMPLETED, FINISH, BYE', async () => {
  const ctx = testContext('transfer_blind');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_refer_accept.xml', callgateArgs: NO_BROWSER_ARGS });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);

    client.send('transfer', { callId, target: '3000' });
    const ev = await client.waitFor({ message: 'notifyTransferEvent' }, 10000);
    assert.deepEqual(ev.data?.[0], { callId, status: 'COMPLETED' }, `notifyTransferEvent payload: ${JSON.stringify(ev.data)}`);
    const fin = await client.waitForTerminal(callId, 8000);
    assert.equal(fin.status, 'FINISH', `terminal status after the transfer: ${JSON.stringify(fin)}`);
    const all = client.messages();
    const iEvent = all.indexOf(ev);
    const iFinish = all.findIndex((m) => m.data?.[0]?.callId === callId && m.data[0].status === 'FINISH');
    assert.ok(iEvent < iFinish, `notifyTransferEvent before finish: ${client.summary()}`);
    const finishFrame = all[iFinish];
    assert.equal(finishFrame.message, 'finish', 'FINISH comes in `finish`');

    const r = await expectSippSuccess(sipp);
    const invite = receivedRequests(r.parsed, 'INVITE')[0];
    const okInitial = r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('SIP/2.0 200 ') && dialogOf(m.text).cseqMethod === 'INVITE');
    const d0 = dialogOf(invite.text);
    const phoneTag = dialogOf(okInitial.text).toTag;

    const refers = receivedRequests(r.parsed, 'REFER');
    assert.equal(refers.length, 1, `one REFER (no retransmission needed after 202):\n${r.flow}`);
    const refer = refers[0].text;
    const rd = dialogOf(refer);
    assert.equal(rd.callId, d0.callId, 'REFER in the call (Call-ID)');
    assert.equal(rd.fromTag, d0.fromTag, 'REFER From tag = callgate tag');
    assert.equal(rd.toTag, phoneTag, 'REFER To tag = phone tag');
    assert.equal(rd.cseqMethod, 'REFER', 'CSeq method REFER');
    assert.ok(rd.cseq > d0.cseq, `REFER CSeq ${rd.cseq} above the INVITE's ${d0.cseq}`);
    assert.match(rd.requestUri ?? '', new RegExp(`^sip:2000@127\\.0\\.0\\.1:${ports.peer}\\b`), 'REFER to the phone Contact');
    assert.equal(sipHeader(refer, 'Refer-To') ?? sipHeader(refer, 'r'), '<sip:3000@127.0.0.1>', 'Refer-To built from the target and sipDomain');
    assert.equal(sipHeader(refer, 'Referred-By') ?? sipHeader(refer, 'b'), '<sip:1000@127.0.0.1>', 'Referred-By = our AOR');
    assert.ok(sipHeader(refer, 'Contact') ?? sipHeader(refer, 'm'), 'REFER has a Contact (RFC 3515 §2.4.1 target refresh)');

    // callgate answers both NOTIFYs 200 in the dialog.
    const notifyOks = responses(r.parsed, 200).filter((m) => dialogOf(m.text).cseqMethod === 'NOTIFY');
    assert.deepEqual([...new Set(notifyOks.map((m) => dialogOf(m.text).cseq))], [1, 2], `200 for NOTIFY 1 and 2:\n${r.flow}`);
    for (const ok of notifyOks) assert.equal(dialogOf(ok.text).toTag, d0.fromTag, 'NOTIFY 200 To tag = callgate tag');

    const byes = receivedRequests(r.parsed, 'BYE');
    assert.equal(byes.length, 1, `one BYE after the transfer:\n${r.flow}`);
    const bye = dialogOf(byes[0].text);
    assert.equal(bye.callId, d0.callId, 'BYE in the call');
    assert.ok(bye.cseq > rd.cseq, 'BYE CSeq above the REFER');
    const iNotify2Ok = r.parsed.indexOf(notifyOks.find((m) => dialogOf(m.text).cseq === 2));
    assert.ok(r.parsed.indexOf(byes[0]) > iNotify2Ok, 'BYE after the final NOTIFY was answered');

    await sleep(300);
    assert.equal(client.callEvents(callId).filter((e) => ['FINISH', 'FAILED', 'BUSY'].includes(e.status)).length, 1, 'one terminal status');
    assert.equal(client.messages('notifyTransferEvent').length, 1, `one notifyTransferEvent: ${client.summary()}`);
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
