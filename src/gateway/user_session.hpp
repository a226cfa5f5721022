#pragma once
// The gateway's face toward the client API: one UserSession per connected client, holding
// its SIP identity (registration) and its calls. api/ drives it and receives events through
// UserSession::Listener. Everything runs on the worker thread the client is pinned to;
// listener callbacks fire on that thread, never synchronously from inside a request method
// except where noted, so the API layer may send frames from them freely.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace callgate::gateway {

struct SipAccount {
  std::string login;          // user part, unescaped, validated
  std::string authName;       // digest username; empty => login
  std::string password;
  std::string domain;         // may carry ":port"
  std::string outboundProxy;  // empty => domain
  uint16_t port = 5060;
  std::string displayName;
  bool registerRequired = true;
};

struct OutgoingCallRequest {
  std::string callId;
  std::string callee;
  std::string sdpOffer;  // the browser's WebRTC offer
  std::string visibleName;
  bool hasAudio = true;
  bool hasVideo = false;
  std::vector<std::pair<std::string, std::string>> extraHeaders;  // validated by the caller
};

// WCS call status strings (protocol §7). Terminal: BUSY, FINISH, FAILED.
enum class CallStatus { Trying, Ring, RingMedia, Established, Hold, Busy, Finish, Failed };
const char* toString(CallStatus status);
bool isTerminal(CallStatus status);

// What the client is told about a call with each status change.
struct CallSnapshot {
  std::string callId;
  CallStatus status = CallStatus::Trying;
  std::string caller;
  std::string callee;
  std::string visibleName;
  bool incoming = false;
  bool hasAudio = true;
  bool hasVideo = false;
  int sipStatus = 0;  // 0 = none
  std::string info;   // readable reason for FAILED/BUSY/FINISH
};

class UserSession {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onRegistered() = 0;
    virtual void onRegistrationFailed(int sipStatus, const std::string& info) = 0;
    // Every status change of a call; a terminal status is the last event for that callId.
    virtual void onCallStatus(const CallSnapshot& call) = 0;
    // The SDP for the browser: an answer (isInitiator=true) or an offer. Once per call.
    virtual void onRemoteSdp(const std::string& callId, const std::string& sdp, bool isInitiator) = 0;
    // A SIP call for this client, right after its offer (onRemoteSdp, isInitiator=false) and
    // before its RING status (protocol §3.3, §4.6).
    virtual void onIncomingCall(const CallSnapshot& call) = 0;
    // Our blind transfer of this call succeeded (protocol §3.10 notifyTransferEvent COMPLETED).
    virtual void onTransferCompleted(const std::string& callId) = 0;
    // A DTMF digit the SIP side sent in this call (type RFC2833, INFO or INFO_RELAY, as in
    // the client's sendDtmf).
    virtual void onCallDtmf(const std::string& callId, char digit, const std::string& type) = 0;
    // A request about a call was refused but the call goes on (unknown or duplicate callId,
    // an unsupported operation): the client gets a `fail` naming `apiMethod`.
    virtual void onCallWarning(const std::string& callId, const std::string& apiMethod, const std::string& info) = 0;
  };

  virtual ~UserSession() = default;
  // Starts registration when required; otherwise the session is ready at once.
  virtual void start() = 0;
  // Places a call. Events follow (TRYING first); failures end with a terminal status.
  virtual void call(OutgoingCallRequest request) = 0;
  // CANCEL / BYE / reject as the call's state demands; a terminal status always follows
  // for a known callId; unknown ids are ignored (protocol §2.4).
  virtual void hangup(const std::string& callId) = 0;
  // The client's answer to an incoming call: its SDP answer and extra SIP headers for the 200.
  virtual void answer(const std::string& callId, const std::string& sdp,
                      std::vector<std::pair<std::string, std::string>> sipHeaders) = 0;
  virtual void hold(const std::string& callId, bool on) = 0;
  virtual void sendDtmf(const std::string& callId, const std::string& digits, const std::string& type) = 0;
  virtual void transfer(const std::string& callId, const std::string& target) = 0;
  // Ends every call and un-REGISTERs; `done` runs when finished or timed out (bounded).
  // No listener callbacks fire after close() is called.
  virtual void close(std::function<void()> done) = 0;
};

class UserSessionFactory {
 public:
  virtual ~UserSessionFactory() = default;
  virtual std::unique_ptr<UserSession> create(SipAccount account, UserSession::Listener& listener) = 0;
};

}  // namespace callgate::gateway
