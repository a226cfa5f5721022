// Incoming call whose 200 OK is never ACKed (RFC 3261 §13.3.1.4; docs/architecture.md "Call
// flow (incoming)" 3): callgate runs with --sip-t1-ms 50 (64*T1 = 3.2 s). The client answers,
// the phone never ACKs: the 200 is re-sent (T1, 2*T1, ... capped at T2; >= 3 copies in all),
// then callgate gives up, sends BYE in the dialog and the client gets one `finish` FAILED
// (sipStatus 408, info "No ACK"); never ESTABLISHED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { webRtcAnswerTo } from '../lib/chromium_offer.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, receivedRequests, responses, startIncomingTest,
  startPhone, waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(44);
const T1_MS = 50;
const TERMINAL = ['FINISH', 'FAILED', 'BUSY'];

test('200 never ACKed -> retransmitted, then BYE and finish FAILED 408', async () => {
  const ctx = testContext('incoming_no_ack');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports, { callgateArgs: [...NO_BROWSER_ARGS, '--sip-t1-ms', String(T1_MS)] });
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_no_ack.xml' });
    const { callId, notify, offer } = await waitIncomingCall(client);
    const answeredAt = Date.now();
    client.answer(callId, webRtcAnswerTo(offer).sdp, { notify });

    const finFrame = await client.waitFor((m) => m.message !== 'fail' && m.data?.[0]?.callId === callId && TERMINAL.includes(m.data[0].status), 10000);
    const elapsed = Date.now() - answeredAt;
    const fin = finFrame.data[0];
    assert.equal(finFrame.message, 'finish', 'terminal status in `finish`');
    assert.equal(fin.status, 'FAILED', `terminal status: ${JSON.stringify(fin)}`);
    assert.equal(fin.sipStatus, 408, `sipStatus 408: ${JSON.stringify(fin)}`);
    assert.match(fin.info ?? '', /No ACK/i, `info says why: ${JSON.stringify(fin)}`);
    assert.ok(elapsed >= 64 * T1_MS - 300 && elapsed < 64 * T1_MS + 3000, `gave up after about 64*T1 = ${64 * T1_MS} ms: ${elapsed} ms`);

    const r = await expectSippSuccess(phone);
    const oks = responses(r.parsed, 200).filter((m) => dialogOf(m.text).cseqMethod === 'INVITE');
    assert.ok(oks.length >= 3, `the 200 re-sent until the give-up (${oks.length} copies):\n${r.flow}`);
    assert.equal(new Set(oks.map((m) => dialogOf(m.text).toTag)).size, 1, 'every copy has the same To tag');
    const byes = receivedRequests(r.parsed, 'BYE');
    assert.equal(byes.length, 1, `one BYE after the give-up:\n${r.flow}`);
    const bye = dialogOf(byes[0].text);
    const invite = dialogOf(r.parsed.find((m) => m.dir === 'sent' && m.text.startsWith('INVITE ')).text);
    assert.equal(bye.callId, invite.callId, 'BYE in the call');
    assert.equal(bye.fromTag, dialogOf(oks[0].text).toTag, 'BYE From tag = callgate tag');
    assert.equal(bye.toTag, invite.fromTag, 'BYE To tag = phone tag');
    assert.ok(r.parsed.indexOf(byes[0]) > r.parsed.indexOf(oks[oks.length - 1]), 'no 200 copy after the BYE');

    await sleep(500);
    const statuses = client.callEvents(callId).filter((e) => e.message !== 'fail').map((e) => e.status);
    assert.ok(!statuses.includes('ESTABLISHED'), `never ESTABLISHED: ${statuses}`);
    assert.equal(statuses.filter((s) => TERMINAL.includes(s)).length, 1, `one terminal status: ${statuses}`);
    assertHealthy(client, callgate);
  });
});
