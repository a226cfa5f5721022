// Starting sipp (Debian sip-tester) scenarios from tests/sipp/ for a test.
import fs from 'node:fs';
import path from 'node:path';
import { LOOPBACK, TESTS_DIR, waitForPort } from './procs.mjs';

export const SIPP_DIR = path.join(TESTS_DIR, 'sipp');

/**
 * Starts one sipp instance. Options:
 *   scenario   file name in tests/sipp/ (or absolute path)
 *   name       log name (default: scenario base name)
 *   port       local SIP port (UDP, 127.0.0.1)
 *   remote     "127.0.0.1:PORT" for UAC scenarios (omit for UAS)
 *   mediaPort  -mp (RTP port; also the port announced in SDP)
 *   rtpEcho    add -rtp_echo
 *   service    -s (user part / callee)
 *   auth       {user, password} -> -au/-ap
 *   keys       {name: value} -> -key name value (used as [name] in scenarios)
 *   calls      -m (default 1)
 *   timeoutSec global -timeout with -timeout_error (default 40): sipp fails instead of hanging
 * Returns {proc, msgFile, errFile, result()}: result() waits for sipp's exit and gives
 * {code, messages, errors}.
 */
export async function startSipp(procs, opts) {
  const scen = path.isAbsolute(opts.scenario) ? opts.scenario : path.join(SIPP_DIR, opts.scenario);
  const name = opts.name ?? `sipp-${path.basename(scen, '.xml')}`;
  const msgFile = path.join(procs.dir, `${name}.msg`);
  const errFile = path.join(procs.dir, `${name}.err`);
  const args = [
    '-sf', scen,
    '-i', LOOPBACK,
    '-p', String(opts.port),
    '-m', String(opts.calls ?? 1),
    '-timeout', `${opts.timeoutSec ?? 40}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_msg', '-message_file', msgFile,
    '-trace_err', '-error_file', errFile,
  ];
  if (opts.mediaPort) args.push('-mp', String(opts.mediaPort));
  if (opts.rtpEcho) args.push('-rtp_echo');
  if (opts.service) args.push('-s', String(opts.service));
  if (opts.auth) args.push('-au', opts.auth.user, '-ap', opts.auth.password);
  for (const [k, v] of Object.entries(opts.keys ?? {})) args.push('-key', k, String(v));
  if (opts.remote) args.push(opts.remote);
  const proc = procs.spawn(name, 'sipp', args);
  // A UAS must be listening before its peer sends (a UAC may be done before we could look).
  if (!opts.remote) await waitForPort('udp', opts.port, 5000, proc);
  const read = (f) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    proc,
    msgFile,
    errFile,
    messages: () => read(msgFile),
    async result(timeoutMs = 45000) {
      const { code } = await proc.waitExit(timeoutMs);
      return { code, messages: read(msgFile), errors: read(errFile) };
    },
  };
}

/** Splits a sipp -trace_msg log into [{dir:'sent'|'received', text}] SIP messages. */
export function parseSippMessages(log) {
  const out = [];
  const re = /-{5,}[^\n]*\n(UDP message (sent|received)[^\n]*\n)\n?([\s\S]*?)(?=\n-{5,}|$)/g;
  let m;
  while ((m = re.exec(log))) {
    out.push({ dir: m[2] === 'sent' ? 'sent' : 'received', text: m[3].replace(/\n+$/, '') });
  }
  return out;
}

/** First line of each message, e.g. "INVITE sip:..." or "SIP/2.0 200 OK". */
export function startLines(messages) {
  return messages.map((m) => `${m.dir === 'sent' ? '->' : '<-'} ${m.text.split('\n')[0].trim()}`);
}

/** Value of the first header `name` (case-insensitive) in a SIP message text. */
export function sipHeader(text, name) {
  const re = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'im');
  const m = re.exec(text.split(/\r?\n\r?\n/)[0]);
  return m ? m[1].trim() : null;
}
