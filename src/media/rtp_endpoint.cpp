#include "media/rtp_endpoint.hpp"

#include "common/log.hpp"
#include "media/rtp/demux.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace callgate::media {

using boost::asio::ip::udp;

Result<std::unique_ptr<RtpEndpoint>> RtpEndpoint::create(boost::asio::io_context& io, PortAllocator& ports,
                                                         RtpEndpointConfig config, Listener& listener) {
  std::unique_ptr<RtpEndpoint> e(new RtpEndpoint(config, listener));
  udp::socket rtp(io), rtcp(io);
  auto lease = ports.allocate(config.bindIp, rtp, &rtcp);
  if (!lease) return lease.error();
  e->lease_ = std::move(*lease);
  auto& self = static_cast<UdpSocket::Listener&>(*e);
  e->rtpSocket_ = std::make_unique<UdpSocket>(std::move(rtp), self);
  e->rtcpSocket_ = std::make_unique<UdpSocket>(std::move(rtcp), self);
  e->rtpSocket_->setSendErrorCounter(&e->counters_.dropSendError);
  e->rtcpSocket_->setSendErrorCounter(&e->counters_.dropSendError);
  e->localRtp_ = e->rtpSocket_->localEndpoint();
  e->localRtcp_ = e->rtcpSocket_->localEndpoint();
  e->rtpSocket_->start();
  e->rtcpSocket_->start();
  return e;
}

RtpEndpoint::~RtpEndpoint() { close(); }

void RtpEndpoint::close() {
  if (rtpSocket_) rtpSocket_->close();
  if (rtcpSocket_) rtcpSocket_->close();
}

void RtpEndpoint::setRemote(const udp::endpoint& rtp, std::optional<udp::endpoint> rtcp, bool rtcpMux) {
  remoteRtp_ = rtp;
  rtcpMux_ = rtcpMux;
  if (rtcp)
    remoteRtcp_ = rtcp;
  else
    remoteRtcp_ = rtcpMux ? rtp : udp::endpoint(rtp.address(), uint16_t(rtp.port() + 1));
  latched_ = false;
  rtcpLatched_ = false;
}

void RtpEndpoint::onDatagram(UdpSocket& socket, std::span<uint8_t> packet, const udp::endpoint& from) {
  ++counters_.packetsIn;
  counters_.bytesIn += packet.size();
  const auto kind = rtp::classifyPacket(packet);
  if (&socket == rtcpSocket_.get()) {
    if (kind == rtp::PacketKind::Rtcp) return handleRtcp(packet, from, false);
    ++counters_.dropMalformed;
    return;
  }
  if (kind == rtp::PacketKind::Rtp) return handleRtp(packet, from);
  if (kind == rtp::PacketKind::Rtcp) return handleRtcp(packet, from, true);  // RFC 5761 mux
  ++counters_.dropMalformed;
}

void RtpEndpoint::handleRtp(std::span<uint8_t> packet, const udp::endpoint& from) {
  const auto view = rtp::RtpHeaderView::parse(packet);
  if (!view) {
    ++counters_.dropMalformed;
    return;
  }
  if (config_.symmetricLatching && (!remoteRtp_ || from != *remoteRtp_)) {
    if (!latched_ || view->ssrc() == latchedSsrc_) {
      CG_INFO("rtp endpoint {}: latched RTP to {}:{} (ssrc {:08x})", localRtp_.port(), from.address().to_string(),
              from.port(), view->ssrc());
      remoteRtp_ = from;
      if (rtcpMux_ || !rtcpLatched_)
        remoteRtcp_ = rtcpMux_ ? from : udp::endpoint(from.address(), uint16_t(from.port() + 1));
      ++counters_.latchChanges;
    } else {
      ++counters_.dropUnknownSource;
      return;
    }
  }
  if (!latched_) {
    latched_ = true;
    latchedSsrc_ = view->ssrc();
  }
  ++counters_.rtpIn;
  listener_.onRtp(packet);
}

void RtpEndpoint::handleRtcp(std::span<uint8_t> packet, const udp::endpoint& from, bool muxed) {
  if (!rtp::validateRtcpCompound(packet)) {
    ++counters_.dropMalformed;
    return;
  }
  if (config_.symmetricLatching && !muxed && (!remoteRtcp_ || from != *remoteRtcp_) && !rtcpLatched_) {
    remoteRtcp_ = from;
    rtcpLatched_ = true;
    ++counters_.latchChanges;
  }
  ++counters_.rtcpIn;
  listener_.onRtcp(packet);
}

bool RtpEndpoint::send(UdpSocket& socket, std::span<const uint8_t> packet, const udp::endpoint& to) {
  if (!socket.send(packet, to)) {
    ++counters_.dropSendError;
    return false;
  }
  ++counters_.packetsOut;
  counters_.bytesOut += packet.size();
  return true;
}

bool RtpEndpoint::sendRtp(std::span<const uint8_t> packet) {
  if (!remoteRtp_) {
    ++counters_.dropNotReady;
    return false;
  }
  if (!send(*rtpSocket_, packet, *remoteRtp_)) return false;
  ++counters_.rtpOut;
  return true;
}

bool RtpEndpoint::sendRtcp(std::span<const uint8_t> packet) {
  if (!remoteRtcp_) {
    ++counters_.dropNotReady;
    return false;
  }
  // With rtcp-mux RTCP leaves from the RTP port, so the peer sees one 5-tuple.
  if (!send(rtcpMux_ ? *rtpSocket_ : *rtcpSocket_, packet, *remoteRtcp_)) return false;
  ++counters_.rtcpOut;
  return true;
}

}  // namespace callgate::media
