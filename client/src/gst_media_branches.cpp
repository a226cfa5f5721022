#include "gst_media_branches.hpp"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include <algorithm>

namespace callgate::client::detail {
namespace {

bool isForceKeyUnit(GstEvent* event) {
  return GST_EVENT_TYPE(event) == GST_EVENT_CUSTOM_UPSTREAM && gst_video_event_is_force_key_unit(event);
}

// Encoder output: frames and key frames sent; upstream force-key-unit events are the far
// end's PLI/FIR (webrtcbin's RTP session turns them into these, RFC 5104 §4.3.1.2).
GstPadProbeReturn onEncoderOutput(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* state = static_cast<GstCallState*>(data);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
    state->videoFramesSent++;
    if (!GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT)) state->videoKeyFramesSent++;
  } else if (info->type & GST_PAD_PROBE_TYPE_EVENT_UPSTREAM) {
    if (isForceKeyUnit(GST_PAD_PROBE_INFO_EVENT(info))) state->keyFrameRequestsReceived++;
  }
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn onVideoDecoded(GstPad*, GstPadProbeInfo*, gpointer data) {
  static_cast<GstCallState*>(data)->videoFramesReceived++;
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn onAudioDecoded(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  auto* state = static_cast<GstCallState*>(data);
  int channels = 1;
  if (GstCaps* caps = gst_pad_get_current_caps(pad)) {
    gst_structure_get_int(gst_caps_get_structure(caps, 0), "channels", &channels);
    gst_caps_unref(caps);
  }
  // The decoders we use output S16 (2 bytes per sample).
  state->audioSamplesReceived += gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info)) / (2 * std::max(1, channels));
  return GST_PAD_PROBE_OK;
}

// Our own requests (Call::requestKeyFrame) and the depayloader's (packet loss).
GstPadProbeReturn onVideoUpstream(GstPad*, GstPadProbeInfo* info, gpointer data) {
  if (isForceKeyUnit(GST_PAD_PROBE_INFO_EVENT(info))) static_cast<GstCallState*>(data)->keyFrameRequestsSent++;
  return GST_PAD_PROBE_OK;
}

void addProbe(GstElement* bin, const char* element, const char* padName, GstPadProbeType type,
              GstPadProbeCallback callback, GstCallState* state) {
  GstElement* e = gst_bin_get_by_name(GST_BIN(bin), element);
  if (!e) return;
  if (GstPad* pad = gst_element_get_static_pad(e, padName)) {
    gst_pad_add_probe(pad, type, callback, state, nullptr);
    gst_object_unref(pad);
  }
  gst_object_unref(e);
}

constexpr uint32_t kDefaultWavRate = 8000;

GstFlowReturn onSample(GstAppSink* sink, gpointer data) {
  auto* state = static_cast<GstCallState*>(data);
  const uint32_t rate = state->config.sink.sampleRate ? state->config.sink.sampleRate : kDefaultWavRate;
  GstSample* sample = gst_app_sink_pull_sample(sink);
  if (!sample) return GST_FLOW_EOS;
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  GstMapInfo map;
  if (buffer && GST_BUFFER_PTS_IS_VALID(buffer)) {
    // A gap in the stream (far end on hold, packets lost) is written as silence so the
    // recording keeps wall-clock time: what was heard when.
    GstClockTime pts = GST_BUFFER_PTS(buffer);
    if (state->nextPts != GST_CLOCK_TIME_NONE && pts > state->nextPts + 30 * GST_MSECOND) {
      uint64_t missing = std::min<uint64_t>(gst_util_uint64_scale(pts - state->nextPts, rate, GST_SECOND), 60ull * rate);
      std::vector<int16_t> zeros(missing, 0);
      state->wav.write(zeros);
    }
    state->nextPts = pts + gst_util_uint64_scale(gst_buffer_get_size(buffer) / 2, GST_SECOND, rate);
  }
  if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    state->wav.write({reinterpret_cast<const int16_t*>(map.data), map.size / 2});
    gst_buffer_unmap(buffer, &map);
  }
  gst_sample_unref(sample);
  return GST_FLOW_OK;
}

// The received stream's format from its caps (webrtcbin's src pads carry the RTP caps).
RtpFormat formatOf(GstPad* pad) {
  RtpFormat f;
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (!caps) caps = gst_pad_query_caps(pad, nullptr);
  if (!caps || gst_caps_is_empty(caps) || gst_caps_is_any(caps)) {
    if (caps) gst_caps_unref(caps);
    return f;
  }
  const GstStructure* s = gst_caps_get_structure(caps, 0);
  if (const char* media = gst_structure_get_string(s, "media")) f.media = media;
  if (const char* name = gst_structure_get_string(s, "encoding-name")) f.encodingName = name;
  gint pt = 0, rate = 0;
  gst_structure_get_int(s, "payload", &pt);
  gst_structure_get_int(s, "clock-rate", &rate);
  f.payload = pt;
  f.clockRate = static_cast<unsigned>(rate);
  if (const char* ch = gst_structure_get_string(s, "encoding-params")) f.channels = std::max(1, atoi(ch));
  gst_caps_unref(caps);
  return f;
}

}  // namespace

GstCallState::~GstCallState() {
  if (audioSinkPad) gst_object_unref(audioSinkPad);
  if (videoSinkPad) gst_object_unref(videoSinkPad);
  if (videoReceivePad) gst_object_unref(videoReceivePad);
}

void GstCallState::emit(MediaEvent e, const std::string& info) {
  if (!closed && events) events(e, info);
}

