#pragma once
// One DTLS 1.2 association over memory BIOs (RFC 6347) carrying DTLS-SRTP key agreement
// (RFC 5764). The transport feeds received records in and sends what the endpoint emits;
// OpenSSL never touches a socket. Retransmission uses DTLSv1_get_timeout/handle_timeout on
// an asio timer; a handshake deadline turns a silent peer into a failure.
//
// Threading: everything runs on the io_context's thread. Listener callbacks fire
// synchronously from start(), receive(), setRemoteFingerprints() or a timer handler; a
// listener must not destroy the endpoint from inside a callback (post the destruction).
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "media/dtls/dtls_context.hpp"
#include "media/srtp/srtp_session.hpp"

namespace callgate::media::dtls {

// Our side of the handshake: Client for a=setup:active, Server for a=setup:passive.
enum class DtlsRole : uint8_t { Client, Server };

enum class DtlsFailure : uint8_t {
  FingerprintMismatch,  // peer certificate does not match the SDP fingerprint(s)
  HandshakeError,       // alert, protocol error, no common SRTP profile, key export failed
  Timeout,              // handshake not done within the deadline
};

// Keys for the two SRTP sessions (RFC 5764 §4.2): local = what we protect with.
struct SrtpKeyMaterial {
  srtp::SrtpProfile profile = srtp::SrtpProfile::AesCm128HmacSha1_80;
  std::array<uint8_t, srtp::kSrtpMaxKeySalt> local{};
  std::array<uint8_t, srtp::kSrtpMaxKeySalt> remote{};
  size_t length = 0;  // key + salt bytes used in local/remote
  ByteView localKeySalt() const { return {local.data(), length}; }
  ByteView remoteKeySalt() const { return {remote.data(), length}; }
};

class DtlsEndpoint {
 public:
  enum class State : uint8_t { New, Connecting, Connected, Failed, Closed };

  class Listener {
   public:
    virtual ~Listener() = default;
    // One datagram to send to the peer (records packed up to the MTU).
    virtual void onDtlsSend(ByteView datagram) = 0;
    // Handshake done and the peer's fingerprint verified. Fires once.
    virtual void onDtlsConnected(const SrtpKeyMaterial& keys) = 0;
    // Fires once; the endpoint is dead afterwards.
    virtual void onDtlsFailed(DtlsFailure failure, std::string_view detail) = 0;
    // The peer sent close_notify.
    virtual void onDtlsClosed() {}
  };

  static constexpr std::chrono::milliseconds kDefaultHandshakeTimeout{30000};
  // Conservative path MTU: IPv6 minimum (1280) minus IP/UDP headers, room for TURN later.
  static constexpr size_t kMtu = 1200;

  DtlsEndpoint(boost::asio::io_context& io, Listener& listener,
               std::chrono::milliseconds handshakeTimeout = kDefaultHandshakeTimeout);
  ~DtlsEndpoint();
  DtlsEndpoint(const DtlsEndpoint&) = delete;
  DtlsEndpoint& operator=(const DtlsEndpoint&) = delete;

  // From the remote SDP. May come after the handshake finished (server offer: the answer
  // can arrive late); verification then happens here.
  void setRemoteFingerprints(std::vector<Fingerprint> fingerprints);
  // Overrides the offered/accepted DTLS-SRTP profiles for this endpoint, in OpenSSL syntax
  // ("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80"). Before start(); false if invalid.
  bool setSrtpProfiles(const std::string& opensslList);
  // Client sends its ClientHello now; Server waits for one. Starts the deadline.
  void start(DtlsRole role);
  // One received datagram classified as DTLS (RFC 7983 first byte 20..63).
  void receive(ByteView datagram);
  // Sends close_notify if connected; no callbacks afterwards.
  void close();

  State state() const { return state_; }
  DtlsRole role() const { return role_; }

 private:
  void drive();
  void onHandshakeDone();
  void verifyAndConnect();
  void flushOutput();
  void armRetransmit();
  void fail(DtlsFailure failure, std::string detail);
  std::string opensslError() const;

  boost::asio::io_context& io_;
  Listener& listener_;
  std::chrono::milliseconds handshakeTimeout_;
  SSL* ssl_ = nullptr;
  BIO* rbio_ = nullptr;  // owned by ssl_
  BIO* wbio_ = nullptr;  // owned by ssl_
  DtlsRole role_ = DtlsRole::Server;
  State state_ = State::New;
  bool handshakeDone_ = false;  // fingerprint check may still be pending
  std::vector<Fingerprint> remoteFingerprints_;
  boost::asio::steady_timer retransmitTimer_;
  boost::asio::steady_timer deadlineTimer_;
  // Handlers hold a weak reference: a handler already queued when we are destroyed is a no-op.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

const char* toString(DtlsFailure f);

}  // namespace callgate::media::dtls
