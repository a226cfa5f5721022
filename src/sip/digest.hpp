#pragma once
// HTTP digest authentication for SIP (RFC 3261 §22, RFC 7616, RFC 8760): MD5 and SHA-256,
// qop=auth (and no qop, RFC 2069 compatible), from a WWW-Authenticate / Proxy-Authenticate
// challenge to an Authorization / Proxy-Authorization value.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace callgate::sip {

struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;
  std::string algorithm = "MD5";  // "MD5", "SHA-256" (also accepted: "-sess" variants rejected)
  bool qopAuth = false;           // qop list contained "auth"
  bool stale = false;
};
// Parses a challenge header value ("Digest realm=\"x\", nonce=\"y\", qop=\"auth,auth-int\"").
Result<DigestChallenge> parseDigestChallenge(std::string_view headerValue);

struct DigestCredentials {
  std::string username;  // digest username (auth name); escaped as quoted-string
  std::string password;
};

// Builds the credentials header value for one request. `nonceCount` starts at 1 per nonce;
// `cnonce` is caller-supplied (random) so tests are deterministic.
std::string buildDigestAuthorization(const DigestChallenge& challenge, const DigestCredentials& credentials,
                                     std::string_view method, std::string_view digestUri, uint32_t nonceCount,
                                     std::string_view cnonce);

// Lower-case hex digest of `data` with "MD5" or "SHA-256".
std::string hexHash(std::string_view algorithm, std::string_view data);

}  // namespace callgate::sip
