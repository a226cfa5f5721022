#include "sip/ua/authenticator.hpp"

#include "common/log.hpp"
#include "common/random.hpp"

namespace callgate::sip::ua {

bool Authenticator::onChallenge(const Message& response) {
  const bool proxy = response.status == 407;
  const std::string_view headerName = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";

  // Challenges contain commas inside their parameter lists, so they are read per header line
  // rather than through headerValues().
  std::vector<Entry> fresh;
  bool stale = false;
  for (const auto& h : response.headers) {
    if (!headerNameEquals(h.name, headerName)) continue;
    auto parsed = parseDigestChallenge(h.value);
    if (!parsed) {
      CG_DEBUG("sip auth: ignoring challenge '{}': {}", h.value, parsed.error().message);
      continue;
    }
    stale = stale || parsed->stale;
    bool merged = false;
    for (auto& e : fresh) {
      if (e.challenge.realm == parsed->realm) {
        // RFC 8760 §2.4: prefer the strongest algorithm offered for one realm.
        if (parsed->algorithm == "SHA-256" && e.challenge.algorithm != "SHA-256") e.challenge = parsed.value();
        merged = true;
      }
    }
    if (!merged) fresh.push_back(Entry{proxy, std::move(parsed.value()), 0});
  }
  if (fresh.empty()) {
    lastRefusal_ = "no usable digest challenge";
    return false;
  }
  if (answeredChallenge_ && !stale) {
    lastRefusal_ = "credentials rejected";
    return false;
  }
  if (retries_ >= kMaxRetries) {
    lastRefusal_ = "too many authentication rounds";
    return false;
  }

  for (auto& e : fresh) {
    bool replaced = false;
    for (auto& old : entries_) {
      if (old.proxy == e.proxy && old.challenge.realm == e.challenge.realm) {
        old = e;
        replaced = true;
      }
    }
    if (!replaced) entries_.push_back(e);
  }
  answeredChallenge_ = true;
  ++retries_;
  return true;
}

void Authenticator::authorize(Message& request) {
  request.removeHeader("Authorization");
  request.removeHeader("Proxy-Authorization");
  for (auto& e : entries_) {
    std::string value = buildDigestAuthorization(e.challenge, credentials_, request.method, request.requestUri,
                                                 ++e.nonceCount, randomToken(16));
    request.addHeader(e.proxy ? "Proxy-Authorization" : "Authorization", std::move(value));
  }
}

}  // namespace callgate::sip::ua
