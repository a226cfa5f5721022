#pragma once
// IncomingCall: a SIP INVITE to a connected client (protocol §4.6). 180 Ringing goes out at
// once; the browser gets a WebRTC offer built from the SIP offer (setRemoteSDP [id, offer,
// false]), then notifyIncomingCall, then RING. The client's `answer` carries the browser's
// answer: the SIP answer is built from both, sent in the 200, and the ACK makes the call
// ESTABLISHED. A client hangup before that rejects (486), a CANCEL ends it (FINISH), no
// answer in time rejects 480 (FAILED "No answer"). An INVITE without SDP gets a WebRTC offer
// from our default codecs, and our SIP offer in the 200; the answer comes in the ACK.
// Media, hold, DTMF and the orderly end are the Call base's.
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "gateway/call.hpp"
#include "sdp/session_description.hpp"
#include "sip/message.hpp"
#include "sip/transport/transport.hpp"
#include "sip/ua/account.hpp"
#include "sip/ua/incoming_invite.hpp"

namespace callgate::gateway {

class IncomingCall final : public Call, public sip::ua::IncomingInvite::Listener {
 public:
  // `invite` passed sip::ua::IncomingInvite::check().
  IncomingCall(WorkerContext& worker, sip::ua::Account account, const sip::Message& invite,
               const sip::transport::PeerAddress& from, Owner& owner);
  ~IncomingCall() override;

  void start() override;
  Result<void> answer(const std::string& browserSdp, std::vector<std::pair<std::string, std::string>> headers) override;
  // The endpoint matched a CANCEL to our INVITE (already answered 200/487).
  void sipCancelled() { invite_->cancelled(); }
  const std::string& sipCallId() const { return invite_->callId(); }

 private:
  // IncomingInvite::Listener
  void onConfirmed(std::string ackSdp) override;
  void onCancelled() override;
  void onFailed(int status, std::string reason) override;
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

  // Builds the browser offer; the error text is the reason of the 488.
  Result<std::string> prepare();
  Result<void> accept(const std::string& browserSdp, std::vector<std::pair<std::string, std::string>> headers);

  sip::ua::Account account_;
  std::unique_ptr<sip::ua::IncomingInvite> invite_;
  sdp::SessionDescription sipOffer_;  // the INVITE's, or our default one for a delayed offer
  bool delayedOffer_ = false;
  bool answered_ = false;
  boost::asio::steady_timer noAnswerTimer_;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace callgate::gateway
