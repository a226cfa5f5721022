// callgate-phone (apps/callgate-phone, the C++ client SDK's terminal phone) for tests, and
// the audio checks its WAV recordings need.
import fs from 'node:fs';
import path from 'node:path';

/** Path of the callgate-phone binary: CALLGATE_PHONE_BIN, else next to CALLGATE_BIN's build. */
export function phoneBin() {
  const bin = process.env.CALLGATE_PHONE_BIN;
  if (!bin) throw new Error('CALLGATE_PHONE_BIN is not set (path of the callgate-phone binary; build target callgate-phone)');
  if (!fs.existsSync(bin)) throw new Error(`CALLGATE_PHONE_BIN=${bin} does not exist`);
  return bin;
}

// A sanitizer build of callgate-phone (client.sanitized.* tests) reports memory errors, leaks
// and undefined behaviour on stderr, and every build reports an SDK thread that outlived its
// Session (apps/callgate-phone/thread_check.hpp); any such report fails the test whatever the
// exit code.
const SANITIZER_REPORT =
  /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error: |SUMMARY: UndefinedBehaviorSanitizer|still running after its Session was destroyed/;

function assertNoSanitizerReport(name, out) {
  const at = out.search(SANITIZER_REPORT);
  if (at >= 0) throw new Error(`${name}: sanitizer report:\n${out.slice(Math.max(0, at - 200), at + 6000)}`);
}

/**
 * Runs callgate-phone with `args` to completion (bounded by timeoutMs) and returns
 * {code, out, lines, result} where `result` is its final "result <code> <why>" line.
 */
export async function runPhone(procs, args, { name = 'phone', timeoutMs = 30000 } = {}) {
  const proc = procs.spawn(name, phoneBin(), args, { env: { GST_DEBUG: process.env.GST_DEBUG ?? '1' } });
  const t0 = Date.now();
  const { code } = await proc.waitExit(timeoutMs);
  const out = proc.log();
  assertNoSanitizerReport(name, out);
  const lines = out.split('\n').filter((l) => l && !l.startsWith('# '));
  const result = lines.find((l) => l.startsWith('result ')) ?? '';
  return { code, out, lines, result, elapsedMs: Date.now() - t0 };
}

/**
 * Starts callgate-phone without waiting for it; returns {proc, lines(), waitLine(re, ms),
 * finish(ms)} where finish() resolves like runPhone().
 */
