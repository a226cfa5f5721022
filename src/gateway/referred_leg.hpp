#pragma once
// ReferredLeg: the SIP call a Call places when its peer REFERs it elsewhere (we are the
// transferee, RFC 3515 / RFC 5589 §6). An OutgoingInvite to the Refer-To target with our
// current SIP-side description, so the browser's media simply moves to the new peer; its
// events go back to the owning Call, which switches over on the 2xx.
#include <memory>
#include <string>

#include "common/result.hpp"
#include "gateway/worker_context.hpp"
#include "sip/ua/account.hpp"
#include "sip/ua/outgoing_invite.hpp"

namespace callgate::gateway {

class Call;

class ReferredLeg final : public sip::ua::OutgoingInvite::Listener {
 public:
  ReferredLeg(Call& call, WorkerContext& worker, const sip::ua::Account& account);
  ~ReferredLeg();

  Result<void> start(const std::string& target, const std::string& sdpOffer);
  sip::ua::OutgoingInvite& invite() { return *invite_; }
  const std::string& target() const { return target_; }
  bool answered() const { return answered_; }

 private:
  // OutgoingInvite::Listener
  void onProvisional(int status, std::string reason, std::optional<std::string> sdp) override;
  void onAnswered(std::string sdp) override;
  void onFailed(int status, std::string reason) override;
  void onCancelled() override;
  void onRemoteBye() override;
  void onTerminated() override;
  Result<std::string> onRemoteOffer(const std::string& sdp) override;
  std::string onOfferRequested() override;
  void onRemoteAnswer(const std::string& sdp) override;
  void onOfferRejected(int status, const std::string& reason) override;
  void onInfo(const std::string& contentType, const std::string& body) override;
  void onInfoFailed(const std::string& contentType, int status) override;
  void onTransferProgress(int status, const std::string& reason, bool final) override;
  Result<void> onReferRequested(const std::string& referTo) override;

  Call& call_;
  std::unique_ptr<sip::ua::OutgoingInvite> invite_;
  std::string target_;
  bool answered_ = false;
};

}  // namespace callgate::gateway
