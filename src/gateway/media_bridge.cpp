#include "gateway/media_bridge.hpp"

#include <chrono>

#include "common/bytes.hpp"
#include "common/log.hpp"
#include "common/random.hpp"
#include "media/packet_buffer.hpp"
#include "media/rtcp_feedback.hpp"

namespace callgate::gateway {

namespace asio = boost::asio;

// One m-line toward the SIP peer: its RTP/RTCP sockets, what offer/answer decided, and the
// DTMF state of the stream we send there and the one we receive.
struct MediaBridge::SipLeg final : media::RtpEndpoint::Listener {
  MediaBridge& bridge;
  size_t index;
  std::unique_ptr<media::RtpEndpoint> endpoint;
  sdp::MediaPlan plan;
  std::unique_ptr<media::dtmf::DtmfInjector> dtmfOut;
  media::dtmf::DtmfDetector dtmfIn;

  uint32_t peerSsrc = 0;     // the SIP peer's SSRC, from its last RTP (keyframe requests name it)
  uint32_t browserSsrc = 0;  // the browser's SSRC on this m-line, from its last RTP (our PLIs name it)
  std::chrono::steady_clock::time_point lastKeyframeAsk{};

  SipLeg(MediaBridge& b, size_t i) : bridge(b), index(i) {}
  void onRtp(std::span<uint8_t> packet) override { bridge.relayFromSip(*this, packet); }
  void onRtcp(std::span<uint8_t> packet) override { bridge.relayRtcpFromSip(*this, packet); }
};

namespace {
std::optional<asio::ip::udp::endpoint> endpointOf(const std::string& address, uint16_t port) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec || port == 0) return std::nullopt;
  return asio::ip::udp::endpoint(ip, port);
}
}  // namespace

MediaBridge::MediaBridge(WorkerContext& worker, std::string callId, Listener& listener)
    : worker_(worker), callId_(std::move(callId)), listener_(listener) {}

MediaBridge::~MediaBridge() { close(); }

Result<void> MediaBridge::open(media::dtls::DtlsRole role, const std::vector<bool>& wantLeg) {
  media::WebRtcTransportConfig config;
  boost::system::error_code ec;
  config.bindIp = asio::ip::make_address(worker_.settings.bindIp, ec);
  if (ec) return makeError("Invalid bind address " + worker_.settings.bindIp);
  config.iceTimeout = worker_.settings.iceTimeout;
  config.dtlsTimeout = worker_.settings.iceTimeout;
  config.dtlsRole = role;
  auto transport = media::WebRtcTransport::create(worker_.io, worker_.ports, config, *this);
  if (!transport) return makeError("Failed by session creation: " + transport.error().message);
  webrtc_ = std::move(*transport);

  legs_.resize(wantLeg.size());
  localSsrcs_.clear();
  media::RtpEndpointConfig legConfig;
  legConfig.bindIp = config.bindIp;
  for (size_t i = 0; i < wantLeg.size(); ++i) {
    localSsrcs_.push_back(randomU32() | 1);
    if (!wantLeg[i]) continue;
    auto leg = std::make_unique<SipLeg>(*this, i);
    auto endpoint = media::RtpEndpoint::create(worker_.io, worker_.ports, legConfig, *leg);
    if (!endpoint) return makeError("Failed by session creation: " + endpoint.error().message);
    leg->endpoint = std::move(*endpoint);
    SipLeg* raw = leg.get();
    leg->dtmfOut = std::make_unique<media::dtmf::DtmfInjector>(
        worker_.io, [raw](std::span<const uint8_t> packet) { raw->endpoint->sendRtp(packet); });
    legs_[i] = std::move(leg);
  }
  return {};
}

void MediaBridge::keepLegs(const std::vector<bool>& keep) {
  for (size_t i = 0; i < legs_.size(); ++i) {
    if (legs_[i] && (i >= keep.size() || !keep[i])) legs_[i].reset();  // frees the ports at once
  }
}

std::vector<uint16_t> MediaBridge::sipPorts() const {
  std::vector<uint16_t> ports(legs_.size(), 0);
  for (size_t i = 0; i < legs_.size(); ++i)
    if (legs_[i]) ports[i] = legs_[i]->endpoint->localRtpPort();
  return ports;
}

void MediaBridge::describeLocal(sdp::WebRtcLocalParams& params, size_t mLines) const {
  params.sessionId = randomU32();
  params.sessionVersion = 1;
  params.iceUfrag = webrtc_->localUfrag();
  params.icePwd = webrtc_->localPwd();
  params.fingerprint = media::WebRtcTransport::localFingerprintSha256();
  params.candidateIp = worker_.settings.advertiseIp;
  params.candidatePort = webrtc_->localPort();
  params.streamId = randomToken(16);
  params.ssrcs.assign(localSsrcs_.begin(), localSsrcs_.end());
  params.ssrcs.resize(mLines, 0);
}

