#!/usr/bin/env node
// A deliberately small stand-in for callgate's signalling (WCS WebSocket + SIP UAC over UDP),
// used only to check that the tests in tests/sipp/ themselves work (they must pass against a
// correct implementation and fail against a broken one). No media: the SDP it sends to the
// client is a syntactically complete WebRTC answer with made-up ICE/DTLS values.
//
//   CALLGATE_BIN=tests/mock/mock_callgate.mjs tests/netns_run.sh node --test tests/sipp/call_busy.test.mjs
//
// Accepts the callgate command line (unknown flags are ignored). Not for production use.
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { WebSocketServer } from 'ws';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const IP = opt('--bind-ip', '127.0.0.1');
const WS_PORT = Number(opt('--ws-port', '8080'));
const SIP_PORT = Number(opt('--sip-port', '5060'));
const NO_ANSWER = Number(opt('--no-answer-timeout', '60'));
const log = (...a) => console.log(new Date().toISOString(), ...a);
const rnd = (n = 8) => crypto.randomBytes(n).toString('hex');
const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');

// ---------------------------------------------------------------- SIP parsing / building
function parseSip(buf) {
  const text = buf.toString('latin1');
  const sep = text.indexOf('\r\n\r\n');
  if (sep < 0) return { error: 'No end of headers' };
  const head = text.slice(0, sep).split('\r\n');
  const body = text.slice(sep + 4);
  const first = head.shift();
  const headers = [];
  for (const l of head) {
    const c = l.indexOf(':');
    if (c <= 0) return { error: 'Malformed header line' };
    headers.push([l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim()]);
  }
  const get = (n) => headers.find((h) => h[0] === n)?.[1];
  const all = (n) => headers.filter((h) => h[0] === n).map((h) => h[1]);
  let m;
  const msg = { first, headers, get, all, body };
  if ((m = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(first))) {
    msg.status = Number(m[1]);
    msg.reason = m[2];
  } else if ((m = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first))) {
    msg.method = m[1];
    msg.uri = m[2];
  } else return { error: 'Bad start line' };
  return msg;
}

function validateRequest(msg, rawLen) {
  if (!msg.get('via')) return 'Missing Via';
  if (!msg.get('call-id')) return 'Missing Call-ID';
  const cseq = /^(\d+)\s+([A-Z]+)$/.exec(msg.get('cseq') ?? '');
  if (!cseq) return 'Bad CSeq';
  if (cseq[2] !== msg.method) return 'CSeq method does not match request method';
  const cl = msg.get('content-length');
  if (cl !== undefined && Number(cl) > Buffer.byteLength(msg.body, 'latin1')) return 'Content-Length exceeds datagram';
  return null;
}

const sock = dgram.createSocket('udp4');
const send = (text, port, host = '127.0.0.1') => sock.send(Buffer.from(text, 'latin1'), port, host);

function build(first, headers, body = '') {
  return `${first}\r\n${headers.filter(Boolean).join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function reply(req, status, reason, rinfo, extra = []) {
  const port = rinfo.port;
  send(build(`SIP/2.0 ${status} ${reason}`, [
    ...req.all('via').map((v) => `Via: ${v}`),
    `From: ${req.get('from')}`,
    `To: ${req.get('to')}${/;tag=/.test(req.get('to') ?? '') ? '' : ';tag=' + rnd(4)}`,
    `Call-ID: ${req.get('call-id')}`,
    `CSeq: ${req.get('cseq')}`,
    ...extra,
  ]), port, rinfo.address);
}

function digest(chal, user, pass, method, uri) {
  const p = {};
  for (const m of chal.matchAll(/(\w+)="?([^",]*)"?/g)) p[m[1].toLowerCase()] = m[2];
  const ha1 = md5(`${user}:${p.realm}:${pass}`);
  const ha2 = md5(`${method}:${uri}`);
  const cnonce = rnd(4);
  const nc = '00000001';
  const resp = p.qop ? md5(`${ha1}:${p.nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
  return `Digest username="${user}", realm="${p.realm}", nonce="${p.nonce}", uri="${uri}", response="${resp}", algorithm=MD5` +
    (p.qop ? `, qop=auth, nc=${nc}, cnonce="${cnonce}"` : '') + (p.opaque ? `, opaque="${p.opaque}"` : '');
}

// ---------------------------------------------------------------- dialogs / transactions
const byCallId = new Map(); // Call-ID -> handler(msg, rinfo)

sock.on('message', (buf, rinfo) => {
  const msg = parseSip(buf);
  if (msg.error) {
    log('drop:', msg.error);
    return;
  }
  if (msg.method) {
    const err = validateRequest(msg, buf.length);
    if (err) {
      if (msg.get('via')) reply(msg, 400, err, rinfo);
      return;
    }
    const h = byCallId.get(msg.get('call-id'));
    if (h) return h(msg, rinfo);
    if (msg.method === 'OPTIONS') return reply(msg, 200, 'OK', rinfo);
    if (msg.method !== 'ACK') reply(msg, 481, 'Call/Transaction Does Not Exist', rinfo);
    return;
  }
  const h = byCallId.get(msg.get('call-id'));
  if (h) h(msg, rinfo);
});

// ---------------------------------------------------------------- WCS sessions
const USER_RE = /^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]+$/;
function badChar(s) {
  for (const ch of s) if (!USER_RE.test(ch)) return ch;
  return null;
}

