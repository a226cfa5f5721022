#pragma once
// ws:// and wss:// server URLs (WCS protocol §1: ws://HOST:8080, wss://HOST:8443, any path).
#include <cstdint>
#include <string>
#include <string_view>

#include "callgate/client/result.hpp"

namespace callgate::client::detail {

struct ServerUrl {
  bool tls = false;
  std::string host;  // without [] for IPv6 literals
  uint16_t port = 0;
  std::string target = "/";  // path and query
  std::string hostPort() const;
};

// Errors name the problem: "Invalid server URL 'x': scheme must be ws:// or wss://".
Result<ServerUrl> parseServerUrl(std::string_view url);

}  // namespace callgate::client::detail
