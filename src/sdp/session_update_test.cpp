#include "sdp/session_update.hpp"

#include <gtest/gtest.h>

#include "sdp/parser.hpp"
#include "sdp/writer.hpp"

namespace callgate::sdp {
namespace {

SessionDescription parsed(const std::string& text) {
  auto r = parse(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : SessionDescription{};
}

const std::string kOurs =
    "v=0\r\no=callgate 77 1 IN IP4 10.0.0.1\r\ns=callgate\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
    "m=audio 20000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
    "m=video 0 RTP/AVP 96\r\n";

MediaPlan audioPlan() {
  MediaPlan plan;
  plan.index = 0;
  plan.media = "audio";
  plan.active = true;
  plan.sipRemoteAddress = "192.0.2.50";
  plan.sipRemoteRtpPort = 5000;
  plan.relayBrowserToSip = plan.relaySipToBrowser = true;
  plan.codecs.push_back(CodecMapping{"PCMU", 8000, 1, 0, 0, std::nullopt});
  plan.sipToBrowserPt.set(0, 0);
  return plan;
}

TEST(SessionUpdate, NextDescriptionSetsDirectionAndBumpsVersionOnly) {
  auto next = nextLocalDescription(parsed(kOurs), Direction::SendOnly);
  EXPECT_EQ(next.origin.sessionVersion, "2");
  EXPECT_EQ(next.origin.sessionId, "77");
  EXPECT_EQ(findDirection(next.media[0]), Direction::SendOnly);
  EXPECT_FALSE(findDirection(next.media[1]));  // a rejected m-line stays as it was
  EXPECT_EQ(next.media[0].formats, (std::vector<std::string>{"0", "101"}));
  auto again = nextLocalDescription(next, Direction::SendRecv, {Direction::Inactive});
  EXPECT_EQ(again.origin.sessionVersion, "3");
  EXPECT_EQ(findDirection(again.media[0]), Direction::Inactive);
}

TEST(SessionUpdate, AnswerDirectionMirrorsTheOfferAndReadsNullAddressAsHold) {
  auto offer = parsed("v=0\r\no=- 1 2 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n"
                      "m=audio 5000 RTP/AVP 0\r\na=sendonly\r\n");
  EXPECT_EQ(answerDirection(offer, offer.media[0]), Direction::RecvOnly);
  EXPECT_TRUE(isRemoteHold(offer));
  auto rfc2543 = parsed("v=0\r\no=- 1 2 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                        "m=audio 5000 RTP/AVP 0\r\n");
  EXPECT_EQ(answerDirection(rfc2543, rfc2543.media[0]), Direction::Inactive);
  EXPECT_TRUE(isRemoteHold(rfc2543));
  auto active = parsed("v=0\r\no=- 1 2 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\n"
                       "m=audio 5000 RTP/AVP 0\r\n");
  EXPECT_FALSE(isRemoteHold(active));
}

TEST(SessionUpdate, RefreshTakesNewAddressDirectionAndExtraPtNumbers) {
  std::vector<MediaPlan> plans{audioPlan()};
  auto reoffer = parsed("v=0\r\no=- 1 3 IN IP4 192.0.2.60\r\ns=-\r\nc=IN IP4 192.0.2.60\r\nt=0 0\r\n"
                        "m=audio 6000 RTP/AVP 98\r\na=rtpmap:98 PCMU/8000\r\na=sendonly\r\n");
  ASSERT_TRUE(refreshPlans(plans, reoffer, true));
  EXPECT_EQ(plans[0].sipRemoteAddress, "192.0.2.60");
  EXPECT_EQ(plans[0].sipRemoteRtpPort, 6000);
  EXPECT_EQ(plans[0].sipRemoteRtcpPort, 6001);
  EXPECT_TRUE(plans[0].relaySipToBrowser);
  EXPECT_FALSE(plans[0].relayBrowserToSip);  // the peer only sends now
  EXPECT_EQ(plans[0].sipToBrowserPt.lookup(98), std::optional<uint8_t>(0));
}

TEST(SessionUpdate, ReofferWithoutTheAgreedCodecIsRefused) {
  std::vector<MediaPlan> plans{audioPlan()};
  auto reoffer = parsed("v=0\r\no=- 1 3 IN IP4 192.0.2.60\r\ns=-\r\nc=IN IP4 192.0.2.60\r\nt=0 0\r\n"
                        "m=audio 6000 RTP/AVP 8\r\n");
  auto r = refreshPlans(plans, reoffer, true);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("No common codecs"), std::string::npos);
  EXPECT_EQ(plans[0].sipRemoteRtpPort, 5000);  // untouched on refusal
  // An answer to our own re-offer is not checked for codecs (it must use ours).
  EXPECT_TRUE(refreshPlans(plans, reoffer, false));
}

TEST(SessionUpdate, FewerMLinesIsAnError) {
  std::vector<MediaPlan> plans{audioPlan()};
  auto empty = parsed("v=0\r\no=- 1 3 IN IP4 192.0.2.60\r\ns=-\r\nt=0 0\r\n");
  EXPECT_FALSE(refreshPlans(plans, empty, true));
}

}  // namespace
}  // namespace callgate::sdp
