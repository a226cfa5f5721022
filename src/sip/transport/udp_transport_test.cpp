#include "sip/transport/udp_transport.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>

#include "sip/header_values.hpp"
#include "sip/parser.hpp"
#include "sip/transaction/sip_endpoint.hpp"
#include "sip/transaction/test_support.hpp"
#include "sip/transport/bad_request.hpp"
#include "sip/transport/via_routing.hpp"

namespace callgate::sip::transport {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using testing::runUntil;

class RecordingListener : public Transport::Listener {
 public:
  void onMessage(Message message, const PeerAddress& from) override {
    messages.push_back(std::move(message));
    sources.push_back(from);
  }
  std::vector<Message> messages;
  std::vector<PeerAddress> sources;
};

// A plain UDP socket on 127.0.0.1 acting as the SIP peer.
struct Peer {
  explicit Peer(asio::io_context& io) : socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    socket.non_blocking(true);
  }
  void send(const std::string& data, const PeerAddress& to) { socket.send_to(asio::buffer(data), udp::endpoint(to.ip, to.port)); }
  // Non-blocking read of one datagram, if any.
  std::optional<std::string> poll() {
    std::array<char, 65536> buf;
    udp::endpoint from;
    boost::system::error_code ec;
    size_t n = socket.receive_from(asio::buffer(buf), from, 0, ec);
    if (ec) return std::nullopt;
    return std::string(buf.data(), n);
  }
  std::optional<std::string> receive(asio::io_context& io, std::chrono::milliseconds limit = std::chrono::milliseconds(2000)) {
    std::optional<std::string> got;
    runUntil(io, [&] { return (got = poll()).has_value(); }, limit);
    return got;
  }
  uint16_t port() const { return socket.local_endpoint().port(); }
  udp::socket socket;
};

struct UdpFixture : ::testing::Test {
  UdpFixture() {
    auto opened = UdpTransport::open(io, UdpTransportConfig{});
    EXPECT_TRUE(opened) << opened.error().message;
    transport = std::move(opened.value());
    transport->start(listener);
  }
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
  RecordingListener listener;
  std::unique_ptr<UdpTransport> transport;
};

const std::string kMalformedMaxForwards =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKbad1;rport\r\n"
    "Max-Forwards: lots\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Call-ID: bad-mf-1\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 0\r\n\r\n";

const std::string kMalformedCSeq =
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKbad1;rport\r\n"
    "From: <sip:alice@example.com>;tag=a1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Call-ID: bad-cseq-1\r\n"
    "CSeq: one INVITE\r\n"
    "Content-Length: 0\r\n\r\n";

TEST_F(UdpFixture, MalformedRequestGets400WithParserReason) {
  auto expectedReason = parseMessage(kMalformedMaxForwards);
  ASSERT_FALSE(expectedReason);
  Peer peer(io);
  peer.send(kMalformedMaxForwards, transport->localAddress());
  auto reply = peer.receive(io);
  ASSERT_TRUE(reply);
  auto response = parseMessage(*reply);
  ASSERT_TRUE(response) << *reply;
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->reason, expectedReason.error().message);
  EXPECT_EQ(response->header("Call-ID").value_or(""), "bad-mf-1");
  EXPECT_EQ(response->header("CSeq").value_or(""), "1 INVITE");
  EXPECT_NE(std::string(response->header("Via").value_or("")).find("z9hG4bKbad1"), std::string::npos);
  auto to = parseNameAddr(response->header("To").value_or(""));
  ASSERT_TRUE(to);
  EXPECT_TRUE(to->tag());
  EXPECT_EQ(transport->stats().malformedRequests, 1u);
  EXPECT_TRUE(listener.messages.empty());
}

TEST_F(UdpFixture, MalformedCSeqIsNotEchoed) {
  Peer peer(io);
  peer.send(kMalformedCSeq, transport->localAddress());
  auto reply = peer.receive(io);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->rfind("SIP/2.0 400 " + parseMessage(kMalformedCSeq).error().message + "\r\n", 0), 0u) << *reply;
  EXPECT_NE(reply->find("Call-ID: bad-cseq-1"), std::string::npos);
  EXPECT_EQ(reply->find("one INVITE"), std::string::npos);
}

TEST_F(UdpFixture, MalformedResponseAndAckAreDroppedAndCounted) {
  Peer peer(io);
  peer.send("SIP/2.0 200 OK\r\nVia: broken\r\n\r\n", transport->localAddress());
  peer.send("ACK sip:x@y SIP/2.0\r\nCSeq: nope\r\n\r\n", transport->localAddress());
  peer.send("\r\n\r\n", transport->localAddress());
  ASSERT_TRUE(runUntil(io, [&] { return transport->stats().received == 3; }));
  EXPECT_EQ(transport->stats().malformedResponses, 1u);
  EXPECT_EQ(transport->stats().malformedRequests, 1u);
  EXPECT_FALSE(peer.receive(io, std::chrono::milliseconds(50)));
  EXPECT_TRUE(listener.messages.empty());
}

TEST_F(UdpFixture, GarbageWithoutHeadersIsDropped) {
  Peer peer(io);
  peer.send("HELLO\r\n\r\n", transport->localAddress());
  ASSERT_TRUE(runUntil(io, [&] { return transport->stats().received == 1; }));
  EXPECT_EQ(transport->stats().unreadableDropped, 1u);
  EXPECT_FALSE(peer.receive(io, std::chrono::milliseconds(50)));
}

