// The UA over a real UDP socket pair on 127.0.0.1: the scripted peer is a plain socket.
#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>

#include "sip/parser.hpp"
#include "sip/transaction/responses.hpp"
#include "sip/transaction/test_support.hpp"
#include "sip/transport/udp_transport.hpp"
#include "sip/ua/outgoing_invite.hpp"
#include "sip/ua/session_events_recorder.hpp"
#include "sip/ua/registration.hpp"

namespace callgate::sip::ua {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using testing::runUntil;
using namespace std::chrono_literals;

struct ScriptedPeer {
  explicit ScriptedPeer(asio::io_context& io) : socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    socket.non_blocking(true);
  }
  std::optional<std::pair<Message, udp::endpoint>> receive(asio::io_context& io) {
    std::optional<std::pair<Message, udp::endpoint>> got;
    runUntil(io, [&] {
      std::array<char, 65536> buf;
      udp::endpoint from;
      boost::system::error_code ec;
      size_t n = socket.receive_from(asio::buffer(buf), from, 0, ec);
      if (ec) return false;
      auto parsed = parseMessage(std::string_view(buf.data(), n));
      EXPECT_TRUE(parsed) << std::string(buf.data(), n);
      if (!parsed) return false;
      got.emplace(std::move(parsed.value()), from);
      return true;
    });
    return got;
  }
  void reply(const Message& request, const udp::endpoint& to, int status, const std::function<void(Message&)>& edit = {}) {
    Message response = transaction::makeResponse(request, status, {}, "peer");
    if (edit) edit(response);
    std::string wire = response.serialize();
    socket.send_to(asio::buffer(wire), to);
  }
  uint16_t port() const { return socket.local_endpoint().port(); }
  udp::socket socket;
};

struct UdpFlow : ::testing::Test, Registration::Listener, SessionEventsRecorder<OutgoingInvite::Listener> {
  UdpFlow() {
    auto opened = transport::UdpTransport::open(io, transport::UdpTransportConfig{});
    EXPECT_TRUE(opened);
    transaction::EndpointConfig config;
    config.timers = testing::fastTimers();
    endpoint = std::make_unique<transaction::SipEndpoint>(io, std::move(opened.value()), config);
    endpoint->start();
    acc.login = "1000";
    acc.password = "pw";
    acc.domain = "example.com";
    acc.outboundProxy = "127.0.0.1";
    acc.port = peer.port();
  }
  void onRegistered() override { events.push_back("registered"); }
  void onRegistrationFailed(int status, std::string reason) override { events.push_back("regFailed " + std::to_string(status)); }
  void onProvisional(int status, std::string, std::optional<std::string>) override { events.push_back(std::to_string(status)); }
  void onAnswered(std::string) override { events.push_back("answered"); }
  void onFailed(int status, std::string reason) override { events.push_back("failed " + std::to_string(status)); }
  void onCancelled() override { events.push_back("cancelled"); }
  void onRemoteBye() override { events.push_back("remoteBye"); }
  void onTerminated() override { events.push_back("terminated"); }

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
  ScriptedPeer peer{io};
  std::unique_ptr<transaction::SipEndpoint> endpoint;
  Account acc;
};

TEST_F(UdpFlow, RegisterIsRetransmittedUntilAnsweredThenAuthenticated) {
  Registration registration(*endpoint, acc, *this);
  ASSERT_TRUE(registration.start());
  auto first = peer.receive(io);
  ASSERT_TRUE(first);
  auto again = peer.receive(io);  // ignored once: timer E re-sends the same request
  ASSERT_TRUE(again);
  EXPECT_EQ(again->first.header("Via"), first->first.header("Via"));
  EXPECT_EQ(again->first.header("CSeq"), first->first.header("CSeq"));
  peer.reply(first->first, first->second, 401, [](Message& r) {
    r.addHeader("WWW-Authenticate", "Digest realm=\"example.com\", nonce=\"udp\", qop=\"auth\"");
  });
  std::optional<std::pair<Message, udp::endpoint>> authed;
  do {
    authed = peer.receive(io);
    ASSERT_TRUE(authed);
  } while (!authed->first.header("Authorization"));
  peer.reply(authed->first, authed->second, 200);
  ASSERT_TRUE(runUntil(io, [&] { return !events.empty(); }));
  EXPECT_EQ(events, (std::vector<std::string>{"registered"}));
}

TEST_F(UdpFlow, CallRingsAnswersAndHangsUp) {
  OutgoingInvite call(*endpoint, acc, *this);
  ASSERT_TRUE(call.start("2000", "v=0\r\n"));
  auto invite = peer.receive(io);
  ASSERT_TRUE(invite);
  peer.reply(invite->first, invite->second, 180);
  peer.reply(invite->first, invite->second, 200, [&](Message& r) {
    r.addHeader("Contact", "<sip:2000@127.0.0.1:" + std::to_string(peer.port()) + ">");
    r.addHeader("Content-Type", "application/sdp");
    r.body = "v=0\r\n";
  });
  std::optional<std::pair<Message, udp::endpoint>> ack;
  do {
    ack = peer.receive(io);
    ASSERT_TRUE(ack);
  } while (ack->first.method != "ACK");
  EXPECT_EQ(events, (std::vector<std::string>{"180", "answered"}));
  call.hangup();
  std::optional<std::pair<Message, udp::endpoint>> bye;
  do {
    bye = peer.receive(io);
    ASSERT_TRUE(bye);
  } while (bye->first.method != "BYE");
  peer.reply(bye->first, bye->second, 200);
  ASSERT_TRUE(runUntil(io, [&] { return events.size() == 3; }));
  EXPECT_EQ(events.back(), "terminated");
}

}  // namespace
}  // namespace callgate::sip::ua
