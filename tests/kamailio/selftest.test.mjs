// Self-test of the test infrastructure, no callgate needed: the test Kamailio with sipp peers.
// REGISTER with digest (401, qop=auth), wrong password -> 403, INVITE with 407 proxy auth,
// record-route + lookup + relay to a registered sipp UAS, BYE through the route set (both
// directions), and
// 404 for an unregistered callee.
// Run: tests/netns_run.sh node --test tests/kamailio/selftest.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startKamailio } from '../lib/kamailio.mjs';
import { Procs, makeTmpDir, requireNetns } from '../lib/procs.mjs';
import { parseSippMessages, sipHeader, startLines, startSipp } from '../lib/sipp.mjs';

const KAM = '127.0.0.1:5060';
let procs;

before(async () => {
  requireNetns();
  procs = new Procs(makeTmpDir('kamailio-selftest'));
  await startKamailio(procs, 5060);
});

after(async (t) => {
  await procs.killAll();
});

async function expectSippOk(sipp, what) {
  const r = await sipp.result();
  if (r.code !== 0) procs.dumpLogs();
  assert.equal(r.code, 0, `${what}: sipp exit ${r.code}\n${r.errors}\n${startLines(parseSippMessages(r.messages)).join('\n')}`);
  return r;
}

test('REGISTER 1001 with digest auth, then a call 1000 -> 1001 with 407 auth and BYE', async () => {
  const reg = await startSipp(procs, {
    scenario: 'kam_register.xml', name: 'register-1001', port: 5071, remote: KAM,
    service: 1001, auth: { user: '1001', password: '1234' }, keys: { contact: '127.0.0.1:5072' },
  });
  const r = await expectSippOk(reg, 'REGISTER 1001');
  const msgs = parseSippMessages(r.messages);
  assert.ok(msgs.some((m) => m.dir === 'received' && /^SIP\/2.0 401/.test(m.text) && /qop="auth"/.test(m.text)), '401 with qop=auth challenge');

  const uas = await startSipp(procs, {
    scenario: 'uas_answer.xml', name: 'uas-1001', port: 5072, mediaPort: 6000, rtpEcho: true, service: 1001,
  });
  const uac = await startSipp(procs, {
    scenario: 'kam_uac_call.xml', name: 'uac-1000', port: 5073, mediaPort: 6100, remote: KAM,
    service: 1001, auth: { user: '1000', password: '1234' }, keys: { caller: 1000 },
  });
  const ru = await expectSippOk(uac, 'call 1000 -> 1001');
  assert.ok(parseSippMessages(ru.messages).some((m) => /^SIP\/2.0 407/.test(m.text)), 'INVITE challenged with 407');
  const rs = await expectSippOk(uas, 'callee 1001');
  const invite = parseSippMessages(rs.messages).find((m) => m.dir === 'received' && m.text.startsWith('INVITE'));
  assert.ok(invite, 'callee got the INVITE');
  assert.match(sipHeader(invite.text, 'Record-Route') ?? '', /127\.0\.0\.1;lr/, 'Kamailio record-routes');
  assert.equal(sipHeader(invite.text, 'Proxy-Authorization'), null, 'credentials consumed by the proxy');
});

test('callee hangs up: BYE from the UAS follows the route set back to the caller', async () => {
  const reg = await startSipp(procs, {
    scenario: 'kam_register.xml', name: 'register-1002', port: 5081, remote: KAM,
    service: 1002, auth: { user: '1002', password: '1234' }, keys: { contact: '127.0.0.1:5082' },
  });
  await expectSippOk(reg, 'REGISTER 1002');
  const uas = await startSipp(procs, {
    scenario: 'uas_answer_then_bye.xml', name: 'uas-1002-bye', port: 5082, mediaPort: 6300, rtpEcho: true, service: 1002,
  });
  const uac = await startSipp(procs, {
    scenario: 'kam_uac_call_remote_bye.xml', name: 'uac-1000-remote-bye', port: 5083, mediaPort: 6400, remote: KAM,
    service: 1002, auth: { user: '1000', password: '1234' }, keys: { caller: 1000 },
  });
  await expectSippOk(uac, 'caller gets BYE');
  await expectSippOk(uas, 'callee sends BYE, gets 200');
});

test('REGISTER with a wrong password is refused with 403', async () => {
  const reg = await startSipp(procs, {
    scenario: 'kam_register_forbidden.xml', name: 'register-wrongpw', port: 5074, remote: KAM,
    service: 1002, auth: { user: '1002', password: 'wrong' }, keys: { contact: '127.0.0.1:5075' },
  });
  await expectSippOk(reg, 'REGISTER wrong password');
});

test('INVITE to an unregistered user gets 404 Not Found', async () => {
  const uac = await startSipp(procs, {
    scenario: 'kam_uac_call_404.xml', name: 'uac-404', port: 5076, mediaPort: 6200, remote: KAM,
    service: 1003, auth: { user: '1000', password: '1234' }, keys: { caller: 1000 },
  });
  await expectSippOk(uac, 'call to unregistered 1003');
});
