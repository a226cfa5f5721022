#pragma once
// A connection to callgate over the WCS WebSocket protocol with one SIP account
// (FPWCSApi2Session).
//
// Threading: the Session owns one SDK thread (an io_context). Every callback (session
// status, incoming call, call status) runs on that thread, one at a time, in order. All
// methods may be called from any thread, including from callbacks. Do not destroy the last
// handle of a Session inside one of its own callbacks (its thread cannot join itself: the
// SDK then detaches it, which is safe but leaves the thread running until it drains).
// The SDK thread is named kSessionThreadName ("cg-session"), so tools and tests can tell it
// from GStreamer's threads; destroying the Session joins it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "callgate/client/call.hpp"
#include "callgate/client/media_engine.hpp"
#include "callgate/client/result.hpp"
#include "callgate/client/status.hpp"

namespace callgate::client {

inline constexpr const char* kSessionThreadName = "cg-session";

struct SessionOptions {
  std::string urlServer;  // ws://host:8080 or wss://host:8443 (path optional)
  std::string appKey = "defaultApp";
  // Re-attach (WCS keepAlive, docs/client-sdk.md "Reconnect"): with keepAlive the server
  // keeps the session (registration, ringing incoming calls) for a grace period after the
  // link is lost. A Session created with only authToken (no SIP login) re-attaches to it.
  std::string authToken;  // from Session::authToken() of an earlier session
  bool keepAlive = false;
  // Automatic re-attach (only with keepAlive): when the link drops without disconnect(), the
  // session reconnects with the authToken it got, up to reconnectAttempts times,
  // reconnectInterval apart, reporting PENDING with info "Reconnecting (attempt i of n): why";
  // then ESTABLISHED "Re-attached" (+ REGISTERED), or FAILED when the attempts run out or the
  // server refuses the token. 0 turns it off.
  int reconnectAttempts = 5;
  std::chrono::milliseconds reconnectInterval{2000};
  std::string sipLogin;
  std::string sipAuthenticationName;  // empty: sipLogin
  std::string sipPassword;
  std::string sipDomain;
  std::string sipOutboundProxy;  // empty: sipDomain
  uint16_t sipPort = 5060;
  bool sipRegisterRequired = true;
  std::string sipVisibleName;

  // wss: the server certificate is verified against the system CAs and the host name.
  // trustedCertificateFile adds a PEM file (a self-signed server certificate or a private
  // CA) to the trusted set. verifyCertificate=false turns verification off (tests only).
  bool verifyCertificate = true;
  std::string trustedCertificateFile;

  std::chrono::milliseconds connectTimeout{5000};  // TCP + TLS + WebSocket handshake
  // Link check: FAILED when nothing arrives from the server for receiveProbes intervals of
  // probesInterval (the server pings every 5 s). 0 turns it off.
  int receiveProbes = 3;
  std::chrono::milliseconds probesInterval{5000};

  // Ask callgate for DTMF the SIP side sends (`custom: {callgateEvents: ["dtmf"]}` in
  // `connection`); digits arrive through Call::onDtmf. A plain WCS server ignores the request.
  bool dtmfEvents = true;

  // Media engine for calls; null = GStreamer webrtcbin.
  std::shared_ptr<MediaEngineFactory> mediaEngineFactory;
};

struct SessionEvent {
  SessionStatus status = SessionStatus::Pending;
  std::string info;  // why (for FAILED / DISCONNECTED), e.g. "Connection refused by 127.0.0.1:8080"
};

class Session {
 public:
  using StatusCallback = std::function<void(const SessionEvent&)>;
  using IncomingCallCallback = std::function<void(std::shared_ptr<Call>)>;

  // Never fails; a bad URL is reported by connect().
  static std::shared_ptr<Session> create(SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts connecting: PENDING -> CONNECTED -> ESTABLISHED (-> REGISTERED). Returns an Error
  // at once for a bad URL or options; network errors arrive as FAILED with info.
  Outcome connect();
  // Closes the WebSocket; the server ends the calls. Status DISCONNECTED follows.
  void disconnect();

  // A new outgoing call (status NEW); start it with call().
  std::shared_ptr<Call> createCall(CallOptions options);

  void on(SessionStatus status, StatusCallback callback);
  void onAnyStatus(StatusCallback callback);
  void onIncomingCall(IncomingCallCallback callback);

  SessionStatus status() const;
  SessionEvent lastEvent() const;
  std::string authToken() const;  // from getUserData, for a later re-attach

  struct Impl;

 private:
  explicit Session(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace callgate::client
