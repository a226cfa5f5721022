#pragma once
// SIP URI (RFC 3261 §19.1): sip:user:password@host:port;params?headers.
// The user part is stored unescaped; serialize() re-escapes what RFC 3261 requires.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace callgate::sip {

struct UriParam {
  std::string name;
  std::optional<std::string> value;
};

struct Uri {
  std::string scheme = "sip";  // "sip", "sips" or "tel"
  std::string user;            // unescaped
  std::string password;
  std::string host;            // IPv6 kept with brackets: "[::1]"
  uint16_t port = 0;           // 0 = not given
  std::vector<UriParam> params;
  std::vector<UriParam> headers;

  std::optional<std::string> param(std::string_view name) const;  // case-insensitive
  bool hasParam(std::string_view name) const;
  void setParam(std::string name, std::optional<std::string> value = std::nullopt);
  std::string hostPort() const;  // "host" or "host:port"
  std::string serialize() const;
};

Result<Uri> parseUri(std::string_view text);

// Escapes a user part per RFC 3261 `user` (unreserved / escaped / user-unreserved).
std::string escapeUser(std::string_view user);

}  // namespace callgate::sip
