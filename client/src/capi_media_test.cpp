// The C API's media options and stats.
#include "capi_media.hpp"

#include <gtest/gtest.h>

namespace callgate::client::detail {
namespace {

TEST(CapiMedia, CodecListsVideoAndRecordRate) {
  cg_call_options o{};
  MediaConfig m;
  applyMediaOptions(o, m);  // all zero: defaults
  EXPECT_EQ(m.audioCodecs, (std::vector<AudioCodec>{AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma}));
  EXPECT_FALSE(m.local.video);
  EXPECT_EQ(m.sink.sampleRate, 8000u);

  o.audio_codecs = "PCMA,g729,opus";
  o.video = 1;
  o.video_codecs = "h264";
  o.record_rate = 48000;
  applyMediaOptions(o, m);
  EXPECT_EQ(m.audioCodecs, (std::vector<AudioCodec>{AudioCodec::Pcma, AudioCodec::Opus}));
  EXPECT_TRUE(m.local.video && m.remote.video);
  EXPECT_EQ(m.videoCodecs, (std::vector<VideoCodec>{VideoCodec::H264}));
  EXPECT_EQ(m.sink.sampleRate, 48000u);

  MediaConfig unchanged;
  o.audio_codecs = "g729";
  applyMediaOptions(o, unchanged);
  EXPECT_EQ(unchanged.audioCodecs.size(), 3u);
}

TEST(CapiMedia, StatsCopiedWithBoundedNames) {
  MediaStats s;
  s.audioCodec = "OPUS/48000/2";
  s.videoCodec = std::string(100, 'x');
  s.videoFramesReceived = 42;
  cg_media_stats out;
  copyMediaStats(s, out);
  EXPECT_STREQ(out.audio_codec, "OPUS/48000/2");
  EXPECT_EQ(std::string(out.video_codec), std::string(31, 'x'));
  EXPECT_EQ(out.video_frames_received, 42u);
}

}  // namespace
}  // namespace callgate::client::detail
