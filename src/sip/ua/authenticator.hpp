#pragma once
// Authenticator: answers digest challenges (RFC 3261 §22.2-22.3, RFC 7616, RFC 8760) for one
// UA usage (a registration, or all requests of one call).
//
// Rules:
// - onChallenge() is fed every 401/407. It remembers the challenge(s) per realm (preferring
//   SHA-256 over MD5 when both are offered) and says whether to re-send.
// - A logical request (beginRequest()) is re-sent once per fresh challenge: if the request
//   was already re-sent with credentials and is challenged again without stale=true, the
//   credentials are wrong and onChallenge() returns false. stale=true always allows a retry
//   with the new nonce, bounded by kMaxRetries.
// - authorize() adds Authorization / Proxy-Authorization for every remembered challenge
//   (so later requests, e.g. REGISTER refreshes, BYE, carry credentials pre-emptively),
//   with the nonce count incremented and a fresh cnonce.
#include <cstdint>
#include <string>
#include <vector>

#include "sip/digest.hpp"
#include "sip/message.hpp"

namespace callgate::sip::ua {

class Authenticator {
 public:
  static constexpr int kMaxRetries = 3;

  explicit Authenticator(DigestCredentials credentials) : credentials_(std::move(credentials)) {}

  void beginRequest() {
    answeredChallenge_ = false;
    retries_ = 0;
  }
  // `response` is a 401 or 407. True = re-send the request with authorize() applied.
  bool onChallenge(const Message& response);
  // Adds credentials to `request` (computed over its method and Request-URI).
  void authorize(Message& request);
  bool hasChallenges() const { return !entries_.empty(); }
  // Why the last onChallenge() refused (for logs).
  const std::string& lastRefusal() const { return lastRefusal_; }

 private:
  struct Entry {
    bool proxy = false;
    DigestChallenge challenge;
    uint32_t nonceCount = 0;
  };

  DigestCredentials credentials_;
  std::vector<Entry> entries_;
  bool answeredChallenge_ = false;
  int retries_ = 0;
  std::string lastRefusal_;
};

}  // namespace callgate::sip::ua