export function startPhone(procs, args, { name = 'phone' } = {}) {
  const proc = procs.spawn(name, phoneBin(), args, { env: { GST_DEBUG: process.env.GST_DEBUG ?? '1' } });
  const lines = () => proc.log().split('\n').filter((l) => l && !l.startsWith('# '));
  return {
    proc,
    lines,
    async waitLine(re, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const hit = lines().find((l) => re.test(l));
        if (hit) return hit;
        if (!proc.running) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${name}: no line matching ${re} within ${timeoutMs} ms:\n${proc.log()}`);
    },
    async finish(timeoutMs = 30000) {
      const { code } = await proc.waitExit(timeoutMs);
      const out = proc.log();
      assertNoSanitizerReport(name, out);
      const all = lines();
      return { code, out, lines: all, result: all.find((l) => l.startsWith('result ')) ?? '' };
    },
  };
}

/** Reads a 16-bit PCM WAV: {rate, channels, samples: Int16Array (first channel)}. */
export function readWav(file) {
  const b = fs.readFileSync(file);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a WAV file`);
  let off = 12;
  let fmt = null;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const size = b.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      fmt = { format: b.readUInt16LE(body), channels: b.readUInt16LE(body + 2), rate: b.readUInt32LE(body + 4), bits: b.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.bits !== 16) throw new Error(`${file}: not 16-bit PCM (${JSON.stringify(fmt)})`);
      const end = Math.min(b.length, body + size);
      const frames = Math.floor((end - body) / (2 * fmt.channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = b.readInt16LE(body + i * 2 * fmt.channels);
      return { rate: fmt.rate, channels: fmt.channels, samples };
    }
    off = body + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

/**
 * Goertzel: the share of a block's energy at frequency `hz` (about 1 for a pure tone at hz,
 * about 0 for silence, noise or another tone), and the block's RMS.
 */
export function toneShare(samples, rate, hz) {
  const n = samples.length;
  const k = Math.round((n * hz) / rate);
  const w = (2 * Math.PI * k) / n;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i];
    energy += x * x;
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const share = energy > 0 ? (2 * power) / (n * energy) : 0;
  return { share, rms: Math.sqrt(energy / Math.max(1, n)) };
}

/**
 * Splits the recording into 100 ms blocks and reports how many hold the tone:
 * {seconds, toneBlocks, blocks, medianShare, medianRms, otherShare (control at 1.5 x hz)}.
 */
export function analyseTone(file, hz) {
  const { rate, samples } = readWav(file);
  const block = Math.round(rate / 10);
  const shares = [];
  const rms = [];
  const other = [];
  for (let off = 0; off + block <= samples.length; off += block) {
    const part = samples.subarray(off, off + block);
    const t = toneShare(part, rate, hz);
    shares.push(t.share);
    rms.push(t.rms);
    other.push(toneShare(part, rate, hz * 1.5).share);
  }
  const median = (a) => (a.length ? [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] : 0);
  return {
    seconds: samples.length / rate,
    blocks: shares.length,
    toneBlocks: shares.filter((s, i) => s > 0.5 && rms[i] > 500).length,
    medianShare: median(shares),
    medianRms: median(rms),
    otherShare: median(other),
    file: path.basename(file),
  };
}

/**
 * Per-100 ms block classification of a recording: 'T' tone at hz (share > 0.5, RMS > 500),
 * 'S' silence (RMS < 100), '?' anything else. Returns the string, e.g. "TTTTSSSSSTTT".
 */
export function toneTimeline(file, hz) {
  const { rate, samples } = readWav(file);
  const block = Math.round(rate / 10);
  let out = '';
  for (let off = 0; off + block <= samples.length; off += block) {
    const t = toneShare(samples.subarray(off, off + block), rate, hz);
    out += t.rms < 100 ? 'S' : t.share > 0.5 && t.rms > 500 ? 'T' : '?';
  }
  return out;
}

/**
 * Starts callgate-phone in interactive mode (`-i` is added) with a pipe on its stdin. Returns
 * {proc, send(line), next(re, ms), lines(), finish(ms)}: next() waits for the first line
 * matching `re` after the previous match (a cursor, so "call ESTABLISHED" twice means twice).
 */
export function startInteractivePhone(procs, args, { name = 'phone' } = {}) {
  const proc = procs.spawn(name, phoneBin(), ['-i', ...args], {
    stdin: 'pipe', env: { GST_DEBUG: process.env.GST_DEBUG ?? '1' },
  });
  proc.child.stdin.on('error', () => {}); // EPIPE once the phone has exited: the test sees the exit
  const lines = () => proc.log().split('\n').filter((l) => l && !l.startsWith('# '));
  let cursor = 0;
  return {
    proc,
    lines,
    send(line) {
      proc.child.stdin.write(`${line}\n`);
    },
    closeStdin() {
      proc.child.stdin.end();
    },
    async next(re, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = lines();
        const i = all.findIndex((l, k) => k >= cursor && re.test(l));
        if (i >= 0) {
          cursor = i + 1;
          return all[i];
        }
        if (!proc.running || Date.now() >= deadline) {
          throw new Error(`${name}: no line matching ${re} after line ${cursor} within ${timeoutMs} ms:\n${all.join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async finish(timeoutMs = 15000) {
      const { code } = await proc.waitExit(timeoutMs);
      const all = lines();
      return { code, out: proc.log(), lines: all, result: all.find((l) => l.startsWith('result ')) ?? '' };
    },
  };
}
