#include "sdp/webrtc_answer.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "sdp/codec.hpp"
#include "sdp/sip_offer.hpp"
#include "sdp/test_support.hpp"
#include "sdp/writer.hpp"

namespace callgate::sdp {
namespace {

using test::expectGolden;
using test::parseTestdata;

constexpr const char* kFingerprint =
    "3A:96:6D:57:B2:C2:C7:61:A0:46:3E:1C:97:39:D3:F7:0A:88:A0:B1:EC:03:FB:10:A5:5D:3A:37:AB:DD:"
    "02:AA";

WebRtcAnswerParams params() {
  WebRtcAnswerParams p;
  p.sessionId = 2000;
  p.sessionVersion = 1;
  p.iceUfrag = "cgUf";
  p.icePwd = "callgateIcePassword0123";
  p.fingerprint = kFingerprint;
  p.candidateIp = "203.0.113.1";
  p.candidatePort = 50000;
  p.streamId = "callgate-stream";
  p.cname = "callgate";
  p.ssrcs = {11111111, 22222222};
  return p;
}

struct Case {
  const char* offer;
  const char* sipAnswer;
  const char* golden;
};

// Builds the answer, checks it against the golden file, and checks that it parses back
// to the same model (what the browser receives is valid SDP).
WebRtcAnswer answerFor(const Case& c, const WebRtcAnswerParams& p = params()) {
  auto offer = parseTestdata(c.offer);
  auto sip = parseTestdata(c.sipAnswer);
  auto r = buildWebRtcAnswer(offer, sip, p);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return {};
  const std::string text = write(r->sdp);
  if (c.golden) expectGolden(text, c.golden);
  auto back = parse(text);
  EXPECT_TRUE(back.ok()) << (back.ok() ? "" : back.error().message);
  if (back.ok()) {
    EXPECT_EQ(*back, r->sdp);
  }
  return std::move(r).value();
}

// A client that offered PCMU alone: the SIP answer's telephone-event (offered by callgate
// itself, buildSipOffer) becomes the plan's SIP DTMF PT but is neither in the client's answer
// nor relayed to the client.
TEST(WebRtcAnswer, CallgatesOwnTelephoneEventStaysOffTheClientAnswer) {
  SessionDescription offer = parseTestdata("chromium156_audio_offer.sdp");
  auto& m = offer.media[0];
  m.formats = {"0"};
  m.attributes.erase(
      std::remove_if(m.attributes.begin(), m.attributes.end(),
                     [](const Attribute& a) { return a.name == "rtpmap" || a.name == "fmtp" || a.name == "rtcp-fb"; }),
      m.attributes.end());
  const SessionDescription sip = parseTestdata("sipp_pcmu_answer.sdp");  // m=audio 6000 RTP/AVP 0 101
  auto r = buildWebRtcAnswer(offer, sip, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& plan = r->plans[0];
  ASSERT_TRUE(plan.active);
  EXPECT_EQ(plan.sipTelephoneEventPt, std::optional<uint8_t>(101));
  EXPECT_FALSE(plan.browserTelephoneEventPt);
  EXPECT_FALSE(plan.sipToBrowserPt.lookup(101));
  EXPECT_EQ(r->sdp.media[0].formats, std::vector<std::string>{"0"});
}

TEST(WebRtcAnswer, SippPcmuWithTelephoneEventRemap) {
  auto a = answerFor({"chromium156_audio_offer.sdp", "sipp_pcmu_answer.sdp",
                      "webrtc_answer_sipp_pcmu.sdp"});
  ASSERT_EQ(a.plans.size(), 1u);
  const auto& plan = a.plans[0];
  EXPECT_TRUE(plan.active);
  EXPECT_EQ(plan.mid, "0");
  EXPECT_EQ(plan.sipRemoteAddress, "192.0.2.10");
  EXPECT_EQ(plan.sipRemoteRtpPort, 6000);
  EXPECT_EQ(plan.sipRemoteRtcpPort, 6001);  // no a=rtcp: port + 1
  ASSERT_EQ(plan.codecs.size(), 2u);
  EXPECT_EQ(plan.codecs[0].name, "PCMU");
  EXPECT_EQ(plan.codecs[0].browserPt, 0);
  EXPECT_EQ(plan.codecs[0].sipPt, 0);
  EXPECT_EQ(plan.codecs[1].name, "telephone-event");
  EXPECT_EQ(plan.browserTelephoneEventPt, 126);
  EXPECT_EQ(plan.sipTelephoneEventPt, 101);
  EXPECT_EQ(plan.browserToSipPt.lookup(126), 101);
  EXPECT_EQ(plan.sipToBrowserPt.lookup(101), 126);
  EXPECT_EQ(plan.sipToBrowserPt.lookup(126), 126);  // the PT we offered is accepted too
  EXPECT_EQ(plan.browserToSipPt.lookup(111), std::nullopt);  // opus not chosen
  EXPECT_EQ(plan.localSsrc, 11111111u);
  EXPECT_TRUE(plan.relayBrowserToSip);
  EXPECT_TRUE(plan.relaySipToBrowser);
  const auto& m = a.sdp.media[0];
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "126"}));
  EXPECT_EQ(m.first("fmtp"), "126 0-15");
}

