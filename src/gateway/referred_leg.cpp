#include "gateway/referred_leg.hpp"

#include "gateway/call.hpp"

namespace callgate::gateway {

ReferredLeg::ReferredLeg(Call& call, WorkerContext& worker, const sip::ua::Account& account)
    : call_(call),
      invite_(std::make_unique<sip::ua::OutgoingInvite>(
          worker.sip, account, *this,
          sip::ua::InviteOptions{std::chrono::duration_cast<std::chrono::milliseconds>(worker.settings.noAnswerTimeout),
                                 {}})) {}

ReferredLeg::~ReferredLeg() = default;

Result<void> ReferredLeg::start(const std::string& target, const std::string& sdpOffer) {
  target_ = target;
  return invite_->start(target, sdpOffer);
}

void ReferredLeg::onProvisional(int status, std::string reason, std::optional<std::string>) {
  call_.referredProgress(status, reason);
}

void ReferredLeg::onAnswered(std::string sdp) {
  answered_ = true;
  call_.referredAnswered(sdp);
}

void ReferredLeg::onFailed(int status, std::string reason) { call_.referredFinished(status, reason, true); }
void ReferredLeg::onCancelled() { call_.referredFinished(487, "Request Terminated", false); }
void ReferredLeg::onRemoteBye() { call_.referredFinished(0, "Normal call clearing", true); }
void ReferredLeg::onTerminated() { call_.referredFinished(0, "Normal call clearing", false); }

Result<std::string> ReferredLeg::onRemoteOffer(const std::string& sdp) { return call_.handleRemoteOffer(sdp); }
std::string ReferredLeg::onOfferRequested() { return call_.handleOfferRequested(); }
void ReferredLeg::onRemoteAnswer(const std::string& sdp) { call_.handleRemoteAnswer(sdp); }
void ReferredLeg::onOfferRejected(int status, const std::string& reason) { call_.handleOfferRejected(status, reason); }
void ReferredLeg::onInfo(const std::string& contentType, const std::string& body) {
  call_.handleInfo(contentType, body);
}

void ReferredLeg::onInfoFailed(const std::string& contentType, int status) { call_.handleInfoFailed(contentType, status); }
void ReferredLeg::onTransferProgress(int status, const std::string& reason, bool final) {
  call_.handleTransferProgress(status, reason, final);
}
Result<void> ReferredLeg::onReferRequested(const std::string& referTo) { return call_.handleReferRequested(referTo); }

}  // namespace callgate::gateway
