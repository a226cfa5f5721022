#include "server_url.hpp"

#include <charconv>

namespace callgate::client::detail {

std::string ServerUrl::hostPort() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

Result<ServerUrl> parseServerUrl(std::string_view url) {
  auto fail = [&](const std::string& why) { return Error{"Invalid server URL '" + std::string(url) + "': " + why}; };
  ServerUrl out;
  std::string_view rest;
  if (url.starts_with("ws://")) {
    rest = url.substr(5);
  } else if (url.starts_with("wss://")) {
    out.tls = true;
    rest = url.substr(6);
  } else {
    return fail("scheme must be ws:// or wss://");
  }
  auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.target = std::string(rest.substr(slash));
    if (out.target.front() == '?') out.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos) return fail("user info is not supported");
  std::string_view portText;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unterminated IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after the IPv6 address");
      portText = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) portText = authority.substr(colon + 1);
  }
  if (out.host.empty()) return fail("no host");
  for (char c : out.host) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':';
    if (!ok) return fail(std::string("character '") + c + "' not allowed in a host name");
  }
  if (portText.empty()) {
    out.port = out.tls ? 8443 : 8080;  // the WCS defaults
  } else {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), value);
    if (ec != std::errc() || end != portText.data() + portText.size() || value == 0 || value > 65535)
      return fail("port '" + std::string(portText) + "' is not a number from 1 to 65535");
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

}  // namespace callgate::client::detail
