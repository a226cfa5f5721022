// MediaEngine on GStreamer webrtcbin (ICE via libnice, DTLS-SRTP, RTP, BUNDLE). One audio and
// one video transceiver as the constraints ask; the codecs offered and chosen come from
// gst_pipeline_description (Opus, PCMU, PCMA; VP8, H.264), the branches and counters from
// gst_media_branches. Every webrtcbin callback runs on a GStreamer thread; results go out
// through the SdpCallback/EventCallback, which the SDK posts to its own thread.
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include <atomic>
#include <cstdio>
#include <mutex>

#include "callgate/client/media_engine.hpp"
#include "gst_media_branches.hpp"

namespace callgate::client {
namespace {

using detail::GstCallState;
using detail::RtpFormat;

bool hasElement(const std::string& name) {
  GstElementFactory* f = gst_element_factory_find(name.c_str());
  if (!f) return false;
  gst_object_unref(f);
  return true;
}

struct PromiseContext {
  std::shared_ptr<GstCallState> state;
  MediaEngine::SdpCallback sdpDone;
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
  std::string sdp = detail::withoutBundleOnly(text);
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

void onConnectionState(GObject* webrtc, GParamSpec*, gpointer data) {
  auto* state = static_cast<GstCallState*>(data);
  GstWebRTCPeerConnectionState s;
  g_object_get(webrtc, "connection-state", &s, nullptr);
  if (s == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && !state->connectedReported.exchange(true))
    state->emit(MediaEvent::Connected, "");
  if (s == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) state->emit(MediaEvent::Failed, "ICE/DTLS connection failed");
}

GstBusSyncReply onBusMessage(GstBus*, GstMessage* msg, gpointer data) {
  auto* state = static_cast<GstCallState*>(data);
  if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
    GError* error = nullptr;
    gst_message_parse_error(msg, &error, nullptr);
    state->emit(MediaEvent::Failed, std::string(GST_OBJECT_NAME(msg->src)) + ": " + (error ? error->message : "?"));
    if (error) g_error_free(error);
  }
  return GST_BUS_DROP;
}

GstWebRTCRTPTransceiverDirection directionOf(bool send, bool receive) {
  if (send && receive) return GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  return send ? GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY : GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY;
}

// A transceiver offering `formats` (codec preferences, in order). When we send, it comes
// with a webrtcbin sink pad (returned, a ref) that the send branch is linked to once the
// codec is known.
Result<GstPad*> addTransceiver(GstElement* webrtc, const std::vector<RtpFormat>& formats, bool send, bool receive) {
  GstCaps* caps = gst_caps_from_string(detail::rtpCapsList(formats).c_str());
  if (!caps) return Error{"bad codec caps " + detail::rtpCapsList(formats)};
  GstWebRTCRTPTransceiver* trans = nullptr;
  GstPad* pad = nullptr;
  if (send) {
    GstPadTemplate* templ = gst_element_get_pad_template(webrtc, "sink_%u");
    pad = gst_element_request_pad(webrtc, templ, nullptr, caps);
    if (!pad) {
      gst_caps_unref(caps);
      return Error{"webrtcbin gave no sink pad"};
    }
    g_object_get(pad, "transceiver", &trans, nullptr);
  } else {
    g_signal_emit_by_name(webrtc, "add-transceiver", directionOf(send, receive), caps, &trans);
  }
  if (trans) {
    g_object_set(trans, "codec-preferences", caps, "direction", directionOf(send, receive), nullptr);
    gst_object_unref(trans);
  }
  gst_caps_unref(caps);
  return pad;
}

// Narrows a transceiver's codec preferences to the one codec chosen from an offer (plus
// the offer's telephone-event at its clock rate), so that the answer names it first.
void narrowPreferences(GstPad* sinkPad, const RtpFormat& chosen, const std::vector<RtpFormat>& offered) {
  std::vector<RtpFormat> keep{chosen};
  for (const auto& f : offered) {
    if (!f.isMedia() && f.encodingName == "TELEPHONE-EVENT" && f.clockRate == chosen.clockRate) keep.push_back(f);
  }
  GstWebRTCRTPTransceiver* trans = nullptr;
  g_object_get(sinkPad, "transceiver", &trans, nullptr);
  if (!trans) return;
  GstCaps* caps = gst_caps_from_string(detail::rtpCapsList(keep).c_str());
  if (caps) {
    g_object_set(trans, "codec-preferences", caps, nullptr);
    gst_caps_unref(caps);
  }
  gst_object_unref(trans);
}

std::string formatList(const std::vector<RtpFormat>& formats) {
  std::string out;
  for (const auto& f : formats) {
    if (!f.isMedia()) continue;
    out += (out.empty() ? "" : ", ") + f.sdpName();
  }
  return out.empty() ? "none" : out;
}

class GstMediaEngine : public MediaEngine {
 public:
  explicit GstMediaEngine(std::shared_ptr<GstCallState> state) : state_(std::move(state)) {}
  ~GstMediaEngine() override { close(); }

