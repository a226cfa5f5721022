#pragma once
// LocalDomain: callgate as registrar and proxy of one SIP domain (issue 4, "A local SIP
// domain"), so browsers (through callgate's gateway) and softphones registered to callgate
// call each other without an external PBX. Owns one SIP transport (UDP), a Registrar for
// REGISTER and a StatelessProxy for everything else; users and their passwords come from
// configuration.
//
// Malformed datagrams never reach this class: the transport answers them 400 with the
// parser's reason (requests) or drops them (responses).
//
// Threading: everything — start(), stop(), addStaticRoute(), every callback — runs on the
// thread of the io_context the transport lives on (callgate: the main thread's mainIo).
// Lifetime: stop() (or destruction) closes the socket; nothing fires afterwards.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"
#include "localdomain/clock.hpp"
#include "localdomain/digest_verifier.hpp"
#include "localdomain/domain_identity.hpp"
#include "localdomain/domain_users.hpp"
#include "localdomain/location_service.hpp"
#include "localdomain/registrar.hpp"
#include "localdomain/stateless_proxy.hpp"
#include "sip/transport/transport.hpp"

namespace callgate::localdomain {

struct LocalDomainConfig {
  std::string name;                  // domain and realm; must not be empty
  std::vector<DomainUser> users;
  std::vector<std::string> aliases;  // more hosts that mean this domain (IPs of this host)
  RegistrarSettings registrar;
  std::chrono::seconds nonceLifetime{300};
};

struct LocalDomainStats {
  uint64_t registers = 0;
  uint64_t requests = 0;
  uint64_t responses = 0;
};

class LocalDomain final : private sip::transport::Transport::Listener {
 public:
  // Binds UDP bindIp:port (advertised as advertisedHost, empty = bindIp) and builds the
  // domain. Aliases get the advertised and bound addresses, and every local interface
  // address when bound to a wildcard address. Errors: bind failures, empty name.
  static Result<std::unique_ptr<LocalDomain>> open(boost::asio::io_context& io, const std::string& bindIp,
                                                   uint16_t port, const std::string& advertisedHost,
                                                   LocalDomainConfig config);

  // Over any transport (tests: FakeTransport). The transport's advertised host/port become
  // our Via sent-by and are added to the aliases.
  LocalDomain(std::unique_ptr<sip::transport::Transport> transport, LocalDomainConfig config,
              Clock clock = systemClock());
  ~LocalDomain() override;
  LocalDomain(const LocalDomain&) = delete;
  LocalDomain& operator=(const LocalDomain&) = delete;

  void start();
  // Closes the socket. Bindings are forgotten with the object.
  void stop();

  // Calls to `user` go to `address` (e.g. an in-process endpoint such as the echo service);
  // see StatelessProxy::addStaticRoute.
  void addStaticRoute(std::string user, sip::transport::PeerAddress address);

  const std::string& name() const { return identity_.name; }
  uint16_t port() const { return identity_.port; }
  size_t userCount() const { return config_.users.size(); }
  const LocalDomainStats& stats() const { return stats_; }
  const ProxyStats& proxyStats() const { return proxy_.stats(); }
  LocationService& location() { return location_; }
  sip::transport::Transport* transport() { return transport_.get(); }

 private:
  void onMessage(sip::Message message, const sip::transport::PeerAddress& from) override;
  void send(const Outgoing& out);

  std::unique_ptr<sip::transport::Transport> transport_;
  LocalDomainConfig config_;
  DomainIdentity identity_;
  Clock clock_;
  DigestVerifier verifier_;
  LocationService location_;
  Registrar registrar_;
  StatelessProxy proxy_;
  LocalDomainStats stats_;
};

}  // namespace callgate::localdomain
