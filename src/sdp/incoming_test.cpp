// Incoming calls: SIP offer -> WebRTC offer (buildWebRtcOffer), then the browser's real
// answer (captured from Chromium 156 answering exactly these offers) -> SIP answer
// (buildSipAnswer).
#include <algorithm>

#include <gtest/gtest.h>

#include "sdp/attributes.hpp"
#include "sdp/sip_answer.hpp"
#include "sdp/test_support.hpp"
#include "sdp/webrtc_offer.hpp"
#include "sdp/writer.hpp"

namespace callgate::sdp {
namespace {

using test::expectGolden;
using test::parseTestdata;

WebRtcOfferParams offerParams(bool video = false) {
  WebRtcOfferParams p;
  p.sessionId = 3000;
  p.sessionVersion = 1;
  p.iceUfrag = "cgUf";
  p.icePwd = "callgateIcePassword0123";
  p.fingerprint = "3A:96:6D:57:B2:C2:C7:61:A0:46:3E:1C:97:39:D3:F7:0A:88:A0:B1:EC:03:FB:10:A5:5D:3A:37:AB:DD:02:AA";
  p.candidateIp = "203.0.113.1";
  p.candidatePort = 50000;
  p.streamId = "callgate-stream";
  p.cname = "callgate";
  p.ssrcs = {11111111, 22222222};
  p.offerVideo = video;
  return p;
}

SipAnswerParams answerParams() {
  SipAnswerParams p;
  p.localIp = "203.0.113.1";
  p.ports = {40000, 40002};
  p.sessionId = 4000;
  p.sessionVersion = 1;
  return p;
}

TEST(WebRtcOffer, AsteriskAudioOffer) {
  auto sip = parseTestdata("asterisk_offer.sdp");
  auto r = buildWebRtcOffer(sip, offerParams());
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectGolden(write(r->sdp), "webrtc_offer_asterisk.sdp");
  const auto& m = r->sdp.media.at(0);
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "8", "9", "101"}));  // G729 dropped
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(setup(r->sdp, m), Setup::ActPass);
  EXPECT_TRUE(iceLite(r->sdp));
  EXPECT_TRUE(rtcpMux(m));
  EXPECT_EQ(mid(m), "0");
  EXPECT_EQ(candidates(m).size(), 1u);
  EXPECT_EQ(bundleGroup(r->sdp)->ids, std::vector<std::string>{"0"});
  EXPECT_EQ(r->offered, std::vector<bool>{true});
  EXPECT_TRUE(parse(write(r->sdp)).ok());
}

TEST(WebRtcOffer, VideoPayloadTypesMoveOutOfTheWayInsideBundle) {
  auto sip = parseTestdata("linphone_video_offer.sdp");
  auto r = buildWebRtcOffer(sip, offerParams(true));
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectGolden(write(r->sdp), "webrtc_offer_linphone_video.sdp");
  // opus keeps 96, so VP8 (96 on the SIP side) and H264 (97) move.
  EXPECT_EQ(r->sdp.media.at(0).formats, (std::vector<std::string>{"96", "0", "8", "101"}));
  EXPECT_EQ(r->sdp.media.at(1).formats, (std::vector<std::string>{"97", "98"}));
  EXPECT_EQ(r->sdp.media.at(1).first("rtpmap"), "97 VP8/90000");
  EXPECT_EQ(bundleGroup(r->sdp)->ids, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(msid(r->sdp.media[0])->streamId, msid(r->sdp.media[1])->streamId);
}

TEST(WebRtcOffer, VideoNotWantedGetsPortZero) {
  auto sip = parseTestdata("linphone_video_offer.sdp");
  auto r = buildWebRtcOffer(sip, offerParams(false));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sdp.media.at(1).port, 0);
  EXPECT_EQ(mid(r->sdp.media.at(1)), "1");
  EXPECT_EQ(r->offered, (std::vector<bool>{true, false}));
  EXPECT_EQ(bundleGroup(r->sdp)->ids, std::vector<std::string>{"0"});
}

TEST(WebRtcOffer, RtcpRangePayloadTypesAreMoved) {
  auto sip = parse(
      "v=0\no=- 1 1 IN IP4 192.0.2.9\ns=-\nc=IN IP4 192.0.2.9\nt=0 0\n"
      "m=audio 5004 RTP/AVP 77 0\na=rtpmap:77 opus/48000/2\n");
  ASSERT_TRUE(sip.ok());
  auto r = buildWebRtcOffer(*sip, offerParams());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sdp.media[0].formats, (std::vector<std::string>{"96", "0"}));
}

TEST(WebRtcOffer, Errors) {
  auto sdes = parseTestdata("sdes_offer.sdp");
  auto r = buildWebRtcOffer(sdes, offerParams());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "No common codecs");  // RTP/SAVP is not relayed
  auto p = offerParams();
  p.icePwd = "x";
  EXPECT_FALSE(buildWebRtcOffer(parseTestdata("asterisk_offer.sdp"), p).ok());
}

