// libFuzzer target for the local SIP domain (src/localdomain): the digest credentials parser
// and the user-list parser on the raw input, and every datagram that parses as SIP through a
// LocalDomain (registrar + stateless proxy) on an in-memory transport, first as it is, then
// again after one registration so the proxy paths that need a binding run too. Any crash or
// abort is a bug; every input must leave at most one message per message in.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "localdomain/digest_credentials.hpp"
#include "localdomain/domain_users.hpp"
#include "localdomain/local_domain.hpp"
#include "sip/parser.hpp"
#include "sip/transport/fake_transport.hpp"

using namespace callgate;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

struct Domain {
  Domain() {
    auto t = std::make_unique<sip::transport::FakeTransport>("192.0.2.10", 5070);
    fake = t.get();
    localdomain::LocalDomainConfig config;
    config.name = "demo.test";
    config.users = {{"1000", "pw"}, {"1001", "pw"}};
    domain = std::make_unique<localdomain::LocalDomain>(
        std::move(t), config, [] { return localdomain::TimePoint{} + std::chrono::hours(1); });
    domain->start();
    domain->addStaticRoute("echo", {boost::asio::ip::make_address("192.0.2.50"), 5090});
  }
  void feed(const sip::Message& m) {
    const size_t before = fake->sent.size();
    fake->deliver(m, {boost::asio::ip::make_address("192.0.2.20"), 5062});
    check(fake->sent.size() <= before + 1);
    fake->sent.clear();
  }
  sip::transport::FakeTransport* fake = nullptr;
  std::unique_ptr<localdomain::LocalDomain> domain;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)localdomain::parseDigestResponse(input);
  (void)localdomain::parseDomainUsers(input);

  auto message = sip::parseMessage(input);
  if (!message) return 0;
  for (const auto& h : message->headers) (void)localdomain::parseDigestResponse(h.value);

  Domain fresh;
  fresh.feed(*message);

  // A domain where 1001 is registered (binding injected directly: the fuzzer cannot guess a
  // digest response).
  Domain registered;
  localdomain::Binding b;
  auto contact = sip::parseNameAddr("<sip:1001@192.0.2.21:5064>");
  check(contact.ok());
  b.contact = *contact;
  b.callId = "c";
  b.expiresAt = localdomain::TimePoint{} + std::chrono::hours(2);
  b.updatedAt = localdomain::TimePoint{} + std::chrono::hours(1);
  b.source = {boost::asio::ip::make_address("192.0.2.21"), 5064};
  registered.domain->location().replace("1001", {b});
  registered.feed(*message);
  return 0;
}
