#pragma once
// The media engine behind a Call: makes the SDP offer/answer and runs the media (ICE,
// DTLS-SRTP, codecs). The default engine is GStreamer webrtcbin (gst_media_engine.hpp);
// apps may plug their own through SessionOptions::mediaEngineFactory.
//
// Threading: methods are called on the SDK thread. Completion callbacks and events may be
// invoked on any thread (an engine's own threads); the SDK posts them back to its thread.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "callgate/client/result.hpp"

namespace callgate::client {

// What the local side sends.
struct AudioSource {
  enum class Kind { Tone, WavFile, Silence };
  Kind kind = Kind::Tone;
  double toneHz = 1000;  // Kind::Tone
  double toneVolume = 0.3;
  std::string path;  // Kind::WavFile (any PCM WAV, resampled; played once, then silence)
};

// What the local side does with received audio.
struct AudioSink {
  enum class Kind { Null, WavFile };
  Kind kind = Kind::Null;
  std::string path;  // Kind::WavFile: written as 16-bit mono 8 kHz PCM
};

struct MediaConstraints {
  bool audio = true;
  bool video = false;  // not supported yet: video is ignored
};

struct MediaConfig {
  MediaConstraints local;   // what we send
  MediaConstraints remote;  // what we want to receive
  AudioSource source;
  AudioSink sink;
  // Local addresses ICE may use; empty = every non-loopback interface (libnice's default).
  // The SDK adds 127.0.0.1 itself when the server URL's host is a loopback address.
  std::vector<std::string> iceLocalAddresses;
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
};

class MediaEngineFactory {
 public:
  virtual ~MediaEngineFactory() = default;
  virtual Result<std::unique_ptr<MediaEngine>> create(const MediaConfig& config, MediaEngine::EventCallback events) = 0;
};

// The GStreamer webrtcbin engine, or an Error naming what is missing (plugins).
std::shared_ptr<MediaEngineFactory> makeGstMediaEngineFactory();

}  // namespace callgate::client
