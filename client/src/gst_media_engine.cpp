// MediaEngine on GStreamer webrtcbin (ICE via libnice, DTLS-SRTP, RTP). Audio only for now:
// PCMU (payload type 0) both ways, from a tone / WAV / silence source, into a WAV file or
// nowhere. Every webrtcbin callback runs on a GStreamer thread; results go out through the
// SdpCallback/EventCallback, which the SDK posts to its own thread.
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "callgate/client/media_engine.hpp"
#include "wav_writer.hpp"

namespace callgate::client {
namespace {

constexpr uint32_t kSampleRate = 8000;  // PCMU

const char* const kRequiredElements[][2] = {
    {"webrtcbin", "gstreamer1.0-plugins-bad"},     {"nicesrc", "gstreamer1.0-nice"},
    {"dtlssrtpenc", "gstreamer1.0-plugins-bad"},   {"srtpenc", "gstreamer1.0-plugins-bad"},
    {"audiotestsrc", "gstreamer1.0-plugins-base"}, {"mulawenc", "gstreamer1.0-plugins-good"},
    {"rtppcmupay", "gstreamer1.0-plugins-good"},   {"rtppcmudepay", "gstreamer1.0-plugins-good"},
    {"wavparse", "gstreamer1.0-plugins-good"},     {"appsink", "gstreamer1.0-plugins-base"},
};

std::string quoteForLaunch(const std::string& path) {
  std::string out = "\"";
  for (char c : path) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string sourceDescription(const AudioSource& s) {
  std::string src;
  switch (s.kind) {
    case AudioSource::Kind::Tone:
      src = "audiotestsrc is-live=true wave=sine freq=" + std::to_string(s.toneHz) +
            " volume=" + std::to_string(s.toneVolume);
      break;
    case AudioSource::Kind::Silence:
      src = "audiotestsrc is-live=true wave=silence";
      break;
    case AudioSource::Kind::WavFile:
      // clocksync paces the file in real time (webrtcbin's sinks do not sync).
      src = "filesrc location=" + quoteForLaunch(s.path) + " ! wavparse ! audioconvert ! audioresample ! clocksync";
      break;
  }
  return src +
         " ! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 ! mulawenc ! rtppcmupay pt=0 ! "
         "capsfilter caps=\"application/x-rtp,media=audio,encoding-name=PCMU,payload=0,clock-rate=8000\"";
}

struct State {
  GstElement* pipeline = nullptr;
  GstElement* webrtc = nullptr;
  MediaEngine::EventCallback events;
  MediaConfig config;
  detail::WavWriter wav;
  std::atomic<bool> closed{false};
  std::atomic<bool> connectedReported{false};
  GstClockTime nextPts = GST_CLOCK_TIME_NONE;  // receive branch (one streaming thread)

  void emit(MediaEvent e, const std::string& info) {
    if (!closed && events) events(e, info);
  }
};

struct PromiseContext {
  std::shared_ptr<State> state;
  MediaEngine::SdpCallback sdpDone;
  MediaEngine::DoneCallback done;
};

void deleteContext(gpointer p) { delete static_cast<PromiseContext*>(p); }

// The error a webrtcbin promise reply carries, or "".
std::string replyError(GstPromise* promise) {
  if (gst_promise_wait(promise) != GST_PROMISE_RESULT_REPLIED) return "promise interrupted";
  const GstStructure* reply = gst_promise_get_reply(promise);
  if (!reply) return "";
  GError* error = nullptr;
  if (gst_structure_has_field(reply, "error")) {
    gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
    std::string text = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    return text;
  }
  return "";
}

// create-offer / create-answer done: apply it locally and hand out its text.
void onDescriptionCreated(GstPromise* promise, gpointer data, const char* field) {
  auto* ctx = static_cast<PromiseContext*>(data);
  if (std::string err = replyError(promise); !err.empty()) {
    ctx->sdpDone(Error{err});
    return;
  }
  const GstStructure* reply = gst_promise_get_reply(promise);
  GstWebRTCSessionDescription* desc = nullptr;
  if (reply) gst_structure_get(reply, field, GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, nullptr);
  if (!desc) {
    ctx->sdpDone(Error{std::string("webrtcbin produced no ") + field});
    return;
  }
  // We run on webrtcbin's own task thread here: waiting for this promise would deadlock.
  GstPromise* local = gst_promise_new();
  g_signal_emit_by_name(ctx->state->webrtc, "set-local-description", desc, local);
  gst_promise_unref(local);
  gchar* text = gst_sdp_message_as_text(desc->sdp);
  std::string sdp = text;
  g_free(text);
  gst_webrtc_session_description_free(desc);
  ctx->sdpDone(std::move(sdp));
}

// The change func owns the promise's last reference (webrtcbin's convention); dropping it
// frees the PromiseContext through deleteContext.
void onOfferCreated(GstPromise* p, gpointer d) {
  onDescriptionCreated(p, d, "offer");
  gst_promise_unref(p);
}
void onAnswerCreated(GstPromise* p, gpointer d) {
  onDescriptionCreated(p, d, "answer");
  gst_promise_unref(p);
}

GstFlowReturn onSample(GstAppSink* sink, gpointer data) {
  auto* state = static_cast<State*>(data);
  GstSample* sample = gst_app_sink_pull_sample(sink);
  if (!sample) return GST_FLOW_EOS;
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  GstMapInfo map;
  if (buffer && GST_BUFFER_PTS_IS_VALID(buffer)) {
    // A gap in the stream (far end on hold, packets lost) is written as silence so the
    // recording keeps wall-clock time: what was heard when.
    GstClockTime pts = GST_BUFFER_PTS(buffer);
    if (state->nextPts != GST_CLOCK_TIME_NONE && pts > state->nextPts + 30 * GST_MSECOND) {
      uint64_t missing = std::min<uint64_t>((pts - state->nextPts) * kSampleRate / GST_SECOND, 60ull * kSampleRate);
      std::vector<int16_t> zeros(missing, 0);
      state->wav.write(zeros);
    }
    state->nextPts = pts + gst_util_uint64_scale(gst_buffer_get_size(buffer) / 2, GST_SECOND, kSampleRate);
  }
  if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    state->wav.write({reinterpret_cast<const int16_t*>(map.data), map.size / 2});
    gst_buffer_unmap(buffer, &map);
  }
  gst_sample_unref(sample);
  return GST_FLOW_OK;
}

// A decoded stream appeared on webrtcbin: depayload, decode, write 16-bit 8 kHz mono.
void onPadAdded(GstElement*, GstPad* pad, gpointer data) {
  auto* state = static_cast<State*>(data);
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) return;
  GError* error = nullptr;
  GstElement* bin = gst_parse_bin_from_description(
      "queue ! rtppcmudepay ! mulawdec ! audioconvert ! audioresample ! "
      "audio/x-raw,format=S16LE,rate=8000,channels=1 ! appsink name=rec sync=false",
      TRUE, &error);
  if (!bin) {
    state->emit(MediaEvent::Failed, std::string("receive branch: ") + (error ? error->message : "?"));
    if (error) g_error_free(error);
    return;
  }
  GstElement* rec = gst_bin_get_by_name(GST_BIN(bin), "rec");
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = onSample;
  gst_app_sink_set_callbacks(GST_APP_SINK(rec), &callbacks, state, nullptr);
  gst_object_unref(rec);
  gst_bin_add(GST_BIN(state->pipeline), bin);
  gst_element_sync_state_with_parent(bin);
  GstPad* sinkPad = gst_element_get_static_pad(bin, "sink");
  if (gst_pad_link(pad, sinkPad) != GST_PAD_LINK_OK)
    state->emit(MediaEvent::Failed, "cannot link the received stream (codec other than PCMU?)");
  gst_object_unref(sinkPad);
}

void onConnectionState(GObject* webrtc, GParamSpec*, gpointer data) {
  auto* state = static_cast<State*>(data);
  GstWebRTCPeerConnectionState s;
  g_object_get(webrtc, "connection-state", &s, nullptr);
  if (s == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && !state->connectedReported.exchange(true))
    state->emit(MediaEvent::Connected, "");
  if (s == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) state->emit(MediaEvent::Failed, "ICE/DTLS connection failed");
}

GstBusSyncReply onBusMessage(GstBus*, GstMessage* msg, gpointer data) {
  auto* state = static_cast<State*>(data);
  if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
    GError* error = nullptr;
    gst_message_parse_error(msg, &error, nullptr);
    state->emit(MediaEvent::Failed, std::string(GST_OBJECT_NAME(msg->src)) + ": " + (error ? error->message : "?"));
    if (error) g_error_free(error);
  }
  return GST_BUS_DROP;
}

