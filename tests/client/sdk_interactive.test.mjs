// callgate-phone's interactive mode (-i), driven through its stdin; stdout is a file, so it
// prints plain event lines (no status line redraw). Three tests:
// 1. echo call: `status` before and during the call (session, registration, call with SIP
//    code), bad commands answered with a clear error, `call echo` -> ESTABLISHED, `hold` ->
//    HOLD, `unhold` -> ESTABLISHED, `dtmf 12#` (RFC 2833) -> the echo returns the RFC 4733
//    events, which callgate reports back (notifyDtmf) and the phone prints as
//    "dtmf received 1 RFC2833" ..., `dtmf 5 info` sent, `hangup` -> FINISH, `quit` -> exit 0;
//    the recording holds the tone (media works in this mode).
// 2. incoming: two interactive phones through the local domain; 1000 gets "incoming call
//    from '1001'" and the prompt "answer? (answer/hangup)", `answer` -> both ESTABLISHED;
//    the callee types `hangup` -> both FINISH; a second call rejected at the prompt with
//    `hangup` -> the caller gets BUSY 486.
// 3. config file + end of input: settings from --config phone.toml (a flag overrides the
//    login), the session comes up, closing stdin quits with exit 0; a refused connection
//    exits 2 with the reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { assertRunning, portPlan, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK, waitForPort } from '../lib/procs.mjs';
import { analyseTone, startInteractivePhone } from '../lib/phone.mjs';

const ports = portPlan(91);
const DOMAIN_PORT = ports.sip + 5;

test('interactive: echo call with status, hold, unhold, dtmf, hangup, quit', async () => {
  const ctx = testContext('sdk_interactive');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const wav = path.join(ctx.dir, 'interactive-received.wav');
    const phone = startInteractivePhone(ctx.procs, [
      '--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', '1000', '--domain', LOOPBACK, '--register', '0',
      '--tone', '1000', '--record', wav, '--timeout', '10',
    ]);
    await phone.next(/^session ESTABLISHED$/, 8000);
    phone.send('status');
    await phone.next(/^status session ESTABLISHED \| registration off \| no call$/, 3000);
    phone.send('dial 1001');
    await phone.next(/^error: unknown command 'dial' \(type help\)$/, 3000);
    phone.send('hold');
    await phone.next(/^error: no call$/, 3000);
    phone.send('dtmf 12x');
    await phone.next(/^error: invalid DTMF digit 'x'/, 3000);

    phone.send('call echo');
    await phone.next(/^calling echo$/, 3000);
    await phone.next(/^call ESTABLISHED /, 10000);
    phone.send('status');
    await phone.next(/^status session ESTABLISHED \| registration off \| call echo ESTABLISHED( \d+)?/, 3000);
    phone.send('call 1001');
    await phone.next(/^error: a call is in progress \(hangup first\)$/, 3000);

    await sleep(1000); // a person's pace: media is flowing before the hold
    phone.send('hold');
    await phone.next(/^call HOLD /, 5000);
    await sleep(500);
    phone.send('unhold');
    await phone.next(/^call ESTABLISHED /, 5000);
    await sleep(1000);

    phone.send('dtmf 12#');
    await phone.next(/^dtmf sent 12# RFC2833$/, 3000);
    for (const d of ['1', '2', '#']) await phone.next(new RegExp(`^dtmf received ${d} RFC2833$`), 5000);
    phone.send('dtmf 5 info');
    await phone.next(/^dtmf sent 5 INFO$/, 3000);

    phone.send('hangup');
    await phone.next(/^call FINISH /, 8000);
    phone.send('status');
    await phone.next(/^status session ESTABLISHED \| registration off \| call echo FINISH/, 3000);
    phone.send('quit');
    const r = await phone.finish(10000);
    assert.equal(r.code, 0, `exit ${r.code}: ${r.result}\n${r.out}`);
    assert.match(r.result, /^result 0 quit/, r.out);
    assert.ok(r.lines.includes('session DISCONNECTED') || r.lines.some((l) => l.startsWith('session DISCONNECTED')), r.out);
    assert.match(callgate.log(), /<- sendDtmf/, 'callgate received sendDtmf');

    const a = analyseTone(wav, 1000);
    assert.ok(a.toneBlocks >= a.blocks * 0.3, `1 kHz in ${a.toneBlocks}/${a.blocks} blocks: ${JSON.stringify(a)}`);
    assertRunning(callgate);
  });
});

