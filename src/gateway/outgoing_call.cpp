#include "gateway/outgoing_call.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/post.hpp>

#include "common/bytes.hpp"
#include "common/log.hpp"
#include "common/random.hpp"
#include "media/packet_buffer.hpp"
#include "sdp/attributes.hpp"
#include "sdp/parser.hpp"
#include "sdp/sip_offer.hpp"
#include "sdp/webrtc_answer.hpp"
#include "sdp/writer.hpp"
#include "sip/identity_validation.hpp"

namespace callgate::gateway {

namespace asio = boost::asio;

namespace {
std::string describe(int status, const std::string& reason) { return std::to_string(status) + " " + reason; }

CallSnapshot outgoingSnapshot(const sip::ua::Account& account, const OutgoingCallRequest& request) {
  CallSnapshot snapshot;
  snapshot.callId = request.callId;
  snapshot.caller = account.login;
  snapshot.callee = request.callee;
  snapshot.visibleName = request.visibleName.empty() ? account.login : request.visibleName;
  snapshot.hasAudio = request.hasAudio;
  snapshot.hasVideo = request.hasVideo;
  return snapshot;
}
}  // namespace

OutgoingCall::OutgoingCall(WorkerContext& worker, sip::ua::Account account, OutgoingCallRequest request, Owner& owner)
    : Call(worker, owner, outgoingSnapshot(account, request)), account_(std::move(account)), request_(std::move(request)) {}

OutgoingCall::~OutgoingCall() = default;


Result<void> OutgoingCall::prepare() {
  if (auto r = validateCallee(request_.callee); !r) return r;
  auto offer = sdp::parse(request_.sdpOffer);
  if (!offer) return makeError("Invalid SDP offer: " + offer.error().message);
  browserOffer_ = std::move(*offer);
  if (browserOffer_.media.empty()) return makeError("Invalid SDP offer: no media");

  // The browser's ICE and DTLS parameters (RFC 8839/8842: media level, else session level).
  const auto& first = browserOffer_.media.front();
  auto ufrag = sdp::iceUfrag(browserOffer_, first);
  auto pwd = sdp::icePwd(browserOffer_, first);
  auto fp = sdp::fingerprint(browserOffer_, first);
  if (!ufrag || !pwd) return makeError("Invalid SDP offer: no ICE credentials");
  if (!fp) return makeError("Invalid SDP offer: no DTLS fingerprint");
  auto setup = sdp::setup(browserOffer_, first);

  // We answer a=setup:passive to actpass/active offers (DTLS server, RFC 5763 §5), and
  // active to a passive offer.
  auto role = setup == sdp::Setup::Passive ? media::dtls::DtlsRole::Client : media::dtls::DtlsRole::Server;
  // One SIP-side RTP port pair per RTP m-line; others are offered with port 0.
  std::vector<bool> wantLeg;
  for (const auto& m : browserOffer_.media) wantLeg.push_back(m.isRtp() && m.port != 0);
  bridge_ = std::make_unique<MediaBridge>(worker_, snapshot_.callId, *this);
  if (auto opened = bridge_->open(role, wantLeg); !opened) return opened;

  sdp::SipOfferParams params;
  params.localIp = worker_.settings.advertiseIp;
  params.ports = bridge_->sipPorts();
  params.sessionId = randomU32();
  params.sessionVersion = 1;
  // Video goes to SIP when the client asked for it or its offer carries a video m-line (a
  // receive-only one included); the builder keeps only SIP-compatible codecs (VP8, H.264
  // packetization-mode 1) and offers port 0 when none is left, so the call stays audio-only.
  params.offerVideo = request_.hasVideo || std::any_of(browserOffer_.media.begin(), browserOffer_.media.end(),
                                                       [](const auto& m) { return m.media == "video" && m.port != 0; });
  auto sipOffer = sdp::buildSipOffer(browserOffer_, params);
  if (!sipOffer) return makeError(sipOffer.error().message);
  bridge_->keepLegs(sipOffer->offered);
  localSipSdp_ = sipOffer->sdp;

  routeToEcho();
  invite_ = std::make_unique<sip::ua::OutgoingInvite>(
      worker_.sip, account_, *this,
      sip::ua::InviteOptions{std::chrono::duration_cast<std::chrono::milliseconds>(worker_.settings.noAnswerTimeout),
                             {}});
  std::vector<sip::Header> headers;
  for (auto& [name, value] : request_.extraHeaders) headers.push_back({name, value});
  return invite_->start(request_.callee, sdp::write(localSipSdp_), snapshot_.visibleName, std::move(headers));
}

// A call to the echo name (echo.name) goes to callgate's own echo endpoint: same INVITE
// (Request-URI sip:<name>@<client's domain>), only the next hop changes, so it works whether
// or not the client registered and whatever its outbound proxy is.
void OutgoingCall::routeToEcho() {
  const auto& s = worker_.settings;
  if (s.echoName.empty() || s.echoPort == 0) return;
  const std::string& callee = request_.callee;
  const std::string atDomain = s.echoName + "@" + account_.domain;
  if (callee != s.echoName && callee != atDomain && callee != "sip:" + atDomain) return;
  CG_INFO("call {}: call to echo: INVITE to the echo endpoint at {}:{}", snapshot_.callId, s.echoHost, s.echoPort);
  account_.outboundProxy = s.echoHost;
  account_.port = s.echoPort;
}

void OutgoingCall::start() {
  if (auto r = prepare(); !r) {
    // Nothing went out on SIP: the call ends here (protocol §6.2: no TRYING, one FAILED).
    originalDone_ = true;
    CG_WARN("call {} to '{}' refused: {}", snapshot_.callId, request_.callee, r.error().message);
    terminate(CallStatus::Failed, 0, r.error().message);
    return;
  }
  CG_INFO("call {}: INVITE {} from {} (Call-ID {})", snapshot_.callId, invite_->requestUri(), account_.login,
          invite_->callId());
  report(CallStatus::Trying);
}

Result<void> OutgoingCall::applySipAnswer(const std::string& sipSdp) {
  // A 200 usually repeats the 183's SDP: nothing to redo (and latching stays as it is).
  if (sipSdp == lastSipSdp_) return {};
  lastSipSdp_ = sipSdp;
  auto answer = sdp::parse(sipSdp);
  if (!answer) return makeError("Invalid SDP from the SIP side: " + answer.error().message);

  sdp::WebRtcAnswerParams params;
  bridge_->describeLocal(params, browserOffer_.media.size());
  auto offeredSetup = sdp::setup(browserOffer_, browserOffer_.media.front());
  params.setup = offeredSetup == sdp::Setup::Passive ? sdp::Setup::Active : sdp::Setup::Passive;
  auto built = sdp::buildWebRtcAnswer(browserOffer_, *answer, params);
  if (!built) return built.error();
  if (auto applied = bridge_->applyPlans(std::move(built->plans)); !applied) return applied;

  if (!answerSent_) {
    answerSent_ = true;
    media::WebRtcRemoteParameters remote;
    const auto& first = browserOffer_.media.front();
    remote.ufrag = *sdp::iceUfrag(browserOffer_, first);
    remote.pwd = *sdp::icePwd(browserOffer_, first);
    auto fp = sdp::fingerprint(browserOffer_, first);
    remote.fingerprints.push_back({fp->hashFunction, fp->value});
    bridge_->startWebRtc(remote);
    owner_.onRemoteSdp(snapshot_.callId, sdp::write(built->sdp), true);
  }
  return {};
}

void OutgoingCall::onProvisional(int status, std::string reason, std::optional<std::string> sdp) {
  if (clientTerminal_) return;
  if (sdp && !sdp->empty()) {
    if (auto r = applySipAnswer(*sdp); !r) return terminate(CallStatus::Failed, status, r.error().message);
    if (snapshot_.status != CallStatus::RingMedia) report(CallStatus::RingMedia, status, describe(status, reason));
    return;
  }
  if (snapshot_.status == CallStatus::Trying) report(CallStatus::Ring, status, describe(status, reason));
}

void OutgoingCall::onAnswered(std::string sdp) {
  if (clientTerminal_) return;
  if (sdp.empty() && !answerSent_) return terminate(CallStatus::Failed, 200, "No SDP in the SIP answer");
  if (!sdp.empty()) {
    if (auto r = applySipAnswer(sdp); !r) return terminate(CallStatus::Failed, 200, r.error().message);
  }
  established();
}

void OutgoingCall::onFailed(int status, std::string reason) {
  bool busy = status == 486 || status == 600;
  std::string info = status == 408 && reason == "No answer" ? reason : describe(status, reason);
  sipFinished(busy ? CallStatus::Busy : CallStatus::Failed, status, info);
}

void OutgoingCall::onCancelled() { sipFinished(CallStatus::Finish, 0, "Normal call clearing"); }

void OutgoingCall::onRemoteBye() { sipFinished(CallStatus::Finish, 0, "Normal call clearing"); }

// A SIP end we did not ask for (e.g. a 2xx that crossed our CANCEL was BYEd by the UA) or
// the end of our own CANCEL/BYE.
void OutgoingCall::onTerminated() { sipFinished(CallStatus::Finish, 0, "Normal call clearing"); }

void OutgoingCall::sipHangup() {
  if (invite_) invite_->hangup();  // CANCEL before the answer, BYE after
}

Result<void> OutgoingCall::sipReInvite(std::string sdp) { return invite_->sendReInvite(std::move(sdp)); }

Result<void> OutgoingCall::sipInfo(std::string contentType, std::string body) {
  return invite_->sendInfo(std::move(contentType), std::move(body));
}

Result<void> OutgoingCall::sipRefer(const std::string& targetUri) { return invite_->sendRefer(targetUri); }

}  // namespace callgate::gateway
