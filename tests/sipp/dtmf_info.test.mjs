// DTMF via SIP INFO on an answered outgoing call (protocol §2.6, RFC 6086): after ESTABLISHED
// the client sends sendDtmf {dtmf:"1#", type:"INFO_RELAY"} then {dtmf:"5", type:"INFO"}; sipp
// (uas_answer_dtmf_info.xml) must receive three in-dialog INFOs in that order (dtmf-relay
// Signal=1, Signal=#, then application/dtmf "5") and answers each 200. RFC2833 goes into
// the RTP stream (tests/e2e/dtmf_rfc2833 checks the packets), so it sends no INFO and no
// warning; an invalid digit and an unknown type are warned and send nothing. Then the client
// hangs up (BYE).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { sipBody } from '../lib/sip_checks.mjs';
import { sipHeader } from '../lib/sipp.mjs';
import { assertHealthy, expectSippSuccess, receivedRequests, startCallTest } from '../lib/sipp_tests.mjs';

const ports = portPlan(17);

test('DTMF as SIP INFO in order; bad digit and type warned', async () => {
  const ctx = testContext('dtmf_info');
  await ctx.run(async () => {
    const { sipp, callgate, client } = await startCallTest(ctx, ports, { scenario: 'uas_answer_dtmf_info.xml' });
    const { callId } = client.call({ callee: '2000' });
    await client.waitForCall(callId, 'ESTABLISHED', 8000);

    client.send('sendDtmf', { callId, dtmf: '9', type: 'RFC2833' });
    client.send('sendDtmf', { callId, dtmf: '9x', type: 'RFC2833' });
    const warn = await client.waitFor({ message: 'fail', apiMethod: 'sendDtmf' }, 3000);
    assert.equal(warn.data[0].info, "Invalid DTMF digit 'x'");
    client.send('sendDtmf', { callId, dtmf: '9', type: 'SMOKE' });
    await client.waitFor((m) => m.message === 'fail' && m.data?.[0]?.info?.startsWith('Invalid DTMF type'), 3000);

    client.send('sendDtmf', { callId, dtmf: '1#', type: 'INFO_RELAY' });
    client.send('sendDtmf', { callId, dtmf: '5', type: 'INFO' });
    await sleep(1500);  // the three INFO transactions complete (one at a time) before the BYE

    client.hangup(callId);
    // Not waitForTerminal: the RFC2833 `fail` warning also has status FAILED.
    await client.waitForCall(callId, 'FINISH', 5000);

    const r = await expectSippSuccess(sipp);
    const infos = receivedRequests(r.parsed, 'INFO');
    assert.equal(infos.length, 3, `three INFOs:\n${r.flow}`);
    const inv = receivedRequests(r.parsed, 'INVITE')[0];
    const cseqs = infos.map((m) => Number.parseInt(sipHeader(m.text, 'CSeq') ?? '0', 10));
    for (let i = 1; i < cseqs.length; i++) assert.ok(cseqs[i] > cseqs[i - 1], `CSeq increases: ${cseqs}`);
    for (const m of infos) {
      assert.equal(sipHeader(m.text, 'Call-ID') ?? sipHeader(m.text, 'i'), sipHeader(inv.text, 'Call-ID') ?? sipHeader(inv.text, 'i'), 'INFO in the call dialog');
      assert.match(sipHeader(m.text, 'To') ?? sipHeader(m.text, 't') ?? '', /tag=/, 'INFO carries the remote tag');
    }
    assert.match(sipBody(infos[0].text), /^Signal=1\r?\nDuration=160\s*$/);
    assert.match(sipBody(infos[1].text), /^Signal=#\r?\nDuration=160\s*$/);
    assert.equal(sipBody(infos[2].text).trim(), '5');
    assert.equal(receivedRequests(r.parsed, 'BYE').length, 1, 'BYE after hangup');

    const warnings = client.messages('fail').filter((m) => m.data?.[0]?.apiMethod === 'sendDtmf');
    assert.deepEqual(warnings.map((w) => w.data[0].info),
      ["Invalid DTMF digit 'x'", "Invalid DTMF type 'SMOKE': expected RFC2833, INFO or INFO_RELAY"],
      'only the bad digit and the unknown type warned');
    assertHealthy(client, callgate);
  });
});
