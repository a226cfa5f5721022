#include "capi_media.hpp"

#include <cstring>
#include <sstream>

namespace callgate::client::detail {
namespace {

template <class T, class Parse>
void parseList(const char* text, std::vector<T>& out, Parse parse) {
  if (!text || !*text) return;
  std::vector<T> list;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (auto c = parse(item)) list.push_back(*c);
  }
  if (!list.empty()) out = std::move(list);
}

void copyName(const std::string& from, char (&to)[32]) {
  std::strncpy(to, from.c_str(), sizeof to - 1);
  to[sizeof to - 1] = '\0';
}

}  // namespace

void applyMediaOptions(const cg_call_options& o, MediaConfig& m) {
  parseList(o.audio_codecs, m.audioCodecs, audioCodecFromString);
  parseList(o.video_codecs, m.videoCodecs, videoCodecFromString);
  if (o.video) m.local.video = m.remote.video = true;
  if (o.record_rate > 0) m.sink.sampleRate = static_cast<uint32_t>(o.record_rate);
}

void copyMediaStats(const MediaStats& s, cg_media_stats& out) {
  out = cg_media_stats{};
  copyName(s.audioCodec, out.audio_codec);
  copyName(s.videoCodec, out.video_codec);
  out.audio_samples_received = s.audioSamplesReceived;
  out.video_frames_sent = s.videoFramesSent;
  out.video_key_frames_sent = s.videoKeyFramesSent;
  out.key_frame_requests_received = s.keyFrameRequestsReceived;
  out.video_frames_received = s.videoFramesReceived;
}

}  // namespace callgate::client::detail
