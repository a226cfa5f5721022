#include "media/dtmf/telephone_event.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace callgate::media::dtmf {
namespace {

TEST(TelephoneEvent, ParsesPayload) {
  // Event 11 (#), E=1, R=1 (ignored), volume 10, duration 800.
  const std::vector<uint8_t> payload = {0x0b, 0xca, 0x03, 0x20};
  auto e = parseTelephoneEvent(payload);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, 11);
  EXPECT_TRUE(e->end);
  EXPECT_EQ(e->volume, 10);
  EXPECT_EQ(e->duration, 800);
}

TEST(TelephoneEvent, RejectsShortPayloads) {
  const std::vector<uint8_t> payload = {0x01, 0x0a, 0x00, 0xa0};
  for (size_t n = 0; n < payload.size(); ++n) {
    EXPECT_FALSE(parseTelephoneEvent(ByteView(payload.data(), n))) << n;
  }
}

TEST(TelephoneEvent, WriteRoundTripsAndMasksVolume) {
  std::array<uint8_t, kTelephoneEventSize> out{};
  writeTelephoneEvent(out, TelephoneEvent{5, false, 0xff, 0x1234});
  EXPECT_EQ(out, (std::array<uint8_t, 4>{0x05, 0x3f, 0x12, 0x34}));  // R stays 0
  const TelephoneEvent in{15, true, 63, 65535};
  writeTelephoneEvent(out, in);
  EXPECT_EQ(parseTelephoneEvent(out), in);
}

TEST(TelephoneEvent, WritesWholePacket) {
  std::array<uint8_t, kTelephoneEventPacketSize> out{};
  writeTelephoneEventPacket(out, RtpFields{101, true, 0xfffe, 0xdeadbeef, 0x01020304}, TelephoneEvent{9, true, 7, 320});
  const std::array<uint8_t, 16> expected = {0x80, 0xe5, 0xff, 0xfe, 0xde, 0xad, 0xbe, 0xef,
                                            0x01, 0x02, 0x03, 0x04, 0x09, 0x87, 0x01, 0x40};
  EXPECT_EQ(out, expected);
  auto p = parseTelephoneEventPacket(out, 101);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->marker);
  EXPECT_EQ(p->sequenceNumber, 0xfffe);
  EXPECT_EQ(p->timestamp, 0xdeadbeefu);
  EXPECT_EQ(p->ssrc, 0x01020304u);
  EXPECT_EQ(p->event, (TelephoneEvent{9, true, 7, 320}));
  EXPECT_FALSE(parseTelephoneEventPacket(out, 100));
}

TEST(TelephoneEvent, FindsPayloadAfterCsrcExtensionAndBeforePadding) {
  const std::vector<uint8_t> packet = {0xb1, 0x65, 0, 7, 0, 0, 0x10, 0, 0, 0, 0, 9,  // V=2 P X CC=1 PT 101
                                       0, 0, 0, 0x11,                                 // CSRC
                                       0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0,            // extension, 1 word
                                       0x03, 0x0a, 0x00, 0xa0,                        // event 3, dur 160
                                       0, 0, 0, 4};                                   // 4 padding octets
  auto p = parseTelephoneEventPacket(packet, 101);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->event, (TelephoneEvent{3, false, 10, 160}));
  EXPECT_EQ(p->sequenceNumber, 7);
  EXPECT_EQ(p->timestamp, 0x1000u);
  EXPECT_EQ(p->ssrc, 9u);

  // The same packet whose padding swallows the event is no telephone-event.
  auto bad = packet;
  bad.back() = 6;
  EXPECT_FALSE(parseTelephoneEventPacket(bad, 101));
  // An extension length running past the end.
  bad = packet;
  bad[19] = 0x20;
  EXPECT_FALSE(parseTelephoneEventPacket(bad, 101));
  // Truncated headers.
  for (size_t n = 0; n < 28; ++n) EXPECT_FALSE(parseTelephoneEventPacket(ByteView(packet.data(), n), 101)) << n;
}

TEST(TelephoneEvent, DigitMapping) {
  const std::string digits = "0123456789*#ABCD";
  for (size_t i = 0; i < digits.size(); ++i) {
    EXPECT_EQ(eventForDigit(digits[i]), uint8_t(i)) << digits[i];
    EXPECT_EQ(digitForEvent(uint8_t(i)), digits[i]);
  }
  EXPECT_EQ(eventForDigit('a'), 12);
  EXPECT_EQ(eventForDigit('d'), 15);
  for (char c : std::string("EeFf xX+,/:@[`\0", 16)) EXPECT_FALSE(eventForDigit(c)) << int(c);
  EXPECT_EQ(digitForEvent(16), '\0');  // flash
  EXPECT_EQ(digitForEvent(255), '\0');
}

}  // namespace
}  // namespace callgate::media::dtmf
