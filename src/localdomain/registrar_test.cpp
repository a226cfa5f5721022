// The registrar through LocalDomain on a FakeTransport (RFC 3261 §10.3).
#include <gtest/gtest.h>

#include "localdomain/test_support.hpp"

namespace callgate::localdomain {
namespace {

using namespace std::chrono_literals;
using testing::addr;
using testing::DomainHarness;
using sip::Message;

const auto kPhoneA = addr("192.0.2.20", 5062);
const auto kPhoneB = addr("192.0.2.21", 5064);

TEST(Registrar, ChallengesThenAcceptsAndListsTheBinding) {
  DomainHarness h;
  auto reg = h.request("REGISTER", "sip:demo.test", "1000", "<sip:1000@demo.test>", "c1", 1, kPhoneA, "z9hG4bK1");
  reg.addHeader("Contact", "<sip:1000@192.0.2.20:5062>");
  reg.addHeader("Expires", "600");
  auto* challenge = h.exchange(reg, kPhoneA);
  ASSERT_NE(challenge, nullptr);
  EXPECT_EQ(challenge->message.status, 401);
  EXPECT_EQ(challenge->to, kPhoneA);
  auto c = sip::parseDigestChallenge(*challenge->message.header("WWW-Authenticate"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->realm, "demo.test");
  EXPECT_TRUE(c->qopAuth);
  EXPECT_EQ(c->algorithm, "MD5");
  EXPECT_TRUE(sip::parseNameAddr(*challenge->message.header("To"))->tag().has_value());
  EXPECT_EQ(h.domain->location().bindings("1000").size(), 0u);

  auto ok = h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "600");
  EXPECT_EQ(ok.status, 200);
  auto contacts = ok.headerValues("Contact");
  ASSERT_EQ(contacts.size(), 1u);
  auto contact = sip::parseNameAddr(contacts[0]);
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->uri.serialize(), "sip:1000@192.0.2.20:5062");
  EXPECT_EQ(contact->param("expires"), "600");
  ASSERT_EQ(h.domain->location().bindings("1000").size(), 1u);
}

TEST(Registrar, WrongPasswordIsForbidden) {
  DomainHarness h;
  auto r = h.registerUser("1000", "wrong", "<sip:1000@192.0.2.20:5062>", kPhoneA);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.reason, "Wrong password");
  EXPECT_TRUE(h.domain->location().bindings("1000").empty());
}

TEST(Registrar, UnknownUserIsNotFound) {
  DomainHarness h;
  auto r = h.registerUser("4711", "x", "<sip:4711@192.0.2.20:5062>", kPhoneA);
  EXPECT_EQ(r.status, 404);
}

TEST(Registrar, OnlyTheOwnAddressOfRecord) {
  DomainHarness h;
  // 1000's credentials for 1001's AoR.
  auto reg = h.request("REGISTER", "sip:demo.test", "1000", "<sip:1001@demo.test>", "c1", 1, kPhoneA, "z9hG4bK1");
  reg.addHeader("Contact", "<sip:1001@192.0.2.20:5062>");
  auto* challenge = h.exchange(reg, kPhoneA);
  ASSERT_EQ(challenge->message.status, 401);
  DomainHarness::authorize(reg, challenge->message, "1000", "pw1000");
  auto* r = h.exchange(reg, kPhoneA);
  EXPECT_EQ(r->message.status, 403);
  EXPECT_TRUE(h.domain->location().bindings("1001").empty());
}

TEST(Registrar, BindingsExpire) {
  DomainHarness h;
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "60").status, 200);
  h.now += 59s;
  EXPECT_EQ(h.domain->location().bindings("1000").size(), 1u);
  h.now += 2s;
  EXPECT_TRUE(h.domain->location().bindings("1000").empty());
  // A query (no Contact) now lists nothing.
  auto q = h.registerUser("1000", "pw1000", "", kPhoneA, "", 10);
  EXPECT_EQ(q.status, 200);
  EXPECT_EQ(q.headerCount("Contact"), 0u);
}

TEST(Registrar, QueryListsRemainingTime) {
  DomainHarness h;
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "3600").status, 200);
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.21:5064>;expires=1800", kPhoneB, "3600").status, 200);
  h.now += 100s;
  auto q = h.registerUser("1000", "pw1000", "", kPhoneA, "", 20);
  ASSERT_EQ(q.status, 200);
  auto contacts = q.headerValues("Contact");
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(sip::parseNameAddr(contacts[0])->param("expires"), "3500");
  EXPECT_EQ(sip::parseNameAddr(contacts[1])->param("expires"), "1700");
}

TEST(Registrar, WildcardRemovesEveryBinding) {
  DomainHarness h;
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA).status, 200);
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.21:5064>", kPhoneB).status, 200);
  ASSERT_EQ(h.domain->location().bindings("1000").size(), 2u);

  // "*" needs Expires: 0.
  EXPECT_EQ(h.registerUser("1000", "pw1000", "*", kPhoneA, "3600", 30).status, 400);
  EXPECT_EQ(h.domain->location().bindings("1000").size(), 2u);

  auto r = h.registerUser("1000", "pw1000", "*", kPhoneA, "0", 40);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headerCount("Contact"), 0u);
  EXPECT_TRUE(h.domain->location().bindings("1000").empty());
}

