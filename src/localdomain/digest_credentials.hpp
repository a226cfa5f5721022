#pragma once
// Parsing the credentials a UA sends in Authorization / Proxy-Authorization (RFC 3261 §25.1
// `credentials`, RFC 7616 §3.4): the server side of sip/digest.hpp, which only builds them.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace callgate::localdomain {

struct DigestResponse {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;       // digest-uri as the UA hashed it
  std::string response;  // hex
  std::string algorithm; // empty = MD5 (RFC 7616 §3.4)
  std::string cnonce;
  std::string qop;       // "auth", empty (RFC 2069 form) or whatever the UA sent
  std::string nc;        // 8 hex digits when qop is present
  std::string opaque;
};

// "Digest username=\"1000\", realm=\"x\", nonce=\"n\", uri=\"sip:x\", response=\"...\", ..."
// Never throws; bounded by the header value it is given. Errors say what is wrong
// ("Not Digest credentials", "Unterminated quoted string in credentials", "Credentials
// without username"). Unknown auth-params are ignored (RFC 7616 §3.4).
Result<DigestResponse> parseDigestResponse(std::string_view headerValue);

}  // namespace callgate::localdomain
