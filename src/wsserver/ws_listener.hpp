#pragma once
// Accepts WebSocket clients on one TCP port (ws or wss) and hands each to a worker:
// the socket is accepted directly onto the chosen worker's io_context, so the client's
// session, SIP user agent and calls all live on that one thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <functional>

#include "wsserver/ws_connection.hpp"
#include "common/result.hpp"

namespace callgate::wsserver {

struct WorkerChoice {
  boost::asio::io_context* io;
  gateway::UserSessionFactory* factory;
  api::SessionRegistry* registry = nullptr;  // the worker's kept sessions (keepAlive); null: none
};

class WsListener {
 public:
  // `pickWorker` is called on the acceptor's thread for each new client.
  WsListener(boost::asio::io_context& acceptorIo, std::function<WorkerChoice()> pickWorker,
             boost::asio::ssl::context* tls, WsSettings settings);
  Result<void> listen(const boost::asio::ip::tcp::endpoint& endpoint);
  void stop();
  uint16_t port() const;

 private:
  void acceptNext();

  boost::asio::ip::tcp::acceptor acceptor_;
  std::function<WorkerChoice()> pickWorker_;
  boost::asio::ssl::context* tls_;
  WsSettings settings_;
};

}  // namespace callgate::wsserver
