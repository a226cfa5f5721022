#pragma once
// One client WebSocket (ws or wss) carrying the WCS protocol to a ClientSession.
// - Accepts the upgrade on any path (protocol §1: old clients append /websocket); a plain
//   HTTP GET/HEAD gets the phone page's static files instead (static_files.hpp), keep-alive
//   until the client closes, sends an upgrade or stays idle for handshakeTimeout.
// - One write in flight, a bounded queue; a client that does not read is disconnected.
// - Sends the WCS `ping` every keepAliveInterval and closes after too many unanswered.
// - Oversized messages close the socket with 1009 (Beast's read_message_max).
// Lives on the worker io_context of its socket; owned by shared_ptr while I/O is pending.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

#include "api/server/client_session.hpp"
#include "api/server/session_registry.hpp"
#include "api/server/static_files.hpp"

namespace callgate::wsserver {

struct WsSettings {
  std::chrono::milliseconds keepAliveInterval{5000};
  int keepAliveProbes = 10;
  size_t maxMessageBytes = 1 << 20;
  size_t maxQueuedBytes = 4 << 20;
  std::chrono::seconds handshakeTimeout{10};
  // The phone page served on the same ports (plain HTTP requests).
  api::StaticSettings http;
};

// Starts serving `socket` (already accepted on its worker's io_context). With `tls` set, a
// TLS handshake comes first. `registry` (the worker's; may be null: nothing is kept) takes
// keepAlive sessions when their socket is lost and hands them to a re-attaching socket.
void startWsConnection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls,
                       gateway::UserSessionFactory& factory, api::SessionRegistry* registry, const WsSettings& settings);

}  // namespace callgate::wsserver
