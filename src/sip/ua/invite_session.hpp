#pragma once
// InviteSession: a confirmed INVITE dialog (RFC 3261 §12-§15), shared by the caller side
// (OutgoingInvite, after the 2xx) and the callee side (IncomingInvite, after its 2xx). It
// owns the dialog and everything that happens mid-call:
//  - our re-INVITE (§14.1, sendReInvite): one at a time; 2xx -> ACK, onRemoteAnswer(sdp);
//    401/407 -> re-sent with credentials; 491 -> retried after 2.1-4 s when we own the
//    Call-ID, else 0-2 s (§14.1), at most kMaxGlareRetries times; 408/481/timeout -> the
//    dialog is gone (RFC 5057 §5.1): BYE, onSessionEnded(remote); any other failure ->
//    onOfferRejected, the session stays as it was.
//  - the peer's re-INVITE (§14.2): with SDP -> onRemoteOffer, 200 with its answer (error ->
//    488); without SDP -> onOfferRequested, 200 with that offer, the answer comes in the ACK
//    -> onRemoteAnswer. The 200 is re-sent until the ACK (§13.3.1.4); no ACK within 64*T1
//    -> BYE. While our re-INVITE is pending -> 491; while theirs still awaits its ACK -> 500
//    with Retry-After (§14.2). Contact in a re-INVITE or its 2xx refreshes the target.
//  - INFO (RFC 6086): sendInfo queues them one transaction at a time; a received INFO goes
//    to onInfo and is answered 200.
//  - BYE: bye() sends it (credentials on 401/407), onSessionEnded(false) on any final
//    response or timeout; a received BYE -> 200, onSessionEnded(true).
//  - REFER we send (RFC 3515 blind transfer, sendRefer): 2xx/1xx/NOTIFY sipfrag progress ->
//    onTransferProgress; a refusal or timeout -> onTransferProgress(status, final).
//    NOTIFY (Event: refer) is answered 200. A REFER from the peer goes to onReferRequested:
//    an error refuses it (603 Decline with the reason in Warning); success answers 202 and
//    NOTIFYs "100 Trying" at once (RFC 3515 §2.4.4); the listener then reports the new
//    call's progress with notifyReferProgress (final >= 200 ends the subscription).
//  - OPTIONS -> 200 with Allow; UPDATE and others -> 501.
// Events fire on the endpoint's thread from network input or timers, never inside a call
// of this class. onSessionEnded fires once; nothing follows it.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>

#include "common/result.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transaction/timer.hpp"
#include "sip/ua/authenticator.hpp"
#include "sip/ua/dialog.hpp"
#include "sip/ua/success_retransmitter.hpp"

namespace callgate::sip::ua {

class InviteSession final : private transaction::ClientTransactionUser {
 public:
  static constexpr int kMaxGlareRetries = 3;

  // What the call hears mid-dialog (implemented by the gateway's call objects).
  class Listener {
   public:
    // The peer's re-INVITE offer: our answer, or an error (answered 488).
    virtual Result<std::string> onRemoteOffer(const std::string& sdp) = 0;
    // A re-INVITE without SDP: the offer to send in our 200 (§14.2).
    virtual std::string onOfferRequested() = 0;
    // The answer to our offer: our re-INVITE's 2xx, or the ACK to an offerless re-INVITE.
    virtual void onRemoteAnswer(const std::string& sdp) = 0;
    // Our re-INVITE was refused; the session goes on as before.
    virtual void onOfferRejected(int status, const std::string& reason) = 0;
    // An in-dialog INFO (already answered 200), e.g. DTMF as application/dtmf-relay.
    virtual void onInfo(const std::string& contentType, const std::string& body) = 0;
    // Our INFO got a final error response or timed out (RFC 6086 §4.2.2: the dialog goes on).
    virtual void onInfoFailed(const std::string& contentType, int status) {}
    // Our REFER's fate: the REFER's own response (202 accepted, or a refusal, final), then
    // the transfer target's status from each NOTIFY sipfrag; `final` on the last report.
    virtual void onTransferProgress(int status, const std::string& reason, bool final) = 0;
    // The peer asks us to transfer (incoming REFER). Errors refuse it with 603; success
    // means the listener calls the target and reports with notifyReferProgress.
    virtual Result<void> onReferRequested(const std::string& referTo) = 0;

