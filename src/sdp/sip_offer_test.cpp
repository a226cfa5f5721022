#include "sdp/sip_offer.hpp"

#include <gtest/gtest.h>

#include "sdp/attributes.hpp"
#include "sdp/codec.hpp"
#include "sdp/test_support.hpp"
#include "sdp/writer.hpp"

namespace callgate::sdp {
namespace {

using test::expectGolden;
using test::parseTestdata;

SipOfferParams params(bool video = false) {
  SipOfferParams p;
  p.localIp = "203.0.113.1";
  p.ports = {40000, 40002, 40004};
  p.sessionId = 1000;
  p.sessionVersion = 1;
  p.offerVideo = video;
  return p;
}

TEST(SipOffer, ChromiumAudioOfferGolden) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  auto r = buildSipOffer(offer, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectGolden(write(r->sdp), "sip_offer_chromium156_audio.sdp");

  const auto& sdp = r->sdp;
  EXPECT_EQ(sdp.sessionName, "callgate");
  EXPECT_EQ(sdp.origin.sessionId, "1000");
  EXPECT_EQ(sdp.origin.address, "203.0.113.1");
  EXPECT_EQ(sdp.connection->address, "203.0.113.1");
  ASSERT_EQ(sdp.media.size(), 1u);
  const auto& m = sdp.media[0];
  EXPECT_EQ(m.port, 40000);
  EXPECT_EQ(m.proto, "RTP/AVP");
  // The browser's PT numbers and order, SIP-compatible codecs only (red, CN dropped).
  EXPECT_EQ(m.formats, (std::vector<std::string>{"111", "9", "0", "8", "110", "126"}));
  EXPECT_EQ(m.first("fmtp"), "111 minptime=10;useinbandfec=1");
  for (const char* gone : {"rtcp-fb", "extmap", "ssrc", "ice-ufrag", "ice-pwd", "fingerprint",
                           "setup", "mid", "msid", "rtcp-mux", "ice-options", "rtcp-rsize"}) {
    EXPECT_FALSE(m.has(gone)) << gone;
  }
  EXPECT_EQ(m.first("rtcp"), "40001");
  EXPECT_EQ(m.first("ptime"), "20");
  EXPECT_EQ(findDirection(m), Direction::SendRecv);
  EXPECT_EQ(r->sipIndexForBrowser, std::vector<size_t>{0});
  EXPECT_EQ(r->offered, std::vector<bool>{true});
}

TEST(SipOffer, VideoNotOfferedKeepsTheMLineWithPortZero) {
  auto offer = parseTestdata("chromium156_av_offer.sdp");
  auto r = buildSipOffer(offer, params(false));
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectGolden(write(r->sdp), "sip_offer_chromium156_av_novideo.sdp");
  ASSERT_EQ(r->sdp.media.size(), 2u);
  EXPECT_EQ(r->sdp.media[1].media, "video");
  EXPECT_EQ(r->sdp.media[1].port, 0);
  EXPECT_EQ(r->sdp.media[1].proto, "RTP/AVP");
  EXPECT_TRUE(r->sdp.media[1].attributes.empty());
  EXPECT_EQ(r->offered, (std::vector<bool>{true, false}));
  EXPECT_EQ(r->sipIndexForBrowser, (std::vector<size_t>{0, 1}));
}

TEST(SipOffer, VideoOfferedCarriesVp8AndH264Mode1Only) {
  auto offer = parseTestdata("chromium120_av_offer.sdp");
  auto r = buildSipOffer(offer, params(true));
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectGolden(write(r->sdp), "sip_offer_chromium120_av_video.sdp");
  const auto& v = r->sdp.media.at(1);
  EXPECT_EQ(v.port, 40002);
  EXPECT_EQ(v.formats, (std::vector<std::string>{"96", "102", "125", "124", "123"}));
  EXPECT_FALSE(v.has("rtcp-fb"));
  EXPECT_FALSE(v.has("ssrc-group"));
  EXPECT_FALSE(v.has("ptime"));
  EXPECT_EQ(v.first("rtcp"), "40003");
  EXPECT_EQ(r->offered, (std::vector<bool>{true, true}));
}

TEST(SipOffer, MirrorsBrowserDirectionAndIpv6) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  setDirection(offer.media[0], Direction::SendOnly);
  auto p = params();
  p.localIp = "2001:db8::1";
  p.rtcpAttribute = false;
  p.ptime.reset();
  auto r = buildSipOffer(offer, p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(findDirection(r->sdp.media[0]), Direction::SendOnly);
  EXPECT_EQ(r->sdp.connection->addrType, "IP6");
  EXPECT_EQ(r->sdp.origin.addrType, "IP6");
  EXPECT_FALSE(r->sdp.media[0].has("rtcp"));
  EXPECT_FALSE(r->sdp.media[0].has("ptime"));
}

TEST(SipOffer, DataChannelAndUnknownCodecsAreRejectedInPlace) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  MediaDescription data;
  data.media = "application";
  data.port = 9;
  data.proto = "UDP/DTLS/SCTP";
  data.formats = {"webrtc-datachannel"};
  data.add("mid", "1");
  offer.media.push_back(data);
  MediaDescription ilbc;
  ilbc.media = "audio";
  ilbc.port = 9;
  ilbc.proto = "UDP/TLS/RTP/SAVPF";
  ilbc.formats = {"102", "126"};
  ilbc.add("rtpmap", "102 iLBC/8000");
  ilbc.add("rtpmap", "126 telephone-event/8000");  // alone it cannot carry a call
  offer.media.push_back(ilbc);
  auto r = buildSipOffer(offer, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->sdp.media.size(), 3u);
  EXPECT_EQ(r->sdp.media[1].port, 0);
  EXPECT_EQ(r->sdp.media[1].proto, "UDP/DTLS/SCTP");
  EXPECT_EQ(r->sdp.media[1].formats, std::vector<std::string>{"webrtc-datachannel"});
  EXPECT_EQ(r->sdp.media[2].port, 0);
  EXPECT_EQ(r->sdp.media[2].formats, std::vector<std::string>{"102"});
  EXPECT_EQ(r->offered, (std::vector<bool>{true, false, false}));
  // The result still parses.
  EXPECT_TRUE(parse(write(r->sdp)).ok());
}

// The C++ SDK (webrtcbin) offers PCMU alone. callgate still offers telephone-event/8000 to
// SIP (it sends and reads RFC 4733 events itself), on a PT the client does not use.
MediaDescription pcmuOnly(std::vector<std::string> formats) {
  MediaDescription m;
  m.media = "audio";
  m.port = 9;
  m.proto = "UDP/TLS/RTP/SAVPF";
  m.formats = std::move(formats);
  return m;
}

TEST(SipOffer, AudioWithoutTelephoneEventGetsCallgatesOwn) {
  SessionDescription offer = parseTestdata("chromium156_audio_offer.sdp");
  offer.media[0] = pcmuOnly({"0"});
  auto r = buildSipOffer(offer, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& m = r->sdp.media[0];
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_EQ(m.all("rtpmap"), (std::vector<std::string_view>{"0 PCMU/8000", "101 telephone-event/8000"}));
  EXPECT_EQ(m.first("fmtp"), "101 0-16");

  // 101 taken by the client (an unknown codec, not offered to SIP): the next free dynamic PT.
  offer.media[0] = pcmuOnly({"0", "101"});
  offer.media[0].add("rtpmap", "101 iLBC/8000");
  r = buildSipOffer(offer, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sdp.media[0].formats, (std::vector<std::string>{"0", "96"}));

  // A client that offers telephone-event keeps its own (the Chromium golden has 126 only).
  r = buildSipOffer(parseTestdata("chromium156_audio_offer.sdp"), params());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sdp.media[0].formats, (std::vector<std::string>{"111", "9", "0", "8", "110", "126"}));
}

TEST(SipOffer, Errors) {
  auto offer = parseTestdata("chromium156_av_offer.sdp");
  auto p = params();
  p.ports = {40000};
  auto few = buildSipOffer(offer, p);
  ASSERT_FALSE(few.ok());
  EXPECT_EQ(few.error().message, "Not enough RTP ports for the offer's m-lines");

  p = params();
  p.localIp.clear();
  EXPECT_FALSE(buildSipOffer(offer, p).ok());

  SessionDescription empty;
  EXPECT_EQ(buildSipOffer(empty, params()).error().message, "Offer has no m-line");

  auto onlyRed = parse(
      "v=0\no=- 1 2 IN IP4 h\ns=-\nt=0 0\nm=audio 9 UDP/TLS/RTP/SAVPF 63 13\n"
      "a=rtpmap:63 red/48000/2\na=rtpmap:13 CN/8000\n");
  ASSERT_TRUE(onlyRed.ok());
  auto none = buildSipOffer(*onlyRed, params());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "No SIP-compatible codecs in offer");
}

}  // namespace
}  // namespace callgate::sdp
