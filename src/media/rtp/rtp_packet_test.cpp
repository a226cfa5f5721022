#include "media/rtp/rtp_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "media/rtp/demux.hpp"
#include "media/rtp/payload_type_map.hpp"
#include "media/rtp/rtcp_packet.hpp"

namespace callgate::media::rtp {
namespace {

std::vector<uint8_t> basic() {
  return {0x80, 0x88, 0x12, 0x34, 0x00, 0x00, 0x01, 0x00, 0xca, 0xfe, 0xba, 0xbe, 0xaa, 0xbb, 0xcc};
}

TEST(RtpHeaderView, ParsesFixedHeader) {
  auto p = basic();
  auto v = RtpHeaderView::parse(p);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->marker());
  EXPECT_EQ(v->payloadType(), 8);
  EXPECT_EQ(v->sequenceNumber(), 0x1234);
  EXPECT_EQ(v->timestamp(), 0x100u);
  EXPECT_EQ(v->ssrc(), 0xcafebabeu);
  EXPECT_EQ(v->headerSize(), 12u);
  EXPECT_EQ(v->payload().size(), 3u);
}

TEST(RtpHeaderView, CsrcExtensionPadding) {
  std::vector<uint8_t> p = {0xb2, 0x6f, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,  // V=2 P=1 X=1 CC=2
                            0, 0, 0, 0x11, 0, 0, 0, 0x22,              // CSRCs
                            0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0,        // one-byte ext, 1 word
                            0xaa, 0xbb, 0, 0, 3};                      // payload 2 + padding 3
  auto v = RtpHeaderView::parse(p);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->csrcCount(), 2);
  EXPECT_EQ(v->csrc(1), 0x22u);
  EXPECT_TRUE(v->hasExtension());
  EXPECT_EQ(v->extensionProfile(), 0xbede);
  EXPECT_EQ(v->extension().size(), 4u);
  EXPECT_EQ(v->headerSize(), 28u);
  EXPECT_EQ(v->paddingSize(), 3u);
  ASSERT_EQ(v->payload().size(), 2u);
  EXPECT_EQ(v->payload()[0], 0xaa);
}

TEST(RtpHeaderView, RejectsOverruns) {
  EXPECT_FALSE(RtpHeaderView::parse(std::vector<uint8_t>(11, 0x80)));
  auto p = basic();
  p[0] = 0x40;  // version 1
  EXPECT_FALSE(RtpHeaderView::parse(p));
  p = basic();
  p[0] = 0x8f;  // 15 CSRCs do not fit
  EXPECT_FALSE(RtpHeaderView::parse(p));
  p = basic();
  p[0] = 0x90;  // extension header needs 4 bytes, only 3 left
  EXPECT_FALSE(RtpHeaderView::parse(p));
  p = basic();
  p[0] = 0xa0;
  p.back() = 4;  // padding larger than the payload
  EXPECT_FALSE(RtpHeaderView::parse(p));
  p.back() = 0;  // zero padding count
  EXPECT_FALSE(RtpHeaderView::parse(p));
  std::vector<uint8_t> ext = {0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0xff, 0xff};
  EXPECT_FALSE(RtpHeaderView::parse(ext));  // extension length overruns
}

TEST(Demux, Rfc7983Ranges) {
  auto cls = [](std::vector<uint8_t> p) { return classifyPacket(p); };
  EXPECT_EQ(cls({0x00, 0x01}), PacketKind::Stun);
  EXPECT_EQ(cls({0x03}), PacketKind::Stun);
  EXPECT_EQ(cls({20, 0xfe}), PacketKind::Dtls);
  EXPECT_EQ(cls({63}), PacketKind::Dtls);
  EXPECT_EQ(cls({64}), PacketKind::Unknown);
  EXPECT_EQ(cls({0x80, 111}), PacketKind::Rtp);
  EXPECT_EQ(cls({0x80, 0x80 | 111}), PacketKind::Rtp);
  EXPECT_EQ(cls({0x80, 200}), PacketKind::Rtcp);
  EXPECT_EQ(cls({0x81, 206}), PacketKind::Rtcp);
  EXPECT_EQ(cls({0x80, 223}), PacketKind::Rtcp);
  EXPECT_EQ(cls({0x80, 224}), PacketKind::Rtp);
  EXPECT_EQ(cls({0x80}), PacketKind::Unknown);
  EXPECT_EQ(cls({}), PacketKind::Unknown);
  EXPECT_EQ(cls({192}), PacketKind::Unknown);
}