TEST(WebRtcAnswer, BaresipOpusWithOtherPayloadTypes) {
  auto a = answerFor({"chromium156_audio_offer.sdp", "baresip_opus_answer.sdp",
                      "webrtc_answer_baresip_opus.sdp"});
  const auto& plan = a.plans.at(0);
  EXPECT_EQ(plan.codecs.at(0).name, "opus");
  EXPECT_EQ(plan.codecs.at(0).browserPt, 111);
  EXPECT_EQ(plan.codecs.at(0).sipPt, 96);
  EXPECT_EQ(plan.browserToSipPt.lookup(111), 96);
  EXPECT_EQ(plan.sipToBrowserPt.lookup(96), 111);
  EXPECT_EQ(plan.sipRemoteRtcpPort, 11397);  // a=rtcp
  EXPECT_EQ(a.sdp.media[0].formats, (std::vector<std::string>{"111", "126"}));
  // fmtp for opus is what the SIP peer asked to receive.
  EXPECT_EQ(a.sdp.media[0].first("fmtp"), "111 stereo=1;sprop-stereo=1;maxaveragebitrate=28000");
}

TEST(WebRtcAnswer, AsteriskG711PtRemapAndOrder) {
  auto a = answerFor({"chromium156_audio_offer.sdp", "asterisk_g711_answer.sdp",
                      "webrtc_answer_asterisk_g711.sdp"});
  const auto& plan = a.plans.at(0);
  EXPECT_EQ(a.sdp.media[0].formats, (std::vector<std::string>{"8", "0", "126"}));
  EXPECT_EQ(plan.codecs.at(0).name, "PCMA");
  EXPECT_EQ(plan.browserToSipPt.lookup(126), 101);
  EXPECT_EQ(plan.sipToBrowserPt.lookup(101), 126);
  EXPECT_EQ(plan.browserToSipPt.lookup(8), 8);
  EXPECT_EQ(plan.sipToBrowserPt.lookup(0), 0);
  EXPECT_EQ(plan.sipRemoteAddress, "198.51.100.5");
}

