#include "media_flags.hpp"

#include <charconv>
#include <chrono>
#include <sstream>

namespace callgate::phone {

using namespace client;

const char* const kMediaHelp = R"(Media:
  --codec LIST            audio codecs to offer, in order: opus,pcmu,pcma (default all, Opus first)
  --wav-rate HZ           sample rate of the --record file (default 8000)
  --mic                   send the default microphone (autoaudiosrc)
  --mic-element NAME      capture element (pulsesrc, alsasrc, ...); implies --mic
  --mic-device DEV        its device property (e.g. hw:1)
  --speaker               play received audio on the default output (autoaudiosink)
  --speaker-element NAME  playback element (pulsesink, alsasink, ...); implies --speaker
  --speaker-device DEV    its device property
  --no-aec                no echo cancellation (default on with --mic and --speaker: webrtcdsp)
  --video                 send and receive video (test pattern; received frames are counted)
  --video-codec LIST      vp8,h264 (default both, VP8 first)
  --video-pattern NAME    videotestsrc pattern (smpte, ball, snow, ...)
  --camera DEV            send a V4L2 camera (e.g. /dev/video0); implies --video
  --video-window          show received video (autovideosink)
  --video-record FILE.mkv write received video (as received, Matroska); implies --video
  --keyframe-request SEC  ask the far end for a key frame (RTCP PLI) SEC s after ESTABLISHED
  After a call, before the result line: "media audio <sent codec> received <codec> samples N
  [aec]" and, with video, "media video <codec> sent N key N requests-in N received N
  requests-out N".
)";

namespace {

template <class T, class Parse>
bool parseList(const std::string& v, std::vector<T>& out, Parse parse) {
  out.clear();
  std::istringstream in(v);
  std::string item;
  while (std::getline(in, item, ',')) {
    auto c = parse(item);
    if (!c) return false;
    out.push_back(*c);
  }
  return !out.empty();
}

std::optional<double> positive(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

const char* const kMediaSwitches[] = {"--mic", "--speaker", "--no-aec", "--video", "--video-window"};
const char* const kMediaWithValue[] = {"--codec",         "--wav-rate",    "--mic-element",   "--mic-device",
                                       "--speaker-element", "--speaker-device", "--video-codec", "--video-pattern",
                                       "--camera",          "--keyframe-request", "--video-record"};

bool isMediaSwitch(const std::string& flag) {
  for (const char* f : kMediaSwitches)
    if (flag == f) return true;
  return false;
}

bool isMediaFlag(const std::string& flag) {
  if (isMediaSwitch(flag)) return true;
  for (const char* f : kMediaWithValue)
    if (flag == f) return true;
  return false;
}

std::string applyMediaFlag(MediaConfig& media, MediaFlags& flags, const std::string& flag, const std::string& v) {
  std::string error;
  if (flag == "--mic") {
    media.source.kind = AudioSource::Kind::Device;
  } else if (flag == "--speaker") {
    media.sink.kind = AudioSink::Kind::Device;
  } else if (flag == "--no-aec") {
    media.echoCancellation = false;
  } else if (flag == "--video") {
    media.local.video = media.remote.video = true;
  } else if (flag == "--video-window") {
    media.videoSink.kind = VideoSink::Kind::Device;
  } else if (flag == "--codec") {
    if (!parseList(v, media.audioCodecs, audioCodecFromString)) error = "--codec must list opus, pcmu, pcma";
  } else if (flag == "--video-codec") {
    if (!parseList(v, media.videoCodecs, videoCodecFromString)) error = "--video-codec must list vp8, h264";
  } else if (flag == "--wav-rate") {
    auto n = positive(v);
    if (!n || (*n != 8000 && *n != 16000 && *n != 32000 && *n != 44100 && *n != 48000))
      error = "--wav-rate must be 8000, 16000, 32000, 44100 or 48000";
    else
      media.sink.sampleRate = static_cast<uint32_t>(*n);
  } else if (flag == "--mic-element") {
    media.source.kind = AudioSource::Kind::Device;
    media.source.element = v;
  } else if (flag == "--mic-device") {
    media.source.kind = AudioSource::Kind::Device;
    media.source.device = v;
  } else if (flag == "--speaker-element") {
    media.sink.kind = AudioSink::Kind::Device;
    media.sink.element = v;
  } else if (flag == "--speaker-device") {
    media.sink.kind = AudioSink::Kind::Device;
    media.sink.device = v;
  } else if (flag == "--video-pattern") {
    media.local.video = media.remote.video = true;
    media.videoSource.pattern = v;
  } else if (flag == "--camera") {
    media.local.video = media.remote.video = true;
    media.videoSource.kind = VideoSource::Kind::Device;
    media.videoSource.device = v;
  } else if (flag == "--video-record") {
    media.local.video = media.remote.video = true;
    media.videoSink.kind = VideoSink::Kind::File;
    media.videoSink.path = v;
  } else if (flag == "--keyframe-request") {
    auto n = positive(v);
    if (!n)
      error = "--keyframe-request must be a positive number of seconds";
    else
      flags.keyFrameRequestAt = *n;
  } else {
    error = "unknown option " + flag;
  }
  return error;
}

MediaConfig composeMedia(const MediaConfig& media, const AudioSource& source, const AudioSink& sink) {
  MediaConfig m = media;
  if (media.source.kind != AudioSource::Kind::Device) m.source = source;
  if (sink.kind != AudioSink::Kind::Null) {
    m.sink.kind = sink.kind;
    m.sink.path = sink.path;
  }
  return m;
}

MediaActions::~MediaActions() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MediaActions::onEstablished(const MediaFlags& flags, std::shared_ptr<Call> call) {
  if (flags.keyFrameRequestAt <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this, call = std::move(call), at = flags.keyFrameRequestAt] {
    std::unique_lock lock(mutex_);
    if (cv_.wait_for(lock, std::chrono::duration<double>(at), [this] { return stop_; })) return;
    call->requestKeyFrame().ok();  // the call may have ended: nothing to do then
  });
}

std::string mediaSummary(const MediaStats& s) {
  std::string out = "media audio " + (s.audioCodec.empty() ? std::string("-") : s.audioCodec) + " received " +
                    (s.receivedAudioCodec.empty() ? std::string("-") : s.receivedAudioCodec) + " samples " +
                    std::to_string(s.audioSamplesReceived) + (s.echoCancellation ? " aec" : "");
  if (!s.videoCodec.empty() || !s.receivedVideoCodec.empty()) {
    out += "\nmedia video " + (s.videoCodec.empty() ? std::string("-") : s.videoCodec) + " sent " +
           std::to_string(s.videoFramesSent) + " key " + std::to_string(s.videoKeyFramesSent) + " requests-in " +
           std::to_string(s.keyFrameRequestsReceived) + " received " + std::to_string(s.videoFramesReceived) +
           " requests-out " + std::to_string(s.keyFrameRequestsSent);
  }
  return out;
}

}  // namespace callgate::phone
