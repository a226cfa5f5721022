#include "sip/transaction/sip_endpoint.hpp"

#include <gtest/gtest.h>

#include "sip/header_values.hpp"
#include "sip/transaction/test_support.hpp"

namespace callgate::sip::transaction {
namespace {

using testing::EndpointHarness;
using testing::runFor;
using testing::runUntil;
using namespace std::chrono_literals;

struct RecordingUser : ClientTransactionUser {
  void onResponse(TransactionId id, const Message& response) override { statuses.push_back(response.status); }
  void onTransactionTimeout(TransactionId id) override { ++timeouts; }
  std::vector<int> statuses;
  int timeouts = 0;
};

Message request(const std::string& method, const std::string& callId = "call-1") {
  Message m = Message::request(method, "sip:bob@example.com");
  m.addHeader("From", "<sip:alice@example.com>;tag=alice");
  m.addHeader("To", "<sip:bob@example.com>");
  m.addHeader("Call-ID", callId);
  m.addHeader("CSeq", "1 " + method);
  return m;
}

// A request as a peer would send it, with its own Via.
Message incoming(const std::string& method, const std::string& branch, const std::string& to = "<sip:gw@example.com>") {
  Message m = Message::request(method, "sip:gw@192.0.2.10:5062");
  m.addHeader("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=" + branch + ";rport");
  m.addHeader("Max-Forwards", "70");
  m.addHeader("From", "<sip:peer@example.com>;tag=peer");
  m.addHeader("To", to);
  m.addHeader("Call-ID", "in-" + branch);
  m.addHeader("CSeq", "5 " + method);
  return m;
}

std::string branchOf(const Message& m) {
  auto via = parseVia(m.headerValues("Via").front());
  return via ? via->branch().value_or("") : "";
}

TEST(SipEndpoint, NonInviteRetransmitsUntilFinalResponse) {
  EndpointHarness h;
  RecordingUser user;
  h.endpoint->sendRequest(request("REGISTER"), h.peer, &user);
  ASSERT_TRUE(h.waitFor("REGISTER", 3));  // timer E: 10, 20, 40 ms
  const Message first = h.find("REGISTER")->message;
  EXPECT_EQ(branchOf(first), branchOf(h.find("REGISTER", 2)->message));
  EXPECT_EQ(branchOf(first).rfind("z9hG4bK", 0), 0u);
  EXPECT_EQ(first.header("Max-Forwards").value_or(""), "70");
  EXPECT_EQ(first.header("User-Agent").value_or(""), "callgate");
  h.reply(first, 100);
  h.reply(first, 200);
  h.reply(first, 200);  // retransmitted final is absorbed
  EXPECT_EQ(user.statuses, (std::vector<int>{100, 200}));
  size_t sent = h.count("REGISTER");
  runFor(h.io, 100ms);
  EXPECT_EQ(h.count("REGISTER"), sent);  // no retransmission after the final response
  EXPECT_TRUE(runUntil(h.io, [&] { return h.endpoint->clientTransactionCount() == 0; }));  // timer K
}

TEST(SipEndpoint, NonInviteTimesOutWithTimerF) {
  EndpointHarness h;
  RecordingUser user;
  h.endpoint->sendRequest(request("OPTIONS"), h.peer, &user);
  ASSERT_TRUE(runUntil(h.io, [&] { return user.timeouts == 1; }));  // 64*T1 = 640 ms
  EXPECT_GE(h.count("OPTIONS"), 6u);
  EXPECT_TRUE(user.statuses.empty());
}

TEST(SipEndpoint, InviteNonSuccessFinalIsAckedByTransaction) {
  EndpointHarness h;
  RecordingUser user;
  Message invite = request("INVITE");
  invite.addHeader("Route", "<sip:proxy.example.com;lr>");
  h.endpoint->sendRequest(invite, h.peer, &user);
  ASSERT_TRUE(h.waitFor("INVITE"));
  const Message sent = h.find("INVITE")->message;
  h.reply(sent, 180);
  runFor(h.io, 60ms);
  EXPECT_EQ(h.count("INVITE"), 1u);  // timer A stops on 1xx
  h.reply(sent, 486, "Busy Here");
  ASSERT_EQ(h.count("ACK"), 1u);
  const Message ack = h.find("ACK")->message;
  EXPECT_EQ(branchOf(ack), branchOf(sent));
  EXPECT_EQ(ack.requestUri, sent.requestUri);
  EXPECT_EQ(ack.header("CSeq").value_or(""), "1 ACK");
  EXPECT_NE(std::string(ack.header("To").value_or("")).find("tag=peer-tag"), std::string::npos);
  EXPECT_EQ(ack.header("Route").value_or(""), "<sip:proxy.example.com;lr>");
  h.reply(sent, 486, "Busy Here");  // retransmitted final: ACK again, user not told twice
  EXPECT_EQ(h.count("ACK"), 2u);
  EXPECT_EQ(user.statuses, (std::vector<int>{180, 486}));
}

TEST(SipEndpoint, Invite2xxRetransmissionsReachUser) {
  EndpointHarness h;
  RecordingUser user;
  h.endpoint->sendRequest(request("INVITE"), h.peer, &user);
  ASSERT_TRUE(h.waitFor("INVITE"));
  const Message sent = h.find("INVITE")->message;
  h.reply(sent, 200);
  h.reply(sent, 200);
  EXPECT_EQ(user.statuses, (std::vector<int>{200, 200}));
  EXPECT_EQ(h.count("ACK"), 0u);  // the ACK for 2xx is the TU's job
}

TEST(SipEndpoint, CancelReusesInviteBranch) {
  EndpointHarness h;
  RecordingUser user;
  TransactionId invite = h.endpoint->sendRequest(request("INVITE"), h.peer, &user);
  ASSERT_TRUE(h.waitFor("INVITE"));
  h.reply(h.find("INVITE")->message, 180);
  TransactionId cancel = h.endpoint->sendCancel(invite, &user);
  ASSERT_NE(cancel, 0u);
  ASSERT_EQ(h.count("CANCEL"), 1u);
  const Message c = h.find("CANCEL")->message;
  EXPECT_EQ(branchOf(c), branchOf(h.find("INVITE")->message));
  EXPECT_EQ(c.header("CSeq").value_or(""), "1 CANCEL");
  EXPECT_EQ(c.header("To").value_or(""), "<sip:bob@example.com>");
  h.reply(c, 200);
  EXPECT_EQ(user.statuses, (std::vector<int>{180, 200}));
}

TEST(SipEndpoint, OutOfDialogDefaults) {
  EndpointHarness h;
  h.fake->deliver(incoming("OPTIONS", "z9hG4bKo1"), h.peer);
  ASSERT_EQ(h.count("200"), 1u);
  EXPECT_TRUE(h.find("200")->message.header("Allow"));
  EXPECT_EQ(h.find("200")->to, h.peer);

  h.fake->deliver(incoming("INVITE", "z9hG4bKi1"), h.peer);
  EXPECT_EQ(h.count("100"), 1u);
  EXPECT_EQ(h.count("480"), 1u);

  h.fake->deliver(incoming("BYE", "z9hG4bKb1", "<sip:gw@example.com>;tag=unknown"), h.peer);
  EXPECT_EQ(h.count("481"), 1u);
  EXPECT_EQ(h.endpoint->stats().unknownDialog, 1u);

  h.fake->deliver(incoming("MESSAGE", "z9hG4bKm1"), h.peer);
  EXPECT_EQ(h.count("405"), 1u);
  h.fake->deliver(incoming("FROB", "z9hG4bKf1"), h.peer);
  EXPECT_EQ(h.count("501"), 1u);

  size_t before = h.fake->sent.size();
  h.fake->deliver(incoming("ACK", "z9hG4bKstray", "<sip:gw@example.com>;tag=zzz"), h.peer);
  EXPECT_EQ(h.fake->sent.size(), before);  // stray ACK absorbed
  EXPECT_EQ(h.endpoint->stats().strayAcks, 1u);

  h.fake->deliver(incoming("CANCEL", "z9hG4bKnothing"), h.peer);
  EXPECT_EQ(h.count("481"), 2u);
}

TEST(SipEndpoint, ServerRetransmitsLastResponseAndInviteFinalUntilAck) {
  EndpointHarness h;
  h.fake->deliver(incoming("OPTIONS", "z9hG4bKr1"), h.peer);
  h.fake->deliver(incoming("OPTIONS", "z9hG4bKr1"), h.peer);  // retransmission
  EXPECT_EQ(h.count("200"), 2u);
  EXPECT_EQ(h.endpoint->serverTransactionCount(), 2u - 1u);

  Message invite = incoming("INVITE", "z9hG4bKinv");
  h.fake->deliver(invite, h.peer);
  ASSERT_EQ(h.count("480"), 1u);
  ASSERT_TRUE(h.waitFor("480", 3));  // timer G re-sends the final
  Message ack = incoming("ACK", "z9hG4bKinv", h.find("480")->message.header("To").value_or("").data());
  ack.setHeader("CSeq", "5 ACK");
  h.fake->deliver(ack, h.peer);
  size_t after = h.count("480");
  runFor(h.io, 100ms);
  EXPECT_EQ(h.count("480"), after);
}

struct DialogRecorder : SipEndpoint::DialogHandler {
  explicit DialogRecorder(SipEndpoint& e) : endpoint(e) {}
  void onDialogRequest(const Message& request, const transport::PeerAddress&) override {
    methods.push_back(request.method);
    if (request.method != "ACK") endpoint.respond(request, 200, "OK");
  }
  SipEndpoint& endpoint;
  std::vector<std::string> methods;
};

TEST(SipEndpoint, InDialogRequestsReachTheirDialog) {
  EndpointHarness h;
  DialogRecorder dialog(*h.endpoint);
  h.endpoint->addDialog("in-z9hG4bKd1", "mytag", dialog);
  h.fake->deliver(incoming("BYE", "z9hG4bKd1", "<sip:gw@example.com>;tag=mytag"), h.peer);
  EXPECT_EQ(dialog.methods, (std::vector<std::string>{"BYE"}));
  EXPECT_EQ(h.count("200"), 1u);
  h.endpoint->removeDialog("in-z9hG4bKd1", "mytag");
  h.fake->deliver(incoming("BYE", "z9hG4bKd2", "<sip:gw@example.com>;tag=mytag"), h.peer);
  EXPECT_EQ(h.count("481"), 1u);
}

TEST(SipEndpoint, UnansweredRequestGets500) {
  EndpointHarness h;
  struct Silent : SipEndpoint::RequestHandler {
    bool onOutOfDialogRequest(const Message&, const transport::PeerAddress&) override { return true; }
  } silent;
  h.endpoint->setRequestHandler(&silent);
  h.fake->deliver(incoming("MESSAGE", "z9hG4bKsilent"), h.peer);
  EXPECT_TRUE(h.waitFor("500"));
}

}  // namespace
}  // namespace callgate::sip::transaction
