#include "echo/echo_answer.hpp"

#include <gtest/gtest.h>

#include "sdp/attributes.hpp"
#include "sdp/parser.hpp"
#include "sdp/writer.hpp"

namespace callgate::echo {
namespace {

sdp::SessionDescription parse(const std::string& text) {
  auto parsed = sdp::parse(text);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : sdp::SessionDescription{};
}

std::string offerWith(const std::string& mlines) {
  return "v=0\r\no=- 7 7 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n" + mlines;
}

EchoAnswerParams params(std::vector<uint16_t> ports) {
  EchoAnswerParams p;
  p.localIp = "198.51.100.7";
  p.ports = ports;
  for (auto port : ports) p.rtcpPorts.push_back(port ? uint16_t(port + 1) : 0);
  p.sessionId = 42;
  return p;
}

TEST(EchoAnswer, FirstCodecPlusTelephoneEventOurAddressSendrecv) {
  auto offer = parse(offerWith(
      "m=audio 5000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"));
  auto answer = buildEchoAnswer(offer, params({40000}));
  ASSERT_TRUE(answer) << answer.error().message;
  ASSERT_EQ(answer->media.size(), 1u);
  const auto& m = answer->media[0];
  EXPECT_EQ(m.port, 40000);
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"8", "101"}));
  EXPECT_EQ(answer->connection->address, "198.51.100.7");
  EXPECT_EQ(answer->origin.address, "198.51.100.7");
  EXPECT_EQ(sdp::direction(*answer, m), sdp::Direction::SendRecv);
  EXPECT_EQ(m.first("rtcp"), "40001");
  EXPECT_EQ(m.first("ptime"), "20");
  std::string text = sdp::write(*answer);
  EXPECT_NE(text.find("a=rtpmap:8 PCMA/8000"), std::string::npos) << text;
  EXPECT_NE(text.find("a=rtpmap:101 telephone-event/8000"), std::string::npos) << text;
  EXPECT_NE(text.find("a=fmtp:101 0-15"), std::string::npos) << text;
  EXPECT_EQ(text.find("PCMU"), std::string::npos) << text;
}

TEST(EchoAnswer, AnyCodecWorksAndTelephoneEventMatchesItsClockRate) {
  auto offer =
      parse(offerWith("m=audio 5000 RTP/AVP 111 126 110\r\na=rtpmap:111 opus/48000/2\r\n"
                      "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:126 telephone-event/8000\r\n"
                      "a=rtpmap:110 telephone-event/48000\r\n"));
  auto choice = chooseEchoCodec(offer.media[0]);
  ASSERT_TRUE(choice);
  EXPECT_EQ(choice->codec.pt, 111);
  ASSERT_TRUE(choice->telephoneEvent);
  EXPECT_EQ(choice->telephoneEvent->pt, 110);  // RFC 4733 §7.1.1: same rate as the audio codec

  auto unusual = parse(offerWith("m=audio 5000 RTP/AVP 13 18 96\r\na=rtpmap:96 AMR-WB/16000\r\n"));
  auto c = chooseEchoCodec(unusual.media[0]);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->codec.pt, 18);  // CN carries no media; G.729 is echoed although we cannot decode it
  EXPECT_FALSE(c->telephoneEvent);
}

