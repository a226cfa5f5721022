#include "dtmf_sdp.hpp"

#include <gtest/gtest.h>

namespace callgate::client::detail {
namespace {

// What webrtcbin offers (trimmed): PCMU only, no telephone-event.
const std::string kWebrtcbinOffer =
    "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE audio0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=rtcp-mux\r\na=sendrecv\r\n"
    "a=rtpmap:0 PCMU/8000\r\na=rtcp-fb:0 transport-cc\r\na=mid:audio0\r\n";

TEST(DtmfSdp, AddsTelephoneEventToTheAudioLine) {
  const std::string out = addTelephoneEvent(kWebrtcbinOffer);
  EXPECT_NE(out.find("m=audio 9 UDP/TLS/RTP/SAVPF 0 101\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(telephoneEventPt(out), 101);
  EXPECT_EQ(addTelephoneEvent(out), out);  // already there: unchanged
  EXPECT_EQ(telephoneEventPt(kWebrtcbinOffer), -1);
}

TEST(DtmfSdp, PicksAFreePayloadTypeAndLeavesOtherSdpsAlone) {
  const std::string taken = "m=audio 9 RTP/AVP 0 101\r\na=rtpmap:101 opus/48000/2\r\n";
  EXPECT_EQ(telephoneEventPt(addTelephoneEvent(taken)), 96);
  EXPECT_EQ(addTelephoneEvent("v=0\r\nm=video 9 RTP/AVP 96\r\n"), "v=0\r\nm=video 9 RTP/AVP 96\r\n");
  EXPECT_EQ(addTelephoneEvent(""), "");
}

TEST(DtmfSdp, RemovesTelephoneEventOnlyFromTheAudioLine) {
  const std::string answer =
      "v=0\r\nm=audio 5000 UDP/TLS/RTP/SAVPF 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
      "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=mid:audio0\r\n"
      "m=video 5002 RTP/AVP 101\r\na=rtpmap:101 VP8/90000\r\n";
  const std::string out = removeTelephoneEvent(answer);
  EXPECT_EQ(out,
            "v=0\r\nm=audio 5000 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\na=mid:audio0\r\n"
            "m=video 5002 RTP/AVP 101\r\na=rtpmap:101 VP8/90000\r\n");
  EXPECT_EQ(removeTelephoneEvent(kWebrtcbinOffer), kWebrtcbinOffer);
  EXPECT_EQ(removeTelephoneEvent(addTelephoneEvent(kWebrtcbinOffer)), kWebrtcbinOffer);
}

}  // namespace
}  // namespace callgate::client::detail
