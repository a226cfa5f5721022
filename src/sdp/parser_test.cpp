#include "sdp/parser.hpp"

#include <gtest/gtest.h>

#include "sdp/attributes.hpp"
#include "sdp/test_support.hpp"
#include "sdp/writer.hpp"

namespace callgate::sdp {
namespace {

using test::parseTestdata;
using test::readTestdata;

std::string crlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

constexpr std::string_view kMinimal =
    "v=0\n"
    "o=- 1 2 IN IP4 192.0.2.1\n"
    "s=-\n"
    "c=IN IP4 192.0.2.1\n"
    "t=0 0\n"
    "m=audio 4000 RTP/AVP 0\n"
    "a=rtpmap:0 PCMU/8000\n";

std::string errorOf(std::string_view text, const ParseLimits& limits = {}) {
  auto r = parse(text, limits);
  return r.ok() ? std::string("<parsed>") : r.error().message;
}

TEST(SdpParser, ChromiumAudioOffer) {
  auto sdp = parseTestdata("chromium156_audio_offer.sdp");
  EXPECT_EQ(sdp.origin.sessionId, "5433400392776085496");
  EXPECT_EQ(sdp.origin.sessionVersion, "2");
  EXPECT_EQ(sdp.origin.address, "127.0.0.1");
  ASSERT_EQ(sdp.timings.size(), 1u);
  EXPECT_FALSE(sdp.connection.has_value());
  ASSERT_EQ(sdp.media.size(), 1u);
  const auto& m = sdp.media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.port, 9);
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"111", "63", "9", "0", "8", "13", "110", "126"}));
  ASSERT_TRUE(m.connection.has_value());
  EXPECT_EQ(m.connection->address, "0.0.0.0");
  EXPECT_EQ(sdp.connectionFor(m), &*m.connection);
  EXPECT_EQ(mid(m), "0");
  EXPECT_EQ(iceUfrag(sdp, m), "+1Fm");
  EXPECT_EQ(icePwd(sdp, m), "YlWP7Jx9xQ75BmtNQGasoG6l");
  auto fp = fingerprint(sdp, m);
  ASSERT_TRUE(fp.has_value());
  EXPECT_EQ(fp->hashFunction, "sha-256");
  EXPECT_EQ(fp->value.size(), 95u);
  EXPECT_EQ(setup(sdp, m), Setup::ActPass);
  EXPECT_TRUE(rtcpMux(m));
  EXPECT_EQ(direction(sdp, m), Direction::SendRecv);
  auto bundle = bundleGroup(sdp);
  ASSERT_TRUE(bundle.has_value());
  EXPECT_EQ(bundle->ids, std::vector<std::string>{"0"});
  EXPECT_EQ(m.all("extmap").size(), 4u);
  EXPECT_EQ(ssrcs(m).size(), 2u);
  // Property attributes have no value; a=name:value keeps the whole value.
  EXPECT_EQ(m.attributes.back().name, "ssrc");
  EXPECT_TRUE(m.has("rtcp-rsize"));
  EXPECT_EQ(m.first("rtcp-xr"), "rcvr-rtt=all");
}

TEST(SdpParser, ChromiumAudioVideoOffer) {
  auto sdp = parseTestdata("chromium156_av_offer.sdp");
  ASSERT_EQ(sdp.media.size(), 2u);
  const auto& v = sdp.media[1];
  EXPECT_EQ(v.media, "video");
  EXPECT_EQ(v.formats.size(), 23u);
  EXPECT_EQ(mid(v), "1");
  auto groups = ssrcGroups(v);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].semantics, "FID");
  EXPECT_EQ(groups[0].ssrcs, (std::vector<uint32_t>{3265126953u, 2522223086u}));
  auto ms = msid(v);
  ASSERT_TRUE(ms.has_value());
  EXPECT_EQ(ms->streamId, "deab7d86-9c6e-4fc3-b664-c472683f610d");
  EXPECT_EQ(ms->trackId, "726ff658-858f-4d96-ab62-01c101e81ca5");
  EXPECT_EQ(bundleGroup(sdp)->ids, (std::vector<std::string>{"0", "1"}));
}

TEST(SdpParser, LfAndCrlfGiveTheSameModel) {
  auto lf = parse(kMinimal);
  auto cr = parse(crlf(kMinimal));
  ASSERT_TRUE(lf.ok()) << lf.error().message;
  ASSERT_TRUE(cr.ok()) << cr.error().message;
  EXPECT_EQ(*lf, *cr);
}

