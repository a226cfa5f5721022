#pragma once
// The media engine behind a Call: makes the SDP offer/answer and runs the media (ICE,
// DTLS-SRTP, codecs). The default engine is GStreamer webrtcbin (gst_media_engine.cpp);
// apps may plug their own through SessionOptions::mediaEngineFactory.
//
// Threading: methods are called on the SDK thread, except stats(), which may be called from
// any thread. Completion callbacks and events may be invoked on any thread (an engine's own
// threads); the SDK posts them back to its thread.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callgate/client/result.hpp"

namespace callgate::client {

// Audio codecs the GStreamer engine offers and decodes: Opus/48000/2 (RFC 7587), G.711
// µ-law (PCMU/8000, PT 0) and A-law (PCMA/8000, PT 8).
enum class AudioCodec { Opus, Pcmu, Pcma };
// Video codecs: VP8 (RFC 7741) and H.264 packetization-mode 1 (RFC 6184; needs the
// openh264 or x264 GStreamer encoder, else it is left out of offers).
enum class VideoCodec { Vp8, H264 };

const char* toString(AudioCodec codec);  // "opus", "pcmu", "pcma"
const char* toString(VideoCodec codec);  // "vp8", "h264"
// Case-insensitive; also accepts the SDP names ("PCMU", "OPUS", "VP8", "H264").
std::optional<AudioCodec> audioCodecFromString(std::string_view name);
std::optional<VideoCodec> videoCodecFromString(std::string_view name);

// What the local side sends.
struct AudioSource {
  enum class Kind { Tone, WavFile, Silence, Device };
  Kind kind = Kind::Tone;
  double toneHz = 1000;  // Kind::Tone
  double toneVolume = 0.3;
  std::string path;  // Kind::WavFile (any PCM WAV, resampled; played once, then silence)
  // Kind::Device: a GStreamer capture element (default autoaudiosrc; e.g. pulsesrc, alsasrc),
  // optionally with properties in gst-launch syntax ("pulsesrc buffer-time=20000"), and,
  // when not empty, the value of its `device` property (e.g. "hw:1" for alsasrc).
  std::string element;
  std::string device;
};

// What the local side does with received audio.
struct AudioSink {
  enum class Kind { Null, WavFile, Device };
  Kind kind = Kind::Null;
  std::string path;          // Kind::WavFile: 16-bit mono PCM at sampleRate
  uint32_t sampleRate = 8000;  // Kind::WavFile: whatever the codec, audio is resampled to this
  // Kind::Device: a GStreamer playback element (default autoaudiosink; e.g. pulsesink; as
  // for AudioSource::element, properties may follow its name) and optionally its `device`.
  std::string element;
  std::string device;
};

// What the local side sends as video (MediaConstraints::video on the local side).
struct VideoSource {
  enum class Kind { TestPattern, Device };
  Kind kind = Kind::TestPattern;
  std::string pattern = "smpte";  // Kind::TestPattern: videotestsrc pattern (smpte, ball, snow, ...)
  // Kind::Device: a GStreamer capture element (default v4l2src) and optionally its `device`
  // property ("/dev/video0").
  std::string element;
  std::string device;
  int width = 320;
  int height = 240;
  int framerate = 15;
  int bitrateKbps = 300;
  // A key frame every this many seconds besides those the far end asks for (RTCP PLI/FIR);
  // 0 = only the first one and requested ones (what browsers do).
  double keyFrameInterval = 0;
};

// What the local side does with received video. Decoded frames are always counted
// (MediaStats::videoFramesReceived).
struct VideoSink {
  enum class Kind { Null, Device, File };
  Kind kind = Kind::Null;
  std::string element;  // Kind::Device: default autovideosink (a window)
  std::string device;
  // Kind::File: a Matroska file (.mkv) of the received stream as it arrived (VP8 / H.264,
  // not re-encoded), written in streaming mode: playable without EOS, but without an index
  // or duration.
  std::string path;
};

// Mirrors the Web SDK's constraints {audio, video}.
struct MediaConstraints {
  bool audio = true;
  bool video = false;
};

struct MediaConfig {
  MediaConstraints local;   // what we send
  MediaConstraints remote;  // what we want to receive
  AudioSource source;
  AudioSink sink;
  VideoSource videoSource;
  VideoSink videoSink;
  // Offered in this order (an incoming offer: our first codec that it lists). The far end
  // picks; telephone-event (RFC 4733) is offered at 48000 and 8000 Hz alongside. Empty =
  // the default order.
  std::vector<AudioCodec> audioCodecs{AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma};
  std::vector<VideoCodec> videoCodecs{VideoCodec::Vp8, VideoCodec::H264};
  // Acoustic echo cancellation (GStreamer webrtcdsp + webrtcechoprobe) when both the source
  // and the sink are devices. Without the elements the call goes on without it (logged).
  bool echoCancellation = true;
  // Local addresses ICE may use; empty = every non-loopback interface (libnice's default).
  // The SDK adds 127.0.0.1 itself when the server URL's host is a loopback address.
  std::vector<std::string> iceLocalAddresses;
};

// What the media engine has seen so far. Codec names are the negotiated SDP names
// ("OPUS/48000/2", "PCMU/8000", "VP8/90000"), empty when that media is not flowing.
struct MediaStats {
  std::string audioCodec;  // what we send (the answer's first audio codec)
  std::string videoCodec;
  std::string receivedAudioCodec;  // what arrived (the RTP stream's format)
  std::string receivedVideoCodec;
  uint64_t audioSamplesReceived = 0;  // decoded, at the decoder's rate
  uint64_t videoFramesSent = 0;       // encoded frames
  uint64_t videoKeyFramesSent = 0;
  uint64_t keyFrameRequestsReceived = 0;  // RTCP PLI/FIR from the far end, as encoder requests
  uint64_t keyFrameRequestsSent = 0;      // ours (Call::requestKeyFrame, packet loss)
  uint64_t videoFramesReceived = 0;       // decoded
  bool echoCancellation = false;          // webrtcdsp is running
};

enum class MediaEvent { Connected, Failed, Closed };

class MediaEngine {
 public:
  using SdpCallback = std::function<void(Result<std::string>)>;
  using DoneCallback = std::function<void(Outcome)>;
  using EventCallback = std::function<void(MediaEvent, const std::string& info)>;

  virtual ~MediaEngine() = default;
  // Outgoing call: our offer (complete SDP text).
  virtual void createOffer(SdpCallback done) = 0;
  // Incoming call: apply the server's offer and make our answer.
  virtual void createAnswer(const std::string& remoteOffer, SdpCallback done) = 0;
  // Outgoing call: apply the server's answer.
  virtual void setRemoteDescription(const std::string& remoteAnswer, DoneCallback done) = 0;
  // Stops media and finalises sinks (a WAV file is complete when close() returns).
  virtual void close() = 0;
  // Counters so far; after close(), the final ones. Any thread.
  virtual MediaStats stats() const { return {}; }
  // Asks the far end for a video key frame (RTCP PLI, RFC 4585 §6.3.1).
  virtual void requestKeyFrame() {}
};

class MediaEngineFactory {
 public:
  virtual ~MediaEngineFactory() = default;
  virtual Result<std::unique_ptr<MediaEngine>> create(const MediaConfig& config, MediaEngine::EventCallback events) = 0;
};

// The GStreamer webrtcbin engine, or an Error naming what is missing (plugins).
std::shared_ptr<MediaEngineFactory> makeGstMediaEngineFactory();

}  // namespace callgate::client
