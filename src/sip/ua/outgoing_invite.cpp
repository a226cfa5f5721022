#include "sip/ua/outgoing_invite.hpp"

#include <algorithm>
#include <cctype>

#include "common/log.hpp"
#include "common/random.hpp"
#include "sip/identity_validation.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transport/via_routing.hpp"
#include "sip/ua/invite_helpers.hpp"

namespace callgate::sip::ua {

using transport::PeerAddress;

namespace {

std::string remoteTagOf(const Message& response) {
  auto to = parseNameAddr(response.header("To").value_or(""));
  return to ? to->tag().value_or("") : std::string();
}

}  // namespace

OutgoingInvite::OutgoingInvite(transaction::SipEndpoint& endpoint, Account account, Listener& listener,
                               InviteOptions options)
    : endpoint_(endpoint),
      account_(std::move(account)),
      listener_(listener),
      options_(std::move(options)),
      resolver_(endpoint.io()),
      hopResolver_(endpoint.io()),
      auth_(DigestCredentials{account_.effectiveAuthName(), account_.password}),
      noAnswerTimer_(endpoint.io()),
      cancelTimer_(endpoint.io()) {}

OutgoingInvite::~OutgoingInvite() {
  // Best effort so the far end is not left ringing or connected (see header).
  if ((state_ == State::Early || state_ == State::Calling) && provisionalSeen_ && !cancelSent_ && invite_) {
    endpoint_.sendCancel(invite_, nullptr);
  } else if (state_ == State::Confirmed && session_) {
    session_->byeUnattended();
  }
  session_.reset();
  for (auto id : {invite_, cancel_}) {
    if (id) endpoint_.abandon(id);
  }
  if (dialogRegistered_) endpoint_.removeDialog(callId_, localTag_);
}

NameAddr OutgoingInvite::localNameAddr() const {
  NameAddr local{displayName_, account_.aor(), {}};
  local.setParam("tag", localTag_);
  return local;
}

Result<void> OutgoingInvite::start(std::string_view callee, std::string sdpOffer, std::string displayName,
                                   std::vector<Header> extraHeaders) {
  if (state_ != State::Idle) return makeError("call already started");
  if (auto valid = validateAccount(account_); !valid) return valid;
  auto uri = calleeUri(callee, account_.domain);
  if (!uri) return uri.error();
  if (displayName.empty()) displayName = account_.displayName;
  if (auto valid = validateDisplayName(displayName); !valid) return makeError("Invalid display name: " + valid.error().message);
  if (sdpOffer.empty()) return makeError("INVITE without an SDP offer is not supported");
  if (auto valid = validateExtraHeaders(extraHeaders); !valid) return valid;

  requestUri_ = std::move(uri.value());
  requestUriText_ = requestUri_.serialize();
  displayName_ = std::move(displayName);
  sdpOffer_ = std::move(sdpOffer);
  extraHeaders_ = std::move(extraHeaders);
  callId_ = randomToken(24);
  localTag_ = randomToken(12);
  cseq_ = 1;
  // Registered before anything is sent so a BYE in an early dialog finds us (§15).
  endpoint_.addDialog(callId_, localTag_, *this);
  dialogRegistered_ = true;

  state_ = State::Resolving;
  resolver_.resolve(account_.effectiveProxy(), account_.port, [this](Result<PeerAddress> address) {
    if (state_ != State::Resolving) return;
    if (!address) {
      finish(Outcome::Failed, 503, address.error().message);
      return;
    }
    proxy_ = address.value();
    state_ = State::Calling;
    sendInvite();
    if (options_.noAnswerTimeout.count() > 0) {
      noAnswerTimer_.start(options_.noAnswerTimeout, [this] {
        if (state_ != State::Calling && state_ != State::Early) return;
        if (cancelRequested_) return;
        CG_INFO("sip: call {} not answered in time, cancelling", callId_);
        cancelReason_ = std::make_pair(408, std::string("No answer"));
        cancel();
      });
    }
  });
  return {};
}

void OutgoingInvite::sendInvite() {
  Message invite = Message::request("INVITE", requestUriText_);
  invite.addHeader("From", localNameAddr().serialize());
  invite.addHeader("To", NameAddr{{}, requestUri_, {}}.serialize());
  invite.addHeader("Call-ID", callId_);
  invite.addHeader("CSeq", std::to_string(cseq_) + " INVITE");
  invite.addHeader("Contact", "<" + localContact(account_.login, endpoint_).serialize() + ">");
  invite.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
  if (!options_.supported.empty()) invite.addHeader("Supported", options_.supported);
  for (const auto& h : extraHeaders_) invite.addHeader(h.name, h.value);
  if (auth_.hasChallenges()) auth_.authorize(invite);
  inviteCredentials_.clear();
  for (const auto& h : invite.headers) {
    if (headerNameEquals(h.name, "Authorization") || headerNameEquals(h.name, "Proxy-Authorization")) {
      inviteCredentials_.push_back(h);
    }
  }
  invite.addHeader("Content-Type", "application/sdp");
  invite.body = sdpOffer_;
  provisionalSeen_ = false;
  invite_ = endpoint_.sendRequest(std::move(invite), *proxy_, this);
}

void OutgoingInvite::onResponse(transaction::TransactionId id, const Message& response) {
  if (id == invite_) onInviteResponse(response);
  // CANCEL responses carry no decision: the INVITE's 487 (or its absence) does (§9.1).
}

void OutgoingInvite::onInviteResponse(const Message& response) {
  const int status = response.status;
  if (status < 200) {
    provisionalSeen_ = true;
    if (state_ == State::Calling) state_ = State::Early;
    if (state_ != State::Early) return;
    if (cancelRequested_) {
      if (!cancelSent_) sendCancel();
      return;
    }
    if (status > 100) listener_.onProvisional(status, response.reason, sdpBody(response));
    return;
  }
  if (status < 300) {
    on2xx(response);
    return;
  }

  // 3xx-6xx: the transaction has sent the ACK (§17.1.1.3).
  endpoint_.abandon(invite_);
  invite_ = 0;
  if (state_ != State::Calling && state_ != State::Early) return;
  if ((status == 401 || status == 407) && !cancelRequested_ && auth_.onChallenge(response)) {
    ++cseq_;
    sendInvite();
    return;
  }
  if (cancelRequested_) {
    finishCancelled();
    return;
  }
  if (status == 401 || status == 407) CG_INFO("sip: INVITE {} rejected: {}", callId_, auth_.lastRefusal());
  finish(Outcome::Failed, status, response.reason);
}

void OutgoingInvite::on2xx(const Message& response) {
  const std::string remoteTag = remoteTagOf(response);
  if (dialog_ && dialog_->remoteTag() == remoteTag) {
    // Retransmitted 2xx: our ACK was lost (§13.2.2.4).
    if (ack_ && nextHop_) endpoint_.sendStateless(*ack_, *nextHop_);
    return;
  }
  if (dialog_ || (state_ != State::Calling && state_ != State::Early)) {
    ackAndByeStray(response);
    return;
  }

  auto dialog = Dialog::fromUacResponse(response, localNameAddr(), requestUri_, cseq_);
  if (!dialog) {
    // Without a usable To tag no ACK can be built; the peer will time out.
    CG_WARN("sip: call {}: unusable 2xx: {}", callId_, dialog.error().message);
    ackAndByeStray(response);
    finish(Outcome::Failed, 502, "Bad Gateway: " + dialog.error().message);
    return;
  }
  noAnswerTimer_.cancel();
  dialog_ = std::move(dialog.value());
  ack_ = dialog_->makeRequest("ACK", cseqNumber(response));
  for (const auto& h : inviteCredentials_) ack_->headers.push_back(h);
  state_ = cancelRequested_ ? State::Terminating : State::Confirmed;

  auto [host, port] = dialog_->nextHop();
  if (auto ip = transport::parseIpLiteral(host)) {
    nextHop_ = PeerAddress{*ip, port};
    afterAnswer(response);
    return;
  }
  hopResolver_.resolve(host, port, [this, response](Result<PeerAddress> address) {
    if (!address) {
      CG_WARN("sip: call {}: cannot reach remote target: {}", callId_, address.error().message);
      finish(Outcome::Failed, 502, "Bad Gateway: " + address.error().message);
      return;
    }
    nextHop_ = address.value();
    afterAnswer(response);
  });
}

void OutgoingInvite::afterAnswer(const Message& response) {
  endpoint_.sendStateless(*ack_, *nextHop_);
  session_ = std::make_unique<InviteSession>(
      endpoint_,
      InviteSession::Params{*dialog_, *nextHop_, "<" + localContact(account_.login, endpoint_).serialize() + ">",
                            /*ownsCallId=*/true},
      auth_, listener_, static_cast<InviteSession::Owner&>(*this));
  if (cancelRequested_) {
    // The 2xx crossed our CANCEL: the call exists now, end it (§9.1, §15).
    session_->bye();
    return;
  }
  if (state_ != State::Confirmed) return;
  listener_.onAnswered(response.body);
}

void OutgoingInvite::ackAndByeStray(const Message& response) {
  const std::string remoteTag = remoteTagOf(response);
  auto stray = Dialog::fromUacResponse(response, localNameAddr(), requestUri_, cseqNumber(response));
  if (!stray || !proxy_) return;
  auto [host, port] = stray->nextHop();
  auto ip = transport::parseIpLiteral(host);
  PeerAddress hop = ip ? PeerAddress{*ip, port} : *proxy_;
  if (auto it = strayAcks_.find(remoteTag); it != strayAcks_.end()) {
    endpoint_.sendStateless(it->second, hop);
    return;
  }
  Message ack = stray->makeRequest("ACK", cseqNumber(response));
  for (const auto& h : inviteCredentials_) ack.headers.push_back(h);
  endpoint_.sendStateless(ack, hop);
  strayAcks_.emplace(remoteTag, std::move(ack));
  endpoint_.sendRequest(stray->makeRequest("BYE", cseqNumber(response) + 1), hop, nullptr);
  CG_INFO("sip: call {}: ACKed and released an extra 2xx (tag {})", callId_, remoteTag);
}

void OutgoingInvite::cancel() {
  switch (state_) {
    case State::Confirmed:
      hangup();
      return;
    case State::Resolving:
      resolver_.cancel();
      cancelRequested_ = true;
      state_ = State::Terminating;
      // Report on the next loop turn: events never fire inside a call of this class.
      cancelTimer_.start(transaction::Duration(0), [this] { finishCancelled(); });
      return;
    case State::Calling:
    case State::Early:
      break;
    default:
      return;
  }
  if (cancelRequested_) return;
  cancelRequested_ = true;
  noAnswerTimer_.cancel();
  // §9.1: no CANCEL before a provisional response; until then the INVITE's timer B bounds
  // the wait and a late provisional triggers the CANCEL.
  if (provisionalSeen_) sendCancel();
}

void OutgoingInvite::sendCancel() {
  cancelSent_ = true;
  cancel_ = endpoint_.sendCancel(invite_, this);
  // §9.1: if no final response arrives within 64*T1 of the CANCEL, give the INVITE up.
  cancelTimer_.start(endpoint_.timers().timeout64(), [this] {
    if (state_ != State::Calling && state_ != State::Early) return;
    endpoint_.abandon(invite_);
    invite_ = 0;
    finishCancelled();
  });
}

void OutgoingInvite::hangup() {
  switch (state_) {
    case State::Resolving:
    case State::Calling:
    case State::Early:
      cancel();
      return;
    case State::Confirmed:
      state_ = State::Terminating;
      session_->bye();
      return;
    default:
      return;
  }
}

Result<void> OutgoingInvite::sendInfo(std::string contentType, std::string body) {
  if (state_ != State::Confirmed || !session_) return makeError("call is not confirmed");
  return session_->sendInfo(std::move(contentType), std::move(body));
}

Result<void> OutgoingInvite::sendReInvite(std::string sdp) {
  if (state_ != State::Confirmed || !session_) return makeError("call is not confirmed");
  return session_->sendReInvite(std::move(sdp));
}

void OutgoingInvite::notifyReferProgress(int status, const std::string& reason) {
  if (session_) session_->notifyReferProgress(status, reason);
}

Result<void> OutgoingInvite::sendRefer(const std::string& target) {
  if (state_ != State::Confirmed || !session_) return makeError("call is not confirmed");
  return session_->sendRefer(target, account_.aor().serialize());
}

void OutgoingInvite::onSessionEnded(bool remote) {
  if (remote && state_ != State::Terminating) {
    finish(Outcome::RemoteBye);
  } else if (cancelRequested_) {
    finishCancelled();
  } else {
    finish(remote ? Outcome::RemoteBye : Outcome::Terminated);
  }
}

void OutgoingInvite::onTransactionTimeout(transaction::TransactionId id) {
  if (id == invite_) {
    invite_ = 0;
    if (state_ != State::Calling && state_ != State::Early) return;
    if (cancelRequested_) {
      finishCancelled();
    } else {
      finish(Outcome::Failed, 408, "Request Timeout");
    }
  }
}

void OutgoingInvite::onDialogRequest(const Message& request, const PeerAddress& from) {
  if (session_) {
    session_->onRequest(request, from);
    return;
  }
  // The early dialog (§13.2.2.4 before the 2xx): only BYE and OPTIONS make sense.
  const std::string& method = request.method;
  if (method == "ACK") return;
  if (method == "BYE") {
    endpoint_.respond(request, 200, "OK");
    if (state_ != State::Calling && state_ != State::Early) return;  // ours decides
    CG_INFO("sip: call {}: remote BYE in the early dialog", callId_);
    if (invite_) {
      endpoint_.abandon(invite_);
      invite_ = 0;
    }
    finish(Outcome::RemoteBye);
    return;
  }
  if (method == "OPTIONS") {
    Message response = transaction::makeResponse(request, 200, "OK");
    response.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
    response.addHeader("Accept", "application/sdp");
    endpoint_.respond(request, std::move(response));
    return;
  }
  CG_WARN("sip: call {}: {} in the early dialog, answering 481", callId_, method);
  endpoint_.respond(request, 481, "Call/Transaction Does Not Exist");
}

void OutgoingInvite::finishCancelled() {
  if (cancelReason_) {
    auto [status, reason] = *cancelReason_;
    finish(Outcome::Failed, status, std::move(reason));
  } else {
    finish(Outcome::Cancelled);
  }
}

void OutgoingInvite::finish(Outcome outcome, int status, std::string reason) {
  if (state_ == State::Done) return;
  state_ = State::Done;
  noAnswerTimer_.cancel();
  cancelTimer_.cancel();
  resolver_.cancel();
  hopResolver_.cancel();
  // The dialog stays registered (and the INVITE transaction keeps us as user) until
  // destruction, so retransmitted 2xx are still ACKed and late BYEs still get 200.
  switch (outcome) {
    case Outcome::Failed:
      listener_.onFailed(status, std::move(reason));
      break;
    case Outcome::Cancelled:
      listener_.onCancelled();
      break;
    case Outcome::RemoteBye:
      listener_.onRemoteBye();
      break;
    case Outcome::Terminated:
      listener_.onTerminated();
      break;
  }
}

}  // namespace callgate::sip::ua
