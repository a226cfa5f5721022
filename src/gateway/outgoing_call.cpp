#include "gateway/outgoing_call.hpp"

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

// One m-line toward the SIP peer: its RTP/RTCP sockets and what the answer decided.
struct OutgoingCall::SipLeg final : media::RtpEndpoint::Listener {
  OutgoingCall& call;
  size_t index;
  std::unique_ptr<media::RtpEndpoint> endpoint;
  sdp::MediaPlan plan;

  SipLeg(OutgoingCall& c, size_t i) : call(c), index(i) {}
  void onRtp(std::span<uint8_t> packet) override { call.relayFromSip(*this, packet); }
  void onRtcp(std::span<uint8_t>) override {
    // SIP-side reports describe SSRCs the browser never saw (we rewrite them); the browser
    // keeps its own statistics, so they are not forwarded.
  }
};

namespace {

std::string describe(int status, const std::string& reason) { return std::to_string(status) + " " + reason; }

std::optional<asio::ip::udp::endpoint> endpointOf(const std::string& address, uint16_t port) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec || port == 0) return std::nullopt;
  return asio::ip::udp::endpoint(ip, port);
}

}  // namespace

OutgoingCall::OutgoingCall(WorkerContext& worker, sip::ua::Account account, OutgoingCallRequest request, Owner& owner)
    : worker_(worker), account_(std::move(account)), request_(std::move(request)), owner_(owner) {
  snapshot_.callId = request_.callId;
  snapshot_.caller = account_.login;
  snapshot_.callee = request_.callee;
  snapshot_.visibleName = request_.visibleName.empty() ? account_.login : request_.visibleName;
  snapshot_.hasAudio = request_.hasAudio;
  snapshot_.hasVideo = request_.hasVideo;
}

OutgoingCall::~OutgoingCall() {
  if (activity_) activity_->stop();
}

void OutgoingCall::report(CallStatus status, int sipStatus, std::string info) {
  snapshot_.status = status;
  snapshot_.sipStatus = sipStatus;
  snapshot_.info = std::move(info);
  CG_INFO("call {}: {}{}{}", snapshot_.callId, toString(status), snapshot_.info.empty() ? "" : " - ", snapshot_.info);
  owner_.onCallStatus(snapshot_);
}

namespace {
// A callee typed as a plain user or user@host must already be a valid SIP user part: a
// number with a space is refused with the reason rather than silently escaped into a
// different number (mission.md "Known problem"). Full sip:/sips:/tel: URIs are parsed by
// the UA as given, escapes included.
Result<void> validateCallee(std::string_view callee) {
  for (std::string_view scheme : {"sip:", "sips:", "tel:"})
    if (callee.substr(0, scheme.size()) == scheme) return {};
  auto at = callee.find('@');
  if (auto r = sip::validateUserPart(callee.substr(0, at)); !r) return makeError("Invalid callee: " + r.error().message);
  if (at != std::string_view::npos) {
    std::string_view host = callee.substr(at + 1);
    if (!host.empty() && host.front() != '[')
      if (auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
    if (auto r = sip::validateHost(host); !r) return makeError("Invalid callee: " + r.error().message);
  }
  return {};
}
}  // namespace

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

  media::WebRtcTransportConfig config;
  boost::system::error_code ec;
  config.bindIp = asio::ip::make_address(worker_.settings.bindIp, ec);
  if (ec) return makeError("Invalid bind address " + worker_.settings.bindIp);
  config.iceTimeout = worker_.settings.iceTimeout;
  config.dtlsTimeout = worker_.settings.iceTimeout;
  // We answer a=setup:passive to actpass/active offers (DTLS server, RFC 5763 §5), and
  // active to a passive offer.
  config.dtlsRole = setup == sdp::Setup::Passive ? media::dtls::DtlsRole::Client : media::dtls::DtlsRole::Server;
  auto transport = media::WebRtcTransport::create(worker_.io, worker_.ports, config, *this);
  if (!transport) return makeError("Failed by session creation: " + transport.error().message);
  webrtc_ = std::move(*transport);

  // One SIP-side RTP port pair per RTP m-line; others are offered with port 0.
  std::vector<uint16_t> ports(browserOffer_.media.size(), 0);
  legs_.resize(browserOffer_.media.size());
  media::RtpEndpointConfig legConfig;
  legConfig.bindIp = config.bindIp;
  for (size_t i = 0; i < browserOffer_.media.size(); ++i) {
    if (!browserOffer_.media[i].isRtp() || browserOffer_.media[i].port == 0) continue;
    auto leg = std::make_unique<SipLeg>(*this, i);
    auto endpoint = media::RtpEndpoint::create(worker_.io, worker_.ports, legConfig, *leg);
    if (!endpoint) return makeError("Failed by session creation: " + endpoint.error().message);
    leg->endpoint = std::move(*endpoint);
    ports[i] = leg->endpoint->localRtpPort();
    legs_[i] = std::move(leg);
  }

