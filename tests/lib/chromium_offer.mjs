// A realistic audio-only WebRTC offer as Chromium (M120+) produces it through the Flashphoner
// Web SDK: createOffer + setLocalDescription, sent before ICE gathering (no candidates,
// c=IN IP4 0.0.0.0, port 9, trickle), BUNDLE of mid 0, DTLS actpass, rtcp-mux.
// Codecs: opus 111, red 63, G722 9, PCMU 0, PCMA 8, CN 13, telephone-event 110/48000 and
// 126/8000. ufrag/pwd/fingerprint/ssrc are randomised per call.
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
