#pragma once
// callgate-phone's media flags (codecs, video, devices, key frame requests) and the media
// summary it prints at the end of a call: kept apart from main.cpp's call flow.
#include <callgate/client/client.hpp>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace callgate::phone {

extern const char* const kMediaHelp;

// What the media flags asked for besides MediaConfig.
struct MediaFlags {
  double keyFrameRequestAt = 0;  // --keyframe-request SEC after ESTABLISHED (0 = none)
};

// Media flags without a value (--mic, --video, ...) and all media flags.
bool isMediaSwitch(const std::string& flag);
bool isMediaFlag(const std::string& flag);
// Applies one media flag (`value` is ignored for switches). Returns an error message or "".
std::string applyMediaFlag(client::MediaConfig& media, MediaFlags& flags, const std::string& flag,
                           const std::string& value);

// The call's media: the media flags' MediaConfig with the basic source/sink flags (--tone,
// --play, --silence, --record) applied over it unless a device was chosen.
client::MediaConfig composeMedia(const client::MediaConfig& media, const client::AudioSource& source,
                                 const client::AudioSink& sink);

// Runs what the flags schedule after ESTABLISHED (a key frame request) on its own thread.
class MediaActions {
 public:
  ~MediaActions();
  void onEstablished(const MediaFlags& flags, std::shared_ptr<client::Call> call);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// "media audio OPUS/48000/2 received OPUS/48000/2 samples 96000" and, with video, "media video
// VP8/90000 sent 60 key 2 requests-in 1 received 58 requests-out 1".
std::string mediaSummary(const client::MediaStats& s);

}  // namespace callgate::phone
