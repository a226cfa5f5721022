#include "sip/transport/via_routing.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "sip/grammar.hpp"
#include "sip/header_values.hpp"

namespace callgate::sip::transport {
namespace {

std::string_view stripBrackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

using grammar::iequals;

void setViaParam(Via& via, std::string_view name, std::string value) {
  for (auto& p : via.params) {
    if (iequals(p.name, name)) {
      p.value = std::move(value);
      return;
    }
  }
  via.params.push_back(UriParam{std::string(name), std::move(value)});
}

bool hasViaParam(const Via& via, std::string_view name) {
  for (const auto& p : via.params)
    if (iequals(p.name, name)) return true;
  return false;
}

std::optional<uint16_t> parsePort(std::string_view text) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

}  // namespace

std::optional<boost::asio::ip::address> parseIpLiteral(std::string_view host) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(stripBrackets(host)), ec);
  if (ec) return std::nullopt;
  return address;
}

void stampReceived(Message& request, const PeerAddress& from) {
  auto values = request.headerValues("Via");
  if (values.empty()) return;
  auto top = parseVia(values.front());
  if (!top) return;
  Via via = std::move(top.value());

  bool changed = false;
  std::string sourceIp = from.ip.to_string();
  auto literal = parseIpLiteral(via.host);
  if (!literal || *literal != from.ip) {
    setViaParam(via, "received", sourceIp);
    changed = true;
  }
  if (hasViaParam(via, "rport")) {
    setViaParam(via, "rport", std::to_string(from.port));
    changed = true;
  }
  if (!changed) return;

  // Rewrite the Via lines as one value per line, keeping their position: the first value may
  // sit in a comma-separated line, and a header line is the unit Message can edit.
  std::vector<std::string> all(values.begin(), values.end());
  all.front() = via.serialize();
  size_t firstIndex = request.headers.size();
  std::vector<Header> rebuilt;
  rebuilt.reserve(request.headers.size() + all.size());
  for (size_t i = 0; i < request.headers.size(); ++i) {
    if (headerNameEquals(request.headers[i].name, "Via")) {
      if (firstIndex == request.headers.size()) {
        firstIndex = i;
        for (auto& v : all) rebuilt.push_back(Header{"Via", std::move(v)});
      }
      continue;
    }
    rebuilt.push_back(std::move(request.headers[i]));
  }
  request.headers = std::move(rebuilt);
}

std::optional<PeerAddress> responseDestination(const Message& response) {
  auto values = response.headerValues("Via");
  if (values.empty()) return std::nullopt;
  auto via = parseVia(values.front());
  if (!via) return std::nullopt;

  auto received = via->param("received");
  auto ip = parseIpLiteral(received ? std::string_view(*received) : std::string_view(via->host));
  if (!ip) return std::nullopt;

  uint16_t port = via->port != 0 ? via->port : 5060;
  if (auto rport = via->param("rport"); rport && !rport->empty()) {
    if (auto p = parsePort(*rport)) port = *p;
  }
  return PeerAddress{*ip, port};
}

std::string PeerAddress::toString() const {
  if (ip.is_v6()) return "[" + ip.to_string() + "]:" + std::to_string(port);
  return ip.to_string() + ":" + std::to_string(port);
}

}  // namespace callgate::sip::transport