TEST(WebRtcAnswer, SessionLevelAnswerLines) {
  auto a = answerFor({"chromium156_audio_offer.sdp", "asterisk_g711_answer.sdp", nullptr});
  const auto& sdp = a.sdp;
  EXPECT_TRUE(iceLite(sdp));
  EXPECT_EQ(bundleGroup(sdp)->ids, std::vector<std::string>{"0"});
  const auto& m = sdp.media[0];
  EXPECT_EQ(m.port, 50000);
  EXPECT_EQ(m.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(m.connection->address, "203.0.113.1");
  auto cands = candidates(m);
  ASSERT_EQ(cands.size(), 1u);
  EXPECT_EQ(cands[0].address, "203.0.113.1");
  EXPECT_EQ(cands[0].port, 50000);
  EXPECT_EQ(cands[0].type, "host");
  EXPECT_EQ(cands[0].priority, 2130706431u);
  EXPECT_TRUE(m.has("end-of-candidates"));
  EXPECT_EQ(iceUfrag(sdp, m), "cgUf");
  EXPECT_EQ(icePwd(sdp, m), "callgateIcePassword0123");
  EXPECT_EQ(fingerprint(sdp, m)->value, kFingerprint);
  EXPECT_EQ(setup(sdp, m), Setup::Passive);
  EXPECT_TRUE(rtcpMux(m));
  EXPECT_EQ(msid(m)->streamId, "callgate-stream");
  EXPECT_FALSE(m.has("rtcp-fb"));  // audio: no feedback the relay would honour
  EXPECT_FALSE(m.has("extmap"));
}

TEST(WebRtcAnswer, VideoAcceptedWithMediaLevelConnectionAndOneStream) {
  auto a = answerFor({"chromium156_av_offer.sdp", "linphone_video_answer.sdp",
                      "webrtc_answer_linphone_video.sdp"});
  ASSERT_EQ(a.plans.size(), 2u);
  EXPECT_EQ(a.plans[0].sipRemoteAddress, "192.0.2.31");  // media-level c= wins
  EXPECT_EQ(a.plans[0].sipRemoteRtcpAddress, "192.0.2.31");
  EXPECT_EQ(a.plans[0].sipRemoteRtcpPort, 7079);
  EXPECT_EQ(a.plans[0].codecs.at(0).name, "PCMU");  // static PT 0 without rtpmap
  EXPECT_EQ(a.plans[0].browserToSipPt.lookup(126), 126);
  const auto& v = a.plans[1];
  EXPECT_TRUE(v.active);
  EXPECT_EQ(v.sipRemoteAddress, "192.0.2.30");
  EXPECT_EQ(v.sipRemoteRtpPort, 9078);
  ASSERT_EQ(v.codecs.size(), 2u);
  EXPECT_EQ(v.codecs[0].name, "VP8");
  EXPECT_EQ(v.codecs[0].browserPt, 96);
  EXPECT_EQ(v.codecs[1].browserPt, 102);  // 42801f: no equal profile, first mode-1 H264
  EXPECT_EQ(v.localSsrc, 22222222u);
  const auto& vm = a.sdp.media[1];
  EXPECT_EQ(vm.formats, (std::vector<std::string>{"96", "102"}));
  EXPECT_EQ(vm.all("rtcp-fb").size(), 4u);  // ccm fir and nack pli for each; no plain nack (not relayed)
  EXPECT_EQ(msid(a.sdp.media[0])->streamId, msid(vm)->streamId);
  EXPECT_NE(msid(a.sdp.media[0])->trackId, msid(vm)->trackId);
  EXPECT_EQ(bundleGroup(a.sdp)->ids, (std::vector<std::string>{"0", "1"}));
}

TEST(WebRtcAnswer, KeyframeFeedbackOfTheSipSideIsRecorded) {
  // Linphone's answer lists no rtcp-fb: keyframe requests go by SIP INFO as well.
  auto plain = answerFor({"chromium156_av_offer.sdp", "linphone_video_answer.sdp",
                          "webrtc_answer_linphone_video.sdp"});
  EXPECT_FALSE(plain.plans[1].sipKeyframeFeedback);
  auto offer = parseTestdata("chromium156_av_offer.sdp");
  for (const char* fb : {"nack pli", "ccm fir"}) {
    auto sipAnswer = parse(std::string("v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
                                       "m=audio 5004 RTP/AVP 0\r\nm=video 5006 RTP/AVP 96\r\n"
                                       "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 ") + fb + "\r\n");
    ASSERT_TRUE(sipAnswer.ok());
    auto r = buildWebRtcAnswer(offer, *sipAnswer, params());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->plans[1].sipKeyframeFeedback) << fb;
    EXPECT_FALSE(r->plans[0].sipKeyframeFeedback);
  }
}

