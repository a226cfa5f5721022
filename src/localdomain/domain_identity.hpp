#pragma once
// Which addresses are "this domain" for the local domain's registrar and proxy.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sip/transport/transport.hpp"
#include "sip/uri.hpp"

namespace callgate::localdomain {

struct DomainIdentity {
  std::string name;                  // the domain and digest realm
  std::vector<std::string> aliases;  // other hosts meaning this domain: advertised IP, bound IP, local IPs
  std::string viaHost;               // our sent-by (the advertised address)
  uint16_t port = 0;                 // our SIP port

  // Is `host` (case-insensitive; IPv6 with or without brackets) the domain name or an alias?
  bool isOurHost(std::string_view host) const;
  // A URI for this domain: our host, and no port or our port. (A URI without a port would
  // mean 5060, but softphones configured with "domain = <ip>, proxy = <ip>:<port>" address
  // users as sip:user@<ip>, so a missing port counts as ours.)
  bool isOurUri(const sip::Uri& uri) const;
  // The address our own sockets answer on (loop detection).
  bool isOurAddress(const sip::transport::PeerAddress& address) const;
};

}  // namespace callgate::localdomain
