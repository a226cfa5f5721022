#pragma once
// SipUserSession: the gateway::UserSession of one client — its SIP registration, its calls
// (outgoing and incoming), on the worker the client is pinned to. It receives the INVITEs
// addressed to its login on this worker (IncomingCallRouter).
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "gateway/call.hpp"
#include "gateway/incoming_call_router.hpp"
#include "gateway/user_session.hpp"
#include "gateway/worker_context.hpp"
#include "sip/ua/registration.hpp"

namespace callgate::gateway {

class SipUserSession final : public UserSession,
                             public sip::ua::Registration::Listener,
                             public Call::Owner,
                             public IncomingCallTarget {
 public:
  // `onGone` runs from the destructor (the worker's live-session bookkeeping).
  SipUserSession(WorkerContext& worker, SipAccount account, UserSession::Listener& listener,
                 std::function<void(SipUserSession*)> onGone);
  ~SipUserSession() override;

  void start() override;
  void call(OutgoingCallRequest request) override;
  void answer(const std::string& callId, const std::string& sdp,
              std::vector<std::pair<std::string, std::string>> sipHeaders) override;
  void hangup(const std::string& callId) override;
  void hold(const std::string& callId, bool on) override;
  void sendDtmf(const std::string& callId, const std::string& digits, const std::string& type) override;
  void transfer(const std::string& callId, const std::string& target) override;
  void close(std::function<void()> done) override;

 private:
  // Registration::Listener
  void onRegistered() override;
  void onRegistrationFailed(int sipStatus, std::string reason) override;
  // Call::Owner
  void onCallStatus(const CallSnapshot& call) override;
  void onRemoteSdp(const std::string& callId, const std::string& sdp, bool isInitiator) override;
  void onIncomingCall(const CallSnapshot& call) override;
  void onTransferCompleted(const std::string& callId) override;
  void onCallWarning(const std::string& callId, const std::string& apiMethod, const std::string& info) override;
  void onCallDtmf(const std::string& callId, char digit, const std::string& type) override;
  void onCallDone(const std::string& callId) override;
  // IncomingCallTarget
  void onIncomingInvite(const sip::Message& invite, const sip::transport::PeerAddress& from) override;
  void onIncomingCancelled(const sip::Message& invite) override;

  void maybeClosed();
  void scheduleReRegistration();

  WorkerContext& worker_;
  sip::ua::Account account_;
  bool registerRequired_;
  UserSession::Listener& listener_;
  std::function<void(SipUserSession*)> onGone_;

  std::optional<sip::ua::Registration> registration_;
  // A binding that was up and then failed to refresh is retried with growing back-off;
  // a first registration that fails (wrong password, 403) is not: the client is told.
  bool everRegistered_ = false;
  int reRegisterAttempts_ = 0;
  boost::asio::steady_timer reRegisterTimer_;
  std::map<std::string, std::unique_ptr<Call>> calls_;  // by WCS callId
  std::map<std::string, std::string> incomingBySipCallId_;  // SIP Call-ID -> WCS callId
  bool routed_ = false;

  bool closing_ = false;
  bool unregistered_ = false;
  std::vector<std::function<void()>> closeDone_;
  boost::asio::steady_timer closeTimer_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::gateway
