#include "sip/ua/outgoing_invite.hpp"

#include <algorithm>
#include <cctype>

#include "common/log.hpp"
#include "common/random.hpp"
#include "sip/identity_validation.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::sip::ua {

using transport::PeerAddress;

namespace {

bool containsNoCase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

std::optional<std::string> sdpBody(const Message& message) {
  if (message.body.empty()) return std::nullopt;
  if (!containsNoCase(message.header("Content-Type").value_or(""), "application/sdp")) return std::nullopt;
  return message.body;
}

uint32_t cseqNumber(const Message& message) {
  auto cseq = parseCSeq(message.header("CSeq").value_or(""));
  return cseq ? cseq->number : 0;
}

std::string remoteTagOf(const Message& response) {
  auto to = parseNameAddr(response.header("To").value_or(""));
  return to ? to->tag().value_or("") : std::string();
}

// Headers the stack owns; a caller-supplied header of these names would break the dialog.
bool isReservedHeader(std::string_view name) {
  const std::string canonical = canonicalHeaderName(name);
  for (std::string_view reserved :
       {"Via", "From", "To", "Call-ID", "CSeq", "Contact", "Route", "Record-Route", "Content-Type", "Content-Length",
        "Content-Encoding", "Max-Forwards", "Authorization", "Proxy-Authorization"}) {
    if (canonical == reserved) return true;
  }
  return false;
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
  } else if (state_ == State::Confirmed && dialog_ && nextHop_) {
    endpoint_.sendRequest(makeDialogRequest("BYE"), *nextHop_, nullptr);
  }
  for (auto id : {invite_, cancel_, bye_, info_}) {
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
  for (const auto& h : extraHeaders) {
    if (auto valid = validateHeaderName(h.name); !valid) return makeError("Invalid extra header name: " + valid.error().message);
    if (auto valid = validateHeaderValue(h.value); !valid) {
      return makeError("Invalid value of extra header " + h.name + ": " + valid.error().message);
    }
    if (isReservedHeader(h.name)) return makeError("Extra header " + h.name + " is set by callgate and cannot be replaced");
  }

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
  Uri contact;
  contact.user = account_.login;
  contact.host = endpoint_.advertisedHost();
  contact.port = endpoint_.advertisedPort();
  contact.setParam("transport", "udp");
  invite.addHeader("Contact", "<" + contact.serialize() + ">");
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
  if (id == invite_) {
    onInviteResponse(response);
  } else if (id == bye_) {
    onByeResponse(response);
  } else if (id == info_) {
    onInfoResponse(response);
  }
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
  if (cancelRequested_) {
    // The 2xx crossed our CANCEL: the call exists now, end it (§9.1, §15).
    sendBye();
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
      sendBye();
      return;
    default:
      return;
  }
}

Message OutgoingInvite::makeDialogRequest(std::string_view method) {
  Message request = dialog_->makeRequest(method, ++dialog_->localCseq);
  if (auth_.hasChallenges()) auth_.authorize(request);
  return request;
}

void OutgoingInvite::sendBye() {
  state_ = State::Terminating;
  infoQueue_.clear();
  auth_.beginRequest();
  bye_ = endpoint_.sendRequest(makeDialogRequest("BYE"), *nextHop_, this);
}

Result<void> OutgoingInvite::sendInfo(std::string contentType, std::string body) {
  if (state_ != State::Confirmed || !dialog_ || !nextHop_) return makeError("call is not confirmed");
  if (auto valid = validateHeaderValue(contentType); !valid || contentType.empty()) {
    return makeError("Invalid INFO content type");
  }
  infoQueue_.emplace_back(std::move(contentType), std::move(body));
  if (!info_) sendNextInfo();
  return {};
}

void OutgoingInvite::sendNextInfo() {
  if (info_ || infoQueue_.empty() || state_ != State::Confirmed) return;
  auth_.beginRequest();
  sendInfoRequest();
}

void OutgoingInvite::sendInfoRequest() {
  Message info = makeDialogRequest("INFO");
  const auto& [contentType, body] = infoQueue_.front();
  info.addHeader("Content-Type", contentType);
  info.body = body;
  info_ = endpoint_.sendRequest(std::move(info), *nextHop_, this);
}

void OutgoingInvite::onInfoResponse(const Message& response) {
  if (response.status < 200) return;
  info_ = 0;
  if (state_ != State::Confirmed) return;
  if ((response.status == 401 || response.status == 407) && auth_.onChallenge(response)) {
    // Same INFO again, with credentials and a new CSeq (§22.2); not a new logical request.
    sendInfoRequest();
    return;
  }
  // RFC 6086 §4.2.2: a failed INFO does not affect the dialog or the session.
  if (response.status >= 300) {
    CG_WARN("sip: call {}: INFO answered {} {}", callId_, response.status, response.reason);
  } else {
    CG_DEBUG("sip: call {}: INFO answered {}", callId_, response.status);
  }
  infoDone();
}

void OutgoingInvite::infoDone() {
  if (!infoQueue_.empty()) infoQueue_.pop_front();
  sendNextInfo();
}

void OutgoingInvite::onByeResponse(const Message& response) {
  if (response.status < 200) return;
  bye_ = 0;
  if (state_ != State::Terminating) return;
  if ((response.status == 401 || response.status == 407) && auth_.onChallenge(response)) {
    bye_ = endpoint_.sendRequest(makeDialogRequest("BYE"), *nextHop_, this);
    return;
  }
  // Any final response ends the dialog (§15.1.1), a 481 included.
  if (cancelRequested_) {
    finishCancelled();
  } else {
    finish(Outcome::Terminated);
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
  } else if (id == info_) {
    info_ = 0;
    if (state_ != State::Confirmed) return;
    CG_WARN("sip: call {}: INFO timed out", callId_);
    infoDone();
  } else if (id == bye_) {
    bye_ = 0;
    if (state_ != State::Terminating) return;
    if (cancelRequested_) {
      finishCancelled();
    } else {
      finish(Outcome::Terminated);
    }
  }
}

void OutgoingInvite::onDialogRequest(const Message& request, const PeerAddress& from) {
  const std::string& method = request.method;
  if (method == "ACK") return;

  // §12.2.2: requests must come in CSeq order.
  if (dialog_) {
    if (auto cseq = parseCSeq(request.header("CSeq").value_or(""))) {
      if (dialog_->remoteCseq && cseq->number < *dialog_->remoteCseq) {
        endpoint_.respond(request, 500, "Server Internal Error");
        return;
      }
      dialog_->remoteCseq = cseq->number;
    }
  }

  if (method == "BYE") {
    endpoint_.respond(request, 200, "OK");
    switch (state_) {
      case State::Calling:
      case State::Early:
      case State::Confirmed:
        CG_INFO("sip: call {}: remote BYE", callId_);
        if (invite_ && state_ != State::Confirmed) {
          endpoint_.abandon(invite_);
          invite_ = 0;
        }
        finish(Outcome::RemoteBye);
        return;
      case State::Terminating:
        // Our BYE (or CANCEL) crossed theirs; ours decides the outcome when it completes.
        return;
      default:
        return;
    }
  }
  if (method == "OPTIONS") {
    Message response = transaction::makeResponse(request, 200, "OK");
    response.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
    response.addHeader("Accept", "application/sdp");
    endpoint_.respond(request, std::move(response));
    return;
  }
  if (method == "INVITE") {
    CG_WARN("sip: call {}: re-INVITE not supported yet, answering 488", callId_);
    endpoint_.respond(request, 488, "Not Acceptable Here");
    return;
  }
  CG_WARN("sip: call {}: in-dialog {} not supported yet, answering 501", callId_, method);
  endpoint_.respond(request, 501, "Not Implemented");
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
