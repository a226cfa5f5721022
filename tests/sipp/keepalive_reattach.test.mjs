// keepAlive re-attach (protocol §1 "Session identity / reconnect", §4.11; docs/configuration.md
// "Reconnecting clients"), with --keepalive-grace-s 3:
// 1. A client connected with keepAlive:true and REGISTERED (sipp registrar) closes its socket:
//    no un-REGISTER. A sipp phone calls 1000 meanwhile (100/180: the kept session still takes
//    incoming calls). A new socket sends `connection` with only the authToken: getUserData
//    (same token, sipLogin, no password), `registered` again, and the ringing call re-delivered
//    (setRemoteSDP, notifyIncomingCall, ring); answering it works (200, ACK, the phone's BYE ->
//    FINISH). Still one REGISTER at the registrar. Closed again, the session is ended when the
//    grace runs out: the un-REGISTER comes about 3 s after the close, with an INFO log line.
// 2. Refused tokens: unknown, of a keepAlive:false session that ended, expired — each a
//    `fail` ConnectionStatusEvent with its own info, then the server closes. A token whose
//    session a live socket holds takes it over; the holder gets `fail` and is closed.
// 3. --workers 2: the re-attaching socket lands on the other worker and is relayed to the
//    session's worker (frames both ways).
// 4. A client that stops answering pings is dropped by the server and kept like a closed one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portPlan, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { webRtcAnswerTo } from '../lib/chromium_offer.mjs';
import { LOOPBACK } from '../lib/procs.mjs';
import { parseSippMessages } from '../lib/sipp.mjs';
import {
  NO_BROWSER_ARGS, assertHealthy, expectSippSuccess, receivedRequests, responses, startIncomingTest, startPhone,
  waitIncomingCall, waitSippMessage,
} from '../lib/sipp_tests.mjs';
import { WcsClient } from '../lib/wcs_client.mjs';

const GRACE_S = 3;

async function reconnectWithToken(ports, authToken, extra = {}) {
  const client = await WcsClient.open(`ws://${LOOPBACK}:${ports.ws}`, 5000);
  // What the Web demo's "Connect with token" sends: no SIP fields at all.
  client.send('connection', { appKey: 'defaultApp', mediaProviders: ['WebRTC'], authToken, keepAlive: true, ...extra });
  return client;
}

test('keepAlive session survives its socket, is re-attached by authToken, ends after the grace', async () => {
  const ports = portPlan(63);
  const ctx = testContext('keepalive_reattach');
  await ctx.run(async () => {
    const { registrar, callgate, client } = await startIncomingTest(ctx, ports, {
      callgateArgs: [...NO_BROWSER_ARGS, '--keepalive-grace-s', String(GRACE_S)],
      account: { keepAlive: true },
    });
    const ud = client.messages('getUserData')[0].data[0];
    const token = ud.authToken;
    assert.ok(token.length >= 40, `authToken is long and random: ${token}`);

    await client.close();
    // An incoming call while no socket is attached: the kept session still answers 100/180.
    const phone = await startPhone(ctx, ports, { scenario: 'uac_invite_answered_bye.xml' });
    await waitSippMessage(phone, (m) => m.dir === 'received' && m.text.startsWith('SIP/2.0 180 '), 8000);
    await sleep(1000);
    const regsWhileDetached = receivedRequests(parseSippMessages(registrar.messages()), 'REGISTER');
    assert.equal(regsWhileDetached.length, 1, 'no un-REGISTER while the session is kept');

    const again = await reconnectWithToken(ports, token);
    ctx.onCleanup(() => again.close());
    const ud2 = (await again.waitFor({ message: 'getUserData' }, 5000)).data[0];
    assert.equal(ud2.authToken, token, 'getUserData carries the same authToken');
    assert.equal(ud2.sipLogin, '1000', 'getUserData carries the kept sipLogin');
    assert.equal(ud2.sipPassword, undefined, 'getUserData never carries sipPassword');
    await again.waitFor({ message: 'registered' }, 5000);
    const { callId, notify, offer } = await waitIncomingCall(again, 5000);
    assert.equal(notify.caller, '2000', 're-delivered call is the phone\'s');
    const all = again.messages().map((m) => m.message);
    assert.ok(all.indexOf('registered') < all.indexOf('setRemoteSDP'), `registered before the ringing call: ${again.summary()}`);

    again.answer(callId, webRtcAnswerTo(offer).sdp, { notify });
    await again.waitForCall(callId, 'ESTABLISHED', 8000);
    await again.waitForCall(callId, 'FINISH', 10000);  // the phone hangs up after 2 s
    const p = await expectSippSuccess(phone);
    assert.ok(responses(p.parsed, 200).length >= 1, `the re-attached client answered:\n${p.flow}`);
    assert.equal(receivedRequests(parseSippMessages(registrar.messages()), 'REGISTER').length, 1,
      'the registration was not redone on re-attach');

    const closedAt = Date.now();
    await again.close();
    await waitSippMessage(registrar, (m) => m.dir === 'received' && m.text.startsWith('REGISTER ') &&
      receivedRequests(parseSippMessages(registrar.messages()), 'REGISTER').length >= 2, GRACE_S * 1000 + 8000);
    const after = Date.now() - closedAt;
    assert.ok(after >= GRACE_S * 1000 - 500, `un-REGISTER only after the grace (${after} ms after the close)`);
    const r = await expectSippSuccess(registrar, 10000);
    const regs = receivedRequests(r.parsed, 'REGISTER');
    assert.match(regs[regs.length - 1].text, /^Expires:\s*0\s*$|;\s*expires\s*=\s*0\b/im, 'the last REGISTER has expiry 0');
    assert.match(callgate.log(), /no re-attach within 3 s \(keepAlive grace\), ending the session/, 'INFO line at expiry');
    assertHealthy(again, callgate);
  });
});

