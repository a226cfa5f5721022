// Shared steps of the tests in tests/sipp/: a sipp peer on the SIP side, callgate, and a WCS
// client connected to callgate whose outbound proxy is the sipp peer.
import assert from 'node:assert/strict';
import { assertRunning, startCallgate } from './callgate.mjs';
import { LOOPBACK } from './procs.mjs';
import { parseSippMessages, sipHeader, startLines, startSipp } from './sipp.mjs';
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

/**
 * callgate flags for calls whose WebRTC leg never connects (no browser in sipp tests): ICE/DTLS
 * and media may wait long enough for any scenario, so nothing ends the call behind the test.
 */
export const NO_BROWSER_ARGS = ['--ice-timeout', '120', '--media-timeout', '0'];

/** Messages sipp received (dir 'received') or sent ('sent') that are responses with `code`. */
export function responses(parsed, code, dir = 'received') {
  return parsed.filter((m) => m.dir === dir && m.text.startsWith(`SIP/2.0 ${code} `));
}

/** Requests sipp sent with a given method, in order. */
export function sentRequests(parsed, method) {
  return parsed.filter((m) => m.dir === 'sent' && m.text.startsWith(`${method} `));
}

/** Dialog identifiers of a SIP message text (RFC 3261 §12): Call-ID, tags, CSeq number/method. */
export function dialogOf(text) {
  const tag = (h) => /;\s*tag=([^;>\s]+)/i.exec(h ?? '')?.[1] ?? null;
  const cseq = (sipHeader(text, 'CSeq') ?? '').trim().split(/\s+/);
  return {
    callId: sipHeader(text, 'Call-ID') ?? sipHeader(text, 'i'),
    fromTag: tag(sipHeader(text, 'From') ?? sipHeader(text, 'f')),
    toTag: tag(sipHeader(text, 'To') ?? sipHeader(text, 't')),
    cseq: Number.parseInt(cseq[0], 10),
    cseqMethod: cseq[1],
    requestUri: /^[A-Z]+ (\S+) SIP\/2\.0/.exec(text)?.[1] ?? null,
  };
}

/** The o= line of an SDP as {sessId, version} (RFC 4566 §5.2), or null. */
export function sdpOrigin(sdp) {
  const m = /^o=\S+ (\d+) (\d+) IN IP[46] \S+\s*$/m.exec(sdp ?? '');
  return m ? { sessId: m[1], version: BigInt(m[2]) } : null;
}

/** The direction attribute of the first m=audio section (session level as fallback; RFC 3264 §5.1). */
export function audioDirection(sdp) {
  const lines = (sdp ?? '').split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('m=audio'));
  const dirRe = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/;
  if (start >= 0) {
    for (let i = start + 1; i < lines.length && !lines[i].startsWith('m='); i++) {
      const m = dirRe.exec(lines[i]);
      if (m) return m[1];
    }
  }
  for (let i = 0; i < (start < 0 ? lines.length : start); i++) {
    const m = dirRe.exec(lines[i]);
    if (m) return m[1];
  }
  return 'sendrecv';
}

/**
 * Asserts the WebRTC offer callgate sends for an incoming call (protocol §4.6, §5): m=audio
 * with UDP/TLS/RTP/SAVPF, a=setup:actpass (RFC 5763 §5), ice-ufrag/pwd, a sha-256 fingerprint,
 * a mid, rtcp-mux and a host candidate on 127.0.0.1.
 */