TEST(EchoAnswer, RefusesWhatItCannotEchoWithPortZero) {
  auto offer =
      parse(offerWith("m=audio 5000 RTP/AVP 0\r\n"
                      "m=video 5002 RTP/AVP 96 97\r\na=rtpmap:96 VP8/90000\r\na=rtpmap:97 rtx/90000\r\n"
                      "m=audio 5004 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n"
                      "m=application 5006 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                      "m=audio 0 RTP/AVP 8\r\n"
                      "m=audio 5008 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n"));
  auto answer = buildEchoAnswer(offer, params({40000, 40002, 40004, 40006, 40008, 40010}));
  ASSERT_TRUE(answer) << answer.error().message;
  ASSERT_EQ(answer->media.size(), 6u);
  EXPECT_EQ(answer->media[0].port, 40000);
  EXPECT_EQ(answer->media[1].port, 40002);
  EXPECT_EQ(answer->media[1].formats, std::vector<std::string>{"96"});
  for (size_t i : {2u, 3u, 4u, 5u}) {
    EXPECT_EQ(answer->media[i].port, 0) << i;
    EXPECT_EQ(answer->media[i].media, offer.media[i].media) << i;
    EXPECT_EQ(answer->media[i].formats.size(), 1u) << i;
  }
  EXPECT_EQ(answer->media[3].proto, "UDP/DTLS/SCTP");
  // Writes and parses again (a refused m-line still lists one offered format).
  EXPECT_TRUE(sdp::parse(sdp::write(*answer)));

  // A port the caller could not allocate refuses the m-line too.
  auto partial = buildEchoAnswer(offer, params({40000, 0, 0, 0, 0, 0}));
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->media[1].port, 0);

  auto nothing = parse(offerWith("m=audio 5004 RTP/SAVP 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n"));
  auto refused = buildEchoAnswer(nothing, params({40000, 40002}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "No common codecs");
}

TEST(EchoAnswer, MirrorsHoldDirections) {
  struct Case {
    const char* offered;
    sdp::Direction answered;
    bool sends;
    bool expects;
  } cases[] = {{"a=sendonly\r\n", sdp::Direction::RecvOnly, false, true},
               {"a=recvonly\r\n", sdp::Direction::SendOnly, true, false},
               {"a=inactive\r\n", sdp::Direction::Inactive, false, false},
               {"a=sendrecv\r\n", sdp::Direction::SendRecv, true, true},
               {"", sdp::Direction::SendRecv, true, true}};
  for (const auto& c : cases) {
    auto offer = parse(offerWith(std::string("m=audio 5000 RTP/AVP 0\r\n") + c.offered));
    auto answer = buildEchoAnswer(offer, params({40000}));
    ASSERT_TRUE(answer);
    EXPECT_EQ(sdp::direction(*answer, answer->media[0]), c.answered) << c.offered;
    EXPECT_EQ(echoSends(*answer, 0), c.sends) << c.offered;
    EXPECT_EQ(echoExpectsMedia(*answer), c.expects) << c.offered;
  }
  // RFC 2543 hold (c=0.0.0.0): we neither send nor expect anything.
  auto old =
      parse("v=0\r\no=- 7 8 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n");
  auto answer = buildEchoAnswer(old, params({40000}));
  ASSERT_TRUE(answer);
  EXPECT_FALSE(echoSends(*answer, 0));
}

TEST(EchoAnswer, RtcpMuxWhenOffered) {
  auto offer = parse(offerWith("m=audio 5000 RTP/AVPF 0\r\na=rtcp-mux\r\n"));
  auto answer = buildEchoAnswer(offer, params({40000}));
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->media[0].has("rtcp-mux"));
  EXPECT_FALSE(answer->media[0].has("rtcp"));
  EXPECT_EQ(answer->media[0].proto, "RTP/AVPF");
}

TEST(EchoAnswer, OfferForDelayedOfferInvite) {
  auto offer = buildEchoOffer("198.51.100.7", 40000, 40001, 5, 1);
  auto text = sdp::write(offer);
  auto parsed = sdp::parse(text);
  ASSERT_TRUE(parsed) << text;
  ASSERT_EQ(parsed->media.size(), 1u);
  EXPECT_EQ(parsed->media[0].formats, (std::vector<std::string>{"0", "8", "9", "101"}));
  EXPECT_EQ(parsed->connection->address, "198.51.100.7");
  EXPECT_EQ(sdp::direction(*parsed, parsed->media[0]), sdp::Direction::SendRecv);
}

}  // namespace
}  // namespace callgate::echo
