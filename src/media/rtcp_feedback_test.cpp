#include "media/rtcp_feedback.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "common/bytes.hpp"
#include "media/rtp/rtcp_packet.hpp"

namespace callgate::media {
namespace {

constexpr uint32_t kBrowser = 0x11111111;    // the browser's own SSRC
constexpr uint32_t kAnnounced = 0x22222222;  // what we announced to the browser
constexpr uint32_t kPeer = 0x33333333;       // the SIP phone's real SSRC
constexpr uint32_t kOther = 0x44444444;      // announced on another m-line

// Appends one RTCP packet: header (V=2, count/FMT, PT, length) + 32-bit words.
void add(std::vector<uint8_t>& out, uint8_t count, uint8_t type, std::vector<uint32_t> words) {
  const size_t at = out.size();
  out.resize(at + 4 + 4 * words.size());
  out[at] = uint8_t(0x80 | count);
  out[at + 1] = type;
  store16(out.data() + at + 2, uint16_t(words.size()));
  for (size_t i = 0; i < words.size(); ++i) store32(out.data() + at + 4 + 4 * i, words[i]);
}
void addRr(std::vector<uint8_t>& out, uint32_t sender) { add(out, 0, kRtcpRr, {sender}); }
void addSr(std::vector<uint8_t>& out, uint32_t sender) { add(out, 0, kRtcpSr, {sender, 1, 2, 3, 4, 5}); }
void addSdes(std::vector<uint8_t>& out, uint32_t ssrc) {
  add(out, 1, kRtcpSdes, {ssrc, 0x01026162, 0x00000000});  // CNAME "ab", end
}
void addPli(std::vector<uint8_t>& out, uint32_t sender, uint32_t media) { add(out, kFmtPli, kRtcpPsfb, {sender, media}); }
void addFir(std::vector<uint8_t>& out, uint32_t sender, uint32_t target, uint8_t seq) {
  add(out, kFmtFir, kRtcpPsfb, {sender, 0, target, uint32_t(seq) << 24});
}
void addRemb(std::vector<uint8_t>& out, uint32_t sender, uint32_t media) {
  add(out, kFmtAfb, kRtcpPsfb, {sender, 0, 0x52454D42 /* REMB */, 0x01000000 | 1000, media});
}
void addTcc(std::vector<uint8_t>& out, uint32_t sender, uint32_t media) {
  add(out, kFmtAfb, kRtcpRtpfb, {sender, media, 0x00010001, 0x00000001, 0x20010000});
}
void addNack(std::vector<uint8_t>& out, uint32_t sender, uint32_t media) {
  add(out, 1, kRtcpRtpfb, {sender, media, 0x00100000});
}

// The packets (type, FMT) of a compound, after checking it is well formed.
std::vector<std::pair<uint8_t, uint8_t>> packetsOf(const uint8_t* data, size_t length) {
  std::vector<std::pair<uint8_t, uint8_t>> types;
  rtp::RtcpWalker walker(ByteView(data, length));
  rtp::RtcpPacketView view;
  while (walker.next(view)) types.emplace_back(view.type, view.count);
  EXPECT_FALSE(walker.error());
  return types;
}

struct Buffer {
  std::array<uint8_t, 1600> bytes{};
  size_t length = 0;
  explicit Buffer(const std::vector<uint8_t>& packet) {
    std::copy(packet.begin(), packet.end(), bytes.begin());
    length = packet.size();
  }
  std::span<uint8_t> span() { return bytes; }
  uint32_t word(size_t at) const { return load32(bytes.data() + at); }
};

const BrowserRtcpRoute kVideoRoute{kAnnounced, kPeer, false};

TEST(RtcpFeedbackTest, BrowserPliIsRewrittenToThePeerSsrcAndGetsAnRrInFront) {
  std::vector<uint8_t> in;
  addPli(in, kBrowser, kAnnounced);
  Buffer b(in);
  auto r = filterBrowserRtcp(b.span(), b.length, kVideoRoute);
  ASSERT_EQ(r.length, kEmptyRrSize + 12);
  EXPECT_EQ(r.keyframeRequests, 1);
  auto types = packetsOf(b.bytes.data(), r.length);
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].first, kRtcpRr);
  EXPECT_EQ(b.word(4), kBrowser);  // the empty RR comes from the feedback's sender
  EXPECT_EQ(types[1], std::make_pair(kRtcpPsfb, kFmtPli));
  EXPECT_EQ(b.word(8 + 4), kBrowser);  // sender untouched
  EXPECT_EQ(b.word(8 + 8), kPeer);     // media source now names the phone's stream
}

