#include "localdomain/digest_credentials.hpp"

#include "sip/grammar.hpp"

namespace callgate::localdomain {
namespace {

using sip::grammar::iequals;
using sip::grammar::isWhitespace;
using sip::grammar::trimWhitespace;

// Token characters as UAs send them unquoted (algorithm=MD5, qop=auth, nc=00000001), plus
// '/', '=', ':' and '@' seen in unquoted nonces and URIs by lenient clients.
constexpr bool isValueChar(char c) {
  return sip::grammar::isTokenChar(c) || c == '/' || c == '=' || c == ':' || c == '@';
}
constexpr bool isNameChar(char c) { return sip::grammar::isTokenChar(c); }

}  // namespace

// credentials    = "Digest" LWS digest-response *(COMMA digest-response)   (RFC 3261 §25.1)
// digest-response = dig-resp / auth-param ; name = token / quoted-string
Result<DigestResponse> parseDigestResponse(std::string_view headerValue) {
  std::string_view text = trimWhitespace(headerValue);
  if (text.size() < 7 || !iequals(text.substr(0, 6), "Digest") || !isWhitespace(text[6]))
    return makeError("Not Digest credentials");
  text = trimWhitespace(text.substr(7));
  DigestResponse out;
  bool haveUsername = false, haveResponse = false, haveNonce = false;
  while (!text.empty()) {
    size_t i = 0;
    while (i < text.size() && isNameChar(text[i])) ++i;
    const std::string_view name = text.substr(0, i);
    if (name.empty()) return makeError("Malformed credentials parameter");
    text = trimWhitespace(text.substr(i));
    if (text.empty() || text.front() != '=') return makeError("Malformed credentials parameter " + std::string(name));
    text = trimWhitespace(text.substr(1));
    std::string value;
    if (!text.empty() && text.front() == '"') {
      size_t k = 1;
      for (; k < text.size() && text[k] != '"'; ++k) {
        if (text[k] == '\\' && k + 1 < text.size()) ++k;  // quoted-pair
        value.push_back(text[k]);
      }
      if (k >= text.size()) return makeError("Unterminated quoted string in credentials");
      text = trimWhitespace(text.substr(k + 1));
    } else {
      size_t k = 0;
      while (k < text.size() && isValueChar(text[k])) ++k;
      if (k == 0) return makeError("Malformed credentials value for " + std::string(name));
      value.assign(text.substr(0, k));
      text = trimWhitespace(text.substr(k));
    }
    if (!text.empty()) {
      if (text.front() != ',') return makeError("Malformed credentials after " + std::string(name));
      text = trimWhitespace(text.substr(1));
    }

    if (iequals(name, "username")) {
      out.username = std::move(value);
      haveUsername = true;
    } else if (iequals(name, "realm")) {
      out.realm = std::move(value);
    } else if (iequals(name, "nonce")) {
      out.nonce = std::move(value);
      haveNonce = true;
    } else if (iequals(name, "uri")) {
      out.uri = std::move(value);
    } else if (iequals(name, "response")) {
      out.response = std::move(value);
      haveResponse = true;
    } else if (iequals(name, "algorithm")) {
      out.algorithm = std::move(value);
    } else if (iequals(name, "cnonce")) {
      out.cnonce = std::move(value);
    } else if (iequals(name, "qop")) {
      out.qop = std::move(value);
    } else if (iequals(name, "nc")) {
      out.nc = std::move(value);
    } else if (iequals(name, "opaque")) {
      out.opaque = std::move(value);
    }
  }
  if (!haveUsername) return makeError("Credentials without username");
  if (!haveNonce) return makeError("Credentials without nonce");
  if (!haveResponse) return makeError("Credentials without response");
  return out;
}

}  // namespace callgate::localdomain
