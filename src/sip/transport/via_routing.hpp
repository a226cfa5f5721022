#pragma once
// Via handling done by transports (RFC 3261 §18.2.1, §18.2.2; RFC 3581 symmetric response
// routing): stamp received/rport on incoming requests, and find where a response goes.
#include <optional>
#include <string_view>

#include "sip/message.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::sip::transport {

// Adds received=<source ip> to the top Via when its sent-by host differs from the source
// (§18.2.1), and fills an empty rport with the source port (RFC 3581 §4). A request whose top
// Via does not parse is left as it is.
void stampReceived(Message& request, const PeerAddress& from);

// Where a response goes (§18.2.2 for unreliable transports, RFC 3581 §4): to the received
// address (or the sent-by host when it is an IP literal), to the rport port when present,
// else to the sent-by port or 5060. nullopt when the Via is missing/unparsable or names a
// host that is not an address (callers then fall back to the request's source).
std::optional<PeerAddress> responseDestination(const Message& response);

// Parses an IP literal (IPv6 with or without brackets). nullopt for host names.
std::optional<boost::asio::ip::address> parseIpLiteral(std::string_view host);

}  // namespace callgate::sip::transport
