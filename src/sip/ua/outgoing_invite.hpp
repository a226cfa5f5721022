#pragma once
// OutgoingInvite: one outgoing call as the UAC of an INVITE dialog (RFC 3261 §13, §15, §9).
//
// Wire behaviour: INVITE <callee URI> sent to <outboundProxy or domain>:<port> with
// From "<displayName>" <sip:login@domain>;tag, To <callee URI>, Contact
// <sip:login@advertisedHost:port;transport=udp>, Allow, Content-Type application/sdp, the
// offer as body, Max-Forwards 70, User-Agent, plus the caller's extra headers.
//  - 1xx: early dialog; onProvisional for every 1xx above 100.
//  - 2xx: ACK per §13.2.2.4 (to the 2xx Contact, Route = reversed Record-Route, same
//    credentials as the INVITE), onAnswered(sdp). A retransmitted 2xx is ACKed again; a 2xx
//    from another fork is ACKed and BYEd.
//  - 401/407: the INVITE is re-sent with credentials (new CSeq, same Call-ID and From tag).
//  - 3xx-6xx: the transaction ACKs it; onFailed(status, reason).
//  - no final response: onFailed(408, "Request Timeout"); no answer within
//    InviteOptions::noAnswerTimeout: CANCEL, then onFailed(408, "No answer").
//  - cancel() before a final response: CANCEL once a provisional has arrived (§9.1), then
//    onCancelled() when the INVITE completes (487), or 64*T1 after the CANCEL at the latest.
//    A 2xx that crosses the CANCEL is ACKed and BYEd, then onCancelled().
//  - after the 2xx an InviteSession (invite_session.hpp) runs the confirmed dialog:
//    hangup() = BYE, sendInfo(), sendReInvite(), and the peer's BYE, re-INVITE, INFO.
//
// Events: all on the endpoint's io_context thread, never synchronously inside a call of
// this class. Exactly one terminal event fires per start(): onFailed, onCancelled,
// onRemoteBye or onTerminated (onAnswered is not terminal). Nothing fires after it.
// Lifetime: never destroy an OutgoingInvite inside its own callback; post the destruction
// (asio::post(io, [owner, id] { owner.erase(id); })). Destroy it after the terminal event;
// destroying it earlier sends a best-effort CANCEL (early) or BYE (confirmed) with no
// events, and retransmitted 2xx are then no longer ACKed.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transaction/timer.hpp"
#include "sip/transport/resolver.hpp"
#include "sip/ua/account.hpp"
#include "sip/ua/authenticator.hpp"
#include "sip/ua/dialog.hpp"
#include "sip/ua/invite_session.hpp"

