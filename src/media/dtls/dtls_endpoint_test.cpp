#include "media/dtls/dtls_endpoint.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <optional>

#include "media/srtp/srtp_session.hpp"
#include "media/packet_buffer.hpp"

namespace callgate::media::dtls {
namespace {

using namespace std::chrono_literals;

// Forwards each emitted datagram to the peer on a later loop turn, like a network would.
struct Side : DtlsEndpoint::Listener {
  boost::asio::io_context& io;
  DtlsEndpoint endpoint;
  Side* peer = nullptr;
  std::optional<SrtpKeyMaterial> keys;
  std::optional<DtlsFailure> failure;
  size_t sent = 0;
  bool dropAll = false;

  Side(boost::asio::io_context& io, std::chrono::milliseconds timeout = 5s) : io(io), endpoint(io, *this, timeout) {}
  void onDtlsSend(ByteView d) override {
    ++sent;
    EXPECT_LE(d.size(), DtlsEndpoint::kMtu);
    if (dropAll) return;
    std::vector<uint8_t> copy(d.begin(), d.end());
    boost::asio::post(io, [p = peer, copy = std::move(copy)] { p->endpoint.receive(copy); });
  }
  void onDtlsConnected(const SrtpKeyMaterial& k) override { keys = k; }
  void onDtlsFailed(DtlsFailure f, std::string_view) override { failure = f; }
};

Fingerprint ourFingerprint() {
  return *parseFingerprint("sha-256 " + DtlsContext::instance().fingerprintSha256());
}

struct Pair {
  boost::asio::io_context io;
  Side client{io}, server{io};
  Pair() {
    client.peer = &server;
    server.peer = &client;
  }
  void run(std::chrono::milliseconds d = 2s) { io.run_for(d); }
};

TEST(Fingerprint, ParsesSdpValues) {
  auto f = parseFingerprint("SHA-256 ab:cd:" + std::string(29 * 3, 'x'));
  EXPECT_FALSE(f);  // bad hex
  const auto& mine = DtlsContext::instance().fingerprintSha256();
  EXPECT_EQ(mine.size(), 32u * 3 - 1);
  f = parseFingerprint("  SHA-256 " + mine + " ");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->algorithm, "sha-256");
  EXPECT_EQ(f->value, mine);
  EXPECT_FALSE(parseFingerprint("md5 AB:CD"));
  EXPECT_FALSE(parseFingerprint("sha-256"));
  EXPECT_FALSE(parseFingerprint("sha-1 AB:CD"));  // wrong length for sha-1
}

void roundTrip(srtp::SrtpProfile profile, const SrtpKeyMaterial& a, const SrtpKeyMaterial& b) {
  auto out = srtp::SrtpSession::create(srtp::SrtpSession::Direction::Outbound, profile, a.localKeySalt());
  auto in = srtp::SrtpSession::create(srtp::SrtpSession::Direction::Inbound, profile, b.remoteKeySalt());
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_TRUE(in.ok()) << in.error().message;
  PacketBuffer buf;
  const uint8_t rtp[12] = {0x80, 111, 0x12, 0x34, 0, 0, 0, 160, 0xde, 0xad, 0xbe, 0xef};
  std::memcpy(buf.bytes.data(), rtp, 12);
  for (size_t i = 12; i < 172; ++i) buf.bytes[i] = uint8_t(i);
  size_t len = 172;
  ASSERT_EQ(out->protectRtp(buf.bytes, len), srtp::SrtpStatus::Ok);
  EXPECT_GT(len, 172u);
  EXPECT_NE(buf.bytes[20], 20);  // payload encrypted
  auto copy = buf;
  size_t len2 = len;
  ASSERT_EQ(in->unprotectRtp({buf.bytes.data(), len}, len), srtp::SrtpStatus::Ok);
  EXPECT_EQ(len, 172u);
  for (size_t i = 12; i < 172; ++i) ASSERT_EQ(buf.bytes[i], uint8_t(i));
  // Replay of the same packet is a counted drop.
  EXPECT_EQ(in->unprotectRtp({copy.bytes.data(), len2}, len2), srtp::SrtpStatus::ReplayDrop);

  // RTCP (RR with no report blocks).
  const uint8_t rr[8] = {0x80, 201, 0, 1, 0xde, 0xad, 0xbe, 0xef};
  std::memcpy(buf.bytes.data(), rr, 8);
  len = 8;
  ASSERT_EQ(out->protectRtcp(buf.bytes, len), srtp::SrtpStatus::Ok);
  buf.bytes[len - 1] ^= 1;  // corrupt tag
  size_t badLen = len;
  auto tampered = buf;
  EXPECT_EQ(in->unprotectRtcp({tampered.bytes.data(), badLen}, badLen), srtp::SrtpStatus::AuthFail);
  buf.bytes[len - 1] ^= 1;
  ASSERT_EQ(in->unprotectRtcp({buf.bytes.data(), len}, len), srtp::SrtpStatus::Ok);
  EXPECT_EQ(len, 8u);
  EXPECT_EQ(std::memcmp(buf.bytes.data(), rr, 8), 0);
}

TEST(DtlsEndpoint, HandshakeAndSrtpAesCm) {
  Pair p;
  ASSERT_TRUE(p.client.endpoint.setSrtpProfiles("SRTP_AES128_CM_SHA1_80"));
  p.client.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.start(DtlsRole::Server);
  p.client.endpoint.start(DtlsRole::Client);
  p.run();
  ASSERT_TRUE(p.client.keys);
  ASSERT_TRUE(p.server.keys);
  EXPECT_EQ(p.client.endpoint.state(), DtlsEndpoint::State::Connected);
  EXPECT_EQ(p.client.keys->profile, srtp::SrtpProfile::AesCm128HmacSha1_80);
  EXPECT_EQ(p.client.keys->length, 30u);
  EXPECT_EQ(0, std::memcmp(p.client.keys->local.data(), p.server.keys->remote.data(), 30));
  EXPECT_EQ(0, std::memcmp(p.client.keys->remote.data(), p.server.keys->local.data(), 30));
  EXPECT_NE(0, std::memcmp(p.client.keys->local.data(), p.client.keys->remote.data(), 30));
  roundTrip(p.client.keys->profile, *p.client.keys, *p.server.keys);
  roundTrip(p.client.keys->profile, *p.server.keys, *p.client.keys);
}

TEST(DtlsEndpoint, HandshakeAndSrtpGcm) {
  Pair p;
  ASSERT_TRUE(p.client.endpoint.setSrtpProfiles("SRTP_AEAD_AES_128_GCM"));
  p.client.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.start(DtlsRole::Server);
  p.client.endpoint.start(DtlsRole::Client);
  p.run();
  ASSERT_TRUE(p.client.keys);
  ASSERT_TRUE(p.server.keys);
  EXPECT_EQ(p.server.keys->profile, srtp::SrtpProfile::AeadAes128Gcm);
  EXPECT_EQ(p.server.keys->length, 28u);
  roundTrip(p.server.keys->profile, *p.client.keys, *p.server.keys);
  roundTrip(p.server.keys->profile, *p.server.keys, *p.client.keys);
}

TEST(DtlsEndpoint, ServerPrefersGcm) {
  Pair p;
  p.client.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.start(DtlsRole::Server);
  p.client.endpoint.start(DtlsRole::Client);
  p.run(500ms);
  ASSERT_TRUE(p.client.keys);
  EXPECT_EQ(p.client.keys->profile, srtp::SrtpProfile::AeadAes128Gcm);
}

TEST(DtlsEndpoint, Sha1FingerprintIsAccepted) {
  Pair p;
  // The sha-1 fingerprint of our own certificate, as a peer with sha-1 in its SDP would send.
  SSL* ssl = SSL_new(DtlsContext::instance().sslContext());
  auto sha1 = certificateFingerprint(SSL_get_certificate(ssl), "sha-1");
  SSL_free(ssl);
  ASSERT_TRUE(sha1);
  p.client.endpoint.setRemoteFingerprints({Fingerprint{"sha-1", *sha1}});
  p.server.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.start(DtlsRole::Server);
  p.client.endpoint.start(DtlsRole::Client);
  p.run();
  EXPECT_TRUE(p.client.keys);
  EXPECT_TRUE(p.server.keys);
}

TEST(DtlsEndpoint, FingerprintMismatchFails) {
  Pair p;
  Fingerprint wrong = ourFingerprint();
  wrong.value[0] = wrong.value[0] == 'A' ? 'B' : 'A';
  p.client.endpoint.setRemoteFingerprints({wrong});
  p.server.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.start(DtlsRole::Server);
  p.client.endpoint.start(DtlsRole::Client);
  p.run();
  EXPECT_FALSE(p.client.keys);
  ASSERT_TRUE(p.client.failure);
  EXPECT_EQ(*p.client.failure, DtlsFailure::FingerprintMismatch);
  EXPECT_EQ(p.client.endpoint.state(), DtlsEndpoint::State::Failed);
}

TEST(DtlsEndpoint, LateFingerprintIsVerifiedWhenSet) {
  Pair p;
  p.client.endpoint.setRemoteFingerprints({ourFingerprint()});
  p.server.endpoint.start(DtlsRole::Server);
  p.client.endpoint.start(DtlsRole::Client);
  p.run(500ms);
  EXPECT_TRUE(p.client.keys);
  EXPECT_FALSE(p.server.keys);  // handshake done, waiting for the SDP answer
  p.server.endpoint.setRemoteFingerprints({ourFingerprint()});
  EXPECT_TRUE(p.server.keys);
}

TEST(DtlsEndpoint, SilentPeerTimesOutAfterRetransmissions) {
  boost::asio::io_context io;
  Side client(io, 1500ms);
  client.dropAll = true;
  client.endpoint.setRemoteFingerprints({ourFingerprint()});
  client.endpoint.start(DtlsRole::Client);
  io.run_for(3s);
  ASSERT_TRUE(client.failure);
  EXPECT_EQ(*client.failure, DtlsFailure::Timeout);
  EXPECT_GE(client.sent, 2u);  // ClientHello + at least one retransmission (1 s timer)
}

TEST(DtlsEndpoint, GarbageDoesNotCrash) {
  Pair p;
  p.server.endpoint.start(DtlsRole::Server);
  const uint8_t junk[] = {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3};
  p.server.endpoint.receive(junk);
  p.server.endpoint.receive({});
  SUCCEED();
}

}  // namespace
}  // namespace callgate::media::dtls