TEST(SdpParser, ToleratesTrailingWhitespaceBlankLinesAndNoFinalNewline) {
  std::string text = "v=0 \r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\n\r\nt=0 0\t\r\n"
                     "m=audio 4000 RTP/AVP 0\r\na=sendrecv \r\n\r\n";
  auto r = parse(text);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(findDirection(r->media[0]), Direction::SendRecv);
  auto r2 = parse("v=0\no=- 1 2 IN IP4 h\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0");
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_EQ(r2->media.size(), 1u);
}

TEST(SdpParser, KeepsOptionalSessionLines) {
  auto r = parse(
      "v=0\no=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\ns=SDP Seminar\n"
      "i=A Seminar on the session description protocol\n"
      "u=http://www.example.com/seminars/sdp.pdf\ne=j.doe@example.com (Jane Doe)\n"
      "p=+1 617 555-6011\nc=IN IP4 224.2.17.12/127\nb=CT:1000\nt=2873397496 2873404696\n"
      "r=7d 1h 0 25h\nz=2882844526 -1h\nk=prompt\na=recvonly\n"
      "m=audio 49170 RTP/AVP 0\ni=voice\nb=AS:64\nk=clear:x\n"
      "m=video 51372/2 RTP/AVP 99\na=rtpmap:99 h263-1998/90000\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->information, "A Seminar on the session description protocol");
  EXPECT_EQ(r->emails.size(), 1u);
  EXPECT_EQ(r->phones[0], "+1 617 555-6011");
  EXPECT_EQ(r->connection->address, "224.2.17.12/127");
  EXPECT_EQ(r->bandwidths[0].type, "CT");
  EXPECT_EQ(r->bandwidths[0].value, 1000u);
  EXPECT_EQ(r->timings[0].start, 2873397496u);
  EXPECT_EQ(r->timings[0].repeats, std::vector<std::string>{"7d 1h 0 25h"});
  EXPECT_EQ(r->zone, "2882844526 -1h");
  EXPECT_EQ(r->key, "prompt");
  EXPECT_EQ(findDirection(*r), Direction::RecvOnly);
  EXPECT_EQ(direction(*r, r->media[0]), Direction::RecvOnly);  // session default applies
  EXPECT_EQ(r->media[0].information, "voice");
  EXPECT_EQ(r->media[0].bandwidths[0].value, 64u);
  EXPECT_EQ(r->media[1].port, 51372);
  EXPECT_EQ(r->media[1].numPorts, 2);
  // And it survives a round trip unchanged.
  auto again = parse(write(*r));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *r);
}