test('authTokens that cannot be re-attached are refused with a reason and the socket closed', async () => {
  const ports = portPlan(64);
  const ctx = testContext('keepalive_refused');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, ['--keepalive-grace-s', '1']);
    const url = `ws://${LOOPBACK}:${ports.ws}`;
    const account = { sipRegisterRequired: false, sipPort: String(ports.peer) };
    const expectRefused = async (client, info) => {
      const f = await client.waitFor({ message: 'fail' }, 5000, { allowClosed: true });
      assert.equal(f.data[0].apiMethod, 'ConnectionStatusEvent');
      assert.equal(f.data[0].status, 'FAILED');
      assert.equal(f.data[0].info, info);
      await client.waitClosed(5000);
      assert.equal(client.messages('getUserData').length, 0, 'no getUserData for a refused token');
    };

    await expectRefused(await reconnectWithToken(ports, '0-doesnotexist.nosecretatall'), 'Unknown authToken');

    const holder = await WcsClient.open(url);
    ctx.onCleanup(() => holder.close());
    holder.sendConnection({ ...account, keepAlive: true });
    const token = (await holder.waitFor({ message: 'getUserData' })).data[0].authToken;
    // A token whose session a live socket holds takes it over (the holder's link may be dead
    // without the server knowing yet): the new socket gets the session, the holder is told
    // why and closed.
    const taker = await reconnectWithToken(ports, token);
    ctx.onCleanup(() => taker.close());
    assert.equal((await taker.waitFor({ message: 'getUserData' }, 5000)).data[0].authToken, token);
    const takenOver = await holder.waitFor({ message: 'fail' }, 5000, { allowClosed: true });
    assert.equal(takenOver.data[0].apiMethod, 'ConnectionStatusEvent');
    assert.equal(takenOver.data[0].info, 'Session taken over by another connection with its authToken');
    await holder.waitClosed(5000);
    assert.equal(taker.closeInfo, null, 'the socket that took the session over stays open');
    // A forged secret for a real key is just unknown.
    await expectRefused(await reconnectWithToken(ports, token.slice(0, token.indexOf('.') + 1) + 'x'.repeat(32)),
      'Unknown authToken');

    const plain = await WcsClient.open(url);
    plain.sendConnection({ ...account, keepAlive: false });
    const plainToken = (await plain.waitFor({ message: 'getUserData' })).data[0].authToken;
    await plain.close();
    await sleep(200);
    await expectRefused(await reconnectWithToken(ports, plainToken), 'Unknown authToken');

    await taker.close();  // the session's socket now (the holder was closed by the takeover)
    await sleep(1800);  // grace 1 s
    await expectRefused(await reconnectWithToken(ports, token), 'authToken expired');
    assert.match(callgate.log(), /no re-attach within 1 s \(keepAlive grace\)/);
  });
});

test('with two workers a re-attaching socket accepted by the other worker is relayed to the session', async () => {
  const ports = portPlan(66);
  const ctx = testContext('keepalive_workers');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, ['--workers', '2', '--keepalive-grace-s', '5']);
    const url = `ws://${LOOPBACK}:${ports.ws}`;
    const first = await WcsClient.open(url);
    first.sendConnection({ sipRegisterRequired: false, sipPort: String(ports.peer), keepAlive: true });
    const token = (await first.waitFor({ message: 'getUserData' })).data[0].authToken;
    await first.close();
    await sleep(200);
    // Connections are spread round robin, so the next socket lands on the other worker.
    const again = await reconnectWithToken(ports, token);
    ctx.onCleanup(() => again.close());
    const ud = (await again.waitFor({ message: 'getUserData' }, 5000)).data[0];
    assert.equal(ud.authToken, token);
    assert.equal(ud.sipLogin, '1000');
    assert.match(callgate.log(), /re-attached by authToken through a socket of another worker/,
      'the second socket was on the other worker and relayed');
    // Frames flow both ways through the relay: a bad call is refused by the session's worker.
    again.send('call', { callId: 'c-relay', callee: '', sdp: 'v=0' });
    const fin = await again.waitForTerminal('c-relay', 5000);
    assert.equal(fin.status, 'FAILED');
    assert.match(fin.info, /callee/i);
    // Link checks are answered on the relaying socket: it stays open across a ping.
    await again.waitFor({ message: 'ping' }, 7000);
    assertHealthy(again, callgate);
  });
});

test('a keepAlive client dropped for unanswered pings is kept and can re-attach', async () => {
  const ports = portPlan(67);
  const ctx = testContext('keepalive_probes');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports,
      ['--keepalive-interval-ms', '200', '--keepalive-probes', '2', '--keepalive-grace-s', '5']);
    const silent = await WcsClient.open(`ws://${LOOPBACK}:${ports.ws}`);
    silent.sendConnection({ sipRegisterRequired: false, sipPort: String(ports.peer), keepAlive: true });
    const token = (await silent.waitFor({ message: 'getUserData' })).data[0].authToken;
    silent.send = () => {};  // from now on no pong: the server must give up on this socket
    await silent.waitClosed(5000);
    assert.match(callgate.log(), /pings unanswered, closing/);
    assert.match(callgate.log(), /socket lost, session kept 5 s/);
    const again = await reconnectWithToken(ports, token);
    ctx.onCleanup(() => again.close());
    const ud = (await again.waitFor({ message: 'getUserData' }, 5000)).data[0];
    assert.equal(ud.authToken, token);
    assertHealthy(again, callgate);
  });
});
