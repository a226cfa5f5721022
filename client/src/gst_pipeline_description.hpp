#pragma once
// What the GStreamer media engine builds, as data and gst-launch descriptions: the RTP
// formats we offer and the send / receive branches for each codec, source and sink (the
// codec chosen from an offer or answer: sdp_formats.hpp). Pure string code (no GStreamer calls), so the
// selection logic is unit-tested without devices; which elements exist is asked through
// HasElement (gst_element_factory_find in the engine, a set in tests).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "callgate/client/media_engine.hpp"
#include "sdp_formats.hpp"

namespace callgate::client::detail {

using HasElement = std::function<bool(const std::string& factoryName)>;

// Our audio offer in preference order (empty prefs = Opus, PCMU, PCMA), then telephone-event
// at 48000 Hz (with Opus) and 8000 Hz (with G.711): PTs 111 opus, 0, 8, 110, 101.
std::vector<RtpFormat> audioOffer(const std::vector<AudioCodec>& prefs);
// Our video offer: VP8 (PT 96) and H.264 packetization-mode 1 constrained baseline (PT 102)
// in preference order; each only when its elements exist (H.264: openh264).
std::vector<RtpFormat> videoOffer(const std::vector<VideoCodec>& prefs, const HasElement& has);

// GStreamer caps for one format ("application/x-rtp,media=audio,encoding-name=OPUS,...").
// Video formats carry rtcp-fb nack, nack pli and ccm fir (webrtcbin writes them as a=rtcp-fb).
std::string rtpCaps(const RtpFormat& f);
// Several formats as one caps string (structures joined by ";"): codec preferences.
std::string rtpCapsList(const std::vector<RtpFormat>& formats);

// Echo cancellation: on when asked for, the source and sink are both devices and webrtcdsp /
// webrtcechoprobe exist. `note` says why it is off when it was asked for but cannot run.
struct EchoCancelPlan {
  bool on = false;
  std::string note;
};
EchoCancelPlan planEchoCancellation(const MediaConfig& config, const HasElement& has);

// The GStreamer elements a configuration needs; the first missing one as an error text
// naming the Debian package ("GStreamer element 'vp8enc' missing: install
// gstreamer1.0-plugins-good"), or "".
std::string missingElement(const MediaConfig& config, const HasElement& has);

// Branches in gst-launch syntax (gst_parse_bin_from_description with ghost pads):
// Send: source ! raw caps ! [webrtcdsp] ! encoder ! payloader ! capsfilter(rtpCaps(f)).
// The encoder is named "venc" for video (key frame probes).
std::string audioSendBin(const AudioSource& source, const RtpFormat& f, const std::string& echoProbe);
std::string videoSendBin(const VideoSource& source, const RtpFormat& f);
// Receive: queue ! depayloader ! decoder ! ... ending in
// - audio, WAV sink: appsink "rec" with S16LE mono at sink.sampleRate;
// - audio, Null sink: fakesink;
// - audio, Device sink: an unlinked src pad, linked to the audioPlaybackBin;
// - video: a sink named "vsink" (fakesink, or the device element) whose sink pad counts frames.
// Audio passes an identity "acount" after the decoder (sample counter).
// `f` is the received stream's format (its caps' encoding-name).
std::string audioReceiveBin(const RtpFormat& f, const AudioSink& sink);
// The loudspeaker branch of an AudioSink::Kind::Device, built when the call starts so that
// the echo probe exists before webrtcdsp on the capture side starts: [webrtcechoprobe] !
// the device element.
std::string audioPlaybackBin(const AudioSink& sink, const std::string& echoProbe);
std::string videoReceiveBin(const RtpFormat& f, const VideoSink& sink);
// For a stream with no decoder of ours (telephone-event): swallow it.
std::string discardBin();

// Quoted for gst-launch ("a b" -> "\"a b\"").
std::string quoteForLaunch(const std::string& value);

}  // namespace callgate::client::detail
