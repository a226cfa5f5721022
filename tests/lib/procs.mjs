// Process and environment helpers for the integration tests (sipp, e2e).
//
// Every process a test starts goes through a Procs instance: it is started in its own process
// group, its output goes to a log file, and killAll() (called from the test's `after` hook and,
// as a last resort, on process exit) terminates the whole group. Tests must run inside a
// network namespace created by tests/netns_run.sh; requireNetns() enforces that.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIB_DIR = path.dirname(fileURLToPath(import.meta.url));
export const TESTS_DIR = path.resolve(LIB_DIR, '..');
export const REPO_ROOT = process.env.CALLGATE_ROOT
  ? path.resolve(process.env.CALLGATE_ROOT)
  : path.resolve(TESTS_DIR, '..');
export const LOOPBACK = '127.0.0.1';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Throws unless we run inside an isolated network namespace (only `lo`). */
export function requireNetns() {
  const ifaces = fs.readdirSync('/sys/class/net').filter((n) => n !== 'lo');
  const isolated = ifaces.length === 0;
  if (!isolated || !process.env.CALLGATE_NETNS) {
    throw new Error(
      'integration tests must run inside tests/netns_run.sh (isolated network namespace); ' +
        `interfaces other than lo: [${ifaces.join(', ')}], CALLGATE_NETNS=${process.env.CALLGATE_NETNS ?? ''}`,
    );
  }
}

/** Path of the callgate binary under test (CALLGATE_BIN), checked to exist. */
export function callgateBin() {
  const bin = process.env.CALLGATE_BIN;
  if (!bin) throw new Error('CALLGATE_BIN is not set (path of the callgate binary under test)');
  if (!fs.existsSync(bin)) throw new Error(`CALLGATE_BIN=${bin} does not exist (build target callgate first)`);
  return bin;
}

/** A fresh temporary directory for one test's logs and runtime files. */
export function makeTmpDir(name) {
  const base = process.env.CALLGATE_TEST_TMP || os.tmpdir();
  return fs.mkdtempSync(path.join(base, `cg-${name}-`));
}

const allGroups = new Set();
process.on('exit', () => {
  for (const pid of allGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export class Proc {
  constructor(name, child, logFile) {
    this.name = name;
    this.child = child;
    this.pid = child.pid;
    this.logFile = logFile;
    this.exitInfo = null;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        allGroups.delete(this.pid);
        resolve(this.exitInfo);
      });
      child.on('error', (err) => {
        this.exitInfo = { code: -1, signal: null, error: err };
        allGroups.delete(this.pid);
        resolve(this.exitInfo);
      });
    });
  }

  get running() {
    return this.exitInfo === null;
  }

  log() {
    try {
      return fs.readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** Waits for exit; throws after timeoutMs (the process is left running: killAll cleans up). */
  async waitExit(timeoutMs) {
    let timer;
    const t = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, t]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM to the process group, SIGKILL after graceMs. */
  async stop(graceMs = 3000) {
    if (!this.running) return this.exitInfo;
    try {
      process.kill(-this.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => {
        try {
          process.kill(-this.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }
}

export class Procs {
  constructor(dir) {
    this.dir = dir;
    this.list = [];
  }

  /** Starts cmd in its own process group; stdout+stderr go to <dir>/<name>.log. */
  spawn(name, cmd, args, opts = {}) {
    const logFile = path.join(this.dir, `${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    fs.writeSync(fd, `# ${cmd} ${args.map((a) => JSON.stringify(a)).join(' ')}\n`);
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? this.dir,
      env: { ...process.env, ...(opts.env ?? {}) },
      stdio: [opts.stdin ?? 'ignore', fd, fd], // opts.stdin 'pipe': write to proc.child.stdin
      detached: true,
    });
    fs.closeSync(fd);
    if (child.pid) allGroups.add(child.pid);
    const p = new Proc(name, child, logFile);
    this.list.push(p);
    return p;
  }

  /** Stops every process (reverse start order). Never throws. */
  async killAll() {
    for (const p of [...this.list].reverse()) {
      try {
        await p.stop();
      } catch {
        /* ignore */
      }
    }
  }

  /** Prints the tail of every log (for failed tests). */
  dumpLogs(lines = 40) {
    for (const p of this.list) {
      const text = p.log().split('\n');
      process.stderr.write(`\n===== ${p.name} (${p.logFile}) exit=${JSON.stringify(p.exitInfo)} =====\n`);
      process.stderr.write(text.slice(-lines).join('\n') + '\n');
    }
  }
}

/** Polls until fn() returns a truthy value; throws a clear error after timeoutMs. */
export async function waitUntil(fn, timeoutMs, what, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() >= deadline) throw new Error(`timeout after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function ssListening(proto, port) {
  const r = spawnSync('ss', [`-Hln${proto}`, `sport = :${port}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

export const udpListening = (port) => ssListening('u', port);
export const tcpListening = (port) => ssListening('t', port);

/** Waits until something listens on 127.0.0.1:port (UDP or TCP); fails early if proc died. */
export async function waitForPort(proto, port, timeoutMs, proc) {
  const check = proto === 'udp' ? udpListening : tcpListening;
  await waitUntil(
    () => {
      if (proc && !proc.running) {
        throw new Error(`${proc.name} exited (${JSON.stringify(proc.exitInfo)}) before listening on ${proto}/${port}:\n${proc.log().slice(-3000)}`);
      }
      return check(port);
    },
    timeoutMs,
    `${proc ? proc.name : 'a process'} to listen on ${proto} 127.0.0.1:${port}`,
  );
}

/** Resolves true if a TCP connection to 127.0.0.1:port succeeds. */
export function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: LOOPBACK, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