   protected:
    ~Listener() = default;
  };

  // The INVITE usage that created the session.
  class Owner {
   public:
    // remote: the peer ended it (BYE, or the dialog vanished); else our bye() completed.
    virtual void onSessionEnded(bool remote) = 0;

   protected:
    ~Owner() = default;
  };

  struct Params {
    Dialog dialog;
    transport::PeerAddress nextHop;
    std::string contact;   // our Contact header value for re-INVITEs and 2xx
    bool ownsCallId = false;  // we sent the initial INVITE (glare back-off, §14.1)
  };

  InviteSession(transaction::SipEndpoint& endpoint, Params params, Authenticator& auth, Listener& listener,
                Owner& owner);
  ~InviteSession();
  InviteSession(const InviteSession&) = delete;
  InviteSession& operator=(const InviteSession&) = delete;

  // An in-dialog request routed here by the owner (ACKs included).
  void onRequest(const Message& request, const transport::PeerAddress& from);

  // Errors: the session is ending, or an offer/answer exchange is already in progress.
  Result<void> sendReInvite(std::string sdp);
  Result<void> sendInfo(std::string contentType, std::string body);
  // The progress of the call we placed for the peer's REFER, as a NOTIFY sipfrag.
  void notifyReferProgress(int status, const std::string& reason);
  // Blind transfer: REFER with Refer-To <target> and Referred-By <referredBy>.
  Result<void> sendRefer(const std::string& target, const std::string& referredBy);
  // Sends BYE (after a pending 2xx got its ACK, §15). Idempotent.
  void bye();
  // The owner is going away mid-call: a best-effort BYE that nobody waits for, no events.
  void byeUnattended();

  bool ended() const { return ended_; }
  bool offerInProgress() const { return reInvite_ != 0 || glareTimer_.armed() || answer_.active(); }
  const Dialog& dialog() const { return dialog_; }

 private:
  // ClientTransactionUser
  void onResponse(transaction::TransactionId id, const Message& response) override;
  void onTransactionTimeout(transaction::TransactionId id) override;

  Message makeRequest(std::string_view method);
  void sendReInviteRequest();
  void onReInviteResponse(const Message& response);
  void onPeerReInvite(const Message& request, const transport::PeerAddress& from);
  void onAck(const Message& ack);
  void sendNextInfo();
  void sendInfoRequest();
  void onInfoResponse(const Message& response);
  void sendBye();
  void sendByeIfWanted();
  void onReferResponse(const Message& response);
  void onNotify(const Message& request);
  void onPeerRefer(const Message& request);
  void refreshTarget(const Message& message);
  void dialogLost(std::string_view why);
  void end(bool remote);

  transaction::SipEndpoint& endpoint_;
  Dialog dialog_;
  transport::PeerAddress nextHop_;
  std::string contact_;
  bool ownsCallId_;
  Authenticator& auth_;
  Listener& listener_;
  Owner& owner_;

  // Our re-INVITE.
  std::string offer_;
  transaction::TransactionId reInvite_ = 0;      // pending (no final response yet)
  transaction::TransactionId lastReInvite_ = 0;  // kept to ACK retransmitted 2xx
  std::optional<Message> reInviteAck_;  // re-sent to a retransmitted 2xx
  uint32_t reInviteAckCseq_ = 0;
  int glareRetries_ = 0;
  transaction::Timer glareTimer_;
  transaction::Timer referTryingTimer_;  // the first NOTIFY of an accepted REFER, just after the 202

  // The peer's re-INVITE, between our 2xx and its ACK.
  SuccessRetransmitter answer_;
  uint32_t answerCseq_ = 0;
  bool answerIsOffer_ = false;  // offerless re-INVITE: the ACK carries the answer

  transaction::TransactionId info_ = 0;
  std::deque<std::pair<std::string, std::string>> infoQueue_;

  transaction::TransactionId refer_ = 0;
  std::string referTarget_;
  std::string referredBy_;
  bool transferActive_ = false;  // REFER accepted, final NOTIFY not seen yet
  bool referSubscription_ = false;  // we accepted the peer's REFER, final NOTIFY not sent
  transaction::TransactionId finalNotify_ = 0;  // our final NOTIFY, until its response

  transaction::TransactionId bye_ = 0;
  bool byeWanted_ = false;
  bool ended_ = false;
};

}  // namespace callgate::sip::ua
