#pragma once
// Resolver: host name or IP literal -> PeerAddress for the next SIP hop.
//
// Plain A/AAAA lookup through Asio (IPv4 preferred); no NAPTR/SRV yet (RFC 3263), so a
// configured outbound proxy is used as host:port. IP literals resolve without a lookup.
// The callback always fires later on the io_context thread (never inside resolve()), and
// never after the Resolver is destroyed or cancel() was called.
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "common/result.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::sip::transport {

class Resolver {
 public:
  using Callback = std::function<void(Result<PeerAddress>)>;

  explicit Resolver(boost::asio::io_context& io);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // One lookup at a time: a new resolve() cancels the previous one.
  void resolve(std::string host, uint16_t port, Callback callback);
  void cancel();

 private:
  boost::asio::io_context& io_;
  boost::asio::ip::udp::resolver resolver_;
  std::shared_ptr<uint64_t> generation_ = std::make_shared<uint64_t>(0);
};

}  // namespace callgate::sip::transport
