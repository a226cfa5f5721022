// The proxy through LocalDomain on a FakeTransport (RFC 3261 §16, §16.11).
#include <gtest/gtest.h>

#include "localdomain/proxy_support.hpp"
#include "localdomain/test_support.hpp"
#include "sip/transaction/responses.hpp"

namespace callgate::localdomain {
namespace {

using namespace std::chrono_literals;
using testing::addr;
using testing::DomainHarness;
using sip::Message;

const auto kCaller = addr("192.0.2.20", 5062);    // 1000
const auto kCallee = addr("192.0.2.21", 5064);    // 1001, first device
const auto kCallee2 = addr("192.0.2.22", 5066);   // 1001, second device

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kCaller).status, 200);
    ASSERT_EQ(h.registerUser("1001", "pw1001", "<sip:1001@192.0.2.21:5064;ob>", kCallee).status, 200);
  }
  Message invite(const std::string& to = "1001", const std::string& branch = "z9hG4bKinv1") {
    Message m = h.request("INVITE", "sip:" + to + "@demo.test", "1000", "<sip:" + to + "@demo.test>", "call-1", 1,
                          kCaller, branch);
    m.addHeader("Contact", "<sip:1000@192.0.2.20:5062>");
    return m;
  }
  // The authenticated INVITE as it left the proxy.
  const sip::transport::FakeTransport::Sent* forwardInvite(const std::string& to = "1001") {
    return h.authenticated(invite(to), kCaller, "1000", "pw1000");
  }
  DomainHarness h;
};

TEST_F(ProxyTest, UnauthenticatedInviteGets407AndItsAckIsAbsorbed) {
  Message inv = invite();
  auto* r = h.exchange(inv, kCaller);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 407);
  EXPECT_EQ(r->to, kCaller);
  auto c = sip::parseDigestChallenge(*r->message.header("Proxy-Authenticate"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->realm, "demo.test");
  EXPECT_TRUE(c->qopAuth);

  // §17.1.1.3: the ACK repeats the INVITE's branch and carries the 407's To tag.
  Message ack = h.request("ACK", inv.requestUri, "1000", std::string(*r->message.header("To")), "call-1", 1, kCaller,
                          "z9hG4bKinv1");
  EXPECT_EQ(h.exchange(ack, kCaller), nullptr);
  EXPECT_EQ(h.domain->proxyStats().absorbedAcks, 1u);
}

TEST_F(ProxyTest, ForwardsToTheBindingWithOurViaAndOneHopLess) {
  auto* out = forwardInvite();
  ASSERT_NE(out, nullptr);
  const Message& fwd = out->message;
  ASSERT_TRUE(fwd.isRequest());
  EXPECT_EQ(out->to, kCallee);
  EXPECT_EQ(fwd.requestUri, "sip:1001@192.0.2.21:5064;ob");
  EXPECT_EQ(fwd.header("Max-Forwards"), "69");
  EXPECT_EQ(fwd.headerCount("Proxy-Authorization"), 0u);
  auto vias = fwd.headerValues("Via");
  ASSERT_EQ(vias.size(), 2u);
  auto top = sip::parseVia(vias[0]);
  ASSERT_TRUE(top);
  EXPECT_EQ(top->host, "192.0.2.10");
  EXPECT_EQ(top->port, 5070);
  EXPECT_EQ(top->branch()->rfind("z9hG4bKcgld", 0), 0u);
  auto caller = sip::parseVia(vias[1]);
  ASSERT_TRUE(caller);
  EXPECT_EQ(caller->param("rport"), "5062");  // stamped on arrival, used for the way back
  EXPECT_EQ(fwd.header("Call-ID"), "call-1");
  EXPECT_EQ(fwd.header("Contact"), "<sip:1000@192.0.2.20:5062>");
}

