#include "media/dtls/dtls_context.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace callgate::media::dtls {
namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "callgate: DTLS init failed: %s\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

const EVP_MD* digestByName(std::string_view name) {
  if (name == "sha-1") return EVP_sha1();
  if (name == "sha-224") return EVP_sha224();
  if (name == "sha-256") return EVP_sha256();
  if (name == "sha-384") return EVP_sha384();
  if (name == "sha-512") return EVP_sha512();
  return nullptr;
}

std::string hexColon(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(n * 3);
  for (size_t i = 0; i < n; ++i) {
    if (i) out.push_back(':');
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

// Suites for both our ECDSA certificate (we are server) and an RSA or ECDSA peer
// certificate (we are client); DTLS 1.2 only, forward-secret, AEAD first.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA";

// RFC 5764 §4.1.2 / RFC 7714 §14.2 names. As server OpenSSL picks the first of this list the
// client offers. AEAD_AES_128_GCM comes first on purpose: with Debian's libsrtp2 (NSS crypto)
// a protect+unprotect round trip of a 172-byte packet costs ~4.4 us with AES-CM/HMAC-SHA1
// but ~2.3 us with GCM (bench/media_relay_bench.cpp BM_SrtpRoundTrip), and every current
// browser offers GCM. AES-CM stays for peers that do not.
constexpr const char* kSrtpProfiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";

}  // namespace

std::optional<Fingerprint> parseFingerprint(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  const size_t sp = s.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  Fingerprint f;
  for (char c : s.substr(0, sp)) f.algorithm.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  const EVP_MD* md = digestByName(f.algorithm);
  if (!md) return std::nullopt;
  std::string_view hex = s.substr(sp + 1);
  while (!hex.empty() && hex.front() == ' ') hex.remove_prefix(1);
  const size_t bytes = size_t(EVP_MD_get_size(md));
  if (hex.size() != bytes * 3 - 1) return std::nullopt;
  for (size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    if (i % 3 == 2) {
      if (c != ':') return std::nullopt;
      f.value.push_back(':');
    } else {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
      f.value.push_back(char(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  return f;
}

std::optional<std::string> certificateFingerprint(X509* cert, std::string_view algorithm) {
  const EVP_MD* md = digestByName(algorithm);
  if (!md || !cert) return std::nullopt;
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (X509_digest(cert, md, buf, &len) != 1) return std::nullopt;
  return hexColon(buf, len);
}

const DtlsContext& DtlsContext::instance() {
  static std::once_flag once;
  static DtlsContext* ctx = nullptr;
  std::call_once(once, [] { ctx = new DtlsContext(); });  // process lifetime, never destroyed
  return *ctx;
}

DtlsContext::DtlsContext() {
  if (OPENSSL_init_ssl(0, nullptr) != 1) die("OPENSSL_init_ssl");
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) die("EC key generation");
  X509* cert = X509_new();
  if (!cert) die("X509_new");
  X509_set_version(cert, 2);
  uint8_t serial[8];
  if (RAND_bytes(serial, sizeof serial) != 1) die("RAND_bytes");
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_set_negative(bn, 0);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  // Browsers ignore validity for DTLS-SRTP, but a backdated start avoids clock-skew issues.
  X509_gmtime_adj(X509_getm_notBefore(cert), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 365L * 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("callgate"), -1,
                             -1, 0);
  X509_set_issuer_name(cert, name);
  if (X509_sign(cert, key, EVP_sha256()) <= 0) die("X509_sign");

  ctx_ = SSL_CTX_new(DTLS_method());
  if (!ctx_) die("SSL_CTX_new");
  if (SSL_CTX_use_certificate(ctx_, cert) != 1 || SSL_CTX_use_PrivateKey(ctx_, key) != 1 ||
      SSL_CTX_check_private_key(ctx_) != 1)
    die("certificate");
  SSL_CTX_set_min_proto_version(ctx_, DTLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(ctx_, kCipherList) != 1) die("cipher list");
  // Peers use self-signed certificates; authentication is the SDP fingerprint check done by
  // DtlsEndpoint after the handshake (RFC 5763 §6.5), so chain verification always passes.
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     [](int, X509_STORE_CTX*) { return 1; });
  // Note: returns 0 on success.
  if (SSL_CTX_set_tlsext_use_srtp(ctx_, kSrtpProfiles) != 0) die("use_srtp");
  SSL_CTX_set_read_ahead(ctx_, 1);
  SSL_CTX_set_options(ctx_, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_OFF);

  auto fp = certificateFingerprint(cert, "sha-256");
  if (!fp) die("fingerprint");
  fingerprintSha256_ = *fp;
  X509_free(cert);  // SSL_CTX holds its own references
  EVP_PKEY_free(key);
}

}  // namespace callgate::media::dtls
