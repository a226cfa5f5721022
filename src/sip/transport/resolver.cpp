#include "sip/transport/resolver.hpp"

#include <boost/asio/post.hpp>

#include "sip/transport/via_routing.hpp"

namespace callgate::sip::transport {

namespace asio = boost::asio;

Resolver::Resolver(asio::io_context& io) : io_(io), resolver_(io) {}

Resolver::~Resolver() { cancel(); }

void Resolver::cancel() {
  ++*generation_;
  resolver_.cancel();
}

void Resolver::resolve(std::string host, uint16_t port, Callback callback) {
  cancel();
  uint64_t generation = *generation_;
  std::weak_ptr<uint64_t> weak = generation_;
  auto current = [weak, generation] {
    auto g = weak.lock();
    return g && *g == generation;
  };

  if (auto ip = parseIpLiteral(host)) {
    asio::post(io_, [current, callback = std::move(callback), address = PeerAddress{*ip, port}] {
      if (current()) callback(address);
    });
    return;
  }
  resolver_.async_resolve(host, std::to_string(port),
                          [current, callback = std::move(callback), host](
                              boost::system::error_code ec, asio::ip::udp::resolver::results_type results) {
                            if (!current()) return;
                            if (ec || results.empty()) {
                              callback(makeError("cannot resolve " + host + ": " +
                                                 (ec ? ec.message() : std::string("no address"))));
                              return;
                            }
                            asio::ip::udp::endpoint endpoint = results.begin()->endpoint();
                            for (const auto& entry : results) {
                              if (entry.endpoint().address().is_v4()) {
                                endpoint = entry.endpoint();
                                break;
                              }
                            }
                            callback(PeerAddress{endpoint.address(), endpoint.port()});
                          });
}

}  // namespace callgate::sip::transport
