#include "sip/ua/incoming_invite.hpp"

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

const std::string kOffer = "v=0\r\no=- 1 1 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";
const std::string kAnswer = "v=0\r\no=- 2 2 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

struct Recorder : SessionEventsRecorder<IncomingInvite::Listener> {
  void onConfirmed(std::string ackSdp) override { events.push_back(ackSdp.empty() ? "confirmed" : "confirmed sdp"); }
  void onCancelled() override { events.push_back("cancelled"); }
  void onFailed(int status, std::string reason) override {
    events.push_back("failed " + std::to_string(status) + " " + reason);
  }
  void onRemoteBye() override { events.push_back("remoteBye"); }
  void onTerminated() override { events.push_back("terminated"); }
};

Account account() {
  Account a;
  a.login = "1000";
  a.password = "secret";
  a.domain = "example.com";
  return a;
}

// Plays the caller (192.0.2.1, through no proxy) and routes the INVITE to an IncomingInvite.
struct IncomingTest : ::testing::Test, transaction::SipEndpoint::RequestHandler {
  EndpointHarness h;
  Recorder listener;
  std::unique_ptr<IncomingInvite> call;
  int branch = 0;

  IncomingTest() { h.endpoint->setRequestHandler(this); }
  ~IncomingTest() override { call.reset(); }

  bool onOutOfDialogRequest(const Message& request, const PeerAddress& from) override {
    if (request.method != "INVITE") return false;
    call = std::make_unique<IncomingInvite>(*h.endpoint, request, from, account(), listener);
    return true;
  }
  void onInviteCancelled(const Message&) override {
    if (call) call->cancelled();
  }

  Message request(const std::string& method, int cseq, bool withToTag) {
    Message m = Message::request(method, "sip:1000@192.0.2.10:5062;transport=udp");
    m.addHeader("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller" + std::to_string(++branch));
    m.addHeader("From", "\"Bob\" <sip:2000@example.com>;tag=caller");
    std::string to = "<sip:1000@example.com>";
    if (withToTag && call) to += ";tag=" + localTag();
    m.addHeader("To", to);
    m.addHeader("Call-ID", "call-1@192.0.2.1");
    m.addHeader("CSeq", std::to_string(cseq) + " " + method);
    m.addHeader("Max-Forwards", "70");
    return m;
  }
  std::string localTag() const {
    for (const auto& s : h.fake->sent) {
      if (s.message.isResponse() && s.message.status > 100) {
        if (auto to = parseNameAddr(s.message.header("To").value_or(""))) return to->tag().value_or("");
      }
    }
    return "";
  }
  Message invite(bool withSdp = true) {
    Message m = request("INVITE", 1, false);
    m.addHeader("Contact", "<sip:2000@192.0.2.50:5070>");
    if (withSdp) {
      m.addHeader("Content-Type", "application/sdp");
      m.body = kOffer;
    }
    return m;
  }
  void deliver(const Message& m) { h.fake->deliver(m, h.peer); }
  void ack(const std::string& body = {}) {
    Message a = request("ACK", 1, true);
    if (!body.empty()) {
      a.addHeader("Content-Type", "application/sdp");
      a.body = body;
    }
    deliver(a);
  }
  void answered() {
    deliver(invite());
    ASSERT_TRUE(call);
    call->ring();
    ASSERT_TRUE(call->accept(kAnswer));
    ack();
  }
};

TEST_F(IncomingTest, RingAcceptAckThenBye) {
  deliver(invite());
  ASSERT_TRUE(call);
  EXPECT_EQ(call->offer().value_or(""), kOffer);
  EXPECT_EQ(call->caller().displayName, "Bob");
  EXPECT_EQ(h.count("100"), 1u);
  call->ring();
  ASSERT_EQ(h.count("180"), 1u);
  const Message ringing = h.find("180")->message;
  EXPECT_FALSE(localTag().empty());
  EXPECT_EQ(ringing.header("Contact").value_or(""), "<sip:1000@192.0.2.10:5062;transport=udp>");
  ASSERT_TRUE(call->accept(kAnswer, {{"X-Answered-By", "callgate"}}));
  ASSERT_EQ(h.count("200"), 1u);
  const Message ok = h.find("200")->message;
  EXPECT_EQ(ok.body, kAnswer);
  EXPECT_EQ(ok.header("X-Answered-By").value_or(""), "callgate");
  EXPECT_EQ(ok.header("Content-Type").value_or(""), "application/sdp");
  // §13.3.1.4: the 2xx is re-sent until the ACK, byte for byte.
  EXPECT_TRUE(h.waitFor("200", 3));
  EXPECT_EQ(h.find("200", 1)->message.serialize(), h.find("200", 0)->message.serialize());
  ack();
  EXPECT_EQ(listener.events, (std::vector<std::string>{"confirmed"}));
  const size_t sent = h.count("200");
  runFor(h.io, 100ms);
  EXPECT_EQ(h.count("200"), sent);
  call->hangup();
  ASSERT_EQ(h.count("BYE"), 1u);
  const Message bye = h.find("BYE")->message;
  EXPECT_EQ(bye.requestUri, "sip:2000@192.0.2.50:5070");
  EXPECT_EQ(bye.header("To").value_or(""), "\"Bob\" <sip:2000@example.com>;tag=caller");
  h.reply(bye, 200, "OK", "caller");
  EXPECT_EQ(listener.events.back(), "terminated");
}

