#include "localdomain/local_domain.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>

#include "common/log.hpp"
#include "localdomain/proxy_support.hpp"
#include "sip/header_values.hpp"
#include "sip/transport/via_routing.hpp"
#include "sip/transport/udp_transport.hpp"

namespace callgate::localdomain {
namespace {

// Every address of this host's interfaces (a wildcard bind answers on all of them, so a
// Request-URI naming any of them means us).
std::vector<std::string> interfaceAddresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (auto* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr) continue;
    char text[INET6_ADDRSTRLEN];
    if (a->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr, text, sizeof text);
    } else {
      continue;
    }
    out.emplace_back(text);
  }
  freeifaddrs(list);
  return out;
}

void addAlias(std::vector<std::string>& aliases, const std::string& host) {
  if (host.empty() || host == "0.0.0.0" || host == "::") return;
  if (std::find(aliases.begin(), aliases.end(), host) == aliases.end()) aliases.push_back(host);
}

DomainIdentity makeIdentity(const sip::transport::Transport& transport, const LocalDomainConfig& config) {
  DomainIdentity id;
  id.name = config.name;
  id.aliases = config.aliases;
  id.viaHost = transport.advertisedHost();
  id.port = transport.advertisedPort();
  addAlias(id.aliases, id.viaHost);
  return id;
}

}  // namespace

Result<std::unique_ptr<LocalDomain>> LocalDomain::open(boost::asio::io_context& io, const std::string& bindIp,
                                                       uint16_t port, const std::string& advertisedHost,
                                                       LocalDomainConfig config) {
  if (config.name.empty()) return makeError("local SIP domain: empty domain name");
  sip::transport::UdpTransportConfig udp;
  udp.bindIp = bindIp;
  udp.port = port;
  udp.advertisedHost = advertisedHost;
  auto transport = sip::transport::UdpTransport::open(io, udp);
  if (!transport) return makeError("local SIP domain: " + transport.error().message);
  addAlias(config.aliases, bindIp);
  boost::system::error_code ec;
  auto bound = boost::asio::ip::make_address(bindIp, ec);
  if (!ec && bound.is_unspecified())
    for (const auto& a : interfaceAddresses()) addAlias(config.aliases, a);
  return std::make_unique<LocalDomain>(std::move(transport.value()), std::move(config));
}

LocalDomain::LocalDomain(std::unique_ptr<sip::transport::Transport> transport, LocalDomainConfig config, Clock clock)
    : transport_(std::move(transport)),
      config_(std::move(config)),
      identity_(makeIdentity(*transport_, config_)),
      clock_(std::move(clock)),
      verifier_(identity_.name, clock_, config_.nonceLifetime),
      location_(clock_),
      registrar_(config_.users, verifier_, location_, config_.registrar),
      proxy_(identity_, config_.users, verifier_, location_) {}

LocalDomain::~LocalDomain() = default;

void LocalDomain::start() { transport_->start(*this); }

void LocalDomain::stop() { transport_.reset(); }

void LocalDomain::addStaticRoute(std::string user, sip::transport::PeerAddress address) {
  CG_INFO("local SIP domain {}: user '{}' routed to {}", identity_.name, user, address.toString());
  proxy_.addStaticRoute(std::move(user), address);
}

void LocalDomain::send(const Outgoing& out) {
  if (transport_) transport_->send(out.message, out.to);
}

void LocalDomain::onMessage(sip::Message message, const sip::transport::PeerAddress& from) {
  if (message.isResponse()) {
    ++stats_.responses;
    if (auto out = proxy_.onResponse(std::move(message))) send(*out);
    return;
  }
  ++stats_.requests;
  if (message.method == "REGISTER") {
    // The registrar serves our domain; a REGISTER for any other domain is not ours to relay.
    auto ruri = sip::parseUri(message.requestUri);
    if (!ruri) {
      send(makeLocalResponse(message, from, 400, "Malformed Request-URI: " + ruri.error().message));
      return;
    }
    if (!identity_.isOurHost(ruri->host)) {
      send(makeLocalResponse(message, from, 403, "Domain not served here"));
      return;
    }
    ++stats_.registers;
    sip::Message response = registrar_.handle(message, from, localToTag(message));
    response.addHeader("Server", "callgate");
    if (response.status == 200) {
      CG_DEBUG("local SIP domain: REGISTER {} from {}: {} binding(s)", std::string(message.header("To").value_or("")),
               from.toString(), response.headerCount("Contact"));
    }
    Outgoing out{std::move(response), from};
    if (auto to = sip::transport::responseDestination(out.message)) out.to = *to;
    send(out);
    return;
  }
  if (auto out = proxy_.onRequest(std::move(message), from)) send(*out);
}

}  // namespace callgate::localdomain
