// A real SIP phone for the e2e tests: baresip (Debian package baresip-core, 1.0) with a
// generated config folder. One account registered at the test Kamailio, PCMU only, a
// generated 8 kHz sine tone as microphone (aufile), an aubridge device nobody reads as speaker
// (paced by aubridge's own timer; ALSA's null device made the player thread spin), every
// decoded (received) and encoded (sent) audio frame dumped to WAV by the sndfile filter, the
// SIP trace (-s) in its log, and the ctrl_tcp control channel (JSON in netstrings) on a local
// port: the test sends commands (dial, accept, hangup, sndcode ...) and reads ua events
// (REGISTER_OK, CALL_INCOMING, CALL_ESTABLISHED, CALL_CLOSED, CALL_DTMF_START ...).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LOOPBACK, waitForPort, waitUntil } from './procs.mjs';

export const BARESIP = process.env.CALLGATE_BARESIP || '/usr/bin/baresip';

/** Default ports of the phone (each e2e test runs in its own namespace). */
export const BARESIP_PORTS = { sip: 5074, ctrl: 4444, rtpMin: 30000, rtpMax: 30099 };

/** Writes a mono S16LE WAV of a sine tone (8 kHz by default). */
export function writeToneWav(file, { seconds = 90, rate = 8000, freq = 440, amplitude = 8000 } = {}) {
  const n = seconds * rate;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    buf.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / rate)), 44 + i * 2);
  }
  fs.writeFileSync(file, buf);
}

/**
 * Reads the samples of a 16-bit PCM WAV written by libsndfile. While the file is still open its
 * size fields may be stale, so everything after the "data" chunk header is taken.
 * Returns {rate, channels, samples: Int16Array}.
 */