TEST(WebRtcAnswer, VideoRejectedBySipKeepsMidAndLeavesBundle) {
  auto a = answerFor({"chromium120_av_offer.sdp", "video_rejected_answer.sdp",
                      "webrtc_answer_video_rejected.sdp"});
  ASSERT_EQ(a.sdp.media.size(), 2u);
  const auto& v = a.sdp.media[1];
  EXPECT_EQ(v.port, 0);
  EXPECT_EQ(v.media, "video");
  EXPECT_EQ(mid(v), "1");
  EXPECT_FALSE(v.has("candidate"));
  EXPECT_FALSE(a.plans[1].active);
  EXPECT_TRUE(a.plans[0].active);
  EXPECT_EQ(bundleGroup(a.sdp)->ids, std::vector<std::string>{"0"});
}

TEST(WebRtcAnswer, VideoNotOfferedToSipIsRejectedToo) {
  // The whole outgoing flow: browser offer -> SIP offer (no video) -> SIP answer.
  auto offer = parseTestdata("chromium156_av_offer.sdp");
  SipOfferParams sp;
  sp.localIp = "203.0.113.1";
  sp.ports = {40000, 40002};
  auto sipOffer = buildSipOffer(offer, sp);
  ASSERT_TRUE(sipOffer.ok());
  EXPECT_EQ(sipOffer->sdp.media[1].port, 0);
  // A peer echoing port 0 for video, PCMA for audio.
  auto sipAnswer = parse(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
      "m=audio 5004 RTP/AVP 8\r\nm=video 0 RTP/AVP 96\r\n");
  ASSERT_TRUE(sipAnswer.ok());
  auto r = buildWebRtcAnswer(offer, *sipAnswer, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sdp.media[0].formats, std::vector<std::string>{"8"});
  EXPECT_EQ(r->sdp.media[1].port, 0);
  EXPECT_FALSE(r->plans[1].active);
  EXPECT_FALSE(r->plans[0].browserTelephoneEventPt.has_value());
}

TEST(WebRtcAnswer, SipSendonlyMakesTheBrowserReceiveOnly) {
  auto a = answerFor({"chromium156_audio_offer.sdp", "sendonly_answer.sdp",
                      "webrtc_answer_sendonly.sdp"});
  const auto& plan = a.plans.at(0);
  EXPECT_EQ(plan.sipDirection, Direction::SendOnly);
  // Our answer says sendonly (we only send), so the browser only receives.
  EXPECT_EQ(plan.browserDirection, Direction::SendOnly);
  EXPECT_EQ(findDirection(a.sdp.media[0]), Direction::SendOnly);
  EXPECT_TRUE(plan.relaySipToBrowser);
  EXPECT_FALSE(plan.relayBrowserToSip);
  EXPECT_EQ(plan.sipRemoteRtcpAddress, "192.0.2.41");
  EXPECT_EQ(plan.sipRemoteRtcpPort, 30011);
  EXPECT_EQ(plan.codecs.at(0).name, "G722");
}

TEST(WebRtcAnswer, SessionLevelInactive) {
  auto a = answerFor({"chromium156_audio_offer.sdp", "inactive_answer.sdp",
                      "webrtc_answer_inactive.sdp"});
  const auto& plan = a.plans.at(0);
  EXPECT_TRUE(plan.active);  // negotiated, just paused
  EXPECT_EQ(plan.sipDirection, Direction::Inactive);
  EXPECT_EQ(plan.browserDirection, Direction::Inactive);
  EXPECT_FALSE(plan.relaySipToBrowser);
  EXPECT_FALSE(plan.relayBrowserToSip);
}

TEST(WebRtcAnswer, SipRecvonlyAndBrowserSendonlyOffer) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  setDirection(offer.media[0], Direction::SendOnly);
  auto sip = parseTestdata("asterisk_g711_answer.sdp");
  setDirection(sip.media[0], Direction::RecvOnly);
  auto r = buildWebRtcAnswer(offer, sip, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->plans[0].browserDirection, Direction::RecvOnly);
  EXPECT_TRUE(r->plans[0].relayBrowserToSip);
  EXPECT_FALSE(r->plans[0].relaySipToBrowser);
}

