// Shared steps of the tests in tests/sipp/: a sipp peer on the SIP side, callgate, and a WCS
// client connected to callgate whose outbound proxy is the sipp peer.
import assert from 'node:assert/strict';
import { assertRunning, startCallgate } from './callgate.mjs';
import { LOOPBACK } from './procs.mjs';
import { parseSippMessages, startLines, startSipp } from './sipp.mjs';
import { WcsClient } from './wcs_client.mjs';

/** SIP account used by the node client (the sipp peer plays registrar/proxy at ports.peer). */
export function sipAccount(ports, overrides = {}) {
  return {
    sipLogin: '1000',
    sipAuthenticationName: '1000',
    sipPassword: '1234',
    sipDomain: LOOPBACK,
    sipOutboundProxy: LOOPBACK,
    sipPort: String(ports.peer),
    sipRegisterRequired: false,
    ...overrides,
  };
}

/**
 * Starts the sipp peer (UAS scenario on ports.peer), then callgate, then connects a client
 * and sends `connection`; waits for getUserData. Returns {sipp, callgate, client}.
 */
export async function startCallTest(ctx, ports, { scenario, sipp = {}, callgateArgs = [], account = {} }) {
  const peer = await startSipp(ctx.procs, {
    scenario,
    port: ports.peer,
    mediaPort: ports.media,
    service: '2000',
    ...sipp,
  });
  const callgate = await startCallgate(ctx.procs, ports, callgateArgs);
  const client = await WcsClient.openWhenReady(`ws://${LOOPBACK}:${ports.ws}`, 10000);
  ctx.onCleanup?.(() => client.close());
  const sent = client.sendConnection(sipAccount(ports, account));
  const ud = await client.waitFor({ message: 'getUserData' }, 5000);
  assert.equal(ud.data?.[0]?.sipLogin, sent.sipLogin, 'getUserData echoes sipLogin (protocol 3.1)');
  assert.ok(typeof ud.data?.[0]?.authToken === 'string' && ud.data[0].authToken.length > 0, 'getUserData carries an authToken');
  assert.equal(ud.data?.[0]?.sipPassword, undefined, 'getUserData does not echo sipPassword');
  return { sipp: peer, callgate, client };
}

/** Waits for sipp to finish and asserts it succeeded (its scenario saw everything it expects). */
export async function expectSippSuccess(sipp, timeoutMs = 30000) {
  const r = await sipp.result(timeoutMs);
  const flow = startLines(parseSippMessages(r.messages)).join('\n');
  assert.equal(r.code, 0, `sipp scenario failed (exit ${r.code}).\nSIP flow:\n${flow}\nsipp errors:\n${r.errors.slice(-3000)}`);
  return { ...r, parsed: parseSippMessages(r.messages), flow };
}

/** Index of the first call event with `status`, or -1. */
export function statusIndex(events, status) {
  return events.findIndex((e) => e.status === status);
}

/** Asserts the client saw no protocol violations and callgate is still alive. */
export function assertHealthy(client, callgate) {
  assert.deepEqual(client.protocolErrors, [], 'server frames follow protocol §1');
  assertRunning(callgate);
}

/** Received (by sipp) requests with a given method, in order. */
export function receivedRequests(parsed, method) {
  return parsed.filter((m) => m.dir === 'received' && m.text.startsWith(`${method} `));
}
