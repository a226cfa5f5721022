#include "sip/ua/incoming_invite.hpp"

#include "common/log.hpp"
#include "common/random.hpp"
#include "sip/header_values.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transport/via_routing.hpp"
#include "sip/ua/invite_helpers.hpp"

namespace callgate::sip::ua {

using transport::PeerAddress;

Result<void> IncomingInvite::check(const Message& invite) {
  auto dialog = Dialog::fromUasRequest(invite, "check");
  if (!dialog) return dialog.error();
  return {};
}

IncomingInvite::IncomingInvite(transaction::SipEndpoint& endpoint, const Message& invite, const PeerAddress& from,
                               Account account, Listener& listener)
    : endpoint_(endpoint),
      invite_(invite),
      source_(from),
      account_(std::move(account)),
      listener_(listener),
      auth_(DigestCredentials{account_.effectiveAuthName(), account_.password}),
      answer_(endpoint),
      eventTimer_(endpoint.io()) {
  callId_ = std::string(invite_.header("Call-ID").value_or(""));
  localTag_ = randomToken(12);
  offer_ = sdpBody(invite_);
  if (auto from = parseNameAddr(invite_.header("From").value_or(""))) caller_ = std::move(from.value());
  contact_ = "<" + localContact(account_.login, endpoint_).serialize() + ">";
  if (auto dialog = Dialog::fromUasRequest(invite_, localTag_)) dialog_ = std::move(dialog.value());
  // Registered at once: requests carrying our To tag (an early BYE, the ACK) find us.
  endpoint_.addDialog(callId_, localTag_, *this);
}

IncomingInvite::~IncomingInvite() {
  // Best effort so the caller is not left ringing (see header: destroy after the end).
  if (state_ == State::Proceeding) endpoint_.respond(invite_, makeResponse(480, "Temporarily Unavailable"));
  session_.reset();
  endpoint_.removeDialog(callId_, localTag_);
}

Message IncomingInvite::makeResponse(int status, std::string_view reason) const {
  Message response = transaction::makeResponse(invite_, status, reason, localTag_);
  // §12.1.1: responses that establish the (early) dialog carry the INVITE's Record-Route,
  // in order, so the caller's ACK and later requests take the same proxies.
  if (status > 100 && status < 300) {
    for (auto route : invite_.headerValues("Record-Route")) response.addHeader("Record-Route", std::string(route));
  }
  return response;
}

void IncomingInvite::ring() {
  if (state_ != State::Proceeding) return;
  Message ringing = makeResponse(180, "Ringing");
  ringing.addHeader("Contact", contact_);
  endpoint_.respond(invite_, std::move(ringing));
}

Result<void> IncomingInvite::accept(std::string sdp, std::vector<Header> extraHeaders) {
  if (state_ != State::Proceeding) return makeError("the call is no longer ringing");
  if (auto valid = validateExtraHeaders(extraHeaders); !valid) return valid;
  Message ok = makeResponse(200, "OK");
  ok.addHeader("Contact", contact_);
  ok.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
  for (auto& h : extraHeaders) ok.addHeader(std::move(h.name), std::move(h.value));
  ok.addHeader("Content-Type", "application/sdp");
  ok.body = std::move(sdp);
  endpoint_.respond(invite_, ok);
  state_ = State::Accepted;

  // The next hop of our in-dialog requests: the first route, else the caller's Contact; the
  // source of the INVITE when that is a name we cannot use without a resolver.
  PeerAddress hop = source_;
  auto [host, port] = dialog_.nextHop();
  if (auto ip = transport::parseIpLiteral(host)) hop = PeerAddress{*ip, port};
  session_ = std::make_unique<InviteSession>(
      endpoint_, InviteSession::Params{dialog_, hop, contact_, /*ownsCallId=*/false}, auth_, listener_, static_cast<InviteSession::Owner&>(*this));
  answer_.start(std::move(ok), source_, [this] {
    if (state_ != State::Accepted) return;
    CG_WARN("sip: incoming call {}: no ACK for our 200, ending it", callId_);
    state_ = State::Terminating;
    failure_ = std::make_pair(408, std::string("No ACK"));
    session_->bye();
  });
  return {};
}

void IncomingInvite::reject(int status, std::string_view reason) {
  if (state_ != State::Proceeding) return;
  endpoint_.respond(invite_, makeResponse(status, reason));
  state_ = State::Done;
  finishLater([this] { listener_.onTerminated(); });
}

void IncomingInvite::hangup(int rejectStatus) {
  switch (state_) {
    case State::Proceeding:
      reject(rejectStatus);
      return;
    case State::Accepted:
      hangupAfterAck_ = true;  // §15: no BYE before the ACK (or its give-up time)
      return;
    case State::Confirmed:
      state_ = State::Terminating;
      session_->bye();
      return;
    default:
      return;
  }
}

void IncomingInvite::cancelled() {
  if (state_ != State::Proceeding) return;
  CG_INFO("sip: incoming call {} cancelled by the caller", callId_);
  state_ = State::Done;
  finishLater([this] { listener_.onCancelled(); });
}

Result<void> IncomingInvite::sendReInvite(std::string sdp) {
  if (state_ != State::Confirmed || !session_) return makeError("call is not confirmed");
  return session_->sendReInvite(std::move(sdp));
}

Result<void> IncomingInvite::sendInfo(std::string contentType, std::string body) {
  if (state_ != State::Confirmed || !session_) return makeError("call is not confirmed");
  return session_->sendInfo(std::move(contentType), std::move(body));
}

void IncomingInvite::notifyReferProgress(int status, const std::string& reason) {
  if (session_) session_->notifyReferProgress(status, reason);
}

Result<void> IncomingInvite::sendRefer(const std::string& target) {
  if (state_ != State::Confirmed || !session_) return makeError("call is not confirmed");
  return session_->sendRefer(target, account_.aor().serialize());
}

void IncomingInvite::onDialogRequest(const Message& request, const PeerAddress& from) {
  if (session_) {
    if (request.method == "ACK" && state_ == State::Accepted && cseqNumber(request) == cseqNumber(invite_)) {
      answer_.stop();
      state_ = State::Confirmed;
      std::string sdp = sdpBody(request).value_or("");
      if (hangupAfterAck_) {
        state_ = State::Terminating;
        session_->bye();
        return;
      }
      listener_.onConfirmed(std::move(sdp));
      return;
    }
    session_->onRequest(request, from);
    return;
  }
  if (request.method == "ACK") return;  // the ACK of a non-2xx is absorbed by the transaction
  if (request.method == "BYE" && state_ == State::Proceeding) {
    // A BYE in the early dialog (§15): the caller gives up like with CANCEL.
    endpoint_.respond(request, 200, "OK");
    endpoint_.respond(invite_, makeResponse(487, "Request Terminated"));
    cancelled();
    return;
  }
  endpoint_.respond(request, 481, "Call/Transaction Does Not Exist");
}

void IncomingInvite::onSessionEnded(bool remote) {
  if (state_ == State::Done) return;
  state_ = State::Done;
  answer_.stop();
  if (failure_) {
    auto [status, reason] = *failure_;
    listener_.onFailed(status, std::move(reason));
  } else if (remote) {
    listener_.onRemoteBye();
  } else {
    listener_.onTerminated();
  }
}

void IncomingInvite::finishLater(std::function<void()> event) {
  eventTimer_.start(transaction::Duration(0), std::move(event));
}

}  // namespace callgate::sip::ua