TEST(WebRtcAnswer, ZeroAddressHoldStopsSendingToSip) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  auto sip = parseTestdata("asterisk_g711_answer.sdp");
  sip.connection->address = "0.0.0.0";
  auto r = buildWebRtcAnswer(offer, sip, params());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->plans[0].relayBrowserToSip);
  EXPECT_TRUE(r->plans[0].relaySipToBrowser);
  EXPECT_EQ(r->plans[0].browserDirection, Direction::SendOnly);
}

TEST(WebRtcAnswer, NoCommonCodecs) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  auto sip = parseTestdata("no_common_answer.sdp");
  auto r = buildWebRtcAnswer(offer, sip, params());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "No common codecs");
  // A codec the browser offered but we did not offer to SIP (CN) does not count either.
  auto cn = parse(
      "v=0\no=- 1 1 IN IP4 192.0.2.9\ns=-\nc=IN IP4 192.0.2.9\nt=0 0\nm=audio 5004 RTP/AVP 13\n");
  ASSERT_TRUE(cn.ok());
  EXPECT_EQ(buildWebRtcAnswer(offer, *cn, params()).error().message, "No common codecs");
  // A SIP answer without any m-line.
  auto bare = parse("v=0\no=- 1 1 IN IP4 192.0.2.9\ns=-\nt=0 0\n");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(buildWebRtcAnswer(offer, *bare, params()).error().message, "No common codecs");
}

TEST(WebRtcAnswer, MissingConnectionIsAnError) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  auto sip = parseTestdata("asterisk_g711_answer.sdp");
  sip.connection.reset();
  auto r = buildWebRtcAnswer(offer, sip, params());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "SIP answer has no c= address for m-line 0");
}

TEST(WebRtcAnswer, ValidatesParams) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  auto sip = parseTestdata("asterisk_g711_answer.sdp");
  auto p = params();
  p.icePwd = "short";
  EXPECT_EQ(buildWebRtcAnswer(offer, sip, p).error().message,
            "Invalid answer parameters: ice-pwd shorter than 22 characters");
  p = params();
  p.iceUfrag = "abc";
  EXPECT_FALSE(buildWebRtcAnswer(offer, sip, p).ok());
  p = params();
  p.fingerprint.clear();
  EXPECT_FALSE(buildWebRtcAnswer(offer, sip, p).ok());
  p = params();
  p.candidatePort = 0;
  EXPECT_FALSE(buildWebRtcAnswer(offer, sip, p).ok());
  p = params();
  p.streamId.clear();
  EXPECT_FALSE(buildWebRtcAnswer(offer, sip, p).ok());
}

TEST(WebRtcAnswer, TrackIdsSsrcsAndNoBundleOffer) {
  auto offer = parseTestdata("chromium156_audio_offer.sdp");
  offer.remove("group");
  auto sip = parseTestdata("asterisk_g711_answer.sdp");
  auto p = params();
  p.trackIds = {"my-audio"};
  p.ssrcs.clear();
  p.cname.clear();
  auto r = buildWebRtcAnswer(offer, sip, p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(bundleGroup(r->sdp).has_value());  // cannot answer a group not offered
  EXPECT_EQ(msid(r->sdp.media[0])->trackId, "my-audio");
  EXPECT_FALSE(r->sdp.media[0].has("ssrc"));
  EXPECT_EQ(r->plans[0].localSsrc, 0u);
}

TEST(PtMap, LookupAndBounds) {
  PtMap m;
  EXPECT_EQ(m.lookup(0), std::nullopt);
  m.set(101, 126);
  EXPECT_EQ(m.lookup(101), 126);
  EXPECT_FALSE(m.setIfUnmapped(101, 5));
  EXPECT_TRUE(m.setIfUnmapped(0, 0));
  EXPECT_EQ(m.lookup(0), 0);
  m.set(200, 1);  // out of range: ignored
  EXPECT_EQ(m.lookup(200), std::nullopt);
}

}  // namespace
}  // namespace callgate::sdp
