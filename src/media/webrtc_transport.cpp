#include "media/webrtc_transport.hpp"

#include "common/log.hpp"
#include "common/random.hpp"
#include "media/failure_reasons.hpp"
#include "media/packet_buffer.hpp"
#include "media/rtp/demux.hpp"

namespace callgate::media {

using boost::asio::ip::udp;
using namespace std::chrono_literals;

namespace {
constexpr size_t kUfragLength = 8;
constexpr size_t kPwdLength = 24;
constexpr auto kMaxCheckInterval = 1600ms;  // RFC 5389 §7.2.1 style doubling from 100 ms
// ICE priority for our (host) candidate in controlling mode: RFC 8445 §5.1.2.1 with type
// preference 126 (host), local preference 65535, component 1.
constexpr uint32_t kHostPriority = (126u << 24) | (65535u << 8) | (256u - 1);
}  // namespace

Result<std::unique_ptr<WebRtcTransport>> WebRtcTransport::create(boost::asio::io_context& io, PortAllocator& ports,
                                                                 WebRtcTransportConfig config, Listener& listener) {
  if (config.localUfrag.empty()) config.localUfrag = randomToken(kUfragLength);
  if (config.localPwd.empty()) config.localPwd = randomToken(kPwdLength);
  // RFC 8839 §5.4: ufrag 4..256, pwd 22..256 characters.
  if (config.localUfrag.size() < 4 || config.localUfrag.size() > 256) return makeError("ICE ufrag must be 4..256 chars");
  if (config.localPwd.size() < 22 || config.localPwd.size() > 256) return makeError("ICE pwd must be 22..256 chars");
  std::unique_ptr<WebRtcTransport> t(new WebRtcTransport(io, std::move(config), listener));
  udp::socket sock(io);
  auto lease = ports.allocate(t->config_.bindIp, sock, nullptr);
  if (!lease) return lease.error();
  t->lease_ = std::move(*lease);
  t->socket_ = std::make_unique<UdpSocket>(std::move(sock), static_cast<UdpSocket::Listener&>(*t));
  t->socket_->setSendErrorCounter(&t->counters_.dropSendError);
  t->localEndpoint_ = t->socket_->localEndpoint();
  t->socket_->start();
  return t;
}

WebRtcTransport::WebRtcTransport(boost::asio::io_context& io, WebRtcTransportConfig config, Listener& listener)
    : io_(io),
      config_(std::move(config)),
      listener_(listener),
      localUfrag_(config_.localUfrag),
      localPwd_(config_.localPwd),
      responder_(config_.localUfrag, config_.localPwd),
      iceTimer_(io),
      dtls_(io, *this, config_.dtlsTimeout) {
  if (!config_.srtpProfiles.empty()) dtls_.setSrtpProfiles(config_.srtpProfiles);
}

WebRtcTransport::~WebRtcTransport() {
  iceTimer_.cancel();
  if (socket_) socket_->close();
}

const std::string& WebRtcTransport::localFingerprintSha256() {
  return dtls::DtlsContext::instance().fingerprintSha256();
}

std::optional<udp::endpoint> WebRtcTransport::selectedRemote() const {
  if (config_.iceMode == IceMode::Lite) return responder_.selected();
  if (iceSucceeded_) return remoteCandidate_;
  return std::nullopt;
}

std::optional<srtp::SrtpProfile> WebRtcTransport::srtpProfile() const {
  if (srtpOut_) return srtpOut_->profile();
  return std::nullopt;
}

void WebRtcTransport::setRemoteFingerprints(std::vector<dtls::Fingerprint> fingerprints) {
  dtls_.setRemoteFingerprints(std::move(fingerprints));
}

void WebRtcTransport::start(const WebRtcRemoteParameters& remote) {
  if (state_ != State::New) return;
  state_ = State::Connecting;
  started_ = Clock::now();
  if (!remote.fingerprints.empty()) dtls_.setRemoteFingerprints(remote.fingerprints);

  if (config_.iceMode == IceMode::Lite) {
    if (!remote.ufrag.empty()) responder_.setRemoteUfrag(remote.ufrag);
    armIceTimer(config_.iceTimeout);
  } else {
    if (!remote.candidate || remote.ufrag.empty() || remote.pwd.empty()) {
      fail(kFailedByIceError);
      return;
    }
    remoteCandidate_ = remote.candidate;
    agent_.emplace(localUfrag_, localPwd_, remote.ufrag, remote.pwd, kHostPriority);
    sendCheck(false);
    armIceTimer(checkInterval_);
  }

  if (config_.dtlsRole == dtls::DtlsRole::Server) {
    dtls_.start(dtls::DtlsRole::Server);
    if (!earlyDtls_.empty() && state_ == State::Connecting) {
      std::vector<uint8_t> early;
      early.swap(earlyDtls_);
      dtls_.receive(early);
    }
  }
  // Lite: checks that arrived before start() already validated an address.
  if (state_ == State::Connecting && config_.iceMode == IceMode::Lite && responder_.selected()) onIceSucceeded();
}

void WebRtcTransport::close() {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  iceTimer_.cancel();
  dtls_.close();  // may emit close_notify through onDtlsSend while the socket is still open
  if (socket_) socket_->close();
}

bool WebRtcTransport::sendRaw(ByteView datagram, const udp::endpoint& to) {
  if (!socket_->send(datagram, to)) {
    ++counters_.dropSendError;
    return false;
  }
  ++counters_.packetsOut;
  counters_.bytesOut += datagram.size();
  return true;
}

// ---- receive path -------------------------------------------------------------------------

void WebRtcTransport::onDatagram(UdpSocket&, std::span<uint8_t> packet, const udp::endpoint& from) {
  ++counters_.packetsIn;
  counters_.bytesIn += packet.size();
  if (state_ == State::Failed || state_ == State::Closed) return;
  switch (rtp::classifyPacket(packet)) {
    case rtp::PacketKind::Stun: return handleStun(packet, from);
    case rtp::PacketKind::Dtls: return handleDtls(packet, from);
    case rtp::PacketKind::Rtp: return handleSrtp(packet, from, false);
    case rtp::PacketKind::Rtcp: return handleSrtp(packet, from, true);
    case rtp::PacketKind::Unknown: ++counters_.dropMalformed; return;
  }
}

void WebRtcTransport::onReceiveError(UdpSocket&, const boost::system::error_code& ec) {
  // ICMP errors surface here on some kernels; the socket keeps working. Log, do not fail.
  CG_DEBUG("webrtc transport {}: receive error {}", localEndpoint_.port(), ec.message());
}

void WebRtcTransport::handleStun(std::span<uint8_t> packet, const udp::endpoint& from) {
  ++counters_.stunIn;
  if (config_.iceMode == IceMode::Lite) {
    const auto r = responder_.handle(packet, from, stunOut_);
    if (r.responseSize > 0) {
      sendRaw({stunOut_.data(), r.responseSize}, from);
      if (r.outcome != ice::IceLiteResponder::Outcome::Success) ++counters_.stunErrorsSent;
    }
    if (r.outcome == ice::IceLiteResponder::Outcome::Ignored) ++counters_.dropMalformed;
    if (r.outcome != ice::IceLiteResponder::Outcome::Success) return;
    lastConsent_ = Clock::now();
    if (r.selectedChanged && iceSucceeded_) {
      ++counters_.latchChanges;
      CG_INFO("webrtc transport {}: selected remote {}:{}", localEndpoint_.port(), from.address().to_string(),
              from.port());
    }
    if (state_ == State::Connecting && !iceSucceeded_) onIceSucceeded();
    return;
  }
  // Controlling: only responses from the candidate we check matter.
  if (!agent_ || !remoteCandidate_ || from != *remoteCandidate_) {
    ++counters_.dropUnknownSource;
    return;
  }
  const auto r = agent_->handleResponse(packet);
  switch (r.outcome) {
    case ice::ControllingAgent::Outcome::Success:
      lastConsent_ = Clock::now();
      if (!iceSucceeded_) onIceSucceeded();
      return;
    case ice::ControllingAgent::Outcome::ErrorReply:
      CG_WARN("webrtc transport {}: ICE check rejected with {}", localEndpoint_.port(), r.errorCode);
      fail(kFailedByIceError);
      return;
    case ice::ControllingAgent::Outcome::Ignored: ++counters_.dropMalformed; return;
  }
}

bool WebRtcTransport::sourceAllowed(const udp::endpoint& from) const {
  if (config_.iceMode == IceMode::Lite) return responder_.isValidated(from);
  return remoteCandidate_ && from == *remoteCandidate_;
}

void WebRtcTransport::handleDtls(std::span<uint8_t> packet, const udp::endpoint& from) {
  ++counters_.dtlsIn;
  if (!sourceAllowed(from)) {
    ++counters_.dropUnknownSource;
    return;
  }
  dtlsPeer_ = from;
  if (state_ == State::New) {
    // The peer's ClientHello beat our start(); keep the latest one and replay it there.
    earlyDtls_.assign(packet.begin(), packet.end());
    return;
  }
  dtls_.receive(packet);
}

void WebRtcTransport::countSrtpDrop(srtp::SrtpStatus st) {
  switch (st) {
    case srtp::SrtpStatus::AuthFail: ++counters_.dropSrtpAuth; break;
    case srtp::SrtpStatus::ReplayDrop: ++counters_.dropSrtpReplay; break;
    case srtp::SrtpStatus::BadPacket: ++counters_.dropMalformed; break;
    default: ++counters_.dropSrtpOther; break;
  }
}

void WebRtcTransport::handleSrtp(std::span<uint8_t> packet, const udp::endpoint& from, bool rtcp) {
  if (!srtpIn_ || state_ != State::Connected) {
    ++counters_.dropNotReady;
    return;
  }
  if (!sourceAllowed(from)) {
    ++counters_.dropUnknownSource;
    return;
  }
  size_t len = packet.size();
  const auto st = rtcp ? srtpIn_->unprotectRtcp(packet, len) : srtpIn_->unprotectRtp(packet, len);
  if (st != srtp::SrtpStatus::Ok) {
    countSrtpDrop(st);
    return;
  }
  if (rtcp) {
    ++counters_.rtcpIn;
    listener_.onRtcp(packet.first(len));
  } else {
    ++counters_.rtpIn;
    listener_.onRtp(packet.first(len));
  }
}

// ---- send path ----------------------------------------------------------------------------

bool WebRtcTransport::sendRtp(std::span<uint8_t> buffer, size_t len) {
  const auto& to = selectedRemote();
  if (state_ != State::Connected || !srtpOut_ || !to) {
    ++counters_.dropNotReady;
    return false;
  }
  const auto st = srtpOut_->protectRtp(buffer, len);
  if (st != srtp::SrtpStatus::Ok) {
    countSrtpDrop(st);
    return false;
  }
  if (!sendRaw(buffer.first(len), *to)) return false;
  ++counters_.rtpOut;
  return true;
}

bool WebRtcTransport::sendRtcp(std::span<uint8_t> buffer, size_t len) {
  const auto& to = selectedRemote();
  if (state_ != State::Connected || !srtpOut_ || !to) {
    ++counters_.dropNotReady;
    return false;
  }
  const auto st = srtpOut_->protectRtcp(buffer, len);
  if (st != srtp::SrtpStatus::Ok) {
    countSrtpDrop(st);
    return false;
  }
  if (!sendRaw(buffer.first(len), *to)) return false;
  ++counters_.rtcpOut;
  return true;
}

// ---- ICE ----------------------------------------------------------------------------------

void WebRtcTransport::onIceSucceeded() {
  iceSucceeded_ = true;
  lastConsent_ = Clock::now();
  // From now on the timer watches consent (lite) or refreshes it (controlling).
  armIceTimer(config_.iceMode == IceMode::Lite ? config_.consentTimeout : config_.consentInterval);
  if (config_.dtlsRole == dtls::DtlsRole::Client) dtls_.start(dtls::DtlsRole::Client);
  maybeConnected();
}

void WebRtcTransport::sendCheck(bool retransmit) {
  const size_t n = retransmit ? agent_->rebuildPending(stunOut_) : agent_->buildRequest(stunOut_, true);
  if (n > 0) sendRaw({stunOut_.data(), n}, *remoteCandidate_);
}

void WebRtcTransport::armIceTimer(std::chrono::milliseconds delay) {
  std::weak_ptr<char> alive = alive_;
  iceTimer_.expires_after(delay);
  iceTimer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    onIceTimer();
  });
}