TEST(SipAnswer, AsteriskOfferAnsweredByChromium) {
  auto sip = parseTestdata("asterisk_offer.sdp");
  auto browser = parseTestdata("chromium156_answer_to_asterisk_offer.sdp");
  auto r = buildSipAnswer(sip, browser, answerParams());
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectGolden(write(r->sdp), "sip_answer_asterisk.sdp");
  const auto& m = r->sdp.media.at(0);
  EXPECT_EQ(m.port, 40000);
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "8", "9", "101"}));
  EXPECT_EQ(findDirection(m), Direction::SendRecv);
  EXPECT_FALSE(m.has("ice-ufrag"));
  const auto& plan = r->plans.at(0);
  EXPECT_TRUE(plan.active);
  EXPECT_EQ(plan.mid, "0");
  EXPECT_EQ(plan.sipRemoteAddress, "198.51.100.5");
  EXPECT_EQ(plan.sipRemoteRtpPort, 14880);
  EXPECT_EQ(plan.sipRemoteRtcpPort, 14881);
  EXPECT_EQ(plan.codecs.at(0).name, "PCMU");
  EXPECT_EQ(plan.browserTelephoneEventPt, 101);
  EXPECT_EQ(plan.sipTelephoneEventPt, 101);
  EXPECT_TRUE(plan.relayBrowserToSip);
  EXPECT_TRUE(plan.relaySipToBrowser);
  EXPECT_TRUE(parse(write(r->sdp)).ok());
}

TEST(SipAnswer, SippOfferAnsweredByChromium) {
  auto r = buildSipAnswer(parseTestdata("sipp_uac_offer.sdp"),
                          parseTestdata("chromium156_answer_to_sipp_uac_offer.sdp"), answerParams());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sdp.media.at(0).formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_EQ(r->plans.at(0).sipRemoteAddress, "192.0.2.10");
}

// A client that answered PCMU alone (the C++ SDK): the SIP answer still accepts the offer's
// telephone-event/8000 for callgate's own DTMF; nothing of it is relayed to the client.
TEST(SipAnswer, ClientWithoutTelephoneEventKeepsCallgatesDtmf) {
  auto sip = parseTestdata("asterisk_offer.sdp");  // m=audio ... 0 8 9 18 101
  auto browser = parseTestdata("chromium156_answer_to_asterisk_offer.sdp");
  auto& b = browser.media.at(0);
  b.formats = {"0"};
  b.attributes.erase(std::remove_if(b.attributes.begin(), b.attributes.end(),
                                    [](const Attribute& a) {
                                      return (a.name == "rtpmap" || a.name == "fmtp") && a.value &&
                                             !a.value->starts_with("0 ");
                                    }),
                     b.attributes.end());
  auto r = buildSipAnswer(sip, browser, answerParams());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sdp.media.at(0).formats, (std::vector<std::string>{"0", "101"}));
  const auto& plan = r->plans.at(0);
  EXPECT_EQ(plan.sipTelephoneEventPt, 101);
  EXPECT_FALSE(plan.browserTelephoneEventPt);
  EXPECT_FALSE(plan.sipToBrowserPt.lookup(101));
}

TEST(SipAnswer, VideoPayloadTypeMapsBackToTheSipNumbers) {
  auto sip = parseTestdata("linphone_video_offer.sdp");
  auto browser = parseTestdata("chromium156_answer_to_linphone_video_offer.sdp");
  auto r = buildSipAnswer(sip, browser, answerParams());
  ASSERT_TRUE(r.ok()) << r.error().message;
  expectGolden(write(r->sdp), "sip_answer_linphone_video.sdp");
  const auto& video = r->plans.at(1);
  EXPECT_TRUE(video.active);
  EXPECT_EQ(video.sipRemoteAddress, "192.0.2.32");  // media-level c=
  EXPECT_EQ(video.sipRemoteRtcpPort, 9079);
  EXPECT_EQ(video.browserToSipPt.lookup(97), 96);  // VP8
  EXPECT_EQ(video.sipToBrowserPt.lookup(96), 97);
  EXPECT_EQ(video.browserToSipPt.lookup(98), 97);  // H264
  EXPECT_EQ(r->sdp.media.at(1).formats, (std::vector<std::string>{"96", "97"}));
  // H.264 keeps the SIP offer's fmtp (the profile the phone asked for).
  EXPECT_EQ(r->sdp.media.at(1).first("fmtp"), "97 profile-level-id=42801F;packetization-mode=1");
  const auto& audio = r->plans.at(0);
  EXPECT_EQ(audio.codecs.at(0).name, "opus");
  EXPECT_EQ(audio.browserTelephoneEventPt, 101);  // /48000: the only one offered
}

TEST(SipAnswer, BrowserDirectionShapesTheSipDirection) {
  auto sip = parseTestdata("asterisk_offer.sdp");
  auto browser = parseTestdata("chromium156_answer_to_asterisk_offer.sdp");
  setDirection(browser.media[0], Direction::RecvOnly);
  auto r = buildSipAnswer(sip, browser, answerParams());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->plans[0].relaySipToBrowser);
  EXPECT_FALSE(r->plans[0].relayBrowserToSip);
  EXPECT_EQ(findDirection(r->sdp.media[0]), Direction::RecvOnly);  // we only take from SIP
}

TEST(SipAnswer, Errors) {
  auto sip = parseTestdata("asterisk_offer.sdp");
  auto browser = parseTestdata("chromium156_answer_to_asterisk_offer.sdp");
  browser.media[0].port = 0;
  auto rejected = buildSipAnswer(sip, browser, answerParams());
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().message, "No common codecs");

  auto p = answerParams();
  p.ports.clear();
  EXPECT_EQ(buildSipAnswer(sip, parseTestdata("chromium156_answer_to_asterisk_offer.sdp"), p)
                .error()
                .message,
            "Not enough RTP ports for the offer's m-lines");
  sip.connection.reset();
  EXPECT_EQ(buildSipAnswer(sip, parseTestdata("chromium156_answer_to_asterisk_offer.sdp"),
                           answerParams())
                .error()
                .message,
            "SIP offer has no c= address for m-line 0");
}

}  // namespace
}  // namespace callgate::sdp
