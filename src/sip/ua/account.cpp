#include "sip/ua/account.hpp"

#include <cctype>

#include "sip/identity_validation.hpp"

namespace callgate::sip::ua {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

Result<void> prefixed(Result<void> result, std::string_view what) {
  if (result) return result;
  return makeError("Invalid " + std::string(what) + ": " + result.error().message);
}

}  // namespace

Uri Account::aor() const {
  Uri uri;
  uri.scheme = "sip";
  uri.user = login;
  uri.host = domain;
  return uri;
}

Result<void> validateAccount(const Account& account) {
  if (account.login.empty()) return makeError("Invalid SIP login: empty");
  if (auto r = prefixed(validateUserPart(account.login), "SIP login"); !r) return r;
  if (auto r = prefixed(validateAuthName(account.effectiveAuthName()), "SIP auth name"); !r) return r;
  if (account.domain.empty()) return makeError("Invalid SIP domain: empty");
  if (auto r = prefixed(validateHost(account.domain), "SIP domain"); !r) return r;
  if (auto r = prefixed(validateHost(account.effectiveProxy()), "SIP outbound proxy"); !r) return r;
  if (account.port == 0) return makeError("Invalid SIP port: 0");
  if (auto r = prefixed(validateDisplayName(account.displayName), "SIP display name"); !r) return r;
  return {};
}

Result<Uri> calleeUri(std::string_view callee, std::string_view domain) {
  while (!callee.empty() && std::isspace(static_cast<unsigned char>(callee.front()))) callee.remove_prefix(1);
  while (!callee.empty() && std::isspace(static_cast<unsigned char>(callee.back()))) callee.remove_suffix(1);
  if (callee.empty()) return makeError("Empty callee");

  if (startsWithNoCase(callee, "sip:") || startsWithNoCase(callee, "sips:") || startsWithNoCase(callee, "tel:")) {
    auto uri = parseUri(callee);
    if (!uri) return makeError("Invalid callee URI: " + uri.error().message);
    return uri;
  }
  std::string_view user = callee;
  std::string_view host = domain;
  if (size_t at = callee.rfind('@'); at != std::string_view::npos) {
    user = callee.substr(0, at);
    host = callee.substr(at + 1);
  }
  if (user.empty()) return makeError("Invalid callee: empty user part");
  if (host.empty()) return makeError("Invalid callee: empty host");
  // The user part is taken literally and escaped; the host part (with an optional port) must
  // satisfy the URI grammar.
  auto uri = parseUri("sip:" + escapeUser(user) + "@" + std::string(host));
  if (!uri) return makeError("Invalid callee: " + uri.error().message);
  return uri;
}

}  // namespace callgate::sip::ua
