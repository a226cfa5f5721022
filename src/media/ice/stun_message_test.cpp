#include "media/ice/stun_message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace callgate::media::ice {
namespace {

std::vector<uint8_t> hex(std::string_view s) {
  std::vector<uint8_t> out;
  int hi = -1;
  for (char c : s) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else continue;
    if (hi < 0) hi = v;
    else {
      out.push_back(uint8_t(hi << 4 | v));
      hi = -1;
    }
  }
  return out;
}

// RFC 5769 §2.1 sample request (short-term credentials).
const auto kRequest = hex(
    "00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74"
    "00 24 00 04 6e 00 01 ff 80 29 00 08 93 2f f9 b1 51 26 3b 36"
    "00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20"
    "00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2"
    "80 28 00 04 e5 7a 3b cf");
// RFC 5769 §2.2 sample IPv4 response.
const auto kResponseV4 = hex(
    "01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
    "00 20 00 08 00 01 a1 47 e1 12 a6 43"
    "00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7"
    "80 28 00 04 c0 7d 4c 96");
// RFC 5769 §2.3 sample IPv6 response.
const auto kResponseV6 = hex(
    "01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae"
    "80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20"
    "00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9"
    "00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41"
    "80 28 00 04 c8 fb 0b 4c");
constexpr std::string_view kPassword = "VOkJxbRl1RmTxUk/WvJxBt";

TEST(StunMessage, Rfc5769Request) {
  auto m = parseStun(kRequest);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, StunClass::Request);
  EXPECT_EQ(m->method, kStunBindingMethod);
  EXPECT_EQ(*m->username, "evtj:h6vY");
  EXPECT_EQ(*m->software, "STUN test client");
  EXPECT_EQ(*m->priority, 0x6e0001ffu);
  EXPECT_EQ(*m->iceControlled, 0x932ff9b151263b36ull);
  EXPECT_FALSE(m->iceControlling);
  EXPECT_FALSE(m->useCandidate);
  EXPECT_TRUE(verifyMessageIntegrity(*m, kPassword));
  EXPECT_FALSE(verifyMessageIntegrity(*m, "wrong-password-xxxxxxx"));
  EXPECT_TRUE(verifyFingerprint(*m));
}

TEST(StunMessage, Rfc5769ResponseV4) {
  auto m = parseStun(kResponseV4);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->cls, StunClass::SuccessResponse);
  ASSERT_TRUE(m->xorMappedAddress);
  EXPECT_EQ(m->xorMappedAddress->address().to_string(), "192.0.2.1");
  EXPECT_EQ(m->xorMappedAddress->port(), 32853);
  EXPECT_TRUE(verifyMessageIntegrity(*m, kPassword));
  EXPECT_TRUE(verifyFingerprint(*m));
}

TEST(StunMessage, Rfc5769ResponseV6) {
  auto m = parseStun(kResponseV6);
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->xorMappedAddress);
  EXPECT_EQ(m->xorMappedAddress->address().to_string(), "2001:db8:1234:5678:11:2233:4455:6677");
  EXPECT_EQ(m->xorMappedAddress->port(), 32853);
  EXPECT_TRUE(verifyMessageIntegrity(*m, kPassword));
  EXPECT_TRUE(verifyFingerprint(*m));
}

TEST(StunMessage, CorruptionIsDetected) {
  auto bytes = kRequest;
  bytes[30] ^= 1;  // inside SOFTWARE
  auto m = parseStun(bytes);
  ASSERT_TRUE(m);
  EXPECT_FALSE(verifyMessageIntegrity(*m, kPassword));
  EXPECT_FALSE(verifyFingerprint(*m));
}