const sessions = new Set();
const wss = new WebSocketServer({ host: IP, port: WS_PORT });

wss.on('connection', (ws) => {
  const s = { ws, calls: new Map(), reg: null };
  sessions.add(s);
  const out = (message, ...data) => ws.readyState === 1 && ws.send(JSON.stringify({ message, data }));
  s.out = out;
  const ping = setInterval(() => out('ping'), 5000);
  ws.on('close', () => {
    clearInterval(ping);
    sessions.delete(s);
    for (const c of s.calls.values()) c.hangup();
    if (s.reg?.ok) s.reg.send(0);
  });
  ws.on('message', (raw) => {
    let m;
    try {
      m = JSON.parse(raw.toString());
    } catch {
      return;
    }
    const d = Array.isArray(m.data) ? m.data[0] : undefined;
    if (m.message === 'connection') return onConnection(s, d ?? {});
    if (m.message === 'call') return onCall(s, d ?? {});
    if (m.message === 'hangup') return s.calls.get(d?.callId)?.hangup();
  });
});

function onConnection(s, d) {
  for (const [field, label] of [['sipLogin', 'SIP login'], ['sipAuthenticationName', 'SIP authentication name']]) {
    const v = String(d[field] ?? '');
    const ch = v && badChar(v);
    if (ch) {
      s.out('fail', { apiMethod: 'ConnectionStatusEvent', status: 'FAILED', info: `Invalid ${label}: character '${ch}' not allowed by RFC 3261` });
      setTimeout(() => s.ws.close(), 50);
      return;
    }
  }
  s.acc = {
    login: d.sipLogin,
    auth: d.sipAuthenticationName || d.sipLogin,
    pass: d.sipPassword,
    domain: d.sipDomain,
    proxy: d.sipOutboundProxy || d.sipDomain,
    port: Number(d.sipPort || 5060),
    display: d.sipVisibleName,
  };
  const { sipPassword, ...echo } = d;
  s.out('getUserData', { ...echo, authToken: rnd(8), status: 'ESTABLISHED' });
  const reg = String(d.sipRegisterRequired) !== 'false';
  if (reg) startRegister(s);
}