namespace callgate::sip::ua {

struct InviteOptions {
  // Timer C-like limit for ringing (0 = none).
  std::chrono::milliseconds noAnswerTimeout{60000};
  // Supported header value; empty = no header (we implement no extensions yet).
  std::string supported;
};

class OutgoingInvite final : private transaction::ClientTransactionUser,
                             private transaction::SipEndpoint::DialogHandler,
                             private InviteSession::Owner {
 public:
  // Mid-call events come through the InviteSession::Listener part.
  class Listener : public InviteSession::Listener {
   public:
    // 101-199 (180 Ringing, 183 Session Progress...). `sdp` when the body is
    // application/sdp (early media).
    virtual void onProvisional(int status, std::string reason, std::optional<std::string> sdp) = 0;
    // The 2xx, after the ACK went out. `sdp` is the answer (may be empty if the peer sent none).
    virtual void onAnswered(std::string sdp) = 0;
    virtual void onFailed(int status, std::string reason) = 0;
    virtual void onCancelled() = 0;
    virtual void onRemoteBye() = 0;
    virtual void onTerminated() = 0;

   protected:
    ~Listener() = default;
  };

  enum class State { Idle, Resolving, Calling, Early, Confirmed, Terminating, Done };

  OutgoingInvite(transaction::SipEndpoint& endpoint, Account account, Listener& listener, InviteOptions options = {});
  ~OutgoingInvite();
  OutgoingInvite(const OutgoingInvite&) = delete;
  OutgoingInvite& operator=(const OutgoingInvite&) = delete;

  // Validates and starts the call. Errors (bad account, callee, display name or extra header,
  // empty offer, not Idle) are returned at once and nothing is sent; no event follows them.
  // `displayName` empty = the account's. Extra headers may not replace the headers the
  // stack owns (Via, From, To, Call-ID, CSeq, Contact, Route, Content-*, Max-Forwards,
  // *Authorization).
  Result<void> start(std::string_view callee, std::string sdpOffer, std::string displayName = {},
                     std::vector<Header> extraHeaders = {});
  void cancel();
  void hangup();
  // In-dialog INFO (RFC 6086), e.g. DTMF as application/dtmf-relay. Error unless Confirmed.
  Result<void> sendInfo(std::string contentType, std::string body);
  // A new offer in a re-INVITE (hold, resume). Error unless Confirmed and idle.
  Result<void> sendReInvite(std::string sdp);
  // Blind transfer (RFC 3515). Error unless Confirmed.
  Result<void> sendRefer(const std::string& target);
  // Progress of the call placed for the peer's REFER (InviteSession::notifyReferProgress).
  void notifyReferProgress(int status, const std::string& reason);

  State state() const { return state_; }
  const std::string& callId() const { return callId_; }
  const std::string& requestUri() const { return requestUriText_; }

 private:
  enum class Outcome { Failed, Cancelled, RemoteBye, Terminated };

  // ClientTransactionUser
  void onResponse(transaction::TransactionId id, const Message& response) override;
  void onTransactionTimeout(transaction::TransactionId id) override;
  // DialogHandler
  void onDialogRequest(const Message& request, const transport::PeerAddress& from) override;
  // InviteSession::Owner
  void onSessionEnded(bool remote) override;

  void sendInvite();
  void onInviteResponse(const Message& response);
  void on2xx(const Message& response);
  void sendCancel();
  void ackAndByeStray(const Message& response);
  void afterAnswer(const Message& response);
  void finish(Outcome outcome, int status = 0, std::string reason = {});
  void finishCancelled();
  NameAddr localNameAddr() const;

  transaction::SipEndpoint& endpoint_;
  Account account_;
  Listener& listener_;
  InviteOptions options_;
  State state_ = State::Idle;

  transport::Resolver resolver_;
  transport::Resolver hopResolver_;
  std::optional<transport::PeerAddress> proxy_;
  std::optional<transport::PeerAddress> nextHop_;
  Authenticator auth_;

  // The INVITE as built once in start(); re-sent with a new CSeq after a challenge.
  Uri requestUri_;
  std::string requestUriText_;
  std::string displayName_;
  std::string callId_;
  std::string localTag_;
  std::string sdpOffer_;
  std::vector<Header> extraHeaders_;
  uint32_t cseq_ = 0;
  std::vector<Header> inviteCredentials_;  // copied into the ACK for 2xx (§13.2.2.4)
  bool dialogRegistered_ = false;

  transaction::TransactionId invite_ = 0;
  transaction::TransactionId cancel_ = 0;
  bool provisionalSeen_ = false;
  bool cancelRequested_ = false;
  bool cancelSent_ = false;
  std::optional<std::pair<int, std::string>> cancelReason_;  // set when the no-answer timer cancelled

  std::optional<Dialog> dialog_;  // as created by the 2xx; the session keeps the live copy
  std::unique_ptr<InviteSession> session_;
  std::optional<Message> ack_;
  std::map<std::string, Message> strayAcks_;  // remote tag -> ACK sent to a forked 2xx

  transaction::Timer noAnswerTimer_;
  transaction::Timer cancelTimer_;  // bounds the wait after CANCEL; also posts early outcomes
};

}  // namespace callgate::sip::ua
