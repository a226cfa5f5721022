// (e) 407 on INVITE: callgate ACKs the 407 and resends the INVITE (same Call-ID, CSeq + 1,
// new branch) with a valid Proxy-Authorization for 1000/1234 (MD5, qop=auth) -> 200 ->
// ESTABLISHED; hangup -> BYE -> FINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { assertDigest } from '../lib/sip_checks.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(6);

test('407 on INVITE -> INVITE with Proxy-Authorization -> 200', async () => {
  const ctx = testContext('call_proxy_auth');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_407_answer.xml' });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'TRYING', 2000);
    await client.waitForCall(callId, 'ESTABLISHED', 10000);
    assert.equal(client.remoteSdps(callId).length, 1, 'exactly one setRemoteSDP');
    client.hangup(callId);
    const fin = await client.waitForTerminal(callId, 5000);
    assert.equal(fin.status, 'FINISH');

    const r = await expectSippSuccess(sipp);
    const inv = receivedRequests(r.parsed, 'INVITE');
    assert.equal(inv.length, 2, 'INVITE, then INVITE with credentials');
    const hdr = (t, n) => sipHeader(t, n) ?? '';
    assert.equal(hdr(inv[0].text, 'Call-ID'), hdr(inv[1].text, 'Call-ID'), 'same Call-ID');
    assert.equal(parseInt(hdr(inv[1].text, 'CSeq'), 10), parseInt(hdr(inv[0].text, 'CSeq'), 10) + 1, 'CSeq + 1');
    const branch = (t) => /branch=([^;,\s]+)/.exec(hdr(t, 'Via'))?.[1];
    assert.notEqual(branch(inv[0].text), branch(inv[1].text), 'new transaction (branch)');
    assertDigest(inv[1].text, 'Proxy-Authorization', {
      user: '1000',
      password: '1234',
      challenge: 'Digest realm="127.0.0.1", nonce="9b1d4e2f7a3c5b6d8e0f1a2b3c4d5e6f", algorithm=MD5, qop="auth"',
    });
    assertHealthy(client, callgate);
  });
});
