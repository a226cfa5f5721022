#include "sip/ua/invite_session.hpp"

#include <random>

#include "common/log.hpp"
#include "common/random.hpp"
#include "sip/header_values.hpp"
#include "sip/identity_validation.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/ua/invite_helpers.hpp"

namespace callgate::sip::ua {

using transport::PeerAddress;

namespace {
// A uniformly random delay in [lo, hi) milliseconds (§14.1 glare back-off).
transaction::Duration randomDelay(int lo, int hi) {
  return transaction::Duration(lo + static_cast<int>(randomU32() % static_cast<uint32_t>(hi - lo)));
}
}  // namespace

InviteSession::InviteSession(transaction::SipEndpoint& endpoint, Params params, Authenticator& auth,
                             Listener& listener, Owner& owner)
    : endpoint_(endpoint),
      dialog_(std::move(params.dialog)),
      nextHop_(params.nextHop),
      contact_(std::move(params.contact)),
      ownsCallId_(params.ownsCallId),
      auth_(auth),
      listener_(listener),
      owner_(owner),
      glareTimer_(endpoint.io()),
      referTryingTimer_(endpoint.io()),
      answer_(endpoint) {}

InviteSession::~InviteSession() {
  for (auto id : {lastReInvite_, info_, bye_, refer_, finalNotify_}) {
    if (id) endpoint_.abandon(id);
  }
}

Message InviteSession::makeRequest(std::string_view method) {
  Message request = dialog_.makeRequest(method, ++dialog_.localCseq);
  if (auth_.hasChallenges()) auth_.authorize(request);
  return request;
}

// --- our re-INVITE ---------------------------------------------------------------------------

Result<void> InviteSession::sendReInvite(std::string sdp) {
  if (ended_ || byeWanted_) return makeError("the call is ending");
  if (offerInProgress()) return makeError("an offer/answer exchange is already in progress");
  offer_ = std::move(sdp);
  glareRetries_ = 0;
  auth_.beginRequest();
  sendReInviteRequest();
  return {};
}

void InviteSession::sendReInviteRequest() {
  Message invite = makeRequest("INVITE");
  invite.addHeader("Contact", contact_);
  invite.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
  invite.addHeader("Content-Type", "application/sdp");
  invite.body = offer_;
  reInviteAckCseq_ = dialog_.localCseq;
  reInviteAck_.reset();
  // The ACK for a 2xx carries the INVITE's credentials (§13.2.2.4, §22).
  Message ack = dialog_.makeRequest("ACK", reInviteAckCseq_);
  for (const auto& h : invite.headers) {
    if (headerNameEquals(h.name, "Authorization") || headerNameEquals(h.name, "Proxy-Authorization")) {
      ack.headers.push_back(h);
    }
  }
  reInviteAck_ = std::move(ack);
  CG_DEBUG("sip: call {}: re-INVITE CSeq {}", dialog_.callId, reInviteAckCseq_);
  if (lastReInvite_) endpoint_.abandon(lastReInvite_);
  reInvite_ = lastReInvite_ = endpoint_.sendRequest(std::move(invite), nextHop_, this);
}

void InviteSession::onReInviteResponse(const Message& response) {
  const int status = response.status;
  if (status < 200) return;
  if (status < 300) {
    const bool first = reInvite_ != 0 && cseqNumber(response) == reInviteAckCseq_;
    // The transaction stays to pass on retransmitted 2xx (RFC 6026); each one is ACKed.
    if (reInviteAck_) endpoint_.sendStateless(*reInviteAck_, nextHop_);
    if (!first) return;
    reInvite_ = 0;
    if (ended_ || byeWanted_) return;
    refreshTarget(response);
    listener_.onRemoteAnswer(sdpBody(response).value_or(""));
    return;
  }
  reInvite_ = 0;
  if (ended_ || byeWanted_) return;
  if ((status == 401 || status == 407) && auth_.onChallenge(response)) {
    sendReInviteRequest();
    return;
  }
  if (status == 491 && glareRetries_ < kMaxGlareRetries) {
    ++glareRetries_;
    auto delay = ownsCallId_ ? randomDelay(2100, 4000) : randomDelay(0, 2000);
    CG_INFO("sip: call {}: re-INVITE glare (491), retrying in {} ms", dialog_.callId, delay.count());
    glareTimer_.start(delay, [this] {
      if (ended_ || byeWanted_) return;
      if (answer_.active()) {
        // Their re-INVITE is still finishing; try again after another back-off.
        glareTimer_.start(randomDelay(500, 1500), [this] { if (!ended_ && !byeWanted_) sendReInviteRequest(); });
        return;
      }
      sendReInviteRequest();
    });
    return;
  }
  if (status == 408 || status == 481) {
    dialogLost(std::to_string(status) + " " + response.reason + " to re-INVITE");
    return;
  }
  CG_INFO("sip: call {}: re-INVITE refused: {} {}", dialog_.callId, status, response.reason);
  listener_.onOfferRejected(status, response.reason);
}

// --- the peer's requests ---------------------------------------------------------------------

void InviteSession::onRequest(const Message& request, const PeerAddress& from) {
  const std::string& method = request.method;
  if (method == "ACK") {
    onAck(request);
    return;
  }
  // §12.2.2: requests must come in CSeq order.
  if (auto cseq = parseCSeq(request.header("CSeq").value_or(""))) {
    if (dialog_.remoteCseq && cseq->number <= *dialog_.remoteCseq && method != "BYE") {
      endpoint_.respond(request, 500, "Server Internal Error");
      return;
    }
    if (!dialog_.remoteCseq || cseq->number > *dialog_.remoteCseq) dialog_.remoteCseq = cseq->number;
  }

  if (method == "BYE") {
    endpoint_.respond(request, 200, "OK");
    if (bye_) return;  // ours crossed theirs: ours decides when it completes
    CG_INFO("sip: call {}: remote BYE", dialog_.callId);
    end(true);
    return;
  }
  if (ended_) {
    endpoint_.respond(request, 481, "Call/Transaction Does Not Exist");
    return;
  }
  if (method == "INVITE") {
    onPeerReInvite(request, from);
    return;
  }
  if (method == "INFO") {
    endpoint_.respond(request, 200, "OK");
    listener_.onInfo(std::string(request.header("Content-Type").value_or("")), request.body);
    return;
  }
  if (method == "NOTIFY") {
    onNotify(request);
    return;
  }
  if (method == "REFER") {
    onPeerRefer(request);
    return;
  }
  if (method == "OPTIONS") {
    Message response = transaction::makeResponse(request, 200, "OK");
    response.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
    response.addHeader("Accept", "application/sdp");
    endpoint_.respond(request, std::move(response));
    return;
  }
  CG_WARN("sip: call {}: in-dialog {} not supported, answering 501", dialog_.callId, method);
  endpoint_.respond(request, 501, "Not Implemented");
}

void InviteSession::onPeerReInvite(const Message& request, const PeerAddress& from) {
  if (byeWanted_) {
    endpoint_.respond(request, 481, "Call/Transaction Does Not Exist");
    return;
  }
  if (reInvite_ || glareTimer_.armed()) {
    endpoint_.respond(request, 491, "Request Pending");  // §14.2 glare
    return;
  }
  if (answer_.active()) {
    Message response = transaction::makeResponse(request, 500, "Server Internal Error");
    response.addHeader("Retry-After", std::to_string(randomU32() % 10));
    endpoint_.respond(request, std::move(response));
    return;
  }

  std::string body;
  auto offer = sdpBody(request);
  if (offer) {
    auto answer = listener_.onRemoteOffer(*offer);
    if (!answer) {
      CG_WARN("sip: call {}: re-INVITE offer refused: {}", dialog_.callId, answer.error().message);
      Message response = transaction::makeResponse(request, 488, "Not Acceptable Here");
      response.addHeader("Warning", "399 callgate " + quoteString(answer.error().message));
      endpoint_.respond(request, std::move(response));
      return;
    }
    body = std::move(answer.value());
    answerIsOffer_ = false;
  } else {
    body = listener_.onOfferRequested();
    answerIsOffer_ = true;
  }
  refreshTarget(request);
  Message response = transaction::makeResponse(request, 200, "OK");
  response.addHeader("Contact", contact_);
  response.addHeader("Allow", std::string(transaction::SipEndpoint::kAllow));
  response.addHeader("Content-Type", "application/sdp");
  response.body = std::move(body);
  answerCseq_ = cseqNumber(request);
  endpoint_.respond(request, response);
  answer_.start(std::move(response), from, [this] { dialogLost("no ACK for our 2xx to a re-INVITE"); });
}

void InviteSession::onAck(const Message& ack) {
  if (!answer_.active() || cseqNumber(ack) != answerCseq_) return;  // a retransmission, or stray
  answer_.stop();
  if (answerIsOffer_) {
    answerIsOffer_ = false;
    if (auto sdp = sdpBody(ack)) {
      listener_.onRemoteAnswer(*sdp);
    } else {
      CG_WARN("sip: call {}: ACK without the SDP answer to our offer; media stays as it was", dialog_.callId);
    }
  }
  sendByeIfWanted();
}

void InviteSession::refreshTarget(const Message& message) {
  // §12.2: a target refresh request (or its 2xx) with a Contact updates the remote target.
  auto contacts = message.headerValues("Contact");
  if (contacts.empty()) return;
  if (auto contact = parseNameAddr(contacts.front())) dialog_.remoteTarget = contact->uri;
}

// --- INFO --------------------------------------------------------------------------------------

Result<void> InviteSession::sendInfo(std::string contentType, std::string body) {
  if (ended_ || byeWanted_) return makeError("call is not confirmed");
  if (auto valid = validateHeaderValue(contentType); !valid || contentType.empty()) {
    return makeError("Invalid INFO content type");
  }
  infoQueue_.emplace_back(std::move(contentType), std::move(body));
  if (!info_) sendNextInfo();
  return {};
}

void InviteSession::sendNextInfo() {
  if (info_ || infoQueue_.empty() || ended_ || byeWanted_) return;
  auth_.beginRequest();
  sendInfoRequest();
}

void InviteSession::sendInfoRequest() {
  Message info = makeRequest("INFO");
  const auto& [contentType, body] = infoQueue_.front();
  info.addHeader("Content-Type", contentType);
  info.body = body;
  info_ = endpoint_.sendRequest(std::move(info), nextHop_, this);
}

void InviteSession::onInfoResponse(const Message& response) {
  if (response.status < 200) return;
  info_ = 0;
  if (ended_ || byeWanted_) return;
  if ((response.status == 401 || response.status == 407) && auth_.onChallenge(response)) {
    sendInfoRequest();  // the same INFO with credentials and a new CSeq (§22.2)
    return;
  }
  // RFC 6086 §4.2.2: a failed INFO does not affect the dialog or the session.
  if (response.status >= 300) {
    CG_WARN("sip: call {}: INFO answered {} {}", dialog_.callId, response.status, response.reason);
    if (!infoQueue_.empty()) listener_.onInfoFailed(infoQueue_.front().first, response.status);
  } else {
    CG_DEBUG("sip: call {}: INFO answered {}", dialog_.callId, response.status);
  }
  if (!infoQueue_.empty()) infoQueue_.pop_front();
  sendNextInfo();
}

// --- REFER (RFC 3515) ------------------------------------------------------------------------

Result<void> InviteSession::sendRefer(const std::string& target, const std::string& referredBy) {
  if (ended_ || byeWanted_) return makeError("the call is ending");
  if (refer_ || transferActive_) return makeError("a transfer is already in progress");
  referTarget_ = target;
  referredBy_ = referredBy;
  auth_.beginRequest();
  Message refer = makeRequest("REFER");
  refer.addHeader("Contact", contact_);
  refer.addHeader("Refer-To", "<" + referTarget_ + ">");
  if (!referredBy_.empty()) refer.addHeader("Referred-By", "<" + referredBy_ + ">");
  refer_ = endpoint_.sendRequest(std::move(refer), nextHop_, this);
  CG_INFO("sip: call {}: REFER to {}", dialog_.callId, referTarget_);
  return {};
}

void InviteSession::onReferResponse(const Message& response) {
  if (response.status < 200) return;
  refer_ = 0;
  if (ended_ || byeWanted_) return;
  if ((response.status == 401 || response.status == 407) && auth_.onChallenge(response)) {
    Message refer = makeRequest("REFER");
    refer.addHeader("Contact", contact_);
    refer.addHeader("Refer-To", "<" + referTarget_ + ">");
    if (!referredBy_.empty()) refer.addHeader("Referred-By", "<" + referredBy_ + ">");
    refer_ = endpoint_.sendRequest(std::move(refer), nextHop_, this);
    return;
  }
  const bool accepted = response.status < 300;
  transferActive_ = accepted;
  listener_.onTransferProgress(response.status, response.reason, !accepted);
}

void InviteSession::onNotify(const Message& request) {
  endpoint_.respond(request, 200, "OK");
  const std::string event(request.header("Event").value_or(""));
  if (event.rfind("refer", 0) != 0 || !transferActive_) {
    CG_DEBUG("sip: call {}: NOTIFY '{}' ignored", dialog_.callId, event);
    return;
  }
  // The body is a message/sipfrag status line (RFC 3515 §2.4.5): "SIP/2.0 200 OK".
  int status = 0;
  std::string reason;
  const std::string& body = request.body;
  if (body.rfind("SIP/2.0 ", 0) == 0 && body.size() >= 11) {
    status = std::atoi(body.substr(8, 3).c_str());
    auto end = body.find_first_of("\r\n", 12);
    reason = body.size() > 12 ? body.substr(12, end == std::string::npos ? std::string::npos : end - 12) : "";
  }
  const bool terminated = std::string(request.header("Subscription-State").value_or("")).rfind("terminated", 0) == 0;
  const bool final = terminated || status >= 200;
  if (final) transferActive_ = false;
  if (status == 0) {
    if (!final) return;
    status = 500;
    reason = "Transfer ended without a status";
  }
  listener_.onTransferProgress(status, reason, final);
}

void InviteSession::onPeerRefer(const Message& request) {
  auto referTo = parseNameAddr(request.header("Refer-To").value_or(""));
  if (!referTo) {
    endpoint_.respond(request, 400, "Bad Refer-To");
    return;
  }
  if (auto accepted = listener_.onReferRequested(referTo->uri.serialize()); !accepted) {
    CG_INFO("sip: call {}: REFER to {} refused: {}", dialog_.callId, referTo->uri.serialize(), accepted.error().message);
    Message response = transaction::makeResponse(request, 603, "Decline");
    response.addHeader("Warning", "399 callgate " + quoteString(accepted.error().message));
    endpoint_.respond(request, std::move(response));
    return;
  }
  endpoint_.respond(request, 202, "Accepted");
  referSubscription_ = true;
  // The 202 and this NOTIFY travel apart through the proxy, whose UDP workers can reorder
  // them; a phone that wants the 202 first (RFC 6665 §4.1.2.4 says it must not, but sipp
  // scenarios and some phones do) then aborts. A short gap keeps the usual order. Should the
  // transfer end before it, the final NOTIFY closes the subscription and this one is dropped.
  referTryingTimer_.start(std::chrono::milliseconds(30), [this] { notifyReferProgress(100, "Trying"); });
}

void InviteSession::notifyReferProgress(int status, const std::string& reason) {
  if (!referSubscription_ || ended_ || byeWanted_) return;
  const bool final = status >= 200;
  Message notify = makeRequest("NOTIFY");
  notify.addHeader("Contact", contact_);
  notify.addHeader("Event", "refer");
  notify.addHeader("Subscription-State", final ? "terminated;reason=noresource" : "active;expires=60");
  notify.addHeader("Content-Type", "message/sipfrag;version=2.0");
  notify.body = "SIP/2.0 " + std::to_string(status) + " " + reason + "\r\n";
  // A lost or refused NOTIFY does not change our call (RFC 3515 §2.4.7), so progress NOTIFYs are
  // fire and forget. The final one is tracked: a BYE sent before it completes can overtake it
  // (a proxy with several workers reorders), and the transferor would see its dialog end with
  // no word on the transfer.
  if (!final) {
    endpoint_.sendRequest(std::move(notify), nextHop_, nullptr);
    return;
  }
  referSubscription_ = false;
  finalNotify_ = endpoint_.sendRequest(std::move(notify), nextHop_, this);
}

// --- BYE ---------------------------------------------------------------------------------------

void InviteSession::bye() {
  if (ended_ || byeWanted_) return;
  byeWanted_ = true;
  infoQueue_.clear();
  glareTimer_.cancel();
  sendByeIfWanted();
}

void InviteSession::sendByeIfWanted() {
  if (!byeWanted_ || bye_ || ended_) return;
  // §15: the callee does not send BYE before the ACK of its 2xx (or the give-up time).
  if (answer_.active()) return;
  if (finalNotify_) return;  // see notifyReferProgress
  sendBye();
}

void InviteSession::byeUnattended() {
  if (ended_ || bye_) return;
  ended_ = true;
  endpoint_.sendRequest(makeRequest("BYE"), nextHop_, nullptr);
}

void InviteSession::sendBye() {
  auth_.beginRequest();
  bye_ = endpoint_.sendRequest(makeRequest("BYE"), nextHop_, this);
}

void InviteSession::dialogLost(std::string_view why) {
  if (ended_) return;
  CG_WARN("sip: call {}: dialog lost ({}), sending BYE", dialog_.callId, why);
  answer_.stop();
  endpoint_.sendRequest(makeRequest("BYE"), nextHop_, nullptr);
  end(true);
}

void InviteSession::end(bool remote) {
  if (ended_) return;
  ended_ = true;
  answer_.stop();
  glareTimer_.cancel();
  infoQueue_.clear();
  // Only reached from network input or timers, so the owner may act at once.
  owner_.onSessionEnded(remote);
}

// --- transactions ------------------------------------------------------------------------------

void InviteSession::onResponse(transaction::TransactionId id, const Message& response) {
  if (id == lastReInvite_) {
    onReInviteResponse(response);
  } else if (id == info_) {
    onInfoResponse(response);
  } else if (id == refer_) {
    onReferResponse(response);
  } else if (id == finalNotify_) {
    if (response.status < 200) return;
    finalNotify_ = 0;
    sendByeIfWanted();
  } else if (id == bye_) {
    if (response.status < 200) return;
    bye_ = 0;
    if ((response.status == 401 || response.status == 407) && auth_.onChallenge(response)) {
      bye_ = endpoint_.sendRequest(makeRequest("BYE"), nextHop_, this);
      return;
    }
    end(false);  // any final response ends the dialog (§15.1.1), 481 included
  }
}

void InviteSession::onTransactionTimeout(transaction::TransactionId id) {
  if (id == reInvite_) {
    reInvite_ = 0;
    if (!ended_ && !byeWanted_) dialogLost("re-INVITE timed out");
  } else if (id == info_) {
    info_ = 0;
    CG_WARN("sip: call {}: INFO timed out", dialog_.callId);
    if (!infoQueue_.empty()) {
      listener_.onInfoFailed(infoQueue_.front().first, 408);
      infoQueue_.pop_front();
    }
    sendNextInfo();
  } else if (id == refer_) {
    refer_ = 0;
    if (!ended_ && !byeWanted_) listener_.onTransferProgress(408, "Request Timeout", true);
  } else if (id == finalNotify_) {
    finalNotify_ = 0;
    sendByeIfWanted();
  } else if (id == bye_) {
    bye_ = 0;
    end(false);
  }
}

}  // namespace callgate::sip::ua
