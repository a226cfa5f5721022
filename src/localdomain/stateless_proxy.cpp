#include "localdomain/stateless_proxy.hpp"

#include "common/log.hpp"
#include "localdomain/digest_credentials.hpp"
#include "localdomain/proxy_support.hpp"
#include "sip/grammar.hpp"
#include "sip/header_values.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::localdomain {
namespace {

using sip::transport::PeerAddress;

std::optional<PeerAddress> uriAddress(const sip::Uri& uri) {
  auto ip = sip::transport::parseIpLiteral(uri.host);
  if (!ip) return std::nullopt;
  return PeerAddress{*ip, uri.port != 0 ? uri.port : uint16_t(uri.scheme == "sips" ? 5061 : 5060)};
}

bool hasToTag(const sip::Message& m) {
  auto to = m.header("To");
  if (!to) return false;
  auto na = sip::parseNameAddr(*to);
  return na && na->tag().has_value();
}

// §22.3: our own credentials end here; credentials for other realms travel on.
void removeOurCredentials(sip::Message& m, const std::string& realm) {
  std::erase_if(m.headers, [&](const sip::Header& h) {
    if (!sip::headerNameEquals(h.name, "Proxy-Authorization")) return false;
    auto c = parseDigestResponse(h.value);
    return c && c->realm == realm;
  });
}

}  // namespace

Outgoing makeLocalResponse(const sip::Message& request, const PeerAddress& from, int status, std::string_view reason) {
  Outgoing out{sip::transaction::makeResponse(request, status, reason, status > 100 ? localToTag(request) : ""), from};
  out.message.addHeader("Server", "callgate");
  if (auto to = sip::transport::responseDestination(out.message)) out.to = *to;
  return out;
}

StatelessProxy::StatelessProxy(const DomainIdentity& identity, const std::vector<DomainUser>& users,
                               const DigestVerifier& verifier, LocationService& location)
    : identity_(identity), users_(users), verifier_(verifier), location_(location) {}

void StatelessProxy::addStaticRoute(std::string user, PeerAddress address) {
  staticRoutes_[std::move(user)] = address;
}

std::optional<Outgoing> StatelessProxy::respond(const sip::Message& request, const PeerAddress& from, int status,
                                                std::string_view reason,
                                                const std::function<void(sip::Message&)>& edit) {
  // ACKs are never answered (§17.1.1.3, §17.2.1); what cannot be routed is dropped.
  if (request.method == "ACK") return std::nullopt;
  ++stats_.localResponses;
  Outgoing out = makeLocalResponse(request, from, status, reason);
  if (edit) edit(out.message);
  CG_DEBUG("localdomain: {} {} from {} -> {} {}", request.method, request.requestUri, from.toString(), status,
           out.message.reason);
  return out;
}

bool StatelessProxy::isAllowedDirectTarget(const PeerAddress& address) {
  for (const auto& [user, a] : staticRoutes_)
    if (a == address) return true;
  return location_.isContactAddress(address);
}

