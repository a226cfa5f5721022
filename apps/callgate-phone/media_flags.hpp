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

// If argv[i] is a media flag, applies it (advancing i past its value) and returns true;
// `error` is set when its value is bad. Returns false for other flags.
bool parseMediaFlag(int argc, char** argv, int& i, client::MediaConfig& media, MediaFlags& flags, std::string& error);

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
