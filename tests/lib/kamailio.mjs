// Starts the test Kamailio (tests/kamailio, via tests/lib/kamailio.sh) for a node test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LIB_DIR, waitForPort } from './procs.mjs';

const SCRIPT = path.join(LIB_DIR, 'kamailio.sh');

/** Users provisioned in tests/kamailio/db/subscriber (domain/realm 127.0.0.1). */
export const KAMAILIO_USERS = { 1000: '1234', 1001: '1234', 1002: '1234' };
export const KAMAILIO_DOMAIN = '127.0.0.1';

/** Writes the runtime copy into <procs.dir>/kamailio and runs it in the foreground. */
export async function startKamailio(procs, port = 5060) {
  const dir = path.join(procs.dir, 'kamailio');
  fs.mkdirSync(dir, { recursive: true });
  const prep = spawnSync(SCRIPT, ['prepare', dir, String(port)], { encoding: 'utf8' });
  if (prep.status !== 0) throw new Error(`kamailio.sh prepare failed: ${prep.stderr}`);
  const check = spawnSync('kamailio', ['-c', '-f', path.join(dir, 'kamailio.cfg')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`kamailio config check failed:\n${check.stderr}${check.stdout}`);
  const proc = procs.spawn('kamailio', SCRIPT, ['run', dir]);
  await waitForPort('udp', port, 10000, proc);
  return proc;
}
