// A fake phone RTP port for e2e tests: a UDP socket on 127.0.0.1 that echoes every datagram
// back to its source (so the browser still hears audio, like sipp -rtp_echo) and decodes the
// RFC 4733 telephone-events it receives, which sipp cannot do.
import dgram from 'node:dgram';
import { LOOPBACK } from './procs.mjs';

/** RFC 4733 3.2 event codes 0-15 -> DTMF characters. */
export const DTMF_EVENTS = '0123456789*#ABCD';

/**
 * Parses an RTP packet (RFC 3550 5.1: version 2, CSRCs, header extension, padding). Returns
 * {pt, marker, seq, ts, ssrc, payload} or null for anything that is not RTP (or is RTCP).
 */
export function parseRtp(buf) {
  if (buf.length < 12 || buf[0] >> 6 !== 2) return null;
  const pt = buf[1] & 0x7f;
  if (pt >= 72 && pt <= 95) return null; // RTCP multiplexed on the port (RFC 5761 4)
  let off = 12 + 4 * (buf[0] & 0x0f);
  if (buf[0] & 0x10) {
    if (buf.length < off + 4) return null;
    off += 4 + 4 * buf.readUInt16BE(off + 2);
  }
  let end = buf.length;
  if (buf[0] & 0x20) end -= buf[buf.length - 1];
  if (off > end) return null;
  return {
    pt,
    marker: Boolean(buf[1] & 0x80),
    seq: buf.readUInt16BE(2),
    ts: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payload: buf.subarray(off, end),
  };
}

/** RFC 4733 2.3 telephone-event payload: {event, end, volume, duration} (first 4 bytes). */
export function parseTelephoneEvent(payload) {
  if (payload.length < 4) return null;
  return { event: payload[0], end: Boolean(payload[1] & 0x80), volume: payload[1] & 0x3f, duration: payload.readUInt16BE(2) };
}

/**
 * Starts the probe on `port` (0 = any). `eventPt`: the telephone-event payload type announced
 * in the phone's SDP. `dropFirst`: the first N datagrams are neither echoed nor counted
 * (a video stream then starts without its keyframe). Returns {port, stats, events(), digits(), close()}:
 *   stats   {packets, audio, eventPackets, echoed, sources:Set<"ip:port">}
 *   events  one entry per RTP timestamp of PT eventPt (RFC 4733 2.5.1.3: one event per
 *           timestamp, updates and end packets repeat it):
 *           {digit, event, ts, ssrc, packets, marker (first packet had M), endPackets,
 *            duration (largest), volume, firstSeq}
 *   digits  the digits of the events so far, in order of their first packet, as a string
 */
export async function startRtpProbe({ port = 0, eventPt = 101, echo = true, dropFirst = 0 } = {}) {
  const sock = dgram.createSocket('udp4');
  const stats = { packets: 0, audio: 0, eventPackets: 0, echoed: 0, sources: new Set(), audioSsrcs: new Set(), bad: 0 };
  const events = [];
  const byTs = new Map();
  sock.on('message', (msg, rinfo) => {
    stats.packets++;
    stats.sources.add(`${rinfo.address}:${rinfo.port}`);
    if (stats.packets <= dropFirst) {
      stats.dropped = (stats.dropped ?? 0) + 1;
      return;
    }
    if (echo) {
      sock.send(msg, rinfo.port, rinfo.address);
      stats.echoed++;
    }
    const rtp = parseRtp(msg);
    if (!rtp) return;
    if (rtp.pt !== eventPt) {
      stats.audio++;
      stats.audioSsrcs.add(rtp.ssrc);
      return;
    }
    stats.eventPackets++;
    const te = parseTelephoneEvent(rtp.payload);
    if (!te) {
      stats.bad++;
      return;
    }
    const key = `${rtp.ssrc}:${rtp.ts}`;
    let e = byTs.get(key);
    if (!e) {
      e = { digit: DTMF_EVENTS[te.event] ?? `?${te.event}`, event: te.event, ts: rtp.ts, ssrc: rtp.ssrc, packets: 0, marker: rtp.marker,
        endPackets: 0, duration: 0, volume: te.volume, firstSeq: rtp.seq, mixed: false };
      byTs.set(key, e);
      events.push(e);
    }
    e.packets++;
    if (te.event !== e.event) e.mixed = true; // another event on the same timestamp: broken
    if (te.end) e.endPackets++;
    e.duration = Math.max(e.duration, te.duration);
  });
  await new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, LOOPBACK, resolve);
  });
  return {
    port: sock.address().port,
    stats,
    events: () => events.map((e) => ({ ...e })),
    digits: () => events.map((e) => e.digit).join(''),
    close: () => new Promise((r) => sock.close(() => r())),
  };
}
