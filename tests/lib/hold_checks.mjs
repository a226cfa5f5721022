// Hold checks shared by the hold e2e tests (direct media and media through rtpengine).
import assert from 'node:assert/strict';
import { sleep } from './callgate.mjs';
import { audioStats, pageEvents, waitCallEvent, waitUntil } from './e2e.mjs';

/**
 * On an ESTABLISHED call with two-way audio: call.hold() -> HOLD and the browser's inbound
 * audio stops (at most 2 packets in 1.5 s, after 0.5 s for packets in flight);
 * call.unhold() -> ESTABLISHED again and inbound audio with energy resumes.
 */
export async function holdAndResume(page, callId) {
  await page.evaluate(() => window.cgx.hold());
  await waitCallEvent(page, 'HOLD', 10000, callId);
  await sleep(500); // packets already in flight
  const h1 = await audioStats(page);
  await sleep(1500);
  const h2 = await audioStats(page);
  const heldDelta = h2.packetsReceived - h1.packetsReceived;
  console.log(`held: inbound ${h1.packetsReceived} -> ${h2.packetsReceived}, outbound ${h1.packetsSent} -> ${h2.packetsSent}`);
  assert.ok(heldDelta <= 2, `no inbound audio while held: ${heldDelta} packets in 1.5 s (${JSON.stringify(h1)} -> ${JSON.stringify(h2)})`);
  const statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
  assert.equal(statuses.filter((s) => s === 'ESTABLISHED').length, 1, `still held: ${statuses}`);

  await page.evaluate(() => window.cgx.unhold());
  await waitCallEvent(page, 'ESTABLISHED', 10000, callId, 2);
  const u1 = await audioStats(page);
  const u2 = await waitUntil(async () => {
    const s = await audioStats(page);
    return s.packetsReceived >= u1.packetsReceived + 25 ? s : null;
  }, 8000, 'inbound audio again after unhold', 250).catch(async (err) => {
    throw new Error(`${err.message}; stats ${JSON.stringify(await audioStats(page))} (at unhold ${JSON.stringify(u1)})`);
  });
  console.log(`resumed: inbound ${u1.packetsReceived} -> ${u2.packetsReceived}`);
  assert.ok(u2.totalAudioEnergy > h2.totalAudioEnergy, `echoed audio energy grows again after unhold: ${JSON.stringify(h2)} -> ${JSON.stringify(u2)}`);
}

/** The phone's messages: two re-INVITEs, sendonly (or inactive) then sendrecv. */
export function assertHoldReinvites(r) {
  const reinvites = r.parsed.filter((m) => m.dir === 'received' && /^INVITE /.test(m.text)).slice(1);
  assert.equal(reinvites.length, 2, `two re-INVITEs:\n${r.flow}`);
  assert.match(reinvites[0].text, /^a=(sendonly|inactive)\s*$/m, 'hold offer is sendonly (or inactive)');
  assert.match(reinvites[1].text, /^a=sendrecv\s*$/m, 'unhold offer is sendrecv');
}

/** The page's statuses: ESTABLISHED, HOLD, ESTABLISHED, FINISH. */
export async function assertHoldStatuses(page) {
  const statuses = (await pageEvents(page)).filter((e) => e.kind === 'call').map((e) => e.status);
  assert.deepEqual(statuses.filter((s) => ['ESTABLISHED', 'HOLD', 'FINISH'].includes(s)), ['ESTABLISHED', 'HOLD', 'ESTABLISHED', 'FINISH'], `call statuses: ${statuses}`);
}
