#include "media/rtp_endpoint.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "media/media_activity_monitor.hpp"
#include "media/failure_reasons.hpp"
#include "media/packet_buffer.hpp"
#include "media/rtp/payload_type_map.hpp"

namespace callgate::media {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using namespace std::chrono_literals;

struct Sink : RtpEndpoint::Listener {
  std::vector<std::vector<uint8_t>> rtp, rtcp;
  void onRtp(std::span<uint8_t> p) override { rtp.emplace_back(p.begin(), p.end()); }
  void onRtcp(std::span<uint8_t> p) override { rtcp.emplace_back(p.begin(), p.end()); }
};

std::vector<uint8_t> rtpPacket(uint32_t ssrc, uint16_t seq = 1) {
  std::vector<uint8_t> p(172, 0);
  p[0] = 0x80;
  p[1] = 0;
  store16(p.data() + 2, seq);
  store32(p.data() + 8, ssrc);
  return p;
}

struct RtpEndpointTest : ::testing::Test {
  boost::asio::io_context io;
  PortAllocator ports{47400, 47499};
  Sink sink;
  std::unique_ptr<RtpEndpoint> ep;
  udp::socket phone{io, udp::endpoint(make_address("127.0.0.1"), 0)};
  udp::socket phoneRtcp{io, udp::endpoint(make_address("127.0.0.1"), 0)};
  udp::socket attacker{io, udp::endpoint(make_address("127.0.0.1"), 0)};

  void SetUp() override {
    RtpEndpointConfig cfg;
    cfg.bindIp = make_address("127.0.0.1");
    auto e = RtpEndpoint::create(io, ports, cfg, sink);
    ASSERT_TRUE(e.ok()) << e.error().message;
    ep = std::move(*e);
    phone.non_blocking(true);
  }
  template <class Pred>
  void runUntil(Pred pred, std::chrono::milliseconds limit = 2s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < end) io.run_one_for(10ms);
  }
  size_t receive(udp::socket& s, std::vector<uint8_t>& out) {
    out.resize(2048);
    runUntil([&] { return s.available() > 0; });
    boost::system::error_code ec;
    const size_t n = s.receive(boost::asio::buffer(out), 0, ec);
    out.resize(ec ? 0 : n);
    return out.size();
  }
};

TEST_F(RtpEndpointTest, EvenOddPorts) {
  EXPECT_EQ(ep->localRtpPort() % 2, 0);
  EXPECT_EQ(ep->localRtcpPort(), ep->localRtpPort() + 1);
}

TEST_F(RtpEndpointTest, LatchesToSourceOfRtpAndSendsBack) {
  // The SDP said some other (NATed, unreachable) address.
  ep->setRemote(udp::endpoint(make_address("127.0.0.1"), 9));
  const auto target = udp::endpoint(make_address("127.0.0.1"), ep->localRtpPort());
  phone.send_to(boost::asio::buffer(rtpPacket(0x1111)), target);
  runUntil([&] { return sink.rtp.size() == 1; });
  ASSERT_EQ(sink.rtp.size(), 1u);
  EXPECT_TRUE(ep->latched());
  EXPECT_EQ(*ep->remoteRtp(), phone.local_endpoint());
  EXPECT_EQ(ep->counters().latchChanges, 1u);

  auto out = rtpPacket(0x2222);
  ASSERT_TRUE(ep->sendRtp(std::span<const uint8_t>(out)));
  std::vector<uint8_t> got;
  ASSERT_EQ(receive(phone, got), 172u);
  EXPECT_EQ(load32(got.data() + 8), 0x2222u);

  // A different source with a different SSRC cannot steal the stream...
  attacker.send_to(boost::asio::buffer(rtpPacket(0x9999)), target);
  runUntil([&] { return ep->counters().dropUnknownSource == 1; });
  EXPECT_EQ(ep->counters().dropUnknownSource, 1u);
  EXPECT_EQ(*ep->remoteRtp(), phone.local_endpoint());
  // ...but the latched SSRC from a new port (NAT rebinding) is followed.
  attacker.send_to(boost::asio::buffer(rtpPacket(0x1111, 2)), target);
  runUntil([&] { return sink.rtp.size() == 2; });
  EXPECT_EQ(*ep->remoteRtp(), attacker.local_endpoint());
  EXPECT_EQ(ep->counters().latchChanges, 2u);
}

TEST_F(RtpEndpointTest, RtcpOnOddPortAndMuxed) {
  ep->setRemote(phone.local_endpoint(), phoneRtcp.local_endpoint());
  const std::vector<uint8_t> rr = {0x80, 201, 0, 1, 0, 0, 0, 7};
  phoneRtcp.send_to(boost::asio::buffer(rr), udp::endpoint(make_address("127.0.0.1"), ep->localRtcpPort()));
  phone.send_to(boost::asio::buffer(rr), udp::endpoint(make_address("127.0.0.1"), ep->localRtpPort()));  // muxed
  runUntil([&] { return sink.rtcp.size() == 2; });
  EXPECT_EQ(sink.rtcp.size(), 2u);
  ASSERT_TRUE(ep->sendRtcp(std::span<const uint8_t>(rr)));
  std::vector<uint8_t> got;
  EXPECT_EQ(receive(phoneRtcp, got), 8u);
  // Garbage is dropped and counted.
  const std::vector<uint8_t> junk = {0x80, 201, 0, 9};
  phoneRtcp.send_to(boost::asio::buffer(junk), udp::endpoint(make_address("127.0.0.1"), ep->localRtcpPort()));
  runUntil([&] { return ep->counters().dropMalformed == 1; });
  EXPECT_EQ(ep->counters().dropMalformed, 1u);
}

