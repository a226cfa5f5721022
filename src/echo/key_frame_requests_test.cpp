#include "echo/key_frame_requests.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace callgate::echo {
namespace {

std::vector<uint8_t> rtcp(uint8_t fmtOrCount, uint8_t pt, std::vector<uint32_t> words) {
  std::vector<uint8_t> p(4 + 4 * words.size());
  p[0] = uint8_t(0x80 | fmtOrCount);
  p[1] = pt;
  store16(&p[2], uint16_t(words.size()));
  for (size_t i = 0; i < words.size(); ++i) store32(&p[4 + 4 * i], words[i]);
  return p;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

constexpr uint32_t kEcho = 0xECECECEC, kCaller = 0xCA11E500, kReceiver = 0x0000BEEF;

TEST(KeyFrameRequests, PliAndFirAreTurnedAroundOthersDropped) {
  auto rr = rtcp(0, 201, {kReceiver});
  auto pli = rtcp(1, 206, {kReceiver, kEcho});
  auto nack = rtcp(1, 205, {kReceiver, kEcho, 0x00010000});
  auto fir = rtcp(4, 206, {kReceiver, 0, kEcho, 0x07000000});
  auto in = concat({rr, pli, nack, fir});
  std::array<uint8_t, 1500> out{};
  size_t n = turnAroundKeyFrameRequests(in, kEcho, kCaller, out);
  ASSERT_EQ(n, pli.size() + fir.size());
  // PLI: sender = echo, media = the caller's own SSRC.
  EXPECT_EQ(out[1], 206);
  EXPECT_EQ(out[0] & 0x1f, 1);
  EXPECT_EQ(load32(&out[4]), kEcho);
  EXPECT_EQ(load32(&out[8]), kCaller);
  // FIR: FCI SSRC = caller, sequence number kept.
  const uint8_t* f = &out[pli.size()];
  EXPECT_EQ(f[0] & 0x1f, 4);
  EXPECT_EQ(load32(f + 4), kEcho);
  EXPECT_EQ(load32(f + 12), kCaller);
  EXPECT_EQ(f[16], 0x07);
}

TEST(KeyFrameRequests, NothingToSendAndMalformedInput) {
  std::array<uint8_t, 1500> out{};
  auto rr = rtcp(0, 201, {kReceiver});
  EXPECT_EQ(turnAroundKeyFrameRequests(rr, kEcho, kCaller, out), 0u);
  auto pli = rtcp(1, 206, {kReceiver, kEcho});
  pli[3] = 9;  // length beyond the datagram
  EXPECT_EQ(turnAroundKeyFrameRequests(pli, kEcho, kCaller, out), 0u);
  auto shortPli = rtcp(1, 206, {kReceiver});  // no media SSRC
  EXPECT_EQ(turnAroundKeyFrameRequests(shortPli, kEcho, kCaller, out), 0u);
  // Output too small: nothing half-written.
  auto good = rtcp(1, 206, {kReceiver, kEcho});
  std::array<uint8_t, 8> tiny{};
  EXPECT_EQ(turnAroundKeyFrameRequests(good, kEcho, kCaller, tiny), 0u);
}

}  // namespace
}  // namespace callgate::echo
