#include "ws_transport.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <optional>

namespace callgate::client::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

constexpr size_t kMaxQueuedFrames = 1000;

std::string describe(const error_code& ec) {
  std::string text = ec.message();
  if (ec.category() == asio::error::get_ssl_category()) {
    // The verify result is more useful than "certificate verify failed" alone.
    char buf[256];
    ERR_error_string_n(static_cast<unsigned long>(ec.value()), buf, sizeof buf);
    text = buf;
  }
  return text;
}

// Plain: websocket::stream<tcp_stream>; TLS: websocket::stream<ssl_stream<tcp_stream>>.
template <class NextLayer>
class WsConnection : public WsTransport, public std::enable_shared_from_this<WsConnection<NextLayer>> {
 public:
  WsConnection(asio::io_context& io, ServerUrl url, std::chrono::milliseconds timeout, Handlers handlers,
               std::optional<asio::ssl::context> ssl)
      : io_(io),
        url_(std::move(url)),
        timeout_(timeout),
        handlers_(std::move(handlers)),
        ssl_(std::move(ssl)),
        resolver_(io),
        closeTimer_(io) {
    if constexpr (kTls)
      ws_.emplace(io, *ssl_);
    else
      ws_.emplace(io);
  }

  void open() override {
    auto self = this->shared_from_this();
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [self](error_code ec, tcp::resolver::results_type results) {
                              if (ec)
                                return self->fail("Cannot resolve host '" + self->url_.host + "': " + ec.message());
                              self->onResolved(results);
                            });
  }

  void send(std::string text) override {
    if (!opened_ || closing_) return;
    if (queue_.size() >= kMaxQueuedFrames) return fail("WebSocket send queue overflow (server not reading)");
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) writeNext();
  }

  void close() override {
    if (done_ || closing_) return;
    closing_ = true;
    if (!opened_) {
      beast::get_lowest_layer(*ws_).close();
      return finish(false, "Disconnected by the client");
    }
    // Bounded: a server that neither reads nor answers the close is dropped after 2 s.
    auto self = this->shared_from_this();
    closeTimer_.expires_after(std::chrono::seconds(2));
    closeTimer_.async_wait([self](error_code ec) {
      if (!ec) {
        beast::get_lowest_layer(*self->ws_).close();
        self->finish(false, "Disconnected by the client");
      }
    });
    // Beast allows one write-type operation at a time and a close is one: frames already
    // queued (a hangup just before a disconnect) go out first, then the close.
    if (queue_.empty()) startClose();
  }

 private:
  void startClose() {
    auto self = this->shared_from_this();
    ws_->async_close(websocket::close_code::normal, [self](error_code) {
      self->closeTimer_.cancel();
      self->finish(false, "Disconnected by the client");
    });
  }

  static constexpr bool kTls = !std::is_same_v<NextLayer, beast::tcp_stream>;

  void onResolved(const tcp::resolver::results_type& results) {
    auto self = this->shared_from_this();
    auto& lowest = beast::get_lowest_layer(*ws_);
    lowest.expires_after(timeout_);
    lowest.async_connect(results, [self](error_code ec, const tcp::endpoint&) {
      if (ec == asio::error::connection_refused)
        return self->fail("Connection refused by " + self->url_.hostPort() + " (is callgate running there?)");
      if (ec == beast::error::timeout)
        return self->fail("No answer from " + self->url_.hostPort() + " within " +
                          std::to_string(self->timeout_.count()) + " ms");
      if (ec) return self->fail("Cannot connect to " + self->url_.hostPort() + ": " + ec.message());
      self->onConnected();
    });
  }

  void onConnected() {
    auto self = this->shared_from_this();
    if constexpr (kTls) {
      auto& stream = ws_->next_layer();
      if (!SSL_set_tlsext_host_name(stream.native_handle(), url_.host.c_str()))
        return fail("TLS: cannot set the server name");
      stream.set_verify_callback(asio::ssl::host_name_verification(url_.host));
      stream.async_handshake(asio::ssl::stream_base::client, [self](error_code ec) {
        if (ec) {
          // The verify result names the reason: "self-signed certificate", "Hostname mismatch".
          long verify = SSL_get_verify_result(self->ws_->next_layer().native_handle());
          std::string detail =
              verify != X509_V_OK ? std::string(" (") + X509_verify_cert_error_string(verify) + ")" : "";
          return self->fail("TLS handshake with " + self->url_.hostPort() + " failed: " + describe(ec) + detail +
                            (ec.category() == asio::error::get_ssl_category()
                                 ? " (trust the server's certificate with trustedCertificateFile / --trust-cert)"
                                 : ""));
        }
        self->handshakeWebSocket();
      });
    } else {
      handshakeWebSocket();
    }
  }

  void handshakeWebSocket() {
    auto self = this->shared_from_this();
    ws_->async_handshake(url_.hostPort(), url_.target, [self](error_code ec) {
      if (ec) return self->fail("WebSocket handshake with " + self->url_.hostPort() + " failed: " + ec.message());
      // Beast's own timer handled connect; from here the protocol's pings keep the link.
      beast::get_lowest_layer(*self->ws_).expires_never();
      websocket::stream_base::timeout t{};
      t.handshake_timeout = self->timeout_;
      t.idle_timeout = websocket::stream_base::none();
      t.keep_alive_pings = false;
      self->ws_->set_option(t);
      self->ws_->text(true);
      self->opened_ = true;
      if (self->handlers_.onOpen) self->handlers_.onOpen();
      self->readNext();
    });
  }

  void readNext() {
    auto self = this->shared_from_this();
    ws_->async_read(buffer_, [self](error_code ec, size_t) {
      if (ec) {
        if (self->closing_) return self->finish(false, "Disconnected by the client");
        if (ec == websocket::error::closed) {
          auto reason = self->ws_->reason();
          std::string why = reason.reason.empty() ? "" : ": " + std::string(reason.reason.c_str());
          return self->finish(false, "Closed by the server (code " + std::to_string(reason.code) + why + ")");
        }
        return self->fail("Connection to " + self->url_.hostPort() + " lost: " + ec.message());
      }
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      if (self->handlers_.onMessage && !self->done_) self->handlers_.onMessage(std::move(text));
      if (!self->done_) self->readNext();
    });
  }

  void writeNext() {
    auto self = this->shared_from_this();
    ws_->async_write(asio::buffer(queue_.front()), [self](error_code ec, size_t) {
      if (ec) return self->fail("WebSocket write failed: " + ec.message());
      self->queue_.pop_front();
      if (!self->queue_.empty())
        self->writeNext();
      else if (self->closing_ && !self->done_)
        self->startClose();
    });
  }

  void fail(const std::string& info) {
    if (done_) return;
    error_code ignored;
    beast::get_lowest_layer(*ws_).socket().close(ignored);
    finish(true, info);
  }

  void finish(bool error, const std::string& info) {
    if (done_) return;
    done_ = true;
    closeTimer_.cancel();
    if (handlers_.onClosed) {
      auto h = std::move(handlers_.onClosed);
      handlers_ = {};
      h(error, info);
    }
  }

  asio::io_context& io_;
  ServerUrl url_;
  std::chrono::milliseconds timeout_;
  Handlers handlers_;
  std::optional<asio::ssl::context> ssl_;
  tcp::resolver resolver_;
  asio::steady_timer closeTimer_;
  std::optional<websocket::stream<NextLayer>> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool opened_ = false;
  bool closing_ = false;
  bool done_ = false;
};

}  // namespace

