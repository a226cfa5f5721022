#include "echo/echo_endpoint.hpp"

#include <gtest/gtest.h>

#include <array>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/udp.hpp>

#include "common/bytes.hpp"
#include "sdp/attributes.hpp"
#include "sdp/parser.hpp"
#include "sip/header_values.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transaction/test_support.hpp"
#include "sip/transport/fake_transport.hpp"

namespace callgate::echo {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sip::Message;
using sip::testing::runFor;
using sip::testing::runUntil;
using sip::transport::PeerAddress;

const std::string kOffer =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 5000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n";

struct EchoTest : ::testing::Test {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
  sip::transport::FakeTransport* fake = nullptr;
  std::unique_ptr<EchoEndpoint> echo;
  PeerAddress caller{asio::ip::make_address("192.0.2.1"), 5060};
  int branch = 0;

  void make(EchoSettings s = {}) {
    s.bindIp = "127.0.0.1";
    s.advertiseIp = "127.0.0.1";
    s.rtpPortMin = 41000;
    s.rtpPortMax = 41199;
    s.sipT1 = 10ms;
    auto transport = std::make_unique<sip::transport::FakeTransport>("127.0.0.1", 5090);
    fake = transport.get();
    echo = std::make_unique<EchoEndpoint>(io, std::move(transport), s);
  }
  ~EchoTest() override { echo.reset(); }