TEST(SdpParser, AcceptsRejectedMediaWithoutFormats) {
  auto r = parse("v=0\no=- 1 2 IN IP4 h\ns=-\nt=0 0\nm=video 0 RTP/AVP\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->media[0].formats.empty());
}

TEST(SdpParser, RejectsBrokenStructure) {
  EXPECT_EQ(errorOf(""), "SDP incomplete: v=, o= and s= lines required");
  EXPECT_EQ(errorOf("o=- 1 2 IN IP4 h\n"), "SDP line 1: first line must be v=");
  EXPECT_EQ(errorOf("v=1\n"), "SDP line 1: unsupported version");
  EXPECT_EQ(errorOf("v=0\ns=-\n"), "SDP line 2: o= must follow v=");
  EXPECT_EQ(errorOf("v=0\no=- 1 2 IN IP4\n"), "SDP line 2: malformed o= line");
  EXPECT_EQ(errorOf("v=0\no=- x 2 IN IP4 h\n"), "SDP line 2: malformed o= line");
  EXPECT_EQ(errorOf("v=0\no=- 1 2 IN IP4 h\nt=0 0\n"), "SDP line 3: s= must follow o=");
  EXPECT_EQ(errorOf("v=0\no=- 1 2 IN IP4 h\n"), "SDP incomplete: v=, o= and s= lines required");
  const std::string head = "v=0\no=- 1 2 IN IP4 h\ns=-\n";
  EXPECT_EQ(errorOf(head + "x=foo\n"), "SDP line 4: unexpected x= line at session level");
  EXPECT_EQ(errorOf(head + "A=foo\n"), "SDP line 4: not a <type>=<value> line");
  EXPECT_EQ(errorOf(head + "a foo\n"), "SDP line 4: not a <type>=<value> line");
  EXPECT_EQ(errorOf(head + "c=IN IP4\n"), "SDP line 4: malformed c= line");
  EXPECT_EQ(errorOf(head + "c=IN IP4 a\nc=IN IP4 b\n"), "SDP line 5: duplicate c= line");
  EXPECT_EQ(errorOf(head + "b=AS:x\n"), "SDP line 4: malformed b= line");
  EXPECT_EQ(errorOf(head + "b=AS:-1\n"), "SDP line 4: malformed b= line");
  EXPECT_EQ(errorOf(head + "t=0\n"), "SDP line 4: malformed t= line");
  EXPECT_EQ(errorOf(head + "r=7d\n"), "SDP line 4: r= without t=");
  EXPECT_EQ(errorOf(head + "a=:x\n"), "SDP line 4: malformed a= line");
  EXPECT_EQ(errorOf(head + "a=foo bar\n"), "SDP line 4: malformed a= line");
  EXPECT_EQ(errorOf(head + "m=audio 70000 RTP/AVP 0\n"), "SDP line 4: malformed m= line");
  EXPECT_EQ(errorOf(head + "m=audio -1 RTP/AVP 0\n"), "SDP line 4: malformed m= line");
  EXPECT_EQ(errorOf(head + "m=audio 9 RTP/AVP\n"), "SDP line 4: malformed m= line");
  EXPECT_EQ(errorOf(head + "m=audio 9/x RTP/AVP 0\n"), "SDP line 4: malformed m= line");
  EXPECT_EQ(errorOf(head + "m=audio 9 RTP/AVP 0\nt=0 0\n"),
            "SDP line 5: unexpected t= line in a media section");
  EXPECT_EQ(errorOf(head + "m=audio 9 RTP/AVP 0\ni=a\ni=b\n"), "SDP line 6: duplicate i= line");
  EXPECT_EQ(errorOf(head + "i=a\ni=b\n"), "SDP line 5: duplicate i= line");
  EXPECT_EQ(errorOf(head + "a=x\ry\n"), "SDP line 4: stray CR");
  EXPECT_EQ(errorOf(head + std::string("a=x\0y\n", 6)), "SDP contains a NUL byte");
}

TEST(SdpParser, EnforcesLimits) {
  const std::string head = "v=0\no=- 1 2 IN IP4 h\ns=-\n";
  ParseLimits small;
  small.maxBytes = 40;
  EXPECT_EQ(errorOf(head + "t=0 0\nm=audio 9 RTP/AVP 0\n", small), "SDP too large");
  ParseLimits fewLines;
  fewLines.maxLines = 4;
  EXPECT_EQ(errorOf(head + "t=0 0\nm=audio 9 RTP/AVP 0\n", fewLines), "SDP has too many lines");
  ParseLimits shortLines;
  shortLines.maxLineLength = 30;
  EXPECT_EQ(errorOf(head + "a=" + std::string(40, 'x') + "\n", shortLines),
            "SDP line 4: line too long");
  ParseLimits fewMedia;
  fewMedia.maxMediaSections = 2;
  std::string three = head + "m=audio 9 RTP/AVP 0\nm=audio 9 RTP/AVP 0\nm=audio 9 RTP/AVP 0\n";
  EXPECT_EQ(errorOf(three, fewMedia), "SDP line 6: too many m= sections");
  // The defaults hold a large real offer.
  EXPECT_TRUE(parse(readTestdata("chromium156_av_offer.sdp")).ok());
}

// parse -> write -> parse gives the same model, and for CRLF input in canonical order
// the written text is byte-identical to the input.
TEST(SdpParser, RoundTripsEverySample) {
  for (const char* name :
       {"chromium156_audio_offer.sdp", "chromium156_av_offer.sdp", "chromium120_av_offer.sdp",
        "sipp_pcmu_answer.sdp", "baresip_opus_answer.sdp", "asterisk_g711_answer.sdp",
        "linphone_video_answer.sdp", "video_rejected_answer.sdp", "no_common_answer.sdp",
        "sendonly_answer.sdp", "inactive_answer.sdp"}) {
    SCOPED_TRACE(name);
    const std::string text = readTestdata(name);
    auto first = parse(text);
    ASSERT_TRUE(first.ok()) << first.error().message;
    const std::string written = write(*first);
    auto second = parse(written);
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(*first, *second);
    const std::string canonical = text.find('\r') == std::string::npos ? crlf(text) : text;
    EXPECT_EQ(written, canonical);
  }
}

}  // namespace
}  // namespace callgate::sdp
