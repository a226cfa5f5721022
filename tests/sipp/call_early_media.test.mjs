// (c) 183 Session Progress with SDP, then 200 with the same SDP: the client sees RING_MEDIA
// (or RING / SESSION_PROGRESS) before ESTABLISHED and still exactly one setRemoteSDP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertWebRtcAnswer } from '../lib/sip_checks.mjs';
import { assertHealthy, expectSippSuccess, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(4);
const RINGING = new Set(['RING_MEDIA', 'RING', 'SESSION_PROGRESS']);

test('183 with SDP then 200 -> RING_MEDIA then ESTABLISHED, one setRemoteSDP', async () => {
  const ctx = testContext('call_early_media');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_183_answer.xml' });
    const { callId, sdp: offer } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'TRYING', 2000);
    const ring = await client.waitFor((m) => m.data?.[0]?.callId === callId && RINGING.has(m.data[0].status), 5000);
    assert.equal(ring.message, 'ring', 'ringing status comes in `ring`');
    // The 200 arrives 1 s after the 183: ESTABLISHED must not come before it.
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    const ev = client.callEvents(callId).map((e) => e.status);
    assert.ok(ev.findIndex((s) => RINGING.has(s)) < ev.indexOf('ESTABLISHED'), `ringing before ESTABLISHED: ${ev}`);
    await sleep(500);
    const sdps = client.remoteSdps(callId);
    assert.equal(sdps.length, 1, 'exactly one setRemoteSDP although SDP came in 183 and 200');
    assert.equal(sdps[0].data[2], true);
    assertWebRtcAnswer(sdps[0].data[1], offer, { pt: 0 });

    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 5000);
    assert.equal(fin.status, 'FINISH');
    await expectSippSuccess(sipp);
    assertHealthy(client, callgate);
  });
});
