#include "media/dtmf/dtmf_detector.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace callgate::media::dtmf {
namespace {

constexpr uint8_t kTePt = 101;

std::vector<uint8_t> event(uint8_t ev, bool end, uint16_t duration, uint32_t ts, uint16_t seq, bool marker = false,
                           uint32_t ssrc = 0xabc, uint8_t pt = kTePt) {
  std::array<uint8_t, kTelephoneEventPacketSize> p{};
  writeTelephoneEventPacket(p, RtpFields{pt, marker, seq, ts, ssrc}, TelephoneEvent{ev, end, 10, duration});
  return {p.begin(), p.end()};
}

// A whole event as RFC 4733 §2.5 sends it: marker first, growing duration, 3 end packets.
std::vector<std::vector<uint8_t>> wholeEvent(uint8_t ev, uint32_t ts, uint16_t& seq) {
  std::vector<std::vector<uint8_t>> out;
  out.push_back(event(ev, false, 160, ts, seq++, true));
  out.push_back(event(ev, false, 320, ts, seq++));
  out.push_back(event(ev, false, 480, ts, seq++));
  for (int i = 0; i < 3; ++i) out.push_back(event(ev, true, 640, ts, seq++));
  return out;
}

std::string feed(DtmfDetector& d, const std::vector<std::vector<uint8_t>>& packets, uint8_t pt = kTePt) {
  std::string digits;
  for (const auto& p : packets) {
    if (auto c = d.onPacket(p, pt)) digits += *c;
  }
  return digits;
}

TEST(DtmfDetector, ReportsEachEventOnceAtItsFirstPacket) {
  DtmfDetector d;
  uint16_t seq = 10;
  auto first = wholeEvent(1, 8000, seq);
  EXPECT_EQ(d.onPacket(first[0], kTePt), '1');
  for (size_t i = 1; i < first.size(); ++i) EXPECT_FALSE(d.onPacket(first[i], kTePt)) << i;
  ASSERT_TRUE(d.lastPacket());
  EXPECT_TRUE(d.lastPacket()->event.end);
  EXPECT_EQ(d.lastPacket()->event.duration, 640);

  // The same digit again is a new event: a new timestamp.
  EXPECT_EQ(feed(d, wholeEvent(1, 9600, seq)), "1");
  EXPECT_EQ(feed(d, wholeEvent(11, 12000, seq)), "#");
  EXPECT_EQ(feed(d, wholeEvent(15, 16000, seq)), "D");
}

TEST(DtmfDetector, LostFirstPacketsStillReportOnce) {
  DtmfDetector d;
  EXPECT_EQ(d.onPacket(event(4, false, 480, 1000, 3), kTePt), '4');  // no marker: packets lost
  EXPECT_FALSE(d.onPacket(event(4, true, 800, 1000, 4), kTePt));
  EXPECT_EQ(d.onPacket(event(5, true, 800, 3000, 9), kTePt), '5');  // only an end packet survived
  EXPECT_FALSE(d.onPacket(event(5, true, 800, 3000, 10), kTePt));
}

TEST(DtmfDetector, LateRetransmissionOfAnOlderEventIsIgnored) {
  DtmfDetector d;
  EXPECT_EQ(d.onPacket(event(1, true, 800, 1000, 1, true), kTePt), '1');
  EXPECT_EQ(d.onPacket(event(2, false, 160, 3000, 5, true), kTePt), '2');
  EXPECT_FALSE(d.onPacket(event(1, true, 800, 1000, 2), kTePt));
}

TEST(DtmfDetector, TimestampWrapIsANewerEvent) {
  DtmfDetector d;
  EXPECT_EQ(d.onPacket(event(7, true, 800, 0xffffff00u, 1, true), kTePt), '7');
  EXPECT_EQ(d.onPacket(event(8, false, 160, 0x100, 2, true), kTePt), '8');
}

TEST(DtmfDetector, LongEventSegmentsAreOneEvent) {
  // RFC 4733 §2.5.1.3: at 65535 the sender starts a new segment at timestamp + duration.
  DtmfDetector d;
  EXPECT_EQ(d.onPacket(event(0, false, 65000, 5000, 1, true), kTePt), '0');
  EXPECT_FALSE(d.onPacket(event(0, false, 65535, 5000, 2), kTePt));
  EXPECT_FALSE(d.onPacket(event(0, false, 400, 5000 + 65535, 3), kTePt));
  EXPECT_FALSE(d.onPacket(event(0, true, 800, 5000 + 65535, 4), kTePt));
}

TEST(DtmfDetector, NewSourceIsANewEvent) {
  DtmfDetector d;
  EXPECT_EQ(d.onPacket(event(3, false, 160, 1000, 1, true, 1), kTePt), '3');
  EXPECT_EQ(d.onPacket(event(3, false, 160, 1000, 1, true, 2), kTePt), '3');
}

TEST(DtmfDetector, IgnoresOtherPayloadTypesNonDtmfEventsAndBadPackets) {
  DtmfDetector d;
  EXPECT_FALSE(d.onPacket(event(1, false, 160, 1000, 1, true, 0xabc, 0), kTePt));  // PCMU
  EXPECT_FALSE(d.onPacket(event(1, false, 160, 1000, 1, true), 96));               // other te PT
  EXPECT_FALSE(d.onPacket(event(16, false, 160, 2000, 2, true), kTePt));           // flash
  auto p = event(2, false, 160, 3000, 3, true);
  for (size_t n = 0; n < p.size(); ++n) EXPECT_FALSE(d.onPacket(ByteView(p.data(), n), kTePt)) << n;
  auto v1 = p;
  v1[0] = 0x40;  // RTP version 1
  EXPECT_FALSE(d.onPacket(v1, kTePt));
  EXPECT_EQ(d.onPacket(p, kTePt), '2');  // the intact packet still counts
}

TEST(DtmfDetector, ResetForgetsTheLastEvent) {
  DtmfDetector d;
  const auto p = event(6, false, 160, 1000, 1, true);
  EXPECT_EQ(d.onPacket(p, kTePt), '6');
  EXPECT_FALSE(d.onPacket(p, kTePt));
  d.reset();
  EXPECT_EQ(d.onPacket(p, kTePt), '6');
}

}  // namespace
}  // namespace callgate::media::dtmf