export function readWav(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${file}: not a RIFF/WAVE file (${buf.length} bytes)`);
  }
  let off = 12;
  let rate = 0;
  let channels = 0;
  let bits = 0;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(off + 10);
      rate = buf.readUInt32LE(off + 12);
      bits = buf.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`${file}: ${bits}-bit samples, expected 16`);
      const start = off + 8;
      const count = Math.floor((buf.length - start) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = buf.readInt16LE(start + i * 2);
      return { rate, channels, samples };
    }
    off += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

/** Peak, RMS and the share of samples above `threshold` (absolute) in a sample array. */
export function audioLevel(samples, threshold = 300) {
  let peak = 0;
  let sum = 0;
  let loud = 0;
  for (const s of samples) {
    const a = Math.abs(s);
    if (a > peak) peak = a;
    if (a > threshold) loud++;
    sum += s * s;
  }
  const n = samples.length || 1;
  return { samples: samples.length, peak, rms: Math.sqrt(sum / n), loudRatio: loud / n };
}

/** baresip `accounts` line (baresip 1.0 syntax: <aor>;addr-params). */
export function accountLine({ user, password, domain = LOOPBACK, proxy = `sip:${LOOPBACK}:5060`, answermode = 'manual', regint = 600 }) {
  return `<sip:${user}@${domain}>;auth_user=${user};auth_pass=${password};outbound="${proxy}";` +
    `answermode=${answermode};audio_codecs=PCMU;regint=${regint};mwi=no;ptime=20`;
}

/** The `config` file: no video, no stdio UI, speaker `player` (module,device), SIP on 127.0.0.1:sip, ctrl_tcp on 127.0.0.1:ctrl. */
export function configText({ dir, ports, toneFile, player = 'aubridge,speaker' }) {
  return [
    'poll_method\t\tepoll',
    `sip_listen\t\t${LOOPBACK}:${ports.sip}`,
    'call_local_timeout\t120',
    'call_max_calls\t\t4',
    `audio_path\t\t${dir}`,
    `audio_source\t\taufile,${toneFile}`,
    `audio_player\t\t${player}`,
    `audio_alert\t\t${player}`,
    'audio_level\t\tno',
    'ausrc_format\t\ts16',
    'auplay_format\t\ts16',
    'auenc_format\t\ts16',
    'audec_format\t\ts16',
    'audio_buffer\t\t20-160',
    `rtp_ports\t\t${ports.rtpMin}-${ports.rtpMax}`,
    'rtcp_mux\t\tno',
    'jitter_buffer_delay\t5-10',
    'rtp_stats\t\tyes',
    `dns_server\t\t${LOOPBACK}:53`,
    `net_interface\t\t${LOOPBACK}`,
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    'module\t\t\taufile.so',
    'module\t\t\taubridge.so',
    'module\t\t\tsndfile.so',
    'module_tmp\t\tuuid.so',
    'module_tmp\t\taccount.so',
    'module_app\t\tmenu.so',
    'statmode_default\toff', // no call status line in the log
    'module_app\t\tctrl_tcp.so',
    `ctrl_tcp_listen\t\t${LOOPBACK}:${ports.ctrl}`,
    `snd_path\t\t${path.join(dir, 'wav')}`,
    '',
  ].join('\n');
}

/** Removes terminal colour codes from baresip output. */
export const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Encodes one netstring ("<len>:<payload>,"). */
function netstring(s) {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from(`${b.length}:`), b, Buffer.from(',')]);
}

/**
 * Starts baresip as `user` registered at Kamailio (sip:127.0.0.1:5060) in <procs.dir>/baresip-<user>,
 * connects to ctrl_tcp and (by default) waits for REGISTER_OK. Returns a Baresip handle.
 * opts: {user, password, ports, answermode ('manual'|'auto'|'early'), waitRegistered,
 *        proxy (outbound proxy URI, default the test Kamailio sip:127.0.0.1:5060)}
 */
export async function startBaresip(procs, opts = {}) {
  const user = opts.user ?? '1001';
  const ports = { ...BARESIP_PORTS, ...(opts.ports ?? {}) };
  const dir = path.join(procs.dir, `baresip-${user}`);
  fs.mkdirSync(path.join(dir, 'wav'), { recursive: true });
  const toneFile = path.join(dir, 'tone.wav');
  writeToneWav(toneFile);
  fs.writeFileSync(path.join(dir, 'config'), configText({ dir, ports, toneFile, player: opts.player ?? process.env.CALLGATE_BARESIP_PLAYER }));
  fs.writeFileSync(path.join(dir, 'accounts'),
    accountLine({ user, password: opts.password ?? '1234', answermode: opts.answermode ?? 'manual', proxy: opts.proxy }) + '\n');
  fs.writeFileSync(path.join(dir, 'contacts'), '');
  // -s: SIP trace in the log; -v: debug (DTMF, hold, SDP decisions).
  const proc = procs.spawn(`baresip-${user}`, BARESIP, ['-f', dir, '-s', '-v']);
  await waitForPort('tcp', ports.ctrl, 10000, proc);
  const phone = new Baresip(proc, dir, ports);
  await phone.connect();
  if (opts.waitRegistered !== false) await phone.waitRegistered(10000);
  return phone;
}

export class Baresip {
  constructor(proc, dir, ports) {
    this.proc = proc;
    this.dir = dir;
    this.ports = ports;
    this.events = [];
    this.responses = new Map();
    this.tokenSeq = 0;
    this.rx = Buffer.alloc(0);
    this.sock = null;
  }

  connect() {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: LOOPBACK, port: this.ports.ctrl });
      s.once('connect', () => {
        this.sock = s;
        resolve();
      });
      s.once('error', reject);
      s.on('data', (d) => this.onData(d));
      s.on('error', () => {});
    });
  }

  onData(d) {
    this.rx = Buffer.concat([this.rx, d]);
    for (;;) {
      const colon = this.rx.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(this.rx.toString('ascii', 0, colon));
      if (!Number.isInteger(len) || this.rx.length < colon + 1 + len + 1) return;
      const payload = this.rx.toString('utf8', colon + 1, colon + 1 + len);
      this.rx = this.rx.subarray(colon + 1 + len + 1);
      let msg;
      try {
        msg = JSON.parse(payload);
      } catch {
        continue;
      }
      if (msg.event) this.events.push({ t: Date.now(), ...msg });
      else if (msg.response && msg.token) this.responses.set(msg.token, msg);
    }
  }

  /** Sends a long command ("dial sip:1000@127.0.0.1") and waits for its response {ok, data}. */
  async command(command, params = '', timeoutMs = 5000) {
    const token = `t${++this.tokenSeq}`;
    this.sock.write(netstring(JSON.stringify({ command, params, token })));
    const r = await waitUntil(() => this.responses.get(token), timeoutMs, `baresip response to ${command} ${params}`, 50);
    return r;
  }

  dial(uri) {
    return this.command('dial', uri);
  }

  accept() {
    return this.command('accept');
  }

  hangup() {
    return this.command('hangup');
  }

  /** Sends DTMF digits (menu command sndcode; RFC 4733 telephone-event). */
  sendDigits(digits) {
    return this.command('sndcode', digits);
  }

  /**
   * Waits until the account is registered. REGISTER_OK may come before the control connection
   * exists, so this also polls the `reginfo` command.
   */
  async waitRegistered(timeoutMs) {
    let last = null;
    try {
      await waitUntil(async () => {
        if (this.eventsOf('REGISTER_OK').length) return true;
        last = await this.command('reginfo');
        return /\sOK\s/.test(stripAnsi(last.data ?? ''));
      }, timeoutMs, 'baresip registered', 300);
    } catch (err) {
      throw new Error(`${err.message}; reginfo: ${JSON.stringify(last)}; events: ${this.eventSummary()}`);
    }
  }

  eventsOf(type) {
    return this.events.filter((e) => e.type === type);
  }

  /** Waits for the nth (1-based) event of type; returns it. */
  async waitEvent(type, timeoutMs, nth = 1) {
    try {
      return await waitUntil(() => {
        if (!this.proc.running) throw new Error(`baresip exited (${JSON.stringify(this.proc.exitInfo)})`);
        return this.eventsOf(type)[nth - 1];
      }, timeoutMs, `baresip event ${type}${nth > 1 ? ' #' + nth : ''}`, 50);
    } catch (err) {
      throw new Error(`${err.message}; baresip events: ${this.eventSummary()}`);
    }
  }

  eventSummary() {
    return this.events.map((e) => `${e.type}${e.param ? '(' + e.param + ')' : ''}`).join(', ');
  }

  log() {
    return this.proc.log();
  }

  /** WAV dumps of the sndfile filter: {dec: [...files], enc: [...files]} (dec = what baresip received). */
  wavDumps() {
    const wavDir = path.join(this.dir, 'wav');
    const files = fs.existsSync(wavDir) ? fs.readdirSync(wavDir).filter((f) => f.endsWith('.wav')).sort() : [];
    return {
      dec: files.filter((f) => f.endsWith('-dec.wav')).map((f) => path.join(wavDir, f)),
      enc: files.filter((f) => f.endsWith('-enc.wav')).map((f) => path.join(wavDir, f)),
    };
  }

  close() {
    this.sock?.destroy();
  }
}

/**
 * Level of the audio baresip decoded (received) in its newest call: the sndfile filter's
 * *-dec.wav. Throws if there is none.
 */
export function receivedAudioLevel(phone) {
  const { dec } = phone.wavDumps();
  if (!dec.length) throw new Error(`baresip wrote no decoded-audio WAV in ${phone.dir}/wav`);
  const w = readWav(dec[dec.length - 1]);
  return { file: dec[dec.length - 1], rate: w.rate, ...audioLevel(w.samples) };
}

/** SIP messages of baresip's -s trace ({dir: 'sent'|'received', from, to, text}) from its log. */
export function baresipSipTrace(phone) {
  const lines = stripAnsi(phone.log()).split('\n');
  const local = `${LOOPBACK}:${phone.ports.sip}`;
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^UDP (\S+) -> (\S+)$/.exec(lines[i]);
    if (!m || !(lines[i - 1] ?? '').endsWith('#')) continue;
    // The traced message: every following line ends with CR (CRLF in the datagram).
    const msg = [];
    for (i++; i < lines.length && lines[i].endsWith('\r'); i++) msg.push(lines[i].slice(0, -1));
    out.push({ dir: m[1] === local ? 'sent' : 'received', from: m[1], to: m[2], text: msg.join('\r\n') });
  }
  return out;
}
