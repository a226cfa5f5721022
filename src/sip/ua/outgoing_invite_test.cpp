#include "sip/ua/outgoing_invite.hpp"

#include <gtest/gtest.h>

#include "sip/header_values.hpp"
#include "sip/transaction/test_support.hpp"
#include "sip/ua/session_events_recorder.hpp"

namespace callgate::sip::ua {
namespace {

using testing::EndpointHarness;
using testing::runFor;
using testing::runUntil;
using transport::PeerAddress;
using namespace std::chrono_literals;

const std::string kOffer = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
const std::string kAnswer = "v=0\r\no=- 2 2 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";

struct Recorder : SessionEventsRecorder<OutgoingInvite::Listener> {
  void onProvisional(int status, std::string reason, std::optional<std::string> sdp) override {
    events.push_back("provisional " + std::to_string(status) + (sdp ? " sdp" : ""));
  }
  void onAnswered(std::string sdp) override {
    events.push_back("answered");
    answer = sdp;
  }
  void onFailed(int status, std::string reason) override {
    events.push_back("failed " + std::to_string(status) + " " + reason);
  }
  void onCancelled() override { events.push_back("cancelled"); }
  void onRemoteBye() override { events.push_back("remoteBye"); }
  void onTerminated() override { events.push_back("terminated"); }
  bool has(const std::string& e) const { return std::find(events.begin(), events.end(), e) != events.end(); }
  std::string answer;
};

Account account() {
  Account a;
  a.login = "1000";
  a.password = "secret";
  a.domain = "example.com";
  a.outboundProxy = "192.0.2.1";
  a.displayName = "Alice";
  return a;
}

std::string branchOf(const Message& m) {
  auto via = parseVia(m.headerValues("Via").front());
  return via ? via->branch().value_or("") : "";
}

struct InviteTest : ::testing::Test {
  EndpointHarness h;
  Recorder listener;
  InviteOptions options() {
    InviteOptions o;
    o.noAnswerTimeout = 0ms;
    return o;
  }
  std::unique_ptr<OutgoingInvite> call = std::make_unique<OutgoingInvite>(*h.endpoint, account(), listener, options());

