#include "echo/echo_call.hpp"

#include <algorithm>
#include <array>

#include "common/bytes.hpp"
#include "common/log.hpp"
#include "common/random.hpp"
#include "echo/echo_answer.hpp"
#include "echo/key_frame_requests.hpp"
#include "media/packet_buffer.hpp"
#include "sdp/attributes.hpp"
#include "sdp/parser.hpp"
#include "sdp/session_update.hpp"
#include "sdp/writer.hpp"
#include "sip/ua/invite_helpers.hpp"

namespace callgate::echo {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// --- Stream ----------------------------------------------------------------------------------

EchoCall::Stream::Stream() : ssrc_(randomU32()) {}

Result<std::unique_ptr<EchoCall::Stream>> EchoCall::Stream::open(asio::io_context& io, media::PortAllocator& ports,
                                                                 const asio::ip::address& bindIp) {
  std::unique_ptr<Stream> s(new Stream());
  media::RtpEndpointConfig config;
  config.bindIp = bindIp;
  config.symmetricLatching = true;  // no remote until the first packet: we send nowhere before
  auto rtp = media::RtpEndpoint::create(io, ports, config, *s);
  if (!rtp) return rtp.error();
  s->rtp_ = std::move(*rtp);
  return s;
}

void EchoCall::Stream::relatch(const sdp::SessionDescription& remote, const sdp::MediaDescription& m) {
  // A re-offer may move the peer's media (RFC 3264 §8.3.1): forget the latched address so
  // the next packet, from wherever it comes, is followed.
  const sdp::Connection* c = remote.connectionFor(m);
  if (!c) return;
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(c->address, ec);
  if (ec) return;
  rtp_->setRemote(asio::ip::udp::endpoint(ip, m.port), std::nullopt, sdp::rtcpMux(m));
}

void EchoCall::Stream::onRtp(std::span<uint8_t> packet) {
  if (!sending_) return;
  // The RTP view already checked the 12-byte fixed header (RFC 3550 §5.1); SSRC at 8..11.
  callerSsrc_ = load32(packet.data() + 8);
  store32(packet.data() + 8, ssrc_);
  if (rtp_->sendRtp(std::span<const uint8_t>(packet))) ++echoed_;
}

void EchoCall::Stream::onRtcp(std::span<uint8_t> packet) {
  if (!sending_ || !callerSsrc_) return;
  std::array<uint8_t, media::kMaxDatagram> out;
  if (size_t n = turnAroundKeyFrameRequests(packet, ssrc_, *callerSsrc_, out); n > 0) {
    rtp_->sendRtcp(std::span<const uint8_t>(out.data(), n));
  }
}

// --- EchoCall --------------------------------------------------------------------------------

EchoCall::EchoCall(uint64_t id, sip::transaction::SipEndpoint& sip, media::PortAllocator& ports,
                   const EchoCallSettings& settings, Owner& owner)
    : id_(id),
      sip_(sip),
      ports_(ports),
      settings_(settings),
      owner_(owner),
      sessionId_(randomU32()),
      durationTimer_(sip.io()),
      mediaTimer_(sip.io()) {}

EchoCall::~EchoCall() {
  for (auto& s : streams_)
    if (s) s->close();
}

bool EchoCall::matches(const sip::Message& invite) const {
  if (std::string(invite.header("Call-ID").value_or("")) != callId_) return false;
  auto from = sip::parseNameAddr(invite.header("From").value_or(""));
  return from && from->tag().value_or("") == fromTag_;
}

uint64_t EchoCall::echoedPackets() const {
  uint64_t n = 0;
  for (const auto& s : streams_)
    if (s) n += s->echoed();
  return n;
}

std::optional<Refusal> EchoCall::start(const sip::Message& invite, const sip::transport::PeerAddress& from) {
  callId_ = std::string(invite.header("Call-ID").value_or(""));
  if (auto f = sip::parseNameAddr(invite.header("From").value_or(""))) fromTag_ = f->tag().value_or("");

  std::string body;
  if (auto offerText = sip::ua::sdpBody(invite)) {
    auto offer = sdp::parse(*offerText);
    if (!offer) return Refusal{400, "Invalid SDP: " + offer.error().message};
    auto built = answer(*offer, /*reoffer=*/false);
    if (!built) {
      bool noCodec = built.error().message == "No common codecs";
      return Refusal{noCodec ? 488 : 503, built.error().message};
    }
    body = std::move(*built);
  } else {
    // Delayed offer (RFC 3261 §13.2.1): we offer in the 200, the answer comes in the ACK.
    auto stream = Stream::open(sip_.io(), ports_, settings_.rtpBindIp);
    if (!stream) return Refusal{503, "No free media port"};
    local_ =
        buildEchoOffer(settings_.localIp, (*stream)->rtpPort(), (*stream)->rtcpPort(), sessionId_, sessionVersion_);
    streams_.push_back(std::move(*stream));
    body = sdp::write(local_);
  }

  sip::ua::Account account;
  account.login = settings_.user;
  invite_ = std::make_unique<sip::ua::IncomingInvite>(sip_, invite, from, account,
                                                      static_cast<sip::ua::IncomingInvite::Listener&>(*this));
  if (auto accepted = invite_->accept(std::move(body)); !accepted) {
    invite_.reset();  // answers 480 on the way out
    return Refusal{500, accepted.error().message};
  }
  CG_INFO("echo: call {} (Call-ID {}) from {} answered, {} m-line(s) echoed", id_, callId_, from.toString(),
          std::count_if(streams_.begin(), streams_.end(), [](const auto& s) { return s != nullptr; }));

  if (settings_.maxDuration.count() > 0) {
    durationTimer_.start(settings_.maxDuration, [this] {
      auto ms = settings_.maxDuration.count();
      hangup("maximum call duration of " + (ms % 1000 ? std::to_string(ms) + " ms" : std::to_string(ms / 1000) + " s") +
             " reached");
    });
  }
  lastActivity_ = Clock::now();
  armMediaCheck();
  return std::nullopt;
}

Result<std::string> EchoCall::answer(const sdp::SessionDescription& offer, bool reoffer) {
  if (reoffer && offer.media.size() < streams_.size()) {
    // RFC 3264 §8: m-lines are never removed from a session.
    return makeError("re-offer has fewer m-lines than the session");
  }
  streams_.resize(std::max(streams_.size(), offer.media.size()));
  EchoAnswerParams params;
  params.localIp = settings_.localIp;
  params.sessionId = sessionId_;
  params.sessionVersion = reoffer ? ++sessionVersion_ : sessionVersion_;
  for (size_t i = 0; i < offer.media.size(); ++i) {
    const auto& m = offer.media[i];
    if (!chooseEchoCodec(m)) {
      if (streams_[i]) streams_[i]->close();
      streams_[i].reset();
      params.ports.push_back(0);
      params.rtcpPorts.push_back(0);
      continue;
    }
    if (!streams_[i]) {
      auto stream = Stream::open(sip_.io(), ports_, settings_.rtpBindIp);
      if (!stream) return makeError("No free media port: " + stream.error().message);
      streams_[i] = std::move(*stream);
    }
    // RTP is only ever sent back to a packet's source; the SDP address matters for RTCP
    // (rtcp-mux or port + 1) and for re-latching after a re-offer.
    streams_[i]->relatch(offer, m);
    params.ports.push_back(streams_[i]->rtpPort());
    params.rtcpPorts.push_back(streams_[i]->rtcpPort());
  }
  auto built = buildEchoAnswer(offer, params);
  if (!built) return built.error();
  local_ = std::move(*built);
  applySending();
  return sdp::write(local_);
}

void EchoCall::applySending() {
  for (size_t i = 0; i < streams_.size(); ++i)
    if (streams_[i]) streams_[i]->setSending(echoSends(local_, i));
}

void EchoCall::armMediaCheck() {
  if (settings_.mediaTimeout.count() <= 0) return;
  // Poll the counters a few times per timeout instead of reading a clock per packet.
  auto period = std::max(std::chrono::milliseconds(10), settings_.mediaTimeout / 4);
  mediaTimer_.start(period, [this] {
    uint64_t inbound = 0;
    for (const auto& s : streams_)
      if (s) inbound += s->inbound();
    auto now = Clock::now();
    if (inbound != lastInbound_ || !echoExpectsMedia(local_)) lastActivity_ = now;
    lastInbound_ = inbound;
    if (now - lastActivity_ >= settings_.mediaTimeout) {
      hangup("no media for " + std::to_string(settings_.mediaTimeout.count()) + " ms");
      return;
    }
    armMediaCheck();
  });
}

void EchoCall::hangup(const std::string& why) {
  if (ending_ || done_ || !invite_) return;
  ending_ = true;
  CG_INFO("echo: call {} (Call-ID {}): hanging up: {}", id_, callId_, why);
  durationTimer_.cancel();
  mediaTimer_.cancel();
  invite_->hangup(480);
}

void EchoCall::cancelled() {
  if (invite_) invite_->cancelled();
}

void EchoCall::onConfirmed(std::string ackSdp) {
  CG_DEBUG("echo: call {} confirmed by the ACK", id_);
  if (ackSdp.empty()) return;
  // The answer to our delayed-offer SDP: nothing is echoed on an m-line the peer refused or
  // does not want to receive on (RFC 3264 §6.1).
  auto answer = sdp::parse(ackSdp);
  if (!answer) return;
  for (size_t i = 0; i < streams_.size() && i < answer->media.size(); ++i) {
    if (!streams_[i]) continue;
    const auto& m = answer->media[i];
    streams_[i]->setSending(m.port != 0 && sdp::receives(sdp::direction(*answer, m)));
  }
}

void EchoCall::onFailed(int status, std::string reason) { finish("failed: " + std::to_string(status) + " " + reason); }

Result<std::string> EchoCall::onRemoteOffer(const std::string& sdpText) {
  auto offer = sdp::parse(sdpText);
  if (!offer) return makeError("Invalid SDP: " + offer.error().message);
  auto built = answer(*offer, /*reoffer=*/true);
  if (built) CG_INFO("echo: call {}: re-INVITE answered ({})", id_, echoExpectsMedia(local_) ? "active" : "on hold");
  return built;
}

std::string EchoCall::onOfferRequested() {
  // A re-INVITE without SDP (§14.2): our last description again, sendrecv, next version.
  local_ = sdp::nextLocalDescription(local_, sdp::Direction::SendRecv);
  sessionVersion_ = std::stoull(local_.origin.sessionVersion);
  applySending();
  return sdp::write(local_);
}

Result<void> EchoCall::onReferRequested(const std::string& referTo) {
  return makeError("the echo endpoint does not transfer calls");
}

void EchoCall::finish(const std::string& why) {
  if (done_) return;
  done_ = true;
  durationTimer_.cancel();
  mediaTimer_.cancel();
  for (auto& s : streams_)
    if (s) s->close();
  CG_INFO("echo: call {} (Call-ID {}) finished: {} ({} packets echoed)", id_, callId_, why, echoedPackets());
  owner_.onEchoCallDone(id_);
}

}  // namespace callgate::echo
