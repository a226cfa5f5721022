// A small client for the WCS WebSocket protocol (docs: /work/shared/protocol/wcs-websocket.md
// in the project notes; summary in tests/README.md), enough to drive callgate's SIP side from
// node tests the way the Web SDK does: connection, call, answer, hangup, hold/unhold, pong.
//
//   const c = await WcsClient.open('ws://127.0.0.1:8080');
//   c.sendConnection({ sipLogin: '1000', ... });
//   await c.waitFor({ message: 'getUserData' });
//   const { callId } = c.call({ callee: '2000' });
//   await c.waitForCall(callId, 'ESTABLISHED');
//   c.hangup(callId);
//
// Every received frame is kept in `received` (in order) so tests can assert sequences and
// counts ("exactly one setRemoteSDP"). waitFor() looks at the whole history first, then waits.
import crypto from 'node:crypto';
import WebSocket from 'ws';
import { chromiumAudioOffer } from './chromium_offer.mjs';

const TERMINAL = new Set(['FINISH', 'FAILED', 'BUSY']);

export class WcsClient {
  constructor(ws) {
    this.ws = ws;
    this.protocolErrors = []; // frames that break protocol §1 (no data array, binary, not JSON)
    this.received = []; // {message, data, at}
    this.waiters = new Set();
    this.closeInfo = null;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        for (const w of this.waiters) w.check();
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (raw, isBinary) => {
      if (isBinary) {
        this.protocolErrors.push('binary frame received on a SIP session');
        return;
      }
      let msg;
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        this.protocolErrors.push(`non-JSON frame: ${raw.toString().slice(0, 200)}`);
        return;
      }
      if (!msg || typeof msg.message !== 'string' || !Array.isArray(msg.data)) {
        // protocol §1: every server frame MUST carry a data array (the Web SDK throws otherwise).
        this.protocolErrors.push(`frame without message/data array: ${raw.toString().slice(0, 200)}`);
      }
      const entry = { message: msg?.message, data: msg?.data, at: Date.now() };
      this.received.push(entry);
      if (entry.message === 'ping') this.send('pong', null);
      for (const w of this.waiters) w.check();
    });
    ws.on('error', (err) => {
      this.lastError = err;
    });
  }

  /** Opens ws(s)://...; rejects after timeoutMs. */
  static open(url, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, rejectUnauthorized: false });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`WebSocket ${url} not open within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(new WcsClient(ws));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Retries open() until the server accepts connections (server start-up), bounded. */
  static async openWhenReady(url, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let lastErr;
    while (Date.now() < deadline) {
      try {
        return await WcsClient.open(url, Math.min(2000, Math.max(100, deadline - Date.now())));
      } catch (err) {
        lastErr = err;
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    throw new Error(`cannot open ${url} within ${timeoutMs} ms: ${lastErr?.message}`);
  }

  /** Sends {"message": name, "data": [payload]} like the Web SDK. */
  send(message, payload) {
    this.ws.send(JSON.stringify({ message, data: [payload] }));
  }

  /** Sends `connection` with SIP credentials; fields as the Web SDK 2.0.276 sends them. */
  sendConnection(sip) {
    const payload = {
      appKey: 'defaultApp',
      mediaProviders: ['WebRTC'],
      clientVersion: '2.0',
      clientOSVersion: '5.0 (X11; Linux x86_64)',
      clientBrowserVersion: 'Mozilla/5.0 (X11; Linux x86_64) node-test',
      msePacketizationVersion: 2,
      custom: {},
      sipLogin: '1000',
      sipAuthenticationName: '1000',
      sipPassword: '1234',
      sipDomain: '127.0.0.1',
      sipOutboundProxy: '127.0.0.1',
      sipPort: '5060',
      sipRegisterRequired: true,
      ...sip,
    };
    this.connection = payload;
    this.send('connection', payload);
    return payload;
  }

  /** Sends `call` with a Chromium-like audio offer; returns {callId, sdp}. */
  call({ callee, callId = crypto.randomUUID(), sdp = chromiumAudioOffer().sdp, visibleName, ...extra }) {
    const caller = this.connection?.sipLogin ?? '';
    this.send('call', {
      callId,
      incoming: false,
      status: 'PENDING',
      sdp,
      hasAudio: true,
      hasVideo: false,
      mediaProvider: 'WebRTC',
      caller,
      callee,
      visibleName: visibleName ?? caller,
      ...extra,
    });
    return { callId, sdp };
  }

  hangup(callId) {
    this.send('hangup', { callId });
  }

  /**
   * Accepts an incoming call (protocol §2.3) with a WebRTC answer to the server's offer; the
   * fields are those the Web SDK 2.0.276 sends (hasVideo is hard-coded true there).
   * `notify` = the notifyIncomingCall payload, whose callee/custom the SDK echoes.
   */
  answer(callId, sdp, { notify, ...extra } = {}) {
    const payload = {
      callId,
      incoming: true,
      hasAudio: true,
      hasVideo: true,
      status: 'PENDING',
      mediaProvider: 'WebRTC',
      sdp,
      ...(notify?.callee !== undefined ? { callee: notify.callee } : {}),
      custom: notify?.custom ?? {},
      ...extra,
    };
    this.send('answer', payload);
    return payload;
  }

  /** Puts a call on hold (protocol §2.5); no SDP travels. */
  hold(callId, extra = {}) {
    this.send('hold', { callId, ...extra });
  }

  unhold(callId) {
    this.send('unhold', { callId });
  }

  /** Messages received so far, optionally filtered by name. */
  messages(name) {
    return name ? this.received.filter((m) => m.message === name) : [...this.received];
  }

  /** Status events (data[0].status) for one call, in order, with the message name. */
  callEvents(callId) {
    return this.received
      .filter((m) => m.data && m.data[0] && typeof m.data[0] === 'object' && m.data[0].callId === callId)
      .map((m) => ({ message: m.message, status: m.data[0].status, payload: m.data[0] }));
  }

  /** setRemoteSDP frames for a call (data = [callId, sdp, isInitiator]). */
  remoteSdps(callId) {
    return this.received.filter((m) => m.message === 'setRemoteSDP' && m.data?.[0] === callId);
  }

  /**
   * Waits for the first received frame matching `match`: a function(entry) or an object
   * {message?, status?, callId?, apiMethod?}. Looks at history first. Rejects on timeout or
   * when the socket closes (unless allowClosed).
   */
  waitFor(match, timeoutMs = 5000, { allowClosed = false } = {}) {
    const pred = typeof match === 'function' ? match : (e) => {
      const d = e.data?.[0];
      if (match.message && e.message !== match.message) return false;
      if (match.status && d?.status !== match.status) return false;
      if (match.callId && d?.callId !== match.callId) return false;
      if (match.apiMethod && d?.apiMethod !== match.apiMethod) return false;
      return true;
    };
    const describe = typeof match === 'function' ? 'a matching message' : JSON.stringify(match);
    return new Promise((resolve, reject) => {
      const w = {
        check: () => {
          const hit = this.received.find(pred);
          if (hit) {
            finish();
            resolve(hit);
          } else if (this.closeInfo && !allowClosed) {
            finish();
            reject(new Error(`socket closed (${JSON.stringify(this.closeInfo)}) before ${describe}; got: ${this.summary()}`));
          }
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timeout after ${timeoutMs} ms waiting for ${describe}; got: ${this.summary()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(w);
      };
      this.waiters.add(w);
      w.check();
    });
  }

  /** Waits until the call reports `status` (data[0].status in any message for callId). */
  waitForCall(callId, status, timeoutMs = 5000) {
    return this.waitFor({ callId, status }, timeoutMs);
  }

  /**
   * Waits for the call's terminal status (FINISH/FAILED/BUSY) and returns its payload. A
   * `fail` warning also carries status FAILED but does not end a call: it is skipped.
   */
  async waitForTerminal(callId, timeoutMs = 10000) {
    const e = await this.waitFor((m) => m.message !== 'fail' && m.data?.[0]?.callId === callId && TERMINAL.has(m.data[0].status), timeoutMs);
    return e.data[0];
  }

  /** Resolves when the socket is closed (by either side), rejects after timeoutMs. */
  async waitClosed(timeoutMs = 5000) {
    let timer;
    const t = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms; got: ${this.summary()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, t]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the socket (client side) and waits for the close to complete (bounded). */
  async close(timeoutMs = 2000) {
    if (this.closeInfo) return;
    this.ws.close(1000);
    try {
      await this.waitClosed(timeoutMs);
    } catch {
      this.ws.terminate();
    }
  }

  /** Compact history for error messages: name[status]. */
  summary() {
    return this.received
      .map((m) => {
        const d = m.data?.[0];
        const st = d && typeof d === 'object' && d.status ? `[${d.status}${d.info ? ': ' + d.info : ''}]` : '';
        return `${m.message}${st}`;
      })
      .join(', ') || '(nothing)';
  }
}
