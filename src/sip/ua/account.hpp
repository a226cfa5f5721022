#pragma once
// Account: the SIP identity a client session hands to callgate (WCS connect options
// sipLogin, sipAuthenticationName, sipPassword, sipDomain, sipOutboundProxy, sipPort,
// sipVisibleName) and the helpers that turn it into URIs.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "sip/uri.hpp"

namespace callgate::sip::ua {

struct Account {
  std::string login;          // user part, unescaped ("1000", "alice smith" is refused)
  std::string authName;       // digest username; empty = login
  std::string password;
  std::string domain;         // AoR host and REGISTER Request-URI
  std::string outboundProxy;  // first hop for every request; empty = domain
  uint16_t port = 5060;       // port of the first hop
  std::string displayName;
  uint32_t registerExpires = 300;  // seconds asked in REGISTER

  const std::string& effectiveAuthName() const { return authName.empty() ? login : authName; }
  const std::string& effectiveProxy() const { return outboundProxy.empty() ? domain : outboundProxy; }
  // sip:login@domain
  Uri aor() const;
};

// Checks every field against RFC 3261 grammar (mission.md "Known problem": a login with a
// space is refused at once, with the reason). The message names the field:
// "Invalid SIP login: character ' ' not allowed by RFC 3261".
Result<void> validateAccount(const Account& account);

// The Request-URI for a callee as typed by a user (§4.4 WCS `callee`):
//   "1000"                  -> sip:1000@<domain>
//   "1000@pbx.example.com"  -> sip:1000@pbx.example.com
//   "sip:..."/"sips:..."/"tel:..." parsed as given.
Result<Uri> calleeUri(std::string_view callee, std::string_view domain);

}  // namespace callgate::sip::ua
