#include "localdomain/digest_verifier.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <cstdio>

#include "common/random.hpp"
#include "localdomain/digest_credentials.hpp"
#include "sip/digest.hpp"
#include "sip/grammar.hpp"
#include "sip/header_values.hpp"

namespace callgate::localdomain {
namespace {

using sip::grammar::iequals;

constexpr size_t kMacHexChars = 32;  // 128 bits of the HMAC: plenty against forgery

bool hexEqualsIgnoreCase(std::string_view a, std::string_view b) { return iequals(a, b); }

}  // namespace

DigestVerifier::DigestVerifier(std::string realm, Clock clock, std::chrono::seconds nonceLifetime)
    : realm_(std::move(realm)), clock_(std::move(clock)), lifetime_(nonceLifetime), secret_(randomToken(32)) {}

long long DigestVerifier::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
}

std::string DigestVerifier::mac(std::string_view seconds) const {
  std::string data(seconds);
  data.append(":").append(realm_);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), int(secret_.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len && hex.size() < kMacHexChars; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return hex;
}

std::string DigestVerifier::makeNonce() const {
  const std::string seconds = std::to_string(nowSeconds());
  return seconds + "." + mac(seconds);
}

bool DigestVerifier::nonceIsFresh(std::string_view nonce) const {
  const size_t dot = nonce.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view seconds = nonce.substr(0, dot);
  long long issued = 0;
  auto [end, ec] = std::from_chars(seconds.data(), seconds.data() + seconds.size(), issued);
  if (ec != std::errc() || end != seconds.data() + seconds.size()) return false;
  if (nonce.substr(dot + 1) != mac(seconds)) return false;
  const long long age = nowSeconds() - issued;
  return age >= 0 && age <= lifetime_.count();
}

std::string DigestVerifier::challenge(bool stale) const {
  std::string out = "Digest realm=" + sip::quoteString(realm_) + ", nonce=\"" + makeNonce() +
                    "\", qop=\"auth\", algorithm=MD5";
  if (stale) out += ", stale=true";
  return out;
}

AuthResult DigestVerifier::verify(const sip::Message& request, std::string_view headerName,
                                  const std::vector<DomainUser>& users) const {
  // Credentials hold commas outside quotes, so they are read per header line, never through
  // headerValues() (which would split them).
  std::string firstError;
  for (const auto& h : request.headers) {
    if (!sip::headerNameEquals(h.name, headerName)) continue;
    auto parsed = parseDigestResponse(h.value);
    if (!parsed) {
      if (firstError.empty()) firstError = parsed.error().message;
      continue;
    }
    const DigestResponse& c = parsed.value();
    if (c.realm != realm_) continue;

    const DomainUser* user = findUser(users, c.username);
    if (!user) return {AuthResult::Kind::UnknownUser, c.username, "Unknown user " + c.username};

    std::string algorithm = c.algorithm.empty() ? "MD5" : c.algorithm;
    if (!iequals(algorithm, "MD5") && !iequals(algorithm, "SHA-256"))
      return {AuthResult::Kind::Malformed, c.username, "Unsupported digest algorithm " + algorithm};
    algorithm = iequals(algorithm, "MD5") ? "MD5" : "SHA-256";
    const bool qopAuth = iequals(c.qop, "auth");
    if (!c.qop.empty() && !qopAuth) return {AuthResult::Kind::Malformed, c.username, "Unsupported qop " + c.qop};
    if (qopAuth && (c.nc.empty() || c.cnonce.empty()))
      return {AuthResult::Kind::Malformed, c.username, "qop=auth without nc or cnonce"};

    // RFC 7616 §3.4.1 (RFC 2617 §3.2.2.1): the response over the digest-uri the UA used. The
    // uri is not compared with the Request-URI: UAs differ in how they spell it (port, params),
    // and the nonce already binds the answer to our challenge.
    const std::string ha1 = sip::hexHash(algorithm, user->login + ":" + realm_ + ":" + user->password);
    const std::string ha2 = sip::hexHash(algorithm, request.method + ":" + c.uri);
    std::string kd = ha1 + ":" + c.nonce + ":";
    if (qopAuth) kd.append(c.nc).append(":").append(c.cnonce).append(":auth:");
    kd.append(ha2);
    if (!hexEqualsIgnoreCase(sip::hexHash(algorithm, kd), c.response))
      return {AuthResult::Kind::WrongPassword, c.username, "Wrong password for " + c.username};
    if (!nonceIsFresh(c.nonce)) return {AuthResult::Kind::Stale, c.username, "Stale nonce"};
    return {AuthResult::Kind::Ok, c.username, {}};
  }
  if (!firstError.empty()) return {AuthResult::Kind::Malformed, {}, firstError};
  return {AuthResult::Kind::NoCredentials, {}, {}};
}

}  // namespace callgate::localdomain