TEST(Registrar, ExpiresZeroRemovesOneContact) {
  DomainHarness h;
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA).status, 200);
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.21:5064>", kPhoneB).status, 200);
  auto r = h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>;expires=0", kPhoneA, "", 50);
  ASSERT_EQ(r.status, 200);
  auto left = h.domain->location().bindings("1000");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].contact.uri.host, "192.0.2.21");
}

TEST(Registrar, IntervalTooBriefAndLongOnesShortened) {
  DomainHarness h;
  auto brief = h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "10");
  EXPECT_EQ(brief.status, 423);
  EXPECT_EQ(brief.header("Min-Expires"), "30");
  auto longOne = h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "86400", 5);
  ASSERT_EQ(longOne.status, 200);
  EXPECT_EQ(sip::parseNameAddr(longOne.headerValues("Contact")[0])->param("expires"), "3600");
}

TEST(Registrar, StaleNonceIsRechallengedWithStale) {
  DomainHarness h;
  auto reg = h.request("REGISTER", "sip:demo.test", "1000", "<sip:1000@demo.test>", "c1", 1, kPhoneA, "z9hG4bK1");
  reg.addHeader("Contact", "<sip:1000@192.0.2.20:5062>");
  auto* challenge = h.exchange(reg, kPhoneA);
  Message again = reg;
  DomainHarness::authorize(again, challenge->message, "1000", "pw1000");
  h.now += 10min;  // the nonce lifetime is 300 s
  auto* stale = h.exchange(again, kPhoneA);
  ASSERT_EQ(stale->message.status, 401);
  auto c = sip::parseDigestChallenge(*stale->message.header("WWW-Authenticate"));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->stale);
}

TEST(Registrar, MalformedContactAndExpiresGet400) {
  DomainHarness h;
  auto badContact = h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062", kPhoneA);
  EXPECT_EQ(badContact.status, 400);
  EXPECT_NE(badContact.reason.find("Contact"), std::string::npos);
  auto badExpires = h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "soon");
  EXPECT_EQ(badExpires.status, 400);
  EXPECT_EQ(badExpires.reason, "Malformed Expires header");
}

TEST(Registrar, OutOfOrderRegisterIsRefused) {
  DomainHarness h;
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "3600", 10, "same").status, 200);
  // Same Call-ID, lower CSeq (§10.3 step 7).
  auto r = h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kPhoneA, "0", 3, "same");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(h.domain->location().bindings("1000").size(), 1u);
}

TEST(Registrar, MalformedRequestUriIs400) {
  DomainHarness h;
  auto reg = h.request("REGISTER", "sip:", "1000", "<sip:1000@demo.test>", "c1", 1, kPhoneA, "z9hG4bK1");
  auto* r = h.exchange(reg, kPhoneA);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 400);
  EXPECT_EQ(r->message.reason.rfind("Malformed Request-URI", 0), 0u) << r->message.reason;
}

TEST(Registrar, OtherDomainsAreNotServed) {
  DomainHarness h;
  auto reg = h.request("REGISTER", "sip:pbx.example.com", "1000", "<sip:1000@pbx.example.com>", "c1", 1, kPhoneA,
                       "z9hG4bK1");
  auto* r = h.exchange(reg, kPhoneA);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 403);
}

}  // namespace
}  // namespace callgate::localdomain

namespace callgate::localdomain {
namespace {

TEST(Registrar, OutboundStyleContactParamsAreKept) {
  // Linphone/baresip with RFC 5626 outbound: a quoted +sip.instance and reg-id. We do not do
  // outbound, so they are only stored and echoed (RFC 5626 §6: a registrar that does not
  // support outbound ignores reg-id); the UA finds its own Contact in the 200.
  DomainHarness h;
  auto ok = h.registerUser(
      "1000", "pw1000",
      "<sip:1000@192.0.2.20:5062;transport=udp>;+sip.instance=\"<urn:uuid:0b5a2c4e-1111-2222-3333-444455556666>\";reg-id=1;expires=600",
      kPhoneA, "3600");
  ASSERT_EQ(ok.status, 200);
  auto contacts = ok.headerValues("Contact");
  ASSERT_EQ(contacts.size(), 1u);
  auto c = sip::parseNameAddr(contacts[0]);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->uri.param("transport"), "udp");
  EXPECT_EQ(c->param("+sip.instance"), "\"<urn:uuid:0b5a2c4e-1111-2222-3333-444455556666>\"");
  EXPECT_EQ(c->param("reg-id"), "1");
  EXPECT_EQ(c->param("expires"), "600");
}

}  // namespace
}  // namespace callgate::localdomain
