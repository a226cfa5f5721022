#include "media/webrtc_transport.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "media/failure_reasons.hpp"
#include "media/packet_buffer.hpp"

namespace callgate::media {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::udp;
using namespace std::chrono_literals;

struct Recorder : WebRtcTransport::Listener {
  bool connected = false;
  std::string failed;
  std::vector<std::vector<uint8_t>> rtp, rtcp;
  std::function<void()> onConnect;
  void onConnected() override {
    connected = true;
    if (onConnect) onConnect();
  }
  void onFailed(std::string_view reason) override { failed = reason; }
  void onRtp(std::span<uint8_t> p) override { rtp.emplace_back(p.begin(), p.end()); }
  void onRtcp(std::span<uint8_t> p) override { rtcp.emplace_back(p.begin(), p.end()); }
  void onRemoteClosed() override { remoteClosed = true; }
  bool remoteClosed = false;
};

dtls::Fingerprint ourFingerprint() {
  return *dtls::parseFingerprint("sha-256 " + WebRtcTransport::localFingerprintSha256());
}

// The server is configured as the gateway does for a browser; the client is the same code a
// load tool uses (controlling ICE, DTLS client).
struct E2e : ::testing::Test {
  boost::asio::io_context io;
  PortAllocator ports{47200, 47299};
  Recorder serverEvents, clientEvents;
  std::unique_ptr<WebRtcTransport> server, client;

  void create(WebRtcTransportConfig serverCfg = {}, WebRtcTransportConfig clientCfg = {}) {
    serverCfg.bindIp = make_address("127.0.0.1");
    serverCfg.iceMode = IceMode::Lite;
    serverCfg.dtlsRole = dtls::DtlsRole::Server;
    clientCfg.bindIp = make_address("127.0.0.1");
    clientCfg.iceMode = IceMode::Controlling;
    clientCfg.dtlsRole = dtls::DtlsRole::Client;
    auto s = WebRtcTransport::create(io, ports, serverCfg, serverEvents);
    auto c = WebRtcTransport::create(io, ports, clientCfg, clientEvents);
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(c.ok()) << c.error().message;
    server = std::move(*s);
    client = std::move(*c);
  }
  void startBoth(std::vector<dtls::Fingerprint> serverSeesClient = {ourFingerprint()},
                 std::vector<dtls::Fingerprint> clientSeesServer = {ourFingerprint()}) {
    server->start({client->localUfrag(), client->localPwd(), serverSeesClient, std::nullopt});
    client->start({server->localUfrag(), server->localPwd(), clientSeesServer, server->localEndpoint()});
  }
  template <class Pred>
  void runUntil(Pred pred, std::chrono::milliseconds limit = 5s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < end) io.run_one_for(20ms);
  }
};

TEST_F(E2e, ConnectsAndRelaysSrtpBothWays) {
  create();
  EXPECT_GE(server->localUfrag().size(), 4u);
  EXPECT_GE(server->localPwd().size(), 22u);
  EXPECT_NE(server->localPort(), 0);
  startBoth();
  runUntil([&] { return serverEvents.connected && clientEvents.connected; });
  ASSERT_TRUE(serverEvents.connected) << serverEvents.failed;
  ASSERT_TRUE(clientEvents.connected) << clientEvents.failed;
  ASSERT_TRUE(server->selectedRemote());
  EXPECT_EQ(server->selectedRemote()->port(), client->localPort());
  EXPECT_EQ(server->srtpProfile(), srtp::SrtpProfile::AeadAes128Gcm);  // our preference

  for (uint16_t seq = 0; seq < 5; ++seq) {
    PacketBuffer buf;
    const uint8_t hdr[12] = {0x80, 111, 0, uint8_t(seq), 0, 0, 0, 0, 1, 2, 3, 4};
    std::memcpy(buf.bytes.data(), hdr, 12);
    std::memset(buf.bytes.data() + 12, 0x5a, 160);
    ASSERT_TRUE(client->sendRtp(buf.bytes, 172));
    std::memcpy(buf.bytes.data(), hdr, 12);
    buf.bytes[9] = 9;  // other SSRC
    std::memset(buf.bytes.data() + 12, 0xa5, 160);
    ASSERT_TRUE(server->sendRtp(buf.bytes, 172));
  }
  PacketBuffer rr;
  const uint8_t rrBytes[8] = {0x80, 201, 0, 1, 1, 2, 3, 4};
  std::memcpy(rr.bytes.data(), rrBytes, 8);
  ASSERT_TRUE(client->sendRtcp(rr.bytes, 8));

  runUntil([&] { return serverEvents.rtp.size() == 5 && clientEvents.rtp.size() == 5 && serverEvents.rtcp.size() == 1; });
  ASSERT_EQ(serverEvents.rtp.size(), 5u);
  ASSERT_EQ(clientEvents.rtp.size(), 5u);
  ASSERT_EQ(serverEvents.rtcp.size(), 1u);
  EXPECT_EQ(serverEvents.rtp[0].size(), 172u);
  EXPECT_EQ(serverEvents.rtp[3][3], 3);
  EXPECT_EQ(serverEvents.rtp[0][100], 0x5a);
  EXPECT_EQ(clientEvents.rtp[4][100], 0xa5);
  EXPECT_EQ(std::memcmp(serverEvents.rtcp[0].data(), rrBytes, 8), 0);
  EXPECT_EQ(server->counters().rtpIn, 5u);
  EXPECT_EQ(server->counters().rtpOut, 5u);
  EXPECT_EQ(server->counters().drops(), 0u);
}

