#include "gst_pipeline_description.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace callgate::client::detail {
namespace {

// Debian package of each element we may use (for the "missing" error text).
const char* packageOf(const std::string& element) {
  static const std::pair<const char*, const char*> kPackages[] = {
      {"webrtcbin", "gstreamer1.0-plugins-bad"},     {"nicesrc", "gstreamer1.0-nice"},
      {"dtlssrtpenc", "gstreamer1.0-plugins-bad"},   {"srtpenc", "gstreamer1.0-plugins-bad"},
      {"webrtcdsp", "gstreamer1.0-plugins-bad"},     {"webrtcechoprobe", "gstreamer1.0-plugins-bad"},
      {"openh264enc", "gstreamer1.0-plugins-bad"},   {"openh264dec", "gstreamer1.0-plugins-bad"},
      {"h264parse", "gstreamer1.0-plugins-bad"},     {"x264enc", "gstreamer1.0-plugins-ugly"},
      {"avdec_h264", "gstreamer1.0-libav"},          {"vp8enc", "gstreamer1.0-plugins-good"},
      {"vp8dec", "gstreamer1.0-plugins-good"},       {"v4l2src", "gstreamer1.0-plugins-good"},
      {"pulsesrc", "gstreamer1.0-pulseaudio"},       {"matroskamux", "gstreamer1.0-plugins-good"},       {"pulsesink", "gstreamer1.0-pulseaudio"},
      {"alsasrc", "gstreamer1.0-alsa"},              {"alsasink", "gstreamer1.0-alsa"},
      {"autoaudiosrc", "gstreamer1.0-plugins-good"}, {"autoaudiosink", "gstreamer1.0-plugins-good"},
      {"autovideosink", "gstreamer1.0-plugins-good"}, {"mulawenc", "gstreamer1.0-plugins-good"},
      {"mulawdec", "gstreamer1.0-plugins-good"},     {"alawenc", "gstreamer1.0-plugins-good"},
      {"alawdec", "gstreamer1.0-plugins-good"},      {"wavparse", "gstreamer1.0-plugins-good"},
      {"opusenc", "gstreamer1.0-plugins-base"},      {"opusdec", "gstreamer1.0-plugins-base"},
      {"audioconvert", "gstreamer1.0-plugins-base"}, {"audioresample", "gstreamer1.0-plugins-base"},
      {"audiotestsrc", "gstreamer1.0-plugins-base"}, {"appsink", "gstreamer1.0-plugins-base"},
      {"videotestsrc", "gstreamer1.0-plugins-base"}, {"videoconvert", "gstreamer1.0-plugins-base"},
      {"videoscale", "gstreamer1.0-plugins-base"},   {"videorate", "gstreamer1.0-plugins-base"},
  };
  for (auto& [e, p] : kPackages) {
    if (element == e) return p;
  }
  if (element.rfind("rtp", 0) == 0) return "gstreamer1.0-plugins-good";
  return nullptr;
}

std::string missingText(const std::string& element) {
  const char* package = packageOf(element);
  return "GStreamer element '" + element + "' missing: " +
         (package ? std::string("install ") + package : std::string("misspelt, or its plugin is not installed"));
}

// H.264 goes through openh264 (gst-plugins-bad, Debian main), so no gst-plugins-ugly
// (x264) or libav is needed.
bool hasH264(const HasElement& has) {
  return has("openh264enc") && has("openh264dec") && has("h264parse") && has("rtph264pay") && has("rtph264depay");
}

// An element setting may carry properties ("pulsesrc buffer-time=20000"): the factory is
// its first word.
std::string factoryOf(const std::string& element, const char* fallback) {
  if (element.empty()) return fallback;
  return element.substr(0, element.find_first_of(" !"));
}

std::string withDevice(const std::string& element, const std::string& fallback, const std::string& device) {
  std::string out = element.empty() ? fallback : element;
  if (!device.empty()) out += " device=" + quoteForLaunch(device);
  return out;
}

std::string basicCaps(const RtpFormat& f) {
  return "application/x-rtp,media=" + f.media + ",encoding-name=" + upperAscii(f.encodingName) +
         ",payload=" + std::to_string(f.payload) + ",clock-rate=" + std::to_string(f.clockRate);
}

std::string capsfilter(const RtpFormat& f) { return "capsfilter caps=" + quoteForLaunch(basicCaps(f)); }

}  // namespace