class GstMediaEngine : public MediaEngine {
 public:
  explicit GstMediaEngine(std::shared_ptr<State> state) : state_(std::move(state)) {}
  ~GstMediaEngine() override { close(); }

  void createOffer(SdpCallback done) override {
    auto* ctx = new PromiseContext{state_, std::move(done), {}};
    GstPromise* p = gst_promise_new_with_change_func(onOfferCreated, ctx, deleteContext);
    g_signal_emit_by_name(state_->webrtc, "create-offer", nullptr, p);
  }

  void createAnswer(const std::string& remoteOffer, SdpCallback done) override {
    auto desc = parse(remoteOffer, GST_WEBRTC_SDP_TYPE_OFFER);
    if (!desc) return done(desc.error());
    GstPromise* remote = gst_promise_new();
    g_signal_emit_by_name(state_->webrtc, "set-remote-description", *desc, remote);
    std::string err = replyError(remote);
    gst_promise_unref(remote);
    gst_webrtc_session_description_free(*desc);
    if (!err.empty()) return done(Error{"set-remote-description: " + err});
    auto* ctx = new PromiseContext{state_, std::move(done), {}};
    GstPromise* p = gst_promise_new_with_change_func(onAnswerCreated, ctx, deleteContext);
    g_signal_emit_by_name(state_->webrtc, "create-answer", nullptr, p);
  }

