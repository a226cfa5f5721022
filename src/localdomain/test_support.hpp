#pragma once
// Tests only: a LocalDomain on a FakeTransport with a hand-moved clock, and phones that
// build requests and answer challenges with callgate's client-side digest code.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "localdomain/local_domain.hpp"
#include "sip/digest.hpp"
#include "sip/header_values.hpp"
#include "sip/transport/fake_transport.hpp"

namespace callgate::localdomain::testing {

using sip::Message;
using sip::transport::FakeTransport;
using sip::transport::PeerAddress;

inline PeerAddress addr(const std::string& ip, uint16_t port) { return {boost::asio::ip::make_address(ip), port}; }

class DomainHarness {
 public:
  DomainHarness() {
    auto transport = std::make_unique<FakeTransport>("192.0.2.10", 5070);
    fake = transport.get();
    LocalDomainConfig config;
    config.name = "demo.test";
    config.users = {{"1000", "pw1000"}, {"1001", "pw1001"}, {"1002", "pw1002"}};
    domain = std::make_unique<LocalDomain>(std::move(transport), config, [this] { return now; });
    domain->start();
  }

  // A request as a phone at `from` would send it (Via with rport, From tag per user).
  Message request(const std::string& method, const std::string& ruri, const std::string& fromUser,
                  const std::string& toUri, const std::string& callId, uint32_t cseq, const PeerAddress& from,
                  const std::string& branch) const {
    Message m = Message::request(method, ruri);
    m.addHeader("Via", "SIP/2.0/UDP " + from.toString() + ";branch=" + branch + ";rport");
    m.addHeader("Max-Forwards", "70");
    m.addHeader("From", "<sip:" + fromUser + "@demo.test>;tag=tag-" + fromUser);
    m.addHeader("To", toUri);
    m.addHeader("Call-ID", callId);
    m.addHeader("CSeq", std::to_string(cseq) + " " + method);
    return m;
  }

  // Adds credentials answering the challenge in `challengeResponse` (401 or 407).
  static void authorize(Message& m, const Message& challengeResponse, const std::string& user,
                        const std::string& password) {
    const bool proxy = challengeResponse.status == 407;
    auto header = challengeResponse.header(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
    ASSERT_TRUE(header.has_value());
    auto challenge = sip::parseDigestChallenge(*header);
    ASSERT_TRUE(challenge) << challenge.error().message;
    m.addHeader(proxy ? "Proxy-Authorization" : "Authorization",
                sip::buildDigestAuthorization(*challenge, {user, password}, m.method, m.requestUri, 1, "cn0nce"));
  }

  // Delivers `m` from `from` and returns what the domain sent in reaction (nullptr: nothing).
  const FakeTransport::Sent* exchange(const Message& m, const PeerAddress& from) {
    const size_t before = fake->sent.size();
    fake->deliver(m, from);
    if (fake->sent.size() == before) return nullptr;
    EXPECT_EQ(fake->sent.size(), before + 1) << "one message out per message in";
    return &fake->sent.back();
  }

  // REGISTER with the 401 round; returns the final response.
  Message registerUser(const std::string& user, const std::string& password, const std::string& contact,
                       const PeerAddress& from, const std::string& expires = "3600", uint32_t cseq = 1,
                       const std::string& callId = "") {
    const std::string cid = callId.empty() ? "reg-" + user + "-" + from.toString() : callId;
    Message reg = request("REGISTER", "sip:demo.test", user, "<sip:" + user + "@demo.test>", cid, cseq, from,
                          "z9hG4bKreg" + std::to_string(cseq) + user);
    if (!contact.empty()) reg.addHeader("Contact", contact);
    if (!expires.empty()) reg.addHeader("Expires", expires);
    auto* challenge = exchange(reg, from);
    if (!challenge || challenge->message.status != 401) return challenge ? challenge->message : Message{};
    Message again = reg;
    again.setHeader("CSeq", std::to_string(cseq + 1) + " REGISTER");
    again.setHeader("Via", "SIP/2.0/UDP " + from.toString() + ";branch=z9hG4bKreg" + std::to_string(cseq + 1) + user +
                               ";rport");
    authorize(again, challenge->message, user, password);
    auto* final = exchange(again, from);
    return final ? final->message : Message{};
  }

  // An out-of-dialog request from `user` through the 407 round; returns what went out last.
  const FakeTransport::Sent* authenticated(Message m, const PeerAddress& from, const std::string& user,
                                           const std::string& password) {
    auto* challenge = exchange(m, from);
    if (!challenge || challenge->message.status != 407) return challenge;
    const std::string branch = "z9hG4bKauth" + std::to_string(++authRound_);
    m.setHeader("Via", "SIP/2.0/UDP " + from.toString() + ";branch=" + branch + ";rport");
    auto cseq = sip::parseCSeq(*m.header("CSeq"));
    m.setHeader("CSeq", std::to_string(cseq->number + 1) + " " + cseq->method);
    authorize(m, challenge->message, user, password);
    return exchange(m, from);
  }

  TimePoint now = TimePoint{} + std::chrono::hours(1000);
  FakeTransport* fake = nullptr;
  std::unique_ptr<LocalDomain> domain;

 private:
  int authRound_ = 0;
};

}  // namespace callgate::localdomain::testing
