#pragma once
// UdpTransport: SIP over one UDP socket (RFC 3261 §18).
//
// Contract:
// - One socket bound to (bindIp, port); port 0 = ephemeral. The advertised host/port used in
//   Via and Contact are configured separately (NAT, containers); by default they are the
//   bound address, which must then be a concrete (non-wildcard) IP.
// - Receives into one reusable 64 KiB buffer, parses with sip::parseMessage, and delivers
//   parsed messages to the Listener. Malformed requests get "400 <parser reason>" sent back
//   to the datagram's source; malformed responses are dropped, counted and logged (rate
//   limited). CRLF keep-alives are ignored.
// - send() serializes and writes synchronously on a non-blocking socket; a write that would
//   block is dropped and counted (UDP is lossy anyway; transactions retransmit).
// - Runs entirely on the io_context thread that runs `io`. Destroying the transport closes the
//   socket; no callback fires afterwards.
#include <array>
#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "common/result.hpp"
#include "sip/parser.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::sip::transport {

struct UdpTransportConfig {
  std::string bindIp = "127.0.0.1";
  uint16_t port = 0;              // 0 = ephemeral
  std::string advertisedHost;     // empty = the bound IP
  uint16_t advertisedPort = 0;    // 0 = the bound port
  ParseLimits limits;
};

class UdpTransport final : public Transport {
 public:
  // Opens and binds the socket. Errors: bad bind IP, bind failure (port in use), wildcard
  // bind without an advertised host.
  static Result<std::unique_ptr<UdpTransport>> open(boost::asio::io_context& io, UdpTransportConfig config);
  ~UdpTransport() override;

  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  void start(Listener& listener) override;
  bool send(const Message& message, const PeerAddress& to) override;
  std::string_view protocol() const override { return "UDP"; }
  const std::string& advertisedHost() const override { return advertisedHost_; }
  uint16_t advertisedPort() const override { return advertisedPort_; }
  const TransportStats& stats() const override { return stats_; }

  // The bound address (the real port when 0 was asked).
  PeerAddress localAddress() const { return local_; }

 private:
  UdpTransport(boost::asio::io_context& io, UdpTransportConfig config);
  void receiveNext();
  void onDatagram(size_t size);
  void handleMalformed(std::string_view datagram, const std::string& reason);

  boost::asio::ip::udp::socket socket_;
  UdpTransportConfig config_;
  Listener* listener_ = nullptr;

  PeerAddress local_;
  std::string advertisedHost_;
  uint16_t advertisedPort_ = 0;

  // Receive state: one buffer, reused for every datagram.
  std::array<char, 65536> buffer_{};
  boost::asio::ip::udp::endpoint sender_;

  TransportStats stats_;
  std::chrono::steady_clock::time_point lastMalformedLog_{};
  uint64_t suppressedLogs_ = 0;

  // Guards completion handlers queued before destruction.
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace callgate::sip::transport
