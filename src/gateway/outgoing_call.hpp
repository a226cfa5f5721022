#pragma once
// OutgoingCall: one client call toward SIP. The browser offers; we INVITE the SIP side with
// a plain RTP offer built from it (sip::ua::OutgoingInvite), map SIP progress to WCS
// statuses, and answer the browser once when the SIP side's SDP is first known (183 or 200).
// Media, hold, DTMF and the orderly end are the Call base's.
//
// Guarantees: the owner hears exactly one terminal status (FINISH, BUSY or FAILED) per call,
// and exactly one remote SDP. start() may report synchronously (TRYING, or FAILED when the
// request cannot be placed); later events come from network input and timers.
#include <memory>
#include <optional>
#include <string>

#include "gateway/call.hpp"
#include "sdp/session_description.hpp"
#include "sip/ua/account.hpp"
#include "sip/ua/outgoing_invite.hpp"

namespace callgate::gateway {

class OutgoingCall final : public Call, public sip::ua::OutgoingInvite::Listener {
 public:
  OutgoingCall(WorkerContext& worker, sip::ua::Account account, OutgoingCallRequest request, Owner& owner);
  ~OutgoingCall() override;

  void start() override;

 private:
  // OutgoingInvite::Listener
  void onProvisional(int status, std::string reason, std::optional<std::string> sdp) override;
  void onAnswered(std::string sdp) override;
  void onFailed(int status, std::string reason) override;
  void onCancelled() override;
  void onRemoteBye() override;
  void onTerminated() override;
  Result<std::string> onRemoteOffer(const std::string& sdp) override { return handleRemoteOffer(sdp); }
  std::string onOfferRequested() override { return handleOfferRequested(); }
  void onRemoteAnswer(const std::string& sdp) override { handleRemoteAnswer(sdp); }
  void onOfferRejected(int status, const std::string& reason) override { handleOfferRejected(status, reason); }
  void onInfo(const std::string& contentType, const std::string& body) override { handleInfo(contentType, body); }
  void onInfoFailed(const std::string& contentType, int status) override { handleInfoFailed(contentType, status); }
  void onTransferProgress(int status, const std::string& reason, bool final) override {
    handleTransferProgress(status, reason, final);
  }
  Result<void> onReferRequested(const std::string& referTo) override { return handleReferRequested(referTo); }

  // Call
  void sipHangup() override;
  Result<void> sipReInvite(std::string sdp) override;
  Result<void> sipInfo(std::string contentType, std::string body) override;
  Result<void> sipRefer(const std::string& target) override;
  void sipNotifyReferProgress(int status, const std::string& reason) override {
    invite_->notifyReferProgress(status, reason);
  }
  const sip::ua::Account& sipAccount() const override { return account_; }

  Result<void> prepare();
  // Points the INVITE at the built-in echo endpoint when the callee is its name.
  void routeToEcho();
  // Applies a SIP answer SDP: builds the browser answer and media plans. The browser gets
  // its SDP only the first time (protocol §3.3); later answers only update the SIP legs.
  Result<void> applySipAnswer(const std::string& sipSdp);

  sip::ua::Account account_;
  OutgoingCallRequest request_;
  sdp::SessionDescription browserOffer_;
  std::string lastSipSdp_;  // the SIP answer SDP applied last
  std::unique_ptr<sip::ua::OutgoingInvite> invite_;
  bool answerSent_ = false;
};

}  // namespace callgate::gateway
