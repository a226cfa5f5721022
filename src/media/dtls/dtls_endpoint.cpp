#include "media/dtls/dtls_endpoint.hpp"

#include <openssl/err.h>

#include <cstring>

#include "common/log.hpp"

namespace callgate::media::dtls {
namespace {

constexpr size_t kRecordHeader = 13;  // DTLS record: type, version, epoch, seq(48), length
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";  // RFC 5764 §4.2

}  // namespace

const char* toString(DtlsFailure f) {
  switch (f) {
    case DtlsFailure::FingerprintMismatch: return "fingerprint mismatch";
    case DtlsFailure::HandshakeError: return "handshake error";
    case DtlsFailure::Timeout: return "handshake timeout";
  }
  return "?";
}

DtlsEndpoint::DtlsEndpoint(boost::asio::io_context& io, Listener& listener,
                           std::chrono::milliseconds handshakeTimeout)
    : io_(io),
      listener_(listener),
      handshakeTimeout_(handshakeTimeout),
      retransmitTimer_(io),
      deadlineTimer_(io) {
  ssl_ = SSL_new(DtlsContext::instance().sslContext());
  rbio_ = BIO_new(BIO_s_mem());
  wbio_ = BIO_new(BIO_s_mem());
  if (!ssl_ || !rbio_ || !wbio_) {
    std::fputs("callgate: out of memory creating DTLS endpoint\n", stderr);
    std::abort();
  }
  // An empty read BIO means "no data yet", not EOF.
  BIO_set_mem_eof_return(rbio_, -1);
  BIO_set_mem_eof_return(wbio_, -1);
  SSL_set_bio(ssl_, rbio_, wbio_);
  SSL_set_mtu(ssl_, long(kMtu));
  DTLS_set_link_mtu(ssl_, long(kMtu));
}

DtlsEndpoint::~DtlsEndpoint() {
  retransmitTimer_.cancel();
  deadlineTimer_.cancel();
  SSL_free(ssl_);
}

std::string DtlsEndpoint::opensslError() const {
  char buf[256];
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown";
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

void DtlsEndpoint::setRemoteFingerprints(std::vector<Fingerprint> fingerprints) {
  remoteFingerprints_ = std::move(fingerprints);
  if (handshakeDone_ && state_ == State::Connecting) verifyAndConnect();
}

bool DtlsEndpoint::setSrtpProfiles(const std::string& list) {
  return state_ == State::New && SSL_set_tlsext_use_srtp(ssl_, list.c_str()) == 0;  // 0 = success
}

void DtlsEndpoint::start(DtlsRole role) {
  if (state_ != State::New) return;
  role_ = role;
  state_ = State::Connecting;
  if (role == DtlsRole::Client)
    SSL_set_connect_state(ssl_);
  else
    SSL_set_accept_state(ssl_);
  std::weak_ptr<char> alive = alive_;
  deadlineTimer_.expires_after(handshakeTimeout_);
  deadlineTimer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || state_ != State::Connecting) return;
    fail(DtlsFailure::Timeout, "DTLS handshake timeout");
  });
  if (role == DtlsRole::Client) drive();
}

void DtlsEndpoint::receive(ByteView datagram) {
  if (state_ != State::Connecting && state_ != State::Connected) return;
  if (datagram.empty() || datagram.size() > 0x7fffffff) return;
  BIO_write(rbio_, datagram.data(), int(datagram.size()));
  if (!handshakeDone_) {
    drive();
    return;
  }
  // After the handshake: alerts (close_notify) and retransmitted Finished flights; there is
  // no application data on a media-only association.
  std::array<uint8_t, 2048> sink;
  for (;;) {
    const int n = SSL_read(ssl_, sink.data(), int(sink.size()));
    if (n > 0) continue;
    const int err = SSL_get_error(ssl_, n);
    flushOutput();
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
    if (err == SSL_ERROR_ZERO_RETURN) {
      state_ = State::Closed;
      listener_.onDtlsClosed();
      return;
    }
    fail(DtlsFailure::HandshakeError, "DTLS read error: " + opensslError());
    return;
  }
}

void DtlsEndpoint::drive() {
  const int ret = SSL_do_handshake(ssl_);
  flushOutput();
  if (state_ != State::Connecting) return;
  if (ret == 1) {
    onHandshakeDone();
    return;
  }
  const int err = SSL_get_error(ssl_, ret);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    armRetransmit();
    return;
  }
  fail(DtlsFailure::HandshakeError, "DTLS handshake failed: " + opensslError());
}

void DtlsEndpoint::onHandshakeDone() {
  handshakeDone_ = true;
  retransmitTimer_.cancel();
  if (!remoteFingerprints_.empty()) verifyAndConnect();
  // else: wait for setRemoteFingerprints (the deadline still runs).
}

