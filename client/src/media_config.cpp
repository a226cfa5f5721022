// Names of the codec choices in MediaConfig (flags, config files, logs).
#include <cctype>

#include "callgate/client/media_engine.hpp"

namespace callgate::client {
namespace {
bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}
}  // namespace

const char* toString(AudioCodec codec) {
  switch (codec) {
    case AudioCodec::Opus: return "opus";
    case AudioCodec::Pcmu: return "pcmu";
    case AudioCodec::Pcma: return "pcma";
  }
  return "?";
}

const char* toString(VideoCodec codec) {
  switch (codec) {
    case VideoCodec::Vp8: return "vp8";
    case VideoCodec::H264: return "h264";
  }
  return "?";
}

std::optional<AudioCodec> audioCodecFromString(std::string_view name) {
  for (AudioCodec c : {AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma}) {
    if (equalsIgnoreCase(name, toString(c))) return c;
  }
  return std::nullopt;
}

std::optional<VideoCodec> videoCodecFromString(std::string_view name) {
  for (VideoCodec c : {VideoCodec::Vp8, VideoCodec::H264}) {
    if (equalsIgnoreCase(name, toString(c))) return c;
  }
  return std::nullopt;
}

}  // namespace callgate::client