TEST_F(UdpFixture, RequestViaIsStampedWithReceivedAndRport) {
  Peer peer(io);
  peer.send("OPTIONS sip:callgate@127.0.0.1 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 10.1.2.3:5070;branch=z9hG4bKstamp;rport\r\n"
            "From: <sip:a@example.com>;tag=1\r\nTo: <sip:callgate@example.com>\r\n"
            "Call-ID: stamp\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
            transport->localAddress());
  ASSERT_TRUE(runUntil(io, [&] { return !listener.messages.empty(); }));
  auto via = parseVia(listener.messages[0].headerValues("Via").front());
  ASSERT_TRUE(via);
  EXPECT_EQ(via->param("received").value_or(""), "127.0.0.1");
  EXPECT_EQ(via->param("rport").value_or(""), std::to_string(peer.port()));
  auto destination = responseDestination(listener.messages[0]);
  ASSERT_TRUE(destination);
  EXPECT_EQ(*destination, (PeerAddress{asio::ip::make_address("127.0.0.1"), peer.port()}));
}

TEST(UdpTransportOpen, WildcardNeedsAdvertisedHost) {
  asio::io_context io;
  EXPECT_FALSE(UdpTransport::open(io, UdpTransportConfig{"0.0.0.0", 0, "", 0, {}}));
  auto ok = UdpTransport::open(io, UdpTransportConfig{"0.0.0.0", 0, "203.0.113.5", 5080, {}});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ((*ok)->advertisedHost(), "203.0.113.5");
  EXPECT_EQ((*ok)->advertisedPort(), 5080);
  EXPECT_FALSE(UdpTransport::open(io, UdpTransportConfig{"not-an-ip", 0, "", 0, {}}));
}

TEST(ViaRouting, ResponseDestinationRules) {
  Message r = Message::response(200, "OK");
  r.addHeader("Via", "SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bKx");
  EXPECT_EQ(*responseDestination(r), (PeerAddress{asio::ip::make_address("192.0.2.7"), 5070}));
  r.setHeader("Via", "SIP/2.0/UDP host.example.com;branch=z9hG4bKx;received=198.51.100.1");
  EXPECT_EQ(*responseDestination(r), (PeerAddress{asio::ip::make_address("198.51.100.1"), 5060}));
  r.setHeader("Via", "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKx;received=198.51.100.1;rport=40000");
  EXPECT_EQ(*responseDestination(r), (PeerAddress{asio::ip::make_address("198.51.100.1"), 40000}));
  r.setHeader("Via", "SIP/2.0/UDP host.example.com;branch=z9hG4bKx");
  EXPECT_FALSE(responseDestination(r));
}

TEST(ViaRouting, StampKeepsOtherViasInOrder) {
  Message m = Message::request("OPTIONS", "sip:x@example.com");
  m.addHeader("Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa;rport, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb");
  m.addHeader("Call-ID", "x");
  stampReceived(m, PeerAddress{asio::ip::make_address("198.51.100.9"), 1234});
  auto vias = m.headerValues("Via");
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_NE(std::string(vias[0]).find("received=198.51.100.9"), std::string::npos);
  EXPECT_NE(std::string(vias[0]).find("rport=1234"), std::string::npos);
  EXPECT_NE(std::string(vias[1]).find("z9hG4bKb"), std::string::npos);
  EXPECT_EQ(m.headers.front().name, "Via");
}

TEST(BadRequest, ClassifiesAndSanitisesReason) {
  EXPECT_EQ(classifyDatagram("\r\n\r\n"), DatagramKind::KeepAlive);
  EXPECT_EQ(classifyDatagram("SIP/2.0 200 OK\r\n"), DatagramKind::Response);
  EXPECT_EQ(classifyDatagram("ACK sip:a@b SIP/2.0\r\n"), DatagramKind::Ack);
  EXPECT_EQ(classifyDatagram("INVITE sip:a@b SIP/2.0\r\n"), DatagramKind::Request);
  auto r = makeBadRequestResponse("INVITE x\r\ni: abc\r\n\r\n", "Bad\r\nthing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reason, "Bad  thing");
  EXPECT_EQ(r->header("Call-ID").value_or(""), "abc");
}

// Over real UDP: an OPTIONS to the endpoint is answered 200 at the rport address.
TEST(UdpEndpoint, OptionsAnsweredOverUdp) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  auto opened = UdpTransport::open(io, UdpTransportConfig{});
  ASSERT_TRUE(opened);
  PeerAddress local = (*opened)->localAddress();
  transaction::SipEndpoint endpoint(io, std::move(opened.value()));
  endpoint.start();
  Peer peer(io);
  peer.send("OPTIONS sip:callgate@127.0.0.1 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 10.9.9.9:5070;branch=z9hG4bKopt;rport\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:callgate@example.com>\r\n"
            "Call-ID: opt-udp\r\nCSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n",
            local);
  auto reply = peer.receive(io);
  ASSERT_TRUE(reply);
  auto response = parseMessage(*reply);
  ASSERT_TRUE(response) << *reply;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("CSeq").value_or(""), "7 OPTIONS");
  EXPECT_TRUE(response->header("Allow"));
}

}  // namespace
}  // namespace callgate::sip::transport