  void setRemoteDescription(const std::string& remoteAnswer, DoneCallback done) override {
    auto desc = parse(remoteAnswer, GST_WEBRTC_SDP_TYPE_ANSWER);
    if (!desc) return done(desc.error());
    GstPromise* p = gst_promise_new();
    g_signal_emit_by_name(state_->webrtc, "set-remote-description", *desc, p);
    std::string err = replyError(p);
    gst_promise_unref(p);
    gst_webrtc_session_description_free(*desc);
    if (!err.empty()) return done(Error{"set-remote-description: " + err});
    done({});
  }

  void close() override {
    if (state_->closed.exchange(true)) return;
    // NULL joins the streaming threads: no callback writes to the WAV after this.
    gst_element_set_state(state_->pipeline, GST_STATE_NULL);
    state_->wav.close();
    GstBus* bus = gst_element_get_bus(state_->pipeline);
    gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
    gst_object_unref(bus);
    gst_object_unref(state_->pipeline);
    state_->pipeline = nullptr;
    state_->webrtc = nullptr;
  }

 private:
  static Result<GstWebRTCSessionDescription*> parse(const std::string& text, GstWebRTCSDPType type) {
    GstSDPMessage* sdp = nullptr;
    if (gst_sdp_message_new_from_text(text.c_str(), &sdp) != GST_SDP_OK || !sdp)
      return Error{"the server's SDP does not parse"};
    return gst_webrtc_session_description_new(type, sdp);
  }

  std::shared_ptr<State> state_;
};

