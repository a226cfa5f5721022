#pragma once
// Server side of SIP digest authentication (RFC 3261 §22.1, §22.3; RFC 7616 §3.3-3.4) for
// the local domain: issues challenges and checks the credentials UAs answer with.
//
// Nonces are stateless: "<seconds>.<HMAC-SHA256(secret, seconds:realm) prefix>", with a
// random per-process secret. Any nonce this process issued and that is younger than the
// lifetime is accepted, so nothing is stored per challenge; the price is that a nonce may be
// replayed within its lifetime (nc is not tracked) — acceptable for the local/demo domain,
// whose credentials cross a trusted network. The response hash is checked before the nonce:
// a correct hash over an old or foreign nonce proves the password, so it gets 401/407 with
// stale=true (§22.4 via RFC 7616 §3.3) and the UA retries silently instead of reporting a
// wrong password.
//
// Threading: const after construction; used on the local domain's thread only.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "localdomain/clock.hpp"
#include "localdomain/domain_users.hpp"
#include "sip/message.hpp"

namespace callgate::localdomain {

struct AuthResult {
  enum class Kind {
    Ok,             // `user` authenticated
    NoCredentials,  // nothing for our realm: challenge
    Stale,          // right password, expired/unknown nonce: challenge with stale=true
    WrongPassword,  // hash mismatch for a known user
    UnknownUser,    // username not configured
    Malformed,      // unreadable or unsupported credentials; `reason` says what
  };
  Kind kind = Kind::NoCredentials;
  std::string user;
  std::string reason;
};

class DigestVerifier {
 public:
  DigestVerifier(std::string realm, Clock clock, std::chrono::seconds nonceLifetime = std::chrono::seconds(300));

  // A WWW-Authenticate / Proxy-Authenticate value: Digest, MD5, qop="auth", fresh nonce.
  std::string challenge(bool stale = false) const;

  // Checks the credentials for our realm in the `headerName` lines (Authorization or
  // Proxy-Authorization) of `request` against `users`. Credentials for other realms are
  // ignored (they belong to another hop, §22.3).
  AuthResult verify(const sip::Message& request, std::string_view headerName,
                    const std::vector<DomainUser>& users) const;

  const std::string& realm() const { return realm_; }

  // Nonce helpers, public for tests.
  std::string makeNonce() const;
  bool nonceIsFresh(std::string_view nonce) const;

 private:
  std::string mac(std::string_view seconds) const;
  long long nowSeconds() const;

  std::string realm_;
  Clock clock_;
  std::chrono::seconds lifetime_;
  std::string secret_;
};

}  // namespace callgate::localdomain