TEST_F(ProxyTest, NewestBindingWins) {
  ASSERT_EQ(h.registerUser("1001", "pw1001", "<sip:1001@192.0.2.22:5066>", kCallee2).status, 200);
  auto* out = forwardInvite();
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->to, kCallee2);
  h.now += 1s;
  ASSERT_EQ(h.registerUser("1001", "pw1001", "<sip:1001@192.0.2.21:5064;ob>", kCallee, "3600", 9).status, 200);
  auto* again = h.authenticated(invite("1001", "z9hG4bKinv9"), kCaller, "1000", "pw1000");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->to, kCallee);
}

TEST_F(ProxyTest, RetransmissionCancelAndAckKeepTheBranch) {
  auto* challenge = h.exchange(invite(), kCaller);
  ASSERT_EQ(challenge->message.status, 407);
  Message authInvite = invite("1001", "z9hG4bKinv2");
  authInvite.setHeader("CSeq", "2 INVITE");
  DomainHarness::authorize(authInvite, challenge->message, "1000", "pw1000");
  auto* out = h.exchange(authInvite, kCaller);
  ASSERT_TRUE(out && out->message.isRequest());
  const Message sentInvite = out->message;
  const std::string branch = *sip::parseVia(sentInvite.headerValues("Via")[0])->branch();

  // §16.11: a retransmission leaves with the same branch.
  auto* re = h.exchange(authInvite, kCaller);
  ASSERT_TRUE(re && re->message.isRequest());
  EXPECT_EQ(*sip::parseVia(re->message.headerValues("Via")[0])->branch(), branch);
  // A different transaction gets a different one.
  Message other = authInvite;
  other.setHeader("Via", "SIP/2.0/UDP 192.0.2.20:5062;branch=z9hG4bKinv3;rport");
  auto* o = h.exchange(other, kCaller);
  ASSERT_TRUE(o && o->message.isRequest());
  EXPECT_NE(*sip::parseVia(o->message.headerValues("Via")[0])->branch(), branch);

  // CANCEL: same branch as the INVITE, no credentials, no challenge (§22.1).
  Message cancel = h.request("CANCEL", "sip:1001@demo.test", "1000", "<sip:1001@demo.test>", "call-1", 2, kCaller,
                             "z9hG4bKinv2");
  auto* c = h.exchange(cancel, kCaller);
  ASSERT_TRUE(c && c->message.isRequest());
  EXPECT_EQ(c->message.method, "CANCEL");
  EXPECT_EQ(c->to, kCallee);
  EXPECT_EQ(*sip::parseVia(c->message.headerValues("Via")[0])->branch(), branch);
  EXPECT_EQ(c->message.requestUri, sentInvite.requestUri);  // §9.1: same Request-URI as the INVITE

  // ACK for the callee's 487 (To tag from the callee): forwarded, same branch.
  Message ack = h.request("ACK", "sip:1001@demo.test", "1000", "<sip:1001@demo.test>;tag=callee", "call-1", 2, kCaller,
                          "z9hG4bKinv2");
  auto* a = h.exchange(ack, kCaller);
  ASSERT_TRUE(a && a->message.isRequest());
  EXPECT_EQ(a->message.method, "ACK");
  EXPECT_EQ(a->to, kCallee);
  EXPECT_EQ(*sip::parseVia(a->message.headerValues("Via")[0])->branch(), branch);
}

TEST_F(ProxyTest, ResponsesFollowTheViaBack) {
  auto* out = forwardInvite();
  ASSERT_NE(out, nullptr);
  Message ringing = sip::transaction::makeResponse(out->message, 180, "", "callee-tag");
  auto* back = h.exchange(ringing, kCallee);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->message.status, 180);
  EXPECT_EQ(back->to, kCaller);
  auto vias = back->message.headerValues("Via");
  ASSERT_EQ(vias.size(), 1u);
  EXPECT_EQ(sip::parseVia(vias[0])->host, "192.0.2.20");

  // rport honoured: the caller's Via said 5062 but the request came from 40000 (NAT).
  const auto natted = addr("192.0.2.20", 40000);
  Message inv = invite("1001", "z9hG4bKnat");
  auto* challenge = h.exchange(inv, natted);
  ASSERT_EQ(challenge->to, natted);
  inv.setHeader("Via", "SIP/2.0/UDP 192.0.2.20:5062;branch=z9hG4bKnat2;rport");
  DomainHarness::authorize(inv, challenge->message, "1000", "pw1000");
  auto* fwd = h.exchange(inv, natted);
  ASSERT_TRUE(fwd && fwd->message.isRequest());
  auto* ok = h.exchange(sip::transaction::makeResponse(fwd->message, 200, "", "t"), kCallee);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->to, natted);
}