TEST_F(RtpEndpointTest, RtcpMuxSendsFromRtpPort) {
  ep->setRemote(phone.local_endpoint(), std::nullopt, /*rtcpMux=*/true);
  const std::vector<uint8_t> rr = {0x80, 201, 0, 1, 0, 0, 0, 7};
  ASSERT_TRUE(ep->sendRtcp(std::span<const uint8_t>(rr)));
  std::vector<uint8_t> got(64);
  udp::endpoint from;
  runUntil([&] { return phone.available() > 0; });
  const size_t n = phone.receive_from(boost::asio::buffer(got), from);
  EXPECT_EQ(n, 8u);
  EXPECT_EQ(from.port(), ep->localRtpPort());
}

TEST_F(RtpEndpointTest, NoRemoteMeansDrop) {
  auto p = rtpPacket(1);
  EXPECT_FALSE(ep->sendRtp(std::span<const uint8_t>(p)));
  EXPECT_EQ(ep->counters().dropNotReady, 1u);
}

struct Inactive : MediaActivityMonitor::Listener {
  std::string reason;
  size_t source = 99;
  void onMediaInactive(size_t s, std::string_view r) override {
    source = s;
    reason = r;
  }
};

TEST(MediaActivityMonitor, FiresWhenInboundStops) {
  boost::asio::io_context io;
  TransportCounters a, b;
  Inactive events;
  MediaActivityMonitor mon(io, events, 200ms);
  mon.watch(a);
  EXPECT_EQ(mon.watch(b), 1u);
  mon.start();
  boost::asio::steady_timer feeder(io);
  // `a` keeps receiving; `b` goes silent.
  std::function<void()> feed = [&] {
    ++a.rtpIn;
    feeder.expires_after(20ms);
    feeder.async_wait([&](auto ec) {
      if (!ec) feed();
    });
  };
  feed();
  const auto t0 = std::chrono::steady_clock::now();
  while (events.reason.empty() && std::chrono::steady_clock::now() - t0 < 2s) io.run_one_for(10ms);
  EXPECT_EQ(events.reason, kFailedByRtpActivity);
  EXPECT_EQ(events.source, 1u);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 200ms);
}

TEST(MediaActivityMonitor, DisabledWithZero) {
  boost::asio::io_context io;
  TransportCounters a;
  Inactive events;
  MediaActivityMonitor mon(io, events, 0ms);
  mon.watch(a);
  mon.start();
  io.run_for(50ms);
  EXPECT_TRUE(events.reason.empty());
}

}  // namespace
}  // namespace callgate::media

namespace callgate::media {
namespace {

// In-place relay between two endpoints: the forwarded datagram still lives in the receive
// buffers, so UdpSocket defers it and flushes with sendmmsg at the end of the batch.
TEST(RtpRelay, ForwardsBurstInPlaceWithDeferredSends) {
  boost::asio::io_context io;
  PortAllocator ports{47500, 47599};
  struct Forward : RtpEndpoint::Listener {
    RtpEndpoint* to = nullptr;
    rtp::PayloadTypeMap map;
    void onRtp(std::span<uint8_t> p) override {
      if (map.apply(p)) to->sendRtp(withTailroom(p), p.size());
    }
    void onRtcp(std::span<uint8_t>) override {}
  } fwd;
  Sink sinkB;
  RtpEndpointConfig cfg;
  cfg.bindIp = make_address("127.0.0.1");
  auto a = RtpEndpoint::create(io, ports, cfg, fwd);
  auto b = RtpEndpoint::create(io, ports, cfg, sinkB);
  ASSERT_TRUE(a.ok() && b.ok());
  fwd.to = b->get();
  fwd.map.set(0, 8);
  udp::socket left(io, udp::endpoint(make_address("127.0.0.1"), 0));
  udp::socket right(io, udp::endpoint(make_address("127.0.0.1"), 0));
  (*b)->setRemote(right.local_endpoint());
  (*a)->setRemote(left.local_endpoint());
  for (uint16_t i = 0; i < 40; ++i)
    left.send_to(boost::asio::buffer(rtpPacket(0x77, i)), (*a)->localRtpEndpoint());
  std::vector<uint8_t> got(2048);
  size_t received = 0;
  const auto end = std::chrono::steady_clock::now() + 2s;
  right.non_blocking(true);
  while (received < 40 && std::chrono::steady_clock::now() < end) {
    io.run_one_for(10ms);
    boost::system::error_code ec;
    while (right.receive(boost::asio::buffer(got), 0, ec) == 172 && !ec) {
      EXPECT_EQ(got[1], 8);  // PT rewritten
      EXPECT_EQ(load16(got.data() + 2), received);  // order kept
      ++received;
    }
  }
  EXPECT_EQ(received, 40u);
  EXPECT_EQ((*b)->counters().rtpOut, 40u);
  EXPECT_EQ((*b)->counters().dropSendError, 0u);
}

}  // namespace
}  // namespace callgate::media
