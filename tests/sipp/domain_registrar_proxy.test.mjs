// callgate's local SIP domain (--domain-enabled 1) against sipp phones, no other SIP server:
// REGISTER with digest (401 then 200), wrong password 403, unknown user 404 (REGISTER and
// INVITE), unauthenticated INVITE 407, a call between two sipp UAs registered in the domain
// (INVITE with 407 auth / 180 / 200 / ACK / BYE) forwarded by callgate's stateless proxy,
// 480 for a registered-then-unregistered user, and 400 for a malformed REGISTER.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, waitForPort } from '../lib/procs.mjs';
import { parseSippMessages, sipHeader, startLines, startSipp } from '../lib/sipp.mjs';

const ports = portPlan(80);
const DOMAIN_PORT = ports.sip + 7;
const DOMAIN = `${LOOPBACK}:${DOMAIN_PORT}`;
const USERS = '1000:1234,1001:1234,1002:1234,1003:1234';

let ctx;
let callgate;

async function expectSippOk(sipp, what) {
  const r = await sipp.result();
  const flow = startLines(parseSippMessages(r.messages)).join('\n');
  if (r.code !== 0) ctx.procs.dumpLogs(40);
  assert.equal(r.code, 0, `${what}: sipp exit ${r.code}\n${flow}\n${r.errors.slice(-2000)}`);
  return parseSippMessages(r.messages);
}

const received = (msgs, re) => msgs.find((m) => m.dir === 'received' && re.test(m.text));

async function registerUser(user, contactPort, name) {
  const reg = await startSipp(ctx.procs, {
    scenario: 'kam_register.xml', name, port: ports.peer2 + 10 + Number(user) % 10, remote: DOMAIN,
    service: user, auth: { user, password: '1234' }, keys: { contact: `${LOOPBACK}:${contactPort}` },
  });
  return expectSippOk(reg, `REGISTER ${user}`);
}

const steps = [];

steps.push(['the log says the domain is up', async () => {
  assert.match(callgate.log(), new RegExp(`local SIP domain 127\\.0\\.0\\.1 on 127\\.0\\.0\\.1:${DOMAIN_PORT}, 4 users`));
}]);

steps.push(['REGISTER: 401 challenge (MD5, qop=auth, realm = advertised IP), then 200 listing the binding', async () => {
  const msgs = await registerUser('1001', ports.peer, 'register-1001');
  const challenge = received(msgs, /^SIP\/2.0 401/);
  assert.ok(challenge, '401 received');
  const www = sipHeader(challenge.text, 'WWW-Authenticate') ?? '';
  assert.match(www, /^Digest /);
  assert.match(www, /realm="127\.0\.0\.1"/);
  assert.match(www, /qop="auth"/);
  assert.match(www, /algorithm=MD5/);
  const ok = received(msgs, /^SIP\/2.0 200/);
  assert.match(sipHeader(ok.text, 'Contact') ?? '', new RegExp(`<sip:1001@127\\.0\\.0\\.1:${ports.peer}>;expires=3600`));
}]);

steps.push(['REGISTER with a wrong password: 403', async () => {
  const reg = await startSipp(ctx.procs, {
    scenario: 'kam_register_forbidden.xml', name: 'register-wrongpw', port: ports.peer2 + 20, remote: DOMAIN,
    service: '1002', auth: { user: '1002', password: 'wrong' }, keys: { contact: `${LOOPBACK}:${ports.peer2 + 21}` },
  });
  await expectSippOk(reg, 'REGISTER wrong password');
}]);

steps.push(['REGISTER of an unknown user: 404 without a challenge', async () => {
  const reg = await startSipp(ctx.procs, {
    scenario: 'domain_register_unknown.xml', name: 'register-unknown', port: ports.peer2 + 22, remote: DOMAIN,
    service: '4711', keys: { contact: `${LOOPBACK}:${ports.peer2 + 23}` },
  });
  const msgs = await expectSippOk(reg, 'REGISTER unknown user');
  assert.equal(received(msgs, /^SIP\/2.0 401/), undefined, 'no challenge for an unknown user');
}]);

steps.push(['INVITE without credentials: 407 with a Proxy-Authenticate challenge, the ACK ends it', async () => {
  const uac = await startSipp(ctx.procs, {
    scenario: 'domain_uac_no_auth.xml', name: 'uac-no-auth', port: ports.peer2 + 24, mediaPort: ports.media + 20,
    remote: DOMAIN, service: '1001', keys: { caller: '1000' },
  });
  const msgs = await expectSippOk(uac, 'INVITE without credentials');
  const challenge = received(msgs, /^SIP\/2.0 407/);
  assert.match(sipHeader(challenge.text, 'Proxy-Authenticate') ?? '', /^Digest realm="127\.0\.0\.1", nonce="[^"]+", qop="auth"/);
  assert.match(sipHeader(challenge.text, 'To') ?? '', /;tag=/, 'the 407 carries a To tag');
}]);