MediaStats GstCallState::stats() const {
  MediaStats s;
  {
    std::lock_guard lock(mutex);
    s.audioCodec = audioCodec;
    s.videoCodec = videoCodec;
    s.receivedAudioCodec = receivedAudioCodec;
    s.receivedVideoCodec = receivedVideoCodec;
  }
  s.audioSamplesReceived = audioSamplesReceived;
  s.videoFramesSent = videoFramesSent;
  s.videoKeyFramesSent = videoKeyFramesSent;
  s.keyFrameRequestsReceived = keyFrameRequestsReceived;
  s.keyFrameRequestsSent = keyFrameRequestsSent;
  s.videoFramesReceived = videoFramesReceived;
  s.echoCancellation = !echoProbe.empty();
  return s;
}

Result<GstElement*> makeBin(const std::string& description) {
  GError* error = nullptr;
  GstElement* bin = gst_parse_bin_from_description(description.c_str(), TRUE, &error);
  if (!bin || error) {
    std::string why = error ? error->message : "cannot parse";
    if (error) g_error_free(error);
    if (bin) gst_object_unref(bin);
    return Error{why + " (" + description + ")"};
  }
  return bin;
}

Outcome linkSendBranch(GstCallState& state, const RtpFormat& format, GstPad* sinkPad) {
  const bool video = format.media == "video";
  auto bin = makeBin(video ? videoSendBin(state.config.videoSource, format)
                           : audioSendBin(state.config.source, format, state.echoProbe));
  if (!bin) return Error{std::string(video ? "video" : "audio") + " source: " + bin.error().message};
  if (video) {
    addProbe(*bin, "venc", "src",
             static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_UPSTREAM),
             onEncoderOutput, &state);
  }
  gst_bin_add(GST_BIN(state.pipeline), *bin);
  GstPad* src = gst_element_get_static_pad(*bin, "src");
  const bool linked = src && gst_pad_link(src, sinkPad) == GST_PAD_LINK_OK;
  if (src) gst_object_unref(src);
  if (!linked) return Error{"cannot link the " + format.sdpName() + " encoder to webrtcbin"};
  if (!gst_element_sync_state_with_parent(*bin))
    return Error{std::string("cannot start the ") + (video ? "video" : "audio") +
                 " source (a WAV file or a device that does not exist?)"};
  std::lock_guard lock(state.mutex);
  (video ? state.videoCodec : state.audioCodec) = format.sdpName();
  return {};
}

void onWebrtcPadAdded(GstElement*, GstPad* pad, gpointer data) {
  auto* state = static_cast<GstCallState*>(data);
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) return;
  RtpFormat f = formatOf(pad);
  std::string description;
  // A stream we have no decoder for (telephone-event), or video the constraints did not ask
  // for (webrtcbin accepts an offered video m-line on a transceiver of its own): dropped.
  const bool unwanted = f.media == "video" ? !state->config.remote.video : !state->config.remote.audio;
  const bool decode = f.isMedia() && !f.encodingName.empty() && !unwanted;
  if (!decode)
    description = discardBin();
  else if (f.media == "video")
    description = videoReceiveBin(f, state->config.videoSink);
  else
    description = audioReceiveBin(f, state->config.sink);
  auto bin = makeBin(description);
  if (!bin) return state->emit(MediaEvent::Failed, "receive branch: " + bin.error().message);
  if (decode && f.media == "audio") {
    if (state->config.sink.kind == AudioSink::Kind::WavFile) {
      GstElement* rec = gst_bin_get_by_name(GST_BIN(*bin), "rec");
      GstAppSinkCallbacks callbacks{};
      callbacks.new_sample = onSample;
      gst_app_sink_set_callbacks(GST_APP_SINK(rec), &callbacks, state, nullptr);
      gst_object_unref(rec);
    }
    addProbe(*bin, "acount", "src", GST_PAD_PROBE_TYPE_BUFFER, onAudioDecoded, state);
  }
  if (decode && f.media == "video")
    addProbe(*bin, "vsink", "sink", GST_PAD_PROBE_TYPE_BUFFER, onVideoDecoded, state);
  gst_bin_add(GST_BIN(state->pipeline), *bin);
  if (decode && f.media == "audio" && state->playback) {
    GstPad* out = gst_element_get_static_pad(*bin, "src");
    GstPad* in = gst_element_get_static_pad(state->playback, "sink");
    if (!out || !in || gst_pad_link(out, in) != GST_PAD_LINK_OK)
      state->emit(MediaEvent::Failed, "cannot link the received audio to the playback device");
    if (out) gst_object_unref(out);
    if (in) gst_object_unref(in);
  }
  gst_element_sync_state_with_parent(*bin);
  GstPad* sinkPad = gst_element_get_static_pad(*bin, "sink");
  if (gst_pad_link(pad, sinkPad) != GST_PAD_LINK_OK) {
    gst_object_unref(sinkPad);
    return state->emit(MediaEvent::Failed, "cannot link the received " + f.sdpName() + " stream");
  }
  std::lock_guard lock(state->mutex);
  if (decode && f.media == "video") {
    gst_pad_add_probe(sinkPad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, onVideoUpstream, state, nullptr);
    state->receivedVideoCodec = f.sdpName();
    if (state->videoReceivePad) gst_object_unref(state->videoReceivePad);
    state->videoReceivePad = sinkPad;  // keeps the ref
    return;
  }
  if (decode) state->receivedAudioCodec = f.sdpName();
  gst_object_unref(sinkPad);
}

bool requestKeyFrame(GstCallState& state) {
  GstPad* pad = nullptr;
  {
    std::lock_guard lock(state.mutex);
    if (state.videoReceivePad) pad = GST_PAD(gst_object_ref(state.videoReceivePad));
  }
  if (!pad) return false;
  // Pushed from our sink pad, the event travels upstream into webrtcbin's RTP session.
  gst_pad_push_event(pad, gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
  gst_object_unref(pad);
  return true;
}

}  // namespace callgate::client::detail