test('interactive: incoming call prompt, answer, hangup from the callee', async () => {
  const ctx = testContext('sdk_interactive_incoming');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports, ['--domain-enabled', '1', '--domain-port', String(DOMAIN_PORT),
      '--domain-users', '1000:1234,1001:1234']);
    await waitForPort('udp', DOMAIN_PORT, 5000, callgate);
    const account = (login) => ['--url', `ws://${LOOPBACK}:${ports.ws}`, '--login', login, '--password', '1234',
      '--domain', LOOPBACK, '--outbound-proxy', LOOPBACK, '--port', String(DOMAIN_PORT), '--register', '1',
      '--silence', '--timeout', '10'];
    const callee = startInteractivePhone(ctx.procs, account('1000'), { name: 'phone-1000' });
    const caller = startInteractivePhone(ctx.procs, account('1001'), { name: 'phone-1001' });
    await callee.next(/^session REGISTERED$/, 8000);
    await caller.next(/^session REGISTERED$/, 8000);
    callee.send('status');
    await callee.next(/^status session REGISTERED \| registered \| no call$/, 3000);

    caller.send('call 1000');
    await callee.next(/^incoming call from '1001'$/, 8000);
    await callee.next(/^answer\? \(answer\/hangup\)$/, 1000);
    callee.send('status');
    await callee.next(/^status session REGISTERED \| registered \| incoming call from 1001 /, 3000);
    callee.send('answer');
    await callee.next(/^call ESTABLISHED /, 10000);
    await caller.next(/^call ESTABLISHED /, 10000);

    callee.send('hangup');
    await callee.next(/^call FINISH /, 8000);
    await caller.next(/^call FINISH /, 8000);

    // Again, rejected at the prompt: the caller's call ends busy (callgate rejects with 486).
    caller.send('call 1000');
    await callee.next(/^answer\? \(answer\/hangup\)$/, 8000);
    callee.send('hangup');
    await caller.next(/^call BUSY 486/, 8000);
    callee.send('quit');
    caller.send('quit');
    const a = await callee.finish(10000);
    const b = await caller.finish(10000);
    assert.equal(a.code, 0, `callee exit ${a.code}: ${a.result}\n${a.out}`);
    assert.equal(b.code, 0, `caller exit ${b.code}: ${b.result}\n${b.out}`);
    assertRunning(callgate);
  });
});

test('interactive: settings from --config, end of input quits; a refused connection exits 2', async () => {
  const ctx = testContext('sdk_interactive_config');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const config = path.join(ctx.dir, 'phone.toml');
    fs.writeFileSync(config, [
      `url = "ws://${LOOPBACK}:${ports.ws}"`, 'login = "1999"', `domain = "${LOOPBACK}"`, 'register = false',
      'silence = true', 'timeout = 10', '',
    ].join('\n'));
    const phone = startInteractivePhone(ctx.procs, ['--config', config, '--login', '1000']);
    await phone.next(/^session ESTABLISHED$/, 8000);
    phone.send('status');
    await phone.next(/^status session ESTABLISHED \| registration off \| no call$/, 3000);
    phone.closeStdin();
    const r = await phone.finish(8000);
    assert.equal(r.code, 0, `exit ${r.code}: ${r.result}\n${r.out}`);
    assert.ok(r.lines.includes('end of input: quitting'), r.out);
    assert.match(callgate.log(), /connected as '1000'/, 'the --login flag overrode the file');

    const refused = startInteractivePhone(ctx.procs, ['--url', `ws://${LOOPBACK}:1`, '--login', '1000', '--register', '0'],
      { name: 'phone-refused' });
    const f = await refused.finish(8000);
    assert.equal(f.code, 2, `exit ${f.code}: ${f.result}\n${f.out}`);
    assert.match(f.result, /^result 2 Connection refused/, f.out);
    assertRunning(callgate);
  });
});