steps.push(['a call 1000 -> 1001 through the domain: 407 auth, 180, 200, ACK, BYE', async () => {
  // 1001 was registered above with Contact 127.0.0.1:ports.peer; refresh so the test stands alone.
  await registerUser('1001', ports.peer, 'register-1001-again');
  const uas = await startSipp(ctx.procs, {
    scenario: 'uas_answer.xml', name: 'uas-1001', port: ports.peer, mediaPort: ports.media, rtpEcho: true,
    service: '1001',
  });
  const uac = await startSipp(ctx.procs, {
    scenario: 'kam_uac_call.xml', name: 'uac-1000', port: ports.peer2, mediaPort: ports.media + 10, remote: DOMAIN,
    service: '1001', auth: { user: '1000', password: '1234' }, keys: { caller: '1000' },
  });
  const callerMsgs = await expectSippOk(uac, 'caller 1000');
  const calleeMsgs = await expectSippOk(uas, 'callee 1001');
  assert.ok(received(callerMsgs, /^SIP\/2.0 407/), 'the caller was challenged');
  assert.ok(received(callerMsgs, /^SIP\/2.0 180/), 'the 180 came back through the proxy');

  const invite = received(calleeMsgs, /^INVITE /);
  assert.ok(invite, 'the callee got the INVITE');
  assert.match(invite.text.split('\n')[0], new RegExp(`^INVITE sip:1001@127\\.0\\.0\\.1:${ports.peer} SIP/2.0`),
    'Request-URI rewritten to the registered contact');
  const vias = invite.text.split('\n').filter((l) => /^Via:/i.test(l));
  assert.equal(vias.length, 2, `two Vias (proxy + caller):\n${vias.join('\n')}`);
  assert.match(vias[0], new RegExp(`SIP/2.0/UDP 127\\.0\\.0\\.1:${DOMAIN_PORT};branch=z9hG4bKcgld`), 'our Via on top');
  assert.equal(sipHeader(invite.text, 'Max-Forwards'), '69');
  assert.equal(sipHeader(invite.text, 'Proxy-Authorization'), null, 'credentials consumed by the proxy');
  assert.equal(sipHeader(invite.text, 'Record-Route'), null, 'no Record-Route: the dialog runs UA to UA');
  assert.ok(received(calleeMsgs, /^BYE /), 'the BYE reached the callee');
  assertRunning(callgate);
}]);

steps.push(['INVITE to an unknown user: 404 after authentication', async () => {
  const uac = await startSipp(ctx.procs, {
    scenario: 'kam_uac_call_404.xml', name: 'uac-404', port: ports.peer2 + 26, mediaPort: ports.media + 30,
    remote: DOMAIN, service: '4711', auth: { user: '1000', password: '1234' }, keys: { caller: '1000' },
  });
  await expectSippOk(uac, 'call to unknown 4711');
}]);

steps.push(['a registered, then unregistered user (Contact: *, Expires: 0): 480', async () => {
  await registerUser('1003', ports.peer2 + 30, 'register-1003');
  const unreg = await startSipp(ctx.procs, {
    scenario: 'domain_unregister_all.xml', name: 'unregister-1003', port: ports.peer2 + 28, remote: DOMAIN,
    service: '1003', auth: { user: '1003', password: '1234' },
  });
  const msgs = await expectSippOk(unreg, 'unREGISTER 1003');
  assert.equal(sipHeader(received(msgs, /^SIP\/2.0 200/).text, 'Contact'), null, 'no binding left');
  const uac = await startSipp(ctx.procs, {
    scenario: 'domain_uac_call_480.xml', name: 'uac-480', port: ports.peer2 + 32, mediaPort: ports.media + 40,
    remote: DOMAIN, service: '1003', auth: { user: '1000', password: '1234' }, keys: { caller: '1000' },
  });
  await expectSippOk(uac, 'call to unregistered 1003');
}]);

steps.push(['a malformed REGISTER gets 400 with the reason, and the domain keeps working', async () => {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, LOOPBACK, r));
  const reply = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to the malformed REGISTER in 3 s')), 3000);
    sock.once('message', (msg) => {
      clearTimeout(timer);
      resolve(msg.toString());
    });
  });
  const port = sock.address().port;
  const text = [
    'REGISTER sip:127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKbad1`,
    'From: <sip:1000@127.0.0.1>;tag=x',
    'To: <sip:1000@127.0.0.1>',
    'CSeq: 1 REGISTER',
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
  sock.send(text, DOMAIN_PORT, LOOPBACK);
  const answer = await reply;
  sock.close();
  assert.match(answer.split('\r\n')[0], /^SIP\/2.0 400 .*Call-ID/);
  await registerUser('1002', ports.peer2 + 34, 'register-1002-after-bad');
  assertRunning(callgate);
}]);

test('local SIP domain: registrar and proxy against sipp phones', async () => {
  ctx = testContext('sipp-domain');
  await ctx.run(async () => {
    callgate = await startCallgate(ctx.procs, ports, [
      '--domain-enabled', '1', '--domain-port', String(DOMAIN_PORT), '--domain-users', USERS,
    ]);
    await waitForPort('udp', DOMAIN_PORT, 5000, callgate);
    for (const [name, step] of steps) {
      process.stdout.write(`# step: ${name}\n`);
      try {
        await step();
      } catch (err) {
        err.message = `step "${name}": ${err.message}`;
        throw err;
      }
    }
  });
});
