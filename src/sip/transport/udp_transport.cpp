#include "sip/transport/udp_transport.hpp"

#include <boost/asio/buffer.hpp>

#include "common/log.hpp"
#include "sip/transport/bad_request.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::sip::transport {

namespace asio = boost::asio;
using asio::ip::udp;

Result<std::unique_ptr<UdpTransport>> UdpTransport::open(asio::io_context& io, UdpTransportConfig config) {
  auto ip = parseIpLiteral(config.bindIp);
  if (!ip) return makeError("invalid SIP bind address '" + config.bindIp + "'");
  if (ip->is_unspecified() && config.advertisedHost.empty()) {
    return makeError("SIP bind address " + config.bindIp + " is a wildcard: set an advertised host");
  }
  std::unique_ptr<UdpTransport> transport(new UdpTransport(io, std::move(config)));
  boost::system::error_code ec;
  udp::endpoint bindPoint(*ip, transport->config_.port);
  transport->socket_.open(bindPoint.protocol(), ec);
  if (!ec) transport->socket_.bind(bindPoint, ec);
  if (!ec) transport->socket_.non_blocking(true, ec);
  if (ec) {
    return makeError("cannot bind SIP UDP socket to " + PeerAddress{*ip, bindPoint.port()}.toString() + ": " +
                     ec.message());
  }
  auto local = transport->socket_.local_endpoint(ec);
  if (ec) return makeError("cannot read SIP socket address: " + ec.message());
  transport->local_ = PeerAddress{local.address(), local.port()};
  const auto& cfg = transport->config_;
  if (cfg.advertisedHost.empty()) {
    transport->advertisedHost_ = local.address().is_v6() ? "[" + local.address().to_string() + "]" : local.address().to_string();
  } else {
    transport->advertisedHost_ = cfg.advertisedHost;
  }
  transport->advertisedPort_ = cfg.advertisedPort != 0 ? cfg.advertisedPort : local.port();
  return transport;
}

UdpTransport::UdpTransport(asio::io_context& io, UdpTransportConfig config)
    : socket_(io), config_(std::move(config)) {}

UdpTransport::~UdpTransport() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpTransport::start(Listener& listener) {
  listener_ = &listener;
  receiveNext();
}

void UdpTransport::receiveNext() {
  socket_.async_receive_from(asio::buffer(buffer_), sender_,
                             [this, life = std::weak_ptr<char>(life_)](boost::system::error_code ec, size_t size) {
                               if (life.expired()) return;
                               if (ec == asio::error::operation_aborted) return;
                               if (!ec) {
                                 onDatagram(size);
                               } else if (ec != asio::error::connection_refused) {
                                 // ICMP errors surface on later reads on some systems; they are
                                 // not fatal for an unconnected socket.
                                 CG_DEBUG("sip udp receive error: {}", ec.message());
                               }
                               if (!life.expired() && socket_.is_open()) receiveNext();
                             });
}

void UdpTransport::onDatagram(size_t size) {
  ++stats_.received;
  std::string_view datagram(buffer_.data(), size);
  PeerAddress from{sender_.address(), sender_.port()};

  auto parsed = parseMessage(datagram, config_.limits);
  if (!parsed) {
    handleMalformed(datagram, parsed.error().message);
    return;
  }
  Message message = std::move(parsed.value());
  if (message.isRequest()) stampReceived(message, from);
  // The listener may destroy this transport only by posting (see header); no member access
  // after the call.
  listener_->onMessage(std::move(message), from);
}

void UdpTransport::handleMalformed(std::string_view datagram, const std::string& reason) {
  PeerAddress from{sender_.address(), sender_.port()};
  DatagramKind kind = classifyDatagram(datagram);
  if (kind == DatagramKind::KeepAlive) return;

  auto now = std::chrono::steady_clock::now();
  bool logNow = now - lastMalformedLog_ >= std::chrono::seconds(1);
  if (logNow) {
    CG_WARN("sip: malformed {} from {}: {}{}", kind == DatagramKind::Response ? "response" : "request", from.toString(),
            reason, suppressedLogs_ ? " (" + std::to_string(suppressedLogs_) + " more suppressed)" : std::string());
    lastMalformedLog_ = now;
    suppressedLogs_ = 0;
  } else {
    ++suppressedLogs_;
  }

  if (kind == DatagramKind::Response) {
    ++stats_.malformedResponses;
    return;
  }
  ++stats_.malformedRequests;
  if (kind == DatagramKind::Ack) return;  // §17.2.1: an ACK is never answered
  auto response = makeBadRequestResponse(datagram, reason);
  if (!response) {
    ++stats_.unreadableDropped;
    return;
  }
  // The Via may be what is broken, so answer the datagram's source (RFC 3581 behaviour).
  send(*response, from);
}

bool UdpTransport::send(const Message& message, const PeerAddress& to) {
  std::string wire = message.serialize();
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(wire), udp::endpoint(to.ip, to.port), 0, ec);
  if (ec) {
    ++stats_.sendErrors;
    CG_DEBUG("sip udp send to {} failed: {}", to.toString(), ec.message());
    return false;
  }
  ++stats_.sent;
  return true;
}

}  // namespace callgate::sip::transport
