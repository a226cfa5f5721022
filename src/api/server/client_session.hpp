#pragma once
// One WCS client: decodes its frames, drives a gateway::UserSession, and turns gateway
// events back into WCS frames (shared/protocol/wcs-websocket.md §2-§4). Transport-free:
// frames go out through FrameSink, so the protocol logic is unit-tested without sockets.
// Runs on the worker thread its connection is pinned to; not thread-safe.
#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/protocol/messages.hpp"
#include "gateway/user_session.hpp"

namespace callgate::api {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void sendText(std::string text) = 0;
  // Sends what is queued, then closes the socket (after a refused connection).
  virtual void closeAfterSend() = 0;
};

struct KeepAliveSettings {
  int probes = 10;  // consecutive unanswered pings before the link counts as dead
};

class ClientSession final : public gateway::UserSession::Listener {
 public:
  ClientSession(boost::asio::any_io_executor executor, FrameSink& sink, gateway::UserSessionFactory& factory,
                KeepAliveSettings keepAlive = {});
  ~ClientSession() override;

  void onText(std::string_view text);
  // Called by the transport every ping interval: sends `ping`. Returns false when too many
  // pings went unanswered and the connection should be closed.
  bool onKeepAliveTick();
  // The socket closed: end calls and registration; `done` runs when that finished.
  void shutdown(std::function<void()> done);

  const std::string& id() const { return id_; }

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

  boost::asio::any_io_executor executor_;
  FrameSink& sink_;
  gateway::UserSessionFactory& factory_;
  KeepAliveSettings keepAlive_;
  std::string id_;

  bool connected_ = false;  // a `connection` was accepted
  bool dtmfEvents_ = false;  // the client asked for notifyDtmf (ConnectionRequest::dtmfEvents)
  bool closing_ = false;
  int unansweredPings_ = 0;
  std::string sipLogin_;
  std::unique_ptr<gateway::UserSession> userSession_;
};

}  // namespace callgate::api
