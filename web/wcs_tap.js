// Reads the WCS frames the Web SDK receives, without changing them: the SDK (2.0.276) keeps
// the SIP status and reason of a `finish` frame to itself (call.getInfo() only reports local
// errors), but the page should say "486 Busy Here" when a call fails. Loaded before the SDK;
// wraps window.WebSocket so every socket gets one extra 'message' listener.
(function () {
  'use strict';
  var Native = window.WebSocket;
  var calls = {};  // callId -> {status, sipStatus, info} of the newest call frame

  function observe(event) {
    if (typeof event.data !== 'string') return;
    var frame;
    try {
      frame = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    var obj = frame && frame.data && frame.data[0];
    if (!obj || typeof obj !== 'object' || !obj.callId) return;
    var known = calls[obj.callId] || {};
    if (frame.message === 'fail') {
      // fail CallStatusEvent: the reason of a FAILED call (or of a refused hold, DTMF ...).
      known.failInfo = obj.info;
    } else if (obj.status) {
      known.status = obj.status;
      if (obj.sipStatus !== undefined) known.sipStatus = obj.sipStatus;
      if (obj.info !== undefined) known.info = obj.info;
    }
    calls[obj.callId] = known;
  }

  function TappedWebSocket(url, protocols) {
    var ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener('message', observe);
    return ws;
  }
  TappedWebSocket.prototype = Native.prototype;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (k) { TappedWebSocket[k] = Native[k]; });
  window.WebSocket = TappedWebSocket;

  // What the server last said about a call: {status, sipStatus, info, failInfo} or {}.
  window.wcsTap = { call: function (id) { return calls[id] || {}; } };
})();
