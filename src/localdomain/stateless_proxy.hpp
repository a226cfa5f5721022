#pragma once
// The local domain's proxy (RFC 3261 §16, stateless per §16.11).
//
// Requests (other than REGISTER, which the registrar takes):
//   - an ACK carrying the To tag of a response we generated (localToTag) is absorbed;
//   - Max-Forwards 0 -> 483; a top Route naming us is removed (§16.4), and a Request-URI
//     naming us without a user while Routes remain is a strict router's: the last Route
//     becomes the Request-URI (§16.4);
//   - Request-URI for our domain (DomainIdentity::isOurUri) with a user: routed by the user —
//     static route, else the newest live binding (Request-URI := its contact, §16.5); unknown
//     user 404, known but not registered 480; without a user, the request is for us:
//     OPTIONS 200, anything else 404;
//   - any other Request-URI (or a remaining Route) is a "direct" target: forwarded only to
//     the address of a live binding or a static route (in-dialog requests of UAs that send
//     everything through their outbound proxy); otherwise 403 "Relaying forbidden" — we are
//     not an open relay;
//   - authentication (407 + Proxy-Authenticate, §22.3) for every request except ACK and
//     CANCEL (they cannot be challenged, §22.1) and in-dialog requests (To tag) to a direct
//     target; the From user must be the authenticated user (403);
//   - forwarding: our Via on top with derivedBranch() (retransmissions, CANCEL and non-2xx
//     ACK map to the same branch), Max-Forwards - 1, our Route and our Proxy-Authorization
//     removed. A target that is this proxy itself, or a request that already carries our Via
//     with the same branch, is a loop: 482.
// No Record-Route: in-dialog requests go UA to UA (fine within one network, and nothing
// for us to keep); see docs/architecture.md "Local SIP domain".
// Responses: the top Via must be ours (else dropped); it is popped and the response goes
// where the next Via says (received/rport honoured, §18.2.2, RFC 3581).
//
// Threading: on the local domain's thread only. Stateless apart from the static routes.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "localdomain/digest_verifier.hpp"
#include "localdomain/domain_identity.hpp"
#include "localdomain/domain_users.hpp"
#include "localdomain/location_service.hpp"
#include "sip/message.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::localdomain {

struct Outgoing {
  sip::Message message;
  sip::transport::PeerAddress to;
};

struct ProxyStats {
  uint64_t forwardedRequests = 0;
  uint64_t forwardedResponses = 0;
  uint64_t localResponses = 0;   // 4xx/2xx generated here
  uint64_t absorbedAcks = 0;
  uint64_t droppedResponses = 0; // not ours / nowhere to go
};

class StatelessProxy {
 public:
  // Everything passed in must outlive the proxy.
  StatelessProxy(const DomainIdentity& identity, const std::vector<DomainUser>& users, const DigestVerifier& verifier,
                 LocationService& location);

  // Calls for `user` go to `address` (Request-URI sip:user@address); takes precedence over
  // registrations. Callers still authenticate.
  void addStaticRoute(std::string user, sip::transport::PeerAddress address);

  // What to send for a request that arrived from `from` (a forwarded request or a response),
  // or nothing (absorbed ACK, or an ACK that cannot be routed: ACKs are never answered).
  std::optional<Outgoing> onRequest(sip::Message request, const sip::transport::PeerAddress& from);
  // Where a response goes after our Via is popped; nothing when it is not ours.
  std::optional<Outgoing> onResponse(sip::Message response);

  const ProxyStats& stats() const { return stats_; }

 private:
  std::optional<Outgoing> respond(const sip::Message& request, const sip::transport::PeerAddress& from, int status,
                                  std::string_view reason, const std::function<void(sip::Message&)>& edit = {});
  bool isAllowedDirectTarget(const sip::transport::PeerAddress& address);

  const DomainIdentity& identity_;
  const std::vector<DomainUser>& users_;
  const DigestVerifier& verifier_;
  LocationService& location_;
  std::map<std::string, sip::transport::PeerAddress, std::less<>> staticRoutes_;
  ProxyStats stats_;
};

// A locally generated response to `request`, with our deterministic To tag and Server
// header, addressed per its top Via (received/rport), else to `from`.
Outgoing makeLocalResponse(const sip::Message& request, const sip::transport::PeerAddress& from, int status,
                           std::string_view reason);

}  // namespace callgate::localdomain
