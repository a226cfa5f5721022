#pragma once
// The SDK's WebSocket (Boost.Beast client, ws and wss). Lives on the SDK's io_context;
// every method and every callback runs on that thread. One write in flight, a bounded queue.
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "server_url.hpp"

namespace callgate::client::detail {

struct TlsSettings {
  bool verify = true;
  std::string trustedCertificateFile;
};

class WsTransport {
 public:
  struct Handlers {
    std::function<void()> onOpen;
    std::function<void(std::string text)> onMessage;
    // Once, after open failed or the open socket closed. error=false for a clean close.
    std::function<void(bool error, std::string info)> onClosed;
  };

  virtual ~WsTransport() = default;
  virtual void open() = 0;
  virtual void send(std::string text) = 0;
  // Starts a clean close; onClosed follows (bounded by a timer).
  virtual void close() = 0;
};

std::shared_ptr<WsTransport> makeWsTransport(boost::asio::io_context& io, ServerUrl url, TlsSettings tls,
                                             std::chrono::milliseconds timeout, WsTransport::Handlers handlers);

}  // namespace callgate::client::detail
