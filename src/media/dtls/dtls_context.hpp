#pragma once
// The one adapter that owns OpenSSL's DTLS state for the process: library init, the
// self-signed ECDSA P-256 certificate (RFC 8827 §6.5: browsers only check the fingerprint),
// its fingerprints, and the SSL_CTX every DtlsEndpoint is created from. Created once
// (std::call_once) on first use; SSL_CTX is safe to share across worker threads once set up.
#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callgate::media::dtls {

// An SDP a=fingerprint value (RFC 8122 §5): hash function name and "AB:CD:..." hex.
struct Fingerprint {
  std::string algorithm;  // lower case: "sha-256", "sha-1", "sha-512", ...
  std::string value;      // upper-case hex pairs separated by ':'
};

// Parses "sha-256 AB:CD:..." (case-insensitive); nullopt for unsupported hashes or bad hex.
std::optional<Fingerprint> parseFingerprint(std::string_view sdpValue);
// Digest of a certificate in the named hash ("sha-1", "sha-224", "sha-256", "sha-384", "sha-512").
std::optional<std::string> certificateFingerprint(X509* cert, std::string_view algorithm);

class DtlsContext {
 public:
  // Aborts if OpenSSL cannot create a key or context (a broken install, nothing to recover).
  static const DtlsContext& instance();

  SSL_CTX* sslContext() const { return ctx_; }
  // "AB:CD:..." of our certificate, for a=fingerprint:sha-256 in our SDP.
  const std::string& fingerprintSha256() const { return fingerprintSha256_; }

  DtlsContext(const DtlsContext&) = delete;
  DtlsContext& operator=(const DtlsContext&) = delete;

 private:
  DtlsContext();
  SSL_CTX* ctx_ = nullptr;  // process lifetime
  std::string fingerprintSha256_;
};

}  // namespace callgate::media::dtls
