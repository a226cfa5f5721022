// The media-relay deployment for e2e tests: Debian's rtpengine daemon (userspace forwarding,
// no kernel module) driven over the ng protocol by Kamailio with
// tests/kamailio/kamailio-rtpengine.cfg, so media goes callgate <-> rtpengine <-> phone.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { E2E, e2eCallgatePorts, openTestPage, startRegisteredCallee, startStaticServer } from './e2e.mjs';
import { KAMAILIO_DOMAIN } from './kamailio.mjs';
import { LIB_DIR, LOOPBACK, TESTS_DIR, waitForPort } from './procs.mjs';

const KAMAILIO_SH = path.join(LIB_DIR, 'kamailio.sh');
const RTPENGINE_CFG = path.join(TESTS_DIR, 'kamailio', 'kamailio-rtpengine.cfg');

/** rtpengine layout: ng control socket and its RTP range (disjoint from callgate's 20000-20099). */
export const RTPE = {
  ng: 2223,
  portMin: 30000,
  portMax: 30099,
};

/**
 * Starts rtpengine in the foreground on 127.0.0.1 (no config file, no kernel table, logs to
 * <procs.dir>/rtpengine.log) and waits (<= 10 s) until its ng socket listens. The process is
 * stopped with the test's other processes (procs.killAll).
 */
export async function startRtpengine(procs, { ng = RTPE.ng, portMin = RTPE.portMin, portMax = RTPE.portMax } = {}) {
  const args = [
    '--config-file=none',
    '--foreground',
    '--log-stderr',
    '--log-level=6',
    '--table=-1', // userspace forwarding only
    `--interface=${LOOPBACK}`,
    `--listen-ng=${LOOPBACK}:${ng}`,
    `--port-min=${portMin}`,
    `--port-max=${portMax}`,
    '--num-threads=2',
    '--delete-delay=0',
    '--timeout=60',
  ];
  const proc = procs.spawn('rtpengine', 'rtpengine', args);
  await waitForPort('udp', ng, 10000, proc);
  return proc;
}

/**
 * Kamailio with the media-relay config: tests/lib/kamailio.sh prepares the runtime folder
 * (db/ etc.), then its kamailio.cfg is replaced by kamailio-rtpengine.cfg with the same
 * placeholders filled plus @RTPENGINE_NG@. Waits (<= 10 s) until it listens.
 */
export async function startKamailioRtpengine(procs, port = E2E.kamailio, ng = RTPE.ng) {
  const dir = path.join(procs.dir, 'kamailio');
  fs.mkdirSync(dir, { recursive: true });
  const prep = spawnSync(KAMAILIO_SH, ['prepare', dir, String(port)], { encoding: 'utf8' });
  if (prep.status !== 0) throw new Error(`kamailio.sh prepare failed: ${prep.stderr}`);
  const cfg = fs
    .readFileSync(RTPENGINE_CFG, 'utf8')
    .replaceAll('@PORT@', String(port))
    .replaceAll('@DBDIR@', path.join(dir, 'db'))
    .replaceAll('@DOMAIN@', KAMAILIO_DOMAIN)
    .replaceAll('@RTPENGINE_NG@', String(ng));
  fs.writeFileSync(path.join(dir, 'kamailio.cfg'), cfg);
  const check = spawnSync('kamailio', ['-c', '-f', path.join(dir, 'kamailio.cfg')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`kamailio (rtpengine) config check failed:\n${check.stderr}${check.stdout}`);
  const proc = procs.spawn('kamailio', KAMAILIO_SH, ['run', dir]);
  await waitForPort('udp', port, 10000, proc);
  return proc;
}

/**
 * Whole media-relay e2e stack: rtpengine, Kamailio (rtpengine config), sipp registers 1001 and
 * a sipp UAS (`calleeScenario`, RTP echo on E2E.calleeMedia) answers, callgate with the usual
 * e2e ports, the static server and Chromium with the test page.
 * Returns {callee, callgate, rtpengine, page, browserLog}.
 */
export async function startE2eRtpengineStack(ctx, { calleeScenario, callgateArgs = [] }) {
  const { startCallgate } = await import('./callgate.mjs');
  const rtpengine = await startRtpengine(ctx.procs);
  await startKamailioRtpengine(ctx.procs);
  const callee = await startRegisteredCallee(ctx.procs, calleeScenario);
  const callgate = await startCallgate(ctx.procs, e2eCallgatePorts(), callgateArgs);
  const http = await startStaticServer(E2E.http);
  ctx.onCleanup(() => http.close());
  const b = await openTestPage(ctx.dir, http.url);
  ctx.onCleanup(() => b.close());
  return { callee, callgate, rtpengine, page: b.page, browserLog: b.logFile };
}

/** {ip, port} of the c= and first m=audio line of an SDP body (null fields if absent). */
export function sdpAudioAddress(sdp) {
  const c = /^c=IN IP4 (\S+)\s*$/m.exec(sdp);
  const m = /^m=audio (\d+) /m.exec(sdp);
  return { ip: c ? c[1] : null, port: m ? Number(m[1]) : null };
}

/**
 * Per-port packet counters from rtpengine's "Final packet stats" (logged when a call is
 * deleted, e.g. on BYE): [{local, peer, rtcp, packets}] with local/peer as "ip:port".
 * Only RTP/RTCP lines of the Debian 10.5 log format are recognised.
 */
export function rtpengineFinalStats(log) {
  const out = [];
  const re = /-{9} Port\s+(\S+:\d+)\s+<>\s+(\S+:\d+)\s*(\(RTCP\))?, SSRC \S+, (\d+) p,/g;
  let m;
  while ((m = re.exec(log))) out.push({ local: m[1], peer: m[2], rtcp: Boolean(m[3]), packets: Number(m[4]) });
  return out;
}
