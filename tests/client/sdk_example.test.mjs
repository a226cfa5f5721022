// The SDK as an app sees it: `cmake --install` the build into a temporary prefix, build the
// docs/client-sdk.md minimal example (client/examples/minimal_call.cpp, which the doc must
// quote verbatim) with find_package(callgate_client), build the C API example with gcc and
// the installed pkg-config file, and run both against callgate's echo: each connects,
// calls echo, is ESTABLISHED, hangs up -> FINISH, exit 0.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, REPO_ROOT } from '../lib/procs.mjs';

const ports = portPlan(85);

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 90000, ...opts });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${err.status}):\n${err.stdout}\n${err.stderr}`);
  }
}

test('SDK installed: minimal example (C++ via find_package, C via pkg-config) calls echo', async () => {
  const build = process.env.CALLGATE_BUILD_DIR;
  assert.ok(build, 'CALLGATE_BUILD_DIR is set');
  const ctx = testContext('sdk_example');
  await ctx.run(async () => {
    const examples = path.join(REPO_ROOT, 'client', 'examples');
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'client-sdk.md'), 'utf8');
    const block = /```cpp\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.equal(block, fs.readFileSync(path.join(examples, 'minimal_call.cpp'), 'utf8'), 'docs/client-sdk.md quotes client/examples/minimal_call.cpp verbatim');

    const prefix = path.join(ctx.dir, 'prefix');
    run('cmake', ['--install', build, '--prefix', prefix]);
    const libdir = fs.existsSync(path.join(prefix, 'lib', 'pkgconfig')) ? path.join(prefix, 'lib') : path.join(prefix, 'lib', 'x86_64-linux-gnu');
    assert.ok(fs.existsSync(path.join(prefix, 'include', 'callgate_client.h')), 'C header installed');
    assert.ok(fs.existsSync(path.join(prefix, 'include', 'callgate', 'client', 'session.hpp')), 'C++ headers installed');
    assert.ok(fs.existsSync(path.join(libdir, 'cmake', 'callgate_client', 'callgate_clientConfig.cmake')), 'CMake package installed');
    assert.ok(fs.existsSync(path.join(prefix, 'bin', 'callgate-phone')), 'callgate-phone installed');

    const ex = path.join(ctx.dir, 'ex');
    run('cmake', ['-S', examples, '-B', ex, '-G', 'Ninja', `-DCMAKE_PREFIX_PATH=${prefix}`]);
    run('cmake', ['--build', ex]);
    const pkgEnv = { ...process.env, PKG_CONFIG_PATH: path.join(libdir, 'pkgconfig') };
    const flags = run('pkg-config', ['--cflags', '--libs', 'callgate_client'], { env: pkgEnv }).trim().split(/\s+/);
    const cBin = path.join(ctx.dir, 'minimal_call_c');
    run('gcc', ['-std=c11', '-Wall', '-Werror', '-o', cBin, path.join(examples, 'minimal_call.c'), ...flags]);

    const callgate = await startCallgate(ctx.procs, ports);
    const url = `ws://${LOOPBACK}:${ports.ws}`;
    const env = { LD_LIBRARY_PATH: libdir };
    for (const [name, bin] of [['example-cpp', path.join(ex, 'minimal_call')], ['example-c', cBin]]) {
      const proc = ctx.procs.spawn(name, bin, [url], { env });
      const { code } = await proc.waitExit(15000);
      const out = proc.log();
      assert.equal(code, 0, `${name} exit ${code}:\n${out}`);
      assert.match(out, /call ESTABLISHED/, out);
      assert.match(out, /call FINISH/, out);
    }
    assertRunning(callgate);
  });
});
