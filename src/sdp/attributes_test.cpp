#include "sdp/attributes.hpp"

#include <gtest/gtest.h>

#include "sdp/codec.hpp"
#include "sdp/test_support.hpp"

namespace callgate::sdp {
namespace {

TEST(SdpAttributes, Rtpmap) {
  auto opus = parseRtpmap("111 opus/48000/2");
  ASSERT_TRUE(opus.has_value());
  EXPECT_EQ(*opus, (Rtpmap{111, "opus", 48000, 2}));
  EXPECT_EQ(formatRtpmap(*opus), "111 opus/48000/2");
  auto pcmu = parseRtpmap("0 PCMU/8000");
  ASSERT_TRUE(pcmu.has_value());
  EXPECT_EQ(pcmu->channels, 1u);
  EXPECT_EQ(formatRtpmap(*pcmu), "0 PCMU/8000");
  EXPECT_FALSE(parseRtpmap("128 x/8000"));
  EXPECT_FALSE(parseRtpmap("96 VP8"));
  EXPECT_FALSE(parseRtpmap("96 /90000"));
  EXPECT_FALSE(parseRtpmap("96 VP8/0"));
  EXPECT_FALSE(parseRtpmap("96 opus/48000/"));
  EXPECT_FALSE(parseRtpmap("x opus/48000"));
  EXPECT_FALSE(parseRtpmap(""));
}

TEST(SdpAttributes, FmtpAndParameters) {
  auto f = parseFmtp("102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->pt, 102);
  EXPECT_EQ(fmtpParameter(f->params, "packetization-mode"), "1");
  EXPECT_EQ(fmtpParameter(f->params, "Profile-Level-Id"), "42001f");
  EXPECT_FALSE(fmtpParameter(f->params, "sprop-stereo"));
  EXPECT_EQ(fmtpParameter("maxplaybackrate=16000; useinbandfec = 1", "useinbandfec"), "1");
  auto te = parseFmtp("101 0-15");
  ASSERT_TRUE(te.has_value());
  EXPECT_EQ(te->params, "0-15");
  EXPECT_FALSE(fmtpParameter(te->params, "0-15"));
  EXPECT_FALSE(parseFmtp("abc 0-15"));
}

TEST(SdpAttributes, RtcpFbAndRtcp) {
  auto fb = parseRtcpFb("96 nack pli");
  ASSERT_TRUE(fb.has_value());
  EXPECT_EQ(fb->pt, "96");
  EXPECT_EQ(fb->value, "nack pli");
  EXPECT_EQ(parseRtcpFb("* ccm fir")->pt, "*");
  EXPECT_FALSE(parseRtcpFb("96"));
  EXPECT_FALSE(parseRtcpFb("x nack"));

  auto r = parseRtcp("9 IN IP4 0.0.0.0");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->port, 9);
  EXPECT_EQ(r->connection->address, "0.0.0.0");
  EXPECT_EQ(parseRtcp("53021")->port, 53021);
  EXPECT_FALSE(parseRtcp("53021 IN IP4"));
  EXPECT_FALSE(parseRtcp("port"));
}

TEST(SdpAttributes, Candidate) {
  const std::string chrome =
      "842163049 1 udp 1677729535 198.51.100.7 53110 typ srflx raddr 10.0.0.4 rport 53110 "
      "generation 0 network-cost 999";
  auto c = parseCandidate(chrome);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->foundation, "842163049");
  EXPECT_EQ(c->component, 1u);
  EXPECT_EQ(c->transport, "udp");
  EXPECT_EQ(c->priority, 1677729535u);
  EXPECT_EQ(c->address, "198.51.100.7");
  EXPECT_EQ(c->port, 53110);
  EXPECT_EQ(c->type, "srflx");
  EXPECT_EQ(c->relAddr, "10.0.0.4");
  EXPECT_EQ(c->relPort, 53110);
  ASSERT_EQ(c->extensions.size(), 2u);
  EXPECT_EQ(c->extensions[1].first, "network-cost");
  EXPECT_EQ(formatCandidate(*c), chrome);
  EXPECT_FALSE(parseCandidate("1 1 udp 1 1.2.3.4 5 host"));
  EXPECT_FALSE(parseCandidate("1 1 udp 1 1.2.3.4 99999 typ host"));
  EXPECT_FALSE(parseCandidate("1 1 udp 1 1.2.3.4 5 typ host generation"));
}

TEST(SdpAttributes, FingerprintSetupGroupMsidSsrc) {
  auto fp = parseFingerprint("SHA-256 AB:CD");
  ASSERT_TRUE(fp.has_value());
  EXPECT_EQ(fp->hashFunction, "sha-256");
  EXPECT_EQ(fp->value, "AB:CD");
  EXPECT_FALSE(parseFingerprint("sha-256"));

  EXPECT_EQ(parseSetup("actpass"), Setup::ActPass);
  EXPECT_EQ(parseSetup("passive"), Setup::Passive);
  EXPECT_FALSE(parseSetup("sometimes"));
  EXPECT_EQ(toString(Setup::Active), "active");

  auto g = parseGroup("BUNDLE 0 1 2");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->ids.size(), 3u);
  EXPECT_EQ(formatGroup(*g), "BUNDLE 0 1 2");

  auto ms = parseMsid("stream track");
  ASSERT_TRUE(ms.has_value());
  EXPECT_EQ(ms->trackId, "track");
  EXPECT_EQ(parseMsid("- t")->streamId, "-");
  EXPECT_FALSE(parseMsid("a b c"));