std::shared_ptr<WsTransport> makeWsTransport(asio::io_context& io, ServerUrl url, TlsSettings tls,
                                             std::chrono::milliseconds timeout, WsTransport::Handlers handlers) {
  if (!url.tls) {
    return std::make_shared<WsConnection<beast::tcp_stream>>(io, std::move(url), timeout, std::move(handlers),
                                                             std::nullopt);
  }
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  error_code ec;
  if (tls.verify) {
    ctx.set_default_verify_paths(ec);
    if (!tls.trustedCertificateFile.empty()) {
      ctx.load_verify_file(tls.trustedCertificateFile, ec);
      if (ec) {
        // Reported through onClosed like every other connect error.
        auto h = std::move(handlers.onClosed);
        std::string info = "Cannot load trusted certificate '" + tls.trustedCertificateFile + "': " + describe(ec);
        asio::post(io, [h, info] { h(true, info); });
        handlers = {};
      }
    }
    ctx.set_verify_mode(asio::ssl::verify_peer);
  } else {
    ctx.set_verify_mode(asio::ssl::verify_none);
  }
  return std::make_shared<WsConnection<beast::ssl_stream<beast::tcp_stream>>>(io, std::move(url), timeout,
                                                                              std::move(handlers), std::move(ctx));
}

}  // namespace callgate::client::detail