TEST_F(IncomingTest, DialogResponsesCopyRecordRouteAndRequestsFollowIt) {
  Message m = invite();
  m.addHeader("Record-Route", "<sip:192.0.2.1;lr>, <sip:192.0.2.2;lr;ftag=x>");
  deliver(m);
  call->ring();
  ASSERT_TRUE(call->accept(kAnswer));
  for (const char* status : {"180", "200"}) {
    auto routes = h.find(status)->message.headerValues("Record-Route");
    ASSERT_EQ(routes.size(), 2u) << status;
    EXPECT_EQ(routes[0], "<sip:192.0.2.1;lr>");
    EXPECT_EQ(routes[1], "<sip:192.0.2.2;lr;ftag=x>");
  }
  ack();
  call->hangup();
  ASSERT_EQ(h.count("BYE"), 1u);
  const auto& bye = *h.find("BYE");
  auto routes = bye.message.headerValues("Route");
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], "<sip:192.0.2.1;lr>");  // the UAS keeps the Record-Route order (§12.1.1)
  EXPECT_EQ(bye.to.port, 5060);
  EXPECT_EQ(bye.to.ip.to_string(), "192.0.2.1");
}

TEST_F(IncomingTest, RejectSendsTheStatus) {
  deliver(invite());
  call->ring();
  call->hangup(603);
  EXPECT_EQ(h.count("603"), 1u);
  EXPECT_TRUE(runUntil(h.io, [&] { return !listener.events.empty(); }));
  EXPECT_EQ(listener.events, (std::vector<std::string>{"terminated"}));
  EXPECT_FALSE(call->accept(kAnswer));
}

TEST_F(IncomingTest, CancelWhileRinging) {
  deliver(invite());
  call->ring();
  Message cancel = request("CANCEL", 1, false);
  cancel.setHeader("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller1");  // the INVITE's branch (§9.1)
  deliver(cancel);
  EXPECT_EQ(h.count("487"), 1u);
  EXPECT_TRUE(runUntil(h.io, [&] { return !listener.events.empty(); }));
  EXPECT_EQ(listener.events, (std::vector<std::string>{"cancelled"}));
}

TEST_F(IncomingTest, NoAckEndsTheCallWithBye) {
  deliver(invite());
  ASSERT_TRUE(call->accept(kAnswer));
  ASSERT_TRUE(h.waitFor("BYE", 1, 2000ms));  // 64*T1 = 640 ms here
  h.reply(h.find("BYE")->message, 200, "OK", "caller");
  EXPECT_EQ(listener.events, (std::vector<std::string>{"failed 408 No ACK"}));
}

TEST_F(IncomingTest, HangupBeforeAckWaitsForTheAck) {
  deliver(invite());
  ASSERT_TRUE(call->accept(kAnswer));
  call->hangup();
  EXPECT_EQ(h.count("BYE"), 0u);  // §15
  ack();
  EXPECT_EQ(h.count("BYE"), 1u);
}

TEST_F(IncomingTest, DelayedOfferGetsTheAnswerInTheAck) {
  deliver(invite(false));
  EXPECT_FALSE(call->offer());
  ASSERT_TRUE(call->accept(kAnswer));  // our offer
  ack(kOffer);
  EXPECT_EQ(listener.events, (std::vector<std::string>{"confirmed sdp"}));
}

TEST_F(IncomingTest, InviteWithoutContactIsRefusedByCheck) {
  Message m = request("INVITE", 1, false);
  EXPECT_FALSE(IncomingInvite::check(m));
  m.addHeader("Contact", "<sip:2000@192.0.2.50>");
  EXPECT_TRUE(IncomingInvite::check(m));
}

