#pragma once
// Structured views of the header values a UA needs: name-addr (From/To/Contact/Route),
// Via, CSeq, and generic ;param lists. Each parse returns a Result with a reason on error.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "sip/uri.hpp"

namespace callgate::sip {

// name-addr / addr-spec with header parameters: "\"Alice\" <sip:a@h>;tag=1".
struct NameAddr {
  std::string displayName;  // unquoted, unescaped
  Uri uri;
  std::vector<UriParam> params;  // header params after the URI (tag, expires, q...)

  std::optional<std::string> param(std::string_view name) const;
  void setParam(std::string name, std::optional<std::string> value = std::nullopt);
  std::optional<std::string> tag() const { return param("tag"); }
  // Always uses <> form; quotes and escapes the display name when present.
  std::string serialize() const;
};
Result<NameAddr> parseNameAddr(std::string_view text);

// One Via value: "SIP/2.0/UDP host:port;branch=z9hG4bK...;rport;received=..."
struct Via {
  std::string transport;  // "UDP", "TCP", "TLS", "WS"...
  std::string host;
  uint16_t port = 0;
  std::vector<UriParam> params;

  std::optional<std::string> param(std::string_view name) const;
  std::optional<std::string> branch() const { return param("branch"); }
  std::string serialize() const;
};
Result<Via> parseVia(std::string_view text);

struct CSeq {
  uint32_t number = 0;
  std::string method;
};
Result<CSeq> parseCSeq(std::string_view text);

// Quotes a display name / quoted-string value, escaping '"' and '\'.
std::string quoteString(std::string_view raw);

}  // namespace callgate::sip
