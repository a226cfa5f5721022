#include "wsserver/ws_connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <string>

#include "api/server/session_registry.hpp"
#include "common/log.hpp"

namespace callgate::wsserver {

// The WCS session logic and the static files served on the same ports live in api/.
using api::ClientSession;
using api::FrameSink;
using api::KeepAliveSettings;
using api::SessionRegistry;
using api::StaticKind;
using api::StaticLookup;
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

bool isExpectedShutdown(const beast::error_code& ec) {
  return ec == websocket::error::closed || ec == asio::error::operation_aborted || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == beast::error::timeout || ec == asio::ssl::error::stream_truncated;
}

template <class NextLayer>
class WsConnection final : public std::enable_shared_from_this<WsConnection<NextLayer>>, public FrameSink {
 public:
  template <class... Args>
  WsConnection(gateway::UserSessionFactory& factory, SessionRegistry* registry, const WsSettings& settings,
               Args&&... args)
      : ws_(std::forward<Args>(args)...),
        settings_(settings),
        pingTimer_(ws_.get_executor()),
        registry_(registry),
        session_(std::make_unique<ClientSession>(ws_.get_executor(), *this, factory,
                                                 KeepAliveSettings{settings.keepAliveProbes}, registry)),
        clientId_(session_->id()) {}

  void start() {
    beast::get_lowest_layer(ws_).expires_after(settings_.handshakeTimeout);
    if constexpr (kTls) {
      ws_.next_layer().async_handshake(asio::ssl::stream_base::server,
                                       [self = this->shared_from_this()](beast::error_code ec) {
                                         if (ec) return self->fail(ec, "tls handshake");
                                         self->readUpgrade();
                                       });
    } else {
      readUpgrade();
    }
  }

  void sendText(std::string text) override {
    if (closed_) return;
    queuedBytes_ += text.size();
    if (queuedBytes_ > settings_.maxQueuedBytes) {
      CG_WARN("client {}: send queue over {} bytes, disconnecting", clientId_, settings_.maxQueuedBytes);
      return abort();
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) writeNext();
  }

  void closeAfterSend() override {
    closeWhenDrained_ = true;
    if (queue_.empty()) closeSocket();
  }

  void adopt(std::unique_ptr<ClientSession> kept) override {
    // The asking session is on the stack (its onText called us): release it from the loop.
    std::shared_ptr<ClientSession> retired(std::move(session_));
    asio::post(ws_.get_executor(), [retired] {});
    session_ = std::move(kept);
    clientId_ = session_->id();
    if (finished_) finish();  // the socket died while this frame was processed
  }

  std::unique_ptr<ClientSession> release() override {
    // Called from another socket's frame on this worker's thread, never from our own loop,
    // so the session is not on our stack. Without it, finish() just releases us.
    auto session = std::move(session_);
    return session;
  }

 private:
  static constexpr bool kTls = !std::is_same_v<NextLayer, beast::tcp_stream>;

  void readUpgrade() {
    http::async_read(ws_.next_layer(), buffer_, request_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->fail(ec, "http read");
                       self->onRequest();
                     });
  }

  void onRequest() {
    if (!websocket::is_upgrade(request_)) return answerPlainHttp();
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(settings_.maxMessageBytes);
    ws_.async_accept(request_, [self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return self->fail(ec, "websocket accept");
      CG_DEBUG("client {}: websocket open", self->clientId_);
      self->open_ = true;
      self->read();
      self->schedulePing();
      if (!self->queue_.empty()) self->writeNext();
    });
  }

  // A plain HTTP request: the phone page, the Web SDK or /config.json (static_files.hpp).
  // Files are streamed by Beast's file_body; the connection stays open for the next request
  // (which may be the WebSocket upgrade) unless the client asked to close.
  void answerPlainHttp() {
    auto method = request_.method_string();
    auto target = request_.target();
    StaticLookup found = lookupStatic(std::string_view(method.data(), method.size()),
                                      std::string_view(target.data(), target.size()), settings_.http);
    bool head = request_.method() == http::verb::head;
    bool keepAlive = request_.keep_alive() && found.kind != StaticKind::Error;
    if (found.kind == StaticKind::File) {
      beast::error_code ec;
      http::file_body::value_type body;
      body.open(found.file.c_str(), beast::file_mode::scan, ec);
      if (ec) {
        found = StaticLookup{StaticKind::Error, 404, "not found", {}, {}};
      } else {
        if (head) {
          auto response = std::make_shared<http::response<http::empty_body>>(http::status::ok, request_.version());
          setCommonHeaders(*response, found.contentType, keepAlive);
          response->content_length(body.size());
          return writeHttp(response, keepAlive);
        }
        auto response = std::make_shared<http::response<http::file_body>>(http::status::ok, request_.version());
        setCommonHeaders(*response, found.contentType, keepAlive);
        response->body() = std::move(body);
        response->prepare_payload();
        return writeHttp(response, keepAlive);
      }
    }
    auto response = std::make_shared<http::response<http::string_body>>(http::status(found.status), request_.version());
    std::string body;
    if (found.kind == StaticKind::PageConfig) {
      body = pageDefaultsJson(settings_.http.pageDefaults);
      setCommonHeaders(*response, found.contentType, keepAlive);
    } else {
      body = found.reason + "\n";
      setCommonHeaders(*response, "text/plain; charset=utf-8", keepAlive);
      if (found.status == 405) response->set(http::field::allow, "GET, HEAD");
    }
    response->content_length(body.size());
    if (!head) response->body() = std::move(body);
    writeHttp(response, keepAlive);
  }

