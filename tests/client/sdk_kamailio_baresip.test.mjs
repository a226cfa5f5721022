// The C++ client SDK and a real SIP phone behind a real SIP server: callgate-phone registers
// 1000 at Kamailio (127.0.0.1:5060) through callgate; baresip (Debian baresip-core, PCMU,
// plays a 440 Hz tone, dumps what it decodes to WAV, auto-answers) registers 1001 there.
// 1. The SDK calls 1001 with a 1 kHz tone and sends DTMF 1 2 # as RFC 2833 (the default):
//    the SDK's offer has PCMU alone, so this needs the telephone-event callgate adds to its
//    SIP offer itself. RING, ESTABLISHED; baresip reports the digits in order
//    (CALL_DTMF_START); the SDK hangs up after 4 s ->
//    FINISH, exit 0, and baresip sees the end (CALL_CLOSED, the BYE answered 200). Audio both
//    ways, by frequency: the SDK's recording holds 440 Hz (not its own 1 kHz), baresip's
//    decoded audio holds 1 kHz (not its own 440 Hz).
// 2. baresip dials 1000: the SDK (--answer, 600 Hz) gets the call from 1001 and answers (PCMU
//    alone; callgate's SIP answer keeps baresip's telephone-event for itself) and sends RFC
//    2833 DTMF 5, which baresip reports; baresip hangs up 3 s later -> the SDK reports FINISH and exits 0 long before its
//    --duration; again each side's recording holds the other side's tone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRunning, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { baresipSipTrace, readWav, startBaresip } from '../lib/baresip.mjs';
import { E2E, e2eCallgatePorts } from '../lib/e2e.mjs';
import { startKamailio } from '../lib/kamailio.mjs';
import { LOOPBACK, waitUntil } from '../lib/procs.mjs';
import { analyseTone, startPhone, toneShare } from '../lib/phone.mjs';

const BARESIP_TONE = 440; // startBaresip's microphone (writeToneWav default)

/** callgate-phone flags for `login` at Kamailio, through callgate's WebSocket. */
const account = (login) => ['--url', `ws://${LOOPBACK}:${E2E.ws}`, '--login', login, '--password', '1234',
  '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK, '--port', String(E2E.kamailio), '--register', '1'];

/**
 * Tone check on baresip's newest decoded-audio dump (read like baresip.mjs does: the sndfile
 * header may be stale): blocks of 100 ms where `hz` carries more than half the energy.
 */
function baresipHeard(phone, hz) {
  const { dec } = phone.wavDumps();
  if (!dec.length) throw new Error(`baresip wrote no decoded-audio WAV in ${phone.dir}/wav`);
  const { rate, samples } = readWav(dec[dec.length - 1]);
  const block = Math.round(rate / 10);
  let blocks = 0;
  let toneBlocks = 0;
  for (let off = 0; off + block <= samples.length; off += block, blocks++) {
    const t = toneShare(samples.subarray(off, off + block), rate, hz);
    if (t.share > 0.5 && t.rms > 500) toneBlocks++;
  }
  return { hz, rate, blocks, toneBlocks, file: dec[dec.length - 1] };
}

/** Asserts that `wav` (the SDK's recording) holds `hz` in at least half of its blocks and not `own`. */
function assertSdkHeard(wav, hz, own) {
  const a = analyseTone(wav, hz);
  assert.ok(a.seconds >= 2, `the SDK recorded ${a.seconds} s: ${JSON.stringify(a)}`);
  assert.ok(a.toneBlocks >= a.blocks * 0.5, `the SDK hears ${hz} Hz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);
  const self = analyseTone(wav, own);
  assert.ok(self.medianShare < 0.05, `the SDK does not hear its own ${own} Hz: ${JSON.stringify(self)}`);
  console.log(`SDK recording: ${JSON.stringify(a)}`);
}

function assertBaresipHeard(phone, hz, own) {
  const h = baresipHeard(phone, hz);
  assert.ok(h.blocks >= 20, `baresip decoded at least 2 s: ${JSON.stringify(h)}`);
  assert.ok(h.toneBlocks >= h.blocks * 0.5, `baresip hears ${hz} Hz in ${h.toneBlocks}/${h.blocks} blocks: ${JSON.stringify(h)}`);
  const self = baresipHeard(phone, own);
  assert.ok(self.toneBlocks <= self.blocks * 0.05, `baresip does not hear its own ${own} Hz: ${JSON.stringify(self)}`);
  console.log(`baresip decoded: ${JSON.stringify(h)}`);
}

async function startStack(ctx) {
  await startKamailio(ctx.procs, E2E.kamailio);
  const callgate = await startCallgate(ctx.procs, e2eCallgatePorts());
  const phone = await startBaresip(ctx.procs, { user: '1001', answermode: 'auto' });
  ctx.onCleanup(() => phone.close());
  return { callgate, phone };
}

test('SDK at Kamailio calls baresip: RING, ESTABLISHED, RFC 2833 DTMF at the phone, audio both ways, SDK hangs up', async () => {
  const ctx = testContext('sdk_kamailio_baresip_out');
  await ctx.run(async () => {
    const { callgate, phone } = await startStack(ctx);
    const wav = `${ctx.dir}/sdk-received.wav`;
    const sdk = startPhone(ctx.procs, [...account('1000'), '--call', '1001', '--tone', '1000', '--record', wav,
      '--dtmf', '12#', '--duration', '4', '--timeout', '10'], { name: 'phone-1000' });

    // Auto answer: baresip reports no CALL_INCOMING, the call is ESTABLISHED at once.
    const est = await phone.waitEvent('CALL_ESTABLISHED', 15000);
    assert.equal(est.direction, 'incoming', `baresip's call is incoming: ${JSON.stringify(est)}`);
    assert.match(est.peeruri ?? '', /^sip:1000@127\.0\.0\.1\b/, `baresip sees the call from 1000: ${JSON.stringify(est)}`);
    const digits = () => phone.eventsOf('CALL_DTMF_START').map((e) => e.param).join('');
    await waitUntil(() => phone.eventsOf('CALL_DTMF_START').length >= 3, 8000, 'three DTMF digits at baresip', 100)
      .catch((err) => { throw new Error(`${err.message}: got '${digits()}'; ${phone.eventSummary()}`); });
    assert.equal(digits(), '12#', `baresip got the SDK's digits in order: ${phone.eventSummary()}`);

    const r = await sdk.finish(15000);
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    const statuses = r.lines.filter((l) => l.startsWith('call ')).map((l) => l.split(' ')[1]);
    assert.ok(r.lines.includes('session REGISTERED'), r.out);
    assert.ok(statuses.indexOf('RING') >= 0 && statuses.indexOf('RING') < statuses.indexOf('ESTABLISHED'), r.out);
    assert.ok(r.lines.includes('hangup'), `the SDK hung up itself: ${r.out}`);
    assert.equal(statuses.at(-1), 'FINISH', r.out);

    // baresip saw the end: CALL_CLOSED, and it answered the BYE.
    await phone.waitEvent('CALL_CLOSED', 5000);
    await sleep(200);
    const trace = baresipSipTrace(phone);
    const flow = trace.map((m) => `${m.dir}: ${m.text.split('\r\n')[0]}`).join('\n');
    assert.ok(trace.some((m) => m.dir === 'received' && /^BYE /.test(m.text)), `baresip got a BYE:\n${flow}`);
    assert.ok(trace.some((m) => m.dir === 'sent' && /^SIP\/2\.0 200/.test(m.text) && /^CSeq:\s*\d+ BYE/im.test(m.text)),
      `baresip answered the BYE 200:\n${flow}`);

    assertSdkHeard(wav, BARESIP_TONE, 1000);
    assertBaresipHeard(phone, 1000, BARESIP_TONE);
    assertRunning(callgate);
  });
});