std::string quoteForLaunch(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::vector<RtpFormat> audioOffer(const std::vector<AudioCodec>& prefs) {
  static const std::vector<AudioCodec> kDefault{AudioCodec::Opus, AudioCodec::Pcmu, AudioCodec::Pcma};
  std::vector<RtpFormat> out;
  bool opus = false, g711 = false;
  for (AudioCodec c : prefs.empty() ? kDefault : prefs) {
    RtpFormat f;
    f.media = "audio";
    switch (c) {
      case AudioCodec::Opus:  // RFC 7587 §7: always opus/48000/2 in SDP
        f = {"audio", "OPUS", 111, 48000, 2, "minptime=10;useinbandfec=1"};
        opus = true;
        break;
      case AudioCodec::Pcmu:
        f = {"audio", "PCMU", 0, 8000, 1, ""};
        g711 = true;
        break;
      case AudioCodec::Pcma:
        f = {"audio", "PCMA", 8, 8000, 1, ""};
        g711 = true;
        break;
    }
    if (std::none_of(out.begin(), out.end(), [&](const RtpFormat& o) { return o.payload == f.payload; }))
      out.push_back(f);
  }
  // RFC 4733 §7.1.1: telephone-event at each media codec's clock rate.
  if (opus) out.push_back({"audio", "TELEPHONE-EVENT", 110, 48000, 1, "0-15"});
  if (g711) out.push_back({"audio", "TELEPHONE-EVENT", 101, 8000, 1, "0-15"});
  return out;
}

std::vector<RtpFormat> videoOffer(const std::vector<VideoCodec>& prefs, const HasElement& has) {
  static const std::vector<VideoCodec> kDefault{VideoCodec::Vp8, VideoCodec::H264};
  std::vector<RtpFormat> out;
  for (VideoCodec c : prefs.empty() ? kDefault : prefs) {
    if (c == VideoCodec::Vp8 && has("vp8enc") && has("vp8dec")) {
      if (std::none_of(out.begin(), out.end(), [](const RtpFormat& o) { return o.encodingName == "VP8"; }))
        out.push_back({"video", "VP8", 96, 90000, 1, ""});
    }
    if (c == VideoCodec::H264 && hasH264(has)) {
      // Constrained baseline level 3.1, what browsers and SIP phones all decode (RFC 6184 §8.1).
      if (std::none_of(out.begin(), out.end(), [](const RtpFormat& o) { return o.encodingName == "H264"; }))
        out.push_back({"video", "H264", 102, 90000, 1,
                       "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"});
    }
  }
  return out;
}

std::string rtpCaps(const RtpFormat& f) {
  std::string caps = basicCaps(f);
  if (f.media == "audio" && f.channels > 1) caps += ",encoding-params=(string)" + std::to_string(f.channels);
  // Everything else in the caps becomes fmtp parameters in webrtcbin's SDP.
  std::istringstream in(f.fmtp);
  std::string item;
  while (std::getline(in, item, ';')) {
    auto eq = item.find('=');
    if (eq == std::string::npos) {
      // A bare fmtp value such as telephone-event's "0-15" has no caps field of its own.
      continue;
    }
    caps += "," + item.substr(0, eq) + "=(string)" + item.substr(eq + 1);
  }
  if (f.media == "video") {
    // RFC 4585 §4.2 / RFC 5104 §7.1: we send NACK, PLI and FIR and answer PLI and FIR.
    caps += ",rtcp-fb-nack=(boolean)true,rtcp-fb-nack-pli=(boolean)true,rtcp-fb-ccm-fir=(boolean)true";
  }
  return caps;
}

std::string rtpCapsList(const std::vector<RtpFormat>& formats) {
  std::string out;
  for (const auto& f : formats) {
    if (!out.empty()) out += ";";
    out += rtpCaps(f);
  }
  return out;
}

EchoCancelPlan planEchoCancellation(const MediaConfig& config, const HasElement& has) {
  EchoCancelPlan plan;
  if (!config.echoCancellation || !config.local.audio) return plan;
  if (config.source.kind != AudioSource::Kind::Device || config.sink.kind != AudioSink::Kind::Device) return plan;
  for (const char* e : {"webrtcdsp", "webrtcechoprobe"}) {
    if (!has(e)) {
      plan.note = std::string("echo cancellation off: GStreamer element '") + e + "' missing (install " +
                  packageOf(e) + ")";  // both are in the table
      return plan;
    }
  }
  plan.on = true;
  return plan;
}

std::string missingElement(const MediaConfig& config, const HasElement& has) {
  std::vector<std::string> need{"webrtcbin", "nicesrc", "dtlssrtpenc", "srtpenc", "audioconvert", "audioresample",
                                "queue", "fakesink"};
  if (config.local.audio || config.remote.audio) {
    if (config.sink.kind == AudioSink::Kind::WavFile) need.push_back("appsink");
    if (config.sink.kind == AudioSink::Kind::Device)
      need.push_back(factoryOf(config.sink.element, "autoaudiosink"));
    switch (config.source.kind) {
      case AudioSource::Kind::Tone:
      case AudioSource::Kind::Silence:
        need.push_back("audiotestsrc");
        break;
      case AudioSource::Kind::WavFile:
        need.insert(need.end(), {"filesrc", "wavparse", "clocksync"});
        break;
      case AudioSource::Kind::Device:
        need.push_back(factoryOf(config.source.element, "autoaudiosrc"));
        break;
    }
    bool anyCodec = false;
    std::string firstMissing;
    for (const auto& f : audioOffer(config.audioCodecs)) {
      if (!f.isMedia()) continue;
      std::vector<std::string> elems;
      if (f.encodingName == "OPUS") elems = {"opusenc", "opusdec", "rtpopuspay", "rtpopusdepay"};
      if (f.encodingName == "PCMU") elems = {"mulawenc", "mulawdec", "rtppcmupay", "rtppcmudepay"};
      if (f.encodingName == "PCMA") elems = {"alawenc", "alawdec", "rtppcmapay", "rtppcmadepay"};
      auto gap = std::find_if(elems.begin(), elems.end(), [&](const std::string& e) { return !has(e); });
      if (gap == elems.end()) {
        anyCodec = true;
        break;
      }
      if (firstMissing.empty()) firstMissing = *gap;
    }
    if (!anyCodec && !firstMissing.empty()) need.push_back(firstMissing);
  }
  if (config.local.video || config.remote.video) {
    need.insert(need.end(), {"videoconvert", "videoscale", "videorate"});
    if (config.local.video) {
      need.push_back(config.videoSource.kind == VideoSource::Kind::TestPattern
                         ? "videotestsrc"
                         : factoryOf(config.videoSource.element, "v4l2src"));
    }
    if (config.videoSink.kind == VideoSink::Kind::Device)
      need.push_back(factoryOf(config.videoSink.element, "autovideosink"));
    if (config.videoSink.kind == VideoSink::Kind::File) need.insert(need.end(), {"tee", "matroskamux", "filesink"});
    if (videoOffer(config.videoCodecs, has).empty()) need.push_back("vp8enc");
    need.insert(need.end(), {"rtpvp8pay", "rtpvp8depay"});
  }
  for (const auto& e : need) {
    if (!has(e)) return missingText(e);
  }
  return "";
}

std::string audioSendBin(const AudioSource& s, const RtpFormat& f, const std::string& echoProbe) {
  std::string d;
  switch (s.kind) {
    case AudioSource::Kind::Tone:
      d = "audiotestsrc is-live=true wave=sine freq=" + std::to_string(s.toneHz) +
          " volume=" + std::to_string(s.toneVolume);
      break;
    case AudioSource::Kind::Silence:
      d = "audiotestsrc is-live=true wave=silence";
      break;
    case AudioSource::Kind::WavFile:
      // clocksync paces the file in real time (webrtcbin's sinks do not sync).
      d = "filesrc location=" + quoteForLaunch(s.path) + " ! wavparse ! audioconvert ! audioresample ! clocksync";
      break;
    case AudioSource::Kind::Device:
      d = withDevice(s.element, "autoaudiosrc", s.device);
      break;
  }
  if (!echoProbe.empty()) {
    // webrtcdsp takes 10 ms frames at 8/16/32/48 kHz and subtracts what the probe heard
    // being played.
    d += " ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=48000,channels=1 ! webrtcdsp probe=" +
         echoProbe;
  }
  const std::string name = upperAscii(f.encodingName);
  if (name == "OPUS") {
    d += " ! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 ! opusenc bitrate=48000 ! "
         "rtpopuspay pt=" + std::to_string(f.payload);
  } else {
    // 20 ms per packet, the G.711 default SIP phones expect (RFC 3551 §4.5): without a ptime
    // the payloader packs whole source buffers (128 ms from audiotestsrc) into one packet.
    const bool alaw = name == "PCMA";
    d += std::string(" ! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 ! ") +
         (alaw ? "alawenc ! rtppcmapay" : "mulawenc ! rtppcmupay") + " pt=" + std::to_string(f.payload) +
         " min-ptime=20000000 max-ptime=20000000";
  }
  return d + " ! " + capsfilter(f);
}

std::string videoSendBin(const VideoSource& s, const RtpFormat& f) {
  std::string d = s.kind == VideoSource::Kind::TestPattern
                      ? "videotestsrc is-live=true pattern=" + (s.pattern.empty() ? std::string("smpte") : s.pattern)
                      : withDevice(s.element, "v4l2src", s.device);
  const int fps = std::max(1, s.framerate);
  d += " ! videoconvert ! videoscale ! videorate ! video/x-raw,format=I420,width=" + std::to_string(s.width) +
       ",height=" + std::to_string(s.height) + ",framerate=" + std::to_string(fps) +
       "/1 ! queue max-size-buffers=3 leaky=downstream ! ";
  // Without an interval the encoder makes key frames only at the start and when asked (a
  // PLI/FIR from the far end arrives as a force-key-unit event from the payloader).
  const long gop = s.keyFrameInterval > 0 ? std::max(1L, static_cast<long>(s.keyFrameInterval * fps)) : 1000000L;
  const int bps = std::max(50, s.bitrateKbps) * 1000;
  if (upperAscii(f.encodingName) == "H264") {
    d += "openh264enc name=venc complexity=low usage-type=camera rate-control=bitrate bitrate=" +
         std::to_string(bps) + " gop-size=" + std::to_string(gop) +
         " ! video/x-h264,profile=constrained-baseline ! h264parse ! "
         "video/x-h264,stream-format=byte-stream,alignment=au ! rtph264pay config-interval=-1 "
         "aggregate-mode=zero-latency pt=" + std::to_string(f.payload);
  } else {
    d += "vp8enc name=venc deadline=1 cpu-used=8 lag-in-frames=0 error-resilient=partitions target-bitrate=" +
         std::to_string(bps) + " keyframe-max-dist=" + std::to_string(std::min(gop, 2147483647L)) +
         " ! rtpvp8pay picture-id-mode=15-bit pt=" + std::to_string(f.payload);
  }
  return d + " ! " + capsfilter(f);
}

std::string audioReceiveBin(const RtpFormat& f, const AudioSink& sink) {
  const std::string name = upperAscii(f.encodingName);
  std::string d = "queue ! ";
  if (name == "OPUS")
    d += "rtpopusdepay ! opusdec plc=true";
  else if (name == "PCMA")
    d += "rtppcmadepay ! alawdec";
  else
    d += "rtppcmudepay ! mulawdec";
  d += " ! identity name=acount";
  switch (sink.kind) {
    case AudioSink::Kind::WavFile:
      return d + " ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=" +
             std::to_string(sink.sampleRate ? sink.sampleRate : 8000) + ",channels=1 ! appsink name=rec sync=false";
    case AudioSink::Kind::Null:
      return d + " ! fakesink sync=false async=false";
    case AudioSink::Kind::Device:
      return d + " ! audioconvert ! audioresample";  // on to audioPlaybackBin
  }
  return d;
}

std::string audioPlaybackBin(const AudioSink& sink, const std::string& echoProbe) {
  std::string d = "audioconvert ! audioresample";
  // The probe hears what goes to the loudspeaker, for webrtcdsp on the capture side.
  if (!echoProbe.empty()) d += " ! webrtcechoprobe name=" + echoProbe + " ! audioconvert ! audioresample";
  return d + " ! " + withDevice(sink.element, "autoaudiosink", sink.device);
}

std::string videoReceiveBin(const RtpFormat& f, const VideoSink& sink) {
  std::string d = "queue ! ";
  // Packet loss: the depayloader asks for a key frame (upstream event -> RTCP PLI) and
  // drops frames until one arrives instead of decoding garbage.
  if (upperAscii(f.encodingName) == "H264")
    d += "rtph264depay request-keyframe=true wait-for-keyframe=true ! h264parse ! openh264dec";
  else
    d += "rtpvp8depay request-keyframe=true wait-for-keyframe=true ! vp8dec";
  if (sink.kind == VideoSink::Kind::File) {
    // The encoded frames go to the file as they are; the decoder branch still counts them.
    const bool h264 = upperAscii(f.encodingName) == "H264";
    d.insert(d.find(h264 ? " ! h264parse ! openh264dec" : " ! vp8dec"),
             std::string(" ! tee name=vt ! queue") + (h264 ? " ! h264parse" : "") +
                 " ! matroskamux streamable=true ! filesink location=" + quoteForLaunch(sink.path) +
                 " vt. ! queue");
  }
  d += " ! videoconvert ! ";
  if (sink.kind == VideoSink::Kind::Device)
    return d + withDevice(sink.element, "autovideosink", sink.device) + " name=vsink sync=false";
  return d + "fakesink name=vsink sync=false async=false";
}

std::string discardBin() { return "fakesink sync=false async=false"; }

}  // namespace callgate::client::detail
