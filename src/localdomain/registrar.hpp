#pragma once
// The local domain's registrar (RFC 3261 §10.3): REGISTER with digest authentication
// (401 + WWW-Authenticate), bindings per user with expiry, Contact "*" + Expires 0 removes
// them all, a REGISTER without Contact is a query; 200 lists the current bindings.
//
// Stateless: each REGISTER (also a retransmission) is processed on its own and answered at
// once. A retransmission (same Call-ID and CSeq as a stored binding) is answered with the
// current bindings instead of the §10.3 step 7 "500" meant for out-of-order requests.
//
// Threading: on the local domain's thread only.
#include <chrono>
#include <string_view>
#include <vector>

#include "localdomain/digest_verifier.hpp"
#include "localdomain/domain_users.hpp"
#include "localdomain/location_service.hpp"
#include "sip/message.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::localdomain {

struct RegistrarSettings {
  std::chrono::seconds minExpires{30};      // shorter (but not 0) -> 423 Interval Too Brief
  std::chrono::seconds maxExpires{3600};    // longer -> shortened to this (§10.3 step 7)
  std::chrono::seconds defaultExpires{3600};
  size_t maxBindingsPerUser = 10;           // more -> the oldest binding is dropped
};

class Registrar {
 public:
  // `users`, `verifier` and `location` must outlive the registrar.
  Registrar(const std::vector<DomainUser>& users, const DigestVerifier& verifier, LocationService& location,
            RegistrarSettings settings = {});

  // The final response to `request` (a REGISTER). `toTag` is put into the response's To.
  sip::Message handle(const sip::Message& request, const sip::transport::PeerAddress& from, std::string_view toTag);

 private:
  sip::Message reply(const sip::Message& request, int status, std::string_view reason, std::string_view toTag) const;

  const std::vector<DomainUser>& users_;
  const DigestVerifier& verifier_;
  LocationService& location_;
  RegistrarSettings settings_;
};

}  // namespace callgate::localdomain