class GstMediaEngineFactory : public MediaEngineFactory {
 public:
  Result<std::unique_ptr<MediaEngine>> create(const MediaConfig& config, MediaEngine::EventCallback events) override {
    static std::once_flag once;
    std::call_once(once, [] { gst_init(nullptr, nullptr); });
    for (auto& [element, package] : kRequiredElements) {
      GstElementFactory* f = gst_element_factory_find(element);
      if (!f) return Error{std::string("GStreamer element '") + element + "' missing: install " + package};
      gst_object_unref(f);
    }
    if (config.local.video || config.remote.video) {
      // Not an error: audio-only for now (docs/client-sdk.md "Status").
    }
    auto state = std::make_shared<State>();
    state->events = std::move(events);
    state->config = config;
    if (config.sink.kind == AudioSink::Kind::WavFile) {
      if (auto r = state->wav.open(config.sink.path, kSampleRate, 1); !r) return Error{r.message()};
    }
    state->pipeline = gst_pipeline_new("callgate-call");
    state->webrtc = gst_element_factory_make("webrtcbin", "webrtc");
    gst_util_set_object_arg(G_OBJECT(state->webrtc), "bundle-policy", "max-bundle");
    gst_bin_add(GST_BIN(state->pipeline), state->webrtc);

    if (config.local.audio) {
      GError* error = nullptr;
      GstElement* src = gst_parse_bin_from_description(sourceDescription(config.source).c_str(), TRUE, &error);
      if (!src) {
        std::string why = error ? error->message : "?";
        if (error) g_error_free(error);
        gst_object_unref(state->pipeline);
        return Error{"audio source: " + why};
      }
      gst_bin_add(GST_BIN(state->pipeline), src);
      if (!gst_element_link(src, state->webrtc)) {
        gst_object_unref(state->pipeline);
        return Error{"cannot link the audio source to webrtcbin"};
      }
    } else {
      // Receive-only: a recvonly PCMU transceiver.
      GstCaps* caps =
          gst_caps_from_string("application/x-rtp,media=audio,encoding-name=PCMU,payload=0,clock-rate=8000");
      GstWebRTCRTPTransceiver* t = nullptr;
      g_signal_emit_by_name(state->webrtc, "add-transceiver", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, caps, &t);
      gst_caps_unref(caps);
      if (t) gst_object_unref(t);
    }
    if (!config.iceLocalAddresses.empty()) {
      // libnice skips loopback interfaces; explicit addresses replace its interface scan.
      GstWebRTCICE* ice = nullptr;
      g_object_get(state->webrtc, "ice-agent", &ice, nullptr);
      if (!ice) {
        gst_object_unref(state->pipeline);
        return Error{"webrtcbin has no ICE agent"};
      }
      for (const auto& address : config.iceLocalAddresses) {
        gboolean ok = FALSE;
        g_signal_emit_by_name(ice, "add-local-ip-address", address.c_str(), &ok);
        if (!ok) {
          gst_object_unref(ice);
          gst_object_unref(state->pipeline);
          return Error{"ICE: cannot use local address '" + address + "'"};
        }
      }
      gst_object_unref(ice);
    }
    g_signal_connect(state->webrtc, "pad-added", G_CALLBACK(onPadAdded), state.get());
    g_signal_connect(state->webrtc, "notify::connection-state", G_CALLBACK(onConnectionState), state.get());
    GstBus* bus = gst_element_get_bus(state->pipeline);
    gst_bus_set_sync_handler(bus, onBusMessage, state.get(), nullptr);
    gst_object_unref(bus);
    if (gst_element_set_state(state->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
      gst_element_set_state(state->pipeline, GST_STATE_NULL);
      gst_object_unref(state->pipeline);
      return Error{"cannot start the media pipeline (a WAV source that does not exist?)"};
    }
    return std::unique_ptr<MediaEngine>(new GstMediaEngine(std::move(state)));
  }
};

}  // namespace

std::shared_ptr<MediaEngineFactory> makeGstMediaEngineFactory() { return std::make_shared<GstMediaEngineFactory>(); }

}  // namespace callgate::client