export function assertWebRtcOffer(sdp) {
  assert.equal(typeof sdp, 'string', 'offer SDP is a string');
  assert.ok(sdp.length > 0, 'offer SDP not empty (protocol §3.3)');
  const lines = sdp.split(/\r?\n/);
  const has = (re) => lines.some((l) => re.test(l));
  assert.ok(has(/^m=audio [1-9]\d* UDP\/TLS\/RTP\/SAVPF( \d+)+$/), `m=audio UDP/TLS/RTP/SAVPF:\n${sdp}`);
  assert.ok(has(/^a=setup:actpass$/), 'a=setup:actpass in an offer');
  assert.ok(has(/^a=ice-ufrag:.{4,}$/), 'a=ice-ufrag (>= 4 chars)');
  assert.ok(has(/^a=ice-pwd:.{22,}$/), 'a=ice-pwd (>= 22 chars)');
  assert.ok(has(/^a=fingerprint:sha-256 ([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/), 'a=fingerprint:sha-256');
  assert.ok(has(/^a=mid:\S+$/), 'a=mid');
  assert.ok(has(/^a=rtcp-mux$/), 'a=rtcp-mux');
  assert.ok(has(/^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/i), 'a host candidate on 127.0.0.1');
}

/**
 * For incoming-call tests: sipp plays the registrar on ports.peer (cg_register_unregister.xml:
 * REGISTER -> 200, later the un-REGISTER when the socket closes), callgate starts with `callgateArgs`
 * (default NO_BROWSER_ARGS), the client connects with sipRegisterRequired and we wait for
 * `registered`. Returns {registrar, callgate, client}.
 */
export async function startIncomingTest(ctx, ports, { callgateArgs = NO_BROWSER_ARGS, account = {} } = {}) {
  const { sipp: registrar, callgate, client } = await startCallTest(ctx, ports, {
    scenario: 'cg_register_unregister.xml',
    sipp: { name: 'sipp-registrar', service: '1000' },
    callgateArgs,
    account: { sipRegisterRequired: true, ...account },
  });
  await client.waitFor({ message: 'registered' }, 10000);
  return { registrar, callgate, client };
}

/**
 * Starts a sipp phone (UAC scenario from tests/sipp/) on ports.peer2 that calls callgate at
 * 127.0.0.1:ports.sip; `service` is the Request-URI user ([service] in the scenario).
 */
export function startPhone(ctx, ports, { scenario, service = '1000', name, keys, timeoutSec } = {}) {
  return startSipp(ctx.procs, {
    scenario,
    name,
    port: ports.peer2,
    mediaPort: ports.media + 4,
    remote: `${LOOPBACK}:${ports.sip}`,
    service,
    keys,
    timeoutSec,
  });
}

/**
 * Waits for an incoming call offered to the client and checks the frame order of protocol
 * §4.6: setRemoteSDP [callId, offer, false] before notifyIncomingCall before ring RING.
 * Returns {callId, notify, offer}.
 */
export async function waitIncomingCall(client, timeoutMs = 8000) {
  const n = await client.waitFor({ message: 'notifyIncomingCall' }, timeoutMs);
  const notify = n.data?.[0] ?? {};
  const callId = notify.callId;
  assert.ok(typeof callId === 'string' && callId.length > 0, `notifyIncomingCall has a callId: ${JSON.stringify(notify)}`);
  await client.waitFor({ message: 'ring', callId, status: 'RING' }, timeoutMs);
  const sdps = client.remoteSdps(callId);
  assert.equal(sdps.length, 1, `exactly one setRemoteSDP for the incoming call: ${client.summary()}`);
  assert.equal(sdps[0].data.length, 3, 'setRemoteSDP has [callId, sdp, isInitiator]');
  assert.equal(sdps[0].data[2], false, 'isInitiator false: the SDP is the server offer (protocol §3.3)');
  const all = client.messages();
  const iSdp = all.indexOf(sdps[0]);
  const iNotify = all.indexOf(n);
  const iRing = all.findIndex((m) => m.message === 'ring' && m.data?.[0]?.callId === callId);
  assert.ok(iSdp < iNotify, `setRemoteSDP before notifyIncomingCall (protocol §3.3): ${client.summary()}`);
  assert.ok(iNotify < iRing, `notifyIncomingCall before ring (protocol §3.5): ${client.summary()}`);
  return { callId, notify, offer: sdps[0].data[1] };
}

/**
 * Polls a running sipp's message log until a message satisfies pred({dir, text}); returns it.
 * Rejects after timeoutMs with the SIP flow so far.
 */
export async function waitSippMessage(sipp, pred, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const parsed = parseSippMessages(sipp.messages());
    const hit = parsed.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) {
      throw new Error(`sipp message not seen within ${timeoutMs} ms; SIP flow:\n${startLines(parsed).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