Result<void> MediaBridge::applyPlans(std::vector<sdp::MediaPlan> plans) {
  browserRoutes_.fill(BrowserRoute{});
  for (auto& plan : plans) {
    if (!plan.active || plan.index >= legs_.size() || !legs_[plan.index]) continue;
    auto& leg = legs_[plan.index];
    if (!plan.localSsrc && plan.index < localSsrcs_.size()) plan.localSsrc = localSsrcs_[plan.index];
    for (int pt = 0; pt < 128; ++pt) {
      if (auto sipPt = plan.browserToSipPt.lookup(uint8_t(pt)))
        browserRoutes_[pt] = BrowserRoute{int8_t(plan.index), *sipPt};
    }
    auto rtp = endpointOf(plan.sipRemoteAddress, plan.sipRemoteRtpPort);
    if (!rtp) {
      // c=0.0.0.0 (RFC 2543 hold) or port 0: nothing to send to for now.
      if (plan.relayBrowserToSip) return makeError("Invalid SIP media address " + plan.sipRemoteAddress);
    } else {
      auto rtcp = endpointOf(plan.sipRemoteRtcpAddress.empty() ? plan.sipRemoteAddress : plan.sipRemoteRtcpAddress,
                             plan.sipRemoteRtcpPort);
      leg->endpoint->setRemote(*rtp, rtcp);
    }
    leg->plan = plan;
    CG_INFO("call {}: m-line {} {} to {}:{} codec {} ({}{})", callId_, plan.index, plan.media, plan.sipRemoteAddress,
            plan.sipRemoteRtpPort, plan.codecs.empty() ? "-" : plan.codecs.front().name,
            plan.relayBrowserToSip ? "send" : "", plan.relaySipToBrowser ? "recv" : "");
  }
  plans_ = std::move(plans);
  if (monitoring_) rebuildMonitor();
  return {};
}

void MediaBridge::startWebRtc(const media::WebRtcRemoteParameters& remote) {
  if (webrtc_) webrtc_->start(remote);
}

void MediaBridge::startMonitor() {
  monitoring_ = true;
  rebuildMonitor();
}

void MediaBridge::rebuildMonitor() {
  if (activity_) activity_->stop();
  activity_.reset();
  if (!monitoring_ || held_ || closed_ || worker_.settings.mediaTimeout.count() <= 0) return;
  activity_.emplace(worker_.io, *this, worker_.settings.mediaTimeout);
  activity_->watch(webrtc_->counters());
  for (auto& leg : legs_)
    // A peer that sends nothing by SDP (sendonly toward it, inactive) is not expected to.
    if (leg && leg->plan.active && leg->plan.relaySipToBrowser) activity_->watch(leg->endpoint->counters());
  activity_->start();
}

void MediaBridge::setHeld(bool held) {
  if (held_ == held) return;
  held_ = held;
  CG_INFO("call {}: media {}", callId_, held ? "held (relay stopped)" : "resumed");
  rebuildMonitor();
}

Result<void> MediaBridge::sendDtmf(const std::string& digits) {
  for (auto& leg : legs_) {
    if (!leg || !leg->plan.active || leg->plan.media != "audio") continue;
    if (!leg->plan.sipTelephoneEventPt) {
      return makeError("The SIP side did not negotiate telephone-event (RFC 4733); use INFO");
    }
    uint32_t rate = 8000;
    for (const auto& codec : leg->plan.codecs)
      if (codec.sipPt == *leg->plan.sipTelephoneEventPt) rate = codec.clockRate;
    return leg->dtmfOut->send(digits, *leg->plan.sipTelephoneEventPt, rate);
  }
  return makeError("The call has no audio toward SIP");
}

void MediaBridge::close() {
  if (closed_) return;
  closed_ = true;
  if (activity_) activity_->stop();
  if (webrtc_) webrtc_->close();
  for (auto& leg : legs_) {
    if (!leg) continue;
    if (leg->dtmfOut) leg->dtmfOut->stop();
    if (leg->endpoint) leg->endpoint->close();
  }
}

void MediaBridge::onConnected() {
  CG_INFO("call {}: WebRTC media connected ({})", callId_,
          webrtc_->selectedRemote() ? webrtc_->selectedRemote()->address().to_string() : "?");
}

void MediaBridge::onFailed(std::string_view reason) { listener_.onMediaFailed(std::string(reason), false); }

void MediaBridge::onRemoteClosed() { listener_.onMediaFailed("The browser closed the media connection", true); }

void MediaBridge::onMediaInactive(size_t, std::string_view reason) { listener_.onMediaFailed(std::string(reason), false); }

void MediaBridge::onRtp(std::span<uint8_t> packet) {
  // Browser -> SIP. BUNDLE: the payload type tells the m-line (browser PTs are unique).
  if (packet.size() < 12 || held_) return;
  const uint8_t pt = packet[1] & 0x7f;
  const BrowserRoute route = browserRoutes_[pt];
  if (route.leg < 0) return;
  SipLeg* leg = legs_[size_t(route.leg)].get();
  if (!leg || !leg->plan.relayBrowserToSip) return;
  leg->browserSsrc = load32(packet.data() + 8);
  packet[1] = uint8_t((packet[1] & 0x80) | route.sipPt);
  if (!leg->dtmfOut->onForwarded(packet)) return;  // a DTMF event we inject replaces the audio
  leg->endpoint->sendRtp(std::span<const uint8_t>(packet));
}

