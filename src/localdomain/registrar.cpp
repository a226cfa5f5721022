#include "localdomain/registrar.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "sip/grammar.hpp"
#include "sip/header_values.hpp"
#include "sip/transaction/responses.hpp"

namespace callgate::localdomain {
namespace {

using namespace std::chrono;

std::optional<long long> parseSeconds(std::string_view text) {
  text = sip::grammar::trimWhitespace(text);
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range && !text.empty() && text.front() != '-') return 0xFFFFFFFFLL;
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

void removeParam(sip::NameAddr& na, std::string_view name) {
  std::erase_if(na.params, [name](const sip::UriParam& p) { return sip::grammar::iequals(p.name, name); });
}

struct ContactChange {
  sip::NameAddr contact;
  seconds expires;
};

}  // namespace

Registrar::Registrar(const std::vector<DomainUser>& users, const DigestVerifier& verifier, LocationService& location,
                     RegistrarSettings settings)
    : users_(users), verifier_(verifier), location_(location), settings_(settings) {}

sip::Message Registrar::reply(const sip::Message& request, int status, std::string_view reason,
                              std::string_view toTag) const {
  return sip::transaction::makeResponse(request, status, reason, toTag);
}

sip::Message Registrar::handle(const sip::Message& request, const sip::transport::PeerAddress& from,
                               std::string_view toTag) {
  // §10.3 step 5: the To header names the address-of-record being registered.
  auto to = request.header("To") ? sip::parseNameAddr(*request.header("To")) : Result<sip::NameAddr>(makeError("x"));
  if (!to) return reply(request, 400, "Malformed To header", toTag);
  const std::string& user = to->uri.user;
  if (user.empty() || !findUser(users_, user)) return reply(request, 404, "Not Found", toTag);

  // §10.3 step 4 / §22.1: authenticate.
  AuthResult auth = verifier_.verify(request, "Authorization", users_);
  switch (auth.kind) {
    case AuthResult::Kind::Ok:
      break;
    case AuthResult::Kind::NoCredentials:
    case AuthResult::Kind::Stale: {
      sip::Message r = reply(request, 401, "Unauthorized", toTag);
      r.addHeader("WWW-Authenticate", verifier_.challenge(auth.kind == AuthResult::Kind::Stale));
      return r;
    }
    case AuthResult::Kind::WrongPassword:
      return reply(request, 403, "Wrong password", toTag);
    case AuthResult::Kind::UnknownUser:
      return reply(request, 403, "Unknown user", toTag);
    case AuthResult::Kind::Malformed:
      return reply(request, 400, auth.reason, toTag);
  }
  // §10.3 step 3 / §22: a user may only register its own address-of-record.
  if (auth.user != user) return reply(request, 403, "Credentials do not match the To user", toTag);

  auto cseq = request.header("CSeq") ? sip::parseCSeq(*request.header("CSeq")) : Result<sip::CSeq>(makeError("x"));
  if (!cseq) return reply(request, 400, "Malformed CSeq", toTag);
  const std::string callId(request.header("Call-ID").value_or(""));

  std::optional<long long> headerExpires;
  if (auto e = request.header("Expires")) {
    headerExpires = parseSeconds(*e);
    if (!headerExpires) return reply(request, 400, "Malformed Expires header", toTag);
  }

  const auto contacts = request.headerValues("Contact");
  const TimePoint now = location_.now();
  std::vector<Binding> next = location_.bindings(user);

  const bool wildcard = std::any_of(contacts.begin(), contacts.end(),
                                    [](std::string_view c) { return sip::grammar::trimWhitespace(c) == "*"; });
  if (wildcard) {
    // §10.3 step 6: "*" only alone and only with Expires: 0.
    if (contacts.size() != 1 || headerExpires != 0LL)
      return reply(request, 400, "Contact * needs Expires: 0 and no other Contact", toTag);
    for (const auto& b : next) {
      if (b.callId == callId && b.cseq > cseq->number) return reply(request, 500, "Out of order REGISTER", toTag);
    }
    next.clear();
  } else {
    // Validate every contact first: the update is all or nothing (§10.3 step 7).
    std::vector<ContactChange> changes;
    for (auto text : contacts) {
      auto na = sip::parseNameAddr(text);
      if (!na) return reply(request, 400, "Malformed Contact: " + na.error().message, toTag);
      if (na->uri.scheme != "sip" && na->uri.scheme != "sips")
        return reply(request, 400, "Contact must be a sip: or sips: URI", toTag);
      long long asked = settings_.defaultExpires.count();
      if (auto p = na->param("expires")) {
        auto v = parseSeconds(*p);
        if (!v) return reply(request, 400, "Malformed Contact expires", toTag);
        asked = *v;
      } else if (headerExpires) {
        asked = *headerExpires;
      }
      if (asked > 0 && asked < settings_.minExpires.count()) {
        sip::Message r = reply(request, 423, "Interval Too Brief", toTag);
        r.addHeader("Min-Expires", std::to_string(settings_.minExpires.count()));
        return r;
      }
      removeParam(*na, "expires");
      changes.push_back({std::move(*na), seconds(std::min<long long>(asked, settings_.maxExpires.count()))});
    }
    for (auto& change : changes) {
      auto it = std::find_if(next.begin(), next.end(),
                             [&](const Binding& b) { return sameContactUri(b.contact.uri, change.contact.uri); });
      if (it != next.end() && it->callId == callId && it->cseq > cseq->number)
        return reply(request, 500, "Out of order REGISTER", toTag);
      if (it != next.end() && it->callId == callId && it->cseq == cseq->number) continue;  // retransmission
      if (change.expires.count() == 0) {
        if (it != next.end()) next.erase(it);
        continue;
      }
      Binding b{std::move(change.contact), callId, cseq->number, now + change.expires, now, from};
      if (it != next.end()) *it = std::move(b);
      else next.push_back(std::move(b));
    }
    while (next.size() > settings_.maxBindingsPerUser) {
      auto oldest = std::min_element(next.begin(), next.end(),
                                     [](const Binding& a, const Binding& b) { return a.updatedAt < b.updatedAt; });
      next.erase(oldest);
    }
  }
  location_.replace(user, std::move(next));

  // §10.3 step 8: 200 with every current binding and its remaining time.
  sip::Message ok = reply(request, 200, "OK", toTag);
  for (const auto& b : location_.bindings(user)) {
    sip::NameAddr c = b.contact;
    const auto left = duration_cast<seconds>(b.expiresAt - now).count();
    c.setParam("expires", std::to_string(std::max<long long>(left, 0)));
    ok.addHeader("Contact", c.serialize());
  }
  return ok;
}

}  // namespace callgate::localdomain