TEST(StunMessage, RejectsBadLengths) {
  // Truncated datagram: header length no longer matches.
  std::vector<uint8_t> cut(kRequest.begin(), kRequest.end() - 4);
  EXPECT_FALSE(parseStun(cut));
  // Attribute length overrunning the message.
  auto bad = kRequest;
  bad[20 + 3] = 0xff;  // SOFTWARE length 0x00ff
  StunParseError err;
  EXPECT_FALSE(parseStun(bad, &err));
  EXPECT_EQ(err, StunParseError::BadAttribute);
  // Length not a multiple of 4.
  auto odd = kRequest;
  odd[3] = 0x57;
  EXPECT_FALSE(parseStun(odd));
  // Wrong cookie.
  auto cookie = kRequest;
  cookie[4] = 0;
  EXPECT_FALSE(parseStun(cookie));
  // PRIORITY with a wrong size.
  auto pri = kRequest;
  pri[40 + 3] = 0x08;
  EXPECT_FALSE(parseStun(pri));
  EXPECT_FALSE(parseStun({}));
}

TEST(StunMessage, AttributeAfterFingerprintIsRejected) {
  auto bytes = kRequest;
  const uint8_t extra[] = {0x00, 0x25, 0x00, 0x00};  // USE-CANDIDATE
  bytes.insert(bytes.end(), extra, extra + 4);
  store16(bytes.data() + 2, uint16_t(bytes.size() - 20));
  StunParseError err;
  EXPECT_FALSE(parseStun(bytes, &err));
  EXPECT_EQ(err, StunParseError::AfterFingerprint);
}

TEST(StunWriter, RoundTripWithIntegrityAndFingerprint) {
  TransactionId tid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::array<uint8_t, 512> buf;
  StunWriter w(buf, stunType(kStunBindingMethod, StunClass::Request), tid);
  w.addUsername("abcd:efgh1");
  w.addPriority(0x7e7f00ff);
  w.addIceControlling(0x0102030405060708ull);
  w.addUseCandidate();
  w.addXorMappedAddress({boost::asio::ip::make_address("10.1.2.3"), 5000});
  w.addErrorCode(487, "Role Conflict");
  w.addMessageIntegrity("the-password-of-22char");
  w.addFingerprint();
  ASSERT_TRUE(w.ok());
  auto m = parseStun(w.bytes());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->transactionId, tid);
  EXPECT_EQ(*m->username, "abcd:efgh1");
  EXPECT_EQ(*m->priority, 0x7e7f00ffu);
  EXPECT_EQ(*m->iceControlling, 0x0102030405060708ull);
  EXPECT_TRUE(m->useCandidate);
  EXPECT_EQ(m->xorMappedAddress->address().to_string(), "10.1.2.3");
  EXPECT_EQ(m->xorMappedAddress->port(), 5000);
  EXPECT_EQ(m->errorCode->code, 487);
  EXPECT_EQ(m->errorCode->reason, "Role Conflict");
  EXPECT_TRUE(verifyMessageIntegrity(*m, "the-password-of-22char"));
  EXPECT_TRUE(verifyFingerprint(*m));
}

TEST(StunWriter, OverflowIsReported) {
  std::array<uint8_t, 30> small;
  StunWriter w(small, stunType(kStunBindingMethod, StunClass::Request), TransactionId{});
  w.addUsername("a-rather-long-username:for-a-small-buffer");
  EXPECT_FALSE(w.ok());
}

TEST(StunMessage, TypeEncoding) {
  EXPECT_EQ(stunType(kStunBindingMethod, StunClass::Request), 0x0001);
  EXPECT_EQ(stunType(kStunBindingMethod, StunClass::Indication), 0x0011);
  EXPECT_EQ(stunType(kStunBindingMethod, StunClass::SuccessResponse), 0x0101);
  EXPECT_EQ(stunType(kStunBindingMethod, StunClass::ErrorResponse), 0x0111);
  EXPECT_EQ(stunClassOf(0x0111), StunClass::ErrorResponse);
  EXPECT_EQ(stunMethodOf(0x0111), kStunBindingMethod);
}

}  // namespace
}  // namespace callgate::media::ice
