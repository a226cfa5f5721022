// (a) REGISTER with digest: sipp (registrar) answers 401 (MD5, qop=auth), callgate resends
// with valid Authorization, 200 OK -> the client gets `registered` (after getUserData).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, testContext } from '../lib/callgate.mjs';
import { assertDigest } from '../lib/sip_checks.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(1);

test('REGISTER 401 challenge then 200 -> registered', async () => {
  const ctx = testContext('register_401');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, {
      scenario: 'cg_register_401.xml',
      account: { sipRegisterRequired: true },
    });
    const reg = await client.waitFor({ message: 'registered' }, 10000);
    assert.equal(reg.data?.[0]?.status ?? 'REGISTERED', 'REGISTERED');
    const names = client.messages().map((m) => m.message);
    assert.ok(names.indexOf('getUserData') < names.indexOf('registered'), 'getUserData before registered');
    assert.equal(client.messages('fail').length, 0, `no fail: ${client.summary()}`);

    const r = await expectSippSuccess(sipp);
    const regs = receivedRequests(r.parsed, 'REGISTER');
    assert.ok(regs.length >= 2, 'two REGISTERs (challenge + credentials)');
    assert.equal(sipHeader(regs[0].text, 'Call-ID'), sipHeader(regs[1].text, 'Call-ID'), 'same Call-ID after the challenge');
    const cseq = (t) => parseInt(sipHeader(t, 'CSeq'), 10);
    assert.ok(cseq(regs[1].text) > cseq(regs[0].text), 'CSeq increases after the challenge');
    assert.match(sipHeader(regs[1].text, 'Contact') ?? sipHeader(regs[1].text, 'm') ?? '', new RegExp(`127\\.0\\.0\\.1:${ports.sip}\\b`), `Contact is callgate's SIP address (127.0.0.1:${ports.sip})`);
    assertDigest(regs[1].text, 'Authorization', {
      user: '1000',
      password: '1234',
      challenge: 'Digest realm="127.0.0.1", nonce="4c3f2a1b0e9d8c7b6a5f4e3d2c1b0a99", algorithm=MD5, qop="auth"',
    });
    // Only one `registered` for one successful registration.
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(client.messages('registered').length, 1, 'exactly one registered');
    assertHealthy(client, callgate);
  });
});