function startRegister(s) {
  const a = s.acc;
  const callId = rnd(8);
  let cseq = 0;
  let authHdr = null;
  const r = { ok: false };
  s.reg = r;
  r.send = (expires) => {
    cseq++;
    const uri = `sip:${a.domain}`;
    send(build(`REGISTER ${uri} SIP/2.0`, [
      `Via: SIP/2.0/UDP ${IP}:${SIP_PORT};branch=z9hG4bK${rnd(6)};rport`,
      'Max-Forwards: 70',
      `From: <sip:${a.login}@${a.domain}>;tag=${callId.slice(0, 6)}`,
      `To: <sip:${a.login}@${a.domain}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${a.login}@${IP}:${SIP_PORT}>`,
      `Expires: ${expires}`,
      authHdr ? `Authorization: ${authHdr(uri)}` : null,
    ]), a.port, a.proxy);
    r.expires = expires;
  };
  let challenged = false;
  byCallId.set(callId, (msg) => {
    if (!msg.status || msg.status < 200) return;
    if (msg.status === 401 && !challenged) {
      challenged = true;
      const ch = msg.get('www-authenticate');
      authHdr = (uri) => digest(ch, a.auth, a.pass, 'REGISTER', uri);
      return r.send(r.expires);
    }
    if (msg.status === 200) {
      if (r.expires > 0 && !r.ok) {
        r.ok = true;
        s.out('registered', { status: 'REGISTERED' });
      }
      return;
    }
    s.out('fail', { apiMethod: 'RegistrationStatusEvent', status: 'FAILED', info: `${msg.status} ${msg.reason}` });
  });
  r.send(3600);
}

