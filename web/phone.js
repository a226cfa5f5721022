// callgate phone: a SIP phone in the browser on the official Flashphoner Web SDK (served by
// callgate at /websdk/flashphoner.js). Plain JS, no build step. The SDK calls follow the
// SDK's own examples (examples/demo/sip/phone, phone-video): Flashphoner.init,
// createSession({urlServer, sipOptions}), session.createCall(...).call(), call.answer/hangup/
// hold/unhold/sendDTMF/muteAudio/switchMic, Flashphoner.getMediaDevices.
// State for tests and curious users: window.phone.events (every status, in order),
// window.phone.levels (audio meters).
(function () {
  'use strict';
  var SESSION_STATUS = Flashphoner.constants.SESSION_STATUS;
  var CALL_STATUS = Flashphoner.constants.CALL_STATUS;
  var MEDIA_DEVICE_KIND = Flashphoner.constants.MEDIA_DEVICE_KIND;
  var STORAGE_KEY = 'callgate.phone.settings';
  // Fields kept in localStorage (the password only when "Remember password" is ticked).
  var SAVED_FIELDS = ['urlServer', 'sipLogin', 'sipAuthName', 'sipDomain', 'sipOutboundProxy', 'sipPort',
    'sipRegisterRequired', 'visibleName', 'callee', 'inviteParams', 'videoCall', 'dtmfType', 'rememberPassword'];
  var TERMINAL = [CALL_STATUS.FINISH, CALL_STATUS.FAILED, CALL_STATUS.BUSY];

  var $ = function (id) { return document.getElementById(id); };
  var session = null;
  var sessionStatus = SESSION_STATUS.DISCONNECTED;
  var registerRequired = true;
  var currentCall = null;
  var currentIncoming = false;
  var holdPending = false;
  var audioContext = null;
  var meters = { local: null, remote: null };

  var phone = {
    events: [],
    levels: { local: 0, remote: 0, localPeak: 0, remotePeak: 0 },
    defaults: {},
    session: function () { return session; },
    call: function () { return currentCall; }
  };
  window.phone = phone;

  function record(kind, status, info) {
    var e = { t: Date.now(), kind: kind, status: status };
    if (info) e.info = info;
    phone.events.push(e);
    var line = new Date(e.t).toISOString().slice(11, 23) + ' ' + kind + ' ' + status + (info ? ' ' + info : '');
    $('log').textContent += line + '\n';
  }

  function showMessage(text, kind) {
    var m = $('message');
    m.textContent = text || '';
    m.hidden = !text;
    m.className = 'message ' + (kind || 'error');
  }

  function setStatus(id, text, state) {
    var el = $(id);
    el.textContent = text;
    el.setAttribute('data-state', state === undefined ? text : state);
  }

  // ---- settings -------------------------------------------------------------------------

  function fieldValue(id) {
    var el = $(id);
    return el.type === 'checkbox' ? el.checked : el.value;
  }

  function setField(id, value) {
    var el = $(id);
    if (el.type === 'checkbox') el.checked = value === true || value === 'true';
    else el.value = value;
  }

  function loadSettings() {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY) || '{}') || {};
    } catch (e) {
      return {};
    }
  }

  function saveSettings() {
    var s = {};
    SAVED_FIELDS.forEach(function (id) { s[id] = fieldValue(id); });
    if ($('rememberPassword').checked) s.sipPassword = $('sipPassword').value;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    } catch (e) {
      /* storage full or disabled: settings just do not persist */
    }
  }

  function defaultServerUrl() {
    var secure = location.protocol === 'https:';
    return (secure ? 'wss://' : 'ws://') + (location.host || '127.0.0.1:8080');
  }

  // Saved settings win; then callgate's /config.json defaults; then the page's own.
  function applySettings(defaults) {
    var saved = loadSettings();
    var fromServer = {
      urlServer: defaultServerUrl(),
      sipDomain: defaults.sipDomain,
      sipOutboundProxy: defaults.sipOutboundProxy,
      sipPort: defaults.sipPort,
      sipRegisterRequired: defaults.registerRequired,
      callee: defaults.echoName
    };
    Object.keys(fromServer).forEach(function (id) {
      if (fromServer[id] !== undefined && fromServer[id] !== null && fromServer[id] !== '') setField(id, fromServer[id]);
    });
    SAVED_FIELDS.forEach(function (id) { if (saved[id] !== undefined) setField(id, saved[id]); });
    if (saved.sipPassword !== undefined) setField('sipPassword', saved.sipPassword);
    if (defaults.title) {
      $('title').textContent = defaults.title;
      document.title = defaults.title;
    }
    if (defaults.echoName) $('callee').placeholder = defaults.echoName + ' (hear yourself)';
  }

  // ---- INVITE parameters ----------------------------------------------------------------

  // Returns {ok, value, error}: empty means none; else a JSON object of header names to
  // strings or numbers (sent as extra INVITE headers).
  function parseInviteParams() {
    var text = $('inviteParams').value.trim();
    if (!text) return { ok: true, value: null };
    var value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { ok: false, error: 'INVITE parameters are not valid JSON: ' + e.message };
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, error: 'INVITE parameters must be a JSON object, e.g. {"X-Tenant": "42"}' };
    }
    var names = Object.keys(value);
    for (var i = 0; i < names.length; i++) {
      if (!/^[A-Za-z0-9!%'*+\-.^_`|~]+$/.test(names[i])) {
        return { ok: false, error: 'INVITE parameter name "' + names[i] + '" is not a SIP header name' };
      }
      var v = value[names[i]];
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        return { ok: false, error: 'INVITE parameter "' + names[i] + '" must be a string or a number' };
      }
    }
    return { ok: true, value: names.length ? value : null };
  }

  function checkInviteParams() {
    var r = parseInviteParams();
    $('inviteParamsError').textContent = r.ok ? '' : r.error;
    $('inviteParams').setAttribute('aria-invalid', r.ok ? 'false' : 'true');
    return r;
  }

  // ---- devices --------------------------------------------------------------------------

  function fillDevices() {
    Flashphoner.getMediaDevices(null, true, MEDIA_DEVICE_KIND.ALL).then(function (list) {
      var fill = function (selectId, devices) {
        var select = $(selectId);
        var keep = select.value || loadSettings()[selectId];
        select.textContent = '';
        (devices || []).forEach(function (d) {
          var o = document.createElement('option');
          o.value = d.id;
          o.textContent = d.label || d.id;
          select.appendChild(o);
        });
        if (keep && Array.prototype.some.call(select.options, function (o) { return o.value === keep; })) select.value = keep;
      };
      // list.audio holds speakers too: pick by device type, as the SDK's phone-video example does.
      var all = [].concat(list.audio || [], list.video || []);
      fill('micSelect', all.filter(function (d) { return d.type === 'mic'; }));
      fill('camSelect', all.filter(function (d) { return d.type === 'camera'; }));
    }).catch(function (e) {
      record('devices', 'FAILED', String(e && e.message || e));
    });
  }

  function constraints(video) {
    var mic = $('micSelect').value;
    var cam = $('camSelect').value;
    return {
      audio: mic ? { deviceId: { exact: mic } } : true,
      video: video ? (cam ? { deviceId: { exact: cam } } : true) : false
    };
  }

  // ---- session --------------------------------------------------------------------------

  function connect() {
    showMessage('');
    var login = $('sipLogin').value.trim();
    var domain = $('sipDomain').value.trim();
    var url = $('urlServer').value.trim();
    if (!url) return showMessage('Server URL is empty');
    if (!login) return showMessage('SIP login is empty');
    if (!domain) return showMessage('SIP domain is empty');
    saveSettings();
    registerRequired = $('sipRegisterRequired').checked;
    var sipOptions = {
      login: login,
      authenticationName: $('sipAuthName').value.trim() || login,
      password: $('sipPassword').value,
      domain: domain,
      outboundProxy: $('sipOutboundProxy').value.trim() || domain,
      port: $('sipPort').value.trim() || '5060',
      registerRequired: registerRequired
    };
    ensureAudioContext();
    setStatus('connectionStatus', 'CONNECTING');
    setStatus('registrationStatus', registerRequired ? 'PENDING' : 'not required', registerRequired ? 'PENDING' : 'OFF');
    sessionStatus = 'CONNECTING';
    var s;
    try {
      s = Flashphoner.createSession({ urlServer: url, sipOptions: sipOptions });
    } catch (e) {
      sessionStatus = SESSION_STATUS.FAILED;
      setStatus('connectionStatus', 'FAILED');
      showMessage('Cannot connect: ' + e.message);
      return render();
    }
    session = s;
    Object.keys(SESSION_STATUS).forEach(function (k) {
      var st = SESSION_STATUS[k];
      if (st === SESSION_STATUS.INCOMING_CALL || st === SESSION_STATUS.WARN) return;
      s.on(st, function () { if (s === session) onSessionStatus(st); });
    });
    s.on(SESSION_STATUS.WARN, function (obj) { if (s === session) onWarn(obj || {}); });
    s.on(SESSION_STATUS.INCOMING_CALL, function (call) { if (s === session) onIncomingCall(call); });
    render();
  }

  function onSessionStatus(st) {
    record('session', st);
    if (st === SESSION_STATUS.REGISTERED) {
      setStatus('registrationStatus', 'REGISTERED');
      $('accountPanel').open = false;  // on a phone the call controls matter now
    } else if (st === SESSION_STATUS.ESTABLISHED || st === SESSION_STATUS.CONNECTED) {
      setStatus('connectionStatus', st);
      if (st === SESSION_STATUS.ESTABLISHED && !registerRequired) $('accountPanel').open = false;
    } else if (st === SESSION_STATUS.DISCONNECTED || st === SESSION_STATUS.FAILED) {
      setStatus('connectionStatus', st);
      $('accountPanel').open = true;
      var reg = $('registrationStatus').getAttribute('data-state');
      if (reg !== 'FAILED') setStatus('registrationStatus', '–', '');
      if (currentCall) endCall(currentCall, st === SESSION_STATUS.FAILED ? CALL_STATUS.FAILED : CALL_STATUS.FINISH);
      if (st === SESSION_STATUS.FAILED && !$('message').textContent) showMessage('Connection to ' + $('urlServer').value + ' failed');
    }
    sessionStatus = st;
    render();
  }

  // `fail` frames: a refused connection, a failed registration, a failed call or request.
  function onWarn(obj) {
    var info = obj.info || 'unknown error';
    record('warn', obj.apiMethod || 'WARN', info);
    if (obj.apiMethod === 'RegistrationStatusEvent') {
      setStatus('registrationStatus', 'FAILED: ' + info, 'FAILED');
      showMessage('Registration failed: ' + info);
    } else if (obj.apiMethod === 'ConnectionStatusEvent') {
      showMessage('Connection refused: ' + info);
    } else if (obj.apiMethod === 'CallStatusEvent') {
      // A failed call already said why (endCall); this is about a live call (e.g. hold refused).
      holdPending = false;
      if (currentCall && obj.callId === currentCall.id()) showMessage('Call: ' + info);
    } else {
      showMessage((obj.apiMethod ? obj.apiMethod + ': ' : '') + info);
    }
    render();
  }

  function disconnect() {
    if (currentCall) currentCall.hangup();
    if (session) session.disconnect();
  }

  function canCall() {
    return session && (sessionStatus === SESSION_STATUS.REGISTERED ||
      (!registerRequired && sessionStatus === SESSION_STATUS.ESTABLISHED));
  }

  // ---- calls ----------------------------------------------------------------------------

  function describeEnd(call, status) {
    var wire = window.wcsTap ? window.wcsTap.call(call.id()) : {};
    var info = wire.info || wire.failInfo || call.getErrorInfo() || '';
    if (wire.sipStatus && String(info).indexOf(String(wire.sipStatus)) !== 0) info = wire.sipStatus + ' ' + info;
    if (status === CALL_STATUS.FINISH && /normal call clearing/i.test(info)) info = '';
    return info.trim();
  }

  function watchCall(call, incoming) {
    Object.keys(CALL_STATUS).forEach(function (k) {
      var st = CALL_STATUS[k];
      call.on(st, function () { onCallStatus(call, st, incoming); });
    });
  }

  function onCallStatus(call, st, incoming) {
    if (call !== currentCall) return;
    if (TERMINAL.indexOf(st) >= 0) return endCall(call, st);
    record('call', st);
    if (st === CALL_STATUS.HOLD || st === CALL_STATUS.ESTABLISHED) holdPending = false;
    var text = st;
    if (st === CALL_STATUS.RING && incoming) text = 'RING (incoming)';
    setStatus('callStatus', text, st);
    if (st === CALL_STATUS.ESTABLISHED || st === CALL_STATUS.HOLD) $('incoming').hidden = true;
    render();
  }

  function endCall(call, st) {
    var info = describeEnd(call, st);
    record('call', st, info);
    setStatus('callStatus', info ? st + ' — ' + info : st, st);
    if (st !== CALL_STATUS.FINISH && info) showMessage('Call ' + (st === CALL_STATUS.BUSY ? 'busy' : 'failed') + ': ' + info);
    currentCall = null;
    currentIncoming = false;
    holdPending = false;
    $('incoming').hidden = true;
    $('incomingText').textContent = '';
    $('muteBtn').setAttribute('aria-pressed', 'false');
    $('muteBtn').textContent = 'Mute';
    render();
  }

  function startCall() {
    showMessage('');
    var callee = $('callee').value.trim();
    if (!callee) return showMessage('Callee is empty');
    var params = checkInviteParams();
    if (!params.ok) {
      $('callOptions').open = true;
      return showMessage('Not calling: ' + params.error);
    }
    if (!canCall()) return showMessage('Not calling: connect (and register) first');
    saveSettings();
    ensureAudioContext();
    var video = $('videoCall').checked;
    var options = {
      callee: callee,
      visibleName: $('visibleName').value.trim() || $('sipLogin').value.trim(),
      localVideoDisplay: $('localVideo'),
      remoteVideoDisplay: $('remoteVideo'),
      constraints: constraints(video),
      receiveAudio: true,
      receiveVideo: video,
      stripCodecs: 'SILK'
    };
    // The SDK forwards `custom` untouched; callgate reads inviteParameters from it.
    if (params.value) options.custom = { inviteParameters: params.value };
    var call;
    try {
      call = session.createCall(options);
    } catch (e) {
      return showMessage('Cannot call: ' + e.message);
    }
    currentCall = call;
    currentIncoming = false;
    $('dtmfSent').textContent = '';
    watchCall(call, false);
    setStatus('callStatus', 'CALLING ' + callee, 'PENDING');
    record('call', 'CALL', callee);
    call.call();
    render();
  }

  function onIncomingCall(call) {
    if (currentCall) {  // one call at a time: the phone's caller hears busy
      record('incoming', 'REJECTED', call.caller());
      call.hangup();
      return;
    }
    currentCall = call;
    currentIncoming = true;
    $('dtmfSent').textContent = '';
    watchCall(call, true);
    var name = call.visibleName && call.visibleName();
    var text = "Incoming call from '" + call.caller() + "'";
    if (name && name !== call.caller()) text += ' (' + name + ')';
    $('incomingText').textContent = text;
    $('incoming').hidden = false;
    record('incoming', 'INCOMING_CALL', call.caller());
    setStatus('callStatus', 'RING (incoming)', 'RING');
    render();
  }

  function answer() {
    if (!currentCall || !currentIncoming) return;
    ensureAudioContext();
    var video = $('videoCall').checked;
    $('incoming').hidden = true;
    try {
      currentCall.answer({
        localVideoDisplay: $('localVideo'),
        remoteVideoDisplay: $('remoteVideo'),
        constraints: constraints(video),
        receiveVideo: video,
        stripCodecs: 'SILK'
      });
    } catch (e) {
      showMessage('Cannot answer: ' + e.message);
    }
    record('call', 'ANSWER');
    render();
  }

  function hangup() {
    if (currentCall) currentCall.hangup();
  }

  function toggleHold() {
    if (!currentCall) return;
    holdPending = true;
    if (currentCall.status() === CALL_STATUS.HOLD) currentCall.unhold();
    else currentCall.hold();
    render();
  }

  function toggleMute() {
    if (!currentCall) return;
    var muted = $('muteBtn').getAttribute('aria-pressed') === 'true';
    if (muted) currentCall.unmuteAudio();
    else currentCall.muteAudio();
    $('muteBtn').setAttribute('aria-pressed', muted ? 'false' : 'true');
    $('muteBtn').textContent = muted ? 'Mute' : 'Unmute';
    record('call', muted ? 'UNMUTED' : 'MUTED');
  }

  function sendDigit(digit) {
    if (!currentCall) return;
    currentCall.sendDTMF(digit, $('dtmfType').value);
    $('dtmfSent').textContent += digit;
    record('call', 'DTMF', digit);
  }

  // ---- rendering ------------------------------------------------------------------------

  function render() {
    var connected = session && [SESSION_STATUS.DISCONNECTED, SESSION_STATUS.FAILED].indexOf(sessionStatus) < 0;
    var st = currentCall ? currentCall.status() : null;
    var talking = st === CALL_STATUS.ESTABLISHED || st === CALL_STATUS.HOLD;
    var ringingIn = currentCall && currentIncoming && !talking;
    $('connectBtn').disabled = !!connected;
    $('disconnectBtn').disabled = !connected;
    $('accountForm').querySelectorAll('input').forEach(function (el) { el.disabled = !!connected; });
    $('callBtn').disabled = !canCall() || !!currentCall;
    $('hangupBtn').disabled = !currentCall || ringingIn;
    $('holdBtn').disabled = !talking || holdPending;
    $('holdBtn').textContent = st === CALL_STATUS.HOLD ? 'Unhold' : 'Hold';
    $('muteBtn').disabled = !talking;
    $('dtmfPad').querySelectorAll('button').forEach(function (b) { b.disabled = st !== CALL_STATUS.ESTABLISHED; });
    $('micSelect').disabled = !!currentCall && !talking;
    $('inCall').hidden = !currentCall || ringingIn;
    document.body.setAttribute('data-call', st || '');
  }

  // ---- audio meters and video tiles -----------------------------------------------------

  function ensureAudioContext() {
    if (!audioContext && window.AudioContext) audioContext = new AudioContext();
    if (audioContext && audioContext.state === 'suspended') audioContext.resume();
  }

  function streamIn(div) {
    var els = div.querySelectorAll('video, audio');
    for (var i = 0; i < els.length; i++) if (els[i].srcObject) return els[i].srcObject;
    return null;
  }

  // An AnalyserNode per stream (WebAudio): RMS of the last 1024 samples, 10 times a second.
  function meterFor(which, stream) {
    var m = meters[which];
    var tracks = stream ? stream.getAudioTracks() : [];
    var trackId = tracks.length ? tracks[0].id : null;
    if (m && m.stream === stream && m.trackId === trackId) return m;
    if (m) m.source.disconnect();
    meters[which] = null;
    if (!trackId || !audioContext) return null;
    var source = audioContext.createMediaStreamSource(stream);
    var analyser = audioContext.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    meters[which] = { stream: stream, trackId: trackId, source: source, analyser: analyser, buf: new Float32Array(1024) };
    return meters[which];
  }

  function level(m) {
    if (!m) return 0;
    m.analyser.getFloatTimeDomainData(m.buf);
    var sum = 0;
    for (var i = 0; i < m.buf.length; i++) sum += m.buf[i] * m.buf[i];
    return Math.sqrt(sum / m.buf.length);
  }

  function tick() {
    var st = currentCall ? currentCall.status() : null;
    var live = st === CALL_STATUS.ESTABLISHED || st === CALL_STATUS.HOLD;
    var local = live ? level(meterFor('local', streamIn($('localVideo')))) : 0;
    var remote = live ? level(meterFor('remote', streamIn($('remoteVideo')))) : 0;
    var L = phone.levels;
    L.local = local;
    L.remote = remote;
    if (live) {
      L.localPeak = Math.max(L.localPeak, local);
      L.remotePeak = Math.max(L.remotePeak, remote);
    } else {
      L.localPeak = 0;
      L.remotePeak = 0;
    }
    // RMS of speech is small (0.01-0.1): a square-root scale shows quiet audio too.
    // The bars fall back slowly (like a VU meter), so short sounds stay visible.
    $('localLevel').value = Math.max(Math.min(1, Math.sqrt(local) * 2), $('localLevel').value * 0.9);
    $('remoteLevel').value = Math.max(Math.min(1, Math.sqrt(remote) * 2), $('remoteLevel').value * 0.9);
    var hasVideo = function (stream) {
      return !!stream && stream.getVideoTracks().some(function (t) { return t.readyState === 'live'; });
    };
    $('videoTiles').hidden = !(live && (hasVideo(streamIn($('remoteVideo'))) || hasVideo(streamIn($('localVideo')))));
  }

  // ---- start ----------------------------------------------------------------------------

  function start() {
    try {
      Flashphoner.init({});
    } catch (e) {
      showMessage('This browser cannot run the Web SDK: ' + e.message);
      return;
    }
    fetch('config.json', { cache: 'no-cache' }).then(function (r) {
      return r.ok ? r.json() : {};
    }).catch(function () { return {}; }).then(function (defaults) {
      phone.defaults = defaults || {};
      applySettings(phone.defaults);
      checkInviteParams();
      render();
      phone.ready = true;
    });
    fillDevices();
    $('connectBtn').onclick = connect;
    $('disconnectBtn').onclick = disconnect;
    $('callBtn').onclick = startCall;
    $('hangupBtn').onclick = hangup;
    $('answerBtn').onclick = answer;
    $('rejectBtn').onclick = hangup;
    $('holdBtn').onclick = toggleHold;
    $('muteBtn').onclick = toggleMute;
    $('dtmfPad').querySelectorAll('button').forEach(function (b) {
      b.onclick = function () { sendDigit(b.getAttribute('data-digit')); };
    });
    $('inviteParams').addEventListener('input', checkInviteParams);
    $('micSelect').addEventListener('change', function () {
      var st = currentCall && currentCall.status();
      if (st === CALL_STATUS.ESTABLISHED || st === CALL_STATUS.HOLD) {
        currentCall.switchMic($('micSelect').value).catch(function (e) { showMessage('Cannot switch microphone: ' + e); });
      }
    });
    $('callee').addEventListener('keydown', function (e) { if (e.key === 'Enter' && !$('callBtn').disabled) startCall(); });
    // Every change is saved (saveSettings leaves the password out unless it is to be remembered).
    document.querySelectorAll('input, select, textarea').forEach(function (el) {
      el.addEventListener('change', saveSettings);
      el.addEventListener('input', saveSettings);
    });
    setInterval(tick, 100);
    render();
  }

  start();
})();
