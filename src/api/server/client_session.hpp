#pragma once
// One WCS client: decodes its frames, drives a gateway::UserSession, and turns gateway
// events back into WCS frames (shared/protocol/wcs-websocket.md §2-§4). Transport-free:
// frames go out through FrameSink, so the protocol logic is unit-tested without sockets.
// Runs on the worker thread its connection is pinned to; not thread-safe.
//
// keepAlive (protocol §1, §4.11): a session that connected with `keepAlive: true` outlives
// its socket. The connection hands it to the worker's SessionRegistry, which detaches it
// (detach(): calls that cannot be resumed end, the registration and ringing incoming calls
// stay) and owns it for the grace period; a later socket whose `connection` carries its
// authToken gets it back (attach(): getUserData, `registered`, ringing calls re-delivered).
#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "api/protocol/messages.hpp"
#include "api/server/session_registry.hpp"
#include "gateway/user_session.hpp"

namespace callgate::api {

class ClientSession;

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void sendText(std::string text) = 0;
  // Sends what is queued, then closes the socket (after a refused connection).
  virtual void closeAfterSend() = 0;
  // A `connection` carrying an authToken re-attached a kept session: from now on the
  // transport serves `kept` (already attached to this sink) instead of the session that
  // asked, and destroys the asking one later (never inside this call: it is on the stack).
  virtual void adopt(std::unique_ptr<ClientSession> kept) = 0;
  // Another socket presented the authToken of the session this transport holds (its own link
  // is most likely dead but not noticed yet): hand the session over — return it and no
  // longer touch it — and close once what is queued is sent. Null: this transport cannot
  // hand over, and the token is refused as in use.
  virtual std::unique_ptr<ClientSession> release() { return nullptr; }
};


struct KeepAliveSettings {
  int probes = 10;  // consecutive unanswered pings before the link counts as dead
};

class ClientSession final : public gateway::UserSession::Listener {
 public:
  ClientSession(boost::asio::any_io_executor executor, FrameSink& sink, gateway::UserSessionFactory& factory,
                KeepAliveSettings keepAlive = {}, SessionRegistry* registry = nullptr);
  ~ClientSession() override;

  void onText(std::string_view text);
  // Called by the transport every ping interval: sends `ping`. Returns false when too many
  // pings went unanswered and the connection should be closed.
  bool onKeepAliveTick();
  // The socket closed: end calls and registration; `done` runs when that finished.
  void shutdown(std::function<void()> done);

  // The socket closed and this session asked to be kept (keepAlive, a registry to keep it):
  // the transport hands it to SessionRegistry::keep instead of calling shutdown().
  bool wantsKeep() const { return registry_ && connected_ && keepAliveRequested_ && !closing_; }
  // Called by the registry when the socket is gone: no more frames; calls that cannot be
  // resumed are ended (see the .cpp); registration and ringing incoming calls stay.
  void detach();
  // Takeover (SessionRegistry::take): tells this socket's client why (`fail` `info`), takes
  // the session from its transport (FrameSink::release) and detaches it. Null, and nothing
  // changed, when the transport cannot hand over.
  std::unique_ptr<ClientSession> surrender(const std::string& info);
  // A new socket took this session over (`request` is its `connection`): replays
  // getUserData, `registered` when the registration is up, and every still-ringing
  // incoming call (setRemoteSDP, notifyIncomingCall, ring; protocol §4.6).
  void attach(FrameSink& sink, const ConnectionRequest& request);

  const std::string& id() const { return id_; }
  const std::string& authToken() const { return authToken_; }

  // gateway::UserSession::Listener
  void onRegistered() override;
  void onRegistrationFailed(int sipStatus, const std::string& info) override;
  void onCallStatus(const gateway::CallSnapshot& call) override;
  void onRemoteSdp(const std::string& callId, const std::string& sdp, bool isInitiator) override;
  void onIncomingCall(const gateway::CallSnapshot& call) override;
  void onTransferCompleted(const std::string& callId) override;
  void onCallWarning(const std::string& callId, const std::string& apiMethod, const std::string& info) override;
  void onCallDtmf(const std::string& callId, char digit, const std::string& type) override;

 private:
  void handleConnection(const Json& payload);
  void handleCall(const Json& payload);
  void send(std::string_view message, Json data);
  void sendFail(std::string_view apiMethod, const std::string& info, const std::string& callId = {});
  void failCall(const std::string& callId, const std::string& info);
  void reattach(const ConnectionRequest& request);
  // Re-attach to a session of another worker (SessionRegistry "across workers"): this
  // session then relays frames both ways by asio::post.
  void relayTo(const SessionRegistry::Peer& owner, const ConnectionRequest& request);
  void relayOut(std::string text);
  void relayRefused(const std::string& info);
  void refuseConnection(const std::string& info);

  // What the client knows of each live call, to end or re-deliver it when the socket changes.
  struct KnownCall {
    bool incoming = false;
    bool answered = false;  // the client sent `answer`
    gateway::CallStatus status = gateway::CallStatus::Trying;
    gateway::CallSnapshot snapshot;  // incoming: as sent in notifyIncomingCall / ring
    std::string offer;               // incoming: our WebRTC offer (setRemoteSDP)
  };
  bool isRinging(const KnownCall& call) const {
    return call.incoming && !call.answered && !call.snapshot.callId.empty() &&
           (call.status == gateway::CallStatus::Ring || call.status == gateway::CallStatus::Trying);
  }

  boost::asio::any_io_executor executor_;
  FrameSink* sink_;  // null while detached (kept by the registry)
  gateway::UserSessionFactory& factory_;
  KeepAliveSettings keepAlive_;
  SessionRegistry* registry_;
  std::string id_;

  bool connected_ = false;  // a `connection` was accepted
  bool dtmfEvents_ = false;  // the client asked for notifyDtmf (ConnectionRequest::dtmfEvents)
  bool closing_ = false;
  int unansweredPings_ = 0;
  std::string sipLogin_;
  bool keepAliveRequested_ = false;  // `connection` said keepAlive: true
  bool registered_ = false;          // the registration is up (last event was onRegistered)
  std::string authToken_;
  Json userData_;  // the getUserData payload, replayed on re-attach
  std::map<std::string, KnownCall> calls_;
  std::unique_ptr<gateway::UserSession> userSession_;

  // Relay mode: the session this socket re-attached lives on another worker.
  const SessionRegistry::Peer* relayOwner_ = nullptr;  // that worker
  std::string relayToken_;
  uint64_t relayAttachment_ = 0;
  std::shared_ptr<char> alive_ = std::make_shared<char>();  // for frames posted back to us
  friend class RelaySink;
};

}  // namespace callgate::api