TEST(RtcpFeedbackTest, NoRoomMeansNoRrButTheFeedbackStillPasses) {
  std::vector<uint8_t> in;
  addPli(in, kBrowser, kAnnounced);
  Buffer b(in);
  auto r = filterBrowserRtcp(std::span<uint8_t>(b.bytes.data(), b.length), b.length, kVideoRoute);
  ASSERT_EQ(r.length, 12u);
  EXPECT_EQ(b.bytes[1], kRtcpPsfb);
  EXPECT_EQ(b.word(8), kPeer);
}

TEST(RtcpFeedbackTest, BrowserCompoundDropsRembTccNackAndKeepsReportsAndFir) {
  std::vector<uint8_t> in;
  addRr(in, kBrowser);
  addRemb(in, kBrowser, kAnnounced);
  addTcc(in, kBrowser, kAnnounced);
  addSdes(in, kBrowser);
  addNack(in, kBrowser, kAnnounced);
  addFir(in, kBrowser, kAnnounced, 7);
  Buffer b(in);
  BrowserRtcpRoute route = kVideoRoute;
  route.keepReports = true;
  auto r = filterBrowserRtcp(b.span(), b.length, route);
  EXPECT_EQ(r.dropped, 3);
  EXPECT_EQ(r.keyframeRequests, 1);
  auto types = packetsOf(b.bytes.data(), r.length);
  ASSERT_EQ(types.size(), 3u);
  EXPECT_EQ(types[0].first, kRtcpRr);
  EXPECT_EQ(types[1].first, kRtcpSdes);
  EXPECT_EQ(types[2], std::make_pair(kRtcpPsfb, kFmtFir));
  const size_t fir = 8 + 16;  // RR (8) + SDES (16)
  EXPECT_EQ(r.length, fir + 20);
  EXPECT_EQ(b.word(fir + 4), kBrowser);
  EXPECT_EQ(b.word(fir + 8), 0u);     // FIR media source field stays 0 (RFC 5104)
  EXPECT_EQ(b.word(fir + 12), kPeer);  // the entry names the phone's stream
  EXPECT_EQ(b.bytes[fir + 16], 7);     // sequence number kept
}

TEST(RtcpFeedbackTest, ReportsOnlyGoWhereTheRouteTakesThem) {
  std::vector<uint8_t> in;
  addSr(in, kBrowser);
  addSdes(in, kBrowser);
  add(in, 0, kRtcpBye, {kBrowser});
  Buffer a(in);
  EXPECT_EQ(filterBrowserRtcp(a.span(), a.length, kVideoRoute).length, 0u);
  Buffer b(in);
  BrowserRtcpRoute route = kVideoRoute;
  route.keepReports = true;
  auto r = filterBrowserRtcp(b.span(), b.length, route);
  EXPECT_EQ(r.length, in.size());
  EXPECT_TRUE(std::equal(in.begin(), in.end(), b.bytes.begin()));
}

TEST(RtcpFeedbackTest, FeedbackForAnotherMLineOrAnUnknownPeerIsDropped) {
  std::vector<uint8_t> in;
  addPli(in, kBrowser, kOther);
  addFir(in, kBrowser, kOther, 1);
  Buffer a(in);
  EXPECT_EQ(filterBrowserRtcp(a.span(), a.length, kVideoRoute).length, 0u);

  auto other = filterBrowserRtcp(a.span(), a.length, kVideoRoute);
  EXPECT_FALSE(other.keyframeAsked);

  std::vector<uint8_t> ours;
  addPli(ours, kBrowser, kAnnounced);
  Buffer b(ours);
  auto unknownPeer = filterBrowserRtcp(b.span(), b.length, BrowserRtcpRoute{kAnnounced, 0, false});
  EXPECT_EQ(unknownPeer.length, 0u);
  EXPECT_TRUE(unknownPeer.keyframeAsked);  // dropped, but the caller may ask by SIP INFO
}

TEST(RtcpFeedbackTest, KeyframeAskedReportsPliAndFirForThisMLine) {
  std::vector<uint8_t> pli;
  addRr(pli, kBrowser);
  addPli(pli, kBrowser, kAnnounced);
  Buffer a(pli);
  EXPECT_TRUE(filterBrowserRtcp(a.span(), a.length, kVideoRoute).keyframeAsked);
  std::vector<uint8_t> fir;
  addFir(fir, kBrowser, kAnnounced, 3);
  Buffer b(fir);
  EXPECT_TRUE(filterBrowserRtcp(b.span(), b.length, BrowserRtcpRoute{kAnnounced, 0, false}).keyframeAsked);
  std::vector<uint8_t> reports;
  addRr(reports, kBrowser);
  addNack(reports, kBrowser, kAnnounced);
  Buffer c(reports);
  EXPECT_FALSE(filterBrowserRtcp(c.span(), c.length, kVideoRoute).keyframeAsked);
}