  sdp::SipOfferParams params;
  params.localIp = worker_.settings.advertiseIp;
  params.ports = ports;
  params.sessionId = randomU32();
  params.sessionVersion = 1;
  params.offerVideo = false;  // video arrives with the call-control issue
  auto sipOffer = sdp::buildSipOffer(browserOffer_, params);
  if (!sipOffer) return makeError(sipOffer.error().message);
  for (size_t i = 0; i < legs_.size(); ++i) {
    if (legs_[i] && !sipOffer->offered[i]) legs_[i].reset();  // frees the ports at once
  }

  invite_ = std::make_unique<sip::ua::OutgoingInvite>(
      worker_.sip, account_, *this,
      sip::ua::InviteOptions{std::chrono::duration_cast<std::chrono::milliseconds>(worker_.settings.noAnswerTimeout),
                             {}});
  std::vector<sip::Header> headers;
  for (auto& [name, value] : request_.extraHeaders) headers.push_back({name, value});
  return invite_->start(request_.callee, sdp::write(sipOffer->sdp), snapshot_.visibleName, std::move(headers));
}

void OutgoingCall::start() {
  if (auto r = prepare(); !r) {
    // Nothing went out on SIP: the call ends here (protocol §6.2: no TRYING, one FAILED).
    sipDone_ = true;
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
  params.sessionId = randomU32();
  params.sessionVersion = 1;
  params.iceUfrag = webrtc_->localUfrag();
  params.icePwd = webrtc_->localPwd();
  params.fingerprint = media::WebRtcTransport::localFingerprintSha256();
  auto offeredSetup = sdp::setup(browserOffer_, browserOffer_.media.front());
  params.setup = offeredSetup == sdp::Setup::Passive ? sdp::Setup::Active : sdp::Setup::Passive;
  params.candidateIp = worker_.settings.advertiseIp;
  params.candidatePort = webrtc_->localPort();
  params.streamId = randomToken(16);
  for (size_t i = 0; i < browserOffer_.media.size(); ++i) params.ssrcs.push_back(randomU32() | 1);
  auto built = sdp::buildWebRtcAnswer(browserOffer_, *answer, params);
  if (!built) return built.error();

  browserRoutes_.fill(BrowserRoute{});
  for (auto& plan : built->plans) {
    if (!plan.active || plan.index >= legs_.size() || !legs_[plan.index]) continue;
    auto& leg = legs_[plan.index];
    for (int pt = 0; pt < 128; ++pt) {
      if (auto sipPt = plan.browserToSipPt.lookup(uint8_t(pt)))
        browserRoutes_[pt] = BrowserRoute{int8_t(plan.index), *sipPt};
    }
    auto rtp = endpointOf(plan.sipRemoteAddress, plan.sipRemoteRtpPort);
    if (!rtp) return makeError("Invalid SIP media address " + plan.sipRemoteAddress);
    auto rtcp = endpointOf(plan.sipRemoteRtcpAddress.empty() ? plan.sipRemoteAddress : plan.sipRemoteRtcpAddress,
                           plan.sipRemoteRtcpPort);
    leg->endpoint->setRemote(*rtp, rtcp);
    leg->plan = std::move(plan);
    CG_INFO("call {}: m-line {} {} to {}:{} codec {}", snapshot_.callId, leg->plan.index, leg->plan.media,
            leg->plan.sipRemoteAddress, leg->plan.sipRemoteRtpPort,
            leg->plan.codecs.empty() ? "-" : leg->plan.codecs.front().name);
  }

  if (!answerSent_) {
    answerSent_ = true;
    media::WebRtcRemoteParameters remote;
    const auto& first = browserOffer_.media.front();
    remote.ufrag = *sdp::iceUfrag(browserOffer_, first);
    remote.pwd = *sdp::icePwd(browserOffer_, first);
    auto fp = sdp::fingerprint(browserOffer_, first);
    remote.fingerprints.push_back({fp->hashFunction, fp->value});
    webrtc_->start(remote);
    owner_.onRemoteSdp(snapshot_.callId, sdp::write(built->sdp));
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
  established_ = true;
  report(CallStatus::Established, 200);
  if (worker_.settings.mediaTimeout.count() > 0) {
    activity_.emplace(worker_.io, *this,
                      worker_.settings.mediaTimeout);
    activity_->watch(webrtc_->counters());
    for (auto& leg : legs_)
      if (leg && leg->plan.active) activity_->watch(leg->endpoint->counters());
    activity_->start();
  }
}

void OutgoingCall::onFailed(int status, std::string reason) {
  sipDone_ = true;
  bool busy = status == 486 || status == 600;
  std::string info = status == 408 && reason == "No answer" ? reason : describe(status, reason);
  terminate(busy ? CallStatus::Busy : CallStatus::Failed, status, info);
}

void OutgoingCall::onCancelled() { sipFinished(); }

void OutgoingCall::onRemoteBye() {
  sipDone_ = true;
  terminate(CallStatus::Finish, 0, "Normal call clearing");
}

void OutgoingCall::onTerminated() { sipFinished(); }

void OutgoingCall::sipFinished() {
  sipDone_ = true;
  // A SIP end we did not ask for (e.g. a 2xx that crossed our CANCEL was BYEd by the UA).
  terminate(CallStatus::Finish, 0, "Normal call clearing");
}

void OutgoingCall::onConnected() {
  CG_INFO("call {}: WebRTC media connected ({})", snapshot_.callId,
          webrtc_->selectedRemote() ? webrtc_->selectedRemote()->address().to_string() : "?");
}

void OutgoingCall::onFailed(std::string_view reason) { terminate(CallStatus::Failed, 0, std::string(reason)); }

void OutgoingCall::onRemoteClosed() { terminate(CallStatus::Finish, 0, "The browser closed the media connection"); }

void OutgoingCall::onMediaInactive(size_t, std::string_view reason) {
  terminate(CallStatus::Failed, 0, std::string(reason));
}

void OutgoingCall::onRtp(std::span<uint8_t> packet) {
  // Browser -> SIP. BUNDLE: the payload type tells the m-line (browser PTs are unique).
  if (packet.size() < 12) return;
  const uint8_t pt = packet[1] & 0x7f;
  const BrowserRoute route = browserRoutes_[pt];
  if (route.leg < 0) return;
  SipLeg* leg = legs_[size_t(route.leg)].get();
  if (!leg || !leg->plan.relayBrowserToSip) return;
  packet[1] = uint8_t((packet[1] & 0x80) | route.sipPt);
  leg->endpoint->sendRtp(std::span<const uint8_t>(packet));
}

void OutgoingCall::onRtcp(std::span<uint8_t> packet) {
  // Browser reports go to the first active SIP leg (the SIP side keeps per-m-line RTCP).
  for (auto& leg : legs_) {
    if (leg && leg->plan.active) {
      leg->endpoint->sendRtcp(std::span<const uint8_t>(packet));
      return;
    }
  }
}

void OutgoingCall::relayFromSip(SipLeg& leg, std::span<uint8_t> packet) {
  // SIP -> browser: map the PT, present the SSRC we announced, protect in place.
  if (!leg.plan.relaySipToBrowser || packet.size() < 12 || !webrtc_) return;
  auto pt = leg.plan.sipToBrowserPt.lookup(packet[1] & 0x7f);
  if (!pt) return;
  packet[1] = uint8_t((packet[1] & 0x80) | *pt);
  if (leg.plan.localSsrc) store32(packet.data() + 8, leg.plan.localSsrc);
  webrtc_->sendRtp(media::withTailroom(packet), packet.size());
}

void OutgoingCall::terminate(CallStatus status, int sipStatus, std::string info) {
  if (!clientTerminal_) {
    clientTerminal_ = true;
    report(status, sipStatus, std::move(info));
  }
  stopMedia();
  if (!sipDone_ && invite_ && !hangupSent_) {
    hangupSent_ = true;
    invite_->hangup();  // CANCEL before the answer, BYE after
  }
  maybeDone();
}

void OutgoingCall::hangup() {
  CG_INFO("call {}: hangup by client", snapshot_.callId);
  terminate(CallStatus::Finish, 0, "Normal call clearing");
}

Result<void> OutgoingCall::sendDtmf(const std::string& digits, const std::string& type) {
  if (!established_ || clientTerminal_ || !invite_ || invite_->state() != sip::ua::OutgoingInvite::State::Confirmed) {
    return makeError("Call is not established");
  }
  const bool relay = type == "INFO_RELAY";
  if (type != "INFO" && !relay) {
    // §2.6: RFC2833 is the client's default type; an empty type means it.
    return makeError("DTMF type " + (type.empty() ? std::string("RFC2833") : type) + " is not supported yet");
  }
  if (digits.empty()) return makeError("No DTMF digits");
  // The DTMF events of RFC 4733 §3.2 that application/dtmf-relay can carry: 0-9 * # A-D.
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '*' && c != '#' && !(c >= 'A' && c <= 'D') &&
        !(c >= 'a' && c <= 'd')) {
      return makeError("Invalid DTMF digit");
    }
  }
  for (char c : digits) {
    const std::string digit(1, static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    Result<void> sent = relay ? invite_->sendInfo("application/dtmf-relay", "Signal=" + digit + "\r\nDuration=160\r\n")
                              : invite_->sendInfo("application/dtmf", digit);
    if (!sent) return sent;
  }
  CG_INFO("call {}: DTMF {} sent as {}", snapshot_.callId, digits, type);
  return {};
}

void OutgoingCall::abandon() {
  clientTerminal_ = true;  // the client is gone: nothing more to tell it
  terminate(CallStatus::Finish, 0, {});
}

void OutgoingCall::stopMedia() {
  if (activity_) activity_->stop();
  if (webrtc_) webrtc_->close();
  for (auto& leg : legs_)
    if (leg && leg->endpoint) leg->endpoint->close();
}

void OutgoingCall::maybeDone() {
  if (!clientTerminal_ || !sipDone_ || doneReported_) return;
  doneReported_ = true;
  // Posted: the owner destroys us, which must not happen inside our own callback.
  asio::post(worker_.io, [alive = std::weak_ptr<char>(alive_), this] {
    if (!alive.expired()) owner_.onCallDone(snapshot_.callId);
  });
}

}  // namespace callgate::gateway