TEST_F(IncomingTest, RemoteByeAfterAnswer) {
  answered();
  deliver(request("BYE", 2, true));
  EXPECT_EQ(listener.events, (std::vector<std::string>{"confirmed", "remoteBye"}));
}

TEST_F(IncomingTest, PeerReInviteIsAnsweredAndAckStopsRetransmission) {
  answered();
  Message reInvite = request("INVITE", 2, true);
  reInvite.addHeader("Content-Type", "application/sdp");
  reInvite.body = kOffer;
  deliver(reInvite);
  ASSERT_EQ(h.count("200"), 2u);
  EXPECT_EQ(h.find("200", 1)->message.body, listener.answerSdp);
  EXPECT_EQ(listener.events.back(), "remoteOffer");
  // While their 200 is unacknowledged another re-INVITE gets 500 + Retry-After (§14.2).
  Message second = request("INVITE", 3, true);
  deliver(second);
  ASSERT_EQ(h.count("500"), 1u);
  EXPECT_TRUE(h.find("500")->message.header("Retry-After"));
  Message a = request("ACK", 2, true);
  deliver(a);
  const size_t sent = h.count("200");
  runFor(h.io, 100ms);
  EXPECT_EQ(h.count("200"), sent);
}

TEST_F(IncomingTest, RefusedReOfferGets488) {
  answered();
  listener.refuseOffers = true;
  Message reInvite = request("INVITE", 2, true);
  reInvite.addHeader("Content-Type", "application/sdp");
  reInvite.body = kOffer;
  deliver(reInvite);
  ASSERT_EQ(h.count("488"), 1u);
  EXPECT_NE(h.find("488")->message.header("Warning").value_or("").find("no common codec"), std::string::npos);
}

TEST_F(IncomingTest, OurReInviteAndGlare) {
  answered();
  ASSERT_TRUE(call->sendReInvite(kAnswer));
  ASSERT_EQ(h.count("INVITE"), 1u);
  const Message ours = h.find("INVITE")->message;
  EXPECT_EQ(ours.header("CSeq").value_or(""), "1 INVITE");
  EXPECT_FALSE(call->sendReInvite(kAnswer));  // one at a time
  // Their re-INVITE while ours is pending: 491 (§14.2).
  Message theirs = request("INVITE", 2, true);
  deliver(theirs);
  EXPECT_EQ(h.count("491"), 1u);
  // Ours gets 491 as well: retried after 0-2 s (we do not own the Call-ID).
  h.reply(ours, 491, "Request Pending", "caller");
  ASSERT_TRUE(h.waitFor("INVITE", 2, 2500ms));
  const Message retry = h.find("INVITE", 1)->message;
  EXPECT_EQ(retry.header("CSeq").value_or(""), "2 INVITE");
  h.reply(retry, 200, "OK", "caller", [](Message& r) {
    r.addHeader("Content-Type", "application/sdp");
    r.body = kOffer;
  });
  ASSERT_EQ(h.count("ACK"), 2u);  // the 491's (by its transaction), then the 2xx's
  EXPECT_EQ(h.find("ACK", 1)->message.header("CSeq").value_or(""), "2 ACK");
  EXPECT_EQ(listener.events.back(), "remoteAnswer");
  EXPECT_EQ(listener.lastSdp, kOffer);
}

TEST_F(IncomingTest, RejectedReInviteKeepsTheCall) {
  answered();
  ASSERT_TRUE(call->sendReInvite(kAnswer));
  h.reply(h.find("INVITE")->message, 488, "Not Acceptable Here", "caller");
  EXPECT_EQ(listener.events.back(), "offerRejected 488");
  EXPECT_EQ(call->state(), IncomingInvite::State::Confirmed);
  ASSERT_TRUE(call->sendReInvite(kAnswer));  // a later one is allowed
}

TEST_F(IncomingTest, ReInvite481EndsTheDialog) {
  answered();
  ASSERT_TRUE(call->sendReInvite(kAnswer));
  h.reply(h.find("INVITE")->message, 481, "Call/Transaction Does Not Exist", "caller");
  EXPECT_EQ(listener.events.back(), "remoteBye");
  EXPECT_EQ(h.count("BYE"), 1u);
}

}  // namespace
}  // namespace callgate::sip::ua

