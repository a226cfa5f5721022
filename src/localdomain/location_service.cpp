#include "localdomain/location_service.hpp"

#include <algorithm>

#include "sip/grammar.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::localdomain {

using sip::grammar::iequals;

bool sameContactUri(const sip::Uri& a, const sip::Uri& b) {
  auto transport = [](const sip::Uri& u) { return u.param("transport").value_or("udp"); };
  return iequals(a.scheme, b.scheme) && a.user == b.user && iequals(a.host, b.host) && a.port == b.port &&
         iequals(transport(a), transport(b));
}

void LocationService::purge(std::vector<Binding>& list) const {
  const TimePoint t = clock_();
  std::erase_if(list, [t](const Binding& b) { return b.expiresAt <= t; });
}

const std::vector<Binding>& LocationService::bindings(const std::string& user) {
  static const std::vector<Binding> kNone;
  auto it = byUser_.find(user);
  if (it == byUser_.end()) return kNone;
  purge(it->second);
  if (it->second.empty()) {
    byUser_.erase(it);
    return kNone;
  }
  return it->second;
}

const Binding* LocationService::newest(const std::string& user) {
  const auto& list = bindings(user);
  const Binding* best = nullptr;
  for (const auto& b : list)
    if (!best || b.updatedAt >= best->updatedAt) best = &b;
  return best;
}

void LocationService::replace(const std::string& user, std::vector<Binding> list) {
  purge(list);
  if (list.empty()) byUser_.erase(user);
  else byUser_[user] = std::move(list);
}

bool LocationService::isContactAddress(const sip::transport::PeerAddress& address) {
  for (auto it = byUser_.begin(); it != byUser_.end();) {
    purge(it->second);
    if (it->second.empty()) {
      it = byUser_.erase(it);
      continue;
    }
    for (const auto& b : it->second)
      if (bindingAddress(b) == address) return true;
    ++it;
  }
  return false;
}

size_t LocationService::userCount() {
  size_t n = 0;
  for (auto& [user, list] : byUser_) {
    purge(list);
    if (!list.empty()) ++n;
  }
  return n;
}

sip::transport::PeerAddress bindingAddress(const Binding& binding) {
  const sip::Uri& uri = binding.contact.uri;
  if (auto ip = sip::transport::parseIpLiteral(uri.host))
    return {*ip, uri.port != 0 ? uri.port : uint16_t(iequals(uri.scheme, "sips") ? 5061 : 5060)};
  return binding.source;
}

}  // namespace callgate::localdomain