TEST(PayloadTypeMap, RewritesKeepingMarker) {
  PayloadTypeMap m;
  m.set(111, 96);
  auto p = basic();
  p[1] = 0x80 | 111;
  EXPECT_TRUE(m.apply(p));
  EXPECT_EQ(p[1], 0x80 | 96);
  p[1] = 8;
  EXPECT_FALSE(m.apply(p));  // unmapped = drop
  auto id = PayloadTypeMap::identity(std::vector<uint8_t>{0, 8, 101});
  p[1] = 101;
  EXPECT_TRUE(id.apply(p));
  EXPECT_EQ(p[1], 101);
  setPayloadType(p, 0);
  EXPECT_EQ(p[1], 0);
}

TEST(RtcpWalker, WalksCompound) {
  // SR with one report block + SDES (CNAME "ab") + PLI.
  std::vector<uint8_t> p = {
      0x81, 200, 0, 12, 0, 0, 0, 1,                           // SR, SSRC 1
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // sender info
      0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // report block
      0x81, 202, 0, 2, 0, 0, 0, 1, 1, 2, 'a', 'b',            // SDES
      0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2};               // PSFB PLI
  RtcpWalker w(p);
  RtcpPacketView v;
  ASSERT_TRUE(w.next(v));
  EXPECT_EQ(RtcpType(v.type), RtcpType::SenderReport);
  EXPECT_EQ(v.count, 1);
  EXPECT_EQ(v.senderSsrc(), 1u);
  ASSERT_TRUE(w.next(v));
  EXPECT_EQ(RtcpType(v.type), RtcpType::SourceDescription);
  ASSERT_TRUE(w.next(v));
  EXPECT_EQ(RtcpType(v.type), RtcpType::PayloadFeedback);
  EXPECT_EQ(v.count, 1);  // FMT 1 = PLI
  EXPECT_FALSE(w.next(v));
  EXPECT_FALSE(w.error());
  EXPECT_EQ(validateRtcpCompound(p), 3u);
}

TEST(RtcpWalker, RejectsBadLengths) {
  std::vector<uint8_t> rr = {0x80, 201, 0, 1, 0, 0, 0, 1};
  EXPECT_EQ(validateRtcpCompound(rr), 1u);
  auto longer = rr;
  longer[3] = 2;  // claims 12 bytes
  EXPECT_FALSE(validateRtcpCompound(longer));
  auto blocks = rr;
  blocks[0] = 0x81;  // one report block that is not there
  EXPECT_FALSE(validateRtcpCompound(blocks));
  auto ver = rr;
  ver[0] = 0x40;
  EXPECT_FALSE(validateRtcpCompound(ver));
  std::vector<uint8_t> trailing = rr;
  trailing.push_back(0x80);  // 1 stray byte
  EXPECT_FALSE(validateRtcpCompound(trailing));
  std::vector<uint8_t> fb = {0x81, 205, 0, 1, 0, 0, 0, 1};  // NACK without media SSRC
  EXPECT_FALSE(validateRtcpCompound(fb));
  EXPECT_FALSE(validateRtcpCompound({}));
  // Padding in a non-final packet is invalid (RFC 3550 §6.4.1).
  std::vector<uint8_t> pad = {0xa0, 201, 0, 1, 0, 0, 0, 4, 0x80, 201, 0, 1, 0, 0, 0, 1};
  EXPECT_FALSE(validateRtcpCompound(pad));
}

}  // namespace
}  // namespace callgate::media::rtp