void DtlsEndpoint::verifyAndConnect() {
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (!peer) {
    fail(DtlsFailure::FingerprintMismatch, "peer sent no certificate");
    return;
  }
  // RFC 8122 §5: any of the offered fingerprints may match.
  bool match = false;
  for (const auto& f : remoteFingerprints_) {
    auto mine = certificateFingerprint(peer, f.algorithm);
    if (mine && *mine == f.value) {
      match = true;
      break;
    }
  }
  X509_free(peer);
  if (!match) {
    fail(DtlsFailure::FingerprintMismatch, "peer certificate does not match the SDP fingerprint");
    return;
  }

  const SRTP_PROTECTION_PROFILE* sp = SSL_get_selected_srtp_profile(ssl_);
  if (!sp) {
    fail(DtlsFailure::HandshakeError, "no common DTLS-SRTP profile");
    return;
  }
  SrtpKeyMaterial keys;
  if (sp->id == SRTP_AES128_CM_SHA1_80)
    keys.profile = srtp::SrtpProfile::AesCm128HmacSha1_80;
  else if (sp->id == SRTP_AEAD_AES_128_GCM)
    keys.profile = srtp::SrtpProfile::AeadAes128Gcm;
  else {
    fail(DtlsFailure::HandshakeError, "unexpected DTLS-SRTP profile");
    return;
  }
  const size_t keyLen = srtp::srtpKeyLength(keys.profile);
  const size_t saltLen = srtp::srtpSaltLength(keys.profile);
  // RFC 5764 §4.2: client_key | server_key | client_salt | server_salt.
  std::array<uint8_t, 2 * srtp::kSrtpMaxKeySalt> material;
  const size_t total = 2 * (keyLen + saltLen);
  if (SSL_export_keying_material(ssl_, material.data(), total, kExporterLabel, sizeof kExporterLabel - 1,
                                 nullptr, 0, 0) != 1) {
    fail(DtlsFailure::HandshakeError, "SRTP key export failed: " + opensslError());
    return;
  }
  const uint8_t* clientKey = material.data();
  const uint8_t* serverKey = clientKey + keyLen;
  const uint8_t* clientSalt = serverKey + keyLen;
  const uint8_t* serverSalt = clientSalt + saltLen;
  const bool client = role_ == DtlsRole::Client;
  std::memcpy(keys.local.data(), client ? clientKey : serverKey, keyLen);
  std::memcpy(keys.local.data() + keyLen, client ? clientSalt : serverSalt, saltLen);
  std::memcpy(keys.remote.data(), client ? serverKey : clientKey, keyLen);
  std::memcpy(keys.remote.data() + keyLen, client ? serverSalt : clientSalt, saltLen);
  keys.length = keyLen + saltLen;
  OPENSSL_cleanse(material.data(), material.size());

  state_ = State::Connected;
  deadlineTimer_.cancel();
  listener_.onDtlsConnected(keys);
  OPENSSL_cleanse(keys.local.data(), keys.local.size());
  OPENSSL_cleanse(keys.remote.data(), keys.remote.size());
}

void DtlsEndpoint::flushOutput() {
  // The memory BIO concatenates records; pack whole records into datagrams of at most kMtu
  // so a flight is not one oversized datagram (DTLS records never span datagrams, RFC 6347 §4.1.1).
  std::array<uint8_t, 8192> buf;
  while (BIO_ctrl_pending(wbio_) > 0) {
    const int n = BIO_read(wbio_, buf.data(), int(buf.size()));
    if (n <= 0) return;
    const size_t size = size_t(n);
    size_t start = 0, pos = 0;
    while (pos < size) {
      size_t rec = size - pos;  // a malformed tail (cannot happen with OpenSSL) goes out as is
      if (size - pos >= kRecordHeader) rec = std::min(size - pos, kRecordHeader + load16(buf.data() + pos + 11));
      if (pos > start && pos + rec - start > kMtu) {
        listener_.onDtlsSend(ByteView(buf.data() + start, pos - start));
        start = pos;
      }
      pos += rec;
    }
    if (pos > start) listener_.onDtlsSend(ByteView(buf.data() + start, pos - start));
  }
}

void DtlsEndpoint::armRetransmit() {
  timeval tv{};
  if (DTLSv1_get_timeout(ssl_, &tv) != 1) return;
  const auto delay = std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
  std::weak_ptr<char> alive = alive_;
  retransmitTimer_.expires_after(delay);
  retransmitTimer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || state_ != State::Connecting || handshakeDone_) return;
    // RFC 6347 §4.2.4: resend the last flight with a doubled timer (OpenSSL keeps the state).
    if (DTLSv1_handle_timeout(ssl_) < 0) {
      fail(DtlsFailure::HandshakeError, "DTLS retransmission failed: " + opensslError());
      return;
    }
    flushOutput();
    armRetransmit();
  });
}

void DtlsEndpoint::fail(DtlsFailure failure, std::string detail) {
  if (state_ == State::Failed || state_ == State::Closed) return;
  state_ = State::Failed;
  retransmitTimer_.cancel();
  deadlineTimer_.cancel();
  CG_DEBUG("dtls: {} ({})", toString(failure), detail);
  listener_.onDtlsFailed(failure, detail);
}

void DtlsEndpoint::close() {
  if (state_ == State::Connected) {
    SSL_shutdown(ssl_);
    flushOutput();
  }
  state_ = State::Closed;
  retransmitTimer_.cancel();
  deadlineTimer_.cancel();
}

}  // namespace callgate::media::dtls
