// Loaded before the Flashphoner Web SDK: wraps RTCPeerConnection so the test can read
// getStats() of the connection the SDK creates internally (window.cgPeerConnections).
(function () {
  'use strict';
  var Native = window.RTCPeerConnection;
  window.cgPeerConnections = [];
  if (!Native) return;
  class CapturingPeerConnection extends Native {
    constructor(config, constraints) {
      super(config, constraints);
      window.cgPeerConnections.push(this);
    }
  }
  window.RTCPeerConnection = CapturingPeerConnection;
  window.webkitRTCPeerConnection = CapturingPeerConnection;
})();