std::optional<Outgoing> StatelessProxy::onRequest(sip::Message request, const PeerAddress& from) {
  const bool isAck = request.method == "ACK";
  const bool isCancel = request.method == "CANCEL";

  // The ACK for a final response we sent ourselves ends here (§17.2.1 done statelessly).
  if (isAck) {
    if (auto to = request.header("To"))
      if (auto na = sip::parseNameAddr(*to); na && na->tag() == localToTag(request)) {
        ++stats_.absorbedAcks;
        return std::nullopt;
      }
  }

  auto ruri = sip::parseUri(request.requestUri);
  if (!ruri) return respond(request, from, 400, "Malformed Request-URI");
  auto mf = maxForwards(request);
  if (!mf) return respond(request, from, 400, "Malformed Max-Forwards");

  // §16.4 route information preprocessing.
  if (identity_.isOurUri(*ruri) && ruri->user.empty() && request.headerCount("Route") > 0) {
    // A strict router before us put our address into the Request-URI: the real target is
    // the last Route.
    auto routes = request.headerValues("Route");
    auto last = sip::parseNameAddr(routes.back());
    if (!last) return respond(request, from, 400, "Malformed Route header");
    popLastValue(request, "Route");
    ruri = last->uri;
    ruri->headers.clear();
    request.requestUri = ruri->serialize();
  }
  if (auto routes = request.headerValues("Route"); !routes.empty()) {
    auto top = sip::parseNameAddr(routes.front());
    if (!top) return respond(request, from, 400, "Malformed Route header");
    if (identity_.isOurUri(top->uri)) popFirstValue(request, "Route");
  }

  std::optional<PeerAddress> target;
  bool direct = false;
  if (auto routes = request.headerValues("Route"); !routes.empty()) {
    auto next = sip::parseNameAddr(routes.front());
    if (!next) return respond(request, from, 400, "Malformed Route header");
    target = uriAddress(next->uri);
    direct = true;
  } else if (identity_.isOurUri(*ruri)) {
    if (ruri->user.empty()) {
      // Addressed to the domain itself (keep-alive OPTIONS, §11).
      if (request.method == "OPTIONS")
        return respond(request, from, 200, "OK", [](sip::Message& r) {
          r.addHeader("Allow", "REGISTER, INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, REFER, NOTIFY, SUBSCRIBE");
        });
      return respond(request, from, 404, "Not Found");
    }
  } else {
    target = uriAddress(*ruri);
    direct = true;
  }
  if (direct && (!target || !isAllowedDirectTarget(*target))) return respond(request, from, 403, "Relaying forbidden");

  if (*mf == 0) return respond(request, from, 483, "Too Many Hops");

  // §22.3 proxy authentication. ACK and CANCEL cannot be challenged (§22.1); requests inside
  // a dialog headed straight for a registered UA are that UA's business.
  const bool needsAuth = !isAck && !isCancel && !(direct && hasToTag(request));
  if (needsAuth) {
    AuthResult auth = verifier_.verify(request, "Proxy-Authorization", users_);
    switch (auth.kind) {
      case AuthResult::Kind::Ok:
        break;
      case AuthResult::Kind::NoCredentials:
      case AuthResult::Kind::Stale: {
        const bool stale = auth.kind == AuthResult::Kind::Stale;
        return respond(request, from, 407, "Proxy Authentication Required", [&](sip::Message& r) {
          r.addHeader("Proxy-Authenticate", verifier_.challenge(stale));
        });
      }
      case AuthResult::Kind::WrongPassword:
        return respond(request, from, 403, "Wrong password");
      case AuthResult::Kind::UnknownUser:
        return respond(request, from, 403, "Unknown user");
      case AuthResult::Kind::Malformed:
        return respond(request, from, 400, auth.reason);
    }
    auto fromHeader = sip::parseNameAddr(request.header("From").value_or(""));
    if (!fromHeader) return respond(request, from, 400, "Malformed From header");
    if (fromHeader->uri.user != auth.user) return respond(request, from, 403, "From user does not match credentials");
    removeOurCredentials(request, verifier_.realm());
  }

  // §16.5 determining the target: the user's static route or newest binding.
  if (!direct) {
    const std::string& user = ruri->user;
    if (auto it = staticRoutes_.find(user); it != staticRoutes_.end()) {
      target = it->second;
      sip::Uri uri;
      uri.user = user;
      uri.host = it->second.ip.is_v6() ? "[" + it->second.ip.to_string() + "]" : it->second.ip.to_string();
      uri.port = it->second.port;
      request.requestUri = uri.serialize();
    } else if (!findUser(users_, user)) {
      return respond(request, from, 404, "Not Found");
    } else if (const Binding* b = location_.newest(user)) {
      target = bindingAddress(*b);
      sip::Uri uri = b->contact.uri;
      uri.headers.clear();  // §16.5/§19.1.5: headers of a contact are not part of the target
      request.requestUri = uri.serialize();
    } else {
      return respond(request, from, 480, "Temporarily Unavailable");
    }
  }

  // §16.3 step 4 / §16.6 step 8: loops. Max-Forwards catches the rest.
  const std::string branch = derivedBranch(request);
  if (identity_.isOurAddress(*target)) return respond(request, from, 482, "Loop Detected");
  for (auto v : request.headerValues("Via")) {
    auto via = sip::parseVia(v);
    if (via && via->branch() == branch && identity_.isOurHost(via->host) && via->port == identity_.port)
      return respond(request, from, 482, "Loop Detected");
  }

  // §16.6: forward.
  request.setHeader("Max-Forwards", std::to_string(*mf - 1));
  request.prependHeader("Via", "SIP/2.0/UDP " + identity_.viaHost + ":" + std::to_string(identity_.port) +
                                   ";branch=" + branch);
  ++stats_.forwardedRequests;
  CG_DEBUG("localdomain: forward {} {} from {} to {}", request.method, request.requestUri, from.toString(),
           target->toString());
  return Outgoing{std::move(request), *target};
}

std::optional<Outgoing> StatelessProxy::onResponse(sip::Message response) {
  auto vias = response.headerValues("Via");
  auto top = vias.empty() ? Result<sip::Via>(makeError("no Via")) : sip::parseVia(vias.front());
  const bool ours = top && top->branch().value_or("").rfind(kBranchPrefix, 0) == 0 && identity_.isOurHost(top->host) &&
                    top->port == identity_.port;
  if (!ours || vias.size() < 2) {
    ++stats_.droppedResponses;
    return std::nullopt;
  }
  popTopVia(response);
  // §16.11 / §18.2.2: the next Via says where (received/rport stamped when the request came in).
  auto to = sip::transport::responseDestination(response);
  if (!to) {
    ++stats_.droppedResponses;
    return std::nullopt;
  }
  ++stats_.forwardedResponses;
  return Outgoing{std::move(response), *to};
}

}  // namespace callgate::localdomain