  template <class Response>
  static void setCommonHeaders(Response& response, std::string_view contentType, bool keepAlive) {
    response.set(http::field::server, "callgate");
    response.set(http::field::content_type, beast::string_view(contentType.data(), contentType.size()));
    response.set(http::field::cache_control, "no-cache");
    response.set("X-Content-Type-Options", "nosniff");
    response.keep_alive(keepAlive);
  }

  template <class Response>
  void writeHttp(std::shared_ptr<Response> response, bool keepAlive) {
    http::async_write(ws_.next_layer(), *response,
                      [self = this->shared_from_this(), response, keepAlive](beast::error_code ec, size_t) {
                        if (!ec && keepAlive) {
                          self->request_ = {};
                          beast::get_lowest_layer(self->ws_).expires_after(self->settings_.handshakeTimeout);
                          return self->readUpgrade();
                        }
                        beast::error_code ignored;
                        beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
                      });
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail(ec, "read");
      if (self->ws_.got_text() && self->session_) {
        auto data = self->buffer_.data();
        self->session_->onText(std::string_view(static_cast<const char*>(data.data()), data.size()));
      }
      self->buffer_.consume(self->buffer_.size());
      if (!self->closed_) self->read();
    });
  }

  void writeNext() {
    if (!open_) return;  // flushed once the upgrade completes
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()), [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->fail(ec, "write");
      self->queuedBytes_ -= self->queue_.front().size();
      self->queue_.pop_front();
      if (!self->queue_.empty()) return self->writeNext();
      if (self->closeWhenDrained_) self->closeSocket();
    });
  }

  void schedulePing() {
    pingTimer_.expires_after(settings_.keepAliveInterval);
    pingTimer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      if (!self->session_ || !self->session_->onKeepAliveTick()) return self->abort();
      self->schedulePing();
    });
  }

  void closeSocket() {
    if (closed_) return;
    ws_.async_close(websocket::close_code::normal,
                    [self = this->shared_from_this()](beast::error_code) { self->finish(); });
    closed_ = true;
  }

  void abort() {
    if (closed_ && finished_) return;
    closed_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    finish();
  }

  void fail(beast::error_code ec, const char* what) {
    if (!isExpectedShutdown(ec)) CG_INFO("client {}: {} ended: {}", clientId_, what, ec.message());
    closed_ = true;
    finish();
  }

  // The socket is gone: a keepAlive session goes to the registry for its grace period
  // (protocol §4.11); any other ends its calls and registration, then we release ourselves.
  void finish() {
    if (!finished_) {
      finished_ = true;
      pingTimer_.cancel();
      if (open_) CG_INFO("client {}: disconnected", clientId_);  // not for page requests
    }
    if (!session_) return;
    if (session_->wantsKeep()) return registry_->keep(std::move(session_));
    auto session = std::shared_ptr<ClientSession>(std::move(session_));
    session->shutdown([self = this->shared_from_this(), session] {});
  }

  websocket::stream<NextLayer> ws_;
  WsSettings settings_;
  asio::steady_timer pingTimer_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::deque<std::string> queue_;
  size_t queuedBytes_ = 0;
  bool open_ = false;
  bool closed_ = false;
  bool closeWhenDrained_ = false;
  bool finished_ = false;
  SessionRegistry* registry_;
  // Replaced when a `connection` re-attaches a kept session (adopt); null once handed on.
  std::unique_ptr<ClientSession> session_;
  std::string clientId_;  // for logs: the id of the session served
};

}  // namespace

void startWsConnection(tcp::socket socket, asio::ssl::context* tls, gateway::UserSessionFactory& factory,
                       SessionRegistry* registry, const WsSettings& settings) {
  if (tls) {
    std::make_shared<WsConnection<beast::ssl_stream<beast::tcp_stream>>>(factory, registry, settings,
                                                                         std::move(socket), *tls)
        ->start();
  } else {
    std::make_shared<WsConnection<beast::tcp_stream>>(factory, registry, settings, std::move(socket))->start();
  }
}

}  // namespace callgate::wsserver
