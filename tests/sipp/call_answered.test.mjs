// (b) Outgoing call answered: INVITE -> 100/180/200 (PCMU + telephone-event 101) -> client
// sees TRYING, RING, exactly one setRemoteSDP [callId, answer, true], ESTABLISHED; then the
// client hangs up -> BYE (sipp answers 200) -> finish FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertSipSdp, assertWebRtcAnswer, sipBody } from '../lib/sip_checks.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest, statusIndex } from '../lib/sipp_tests.mjs';

const ports = portPlan(3);

test('call answered, client hangs up', async () => {
  const ctx = testContext('call_answered');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer.xml' });
    const t0 = Date.now();
    const { callId, sdp: offer } = client.call({ callee: '2000', visibleName: 'Ralf C' });
    await client.waitForCall(callId, 'TRYING', 2000);
    assert.ok(Date.now() - t0 < 2000, 'TRYING promptly');
    await client.waitForCall(callId, 'RING', 5000);
    await client.waitForCall(callId, 'ESTABLISHED', 8000);
    await sleep(500);

    const sdps = client.remoteSdps(callId);
    assert.equal(sdps.length, 1, 'exactly one setRemoteSDP');
    assert.equal(sdps[0].data.length, 3, 'setRemoteSDP has [callId, sdp, isInitiator]');
    assert.equal(sdps[0].data[2], true, 'isInitiator true for an outgoing call');
    assertWebRtcAnswer(sdps[0].data[1], offer, { pt: 0 });

    const ev = client.callEvents(callId);
    assert.ok(statusIndex(ev, 'TRYING') < statusIndex(ev, 'RING'), `TRYING before RING: ${JSON.stringify(ev.map((e) => e.status))}`);
    assert.ok(statusIndex(ev, 'RING') < statusIndex(ev, 'ESTABLISHED'), 'RING before ESTABLISHED');
    assert.equal(ev.find((e) => e.status === 'ESTABLISHED').message, 'talk', 'ESTABLISHED comes in `talk`');
    assert.equal(ev.find((e) => e.status === 'TRYING').message, 'notifyTryingResponse');
    assert.equal(statusIndex(ev, 'FINISH'), -1, 'not finished yet');

    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 5000);
    assert.equal(fin.status, 'FINISH', `terminal status: ${JSON.stringify(fin)}`);

    const r = await expectSippSuccess(sipp);
    const inv = receivedRequests(r.parsed, 'INVITE');
    assert.equal(inv.length, 1, 'one INVITE');
    assert.match(inv[0].text.split('\n')[0], /^INVITE sip:2000@127\.0\.0\.1(:\d+)?[;\s]/, 'Request-URI sip:callee@domain');
    const from = sipHeader(inv[0].text, 'From') ?? sipHeader(inv[0].text, 'f') ?? '';
    assert.match(from, /sip:1000@127\.0\.0\.1/, 'From is the SIP login');
    assert.match(from, /^\s*(?:"Ralf C"|Ralf C)\s*<sip:1000@/, `From carries the visible name: ${from}`);
    assert.match(sipHeader(inv[0].text, 'Contact') ?? sipHeader(inv[0].text, 'm') ?? '', new RegExp(`127\\.0\\.0\\.1:${ports.sip}\\b`), 'Contact reachable at callgate SIP port');
    assertSipSdp(sipBody(inv[0].text), { pt: 0 });
    assert.equal(receivedRequests(r.parsed, 'ACK').length >= 1, true, 'ACK for the 200');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');
    assert.equal(client.callEvents(callId).filter((e) => e.status === 'FINISH').length, 1, 'one finish');
    assertHealthy(client, callgate);
  });
});