  void createOffer(SdpCallback done) override {
    auto* ctx = new PromiseContext{state_, std::move(done)};
    GstPromise* p = gst_promise_new_with_change_func(onOfferCreated, ctx, deleteContext);
    g_signal_emit_by_name(state_->webrtc, "create-offer", nullptr, p);
  }

  void createAnswer(const std::string& remoteOffer, SdpCallback done) override {
    // Choose our codec from the offer and start sending it before applying the offer, so
    // that webrtcbin pairs our transceivers with the offer's m-lines (audio, then video).
    for (GstPad* pad : {state_->audioSinkPad, state_->videoSinkPad}) {
      if (!pad) continue;
      const bool video = pad == state_->videoSinkPad;
      const auto& ours = video ? state_->videoFormats : state_->audioFormats;
      auto offered = detail::sdpFormats(remoteOffer, video ? "video" : "audio");
      if (offered.empty()) continue;  // no such m-line: the transceiver stays unused
      auto chosen = detail::chooseFromOffer(offered, ours);
      if (!chosen) {
        return done(Error{std::string("no common ") + (video ? "video" : "audio") + " codec: the offer has " +
                          formatList(offered) + ", we have " + formatList(ours)});
      }
      narrowPreferences(pad, *chosen, offered);
      if (auto r = detail::linkSendBranch(*state_, *chosen, pad); !r) return done(Error{r.message()});
    }
    auto desc = parse(remoteOffer, GST_WEBRTC_SDP_TYPE_OFFER);
    if (!desc) return done(desc.error());
    GstPromise* remote = gst_promise_new();
    g_signal_emit_by_name(state_->webrtc, "set-remote-description", *desc, remote);
    std::string err = replyError(remote);
    gst_promise_unref(remote);
    gst_webrtc_session_description_free(*desc);
    if (!err.empty()) return done(Error{"set-remote-description: " + err});
    auto* ctx = new PromiseContext{state_, std::move(done)};
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
    // RFC 3264 §6.1: the answer's first format is what the far end prefers to receive.
    for (GstPad* pad : {state_->audioSinkPad, state_->videoSinkPad}) {
      if (!pad) continue;
      const bool video = pad == state_->videoSinkPad;
      auto chosen = detail::answeredFormat(remoteAnswer, video ? "video" : "audio");
      if (!chosen) continue;  // refused (port 0) or absent: nothing to send
      if (auto r = detail::linkSendBranch(*state_, *chosen, pad); !r) return done(Error{r.message()});
    }
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

  MediaStats stats() const override { return state_->stats(); }

  void requestKeyFrame() override {
    if (!state_->closed) detail::requestKeyFrame(*state_);
  }

 private:
  static Result<GstWebRTCSessionDescription*> parse(const std::string& text, GstWebRTCSDPType type) {
    GstSDPMessage* sdp = nullptr;
    if (gst_sdp_message_new_from_text(text.c_str(), &sdp) != GST_SDP_OK || !sdp)
      return Error{"the server's SDP does not parse"};
    return gst_webrtc_session_description_new(type, sdp);
  }

  std::shared_ptr<GstCallState> state_;
};

class GstMediaEngineFactory : public MediaEngineFactory {
 public:
  Result<std::unique_ptr<MediaEngine>> create(const MediaConfig& config, MediaEngine::EventCallback events) override {
    static std::once_flag once;
    std::call_once(once, [] { gst_init(nullptr, nullptr); });
    if (std::string missing = detail::missingElement(config, hasElement); !missing.empty()) return Error{missing};

    auto state = std::make_shared<GstCallState>();
    state->events = std::move(events);
    state->config = config;
    const bool audio = config.local.audio || config.remote.audio;
    const bool video = config.local.video || config.remote.video;
    if (!audio && !video) return Error{"no media: the constraints ask for neither audio nor video"};
    state->audioFormats = detail::audioOffer(config.audioCodecs);
    state->videoFormats = detail::videoOffer(config.videoCodecs, hasElement);
    if (video && state->videoFormats.empty()) return Error{"no video codec: vp8enc/vp8dec or openh264 missing"};

    auto echo = detail::planEchoCancellation(config, hasElement);
    if (!echo.note.empty()) std::fprintf(stderr, "callgate_client: %s\n", echo.note.c_str());
    if (echo.on) {
      static std::atomic<unsigned> probes{0};
      state->echoProbe = "callgate_echo_probe" + std::to_string(probes++);
    }
    if (config.local.audio && config.source.kind == AudioSource::Kind::WavFile) {
      // The send branch starts only once the codec is negotiated: say it now.
      if (std::FILE* f = std::fopen(config.source.path.c_str(), "rb"))
        std::fclose(f);
      else
        return Error{"cannot read the WAV file '" + config.source.path + "'"};
    }
    if (audio && config.sink.kind == AudioSink::Kind::WavFile) {
      if (auto r = state->wav.open(config.sink.path, config.sink.sampleRate ? config.sink.sampleRate : 8000, 1); !r)
        return Error{r.message()};
    }
    state->pipeline = gst_pipeline_new("callgate-call");
    state->webrtc = gst_element_factory_make("webrtcbin", "webrtc");
    gst_util_set_object_arg(G_OBJECT(state->webrtc), "bundle-policy", "max-bundle");
    gst_bin_add(GST_BIN(state->pipeline), state->webrtc);
    auto fail = [&](std::string why) -> Result<std::unique_ptr<MediaEngine>> {
      gst_element_set_state(state->pipeline, GST_STATE_NULL);
      gst_object_unref(state->pipeline);
      state->pipeline = nullptr;
      return Error{std::move(why)};
    };

    if (audio) {
      auto pad = addTransceiver(state->webrtc, state->audioFormats, config.local.audio, config.remote.audio);
      if (!pad) return fail("audio: " + pad.error().message);
      state->audioSinkPad = *pad;
    }
    if (video) {
      auto pad = addTransceiver(state->webrtc, state->videoFormats, config.local.video, config.remote.video);
      if (!pad) return fail("video: " + pad.error().message);
      state->videoSinkPad = *pad;
    }
    if (audio && config.sink.kind == AudioSink::Kind::Device) {
      auto playback = detail::makeBin(detail::audioPlaybackBin(config.sink, state->echoProbe));
      if (!playback) return fail("audio playback: " + playback.error().message);
      state->playback = *playback;
      gst_bin_add(GST_BIN(state->pipeline), state->playback);
    }
    if (!config.iceLocalAddresses.empty()) {
      // libnice skips loopback interfaces; explicit addresses replace its interface scan.
      GstWebRTCICE* ice = nullptr;
      g_object_get(state->webrtc, "ice-agent", &ice, nullptr);
      if (!ice) return fail("webrtcbin has no ICE agent");
      for (const auto& address : config.iceLocalAddresses) {
        gboolean ok = FALSE;
        g_signal_emit_by_name(ice, "add-local-ip-address", address.c_str(), &ok);
        if (!ok) {
          gst_object_unref(ice);
          return fail("ICE: cannot use local address '" + address + "'");
        }
      }
      gst_object_unref(ice);
    }
    g_signal_connect(state->webrtc, "pad-added", G_CALLBACK(detail::onWebrtcPadAdded), state.get());
    g_signal_connect(state->webrtc, "notify::connection-state", G_CALLBACK(onConnectionState), state.get());
    GstBus* bus = gst_element_get_bus(state->pipeline);
    gst_bus_set_sync_handler(bus, onBusMessage, state.get(), nullptr);
    gst_object_unref(bus);
    if (gst_element_set_state(state->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
      return fail("cannot start the media pipeline (an audio device that does not exist?)");
    return std::unique_ptr<MediaEngine>(new GstMediaEngine(std::move(state)));
  }
};

}  // namespace

std::shared_ptr<MediaEngineFactory> makeGstMediaEngineFactory() { return std::make_shared<GstMediaEngineFactory>(); }

}  // namespace callgate::client