void WebRtcTransport::onIceTimer() {
  if (state_ != State::Connecting && state_ != State::Connected) return;
  const auto now = Clock::now();
  if (!iceSucceeded_) {
    if (now - started_ >= config_.iceTimeout) {
      fail(kFailedByIceTimeout);
      return;
    }
    if (config_.iceMode == IceMode::Controlling) {
      sendCheck(true);
      checkInterval_ = std::min(checkInterval_ * 2, std::chrono::milliseconds(kMaxCheckInterval));
      armIceTimer(std::min(checkInterval_, std::chrono::duration_cast<std::chrono::milliseconds>(
                                               config_.iceTimeout - (now - started_))));
    } else {
      armIceTimer(std::chrono::duration_cast<std::chrono::milliseconds>(config_.iceTimeout - (now - started_)));
    }
    return;
  }
  // RFC 7675 §5.1: consent expires consentTimeout after the last authenticated check/response.
  const auto silent = now - lastConsent_;
  if (silent >= config_.consentTimeout) {
    fail(state_ == State::Connected ? kFailedByIceKeepAlive : kFailedByIceTimeout);
    return;
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(config_.consentTimeout - silent);
  if (config_.iceMode == IceMode::Controlling) {
    sendCheck(false);  // consent refresh: a new transaction each period
    armIceTimer(std::max(1ms, std::min(config_.consentInterval, left)));
  } else {
    armIceTimer(std::max(1ms, left));
  }
}

// ---- DTLS ---------------------------------------------------------------------------------

void WebRtcTransport::onDtlsSend(ByteView datagram) {
  std::optional<udp::endpoint> to = dtlsPeer_ ? dtlsPeer_ : selectedRemote();
  if (!to) {
    ++counters_.dropNotReady;
    return;
  }
  sendRaw(datagram, *to);
}

void WebRtcTransport::onDtlsConnected(const dtls::SrtpKeyMaterial& keys) {
  auto in = srtp::SrtpSession::create(srtp::SrtpSession::Direction::Inbound, keys.profile, keys.remoteKeySalt());
  auto out = srtp::SrtpSession::create(srtp::SrtpSession::Direction::Outbound, keys.profile, keys.localKeySalt());
  if (!in || !out) {
    CG_ERROR("webrtc transport {}: SRTP setup failed: {}", localEndpoint_.port(),
             (!in ? in.error() : out.error()).message);
    fail(kFailedByDtlsError);
    return;
  }
  srtpIn_.emplace(std::move(*in));
  srtpOut_.emplace(std::move(*out));
  dtlsConnected_ = true;
  maybeConnected();
}

void WebRtcTransport::onDtlsFailed(dtls::DtlsFailure failure, std::string_view detail) {
  CG_INFO("webrtc transport {}: DTLS failed: {}", localEndpoint_.port(), detail);
  fail(failure == dtls::DtlsFailure::FingerprintMismatch ? kFailedByDtlsFingerprint : kFailedByDtlsError);
}

void WebRtcTransport::onDtlsClosed() {
  if (state_ == State::Closed || state_ == State::Failed) return;
  listener_.onRemoteClosed();
}

void WebRtcTransport::maybeConnected() {
  if (state_ != State::Connecting || !iceSucceeded_ || !dtlsConnected_ || !srtpIn_ || !srtpOut_) return;
  state_ = State::Connected;
  listener_.onConnected();
}

void WebRtcTransport::fail(std::string_view reason) {
  if (state_ == State::Failed || state_ == State::Closed) return;
  state_ = State::Failed;
  iceTimer_.cancel();
  dtls_.close();
  CG_INFO("webrtc transport {}: {}", localEndpoint_.port(), reason);
  listener_.onFailed(reason);
}

}  // namespace callgate::media
