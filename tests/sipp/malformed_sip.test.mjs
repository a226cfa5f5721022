// (i) Malformed SIP requests sent to callgate's SIP port get "400" with a reason that names
// the problem (reason phrase or Warning header), sent back per the Via (RFC 3261 18.2.2);
// garbage that is not SIP is dropped; callgate keeps running and still answers a valid
// OPTIONS afterwards.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { assertRunning, portPlan, sleep, startCallgate, testContext } from '../lib/callgate.mjs';
import { LOOPBACK } from '../lib/procs.mjs';

const ports = portPlan(11);

function request(lines, body = '') {
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body);
}

function baseHeaders(branch, { callId = true, cseq = '1 OPTIONS', contentLength = 0 } = {}) {
  const h = [
    `Via: SIP/2.0/UDP ${LOOPBACK}:${ports.peer};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:tester@${LOOPBACK}>;tag=t${branch.slice(-4)}`,
    `To: <sip:2000@${LOOPBACK}>`,
  ];
  if (callId) h.push(`Call-ID: ${branch}@tester`);
  h.push(`CSeq: ${cseq}`);
  h.push(`Content-Length: ${contentLength}`);
  return h;
}

const CASES = [
  {
    name: 'missing Call-ID',
    branch: 'z9hG4bKnoCallId01',
    msg: (b) => request([`INVITE sip:2000@${LOOPBACK} SIP/2.0`, ...baseHeaders(b, { callId: false, cseq: '1 INVITE' })]),
    reason: /call-?id/i,
  },
  {
    name: 'unparsable CSeq',
    branch: 'z9hG4bKbadCSeq002',
    msg: (b) => request([`OPTIONS sip:2000@${LOOPBACK} SIP/2.0`, ...baseHeaders(b, { cseq: 'abc OPTIONS' })]),
    reason: /cseq/i,
  },
  {
    name: 'CSeq method differs from the request method',
    branch: 'z9hG4bKcseqMeth03',
    msg: (b) => request([`OPTIONS sip:2000@${LOOPBACK} SIP/2.0`, ...baseHeaders(b, { cseq: '1 INVITE' })]),
    reason: /cseq|method/i,
  },
  {
    name: 'Content-Length larger than the datagram',
    branch: 'z9hG4bKcontLen004',
    msg: (b) => request([`OPTIONS sip:2000@${LOOPBACK} SIP/2.0`, ...baseHeaders(b, { contentLength: 500 })], 'v=0\r\n'),
    reason: /content-?length|length|truncat/i,
  },
];

test('malformed SIP -> 400 with a reason; garbage dropped; still alive', async () => {
  const ctx = testContext('malformed_sip');
  await ctx.run(async () => {
    const callgate = await startCallgate(ctx.procs, ports);
    const sock = dgram.createSocket('udp4');
    const inbox = [];
    sock.on('message', (m) => inbox.push(m.toString()));
    await new Promise((r) => sock.bind(ports.peer, LOOPBACK, r));
    ctx.onCleanup(() => new Promise((r) => sock.close(r)));
    const send = (buf) => new Promise((r) => sock.send(buf, ports.sip, LOOPBACK, r));

    async function responseFor(branch, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const hit = inbox.find((m) => m.startsWith('SIP/2.0 ') && m.includes(branch));
        if (hit) return hit;
        await sleep(50);
      }
      return null;
    }

    for (const c of CASES) {
      await send(c.msg(c.branch));
      const resp = await responseFor(c.branch);
      assert.ok(resp, `${c.name}: a response within 3 s`);
      const [statusLine, ...rest] = resp.split('\r\n');
      const m = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(statusLine);
      assert.ok(m, `${c.name}: status line "${statusLine}"`);
      assert.equal(m[1], '400', `${c.name}: 400 (got "${statusLine}")`);
      const warning = rest.find((l) => /^warning\s*:/i.test(l)) ?? '';
      assert.ok(m[2].trim().length > 0, `${c.name}: reason phrase present`);
      assert.match(`${m[2]} ${warning}`, c.reason, `${c.name}: reason names the problem ("${statusLine}" ${warning})`);
      assertRunning(callgate);
    }

    // Not SIP at all: dropped (no crash). Then an oversized and a NUL-filled datagram.
    await send(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x68, 0x65, 0x6c, 0x6c, 0x6f]));
    await send(Buffer.alloc(60000, 0x41));
    await send(Buffer.from('SIP/2.0 200 OK\r\n\r\n'));
    await sleep(500);
    assertRunning(callgate);

    // Still serving: a valid OPTIONS gets a final response (200/405/501/...).
    const branch = 'z9hG4bKvalidOpt99';
    await send(request([`OPTIONS sip:2000@${LOOPBACK} SIP/2.0`, ...baseHeaders(branch)]));
    const resp = await responseFor(branch);
    assert.ok(resp, 'valid OPTIONS answered');
    assert.match(resp.split('\r\n')[0], /^SIP\/2\.0 [2-6]\d\d /, 'final response to OPTIONS');
    assertRunning(callgate);
  });
});
