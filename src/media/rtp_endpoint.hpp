#pragma once
// The plain-RTP (SIP side) media endpoint: RTP on an even port, RTCP on port+1, RTCP also
// accepted on the RTP port when the peer multiplexes (RFC 5761). Symmetric RTP
// (RFC 4961): we send to where the peer's RTP comes from, which gets through NATs and
// SBCs that rewrite addresses.
//
// Latching rule: the first valid RTP packet after setRemote() latches its source; later a
// different source is only followed when it carries the latched SSRC (a NAT rebinding),
// so stray packets from elsewhere cannot steal the stream. Each change bumps
// counters().latchChanges and is logged.
//
// Threading and lifetime as WebRtcTransport: one io_context thread, no destruction from
// inside a callback.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <optional>
#include <span>

#include "common/result.hpp"
#include "media/port_allocator.hpp"
#include "media/transport_counters.hpp"
#include "media/udp_socket.hpp"

namespace callgate::media {

struct RtpEndpointConfig {
  boost::asio::ip::address bindIp = boost::asio::ip::address_v4::any();
  bool symmetricLatching = true;
};

class RtpEndpoint : private UdpSocket::Listener {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Validated RTP / RTCP compound. The span lives until return and has kPacketTailroom
    // writable bytes after it (withTailroom() for WebRtcTransport::sendRtp).
    virtual void onRtp(std::span<uint8_t> packet) = 0;
    virtual void onRtcp(std::span<uint8_t> packet) = 0;
  };

  static Result<std::unique_ptr<RtpEndpoint>> create(boost::asio::io_context& io, PortAllocator& ports,
                                                      RtpEndpointConfig config, Listener& listener);
  ~RtpEndpoint() override;

  // From the remote SDP (c= address, m= port, a=rtcp / a=rtcp-mux). Resets latching.
  // rtcp defaults to rtp port + 1, or the RTP address with rtcpMux.
  void setRemote(const boost::asio::ip::udp::endpoint& rtp,
                 std::optional<boost::asio::ip::udp::endpoint> rtcp = std::nullopt, bool rtcpMux = false);

  // Plain UDP sends (no SRTP); `len` bytes of `packet` are sent. False = dropped (counted).
  bool sendRtp(std::span<const uint8_t> packet);
  bool sendRtcp(std::span<const uint8_t> packet);
  // Same signature as WebRtcTransport for symmetric relay code; tailroom is not needed here.
  bool sendRtp(std::span<uint8_t> buffer, size_t len) { return sendRtp(std::span<const uint8_t>(buffer.first(len))); }
  bool sendRtcp(std::span<uint8_t> buffer, size_t len) { return sendRtcp(std::span<const uint8_t>(buffer.first(len))); }

  void close();

  uint16_t localRtpPort() const { return localRtp_.port(); }
  uint16_t localRtcpPort() const { return localRtcp_.port(); }
  boost::asio::ip::udp::endpoint localRtpEndpoint() const { return localRtp_; }

  std::optional<boost::asio::ip::udp::endpoint> remoteRtp() const { return remoteRtp_; }
  std::optional<boost::asio::ip::udp::endpoint> remoteRtcp() const { return remoteRtcp_; }
  bool latched() const { return latched_; }
  const TransportCounters& counters() const { return counters_; }

 private:
  RtpEndpoint(RtpEndpointConfig config, Listener& listener) : config_(config), listener_(listener) {}
  void onDatagram(UdpSocket& socket, std::span<uint8_t> packet, const boost::asio::ip::udp::endpoint& from) override;
  void handleRtp(std::span<uint8_t> packet, const boost::asio::ip::udp::endpoint& from);
  void handleRtcp(std::span<uint8_t> packet, const boost::asio::ip::udp::endpoint& from, bool muxed);
  bool send(UdpSocket& socket, std::span<const uint8_t> packet, const boost::asio::ip::udp::endpoint& to);

  RtpEndpointConfig config_;
  Listener& listener_;
  TransportCounters counters_;
  PortLease lease_;  // destroyed after the sockets
  std::unique_ptr<UdpSocket> rtpSocket_;
  std::unique_ptr<UdpSocket> rtcpSocket_;
  boost::asio::ip::udp::endpoint localRtp_;
  boost::asio::ip::udp::endpoint localRtcp_;

  std::optional<boost::asio::ip::udp::endpoint> remoteRtp_;
  std::optional<boost::asio::ip::udp::endpoint> remoteRtcp_;
  bool rtcpMux_ = false;
  bool latched_ = false;
  bool rtcpLatched_ = false;
  uint32_t latchedSsrc_ = 0;
};

}  // namespace callgate::media
