#pragma once
// IncomingInvite: one incoming call as the UAS of an INVITE dialog (RFC 3261 §13.3, §12.1.1,
// §9.2). The endpoint has already sent 100 Trying; this class answers the rest:
//  - ring(): 180 Ringing with our To tag and Contact (an early dialog).
//  - accept(sdp): 200 OK with the SDP (the answer, or our offer when the INVITE had none),
//    re-sent until the ACK (§13.3.1.4). ACK -> onConfirmed(ack SDP). No ACK within 64*T1 ->
//    BYE, onFailed(408, "No ACK"). After the 2xx the InviteSession handles everything
//    mid-call (re-INVITE, INFO, BYE).
//  - reject(status): a final non-2xx (486, 603, 480, 488...), then onTerminated.
//  - hangup(): reject with the configured status before the 2xx, BYE after (deferred until
//    the ACK, §15).
//  - cancelled(): the endpoint matched a CANCEL and answered it (200 + 487): onCancelled.
// Events: on the endpoint's thread, never synchronously inside a call of this class; exactly
// one terminal event (onCancelled, onFailed, onRemoteBye, onTerminated) per call.
// Lifetime: destroy it after the terminal event, never inside its own callback.
#include <functional>
#include <memory>
#include <utility>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transaction/timer.hpp"
#include "sip/ua/account.hpp"
#include "sip/ua/authenticator.hpp"
#include "sip/ua/dialog.hpp"
#include "sip/ua/invite_session.hpp"
#include "sip/ua/success_retransmitter.hpp"

namespace callgate::sip::ua {

class IncomingInvite final : private transaction::SipEndpoint::DialogHandler, private InviteSession::Owner {
 public:
  class Listener : public InviteSession::Listener {
   public:
    // Our 2xx was ACKed. `ackSdp`: the SDP in the ACK (the answer to our offer when the
    // INVITE came without one), else empty.
    virtual void onConfirmed(std::string ackSdp) = 0;
    virtual void onCancelled() = 0;
    virtual void onFailed(int status, std::string reason) = 0;
    virtual void onRemoteBye() = 0;
    virtual void onTerminated() = 0;

   protected:
    ~Listener() = default;
  };

  enum class State { Proceeding, Accepted, Confirmed, Terminating, Done };

  // Checks what the UAS needs from the INVITE (From tag, Contact, CSeq); the error text is
  // the reason for a 400 the caller sends.
  static Result<void> check(const Message& invite);

  // `invite` must have passed check(). `account`: whose call it is (credentials if our
  // in-dialog requests get challenged, the user part of our Contact).
  IncomingInvite(transaction::SipEndpoint& endpoint, const Message& invite, const transport::PeerAddress& from,
                 Account account, Listener& listener);
  ~IncomingInvite();
  IncomingInvite(const IncomingInvite&) = delete;
  IncomingInvite& operator=(const IncomingInvite&) = delete;

  void ring();
  // Errors: not Proceeding, an invalid extra header.
  Result<void> accept(std::string sdp, std::vector<Header> extraHeaders = {});
  void reject(int status, std::string_view reason = {});
  void hangup(int rejectStatus = 486);
  void cancelled();

  Result<void> sendReInvite(std::string sdp);
  Result<void> sendInfo(std::string contentType, std::string body);
  Result<void> sendRefer(const std::string& target);
  // Progress of the call placed for the peer's REFER (InviteSession::notifyReferProgress).
  void notifyReferProgress(int status, const std::string& reason);

  State state() const { return state_; }
  const std::string& callId() const { return callId_; }
  // The INVITE's SDP offer (nullopt: delayed offer).
  const std::optional<std::string>& offer() const { return offer_; }
  // The caller as the From header says.
  const NameAddr& caller() const { return caller_; }
  const Message& invite() const { return invite_; }

 private:
  // DialogHandler
  void onDialogRequest(const Message& request, const transport::PeerAddress& from) override;
  // InviteSession::Owner
  void onSessionEnded(bool remote) override;

  Message makeResponse(int status, std::string_view reason) const;
  void finishLater(std::function<void()> event);

  transaction::SipEndpoint& endpoint_;
  Message invite_;
  transport::PeerAddress source_;
  Account account_;
  Listener& listener_;
  Authenticator auth_;
  State state_ = State::Proceeding;

  std::string callId_;
  std::string localTag_;
  std::optional<std::string> offer_;
  NameAddr caller_;
  std::string contact_;
  Dialog dialog_;  // the UAS dialog as created by our responses

  SuccessRetransmitter answer_;
  std::unique_ptr<InviteSession> session_;
  bool hangupAfterAck_ = false;
  std::optional<std::pair<int, std::string>> failure_;  // why we ended it ourselves
  transaction::Timer eventTimer_;  // posts terminal events out of the caller's stack
};

}  // namespace callgate::sip::ua
