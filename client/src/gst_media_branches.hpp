#pragma once
// The shared state of one GStreamer call (owned by GstMediaEngine, reached from GStreamer's
// threads) and the branches hung on webrtcbin: send branches linked to its sink pads once the
// codec is known, receive branches built when a stream appears on it, and the counters
// behind MediaStats (pad probes).
#include <gst/gst.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "callgate/client/media_engine.hpp"
#include "gst_pipeline_description.hpp"
#include "wav_writer.hpp"

namespace callgate::client::detail {

struct GstCallState {
  GstElement* pipeline = nullptr;
  GstElement* webrtc = nullptr;
  MediaEngine::EventCallback events;
  MediaConfig config;
  WavWriter wav;
  std::atomic<bool> closed{false};
  std::atomic<bool> connectedReported{false};

  // Set up before PLAYING, then read-only.
  std::vector<RtpFormat> audioFormats;  // what we offer, preference order
  std::vector<RtpFormat> videoFormats;
  GstPad* audioSinkPad = nullptr;  // webrtcbin's sink pad of the audio transceiver (ours: a ref)
  GstPad* videoSinkPad = nullptr;
  GstElement* playback = nullptr;  // AudioSink::Kind::Device: the loudspeaker branch
  std::string echoProbe;           // name of the webrtcechoprobe, "" = no echo cancellation

  // Receive-side WAV timing (one streaming thread).
  GstClockTime nextPts = GST_CLOCK_TIME_NONE;

  // Counters (any thread).
  std::atomic<uint64_t> audioSamplesReceived{0};
  std::atomic<uint64_t> videoFramesSent{0};
  std::atomic<uint64_t> videoKeyFramesSent{0};
  std::atomic<uint64_t> keyFrameRequestsReceived{0};
  std::atomic<uint64_t> keyFrameRequestsSent{0};
  std::atomic<uint64_t> videoFramesReceived{0};

  mutable std::mutex mutex;  // guards the fields below
  std::string audioCodec, videoCodec, receivedAudioCodec, receivedVideoCodec;
  GstPad* videoReceivePad = nullptr;  // sink pad of the video receive branch (a ref)

  ~GstCallState();
  void emit(MediaEvent e, const std::string& info);
  MediaStats stats() const;
};

// Builds a bin from a description (ghost pads for the unlinked ends), or an error text.
Result<GstElement*> makeBin(const std::string& description);

// The send branch for `format` on webrtcbin's `sinkPad` (audio or video), started.
Outcome linkSendBranch(GstCallState& state, const RtpFormat& format, GstPad* sinkPad);

// webrtcbin "pad-added": decode the new stream into the configured sink.
void onWebrtcPadAdded(GstElement* webrtc, GstPad* pad, gpointer state);

// Sends an upstream force-key-unit event into the video receive branch's stream; webrtcbin's
// RTP session turns it into RTCP PLI (RFC 4585 §6.3.1). False if no video is received.
bool requestKeyFrame(GstCallState& state);

}  // namespace callgate::client::detail
