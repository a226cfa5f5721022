// Starting callgate for a test, per-test port plans, and the common test scaffold.
import fs from 'node:fs';
import { LOOPBACK, Procs, callgateBin, makeTmpDir, requireNetns, sleep, waitForPort } from './procs.mjs';

/**
 * Ports for test number `index` (1..99). Every test runs in its own namespace anyway, but
 * distinct ports keep logs unambiguous and allow running several tests in one namespace.
 *   ws      callgate WebSocket          8100+index
 *   sip     callgate SIP (UDP)          5100+10*index
 *   peer    sipp (UAS) SIP port         5105+10*index
 *   peer2   second sipp (e.g. UAC)      5106+10*index
 *   media   sipp RTP (-mp)              6000+10*index
 *   rtpMin..rtpMax callgate RTP range   20000+100*index .. +99
 */
export function portPlan(index) {
  if (!(index >= 1 && index <= 99)) throw new Error(`port plan index out of range: ${index}`);
  return {
    ws: 8100 + index,
    sip: 5100 + 10 * index,
    peer: 5105 + 10 * index,
    peer2: 5106 + 10 * index,
    media: 6000 + 10 * index,
    rtpMin: 20000 + 100 * index,
    rtpMax: 20000 + 100 * index + 99,
  };
}

/** Command-line flags for callgate on loopback with the given ports (wss off). */
export function callgateArgs(ports, extra = []) {
  return [
    '--bind-ip', LOOPBACK,
    '--advertise-ip', LOOPBACK,
    '--ws-port', String(ports.ws),
    '--wss-port', '0',
    '--sip-port', String(ports.sip),
    '--rtp-port-min', String(ports.rtpMin),
    '--rtp-port-max', String(ports.rtpMax),
    '--log-level', process.env.CALLGATE_LOG_LEVEL || 'debug',
    ...extra,
  ];
}

/** Starts callgate and waits until its WebSocket (TCP) and SIP (UDP) ports listen. */
export async function startCallgate(procs, ports, extra = []) {
  const proc = procs.spawn('callgate', callgateBin(), callgateArgs(ports, extra));
  await waitForPort('tcp', ports.ws, 10000, proc);
  await waitForPort('udp', ports.sip, 5000, proc);
  return proc;
}

/**
 * Scaffold for one integration test: checks the namespace, makes a temp dir and a Procs.
 * run(fn) executes the test body, and on failure prints the tail of every process log;
 * always stops every process afterwards.
 */
export function testContext(name) {
  requireNetns();
  const dir = makeTmpDir(name);
  const procs = new Procs(dir);
  const cleanups = [];
  return {
    dir,
    procs,
    /** Registers fn to run (before processes are stopped) when the test ends. */
    onCleanup(fn) {
      cleanups.push(fn);
    },
    async run(fn) {
      let ok = false;
      try {
        await fn();
        ok = true;
      } catch (err) {
        process.stderr.write(`\n[${name}] FAILED: ${err?.stack ?? err}\n[${name}] logs in ${dir}\n`);
        procs.dumpLogs(60);
        throw err;
      } finally {
        for (const c of cleanups.reverse()) {
          try {
            await c();
          } catch {
            /* ignore */
          }
        }
        await procs.killAll();
        // Keep the logs of failed tests (and of all tests with CALLGATE_KEEP_LOGS=1).
        if (ok && !process.env.CALLGATE_KEEP_LOGS) fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Asserts-helper: throws if callgate is no longer running (crash). */
export function assertRunning(proc) {
  if (!proc.running) {
    throw new Error(`callgate is not running any more (exit ${JSON.stringify(proc.exitInfo)}):\n${proc.log().slice(-3000)}`);
  }
}

/** Reads a file or returns ''. */
export function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export { sleep };