function webrtcAnswer(offer) {
  const mid = /a=mid:(\S+)/.exec(offer)?.[1] ?? '0';
  const fp = [...crypto.randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
  return ['v=0', `o=- ${Date.now()} 1 IN IP4 ${IP}`, 's=-', 't=0 0', `a=group:BUNDLE ${mid}`, 'a=ice-lite',
    `m=audio 20000 UDP/TLS/RTP/SAVPF 0 126`, `c=IN IP4 ${IP}`, `a=mid:${mid}`, `a=ice-ufrag:${rnd(4)}`, `a=ice-pwd:${rnd(12)}`,
    `a=fingerprint:sha-256 ${fp}`, 'a=setup:passive', 'a=rtcp-mux', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:126 telephone-event/8000',
    'a=sendrecv', 'a=msid:cg cga', `a=candidate:1 1 udp 2130706431 ${IP} 20000 typ host`, 'a=end-of-candidates', ''].join('\r\n');
}

function onCall(s, d) {
  const a = s.acc;
  const callId = d.callId;
  const sipCallId = rnd(8);
  const tag = rnd(4);
  let cseq = 1;
  let branch = null;
  let state = 'calling'; // calling | early | confirmed | ending | done
  let toHdr = null;
  let sdpSent = false;
  let authTried = false;
  let pendingFinal = null;
  const callObj = (status, extra = {}) => ({ callId, status, incoming: false, caller: a.login, callee: d.callee, visibleName: d.visibleName, hasAudio: true, hasVideo: false, mediaProvider: 'WebRTC', ...extra });
  const uri = `sip:${d.callee}@${a.domain}`;
  const from = `${d.visibleName ? `"${d.visibleName}" ` : ''}<sip:${a.login}@${a.domain}>;tag=${tag}`;
  let lastAuth = null;
  const sdp = ['v=0', `o=cg 1 1 IN IP4 ${IP}`, 's=-', `c=IN IP4 ${IP}`, 't=0 0', 'm=audio 20002 RTP/AVP 111 9 0 8 126',
    'a=rtpmap:111 opus/48000/2', 'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:126 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
  const invite = () => {
    branch = `z9hG4bK${rnd(6)}`;
    send(build(`INVITE ${uri} SIP/2.0`, [
      `Via: SIP/2.0/UDP ${IP}:${SIP_PORT};branch=${branch};rport`, 'Max-Forwards: 70', `From: ${from}`, `To: <${uri}>`,
      `Call-ID: ${sipCallId}`, `CSeq: ${cseq} INVITE`, `Contact: <sip:${a.login}@${IP}:${SIP_PORT}>`,
      lastAuth ? `Proxy-Authorization: ${lastAuth}` : null, 'Content-Type: application/sdp',
    ], sdp), a.port, a.proxy);
  };
  let target = uri; // remote target (Contact of the 2xx) and route set (RFC 3261 12.1.2)
  let routes = [];
  const inDialog = (method, n, br = `z9hG4bK${rnd(6)}`, to = toHdr, dialog = true) => send(build(`${method} ${dialog ? target : uri} SIP/2.0`, [
    `Via: SIP/2.0/UDP ${IP}:${SIP_PORT};branch=${br};rport`, 'Max-Forwards: 70', ...(dialog ? routes.map((r) => `Route: ${r}`) : []),
    `From: ${from}`, `To: ${to}`, `Call-ID: ${sipCallId}`, `CSeq: ${n} ${method}`,
  ]), a.port, a.proxy);
  const finish = (status, extra) => {
    if (state === 'done') return;
    state = 'done';
    clearTimeout(timer);
    s.calls.delete(callId);
    s.out('finish', callObj(status, extra));
    setTimeout(() => byCallId.delete(sipCallId), 5000);
  };
  const cancel = (final) => {
    state = 'ending';
    pendingFinal = final;
    inDialog('CANCEL', cseq, branch, `<${uri}>`, false);
  };
  const timer = setTimeout(() => {
    if (state === 'calling' || state === 'early') cancel({ status: 'FAILED', info: 'No answer' });
  }, NO_ANSWER * 1000);
  const call = {
    hangup() {
      if (state === 'confirmed') {
        state = 'ending';
        pendingFinal = { status: 'FINISH' };
        inDialog('BYE', ++cseq);
      } else if (state === 'calling' || state === 'early') cancel({ status: 'FINISH' });
    },
    bye() {
      if (state !== 'confirmed') return;
      state = 'ending';
      inDialog('BYE', ++cseq);
      pendingFinal = { status: 'FINISH' };
    },
    get confirmed() {
      return state === 'confirmed';
    },
  };
  s.calls.set(callId, call);
  byCallId.set(sipCallId, (msg, rinfo) => {
    if (msg.method === 'BYE') {
      reply(msg, 200, 'OK', rinfo);
      finish('FINISH');
      return;
    }
    if (msg.method) return;
    const [n, method] = (msg.get('cseq') ?? '').split(/\s+/);
    if (method === 'INVITE') {
      const st = msg.status;
      if (st >= 200) toHdr = msg.get('to');
      if (st === 180 || st === 183) {
        if (state === 'calling') state = 'early';
        if (msg.body && !sdpSent) {
          sdpSent = true;
          s.out('setRemoteSDP', callId, webrtcAnswer(d.sdp), true);
        }
        if (state === 'early') s.out('ring', callObj(msg.body ? 'RING_MEDIA' : 'RING'));
      } else if (st >= 200 && st < 300) {
        target = /<([^>]+)>/.exec(msg.get('contact') ?? '')?.[1] ?? uri;
        routes = msg.all('record-route').flatMap((v) => v.split(/,(?=\s*<)/)).map((v) => v.trim()).reverse();
        inDialog('ACK', Number(n));
        if (state === 'ending' || state === 'done') return;
        if (!sdpSent) {
          sdpSent = true;
          s.out('setRemoteSDP', callId, webrtcAnswer(d.sdp), true);
        }
        state = 'confirmed';
        clearTimeout(timer);
        s.out('talk', callObj('ESTABLISHED'));
      } else if (st >= 300) {
        inDialog('ACK', Number(n), branch, msg.get('to'), false);
        if (st === 407 && !authTried) {
          authTried = true;
          lastAuth = digest(msg.get('proxy-authenticate'), a.auth, a.pass, 'INVITE', uri);
          cseq++;
          return invite();
        }
        if (state === 'ending' && pendingFinal) return finish(pendingFinal.status, { info: pendingFinal.info, sipStatus: st });
        finish(st === 486 || st === 600 ? 'BUSY' : 'FAILED', { sipStatus: st, info: `${st} ${msg.reason}` });
      }
    } else if (method === 'BYE' && msg.status >= 200 && pendingFinal) {
      finish(pendingFinal.status);
    }
  });
  s.out('notifyTryingResponse', callObj('TRYING'));
  invite();
}

sock.bind(SIP_PORT, IP, () => log(`mock callgate: ws ${IP}:${WS_PORT} sip ${IP}:${SIP_PORT}`));

process.on('SIGTERM', () => {
  log('SIGTERM: ending calls');
  let open = 0;
  for (const s of sessions) for (const c of s.calls.values()) if (c.confirmed) { c.bye(); open++; }
  setTimeout(() => process.exit(0), open ? 1000 : 0);
});
