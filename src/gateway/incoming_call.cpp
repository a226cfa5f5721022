#include "gateway/incoming_call.hpp"

#include "common/log.hpp"
#include "common/random.hpp"
#include "sdp/attributes.hpp"
#include "sdp/parser.hpp"
#include "sdp/session_update.hpp"
#include "sdp/sip_answer.hpp"
#include "sdp/webrtc_offer.hpp"
#include "sdp/writer.hpp"
#include "sip/header_values.hpp"

namespace callgate::gateway {

namespace {

// What we offer the browser when the INVITE came without SDP (RFC 3261 §13.2.1 delayed
// offer): the codecs every SIP phone and browser share, and RFC 4733 events.
constexpr std::string_view kDelayedOfferTemplate =
    "v=0\r\n"
    "o=- 0 0 IN IP4 0.0.0.0\r\n"
    "s=-\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "t=0 0\r\n"
    "m=audio 9 RTP/AVP 0 8 9 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=sendrecv\r\n";

CallSnapshot incomingSnapshot(const sip::ua::Account& account, const sip::Message& invite) {
  CallSnapshot snapshot;
  snapshot.callId = randomUuid();
  snapshot.incoming = true;
  snapshot.status = CallStatus::Ring;
  snapshot.callee = account.login;
  if (auto from = sip::parseNameAddr(invite.header("From").value_or(""))) {
    snapshot.caller = from->uri.user.empty() ? from->uri.serialize() : from->uri.user;
    snapshot.visibleName = from->displayName.empty() ? snapshot.caller : from->displayName;
  }
  return snapshot;
}

}  // namespace

IncomingCall::IncomingCall(WorkerContext& worker, sip::ua::Account account, const sip::Message& invite,
                           const sip::transport::PeerAddress& from, Owner& owner)
    : Call(worker, owner, incomingSnapshot(account, invite)),
      account_(std::move(account)),
      invite_(std::make_unique<sip::ua::IncomingInvite>(worker.sip, invite, from, account_, *this)),
      noAnswerTimer_(worker.io) {}

IncomingCall::~IncomingCall() { noAnswerTimer_.cancel(); }

Result<std::string> IncomingCall::prepare() {
  const auto& offerText = invite_->offer();
  delayedOffer_ = !offerText;
  auto offer = sdp::parse(delayedOffer_ ? std::string(kDelayedOfferTemplate) : *offerText);
  if (!offer) return makeError("Invalid SDP: " + offer.error().message);
  sipOffer_ = std::move(*offer);
  if (sipOffer_.media.empty()) return makeError("No media in the SDP offer");

  std::vector<bool> wantLeg;
  for (const auto& m : sipOffer_.media) wantLeg.push_back(m.isRtp() && m.port != 0);
  bridge_ = std::make_unique<MediaBridge>(worker_, snapshot_.callId, *this);
  // We offer a=setup:actpass; browsers answer active, which makes us the DTLS server.
  if (auto opened = bridge_->open(media::dtls::DtlsRole::Server, wantLeg); !opened) return opened.error();

  sdp::WebRtcOfferParams params;
  bridge_->describeLocal(params, sipOffer_.media.size());
  // Video m-lines of the SIP offer with a browser-compatible codec are offered; the browser's
  // answer (its receiveVideo/constraints) decides whether they are accepted.
  params.offerVideo = true;
  auto built = sdp::buildWebRtcOffer(sipOffer_, params);
  if (!built) return built.error();
  bridge_->keepLegs(built->offered);
  // What the client is told in notifyIncomingCall: video when a video m-line is offered.
  snapshot_.hasVideo = false;
  for (size_t i = 0; i < built->offered.size() && i < sipOffer_.media.size(); ++i)
    if (built->offered[i] && sipOffer_.media[i].media == "video") snapshot_.hasVideo = true;
  return sdp::write(built->sdp);
}

void IncomingCall::start() {
  // The browser's offer is computed synchronously, so the 180 still goes out at once
  // (protocol §4.6) — and an offer we cannot meet gets its 488 without a 180 first.
  auto offer = prepare();
  if (!offer) {
    CG_WARN("call {}: incoming INVITE {} refused: {}", snapshot_.callId, invite_->callId(), offer.error().message);
    // Nothing was said to the client; the SIP side hears why.
    clientTerminal_ = true;
    invite_->reject(488, "Not Acceptable Here");
    return;
  }
  invite_->ring();
  CG_INFO("call {}: incoming from '{}' to {} (Call-ID {}{})", snapshot_.callId, snapshot_.caller, account_.login,
          invite_->callId(), delayedOffer_ ? ", no SDP offer" : "");
  // Protocol §3.3/§4.6: the offer first (the SDK caches it), then the call, then RING.
  owner_.onRemoteSdp(snapshot_.callId, *offer, false);
  owner_.onIncomingCall(snapshot_);
  report(CallStatus::Ring, 180, "180 Ringing");

  if (worker_.settings.noAnswerTimeout.count() > 0) {
    noAnswerTimer_.expires_after(worker_.settings.noAnswerTimeout);
    noAnswerTimer_.async_wait([alive = std::weak_ptr<char>(alive_), this](boost::system::error_code ec) {
      if (ec || alive.expired() || answered_ || clientTerminal_) return;
      CG_INFO("call {}: not answered in time", snapshot_.callId);
      clientTerminal_ = true;
      report(CallStatus::Failed, 480, "No answer");
      if (bridge_) bridge_->close();
      invite_->reject(480, "Temporarily Unavailable");
    });
  }
}

Result<void> IncomingCall::answer(const std::string& browserSdp,
                                  std::vector<std::pair<std::string, std::string>> headers) {
  if (clientTerminal_ || answered_ || invite_->state() != sip::ua::IncomingInvite::State::Proceeding) {
    return makeError("The call is no longer ringing");
  }
  if (auto accepted = accept(browserSdp, std::move(headers)); !accepted) {
    // The client's answer cannot be used: the call fails and the caller hears why.
    terminate(CallStatus::Failed, 0, accepted.error().message);
    return {};
  }
  return {};
}

Result<void> IncomingCall::accept(const std::string& browserSdp,
                                  std::vector<std::pair<std::string, std::string>> headers) {
  auto browserAnswer = sdp::parse(browserSdp);
  if (!browserAnswer) return makeError("Invalid SDP answer: " + browserAnswer.error().message);
  if (browserAnswer->media.empty()) return makeError("Invalid SDP answer: no media");
  const auto& first = browserAnswer->media.front();
  auto ufrag = sdp::iceUfrag(*browserAnswer, first);
  auto pwd = sdp::icePwd(*browserAnswer, first);
  auto fp = sdp::fingerprint(*browserAnswer, first);
  if (!ufrag || !pwd) return makeError("Invalid SDP answer: no ICE credentials");
  if (!fp) return makeError("Invalid SDP answer: no DTLS fingerprint");
  if (sdp::setup(*browserAnswer, first) == sdp::Setup::Passive) {
    return makeError("Invalid SDP answer: a=setup:passive (the browser must take the DTLS client role)");
  }

  sdp::SipAnswerParams params;
  params.localIp = worker_.settings.advertiseIp;
  params.ports = bridge_->sipPorts();
  params.sessionId = randomU32();
  params.sessionVersion = 1;
  auto built = sdp::buildSipAnswer(sipOffer_, *browserAnswer, params);
  if (!built) return built.error();
  if (delayedOffer_) {
    // Our 200 carries an offer: toward SIP we send what the browser sends and take what it
    // takes, i.e. the browser answer's own direction. (The template's c=0.0.0.0 would make
    // the builder read "the peer takes nothing" and write recvonly.)
    for (size_t i = 0; i < built->sdp.media.size() && i < browserAnswer->media.size(); ++i) {
      if (built->sdp.media[i].port != 0) {
        sdp::setDirection(built->sdp.media[i], sdp::direction(*browserAnswer, browserAnswer->media[i]));
      }
    }
  }
  if (auto applied = bridge_->applyPlans(std::move(built->plans)); !applied) return applied;

  std::vector<sip::Header> sipHeaders;
  for (auto& [name, value] : headers) sipHeaders.push_back({std::move(name), std::move(value)});
  if (auto sent = invite_->accept(sdp::write(built->sdp), std::move(sipHeaders)); !sent) return sent;
  localSipSdp_ = std::move(built->sdp);
  answered_ = true;
  noAnswerTimer_.cancel();

  media::WebRtcRemoteParameters remote;
  remote.ufrag = *ufrag;
  remote.pwd = *pwd;
  remote.fingerprints.push_back({fp->hashFunction, fp->value});
  bridge_->startWebRtc(remote);
  CG_INFO("call {}: answered by the client, 200 OK sent", snapshot_.callId);
  return {};
}

void IncomingCall::onConfirmed(std::string ackSdp) {
  if (clientTerminal_) return;
  if (delayedOffer_) {
    // Our 200 carried the offer; the ACK carries the caller's answer (§13.2.1).
    auto answer = sdp::parse(ackSdp);
    auto plans = bridge_->plans();
    Result<void> applied = answer ? sdp::refreshPlans(plans, *answer, false)
                                  : Result<void>(makeError("no SDP answer in the ACK"));
    if (applied) applied = bridge_->applyPlans(std::move(plans));
    if (!applied) return terminate(CallStatus::Failed, 0, "Unusable SDP answer in the ACK: " + applied.error().message);
  }
  established();
}

void IncomingCall::onCancelled() { sipFinished(CallStatus::Finish, 487, "Cancelled by the caller"); }

void IncomingCall::onFailed(int status, std::string reason) { sipFinished(CallStatus::Failed, status, reason); }

void IncomingCall::onRemoteBye() { sipFinished(CallStatus::Finish, 0, "Normal call clearing"); }

void IncomingCall::onTerminated() { sipFinished(CallStatus::Finish, 0, "Normal call clearing"); }

void IncomingCall::sipHangup() {
  noAnswerTimer_.cancel();
  // Reject before the answer (a client that vanished is "unavailable", not "busy"), BYE after.
  invite_->hangup(clientGone_ ? 480 : worker_.settings.rejectStatus);
}

Result<void> IncomingCall::sipReInvite(std::string sdp) { return invite_->sendReInvite(std::move(sdp)); }

Result<void> IncomingCall::sipInfo(std::string contentType, std::string body) {
  return invite_->sendInfo(std::move(contentType), std::move(body));
}

Result<void> IncomingCall::sipRefer(const std::string& targetUri) { return invite_->sendRefer(targetUri); }

}  // namespace callgate::gateway