TEST(RtcpFeedbackTest, WritePliCompoundIsAnRrAndAPli) {
  std::array<uint8_t, kPliCompoundSize> out{};
  ASSERT_EQ(writePliCompound(out, kAnnounced, kBrowser), kPliCompoundSize);
  auto types = packetsOf(out.data(), out.size());
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].first, kRtcpRr);
  EXPECT_EQ(types[1], std::make_pair(kRtcpPsfb, kFmtPli));
  EXPECT_EQ(load32(out.data() + 8 + 4), kAnnounced);
  EXPECT_EQ(load32(out.data() + 8 + 8), kBrowser);
  std::array<uint8_t, kPliCompoundSize - 1> small{};
  EXPECT_EQ(writePliCompound(small, kAnnounced, kBrowser), 0u);
}

TEST(RtcpFeedbackTest, FirWithSeveralEntriesRewritesOnlyOurs) {
  std::vector<uint8_t> in;
  add(in, kFmtFir, kRtcpPsfb, {kBrowser, 0, kOther, 0x01000000, kAnnounced, 0x02000000});
  Buffer b(in);
  auto r = filterBrowserRtcp(b.span(), b.length, kVideoRoute);
  ASSERT_EQ(r.length, kEmptyRrSize + in.size());
  EXPECT_EQ(b.word(8 + 12), kOther);
  EXPECT_EQ(b.word(8 + 20), kPeer);
}

TEST(RtcpFeedbackTest, SipSideKeepsOnlyKeyframeRequestsFromOurAnnouncedSsrc) {
  std::vector<uint8_t> in;
  addSr(in, kPeer);
  addSdes(in, kPeer);
  addPli(in, kPeer, kBrowser);
  addNack(in, kPeer, kBrowser);
  addFir(in, kPeer, kBrowser, 3);
  Buffer b(in);
  auto r = filterSipRtcp(b.span(), b.length, kAnnounced);
  EXPECT_EQ(r.keyframeRequests, 2);
  EXPECT_EQ(r.dropped, 3);
  auto types = packetsOf(b.bytes.data(), r.length);
  ASSERT_EQ(types.size(), 3u);
  EXPECT_EQ(types[0].first, kRtcpRr);
  EXPECT_EQ(b.word(4), kAnnounced);
  EXPECT_EQ(types[1], std::make_pair(kRtcpPsfb, kFmtPli));
  EXPECT_EQ(b.word(8 + 4), kAnnounced);  // sender: the SSRC the browser knows
  EXPECT_EQ(b.word(8 + 8), kBrowser);    // media: the browser's own stream, untouched
  EXPECT_EQ(types[2], std::make_pair(kRtcpPsfb, kFmtFir));
  EXPECT_EQ(b.word(20 + 12), kBrowser);
}

TEST(RtcpFeedbackTest, SipReportsAloneYieldNothing) {
  std::vector<uint8_t> in;
  addRr(in, kPeer);
  addRemb(in, kPeer, kBrowser);
  Buffer b(in);
  auto r = filterSipRtcp(b.span(), b.length, kAnnounced);
  EXPECT_EQ(r.length, 0u);
  EXPECT_EQ(r.dropped, 2);
}

TEST(RtcpFeedbackTest, MalformedCompoundsAreDroppedWhole) {
  std::vector<uint8_t> in;
  addPli(in, kBrowser, kAnnounced);
  addPli(in, kBrowser, kAnnounced);
  store16(in.data() + 12 + 2, 9);  // second length runs past the end
  Buffer a(in);
  auto r = filterBrowserRtcp(a.span(), a.length, kVideoRoute);
  EXPECT_TRUE(r.malformed);
  EXPECT_EQ(r.length, 0u);

  std::vector<uint8_t> shortFir;
  add(shortFir, kFmtFir, kRtcpPsfb, {kPeer, 0, kBrowser});  // half an entry
  Buffer b(shortFir);
  EXPECT_EQ(filterSipRtcp(b.span(), b.length, kAnnounced).length, 0u);

  Buffer c(std::vector<uint8_t>{0x80, kRtcpPsfb});
  EXPECT_TRUE(filterSipRtcp(c.span(), c.length, kAnnounced).malformed);
  Buffer d(std::vector<uint8_t>{});
  EXPECT_EQ(filterSipRtcp(d.span(), 0, kAnnounced).length, 0u);
}

TEST(RtcpFeedbackTest, LengthBeyondTheBufferIsClamped) {
  std::vector<uint8_t> in;
  addPli(in, kPeer, kBrowser);
  std::array<uint8_t, 12> exact{};
  std::copy(in.begin(), in.end(), exact.begin());
  auto r = filterSipRtcp(exact, 4000, kAnnounced);
  EXPECT_EQ(r.length, 12u);
}

}  // namespace
}  // namespace callgate::media
