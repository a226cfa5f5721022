// Test phone on top of the official Flashphoner Web SDK (served at /websdk/flashphoner.js).
// Used by hand (the form) and by tests/e2e through window.cg:
//   await cg.connect({url, login, authName, password, domain, proxy, port, register})
//   cg.call(callee)  cg.hangup()  cg.disconnect()  await cg.stats()
//   cg.events: [{t, kind: 'session'|'call', status, info, apiMethod}] in order.
(function () {
  'use strict';
  var SESSION_STATUS = Flashphoner.constants.SESSION_STATUS;
  var CALL_STATUS = Flashphoner.constants.CALL_STATUS;
  var initDone = null;
  var session = null;
  var currentCall = null;
  var login = '';

  var cg = {
    events: [],
    errors: [],
    session: function () { return session; },
    call: null
  };
  window.cg = cg;

  function $(id) { return document.getElementById(id); }

  function record(kind, status, obj) {
    var e = { t: Date.now(), kind: kind, status: status };
    if (obj && typeof obj === 'object') {
      if (obj.info !== undefined) e.info = obj.info;
      if (obj.apiMethod !== undefined) e.apiMethod = obj.apiMethod;
      if (obj.sipStatus !== undefined) e.sipStatus = obj.sipStatus;
    }
    cg.events.push(e);
    $(kind === 'session' ? 'sessionStatus' : 'callStatus').textContent = status;
    var line = new Date(e.t).toISOString().slice(11, 23) + ' ' + kind + ' ' + status +
      (e.apiMethod ? ' ' + e.apiMethod : '') + (e.info ? ' ' + e.info : '');
    $('log').textContent += line + '\n';
    if (status === 'WARN' || status === 'FAILED') {
      var text = (e.apiMethod ? e.apiMethod + ': ' : '') + (e.info || status);
      cg.errors.push(text);
      $('error').textContent = text;
    }
  }

  function init() {
    if (!initDone) {
      initDone = Promise.resolve(Flashphoner.init({ logger: { severity: 'INFO' } }));
    }
    return initDone;
  }

  cg.connect = async function (o) {
    await init();
    login = o.login;
    var opts = {
      urlServer: o.url,
      sipOptions: {
        login: o.login,
        authenticationName: o.authName !== undefined ? o.authName : o.login,
        password: o.password,
        domain: o.domain,
        outboundProxy: o.proxy,
        port: String(o.port),
        registerRequired: o.register !== false
      }
    };
    session = Flashphoner.createSession(opts);
    Object.keys(SESSION_STATUS).forEach(function (k) {
      var st = SESSION_STATUS[k];
      if (st === SESSION_STATUS.INCOMING_CALL) return;
      session.on(st, function (obj) { record('session', st, obj); });
    });
    return true;
  };

  cg.call = function (callee) {
    if (!session) throw new Error('not connected');
    currentCall = session.createCall({
      callee: callee,
      visibleName: login,
      localVideoDisplay: $('localDisplay'),
      remoteVideoDisplay: $('remoteDisplay'),
      constraints: { audio: true, video: false },
      receiveVideo: false
    });
    Object.keys(CALL_STATUS).forEach(function (k) {
      var st = CALL_STATUS[k];
      currentCall.on(st, function (c) {
        record('call', st, { info: c && c.getInfo ? c.getInfo() : undefined, sipStatus: c && c.getSipStatus ? c.getSipStatus() : undefined });
      });
    });
    currentCall.call();
    return currentCall.id();
  };

  cg.hangup = function () {
    if (currentCall) currentCall.hangup();
  };

  cg.disconnect = function () {
    if (session) session.disconnect();
  };

  // Audio figures of the newest PeerConnection (the SDK keeps it internally).
  cg.stats = async function () {
    var pcs = window.cgPeerConnections || [];
    var pc = pcs[pcs.length - 1];
    var out = { peerConnections: pcs.length, connectionState: pc ? pc.connectionState : null,
      iceConnectionState: pc ? pc.iceConnectionState : null,
      packetsSent: 0, packetsReceived: 0, bytesReceived: 0, audioLevel: 0, totalAudioEnergy: 0, codec: null };
    if (!pc) return out;
    var report = await pc.getStats();
    var codecs = {};
    report.forEach(function (r) { if (r.type === 'codec') codecs[r.id] = r.mimeType; });
    report.forEach(function (r) {
      if (r.kind !== 'audio' && r.mediaType !== 'audio') return;
      if (r.type === 'outbound-rtp') {
        out.packetsSent += r.packetsSent || 0;
        if (r.codecId) out.codec = codecs[r.codecId] || out.codec;
      } else if (r.type === 'inbound-rtp') {
        out.packetsReceived += r.packetsReceived || 0;
        out.bytesReceived += r.bytesReceived || 0;
        out.audioLevel = Math.max(out.audioLevel, r.audioLevel || 0);
        out.totalAudioEnergy = Math.max(out.totalAudioEnergy, r.totalAudioEnergy || 0);
      }
    });
    return out;
  };

  function formOptions() {
    return {
      url: $('url').value, login: $('login').value, authName: $('authName').value,
      password: $('password').value, domain: $('domain').value, proxy: $('proxy').value,
      port: $('port').value, register: $('register').checked
    };
  }

  window.addEventListener('load', function () {
    var defaultUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + (location.hostname || '127.0.0.1') +
      (location.protocol === 'https:' ? ':8443' : ':8080');
    var q = new URLSearchParams(location.search);
    $('url').value = q.get('server') || defaultUrl;
    $('connectBtn').onclick = function () { cg.connect(formOptions()).catch(function (e) { $('error').textContent = String(e); }); };
    $('disconnectBtn').onclick = cg.disconnect;
    $('callBtn').onclick = function () { try { cg.call($('callee').value); } catch (e) { $('error').textContent = String(e); } };
    $('hangupBtn').onclick = cg.hangup;
  });
})();
