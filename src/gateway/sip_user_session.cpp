#include "gateway/sip_user_session.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "common/log.hpp"
#include "gateway/incoming_call.hpp"
#include "gateway/outgoing_call.hpp"

namespace callgate::gateway {

namespace asio = boost::asio;

namespace {
// Closing never waits longer than this for CANCEL/BYE and un-REGISTER answers.
constexpr std::chrono::seconds kCloseLimit{8};

sip::ua::Account toSipAccount(const SipAccount& a, int registerExpires) {
  sip::ua::Account account;
  account.login = a.login;
  account.authName = a.authName;
  account.password = a.password;
  account.domain = a.domain;
  account.outboundProxy = a.outboundProxy;
  account.port = a.port;
  account.displayName = a.displayName;
  account.registerExpires = uint32_t(registerExpires);
  return account;
}
}  // namespace

SipUserSession::SipUserSession(WorkerContext& worker, SipAccount account, UserSession::Listener& listener,
                               std::function<void(SipUserSession*)> onGone)
    : worker_(worker),
      account_(toSipAccount(account, worker.settings.registerExpires)),
      registerRequired_(account.registerRequired),
      listener_(listener),
      onGone_(std::move(onGone)),
      reRegisterTimer_(worker.io),
      closeTimer_(worker.io) {}

SipUserSession::~SipUserSession() {
  if (routed_) worker_.router.remove(account_.login, *this);
  calls_.clear();
  registration_.reset();
  if (onGone_) onGone_(this);
}

void SipUserSession::start() {
  // INVITEs to our login on this worker reach us from now on (registered or not: a peer
  // that knows our Contact may call).
  worker_.router.add(account_.login, *this);
  routed_ = true;
  if (!registerRequired_) return;
  registration_.emplace(worker_.sip, account_, *this);
  if (auto r = registration_->start(); !r) {
    // Posted so the client sees getUserData before the failure, as with a SIP rejection.
    asio::post(worker_.io, [alive = std::weak_ptr<char>(alive_), this, info = r.error().message] {
      if (!alive.expired() && !closing_) listener_.onRegistrationFailed(0, info);
    });
  }
}

void SipUserSession::onRegistered() {
  if (closing_) return;
  everRegistered_ = true;
  reRegisterAttempts_ = 0;
  CG_INFO("registration of {}@{}: registered", account_.login, account_.domain);
  listener_.onRegistered();
}

void SipUserSession::onRegistrationFailed(int sipStatus, std::string reason) {
  if (closing_) return;
  std::string info = sipStatus ? std::to_string(sipStatus) + " " + reason : reason;
  CG_WARN("registration of {}@{} failed: {}", account_.login, account_.domain, info);
  listener_.onRegistrationFailed(sipStatus, info);
  if (everRegistered_) scheduleReRegistration();
}

void SipUserSession::scheduleReRegistration() {
  // 5, 10, 20, 40, 60, 60... seconds: a registrar that restarts or a network blip must not
  // leave the client unreachable for good.
  int attempt = reRegisterAttempts_++;
  auto delay = std::chrono::seconds(std::min(60, 5 << std::min(attempt, 4)));
  CG_INFO("registration of {}@{}: retrying in {} s", account_.login, account_.domain, delay.count());
  reRegisterTimer_.expires_after(delay);
  reRegisterTimer_.async_wait([alive = std::weak_ptr<char>(alive_), this](boost::system::error_code ec) {
    if (ec || alive.expired() || closing_ || !registration_) return;
    if (auto r = registration_->start(); !r) CG_WARN("re-registration of {}: {}", account_.login, r.error().message);
  });
}

void SipUserSession::call(OutgoingCallRequest request) {
  if (closing_) return;
  const std::string callId = request.callId;
  if (calls_.count(callId)) return listener_.onCallWarning(callId, "call", "A call with this callId already exists");
  auto& call = calls_[callId];
  call = std::make_unique<OutgoingCall>(worker_, account_, std::move(request), *this);
  call->start();
}

void SipUserSession::onIncomingInvite(const sip::Message& invite, const sip::transport::PeerAddress& from) {
  if (closing_) {
    worker_.sip.respond(invite, 480, "Temporarily Unavailable");
    return;
  }
  auto call = std::make_unique<IncomingCall>(worker_, account_, invite, from, *this);
  IncomingCall* raw = call.get();
  const std::string callId = raw->callId();
  incomingBySipCallId_[raw->sipCallId()] = callId;
  calls_[callId] = std::move(call);
  raw->start();
}

void SipUserSession::onIncomingCancelled(const sip::Message& invite) {
  auto it = incomingBySipCallId_.find(std::string(invite.header("Call-ID").value_or("")));
  if (it == incomingBySipCallId_.end()) return;
  auto call = calls_.find(it->second);
  if (call != calls_.end()) static_cast<IncomingCall&>(*call->second).sipCancelled();
}

void SipUserSession::answer(const std::string& callId, const std::string& sdp,
                            std::vector<std::pair<std::string, std::string>> sipHeaders) {
  auto it = calls_.find(callId);
  if (it == calls_.end()) return listener_.onCallWarning(callId, "answer", "Unknown callId");
  if (auto answered = it->second->answer(sdp, std::move(sipHeaders)); !answered) {
    listener_.onCallWarning(callId, "answer", answered.error().message);
  }
}

void SipUserSession::hangup(const std::string& callId) {
  auto it = calls_.find(callId);
  if (it == calls_.end()) return;  // protocol §2.4: unknown ids are ignored
  it->second->hangup();
}

void SipUserSession::hold(const std::string& callId, bool on) {
  auto it = calls_.find(callId);
  if (it == calls_.end()) return listener_.onCallWarning(callId, on ? "hold" : "unhold", "Unknown callId");
  it->second->hold(on);
}

void SipUserSession::sendDtmf(const std::string& callId, const std::string& digits, const std::string& type) {
  auto it = calls_.find(callId);
  if (it == calls_.end()) return listener_.onCallWarning(callId, "sendDtmf", "Unknown callId");
  if (auto sent = it->second->sendDtmf(digits, type); !sent) {
    listener_.onCallWarning(callId, "sendDtmf", sent.error().message);
  }
}

void SipUserSession::onCallStatus(const CallSnapshot& call) {
  if (!closing_) listener_.onCallStatus(call);
}

void SipUserSession::onRemoteSdp(const std::string& callId, const std::string& sdp, bool isInitiator) {
  if (!closing_) listener_.onRemoteSdp(callId, sdp, isInitiator);
}

void SipUserSession::transfer(const std::string& callId, const std::string& target) {
  auto it = calls_.find(callId);
  if (it == calls_.end()) return listener_.onCallWarning(callId, "transfer", "Unknown callId");
  if (auto sent = it->second->transfer(target); !sent) listener_.onCallWarning(callId, "transfer", sent.error().message);
}

void SipUserSession::onTransferCompleted(const std::string& callId) {
  if (!closing_) listener_.onTransferCompleted(callId);
}

void SipUserSession::onIncomingCall(const CallSnapshot& call) {
  if (!closing_) listener_.onIncomingCall(call);
}

void SipUserSession::onCallDtmf(const std::string& callId, char digit, const std::string& type) {
  if (!closing_) listener_.onCallDtmf(callId, digit, type);
}

void SipUserSession::onCallWarning(const std::string& callId, const std::string& apiMethod, const std::string& info) {
  if (!closing_) listener_.onCallWarning(callId, apiMethod, info);
}

void SipUserSession::onCallDone(const std::string& callId) {
  for (auto it = incomingBySipCallId_.begin(); it != incomingBySipCallId_.end();) {
    it = it->second == callId ? incomingBySipCallId_.erase(it) : std::next(it);
  }
  calls_.erase(callId);  // the call posts this, so we are not inside its callback
  maybeClosed();
}

void SipUserSession::close(std::function<void()> done) {
  closeDone_.push_back(std::move(done));
  if (closing_) return maybeClosed();
  closing_ = true;
  reRegisterTimer_.cancel();
  if (routed_) {
    worker_.router.remove(account_.login, *this);
    routed_ = false;
  }
  CG_INFO("session of {}@{}: closing ({} calls)", account_.login, account_.domain, calls_.size());
  for (auto& [id, call] : calls_) call->abandon();
  if (registration_ && registration_->state() != sip::ua::Registration::State::Idle) {
    registration_->unregister([alive = std::weak_ptr<char>(alive_), this] {
      if (alive.expired()) return;
      unregistered_ = true;
      maybeClosed();
    });
  } else {
    unregistered_ = true;
  }
  closeTimer_.expires_after(kCloseLimit);
  closeTimer_.async_wait([alive = std::weak_ptr<char>(alive_), this](boost::system::error_code ec) {
    if (ec || alive.expired()) return;
    CG_WARN("session of {}@{}: close timed out with {} calls open", account_.login, account_.domain, calls_.size());
    unregistered_ = true;
    calls_.clear();
    maybeClosed();
  });
  maybeClosed();
}

void SipUserSession::maybeClosed() {
  if (!closing_ || !unregistered_ || !calls_.empty() || closeDone_.empty()) return;
  closeTimer_.cancel();
  auto callbacks = std::move(closeDone_);
  closeDone_.clear();
  // Posted: the callbacks may destroy this session.
  for (auto& cb : callbacks) asio::post(worker_.io, std::move(cb));
}

}  // namespace callgate::gateway