  auto s = parseSsrc("1348917926 msid:74b0 7759");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->ssrc, 1348917926u);
  EXPECT_EQ(s->attribute, "msid");
  EXPECT_EQ(s->value, "74b0 7759");
  EXPECT_FALSE(parseSsrc("4294967296 cname:x"));
  EXPECT_FALSE(parseSsrcGroup("FID 1 x"));
}

TEST(SdpAttributes, Directions) {
  EXPECT_EQ(reverse(Direction::SendOnly), Direction::RecvOnly);
  EXPECT_EQ(reverse(Direction::RecvOnly), Direction::SendOnly);
  EXPECT_EQ(reverse(Direction::Inactive), Direction::Inactive);
  EXPECT_EQ(makeDirection(true, false), Direction::SendOnly);
  EXPECT_EQ(makeDirection(false, false), Direction::Inactive);
  MediaDescription m;
  m.add("sendonly");
  m.add("rtcp-mux");
  setDirection(m, Direction::Inactive);
  EXPECT_EQ(m.all("sendonly").size(), 0u);
  EXPECT_EQ(findDirection(m), Direction::Inactive);
  EXPECT_EQ(m.attributes.size(), 2u);
  // A valued attribute named like a direction is not a direction.
  MediaDescription odd;
  odd.add("sendonly", "x");
  EXPECT_FALSE(findDirection(odd));
}

TEST(SdpCodecs, ChromiumAudioCodecs) {
  auto sdp = test::parseTestdata("chromium156_audio_offer.sdp");
  auto list = codecs(sdp.media.at(0));
  ASSERT_EQ(list.size(), 8u);
  EXPECT_EQ(list[0].name, "opus");
  EXPECT_EQ(list[0].channels, 2u);
  EXPECT_EQ(list[0].fmtp, "minptime=10;useinbandfec=1");
  EXPECT_EQ(list[0].rtcpFb, std::vector<std::string>{"transport-cc"});
  EXPECT_EQ(list[1].name, "red");
  EXPECT_EQ(list[7].name, "telephone-event");
  EXPECT_EQ(list[7].pt, 126);
  std::vector<uint8_t> compatible;
  for (const auto& c : list) {
    if (isSipCompatible(c, "audio")) compatible.push_back(c.pt);
  }
  EXPECT_EQ(compatible, (std::vector<uint8_t>{111, 9, 0, 8, 110, 126}));
}

TEST(SdpCodecs, StaticPayloadTypesWithoutRtpmap) {
  MediaDescription m;
  m.media = "audio";
  m.proto = "RTP/AVP";
  m.formats = {"0", "18", "96", "abc", "0"};  // 96 without rtpmap, "abc" and dup skipped
  auto list = codecs(m);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "PCMU");
  EXPECT_EQ(list[0].clockRate, 8000u);
  EXPECT_EQ(list[1].name, "G729");
  m.proto = "UDP/DTLS/SCTP";
  EXPECT_TRUE(codecs(m).empty());
}

TEST(SdpCodecs, VideoCompatibilityAndH264Matching) {
  auto sdp = test::parseTestdata("chromium156_av_offer.sdp");
  std::vector<Codec> offered;
  for (auto& c : codecs(sdp.media.at(1))) {
    if (isSipCompatible(c, "video")) offered.push_back(c);
  }
  std::vector<uint8_t> pts;
  for (const auto& c : offered) pts.push_back(c.pt);
  EXPECT_EQ(pts, (std::vector<uint8_t>{96, 102, 108, 116}));  // VP8 + H264 mode 1 only

  Codec h264main{120, "h264", 90000, 1, "packetization-mode=1;profile-level-id=4d0032", {}};
  Codec h264cb{121, "H264", 90000, 1, "profile-level-id=42e01f;packetization-mode=1", {}};
  Codec h264mode0{122, "H264", 90000, 1, "packetization-mode=0;profile-level-id=42e01f", {}};
  Codec h264bare{123, "H264", 90000, 1, std::nullopt, {}};
  auto matches = matchCodecs({h264main, h264cb, h264mode0}, offered);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].offer.pt, 116);  // same profile (4d00) preferred
  EXPECT_EQ(matches[1].offer.pt, 108);  // 42e0
  auto bare = matchCodecs({h264bare}, offered);
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0].offer.pt, 102);
}

TEST(SdpCodecs, MatchingIsCaseInsensitiveAndChecksRateAndChannels) {
  Codec offerOpus{111, "opus", 48000, 2, std::nullopt, {}};
  Codec offerTe8{126, "telephone-event", 8000, 1, std::nullopt, {}};
  Codec offerTe48{110, "telephone-event", 48000, 1, std::nullopt, {}};
  Codec ansOpus{96, "OPUS", 48000, 2, std::nullopt, {}};
  Codec ansOpusMono{97, "opus", 48000, 1, std::nullopt, {}};
  Codec ansTe{101, "Telephone-Event", 8000, 1, "0-15", {}};
  auto m = matchCodecs({ansOpusMono, ansOpus, ansTe}, {offerOpus, offerTe48, offerTe8});
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].answer.pt, 96);
  EXPECT_EQ(m[0].offer.pt, 111);
  EXPECT_EQ(m[1].answer.pt, 101);
  EXPECT_EQ(m[1].offer.pt, 126);
}

}  // namespace
}  // namespace callgate::sdp
