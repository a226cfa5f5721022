#pragma once
// The local domain's location service (RFC 3261 §10.3, §16.5): the contacts each user has
// registered, with their expiry. In memory only: a restart forgets every binding, and UAs
// re-register on their next refresh.
//
// Threading: used on the local domain's thread only; no locks.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "localdomain/clock.hpp"
#include "sip/header_values.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::localdomain {

struct Binding {
  sip::NameAddr contact;  // as registered, without its expires parameter
  std::string callId;     // of the REGISTER that made or last refreshed it
  uint32_t cseq = 0;
  TimePoint expiresAt;
  TimePoint updatedAt;  // "most recent" for routing
  sip::transport::PeerAddress source;  // where that REGISTER came from
};

// §19.1.4 URI equality, reduced to what tells contacts apart: scheme, user, host (case-
// insensitive), port as written, and the transport parameter.
bool sameContactUri(const sip::Uri& a, const sip::Uri& b);

class LocationService {
 public:
  explicit LocationService(Clock clock) : clock_(std::move(clock)) {}

  // Live bindings of `user`, oldest first (expired ones are dropped first).
  const std::vector<Binding>& bindings(const std::string& user);
  // The most recently registered live binding, or nullptr.
  const Binding* newest(const std::string& user);
  // Replaces the user's bindings (the registrar computes the new set atomically, §10.3 step 7).
  void replace(const std::string& user, std::vector<Binding> bindings);
  // Is `address` (IP literal host + port) the contact address of any live binding? Used to
  // let in-dialog requests through to a registered UA without relaying for strangers.
  bool isContactAddress(const sip::transport::PeerAddress& address);

  size_t userCount();
  TimePoint now() const { return clock_(); }

 private:
  void purge(std::vector<Binding>& list) const;

  Clock clock_;
  std::map<std::string, std::vector<Binding>, std::less<>> byUser_;
};

// Where a request for `binding` goes: the contact's host when it is an IP literal (port
// from the URI, default 5060), else the address its REGISTER came from.
sip::transport::PeerAddress bindingAddress(const Binding& binding);

}  // namespace callgate::localdomain