TEST_F(ProxyTest, ForeignOrBrokenResponsesAreDropped) {
  Message stray = Message::response(200, "OK");
  stray.addHeader("Via", "SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bKother");
  stray.addHeader("Via", "SIP/2.0/UDP 192.0.2.20:5062;branch=z9hG4bKx");
  stray.addHeader("From", "<sip:a@b>;tag=1");
  stray.addHeader("To", "<sip:a@b>;tag=2");
  stray.addHeader("Call-ID", "x");
  stray.addHeader("CSeq", "1 INVITE");
  EXPECT_EQ(h.exchange(stray, kCallee), nullptr);
  // Our Via but nothing below it.
  Message alone = stray;
  alone.removeHeader("Via");
  alone.addHeader("Via", "SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bKcgldabc");
  EXPECT_EQ(h.exchange(alone, kCallee), nullptr);
  EXPECT_EQ(h.domain->proxyStats().droppedResponses, 2u);
}

TEST_F(ProxyTest, UnknownUserIs404AndUnregisteredIs480) {
  auto* unknown = forwardInvite("4711");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->message.status, 404);
  auto* away = forwardInvite("1002");
  ASSERT_NE(away, nullptr);
  EXPECT_EQ(away->message.status, 480);
  EXPECT_EQ(away->message.reason, "Temporarily Unavailable");
  // Registered, then unregistered.
  ASSERT_EQ(h.registerUser("1001", "pw1001", "*", kCallee, "0", 20).status, 200);
  auto* gone = forwardInvite("1001");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->message.status, 480);
}

TEST_F(ProxyTest, MaxForwardsZeroIs483) {
  Message inv = invite();
  inv.setHeader("Max-Forwards", "0");
  auto* r = h.exchange(inv, kCaller);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 483);
}

TEST_F(ProxyTest, WrongPasswordAndSpoofedFromAreForbidden) {
  auto* wrong = h.authenticated(invite(), kCaller, "1000", "nope");
  ASSERT_NE(wrong, nullptr);
  EXPECT_EQ(wrong->message.status, 403);
  // 1002's credentials on a request From 1000.
  auto* spoofed = h.authenticated(invite(), kCaller, "1002", "pw1002");
  ASSERT_NE(spoofed, nullptr);
  EXPECT_EQ(spoofed->message.status, 403);
  EXPECT_EQ(spoofed->message.reason, "From user does not match credentials");
}

TEST_F(ProxyTest, StaticRouteNeedsAuthAndRewritesTheTarget) {
  const auto echo = addr("192.0.2.50", 5090);
  h.domain->addStaticRoute("echo", echo);
  auto* challenge = h.exchange(invite("echo"), kCaller);
  ASSERT_NE(challenge, nullptr);
  EXPECT_EQ(challenge->message.status, 407);
  auto* out = forwardInvite("echo");
  ASSERT_NE(out, nullptr);
  ASSERT_TRUE(out->message.isRequest());
  EXPECT_EQ(out->to, echo);
  EXPECT_EQ(out->message.requestUri, "sip:echo@192.0.2.50:5090");
}

