// End to end with a real SIP phone holding the browser: baresip (1001) calls the page (1000),
// the page answers, audio flows both ways. baresip's `hold` command re-INVITEs with a=sendonly
// through Kamailio's route set -> callgate answers 200 with a=recvonly (or inactive), the page
// gets HOLD and its inbound audio stops. `resume` re-INVITEs with a=sendrecv -> 200 sendrecv,
// the page gets ESTABLISHED again and receives the tone again. The page hangs up -> FINISH,
// baresip CALL_CLOSED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, startBaresip } from '../lib/baresip.mjs';
import {
  assertTwoWayAudio, audioStats, e2eAccount, installCallApi, pageEvents, startE2eStack, waitCallEvent, waitCallTerminal,
  waitIncomingCall, waitPageEvent, waitUntil,
} from '../lib/e2e.mjs';

const sdpOf = (m) => m.text.slice(m.text.search(/\r\n\r\n/) + 4);
const dirOf = (sdp) => (/^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp) ?? [null, 'sendrecv'])[1];

test('e2e baresip: the phone holds and resumes the browser', async () => {
  const ctx = testContext('e2e_baresip_remote_hold');
  await ctx.run(async () => {
    const { callgate, page } = await startE2eStack(ctx);
    await page.evaluate((o) => window.cg.connect(o), e2eAccount());
    await installCallApi(page);
    await waitPageEvent(page, 'session', 'REGISTERED', 10000);

    const phone = await startBaresip(ctx.procs, { user: '1001' });
    ctx.onCleanup(() => phone.close());
    await phone.dial('sip:1000@127.0.0.1');
    const inc = await waitIncomingCall(page, 15000);
    await page.evaluate(() => window.cgx.answer());
    await waitCallEvent(page, 'ESTABLISHED', 15000, inc.callId);
    await phone.waitEvent('CALL_ESTABLISHED', 10000);
    await assertTwoWayAudio(page);

    const flow = () => baresipSipTrace(phone).map((m) => `${m.dir}: ${m.text.split('\r\n')[0]}${/\r\n\r\nv=0/.test(m.text) ? ' [' + dirOf(sdpOf(m)) + ']' : ''}`).join('\n');
    const reinviteOks = () => baresipSipTrace(phone).filter((m) => m.dir === 'received' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text));

    const hold = await phone.command('hold');
    assert.ok(hold.ok, `baresip hold: ${JSON.stringify(hold)}`);
    await waitCallEvent(page, 'HOLD', 10000, inc.callId).catch((err) => {
      throw new Error(`${err.message}\nbaresip SIP:\n${flow()}`);
    });
    await waitUntil(() => reinviteOks().length >= 2, 5000, 'the 200 for the hold re-INVITE at baresip', 100).catch((err) => {
      throw new Error(`${err.message}\n${flow()}`);
    });
    const sentInvites = baresipSipTrace(phone).filter((m) => m.dir === 'sent' && /^INVITE /.test(m.text) && /\r\n\r\nv=0/.test(m.text));
    assert.match(dirOf(sdpOf(sentInvites[sentInvites.length - 1])), /^(sendonly|inactive)$/, `baresip's hold offer:\n${flow()}`);
    assert.match(dirOf(sdpOf(reinviteOks()[1])), /^(recvonly|inactive)$/, `callgate's hold answer:\n${sdpOf(reinviteOks()[1])}`);
    await sleep(500); // packets in flight
    const h1 = await audioStats(page);
    await sleep(1500);
    const h2 = await audioStats(page);
    console.log(`held by the phone: inbound ${h1.packetsReceived} -> ${h2.packetsReceived}`);
    assert.ok(h2.packetsReceived - h1.packetsReceived <= 2, `no inbound audio while held: ${JSON.stringify(h1)} -> ${JSON.stringify(h2)}`);

    const resume = await phone.command('resume');
    assert.ok(resume.ok, `baresip resume: ${JSON.stringify(resume)}`);
    await waitCallEvent(page, 'ESTABLISHED', 10000, inc.callId, 2).catch((err) => {
      throw new Error(`${err.message}\nbaresip SIP:\n${flow()}`);
    });
    await waitUntil(() => reinviteOks().length >= 3, 5000, 'the 200 for the resume re-INVITE at baresip', 100).catch((err) => {
      throw new Error(`${err.message}\n${flow()}`);
    });
    assert.equal(dirOf(sdpOf(reinviteOks()[2])), 'sendrecv', `callgate's resume answer:\n${sdpOf(reinviteOks()[2])}`);
    const u1 = await audioStats(page);
    const u2 = await waitUntil(async () => {
      const s = await audioStats(page);
      return s.packetsReceived >= u1.packetsReceived + 25 ? s : null;
    }, 8000, 'inbound audio again after resume', 250).catch(async (err) => {
      throw new Error(`${err.message}; stats ${JSON.stringify(await audioStats(page))} (at resume ${JSON.stringify(u1)})`);
    });
    assert.ok(u2.totalAudioEnergy > h2.totalAudioEnergy, `the tone's energy grows again: ${JSON.stringify(h2)} -> ${JSON.stringify(u2)}`);

    await page.evaluate(() => window.cgx.hangup());
    const term = await waitCallTerminal(page, 10000);
    assert.equal(term.status, 'FINISH', `terminal status ${JSON.stringify(term)}`);
    await phone.waitEvent('CALL_CLOSED', 5000);
    const statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
    assert.deepEqual(statuses.filter((s) => ['ESTABLISHED', 'HOLD', 'FINISH'].includes(s)), ['ESTABLISHED', 'HOLD', 'ESTABLISHED', 'FINISH'], `call statuses: ${statuses}`);
    assertRunning(callgate);
  });
});
