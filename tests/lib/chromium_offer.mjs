// A realistic audio-only WebRTC offer as Chromium (M120+) produces it through the Flashphoner
// Web SDK: createOffer + setLocalDescription, sent before ICE gathering (no candidates,
// c=IN IP4 0.0.0.0, port 9, trickle), BUNDLE of mid 0, DTLS actpass, rtcp-mux.
// Codecs: opus 111, red 63, G722 9, PCMU 0, PCMA 8, CN 13, telephone-event 110/48000 and
// 126/8000. ufrag/pwd/fingerprint/ssrc are randomised per call. webRtcAnswerTo(offer) answers a
// server offer (incoming calls) the same way.
import crypto from 'node:crypto';

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function iceString(n) {
  const bytes = crypto.randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += ICE_CHARS[bytes[i] % ICE_CHARS.length];
  return s;
}

function fingerprint() {
  return [...crypto.randomBytes(32)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/** Returns {sdp, ufrag, pwd, ssrc} for a Chromium-like audio-only offer (CRLF line ends). */
export function chromiumAudioOffer() {
  const sessId = BigInt('0x' + crypto.randomBytes(7).toString('hex')).toString();
  const ufrag = iceString(4);
  const pwd = iceString(24);
  const ssrc = crypto.randomBytes(4).readUInt32BE(0) || 1;
  const streamId = crypto.randomUUID();
  const trackId = crypto.randomUUID();
  const cname = iceString(16);
  const lines = [
    'v=0',
    `o=- ${sessId} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=extmap-allow-mixed',
    `a=msid-semantic: WMS ${streamId}`,
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fingerprint()}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendrecv',
    `a=msid:${streamId} ${trackId}`,
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=rtpmap:111 opus/48000/2',
    'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:63 red/48000/2',
    'a=fmtp:63 111/111',
    'a=rtpmap:9 G722/8000',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:13 CN/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=rtpmap:126 telephone-event/8000',
    `a=ssrc:${ssrc} cname:${cname}`,
    `a=ssrc:${ssrc} msid:${streamId} ${trackId}`,
  ];
  return { sdp: lines.join('\r\n') + '\r\n', ufrag, pwd, ssrc };
}

/**
 * A WebRTC answer as Chromium would give to the server's offer of an incoming call (protocol
 * §4.6 step 6): per offered m-line the same kind and mid, one audio codec (`pt`, default the
 * offered PCMU 0, else the first offered PT) plus telephone-event/8000 if offered, ICE
 * ufrag/pwd, a sha-256 fingerprint, a=setup:active (RFC 5763: the answerer to actpass), rtcp-mux,
 * no candidates (trickle). Rejected m-lines (port 0) stay rejected. Returns {sdp, ufrag, pwd}.
 * ICE/DTLS never complete with it: tests using it run without a browser.
 */
export function webRtcAnswerTo(offer, { pt } = {}) {
  const lines = offer.split(/\r?\n/).filter((l) => l.length);
  const media = [];
  for (const l of lines) {
    if (l.startsWith('m=')) media.push([l]);
    else if (media.length) media[media.length - 1].push(l);
  }
  const sessId = BigInt('0x' + crypto.randomBytes(7).toString('hex')).toString();
  const ufrag = iceString(4);
  const pwd = iceString(24);
  const fp = fingerprint();
  const ssrc = crypto.randomBytes(4).readUInt32BE(0) || 1;
  const cname = iceString(16);
  const mids = media.map((m, i) => (m.find((l) => l.startsWith('a=mid:')) ?? `a=mid:${i}`).slice(6));
  const out = ['v=0', `o=- ${sessId} 2 IN IP4 127.0.0.1`, 's=-', 't=0 0'];
  const accepted = mids.filter((_, i) => media[i][0].split(' ')[1] !== '0');
  if (accepted.length) out.push(`a=group:BUNDLE ${accepted.join(' ')}`);
  out.push('a=msid-semantic: WMS');
  media.forEach((m, i) => {
    const [kind, port, proto, ...pts] = m[0].split(' ');
    if (port === '0' || pts.length === 0) {
      out.push(`${kind} 0 ${proto} ${pts[0] ?? '0'}`, 'c=IN IP4 0.0.0.0', `a=mid:${mids[i]}`);
      return;
    }
    const rtpmap = (p) => m.find((l) => l.startsWith(`a=rtpmap:${p} `));
    const chosen = String(pt ?? (pts.includes('0') ? '0' : pts[0]));
    const answerPts = [chosen];
    const te = pts.find((p) => /telephone-event\/8000/i.test(rtpmap(p) ?? ''));
    if (te && te !== chosen) answerPts.push(te);
    out.push(
      `${kind} 9 UDP/TLS/RTP/SAVPF ${answerPts.join(' ')}`,
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      `a=ice-ufrag:${ufrag}`,
      `a=ice-pwd:${pwd}`,
      'a=ice-options:trickle',
      `a=fingerprint:sha-256 ${fp}`,
      'a=setup:active',
      `a=mid:${mids[i]}`,
      'a=sendrecv',
      'a=rtcp-mux',
    );
    for (const p of answerPts) {
      const r = rtpmap(p);
      if (r) out.push(r);
      const f = m.find((l) => l.startsWith(`a=fmtp:${p} `));
      if (f) out.push(f);
    }
    out.push(`a=ssrc:${ssrc + i} cname:${cname}`);
  });
  return { sdp: out.join('\r\n') + '\r\n', ufrag, pwd };
}