  Message startCall(const std::string& callee = "2000") {
    EXPECT_TRUE(call->start(callee, kOffer, "", {{"X-Test", "yes"}}));
    EXPECT_TRUE(h.waitFor("INVITE"));
    return h.find("INVITE")->message;
  }
  // 200 OK from the callee at 192.0.2.50, through a record-routing proxy.
  void answer(const Message& invite) {
    h.reply(invite, 200, "OK", "callee", [](Message& r) {
      r.addHeader("Record-Route", "<sip:192.0.2.1;lr>");
      r.addHeader("Contact", "<sip:2000@192.0.2.50:5070>");
      r.addHeader("Content-Type", "application/sdp");
      r.body = kAnswer;
    });
  }
  // A request from the callee inside the dialog of `invite`.
  Message fromCallee(const std::string& method, const Message& invite, int cseq = 1) {
    Message m = Message::request(method, "sip:1000@192.0.2.10:5062;transport=udp");
    m.addHeader("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcallee" + std::to_string(cseq));
    m.addHeader("From", std::string(invite.header("To").value_or("")) + ";tag=callee");
    m.addHeader("To", std::string(invite.header("From").value_or("")));
    m.addHeader("Call-ID", std::string(invite.header("Call-ID").value_or("")));
    m.addHeader("CSeq", std::to_string(cseq) + " " + method);
    m.addHeader("Max-Forwards", "70");
    return m;
  }
};

TEST_F(InviteTest, InviteCarriesIdentityAndOffer) {
  Message invite = startCall();
  EXPECT_EQ(invite.requestUri, "sip:2000@example.com");
  EXPECT_EQ(h.find("INVITE")->to, h.peer);
  auto from = parseNameAddr(invite.header("From").value_or(""));
  ASSERT_TRUE(from);
  EXPECT_EQ(from->displayName, "Alice");
  EXPECT_EQ(from->uri.serialize(), "sip:1000@example.com");
  EXPECT_TRUE(from->tag());
  EXPECT_EQ(invite.header("To").value_or(""), "<sip:2000@example.com>");
  EXPECT_EQ(invite.header("Contact").value_or(""), "<sip:1000@192.0.2.10:5062;transport=udp>");
  EXPECT_EQ(invite.header("Content-Type").value_or(""), "application/sdp");
  EXPECT_EQ(invite.header("Max-Forwards").value_or(""), "70");
  EXPECT_EQ(invite.header("User-Agent").value_or(""), "callgate");
  EXPECT_EQ(invite.header("X-Test").value_or(""), "yes");
  EXPECT_TRUE(invite.header("Allow"));
  EXPECT_EQ(invite.body, kOffer);
}

TEST_F(InviteTest, RingAnswerAckBye) {
  Message invite = startCall();
  h.reply(invite, 100, "Trying");
  h.reply(invite, 180, "Ringing", "callee");
  h.reply(invite, 183, "Session Progress", "callee", [](Message& r) {
    r.addHeader("Content-Type", "application/sdp");
    r.body = kAnswer;
  });
  answer(invite);
  EXPECT_EQ(listener.events, (std::vector<std::string>{"provisional 180", "provisional 183 sdp", "answered"}));
  EXPECT_EQ(listener.answer, kAnswer);
  EXPECT_EQ(call->state(), OutgoingInvite::State::Confirmed);

  ASSERT_EQ(h.count("ACK"), 1u);
  const auto ack = *h.find("ACK");  // a copy: later sends reallocate the list
  EXPECT_EQ(ack.message.requestUri, "sip:2000@192.0.2.50:5070");
  EXPECT_EQ(ack.message.header("Route").value_or(""), "<sip:192.0.2.1;lr>");
  EXPECT_EQ(ack.message.header("CSeq").value_or(""), "1 ACK");
  EXPECT_NE(branchOf(ack.message), branchOf(invite));  // the 2xx ACK is its own transaction
  EXPECT_EQ(ack.to, h.peer);                           // first route = the proxy
  EXPECT_NE(std::string(ack.message.header("To").value_or("")).find("tag=callee"), std::string::npos);

  answer(invite);  // retransmitted 2xx: the same ACK again
  ASSERT_EQ(h.count("ACK"), 2u);
  EXPECT_EQ(branchOf(h.find("ACK", 1)->message), branchOf(ack.message));

  call->hangup();
  ASSERT_TRUE(h.waitFor("BYE"));
  const Message bye = h.find("BYE")->message;
  EXPECT_EQ(bye.requestUri, "sip:2000@192.0.2.50:5070");
  EXPECT_EQ(bye.header("Route").value_or(""), "<sip:192.0.2.1;lr>");
  EXPECT_EQ(bye.header("CSeq").value_or(""), "2 BYE");
  EXPECT_EQ(bye.header("Call-ID"), invite.header("Call-ID"));
  h.reply(bye, 200, "OK", "callee");
  EXPECT_EQ(listener.events.back(), "terminated");
}

TEST_F(InviteTest, ProxyChallengeIsAnswered) {
  Message invite = startCall();
  h.reply(invite, 407, "Proxy Authentication Required", "proxy", [](Message& r) {
    r.addHeader("Proxy-Authenticate", "Digest realm=\"example.com\", nonce=\"abc\", qop=\"auth\"");
  });
  ASSERT_EQ(h.count("ACK"), 1u);  // the 407 is ACKed by the transaction
  EXPECT_EQ(branchOf(h.find("ACK")->message), branchOf(invite));
  ASSERT_TRUE(h.waitFor("INVITE", 2));
  Message second = h.find("INVITE", 1)->message;
  EXPECT_EQ(second.header("CSeq").value_or(""), "2 INVITE");
  EXPECT_EQ(second.header("Call-ID"), invite.header("Call-ID"));
  EXPECT_EQ(second.header("From"), invite.header("From"));
  EXPECT_NE(branchOf(second), branchOf(invite));
  std::string credentials(second.header("Proxy-Authorization").value_or(""));
  EXPECT_NE(credentials.find("username=\"1000\""), std::string::npos) << credentials;
  EXPECT_NE(credentials.find("uri=\"sip:2000@example.com\""), std::string::npos) << credentials;
  EXPECT_TRUE(listener.events.empty());
  answer(second);
  EXPECT_EQ(listener.events, (std::vector<std::string>{"answered"}));
  // §13.2.2.4: the ACK for the 2xx carries the INVITE's credentials.
  const auto* ack = h.find("ACK", 1);
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->message.header("CSeq").value_or(""), "2 ACK");
  EXPECT_TRUE(ack->message.header("Proxy-Authorization"));
}

TEST_F(InviteTest, RepeatedChallengeFails) {
  Message invite = startCall();
  auto challenge = [](Message& r) { r.addHeader("Proxy-Authenticate", "Digest realm=\"example.com\", nonce=\"abc\""); };
  h.reply(invite, 407, "Proxy Authentication Required", "proxy", challenge);
  ASSERT_TRUE(h.waitFor("INVITE", 2));
  h.reply(h.find("INVITE", 1)->message, 407, "Proxy Authentication Required", "proxy", challenge);
  EXPECT_EQ(listener.events, (std::vector<std::string>{"failed 407 Proxy Authentication Required"}));
}

TEST_F(InviteTest, BusyFailsAndIsAcked) {
  Message invite = startCall();
  h.reply(invite, 180, "Ringing", "callee");
  h.reply(invite, 486, "Busy Here", "callee");
  EXPECT_EQ(listener.events, (std::vector<std::string>{"provisional 180", "failed 486 Busy Here"}));
  ASSERT_EQ(h.count("ACK"), 1u);
  EXPECT_EQ(h.find("ACK")->message.header("CSeq").value_or(""), "1 ACK");
  EXPECT_EQ(branchOf(h.find("ACK")->message), branchOf(invite));
}

TEST_F(InviteTest, NoResponseTimesOut) {
  startCall();
  ASSERT_TRUE(runUntil(h.io, [&] { return !listener.events.empty(); }));
  EXPECT_EQ(listener.events, (std::vector<std::string>{"failed 408 Request Timeout"}));
  EXPECT_GE(h.count("INVITE"), 5u);  // timer A: 10, 20, 40, 80, 160, 320 ms
}

TEST_F(InviteTest, CancelAfterRinging) {
  Message invite = startCall();
  h.reply(invite, 180, "Ringing", "callee");
  call->cancel();
  ASSERT_EQ(h.count("CANCEL"), 1u);
  const Message cancel = h.find("CANCEL")->message;
  EXPECT_EQ(branchOf(cancel), branchOf(invite));
  EXPECT_EQ(cancel.header("CSeq").value_or(""), "1 CANCEL");
  EXPECT_EQ(cancel.requestUri, invite.requestUri);
  h.reply(cancel, 200, "OK", "callee");
  EXPECT_TRUE(listener.events.back() == "provisional 180");
  h.reply(invite, 487, "Request Terminated", "callee");
  EXPECT_EQ(listener.events.back(), "cancelled");
  EXPECT_EQ(h.count("ACK"), 1u);
}

TEST_F(InviteTest, CancelBeforeProvisionalWaitsForIt) {
  Message invite = startCall();
  call->cancel();
  runFor(h.io, 20ms);
  EXPECT_EQ(h.count("CANCEL"), 0u);  // §9.1: not before a provisional response
  h.reply(invite, 100, "Trying");
  ASSERT_EQ(h.count("CANCEL"), 1u);
  h.reply(invite, 487, "Request Terminated", "callee");
  EXPECT_EQ(listener.events, (std::vector<std::string>{"cancelled"}));
}

TEST_F(InviteTest, AnswerCrossingCancelIsAckedAndByed) {
  Message invite = startCall();
  h.reply(invite, 180, "Ringing", "callee");
  call->cancel();
  answer(invite);
  ASSERT_EQ(h.count("ACK"), 1u);
  ASSERT_EQ(h.count("BYE"), 1u);
  EXPECT_FALSE(listener.has("answered"));
  h.reply(h.find("BYE")->message, 200, "OK", "callee");
  EXPECT_EQ(listener.events.back(), "cancelled");
}

TEST_F(InviteTest, RemoteByeEndsTheCall) {
  Message invite = startCall();
  answer(invite);
  h.fake->deliver(fromCallee("BYE", invite), h.peer);
  ASSERT_EQ(h.count("200"), 1u);
  EXPECT_EQ(h.find("200")->message.header("CSeq").value_or(""), "1 BYE");
  EXPECT_EQ(listener.events, (std::vector<std::string>{"answered", "remoteBye"}));
  EXPECT_EQ(call->state(), OutgoingInvite::State::Done);
}

TEST_F(InviteTest, InDialogRequestsGoToTheSession) {
  Message invite = startCall();
  answer(invite);
  Message reInvite = fromCallee("INVITE", invite, 2);
  reInvite.addHeader("Contact", "<sip:2000@192.0.2.51:5070>");
  reInvite.addHeader("Content-Type", "application/sdp");
  reInvite.body = kAnswer;
  h.fake->deliver(reInvite, h.peer);
  ASSERT_EQ(h.count("200"), 1u);
  EXPECT_EQ(h.find("200")->message.body, listener.answerSdp);
  Message info = fromCallee("INFO", invite, 3);
  info.addHeader("Content-Type", "application/dtmf-relay");
  info.body = "Signal=5\r\nDuration=160\r\n";
  h.fake->deliver(info, h.peer);
  h.fake->deliver(fromCallee("UPDATE", invite, 4), h.peer);
  EXPECT_EQ(h.count("501"), 1u);
  h.fake->deliver(fromCallee("OPTIONS", invite, 5), h.peer);
  EXPECT_EQ(h.count("200"), 3u);
  EXPECT_EQ(listener.events,
            (std::vector<std::string>{"answered", "remoteOffer", "info application/dtmf-relay"}));
  EXPECT_EQ(call->state(), OutgoingInvite::State::Confirmed);
  // The re-INVITE's Contact is the new target: our BYE goes there.
  Message ack = fromCallee("ACK", invite, 2);
  ack.setHeader("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcalleeack");  // an ACK to a 2xx is its own transaction
  h.fake->deliver(ack, h.peer);
  call->hangup();
  ASSERT_EQ(h.count("BYE"), 1u);
  EXPECT_EQ(h.find("BYE")->message.requestUri, "sip:2000@192.0.2.51:5070");
}

// The first sent request with this CSeq value (retransmissions share it); nullopt if none.
std::optional<Message> sentWithCSeq(const EndpointHarness& h, const std::string& cseq) {
  for (const auto& s : h.fake->sent) {
    if (s.message.isRequest() && s.message.header("CSeq").value_or("") == cseq) return s.message;
  }
  return std::nullopt;
}

TEST_F(InviteTest, InfoIsSentInDialogOneAtATime) {
  Message invite = startCall();
  EXPECT_FALSE(call->sendInfo("application/dtmf", "1"));  // no dialog yet
  answer(invite);
  ASSERT_EQ(h.count("ACK"), 1u);
  ASSERT_TRUE(call->sendInfo("application/dtmf-relay", "Signal=1\r\nDuration=160\r\n"));
  ASSERT_TRUE(call->sendInfo("application/dtmf", "#"));
  ASSERT_TRUE(h.waitFor("INFO"));
  runFor(h.io, 50ms);
  EXPECT_FALSE(sentWithCSeq(h, "3 INFO"));  // the second waits for the first to complete
  const auto first = *sentWithCSeq(h, "2 INFO");
  EXPECT_EQ(first.requestUri, "sip:2000@192.0.2.50:5070");
  EXPECT_EQ(first.header("Route").value_or(""), "<sip:192.0.2.1;lr>");
  EXPECT_EQ(first.header("Call-ID"), invite.header("Call-ID"));
  EXPECT_EQ(first.header("From"), invite.header("From"));
  EXPECT_NE(std::string(first.header("To").value_or("")).find("tag=callee"), std::string::npos);
  EXPECT_EQ(first.header("Content-Type").value_or(""), "application/dtmf-relay");
  EXPECT_EQ(first.body, "Signal=1\r\nDuration=160\r\n");
  EXPECT_EQ(h.find("INFO")->to, h.peer);

  h.reply(first, 200, "OK", "callee");
  ASSERT_TRUE(runUntil(h.io, [&] { return sentWithCSeq(h, "3 INFO").has_value(); }, 3000ms));
  const auto second = *sentWithCSeq(h, "3 INFO");
  EXPECT_EQ(second.header("Content-Type").value_or(""), "application/dtmf");
  EXPECT_EQ(second.body, "#");
  EXPECT_NE(branchOf(second), branchOf(first));

  // A failed INFO does not end the call (RFC 6086 §4.2.2); the next one still goes out.
  ASSERT_TRUE(call->sendInfo("application/dtmf", "5"));
  h.reply(second, 415, "Unsupported Media Type", "callee");
  ASSERT_TRUE(runUntil(h.io, [&] { return sentWithCSeq(h, "4 INFO").has_value(); }, 3000ms));
  EXPECT_EQ(sentWithCSeq(h, "4 INFO")->body, "5");
  EXPECT_EQ(call->state(), OutgoingInvite::State::Confirmed);
  EXPECT_EQ(listener.events, (std::vector<std::string>{"answered", "infoFailed application/dtmf 415"}));

  call->hangup();
  ASSERT_TRUE(h.waitFor("BYE"));
  EXPECT_EQ(h.find("BYE")->message.header("CSeq").value_or(""), "5 BYE");
  EXPECT_FALSE(call->sendInfo("application/dtmf", "1"));
}

TEST_F(InviteTest, ChallengedInfoIsResentWithCredentials) {
  Message invite = startCall();
  answer(invite);
  ASSERT_TRUE(call->sendInfo("application/dtmf", "7"));
  ASSERT_TRUE(h.waitFor("INFO"));
  const Message first = h.find("INFO")->message;
  h.reply(first, 407, "Proxy Authentication Required", "callee", [](Message& r) {
    r.addHeader("Proxy-Authenticate", "Digest realm=\"example.com\", nonce=\"abc\", qop=\"auth\"");
  });
  ASSERT_TRUE(runUntil(h.io, [&] { return sentWithCSeq(h, "3 INFO").has_value(); }, 3000ms));
  const auto second = *sentWithCSeq(h, "3 INFO");
  EXPECT_TRUE(second.header("Proxy-Authorization"));
  EXPECT_EQ(second.body, "7");
  EXPECT_EQ(call->state(), OutgoingInvite::State::Confirmed);
}

TEST_F(InviteTest, ForkedSecondAnswerIsReleased) {
  Message invite = startCall();
  answer(invite);
  h.reply(invite, 200, "OK", "fork2", [](Message& r) { r.addHeader("Contact", "<sip:2000@192.0.2.60>"); });
  ASSERT_EQ(h.count("ACK"), 2u);
  ASSERT_EQ(h.count("BYE"), 1u);
  EXPECT_EQ(h.find("BYE")->message.requestUri, "sip:2000@192.0.2.60");
  EXPECT_EQ(listener.events, (std::vector<std::string>{"answered"}));
}

TEST_F(InviteTest, NoAnswerTimeoutCancels) {
  InviteOptions o;
  o.noAnswerTimeout = 50ms;
  OutgoingInvite ringing(*h.endpoint, account(), listener, o);
  ASSERT_TRUE(ringing.start("3000", kOffer));
  ASSERT_TRUE(h.waitFor("INVITE"));
  Message invite = h.find("INVITE")->message;
  h.reply(invite, 180, "Ringing", "callee");
  ASSERT_TRUE(h.waitFor("CANCEL"));
  h.reply(invite, 487, "Request Terminated", "callee");
  EXPECT_EQ(listener.events.back(), "failed 408 No answer");
}

TEST_F(InviteTest, StartValidatesInput) {
  EXPECT_FALSE(call->start("", kOffer));
  EXPECT_FALSE(call->start("2000", ""));
  EXPECT_FALSE(call->start("2000", kOffer, "", {{"Call-ID", "mine"}}));
  EXPECT_FALSE(call->start("2000", kOffer, "", {{"X-Bad", "a\r\nb"}}));
  EXPECT_FALSE(call->start("2000", kOffer, "bad\nname"));
  Account bad = account();
  bad.login = "Ralf C";
  OutgoingInvite badCall(*h.endpoint, bad, listener);
  EXPECT_FALSE(badCall.start("2000", kOffer));
  runFor(h.io, 20ms);
  EXPECT_EQ(h.count("INVITE"), 0u);
  EXPECT_TRUE(listener.events.empty());
}

TEST_F(InviteTest, DestroyingARingingCallSendsCancel) {
  Message invite = startCall();
  h.reply(invite, 180, "Ringing", "callee");
  call.reset();
  EXPECT_EQ(h.count("CANCEL"), 1u);
  h.reply(invite, 487, "Request Terminated", "callee");  // no listener call, no crash
  EXPECT_EQ(h.count("ACK"), 1u);
}

TEST(CalleeUri, Forms) {
  EXPECT_EQ(calleeUri("2000", "example.com")->serialize(), "sip:2000@example.com");
  EXPECT_EQ(calleeUri("2000@pbx.example.org:5070", "example.com")->serialize(), "sip:2000@pbx.example.org:5070");
  EXPECT_EQ(calleeUri("sips:bob@secure.example.com", "example.com")->serialize(), "sips:bob@secure.example.com");
  EXPECT_EQ(calleeUri("tel:+15551234567", "example.com")->scheme, "tel");
  EXPECT_EQ(calleeUri("a b", "example.com")->user, "a b");  // escaped on the wire
  EXPECT_FALSE(calleeUri("  ", "example.com"));
  EXPECT_FALSE(calleeUri("bob@", "example.com"));
}

}  // namespace
}  // namespace callgate::sip::ua