namespace callgate::sip::ua {
namespace {

TEST_F(IncomingTest, BlindTransferReportsNotifyProgress) {
  answered();
  ASSERT_TRUE(call->sendRefer("sip:3000@example.com"));
  ASSERT_EQ(h.count("REFER"), 1u);
  const Message refer = h.find("REFER")->message;
  EXPECT_EQ(refer.header("Refer-To").value_or(""), "<sip:3000@example.com>");
  EXPECT_EQ(refer.header("Referred-By").value_or(""), "<sip:1000@example.com>");
  EXPECT_FALSE(call->sendRefer("sip:3001@example.com"));  // one at a time
  h.reply(refer, 202, "Accepted", "caller");
  auto notify = [&](int cseq, const std::string& frag, const std::string& state) {
    Message n = request("NOTIFY", cseq, true);
    n.addHeader("Event", "refer");
    n.addHeader("Subscription-State", state);
    n.addHeader("Content-Type", "message/sipfrag;version=2.0");
    n.body = frag;
    deliver(n);
  };
  notify(2, "SIP/2.0 100 Trying\r\n", "active;expires=60");
  notify(3, "SIP/2.0 200 OK\r\n", "terminated;reason=noresource");
  EXPECT_EQ(h.count("200"), 3u);  // our 200 to the INVITE, then one per NOTIFY
  EXPECT_EQ(listener.events,
            (std::vector<std::string>{"confirmed", "transfer 202", "transfer 100", "transfer 200 final"}));
}

TEST_F(IncomingTest, AcceptedPeerReferIsNotified) {
  answered();
  listener.acceptRefers = true;
  Message refer = request("REFER", 2, true);
  refer.addHeader("Refer-To", "<sip:4000@example.com>");
  deliver(refer);
  ASSERT_EQ(h.count("202"), 1u);
  EXPECT_EQ(h.count("NOTIFY"), 0u);  // a moment after the 202 (proxies reorder)
  runFor(h.io, 40ms);
  ASSERT_GE(h.count("NOTIFY"), 1u);
  const Message first = h.find("NOTIFY")->message;
  EXPECT_EQ(first.header("Event").value_or(""), "refer");
  EXPECT_EQ(first.header("Subscription-State").value_or(""), "active;expires=60");
  EXPECT_EQ(first.body, "SIP/2.0 100 Trying\r\n");
  h.reply(first, 200, "OK", "caller");
  const size_t before = h.count("NOTIFY");
  call->notifyReferProgress(200, "OK");
  ASSERT_EQ(h.count("NOTIFY"), before + 1);
  const Message last = h.find("NOTIFY", before)->message;
  EXPECT_EQ(last.header("Subscription-State").value_or(""), "terminated;reason=noresource");
  EXPECT_EQ(last.body, "SIP/2.0 200 OK\r\n");
  call->notifyReferProgress(180, "Ringing");  // after the final one: nothing
  EXPECT_EQ(h.count("NOTIFY"), before + 1);
}

TEST_F(IncomingTest, ByeAfterTheFinalNotifyWaitsForItsResponse) {
  // A BYE sent right behind the final NOTIFY can overtake it in a multi-worker proxy; the
  // transferor would then lose the transfer's outcome.
  answered();
  listener.acceptRefers = true;
  Message refer = request("REFER", 2, true);
  refer.addHeader("Refer-To", "<sip:4000@example.com>");
  deliver(refer);
  runFor(h.io, 40ms);  // the 100 Trying NOTIFY goes out
  h.reply(h.find("NOTIFY")->message, 200, "OK", "caller");
  const size_t before = h.count("NOTIFY");
  call->notifyReferProgress(200, "OK");
  call->hangup();
  EXPECT_EQ(h.count("BYE"), 0u);
  h.reply(h.find("NOTIFY", before)->message, 200, "OK", "caller");
  EXPECT_EQ(h.count("BYE"), 1u);
}

TEST_F(IncomingTest, RefusedReferAndPeerReferDeclined) {
  answered();
  ASSERT_TRUE(call->sendRefer("sip:3000@example.com"));
  h.reply(h.find("REFER")->message, 403, "Forbidden", "caller");
  EXPECT_EQ(listener.events.back(), "transfer 403 final");
  Message refer = request("REFER", 2, true);
  refer.addHeader("Refer-To", "<sip:4000@example.com>");
  deliver(refer);
  ASSERT_EQ(h.count("603"), 1u);
  EXPECT_EQ(listener.events.back(), "refer sip:4000@example.com");
}

}  // namespace
}  // namespace callgate::sip::ua
