// Reading RTP formats from SDP text: answers, offers (our preference, their PT), H.264
// modes, static PTs, and the bundle-only port fix-up.
#include "sdp_formats.hpp"

#include <gtest/gtest.h>

#include "gst_pipeline_description.hpp"

namespace callgate::client::detail {
namespace {

const HasElement kAll = [](const std::string&) { return true; };

const char* kAnswer =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 110\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10\r\n"
    "a=rtpmap:110 telephone-event/48000\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n";

TEST(SdpFormats, AnswerFirstMediaFormatIsTheChoice) {
  auto a = answeredFormat(kAnswer, "audio");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->sdpName(), "OPUS/48000/2");
  EXPECT_EQ(a->payload, 111);
  EXPECT_EQ(a->fmtp, "minptime=10");
  auto v = answeredFormat(kAnswer, "video");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->sdpName(), "VP8/90000");
  // Telephone-event alone is no media; a refused (port 0) m-line has no format.
  EXPECT_FALSE(answeredFormat("m=audio 9 RTP/SAVPF 101\r\na=rtpmap:101 telephone-event/8000\r\n", "audio"));
  EXPECT_FALSE(answeredFormat("m=video 0 RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n", "video"));
  // Static PT without rtpmap (RFC 3551).
  auto pcma = answeredFormat("m=audio 4000 RTP/AVP 8 101\r\n", "audio");
  ASSERT_TRUE(pcma);
  EXPECT_EQ(pcma->sdpName(), "PCMA/8000");
}

TEST(SdpFormats, ChooseFromOfferTakesOurPreferenceWithTheirPayloadType) {
  auto offered = sdpFormats(
      "m=audio 9 UDP/TLS/RTP/SAVPF 0 8 96 101\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n",
      "audio");
  auto opusFirst = chooseFromOffer(offered, audioOffer({}));
  ASSERT_TRUE(opusFirst);
  EXPECT_EQ(opusFirst->sdpName(), "OPUS/48000/2");
  EXPECT_EQ(opusFirst->payload, 96);
  auto pcma = chooseFromOffer(offered, audioOffer({AudioCodec::Pcma, AudioCodec::Opus}));
  ASSERT_TRUE(pcma);
  EXPECT_EQ(pcma->sdpName(), "PCMA/8000");
  EXPECT_FALSE(chooseFromOffer(sdpFormats("m=audio 9 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n", "audio"), audioOffer({})));
  // H.264 needs packetization-mode=1.
  auto h264 = sdpFormats(
      "m=video 9 RTP/SAVPF 97 98\r\na=rtpmap:97 H264/90000\r\na=fmtp:97 packetization-mode=0\r\n"
      "a=rtpmap:98 H264/90000\r\na=fmtp:98 profile-level-id=42e01f;packetization-mode=1\r\n",
      "video");
  auto chosen = chooseFromOffer(h264, videoOffer({VideoCodec::H264}, kAll));
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->payload, 98);
}

TEST(SdpFormats, BundleOnlyMediaGetAPortForCallgate) {
  const std::string in =
      "v=0\r\na=group:BUNDLE audio0 video1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:audio0\r\n"
      "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=bundle-only\r\na=mid:video1\r\n"
      "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:x\r\n";
  EXPECT_EQ(withoutBundleOnly(in),
            "v=0\r\na=group:BUNDLE audio0 video1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:audio0\r\n"
            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:video1\r\n"
            "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:x\r\n");  // refused stays refused
}

}  // namespace
}  // namespace callgate::client::detail