  Message request(const std::string& method, const std::string& callId, int cseq, const std::string& toTag = {}) {
    Message m = Message::request(method, "sip:echo@example.com");
    m.addHeader("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKc" + std::to_string(++branch));
    m.addHeader("From", "<sip:1000@example.com>;tag=caller");
    m.addHeader("To", toTag.empty() ? "<sip:echo@example.com>" : "<sip:echo@example.com>;tag=" + toTag);
    m.addHeader("Call-ID", callId);
    m.addHeader("CSeq", std::to_string(cseq) + " " + method);
    m.addHeader("Max-Forwards", "70");
    m.addHeader("Contact", "<sip:1000@192.0.2.1:5060>");
    return m;
  }
  Message invite(const std::string& callId, const std::string& sdp = kOffer, const std::string& toTag = {},
                 int cseq = 1) {
    Message m = request("INVITE", callId, cseq, toTag);
    if (!sdp.empty()) {
      m.addHeader("Content-Type", "application/sdp");
      m.body = sdp;
    }
    return m;
  }
  // Every sent response with `status` for `callId`.
  std::vector<const Message*> responses(int status, const std::string& callId = {}) const {
    std::vector<const Message*> out;
    for (const auto& s : fake->sent)
      if (s.message.isResponse() && s.message.status == status &&
          (callId.empty() || s.message.header("Call-ID").value_or("") == callId))
        out.push_back(&s.message);
    return out;
  }
  const Message* sentRequest(const std::string& method) const {
    for (const auto& s : fake->sent)
      if (s.message.isRequest() && s.message.method == method) return &s.message;
    return nullptr;
  }
  bool waitResponse(int status, const std::string& callId = {}) {
    return runUntil(io, [&] { return !responses(status, callId).empty(); });
  }
  std::string toTag(const Message& response) {
    auto to = sip::parseNameAddr(response.header("To").value_or(""));
    return to ? to->tag().value_or("") : "";
  }
  // INVITE -> 200 -> ACK; returns the 200.
  Message establish(const std::string& callId, const std::string& sdp = kOffer) {
    fake->deliver(invite(callId, sdp), caller);
    EXPECT_TRUE(waitResponse(200, callId));
    Message ok = *responses(200, callId).front();
    Message ack = request("ACK", callId, 1, toTag(ok));
    fake->deliver(ack, caller);
    runFor(io, 5ms);
    return ok;
  }
  void answerBye() {
    const Message* bye = sentRequest("BYE");
    ASSERT_NE(bye, nullptr);
    fake->deliver(sip::transaction::makeResponse(*bye, 200, "OK"), caller);
  }
};

TEST_F(EchoTest, AnswersEchoesRtpBackAndEndsOnBye) {
  make();
  Message ok = establish("call-1");
  EXPECT_EQ(ok.header("Content-Type").value_or(""), "application/sdp");
  EXPECT_NE(std::string(ok.header("Contact").value_or("")).find("sip:echo@127.0.0.1:5090"), std::string::npos);
  auto answer = sdp::parse(ok.body);
  ASSERT_TRUE(answer) << ok.body;
  EXPECT_EQ(answer->connection->address, "127.0.0.1");
  ASSERT_EQ(answer->media.size(), 1u);
  EXPECT_EQ(answer->media[0].formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_EQ(echo->activeCalls(), 1u);

  // A real RTP packet to the answered port comes back to where it was sent from, same
  // sequence number, timestamp and payload, our own SSRC.
  asio::ip::udp::socket peer(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::array<uint8_t, 172> packet{};
  packet[0] = 0x80;
  packet[1] = 0;  // PCMU
  store16(&packet[2], 4711);
  store32(&packet[4], 160000);
  store32(&packet[8], 0x11223344);
  for (size_t i = 12; i < packet.size(); ++i) packet[i] = uint8_t(i);
  asio::ip::udp::endpoint target(asio::ip::make_address("127.0.0.1"), answer->media[0].port);
  std::array<uint8_t, 1500> back{};
  size_t got = 0;
  asio::ip::udp::endpoint sender;
  peer.async_receive_from(asio::buffer(back), sender, [&](boost::system::error_code ec, size_t n) {
    if (!ec) got = n;
  });
  peer.send_to(asio::buffer(packet), target);
  ASSERT_TRUE(runUntil(io, [&] { return got > 0; }));
  EXPECT_EQ(got, packet.size());
  EXPECT_EQ(sender, target);
  EXPECT_EQ(load16(&back[2]), 4711);
  EXPECT_EQ(load32(&back[4]), 160000u);
  EXPECT_NE(load32(&back[8]), 0x11223344u);
  EXPECT_TRUE(std::equal(packet.begin() + 12, packet.end(), back.begin() + 12));
  EXPECT_EQ(echo->echoedPackets(), 1u);

  // A PLI for the echoed stream (sent to the RTCP port) comes back naming the caller's SSRC.
  std::array<uint8_t, 12> pli{};
  pli[0] = 0x81;
  pli[1] = 206;
  store16(&pli[2], 2);
  store32(&pli[4], 0x55667788);
  store32(&pli[8], load32(&back[8]));
  got = 0;
  peer.async_receive_from(asio::buffer(back), sender, [&](boost::system::error_code ec, size_t n) {
    if (!ec) got = n;
  });
  asio::ip::udp::endpoint rtcpTarget(target.address(), uint16_t(target.port() + 1));
  peer.send_to(asio::buffer(pli), rtcpTarget);
  ASSERT_TRUE(runUntil(io, [&] { return got > 0; }));
  EXPECT_EQ(got, pli.size());
  EXPECT_EQ(sender, rtcpTarget);
  EXPECT_EQ(back[1], 206);
  EXPECT_EQ(load32(&back[8]), 0x11223344u);

  fake->deliver(request("BYE", "call-1", 2, toTag(ok)), caller);
  ASSERT_TRUE(runUntil(io, [&] { return echo->activeCalls() == 0; }));
  bool byeAnswered = false;
  for (const auto* r : responses(200, "call-1")) byeAnswered = byeAnswered || r->header("CSeq").value_or("") == "2 BYE";
  EXPECT_TRUE(byeAnswered);
}

TEST_F(EchoTest, OptionsIsAHealthCheck) {
  make();
  fake->deliver(request("OPTIONS", "opt-1", 1), caller);
  ASSERT_TRUE(waitResponse(200, "opt-1"));
  EXPECT_TRUE(responses(200, "opt-1").front()->header("Allow").has_value());
}

TEST_F(EchoTest, RefusesAboveMaxCallsWithRetryAfter) {
  EchoSettings s;
  s.maxCalls = 1;
  make(s);
  establish("call-1");
  fake->deliver(invite("call-2"), caller);
  ASSERT_TRUE(waitResponse(503, "call-2"));
  EXPECT_EQ(responses(503, "call-2").front()->header("Retry-After").value_or(""), "30");
  EXPECT_TRUE(responses(200, "call-2").empty());
  EXPECT_EQ(echo->activeCalls(), 1u);
}

TEST_F(EchoTest, BadOffersGetSpecificResponses) {
  make();
  fake->deliver(invite("bad-sdp", "v=0\r\nthis is not sdp\r\n"), caller);
  ASSERT_TRUE(waitResponse(400, "bad-sdp"));
  EXPECT_NE(responses(400, "bad-sdp").front()->reason.find("Invalid SDP"), std::string::npos);

  fake->deliver(invite("srtp",
                       "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                       "m=audio 5000 RTP/SAVP 0\r\n"),
                caller);
  ASSERT_TRUE(waitResponse(488, "srtp"));

  Message noTag = invite("no-tag");
  noTag.setHeader("From", "<sip:1000@example.com>");
  fake->deliver(noTag, caller);
  ASSERT_TRUE(waitResponse(400, "no-tag"));
  EXPECT_EQ(echo->activeCalls(), 0u);
}

TEST_F(EchoTest, MaxDurationEndsTheCallWithBye) {
  EchoSettings s;
  s.maxDuration = 150ms;
  s.mediaTimeout = 0ms;
  make(s);
  establish("long");
  ASSERT_TRUE(runUntil(io, [&] { return sentRequest("BYE") != nullptr; }));
  answerBye();
  ASSERT_TRUE(runUntil(io, [&] { return echo->activeCalls() == 0; }));
}

TEST_F(EchoTest, NoMediaEndsTheCallButHoldInactivePausesTheTimeout) {
  EchoSettings s;
  s.mediaTimeout = 120ms;
  make(s);
  Message ok = establish("quiet");
  // The caller holds with a=inactive: no media is expected, the call stays.
  std::string inactive = kOffer + "a=inactive\r\n";
  fake->deliver(invite("quiet", inactive, toTag(ok), 2), caller);
  ASSERT_TRUE(runUntil(io, [&] { return responses(200, "quiet").size() >= 2; }));
  auto held = sdp::parse(responses(200, "quiet").back()->body);
  ASSERT_TRUE(held);
  EXPECT_EQ(sdp::direction(*held, held->media[0]), sdp::Direction::Inactive);
  EXPECT_EQ(held->origin.sessionVersion, "2");
  fake->deliver(request("ACK", "quiet", 2, toTag(ok)), caller);
  runFor(io, 300ms);
  EXPECT_EQ(sentRequest("BYE"), nullptr);
  // Resumed: silence now ends the call.
  fake->deliver(invite("quiet", kOffer, toTag(ok), 3), caller);
  ASSERT_TRUE(runUntil(io, [&] { return responses(200, "quiet").size() >= 3; }));
  fake->deliver(request("ACK", "quiet", 3, toTag(ok)), caller);
  ASSERT_TRUE(runUntil(io, [&] { return sentRequest("BYE") != nullptr; }));
  answerBye();
  ASSERT_TRUE(runUntil(io, [&] { return echo->activeCalls() == 0; }));
}

TEST_F(EchoTest, HoldReInviteIsAnsweredRecvonly) {
  make();
  Message ok = establish("hold");
  fake->deliver(invite("hold", kOffer + "a=sendonly\r\n", toTag(ok), 2), caller);
  ASSERT_TRUE(runUntil(io, [&] { return responses(200, "hold").size() >= 2; }));
  auto answer = sdp::parse(responses(200, "hold").back()->body);
  ASSERT_TRUE(answer);
  EXPECT_EQ(sdp::direction(*answer, answer->media[0]), sdp::Direction::RecvOnly);
  // Same port as before (the stream is kept).
  auto first = sdp::parse(ok.body);
  EXPECT_EQ(answer->media[0].port, first->media[0].port);
}

TEST_F(EchoTest, DelayedOfferGetsOurOffer) {
  make();
  fake->deliver(invite("late", ""), caller);
  ASSERT_TRUE(waitResponse(200, "late"));
  auto offer = sdp::parse(responses(200, "late").front()->body);
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->media[0].formats.front(), "0");
  EXPECT_EQ(echo->activeCalls(), 1u);
}

TEST_F(EchoTest, StopByesCallsAndRefusesNewOnes) {
  make();
  establish("call-1");
  echo->stop();
  ASSERT_TRUE(runUntil(io, [&] { return sentRequest("BYE") != nullptr; }));
  fake->deliver(invite("call-2"), caller);
  ASSERT_TRUE(waitResponse(503, "call-2"));
  answerBye();
  ASSERT_TRUE(runUntil(io, [&] { return echo->activeCalls() == 0; }));
}

TEST(EchoEndpointOpen, BindsAnEphemeralPortAndReportsItsAddress) {
  asio::io_context io;
  EchoSettings s;
  s.bindIp = "127.0.0.1";
  s.rtpPortMin = 41200;
  s.rtpPortMax = 41299;
  auto echo = EchoEndpoint::open(io, s);
  ASSERT_TRUE(echo) << echo.error().message;
  EXPECT_EQ((*echo)->address().ip.to_string(), "127.0.0.1");
  EXPECT_NE((*echo)->address().port, 0);
  EXPECT_EQ((*echo)->sip().advertisedPort(), (*echo)->address().port);
}

}  // namespace
}  // namespace callgate::echo