void MediaBridge::onRtcp(std::span<uint8_t> packet) {
  if (held_ || packet.size() > media::kMaxDatagram) return;
  // Browser RTCP (BUNDLE: one stream for all m-lines). Reports go to the first active SIP
  // leg as before; PLI/FIR go to the leg whose announced SSRC they name, translated to the
  // peer's; REMB/transport-cc and other feedback end here (rtcp_feedback.hpp).
  if (!rtcpScratch_) rtcpScratch_ = std::make_unique<media::PacketBuffer>();
  bool reportsSent = false;
  for (auto& leg : legs_) {
    if (!leg || !leg->plan.active) continue;
    const media::BrowserRtcpRoute route{leg->plan.localSsrc, leg->peerSsrc, !reportsSent};
    reportsSent = true;
    auto& scratch = rtcpScratch_->bytes;
    std::copy(packet.begin(), packet.end(), scratch.begin());
    const auto filtered = media::filterBrowserRtcp(std::span<uint8_t>(scratch.data(), media::kMaxDatagram),
                                                   packet.size(), route);
    if (filtered.malformed) return;
    if (filtered.keyframeRequests)
      CG_DEBUG("call {}: keyframe request from the browser -> SIP m-line {}", callId_, leg->index);
    if (filtered.keyframeAsked) browserAskedForKeyframe(*leg);
    if (filtered.length) leg->endpoint->sendRtcp(std::span<const uint8_t>(scratch.data(), filtered.length));
  }
}

void MediaBridge::browserAskedForKeyframe(SipLeg& leg) {
  // Phones without RTCP feedback in their SDP often still honour a PLI (which was sent when
  // their SSRC was known), but the ones that do not only understand SIP INFO (RFC 5168).
  if (leg.plan.sipKeyframeFeedback || leg.plan.media != "video") return;
  const auto now = std::chrono::steady_clock::now();
  // Browsers repeat PLIs every few hundred ms until a keyframe arrives; one INFO a second.
  if (now - leg.lastKeyframeAsk < std::chrono::seconds(1)) return;
  leg.lastKeyframeAsk = now;
  listener_.onBrowserWantsKeyframe();
}

bool MediaBridge::requestBrowserKeyframe() {
  if (held_ || !webrtc_) return false;
  for (auto& leg : legs_) {
    if (!leg || !leg->plan.active || leg->plan.media != "video" || !leg->browserSsrc) continue;
    if (!rtcpScratch_) rtcpScratch_ = std::make_unique<media::PacketBuffer>();
    auto& buffer = rtcpScratch_->bytes;
    const size_t length = media::writePliCompound(buffer, leg->plan.localSsrc ? leg->plan.localSsrc : 1, leg->browserSsrc);
    if (!length) return false;
    CG_DEBUG("call {}: PLI to the browser for m-line {}", callId_, leg->index);
    return webrtc_->sendRtcp(std::span<uint8_t>(buffer.data(), buffer.size()), length);
  }
  return false;
}

void MediaBridge::relayRtcpFromSip(SipLeg& leg, std::span<uint8_t> packet) {
  // SIP -> browser: only keyframe requests (their media SSRC is the browser's own stream,
  // which we relay unchanged); the phone's reports describe SSRCs the browser never saw.
  if (held_ || !webrtc_ || !leg.plan.active || !leg.plan.relayBrowserToSip) return;
  // Room for the RR put in front; the rest of the tailroom stays for the SRTCP trailer.
  const auto room = media::withTailroom(packet).first(packet.size() + media::kEmptyRrSize);
  const auto filtered = media::filterSipRtcp(room, packet.size(), leg.plan.localSsrc);
  if (!filtered.length) return;
  CG_DEBUG("call {}: keyframe request from SIP m-line {} -> browser", callId_, leg.index);
  webrtc_->sendRtcp(media::withTailroom(packet), filtered.length);
}

void MediaBridge::relayFromSip(SipLeg& leg, std::span<uint8_t> packet) {
  if (packet.size() < 12 || !webrtc_) return;
  leg.peerSsrc = load32(packet.data() + 8);
  if (leg.plan.sipTelephoneEventPt) {
    if (auto digit = leg.dtmfIn.onPacket(ByteView(packet.data(), packet.size()), *leg.plan.sipTelephoneEventPt)) {
      CG_INFO("call {}: DTMF '{}' from SIP (RFC 4733)", callId_, *digit);
      listener_.onSipDtmf(*digit);
    }
  }
  // SIP -> browser: map the PT, present the SSRC we announced, protect in place.
  if (held_ || !leg.plan.relaySipToBrowser) return;
  auto pt = leg.plan.sipToBrowserPt.lookup(packet[1] & 0x7f);
  if (!pt) return;
  packet[1] = uint8_t((packet[1] & 0x80) | *pt);
  if (leg.plan.localSsrc) store32(packet.data() + 8, leg.plan.localSsrc);
  webrtc_->sendRtp(media::withTailroom(packet), packet.size());
}

}  // namespace callgate::gateway
