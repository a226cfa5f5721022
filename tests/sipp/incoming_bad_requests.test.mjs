// Incoming INVITEs callgate must refuse without bothering the client:
//  - for a user that is not registered here (1999; the client is 1000) -> 480 Temporarily
//    Unavailable or 404 Not Found, no 180;
//  - for 1000 but with an SDP offer whose only codec is made up (96 FOOBAR/8000) -> 488 Not
//    Acceptable Here (RFC 3261 §13.3.1.1), no 180.
// Both final responses are ACKed by sipp; the client receives no call frame at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, testContext } from '../lib/callgate.mjs';
import { assertHealthy, expectSippSuccess, responses, startIncomingTest, startPhone } from '../lib/sipp_tests.mjs';

const ports = portPlan(24);
const CALL_FRAMES = ['setRemoteSDP', 'notifyIncomingCall', 'ring', 'talk', 'hold', 'finish', 'notifyTryingResponse', 'fail'];

test('INVITE for an unknown user -> 480/404; no usable codec -> 488; client sees nothing', async () => {
  const ctx = testContext('incoming_bad_requests');
  await ctx.run(async () => {
    const { callgate, client } = await startIncomingTest(ctx, ports);

    const unknown = await startPhone(ctx, ports, { scenario: 'uac_invite_unknown_user.xml', service: '1999' });
    const r1 = await expectSippSuccess(unknown, 15000);
    const finals1 = r1.parsed.filter((m) => m.dir === 'received' && /^SIP\/2\.0 [2-6]\d\d /.test(m.text));
    assert.equal(finals1.length >= 1, true, `a final response:\n${r1.flow}`);
    assert.match(finals1[0].text.split('\n')[0], /^SIP\/2\.0 (480|404) /, `480 or 404 for an unregistered user:\n${r1.flow}`);
    assert.equal(responses(r1.parsed, 180).length, 0, 'no 180 for an unknown user');

    const badCodec = await startPhone(ctx, ports, { scenario: 'uac_invite_bad_codec.xml', service: '1000' });
    const r2 = await expectSippSuccess(badCodec, 15000);
    assert.equal(responses(r2.parsed, 488).length >= 1, true, `488 for no usable codec:\n${r2.flow}`);
    assert.equal(responses(r2.parsed, 180).length, 0, 'no 180 before the 488');

    await sleep(500);
    const seen = client.messages().filter((m) => CALL_FRAMES.includes(m.message));
    assert.deepEqual(seen.map((m) => m.message), [], `the client gets nothing: ${client.summary()}`);
    assertHealthy(client, callgate);
  });
});
