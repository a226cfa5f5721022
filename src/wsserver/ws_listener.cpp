#include "wsserver/ws_listener.hpp"

#include "common/log.hpp"

namespace callgate::wsserver {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

WsListener::WsListener(asio::io_context& acceptorIo, std::function<WorkerChoice()> pickWorker,
                       asio::ssl::context* tls, WsSettings settings)
    : acceptor_(acceptorIo), pickWorker_(std::move(pickWorker)), tls_(tls), settings_(settings) {}

Result<void> WsListener::listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return makeError("cannot listen on " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port()) +
                     ": " + ec.message());
  }
  acceptNext();
  return {};
}

void WsListener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

uint16_t WsListener::port() const {
  boost::system::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void WsListener::acceptNext() {
  WorkerChoice worker = pickWorker_();
  acceptor_.async_accept(*worker.io, [this, worker](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      CG_WARN("accept failed: {}", ec.message());
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      // Start on the worker's thread: everything the session does happens there.
      asio::post(*worker.io, [tls = tls_, settings = settings_, worker, socket = std::move(socket)]() mutable {
        startWsConnection(std::move(socket), tls, *worker.factory, worker.registry, settings);
      });
    }
    acceptNext();
  });
}

}  // namespace callgate::wsserver
