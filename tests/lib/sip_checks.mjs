// Checks on SIP messages captured by sipp (-trace_msg) and on the SDP callgate sends to the
// client: digest responses (RFC 2617 / RFC 7616), WebRTC answer requirements (protocol §5).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sipHeader } from './sipp.mjs';

/** Parses `Digest k=v, k="v"` into an object (lower-case keys). */
export function parseDigest(header) {
  const m = /^\s*Digest\s+(.*)$/is.exec(header ?? '');
  if (!m) return null;
  const out = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g;
  let p;
  while ((p = re.exec(m[1]))) out[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return out;
}

const HASHES = { MD5: 'md5', 'SHA-256': 'sha256', 'MD5-SESS': 'md5', 'SHA-256-SESS': 'sha256' };

/** Expected digest response for credentials `c` (parsed), password and method. */
export function expectedDigestResponse(c, password, method) {
  const algo = (c.algorithm ?? 'MD5').toUpperCase();
  const h = HASHES[algo];
  if (!h) throw new Error(`unsupported digest algorithm ${algo}`);
  const H = (s) => crypto.createHash(h).update(s).digest('hex');
  let ha1 = H(`${c.username}:${c.realm}:${password}`);
  if (algo.endsWith('-SESS')) ha1 = H(`${ha1}:${c.nonce}:${c.cnonce}`);
  const ha2 = H(`${method}:${c.uri}`);
  if (c.qop) return H(`${ha1}:${c.nonce}:${c.nc}:${c.cnonce}:${c.qop}:${ha2}`);
  return H(`${ha1}:${c.nonce}:${ha2}`);
}

/**
 * Asserts that the request text carries valid credentials in `headerName` (Authorization or
 * Proxy-Authorization) for user/password, answering `challenge` (the WWW-/Proxy-Authenticate
 * value we sent).
 */
export function assertDigest(requestText, headerName, { user, password, challenge }) {
  const method = requestText.split(/\s/, 1)[0];
  const value = sipHeader(requestText, headerName);
  assert.ok(value, `${method} carries ${headerName}`);
  const c = parseDigest(value);
  assert.ok(c, `${headerName} is a Digest credential: ${value}`);
  const ch = parseDigest(challenge);
  assert.equal(c.username, user, 'digest username');
  assert.equal(c.realm, ch.realm, 'digest realm echoes the challenge');
  assert.equal(c.nonce, ch.nonce, 'digest nonce echoes the challenge');
  assert.ok(c.uri, 'digest uri present');
  if (ch.opaque) assert.equal(c.opaque, ch.opaque, 'opaque echoed');
  if (ch.qop) {
    assert.equal(c.qop, 'auth', 'qop=auth chosen');
    assert.match(c.nc ?? '', /^[0-9a-fA-F]{8}$/, 'nc is 8 hex digits');
    assert.ok(c.cnonce, 'cnonce present');
  }
  assert.equal(c.response, expectedDigestResponse(c, password, method), `digest response valid for ${user}/${password}`);
  return c;
}

/** Splits SDP into session lines and media sections. */
export function sdpSections(sdp) {
  const lines = sdp.split(/\r?\n/).filter((l) => l.length);
  const media = [];
  const session = [];
  for (const l of lines) {
    if (l.startsWith('m=')) media.push([l]);
    else if (media.length) media[media.length - 1].push(l);
    else session.push(l);
  }
  return { session, media };
}

/**
 * Asserts what the browser needs in callgate's answer to the WebRTC offer (protocol §5):
 * same m-lines/mids, BUNDLE, ice-ufrag/pwd, sha-256 fingerprint, setup active|passive,
 * rtcp-mux, a candidate on 127.0.0.1, payload types a subset of the offer's, one of them `pt`.
 */
export function assertWebRtcAnswer(answer, offer, { pt } = {}) {
  assert.equal(typeof answer, 'string');
  assert.ok(answer.length > 0, 'answer SDP not empty');
  const a = sdpSections(answer);
  const o = sdpSections(offer);
  assert.equal(a.media.length, o.media.length, 'answer has as many m-lines as the offer');
  const all = answer.split(/\r?\n/);
  assert.ok(all.some((l) => /^a=group:BUNDLE\b/.test(l)), 'a=group:BUNDLE');
  for (let i = 0; i < a.media.length; i++) {
    const am = a.media[i];
    const om = o.media[i];
    const has = (re) => am.some((l) => re.test(l)) || a.session.some((l) => re.test(l));
    const aM = am[0].split(' ');
    const oM = om[0].split(' ');
    assert.equal(aM[0], oM[0], `m-line ${i} kind`);
    const omid = om.find((l) => l.startsWith('a=mid:'));
    if (omid) assert.ok(am.includes(omid), `m-line ${i} keeps ${omid}`);
    if (aM[1] === '0') continue; // rejected
    assert.match(aM[2], /^UDP\/TLS\/RTP\/SAVPF$/, `m-line ${i} profile`);
    const offered = new Set(oM.slice(3));
    for (const p of aM.slice(3)) assert.ok(offered.has(p), `answer PT ${p} was offered`);
    if (pt !== undefined) assert.ok(aM.slice(3).includes(String(pt)), `answer includes PT ${pt}: ${am[0]}`);
    assert.ok(has(/^a=ice-ufrag:.{4,}$/), 'a=ice-ufrag (>= 4 chars)');
    assert.ok(has(/^a=ice-pwd:.{22,}$/), 'a=ice-pwd (>= 22 chars)');
    assert.ok(has(/^a=fingerprint:sha-256 ([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/), 'a=fingerprint:sha-256');
    assert.ok(has(/^a=setup:(active|passive)$/), 'a=setup:active|passive in an answer');
    assert.ok(am.includes('a=rtcp-mux'), 'a=rtcp-mux');
    assert.ok(am.some((l) => /^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/i.test(l)), 'a host candidate on 127.0.0.1');
  }
}

/** Asserts a plain-RTP SIP offer/answer body (what callgate sends to the SIP side). */
export function assertSipSdp(sdp, { pt } = {}) {
  const { media } = sdpSections(sdp);
  assert.ok(media.length >= 1, 'SDP has an m-line');
  const audio = media.find((m) => m[0].startsWith('m=audio'));
  assert.ok(audio, 'SDP has m=audio');
  const parts = audio[0].split(' ');
  assert.equal(parts[2], 'RTP/AVP', 'SIP side uses plain RTP/AVP');
  assert.ok(Number(parts[1]) > 0, 'audio port not 0');
  if (pt !== undefined) assert.ok(parts.slice(3).includes(String(pt)), `offers PT ${pt}`);
  assert.ok(/^c=IN IP4 127\.0\.0\.1$/m.test(sdp), 'c=IN IP4 127.0.0.1 (advertise-ip)');
  assert.ok(!/^a=(ice-ufrag|fingerprint|crypto)/m.test(sdp), 'no ICE/DTLS/crypto attributes towards SIP');
}

/** The body (after the blank line) of a SIP message text. */
export function sipBody(text) {
  const i = text.search(/\r?\n\r?\n/);
  return i < 0 ? '' : text.slice(i).replace(/^\s+/, '');
}