test('baresip calls the SDK at Kamailio: the SDK answers, RFC 2833 DTMF, audio both ways, baresip hangs up -> FINISH, exit 0', async () => {
  const ctx = testContext('sdk_kamailio_baresip_in');
  await ctx.run(async () => {
    const { callgate, phone } = await startStack(ctx);
    const wav = `${ctx.dir}/sdk-received.wav`;
    const sdk = startPhone(ctx.procs, [...account('1000'), '--answer', '--tone', '600', '--record', wav,
      '--dtmf', '5', '--duration', '30', '--timeout', '15'], { name: 'phone-1000' });
    await sdk.waitLine(/^session REGISTERED/, 10000);

    const dial = await phone.dial('sip:1000@127.0.0.1');
    assert.ok(dial.ok, `baresip dial: ${JSON.stringify(dial)}`);
    await sdk.waitLine(/^incoming call from '1001'/, 10000);
    await sdk.waitLine(/^call ESTABLISHED/, 10000);
    const est = await phone.waitEvent('CALL_ESTABLISHED', 10000);
    assert.equal(est.direction, 'outgoing', `baresip's call is outgoing: ${JSON.stringify(est)}`);

    await waitUntil(() => phone.eventsOf('CALL_DTMF_START').length >= 1, 5000, 'DTMF at baresip', 100)
      .catch((err) => { throw new Error(`${err.message}; ${phone.eventSummary()}`); });
    assert.equal(phone.eventsOf('CALL_DTMF_START').map((e) => e.param).join(''), '5', phone.eventSummary());
    await sleep(1500);
    const t0 = Date.now();
    const hang = await phone.hangup();
    assert.ok(hang.ok, `baresip hangup: ${JSON.stringify(hang)}`);
    const r = await sdk.finish(8000);
    assert.equal(r.code, 0, `callgate-phone exit ${r.code}: ${r.result}\n${r.out}`);
    assert.ok(Date.now() - t0 < 5000, `the SDK ended ${Date.now() - t0} ms after baresip's hangup`);
    assert.match(r.result, /^result 0 FINISH /, r.out);
    assert.ok(!r.lines.includes('hangup'), `the SDK did not hang up itself: ${r.out}`);
    await phone.waitEvent('CALL_CLOSED', 5000);

    assertSdkHeard(wav, BARESIP_TONE, 600);
    assertBaresipHeard(phone, 600, BARESIP_TONE);
    assertRunning(callgate);
  });
});
