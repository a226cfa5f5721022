#include "localdomain/domain_identity.hpp"

#include "sip/grammar.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::localdomain {
namespace {

std::string_view bare(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

}  // namespace

bool DomainIdentity::isOurHost(std::string_view host) const {
  host = bare(host);
  if (host.empty()) return false;
  if (sip::grammar::iequals(host, bare(name))) return true;
  for (const auto& a : aliases)
    if (sip::grammar::iequals(host, bare(a))) return true;
  return false;
}

bool DomainIdentity::isOurUri(const sip::Uri& uri) const {
  return (uri.scheme == "sip" || uri.scheme == "sips") && isOurHost(uri.host) && (uri.port == 0 || uri.port == port);
}

bool DomainIdentity::isOurAddress(const sip::transport::PeerAddress& address) const {
  if (address.port != port) return false;
  if (address.ip.is_unspecified()) return true;
  return isOurHost(address.ip.to_string());
}

}  // namespace callgate::localdomain