TEST_F(ProxyTest, InDialogRequestsOnlyToRegisteredContacts) {
  // A BYE the caller routes through us (its outbound proxy) to the callee's Contact.
  Message bye = h.request("BYE", "sip:1001@192.0.2.21:5064;ob", "1000", "<sip:1001@demo.test>;tag=callee", "call-1",
                          3, kCaller, "z9hG4bKbye");
  auto* out = h.exchange(bye, kCaller);
  ASSERT_NE(out, nullptr);
  ASSERT_TRUE(out->message.isRequest());
  EXPECT_EQ(out->to, kCallee);
  EXPECT_EQ(out->message.requestUri, "sip:1001@192.0.2.21:5064;ob");

  // The same to an address nobody registered: we are no open relay.
  Message relay = h.request("BYE", "sip:x@198.51.100.7:5060", "1000", "<sip:x@198.51.100.7>;tag=t", "call-2", 3,
                            kCaller, "z9hG4bKrelay");
  auto* refused = h.exchange(relay, kCaller);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->message.status, 403);
  // Out of dialog to a registered contact: still authenticated.
  Message direct = h.request("MESSAGE", "sip:1001@192.0.2.21:5064;ob", "1000", "<sip:1001@demo.test>", "call-3", 1,
                             kCaller, "z9hG4bKmsg");
  auto* challenged = h.exchange(direct, kCaller);
  ASSERT_NE(challenged, nullptr);
  EXPECT_EQ(challenged->message.status, 407);
}

TEST_F(ProxyTest, ForeignDomainIsNotRelayed) {
  Message inv = h.request("INVITE", "sip:2000@pbx.example.com", "1000", "<sip:2000@pbx.example.com>", "c9", 1, kCaller,
                          "z9hG4bKf");
  auto* r = h.exchange(inv, kCaller);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 403);
  EXPECT_EQ(r->message.reason, "Relaying forbidden");
}

TEST_F(ProxyTest, LoopToOurselvesIs482) {
  // 1002 registers a contact that is the proxy itself.
  ASSERT_EQ(h.registerUser("1002", "pw1002", "<sip:1002@192.0.2.10:5070>", kCallee2).status, 200);
  auto* r = forwardInvite("1002");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 482);
}

TEST_F(ProxyTest, OptionsToTheDomainIsAnswered) {
  Message options = h.request("OPTIONS", "sip:demo.test", "1000", "<sip:demo.test>", "o1", 1, kCaller, "z9hG4bKo");
  auto* r = h.exchange(options, kCaller);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 200);
  EXPECT_TRUE(r->message.header("Allow").has_value());
}

TEST_F(ProxyTest, OurRouteIsRemovedAndOtherRoutesNeedARegisteredHop) {
  Message inv = invite("1001", "z9hG4bKroute");
  inv.addHeader("Route", "<sip:192.0.2.10:5070;lr>");
  auto* out = h.authenticated(inv, kCaller, "1000", "pw1000");
  ASSERT_NE(out, nullptr);
  ASSERT_TRUE(out->message.isRequest());
  EXPECT_EQ(out->message.headerCount("Route"), 0u);
  EXPECT_EQ(out->to, kCallee);
}

}  // namespace
}  // namespace callgate::localdomain

namespace callgate::localdomain {
namespace {

TEST_F(ProxyTest, StrictRouterRequestUriIsRestoredFromTheLastRoute) {
  // §16.4: a strict router before us put our address in the Request-URI and the real target
  // at the end of the Route set.
  Message inv = h.request("INVITE", "sip:192.0.2.10:5070", "1000", "<sip:1001@demo.test>", "strict-1", 1, kCaller,
                          "z9hG4bKstrict");
  inv.addHeader("Route", "<sip:1001@demo.test>");
  auto* out = h.authenticated(inv, kCaller, "1000", "pw1000");
  ASSERT_NE(out, nullptr);
  ASSERT_TRUE(out->message.isRequest()) << out->message.status << " " << out->message.reason;
  EXPECT_EQ(out->to, kCallee);
  EXPECT_EQ(out->message.requestUri, "sip:1001@192.0.2.21:5064;ob");
  EXPECT_EQ(out->message.headerCount("Route"), 0u);
}

}  // namespace
}  // namespace callgate::localdomain

namespace callgate::localdomain {
namespace {

TEST_F(ProxyTest, ExpiredBindingIs480) {
  h.now += 3601s;  // 1001 registered for 3600 s in SetUp
  ASSERT_EQ(h.registerUser("1000", "pw1000", "<sip:1000@192.0.2.20:5062>", kCaller, "3600", 30).status, 200);
  auto* r = forwardInvite("1001");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->message.status, 480);
}

}  // namespace
}  // namespace callgate::localdomain