TEST_F(E2e, AesCmProfileWhenPeerOnlyOffersIt) {
  WebRtcTransportConfig clientCfg;
  clientCfg.srtpProfiles = "SRTP_AES128_CM_SHA1_80";
  create({}, clientCfg);
  startBoth();
  runUntil([&] { return serverEvents.connected && clientEvents.connected; });
  ASSERT_TRUE(serverEvents.connected);
  EXPECT_EQ(server->srtpProfile(), srtp::SrtpProfile::AesCm128HmacSha1_80);
  PacketBuffer buf;
  const uint8_t hdr[12] = {0x80, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4};
  std::memcpy(buf.bytes.data(), hdr, 12);
  ASSERT_TRUE(client->sendRtp(buf.bytes, 172));
  runUntil([&] { return serverEvents.rtp.size() == 1; });
  EXPECT_EQ(serverEvents.rtp.size(), 1u);
}

TEST_F(E2e, MediaBeforeConnectIsDroppedAndCounted) {
  create();
  PacketBuffer buf;
  buf.bytes[0] = 0x80;
  EXPECT_FALSE(server->sendRtp(buf.bytes, 172));
  EXPECT_EQ(server->counters().dropNotReady, 1u);
  // Unauthenticated SRTP-looking datagram from a stranger.
  udp::socket stranger(io, udp::endpoint(make_address("127.0.0.1"), 0));
  stranger.send_to(boost::asio::buffer(buf.bytes.data(), 100), server->localEndpoint());
  const uint8_t junk[3] = {0x42, 0, 0};
  stranger.send_to(boost::asio::buffer(junk), server->localEndpoint());
  runUntil([&] { return server->counters().packetsIn == 2; }, 1s);
  EXPECT_EQ(server->counters().dropNotReady, 2u);
  EXPECT_EQ(server->counters().dropMalformed, 1u);
}

TEST_F(E2e, FingerprintMismatchFailsBothSides) {
  create();
  auto wrong = ourFingerprint();
  wrong.value[1] = wrong.value[1] == '0' ? '1' : '0';
  startBoth({wrong}, {ourFingerprint()});
  runUntil([&] { return !serverEvents.failed.empty(); });
  EXPECT_EQ(serverEvents.failed, kFailedByDtlsFingerprint);
  EXPECT_FALSE(serverEvents.connected);
}

TEST_F(E2e, WrongIcePasswordFailsClientAndServerTimesOut) {
  WebRtcTransportConfig serverCfg;
  serverCfg.iceTimeout = 700ms;
  create(serverCfg);
  server->start({client->localUfrag(), client->localPwd(), {ourFingerprint()}, std::nullopt});
  client->start({server->localUfrag(), "definitely-not-the-password", {ourFingerprint()}, server->localEndpoint()});
  runUntil([&] { return !serverEvents.failed.empty() && !clientEvents.failed.empty(); });
  EXPECT_EQ(clientEvents.failed, kFailedByIceError);  // 401 from the server
  EXPECT_EQ(serverEvents.failed, kFailedByIceTimeout);
  EXPECT_GE(server->counters().stunErrorsSent, 1u);
}

TEST_F(E2e, ConsentExpiryAfterConnect) {
  WebRtcTransportConfig serverCfg;
  serverCfg.consentTimeout = 600ms;
  WebRtcTransportConfig clientCfg;
  clientCfg.consentInterval = 10s;  // the client stops refreshing consent in time
  create(serverCfg, clientCfg);
  startBoth();
  runUntil([&] { return serverEvents.connected && clientEvents.connected; });
  ASSERT_TRUE(serverEvents.connected);
  runUntil([&] { return !serverEvents.failed.empty(); }, 3s);
  EXPECT_EQ(serverEvents.failed, kFailedByIceKeepAlive);
  PacketBuffer buf;
  EXPECT_FALSE(server->sendRtp(buf.bytes, 20));
}

TEST_F(E2e, ConsentIsRefreshed) {
  WebRtcTransportConfig serverCfg;
  serverCfg.consentTimeout = 600ms;
  WebRtcTransportConfig clientCfg;
  clientCfg.consentInterval = 150ms;
  clientCfg.consentTimeout = 600ms;
  create(serverCfg, clientCfg);
  startBoth();
  runUntil([&] { return serverEvents.connected && clientEvents.connected; });
  ASSERT_TRUE(serverEvents.connected);
  runUntil([] { return false; }, 1500ms);
  EXPECT_TRUE(serverEvents.failed.empty()) << serverEvents.failed;
  EXPECT_TRUE(clientEvents.failed.empty()) << clientEvents.failed;
  EXPECT_GE(server->counters().stunIn, 5u);
}

TEST_F(E2e, RejectsShortCredentials) {
  WebRtcTransportConfig cfg;
  cfg.localUfrag = "abc";
  EXPECT_FALSE(WebRtcTransport::create(io, ports, cfg, serverEvents).ok());
  cfg.localUfrag = "abcd";
  cfg.localPwd = "short";
  EXPECT_FALSE(WebRtcTransport::create(io, ports, cfg, serverEvents).ok());
}

TEST_F(E2e, CloseFromOtherSideIsReported) {
  create();
  startBoth();
  runUntil([&] { return serverEvents.connected && clientEvents.connected; });
  ASSERT_TRUE(serverEvents.connected);
  client->close();
  runUntil([&] { return serverEvents.remoteClosed; }, 1s);
  EXPECT_TRUE(serverEvents.remoteClosed);
  EXPECT_TRUE(serverEvents.failed.empty());
}

}  // namespace
}  // namespace callgate::media
