// Incoming call rejected with a configured status (sip.reject_status, `--reject-status 603`):
// while it rings, the client sends `hangup` -> the phone gets 603 Decline (and ACKs it), never
// 486 or a 200 -> the client gets one finish FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, dialogOf, expectSippSuccess, responses, startIncomingTest, startPhone, statusIndex,
  waitIncomingCall,
} from '../lib/sipp_tests.mjs';

const ports = portPlan(45);

test('--reject-status 603: hangup while ringing -> 603 Decline, finish FINISH', async () => {
  const ctx = testContext('incoming_reject_603');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports, { callgateArgs: [...NO_BROWSER_ARGS, '--reject-status', '603'] });
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_rejected_603.xml' });
    const { callId } = await waitIncomingCall(client);
    await sleep(300);
    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 5000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);

    const r = await expectSippSuccess(phone);
    const declines = responses(r.parsed, 603);
    assert.ok(declines.length >= 1, `603 Decline:\n${r.flow}`);
    assert.match(declines[0].text.split('\n')[0], /^SIP\/2\.0 603 Decline\s*$/, 'reason phrase Decline');
    assert.equal(dialogOf(declines[0].text).cseqMethod, 'INVITE', '603 answers the INVITE');
    assert.equal(dialogOf(declines[0].text).toTag, dialogOf(responses(r.parsed, 180)[0].text).toTag, '603 carries the 180 To tag');
    assert.equal(responses(r.parsed, 486).length, 0, 'no 486');
    assert.equal(responses(r.parsed, 200).length, 0, 'no 200 OK');
    assert.equal(statusIndex(client.callEvents(callId), 'ESTABLISHED'), -1, 'never ESTABLISHED');
    await sleep(300);
    assert.equal(client.callEvents(callId).filter((e) => e.status === 'FINISH').length, 1, 'one finish');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
